// The Node fetch (src/fetch-node.ts): large Blob bodies go through undici.request so that an
// upload streams with bounded memory (undici's fetch keeps a body's chunks until the request
// ends, nodejs/undici#4058), and still answer like fetch: redirects, url, status, headers.
import { closeSync, mkdtempSync, openAsBlob, openSync, rmSync, writeSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFetch, STREAMED_BODY_BYTES } from '../src/fetch-node.js';

// a forced collection before each sample, so the figure is live memory, not garbage
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type Seen = { method: string; path: string; bytes: number; contentType?: string };
const seen: Seen[] = [];
const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
let server: Server;
let base = '';
const scratch = mkdtempSync(join(tmpdir(), 'vokit-fetch-node-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      const path = req.url ?? '';
      seen.push({ method: req.method ?? '', path, bytes, contentType: req.headers['content-type'] });
      const route = routes.get(path);
      if (route) route(req, res);
      else {
        res.writeHead(200, { 'content-type': 'text/plain', 'x-bytes': String(bytes) });
        res.end(`got ${bytes}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(scratch, { recursive: true, force: true });
});

/** A file of `mib` MiB of one byte value. */
function bigFile(name: string, mib: number): string {
  const path = join(scratch, name);
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(1 << 20, 66);
  for (let i = 0; i < mib; i++) writeSync(fd, chunk);
  closeSync(fd);
  return path;
}

describe('Node fetch with large request bodies', () => {
  it('streams a 48 MiB file with bounded memory', async () => {
    const file = bigFile('big.bin', 48);
    seen.length = 0;
    gc();
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const sampler = setInterval(() => {
      gc();
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
    }, 50);
    const response = await defaultFetch(`${base}/sink`, { method: 'POST', body: await openAsBlob(file), headers: { 'content-type': 'application/octet-stream' } });
    const text = await response.text();
    clearInterval(sampler);
    rmSync(file);
    expect(text).toBe(`got ${48 << 20}`);
    expect(seen).toEqual([{ method: 'POST', path: '/sink', bytes: 48 << 20, contentType: 'application/octet-stream' }]);
    // undici's fetch held the whole body here (about 48 MiB)
    expect(peak).toBeLessThan(24 << 20);
  });

  it('answers like fetch: 307 repeats the body, 303 becomes a GET, url is the final URL', async () => {
    routes.set('/a', (_req, res) => {
      res.writeHead(307, { location: '/b' });
      res.end();
    });
    routes.set('/b', (_req, res) => {
      res.writeHead(303, { location: `${base}/c?x=1` });
      res.end('see other');
    });
    routes.set('/c?x=1', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] });
      res.end('done');
    });
    seen.length = 0;
    const body = new Blob([new Uint8Array(STREAMED_BODY_BYTES + 5)]);
    const response = await defaultFetch(`${base}/a`, { method: 'POST', body, headers: { 'content-type': 'application/x-votable+xml' } });
    expect([response.status, response.statusText, response.ok, response.url]).toEqual([200, 'OK', true, `${base}/c?x=1`]);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('done');
    expect(seen).toEqual([
      { method: 'POST', path: '/a', bytes: STREAMED_BODY_BYTES + 5, contentType: 'application/x-votable+xml' },
      { method: 'POST', path: '/b', bytes: STREAMED_BODY_BYTES + 5, contentType: 'application/x-votable+xml' },
      { method: 'GET', path: '/c?x=1', bytes: 0, contentType: undefined },
    ]);
  });

  it('returns error statuses with their body, and null bodies for 204', async () => {
    routes.set('/fail', (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<p>broken</p>');
    });
    routes.set('/empty', (_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const body = new Blob([new Uint8Array(STREAMED_BODY_BYTES)]);
    const failed = await defaultFetch(`${base}/fail`, { method: 'POST', body });
    expect([failed.status, failed.statusText, failed.ok, failed.url]).toEqual([500, 'Internal Server Error', false, `${base}/fail`]);
    expect(await failed.text()).toBe('<p>broken</p>');
    const empty = await defaultFetch(`${base}/empty`, { method: 'POST', body });
    expect([empty.status, empty.body]).toEqual([204, null]);
  });

  it('stops on abort, and leaves small bodies to fetch', async () => {
    routes.set('/never', () => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('enough')), 100);
    const body = new Blob([new Uint8Array(STREAMED_BODY_BYTES)]);
    await expect(defaultFetch(`${base}/never`, { method: 'POST', body, signal: controller.signal })).rejects.toThrow();
    const small = await defaultFetch(`${base}/small`, { method: 'POST', body: new Blob(['tiny']) });
    expect(await small.text()).toBe('got 4');
  });
});
