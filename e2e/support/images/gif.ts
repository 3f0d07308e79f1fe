/**
 * Writes animated GIF files through omggif: a four-colour palette, every frame full size.
 */
import { GifWriter } from 'omggif';
import type { Rgb } from './png';

const LEAVE_IN_PLACE = 1; // GIF disposal method: the next frame is drawn over this one

/** An animated GIF that loops for ever; frame `f`'s pixel (x, y) is `palette[paint(f, x, y)]`. */
export function encodeAnimatedGif(
  width: number,
  height: number,
  palette: readonly [Rgb, Rgb, Rgb, Rgb],
  frameCount: number,
  paint: (frame: number, x: number, y: number) => number,
  delayCentiseconds = 50,
): Buffer {
  // A plain array grows as omggif writes, so no output size has to be guessed.
  const output: number[] = [];
  const writer = new GifWriter(output, width, height, {
    loop: 0, // for ever
    palette: palette.map(([red, green, blue]) => (red << 16) | (green << 8) | blue),
  });
  for (let frame = 0; frame < frameCount; frame++) {
    const indices: number[] = [];
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) indices.push(paint(frame, x, y));
    writer.addFrame(0, 0, width, height, indices, { delay: delayCentiseconds, disposal: LEAVE_IN_PLACE });
  }
  return Buffer.from(output.slice(0, writer.end()));
}
