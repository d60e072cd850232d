/**
 * Opens what a command reads: a local file, `-` for standard input, or an http(s) URL fetched
 * as a stream. Nothing is read into memory here; the parser pulls chunks as it goes.
 */

import { closeSync, openSync, readSync } from 'node:fs';
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
      : await openFile(spec);
  if (options.progress) {
    const label = URL_PATTERN.test(spec) ? opened.name : basename(opened.name);
    opened.chunks = withProgress(opened.chunks, { target: options.progress, totalBytes: opened.totalBytes, label });
  }
  return opened;
}

async function openFile(path: string): Promise<OpenedInput> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError(`${path}: is a directory, not a VOTable file`);
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: ${describeFileError(error)}`, { cause: error });
  }
  return { name: path, chunks: readFileChunks(path), totalBytes: size };
}

/**
 * The file's bytes in fresh chunks (the parser may keep a view of a chunk). Reads are
 * synchronous on purpose: the command has nothing else to do meanwhile, and fs.ReadStream's
 * round trip through the libuv thread pool left the parser idle for a fifth of `vokit count`
 * on a busy two-core machine (`--cpu-prof`, 1e6-row BINARY2).
 */
async function* readFileChunks(path: string): AsyncGenerator<Uint8Array> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new InputError(`${path}: ${describeFileError(error)}`, { cause: error });
  }
  try {
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
