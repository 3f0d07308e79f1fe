import { describe, expect, it } from 'vitest';
import { encodePng, pngDeclaringSize } from '../../e2e/support/images/png';
import { endsEarly, isSvg, oversizeReason, readDeclaredSize, undecodableReason } from './image-header';

describe('declared image size', () => {
  it('reads PNG headers, including a decompression bomb', () => {
    expect(readDeclaredSize(new Uint8Array(encodePng(640, 480, () => [1, 2, 3])))).toEqual({
      format: 'png',
      width: 640,
      height: 480,
    });
    const bomb = readDeclaredSize(new Uint8Array(pngDeclaringSize(30000, 30000)));
    expect(bomb).toEqual({ format: 'png', width: 30000, height: 30000 });
    expect(oversizeReason(bomb)).toContain('900 megapixels');
  });

  it('reads JPEG frame headers after other segments', () => {
    // SOI, an APP0 segment of 16 bytes, then SOF0 with height 480 and width 640.
    const jpeg = Uint8Array.from([
      0xff,
      0xd8,
      0xff,
      0xe0,
      0x00,
      0x10,
      ...new Array(14).fill(0),
      0xff,
      0xc0,
      0x00,
      0x11,
      0x08,
      0x01,
      0xe0,
      0x02,
      0x80,
      0x03,
    ]);
    expect(readDeclaredSize(jpeg)).toEqual({ format: 'jpeg', width: 640, height: 480 });
  });

  it('tells a file cut off before its format’s end marker', () => {
    const png = new Uint8Array(encodePng(8, 8, () => [1, 2, 3]));
    expect(endsEarly(png, png.subarray(-64))).toBe(false);
    const cut = png.subarray(0, png.length - 20);
    expect(endsEarly(cut, cut.subarray(-64))).toBe(true);
    // Formats without a required end are never called cut off.
    const text = new TextEncoder().encode('not an image');
    expect(endsEarly(text, text)).toBe(false);
  });

  it('reads GIF and BMP headers', () => {
    expect(
      readDeclaredSize(Uint8Array.from([...'GIF89a'].map((c) => c.charCodeAt(0)).concat([0x10, 0x00, 0x20, 0x00]))),
    ).toEqual({
      format: 'gif',
      width: 16,
      height: 32,
    });
    const bmp = new Uint8Array(30);
    bmp.set([0x42, 0x4d]);
    new DataView(bmp.buffer).setInt32(18, 100, true);
    new DataView(bmp.buffer).setInt32(22, -50, true);
    expect(readDeclaredSize(bmp)).toEqual({ format: 'bmp', width: 100, height: 50 });
  });

  it('lets normal photos through and does not guess unknown formats', () => {
    expect(oversizeReason({ format: 'jpeg', width: 16320, height: 12240 })).toBeNull();
    expect(readDeclaredSize(new TextEncoder().encode('not an image at all'))).toBeNull();
    expect(readDeclaredSize(new Uint8Array())).toBeNull();
  });
});

describe('undecodableReason', () => {
  const bytes = (...parts: (string | number[])[]) =>
    new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'binary')] : part)));

  it('names HEIC and TIFF, which browsers other than Safari cannot open', () => {
    const heic = bytes([0, 0, 0, 24], 'ftypheic', [0, 0, 0, 0]);
    expect(undecodableReason(heic, heic).sentence).toMatch(/HEIC\/HEIF photo.*JPEG/);
    expect(undecodableReason(bytes('II*\0', [8, 0, 0, 0]), bytes([0])).sentence).toMatch(/TIFF/);
  });

  it('says a PNG, JPEG or GIF that stops before its end marker ends early', () => {
    const png = encodePng(8, 8, () => [1, 2, 3]);
    expect(undecodableReason(png, png.subarray(0, png.length - 12)).sentence).toMatch(/ends early/);
    expect(undecodableReason(png, png).sentence).toMatch(/may be damaged/);
    const jpegHead = bytes([0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0, 10, 0, 20, 3]);
    expect(undecodableReason(jpegHead, bytes([1, 2, 3])).sentence).toMatch(/ends early/);
    expect(undecodableReason(jpegHead, bytes([0xff, 0xd9, 0, 0])).sentence).toMatch(/may be damaged/);
    expect(undecodableReason(bytes('GIF89a', [10, 0, 10, 0]), bytes([0, 0])).sentence).toMatch(/ends early/);
  });

  it('falls back to a general reason for anything else', () => {
    expect(undecodableReason(bytes('hello'), bytes('hello')).sentence).toMatch(/may be damaged, or in a format/);
  });
});

describe('isSvg', () => {
  const text = (value: string) => new TextEncoder().encode(value);
  it('recognises SVG by type, by name or by its first element', () => {
    expect(isSvg('image/svg+xml', 'a', text(''))).toBe(true);
    expect(isSvg('', 'drawing.SVG', text(''))).toBe(true);
    expect(isSvg('', 'x', text('<?xml version="1.0"?>\n<!-- made by hand -->\n<svg xmlns="…">'))).toBe(true);
    expect(isSvg('', 'x', text('  <svg>'))).toBe(true);
    expect(isSvg('image/png', 'x.png', text('\x89PNG'))).toBe(false);
    expect(isSvg('', 'notes.xml', text('<?xml version="1.0"?><html>'))).toBe(false);
  });
});
