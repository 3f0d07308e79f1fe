/**
 * A static host on its own loopback origin: the model host (like the Hub or a CDN: CORS, range
 * requests, a log of every request, faults on demand), or a second copy of the app.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve, sep } from 'node:path';
import { rangeResponse, requestedRange, unsatisfiableResponse } from './byte-range';

export const MODEL_SERVER_PORT = 4181;
export const MODEL_SERVER_ORIGIN = `http://127.0.0.1:${MODEL_SERVER_PORT}`;

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html',
  js: 'text/javascript',
  mjs: 'text/javascript',
  css: 'text/css',
  json: 'application/json',
  webmanifest: 'application/manifest+json',
  wasm: 'application/wasm',
  png: 'image/png',
  svg: 'image/svg+xml',
};

function contentType(path: string): string {
  return CONTENT_TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

/** The model host, as the Hub would be: any origin may read its files. */
export function modelServer(folder: string): StaticServer {
  return new StaticServer(folder, {
    port: MODEL_SERVER_PORT,
    headers: {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'Range',
      'Access-Control-Expose-Headers': 'Content-Length, Content-Range',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    },
  });
}

export type Fault =
  /** Sends the headers and part of the body of matching files, then drops the connection. */
  | { readonly kind: 'drop-mid-file'; readonly path: RegExp }
  | { readonly kind: 'status'; readonly path: RegExp; readonly status: number };

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly range: string | undefined;
}

export interface StaticServerOptions {
  readonly port: number;
  /** Headers sent with every response. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Other folders served under URL prefixes (`/models/x/` -> a model folder). */
  readonly mounts?: Readonly<Record<string, string>>;
}

export class StaticServer {
  readonly requests: LoggedRequest[] = [];
  fault: Fault | null = null;
  /** Files served in place of what is on disk, by URL path. */
  readonly overrides = new Map<string, Buffer>();
  private server: Server | null = null;

  constructor(
    private readonly folder: string,
    private readonly options: StaticServerOptions,
  ) {}

  /** Port 0 picks a free port; the origin is known once started. */
  get origin(): string {
    const address = this.server?.address();
    const port = address && typeof address === 'object' ? address.port : this.options.port;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((done) => this.server?.listen(this.options.port, '127.0.0.1', done));
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
    this.server = null;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let path = decodeURIComponent(new URL(request.url ?? '/', this.origin).pathname);
    if (path.endsWith('/')) path += 'index.html';
    this.requests.push({ method: request.method ?? 'GET', path, range: request.headers.range });
    for (const [name, value] of Object.entries(this.options.headers ?? {})) response.setHeader(name, value);
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return;
    }
    const fault = this.fault?.path.test(path) ? this.fault : null;
    if (fault?.kind === 'status') {
      response.writeHead(fault.status, { 'Content-Type': 'text/plain' }).end('fault');
      return;
    }
    const override = this.overrides.get(path);
    if (override) {
      response.writeHead(200, { 'Content-Type': contentType(path), 'Content-Length': String(override.length) });
      response.end(override);
      return;
    }
    const mount = Object.entries(this.options.mounts ?? {}).find(([prefix]) => path.startsWith(prefix));
    const root = resolve(mount ? mount[1] : this.folder);
    const file = resolve(root, `.${mount ? path.slice(mount[0].length - 1) : path}`);
    const info = file.startsWith(root + sep) ? await stat(file).catch(() => null) : null;
    if (!info?.isFile()) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const range = requestedRange(request.headers.range, info.size);
    if (!range) {
      const { status, headers } = unsatisfiableResponse(info.size);
      response.writeHead(status, headers).end();
      return;
    }
    const { status, headers } = rangeResponse(range, info.size);
    response.writeHead(status, { ...headers, 'Content-Type': contentType(path) });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    if (fault?.kind === 'drop-mid-file' && !range.partial) {
      const half = createReadStream(file, { start: 0, end: Math.max(0, Math.floor(info.size / 2)) });
      half.on('data', (chunk) => response.write(chunk));
      half.on('end', () => response.destroy());
      return;
    }
    createReadStream(file, { start: range.start, end: range.end }).pipe(response);
  }
}
