/**
 * The page side of the worker protocol: typed promises per request, progress callbacks, cancellation
 * through AbortSignal, and every pending request rejected if the worker dies. Used only by the
 * model session.
 */
import type { Device } from '../../shared/device/policy';
import type {
  ErrorCode,
  LoadedModel,
  LoadProgress,
  ModelLoadRequest,
  RequestId,
  RequestProgress,
  ResultByRequest,
  RunPhase,
  TaskOutput,
  TaskRunRequest,
  WorkerError,
  WorkerRequest,
  WorkerResponse,
} from '../../shared/protocol';

/** What the client needs of a worker: a real `Worker`, or a fake in tests. */
export interface WorkerPort {
  postMessage(message: WorkerRequest): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

export class WorkerRequestError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly device: Device | undefined;
  readonly unreachableHost: string | undefined;

  constructor(error: WorkerError) {
    super(error.message);
    this.name = 'WorkerRequestError';
    this.code = error.code;
    this.detail = error.detail;
    this.device = error.device;
    this.unreachableHost = error.unreachableHost;
  }

  toWorkerError(): WorkerError {
    return {
      code: this.code,
      message: this.message,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(this.device === undefined ? {} : { device: this.device }),
      ...(this.unreachableHost === undefined ? {} : { unreachableHost: this.unreachableHost }),
    };
  }
}

interface PendingRequest {
  resolve(result: ResultByRequest[keyof ResultByRequest]): void;
  reject(error: WorkerRequestError): void;
  onProgress?: (progress: RequestProgress) => void;
}

export class ModelWorkerClient {
  private readonly pending = new Map<RequestId, PendingRequest>();
  private nextId: RequestId = 1;
  private readonly crashListeners: ((detail: string) => void)[] = [];
  private ended = false;

  constructor(private readonly worker: WorkerPort) {
    worker.addEventListener('message', (event) => this.receive((event as MessageEvent<WorkerResponse>).data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      const message = (event as Event & { message?: string }).message;
      this.handleCrash(message || 'The worker raised an error it did not handle.');
    });
    worker.addEventListener('messageerror', () => this.handleCrash('A message from the worker could not be read.'));
  }

  /** Called once if the worker dies (an uncaught error, or out of memory), after pending requests fail. */
  onCrash(listener: (detail: string) => void): void {
    this.crashListeners.push(listener);
  }

  private handleCrash(detail: string): void {
    if (this.ended) return;
    this.ended = true;
    this.worker.terminate();
    this.failAll({ code: 'worker-crashed', message: 'The model worker stopped unexpectedly.', detail });
    for (const listener of this.crashListeners) listener(detail);
  }

  load(
    request: ModelLoadRequest,
    deviceOverride: Device | undefined,
    onProgress: (progress: LoadProgress) => void,
  ): Promise<LoadedModel> {
    const id = this.nextId++;
    const message: WorkerRequest = deviceOverride
      ? { kind: 'load-model', id, request, deviceOverride }
      : { kind: 'load-model', id, request };
    return this.send<'load-model'>(message, (progress) => {
      if (progress.kind === 'load') onProgress(progress.load);
    });
  }

  run(
    request: TaskRunRequest,
    signal: AbortSignal | undefined,
    onPartialAnswer: (rawText: string) => void,
    onPhase: (phase: RunPhase) => void = () => {},
  ): Promise<TaskOutput> {
    const id = this.nextId++;
    const result = this.send<'run-task'>({ kind: 'run-task', id, request }, (progress) => {
      if (progress.kind === 'partial-answer') onPartialAnswer(progress.rawText);
      else if (progress.kind === 'run-phase') onPhase(progress.phase);
    });
    if (signal) {
      const cancel = () => {
        if (!this.ended) this.worker.postMessage({ kind: 'cancel', id: this.nextId++, targetId: id });
      };
      if (signal.aborted) cancel();
      else signal.addEventListener('abort', cancel, { once: true });
      void result.catch(() => {}).finally(() => signal.removeEventListener('abort', cancel));
    }
    return result;
  }

  /** Stops the worker; what it was doing fails as cancelled, and nothing it sends later is read. */
  terminate(message = 'The model worker was stopped.'): void {
    if (this.ended) return;
    this.ended = true;
    this.worker.terminate();
    this.failAll({ code: 'cancelled', message });
  }

  private send<K extends keyof ResultByRequest>(
    request: WorkerRequest,
    onProgress?: (progress: RequestProgress) => void,
  ): Promise<ResultByRequest[K]> {
    if (this.ended) {
      return Promise.reject(new WorkerRequestError({ code: 'cancelled', message: 'The model worker was stopped.' }));
    }
    return new Promise<ResultByRequest[K]>((resolve, reject) => {
      const entry: PendingRequest = { resolve: resolve as PendingRequest['resolve'], reject };
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
