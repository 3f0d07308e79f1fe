/**
 * The UI side of the worker protocol: typed promises per request, progress callbacks, cancellation
 * through AbortSignal, and every pending request rejected if the worker dies.
 */
import type {
  ErrorCode,
  LoadedModel,
  LoadModelRequest,
  LoadProgress,
  RequestId,
  RequestProgress,
  ResultByRequest,
  RunTaskRequest,
  TaskOutput,
  WorkerError,
  WorkerRequest,
  WorkerResponse,
} from '../../shared/protocol';

export class WorkerRequestError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;

  constructor(error: WorkerError) {
    super(error.message);
    this.name = 'WorkerRequestError';
    this.code = error.code;
    this.detail = error.detail;
  }

  toWorkerError(): WorkerError {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

interface PendingRequest {
  resolve(result: ResultByRequest[keyof ResultByRequest]): void;
  reject(error: WorkerRequestError): void;
  onProgress?: (progress: RequestProgress) => void;
}

type RequestBody<T extends WorkerRequest> = Omit<T, 'kind' | 'id'>;

export class ModelWorkerClient {
  private readonly pending = new Map<RequestId, PendingRequest>();
  private nextId: RequestId = 1;

  private readonly crashListeners: ((detail: string) => void)[] = [];
  private crashed = false;

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.handleCrash(event.message || 'The worker raised an error it did not handle.');
    });
  }

  /** Called once if the worker dies (an uncaught error, or out of memory); pending requests fail first. */
  onCrash(listener: (detail: string) => void): void {
    this.crashListeners.push(listener);
  }

  /** Test hook: the worker is gone as abruptly as in a crash, and the same recovery runs. */
  simulateCrash(): void {
    this.worker.terminate();
    this.handleCrash('Simulated crash');
  }

  private handleCrash(detail: string): void {
    if (this.crashed) return;
    this.crashed = true;
    this.failAll({ code: 'worker-crashed', message: 'The model worker stopped unexpectedly.', detail });
    for (const listener of this.crashListeners) listener(detail);
  }

  load(body: RequestBody<LoadModelRequest>, onProgress: (progress: LoadProgress) => void): Promise<LoadedModel> {
    const id = this.nextId++;
    return this.send<'load-model'>({ kind: 'load-model', id, ...body }, (progress) => {
      if (progress.kind === 'load') onProgress(progress.load);
    });
  }

  run(
    body: RequestBody<RunTaskRequest>,
    signal?: AbortSignal,
    onPartialAnswer?: (rawText: string) => void,
  ): Promise<TaskOutput> {
    const id = this.nextId++;
    const result = this.send<'run-task'>({ kind: 'run-task', id, ...body }, (progress) => {
      if (progress.kind === 'partial-answer') onPartialAnswer?.(progress.rawText);
    });
    if (signal) {
      const cancel = () => this.worker.postMessage({ kind: 'cancel', id: this.nextId++, targetId: id });
      if (signal.aborted) cancel();
      else signal.addEventListener('abort', cancel, { once: true });
      void result.catch(() => {}).finally(() => signal.removeEventListener('abort', cancel));
    }
    return result;
  }

  terminate(): void {
    this.worker.terminate();
    this.failAll({ code: 'cancelled', message: 'The model worker was stopped.' });
  }

  private send<K extends keyof ResultByRequest>(
    request: WorkerRequest,
    onProgress?: (progress: RequestProgress) => void,
  ): Promise<ResultByRequest[K]> {
    return new Promise<ResultByRequest[K]>((resolve, reject) => {
      const entry: PendingRequest = {
        resolve: resolve as PendingRequest['resolve'],
        reject,
      };
      if (onProgress) entry.onProgress = onProgress;
      this.pending.set(request.id, entry);
      this.worker.postMessage(request);
    });
  }

  private receive(response: WorkerResponse): void {
    const entry = this.pending.get(response.id);
    if (!entry) return;
    switch (response.kind) {
      case 'progress':
        entry.onProgress?.(response.progress);
        return;
      case 'result':
        this.pending.delete(response.id);
        entry.resolve(response.result);
        return;
      case 'error':
        this.pending.delete(response.id);
        entry.reject(new WorkerRequestError(response.error));
        return;
    }
  }

  private failAll(error: WorkerError): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) entry.reject(new WorkerRequestError(error));
  }
}

export function createModelWorker(): ModelWorkerClient {
  return new ModelWorkerClient(
    new Worker(new URL('../../worker/florence.worker.ts', import.meta.url), { type: 'module' }),
  );
}
