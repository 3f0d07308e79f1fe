/**
 * Roboflow's Florence-2 call, `POST /infer/lmm`: the request body as Roboflow documents it, and its
 * answer, `{response: {"<TASK>": <what the reference post-processor returns>}}`.
 */
import type { FlorenceAnswer } from '../florence/parse';
import { toReferenceJson } from '../florence/parse';
import { type ErrorCode, isErrorCode } from '../protocol';
import { type ReadImage, readImageString } from './image-string';
import { type ModelAlias, modelAliasOf } from './model-ids';
import { isRecord, type PromptedTask, parseTaskPrompt, problem, type RequestProblem } from './task-prompt';

export interface RoboflowLmmRequest {
  /** Accepted and ignored: nothing leaves the device, so there is no account to charge. */
  readonly api_key?: string;
  readonly image: { readonly type: 'url' | 'base64'; readonly value: string };
  readonly model_id: string;
  /** A task token, then the task's text or region tokens: `<OPEN_VOCABULARY_DETECTION>dog, ball`. */
  readonly prompt: string;
}

export interface RoboflowLmmResponse {
  readonly response: Record<string, unknown>;
  /** Seconds the answer took, as Roboflow reports it. */
  readonly time: number;
}

/** Roboflow's error body, with the HTTP status its server would answer with. */
export interface RoboflowErrorBody {
  readonly message: string;
  readonly error_type: string;
}

export interface ReadRoboflowRequest extends PromptedTask {
  readonly model: ModelAlias;
  readonly image: ReadImage;
}

/** Reads a `/infer/lmm` body exactly as a Roboflow client sends it. */
export function readRoboflowRequest(body: unknown): ReadRoboflowRequest | RequestProblem {
  if (!isRecord(body)) return problem('invalid-request', 'The request body must be a JSON object.', 'body');
  const model = modelAliasOf(body.model_id);
  if (!model) {
    return problem(
      'unknown-model',
      `model_id ${JSON.stringify(body.model_id ?? null)} is not a Florence-2 model; use florence-2-base, florence-2-large or their -ft forms.`,
      'model_id',
    );
  }
  const task = parseTaskPrompt(body.prompt, 'prompt');
  if (!task.ok) return task;
  const image = body.image;
  if (!isRecord(image) || (image.type !== 'url' && image.type !== 'base64') || typeof image.value !== 'string') {
    return problem('invalid-image', 'image must be {"type": "url" | "base64", "value": "…"}.', 'image');
  }
  const read = readImageString(image.value, 'image.value', image.type);
  if (read.kind === 'invalid') return problem('invalid-image', read.message, 'image.value');
  return {
    ...task,
    model,
    image: read,
  };
}

export function roboflowResponse(answer: FlorenceAnswer, seconds: number): RoboflowLmmResponse {
  return { response: toReferenceJson(answer), time: seconds };
}

/** Roboflow's server answers bad input with 400 and a message; a model that will not run with 500. */
export function roboflowError(code: string, message: string): { status: number; body: RoboflowErrorBody } {
  const status = code === 'cancelled' ? 499 : isErrorCode(code) && !REQUEST_ERRORS.has(code) ? 500 : 400;
  return {
    status,
    body: { message, error_type: ERROR_TYPES[code] ?? (status === 500 ? 'InferenceError' : 'InvalidRequestError') },
  };
}

// Of the model's own errors, these are about the request; the rest are the server's.
const REQUEST_ERRORS: ReadonlySet<string> = new Set<ErrorCode>(['image-unreadable', 'invalid-request']);

// Roboflow's exception names for the problems it has names for.
const ERROR_TYPES: Readonly<Record<string, string>> = {
  'unknown-model': 'InvalidModelIDError',
  'invalid-image': 'InputImageLoadError',
  'image-unreadable': 'InputImageLoadError',
  'image-fetch-failed': 'InputImageLoadError',
  'image-too-large': 'InputImageLoadError',
  'model-not-found': 'ModelArtefactError',
};
