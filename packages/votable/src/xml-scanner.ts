/**
 * A streaming, byte-level XML tokenizer: not a DOM and not a general XML processor, but exactly
 * what VOTable needs (XML 1.0 elements, attributes, text, CDATA, comments, PIs, the five
 * predefined entities, character references, namespaces, and a DOCTYPE whose internal subset may
 * declare text entities).
 *
 * Input arrives as `Uint8Array` chunks cut anywhere (inside a tag, an attribute value, an entity,
 * CDATA, a comment, a multi-byte UTF-8 sequence). A token that is not complete yet is scanned
 * again from its start when more bytes come; text, CDATA and comments are handed out (or
 * skipped) piece by piece, so a huge base64 STREAM never has to sit in memory whole.
 *
 * Security (OWASP XXE cheat sheet): nothing is ever fetched. The external DTD subset named by
 * `<!DOCTYPE … SYSTEM "…">` is ignored (astropy reads IRSA documents that carry one). Internal
 * general entities are expanded with a budget (`maxEntityExpansions`, and at most
 * `MAX_EXPANDED_CHARS` characters in all), so "billion laughs" stops with a SecurityError after a
 * few thousand steps. Declaring an external entity (SYSTEM/PUBLIC) is allowed, referencing one is
 * a SecurityError; parameter entities are refused with a SecurityError as soon as they are declared.
 *
 * Hot loops that need the raw bytes (TABLEDATA rows, base64) read `buffer` between `pos` and
 * `limit` directly and then call `advance`, which keeps the byte offset and line count right.
 *
 * Why not fast-xml-parser for the header: it wants the whole document as one string, so the
 * header would have to be cut out of a stream first (the end of a header is only known by
 * scanning, and INFOs and further tables follow the data), and it does not report byte offsets
 * for errors. One tokenizer for header and data is simpler and keeps every error located.
 */

import { SecurityError, TruncatedError, VOTableXMLError, type ErrorLocation } from './errors.js';

/** A start tag (`selfClosing` for `<X/>`). */
export interface XmlStartTag {
  kind: 'start';
  /** Name as written, with its prefix (`vot:TABLE`). */
  qname: string;
  /** Name without prefix (`TABLE`). */
  local: string;
  /** Namespace URI the name resolves to; `''` when it has none. */
  ns: string;
  /** Every attribute by qualified name, entities expanded and whitespace normalized (XML 1.0 §3.3.3). */
  attributes: Record<string, string>;
  selfClosing: boolean;
  /** Absolute byte offset of `<`. */
  offset: number;
  /** 1-based line of `<`. */
  line: number;
}

/** An end tag (also produced right after a self-closing start tag). */
export interface XmlEndTag {
  kind: 'end';
  qname: string;
  local: string;
  ns: string;
  offset: number;
  line: number;
}

/**
 * A piece of character data: UTF-8 (or, for a Latin-1 document, Latin-1) bytes
 * `bytes[start, end)`. The view is only valid until the next `push` (which may reuse the
 * memory); copy what you keep.
 * `raw` is false when the bytes come from an entity or character reference.
 */
export interface XmlText {
  kind: 'text';
  bytes: Uint8Array;
  start: number;
  end: number;
  cdata: boolean;
  raw: boolean;
  offset: number;
  line: number;
}

export type XmlToken = XmlStartTag | XmlEndTag | XmlText;

/** Options of XmlScanner. */
export interface XmlScannerOptions {
  /** Most entity expansions allowed in one document (default 10000). */
  maxEntityExpansions?: number;
}

/** Deepest element nesting accepted (VOTables nest a few levels; this only stops abuse). */
export const MAX_DEPTH = 10_000;

/** Most characters all entity expansions together may produce. */
export const MAX_EXPANDED_CHARS = 10_000_000;

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const EQ = 0x3d;
const QUOT = 0x22;
const APOS = 0x27;
const NL = 0x0a;
const SEMI = 0x3b;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');
const encoder = new TextEncoder();

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
const nodeLatin1Slice: Latin1Slice | undefined = (globalThis as { Buffer?: { prototype: { latin1Slice?: Latin1Slice } } })
  .Buffer?.prototype.latin1Slice;

/**
 * `bytes[start, end)` as a string of one character per byte (exact for ASCII). Uses Node's
 * native `latin1Slice` when there is one: no intermediate view, several times faster.
 */
export function asciiString(bytes: Uint8Array, start: number, end: number): string {
  if (nodeLatin1Slice) return nodeLatin1Slice.call(bytes, start, end);
  if (end - start < 64) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  return latin1.decode(bytes.subarray(start, end));
}

/** True for the four XML whitespace bytes. */
export function isXmlSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0d;
}

function isNameEnd(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0d || b === SLASH || b === GT || b === EQ;
}

/** Counts `\n` bytes in `bytes[start, end)`. */
export function countNewlines(bytes: Uint8Array, start: number, end: number): number {
  let n = 0;
  if (end - start <= 256) {
    for (let i = start; i < end; i++) if (bytes[i] === NL) n++;
    return n;
  }
  // Search a bounded view: an indexOf on the whole buffer would run to the next newline, which
  // in a one-line document is the end of the buffer, every time.
  const view = bytes.subarray(start, end);
  for (let i = view.indexOf(NL); i !== -1; i = view.indexOf(NL, i + 1)) n++;
  return n;
}

interface EntityDecl {
  value?: string;
  external: boolean;
}

interface OpenElement {
  qname: string;
  local: string;
  ns: string;
  /** Namespace bindings this element declared (prefix '' for the default namespace). */
  bindings: Map<string, string> | null;
}

/** Thrown internally when a token needs bytes that have not arrived. */
const NEED_MORE = -1;

export class XmlScanner {
  /** Bytes not consumed yet live in `buffer[pos, limit)`. */
  buffer: Uint8Array = new Uint8Array(0);
  pos = 0;
  limit = 0;
  /** Absolute offset of `buffer[0]`. */
  private base = 0;
  /** 1-based line at `pos`. */
  line = 1;
  /** No more input will come. */
  private eof = false;
  private readonly stack: OpenElement[] = [];
  /** Namespace bindings in force: prefix → URIs of the open elements that bind it, innermost last. */
  private readonly scopes = new Map<string, string[]>();
  private readonly entities = new Map<string, EntityDecl>();
  private readonly maxExpansions: number;
  private expansions = 0;
  private expandedChars = 0;
  private rootSeen = false;
  private rootClosed = false;
  private inCData = false;
  /** Self-closing start tag waiting for its end token. */
  private pendingEnd: XmlEndTag | null = null;
  /** Where a search for a terminator may resume (avoids rescanning big comments). */
  private searchFrom = -1;
  /**
   * Set while reading base64 STREAM content: `&` is then handed out as text instead of being
   * expanded (base64 has no use for references; the base64 decoder rejects the byte), which
   * saves one pass over megabytes of text.
   */
  rawText = false;
  /** The document declared a single-byte encoding (ISO-8859-1 and friends). */
  latin1 = false;
  private started = false;

  constructor(options: XmlScannerOptions = {}) {
    this.maxExpansions = options.maxEntityExpansions ?? 10_000;
  }

  /** Absolute byte offset of `buffer[index]`. */
  offsetOf(index: number): number {
    return this.base + index;
  }

  /** Absolute byte offset of the next unconsumed byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** True once the root element has closed. */
  get finished(): boolean {
    return this.rootClosed && this.pendingEnd === null;
  }

  /** Depth of open elements. */
  get depth(): number {
    return this.stack.length;
  }

  /** True when `end()` was called. */
  get ended(): boolean {
    return this.eof;
  }

  /** Adds input bytes. */
  push(chunk: Uint8Array): void {
    if (this.eof) throw new Error('XmlScanner.push after end()');
    if (chunk.length === 0) return;
    // A Node Buffer works, but its subarray() is much slower than a plain Uint8Array's and the
    // decoders slice often: view the same memory as a plain Uint8Array.
    if (chunk.constructor !== Uint8Array) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const rest = this.limit - this.pos;
    if (rest === 0) {
      // Everything was consumed: read the chunk where it is.
      this.base += this.limit;
      this.buffer = chunk;
      this.owned = false;
      this.searchFrom = -1;
      this.pos = 0;
      this.limit = chunk.length;
      return;
    }
    const size = rest + chunk.length;
    if (this.owned && this.buffer.length - this.limit >= chunk.length) {
      // Room left in our own buffer: append in place.
      this.buffer.set(chunk, this.limit);
      this.limit += chunk.length;
      return;
    }
    if (this.owned && this.buffer.length >= size) {
      // Our buffer is big enough once the consumed bytes are dropped: move the unfinished
      // token to the front (token views of the previous chunk are void after `push`).
      this.buffer.copyWithin(0, this.pos, this.limit);
      this.buffer.set(chunk, rest);
    } else {
      // A token spans chunks: keep its bytes and the new ones together, with room for one
      // more chunk, so that steady streaming reuses one buffer and a huge token grows by
      // doubling (linear time overall).
      const next = new Uint8Array(2 * size);
      next.set(this.buffer.subarray(this.pos, this.limit), 0);
      next.set(chunk, rest);
      this.buffer = next;
      this.owned = true;
    }
    this.base += this.pos;
    if (this.searchFrom >= 0) this.searchFrom -= this.pos;
    this.pos = 0;
    this.limit = size;
  }

  /** `buffer` was allocated here (not a caller's chunk), so it may be appended to. */
  private owned = false;
  /** Inside a comment whose start was consumed: the terminator still to find. */
  private skipping: string | null = null;

  /** Says no more input will come; `next()` then reports truncation instead of waiting. */
  end(): void {
    this.eof = true;
  }

  /**
   * True when the next token would be plain character data starting at `buffer[pos]` inside an
   * element (not CDATA, a comment, markup or a pending end tag): a raw-byte reader may then read
   * `buffer[pos, limit)` up to the next `<` itself and `advance`, sparing the scanner's own pass.
   */
  get atText(): boolean {
    return (
      this.started &&
      this.pendingEnd === null &&
      this.skipping === null &&
      !this.inCData &&
      this.stack.length > 0 &&
      this.pos < this.limit &&
      this.buffer[this.pos] !== LT
    );
  }

  /** Consumes `buffer[pos, to)` that holds `newlines` line breaks (for raw-byte readers). */
  advance(to: number, newlines: number): void {
    this.pos = to;
    this.line += newlines;
  }

  /** Location of `buffer[index]` for errors (line valid when index is `pos`). */
  where(index = this.pos, line = this.line): ErrorLocation {
    return { offset: this.base + index, line };
  }

  /** The error for input that ended at `index` inside some construct. */
  truncated(what: string, index = this.pos, line = this.line): TruncatedError {
    return new TruncatedError(`input ends ${what}`, this.where(index, line));
  }

  private xmlError(message: string, index = this.pos, line = this.line): VOTableXMLError {
    return new VOTableXMLError(message, this.where(index, line));
  }

  /** Decodes bytes of names, attribute values and text in the document's encoding. */
  decode(bytes: Uint8Array, start: number, end: number): string {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (bytes[i] > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) return asciiString(bytes, start, end);
    return (this.latin1 ? latin1 : utf8).decode(bytes.subarray(start, end));
  }

  /**
   * The next token, or null when more input is needed (or, after `end()`, when the document is
   * complete). Throws VOTableXMLError, SecurityError or TruncatedError.
   */
  next(): XmlToken | null {
    if (this.pendingEnd) {
      const t = this.pendingEnd;
      this.pendingEnd = null;
      return t;
    }
    for (;;) {
      if (!this.started) {
        // A UTF-8 byte-order mark is allowed before the XML declaration.
        if (this.limit - this.pos < 3 && !this.eof) return null;
        const b = this.buffer;
        if (b[this.pos] === 0xef && b[this.pos + 1] === 0xbb && b[this.pos + 2] === 0xbf) this.pos += 3;
        else if ((b[this.pos] === 0xfe && b[this.pos + 1] === 0xff) || (b[this.pos] === 0xff && b[this.pos + 1] === 0xfe)) {
          throw this.xmlError('UTF-16 documents are not supported; convert to UTF-8');
        }
        this.started = true;
      }
      if (this.skipping) {
        if (this.skipUntil(this.skipping, this.pos, 'a comment', true) === NEED_MORE) return null;
        continue;
      }
      if (this.pos >= this.limit) {
        if (this.eof) return this.atEnd();
        return null;
      }
      if (this.inCData) {
        const t = this.cdataPiece();
        if (t === NEED_MORE) return null;
        if (t !== null) return t;
        continue;
      }
      const b = this.buffer[this.pos];
      if (b === LT) {
        const t = this.markup();
        if (t === NEED_MORE) {
          if (this.eof) throw this.truncated('inside markup');
          return null;
        }
        if (t !== null) return t;
        continue;
      }
      if (b === AMP && !this.rawText) {
        const t = this.reference();
        if (t === NEED_MORE) {
          if (this.eof) throw this.truncated('inside an entity reference');
          return null;
        }
        return t;
      }
      const t = this.textPiece();
      if (t !== null) return t;
    }
  }

  private atEnd(): null {
    if (!this.rootSeen) throw new TruncatedError('input ends before the root element', this.where());
    if (!this.rootClosed) {
      const open = this.stack[this.stack.length - 1];
      throw new TruncatedError(`input ends inside <${open ? open.qname : '?'}> (missing end tags)`, this.where());
    }
    return null;
  }

  /** Character data up to the next `<` or `&`. */
  private textPiece(): XmlText | null {
    const buf = this.buffer;
    const start = this.pos;
    let i = start;
    const limit = this.limit;
    // indexOf is native and fast for the long base64 runs.
    let lt = buf.indexOf(LT, i);
    if (lt === -1 || lt > limit) lt = limit;
    // Bounded search: an unbounded indexOf would run to the end of a huge buffer every time.
    // In `rawText` mode (base64 STREAM content) references are not looked for at all.
    let amp = this.rawText ? -1 : lt - i > 64 ? buf.subarray(i, lt).indexOf(AMP) : -1;
    if (lt - i <= 64 && !this.rawText) {
      for (let k = i; k < lt; k++) {
        if (buf[k] === AMP) {
          amp = k - i;
          break;
        }
      }
    }
    amp = amp === -1 ? lt : i + amp;
    i = amp;
    const line = this.line;
    const lines = countNewlines(buf, start, i);
    this.pos = i;
    this.line += lines;
    if (this.stack.length === 0) {
      for (let k = start; k < i; k++) {
        if (!isXmlSpace(buf[k])) {
          throw this.xmlError(this.rootClosed ? 'text after the root element' : 'text before the root element', k, line);
        }
      }
      return null;
    }
    return { kind: 'text', bytes: buf, start, end: i, cdata: false, raw: true, offset: this.base + start, line };
  }

  /** A piece of a CDATA section, or null at its end (which is consumed). */
  private cdataPiece(): XmlText | null | typeof NEED_MORE {
    const buf = this.buffer;
    const start = this.pos;
    let i = start;
    const limit = this.limit;
    while (i < limit) {
      const j = buf.indexOf(GT, i);
      if (j === -1 || j >= limit) break;
      if (j - 2 >= start && buf[j - 1] === 0x5d && buf[j - 2] === 0x5d) {
        const line = this.line;
        const end = j - 2;
        this.line += countNewlines(buf, start, j);
        this.pos = j + 1;
        this.inCData = false;
        if (end > start) return { kind: 'text', bytes: buf, start, end, cdata: true, raw: true, offset: this.base + start, line };
        return null;
      }
      i = j + 1;
    }
    // Hand out what cannot be part of the closing `]]>`.
    let end = limit;
    while (end > start && end > limit - 2 && buf[end - 1] === 0x5d) end--;
    if (end === start) {
      if (this.eof) throw this.truncated('inside a CDATA section');
      return NEED_MORE;
    }
    const line = this.line;
    this.line += countNewlines(buf, start, end);
    this.pos = end;
    return { kind: 'text', bytes: buf, start, end, cdata: true, raw: true, offset: this.base + start, line };
  }

  /** `&name;` or `&#…;` in content. */
  private reference(): XmlText | typeof NEED_MORE {
    const buf = this.buffer;
    const start = this.pos;
    const semi = this.findByte(SEMI, start + 1, 64);
    if (semi === NEED_MORE) return NEED_MORE;
    if (this.stack.length === 0) throw this.xmlError('entity reference outside the root element');
    const name = this.decode(buf, start + 1, semi);
    const text = this.expandReference(name, start);
    if (text.includes('<') && name !== 'lt' && name.charCodeAt(0) !== 0x23) {
      throw this.xmlError(`entity "&${name};" expands to markup, which is not supported`, start);
    }
    this.pos = semi + 1;
    const bytes = encoder.encode(text);
    return { kind: 'text', bytes, start: 0, end: bytes.length, cdata: false, raw: false, offset: this.base + start, line: this.line };
  }

  /** Finds `byte` in `[from, from + max)`; NEED_MORE when the buffer ends first. */
  private findByte(byte: number, from: number, max: number): number {
    const buf = this.buffer;
    const stop = Math.min(this.limit, from + max);
    for (let i = from; i < stop; i++) {
      if (buf[i] === byte) return i;
    }
    if (stop === this.limit) return NEED_MORE;
    throw this.xmlError('entity reference without ";"', from - 1);
  }

  /**
   * Expands one reference name (without `&` and `;`) to its text; `at` is the buffer index of
   * the `&`, for errors. Counts against the expansion budget.
   */
  expandReference(name: string, at: number, chain: string[] = []): string {
    if (name.charCodeAt(0) === 0x23 /* # */) {
      const hex = name.charCodeAt(1) === 0x78; /* x */
      const digits = name.slice(hex ? 2 : 1);
      const code = digits.length > 0 && (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits) ? parseInt(digits, hex ? 16 : 10) : NaN;
      if (!(code >= 1 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) {
        throw this.xmlError(`invalid character reference "&${name};"`, at);
      }
      return String.fromCodePoint(code);
    }
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return predefined;
    const decl = this.entities.get(name);
    if (!decl) throw this.xmlError(`undefined entity "&${name};"`, at);
    if (decl.external) {
      throw new SecurityError(`reference to external entity "&${name};" refused (external entities are never fetched)`, this.where(at));
    }
    if (chain.includes(name)) throw new SecurityError(`entity "&${name};" refers to itself`, this.where(at));
    if (++this.expansions > this.maxExpansions) {
      throw new SecurityError(
        `more than ${this.maxExpansions} entity expansions (raise maxEntityExpansions if the document is trusted)`,
        this.where(at),
      );
    }
    const value = decl.value as string;
    let out: string;
    if (value.indexOf('&') < 0) out = value;
    else {
      out = '';
      let i = 0;
      for (;;) {
        const amp = value.indexOf('&', i);
        if (amp < 0) {
          out += value.slice(i);
          break;
        }
        const semi = value.indexOf(';', amp);
        if (semi < 0) throw this.xmlError(`entity "${name}" has a reference without ";"`, at);
        out += value.slice(i, amp) + this.expandReference(value.slice(amp + 1, semi), at, [...chain, name]);
        i = semi + 1;
      }
    }
    this.expandedChars += out.length;
    if (this.expandedChars > MAX_EXPANDED_CHARS) {
      throw new SecurityError(`entity expansion exceeds ${MAX_EXPANDED_CHARS} characters`, this.where(at));
    }
    return out;
  }

  /** Anything starting with `<`; null when the construct was skipped (comment, PI, DOCTYPE). */
  private markup(): XmlToken | null | typeof NEED_MORE {
    const buf = this.buffer;
    const start = this.pos;
    const avail = this.limit - start;
    if (avail < 2) return NEED_MORE;
    const b1 = buf[start + 1];
    if (b1 === BANG) {
      if (avail < 4) return NEED_MORE;
      if (buf[start + 2] === 0x2d && buf[start + 3] === 0x2d) return this.skipUntil('-->', start + 4, 'a comment', true);
      if (avail < 9) return NEED_MORE;
      if (this.matches(start + 2, '[CDATA[')) {
        if (this.stack.length === 0) throw this.xmlError('CDATA outside the root element');
        this.pos = start + 9;
        this.inCData = true;
        return null;
      }
      if (this.matches(start + 2, 'DOCTYPE')) return this.doctype();
      throw this.xmlError('unexpected "<!"');
    }
    if (b1 === QUESTION) {
      const r = this.skipUntil('?>', start + 2, 'a processing instruction');
      if (r === NEED_MORE) return r;
      this.xmlDeclaration(start, this.pos);
      return null;
    }
    if (b1 === SLASH) return this.endTag();
    return this.startTag();
  }

  private matches(at: number, text: string): boolean {
    const buf = this.buffer;
    for (let k = 0; k < text.length; k++) if (buf[at + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  /**
   * Skips to just after `terminator` (searching from `from`). With `stream`, an unfinished
   * construct is consumed up to where the terminator could start and `skipping` remembers it,
   * so a huge comment never sits in memory whole.
   */
  private skipUntil(terminator: string, from: number, what: string, stream = false): null | typeof NEED_MORE {
    const buf = this.buffer;
    const first = terminator.charCodeAt(0);
    let i = Math.max(from, this.searchFrom);
    const limit = this.limit;
    for (;;) {
      const j = buf.indexOf(first, i);
      if (j === -1 || j + terminator.length > limit) {
        if (this.eof) throw this.truncated(`inside ${what}`);
        const keep = limit - terminator.length + 1;
        if (stream && keep > from) {
          this.line += countNewlines(buf, this.pos, keep);
          this.pos = keep;
          this.skipping = terminator;
          this.searchFrom = -1;
          return NEED_MORE;
        }
        // Resume near the end next time instead of rescanning everything.
        this.searchFrom = Math.max(from, limit - terminator.length);
        return NEED_MORE;
      }
      if (this.matches(j, terminator)) {
        const end = j + terminator.length;
        this.line += countNewlines(buf, this.pos, end);
        this.pos = end;
        this.searchFrom = -1;
        this.skipping = null;
        return null;
      }
      i = j + 1;
    }
  }

  /** Notes the encoding of `<?xml … encoding="…"?>`. */
  private xmlDeclaration(start: number, end: number): void {
    if (!this.matches(start, '<?xml') || !isXmlSpace(this.buffer[start + 5])) return;
    const text = this.decode(this.buffer, start, end);
    const m = /encoding\s*=\s*["']([^"']+)["']/.exec(text);
    if (!m) return;
    const enc = m[1].toLowerCase();
    if (/^(iso-?8859-1|latin-?1|windows-1252|cp1252|us-ascii|ascii)$/.test(enc)) this.latin1 = enc !== 'us-ascii' && enc !== 'ascii';
    else if (enc !== 'utf-8' && enc !== 'utf8') {
      throw new VOTableXMLError(`unsupported encoding "${m[1]}" (UTF-8, ISO-8859-1 and ASCII are read)`, this.where(start));
    }
  }

  /** `<!DOCTYPE …>` with an optional internal subset. */
  private doctype(): null | typeof NEED_MORE {
    const buf = this.buffer;
    const start = this.pos;
    if (this.rootSeen) throw this.xmlError('DOCTYPE after the root element');
    // Find the closing `>` outside quotes, brackets and comments.
    let i = start + 9;
    let depth = 0;
    let quote = 0;
    const limit = this.limit;
    for (; i < limit; i++) {
      const b = buf[i];
      if (quote) {
        if (b === quote) quote = 0;
      } else if (b === QUOT || b === APOS) quote = b;
      else if (b === 0x5b) depth++;
      else if (b === 0x5d) depth--;
      else if (b === LT && buf[i + 1] === BANG && buf[i + 2] === 0x2d && buf[i + 3] === 0x2d) {
        const j = this.indexOfText('-->', i + 4);
        if (j < 0) return NEED_MORE;
        i = j + 2;
      } else if (b === GT && depth <= 0) break;
    }
    if (i >= limit) {
      if (this.eof) throw this.truncated('inside the DOCTYPE');
      return NEED_MORE;
    }
    const text = this.decode(buf, start, i + 1);
    const open = text.indexOf('[');
    const close = text.lastIndexOf(']');
    if (open >= 0 && close > open) this.internalSubset(text.slice(open + 1, close), start);
    this.line += countNewlines(buf, start, i + 1);
    this.pos = i + 1;
    return null;
  }

  private indexOfText(text: string, from: number): number {
    const buf = this.buffer;
    for (let j = buf.indexOf(text.charCodeAt(0), from); j !== -1 && j + text.length <= this.limit; j = buf.indexOf(text.charCodeAt(0), j + 1)) {
      if (this.matches(j, text)) return j;
    }
    return -1;
  }

  /** Reads the ENTITY declarations of a DOCTYPE internal subset; other declarations are ignored. */
  private internalSubset(subset: string, at: number): void {
    const decls = subset.replace(/<!--[\s\S]*?-->/g, ' ');
    if (/%[A-Za-z_:][\w.:-]*;/.test(decls.replace(/"[^"]*"|'[^']*'/g, ''))) {
      throw new SecurityError('parameter entity references in the DTD are refused', this.where(at));
    }
    const re = /<!ENTITY\s+(%\s+)?([^\s"'>]+)\s+(?:"([^"]*)"|'([^']*)'|(SYSTEM|PUBLIC)\b[^>]*)\s*>/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(decls)) !== null) {
      if (m[1]) throw new SecurityError(`parameter entity "%${m[2]};" refused (DTD processing is off)`, this.where(at));
      const name = m[2];
      if (this.entities.has(name)) continue; // XML 1.0 §4.2: the first declaration wins.
      if (m[5]) {
        this.entities.set(name, { external: true });
        continue;
      }
      // Character references in a literal are replaced at declaration time (XML 1.0 §4.5).
      const literal = (m[3] ?? m[4] ?? '').replace(/&#(x[0-9a-fA-F]+|[0-9]+);/g, (_, d: string) =>
        String.fromCodePoint(d[0] === 'x' ? parseInt(d.slice(1), 16) : parseInt(d, 10)),
      );
      this.entities.set(name, { value: literal, external: false });
    }
  }

  private endTag(): XmlEndTag | typeof NEED_MORE {
    const buf = this.buffer;
    const start = this.pos;
    const limit = this.limit;
    let i = start + 2;
    while (i < limit && !isNameEnd(buf[i])) i++;
    const nameEnd = i;
    while (i < limit && isXmlSpace(buf[i])) i++;
    if (i >= limit) return NEED_MORE;
    if (buf[i] !== GT) throw this.xmlError('malformed end tag', start);
    const qname = this.decode(buf, start + 2, nameEnd);
    const open = this.stack.pop();
    if (!open) throw this.xmlError(`end tag </${qname}> without a start tag`, start);
    if (open.qname !== qname) throw this.xmlError(`expected </${open.qname}>, found </${qname}>`, start);
    if (open.bindings) for (const prefix of open.bindings.keys()) this.scopes.get(prefix)!.pop();
    const line = this.line;
    this.line += countNewlines(buf, start, i);
    this.pos = i + 1;
    if (this.stack.length === 0) this.rootClosed = true;
    return { kind: 'end', qname, local: open.local, ns: open.ns, offset: this.base + start, line };
  }

  private startTag(): XmlStartTag | typeof NEED_MORE {
    const buf = this.buffer;
    const start = this.pos;
    const limit = this.limit;
    if (this.rootClosed) throw this.xmlError('a second root element');
    let i = start + 1;
    while (i < limit && !isNameEnd(buf[i])) i++;
    if (i >= limit) return NEED_MORE;
    if (i === start + 1) throw this.xmlError('"<" not followed by a name', start);
    const qname = this.decode(buf, start + 1, i);
    const attributes: Record<string, string> = {};
    let selfClosing = false;
    for (;;) {
      while (i < limit && isXmlSpace(buf[i])) i++;
      if (i >= limit) return NEED_MORE;
      const b = buf[i];
      if (b === GT) {
        i++;
        break;
      }
      if (b === SLASH) {
        if (i + 1 >= limit) return NEED_MORE;
        if (buf[i + 1] !== GT) throw this.xmlError(`malformed tag <${qname}>`, i);
        selfClosing = true;
        i += 2;
        break;
      }
      const nameStart = i;
      while (i < limit && !isNameEnd(buf[i])) i++;
      const nameEnd = i;
      while (i < limit && isXmlSpace(buf[i])) i++;
      if (i >= limit) return NEED_MORE;
      if (buf[i] !== EQ || nameEnd === nameStart) throw this.xmlError(`malformed attribute in <${qname}>`, nameStart);
      i++;
      while (i < limit && isXmlSpace(buf[i])) i++;
      if (i >= limit) return NEED_MORE;
      const q = buf[i];
      if (q !== QUOT && q !== APOS) throw this.xmlError(`attribute value not quoted in <${qname}>`, i);
      const valueStart = i + 1;
      const valueEnd = buf.indexOf(q, valueStart);
      if (valueEnd === -1 || valueEnd >= limit) return NEED_MORE;
      i = valueEnd + 1;
      const name = this.decode(buf, nameStart, nameEnd);
      if (Object.prototype.hasOwnProperty.call(attributes, name)) {
        throw this.xmlError(`attribute "${name}" repeated in <${qname}>`, nameStart);
      }
      attributes[name] = this.attributeValue(valueStart, valueEnd);
    }
    const line = this.line;
    this.line += countNewlines(buf, start, i);
    this.pos = i;
    // Namespace bindings (Namespaces in XML 1.0 §3).
    let bindings: Map<string, string> | null = null;
    for (const name in attributes) {
      if (name === 'xmlns') (bindings ??= new Map()).set('', attributes[name]);
      else if (name.startsWith('xmlns:')) (bindings ??= new Map()).set(name.slice(6), attributes[name]);
    }
    const colon = qname.indexOf(':');
    const prefix = colon >= 0 ? qname.slice(0, colon) : '';
    const local = colon >= 0 ? qname.slice(colon + 1) : qname;
    const ns = this.resolve(prefix, bindings);
    this.rootSeen = true;
    const tag: XmlStartTag = { kind: 'start', qname, local, ns, attributes, selfClosing, offset: this.base + start, line };
    if (this.stack.length >= MAX_DEPTH) {
      // Namespace lookups walk the open elements, so unbounded nesting would cost quadratic time.
      throw new SecurityError(`elements nested deeper than ${MAX_DEPTH}`, this.where(start, line));
    }
    if (selfClosing) {
      if (this.stack.length === 0) this.rootClosed = true;
      this.pendingEnd = { kind: 'end', qname, local, ns, offset: this.base + start, line };
    } else {
      this.stack.push({ qname, local, ns, bindings });
      if (bindings) {
        for (const [prefix, uri] of bindings) {
          const scope = this.scopes.get(prefix);
          if (scope) scope.push(uri);
          else this.scopes.set(prefix, [uri]);
        }
      }
    }
    return tag;
  }

  /** Namespace URI of `prefix`; an undeclared prefix gives `urn:undeclared-prefix:<prefix>`. */
  private resolve(prefix: string, own: Map<string, string> | null): string {
    if (own && own.has(prefix)) return own.get(prefix) as string;
    const scope = this.scopes.get(prefix);
    if (scope && scope.length > 0) return scope[scope.length - 1];
    if (prefix === '') return '';
    if (prefix === 'xml') return XML_NS;
    return `urn:undeclared-prefix:${prefix}`;
  }

  /** Namespace URI bound to `prefix` where the scanner is now. */
  lookupNamespace(prefix: string): string {
    return this.resolve(prefix, null);
  }

  private attributeValue(start: number, end: number): string {
    const buf = this.buffer;
    let plain = true;
    for (let k = start; k < end; k++) {
      const b = buf[k];
      if (b === AMP || b === LT || b === 0x0a || b === 0x09 || b === 0x0d) {
        plain = false;
        break;
      }
    }
    const text = this.decode(buf, start, end);
    if (plain) return text;
    if (text.includes('<')) throw this.xmlError('"<" in an attribute value', start);
    // XML 1.0 §3.3.3: literal whitespace characters become spaces, then references are expanded.
    const normalized = text.replace(/\r\n|[\r\n\t]/g, ' ');
    if (!normalized.includes('&')) return normalized;
    let out = '';
    let i = 0;
    for (;;) {
      const amp = normalized.indexOf('&', i);
      if (amp < 0) return out + normalized.slice(i);
      const semi = normalized.indexOf(';', amp);
      if (semi < 0) throw this.xmlError('entity reference without ";" in an attribute value', start);
      const reference = normalized.slice(amp + 1, semi);
      const expanded = this.expandReference(reference, start);
      // XML 1.0 §4.6: `lt` is predefined as "&#38;#60;", so `&lt;` (and `&#60;`) in an attribute is
      // legal (DaCHS echoes ADQL `a < b` in INFO values); only user entities may not bring in "<".
      const predefined = reference === 'lt' || reference.startsWith('#');
      if (!predefined && expanded.includes('<')) throw this.xmlError('"<" in an attribute value (through an entity)', start);
      out += normalized.slice(i, amp) + expanded;
      i = semi + 1;
    }
  }
}
