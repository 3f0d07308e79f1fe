/**
 * Pixel conversions between what the browser decodes and what the model is given.
 */
import type { ImageSize } from './geometry/bins';

export type RgbTriple = readonly [number, number, number];

/** Mean colour of each quarter of an image (top-left, top-right, bottom-left, bottom-right). */
export interface PixelSummary {
  readonly size: ImageSize;
  readonly quadrantMeans: readonly [RgbTriple, RgbTriple, RgbTriple, RgbTriple];
}

/** Whether any pixel of RGBA data is less than fully opaque. */
export function hasTranslucency(rgba: Uint8ClampedArray | Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return true;
  return false;
}

/**
 * RGB from straight (not premultiplied) RGBA by discarding alpha: what the reference pipeline's
 * `convert("RGB")` gives for a transparent image, so the model sees what it would see in Python.
 */
export function dropAlpha(rgba: Uint8ClampedArray | Uint8Array): Uint8ClampedArray {
  const rgb = new Uint8ClampedArray((rgba.length / 4) * 3);
  for (let source = 0, target = 0; source < rgba.length; source += 4, target += 3) {
    rgb[target] = rgba[source] ?? 0;
    rgb[target + 1] = rgba[source + 1] ?? 0;
    rgb[target + 2] = rgba[source + 2] ?? 0;
  }
  return rgb;
}

/** Quadrant means of RGB (3 channels) or RGBA (4 channels, alpha ignored) pixels. */
export function summarizePixels(
  pixels: Uint8ClampedArray | Uint8Array,
  size: ImageSize,
  channels: 3 | 4,
): PixelSummary {
  const { width, height } = size;
  // An odd middle row or column belongs to the second half; a 1-pixel side is shared by both halves.
  const halfWidth = Math.max(1, Math.floor(width / 2));
  const halfHeight = Math.max(1, Math.floor(height / 2));
  const columns = [
    [0, halfWidth],
    [width > 1 ? halfWidth : 0, width],
  ] as const;
  const rows = [
    [0, halfHeight],
    [height > 1 ? halfHeight : 0, height],
  ] as const;
  const mean = ([top, bottom]: readonly [number, number], [left, right]: readonly [number, number]): RgbTriple => {
    const sums = [0, 0, 0];
    for (let y = top; y < bottom; y++) {
      for (let x = left; x < right; x++) {
        const at = (y * width + x) * channels;
        for (let channel = 0; channel < 3; channel++)
          sums[channel] = (sums[channel] ?? 0) + (pixels[at + channel] ?? 0);
      }
    }
    const count = Math.max(1, (bottom - top) * (right - left));
    return [Math.round((sums[0] ?? 0) / count), Math.round((sums[1] ?? 0) / count), Math.round((sums[2] ?? 0) / count)];
  };
  return {
    size,
    quadrantMeans: [
      mean(rows[0], columns[0]),
      mean(rows[0], columns[1]),
      mean(rows[1], columns[0]),
      mean(rows[1], columns[1]),
    ],
  };
}
