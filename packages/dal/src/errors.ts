/**
 * Every error @vokit/dal throws, and the one warning it emits. Each error has a stable string
 * `code`, carries the request URL and whatever the server said (HTTP status, the VOTable
 * QUERY_STATUS message, the UWS errorSummary), truncated so that a 50 MB HTML error page does
 * not end up in a log line (undici `ResponseError`, loaders.gl `getResponseError`).
 *
 * `instanceof` works across two installed copies of the package through a `Symbol.for` brand
 * (undici `lib/core/errors.js`).
 */

const BRAND = Symbol.for('vokit.dal.error');

/** Longest server message kept on an error, in characters. */
export const MAX_SERVER_MESSAGE = 500;

/** Shortens a server message to {@link MAX_SERVER_MESSAGE} characters, collapsing whitespace. */
export function truncateMessage(text: string, max = MAX_SERVER_MESSAGE): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** What every DAL error may know about the request that failed. */
export interface DALErrorDetails {
  /** The URL requested (for POST: the endpoint). */
  url?: string;
  /** HTTP status of the response, when there was one. */
  status?: number;
  /** The server's own words (error document, QUERY_STATUS text, body), truncated. */
  serverMessage?: string;
  cause?: unknown;
}

/** Base class of every @vokit/dal error. */
export class DALError extends Error {
  /** Stable machine-readable code, e.g. `DAL_SERVICE`. */
  readonly code: string = 'DAL_ERROR';
  /** The URL requested. */
  readonly url?: string;
  /** HTTP status, when a response arrived. */
  readonly status?: number;
  /** The server's message, truncated to {@link MAX_SERVER_MESSAGE} characters. */
  readonly serverMessage?: string;

  constructor(message: string, details: DALErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.url = details.url;
    this.status = details.status;
    this.serverMessage = details.serverMessage === undefined ? undefined : truncateMessage(details.serverMessage);
  }

  get [BRAND](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === DALError) {
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
    }
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  override get name(): string {
    return this.constructor.name;
  }
}

function describe(what: string, details: DALErrorDetails): string {
  const parts = [what];
  if (details.status !== undefined) parts.push(`(HTTP ${details.status})`);
  if (details.url) parts.push(`from ${details.url}`);
  let text = parts.join(' ');
  if (details.serverMessage) text += `: ${truncateMessage(details.serverMessage, 200)}`;
  return text;
}

/**
 * The service answered with an HTTP error (or an unusable response) and no error document
 * that says more. `status`, `url` and the body's text (`serverMessage`) are kept.
 */
export class DALServiceError extends DALError {
  override readonly code: string = 'DAL_SERVICE';
  constructor(what: string, details: DALErrorDetails = {}) {
    super(describe(what, details), details);
  }
}

/**
 * The service said the query failed: `QUERY_STATUS="ERROR"` in a VOTable (DALI 1.1 §4.4), or
 * the legacy SCS `INFO name="Error"`. Such a document wins over the HTTP status: DaCHS, for
 * example, sends ADQL errors with HTTP 200, others send them with 400.
 */
export class DALQueryError extends DALError {
  override readonly code = 'DAL_QUERY';
  constructor(details: DALErrorDetails & { serverMessage: string }) {
    super(describe('query failed', details), details);
  }
}

/** The response is not what the protocol promises: not XML, not a VOTable, no table in it. */
export class DALFormatError extends DALError {
  override readonly code = 'DAL_FORMAT';
  constructor(what: string, details: DALErrorDetails = {}) {
    super(describe(what, details), details);
  }
}

/** The connection failed: refused, reset, DNS, TLS, or the body stopped half-way. */
export class DALNetworkError extends DALError {
  override readonly code = 'DAL_NETWORK';
  constructor(what: string, details: DALErrorDetails = {}) {
    super(describe(what, details), details);
  }
}

/** A deadline passed (`timeout` option, in ms). The request was aborted. */
export class DALTimeoutError extends DALError {
  override readonly code = 'DAL_TIMEOUT';
  /** The deadline that passed, in milliseconds from the start of the operation. */
  readonly timeout: number;
  /** The UWS phase last seen, when the deadline passed while waiting for a job. */
  readonly phase?: string;
  constructor(timeout: number, details: DALErrorDetails & { phase?: string; what?: string } = {}) {
    super(
      describe(`${details.what ?? 'request'} timed out after ${timeout} ms${details.phase ? ` (job phase ${details.phase})` : ''}`, details),
      details,
    );
    this.timeout = timeout;
    this.phase = details.phase;
  }
}

/** The caller's AbortSignal fired. `cause` is the signal's reason. */
export class DALAbortError extends DALError {
  override readonly code = 'DAL_ABORTED';
  constructor(details: DALErrorDetails = {}) {
    super(describe('request aborted', details), details);
  }
}

/** A UWS job ended in ERROR or ABORTED, or a job operation was refused. */
export class UWSError extends DALError {
  override readonly code = 'DAL_UWS';
  /** The job's phase (`ERROR`, `ABORTED`, ...). */
  readonly phase?: string;
  /** The job's errorSummary message, when it had one. */
  readonly errorSummary?: string;
  constructor(what: string, details: DALErrorDetails & { phase?: string; errorSummary?: string } = {}) {
    super(
      describe(`${what}${details.phase ? ` (phase ${details.phase})` : ''}`, {
        ...details,
        serverMessage: details.errorSummary ?? details.serverMessage,
      }),
      { ...details, serverMessage: details.errorSummary ?? details.serverMessage },
    );
    this.phase = details.phase;
    this.errorSummary = details.errorSummary === undefined ? undefined : truncateMessage(details.errorSummary);
  }
}

/** An option or argument is invalid; the message says what to use instead. */
export class DALOptionsError extends DALError {
  override readonly code = 'DAL_OPTIONS';
}

/**
 * The service cut the result at its row limit (`QUERY_STATUS="OVERFLOW"`). Not thrown:
 * results carry `overflow: true`, and this warning is emitted (through `onWarning`, default
 * `process.emitWarning` or `console.warn`) only when the caller did not ask for the limit
 * with MAXREC, i.e. when the truncation is a surprise.
 */
export class DALOverflowWarning extends Error {
  readonly code = 'DAL_OVERFLOW';
  /** Rows received. */
  readonly rows: number;
  readonly url?: string;
  constructor(rows: number, url?: string) {
    super(`result truncated by the service at ${rows} rows (OVERFLOW)${url ? ` from ${url}` : ''}`);
    this.rows = rows;
    this.url = url;
  }
  override get name(): string {
    return 'DALOverflowWarning';
  }
}

/** Where warnings go: a callback, or the platform's default. */
export type WarningHandler = (warning: Error) => void;

/** Emits `warning` through `handler`, else `process.emitWarning` (Node), else `console.warn`. */
export function emitWarning(warning: Error, handler?: WarningHandler): void {
  if (handler) return handler(warning);
  const proc = (globalThis as { process?: { emitWarning?: (w: Error) => void } }).process;
  if (proc?.emitWarning) proc.emitWarning(warning);
  else console.warn(warning.message);
}
