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
 * A decoding rule of the scripted model: at `step`, after `previous`, the listed tokens get exactly
 * these probabilities. Step 0 is the first decoder step (its input is the decoder start token `</s>`,
 * its answer the forced `<s>`); step k reads the token chosen at step k - 1, `previous`. The rest of
 * the mass, 1 - sum(p), is shared equally by the unlisted tokens, `</s>` 60 logits below them unless
 * listed (a rule summing to 1 leaves them 1e-12 in all). Tokens are written as text (`'kite'`,
 * `' dog'`, `'<loc_100>'`, `'</s>'`) and must each be one token; the generator resolves them.
 *
 * Without a rule the scripted token gets logit 0, every other token -20 and `</s>` -60 (when it is not
 * the scripted token), so its probability is DEFAULT_TOKEN_PROBABILITY.
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
  /** The default path, between `<s>` and `</s>`: what greedy decoding answers. */
  readonly answer: string;
  /** What 3-beam search answers, when it differs from `answer` (checked for repeated 3-grams too). */
  readonly beamAnswer?: string;
  readonly rules: readonly ScriptRule[];
  /**
   * Probabilities for tokens on the default path, found by position in the answer's tokens (the
   * first match after the previous one), so the script need not count the tokenizer's pieces: each
   * becomes a rule at that token's step, keyed on the path's token before it.
   */
  readonly onPath?: readonly (readonly [token: string, probability: number])[];
}

/** The softmax probability of each generated token, `<s>` (forced, here its unprocessed softmax) to `</s>`. */
export type TokenProbabilities = readonly (readonly [token: string, probability: number])[];

/*
 * Hand computation of the default vote. V = 51289 tokens; the scripted token has logit 0, the
 * V - 2 = 51287 others -20, `</s>` -60:
 *   p = 1 / (1 + 51287·e^-20 + e^-60).
 *   e^-20 = 2.0611536224e-9, so 51287·e^-20 = 1.0571038583e-4 =: x (e^-60 = 8.8e-27 adds nothing).
 *   1 / (1 + x) = 1 - x + x^2 - ... = 1 - 0.00010571038583 + 0.00000001117469 = 0.9998943008.
 * When the scripted token is `</s>` itself, the other V - 1 = 51288 tokens sit at -20:
 *   x' = 51288·e^-20 = 1.0571244698e-4, 1 - x' + x'^2 = 0.9998942987 (2e-9 below, invisible in float32).
 * A rule whose probabilities sum to 1 gives p / (1 + 1e-12): 1 to twelve places.
 */
/** The probability the default vote gives its (scripted) token: 1 / (1 + 51287·e^-20 + e^-60). */
export const DEFAULT_TOKEN_PROBABILITY = 0.9998943008;
/** The default vote's probability when the scripted token is `</s>`: 1 / (1 + 51288·e^-20). */
export const DEFAULT_END_TOKEN_PROBABILITY = 0.9998942987;
/** What a rule listing one token at probability 1 gives it: 1 / (1 + 1e-12). */
export const CERTAIN_TOKEN_PROBABILITY = 1;

const P = DEFAULT_TOKEN_PROBABILITY;

/**
 * Greedy decoding and 3 beams disagree here. After `<s>` (step 1): `kite` .5, `bird` .45. After
 * `kite` (step 2) the box is unsure: `<loc_100>` .4, `<loc_101>` .35, `<loc_102>` .2; after `bird`
 * it is sure: `<loc_500>` .95, then `<loc_600>` `<loc_700>` `<loc_800>` `</s>` at 1 (steps 3 to 6).
 * The default path is greedy's, so after `kite <loc_101>` or `<loc_102>` it goes on `<loc_200>`...
 * (every word is one token here: kite, bird, then location tokens).
 *
 * Greedy: kite (.5 > .45), `<loc_100>` (.4), then the default: kite<loc_100><loc_200><loc_300><loc_400>.
 *
 * 3 beams, by hand (sums of ln p; `<s>` is forced, 0):
 *   step 1, from `<s>` alone: kite ln .5 = -0.6931, bird ln .45 = -0.7985, and a third beam on an
 *     unlisted token, ln(.05 / 51286) = -13.8409.
 *   step 2: bird·500 = -0.7985 + ln .95 (-0.0513) = -0.8498; kite·100 = ln(.5·.4) = ln .2 = -1.6094;
 *     kite·101 = ln .175 = -1.7430; kite·102 = ln .1 = -2.3026; the third beam's scripted `<loc_100>`
 *     -13.8410; unlisted continuations of kite or bird -14.5 or lower; `</s>` 60 below those (40
 *     on the default vote). So the beams hold bird·500, kite·100, kite·101 and no end token ranks among the best 6.
 *   steps 3 to 5: bird goes on at 1 (600, 700, 800), both kite beams on the default (200, 300, 400)
 *     at 0.999894 each; every alternative is at least 20 (ln) lower.
 *   step 6: all three vote `</s>` (bird's rule at 1, the kites' default): three hypotheses of the
 *     same length finish together, ranked by their sums: bird -0.8498, kite·100 -1.6099, kite·101
 *     -1.7434. Best: bird<loc_500><loc_600><loc_700><loc_800>.
 *
 * Region scores (geometric mean of the region's token probabilities: its label token and 4 locations):
 *   greedy: (.5 · .4 · P^3)^(1/5) = .2^.2 · P^.6; .2^.2 = e^(ln .2 / 5) = e^-0.32188758 = 0.72477966;
 *     P^.6 = e^(0.6 · ln P) = e^(0.6 · -1.0570480e-4) = e^-6.342288e-5 = 0.99993658;
 *     0.72477966 · 0.99993658 = 0.72477966 - 0.00004597 = 0.7247337.
 *   beams: (.45 · .95 · 1 · 1 · 1)^(1/5) = .4275^.2 = e^(-0.84980099 / 5) = e^-0.16996020
 *     = e^-0.17 · e^0.0000398 = 0.84366482 · 1.0000398 = 0.8436984.
 */
export const BEAM_SCRIPT = {
  task: '<OPEN_VOCABULARY_DETECTION>',
  input: 'kite<and>bird',
  typed: 'kite, bird',
  answer: 'kite<loc_100><loc_200><loc_300><loc_400>',
  beamAnswer: 'bird<loc_500><loc_600><loc_700><loc_800>',
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
  greedyScore: 0.7247337,
  greedyProbabilities: [
    ['<s>', P],
    ['kite', 0.5],
    ['<loc_100>', 0.4],
    ['<loc_200>', P],
    ['<loc_300>', P],
    ['<loc_400>', P],
    ['</s>', DEFAULT_END_TOKEN_PROBABILITY],
  ],
  beamLabel: 'bird',
  beamScore: 0.8436984,
  beamProbabilities: [
    ['<s>', P],
    ['bird', 0.45],
    ['<loc_500>', 0.95],
    ['<loc_600>', CERTAIN_TOKEN_PROBABILITY],
    ['<loc_700>', CERTAIN_TOKEN_PROBABILITY],
    ['<loc_800>', CERTAIN_TOKEN_PROBABILITY],
    ['</s>', CERTAIN_TOKEN_PROBABILITY],
  ],
} as const satisfies ProbabilityScript & Record<string, unknown>;

/**
 * Two phrases, one sure and one not. This tokenizer makes of the answer: `<s>`, `a` ` ` `ca` `t` (its
 * merges split " cat"), `<loc_100>` `<loc_110>` `<loc_400>` `<loc_410>`, `a` ` dog`, `<loc_500>`
 * `<loc_510>` `<loc_900>` `<loc_910>`, `</s>`: steps 0 to 15. Every token is at its default P =
 * 0.9998943 except ` dog` (.25, step 10) and the dog's four locations (.4 each, steps 11 to 14); the
 * `a` before ` dog` is at its default. The labels `a cat` and `a dog` are not banned grounding phrases.
 *
 * Greedy and 3 beams agree. Greedy: each listed token beats the unlisted ones (.25 against
 * .75 / 51287 each; .4 against .6 / 51287). Beams: the spare beams leave the path at some step with
 * an unlisted token (ln(.75 / 51287) = -11.133 at ` dog`, about -20 at a default step) and then
 * follow the path again (the next step has no rule for that token, so the default vote puts them back
 * on `<loc_500>`; from there the location rules apply to them too): the best spare beam ends near
 * -11.133 + 3 ln .4 = -13.88, the path at ln .25 + 4 ln .4 = -5.051 (plus 10 default steps,
 * -0.001). `</s>` sits at -60 (40 below the unlisted tokens; under a rule 60 below them) at every
 * step but 15, so every hypothesis ends there, at the same length, and the best is the path.
 *
 * Region scores (geometric mean over the label's tokens and the 4 locations):
 *   a cat: 8 tokens, all P: P = 0.9998943.
 *   a dog: `a` P, ` dog` .25, four .4: (P · .25 · .4^4)^(1/6) = (P · .0064)^(1/6);
 *     ln .0064 = ln 64 - ln 10^4 = 4.1588831 - 9.2103404 = -5.0514573, / 6 = -0.8419096,
 *     e^ = 0.4308870; ln P = -(x - x^2/2) = -1.0570480e-4, / 6 = -1.7617466e-5, e^ = 0.99998238;
 *     0.4308870 · 0.99998238 ≈ 0.4308794; carried to more digits (e^-0.84190955 = 0.43088694), 0.4308793 (43%, well under a 0.5 threshold).
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
  greedyAnswer: 'a cat<loc_100><loc_110><loc_400><loc_410>a dog<loc_500><loc_510><loc_900><loc_910>',
  beamAnswer: 'a cat<loc_100><loc_110><loc_400><loc_410>a dog<loc_500><loc_510><loc_900><loc_910>',
  probabilities: [
    ['<s>', P],
    ['a', P],
    [' ', P],
    ['ca', P],
    ['t', P],
    ['<loc_100>', P],
    ['<loc_110>', P],
    ['<loc_400>', P],
    ['<loc_410>', P],
    ['a', P],
    [' dog', 0.25],
    ['<loc_500>', 0.4],
    ['<loc_510>', 0.4],
    ['<loc_900>', 0.4],
    ['<loc_910>', 0.4],
    ['</s>', DEFAULT_END_TOKEN_PROBABILITY],
  ],
  regions: [
    { label: 'a cat', score: 0.9998943 },
    { label: 'a dog', score: 0.4308793 },
  ],
} as const satisfies ProbabilityScript & Record<string, unknown>;

export const PROBABILITY_SCRIPTS: readonly ProbabilityScript[] = [BEAM_SCRIPT, CONFIDENCE_SCRIPT];
