/**
 * An image given as a string, as the hosted APIs take them: a data URL, an http(s) or blob URL, or
 * bare base64 (Roboflow's `"type": "base64"`). Pure, so every form is tested in Node.
 */

export type ImageString =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array<ArrayBuffer>; readonly mediaType: string }
  | { readonly kind: 'invalid'; readonly message: string };

/** An image string that was read: a URL to fetch, or the bytes it carried. */
export type ReadImage = Exclude<ImageString, { readonly kind: 'invalid' }>;

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/is;
const URL_LIKE = /^(https?:|blob:)|^\.{0,2}\//i;
// Standard and URL-safe alphabets; padding optional.
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Bytes of base64 text (whitespace ignored), or null when it is not base64. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  const compact = text.replace(/\s+/g, '');
  if (!compact || !BASE64.test(compact) || compact.length % 4 === 1) return null;
  try {
    const binary = atob(compact.replaceAll('-', '+').replaceAll('_', '/'));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

/** Reads a string image. `field` names it in messages (`image.value`, `image_url.url`…). */
export function readImageString(value: string, field: string, expect: 'any' | 'base64' | 'url' = 'any'): ImageString {
  const text = value.trim();
  if (!text) return { kind: 'invalid', message: `${field} is empty: give an image as a URL, a data URL or base64.` };
  const dataUrl = DATA_URL.exec(text);
  if (dataUrl) {
    const mediaType = (dataUrl[1] ?? '').toLowerCase() || 'text/plain';
    if (!mediaType.startsWith('image/')) {
      return { kind: 'invalid', message: `${field} is a data URL of ${mediaType}, not of an image.` };
    }
    const payload = dataUrl[4] ?? '';
    const bytes = dataUrl[3] ? decodeBase64(payload) : percentDecoded(payload);
    if (!bytes?.length) {
      const form = dataUrl[3] ? 'base64' : '%-escaped data';
      return { kind: 'invalid', message: `${field} is a data URL whose ${form} does not decode.` };
    }
    return { kind: 'bytes', bytes, mediaType };
  }
  if (expect !== 'base64' && URL_LIKE.test(text)) return { kind: 'url', url: text };
  if (expect === 'url') return { kind: 'invalid', message: `${field} is not an http(s), blob or data URL.` };
  const bytes = decodeBase64(text);
  if (!bytes) {
    return {
      kind: 'invalid',
      message: `${field} does not decode as base64${expect === 'any' ? ' and is not a URL' : ''}.`,
    };
  }
  return { kind: 'bytes', bytes, mediaType: '' };
}

/** The bytes of a data URL's %-escaped payload (each %XX one byte, other characters as UTF-8). */
function percentDecoded(payload: string): Uint8Array<ArrayBuffer> | null {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < payload.length; i++) {
    if (payload[i] === '%') {
      const byte = Number.parseInt(payload.slice(i + 1, i + 3), 16);
      if (!/^[0-9a-f]{2}$/i.test(payload.slice(i + 1, i + 3)) || Number.isNaN(byte)) return null;
      bytes.push(byte);
      i += 2;
    } else {
      bytes.push(...encoder.encode(payload[i]));
    }
  }
  return new Uint8Array(bytes);
}
