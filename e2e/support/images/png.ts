/**
 * Writes test images as PNG files through pngjs: RGB or RGBA, 8 or 16 bits.
 */
import { crc32 } from 'node:zlib';
import { type ColorType, PNG } from 'pngjs';

export type Rgb = readonly [number, number, number];
export type Rgba = readonly [number, number, number, number];

const COLOUR_TYPE: Record<3 | 4, ColorType> = { 3: 2, 4: 6 }; // RGB, RGBA

function pngFile(
  width: number,
  height: number,
  bitDepth: 8 | 16,
  channels: 3 | 4,
  paint: (x: number, y: number) => readonly number[],
): Buffer {
  const samples =
    bitDepth === 8 ? new Uint8Array(width * height * channels) : new Uint16Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = paint(x, y);
      const at = (y * width + x) * channels;
      for (let channel = 0; channel < channels; channel++) samples[at + channel] = colour[channel] ?? 0;
    }
  }
  const png = new PNG({ width, height });
  // pngjs reads 16-bit samples in the machine's byte order from the buffer's whole ArrayBuffer.
  png.data = Buffer.from(samples.buffer);
  const colorType = COLOUR_TYPE[channels];
  return PNG.sync.write(png, { bitDepth, colorType, inputColorType: colorType, inputHasAlpha: channels === 4 });
}

/** A PNG whose pixel (x, y) has the colour `paint(x, y)`. */
export function encodePng(width: number, height: number, paint: (x: number, y: number) => Rgb): Buffer {
  return pngFile(width, height, 8, 3, paint);
}

/** An RGBA PNG; colours are stored straight (not premultiplied), as PNG defines them. */
export function encodeRgbaPng(width: number, height: number, paint: (x: number, y: number) => Rgba): Buffer {
  return pngFile(width, height, 8, 4, paint);
}

/** A 16-bit-per-channel RGB PNG; `paint` gives values from 0 to 65535. */
export function encodePng16(width: number, height: number, paint: (x: number, y: number) => Rgb): Buffer {
  return pngFile(width, height, 16, 3, paint);
}

/** A calm gradient: dark enough that a bright outline stands out, no pixel exactly transparent. */
export function gradientPng(width: number, height: number): Buffer {
  return encodePng(width, height, (x, y) => [
    40 + Math.round((60 * x) / width),
    50 + Math.round((60 * y) / height),
    70,
  ]);
}

/** Deterministic noise: every file is distinctive, so its bytes can be searched for in traffic. */
export function noisePng(width: number, height: number, seed: number): Buffer {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) & 255;
  };
  return encodePng(width, height, () => [next(), next(), next()]);
}

/**
 * A valid 1x1 PNG whose header claims another size: a "decompression bomb" for tests. No encoder
 * writes a header that disagrees with its pixels, so this one rewrites pngjs's header and its CRC.
 */
export function pngDeclaringSize(width: number, height: number): Buffer {
  const png = encodePng(1, 1, () => [0, 0, 0]);
  // The IHDR chunk: length at 8, type at 12, width and height at 16 and 20, CRC of type and data at 29.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}
