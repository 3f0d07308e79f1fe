/**
 * Turns parsed regions into a display list in CSS pixels of the overlay: each region's outline,
 * colour and label placement (inside the overlay, not piled on other labels), plus hit testing.
 */
import type { Region } from '../florence/parse';
import { isShownAt } from '../florence/score-threshold';
import type { ImageSize } from '../geometry/bins';
import { type ViewBox, type ViewPoint, viewBox } from '../geometry/coordinates';
import { boundsOfPoints, boxArea, boxContains, rectsOverlap, ringsContain } from '../geometry/shapes';
import { boxToView, imageToView, type ViewTransform } from '../geometry/view';
import { blackOrWhiteOn } from './contrast';

export interface LabelPlacement {
  readonly text: string;
  /** Top-left corner of the label's background, CSS pixels. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type OverlayShape =
  | { readonly kind: 'rect'; readonly rect: ViewBox }
  /** Closed rings (quadrilateral or polygon parts), filled with the even-odd rule. */
  | { readonly kind: 'path'; readonly rings: readonly (readonly ViewPoint[])[] };

export interface OverlayItem {
  readonly regionIndex: number;
  readonly color: string;
  /** Label text colour chosen for contrast against `color`. */
  readonly textColor: string;
  readonly shape: OverlayShape;
  /** Bounding box of the shape, CSS pixels. */
  readonly bounds: ViewBox;
  readonly label: LabelPlacement | null;
}

export interface OverlayScene {
  readonly size: ImageSize;
  readonly items: readonly OverlayItem[];
}

// Distinct hues; label text is black or white, whichever reads better on each.
export const LABEL_COLORS = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#bfef45',
  '#9a6324',
  '#469990',
];

export const LABEL_FONT_PX = 13;
export const LABEL_PADDING_PX = 4;
export const LABEL_HEIGHT_PX = LABEL_FONT_PX + 2 * LABEL_PADDING_PX;

/** Same label, same colour; colours follow the order labels first appear. */
export function colorsByLabel(labels: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  for (const label of labels) {
    if (!colors.has(label)) colors.set(label, LABEL_COLORS[colors.size % LABEL_COLORS.length] ?? '#e6194b');
  }
  return colors;
}

/** Black or white text, whichever has more contrast on the background. */
export function readableTextColor(background: string): string {
  return blackOrWhiteOn(background);
}

function labelRect(label: LabelPlacement): ViewBox {
  return viewBox(label.x, label.y, label.x + label.width, label.y + label.height);
}

/**
 * Tries, in order: above the region, inside its top edge, below it, inside its bottom edge; each kept
 * inside the overlay. The first spot free of earlier labels wins, else the least covered one.
 */
function placeLabel(
  text: string,
  bounds: ViewBox,
  size: ImageSize,
  placed: readonly ViewBox[],
  measure: (text: string) => number,
): LabelPlacement {
  const width = Math.min(size.width, measure(text) + 2 * LABEL_PADDING_PX);
  const height = LABEL_HEIGHT_PX;
  const [left, top, , bottom] = bounds;
  const x = Math.max(0, Math.min(left, size.width - width));
  const clampY = (y: number) => Math.max(0, Math.min(y, size.height - height));
  const candidates = [top - height, top, bottom, bottom - height]
    .filter((y) => y >= 0 && y + height <= size.height)
    .concat([clampY(top - height)])
    .map((y): LabelPlacement => ({ text, x, y, width, height }));
  let best = candidates[0] ?? { text, x, y: 0, width, height };
  let bestOverlap = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const overlap = placed.reduce((sum, other) => sum + rectsOverlap(labelRect(candidate), other), 0);
    if (overlap < bestOverlap) {
      best = candidate;
      bestOverlap = overlap;
      if (overlap === 0) break;
    }
  }
  return best;
}

function shapeInView(region: Region, view: ViewTransform): OverlayShape {
  switch (region.kind) {
    case 'box':
      return { kind: 'rect', rect: boxToView(region.box, view) };
    case 'quad':
      return { kind: 'path', rings: [region.points.map((point) => imageToView(point, view))] };
    case 'polygon':
      return { kind: 'path', rings: region.rings.map((ring) => ring.map((point) => imageToView(point, view))) };
  }
}

export function layoutOverlay(
  regions: readonly Region[],
  view: ViewTransform,
  size: ImageSize,
  measure: (text: string) => number,
  minScore = 0,
): OverlayScene {
  const colors = colorsByLabel(regions.map((region) => region.label));
  const placedLabels: ViewBox[] = [];
  // Hidden regions keep their place in the numbering, so the list and the overlay still agree.
  const items = regions.flatMap((region, regionIndex): OverlayItem[] => {
    if (!isShownAt(region, minScore)) return [];
    const color = colors.get(region.label) ?? LABEL_COLORS[0] ?? '#e6194b';
    const shape = shapeInView(region, view);
    const bounds = shape.kind === 'rect' ? shape.rect : boundsOfPoints(shape.rings.flat());
    const label = region.label ? placeLabel(region.label, bounds, size, placedLabels, measure) : null;
    if (label) placedLabels.push(labelRect(label));
    return [{ regionIndex, color, textColor: readableTextColor(color), shape, bounds, label }];
  });
  return { size, items };
}

function shapeContains(shape: OverlayShape, point: ViewPoint): boolean {
  return shape.kind === 'rect' ? boxContains(shape.rect, point) : ringsContain(shape.rings, point);
}

/**
 * The region under a point (CSS pixels): its label, or its shape; where shapes nest, the smallest
 * one, so a wheel inside a car is reachable.
 */
export function regionAt(scene: OverlayScene, point: ViewPoint): number | null {
  for (let i = scene.items.length - 1; i >= 0; i--) {
    const label = scene.items[i]?.label;
    if (label && boxContains(labelRect(label), point)) return scene.items[i]?.regionIndex ?? null;
  }
  let best: OverlayItem | null = null;
  for (const item of scene.items) {
    if (!shapeContains(item.shape, point)) continue;
    if (!best || boxArea(item.bounds) < boxArea(best.bounds)) best = item;
  }
  return best?.regionIndex ?? null;
}
