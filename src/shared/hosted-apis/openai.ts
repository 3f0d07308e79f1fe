/**
 * The OpenAI-compatible form of Florence-2: `POST /v1/chat/completions` and `GET /v1/models`.
 *
 * How a message maps to a task: the last user message's text parts, joined, are a task token and its
 * input (`<OD>`, `<CAPTION_TO_PHRASE_GROUNDING>a dog on grass`, `<REGION_TO_OCR><loc_10>…`); a message
 * with an image and no text at all is captioned (`<CAPTION>`). Plain text without a token is refused
 * (400, code `missing_task_token`): Florence-2 is not a chat model, and guessing a task from free text
 * would answer a different question than the one asked. The reply's content is the task's text for
 * text tasks and, for region tasks, the JSON of what the reference post-processor returns
 * (`{"<OD>": {"bboxes": […], "labels": […]}}`). Streamed, text tasks arrive as they are generated;
 * region tasks arrive as one piece once complete (partial JSON would not parse).
 */
import type { FlorenceAnswer } from '../florence/parse';
import { toReferenceJson } from '../florence/parse';
import { getTask } from '../florence/tasks';
import { type ReadImage, readImageString } from './image-string';
import { MODEL_ALIASES, type ModelAlias, modelAliasOf } from './model-ids';
import {
  isRecord,
  type PromptedTask,
  parseTaskPrompt,
  problem,
  type RequestProblem,
  taskInputFromText,
} from './task-prompt';

export interface ChatRequest extends PromptedTask {
  readonly model: ModelAlias;
  readonly image: ReadImage;
  readonly stream: boolean;
}

/** Reads a chat-completions request body. */
export function readChatRequest(body: unknown): ChatRequest | RequestProblem {
  if (!isRecord(body)) return problem('invalid-request', 'The request body must be a JSON object.', 'body');
  const model = modelAliasOf(body.model);
  if (!model) {
    return problem(
      'unknown-model',
      `The model ${JSON.stringify(body.model ?? null)} does not exist; GET /v1/models lists the models.`,
      'model',
    );
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return problem('invalid-request', 'messages must be a non-empty array.', 'messages');
  }
  const users = body.messages.filter(
    (message): message is Record<string, unknown> => isRecord(message) && message.role === 'user',
  );
  const last = users.at(-1);
  if (!last) return problem('invalid-request', 'messages must include a user message.', 'messages');
  const parts: unknown[] =
    typeof last.content === 'string'
      ? [{ type: 'text', text: last.content }]
      : Array.isArray(last.content)
        ? last.content
        : [];
  const texts: string[] = [];
  let imageUrl: string | null = null;
  for (const part of parts) {
    if (!isRecord(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
    if (part.type === 'image_url' && imageUrl === null) {
      const url = isRecord(part.image_url) ? part.image_url.url : part.image_url;
      if (typeof url === 'string') imageUrl = url;
    }
  }
  if (imageUrl === null) {
    return problem(
      'invalid-image',
      'The user message must include an image_url part (a data URL or an http(s) URL).',
      'messages',
    );
  }
  const read = readImageString(imageUrl, 'image_url.url', 'url');
  if (read.kind === 'invalid') return problem('invalid-image', read.message, 'messages');
  const text = texts.join('').trim();
  const task = text ? parseTaskPrompt(text, 'The text part') : taskInputFromText('<CAPTION>', '', 'The text part');
  if (!task.ok) return task;
  return {
    ...task,
    model,
    image: read,
    stream: body.stream === true,
  };
}

/** The reply's content: the text, or the reference JSON of a region task's answer. */
export function chatContent(answer: FlorenceAnswer): string {
  return answer.answerType === 'pure_text' ? answer.text : JSON.stringify(toReferenceJson(answer));
}

export type FinishReason = 'stop' | 'length';

/** 'length' when generation stopped at the task's token budget rather than by itself. */
export function finishReason(answer: FlorenceAnswer, generatedTokens: number): FinishReason {
  return generatedTokens >= getTask(answer.task).maxNewTokens ? 'length' : 'stop';
}

export interface CompletionIdentity {
  readonly id: string;
  /** Unix seconds. */
  readonly created: number;
  readonly model: string;
}

export function chatCompletion(
  identity: CompletionIdentity,
  content: string,
  finish: FinishReason,
  completionTokens: number,
) {
  return {
    id: identity.id,
    object: 'chat.completion' as const,
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content, refusal: null },
        logprobs: null,
        finish_reason: finish,
      },
    ],
    usage: { prompt_tokens: 0, completion_tokens: completionTokens, total_tokens: completionTokens },
  };
}

export function chatChunk(
  identity: CompletionIdentity,
  delta: { role?: 'assistant'; content?: string },
  finish: FinishReason | null,
) {
  return {
    id: identity.id,
    object: 'chat.completion.chunk' as const,
    created: identity.created,
    model: identity.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  };
}

/** A server-sent event line for a chunk, or the stream's end. */
export function sseEvent(data: unknown): string {
  return `data: ${data === '[DONE]' ? data : JSON.stringify(data)}\n\n`;
}

export function modelList(created: number) {
  return {
    object: 'list' as const,
    data: MODEL_ALIASES.map((id) => ({ id, object: 'model' as const, created, owned_by: 'microsoft' })),
  };
}

export interface OpenAIErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string;
  };
}

/** OpenAI's status, type and code for each problem. */
export function openAIError(
  code: string,
  message: string,
  param: string | null = null,
): { status: number; body: OpenAIErrorBody } {
  const known = OPENAI_CODES[code];
  const status = known?.status ?? 500;
  return {
    status,
    body: {
      error: {
        message,
        type: known?.type ?? 'server_error',
        param,
        code: known?.code ?? code.replaceAll('-', '_'),
      },
    },
  };
}

const OPENAI_CODES: Readonly<Record<string, { status: number; type: string; code: string }>> = {
  'unknown-model': { status: 404, type: 'invalid_request_error', code: 'model_not_found' },
  'missing-task': { status: 400, type: 'invalid_request_error', code: 'missing_task_token' },
  'unknown-task': { status: 400, type: 'invalid_request_error', code: 'unknown_task_token' },
  'missing-text': { status: 400, type: 'invalid_request_error', code: 'missing_task_text' },
  'invalid-region': { status: 400, type: 'invalid_request_error', code: 'invalid_region' },
  'region-outside-image': { status: 400, type: 'invalid_request_error', code: 'region_outside_image' },
  'invalid-image': { status: 400, type: 'invalid_request_error', code: 'invalid_image' },
  'image-unreadable': { status: 400, type: 'invalid_request_error', code: 'invalid_image' },
  'image-fetch-failed': { status: 400, type: 'invalid_request_error', code: 'invalid_image_url' },
  'image-too-large': { status: 400, type: 'invalid_request_error', code: 'image_too_large' },
  'invalid-request': { status: 400, type: 'invalid_request_error', code: 'invalid_request' },
  'not-found': { status: 404, type: 'invalid_request_error', code: 'unknown_url' },
  'method-not-allowed': { status: 405, type: 'invalid_request_error', code: 'method_not_allowed' },
};
