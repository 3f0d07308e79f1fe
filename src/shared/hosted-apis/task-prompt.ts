/**
 * The prompt string the hosted Florence-2 APIs take (Roboflow's `prompt`, the text part of an
 * OpenAI-style message): a task token, then the task's input. Text tasks take plain text; region
 * tasks take the region as four location tokens, as the reference processor does.
 */

import { sanitizeUserText, vocabularyInput } from '../florence/task-input';
import { getTask, TASK_TOKENS, type TaskToken } from '../florence/tasks';
import { LOCATION_BINS } from '../geometry/bins';

/** What went wrong with a request, in the words of the library's errors. */
export type RequestProblemCode =
  | 'unknown-model'
  | 'missing-task'
  | 'unknown-task'
  | 'missing-text'
  | 'invalid-region'
  | 'region-outside-image'
  | 'invalid-image'
  | 'invalid-request';

export interface RequestProblem {
  readonly ok: false;
  readonly code: RequestProblemCode;
  readonly message: string;
  /** The request field the problem is in (`prompt`, `image.value`, `messages`…). */
  readonly field: string;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const problem = (code: RequestProblemCode, message: string, field: string): RequestProblem => ({
  ok: false,
  code,
  message,
  field,
});

export interface PromptedTask {
  readonly ok: true;
  readonly task: TaskToken;
  /** What is spliced into the task's prompt: sanitised text, or the four location tokens. */
  readonly taskInput: string;
}

const TOKEN_LIST = TASK_TOKENS.join(', ');
const LEADING_TOKEN = /^<[A-Z_]+>/;
const REGION_TOKENS = /^<loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)>$/;

/** Reads `<TASK>` followed by its input; `field` names where the prompt came from, for errors. */
export function parseTaskPrompt(prompt: unknown, field: string): PromptedTask | RequestProblem {
  if (typeof prompt !== 'string' || !prompt.trim()) {
    return problem('missing-task', `${field} must start with a Florence-2 task token, one of ${TOKEN_LIST}.`, field);
  }
  const trimmed = prompt.trim();
  const token = LEADING_TOKEN.exec(trimmed)?.[0];
  if (!token) {
    return problem(
      'missing-task',
      `${field} must start with a Florence-2 task token, one of ${TOKEN_LIST}; it starts with "${trimmed.slice(0, 40)}".`,
      field,
    );
  }
  const task = TASK_TOKENS.find((known) => known === token);
  if (!task) return problem('unknown-task', `${token} is not a Florence-2 task; use one of ${TOKEN_LIST}.`, field);
  return taskInputFromText(task, trimmed.slice(token.length), field);
}

/** A task's input given as text: its text, or its region as four location tokens. */
export function taskInputFromText(task: TaskToken, text: string, field: string): PromptedTask | RequestProblem {
  const spec = getTask(task);
  const rest = text.trim();
  switch (spec.input) {
    case 'none':
      return { ok: true, task, taskInput: '' };
    case 'text': {
      const taskInput =
        spec.answerType === 'description_with_bboxes_or_polygons' ? vocabularyInput(rest) : sanitizeUserText(rest);
      if (!taskInput) {
        return problem(
          'missing-text',
          `${task} needs text after the token: ${spec.textInput?.label ?? 'the text'}.`,
          field,
        );
      }
      return { ok: true, task, taskInput };
    }
    case 'region': {
      const match = REGION_TOKENS.exec(rest.replace(/\s+/g, ''));
      const bins = match ? match.slice(1, 5).map(Number) : [];
      if (!match || bins.some((bin) => bin >= LOCATION_BINS)) {
        return problem(
          'invalid-region',
          `${task} needs its region after the token as four location tokens <loc_x1><loc_y1><loc_x2><loc_y2>, each from <loc_0> to <loc_${LOCATION_BINS - 1}>.`,
          field,
        );
      }
      return { ok: true, task, taskInput: bins.map((bin) => `<loc_${bin}>`).join('') };
    }
  }
}
