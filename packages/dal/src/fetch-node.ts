/**
 * The fetch used in Node when none is injected: undici 7's, which is newer than the copy
 * bundled with Node 20, with one detour. undici's fetch (and Node's) keeps every chunk of a
 * request body it has sent until the request ends (nodejs/undici#4058): a 300 MB upload held
 * 300 MB of memory. Large Blob bodies (uploads, local files above all) therefore go through
 * undici's `request`, which streams with backpressure, and come back as a fetch Response with
 * fetch's redirect rules, so callers cannot tell the difference.
 */
import { STATUS_CODES } from 'node:http';
import { Readable } from 'node:stream';
import { fetch as undiciFetch, request as undiciRequest, Response as UndiciResponse } from 'undici';
import type { FetchLike } from './http.js';

/** Blob request bodies from this many bytes on are streamed through `undici.request`. */
export const STREAMED_BODY_BYTES = 4 << 20;

/** fetch's limit on redirects (Fetch §4.4 HTTP-redirect fetch, step 5). */
const MAX_REDIRECTS = 20;

/** Statuses whose Response must have a null body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** undici's fetch, with large Blob bodies streamed (see the module comment). */
export const defaultFetch: FetchLike = (input, init) => {
  const body = init?.body;
  if (typeof Blob !== 'undefined' && body instanceof Blob && body.size >= STREAMED_BODY_BYTES) {
    return sendStreamed(String(input), init as RequestInit, body, 0);
  }
  return undiciFetch(input as string, init as Parameters<typeof undiciFetch>[1]) as unknown as Promise<Response>;
};

/**
 * Sends `body` with `undici.request` and returns what fetch would: redirects followed as fetch
 * follows them (303, and 301/302 after POST, become a GET without the body; 307/308 repeat the
 * request, which a Blob allows), `url` set to the final URL.
 */
async function sendStreamed(url: string, init: RequestInit, body: Blob, redirects: number): Promise<Response> {
  const headers: Record<string, string> = Object.fromEntries(new Headers(init.headers));
  headers['content-length'] = String(body.size);
  const method = (init.method ?? 'POST').toUpperCase();
  const answer = await undiciRequest(url, {
    method: method as 'POST',
    headers,
    body: Readable.fromWeb(body.stream() as import('node:stream/web').ReadableStream<Uint8Array>),
    signal: init.signal ?? undefined,
  });
  const status = answer.statusCode;
  const location = answer.headers.location;
  if (status >= 300 && status < 400 && typeof location === 'string' && init.redirect !== 'manual') {
    await answer.body.dump();
    if (init.redirect === 'error') throw new TypeError(`fetch failed: redirect to ${location} with redirect: "error"`);
    if (redirects >= MAX_REDIRECTS) throw new TypeError(`fetch failed: more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, url).href;
    if (status === 307 || status === 308) return sendStreamed(next, init, body, redirects + 1);
    const { 'content-type': _type, 'content-length': _length, ...rest } = headers;
    return undiciFetch(next, { method: 'GET', headers: rest, signal: init.signal ?? undefined, redirect: init.redirect }) as unknown as Promise<Response>;
  }
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
  }
  let responseBody: ReadableStream<Uint8Array> | null = null;
  if (NULL_BODY_STATUSES.has(status)) await answer.body.dump();
  else responseBody = Readable.toWeb(answer.body) as unknown as ReadableStream<Uint8Array>;
  const response = new UndiciResponse(responseBody as never, {
    status,
    statusText: STATUS_CODES[status] ?? '',
    headers: responseHeaders as never,
  }) as unknown as Response;
  // a constructed Response has url ""; fetch's carries the final URL, which callers read
  Object.defineProperty(response, 'url', { value: url });
  return response;
}
