import { GifReader } from 'omggif';
import { describe, expect, it } from 'vitest';
import { encodeAnimatedGif } from './gif';
import type { Rgb } from './png';

const RED: Rgb = [255, 0, 0];
const BLUE: Rgb = [0, 0, 255];
const GREEN: Rgb = [0, 200, 0];
const WHITE: Rgb = [255, 255, 255];

describe('animated GIF', () => {
  it('holds every frame at full size, looping for ever, with the painted colours', () => {
    const gif = encodeAnimatedGif(40, 30, [RED, BLUE, GREEN, WHITE], 2, (frame, x, y) =>
      frame === 1 ? 3 : (y < 15 ? 0 : 2) + (x < 20 ? 0 : 1),
    );
    expect(gif.subarray(0, 6).toString('ascii')).toBe('GIF89a');
    const reader = new GifReader(gif);
    expect([reader.width, reader.height, reader.numFrames(), reader.loopCount()]).toEqual([40, 30, 2, 0]);
    expect(reader.frameInfo(1)).toMatchObject({ width: 40, height: 30, delay: 50, disposal: 1 });
    const pixel = (frame: number, x: number, y: number): number[] => {
      const rgba = new Uint8Array(40 * 30 * 4);
      reader.decodeAndBlitFrameRGBA(frame, rgba);
      return [...rgba.subarray((y * 40 + x) * 4, (y * 40 + x) * 4 + 3)];
    };
    expect([pixel(0, 5, 5), pixel(0, 35, 5), pixel(0, 5, 25), pixel(0, 35, 25)]).toEqual([RED, BLUE, GREEN, WHITE]);
    expect(pixel(1, 5, 5)).toEqual(WHITE);
  });
});
