/**
 * The confidence threshold a person sets: regions scored below it are hidden from the overlay, the
 * list and what is copied. A region without a score (an answer parsed from bare text) always shows.
 */
import { type FlorenceAnswer, type Region, regionsText } from './parse';

export function isShownAt(region: Region, minScore: number): boolean {
  return region.score === undefined || region.score >= minScore;
}

/** The answer as shown at this threshold: the hidden regions left out, the rest in order, its text from them. */
export function answerAtThreshold(answer: FlorenceAnswer, minScore: number): FlorenceAnswer {
  if (answer.regions.every((region) => isShownAt(region, minScore))) return answer;
  const regions = answer.regions.filter((region) => isShownAt(region, minScore));
  return { ...answer, regions, text: regionsText(regions, answer.answerType) };
}

/** How many regions the threshold hides. */
export function hiddenCount(regions: readonly Region[], minScore: number): number {
  return regions.filter((region) => !isShownAt(region, minScore)).length;
}

/**
 * A score as people read it: a whole percentage, rounded down, so a region shown at 49% is one the
 * threshold at 50% hides (0.496 would read 50% rounded to nearest).
 */
export const formatScore = (score: number): string => `${Math.floor(score * 100 + 1e-9)}%`;
