/**
 * A static host on its own loopback origin: the model host (like the Hub or a CDN: CORS, range
 * requests, a log of every request, faults on demand), or a second copy of the app.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { contentType, sendFile } from './send-file';

export const MODEL_SERVER_PORT = 4181;
export const MODEL_SERVER_ORIGIN = `http://127.0.0.1:${MODEL_SERVER_PORT}`;

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
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((done) => this.server?.listen(this.options.port, '127.0.0.1', done));
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
    this.server = null;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.origin);
    // Folders answer with their index.html, as a static host does; the URL keeps its encoding for send.
    const urlPath = url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname;
    let path: string;
    try {
      path = decodeURIComponent(urlPath);
    } catch {
      response.writeHead(400).end();
      return;
    }
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
    // A size probe (a range request) still works: only whole-file downloads break.
    if (fault?.kind === 'drop-mid-file' && !request.headers.range) dropHalfway(response);
    const mount = Object.entries(this.options.mounts ?? {}).find(([prefix]) => path.startsWith(prefix));
    if (mount) sendFile(request, response, mount[1], urlPath.slice(mount[0].length - 1));
    else sendFile(request, response, this.folder, urlPath);
  }
}

/**
 * Lets the first half of the body through, then drops the connection, as a network failure would.
 * The file sender pipes into the response, so every chunk passes through `write`.
 */
function dropHalfway(response: ServerResponse): void {
  const write = response.write.bind(response);
  let allowance: number | null = null;
  let dropped = false;
  response.write = (chunk: Uint8Array): boolean => {
    if (dropped) return true;
    allowance ??= Math.floor(Number(response.getHeader('Content-Length')) / 2);
    const part = chunk.subarray(0, allowance);
    allowance -= part.length;
    if (allowance > 0) return write(part);
    dropped = true;
    write(part, () => response.destroy());
    return true;
  };
}
