/**
 * Turns what a person typed or drew into the text spliced into a task prompt.
 */
import type { ImageSize } from '../geometry/bins';
import { boxToLocationTokens } from '../geometry/bins';
import type { ImageBox } from '../geometry/coordinates';
import { clampBoxToImage } from '../geometry/shapes';
import type { TaskSpec } from './tasks';

export type TaskInput = { readonly ok: true; readonly input: string } | { readonly ok: false; readonly reason: string };

/** Separates several classes for open-vocabulary detection, as Florence-2 was trained. */
export const VOCABULARY_SEPARATOR = '<and>';

/**
 * User text cannot contain markup: a typed `<OD>` or `<loc_5>` would otherwise become a special
 * token and change the task or inject locations.
 */
export function sanitizeUserText(text: string): string {
  return text.replace(/[<>]/g, ' ').replace(/\s+/g, ' ').trim();
}

export function vocabularyInput(text: string): string {
  return text.split(',').map(sanitizeUserText).filter(Boolean).join(VOCABULARY_SEPARATOR);
}

export interface TaskInputSources {
  readonly text: string;
  /** A region in image pixels, corners in any order. */
  readonly region: ImageBox | null;
  readonly imageSize: ImageSize | null;
}

export function taskInputFor(spec: TaskSpec, sources: TaskInputSources): TaskInput {
  switch (spec.input) {
    case 'none':
      return { ok: true, input: '' };
    case 'text': {
      const input =
        spec.answerType === 'description_with_bboxes_or_polygons'
          ? vocabularyInput(sources.text)
          : sanitizeUserText(sources.text);
      return input ? { ok: true, input } : { ok: false, reason: `${spec.label} needs some text to look for.` };
    }
    case 'region': {
      const region = sources.region && sources.imageSize ? clampBoxToImage(sources.region, sources.imageSize) : null;
      if (!region || !sources.imageSize) {
        return { ok: false, reason: `${spec.label} needs a region: drag a rectangle on the image.` };
      }
      return { ok: true, input: boxToLocationTokens(region, sources.imageSize) };
    }
  }
}
