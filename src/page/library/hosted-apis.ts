/**
 * The hosted Florence-2 APIs' calls, answered on this device: Roboflow's `/infer/lmm` body and
 * answer, fal's endpoints and output, each with that service's own error shape.
 */
import {
  type FalOutput,
  type FalValidationError,
  falValidationError,
  readFalInput,
  toFalOutput,
} from '../../shared/hosted-apis/fal';
import {
  type RoboflowErrorBody,
  type RoboflowLmmResponse,
  readRoboflowRequest,
  roboflowError,
  roboflowResponse,
} from '../../shared/hosted-apis/roboflow';
import { asFlorence2Error, Florence2Error } from './errors';
import type { Florence2 } from './florence2';
import { imageOfRequest } from './image-input';

/** A hosted API's error: the HTTP status its service would answer with, and its body. */
export class HostedApiError<Body> extends Error {
  override readonly name = 'HostedApiError';

  constructor(
    readonly status: number,
    readonly body: Body,
    /** The library's error underneath. */
    readonly error: Florence2Error,
  ) {
    super(error.message);
  }
}

export type RoboflowApiError = HostedApiError<RoboflowErrorBody>;
export type FalApiError = HostedApiError<FalValidationError | { readonly detail: string }>;

function asRoboflowError(error: unknown): RoboflowApiError {
  const failure = asFlorence2Error(error);
  const { status, body } = roboflowError(failure.code, failure.message);
  return new HostedApiError(status, body, failure);
}

/**
 * Roboflow's `POST /infer/lmm`, given its body as is: `{api_key, image: {type, value}, model_id,
 * prompt}`. Resolves with `{response: {"<TASK>": …}, time}`; rejects with a `HostedApiError` whose
 * `status` and `body` are Roboflow's. `model_id` picks the model (loaded first if another is loaded).
 */
export async function inferLmm(
  florence: Florence2,
  body: unknown,
  options: { readonly signal?: AbortSignal } = {},
): Promise<RoboflowLmmResponse> {
  const started = performance.now();
  const request = readRoboflowRequest(body);
  if (!request.ok) throw asRoboflowError(Florence2Error.fromProblem(request));
  try {
    await florence.ensureModel(request.model, options.signal);
    const answer = await florence.run(request.task, imageOfRequest(request.image), {
      taskInput: request.taskInput,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return roboflowResponse(answer, (performance.now() - started) / 1000);
  } catch (error) {
    throw asRoboflowError(error);
  }
}

function asFalError(error: unknown): FalApiError {
  const failure = asFlorence2Error(error);
  // fal answers an unknown endpoint with 404, bad input as a validation error (422), anything else
  // with a plain detail.
  if (failure.field === 'endpoint') return new HostedApiError(404, { detail: failure.message }, failure);
  const badInput = failure.field !== undefined || INPUT_CODES.has(failure.code);
  return badInput
    ? new HostedApiError(422, falValidationError(failure.field ?? 'image_url', failure.message), failure)
    : new HostedApiError(failure.code === 'cancelled' ? 499 : 500, { detail: failure.message }, failure);
}

const INPUT_CODES: ReadonlySet<string> = new Set([
  'invalid-image',
  'image-unreadable',
  'image-fetch-failed',
  'image-too-large',
]);

/**
 * A fal Florence-2 endpoint (`object-detection`, or `fal-ai/florence-2-large/ocr-with-region`) with
 * its input `{image_url, text_input?, region?}`. Resolves with fal's output for the task.
 */
export async function runFal(
  florence: Florence2,
  endpoint: string,
  input: unknown,
  options: { readonly signal?: AbortSignal } = {},
): Promise<FalOutput> {
  const request = readFalInput(endpoint, input);
  if (!request.ok) throw asFalError(Florence2Error.fromProblem(request));
  try {
    const [x1, y1, x2, y2] = request.region ?? [0, 0, 0, 0];
    const answer = await florence.run(request.task, imageOfRequest(request.image), {
      ...(request.text ? { taskInput: request.text } : {}),
      ...(request.region ? { region: { x1, y1, x2, y2 } } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return toFalOutput(answer);
  } catch (error) {
    throw asFalError(error);
  }
}
