/**
 * Where model files come from: a Hugging Face Hub repository id, or the base URL of a self-hosted copy.
 */

export const DEFAULT_MODEL_ID = 'onnx-community/Florence-2-base-ft';

export type ModelSource =
  | { readonly kind: 'hub'; readonly modelId: string }
  | { readonly kind: 'url'; readonly baseUrl: string };

/**
 * One part of a Hub id (the owner or the name), by the Hub's rules: letters, digits, `-`, `_` and
 * `.`, at most 96 of them, neither starting nor ending with `-` or `.`, and no `--` or `..`.
 */
const HUB_ID_PART = /^(?![.-])(?!.*(--|\.\.))[\w.-]{1,96}(?<![.-])$/;

/** The start of a folder URL: absolute over http(s), or relative to the page. */
const FOLDER_URL = /^(https?:\/\/|\/|\.\.?\/)/;

/** A URL scheme (`ftp:`, `file:`, `javascript:`…), or a Windows drive (`C:`). */
const OTHER_SCHEME = /^[a-z][a-z\d+.-]*:/i;

/** A model's page on the Hub (`https://huggingface.co/owner/name`, perhaps `/tree/main`): its files are elsewhere. */
const HUB_PAGE =
  /^https?:\/\/(?:www\.)?huggingface\.co\/(?!(?:spaces|datasets)\/)([^/?#]+)\/([^/?#]+)(?:\/tree\/[^/?#]+)?\/?(?:[?#].*)?$/;

export type ModelSourceParse = { ok: true; source: ModelSource } | { ok: false; message: string };

/** Whether `text` is a Hub id: `owner/name`. */
export function isHubModelId(text: string): boolean {
  const parts = text.split('/');
  return parts.length === 2 && parts.every((part) => HUB_ID_PART.test(part));
}

/**
 * Reads what a person typed (or a `?model=` parameter): `owner/name` is a Hub id, and so is the
 * address of a model's page on the Hub; anything starting with `http(s)://`, `/`, `./` or `../` is a
 * folder URL, resolved against the page. Anything else is refused with a sentence saying why, short
 * enough to show under the field while the person types.
 */
export function parseModelSource(text: string, pageUrl: string): ModelSourceParse {
  const trimmed = text.trim();
  if (!trimmed) return { ok: true, source: { kind: 'hub', modelId: DEFAULT_MODEL_ID } };
  const hubPage = HUB_PAGE.exec(trimmed);
  if (hubPage) {
    const modelId = `${hubPage[1]}/${hubPage[2]}`;
    if (isHubModelId(modelId)) return { ok: true, source: { kind: 'hub', modelId } };
  }
  if (FOLDER_URL.test(trimmed)) {
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
  if (isHubModelId(trimmed)) return { ok: true, source: { kind: 'hub', modelId: trimmed } };
  if (OTHER_SCHEME.test(trimmed)) {
    return { ok: false, message: 'A model URL must use http or https.' };
  }
  if (!trimmed.includes('/') && HUB_ID_PART.test(trimmed)) {
    return {
      ok: false,
      message: `"${trimmed}" has no owner: a Hub id is owner/name, as in ${DEFAULT_MODEL_ID}.`,
    };
  }
  return {
    ok: false,
    message: `"${trimmed}" is neither a Hub model id (owner/name) nor a URL of a model folder (starting with https://, / or ./).`,
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
