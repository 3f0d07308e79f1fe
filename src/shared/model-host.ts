/**
 * The host a model's files come from, named as a person knows it: `huggingface.co` for the Hub, the
 * folder URL's host (with its port, if any) otherwise. Used to say which host could not be reached.
 */
import { type ModelSource, modelFileUrl } from './model-source';

/** `https://huggingface.co/a/b/resolve/main/x` is `huggingface.co`; `http://127.0.0.1:4181/m/` is `127.0.0.1:4181`. */
export function hostOfUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.host || null : null;
  } catch {
    return null;
  }
}

/** The host every file of this source is downloaded from. */
export function modelHost(source: ModelSource): string {
  return hostOfUrl(modelFileUrl(source, 'config.json')) ?? (source.kind === 'hub' ? 'huggingface.co' : source.baseUrl);
}

/** What to say when a host gave no answer at all (no connection to it, refused, or blocked). */
export function unreachableHostMessage(host: string): string {
  return `${host} could not be reached.`;
}
