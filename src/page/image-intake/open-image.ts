/**
 * Checks a file a person chose before it replaces the image on screen: its header gives the format
 * and the declared size (so a file declaring a huge size is refused before anything is decoded), and
 * one decode, the one that shows it, proves the browser can open it and gives its size as shown.
 * When it cannot be opened, the header and the file's end say why (HEIC, TIFF, cut off, damaged).
 */

import type { ImageSize } from '../../shared/geometry/bins';
import {
  endsEarly,
  IMAGE_HEADER_BYTES,
  IMAGE_TRAILER_BYTES,
  isSvg,
  oversizeReason,
  readDeclaredSize,
  undecodableReason,
} from '../../shared/image-header';
import { rasteriseSvg } from './rasterise-svg';

export type OpenedImage =
  | {
      readonly ok: true;
      readonly file: File;
      /** An object URL of the file, already decoded for display. */
      readonly objectUrl: string;
      /** As shown: upright, with any EXIF orientation applied. */
      readonly size: ImageSize;
    }
  | { readonly ok: false; readonly message: string };

const IMAGE_TYPES_HINT = 'Choose a JPEG, PNG, WebP, GIF or SVG image.';

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

/** Decodes the image as the preview will show it; the preview's <img> reuses this decode. */
async function decodeForDisplay(objectUrl: string): Promise<ImageSize> {
  const picture = new Image();
  picture.src = objectUrl;
  await picture.decode();
  return { width: picture.naturalWidth, height: picture.naturalHeight };
}

/** Whether the decoder the worker uses (createImageBitmap) opens the whole file. */
async function decodesCompletely(file: Blob): Promise<boolean> {
  try {
    (await createImageBitmap(file)).close();
    return true;
  } catch {
    return false;
  }
}

export async function openImageFile(chosen: File): Promise<OpenedImage> {
  let file = chosen;
  const refuse = (sentence: string): OpenedImage => ({ ok: false, message: `"${chosen.name}" ${sentence}` });
  if (file.size === 0) return refuse(`is empty. ${IMAGE_TYPES_HINT}`);
  if (file.type && !file.type.startsWith('image/'))
    return refuse(`is not an image (${file.type}). ${IMAGE_TYPES_HINT}`);
  let head = await bytesOf(file.slice(0, IMAGE_HEADER_BYTES));
  if (isSvg(file.type, file.name, head)) {
    try {
      file = await rasteriseSvg(file);
    } catch {
      return refuse('could not be drawn as an SVG image; it may be damaged.');
    }
    head = await bytesOf(file.slice(0, IMAGE_HEADER_BYTES));
  }
  const tooLarge = oversizeReason(readDeclaredSize(head));
  if (tooLarge) return refuse(`is too large to open. ${tooLarge}`);
  const tail = await bytesOf(file.slice(Math.max(0, file.size - IMAGE_TRAILER_BYTES)));
  const cannotOpen = (): OpenedImage => {
    const reason = undecodableReason(head, tail);
    // HEIC and TIFF messages already say what to do instead.
    const hint = reason.kind === 'heif' || reason.kind === 'tiff' ? '' : ` ${IMAGE_TYPES_HINT}`;
    return refuse(`could not be opened as an image. ${reason.sentence}${hint}`);
  };
  const objectUrl = URL.createObjectURL(file);
  try {
    const size = await decodeForDisplay(objectUrl);
    // An <img> shows what it can of a cut-off file. Where the file does not end as its format must
    // (cut off, or with data after the end, as motion photos have), the stricter decoder the model
    // uses decides; an ordinary file is decoded only once.
    if (endsEarly(head, tail) && !(await decodesCompletely(file))) throw new Error('cut off');
    return { ok: true, file, objectUrl, size };
  } catch {
    URL.revokeObjectURL(objectUrl);
    return cannotOpen();
  }
}
