import { describe, expect, it } from 'vitest';
import { binToPixel, boxToLocationTokens, pixelToBin } from './bins';
import { imageBox } from './coordinates';

describe('location bins', () => {
  it('maps a bin to the centre of its slice of the image', () => {
    expect(binToPixel(0, 1000)).toBe(0.5);
    expect(binToPixel(999, 1000)).toBe(999.5);
    expect(binToPixel(500, 640)).toBeCloseTo(320.32, 10);
  });

  it('quantizes pixels with floor and clamps to 0..999 like the reference', () => {
    expect(pixelToBin(0, 640)).toBe(0);
    expect(pixelToBin(0.63, 640)).toBe(0);
    expect(pixelToBin(0.64, 640)).toBe(1);
    expect(pixelToBin(640, 640)).toBe(999);
    expect(pixelToBin(-5, 640)).toBe(0);
    expect(pixelToBin(10_000, 640)).toBe(999);
    expect(pixelToBin(10, 0)).toBe(0);
    expect(pixelToBin(Number.NaN, 640)).toBe(0);
    // A bin's left edge stays in that bin (float64 division would give 99.999...).
    expect(pixelToBin(64, 640)).toBe(100);
  });

  it('round-trips: the centre of a bin quantizes back to the same bin', () => {
    for (const size of [1, 37, 480, 640, 4032]) {
      for (const bin of [0, 1, 123, 500, 998, 999]) expect(pixelToBin(binToPixel(bin, size), size)).toBe(bin);
    }
  });

  it('writes a region as four location tokens', () => {
    expect(boxToLocationTokens(imageBox(64, 48, 320, 240), { width: 640, height: 480 })).toBe(
      '<loc_100><loc_100><loc_500><loc_500>',
    );
  });
});
