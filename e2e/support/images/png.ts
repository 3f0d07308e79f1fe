/**
 * Writes test images as PNG files without any image library: RGB or RGBA, 8 or 16 bits, no interlace.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

export type Rgb = readonly [number, number, number];
export type Rgba = readonly [number, number, number, number];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOUR_TYPE = { 3: 2, 4: 6 } as const; // RGB, RGBA

function pngFile(
  width: number,
  height: number,
  bitDepth: 8 | 16,
  channels: 3 | 4,
  paint: (x: number, y: number) => readonly number[],
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = bitDepth;
  header[9] = COLOUR_TYPE[channels];
  const bytesPerPixel = (channels * bitDepth) / 8;
  const rowBytes = 1 + width * bytesPerPixel;
  const rows = Buffer.alloc(height * rowBytes);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const samples = paint(x, y);
      const at = y * rowBytes + 1 + x * bytesPerPixel;
      for (let channel = 0; channel < channels; channel++) {
        const value = samples[channel] ?? 0;
        if (bitDepth === 8) rows[at + channel] = value;
        else rows.writeUInt16BE(value, at + channel * 2);
      }
    }
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array()),
  ]);
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

/** A valid 1x1 PNG whose header claims another size: a "decompression bomb" for tests. */
export function pngDeclaringSize(width: number, height: number): Buffer {
  const png = encodePng(1, 1, () => [0, 0, 0]);
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return png;
}
