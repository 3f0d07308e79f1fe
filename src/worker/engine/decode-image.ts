import { RawImage } from '@huggingface/transformers';
import type { ImageSize } from '../../shared/geometry/bins';
import {
  IMAGE_HEADER_BYTES,
  IMAGE_TRAILER_BYTES,
  oversizeReason,
  readDeclaredSize,
  undecodableReason,
} from '../../shared/image-header';
import { dropAlpha, hasTranslucency, type PixelSummary, summarizePixels } from '../../shared/image-pixels';
import { EngineError, errorText } from './engine';

export interface DecodedImage {
  /** RGB, upright as the person sees it (EXIF orientation applied). */
  readonly image: RawImage;
  readonly size: ImageSize;
  /** Only when asked: the test hook's summary of these pixels. */
  readonly inputPixels?: PixelSummary;
}

/** Decodes an encoded image file into the RGB pixels the model reads, in the worker, off the UI thread. */
export async function decodeImage(file: Blob, options: { reportInputPixels?: boolean } = {}): Promise<DecodedImage> {
  if (file.size === 0) throw new EngineError('image-unreadable', 'The file is empty.');
  const head = new Uint8Array(await file.slice(0, IMAGE_HEADER_BYTES).arrayBuffer());
  // Checked here too: the worker must not trust its caller with a file that would exhaust memory.
  const tooLarge = oversizeReason(readDeclaredSize(head));
  if (tooLarge) throw new EngineError('image-unreadable', `The image is too large to open. ${tooLarge}`);
  let bitmap: ImageBitmap;
  try {
    // Unpremultiplied, so a transparent image's stored colours can still be read (below).
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image', premultiplyAlpha: 'none' });
  } catch (error) {
    const tail = new Uint8Array(await file.slice(Math.max(0, file.size - IMAGE_TRAILER_BYTES)).arrayBuffer());
    throw new EngineError(
      'image-unreadable',
      `This file could not be opened as an image. ${undecodableReason(head, tail).sentence}`,
      errorText(error),
    );
  }
  let rgba: Uint8ClampedArray | Uint8Array;
  const { width, height } = bitmap;
  try {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new EngineError('internal', 'This browser cannot draw images in a worker.');
    context.drawImage(bitmap, 0, 0);
    rgba = context.getImageData(0, 0, width, height).data;
    // A 2D canvas keeps colours premultiplied, so a fully transparent pixel comes back black; the
    // reference keeps whatever colour the file stores there. Read those through WebGL instead.
    if (hasTranslucency(rgba)) rgba = readStraightColours(bitmap) ?? rgba;
  } finally {
    bitmap.close();
  }
  const size = { width, height };
  const rgb = dropAlpha(rgba);
  return {
    image: new RawImage(rgb, width, height, 3),
    size,
    ...(options.reportInputPixels ? { inputPixels: summarizePixels(rgb, size, 3) } : {}),
  };
}

/**
 * An unpremultiplied bitmap's RGBA exactly as stored, through a WebGL texture; null where WebGL 2 is
 * missing or the image is larger than a texture may be, and the 2D canvas's values must do.
 */
function readStraightColours(bitmap: ImageBitmap): Uint8Array | null {
  const { width, height } = bitmap;
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl || Math.max(width, height) > gl.getParameter(gl.MAX_TEXTURE_SIZE)) return null;
  const texture = gl.createTexture();
  const framebuffer = gl.createFramebuffer();
  try {
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, gl.RGBA, gl.UNSIGNED_BYTE, bitmap);
    gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
    if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) return null;
    const pixels = new Uint8Array(width * height * 4);
    // Texture row 0 is the image's top row, and readPixels returns rows from row 0 up.
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
    return gl.getError() === gl.NO_ERROR ? pixels : null;
  } finally {
    gl.deleteFramebuffer(framebuffer);
    gl.deleteTexture(texture);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
