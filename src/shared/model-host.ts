/**
 * The host a model's files come from, named as a person knows it (`huggingface.co`, or a folder
 * URL's host with its port): used to say which host could not be reached.
 */

/** `https://huggingface.co/a/b/resolve/main/x` is `huggingface.co`; `http://127.0.0.1:4181/m/` is `127.0.0.1:4181`. */
export function hostOfUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.host || null : null;
  } catch {
    return null;
  }
}
