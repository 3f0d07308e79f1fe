/**
 * Coordinates carry their space in the type. The `@ts-expect-error` lines are the test that matters:
 * each is a missing conversion, and typechecking (`npm run typecheck`, which covers this file) fails
 * if any of them compiles.
 */
import { describe, expect, it } from 'vitest';
import { regionAt } from '../overlay/layout';
import { imageBox, imagePoint, viewBox, viewPoint } from './coordinates';
import { boxContains, clampBoxToImage, rectsOverlap } from './shapes';
import { boxToView, fitContain, imageToView, viewToImage } from './view';

const view = fitContain({ width: 640, height: 480 }, { width: 320, height: 240 });
const scene = { size: { width: 320, height: 240 }, items: [] };

describe('coordinate spaces', () => {
  it('converts between image and view pixels only through the view transform', () => {
    expect(imageToView(imagePoint(100, 50), view)).toEqual({ x: 50, y: 25 });
    expect(viewToImage(viewPoint(50, 25), view)).toEqual({ x: 100, y: 50 });
    expect(boxToView(imageBox(0, 0, 640, 480), view)).toEqual([0, 0, 320, 240]);
  });

  it('refuses at compile time to mix spaces or skip a conversion', () => {
    // @ts-expect-error a view box is not in image pixels
    boxToView(viewBox(0, 0, 1, 1), view);
    // @ts-expect-error a point in image pixels is not a point on the overlay
    regionAt(scene, imagePoint(1, 1));
    // @ts-expect-error an image box cannot contain a view point
    boxContains(imageBox(0, 0, 10, 10), viewPoint(1, 1));
    // @ts-expect-error boxes of two spaces do not overlap
    rectsOverlap(imageBox(0, 0, 10, 10), viewBox(0, 0, 10, 10));
    // @ts-expect-error a bare tuple has no space
    clampBoxToImage([0, 0, 10, 10], { width: 5, height: 5 });
    // @ts-expect-error a bare object has no space
    viewToImage({ x: 1, y: 2 }, view);
    expect(true).toBe(true);
  });
});
