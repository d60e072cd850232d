/**
 * Every error @vokit/samp throws. Each has a stable string `code`, says where (URL, method,
 * byte offset, client id) and what (expected vs. actual), and keeps the underlying error as
 * `cause`.
 *
 * `instanceof SampError` works across two installed copies of the package through a
 * `Symbol.for` brand (the pattern of undici `lib/core/errors.js`).
 */

const BRAND = Symbol.for('vokit.samp.error');

/** Longest server text kept in an error message, in characters. */
const MAX_BODY_CHARS = 300;

function truncate(text: string): string {
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text;
}

/** Base class of every @vokit/samp error. */
export class SampError extends Error {
  /** Stable machine-readable code, e.g. `SAMP_XMLRPC_FAULT`. */
  readonly code: string = 'SAMP_ERROR';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`samp: ${message}`, options);
  }

  get [BRAND](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === SampError) {
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
    }
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** An XML-RPC document that does not parse, is too large, or is not the XML-RPC expected. */
export class XmlRpcParseError extends SampError {
  override readonly code = 'SAMP_XMLRPC_PARSE';
  constructor(
    message: string,
    /** Character offset in the XML text where the problem was found. */
    readonly offset?: number,
  ) {
    super(offset === undefined ? `XML-RPC: ${message}` : `XML-RPC at offset ${offset}: ${message}`);
  }
}

/** A value that XML-RPC (or SAMP) cannot carry: `null`, a function, a lone surrogate, a control character. */
export class XmlRpcEncodeError extends SampError {
  override readonly code = 'SAMP_XMLRPC_ENCODE';
  constructor(
    message: string,
    /** Path of the value inside the encoded structure, e.g. `params[2]["samp.params"].row`. */
    readonly path: string,
  ) {
    super(`XML-RPC encode ${path}: ${message}`);
  }
}

/** The XML-RPC server answered with a `<fault>`: a hub refusing a call ends up here. */
export class XmlRpcFaultError extends SampError {
  override readonly code = 'SAMP_XMLRPC_FAULT';
  constructor(
    /** The fault's `faultCode` (0 if the server sent none). */
    readonly faultCode: number,
    /** The fault's `faultString`, the server's own words. */
    readonly faultString: string,
    /** The XML-RPC method that failed. */
    readonly method?: string,
  ) {
    super(`${method ?? 'XML-RPC call'} failed: ${truncate(faultString)}${faultCode ? ` (fault ${faultCode})` : ''}`);
  }
}

/** HTTP went wrong under XML-RPC: connection refused, non-200 status, wrong content. */
export class SampHttpError extends SampError {
  override readonly code = 'SAMP_HTTP';
  constructor(
    message: string,
    /** The URL that was requested. */
    readonly url: string,
    /** HTTP status, when a response arrived. */
    readonly status?: number,
    /** Start of the response body, when there was one. */
    readonly body?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${url}: ${message}${status === undefined ? '' : ` (HTTP ${status})`}${body ? `: ${truncate(body)}` : ''}`,
      options,
    );
  }
}

/** No hub could be found: no lockfile, or the lockfile's hub does not answer. */
export class NoHubError extends SampError {
  override readonly code = 'SAMP_NO_HUB';
}

/** A lockfile or `SAMP_HUB` value that cannot be used; says which file/line and why. */
export class LockfileError extends SampError {
  override readonly code = 'SAMP_LOCKFILE';
  constructor(
    message: string,
    /** The lockfile path or `SAMP_HUB` value concerned. */
    readonly location: string,
    options?: { cause?: unknown },
  ) {
    super(`${location}: ${message}`, options);
  }
}

/** A hub is already running on the lockfile the new hub wanted to write. */
export class HubRunningError extends SampError {
  override readonly code = 'SAMP_HUB_RUNNING';
}

/** Something did not happen in time: a synchronous call, a registration, a long poll. */
export class SampTimeoutError extends SampError {
  override readonly code = 'SAMP_TIMEOUT';
  constructor(
    message: string,
    /** The limit that was exceeded, in milliseconds. */
    readonly timeoutMs: number,
  ) {
    super(`${message} (after ${timeoutMs} ms)`);
  }
}

/**
 * A SAMP-level rule was broken: a message without `samp.mtype`, an unknown client id, an
 * unsubscribed recipient, a reply to an unknown message. Hubs raise it and turn it into a fault.
 */
export class SampProtocolError extends SampError {
  override readonly code = 'SAMP_PROTOCOL';
}

/** The caller is not allowed to do this: wrong secret, unknown private key, refused origin or consent. */
export class SampAuthError extends SampError {
  override readonly code = 'SAMP_AUTH';
}

/** A recipient answered a call with `samp.error`; keeps the whole response. */
export class SampResponseError extends SampError {
  override readonly code = 'SAMP_RESPONSE_ERROR';
  constructor(
    /** The responding client's public id. */
    readonly responderId: string,
    /** The full `samp.error` response map as received. */
    readonly response: Readonly<Record<string, unknown>>,
  ) {
    const error = (response['samp.error'] ?? {}) as Record<string, unknown>;
    const text = typeof error['samp.errortxt'] === 'string' ? error['samp.errortxt'] : 'no samp.errortxt';
    super(`client ${responderId} answered samp.error: ${truncate(text)}`);
  }
}

/** The client is not registered (never was, or the hub went away): register first. */
export class NotRegisteredError extends SampError {
  override readonly code = 'SAMP_NOT_REGISTERED';
}

/** A caller passed options that cannot work; the message says what to use instead. */
export class SampOptionsError extends SampError {
  override readonly code = 'SAMP_OPTIONS';
}
