/**
 * Serves one local file over HTTP on 127.0.0.1 for as long as `vokit samp send` waits for its
 * recipients: SAMP messages carry URLs, not data (SAMP 1.3 §3.8), and a `file:` URL only works
 * for recipients that share our filesystem and may read the file. The file is streamed from
 * disk, so its size does not matter, at an unguessable path, so other local users cannot list it.
 */

import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { InputError } from './errors.js';
import { describeFileError } from './input.js';

/** A file being served. */
export interface ServedFile {
  /** The URL recipients fetch: `http://127.0.0.1:PORT/<token>/<file name>`. */
  url: string;
  /** How many GET requests were answered in full so far. */
  readonly fetches: number;
  /** Stops serving and closes open connections. */
  close(): Promise<void>;
}

/** Options of {@link serveFile}. */
export interface ServeFileOptions {
  /** Content-Type header. Default `application/octet-stream`. */
  contentType?: string;
}

/** Starts serving `path` (GET and HEAD) on a free port of 127.0.0.1. */
export async function serveFile(path: string, options: ServeFileOptions = {}): Promise<ServedFile> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputError(`${path}: not a regular file`);
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: ${describeFileError(error)}`, { cause: error });
  }
  const route = `/${randomBytes(18).toString('base64url')}/${encodeURIComponent(basename(path))}`;
  let fetches = 0;
  const server = createServer((req, res) => {
    const target = (req.url ?? '').split('?')[0];
    if (target !== route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': options.contentType ?? 'application/octet-stream', 'Content-Length': size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const body = createReadStream(path);
    body.on('error', () => res.destroy()); // the file went away meanwhile: the recipient sees a cut response
    res.on('finish', () => fetches++);
    body.pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${route}`,
    get fetches() {
      return fetches;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
