/**
 * What the generated test model answers, read from the same table the generator uses.
 */
import { SCRIPTED_ANSWERS } from '../../scripts/test-model/answers';
import type { TaskToken } from '../../src/core/florence/tasks';

export const TEST_MODEL_URL = '/test-models/florence2-tiny';

export function scriptedAnswer(task: TaskToken, input?: string): string {
  const row = SCRIPTED_ANSWERS.find((entry) => entry.task === task && entry.input === input);
  if (!row) throw new Error(`The test model has no script for ${task}`);
  return row.answer;
}

/** Scripted boxes as label + bins, read straight from the raw answer text. */
export function scriptedBoxes(task: TaskToken): { label: string; bins: [number, number, number, number] }[] {
  const boxes: { label: string; bins: [number, number, number, number] }[] = [];
  for (const match of scriptedAnswer(task).matchAll(/([^<]+)<loc_(\d+)><loc_(\d+)><loc_(\d+)><loc_(\d+)>/g)) {
    boxes.push({
      label: (match[1] ?? '').trim(),
      bins: [Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5])],
    });
  }
  return boxes;
}
