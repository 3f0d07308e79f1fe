/**
 * The library's one error type: a code a program can branch on and a sentence a person can act on.
 */
import type { RequestProblem, RequestProblemCode } from '../../shared/hosted-apis/task-prompt';
import type { ModelChoice } from '../../shared/model-catalog';
import type { ErrorCode } from '../../shared/protocol';
import { ModelSessionError } from '../session/model-session';

export type Florence2ErrorCode = ErrorCode | RequestProblemCode | 'image-fetch-failed' | 'image-too-large';

export class Florence2Error extends Error {
  override readonly name = 'Florence2Error';

  constructor(
    readonly code: Florence2ErrorCode,
    message: string,
    /** The underlying error text, for bug reports. */
    readonly detail?: string,
    /** The request field at fault, when there is one. */
    readonly field?: string,
    /** After running out of memory: the next smaller model choice, or null when this is the smallest. */
    readonly smallerChoice?: ModelChoice | null,
  ) {
    super(message);
  }

  static fromProblem(problem: RequestProblem): Florence2Error {
    return new Florence2Error(problem.code, problem.message, undefined, problem.field);
  }
}

/** Anything thrown on the way to an answer, as a Florence2Error. */
export function asFlorence2Error(error: unknown): Florence2Error {
  if (error instanceof Florence2Error) return error;
  if (error instanceof ModelSessionError) {
    return new Florence2Error(error.code, error.message, error.error.detail, undefined, error.error.smallerChoice);
  }
  if (error instanceof DOMException && error.name === 'AbortError')
    return new Florence2Error('cancelled', 'The run was cancelled.');
  return new Florence2Error('internal', 'Something unexpected went wrong.', String(error));
}
