import { describe, expect, it } from 'vitest';
import { formatBytes, summarizeDownloads } from './download-progress';

describe('download progress', () => {
  it('sums files into one fraction', () => {
    const summary = summarizeDownloads([
      { file: 'a', loaded: 50, total: 100, done: false },
      { file: 'b', loaded: 300, total: 300, done: true },
    ]);
    expect(summary).toEqual({ loaded: 350, total: 400, fraction: 0.875, filesDone: 1, fileCount: 2 });
  });

  it('has no fraction while a file of unknown size is still downloading', () => {
    expect(summarizeDownloads([{ file: 'a', loaded: 50, total: 0, done: false }]).fraction).toBeNull();
    expect(summarizeDownloads([]).fraction).toBeNull();
  });

  it('formats sizes in decimal units', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(81_200_000)).toBe('81.2 MB');
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
  });
});
