import { RUNTIME_CACHE } from '../../shared/runtime-files';

/** Keeps runtime files for offline use if not kept yet; failures (a full disk) are harmless. */
export async function keepRuntimeFiles(urls: readonly string[]): Promise<void> {
  try {
    const cache = await caches.open(RUNTIME_CACHE);
    for (const url of urls) {
      if (!(await cache.match(url))) await cache.add(url);
    }
  } catch {
    // Online use is unaffected; the next load tries again.
  }
}
