import { describe, expect, it } from 'vitest';
import { imageBox } from '../geometry/coordinates';
import type { FlorenceAnswer } from './parse';
import { answerAtThreshold, formatScore, hiddenCount } from './score-threshold';

const answer: FlorenceAnswer = {
  task: '<OD>',
  answerType: 'description_with_bboxes',
  text: 'cat, dog',
  regions: [
    { kind: 'box', label: 'cat', box: imageBox(0, 0, 10, 10), score: 0.97 },
    { kind: 'box', label: 'dog', box: imageBox(10, 0, 20, 10), score: 0.35 },
  ],
};

describe('score threshold', () => {
  it('leaves out the regions under it, in order, and counts them', () => {
    expect(answerAtThreshold(answer, 0.5).regions.map((region) => region.label)).toEqual(['cat']);
    expect(answerAtThreshold(answer, 0.5).text).toBe('cat');
    expect(hiddenCount(answer.regions, 0.5)).toBe(1);
    expect(answerAtThreshold(answer, 0).regions).toHaveLength(2);
    expect(answerAtThreshold(answer, 0.98).regions).toEqual([]);
  });

  it('shows scores as whole percentages, rounded down', () => {
    expect(formatScore(0.8436)).toBe('84%');
    expect(formatScore(0.496)).toBe('49%');
    expect(formatScore(0.9999)).toBe('99%');
    expect(formatScore(0.29)).toBe('29%');
    expect(formatScore(1)).toBe('100%');
    expect(formatScore(0)).toBe('0%');
  });
});
