import { describe, expect, it } from 'vitest';
import { dropAlpha, hasTranslucency, summarizePixels } from './image-pixels';

describe('dropAlpha', () => {
  it('keeps the stored colour of transparent pixels, as the reference convert("RGB") does', () => {
    const rgba = new Uint8ClampedArray([255, 0, 0, 0, 0, 200, 0, 128, 1, 2, 3, 255]);
    expect([...dropAlpha(rgba)]).toEqual([255, 0, 0, 0, 200, 0, 1, 2, 3]);
  });
});

describe('hasTranslucency', () => {
  it('is false only when every pixel is opaque', () => {
    expect(hasTranslucency(new Uint8ClampedArray([9, 9, 9, 255, 1, 1, 1, 255]))).toBe(false);
    expect(hasTranslucency(new Uint8ClampedArray([9, 9, 9, 255, 1, 1, 1, 254]))).toBe(true);
  });
});

describe('summarizePixels', () => {
  it('averages each quarter of the image', () => {
    // 4×2 RGB: left half red and green rows, right half blue.
    const pixel = (x: number, y: number) => (x < 2 ? (y === 0 ? [255, 0, 0] : [0, 255, 0]) : [0, 0, 255]);
    const rgb = new Uint8ClampedArray([0, 1].flatMap((y) => [0, 1, 2, 3].flatMap((x) => pixel(x, y))));
    expect(summarizePixels(rgb, { width: 4, height: 2 }, 3).quadrantMeans).toEqual([
      [255, 0, 0],
      [0, 0, 255],
      [0, 255, 0],
      [0, 0, 255],
    ]);
  });

  it('ignores alpha in RGBA input and handles a single pixel', () => {
    const summary = summarizePixels(new Uint8ClampedArray([10, 20, 30, 0]), { width: 1, height: 1 }, 4);
    expect(summary.quadrantMeans).toEqual([
      [10, 20, 30],
      [10, 20, 30],
      [10, 20, 30],
      [10, 20, 30],
    ]);
  });
});
