/**
 * The installable app: a valid manifest with icons, a service worker that controls the page with the
 * isolation headers, and an update prompt that waits for downloads to finish.
 */
import { readFile } from 'node:fs/promises';
import { ISOLATION_HEADERS } from '../src/shared/security-headers';
import { expect, REMOTE_TEST_MODEL_URL, test } from './fixtures';
import { holdDownloads } from './support/hold-downloads';
import { StaticServer } from './support/static-server';

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('the manifest is valid and its icons are real PNGs of the stated sizes', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const manifestResponse = await request.get(href ?? '');
  expect(manifestResponse.ok()).toBe(true);
  const manifest = await manifestResponse.json();
  expect(manifest).toMatchObject({ name: 'Florence-2 Web', short_name: 'Florence-2', display: 'standalone' });
  expect(manifest.start_url).toBeTruthy();
  expect(manifest.share_target).toMatchObject({ method: 'POST', enctype: 'multipart/form-data' });
  expect(manifest.file_handlers[0].accept['image/*']).toContain('.jpg');
  const sizes = new Set<string>();
  for (const icon of manifest.icons as { src: string; sizes: string; type: string }[]) {
    const response = await request.get(new URL(icon.src, new URL(href ?? '', page.url())).href);
    expect(response.ok(), icon.src).toBe(true);
    const { width, height } = pngSize(await response.body());
    expect(`${width}x${height}`).toBe(icon.sizes);
    sizes.add(icon.sizes);
  }
  expect([...sizes].sort()).toEqual(['192x192', '512x512']);
});

test('the service worker takes control and keeps the page cross-origin isolated', async ({ app, page }) => {
  await app.open({});
  await app.waitForServiceWorker();
  await page.reload();
  const state = await page.evaluate(() => ({
    controlled: navigator.serviceWorker.controller !== null,
    isolated: window.crossOriginIsolated,
  }));
  expect(state).toEqual({ controlled: true, isolated: true });
});

test('a new build shows an update prompt that waits for a download to finish', async ({ app, page, context }) => {
  // A second copy of the built app on its own server, so the test can deploy a "new build" to it.
  const host = new StaticServer('dist', { port: 4182, headers: { ...ISOLATION_HEADERS } });
  await host.start();
  try {
    await page.goto(`${host.origin}/?model=${encodeURIComponent(REMOTE_TEST_MODEL_URL)}`);
    await app.waitForServiceWorker();
    // Hold the decoder download so a load is in progress when the update arrives.
    const release = await holdDownloads(context, '**/onnx/decoder_model_merged*.onnx');
    await page.getByTestId('load-model').click();
    await expect(app.modelStatus).toHaveText('Downloading model files…');

    const serviceWorker = await readFile('dist/sw.js');
    host.overrides.set('/sw.js', Buffer.concat([serviceWorker, Buffer.from('\n// a new build\n')]));
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });
    await expect(page.getByTestId('update-banner')).toBeVisible();
    await expect(page.getByTestId('apply-update')).toBeDisabled();
    await expect(page.getByTestId('update-banner')).toContainText('once the current download or run finishes');
    // The page was not reloaded under the download.
    await expect(app.modelStatus).toHaveText('Downloading model files…');

    release();
    await expect(page.getByTestId('model-info')).toBeVisible();
    await expect(page.getByTestId('apply-update')).toBeEnabled();
    await Promise.all([page.waitForEvent('load'), page.getByTestId('apply-update').click()]);
    await expect(page.getByTestId('update-banner')).toBeHidden();
  } finally {
    await host.stop();
  }
});

test('a device without WebGPU downloads and keeps only the CPU build of ONNX Runtime', async ({
  app,
  page,
  context,
}) => {
  const runtimeFiles: string[] = [];
  context.on('request', (request) => {
    if (/\/ort-wasm-simd-threaded[^/]*\.wasm$/.test(request.url())) runtimeFiles.push(new URL(request.url()).pathname);
  });
  await app.open({ model: REMOTE_TEST_MODEL_URL });
  await app.waitForServiceWorker();
  const precached = await page.evaluate(async () => {
    const names = (await caches.keys()).filter((name) => name.startsWith('workbox-precache'));
    const urls: string[] = [];
    for (const name of names) urls.push(...(await (await caches.open(name)).keys()).map((request) => request.url));
    return urls;
  });
  expect(precached.length, 'the app shell is precached').toBeGreaterThan(5);
  expect(
    precached.filter((url) => url.includes('.wasm')),
    'no runtime build is precached',
  ).toEqual([]);

  await app.loadModel();
  await expect(page.getByTestId('model-runtime')).toHaveAttribute('data-runtime', 'plain');
  // The 14.3 MB CPU build, not the 26.9 MB asyncify or 16.8 MB JSPI builds that carry WebGPU.
  expect(runtimeFiles.length).toBeGreaterThan(0);
  expect(
    runtimeFiles.every((path) => /\/ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(path)),
    runtimeFiles.join(),
  ).toBe(true);
  const kept = await page.evaluate(async () => {
    const cache = await caches.open('florence2-onnx-runtime');
    return (await cache.keys()).map((request) => new URL(request.url).pathname);
  });
  expect(kept).toEqual([runtimeFiles[0]]);
});

test('an update fetches the new files of the runtime builds this device kept before it takes over', async ({
  app,
  page,
}) => {
  // The cache as an earlier version left it: its plain and JSPI builds, under that version's names.
  await page.goto('/manifest.webmanifest');
  await page.evaluate(async () => {
    const cache = await caches.open('florence2-onnx-runtime');
    await cache.put('/assets/ort-wasm-simd-threaded-0ldVersn.wasm', new Response('earlier version'));
    await cache.put('/assets/ort-wasm-simd-threaded.jspi-0ldVersn.wasm', new Response('earlier version'));
  });
  await app.open({});
  await app.waitForServiceWorker();
  const kept = await page.evaluate(async () => {
    const cache = await caches.open('florence2-onnx-runtime');
    const entries: Record<string, number> = {};
    for (const request of await cache.keys()) {
      entries[new URL(request.url).pathname] = (await (await cache.match(request))?.arrayBuffer())?.byteLength ?? 0;
    }
    return entries;
  });
  // (Vite's content hash is 8 characters.) This version's files of the same two builds, whole (sizes of onnxruntime-web 1.31's .wasm files),
  // and nothing of the earlier version or of the build this device never used.
  const sizes = Object.entries(kept).map(([path, bytes]) => [path.replace(/-[\w-]{8}\.wasm$/, '.wasm'), bytes]);
  expect(Object.fromEntries(sizes)).toEqual({
    '/assets/ort-wasm-simd-threaded.wasm': 14_264_838,
    '/assets/ort-wasm-simd-threaded.jspi.wasm': 16_811_691,
  });
  expect(Object.keys(kept).some((path) => path.includes('0ldVersn'))).toBe(false);
});
