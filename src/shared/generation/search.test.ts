/**
 * Greedy and beam search against answers worked out by hand from Hugging Face's rules. The fake
 * decoder keeps a history per row the way a real one keeps its cache: each row continues the row the
 * search names as its source, so a wrong reorder gives a wrong history and a wrong answer.
 */
import { describe, expect, it } from 'vitest';
import { bannedByNgram, type DecoderStep, SearchCancelled, type SearchConfig, searchTokens } from './search';

// A six-token vocabulary: BART's specials and three words.
const BOS = 0;
const PAD = 1;
const EOS = 2;
const A = 3;
const B = 4;
const C = 5;
const VOCAB = 6;

/** Logits whose softmax is `listed`, the rest of the mass shared by the unlisted tokens. */
function logitsFor(listed: Readonly<Record<number, number>>): Float32Array {
  const listedMass = Object.values(listed).reduce((sum, p) => sum + p, 0);
  const others = VOCAB - Object.keys(listed).length;
  const rest = others > 0 ? (1 - listedMass) / others : 0;
  return Float32Array.from({ length: VOCAB }, (_, token) => Math.log(listed[token] ?? rest));
}

function fakeDecoder(distribution: (history: readonly number[]) => Readonly<Record<number, number>>) {
  let histories: number[][] = [];
  const rowsPerCall: number[] = [];
  const step: DecoderStep = async ({ tokens, sources }) => {
    histories = tokens.map((token, row) => [...(sources ? (histories[sources[row] ?? -1] ?? [NaN]) : []), token]);
    rowsPerCall.push(tokens.length);
    return histories.map((history) => logitsFor(distribution(history)));
  };
  return { step, rowsPerCall };
}

const CONFIG: SearchConfig = {
  numBeams: 3,
  maxNewTokens: 10,
  noRepeatNgramSize: 0,
  earlyStopping: true,
  lengthPenalty: 1,
  decoderStartTokenId: EOS,
  eosTokenId: EOS,
  forcedBosTokenId: BOS,
  forcedEosTokenId: EOS,
};

const key = (history: readonly number[]) => history.join(',');

/**
 * After <s>: A .5, B .4. After A the end is likelier (.4) than C or B (.3 each); after B the end is
 * .9. Anything longer ends with .9.
 */
const greedyTrap = (history: readonly number[]): Record<number, number> => {
  switch (key(history)) {
    case `${EOS}`:
      return {};
    case `${EOS},${BOS}`:
      return { [A]: 0.5, [B]: 0.4, [C]: 0.06, [PAD]: 0.02, [BOS]: 0.01, [EOS]: 0.01 };
    case `${EOS},${BOS},${A}`:
      return { [EOS]: 0.4, [C]: 0.3, [B]: 0.3 };
    case `${EOS},${BOS},${B}`:
      return { [EOS]: 0.9 };
    default:
      return { [EOS]: 0.9 };
  }
};

describe('greedy search', () => {
  it('takes the likeliest token each step', async () => {
    const { step, rowsPerCall } = fakeDecoder(greedyTrap);
    const answer = await searchTokens({ ...CONFIG, numBeams: 1 }, step);
    // <s> is forced; then A (.5 > .4); then the end (.4 > .3).
    expect(answer.tokens).toEqual([BOS, A, EOS]);
    expect(answer.forced).toEqual([true, false, false]);
    // The first step's logits are uniform: the forced <s> had probability 1/6 in the model's eyes.
    expect(answer.probabilities[0]).toBeCloseTo(1 / 6, 6);
    expect(answer.probabilities.slice(1)).toEqual([expect.closeTo(0.5, 6), expect.closeTo(0.4, 6)]);
    expect(rowsPerCall).toEqual([1, 1, 1]);
  });
});

describe('beam search (3 beams)', () => {
  it('finds the answer greedy misses', async () => {
    const { step, rowsPerCall } = fakeDecoder(greedyTrap);
    const steps: number[][] = [];
    const answer = await searchTokens(CONFIG, step, { onStep: (best) => steps.push([...best.tokens]) });
    // By hand (ln .5 = -0.693, ln .4 = -0.916, ln .9 = -0.105, ln .3 = -1.204, ln .06 = -2.813):
    // step 1 keeps A (-0.693), B (-0.916), C (-2.813).
    // step 2: B·end -1.021 (rank 0: finished, score -1.021 / 2 = -0.511), A·end -1.609 (rank 1:
    //   finished, -0.805), A·B and A·C -1.897 (running), then B's rest -4.828 (running: B·<s>).
    // step 3: A·B·end and A·C·end -2.002 (finished, -0.667 each; the fourth pushes out A·end),
    //   B·<s>·end -4.933 / 3 = -1.644 cannot enter. Three finished: stop early.
    // Best: <s> B </s> at -0.511.
    expect(answer.tokens).toEqual([BOS, B, EOS]);
    expect(answer.probabilities.slice(1)).toEqual([expect.closeTo(0.4, 6), expect.closeTo(0.9, 6)]);
    expect(answer.forced).toEqual([true, false, false]);
    // A row a beam from the start (the forced <s>), then three more steps.
    expect(rowsPerCall).toEqual([3, 3, 3, 3]);
    // The best running beam streams: <s>, then A (the best running after step 1), then A·B.
    expect(steps.slice(0, 3)).toEqual([[BOS], [BOS, A], [BOS, A, B]]);
  });

  it('weighs finished answers by length ** length_penalty', async () => {
    // <s> A </s>: ln .6 + ln .5 = -1.204 over 2 tokens (mean -0.602).
    // <s> B C </s>: ln .35 + ln .9 + ln .9 ≈ -1.261 over 3 tokens (mean -0.420).
    const distribution = (history: readonly number[]): Record<number, number> => {
      switch (key(history)) {
        case `${EOS},${BOS}`:
          return { [A]: 0.6, [B]: 0.35 };
        case `${EOS},${BOS},${A}`:
          return { [EOS]: 0.5, [C]: 0.25, [B]: 0.25 };
        case `${EOS},${BOS},${B}`:
          return { [C]: 0.9 };
        default:
          return { [EOS]: 0.9 };
      }
    };
    // Penalty 1 divides by the length: B C wins (-0.420 > -0.602).
    const normalised = await searchTokens(CONFIG, fakeDecoder(distribution).step);
    expect(normalised.tokens).toEqual([BOS, B, C, EOS]);
    // Penalty 0 compares plain sums: A wins (-1.204 > -1.261).
    const summed = await searchTokens({ ...CONFIG, lengthPenalty: 0 }, fakeDecoder(distribution).step);
    expect(summed.tokens).toEqual([BOS, A, EOS]);
  });

  it('with early stopping ends once three answers are finished; without, searches on', async () => {
    // After <s>: A .5, B .3, C .15. A, B and C each end at once with .5, or go on with D-less
    // continuations: after A the end is .5 and A again .45; after A·A the end is .999.
    // Step 2: A·end ln(.25) = -1.386 (rank 0: finished, -0.693), A·A ln(.225) = -1.492 (running),
    //   B·end ln(.15) = -1.897 (rank 2: finished, -0.949), C·end (rank 3: not finished), B's
    //   others -3.507 (running).
    // Step 3: A·A·end -1.493 (finished, -0.498), B·<s>·end -4.2 (finished, -1.4): three finished,
    //   early stopping stops; the best is <s> A A </s>. Without early stopping a running beam could
    //   still score above the worst finished one (-1.4), so the search goes on, to the same answer.
    const distribution = (history: readonly number[]): Record<number, number> => {
      switch (key(history)) {
        case `${EOS},${BOS}`:
          return { [A]: 0.5, [B]: 0.3, [C]: 0.15 };
        case `${EOS},${BOS},${A}`:
          return { [EOS]: 0.5, [A]: 0.45 };
        case `${EOS},${BOS},${A},${A}`:
          return { [EOS]: 0.999 };
        default:
          return { [EOS]: 0.5 };
      }
    };
    const { step, rowsPerCall } = fakeDecoder(distribution);
    const early = await searchTokens(CONFIG, step);
    expect(early.tokens).toEqual([BOS, A, A, EOS]);
    expect(rowsPerCall).toHaveLength(4);
    const patient = fakeDecoder(distribution);
    const late = await searchTokens({ ...CONFIG, earlyStopping: false }, patient.step);
    expect(late.tokens).toEqual([BOS, A, A, EOS]);
    expect(patient.rowsPerCall.length).toBeGreaterThan(4);
  });

  it('stops at max_new_tokens with a forced end token', async () => {
    // Every step prefers A: the answer fills the length and its last token is the forced end.
    const { step } = fakeDecoder(() => ({ [A]: 0.9 }));
    const answer = await searchTokens({ ...CONFIG, maxNewTokens: 4 }, step);
    expect(answer.tokens).toEqual([BOS, A, A, EOS]);
    expect(answer.forced).toEqual([true, false, false, true]);
  });

  it('never repeats a 3-gram (no_repeat_ngram_size 3)', async () => {
    // A is always likeliest (.6), then B (.3), the end .05. By hand with the trigram rule:
    // <s> A A A is allowed; after A A the trigram A A A exists, so A is banned: B. After A B: A.
    // After B A: A. After A A again: A (A A A) and B (A A B) are banned: the end.
    const { step } = fakeDecoder(() => ({ [A]: 0.6, [B]: 0.3, [EOS]: 0.05 }));
    const answer = await searchTokens({ ...CONFIG, numBeams: 1, noRepeatNgramSize: 3 }, step);
    expect(answer.tokens).toEqual([BOS, A, A, A, B, A, A, EOS]);
  });

  it('lists the tokens the n-gram rule bans', () => {
    expect([...bannedByNgram([EOS, BOS, A, A, A], 3)]).toEqual([A]);
    expect([...bannedByNgram([EOS, BOS, A, A, A, B, A, A], 3)].sort()).toEqual([A, B]);
    expect([...bannedByNgram([EOS, BOS], 3)]).toEqual([]);
  });

  it('stops within a step of cancellation, calling the decoder no more', async () => {
    const controller = new AbortController();
    let calls = 0;
    const step: DecoderStep = async ({ tokens }) => {
      calls++;
      if (calls === 2) controller.abort();
      return tokens.map(() => logitsFor({ [A]: 0.9 }));
    };
    await expect(searchTokens(CONFIG, step, { signal: controller.signal })).rejects.toBeInstanceOf(SearchCancelled);
    expect(calls).toBe(2);
  });
});
