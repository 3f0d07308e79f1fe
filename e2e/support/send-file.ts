/**
 * A file from a folder, answered by `send` (the file sender behind Express's static files) the way
 * the model servers need it: byte ranges (transformers.js and the app ask for `bytes=0-0` to learn a
 * file's size), 416 for a range past the end, HEAD, a real 404 for a missing file or a folder, and no
 * directory listing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import mime from 'mime-types';
import send from 'send';

export function contentType(path: string): string {
  return mime.contentType(path.slice(path.lastIndexOf('/') + 1)) || 'application/octet-stream';
}

interface SendError {
  readonly status?: number;
  /** `Content-Range` of a 416. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An error answer that keeps the headers already set: a cross-origin reader must see a 404 as one. */
function answerError(response: ServerResponse, status: number, headers: Readonly<Record<string, string>> = {}): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.removeHeader('Content-Length');
  response.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 404 ? 'not found' : String(status));
}

/** Answers `urlPath` (still URL-encoded, from the root of `folder`) from `folder`. */
export function sendFile(request: IncomingMessage, response: ServerResponse, folder: string, urlPath: string): void {
  send(request, urlPath, {
    root: folder,
    index: false,
    // No validators or caching headers: a browser-cached answer would hide requests the tests count.
    etag: false,
    lastModified: false,
    cacheControl: false,
  })
    .on('headers', (_response: ServerResponse, path: string) => response.setHeader('Content-Type', contentType(path)))
    .on('directory', () => answerError(response, 404))
    .on('error', (error: SendError) => answerError(response, error.status ?? 500, error.headers))
    .pipe(response);
}
