/**
 * The loopback hosts answer as the app and transformers.js expect, through real servers: size probes,
 * ranges, HEAD, real 404s, and the faults and overrides the tests inject.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFolderMiddleware } from './serve-model-folder';
import { StaticServer } from './static-server';

const FILE = Uint8Array.from({ length: 100 }, (_, index) => index);
const CORS = { 'Access-Control-Allow-Origin': '*' };

let root: string;
let host: StaticServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'static-server-'));
  await mkdir(join(root, 'site', 'folder'), { recursive: true });
  await mkdir(join(root, 'models'));
  await writeFile(join(root, 'site', 'model.onnx'), FILE);
  await writeFile(join(root, 'site', 'index.html'), '<!doctype html>');
  await writeFile(join(root, 'models', 'config.json'), '{}');
  host = new StaticServer(join(root, 'site'), {
    port: 0,
    headers: CORS,
    mounts: { '/mounted/': join(root, 'models') },
  });
  await host.start();
});

afterAll(async () => {
  await host.stop();
  await rm(root, { recursive: true, force: true });
});

async function get(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  return { response, body: new Uint8Array(await response.arrayBuffer()) };
}

describe('static host', () => {
  it('sends a whole file with its size and type, and says it takes ranges', async () => {
    const { response, body } = await get(`${host.origin}/model.onnx`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('100');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(body).toEqual(FILE);
  });

  it('answers the one-byte size probe with that byte and the full size', async () => {
    const { response, body } = await get(`${host.origin}/model.onnx`, { headers: { Range: 'bytes=0-0' } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 0-0/100');
    expect(response.headers.get('content-length')).toBe('1');
    expect(body).toEqual(FILE.subarray(0, 1));
  });

  it('answers open and overlong ranges with what the file has', async () => {
    const tail = await get(`${host.origin}/model.onnx`, { headers: { Range: 'bytes=90-' } });
    expect([tail.response.status, tail.response.headers.get('content-range')]).toEqual([206, 'bytes 90-99/100']);
    expect(tail.body).toEqual(FILE.subarray(90));
    const overlong = await get(`${host.origin}/model.onnx`, { headers: { Range: 'bytes=50-500' } });
    expect([overlong.response.status, overlong.response.headers.get('content-range')]).toEqual([
      206,
      'bytes 50-99/100',
    ]);
    expect(overlong.body).toEqual(FILE.subarray(50));
  });

  it('refuses a range past the end with 416, readable from another origin', async () => {
    const { response } = await get(`${host.origin}/model.onnx`, { headers: { Range: 'bytes=100-' } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */100');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers HEAD with the headers alone', async () => {
    const { response, body } = await get(`${host.origin}/model.onnx`, {
      method: 'HEAD',
      headers: { Range: 'bytes=0-0' },
    });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 0-0/100');
    expect(body.length).toBe(0);
  });

  it('answers a missing file or a folder with a real 404, never a listing or a fallback page', async () => {
    for (const path of ['/missing.onnx', '/folder', '/folder/', '/missing/']) {
      const { response } = await get(`${host.origin}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('access-control-allow-origin'), path).toBe('*');
    }
    const { response } = await get(`${host.origin}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('serves mounted folders under their prefix, and answers CORS preflights', async () => {
    const { response, body } = await get(`${host.origin}/mounted/config.json`);
    expect(response.status).toBe(200);
    expect(new TextDecoder().decode(body)).toBe('{}');
    expect((await get(`${host.origin}/mounted/model.onnx`)).response.status).toBe(404);
    expect((await get(`${host.origin}/model.onnx`, { method: 'OPTIONS' })).response.status).toBe(204);
  });

  it('logs every request, and serves overrides and faults in place of files', async () => {
    host.requests.length = 0;
    host.overrides.set('/sw.js', Buffer.from('// a new build'));
    const override = await get(`${host.origin}/sw.js`);
    expect([override.response.status, override.response.headers.get('content-type')]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
    host.overrides.clear();

    host.fault = { kind: 'status', path: /model/, status: 500 };
    expect((await get(`${host.origin}/model.onnx`)).response.status).toBe(500);
    host.fault = { kind: 'drop-mid-file', path: /model/ };
    const probe = await get(`${host.origin}/model.onnx`, { headers: { Range: 'bytes=0-0' } });
    expect(probe.response.status).toBe(206);
    const dropped = await fetch(`${host.origin}/model.onnx`);
    expect(dropped.status).toBe(200);
    await expect(dropped.arrayBuffer()).rejects.toThrow();
    host.fault = null;

    expect(host.requests).toEqual([
      { method: 'GET', path: '/sw.js', range: undefined },
      { method: 'GET', path: '/model.onnx', range: undefined },
      { method: 'GET', path: '/model.onnx', range: 'bytes=0-0' },
      { method: 'GET', path: '/model.onnx', range: undefined },
    ]);
  });
});

describe('model folder plugin', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    const middleware = modelFolderMiddleware({ folder: join(root, 'site'), urlPrefix: '/test-models' });
    // Whatever the plugin passes on gets 418, so a test can tell "not mine" from "not found".
    server = createServer((request, response) => middleware(request, response, () => response.writeHead(418).end()));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    origin = `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((done) => server.close(done));
  });

  it('serves files under its prefix with ranges, and a real 404 for a missing one', async () => {
    const probe = await get(`${origin}/test-models/model.onnx`, { headers: { Range: 'bytes=0-0' } });
    expect([probe.response.status, probe.response.headers.get('content-range')]).toEqual([206, 'bytes 0-0/100']);
    expect(probe.response.headers.get('cache-control')).toBe('no-cache');
    expect((await get(`${origin}/test-models/model.onnx`, { headers: { Range: 'bytes=100-' } })).response.status).toBe(
      416,
    );
    expect((await get(`${origin}/test-models/missing.onnx`)).response.status).toBe(404);
    expect((await get(`${origin}/test-models/folder`)).response.status).toBe(404);
    expect((await get(`${origin}/elsewhere.onnx`)).response.status).toBe(418);
  });

  it('refuses a path that climbs out of the folder', async () => {
    // fetch() would resolve the dots itself; a raw request sends them as written.
    const status = await new Promise<number | undefined>((done, fail) => {
      httpRequest(`${origin}/test-models/..%2f..%2fetc%2fpasswd`, (response) => {
        response.resume();
        done(response.statusCode);
      })
        .on('error', fail)
        .end();
    });
    expect(status).toBe(403);
  });
});
