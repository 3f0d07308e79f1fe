/**
 * The model session: the only way to the model, for the app and for any other caller. It owns the
 * model worker (started with the caller's factory, replaced when it dies), loads, runs one task at a
 * time, and recovers by itself: a dead worker is restarted and the model reloaded from this device,
 * a lost GPU device gets a fresh worker, a failing WebGPU moves the model to WASM, damaged stored
 * files are downloaded again, and a model that did not fit offers the next smaller choice. Every
 * one of those decisions is `decideRecovery`'s (src/shared/recovery-policy.ts); every retry sends
 * the caller's request unchanged. No React, no store: the app's store subscribes to it.
 */
import type { Device } from '../../shared/device/policy';
import { choiceOf, type ModelChoice, nextSmallerChoice } from '../../shared/model-catalog';
import type { ModelSource } from '../../shared/model-source';
import type {
  LoadedModel,
  LoadProgress,
  ModelLoadRequest,
  RunPhase,
  TaskOutput,
  TaskRunRequest,
  WorkerError,
} from '../../shared/protocol';
import {
  afterRecovery,
  decideRecovery,
  NO_RECOVERY_YET,
  type Recovery,
  type RecoveryCause,
  type RecoveryHistory,
} from '../../shared/recovery-policy';
import { ModelWorkerClient, type WorkerPort, WorkerRequestError } from './worker-client';

export type SessionStatus = 'idle' | 'loading' | 'ready' | 'error' | 'disposed';

export interface DeviceFallback {
  readonly from: 'webgpu';
  readonly reason: string;
}

/** The model now loaded, as the session reports it. */
export interface SessionModel extends Omit<LoadedModel, 'storageProblem'> {
  /** Set when WebGPU failed and the session moved the model to WASM. */
  readonly fallback: DeviceFallback | null;
  /**
   * 'full-disk' when the files could not be kept on this device (the next visit downloads them
   * again); 'repaired' when a damaged stored copy was removed and downloaded again.
   */
  readonly storageProblem: 'full-disk' | 'repaired' | null;
}

export interface SessionError extends WorkerError {
  /** After running out of memory: the next smaller choice to load, or null when this is the smallest. */
  readonly smallerChoice?: ModelChoice | null;
}

/** What `load` and `run` reject with. */
export class ModelSessionError extends Error {
  constructor(readonly error: SessionError) {
    super(error.message);
    this.name = 'ModelSessionError';
  }

  get code(): SessionError['code'] {
    return this.error.code;
  }
}

export interface SessionState {
  readonly status: SessionStatus;
  readonly model: SessionModel | null;
  /** Why the last load failed (status 'error'). */
  readonly error: SessionError | null;
  /** The load in progress. */
  readonly progress: LoadProgress | null;
}

export type NoticeCode =
  | 'restarting'
  | 'restarted'
  | 'repairing'
  | 'moving-to-wasm'
  | 'rerunning-on-fresh-gpu'
  | 'rerunning-on-wasm'
  | 'rerunning-after-webgpu-failed'
  | 'rerun-on-fresh-gpu'
  | 'rerun-on-wasm'
  | 'rerun-after-webgpu-failed';

/** Something the session did by itself that a person should know about. */
export interface SessionNotice {
  readonly code: NoticeCode;
  readonly message: string;
}

export type SessionEvent =
  | { readonly kind: 'state'; readonly state: SessionState }
  | { readonly kind: 'notice'; readonly notice: SessionNotice };

export interface ModelSessionOptions {
  /** Starts a model worker; called again whenever a fresh one is needed. */
  readonly createWorker: () => WorkerPort;
  /** Deletes a model's files stored on this device; returns how many were deleted. */
  readonly deleteStoredModel: (source: ModelSource) => Promise<number>;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** The answer so far, with special tokens kept, as tokens arrive. */
  readonly onPartialAnswer?: (rawText: string) => void;
  /** What the run is doing, as each phase starts (preparing the image, encoding it, generating). */
  readonly onPhase?: (phase: RunPhase) => void;
}

export interface ModelSession {
  readonly state: SessionState;
  subscribe(listener: (event: SessionEvent) => void): () => void;
  load(request: ModelLoadRequest, options?: { onProgress?: (progress: LoadProgress) => void }): Promise<SessionModel>;
  run(request: TaskRunRequest, options?: RunOptions): Promise<TaskOutput>;
  dispose(): void;
}

const NOTICES: Readonly<Record<NoticeCode, string>> = {
  restarting: 'The model stopped unexpectedly and is being restarted…',
  restarted: 'The model stopped unexpectedly and was restarted from this device’s copy.',
  repairing: 'A stored model file was damaged; downloading it again…',
  'moving-to-wasm': 'WebGPU failed; moving the model to WASM…',
  'rerunning-on-fresh-gpu': 'The graphics device was lost during the run; running it again on a fresh WebGPU device…',
  'rerunning-on-wasm': 'The graphics device was lost again; moving the model to WASM and running it there…',
  'rerun-on-fresh-gpu': 'The graphics device was lost during the run, so it was run again on a fresh WebGPU device.',
  'rerunning-after-webgpu-failed': 'WebGPU failed on the first run; moving the model to WASM and running it there…',
  'rerun-on-wasm': 'The graphics device was lost during the run, so it was run again on WASM.',
  'rerun-after-webgpu-failed': 'WebGPU failed on the first run, so it was run again on WASM.',
};

/** What the session says before a run's recovery. */
const RUN_RECOVERY_NOTICES: Partial<Readonly<Record<RecoveryCause, NoticeCode>>> = {
  'gpu-device-lost': 'rerunning-on-fresh-gpu',
  'gpu-device-lost-again': 'rerunning-on-wasm',
  'webgpu-failed-on-first-run': 'rerunning-after-webgpu-failed',
};

const notice = (code: NoticeCode): SessionNotice => ({ code, message: NOTICES[code] });

/** The device-choice sentence the model panel shows after a move to WASM. */
const WASM_BECAUSE: Partial<Readonly<Record<RecoveryCause, string>>> = {
  'webgpu-failed-to-load': 'WebGPU failed, so the model runs on WASM',
  'webgpu-failed-on-first-run': 'WebGPU failed on the first run, so the model runs on WASM',
  'gpu-device-lost-again': 'The WebGPU device was lost twice, so the model runs on WASM',
};

interface DeviceOverride {
  readonly device: Device;
  readonly fallback: DeviceFallback;
  readonly reason: string;
}

const closedError = () => new ModelSessionError({ code: 'cancelled', message: 'The model session was closed.' });
const supersededError = () => new ModelSessionError({ code: 'cancelled', message: 'A newer load replaced this one.' });
const cancelledError = () => new ModelSessionError({ code: 'cancelled', message: 'The run was cancelled.' });
const reloadedDuringRunError = () =>
  new ModelSessionError({ code: 'cancelled', message: 'The model was reloaded during the run.' });
const notLoadedError = () => new ModelSessionError({ code: 'not-loaded', message: 'The model is not loaded.' });

function asWorkerError(error: unknown): WorkerError {
  if (error instanceof WorkerRequestError) return error.toWorkerError();
  if (error instanceof ModelSessionError) return error.error;
  return { code: 'internal', message: 'Something unexpected went wrong.', detail: String(error) };
}

class WorkerModelSession implements ModelSession {
  state: SessionState = { status: 'idle', model: null, error: null, progress: null };
  private readonly listeners = new Set<(event: SessionEvent) => void>();
  private client: ModelWorkerClient | null = null;
  /** Counts the workers started; work begun for an older one is stale. */
  private generation = 0;
  /** The caller's request for the model loaded now (or loading). */
  private request: ModelLoadRequest | null = null;
  private deviceOverride: DeviceOverride | null = null;
  private loading: Promise<SessionModel> | null = null;
  private completedRuns = 0;
  private activeRuns = 0;
  private restarting = false;
  private runQueue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(private readonly options: ModelSessionOptions) {}

  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  load(
    request: ModelLoadRequest,
    options: { onProgress?: (progress: LoadProgress) => void } = {},
  ): Promise<SessionModel> {
    if (this.disposed) return Promise.reject(closedError());
    this.request = request;
    this.deviceOverride = null;
    return this.track(this.loadWithRecovery(request, NO_RECOVERY_YET, options.onProgress));
  }

  run(request: TaskRunRequest, options: RunOptions = {}): Promise<TaskOutput> {
    const answer = this.runQueue.then(() => this.runNow(request, options));
    this.runQueue = answer.catch(() => {});
    const { signal } = options;
    if (!signal) return answer;
    // Cancelled while it waits (for a run before it, or for the model to load): the caller is told at
    // once; when its turn comes it sees the signal and stops before it starts.
    return new Promise<TaskOutput>((resolve, reject) => {
      const onAbort = () => reject(cancelledError());
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.generation++;
    this.client?.terminate('The model session was closed.');
    this.client = null;
    this.setState({ status: 'disposed', model: null, progress: null });
    this.listeners.clear();
  }

  private emit(event: SessionEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private setState(change: Partial<SessionState>): void {
    this.state = { ...this.state, ...change };
    this.emit({ kind: 'state', state: this.state });
  }

  private notify(code: NoticeCode): void {
    this.emit({ kind: 'notice', notice: notice(code) });
  }

  /** Keeps the newest load for runs to wait on; its failure is the caller's to handle. */
  private track(load: Promise<SessionModel>): Promise<SessionModel> {
    this.loading = load;
    load.catch(() => {});
    return load;
  }

  /** A fresh worker; the previous one, and anything it was doing, is stopped. */
  private startWorker(): { client: ModelWorkerClient; generation: number } {
    this.client?.terminate();
    const client = new ModelWorkerClient(this.options.createWorker());
    const generation = ++this.generation;
    this.client = client;
    client.onCrash(() => {
      // A load or a run in progress handles the crash itself; here, a model that was idle.
      if (this.client !== client || this.activeRuns > 0 || this.state.status !== 'ready') return;
      const recovery = decideRecovery({
        operation: 'idle',
        code: 'worker-crashed',
        device: this.state.model?.plan.device ?? null,
        completedRuns: this.completedRuns,
        history: NO_RECOVERY_YET,
      });
      if (recovery.action === 'reload') void this.restartAfterCrash();
    });
    return { client, generation };
  }

  private stopWorker(): void {
    this.client?.terminate();
    this.client = null;
  }

  /**
   * Loads `request` in fresh workers until it is ready or the policy gives up. `restarting`: this
   * load brings the model back after a crash (so one crash has happened already).
   */
  private async loadWithRecovery(
    request: ModelLoadRequest,
    startingHistory: RecoveryHistory,
    onProgress?: (progress: LoadProgress) => void,
    restarting = false,
  ): Promise<SessionModel> {
    let history = startingHistory;
    // What the person waited, failed attempts included.
    const started = performance.now();
    for (;;) {
      const { client, generation } = this.startWorker();
      this.setState({ status: 'loading', model: null, error: null, progress: null });
      try {
        const loaded = await client.load(request, this.deviceOverride?.device, (progress) => {
          if (generation !== this.generation) return;
          this.setState({ progress });
          onProgress?.(progress);
        });
        if (generation !== this.generation) throw supersededError();
        const model = this.describe({ ...loaded, loadMs: performance.now() - started }, history);
        this.completedRuns = 0;
        this.setState({ status: 'ready', model, error: null, progress: null });
        return model;
      } catch (error) {
        if (generation !== this.generation) throw this.disposed ? closedError() : supersededError();
        const failure = asWorkerError(error);
        const decide = () =>
          decideRecovery({
            operation: 'load',
            code: failure.code,
            device: failure.device ?? null,
            completedRuns: 0,
            history,
          });
        let recovery = decide();
        if (recovery.action === 'reload' && recovery.repairStoredFiles) {
          this.stopWorker();
          this.notify('repairing');
          const deleted = await this.options.deleteStoredModel(request.source).catch(() => 0);
          if (generation !== this.generation) throw this.disposed ? closedError() : supersededError();
          // Nothing stored was damaged: the host serves the damaged file, so a download would not
          // help; decide again as after a repair that did not cure it.
          if (deleted === 0) {
            history = afterRecovery(history, recovery);
            recovery = decide();
          }
        }
        if (recovery.action === 'report') throw this.loadFailed(failure, recovery, request, restarting);
        if (recovery.device === 'wasm') {
          this.moveToWasm(recovery.cause, failure);
          this.notify('moving-to-wasm');
        }
        history = afterRecovery(history, recovery);
      }
    }
  }

  private loadFailed(
    failure: WorkerError,
    recovery: Recovery,
    request: ModelLoadRequest,
    restarting: boolean,
  ): ModelSessionError {
    this.stopWorker();
    const crashedAgain =
      failure.code !== 'worker-crashed'
        ? {}
        : {
            message: restarting
              ? 'The model stopped unexpectedly again while it was being restarted: this device may not have enough memory for it.'
              : 'The model stopped unexpectedly while loading, twice: this device may not have enough memory for it.',
          };
    const error: SessionError = {
      ...failure,
      ...crashedAgain,
      ...(recovery.action === 'report' && recovery.offerSmallerChoice
        ? { smallerChoice: nextSmallerChoice(choiceOf(request)) }
        : {}),
    };
    this.setState({ status: 'error', model: null, error, progress: null });
    return new ModelSessionError(error);
  }

  private moveToWasm(cause: RecoveryCause, failure: WorkerError): void {
    const detail = failure.detail ?? failure.message;
    const reason =
      cause === 'gpu-device-lost-again' ? `The WebGPU device was lost twice in one run (${detail}).` : detail;
    this.deviceOverride = {
      device: 'wasm',
      fallback: { from: 'webgpu', reason },
      reason: WASM_BECAUSE[cause] ?? 'WebGPU failed, so the model runs on WASM',
    };
  }

  private describe(loaded: LoadedModel, history: RecoveryHistory): SessionModel {
    const override = this.deviceOverride;
    return {
      ...loaded,
      plan: override ? { ...loaded.plan, reason: override.reason } : loaded.plan,
      fallback: override?.fallback ?? null,
      storageProblem: loaded.storageProblem ?? (history.repaired ? 'repaired' : null),
    };
  }

  /** Waits for a load in progress; rejects unless a model is then ready. */
  private async ready(): Promise<void> {
    while (this.state.status === 'loading' && this.loading) {
      const load = this.loading;
      await load.catch(() => {});
      if (this.loading === load) break;
    }
    if (this.state.status !== 'ready') throw notLoadedError();
  }

  private async runNow(request: TaskRunRequest, options: RunOptions): Promise<TaskOutput> {
    const { signal } = options;
    if (this.disposed) throw closedError();
    if (signal?.aborted) throw cancelledError();
    await this.ready().catch((error: unknown) => {
      throw this.disposed ? closedError() : error;
    });
    let history: RecoveryHistory = { ...NO_RECOVERY_YET, movedToWasm: this.deviceOverride !== null };
    let recovered: Recovery | null = null;
    for (;;) {
      const client = this.client;
      const model = this.state.model;
      const generation = this.generation;
      if (this.disposed) throw closedError();
      if (!client || !model || this.state.status !== 'ready') throw notLoadedError();
      this.activeRuns++;
      try {
        const output = await client.run(
          request,
          signal,
          (rawText) => options.onPartialAnswer?.(rawText),
          (phase) => options.onPhase?.(phase),
        );
        this.completedRuns++;
        if (recovered) this.notify(this.afterRecoveredRun(recovered, model.plan.device));
        return output;
      } catch (error) {
        const failure = asWorkerError(error);
        if (this.disposed) throw closedError();
        // A newer load stopped the worker this run was on.
        if (generation !== this.generation) throw reloadedDuringRunError();
        const recovery = decideRecovery({
          operation: 'run',
          code: failure.code,
          device: model.plan.device,
          completedRuns: this.completedRuns,
          history,
        });
        if (signal?.aborted) {
          // Cancelled; if the worker died meanwhile, it still needs bringing back.
          if (recovery.action === 'report' && recovery.restartWorker) void this.restartAfterCrash();
          throw cancelledError();
        }
        if (recovery.action === 'report') {
          if (recovery.restartWorker) void this.restartAfterCrash();
          const smaller =
            recovery.offerSmallerChoice && this.request
              ? { smallerChoice: nextSmallerChoice(choiceOf(this.request)) }
              : {};
          throw new ModelSessionError({ ...failure, ...smaller });
        }
        const before = RUN_RECOVERY_NOTICES[recovery.cause];
        if (before) this.notify(before);
        if (recovery.device === 'wasm') this.moveToWasm(recovery.cause, failure);
        history = afterRecovery(history, recovery);
        recovered = recovery;
        await this.reloadForRun(history, failure, signal);
      } finally {
        this.activeRuns--;
      }
    }
  }

  /** What to say once a run that needed a recovery has answered, on the device it ended on. */
  private afterRecoveredRun(recovered: Recovery, device: Device): NoticeCode {
    if (device === 'webgpu') return 'rerun-on-fresh-gpu';
    return recovered.action === 'reload' && recovered.cause === 'webgpu-failed-on-first-run'
      ? 'rerun-after-webgpu-failed'
      : 'rerun-on-wasm';
  }

  /**
   * Reloads the caller's request in a fresh worker for a run to be sent again; if that fails, the run
   * fails with its own error. Cancelling the run does not wait for the reload, which goes on.
   */
  private async reloadForRun(history: RecoveryHistory, failure: WorkerError, signal?: AbortSignal): Promise<void> {
    const request = this.request;
    if (!request) throw new ModelSessionError(failure);
    const reload = this.track(
      this.loadWithRecovery(request, { ...NO_RECOVERY_YET, movedToWasm: history.movedToWasm }),
    ).then(
      () => {},
      (error: unknown) => {
        if (this.disposed) throw closedError();
        if (error instanceof ModelSessionError && error.code === 'cancelled') throw reloadedDuringRunError();
        throw new ModelSessionError(failure);
      },
    );
    if (!signal) return reload;
    if (signal.aborted) throw cancelledError();
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(cancelledError());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([reload, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
      reload.catch(() => {});
    }
  }

  /** The worker died: a fresh one loads the same request again, from this device's stored files. */
  private async restartAfterCrash(): Promise<void> {
    const request = this.request;
    if (this.disposed || this.restarting || !request) return;
    this.restarting = true;
    this.notify('restarting');
    try {
      // One crash has happened already: a second during this load is not retried.
      await this.track(
        this.loadWithRecovery(
          request,
          { ...NO_RECOVERY_YET, crashes: 1, movedToWasm: this.deviceOverride !== null },
          undefined,
          true,
        ),
      );
      this.notify('restarted');
    } catch {
      // The failure is in the session's state for the caller to show.
    } finally {
      this.restarting = false;
    }
  }
}

export function createModelSession(options: ModelSessionOptions): ModelSession {
  return new WorkerModelSession(options);
}
