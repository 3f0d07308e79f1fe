/**
 * What the generated test model answers, read from the same table the generator uses, and the
 * shapes those answers must be drawn as.
 */

import { dequantizeBin } from '../../src/shared/florence/parse';
import { getTask, type TaskToken } from '../../src/shared/florence/tasks';
import type { ImageSize } from '../../src/shared/geometry/bins';
import { SCRIPTED_ANSWERS } from './test-model/answers';

export const TEST_MODEL_URL = '/test-models/florence2-tiny';

export function scriptedAnswer(task: TaskToken, input?: string): string {
  const row = SCRIPTED_ANSWERS.find((entry) => entry.task === task && entry.input === input);
  if (!row) throw new Error(`The test model has no script for ${task} ${input ?? ''}`);
  return row.answer;
}

export type ExpectedShape =
  | { readonly kind: 'rect'; readonly label: string; readonly box: readonly number[] }
  | { readonly kind: 'path'; readonly label: string; readonly rings: readonly (readonly number[])[] };

const bins = (text: string) => Array.from(text.matchAll(/<loc_(\d+)>/g), (match) => Number(match[1]));

function toPixels(values: readonly number[], image: ImageSize): number[] {
  return values.map((bin, index) => dequantizeBin(bin, index % 2 === 0 ? image.width : image.height));
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i + size <= values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/**
 * The regions a well-formed scripted answer describes, in image pixels, worked out straight from its
 * tokens: a label, then runs of locations in fours (boxes), eights (text quads) or whole rings
 * (polygons, parts split by <sep>, objects wrapped in <poly>).
 */
export function expectedShapes(task: TaskToken, input: string | undefined, image: ImageSize): ExpectedShape[] {
  const answer = scriptedAnswer(task, input);
  const { answerType } = getTask(task);
  if (answerType === 'pure_text') return [];
  if (answerType === 'polygons') {
    return [{ kind: 'path', label: '', rings: answer.split('<sep>').map((ring) => toPixels(bins(ring), image)) }];
  }
  const shapes: ExpectedShape[] = [];
  for (const match of answer.matchAll(/([^<]*)((?:<loc_\d+>|<\/?poly>)+)/g)) {
    const label = (match[1] ?? '').trim();
    const tokens = match[2] ?? '';
    if (tokens.includes('<poly>')) {
      for (const group of tokens.match(/<poly>.*?<\/poly>/g) ?? []) {
        shapes.push({ kind: 'path', label, rings: [toPixels(bins(group), image)] });
      }
    } else if (answerType === 'ocr') {
      for (const quad of chunks(bins(tokens), 8)) shapes.push({ kind: 'path', label, rings: [toPixels(quad, image)] });
    } else {
      for (const box of chunks(bins(tokens), 4)) shapes.push({ kind: 'rect', label, box: toPixels(box, image) });
    }
  }
  return shapes;
}
