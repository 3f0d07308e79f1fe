import type { BrowserContext, Page } from '@playwright/test';

/**
 * Holds back downloads of matching model files until `release()` is called, so a load stays in its
 * download phase long enough to be observed. Size probes (one-byte range requests) pass.
 */
export async function holdDownloads(target: Page | BrowserContext, pattern: string): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await target.route(pattern, async (route) => {
    if (!route.request().headers().range) await held;
    await route.continue();
  });
  return release;
}
