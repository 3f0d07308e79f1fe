/**
 * The image files of the robustness tests, generated rather than downloaded: formats and variants
 * that cameras, phones, drawing tools and broken downloads produce.
 *
 *   npx tsx scripts/save-test-images.ts [folder]   writes them all (default e2e/.generated/images)
 *
 * Most are painted in four colour blocks, so a test can tell from the mean colour of each quarter
 * which frame, which orientation and which colours the model was given.
 */
import { encodeAnimatedGif } from './gif';
import { encodeJpeg } from './jpeg';
import { encodePng, encodePng16, encodeRgbaPng, type Rgb } from './png';

export const RED: Rgb = [255, 0, 0];
export const GREEN: Rgb = [0, 200, 0];
export const BLUE: Rgb = [0, 0, 255];
export const WHITE: Rgb = [255, 255, 255];

export interface TestImage {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

/** An image the app must open; the model must be given these quarter colours at this size. */
export interface ReadableTestImage extends TestImage {
  readonly what: string;
  readonly modelSees: { readonly width: number; readonly height: number; readonly quadrants: readonly Rgb[] };
  /** False where the preview differs from the model's input on purpose (transparent pixels). */
  readonly previewMatchesModel: boolean;
}

/** A file the app must refuse with a message matching `message`. */
export interface UnreadableTestImage extends TestImage {
  readonly what: string;
  readonly message: RegExp;
}

/** 64×32, red on the left and blue on the right. */
function leftRightJpeg(colour: 'ycbcr' | 'cmyk', exifOrientation?: number): Buffer {
  const options = exifOrientation ? { exifOrientation } : {};
  if (colour === 'cmyk') {
    // Red is magenta and yellow ink; blue is cyan and magenta.
    return encodeJpeg(64, 32, { colour, paint: (x) => (x < 32 ? [0, 255, 255, 0] : [255, 255, 0, 0]) }, options);
  }
  return encodeJpeg(64, 32, { colour, paint: (x) => (x < 32 ? RED : BLUE) }, options);
}

export function readableTestImages(): ReadableTestImage[] {
  return [
    {
      what: 'an animated GIF (the first frame is used)',
      name: 'animated.gif',
      mimeType: 'image/gif',
      // Frame 0: red, blue / green, white. Frame 1: all white.
      buffer: encodeAnimatedGif(40, 30, [RED, BLUE, GREEN, WHITE], 2, (frame, x, y) =>
        frame === 1 ? 3 : (y < 15 ? 0 : 2) + (x < 20 ? 0 : 1),
      ),
      modelSees: { width: 40, height: 30, quadrants: [RED, BLUE, GREEN, WHITE] },
      previewMatchesModel: false, // the preview animates
    },
    {
      what: 'a CMYK JPEG (as print tools save them)',
      name: 'print-cmyk.jpg',
      mimeType: 'image/jpeg',
      buffer: leftRightJpeg('cmyk'),
      modelSees: { width: 64, height: 32, quadrants: [RED, BLUE, RED, BLUE] },
      previewMatchesModel: true,
    },
    {
      what: 'a 16-bit PNG',
      name: 'deep-16bit.png',
      mimeType: 'image/png',
      buffer: encodePng16(30, 20, () => [65535, 0, 32896]),
      modelSees: { width: 30, height: 20, quadrants: Array<Rgb>(4).fill([255, 0, 128]) },
      previewMatchesModel: true,
    },
    {
      what: 'a transparent PNG (alpha dropped as the reference does)',
      name: 'transparent.png',
      mimeType: 'image/png',
      // Top left: invisible red; top right: half-transparent green; bottom: opaque blue.
      buffer: encodeRgbaPng(40, 40, (x, y) => (y >= 20 ? [...BLUE, 255] : x < 20 ? [...RED, 0] : [...GREEN, 128])),
      modelSees: { width: 40, height: 40, quadrants: [RED, GREEN, BLUE, BLUE] },
      previewMatchesModel: false,
    },
    {
      what: 'a JPEG with EXIF orientation 6 (a phone held upright)',
      name: 'rotated-exif6.jpg',
      mimeType: 'image/jpeg',
      // Stored 64×32, red left and blue right; shown turned a quarter clockwise: red on top.
      buffer: leftRightJpeg('ycbcr', 6),
      modelSees: { width: 32, height: 64, quadrants: [RED, RED, BLUE, BLUE] },
      previewMatchesModel: true,
    },
    {
      what: 'a JPEG with data after its end, as motion photos carry their video',
      name: 'motion-photo.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.concat([
        leftRightJpeg('ycbcr'),
        Buffer.from('ftypmp42 a short video would follow here'.repeat(8)),
      ]),
      modelSees: { width: 64, height: 32, quadrants: [RED, BLUE, RED, BLUE] },
      previewMatchesModel: true,
    },
    {
      what: 'an SVG with a script, event handlers and external images (drawn, never run)',
      name: 'drawing.svg',
      mimeType: 'image/svg+xml',
      buffer: Buffer.from(HOSTILE_SVG),
      modelSees: { width: 60, height: 40, quadrants: [RED, BLUE, RED, BLUE] },
      previewMatchesModel: true,
    },
  ];
}

/** Addresses the hostile SVG tries to reach; a test checks that nothing ever asks for them. */
export const SVG_EXTERNAL_URLS = ['http://127.0.0.1:9/tracker.png', 'https://example.invalid/style.css'];

const HOSTILE_SVG = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="60" height="40"
     onload="alert('svg onload ran')">
  <script>alert('svg script ran'); fetch('${SVG_EXTERNAL_URLS[0]}');</script>
  <style>@import url('${SVG_EXTERNAL_URLS[1]}');</style>
  <rect width="30" height="40" fill="#ff0000"/>
  <rect x="30" width="30" height="40" fill="#0000ff"/>
  <!-- Invisible, as a tracking pixel would be; a blocked image may otherwise be drawn as a broken-image mark. -->
  <image href="${SVG_EXTERNAL_URLS[0]}" width="10" height="10" opacity="0"/>
  <image xlink:href="${SVG_EXTERNAL_URLS[0]}" x="10" width="10" height="10" opacity="0"/>
</svg>
`;

export function unreadableTestImages(): UnreadableTestImage[] {
  const png = encodePng(200, 150, (x, y) => [x, y, 90]);
  const jpeg = encodeJpeg(64, 64, { colour: 'ycbcr', paint: (x, y) => [x * 4, y * 4, 90] });
  const heic = Buffer.concat([
    Buffer.from([0, 0, 0, 24]),
    Buffer.from('ftypheic', 'ascii'),
    Buffer.from([0, 0, 0, 0]),
    Buffer.from('mif1heic', 'ascii'),
    Buffer.alloc(400, 0x2a),
  ]);
  return [
    { what: 'a HEIC photo', name: 'IMG_0001.HEIC', mimeType: 'image/heic', buffer: heic, message: /HEIC\/HEIF photo/ },
    {
      what: 'a PNG cut off halfway',
      name: 'cut-short.png',
      mimeType: 'image/png',
      buffer: png.subarray(0, Math.floor(png.length / 2)),
      message: /ends early/,
    },
    {
      what: 'a JPEG cut off halfway',
      name: 'cut-short.jpg',
      mimeType: 'image/jpeg',
      buffer: jpeg.subarray(0, Math.floor(jpeg.length / 2)),
      message: /ends early/,
    },
  ];
}
