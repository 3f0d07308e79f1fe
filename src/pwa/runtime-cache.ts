/**
 * ONNX Runtime's WebAssembly builds are 14–27 MB each and a device needs only one, so none is
 * precached: the one the model worker loads is kept in this cache (by the service worker when it
 * serves it, and by the worker itself when the page was not yet controlled), for offline starts.
 */
export const RUNTIME_CACHE = 'florence2-onnx-runtime';

/** The file names Vite gives the builds: `ort-wasm-simd-threaded[.jspi|.asyncify]-<hash>.wasm`. */
export function isRuntimeBuildUrl(url: string): boolean {
  return /\/ort-wasm-simd-threaded[^/]*\.wasm$/.test(new URL(url, 'http://x/').pathname);
}

/** Keeps a runtime file for offline use if it is not kept yet; failures (a full disk) are harmless. */
export async function keepRuntimeFile(url: string): Promise<void> {
  try {
    const cache = await caches.open(RUNTIME_CACHE);
    if (!(await cache.match(url))) await cache.add(url);
  } catch {
    // Online use is unaffected; the next load tries again.
  }
}
