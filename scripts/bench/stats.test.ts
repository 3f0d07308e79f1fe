import { describe, expect, it } from 'vitest';
import { formatMs, formatRatio, median, ratio, renderTable } from './stats';

describe('benchmark statistics', () => {
  it('takes medians of odd and even samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('gives ratios only when both sides were measured', () => {
    expect(ratio(50, 100)).toBe(0.5);
    expect(ratio(50, 0)).toBeNull();
    expect(ratio(Number.NaN, 10)).toBeNull();
    expect(formatRatio(0.456)).toBe('0.46x');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(5.5)).toBe('5.50 ms');
  });

  it('aligns table columns', () => {
    expect(renderTable(['stage', 'ms'], [['vision', '12']])).toBe('| stage  | ms |\n| ------ | -- |\n| vision | 12 |');
  });
});
