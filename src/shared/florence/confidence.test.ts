import { describe, expect, it } from 'vitest';
import { answerScore, geometricMean, overlaps, rangesScore, type TokenProbability } from './confidence';

const token = (start: number, end: number, probability: number, forced = false): TokenProbability => ({
  start,
  end,
  probability,
  forced,
});

describe('geometricMean', () => {
  it('is exp(mean of ln p)', () => {
    // (0.5 * 0.8^4)^(1/5) = 0.2048^(1/5) = 2^(11/5) / 10^(4/5) = 4.59479 / 6.30957 = 0.728226
    expect(geometricMean([0.5, 0.8, 0.8, 0.8, 0.8])).toBeCloseTo(0.7282256812, 9);
    // (0.25 * 0.5 * 1)^(1/3) = 0.125^(1/3) = 0.5
    expect(geometricMean([0.25, 0.5, 1])).toBeCloseTo(0.5, 12);
  });

  it('is 0 when a probability is 0, and 1 (the empty product) for no probabilities', () => {
    expect(geometricMean([0.9, 0])).toBe(0);
    expect(geometricMean([])).toBe(1);
  });
});

describe('overlaps', () => {
  it('needs at least one shared character', () => {
    expect(overlaps({ start: 0, end: 3 }, { start: 2, end: 5 })).toBe(true);
    expect(overlaps({ start: 0, end: 3 }, { start: 3, end: 5 })).toBe(false); // touching only
    expect(overlaps({ start: 3, end: 5 }, { start: 0, end: 3 })).toBe(false);
    expect(overlaps({ start: 1, end: 2 }, { start: 0, end: 9 })).toBe(true); // inside
  });

  it('never holds for an empty token or an empty range', () => {
    expect(overlaps({ start: 2, end: 2 }, { start: 0, end: 5 })).toBe(false);
    expect(overlaps({ start: 0, end: 5 }, { start: 2, end: 2 })).toBe(false);
  });
});

describe('answerScore', () => {
  it('takes every chosen token, empty ones too, and no forced one', () => {
    // <s> forced; 0.9, 0.4 and an empty token of 0.25 chosen: (0.9 * 0.4 * 0.25)^(1/3) = 0.09^(1/3) = 0.448140
    const tokens = [token(0, 3, 1, true), token(3, 4, 0.9), token(4, 8, 0.4), token(8, 8, 0.25)];
    expect(answerScore(tokens)).toBeCloseTo(0.4481404747, 9);
  });

  it('is 1 when every token was forced', () => {
    expect(answerScore([token(0, 3, 0.1, true), token(3, 7, 0.2, true)])).toBe(1);
  });
});

describe('rangesScore', () => {
  const tokens = [token(0, 3, 1, true), token(3, 5, 0.5), token(5, 6, 0.5), token(6, 13, 0.8), token(13, 17, 0.1)];

  it('takes the chosen tokens that overlap any range, each once', () => {
    // Ranges [4, 6) and [5, 13): tokens 0.5, 0.5 and 0.8 (the second 0.5 touches both, counted once).
    // (0.5 * 0.5 * 0.8)^(1/3) = 0.2^(1/3) = 0.584804
    expect(
      rangesScore(
        tokens,
        [
          { start: 5, end: 13 },
          { start: 4, end: 6 },
        ],
        0.42,
      ),
    ).toBeCloseTo(0.5848035476, 9);
  });

  it('never takes a forced token', () => {
    // The forced <s> overlaps [0, 4); only 0.5 is left.
    expect(rangesScore(tokens, [{ start: 0, end: 4 }], 0.42)).toBe(0.5);
  });

  it('falls back when no chosen token overlaps', () => {
    expect(rangesScore(tokens, [{ start: 20, end: 25 }], 0.42)).toBe(0.42);
    expect(rangesScore(tokens, [], 0.42)).toBe(0.42);
    expect(rangesScore([token(4, 4, 0.3)], [{ start: 0, end: 9 }], 0.42)).toBe(0.42);
  });

  it('does not depend on the order of the tokens', () => {
    const reversed = [...tokens].reverse();
    // 0.8 and 0.1: (0.8 * 0.1)^(1/2) = 0.08^(1/2) = 0.282843
    expect(rangesScore(reversed, [{ start: 6, end: 17 }], 0)).toBeCloseTo(0.2828427125, 9);
  });
});
