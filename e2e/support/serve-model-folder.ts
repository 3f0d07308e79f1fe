/**
 * A Vite plugin that serves a folder of model files under a URL prefix in dev and preview, with real
 * 404s (Vite's SPA fallback would answer a missing file with index.html, which ORT misreports).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import type { Connect, Plugin } from 'vite';
import { rangeResponse, requestedRange, unsatisfiableResponse } from './byte-range';

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.onnx_data': 'application/octet-stream',
  '.txt': 'text/plain',
};

export function serveModelFolder(options: { folder: string; urlPrefix: string }): Plugin {
  const root = resolve(options.folder);
  const prefix = options.urlPrefix.endsWith('/') ? options.urlPrefix : `${options.urlPrefix}/`;

  const middleware: Connect.NextHandleFunction = (request: IncomingMessage, response: ServerResponse, next) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(prefix)) return next();
    const relative = decodeURIComponent(url.pathname.slice(prefix.length));
    const file = resolve(root, relative);
    if (!file.startsWith(root + sep)) {
      response.statusCode = 403;
      response.end();
      return;
    }
    stat(file).then(
      (info) => {
        if (!info.isFile()) throw new Error('not a file');
        response.setHeader('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
        response.setHeader('Cache-Control', 'no-cache');
        const range = requestedRange(request.headers.range, info.size);
        if (!range) {
          const { status, headers } = unsatisfiableResponse(info.size);
          response.writeHead(status, headers).end();
          return;
        }
        const { status, headers } = rangeResponse(range, info.size);
        response.writeHead(status, headers);
        if (request.method === 'HEAD') {
          response.end();
          return;
        }
        createReadStream(file, { start: range.start, end: range.end }).pipe(response);
      },
      () => {
        response.statusCode = 404;
        response.setHeader('Content-Type', 'text/plain');
        response.end('Not found');
      },
    );
  };

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
