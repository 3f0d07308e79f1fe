import { describe, expect, it } from 'vitest';
import { rangeResponse, requestedRange } from './byte-range';

describe('byte ranges', () => {
  it('answers a size probe, an open range and no range', () => {
    expect(requestedRange('bytes=0-0', 100)).toEqual({ start: 0, end: 0, partial: true });
    expect(requestedRange('bytes=90-', 100)).toEqual({ start: 90, end: 99, partial: true });
    expect(requestedRange('bytes=0-500', 100)).toEqual({ start: 0, end: 99, partial: true });
    expect(requestedRange(undefined, 100)).toEqual({ start: 0, end: 99, partial: false });
    expect(rangeResponse({ start: 0, end: 0, partial: true }, 100)).toEqual({
      status: 206,
      headers: { 'Accept-Ranges': 'bytes', 'Content-Length': '1', 'Content-Range': 'bytes 0-0/100' },
    });
    expect(rangeResponse({ start: 0, end: 99, partial: false }, 100).status).toBe(200);
  });

  it('refuses a range that starts past the end', () => {
    expect(requestedRange('bytes=100-', 100)).toBeNull();
  });
});
