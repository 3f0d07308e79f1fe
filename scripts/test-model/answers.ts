/**
 * What the scripted test model answers, per prompt. Tests read the same table to know what to expect.
 * Add a row to script another task (with its `input` for tasks that take text or a region).
 */
import type { TaskToken } from '../../src/core/florence/tasks';

export interface ScriptedAnswer {
  readonly task: TaskToken;
  /** The text spliced into the task prompt, for tasks that take an input. */
  readonly input?: string;
  /** Exactly the text the model generates between `<s>` and `</s>`. */
  readonly answer: string;
}

export const SCRIPTED_ANSWERS: readonly ScriptedAnswer[] = [
  { task: '<CAPTION>', answer: 'A green car parked in front of a yellow building.' },
  {
    task: '<OD>',
    answer:
      'car<loc_52><loc_333><loc_932><loc_774>wheel<loc_158><loc_558><loc_336><loc_775>wheel<loc_695><loc_561><loc_868><loc_774>',
  },
];

/** What the model says to a prompt it has no script for. */
export const UNSCRIPTED_ANSWER = 'unscripted prompt';
