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

/**
 * A decoding rule of the scripted model: at `step` (0 is the step whose input is the decoder start
 * token and whose answer is `<s>`), after `previous`, the listed tokens get exactly these
 * probabilities; the rest of the mass is shared by the other tokens, `</s>` 60 below them unless
 * listed. Without a rule, the scripted token gets logit 0, every other -20 and `</s>` -60.
 */
export interface ScriptRule {
  readonly step: number;
  readonly previous: string;
  readonly probabilities: readonly (readonly [token: string, probability: number])[];
}

/** A scripted prompt whose token probabilities are spelled out, so beams and scores can be checked by hand. */
export interface ProbabilityScript {
  readonly task: TaskToken;
  /** Spliced into the prompt. */
  readonly input: string;
  /** What the person types for it. */
  readonly typed: string;
  /** The default (greedy) path, between `<s>` and `</s>`. */
  readonly answer: string;
  readonly rules: readonly ScriptRule[];
  /**
   * Probabilities for tokens on the default path, found by position in the answer's tokens (the
   * first match after the previous one), so the script need not count the tokenizer's pieces.
   */
  readonly onPath?: readonly (readonly [token: string, probability: number])[];
}

/**
 * The probability the default rule gives its token: logit 0 against 51287 tokens at -20 and `</s>` at
 * -60, 1 / (1 + 51287·e⁻²⁰ + e⁻⁶⁰) = 0.999894.
 */
export const DEFAULT_TOKEN_PROBABILITY = 1 / (1 + 51287 * Math.exp(-20) + Math.exp(-60));

/**
 * Greedy decoding and 3 beams disagree here. After `<s>`: `kite` .5, `bird` .45. After `kite` the box
 * is unsure (`<loc_100>` .4, `<loc_101>` .35, `<loc_102>` .2); after `bird` it is sure (`<loc_500>`
 * .95, then `<loc_600>` `<loc_700>` `<loc_800>` `</s>` at 1).
 * Greedy takes kite (.5 > .45), then `<loc_100>`: kite<loc_100><loc_200><loc_300><loc_400>.
 * 3 beams, by hand: after step 2 the beams hold bird·500 ln(.45·.95) = −0.850, kite·100 ln(.2) =
 * −1.609, kite·101 ln(.175) = −1.743; each goes on at p ≈ 1 and all three end at step 6, so three
 * hypotheses of length 6 finish together and the best is bird: bird<loc_500><loc_600><loc_700><loc_800>.
 * Scores (geometric mean over the region's 5 tokens): greedy (.5·.4·0.999894³)^(1/5) = 0.2^0.2 ·
 * 0.999894^0.6 = 0.72478 · 0.99994 = 0.7247; beams (.45·.95·1·1·1)^(1/5) = 0.4275^0.2 = e^(−0.84981 / 5) = 0.8437.
 */
export const BEAM_SCRIPT = {
  task: '<OPEN_VOCABULARY_DETECTION>',
  input: 'kite<and>bird',
  typed: 'kite, bird',
  answer: 'kite<loc_100><loc_200><loc_300><loc_400>',
  rules: [
    {
      step: 1,
      previous: '<s>',
      probabilities: [
        ['kite', 0.5],
        ['bird', 0.45],
      ],
    },
    {
      step: 2,
      previous: 'kite',
      probabilities: [
        ['<loc_100>', 0.4],
        ['<loc_101>', 0.35],
        ['<loc_102>', 0.2],
      ],
    },
    { step: 2, previous: 'bird', probabilities: [['<loc_500>', 0.95]] },
    { step: 3, previous: '<loc_500>', probabilities: [['<loc_600>', 1]] },
    { step: 4, previous: '<loc_600>', probabilities: [['<loc_700>', 1]] },
    { step: 5, previous: '<loc_700>', probabilities: [['<loc_800>', 1]] },
    { step: 6, previous: '<loc_800>', probabilities: [['</s>', 1]] },
  ],
  greedyAnswer: 'kite<loc_100><loc_200><loc_300><loc_400>',
  greedyLabel: 'kite',
  greedyScore: 0.7247,
  beamAnswer: 'bird<loc_500><loc_600><loc_700><loc_800>',
  beamLabel: 'bird',
  beamScore: 0.8437,
} as const satisfies ProbabilityScript & Record<string, unknown>;

/**
 * Two phrases, one sure and one not. Tokens: `<s>`, `a cat` (in this tokenizer `a` ` ` `ca` `t`), 4
 * locations, `a` ` dog`, 4 locations, `</s>`. Every token is at its default (0.999894) except ` dog` (.25) and the dog's four
 * locations (.4 each). Greedy and 3 beams agree: every alternative is ~1e-5 or less, so the beams
 * that take one stay far behind and all end at the same step.
 * Scores: a cat = 0.999894 (100%); a dog = (0.999894 · .25 · .4⁴)^(1/6) = 0.0064^(1/6) · 0.999894^(1/6)
 * = e^(ln 0.0064 / 6) = e^(−5.0515 / 6) = e^−0.84192 = 0.43088 · 0.99998 = 0.4309 (43%).
 */
export const CONFIDENCE_SCRIPT = {
  task: '<CAPTION_TO_PHRASE_GROUNDING>',
  input: 'a cat and a dog',
  typed: 'a cat and a dog',
  answer: 'a cat<loc_100><loc_110><loc_400><loc_410>a dog<loc_500><loc_510><loc_900><loc_910>',
  rules: [],
  onPath: [
    [' dog', 0.25],
    ['<loc_500>', 0.4],
    ['<loc_510>', 0.4],
    ['<loc_900>', 0.4],
    ['<loc_910>', 0.4],
  ],
  regions: [
    { label: 'a cat', score: 0.9999 },
    { label: 'a dog', score: 0.4309 },
  ],
} as const satisfies ProbabilityScript & Record<string, unknown>;

export const PROBABILITY_SCRIPTS: readonly ProbabilityScript[] = [BEAM_SCRIPT, CONFIDENCE_SCRIPT];
