import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, secondsLeft, summarizeDownloads } from './download-progress';

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

describe('time left', () => {
  it('divides what is left by the average rate so far', () => {
    // 10 MB in 2 s -> 5 MB/s; 40 MB left -> 8 s
    expect(secondsLeft({ atMs: 0, loaded: 0 }, { atMs: 2000, loaded: 10e6 }, 50e6)).toBe(8);
  });

  it('waits for a measurable rate', () => {
    expect(secondsLeft({ atMs: 0, loaded: 0 }, { atMs: 100, loaded: 1e6 }, 50e6)).toBeNull();
    expect(secondsLeft({ atMs: 0, loaded: 5 }, { atMs: 3000, loaded: 5 }, 50e6)).toBeNull();
  });

  it('reads as minutes and seconds', () => {
    expect(formatDuration(8.2)).toBe('9 s');
    expect(formatDuration(135)).toBe('2 min 15 s');
    expect(formatDuration(7260)).toBe('2 h 1 min');
  });
});
