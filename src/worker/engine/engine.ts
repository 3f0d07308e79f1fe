import type { Device } from '../../shared/device/policy';
import type {
  ErrorCode,
  LoadedModel,
  LoadProgress,
  ModelLoadRequest,
  RunPhase,
  TaskOutput,
  TaskRunRequest,
} from '../../shared/protocol';

/** What the request handler needs from a model runtime; tests substitute a fake. */
export interface Engine {
  /** `deviceOverride`, when given, replaces the request's device preference (a recovery's choice). */
  load(
    request: ModelLoadRequest,
    deviceOverride: Device | undefined,
    onProgress: (progress: LoadProgress) => void,
  ): Promise<LoadedModel>;
  /** `onPartialAnswer` receives the generated text so far, as tokens arrive; `onPhase`, each phase as it starts. */
  run(
    request: TaskRunRequest,
    signal: AbortSignal,
    onPartialAnswer: (rawText: string) => void,
    onPhase?: (phase: RunPhase) => void,
  ): Promise<TaskOutput>;
}

/** An error whose code and message are meant for the person using the app. */
export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: string,
    /** The device the failed work ran on, when it got that far. */
    readonly device?: Device,
    /** For a load the model's host gave no answer to: that host (`WorkerError.unreachableHost`). */
    readonly unreachableHost?: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Whether an error from the browser, ONNX Runtime or WebGPU means memory ran out: a JavaScript
 * allocation, WebAssembly memory growth, a C++ allocation inside ORT, or a GPU buffer.
 */
export function isOutOfMemory(text: string): boolean {
  return /out of memory|Array buffer allocation failed|could not allocate memory|bad_alloc|Cannot enlarge memory|failed to grow memory|Aborted\(OOM\)|OutOfMemory|Failed to allocate (a )?buffer/i.test(
    text,
  );
}
