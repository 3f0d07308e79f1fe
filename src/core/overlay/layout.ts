/**
 * Turns parsed regions into a display list in CSS pixels of the overlay: where each outline goes,
 * its colour, and where its label sits so it stays inside the overlay.
 */

import type { Region } from '../florence/parse';
import type { ImageBox, ImageSize } from '../geometry/bins';
import { boxToView, type ViewTransform } from '../geometry/view';

export interface LabelPlacement {
  readonly text: string;
  /** Top-left corner of the label's background, CSS pixels. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface OverlayBox {
  readonly regionIndex: number;
  readonly color: string;
  /** The outline, CSS pixels relative to the overlay. */
  readonly rect: ImageBox;
  readonly label: LabelPlacement | null;
}

export interface OverlayScene {
  readonly size: ImageSize;
  readonly boxes: readonly OverlayBox[];
}

// Distinct hues that stay readable with white label text.
export const LABEL_COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#008080', '#9a6324', '#800000'];

export const LABEL_FONT_PX = 13;
const LABEL_PADDING_PX = 4;
export const LABEL_HEIGHT_PX = LABEL_FONT_PX + 2 * LABEL_PADDING_PX;

/** Same label, same colour; colours follow the order labels first appear. */
export function colorsByLabel(labels: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  for (const label of labels) {
    if (!colors.has(label)) colors.set(label, LABEL_COLORS[colors.size % LABEL_COLORS.length] ?? '#e6194b');
  }
  return colors;
}

function placeLabel(text: string, rect: ImageBox, size: ImageSize, measure: (text: string) => number): LabelPlacement {
  const width = Math.min(size.width, measure(text) + 2 * LABEL_PADDING_PX);
  const left = Math.min(rect[0], rect[2]);
  const top = Math.min(rect[1], rect[3]);
  // Above the box when there is room, otherwise just inside its top edge.
  const y =
    top - LABEL_HEIGHT_PX >= 0 ? top - LABEL_HEIGHT_PX : Math.max(0, Math.min(top, size.height - LABEL_HEIGHT_PX));
  const x = Math.max(0, Math.min(left, size.width - width));
  return { text, x, y, width, height: LABEL_HEIGHT_PX };
}

export function layoutOverlay(
  regions: readonly Region[],
  view: ViewTransform,
  size: ImageSize,
  measure: (text: string) => number,
): OverlayScene {
  const colors = colorsByLabel(regions.map((region) => region.label));
  const boxes = regions.map((region, regionIndex): OverlayBox => {
    const rect = boxToView(region.box, view);
    return {
      regionIndex,
      color: colors.get(region.label) ?? LABEL_COLORS[0] ?? '#e6194b',
      rect,
      label: region.label ? placeLabel(region.label, rect, size, measure) : null,
    };
  });
  return { size, boxes };
}
