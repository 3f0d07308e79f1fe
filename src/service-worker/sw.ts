/**
 * The service worker: precaches the app shell so the app starts offline, keeps the ONNX Runtime
 * builds this device loads (renewed on update), adds the security and isolation headers to what it
 * serves (for hosts that cannot set headers), and receives images shared to the installed app.
 */
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, type PrecacheEntry, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { isRuntimeBuildUrl, RUNTIME_CACHE, renewedRuntimeUrls } from '../shared/runtime-files';
import { ISOLATION_HEADERS } from '../shared/security-headers';
import { SHARE_TARGET_PATH, SHARED_IMAGE_CACHE, SHARED_IMAGE_KEY } from '../shared/share-target';

declare const self: ServiceWorkerGlobalScope;
declare const __CONTENT_SECURITY_POLICY__: string;

function withHeaders(response: Response, request: Request): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  const isDocumentOrScript =
    request.mode === 'navigate' || request.destination === 'script' || request.destination === 'worker';
  if (isDocumentOrScript) headers.set('Content-Security-Policy', __CONTENT_SECURITY_POLICY__);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const addHeaders: WorkboxPlugin = {
  handlerWillRespond: async ({ request, response }) => withHeaders(response, request),
};
addPlugins([addHeaders]);

const entryUrl = (entry: string | PrecacheEntry) =>
  new URL(typeof entry === 'string' ? entry : entry.url, self.registration.scope).href;
const manifest = self.__WB_MANIFEST;
// This build's ONNX Runtime files: not precached, but kept when first used (see pwa/runtime-cache.ts).
const runtimeUrls = new Set(manifest.map(entryUrl).filter(isRuntimeBuildUrl));

// The app reads its settings from the query string (?model=...); any query maps to the same page.
precacheAndRoute(
  manifest.filter((entry) => !runtimeUrls.has(entryUrl(entry))),
  { ignoreURLParametersMatching: [/.*/] },
);
cleanupOutdatedCaches();
registerRoute(
  ({ url }) => runtimeUrls.has(url.href),
  new CacheFirst({ cacheName: RUNTIME_CACHE, plugins: [addHeaders] }),
);

/**
 * An update changes the runtime files' names; fetch the new files of the builds this device kept
 * before this version takes over, so it still starts offline. A failed fetch fails the install and
 * the current version stays, as with the precache.
 */
async function renewKeptRuntimeFiles(): Promise<void> {
  const cache = await caches.open(RUNTIME_CACHE);
  const kept = (await cache.keys()).map((request) => request.url);
  await cache.addAll(renewedRuntimeUrls(kept, [...runtimeUrls]));
}
self.addEventListener('install', (event) => event.waitUntil(renewKeptRuntimeFiles()));

/** Runtime files of earlier builds are never asked for again. */
async function pruneRuntimeCache(): Promise<void> {
  const cache = await caches.open(RUNTIME_CACHE);
  for (const request of await cache.keys()) {
    if (!runtimeUrls.has(request.url)) await cache.delete(request);
  }
}
self.addEventListener('activate', (event) => event.waitUntil(pruneRuntimeCache()));
// Control the page that installed the worker, so an update can take over (and reload) it.
clientsClaim();

// The page asks for this (registerSW's update) only when the person chose to reload.
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

async function receiveSharedImage(request: Request): Promise<Response> {
  const scope = self.registration.scope;
  try {
    const form = await request.formData();
    const file = form.get('image');
    if (file instanceof File && file.size > 0) {
      const cache = await caches.open(SHARED_IMAGE_CACHE);
      await cache.put(
        new URL(SHARED_IMAGE_KEY, scope).href,
        new Response(file, { headers: { 'Content-Type': file.type, 'X-File-Name': encodeURIComponent(file.name) } }),
      );
      return Response.redirect(new URL('./?shared=1', scope).href, 303);
    }
  } catch {
    // Fall through: the app says nothing arrived.
  }
  return Response.redirect(new URL('./?shared=0', scope).href, 303);
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method === 'POST' && url.href === new URL(SHARE_TARGET_PATH, self.registration.scope).href) {
    event.respondWith(receiveSharedImage(event.request));
  }
});
