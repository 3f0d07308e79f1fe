import type { ErrorCode, LoadedModel, LoadModelRequest, LoadProgress, RunTaskRequest, TaskOutput } from '../protocol';

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
