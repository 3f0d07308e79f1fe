/**
 * ONNX Runtime's WebAssembly builds are 14–27 MB each and a device needs one or two, so none is
 * precached: the ones the model worker loads are kept in this cache (by the service worker when it
 * serves them, and by the model worker itself when the page was not yet controlled), for offline starts.
 * An update renews the kept builds before it takes over (see the service worker).
 */
export const RUNTIME_CACHE = 'florence2-onnx-runtime';

// Vite names them `ort-wasm-simd-threaded[.jspi|.asyncify]-<hash>.wasm`; the dev server, without hash.
const RUNTIME_BUILD_FILE = /\/(ort-wasm-simd-threaded(?:\.[a-z]+)?)(?:-[\w-]+)?\.wasm$/;

/**
 * Which build a runtime file URL is, the same across app versions ('ort-wasm-simd-threaded.jspi'),
 * or null for any other URL.
 */
export function runtimeBuildName(url: string): string | null {
  return RUNTIME_BUILD_FILE.exec(new URL(url, 'http://x/').pathname)?.[1] ?? null;
}

export function isRuntimeBuildUrl(url: string): boolean {
  return runtimeBuildName(url) !== null;
}

/**
 * This version's files of the builds kept from an earlier version: what an update must fetch so the
 * device still starts offline on the build it used.
 */
export function renewedRuntimeUrls(keptUrls: readonly string[], currentUrls: readonly string[]): string[] {
  const keptBuilds = new Set(keptUrls.map(runtimeBuildName));
  return currentUrls.filter((url) => keptBuilds.has(runtimeBuildName(url)) && !keptUrls.includes(url));
}
