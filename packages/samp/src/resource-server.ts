/**
 * Serves in-memory bytes (a VOTable built in memory, a FITS image) at unguessable
 * `http://127.0.0.1:PORT/resources/<token>/<name>` URLs, so that SAMP messages, which carry
 * URLs not data (SAMP 1.3 §3.8), can point at them. The receiver fetches the URL while the
 * resource is held; {@link ResourceRegistry.remove} or the client's `unregister` ends it.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One served resource. */
export interface ServedResource {
  /** The URL receivers fetch. */
  url: string;
  /** Stops serving it. */
  remove(): void;
}

/** Options of {@link ResourceRegistry.add}. */
export interface ServeOptions {
  /** Last path segment of the URL, e.g. `table.vot` (receivers such as TOPCAT show it). Default `resource`. */
  name?: string;
  /** Content-Type header. Default `application/octet-stream`. */
  contentType?: string;
}

interface Entry {
  bytes: Uint8Array;
  contentType: string;
}

/** Path prefix under which resources are served. */
export const RESOURCE_PATH = '/resources/';

/** A registry of served resources, mounted on an existing `node:http` server. */
export class ResourceRegistry {
  private readonly entries = new Map<string, Entry>();

  /** Serves `bytes` under `baseUrl` (the server's `http://127.0.0.1:PORT`). */
  add(baseUrl: string, bytes: Uint8Array | string, options: ServeOptions = {}): ServedResource {
    const token = randomBytes(18).toString('base64url');
    const name = encodeURIComponent(options.name ?? 'resource');
    const path = `${RESOURCE_PATH}${token}/${name}`;
    this.entries.set(path, {
      bytes: typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes,
      contentType: options.contentType ?? 'application/octet-stream',
    });
    return { url: `${baseUrl}${path}`, remove: () => this.entries.delete(path) };
  }

  /** Number of resources being served. */
  get size(): number {
    return this.entries.size;
  }

  /** Stops serving every resource. */
  clear(): void {
    this.entries.clear();
  }

  /** Answers GET/HEAD for a served path; returns false when the request is not for a resource. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = (req.url ?? '').split('?')[0]!;
    if (!path.startsWith(RESOURCE_PATH)) return false;
    const entry = this.entries.get(path);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    } else if (!entry) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such resource (expired or never served)\n');
    } else {
      res.writeHead(200, { 'Content-Type': entry.contentType, 'Content-Length': entry.bytes.length, 'Access-Control-Allow-Origin': '*' });
      res.end(req.method === 'HEAD' ? undefined : entry.bytes);
    }
    return true;
  }
}
