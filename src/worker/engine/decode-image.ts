import { RawImage } from '@huggingface/transformers';
import type { ImageSize } from '../../core/geometry/bins';
import { oversizeReason, readDeclaredSize } from '../../core/image-header';
import { EngineError, errorText } from './engine';

/** Decodes an encoded image file into RGBA pixels, in the worker, off the UI thread. */
export async function decodeImage(file: Blob): Promise<{ image: RawImage; size: ImageSize }> {
  if (file.size === 0) throw new EngineError('image-unreadable', 'The file is empty.');
  // Checked here too: the worker must not trust its caller with a file that would exhaust memory.
  const tooLarge = oversizeReason(readDeclaredSize(new Uint8Array(await file.slice(0, 512 * 1024).arrayBuffer())));
  if (tooLarge) throw new EngineError('image-unreadable', `The image is too large to open. ${tooLarge}`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (error) {
    throw new EngineError(
      'image-unreadable',
      'This file could not be read as an image. Try a JPEG, PNG, WebP or GIF.',
      errorText(error),
    );
  }
  try {
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new EngineError('internal', 'This browser cannot draw images in a worker.');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, width, height);
    return { image: new RawImage(pixels.data, width, height, 4), size: { width, height } };
  } finally {
    bitmap.close();
  }
}
