/**
 * SAMP data model (SAMP 1.3 §3.3-§3.9): the three SAMP types (string, list, map), messages,
 * responses, metadata, subscriptions and MType wildcards.
 */
import { SampProtocolError } from './errors.js';

/** A SAMP value: a string, a list of values or a map from strings to values (SAMP 1.3 §3.3). */
export type SampValue = string | SampValue[] | SampMap;
/** A SAMP map. An `undefined` entry means "absent": it is not sent. */
export interface SampMap {
  [key: string]: SampValue | undefined;
}

/** A SAMP message (§3.8): `samp.mtype` and `samp.params`, plus any extra keys. */
export interface SampMessage<P extends SampMap = SampMap> {
  'samp.mtype': string;
  'samp.params': P;
  [key: string]: SampValue | undefined;
}

/** `samp.ok`, `samp.warning` or `samp.error` (§3.9). */
export type SampStatus = 'samp.ok' | 'samp.warning' | 'samp.error';

/** The `samp.error` map of a response (§3.9). */
export interface SampErrInfo {
  'samp.errortxt': string;
  'samp.usertxt'?: string;
  'samp.debugtxt'?: string;
  'samp.code'?: string;
  [key: string]: SampValue | undefined;
}

/** A SAMP response (§3.9). */
export interface SampResponse {
  'samp.status': SampStatus | string;
  'samp.result'?: SampMap;
  'samp.error'?: SampErrInfo;
  [key: string]: SampValue | undefined;
}

/** Application metadata (§3.5); keys such as `samp.name`, `samp.description.text`, `samp.icon.url`. */
export interface SampMetadata {
  'samp.name'?: string;
  'samp.description.text'?: string;
  'samp.description.html'?: string;
  'samp.icon.url'?: string;
  'samp.documentation.url'?: string;
  [key: string]: SampValue | undefined;
}

/** Subscriptions (§3.6): MType (or wildcard) to an annotation map, often empty. */
export type SampSubscriptions = Record<string, SampMap>;

/** What `register` returns (§3.4, §4.4, §5.3). */
export interface SampRegInfo {
  'samp.hub-id': string;
  'samp.self-id': string;
  'samp.private-key': string;
  /** Web Profile only: prefix for URL translation (§5.3.4). */
  'samp.url-translator'?: string;
  [key: string]: SampValue | undefined;
}

const MTYPE_RE = /^[0-9a-zA-Z_-]+(\.[0-9a-zA-Z_-]+)*$/;
const MTYPE_PATTERN_RE = /^(\*|([0-9a-zA-Z_-]+\.)*\*|[0-9a-zA-Z_-]+(\.[0-9a-zA-Z_-]+)*)$/;

/** True if `mtype` is a syntactically valid MType (§3.7: atoms of `[0-9a-zA-Z_-]` joined by dots). */
export function isMType(mtype: string): boolean {
  return MTYPE_RE.test(mtype);
}

/** True if `pattern` is a valid subscription key: an MType, `*`, or `a.b.*` (§3.7). */
export function isMTypePattern(pattern: string): boolean {
  return MTYPE_PATTERN_RE.test(pattern);
}

/** True if subscription key `pattern` (an MType or wildcard, §3.7) matches `mtype`. */
export function mtypeMatches(pattern: string, mtype: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return mtype.startsWith(pattern.slice(0, -1));
  return pattern === mtype;
}

/**
 * The annotation map under which `subscriptions` covers `mtype`, or `undefined` if it does not.
 * An exact key wins over wildcards, and a longer wildcard over a shorter one.
 */
export function findSubscription(subscriptions: SampSubscriptions, mtype: string): SampMap | undefined {
  const exact = subscriptions[mtype];
  if (exact !== undefined && Object.prototype.hasOwnProperty.call(subscriptions, mtype)) return exact;
  let best: string | undefined;
  for (const pattern of Object.keys(subscriptions)) {
    if (pattern.endsWith('*') && mtypeMatches(pattern, mtype) && (best === undefined || pattern.length > best.length)) {
      best = pattern;
    }
  }
  return best === undefined ? undefined : subscriptions[best];
}

/** True if `value` is a SAMP map (a plain object, not a list). */
export function isSampMap(value: unknown): value is SampMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date);
}

/**
 * Checks that `value` is a SAMP message and returns it typed. A missing `samp.params` is
 * taken as `{}` (SAMP 1.3 makes it mandatory, but some clients omit it when empty).
 */
export function toSampMessage(value: unknown, where = 'message'): SampMessage {
  if (!isSampMap(value)) throw new SampProtocolError(`${where} is not a map`);
  const mtype = value['samp.mtype'];
  if (typeof mtype !== 'string' || mtype === '') throw new SampProtocolError(`${where} has no samp.mtype string`);
  const params = value['samp.params'];
  if (params === undefined) return { ...value, 'samp.mtype': mtype, 'samp.params': {} } as SampMessage;
  if (!isSampMap(params)) throw new SampProtocolError(`${where} samp.params is not a map`);
  return value as SampMessage;
}

/** Checks that `value` is a SAMP response (has a `samp.status` string) and returns it typed. */
export function toSampResponse(value: unknown, where = 'response'): SampResponse {
  if (!isSampMap(value)) throw new SampProtocolError(`${where} is not a map`);
  if (typeof value['samp.status'] !== 'string') throw new SampProtocolError(`${where} has no samp.status string`);
  return value as SampResponse;
}

/** Builds a message from an MType and its parameters, dropping parameters that are `undefined`. */
export function createMessage<P extends Record<string, SampValue | undefined>>(mtype: string, params?: P, extra?: SampMap): SampMessage {
  const clean: SampMap = {};
  for (const [key, value] of Object.entries(params ?? {})) if (value !== undefined) clean[key] = value;
  return { ...extra, 'samp.mtype': mtype, 'samp.params': clean };
}

/** A `samp.ok` response carrying `result` (default `{}`). */
export function okResponse(result: SampMap = {}): SampResponse {
  return { 'samp.status': 'samp.ok', 'samp.result': result };
}

/** A `samp.warning` response: the call partly worked (`result`) but `errortxt` says what did not. */
export function warningResponse(errortxt: string, result: SampMap = {}): SampResponse {
  return { 'samp.status': 'samp.warning', 'samp.result': result, 'samp.error': { 'samp.errortxt': errortxt } };
}

/** A `samp.error` response; `extra` adds `samp.code`, `samp.usertxt` or any other error keys. */
export function errorResponse(errortxt: string, extra: Omit<SampErrInfo, 'samp.errortxt'> = {}): SampResponse {
  const error: SampErrInfo = { 'samp.errortxt': errortxt };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) error[key] = value;
  return { 'samp.status': 'samp.error', 'samp.error': error };
}

/** Encodes an integer the SAMP way (§3.3: strings of decimal digits). */
export function encodeSampInt(value: number): string {
  if (!Number.isInteger(value)) throw new SampProtocolError(`${value} is not an integer`);
  return String(value);
}

/** Encodes a float the SAMP way (§3.3: decimal or exponential notation). */
export function encodeSampFloat(value: number): string {
  return String(value);
}

/** Encodes a boolean the SAMP way (§3.3: "1" or "0"). */
export function encodeSampBoolean(value: boolean): string {
  return value ? '1' : '0';
}

/** Decodes a SAMP boolean: "1" or "true" (any case) is true, anything else false (§3.3). */
export function decodeSampBoolean(value: SampValue | undefined): boolean {
  return typeof value === 'string' && (value === '1' || value.toLowerCase() === 'true' || /^[+]?0*[1-9]\d*$/.test(value));
}

/** Converts a decoded XML-RPC value into a SAMP value: numbers and booleans become strings. */
export function toSampValue(value: unknown): SampValue {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return String(value);
    case 'boolean':
      return value ? '1' : '0';
    default:
      break;
  }
  if (Array.isArray(value)) return value.map(toSampValue);
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  const out: SampMap = {};
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    if (member !== undefined) out[key] = toSampValue(member);
  }
  return out;
}
