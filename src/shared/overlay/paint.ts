/**
 * How the overlay paints regions so they read on any picture: the opacities of fills, outlines and
 * labels, the contrasting halo under each outline, and the order fills are laid down in. Pure: the
 * canvas code in src/page/render/draw-overlay.ts applies these.
 *
 * Fills do not stack. Every fill is painted opaque into one layer, which then takes a single alpha,
 * so a pixel under one region or under five has the same tint: FILL_ALPHA (DIMMED_FILL_ALPHA while a
 * region is highlighted). The highlighted region is cut out of that layer and filled on its own at
 * HIGHLIGHT_FILL_ALPHA, so it too is one fill wherever it lies.
 */
import { boxArea } from '../geometry/shapes';
import { blackOrWhiteOn } from './contrast';
import type { OverlayItem } from './layout';

/** The tint of every filled region, wherever regions overlap. */
export const FILL_ALPHA = 0.12;
/** The other regions' tint while one is hovered or selected. */
export const DIMMED_FILL_ALPHA = 0.06;
/** The hovered or selected region's fill: clearly stronger, the picture still visible through it. */
export const HIGHLIGHT_FILL_ALPHA = 0.35;
/** The other regions' outlines (halo included) while one is highlighted. */
export const DIMMED_OUTLINE_ALPHA = 0.3;
/** The other regions' labels while one is highlighted: fainter, still legible. */
export const DIMMED_LABEL_ALPHA = 0.55;
/** The halo's extra width on each side of an outline, CSS pixels. */
export const HALO_PX = 1;

/** The alpha the fill layer is composited with. */
export function fillLayerAlpha(somethingHighlighted: boolean): number {
  return somethingHighlighted ? DIMMED_FILL_ALPHA : FILL_ALPHA;
}

/**
 * Black or white, whichever contrasts more with the outline's colour. Under the outline it makes a
 * light and a dark band side by side, so one of the two stands out on a light, dark or busy picture,
 * and the coloured line always has a contrasting edge: the better of black and white is at least
 * sqrt(21) ≈ 4.58:1 against any colour (their two ratios multiply to 21).
 */
export function haloColor(color: string): '#000000' | '#ffffff' {
  return blackOrWhiteOn(color);
}

/**
 * The regions that go into the shared fill layer, largest first so a region nested in another (a
 * wheel in a car) shows its own colour; the highlighted one is left out, it is filled on its own.
 * With fills switched off the layer is empty and only the highlighted region is filled.
 */
export function fillLayerItems(
  items: readonly OverlayItem[],
  highlighted: number | null,
  showFills: boolean,
): OverlayItem[] {
  if (!showFills) return [];
  return items
    .filter((item) => item.regionIndex !== highlighted)
    .map((item, order) => ({ item, order, area: boxArea(item.bounds) }))
    .sort((a, b) => b.area - a.area || a.order - b.order)
    .map(({ item }) => item);
}
