/**
 * What the scripted test model answers, per prompt. Tests read the same table to know what to expect.
 * Add a row to script another prompt (with its `input` for tasks that take text or a region).
 */
import type { TaskToken } from '../../../src/shared/florence/tasks';

export interface ScriptedAnswer {
  readonly task: TaskToken;
  /** Exactly the text spliced into the task prompt, for tasks that take an input. */
  readonly input?: string;
  /** Exactly the text the model generates between `<s>` and `</s>`. */
  readonly answer: string;
}

export const SCRIPTED_CAPTION = 'A green car parked in front of a yellow building.';
export const SCRIPTED_DETAILED_CAPTION =
  'The image shows a green car parked on a quiet street in front of a yellow building with two windows.';
/** The region the region tasks are scripted for, as location tokens (x1, y1, x2, y2 bins). */
export const SCRIPTED_REGION = '<loc_100><loc_300><loc_900><loc_800>';

export const SCRIPTED_ANSWERS: readonly ScriptedAnswer[] = [
  { task: '<CAPTION>', answer: SCRIPTED_CAPTION },
  { task: '<DETAILED_CAPTION>', answer: SCRIPTED_DETAILED_CAPTION },
  {
    task: '<MORE_DETAILED_CAPTION>',
    answer:
      'The image shows a small green car parked on a quiet street. Behind the car there is a yellow building with two large windows and a wooden door. The sky above is clear and blue.',
  },
  { task: '<OCR>', answer: 'HELLO WORLD 2026' },
  {
    task: '<OCR_WITH_REGION>',
    answer:
      'HELLO<loc_120><loc_80><loc_460><loc_95><loc_455><loc_190><loc_115><loc_175>WORLD 2026<loc_540><loc_620><loc_900><loc_600><loc_905><loc_700><loc_545><loc_720>',
  },
  {
    task: '<OD>',
    answer:
      'car<loc_52><loc_333><loc_932><loc_774>wheel<loc_158><loc_558><loc_336><loc_775>wheel<loc_695><loc_561><loc_868><loc_774>',
  },
  {
    task: '<DENSE_REGION_CAPTION>',
    answer:
      'green car<loc_52><loc_333><loc_932><loc_774>yellow building<loc_0><loc_0><loc_999><loc_420>black wheel<loc_158><loc_558><loc_336><loc_775>',
  },
  {
    task: '<REGION_PROPOSAL>',
    answer:
      '<loc_52><loc_333><loc_932><loc_774><loc_158><loc_558><loc_336><loc_775><loc_695><loc_561><loc_868><loc_774>',
  },
  {
    task: '<CAPTION_TO_PHRASE_GROUNDING>',
    input: SCRIPTED_CAPTION,
    answer:
      'A green car<loc_52><loc_333><loc_932><loc_774>a yellow building<loc_0><loc_0><loc_999><loc_420><loc_10><loc_5><loc_300><loc_400>',
  },
  {
    task: '<CAPTION_TO_PHRASE_GROUNDING>',
    input: SCRIPTED_DETAILED_CAPTION,
    answer:
      'a green car<loc_52><loc_333><loc_932><loc_774>a quiet street<loc_0><loc_700><loc_999><loc_999>a yellow building<loc_0><loc_0><loc_999><loc_420>two windows<loc_100><loc_80><loc_300><loc_250><loc_600><loc_80><loc_800><loc_250>',
  },
  {
    // An outer outline and, after <sep>, a window cut out of it: one object with a hole.
    task: '<REFERRING_EXPRESSION_SEGMENTATION>',
    input: 'the green car',
    answer:
      '<loc_60><loc_400><loc_300><loc_340><loc_700><loc_340><loc_930><loc_450><loc_930><loc_770><loc_60><loc_770><sep><loc_350><loc_420><loc_650><loc_420><loc_650><loc_520><loc_350><loc_520>',
  },
  {
    task: '<REGION_TO_SEGMENTATION>',
    input: SCRIPTED_REGION,
    answer: '<loc_110><loc_310><loc_890><loc_320><loc_880><loc_790><loc_120><loc_780>',
  },
  {
    task: '<OPEN_VOCABULARY_DETECTION>',
    input: 'car<and>wheel',
    answer:
      'car<loc_52><loc_333><loc_932><loc_774>wheel<loc_158><loc_558><loc_336><loc_775><loc_695><loc_561><loc_868><loc_774>',
  },
  {
    task: '<OPEN_VOCABULARY_DETECTION>',
    input: 'yellow building',
    answer: 'yellow building<poly><loc_0><loc_0><loc_999><loc_0><loc_999><loc_420><loc_0><loc_420></poly>',
  },
  { task: '<REGION_TO_CATEGORY>', input: SCRIPTED_REGION, answer: `car${SCRIPTED_REGION}` },
  {
    task: '<REGION_TO_DESCRIPTION>',
    input: SCRIPTED_REGION,
    answer: `a green car with black wheels${SCRIPTED_REGION}`,
  },
  { task: '<REGION_TO_OCR>', input: SCRIPTED_REGION, answer: 'HELLO' },
];

/** What the model says to a prompt it has no script for. */
export const UNSCRIPTED_ANSWER = 'unscripted prompt';
