import type {
  ErrorCode,
  LoadedModel,
  LoadModelRequest,
  LoadProgress,
  RunTaskRequest,
  TaskOutput,
} from '../../shared/protocol';

/** What the request handler needs from a model runtime; tests substitute a fake. */
export interface Engine {
  load(request: LoadModelRequest, onProgress: (progress: LoadProgress) => void): Promise<LoadedModel>;
  /** `onPartialAnswer` receives the generated text so far, as tokens arrive. */
  run(request: RunTaskRequest, signal: AbortSignal, onPartialAnswer: (rawText: string) => void): Promise<TaskOutput>;
}

/** An error whose code and message are meant for the person using the app. */
export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: string,
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
