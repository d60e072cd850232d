/**
 * `<STREAM href="…" encoding="…">` (VOTable 1.5 §5.1): rows of a BINARY, BINARY2 or FITS table
 * that live outside the document. `resolveStreamHref` finds the bytes and undoes the encoding;
 * the parser feeds them to the same decoders as inline streams (`pushBytes`).
 *
 * Policy, because a document must not make its reader fetch or disclose arbitrary things:
 * - Relative hrefs resolve against `baseUrl` (the document's own location), as URLs do.
 * - Local files (`file:` or a path) must lie inside the directory of `baseUrl` (after resolving
 *   symlinks), unless `allowOutsideBase` is set: no `../../etc/passwd`.
 * - `http:`/`https:` are fetched only when `allowRemote` is set, through the injectable `fetch`.
 * - Any other scheme is refused.
 *
 * Encodings: none (raw bytes), `gzip` (RFC 1952, via the standard DecompressionStream that Node
 * ≥ 18 and browsers provide), `base64`, and `dynamic` (gzip when the bytes start with the gzip
 * magic 1f 8b, else raw; over HTTP, `fetch` has already undone any Content-Encoding).
 *
 * Local files need Node: `node:fs` is imported on first use only, so browser bundles that never
 * meet a `file:` href do not load it.
 */

import { Base64Decoder } from './base64.js';
import { StreamReferenceError } from './errors.js';

/** Options of `resolveStreamHref`. */
export interface StreamHrefOptions {
  /**
   * Where the document came from: a `file:` or `http(s):` URL, or a local path. Relative hrefs
   * resolve against it. Default: the current directory (as a `file:` URL, in Node).
   */
  baseUrl?: string;
  /** The STREAM `encoding` attribute: undefined or `''` (raw), `gzip`, `base64`, `dynamic`. */
  encoding?: string;
  /** Allow `http:`/`https:` hrefs (default false). */
  allowRemote?: boolean;
  /** Allow local files outside the directory of `baseUrl` (default false). */
  allowOutsideBase?: boolean;
  /** The fetch used for remote hrefs (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
  /** Aborts reading; iteration rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Resolves and reads a STREAM href; a parser option may replace it (e.g. to serve hrefs from a
 * zip archive or a cache). Yields the decoded bytes in chunks.
 */
export type StreamResolver = (href: string, options: StreamHrefOptions) => AsyncIterable<Uint8Array>;

const ENCODINGS = new Set(['', 'gzip', 'base64', 'dynamic']);

/**
 * Resolves `href` against `baseUrl` and checks it against the policy above, without reading.
 *
 * @throws StreamReferenceError for a refused scheme, a remote href without `allowRemote`, or a
 *   local path outside the base directory (the lexical check; `resolveStreamHref` also checks
 *   the real path after symlinks).
 */
export function resolveStreamUrl(href: string, options: StreamHrefOptions = {}): URL {
  const base = baseUrlOf(options.baseUrl);
  let url: URL;
  try {
    url = new URL(href, base);
  } catch (cause) {
    throw new StreamReferenceError(`STREAM href "${href}" is not a URL (base ${base ?? 'none'})`, {}, { cause });
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    if (!options.allowRemote) {
      throw new StreamReferenceError(
        `STREAM href "${href}" is remote (${url.href}); pass allowRemote: true (parser option allowRemoteHref) to fetch it`,
      );
    }
    return url;
  }
  if (url.protocol !== 'file:') {
    throw new StreamReferenceError(`STREAM href "${href}" uses ${url.protocol}, which is not supported (expected file:, http: or https:)`);
  }
  if (!options.allowOutsideBase) {
    const dir = baseDirectory(base);
    if (dir === null || !isInside(url.pathname, dir)) {
      throw new StreamReferenceError(
        `STREAM href "${href}" resolves to ${showPath(url.pathname)}, outside the document's directory ${dir === null ? '(no local base)' : showPath(dir)}; pass allowOutsideBase: true to allow it`,
      );
    }
  }
  return url;
}

/**
 * Reads the bytes a STREAM href points to, decoded per `encoding`.
 *
 * @throws StreamReferenceError (when iterated) for refused or unreadable references, HTTP
 *   errors (with the status and the start of the body), unknown encodings and bad gzip data.
 */
export async function* resolveStreamHref(href: string, options: StreamHrefOptions = {}): AsyncGenerator<Uint8Array> {
  const encoding = (options.encoding ?? '').trim().toLowerCase();
  if (!ENCODINGS.has(encoding)) {
    throw new StreamReferenceError(`STREAM encoding "${options.encoding}" is not supported (expected gzip, base64, dynamic or none)`);
  }
  const url = resolveStreamUrl(href, options);
  const raw = url.protocol === 'file:' ? readLocal(url, href, options) : readRemote(url, href, options);
  yield* decodeStreamEncoding(raw, encoding, { href, signal: options.signal });
}

/** Reads a whole STREAM href into one byte array (for FITS, which needs random access). */
export async function readStreamHref(href: string, options: StreamHrefOptions = {}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of resolveStreamHref(href, options)) {
    chunks.push(chunk);
    total += chunk.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Undoes a STREAM `encoding` on a byte source: `''` passes bytes through, `gzip` decompresses,
 * `base64` decodes text, `dynamic` decompresses only when the data starts with the gzip magic.
 */
export async function* decodeStreamEncoding(
  source: AsyncIterable<Uint8Array>,
  encoding: string,
  context: { href?: string; signal?: AbortSignal } = {},
): AsyncGenerator<Uint8Array> {
  const what = context.href !== undefined ? `STREAM href "${context.href}"` : 'STREAM';
  switch (encoding) {
    case '':
      yield* checked(source, context.signal);
      return;
    case 'gzip':
      yield* gunzip(checked(source, context.signal), what);
      return;
    case 'base64': {
      const decoder = new Base64Decoder();
      let offset = 0;
      for await (const chunk of checked(source, context.signal)) {
        // Offsets in base64 errors count from the start of the referenced file.
        const bytes = decoder.decode(chunk, 0, chunk.length, offset);
        offset += chunk.length;
        if (bytes.length > 0) yield bytes.slice();
      }
      const tail = decoder.end();
      if (tail.length > 0) yield tail;
      return;
    }
    case 'dynamic': {
      const iterator = checked(source, context.signal)[Symbol.asyncIterator]();
      // Gather the first two bytes to sniff, however the source is chunked.
      const head: Uint8Array[] = [];
      let headBytes = 0;
      while (headBytes < 2) {
        const next = await iterator.next();
        if (next.done) break;
        head.push(next.value);
        headBytes += next.value.length;
      }
      const magic = head.flatMap((c) => Array.from(c.subarray(0, 2))).slice(0, 2);
      async function* replay(): AsyncGenerator<Uint8Array> {
        yield* head;
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          yield next.value;
        }
      }
      if (magic[0] === 0x1f && magic[1] === 0x8b) yield* gunzip(replay(), what);
      else yield* replay();
      return;
    }
    default:
      throw new StreamReferenceError(`${what}: encoding "${encoding}" is not supported (expected gzip, base64, dynamic or none)`);
  }
}

async function* checked(source: AsyncIterable<Uint8Array>, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  signal?.throwIfAborted();
  for await (const chunk of source) {
    signal?.throwIfAborted();
    yield chunk;
  }
}

async function* gunzip(source: AsyncIterable<Uint8Array>, what: string): AsyncGenerator<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') {
    throw new StreamReferenceError(`${what}: encoding "gzip" needs DecompressionStream (Node ≥ 18 or a current browser)`);
  }
  const iterator = source[Symbol.asyncIterator]();
  const input = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
  const reader = input.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>).getReader();
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (cause) {
        if (cause instanceof StreamReferenceError || (cause as Error)?.name === 'AbortError') throw cause;
        throw new StreamReferenceError(`${what}: gzip data does not decompress (${(cause as Error)?.message ?? String(cause)})`, {}, { cause });
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    reader.releaseLock();
  }
}

function baseUrlOf(baseUrl: string | undefined): string | undefined {
  if (baseUrl === undefined) {
    const cwd = typeof process !== 'undefined' && typeof process.cwd === 'function' ? process.cwd() : undefined;
    return cwd === undefined ? undefined : pathToFileHref(cwd.endsWith('/') ? cwd : `${cwd}/`);
  }
  // A URL with a scheme of two or more letters; anything else (including C:\…) is a path.
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(baseUrl)) return baseUrl;
  const absolute = baseUrl.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(baseUrl) ? baseUrl : `${process.cwd()}/${baseUrl}`;
  return pathToFileHref(absolute);
}

function pathToFileHref(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  const encoded = slashed
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%3A/g, ':'))
    .join('/');
  return `file://${encoded.startsWith('/') ? '' : '/'}${encoded}`;
}

/** The directory (URL pathname ending in `/`) of a `file:` base, or null for a non-local base. */
function baseDirectory(base: string | undefined): string | null {
  if (base === undefined) return null;
  const url = new URL(base);
  if (url.protocol !== 'file:') return null;
  return url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
}

/** A URL pathname for messages, percent-decoded when it decodes. */
function showPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function isInside(pathname: string, dir: string): boolean {
  return pathname.startsWith(dir) && pathname.length > dir.length;
}

async function* readLocal(url: URL, href: string, options: StreamHrefOptions): AsyncGenerator<Uint8Array> {
  let fs: typeof import('node:fs');
  let nodePath: typeof import('node:path');
  let nodeUrl: typeof import('node:url');
  try {
    [fs, nodePath, nodeUrl] = await Promise.all([import('node:fs'), import('node:path'), import('node:url')]);
  } catch (cause) {
    throw new StreamReferenceError(`STREAM href "${href}" is a local file, which only Node can read`, {}, { cause });
  }
  const path = nodeUrl.fileURLToPath(url);
  let real: string;
  try {
    real = await fs.promises.realpath(path);
  } catch (cause) {
    throw new StreamReferenceError(`STREAM href "${href}": cannot open ${path} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`, {}, { cause });
  }
  if (!options.allowOutsideBase) {
    // Symlinks must not lead out of the base directory either: compare real paths.
    const dir = baseDirectory(baseUrlOf(options.baseUrl));
    const realDir = dir === null ? null : await fs.promises.realpath(nodeUrl.fileURLToPath(new URL(dir, 'file:///'))).catch(() => null);
    const rel = realDir === null ? null : nodePath.relative(realDir, real);
    if (rel === null || rel === '' || rel === '..' || rel.startsWith(`..${nodePath.sep}`) || nodePath.isAbsolute(rel)) {
      throw new StreamReferenceError(
        `STREAM href "${href}" leads to ${real} (through a symbolic link), outside the document's directory ${realDir ?? '(unknown)'}; pass allowOutsideBase: true to allow it`,
      );
    }
  }
  const stream = fs.createReadStream(real, { highWaterMark: 1 << 20, signal: options.signal });
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (cause) {
    if ((cause as Error)?.name === 'AbortError') throw options.signal?.reason ?? cause;
    throw new StreamReferenceError(`STREAM href "${href}": reading ${real} failed (${(cause as Error).message})`, {}, { cause });
  }
}

async function* readRemote(url: URL, href: string, options: StreamHrefOptions): AsyncGenerator<Uint8Array> {
  const fetchFn = options.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== 'function') {
    throw new StreamReferenceError(`STREAM href "${href}" is remote but no fetch is available; pass options.fetch`);
  }
  let response: Response;
  try {
    response = await fetchFn(url.href, { signal: options.signal });
  } catch (cause) {
    if ((cause as Error)?.name === 'AbortError' || options.signal?.aborted) throw options.signal?.reason ?? cause;
    throw new StreamReferenceError(`STREAM href "${href}": fetching ${url.href} failed (${(cause as Error)?.message ?? String(cause)})`, {}, { cause });
  }
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    const excerpt = body.length > 300 ? `${body.slice(0, 300)}…` : body;
    throw new StreamReferenceError(
      `STREAM href "${href}": GET ${url.href} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${excerpt ? `: ${excerpt.trim()}` : ''}`,
    );
  }
  if (!response.body) return;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    reader.releaseLock();
  }
}
