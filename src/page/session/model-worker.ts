/**
 * Starting the real model worker: from the app's build, or from where the library's assets are served.
 */
import { LIBRARY_WORKER_FILE } from '../../shared/library-assets';
import { modelWorkerName } from '../../shared/simulated-faults';

/**
 * Starts the model worker. Its options are written out in full: a page that bundles the library with
 * its own Vite reads them at build time, and refuses options it cannot evaluate.
 */
export function startModelWorker(): Worker {
  return new Worker(new URL('../../worker/florence.worker.ts', import.meta.url), {
    type: 'module',
    name: 'florence-2',
  });
}

/**
 * Starts the library's worker from the folder its assets are served from. A worker must come from
 * the page's origin, so one on another origin (a CDN) is started through a same-origin module that
 * imports it; its own files still resolve against its real address.
 */
export function startModelWorkerAt(assetsUrl: string | URL): Worker {
  const name = modelWorkerName(null);
  const base = new URL(assetsUrl, location.href);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const workerUrl = new URL(LIBRARY_WORKER_FILE, base);
  if (workerUrl.origin === location.origin) return new Worker(workerUrl, { type: 'module', name });
  const shim = URL.createObjectURL(
    new Blob([`import ${JSON.stringify(workerUrl.href)};`], { type: 'text/javascript' }),
  );
  return new Worker(shim, { type: 'module', name });
}
