/**
 * XML-RPC encoding and decoding (https://xmlrpc.com/spec.md), the wire format of the SAMP
 * Standard and Web Profiles (SAMP 1.3 §4.3, §5.3).
 *
 * SAMP itself only sends strings, lists and maps, but hubs and clients in the wild also send
 * `<int>`, `<boolean>`, `<double>`, `<base64>`, `<dateTime.iso8601>` and `<nil/>`: all decode.
 * The decoder is a small recursive-descent reader written for this subset of XML: it refuses
 * any DOCTYPE (so no entity can be declared, let alone expanded), knows only the five
 * predefined entities and character references, bounds the input size and nesting depth,
 * and keeps untyped `<value>text</value>` strings verbatim, whitespace included, as JSAMP
 * sends them that way.
 */
import { XmlRpcEncodeError, XmlRpcFaultError, XmlRpcParseError } from './errors.js';

/** A value XML-RPC can carry. `null` only comes from `<nil/>` (an extension) when decoding. */
export type XmlRpcValue =
  | string
  | number
  | boolean
  | Date
  | Uint8Array
  | null
  | XmlRpcValue[]
  | { [key: string]: XmlRpcValue };

/** A decoded `<methodCall>`. */
export interface XmlRpcCall {
  methodName: string;
  params: XmlRpcValue[];
}

/** Limits applied while decoding. */
export interface XmlRpcDecodeOptions {
  /** Longest accepted document, in characters. Default 64 MiB. */
  maxLength?: number;
  /** Deepest accepted nesting of arrays and structs. Default 64. */
  maxDepth?: number;
}

/** Default {@link XmlRpcDecodeOptions.maxLength}: 64 Mi characters. */
export const XMLRPC_MAX_LENGTH = 64 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 64;

// ------------------------------------------------------------------------------- encoding

// XML 1.0 §2.2 Char: tab, LF, CR, and U+0020 upwards except surrogates (checked separately)
// and U+FFFE/U+FFFF. CR is written as a character reference so that XML end-of-line
// normalisation (§2.11) does not turn it into LF on the way.
const ESCAPE_RE = /[&<>\r]/g;
const INVALID_CHAR_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const LONE_SURROGATE_RE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

function escapeText(text: string, path: string): string {
  if (INVALID_CHAR_RE.test(text)) {
    const bad = INVALID_CHAR_RE.exec(text)!;
    throw new XmlRpcEncodeError(
      `character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} at index ${bad.index} cannot appear in XML 1.0`,
      path,
    );
  }
  if (LONE_SURROGATE_RE.test(text)) throw new XmlRpcEncodeError('string contains a lone UTF-16 surrogate', path);
  return text.replace(ESCAPE_RE, (c) => ESCAPES[c]!);
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function encodeValue(value: unknown, out: string[], path: string, depth: number): void {
  if (depth > DEFAULT_MAX_DEPTH) throw new XmlRpcEncodeError(`nesting deeper than ${DEFAULT_MAX_DEPTH}`, path);
  switch (typeof value) {
    case 'string':
      out.push('<value><string>', escapeText(value, path), '</string></value>');
      return;
    case 'number':
      if (Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) {
        out.push('<value><int>', String(value), '</int></value>');
      } else if (Number.isFinite(value)) {
        out.push('<value><double>', String(value), '</double></value>');
      } else {
        throw new XmlRpcEncodeError(`${value} is not a finite number`, path);
      }
      return;
    case 'boolean':
      out.push('<value><boolean>', value ? '1' : '0', '</boolean></value>');
      return;
    case 'object':
      break;
    default:
      throw new XmlRpcEncodeError(`a ${typeof value} cannot be sent`, path);
  }
  if (value === null) throw new XmlRpcEncodeError('null cannot be sent (SAMP has no null; omit the key)', path);
  if (Array.isArray(value)) {
    out.push('<value><array><data>');
    for (let i = 0; i < value.length; i++) {
      if (value[i] === undefined) throw new XmlRpcEncodeError('undefined list element', `${path}[${i}]`);
      encodeValue(value[i], out, `${path}[${i}]`, depth + 1);
    }
    out.push('</data></array></value>');
    return;
  }
  if (value instanceof Uint8Array) {
    out.push('<value><base64>', encodeBase64(value), '</base64></value>');
    return;
  }
  if (value instanceof Date) {
    // XML-RPC's dateTime.iso8601 has no time zone; SAMP never uses it, UTC is the only sane choice.
    const iso = value.toISOString().replace(/\.\d{3}Z$/, '').replace(/-/g, '');
    out.push('<value><dateTime.iso8601>', iso, '</dateTime.iso8601></value>');
    return;
  }
  out.push('<value><struct>');
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    // An absent optional field (`{ row: undefined }`) is simply not sent.
    if (member === undefined) continue;
    const memberPath = `${path}[${JSON.stringify(key)}]`;
    out.push('<member><name>', escapeText(key, memberPath), '</name>');
    encodeValue(member, out, memberPath, depth + 1);
    out.push('</member>');
  }
  out.push('</struct></value>');
}

/** Encodes a `<methodCall>` document. Throws {@link XmlRpcEncodeError} for values XML-RPC cannot carry. */
export function encodeMethodCall(methodName: string, params: readonly unknown[]): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<methodCall><methodName>'];
  out.push(escapeText(methodName, 'methodName'), '</methodName><params>');
  for (let i = 0; i < params.length; i++) {
    out.push('<param>');
    encodeValue(params[i], out, `params[${i}]`, 0);
    out.push('</param>');
  }
  out.push('</params></methodCall>\n');
  return out.join('');
}

/** Encodes a successful `<methodResponse>` carrying one value. */
export function encodeMethodResponse(value: unknown): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><params><param>'];
  encodeValue(value, out, 'result', 0);
  out.push('</param></params></methodResponse>\n');
  return out.join('');
}

/** Encodes a fault `<methodResponse>`. Characters XML cannot carry are replaced by `?`. */
export function encodeFault(faultCode: number, faultString: string): string {
  const safe = faultString.replace(INVALID_CHAR_RE, '?').replace(LONE_SURROGATE_RE, '?');
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><fault>'];
  encodeValue({ faultCode: Math.trunc(faultCode) | 0, faultString: safe }, out, 'fault', 0);
  out.push('</fault></methodResponse>\n');
  return out.join('');
}

// ------------------------------------------------------------------------------- decoding

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML 1.0 §2.11: a literal CR or CRLF in the document is a line end, i.e. LF (`&#13;` stays CR). */
function lineEnds(raw: string): string {
  return raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n');
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** A cursor over one XML-RPC document. */
class Reader {
  pos = 0;
  depth = 0;
  constructor(
    readonly text: string,
    readonly maxDepth: number,
  ) {}

  fail(message: string, at = this.pos): never {
    throw new XmlRpcParseError(message, at);
  }

  /** Skips whitespace, comments and processing instructions; refuses DOCTYPE. */
  skipMisc(): void {
    const s = this.text;
    for (;;) {
      while (this.pos < s.length && isSpace(s.charCodeAt(this.pos))) this.pos++;
      if (s.startsWith('<!--', this.pos)) {
        const end = s.indexOf('-->', this.pos + 4);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 3;
      } else if (s.startsWith('<?', this.pos)) {
        const end = s.indexOf('?>', this.pos + 2);
        if (end < 0) this.fail('unterminated processing instruction');
        this.pos = end + 2;
      } else if (s.startsWith('<!DOCTYPE', this.pos) || s.startsWith('<!ENTITY', this.pos)) {
        this.fail('DOCTYPE and entity declarations are not allowed in XML-RPC');
      } else {
        return;
      }
    }
  }

  /** Name of the start tag at the cursor (after skipMisc), or null if the cursor is not at one. */
  peekStart(): string | null {
    this.skipMisc();
    const s = this.text;
    if (s.charCodeAt(this.pos) !== 0x3c /* < */) return null;
    const c = s.charCodeAt(this.pos + 1);
    if (c === 0x2f /* / */ || c === 0x21 /* ! */ || c === 0x3f /* ? */) return null;
    let end = this.pos + 1;
    while (end < s.length && !isSpace(s.charCodeAt(end)) && s[end] !== '>' && s[end] !== '/') end++;
    return s.slice(this.pos + 1, end);
  }

  /** Consumes `<name ...>` or `<name .../>`; returns true for the self-closing form. */
  open(name: string): boolean {
    const got = this.peekStart();
    if (got !== name) this.fail(`expected <${name}>, found ${got === null ? this.describe() : `<${got}>`}`);
    const s = this.text;
    let i = this.pos + 1 + name.length;
    // Attributes are not part of XML-RPC; skip them, honouring quotes.
    while (i < s.length && s[i] !== '>') {
      const q = s[i];
      if (q === '"' || q === "'") {
        const close = s.indexOf(q, i + 1);
        if (close < 0) this.fail('unterminated attribute value', i);
        i = close + 1;
      } else {
        i++;
      }
    }
    if (i >= s.length) this.fail(`unterminated <${name}> tag`);
    this.pos = i + 1;
    return s[i - 1] === '/';
  }

  /** Consumes `</name>`, allowing whitespace and comments before it. */
  close(name: string): void {
    this.skipMisc();
    const s = this.text;
    if (!s.startsWith('</', this.pos) || !s.startsWith(name, this.pos + 2)) {
      this.fail(`expected </${name}>, found ${this.describe()}`);
    }
    let i = this.pos + 2 + name.length;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    if (s[i] !== '>') this.fail(`expected </${name}>, found ${this.describe()}`);
    this.pos = i + 1;
  }

  atClose(name: string): boolean {
    this.skipMisc();
    return this.text.startsWith(`</${name}`, this.pos);
  }

  describe(): string {
    if (this.pos >= this.text.length) return 'end of document';
    return JSON.stringify(this.text.slice(this.pos, this.pos + 20));
  }

  /** Reads character data up to the next tag (not consumed), decoding references and CDATA. */
  readText(): string {
    const s = this.text;
    let out = '';
    for (;;) {
      const lt = s.indexOf('<', this.pos);
      const amp = s.indexOf('&', this.pos);
      if (amp >= 0 && (lt < 0 || amp < lt)) {
        out += lineEnds(s.slice(this.pos, amp));
        const semi = s.indexOf(';', amp);
        if (semi < 0 || semi - amp > 12) this.fail('unterminated character or entity reference', amp);
        const ref = s.slice(amp + 1, semi);
        if (ref.startsWith('#')) {
          if (!/^#(x[0-9a-fA-F]+|[0-9]+)$/.test(ref)) this.fail(`bad character reference &${ref};`, amp);
          const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
          if (code > 0x10ffff) this.fail(`bad character reference &${ref};`, amp);
          out += String.fromCodePoint(code);
        } else {
          const ch = PREDEFINED[ref];
          if (ch === undefined) this.fail(`unknown entity &${ref}; (only the five predefined entities are allowed)`, amp);
          out += ch;
        }
        this.pos = semi + 1;
        continue;
      }
      if (lt < 0) this.fail('document ends inside character data', s.length);
      out += lineEnds(s.slice(this.pos, lt));
      if (s.startsWith('<![CDATA[', lt)) {
        const end = s.indexOf(']]>', lt + 9);
        if (end < 0) this.fail('unterminated CDATA section', lt);
        out += lineEnds(s.slice(lt + 9, end));
        this.pos = end + 3;
        continue;
      }
      if (s.startsWith('<!--', lt)) {
        const end = s.indexOf('-->', lt + 4);
        if (end < 0) this.fail('unterminated comment', lt);
        this.pos = end + 3;
        continue;
      }
      this.pos = lt;
      return out;
    }
  }

  /** Reads the text content of a simple element whose start tag was just consumed. */
  simpleContent(name: string, selfClosing: boolean): string {
    if (selfClosing) return '';
    const text = this.readText();
    this.close(name);
    return text;
  }

  value(): XmlRpcValue {
    const valueStart = this.pos;
    if (this.open('value')) return '';
    const raw = this.readText();
    if (this.text.startsWith('</', this.pos)) {
      this.close('value');
      return raw; // untyped <value>text</value> is a string (XML-RPC spec)
    }
    if (raw.trim() !== '') this.fail('text mixed with a typed value', valueStart);
    const type = this.peekStart();
    if (type === null) this.fail(`expected a type element inside <value>, found ${this.describe()}`);
    const at = this.pos;
    const self = this.open(type);
    let result: XmlRpcValue;
    switch (type) {
      case 'string':
        result = self ? '' : this.readTextThenClose(type);
        break;
      case 'int':
      case 'i4':
      case 'i8': {
        const text = this.simpleContent(type, self).trim();
        if (!/^[+-]?\d+$/.test(text)) this.fail(`<${type}> holds ${JSON.stringify(text)}, not an integer`, at);
        result = Number(text);
        if (!Number.isSafeInteger(result)) this.fail(`<${type}> ${text} exceeds 2^53`, at);
        break;
      }
      case 'boolean': {
        const text = this.simpleContent(type, self).trim();
        if (text !== '0' && text !== '1') this.fail(`<boolean> holds ${JSON.stringify(text)}, expected 0 or 1`, at);
        result = text === '1';
        break;
      }
      case 'double': {
        const text = this.simpleContent(type, self).trim();
        result = Number(text);
        if (text === '' || Number.isNaN(result)) this.fail(`<double> holds ${JSON.stringify(text)}, not a number`, at);
        break;
      }
      case 'base64': {
        const text = this.simpleContent(type, self).replace(/\s+/g, '');
        let binary: string;
        try {
          binary = atob(text);
        } catch {
          this.fail('<base64> content is not valid base64', at);
        }
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        result = bytes;
        break;
      }
      case 'dateTime.iso8601': {
        const text = this.simpleContent(type, self).trim();
        const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
        if (!m) this.fail(`<dateTime.iso8601> holds ${JSON.stringify(text)}`, at);
        result = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? 'Z'}`);
        break;
      }
      case 'nil':
      case 'ex:nil':
        if (!self) this.close(type);
        result = null;
        break;
      case 'array':
        result = self ? [] : this.array();
        break;
      case 'struct':
        result = self ? {} : this.struct();
        break;
      default:
        this.fail(`unknown XML-RPC type <${type}>`, at);
    }
    this.close('value');
    return result;
  }

  readTextThenClose(name: string): string {
    const text = this.readText();
    this.close(name);
    return text;
  }

  enter(): void {
    if (++this.depth > this.maxDepth) this.fail(`arrays/structs nested deeper than ${this.maxDepth}`);
  }

  array(): XmlRpcValue[] {
    this.enter();
    const out: XmlRpcValue[] = [];
    if (!this.open('data')) {
      while (!this.atClose('data')) out.push(this.value());
      this.close('data');
    }
    this.close('array');
    this.depth--;
    return out;
  }

  struct(): { [key: string]: XmlRpcValue } {
    this.enter();
    const out: { [key: string]: XmlRpcValue } = {};
    while (!this.atClose('struct')) {
      if (this.open('member')) this.fail('empty <member/>');
      const nameSelf = this.open('name');
      const name = nameSelf ? '' : this.readTextThenClose('name');
      const member = this.value();
      // "__proto__" from the wire is plain data, never the prototype.
      if (name === '__proto__') Object.defineProperty(out, name, { value: member, enumerable: true, writable: true, configurable: true });
      else out[name] = member;
      this.close('member');
    }
    this.close('struct');
    this.depth--;
    return out;
  }

  params(): XmlRpcValue[] {
    const out: XmlRpcValue[] = [];
    if (this.peekStart() !== 'params') return out;
    if (this.open('params')) return out;
    while (!this.atClose('params')) {
      if (this.open('param')) this.fail('empty <param/>');
      out.push(this.value());
      this.close('param');
    }
    this.close('params');
    return out;
  }

  end(): void {
    this.skipMisc();
    if (this.pos < this.text.length) this.fail(`unexpected content after the document: ${this.describe()}`);
  }
}

function reader(text: string, options: XmlRpcDecodeOptions): Reader {
  const maxLength = options.maxLength ?? XMLRPC_MAX_LENGTH;
  if (text.length > maxLength) {
    throw new XmlRpcParseError(`document of ${text.length} characters exceeds the limit of ${maxLength}`);
  }
  // A UTF-8 byte order mark decoded as U+FEFF may precede the XML declaration.
  const r = new Reader(text, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  if (text.charCodeAt(0) === 0xfeff) r.pos = 1;
  return r;
}

/** Decodes a `<methodCall>` document. Throws {@link XmlRpcParseError} saying where and what. */
export function decodeMethodCall(text: string, options: XmlRpcDecodeOptions = {}): XmlRpcCall {
  const r = reader(text, options);
  if (r.open('methodCall')) r.fail('empty <methodCall/>');
  if (r.open('methodName')) r.fail('empty <methodName/>');
  const methodName = r.readTextThenClose('methodName').trim();
  if (methodName === '') r.fail('empty method name');
  const params = r.params();
  r.close('methodCall');
  r.end();
  return { methodName, params };
}

/**
 * Decodes a `<methodResponse>` document and returns its value; a `<fault>` is thrown as
 * {@link XmlRpcFaultError} (with `method` set when given, for the message).
 */
export function decodeMethodResponse(text: string, options: XmlRpcDecodeOptions & { method?: string } = {}): XmlRpcValue {
  const r = reader(text, options);
  if (r.open('methodResponse')) r.fail('empty <methodResponse/>');
  const next = r.peekStart();
  if (next === 'fault') {
    r.open('fault');
    const fault = r.value();
    r.close('fault');
    r.close('methodResponse');
    r.end();
    const map = (fault && typeof fault === 'object' ? fault : {}) as Record<string, XmlRpcValue>;
    const code = typeof map.faultCode === 'number' ? map.faultCode : Number(map.faultCode) || 0;
    const message = typeof map.faultString === 'string' ? map.faultString : JSON.stringify(fault);
    throw new XmlRpcFaultError(code, message, options.method);
  }
  const params = r.params();
  r.close('methodResponse');
  r.end();
  // A response must hold exactly one value; an empty <params/> is taken as "" (void).
  if (params.length > 1) throw new XmlRpcParseError(`methodResponse holds ${params.length} params, expected 1`);
  return params.length === 0 ? '' : params[0]!;
}
