/**
 * Every form a caller may give an image in, made into the encoded file the model worker reads. A URL
 * is fetched by the caller's own page (so nothing but that request leaves the device); pixels (a
 * canvas, a bitmap, an <img>) are encoded losslessly as PNG.
 */
import type { ImageSize } from '../../shared/geometry/bins';
import { type ReadImage, readImageString } from '../../shared/hosted-apis/image-string';
import {
  IMAGE_HEADER_BYTES,
  isSvg,
  MAX_IMAGE_PIXELS,
  oversizeReason,
  readDeclaredSize,
} from '../../shared/image-header';
import { rasteriseSvg } from '../image-intake/rasterise-svg';
import { Florence2Error } from './errors';

export type ImageInput =
  | Blob
  | ImageBitmap
  | ImageData
  | HTMLImageElement
  | HTMLCanvasElement
  | OffscreenCanvas
  | URL
  /** An http(s) or blob URL, a data URL, or bare base64. */
  | string;

export interface PreparedImage {
  readonly file: Blob;
  /** Known when the input was pixels; otherwise found only when a region needs checking. */
  readonly size: ImageSize | null;
}

const throwIfAborted = (signal?: AbortSignal) => {
  if (signal?.aborted) throw new Florence2Error('cancelled', 'The run was cancelled.');
};

function tooLarge(size: ImageSize): Florence2Error | null {
  const pixels = size.width * size.height;
  return pixels > MAX_IMAGE_PIXELS
    ? new Florence2Error(
        'image-too-large',
        `The image is ${size.width} × ${size.height} pixels, more than the ${MAX_IMAGE_PIXELS / 1_000_000} million this page can open.`,
      )
    : null;
}

async function checkedFile(file: Blob): Promise<Blob> {
  if (file.size === 0) throw new Florence2Error('image-unreadable', 'The image is empty.');
  const head = new Uint8Array(await file.slice(0, IMAGE_HEADER_BYTES).arrayBuffer());
  const reason = oversizeReason(readDeclaredSize(head));
  if (reason) throw new Florence2Error('image-too-large', `The image is too large to open. ${reason}`);
  // A worker cannot draw SVG; the page rasterises it, as the app does.
  // The name counts only for a file of no declared type: the app's rasterised SVGs keep their
  // `.svg` name but are PNG.
  const name = file instanceof File && !file.type ? file.name : '';
  if (isSvg(file.type, name, head)) {
    try {
      return await rasteriseSvg(file instanceof File ? file : new File([file], 'image.svg', { type: 'image/svg+xml' }));
    } catch {
      throw new Florence2Error('image-unreadable', 'The SVG image could not be drawn; it may be damaged.');
    }
  }
  return file;
}

async function pixelsToPng(source: CanvasImageSource | ImageData, size: ImageSize): Promise<Blob> {
  const problem = tooLarge(size);
  if (problem) throw problem;
  if (size.width === 0 || size.height === 0) throw new Florence2Error('image-unreadable', 'The image has no pixels.');
  const canvas = new OffscreenCanvas(size.width, size.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Florence2Error('internal', 'This browser cannot draw images.');
  try {
    if (source instanceof ImageData) context.putImageData(source, 0, 0);
    else context.drawImage(source, 0, 0);
    return await canvas.convertToBlob({ type: 'image/png' });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'SecurityError') throw corsError(describeSource(source));
    throw new Florence2Error('image-unreadable', 'The image could not be read.', String(error));
  }
}

const describeSource = (source: unknown) =>
  typeof HTMLImageElement !== 'undefined' && source instanceof HTMLImageElement
    ? source.currentSrc || source.src
    : 'the image';

function corsError(url: string): Florence2Error {
  return new Florence2Error(
    'image-fetch-failed',
    `The image at ${url} could not be read: it failed to load, or its server does not allow this page to read it (CORS). Serve it with an Access-Control-Allow-Origin header, or pass the image as a Blob or File.`,
  );
}

async function fetchImage(url: string, signal?: AbortSignal): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ?? null, credentials: 'same-origin' });
  } catch (error) {
    throwIfAborted(signal);
    throw Object.assign(corsError(url), { detail: String(error) });
  }
  if (!response.ok) {
    throw new Florence2Error(
      'image-fetch-failed',
      `The image at ${url} could not be fetched: its server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
    );
  }
  const type = response.headers.get('content-type') ?? '';
  if (type && !type.startsWith('image/') && !type.startsWith('application/octet-stream')) {
    throw new Florence2Error(
      'image-fetch-failed',
      `The address ${url} is not an image: its server sent ${type.split(';')[0]}.`,
    );
  }
  return response.blob();
}

type PixelSource = ImageBitmap | ImageData | OffscreenCanvas | HTMLCanvasElement;

// Each checked only where this thread has it (a worker has no HTMLCanvasElement).
const PIXEL_SOURCE_TYPES = [
  globalThis.ImageBitmap,
  globalThis.ImageData,
  globalThis.OffscreenCanvas,
  globalThis.HTMLCanvasElement,
].filter((type) => type !== undefined);

const isPixelSource = (input: unknown): input is PixelSource =>
  PIXEL_SOURCE_TYPES.some((type) => input instanceof type);

/** A hosted API's image (a URL to fetch, or the bytes it carried) as the library takes images. */
export const imageOfRequest = (image: ReadImage): string | Blob =>
  image.kind === 'url' ? image.url : new Blob([image.bytes]);

/** The encoded file for any image input. */
export async function prepareImage(input: ImageInput, signal?: AbortSignal): Promise<PreparedImage> {
  throwIfAborted(signal);
  if (input instanceof Blob) return { file: await checkedFile(input), size: null };
  if (isPixelSource(input)) {
    const size = { width: input.width, height: input.height };
    return { file: await pixelsToPng(input, size), size };
  }
  if (typeof HTMLImageElement !== 'undefined' && input instanceof HTMLImageElement) {
    try {
      await input.decode();
    } catch {
      throw corsError(input.currentSrc || input.src || 'the <img>');
    }
    const size = { width: input.naturalWidth, height: input.naturalHeight };
    return { file: await pixelsToPng(input, size), size };
  }
  const text = input instanceof URL ? input.href : input;
  if (typeof text !== 'string')
    throw new Florence2Error(
      'invalid-image',
      'The image must be a File, Blob, ImageBitmap, ImageData, <img>, canvas, URL, data URL or base64 string.',
    );
  const read = readImageString(text, 'The image');
  if (read.kind === 'invalid') throw new Florence2Error('invalid-image', read.message);
  if (read.kind === 'url') return { file: await checkedFile(await fetchImage(read.url, signal)), size: null };
  return {
    file: await checkedFile(new Blob([read.bytes], read.mediaType ? { type: read.mediaType } : {})),
    size: null,
  };
}

/** The size the model will see the file at (upright), decoding it when it is not yet known. */
export async function sizeOf(image: PreparedImage): Promise<ImageSize> {
  if (image.size) return image.size;
  try {
    const bitmap = await createImageBitmap(image.file, { imageOrientation: 'from-image' });
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch (error) {
    throw new Florence2Error(
      'image-unreadable',
      'The image could not be opened; it may be damaged or in a format this browser cannot read.',
      String(error),
    );
  }
}
