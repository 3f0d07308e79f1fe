/**
 * Reads an image's declared pixel size from its header, before anything is decoded, so a file that
 * would need gigabytes to decode (a "decompression bomb") is refused instead of crashing the tab.
 */

export interface DeclaredImage {
  readonly format: 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp';
  readonly width: number;
  readonly height: number;
}

/** Bytes to read for the size: enough to reach a JPEG's frame header past a large EXIF block. */
export const IMAGE_HEADER_BYTES = 512 * 1024;
/** Bytes to read from the end to tell a file that was cut short. */
export const IMAGE_TRAILER_BYTES = 64;

/** Far above any camera (200 MP phones), far below what would exhaust a tab (4 bytes a pixel). */
export const MAX_IMAGE_PIXELS = 250_000_000;

const u16be = (b: Uint8Array, i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u16le = (b: Uint8Array, i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, i: number) => u16le(b, i) | ((b[i + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, i: number) => (u16be(b, i) * 0x10000 + u16be(b, i + 2)) >>> 0;
const i32le = (b: Uint8Array, i: number) => u16le(b, i) | (u16le(b, i + 2) << 16) | 0;
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));

function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++;
      continue;
    }
    // Start-of-frame markers carry the size; DHT (C4), JPG (C8) and DAC (CC) do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    i += 2 + u16be(b, i + 2);
  }
  return null;
}

export function readDeclaredSize(bytes: Uint8Array): DeclaredImage | null {
  const b = bytes;
  if (b.length >= 24 && u32be(b, 0) === 0x89504e47 && ascii(b, 12, 4) === 'IHDR') {
    return { format: 'png', width: u32be(b, 16), height: u32be(b, 20) };
  }
  if (b[0] === 0xff && b[1] === 0xd8) {
    const size = jpegSize(b);
    return size ? { format: 'jpeg', ...size } : null;
  }
  if (b.length >= 10 && ascii(b, 0, 4) === 'GIF8') return { format: 'gif', width: u16le(b, 6), height: u16le(b, 8) };
  if (b.length >= 30 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') {
    const chunk = ascii(b, 12, 4);
    if (chunk === 'VP8X') return { format: 'webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
    if (chunk === 'VP8L') {
      const bits = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
      return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8 ') return { format: 'webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM') {
    return { format: 'bmp', width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
  }
  return null;
}

/** Whether a PNG, JPEG or GIF lacks the end its format requires: cut off, as after an interrupted copy. */
export function endsEarly(head: Uint8Array, tail: Uint8Array): boolean {
  const declared = readDeclaredSize(head);
  return (
    (declared?.format === 'png' && !(tail.length >= 8 && ascii(tail, tail.length - 8, 4) === 'IEND')) ||
    (declared?.format === 'jpeg' && !endsWithJpegEnd(tail)) ||
    (declared?.format === 'gif' && tail.at(-1) !== 0x3b)
  );
}

/** A sentence explaining why this image is refused, or null when it may be decoded. */
export function oversizeReason(declared: DeclaredImage | null): string | null {
  if (!declared) return null;
  const pixels = declared.width * declared.height;
  if (pixels <= MAX_IMAGE_PIXELS) return null;
  return `It declares ${declared.width} × ${declared.height} pixels (${Math.round(pixels / 1e6)} megapixels), more than this app decodes safely (${MAX_IMAGE_PIXELS / 1e6} megapixels).`;
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

export interface UndecodableReason {
  /** HEIC and TIFF are whole formats browsers lack; the others are damaged or unknown files. */
  readonly kind: 'heif' | 'tiff' | 'ends-early' | 'unknown';
  readonly sentence: string;
}

/** Why a file the browser failed to decode could not be opened. */
export function undecodableReason(head: Uint8Array, tail: Uint8Array): UndecodableReason {
  const b = head;
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp' && HEIF_BRANDS.has(ascii(b, 8, 4))) {
    return {
      kind: 'heif',
      sentence:
        'It is a HEIC/HEIF photo, which this browser cannot open. Export or share it as JPEG, then choose it again.',
    };
  }
  if (b.length >= 4 && (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*')) {
    return {
      kind: 'tiff',
      sentence: 'It is a TIFF image, which browsers cannot open. Save it as PNG or JPEG, then choose it again.',
    };
  }
  if (endsEarly(head, tail)) {
    return { kind: 'ends-early', sentence: 'The file ends early, as after an interrupted download or copy.' };
  }
  return { kind: 'unknown', sentence: 'It may be damaged, or in a format this browser cannot open.' };
}

// Some writers pad after the end-of-image marker, so it is looked for near the end, not only at it.
function endsWithJpegEnd(tail: Uint8Array): boolean {
  for (let i = tail.length - 2; i >= Math.max(0, tail.length - 64); i--) {
    if (tail[i] === 0xff && tail[i + 1] === 0xd9) return true;
  }
  return false;
}

/** SVG is recognised by type, name or content, since a file picker may give no type at all. */
export function isSvg(type: string, name: string, head: Uint8Array): boolean {
  if (type === 'image/svg+xml' || /\.svgz?$/i.test(name)) return true;
  const text = new TextDecoder().decode(head.subarray(0, 1024)).trimStart();
  return /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text);
}
