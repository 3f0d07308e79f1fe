/**
 * Confidence scores from the probabilities the model gave its own tokens. A score is the geometric
 * mean of the probabilities of the tokens that make a thing, exp(mean of ln p): one doubtful token
 * pulls it down as it pulls down the probability of the whole sequence, and unlike a product it does
 * not shrink just because the thing has more tokens (a polygon of 500 locations against a box of 4).
 */

/** One generated token: where its decoded text sits in rawText, and the probability the model gave it. */
export interface TokenProbability {
  readonly start: number; // offset in rawText (UTF-16 code units), inclusive
  readonly end: number; // exclusive; end === start for a token that decodes to nothing
  readonly probability: number; // softmax probability of the chosen token, 0..1
  readonly forced: boolean; // the generation config forced it (the leading <s>, a forced </s>): not a choice, never scored
}

/** Characters [start, end) of the raw text. */
export interface CharRange {
  readonly start: number;
  readonly end: number;
}

/**
 * exp(mean of ln p). A probability of 0 gives 0. An empty list gives 1, the empty product: nothing
 * was chosen, so nothing is in doubt (callers decide whether that case needs another answer).
 */
export function geometricMean(probabilities: readonly number[]): number {
  if (probabilities.length === 0) return 1;
  let sum = 0;
  for (const probability of probabilities) sum += Math.log(probability);
  return Math.exp(sum / probabilities.length);
}

/** Whether a token's text and a range share at least one character (an empty token shares none). */
export function overlaps(token: CharRange, range: CharRange): boolean {
  return token.start < range.end && range.start < token.end && token.start < token.end && range.start < range.end;
}

/** Sorted, non-empty, non-touching ranges, so a token can be looked up by binary search. */
function mergeRanges(ranges: readonly CharRange[]): CharRange[] {
  const sorted = ranges.filter((range) => range.start < range.end).sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ start: range.start, end: range.end });
  }
  return merged;
}

/** The first merged range that ends after `offset`, or undefined. */
function firstEndingAfter(ranges: readonly CharRange[], offset: number): CharRange | undefined {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((ranges[middle]?.end ?? 0) <= offset) low = middle + 1;
    else high = middle;
  }
  return ranges[low];
}

/** The answer's score: every token the model chose (forced tokens are not choices). */
export function answerScore(tokens: readonly TokenProbability[]): number {
  return geometricMean(tokens.filter((token) => !token.forced).map((token) => token.probability));
}

/**
 * The score of a thing made of some characters of the raw text: the chosen tokens that overlap any
 * of them, each counted once however many of the ranges it touches. With no such token (the tokens
 * do not cover the thing), `fallback`, the answer's score.
 */
export function rangesScore(
  tokens: readonly TokenProbability[],
  ranges: readonly CharRange[],
  fallback: number,
): number {
  const merged = mergeRanges(ranges);
  const probabilities: number[] = [];
  for (const token of tokens) {
    if (token.forced) continue;
    const candidate = firstEndingAfter(merged, token.start);
    if (candidate && overlaps(token, candidate)) probabilities.push(token.probability);
  }
  return probabilities.length === 0 ? fallback : geometricMean(probabilities);
}
