/**
 * Opens what a command reads: a local file, `-` for standard input, or an http(s) URL fetched
 * as a stream. Nothing is read into memory here; the parser pulls chunks as it goes.
 */

import { closeSync, openSync, read, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from './errors.js';
import { withProgress, type ProgressTarget } from './progress.js';

/** An opened input. */
export interface OpenedInput {
  /** How to name the input in messages (the path or URL as given, `stdin` for `-`). */
  name: string;
  /** The bytes, in chunks. */
  chunks: AsyncIterable<Uint8Array>;
  /** Bytes expected, when the file size or Content-Length says. */
  totalBytes?: number;
}

/** Options of `openInput`. */
export interface OpenInputOptions {
  /** Where a progress bar may be drawn (only when it is a terminal). */
  progress?: ProgressTarget;
  /** The fetch to use for URLs. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Aborts a download. */
  signal?: AbortSignal;
  /**
   * Read a local file into a few buffers used in turn instead of a fresh buffer per chunk
   * (default false): fresh memory costs a page fault per 4 KiB, as much again as the read
   * (`vokit count`, 95 MB: about 30 ms). Only for a consumer that copies whatever it keeps of a
   * chunk before it asks for the chunk after the next, as the streaming parser does. Gzip files
   * get fresh chunks anyway (their decompressor may read ahead).
   */
  reuseBuffers?: boolean;
}

/** Bytes per read from a file: large reads keep per-chunk overhead off the parse profile. */
const FILE_CHUNK_BYTES = 1 << 20;
/** How much of an HTTP error body to quote. */
const BODY_EXCERPT_CHARS = 200;

const URL_PATTERN = /^https?:\/\//i;

/** Opens `spec` (path, `-`, or http(s) URL) for reading. Throws InputError when it cannot. */
export async function openInput(spec: string, options: OpenInputOptions = {}): Promise<OpenedInput> {
  const opened = URL_PATTERN.test(spec)
    ? await openUrl(spec, options)
    : spec === '-'
      ? { name: 'stdin', chunks: process.stdin as AsyncIterable<Uint8Array> }
      : await openFile(spec, options.reuseBuffers === true);
  if (options.progress) {
    const label = URL_PATTERN.test(spec) ? opened.name : basename(opened.name);
    opened.chunks = withProgress(opened.chunks, { target: options.progress, totalBytes: opened.totalBytes, label });
  }
  return opened;
}

async function openFile(path: string, reuseBuffers: boolean): Promise<OpenedInput> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError(`${path}: is a directory, not a VOTable file`);
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: ${describeFileError(error)}`, { cause: error });
  }
  return { name: path, chunks: readFileChunks(path, reuseBuffers), totalBytes: size };
}

/** Buffers `reuseBuffers` takes turns with, and reads kept in flight: a chunk's buffer is read
 * into again only once the parser has taken the chunk after it. */
const REUSED_BUFFERS = 4;
const READS_AHEAD = 2;
/** Their size: small enough that a chunk is still in cache when the parser reads it. */
const REUSED_CHUNK_BYTES = 1 << 19;

/**
 * The file's bytes in fresh chunks (the parser may keep a view of a chunk), or with `reuse` in a
 * few buffers taken in turn (see `OpenInputOptions.reuseBuffers`). Fresh chunks are read
 * synchronously: the command has nothing else to do meanwhile, and fs.ReadStream's round trip
 * through the libuv thread pool left the parser idle for a fifth of `vokit count` on a busy
 * two-core machine (`--cpu-prof`, 1e6-row BINARY2). Reused buffers are read one chunk ahead on
 * the thread pool instead, so the kernel's copy of the next chunk overlaps the parsing of this one.
 */
async function* readFileChunks(path: string, reuse: boolean): AsyncGenerator<Uint8Array> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new InputError(`${path}: ${describeFileError(error)}`, { cause: error });
  }
  try {
    if (reuse) {
      const first = new Uint8Array(REUSED_CHUNK_BYTES);
      const n = readSync(fd, first, 0, first.length, null);
      if (n === 0) return;
      // gzip (magic 1f 8b, RFC 1952): its decompressor may hold chunks, so no reuse.
      if (n < 2 || first[0] !== 0x1f || first[1] !== 0x8b) {
        yield* readAhead(fd, first, n);
        return;
      }
      yield first.subarray(0, n);
    }
    for (;;) {
      const chunk = new Uint8Array(FILE_CHUNK_BYTES);
      const n = readSync(fd, chunk, 0, FILE_CHUNK_BYTES, null);
      if (n === 0) return;
      yield n === FILE_CHUNK_BYTES ? chunk : chunk.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The rest of the file after `first[0, n)`, in REUSED_BUFFERS buffers, with READS_AHEAD reads in
 * flight at explicit positions (so they cannot overtake one another).
 */
async function* readAhead(fd: number, first: Uint8Array, n: number): AsyncGenerator<Uint8Array> {
  const ring = [first];
  for (let k = 1; k < REUSED_BUFFERS; k++) ring.push(new Uint8Array(REUSED_CHUNK_BYTES));
  let position = n;
  const readNext = (k: number): Promise<number> => {
    const buffer = ring[k % REUSED_BUFFERS];
    const at = position;
    position += buffer.length;
    return new Promise((resolve, reject) => read(fd, buffer, 0, buffer.length, at, (error, bytes) => (error ? reject(error) : resolve(bytes))));
  };
  const pending: Array<Promise<number>> = [];
  for (let k = 1; k <= READS_AHEAD; k++) pending.push(readNext(k));
  let length = n;
  try {
    for (let k = 0; length > 0; k++) {
      // Chunk k + READS_AHEAD goes into the buffer of chunk k + READS_AHEAD - REUSED_BUFFERS,
      // which the parser let go of when it took chunk k - 1 (see reuseBuffers).
      yield ring[k % REUSED_BUFFERS].subarray(0, length);
      length = await (pending.shift() as Promise<number>);
      // A short read is the end of the file: nothing is read past it.
      if (length === REUSED_CHUNK_BYTES) pending.push(readNext(k + 1 + READS_AHEAD));
    }
  } finally {
    // Never leave a read running into a buffer (or a closed fd) when the consumer stops early.
    await Promise.allSettled(pending);
  }
}

/** Short words for the errno codes a user can act on. */
export function describeFileError(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

async function openUrl(url: string, options: OpenInputOptions): Promise<OpenedInput> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, { signal: options.signal, redirect: 'follow' });
  } catch (error) {
    // undici's "fetch failed" hides the reason (ECONNREFUSED, ENOTFOUND…) in `cause`.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    throw new InputError(`${url}: cannot fetch: ${reason}`, { cause: error });
  }
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    const excerpt = body.replace(/\s+/g, ' ').trim().slice(0, BODY_EXCERPT_CHARS);
    const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new InputError(`${url}: ${status}${excerpt ? `: ${excerpt}` : ''}`);
  }
  if (!response.body) throw new InputError(`${url}: the response has no body`);
  const length = Number(response.headers.get('content-length'));
  // Content-Length counts encoded bytes; with Content-Encoding the decoded stream is longer.
  const totalBytes = Number.isFinite(length) && length > 0 && !response.headers.get('content-encoding') ? length : undefined;
  return { name: url, chunks: response.body as unknown as AsyncIterable<Uint8Array>, totalBytes };
}
