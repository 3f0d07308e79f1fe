/**
 * A Vite plugin that serves a folder of model files under a URL prefix in dev and preview, with real
 * 404s (Vite's SPA fallback would answer a missing file with index.html, which ORT misreports).
 */
import { resolve } from 'node:path';
import type { Connect, Plugin } from 'vite';
// With its extension: Vite loads this file with its config.
import { sendFile } from './send-file.ts';

export function modelFolderMiddleware(options: { folder: string; urlPrefix: string }): Connect.NextHandleFunction {
  const root = resolve(options.folder);
  const prefix = options.urlPrefix.endsWith('/') ? options.urlPrefix : `${options.urlPrefix}/`;
  return (request, response, next) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (!pathname.startsWith(prefix)) return next();
    // Revalidated every time: a copy of an earlier generated model must never be used.
    response.setHeader('Cache-Control', 'no-cache');
    sendFile(request, response, root, pathname.slice(prefix.length - 1));
  };
}

export function serveModelFolder(options: { folder: string; urlPrefix: string }): Plugin {
  const middleware = modelFolderMiddleware(options);
  return {
    name: 'serve-model-folder',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}
