import type { ImageBox } from './coordinates';

/**
 * Florence-2 location tokens quantise each axis into 1000 bins of the image's own width or height.
 */

export const LOCATION_BINS = 1000;

export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

/** The centre of a bin, in pixels: (bin + 0.5) * size / 1000. */
export function binToPixel(bin: number, size: number): number {
  return ((bin + 0.5) * size) / LOCATION_BINS;
}

/**
 * The bin a pixel coordinate falls in, clamped to the valid range, as the reference quantizer does
 * (in float32, like its tensors: in float64, 64 px of a 640 px image would land in bin 99).
 */
export function pixelToBin(coordinate: number, size: number): number {
  if (!(size > 0) || !Number.isFinite(coordinate)) return 0;
  const bin = Math.floor(Math.fround(Math.fround(coordinate) / Math.fround(size / LOCATION_BINS)));
  return Math.min(LOCATION_BINS - 1, Math.max(0, bin));
}

export function locationToken(bin: number): string {
  return `<loc_${bin}>`;
}

/** The four location tokens a region task is prompted with. */
export function boxToLocationTokens(box: ImageBox, image: ImageSize): string {
  const [x1, y1, x2, y2] = box;
  return [
    pixelToBin(x1, image.width),
    pixelToBin(y1, image.height),
    pixelToBin(x2, image.width),
    pixelToBin(y2, image.height),
  ]
    .map(locationToken)
    .join('');
}
