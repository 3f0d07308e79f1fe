/**
 * Where model files come from: a Hugging Face Hub repository id, or the base URL of a self-hosted copy.
 */

export const DEFAULT_MODEL_ID = 'onnx-community/Florence-2-base-ft';

export type ModelSource =
  | { readonly kind: 'hub'; readonly modelId: string }
  | { readonly kind: 'url'; readonly baseUrl: string };

const HUB_ID = /^[\w.-]+\/[\w.-]+$/;

export type ModelSourceParse = { ok: true; source: ModelSource } | { ok: false; message: string };

/**
 * Reads what a person typed (or a `?model=` parameter): `owner/name` is a Hub id; anything starting
 * with `http(s)://`, `/`, `./` or `../` is a folder URL, resolved against the page.
 */
export function parseModelSource(text: string, pageUrl: string): ModelSourceParse {
  const trimmed = text.trim();
  if (!trimmed) return { ok: true, source: { kind: 'hub', modelId: DEFAULT_MODEL_ID } };
  if (/^(https?:\/\/|\/|\.\.?\/)/.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed, pageUrl);
    } catch {
      return { ok: false, message: `"${trimmed}" is not a valid URL.` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { ok: false, message: 'A model URL must use http or https.' };
    }
    url.search = '';
    url.hash = '';
    const baseUrl = url.href.endsWith('/') ? url.href : `${url.href}/`;
    return { ok: true, source: { kind: 'url', baseUrl } };
  }
  if (HUB_ID.test(trimmed) && !trimmed.includes('..')) {
    return { ok: true, source: { kind: 'hub', modelId: trimmed } };
  }
  return {
    ok: false,
    message: `"${trimmed}" is neither a Hub model id (owner/name) nor a URL of a model folder.`,
  };
}

export function describeModelSource(source: ModelSource): string {
  return source.kind === 'hub' ? source.modelId : source.baseUrl;
}

/**
 * How transformers.js is pointed at a source: a host, a path template and a repository-style id whose
 * URL is `${remoteHost}${remotePathTemplate with {model}}${file}`.
 */
export interface RemoteLocation {
  readonly remoteHost: string;
  readonly remotePathTemplate: string;
  readonly modelId: string;
}

export const HUB_HOST = 'https://huggingface.co/';

export function remoteLocation(source: ModelSource): RemoteLocation {
  if (source.kind === 'hub') {
    return { remoteHost: HUB_HOST, remotePathTemplate: '{model}/resolve/{revision}/', modelId: source.modelId };
  }
  // transformers.js only accepts ids shaped like `name` or `owner/name`, so the folder's last path
  // segment becomes the id and the rest of the URL the host.
  const url = new URL(source.baseUrl);
  const segments = url.pathname.split('/').filter(Boolean);
  const modelId = segments.pop() ?? 'model';
  const parent = segments.length ? `/${segments.join('/')}/` : '/';
  return { remoteHost: `${url.origin}${parent}`, remotePathTemplate: '{model}/', modelId };
}

/** The URL transformers.js fetches a model file from (also its key in the browser's model cache). */
export function modelFileUrl(source: ModelSource, file: string): string {
  const location = remoteLocation(source);
  const folder = location.remotePathTemplate.replaceAll('{model}', location.modelId).replaceAll('{revision}', 'main');
  return `${location.remoteHost}${folder}${file}`;
}
