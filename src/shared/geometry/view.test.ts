import { describe, expect, it } from 'vitest';
import { imageBox, imagePoint, viewPoint } from './coordinates';
import { boxToView, canvasBackingSize, enlargementFor, fitContain, imageToView, viewToImage } from './view';

describe('fitting an image into a box', () => {
  it('letterboxes a landscape image in a square', () => {
    expect(fitContain({ width: 640, height: 480 }, { width: 320, height: 320 })).toEqual({
      scale: 0.5,
      offsetX: 0,
      offsetY: 40,
    });
  });

  it('pillarboxes a portrait image in a wide box', () => {
    const view = fitContain({ width: 360, height: 640 }, { width: 800, height: 320 });
    expect(view.scale).toBe(0.5);
    expect(view.offsetX).toBe(310);
    expect(view.offsetY).toBe(0);
  });

  it('gives a zero transform for empty sizes instead of dividing by zero', () => {
    expect(fitContain({ width: 0, height: 10 }, { width: 100, height: 100 }).scale).toBe(0);
    expect(viewToImage(viewPoint(5, 5), { scale: 0, offsetX: 0, offsetY: 0 })).toEqual({ x: 0, y: 0 });
  });

  it('maps points and boxes both ways', () => {
    const view = fitContain({ width: 640, height: 480 }, { width: 320, height: 320 });
    expect(imageToView(imagePoint(100, 200), view)).toEqual({ x: 50, y: 140 });
    expect(viewToImage(viewPoint(50, 140), view)).toEqual({ x: 100, y: 200 });
    expect(boxToView(imageBox(0, 0, 640, 480), view)).toEqual([0, 40, 320, 280]);
  });

  it('sizes the canvas backing store by the device pixel ratio', () => {
    expect(canvasBackingSize({ width: 283.5, height: 504 }, 2)).toEqual({ width: 567, height: 1008 });
    expect(canvasBackingSize({ width: 100, height: 50 }, 1.25)).toEqual({ width: 125, height: 63 });
    expect(canvasBackingSize({ width: 100, height: 50 }, Number.NaN)).toEqual({ width: 100, height: 50 });
  });
});

describe('enlargementFor', () => {
  it('brings the longer side of a small image up to the minimum, and leaves larger ones alone', () => {
    expect(enlargementFor({ width: 32, height: 64 })).toBe(5);
    expect(enlargementFor({ width: 1, height: 1 })).toBe(320);
    expect(enlargementFor({ width: 320, height: 10 })).toBe(1);
    expect(enlargementFor({ width: 4000, height: 3000 })).toBe(1);
  });
});
