/**
 * HTTP for every protocol: an injectable fetch, the caller's AbortSignal, and deadlines that
 * hold for the whole operation (headers *and* body), with failures turned into typed errors.
 *
 * One rule decides what a failed response means (DALI 1.1 §4.4, and what servers do): a
 * VOTable error document in the body beats the HTTP status, so a 400 carrying
 * `QUERY_STATUS="ERROR"` becomes a {@link DALQueryError} with the server's message, and only a
 * body without one becomes a {@link DALServiceError} with the status and the text.
 */
import { defaultFetch } from '#fetch';
import {
  DALAbortError,
  DALError,
  DALNetworkError,
  DALServiceError,
  DALTimeoutError,
  type DALErrorDetails,
} from './errors.js';
import { errorFromDocumentBytes } from './status.js';

/** The fetch signature the package needs (the WHATWG one). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Options every network call accepts. */
export interface HttpOptions {
  /** fetch to use; default undici's in Node, the platform's elsewhere. */
  fetch?: FetchLike;
  /** Aborts the operation; the error is a {@link DALAbortError} with the reason as `cause`. */
  signal?: AbortSignal;
  /**
   * Deadline for the whole operation in milliseconds (request, response body and, for async
   * TAP, all polling). Default: none for single requests. A passed deadline aborts the
   * request and throws {@link DALTimeoutError}.
   */
  timeout?: number;
  /** Extra request headers (e.g. authorization). */
  headers?: Record<string, string>;
}

/** Bytes of an error body read to look for an error document; the rest is not fetched. */
const ERROR_BODY_LIMIT = 1 << 20;

/**
 * A deadline plus the caller's signal, merged into one AbortSignal for fetch. Create one per
 * operation, pass it down, and `dispose()` it when done (clears the timer).
 */
export class Deadline {
  /** Aborted when the deadline passes or the caller's signal fires. */
  readonly signal: AbortSignal;
  /** Timeout in ms, or undefined for none. */
  readonly timeout?: number;
  /** Absolute end time (`Date.now()` scale), or Infinity. */
  readonly endsAt: number;
  private readonly controller = new AbortController();
  private readonly parent?: AbortSignal;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly onParentAbort = (): void => this.controller.abort(this.parent?.reason);
  private timedOut = false;

  constructor(timeout?: number, parent?: AbortSignal) {
    if (timeout !== undefined && !(timeout > 0)) {
      throw new RangeError(`timeout must be a positive number of milliseconds, got ${timeout}`);
    }
    // setTimeout fires at once for delays above 2^31-1 ms (or Infinity): those mean "no deadline"
    if (timeout !== undefined && timeout > 0x7fffffff) timeout = undefined;
    this.timeout = timeout;
    this.parent = parent;
    this.signal = this.controller.signal;
    this.endsAt = timeout === undefined ? Infinity : Date.now() + timeout;
    if (parent?.aborted) this.controller.abort(parent.reason);
    else parent?.addEventListener('abort', this.onParentAbort, { once: true });
    if (timeout !== undefined) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort(new DALTimeoutError(timeout));
      }, timeout);
    }
  }

  /** Milliseconds left (Infinity without a timeout, 0 once passed). */
  remaining(): number {
    return Math.max(0, this.endsAt - Date.now());
  }

  /** True once the deadline has passed (not when only the caller aborted). */
  get expired(): boolean {
    return this.timedOut || this.endsAt <= Date.now();
  }

  /** Throws the right error if the operation must stop now. */
  check(details: DALErrorDetails & { phase?: string; what?: string } = {}): void {
    if (this.parent?.aborted) throw new DALAbortError({ ...details, cause: this.parent.reason });
    if (this.expired) throw new DALTimeoutError(this.timeout ?? 0, details);
    if (this.signal.aborted) throw new DALAbortError({ ...details, cause: this.signal.reason });
  }

  /**
   * Turns whatever a fetch or body read threw into a DAL error: our deadline → timeout, the
   * caller's signal → abort, DAL errors unchanged, anything else → network error.
   */
  classify(error: unknown, details: DALErrorDetails & { phase?: string; what?: string } = {}): DALError {
    if (this.timedOut) {
      if (error instanceof DALTimeoutError && error.url) return error;
      return new DALTimeoutError(this.timeout ?? 0, { ...details, cause: error });
    }
    if (this.parent?.aborted) {
      return error instanceof DALAbortError ? error : new DALAbortError({ ...details, cause: this.parent.reason });
    }
    if (error instanceof DALError) return error;
    if (this.signal.aborted) return new DALAbortError({ ...details, cause: this.signal.reason });
    const message = error instanceof Error ? describeNetworkError(error) : String(error);
    return new DALNetworkError(message, { ...details, cause: error });
  }

  /** Waits `ms`, or less if the deadline comes first; rejects when aborted. */
  sleep(ms: number): Promise<void> {
    const wait = Math.min(ms, this.remaining());
    return new Promise((resolve, reject) => {
      if (this.signal.aborted) return reject(this.signal.reason);
      const onAbort = (): void => {
        clearTimeout(t);
        reject(this.signal.reason);
      };
      const t = setTimeout(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Releases the timer and the listener on the caller's signal. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }
}

function describeNetworkError(error: Error): string {
  // undici wraps the socket error: "fetch failed" with cause ECONNRESET / ECONNREFUSED / ...
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${error.message} (${cause.code}${cause.message ? `: ${cause.message}` : ''})`;
  if (cause?.message) return `${error.message} (${cause.message})`;
  return error.message;
}

/** One HTTP request as the protocols describe it. */
export interface RequestSpec {
  url: string;
  method?: 'GET' | 'POST' | 'DELETE';
  /** Query parameters (GET) or form fields (POST without `body`). Arrays repeat the key. */
  params?: ParamMap;
  /** A prepared body (multipart uploads); `contentType` goes with it. */
  body?: BodyInit;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Request parameters: a repeated parameter is an array (SIA 2 POS, BAND...). */
export type ParamMap = Record<string, string | number | boolean | readonly (string | number)[] | undefined | null>;

/** Flattens a ParamMap into URLSearchParams, dropping undefined/null, repeating arrays. */
export function toSearchParams(params: ParamMap = {}): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) out.append(key, String(v));
    else out.append(key, String(value));
  }
  return out;
}

/** Appends params to a URL that may already have a query string (SCS URLs often end in `?`). */
export function withParams(url: string, params?: ParamMap): string {
  const query = toSearchParams(params).toString();
  if (!query) return url;
  if (url.endsWith('?') || url.endsWith('&')) return url + query;
  return url + (url.includes('?') ? '&' : '?') + query;
}

/**
 * Sends one request and returns the response when its status is 2xx (after redirects, which
 * fetch follows: UWS's 303s, SSA's 301 to datalink). Otherwise reads up to 1 MiB of the body
 * and throws the error it describes ({@link DALQueryError} for an error VOTable, else
 * {@link DALServiceError}). Network failures, the deadline and aborts become typed errors.
 */
export async function send(spec: RequestSpec, deadline: Deadline, options: HttpOptions = {}): Promise<Response> {
  const method = spec.method ?? 'GET';
  let url = spec.url;
  const headers: Record<string, string> = { ...options.headers, ...spec.headers };
  let body: BodyInit | undefined = spec.body;
  if (method === 'GET' || method === 'DELETE') {
    url = withParams(spec.url, spec.params);
  } else if (body === undefined) {
    body = toSearchParams(spec.params).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (spec.contentType) {
    headers['content-type'] = spec.contentType;
  }
  deadline.check({ url });
  const fetchImpl = options.fetch ?? defaultFetch;
  let response: Response;
  try {
    response = await fetchImpl(url, { method, headers, body, signal: deadline.signal, redirect: 'follow' });
  } catch (error) {
    throw deadline.classify(error, { url });
  }
  if (response.ok) return response;
  throw await errorFromResponse(response, url, deadline);
}

/** Reads a whole body as bytes; deadline and abort apply while reading. */
export async function readBytes(response: Response, url: string, deadline: Deadline): Promise<Uint8Array> {
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw deadline.classify(error, { url, status: response.status });
  }
}

/**
 * The body of `response` as a stream that keeps `deadline` in force while the caller reads it,
 * maps read failures to typed errors, and disposes the deadline at the end or on cancel. For
 * calls that hand the body to the caller (datasets, raw TAP output).
 */
export function guardedBody(response: Response, deadline: Deadline, url: string): ReadableStream<Uint8Array> {
  if (!response.body) {
    deadline.dispose();
    return new ReadableStream({ start: (controller) => controller.close() });
  }
  const reader = response.body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          deadline.dispose();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        deadline.dispose();
        controller.error(deadline.classify(error, { url, status: response.status }));
      }
    },
    cancel(reason) {
      deadline.dispose();
      return reader.cancel(reason);
    },
  });
}

/** Reads at most `limit` bytes of a body, then cancels the rest. */
async function readPrefix(response: Response, limit: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const out = new Uint8Array(Math.min(size, limit));
  let at = 0;
  for (const c of chunks) {
    const n = Math.min(c.byteLength, out.length - at);
    out.set(c.subarray(0, n), at);
    at += n;
    if (at >= out.length) break;
  }
  return out;
}

/** Builds the error a non-2xx response stands for (see the module comment). */
export async function errorFromResponse(response: Response, url: string, deadline: Deadline): Promise<DALError> {
  let bytes: Uint8Array;
  try {
    bytes = await readPrefix(response, ERROR_BODY_LIMIT);
  } catch (error) {
    const classified = deadline.classify(error, { url, status: response.status });
    if (classified instanceof DALNetworkError) {
      return new DALServiceError(`HTTP ${response.status} ${response.statusText}`.trim(), { url, status: response.status, cause: error });
    }
    return classified;
  }
  const fromDocument = await errorFromDocumentBytes(bytes, { url, status: response.status });
  if (fromDocument) return fromDocument;
  return new DALServiceError(`service error ${response.statusText || ''}`.trim(), {
    url,
    status: response.status,
    serverMessage: textOfBody(bytes, response.headers.get('content-type') ?? ''),
  });
}

/** Readable text of an error body: tags stripped from HTML/XML, whitespace collapsed. */
export function textOfBody(bytes: Uint8Array, contentType = ''): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (/html|xml/i.test(contentType) || /^\s*</.test(text)) {
    return text
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&apos;/g, "'")
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim();
  }
  return text.trim();
}
