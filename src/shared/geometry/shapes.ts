/**
 * Geometry of region shapes: bounds, areas, point containment (even-odd, so holes are holes). Each
 * works within one coordinate space; mixing spaces does not compile (NoInfer keeps TypeScript from
 * widening the space to a union of both).
 */
import type { ImageSize } from './bins';
import { type Box, boxInSameSpace, type ImageBox, imageBox, type Point, type Space } from './coordinates';

export function normalizeBox<S extends Space>(box: Box<S>): Box<S> {
  return boxInSameSpace(
    Math.min(box[0], box[2]),
    Math.min(box[1], box[3]),
    Math.max(box[0], box[2]),
    Math.max(box[1], box[3]),
  );
}

/** A box with its corners in order and clamped to the image; null when nothing of it is left. */
export function clampBoxToImage(box: ImageBox, image: ImageSize): ImageBox | null {
  const [x1, y1, x2, y2] = normalizeBox(box);
  const clamped = imageBox(
    Math.max(0, Math.min(image.width, x1)),
    Math.max(0, Math.min(image.height, y1)),
    Math.max(0, Math.min(image.width, x2)),
    Math.max(0, Math.min(image.height, y2)),
  );
  return clamped[2] - clamped[0] > 0 && clamped[3] - clamped[1] > 0 ? clamped : null;
}

export function boundsOfPoints<S extends Space>(points: readonly Point<S>[]): Box<S> {
  if (points.length === 0) return boxInSameSpace(0, 0, 0, 0);
  let [x1, y1, x2, y2] = [
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  for (const { x, y } of points) {
    x1 = Math.min(x1, x);
    y1 = Math.min(y1, y);
    x2 = Math.max(x2, x);
    y2 = Math.max(y2, y);
  }
  return boxInSameSpace(x1, y1, x2, y2);
}

export function boxArea<S extends Space>(box: Box<S>): number {
  return Math.abs(box[2] - box[0]) * Math.abs(box[3] - box[1]);
}

export function boxContains<S extends Space>(box: Box<S>, point: Point<NoInfer<S>>): boolean {
  const [x1, y1, x2, y2] = normalizeBox(box);
  return point.x >= x1 && point.x <= x2 && point.y >= y1 && point.y <= y2;
}

/** Even-odd containment over all rings: a point inside a hole is outside the shape. */
export function ringsContain<S extends Space>(
  rings: readonly (readonly Point<S>[])[],
  point: Point<NoInfer<S>>,
): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i];
      const b = ring[j];
      if (!a || !b) continue;
      if (a.y > point.y !== b.y > point.y && point.x < ((b.x - a.x) * (point.y - a.y)) / (b.y - a.y) + a.x) {
        inside = !inside;
      }
    }
  }
  return inside;
}

export function rectsOverlap<S extends Space>(a: Box<S>, b: Box<NoInfer<S>>): number {
  const width = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const height = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return width > 0 && height > 0 ? width * height : 0;
}

/** Whether a region lies within an image of `size`, edges included (corners in any order). */
export function regionInsideImage(region: ImageBox, size: ImageSize): boolean {
  return region.every((value, index) => value >= 0 && value <= (index % 2 === 0 ? size.width : size.height));
}
