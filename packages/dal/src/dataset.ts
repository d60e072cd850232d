/**
 * Datasets behind result rows (pyvo `getdataset`, `cachedataset`): streamed downloads with
 * the usual deadline and error rules, and a cache file name that cannot leave its folder
 * whatever the service puts in the URL or Content-Disposition.
 */
import { DALOptionsError } from './errors.js';
import { Deadline, guardedBody, send, type HttpOptions } from './http.js';
import type { Record } from './results.js';

/** A streamed dataset: the body plus what the server said about it. */
export interface Dataset {
  /** The URL finally read (after redirects: SSA's 301 to datalink, for example). */
  url: string;
  /** Content-Type, or undefined. */
  contentType?: string;
  /** Content-Length, or undefined when not sent. */
  contentLength?: number;
  /** File name from Content-Disposition, unsanitised; see {@link safeFilename}. */
  dispositionName?: string;
  /** The body. Read it or cancel it; the deadline applies while reading. */
  body: ReadableStream<Uint8Array>;
}

function urlOf(source: Record | string): string {
  const url = typeof source === 'string' ? source : source.getdataurl();
  if (!url) throw new DALOptionsError('this record has no dataset URL (no access reference column, or it is empty)');
  return url;
}

function dispositionName(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      return star[1].trim();
    }
  }
  return /filename\s*=\s*"([^"]*)"/.exec(header)?.[1] ?? /filename\s*=\s*([^;\s]+)/.exec(header)?.[1];
}

/**
 * Opens the dataset of `source` (a record or a URL) and returns its streamed body (pyvo
 * `getdataset`, without reading it into memory). The `timeout` covers headers and body.
 */
export async function getdataset(source: Record | string, options: HttpOptions = {}): Promise<Dataset> {
  const url = urlOf(source);
  // not disposed on success: the deadline must keep guarding the body the caller reads
  const deadline = new Deadline(options.timeout, options.signal);
  let response: Response;
  try {
    response = await send({ url }, deadline, options);
  } catch (error) {
    deadline.dispose();
    throw error;
  }
  const length = response.headers.get('content-length');
  const body = guardedBody(response, deadline, response.url || url);
  return {
    url: response.url || url,
    contentType: response.headers.get('content-type') ?? undefined,
    contentLength: length === null ? undefined : Number(length),
    dispositionName: dispositionName(response.headers.get('content-disposition')),
    body,
  };
}

const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A file name that is safe to create inside a folder: only the last path segment of `name`,
 * with path separators, control characters and characters Windows forbids replaced by `_`,
 * no leading dots (so never `.` or `..` or a hidden file), no Windows device names, at most
 * 200 bytes of UTF-8. Falls back to `fallback` when nothing usable is left.
 */
export function safeFilename(name: string, fallback = 'dataset'): string {
  let base = name.split(/[\\/]/).pop() ?? '';
  base = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^[.\s]+/, '').replace(/[.\s]+$/, '').trim();
  if (RESERVED_WINDOWS.test(base)) base = `_${base}`;
  const encoder = new TextEncoder();
  while (encoder.encode(base).length > 200) base = base.slice(0, -1);
  if (base === '' || base === '.' || base === '..') return fallback === name ? 'dataset' : safeFilename(fallback, 'dataset');
  return base;
}

/** The file name a dataset would get: Content-Disposition, else the URL's last path segment or ID parameter. */
export function suggestedFilename(dataset: Pick<Dataset, 'url' | 'dispositionName'>): string {
  if (dataset.dispositionName) return safeFilename(dataset.dispositionName);
  try {
    const u = new URL(dataset.url);
    const last = decodeURIComponent(u.pathname.split('/').filter(Boolean).pop() ?? '');
    const id = u.searchParams.get('ID');
    if (id && /^(dlget|dlmeta|getproduct)$/i.test(last)) return safeFilename(id);
    return safeFilename(last);
  } catch {
    return 'dataset';
  }
}

/** Options of {@link cachedataset}. */
export interface CacheOptions extends HttpOptions {
  /** File name to use (sanitised with {@link safeFilename}); default from the response. */
  filename?: string;
  /** Replace an existing file; default false (an existing file is returned as is, no download). */
  overwrite?: boolean;
}

/**
 * Downloads the dataset of `source` into `folder` (Node only) and returns the file's path
 * (pyvo `cachedataset`). Streams to a temporary file and renames it when complete, so a
 * failed download never leaves a partial file under the final name.
 */
export async function cachedataset(source: Record | string, folder: string, options: CacheOptions = {}): Promise<string> {
  const fs = await import('node:fs');
  const fsp = await import('node:fs/promises');
  const path = await import('node:path');
  const { Readable } = await import('node:stream');
  const { pipeline } = await import('node:stream/promises');
  const root = path.resolve(folder);
  await fsp.mkdir(root, { recursive: true });
  const target = (name: string) => {
    const file = path.join(root, safeFilename(name));
    // belt and braces: safeFilename has no separators, but never trust a rule to hold forever
    if (path.dirname(file) !== root) throw new DALOptionsError(`refusing a file name that leaves ${root}: ${name}`);
    return file;
  };
  if (options.filename && !options.overwrite) {
    const file = target(options.filename);
    if (fs.existsSync(file)) return file;
  }
  const dataset = await getdataset(source, options);
  const file = target(options.filename ?? suggestedFilename(dataset));
  if (!options.overwrite && fs.existsSync(file)) {
    await dataset.body.cancel();
    return file;
  }
  const temporary = `${file}.part-${process.pid}-${Date.now()}`;
  try {
    await pipeline(Readable.fromWeb(dataset.body as import('node:stream/web').ReadableStream), fs.createWriteStream(temporary));
    await fsp.rename(temporary, file);
  } catch (error) {
    await fsp.rm(temporary, { force: true });
    throw error;
  }
  return file;
}
