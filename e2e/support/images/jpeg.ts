/**
 * Writes baseline JPEG files for tests of what cameras and print tools produce: YCbCr (JFIF) or
 * CMYK (Adobe), optionally with an EXIF orientation.
 *
 * Kept hand-written: no npm encoder writes CMYK (Adobe) JPEGs; jpeg-js, the pure-JS one, does YCbCr only.
 *
 * Every component is stored at full resolution with one uniform quantisation table, and the Huffman
 * tables are flat (every symbol of a class has one code length), which any decoder accepts.
 */
import type { Rgb } from './png';

export type Cmyk = readonly [number, number, number, number];

export type JpegPixels =
  | { readonly colour: 'ycbcr'; readonly paint: (x: number, y: number) => Rgb }
  | { readonly colour: 'cmyk'; readonly paint: (x: number, y: number) => Cmyk };

export interface JpegOptions {
  /** EXIF orientation, 1 to 8: how a viewer must turn the stored pixels to show them upright. */
  readonly exifOrientation?: number;
}

const QUANTISER = 2;

/** Zig-zag position → row-major index within an 8×8 block. */
const ZIGZAG: readonly number[] = (() => {
  const order: number[] = [];
  for (let diagonal = 0; diagonal < 15; diagonal++) {
    const rows = [];
    for (let row = Math.max(0, diagonal - 7); row <= Math.min(7, diagonal); row++) rows.push(row);
    if (diagonal % 2 === 0) rows.reverse();
    for (const row of rows) order.push(row * 8 + (diagonal - row));
  }
  return order;
})();

// DC symbols are bit lengths 0..11; AC symbols are (zero run << 4) | bit length, plus end-of-block
// (0x00) and sixteen-zeros (0xF0). All fit in 4-bit (DC) and 8-bit (AC) codes, none of them all ones.
const DC_SYMBOLS = Array.from({ length: 12 }, (_, size) => size);
const AC_SYMBOLS = [0x00, 0xf0];
for (let run = 0; run < 16; run++) for (let size = 1; size <= 10; size++) AC_SYMBOLS.push((run << 4) | size);
const DC_CODE_LENGTH = 4;
const AC_CODE_LENGTH = 8;
const codeOf = (symbols: readonly number[]) => new Map(symbols.map((symbol, index) => [symbol, index]));
const DC_CODES = codeOf(DC_SYMBOLS);
const AC_CODES = codeOf(AC_SYMBOLS);

const COSINES = Array.from({ length: 64 }, (_, i) => Math.cos(((2 * (i % 8) + 1) * Math.floor(i / 8) * Math.PI) / 16));
const scale = (frequency: number) => (frequency === 0 ? Math.SQRT1_2 : 1);

function forwardDct(block: Float64Array): Float64Array {
  const out = new Float64Array(64);
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let sum = 0;
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          sum += (block[y * 8 + x] ?? 0) * (COSINES[u * 8 + x] ?? 0) * (COSINES[v * 8 + y] ?? 0);
        }
      }
      out[v * 8 + u] = 0.25 * scale(u) * scale(v) * sum;
    }
  }
  return out;
}

class BitWriter {
  private readonly bytes: number[] = [];
  private buffer = 0;
  private count = 0;

  write(value: number, length: number): void {
    for (let bit = length - 1; bit >= 0; bit--) {
      this.buffer = (this.buffer << 1) | ((value >> bit) & 1);
      if (++this.count === 8) this.flushByte();
    }
  }

  finish(): Buffer {
    while (this.count !== 0) this.write(1, 1);
    return Buffer.from(this.bytes);
  }

  private flushByte(): void {
    this.bytes.push(this.buffer);
    // A 0xFF in entropy-coded data would read as a marker; JPEG stuffs a zero after it.
    if (this.buffer === 0xff) this.bytes.push(0);
    this.buffer = 0;
    this.count = 0;
  }
}

const bitLength = (value: number) => (value === 0 ? 0 : Math.floor(Math.log2(Math.abs(value))) + 1);
// JPEG's magnitude coding: negative values are stored as their ones' complement in `size` bits.
const magnitudeBits = (value: number, size: number) => (value >= 0 ? value : value + (1 << size) - 1);

function encodeBlock(writer: BitWriter, coefficients: Int32Array, previousDc: number): number {
  const dc = coefficients[0] ?? 0;
  const difference = dc - previousDc;
  const dcSize = bitLength(difference);
  writer.write(DC_CODES.get(dcSize) ?? 0, DC_CODE_LENGTH);
  writer.write(magnitudeBits(difference, dcSize), dcSize);
  let run = 0;
  for (let k = 1; k < 64; k++) {
    const value = coefficients[ZIGZAG[k] ?? 0] ?? 0;
    if (value === 0) {
      run++;
      continue;
    }
    while (run > 15) {
      writer.write(AC_CODES.get(0xf0) ?? 0, AC_CODE_LENGTH);
      run -= 16;
    }
    const size = bitLength(value);
    writer.write(AC_CODES.get((run << 4) | size) ?? 0, AC_CODE_LENGTH);
    writer.write(magnitudeBits(value, size), size);
    run = 0;
  }
  if (run > 0) writer.write(AC_CODES.get(0x00) ?? 0, AC_CODE_LENGTH);
  return dc;
}

function segment(marker: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xff00 | marker, 0);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

function exifSegment(orientation: number): Buffer {
  // Big-endian TIFF header, then one IFD holding the Orientation tag (0x0112, SHORT, one value).
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('MM', 0, 'ascii');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(orientation, 18);
  return segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]));
}

function huffmanTable(tableClass: 0 | 1, symbols: readonly number[], codeLength: number): Buffer {
  const counts = Buffer.alloc(16);
  counts[codeLength - 1] = symbols.length;
  return Buffer.concat([Buffer.from([tableClass << 4]), counts, Buffer.from(symbols)]);
}

function toComponents(pixels: JpegPixels, x: number, y: number): number[] {
  if (pixels.colour === 'cmyk') {
    // Adobe's convention, which browsers follow: CMYK samples are stored inverted (255 = no ink).
    return pixels.paint(x, y).map((ink) => 255 - ink);
  }
  const [r, g, b] = pixels.paint(x, y);
  return [
    0.299 * r + 0.587 * g + 0.114 * b,
    -0.168736 * r - 0.331264 * g + 0.5 * b + 128,
    0.5 * r - 0.418688 * g - 0.081312 * b + 128,
  ];
}

export function encodeJpeg(width: number, height: number, pixels: JpegPixels, options: JpegOptions = {}): Buffer {
  const componentCount = pixels.colour === 'cmyk' ? 4 : 3;
  const samples = Array.from({ length: componentCount }, () => new Float64Array(width * height));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      toComponents(pixels, x, y).forEach((value, component) => {
        const plane = samples[component];
        if (plane) plane[y * width + x] = value;
      });
    }
  }
  const writer = new BitWriter();
  const previousDc = new Array<number>(componentCount).fill(0);
  const block = new Float64Array(64);
  const quantised = new Int32Array(64);
  for (let blockY = 0; blockY < height; blockY += 8) {
    for (let blockX = 0; blockX < width; blockX += 8) {
      for (let component = 0; component < componentCount; component++) {
        const plane = samples[component] ?? new Float64Array();
        for (let i = 0; i < 64; i++) {
          // Edge blocks repeat the last row and column, which keeps them free of ringing.
          const x = Math.min(blockX + (i % 8), width - 1);
          const y = Math.min(blockY + Math.floor(i / 8), height - 1);
          block[i] = (plane[y * width + x] ?? 0) - 128;
        }
        const coefficients = forwardDct(block);
        for (let i = 0; i < 64; i++) quantised[i] = Math.round((coefficients[i] ?? 0) / QUANTISER);
        previousDc[component] = encodeBlock(writer, quantised, previousDc[component] ?? 0);
      }
    }
  }

  const componentIds = Array.from({ length: componentCount }, (_, index) => index + 1);
  const frame = Buffer.alloc(6);
  frame[0] = 8;
  frame.writeUInt16BE(height, 1);
  frame.writeUInt16BE(width, 3);
  frame[5] = componentCount;
  const applicationSegment =
    pixels.colour === 'cmyk'
      ? // "Adobe", version 100, no flags, transform 0: the samples are CMYK as they are.
        segment(0xee, Buffer.from([0x41, 0x64, 0x6f, 0x62, 0x65, 0, 100, 0, 0, 0, 0, 0]))
      : segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    applicationSegment,
    ...(options.exifOrientation ? [exifSegment(options.exifOrientation)] : []),
    segment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, QUANTISER)])),
    segment(0xc0, Buffer.concat([frame, Buffer.from(componentIds.flatMap((id) => [id, 0x11, 0]))])),
    segment(
      0xc4,
      Buffer.concat([huffmanTable(0, DC_SYMBOLS, DC_CODE_LENGTH), huffmanTable(1, AC_SYMBOLS, AC_CODE_LENGTH)]),
    ),
    segment(
      0xda,
      Buffer.concat([Buffer.from([componentCount, ...componentIds.flatMap((id) => [id, 0])]), Buffer.from([0, 63, 0])]),
    ),
    writer.finish(),
    Buffer.from([0xff, 0xd9]),
  ]);
}
