/**
 * TABLEDATA rows (VOTable 1.5 §5.1) decoded straight from the document bytes into
 * ColumnBuilders, resumable at any byte: a row is decoded only once its `</TR>` is in the
 * buffer; when the buffer ends inside a row the builders are rolled back and the row is decoded
 * again from its `<TR` when more bytes arrive (rows are small next to chunks).
 *
 * Common cells have byte-level fast paths: decimal integers, `long` up to 15 digits (written
 * as two 32-bit halves, no BigInt), floats and doubles whose digits make an integer of at most
 * 2^53 and whose decimal exponent is within ±22 (Clinger's fast path: both operands are exact
 * doubles, so one correctly rounded IEEE multiply or divide gives `Number(text)` bit for bit;
 * once the digits pass 2^53 the accumulated value is no longer exact, and the final test
 * `m <= 2^53` catches that because the accumulation only grows), booleans, strings and
 * space-separated float/double arrays. Longer doubles go through `Number()` on the Latin-1
 * substring. Anything else (hex, `NaN`, `_`, entities, CDATA, comments, commas, bit and complex
 * cells, integer arrays, arrays of strings) is handed as text to `cell-text.ts`, where the
 * rules live.
 */

import type { Column } from './column.js';
import { decimalToDouble } from './decimal-to-double.js';
import { ColumnBuilder } from './column-builder.js';
import { appendCellText, cellNullValue, isNullValue } from './cell-text.js';
import { TruncatedError, ValueError, VOTableError, VOTableXMLError, type ErrorLocation } from './errors.js';
import type { Field } from './model.js';
import { asciiString, type XmlScanner } from './xml-scanner.js';

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const AMP = 0x26;
const NL = 0x0a;

const K_GENERIC = 0;
const K_INT = 1;
const K_LONG = 2;
const K_REAL = 3;
const K_BOOL = 4;
const K_STRING = 5;
const K_REAL_ARRAY = 6;

/** The cell could not be decoded by its fast path; decode its text with cell-text. */
const FALLBACK = -2;
/** The buffer ended inside the cell. */
const NEED = -1;

const POW10: number[] = [];
for (let k = 0; k <= 22; k++) POW10.push(Number(`1e${k}`));

/** `"    "`, `"<TD>"` and `"</TD"` as big-endian 32-bit words. */
const SPACES4 = 0x20202020;
const OPEN_TD = 0x3c54443e;
const CLOSE_TD = 0x3c2f5444;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0d;
}

/** Index just after a number parsed by `parseReal`, or NEED / FALLBACK. */
let numberEnd = 0;

/**
 * Parses `[+-]digits[.digits][(e|E)[+-]digits]` at `i`. Sets `numberEnd` to the index after
 * it, to NEED when the buffer ends inside it, or FALLBACK when it is not a plain decimal.
 */
function parseReal(buf: Uint8Array, i: number, limit: number): number {
  const start = i;
  let neg = false;
  let c = buf[i];
  if (c === 0x2d) {
    neg = true;
    i++;
  } else if (c === 0x2b) i++;
  let m = 0;
  const intStart = i;
  // `(d >>> 0) > 9` is one unsigned compare for "not a digit" (d < 0 wraps to a huge value).
  for (; i < limit; i++) {
    const d = buf[i] - 48;
    if (d >>> 0 > 9) break;
    m = m * 10 + d;
  }
  let digits = i - intStart;
  let exp = 0;
  if (i < limit && buf[i] === 0x2e) {
    const fracStart = ++i;
    for (; i < limit; i++) {
      const d = buf[i] - 48;
      if (d >>> 0 > 9) break;
      m = m * 10 + d;
    }
    exp = fracStart - i;
    digits -= exp;
  }
  if (i >= limit) {
    numberEnd = NEED;
    return 0;
  }
  const mantissaEnd = i;
  if (digits === 0) {
    numberEnd = FALLBACK;
    return 0;
  }
  c = buf[i];
  if (c === 0x65 || c === 0x45) {
    i++;
    if (i >= limit) {
      numberEnd = NEED;
      return 0;
    }
    let eneg = false;
    c = buf[i];
    if (c === 0x2d) {
      eneg = true;
      i++;
    } else if (c === 0x2b) i++;
    let e = 0;
    const expStart = i;
    for (; i < limit; i++) {
      const d = buf[i] - 48;
      if (d >>> 0 > 9) break;
      if (e < 100000) e = e * 10 + d;
    }
    if (i >= limit) {
      numberEnd = NEED;
      return 0;
    }
    if (i === expStart) {
      numberEnd = FALLBACK;
      return 0;
    }
    exp += eneg ? -e : e;
  }
  numberEnd = i;
  let value: number;
  if (m === 0) value = 0;
  else if (m <= 9007199254740992 && exp >= -22 && exp <= 22) {
    // Clinger: m and 10^|exp| are exact doubles, so one IEEE operation rounds correctly.
    value = exp < 0 ? m / POW10[-exp] : m * POW10[exp];
  } else {
    value = exp >= -22 && exp <= 22 ? longDecimal(buf, intStart, mantissaEnd, exp) : NaN;
    // NaN: more than 18 digits, a far exponent, or a result too close to a rounding midpoint.
    if (value !== value) return Number(asciiString(buf, start, i));
  }
  return neg ? -value : value;
}

/**
 * The significand digits in `buf[start, end)` (a decimal point may sit among them) as
 * a·10^8 + b, read backwards in one pass, then `decimalToDouble`; NaN when a reaches 10^10
 * (more than 18 significant digits).
 */
function longDecimal(buf: Uint8Array, start: number, end: number, exp: number): number {
  let b = 0;
  let a = 0;
  let scale = 1;
  let n = 0;
  for (let k = end - 1; k >= start; k--) {
    const d = buf[k] - 48;
    if (d >>> 0 > 9) continue;
    if (n < 8) b += d * scale;
    else a += d * scale;
    n++;
    scale = n === 8 ? 1 : scale * 10;
  }
  if (a >= 1e10) return NaN;
  return decimalToDouble(a, b, exp);
}

/** `TableDataDecoder.decode` stopped before an end tag (normally `</TABLEDATA>`). */
export const TD_END = 0;
/** `TableDataDecoder.decode` needs more input. */
export const TD_NEED_MORE = 1;
/** `TableDataDecoder.decode` stopped because `maxRows` rows are pending. */
export const TD_PAUSED = 2;

/** Options of TableDataDecoder. */
export interface TableDataOptions {
  fields: Field[];
  /** Index of the table in document order, for errors. */
  tableIndex?: number;
  /** Rows to allocate for up front (e.g. the TABLE's `nrows`). */
  expectedRows?: number;
  /** Rows per batch when streaming: builders made after `takeColumns` start this big. */
  batchRows?: number;
  /**
   * Bytes of input from the start of the rows to the end of the document, when known (a
   * document already in memory): after the first rows the decoder sizes its columns for the
   * estimated total instead of doubling its way there.
   */
  bytesHint?: number;
}

/** Rows decoded before the column sizes are estimated from `bytesHint`. */
const ESTIMATE_AFTER_ROWS = 1024;

/** Decodes the TR/TD elements of one TABLEDATA into columns. */
export class TableDataDecoder {
  private readonly fields: Field[];
  private readonly tableIndex: number;
  private builders: ColumnBuilder[];
  private readonly kinds: Int8Array;
  private readonly intMin: Float64Array;
  private readonly intMax: Float64Array;
  private readonly nullValues: (number | bigint | null)[];
  /** Per column: max characters of a fixed-length string (-1 variable). */
  private readonly stringLength: Int32Array;
  private readonly fixedCount: Int32Array;
  private readonly valid: Uint8Array;
  /** Columns whose numbers per row vary (strings, variable arrays), and a flag per column. */
  private readonly varying: Int32Array;
  private readonly isVarying: Uint8Array;
  private readonly savedUsed: Float64Array;
  private readonly savedElements: Float64Array;
  private int32Views: (Int32Array | null)[];
  /** The `values` array each Int32 view was made for (a grown builder has a new one). */
  private readonly int32Sources: unknown[];
  private readonly batchRows: number;
  private bytesHint: number;
  /** Absolute offset of the first row, for the size estimate. */
  private firstRowOffset = -1;
  /** Rows already handed out by takeColumns. */
  private rowsTaken = 0;
  /** Cursor while decoding a row. */
  private p = 0;
  private line = 1;
  private scanner!: XmlScanner;

  constructor(options: TableDataOptions) {
    const fields = options.fields;
    this.fields = fields;
    this.tableIndex = options.tableIndex ?? 0;
    this.batchRows = Number.isFinite(options.batchRows) ? Math.min(options.batchRows as number, 1 << 20) : 0;
    this.bytesHint = options.bytesHint ?? 0;
    const n = fields.length;
    this.builders = fields.map((f) => new ColumnBuilder(f, options.expectedRows ?? 0));
    this.kinds = new Int8Array(n);
    this.intMin = new Float64Array(n);
    this.intMax = new Float64Array(n);
    this.nullValues = fields.map((f) => cellNullValue(f));
    this.stringLength = new Int32Array(n);
    this.fixedCount = new Int32Array(n);
    this.valid = new Uint8Array(n);
    this.savedUsed = new Float64Array(n);
    this.savedElements = new Float64Array(n);
    this.isVarying = new Uint8Array(n);
    const varying: number[] = [];
    this.int32Views = new Array(n).fill(null);
    this.int32Sources = new Array(n).fill(null);
    for (let k = 0; k < n; k++) {
      const b = this.builders[k];
      const layout = b.layout;
      const dt = fields[k].datatype;
      const scalar = !layout.variableElements && layout.elementShape.length === 0;
      this.fixedCount[k] = layout.fixedCount;
      let kind = K_GENERIC;
      if (b.isString) {
        if (scalar) kind = K_STRING;
        this.stringLength[k] = layout.stringLength;
      } else if (scalar) {
        if (dt === 'unsignedByte' || dt === 'short' || dt === 'int') {
          kind = K_INT;
          const range = dt === 'unsignedByte' ? [0, 255] : dt === 'short' ? [-32768, 32767] : [-2147483648, 2147483647];
          this.intMin[k] = range[0];
          this.intMax[k] = range[1];
        } else if (dt === 'long') kind = LITTLE_ENDIAN ? K_LONG : K_GENERIC;
        else if (dt === 'float' || dt === 'double') kind = K_REAL;
        else if (dt === 'boolean') kind = K_BOOL;
      } else if ((dt === 'float' || dt === 'double') && (!layout.variableElements || layout.elementShape.length === 1)) {
        kind = K_REAL_ARRAY;
      }
      this.kinds[k] = kind;
      if (b.isString || layout.variableElements) {
        this.isVarying[k] = 1;
        varying.push(k);
      }
    }
    this.varying = Int32Array.from(varying);
  }

  /** Rows decoded and not yet taken. */
  get pendingRows(): number {
    return this.builders.length > 0 ? this.builders[0].length : this.emptyRows;
  }

  private renewBuilders(): void {
    if (this.builders.length === 0 && this.fields.length > 0) {
      this.builders = this.fields.map((f) => new ColumnBuilder(f, this.batchRows));
    }
  }

  /** Rows of a table without FIELDs (counted, nothing stored). */
  private emptyRows = 0;

  /** Rows decoded in all, taken or not. */
  get rowCount(): number {
    return this.rowsTaken + this.pendingRows;
  }

  /** Takes the pending rows as one Column per field; decoding continues into fresh builders. */
  takeColumns(): Column[] {
    this.renewBuilders();
    const taken = this.pendingRows;
    const columns = this.builders.map((b) => b.finish());
    // Fresh builders are made when decoding goes on (after the last batch, never).
    this.builders = [];
    this.int32Views.fill(null);
    this.rowsTaken += taken;
    this.emptyRows = 0;
    return columns;
  }

  private where(index: number, column?: number, line = this.line): ErrorLocation {
    const w: ErrorLocation = { offset: this.scanner.offsetOf(index), line, row: this.rowCount };
    if (this.tableIndex > 0) w.table = this.tableIndex;
    if (column !== undefined && column < this.fields.length) w.field = this.fields[column].name;
    return w;
  }

  /**
   * Decodes rows from `scanner.buffer[scanner.pos, scanner.limit)` and advances the scanner.
   * Returns TD_END when it stopped before an end tag (`</TABLEDATA>`, for the scanner to read),
   * TD_NEED_MORE when it needs more input, TD_PAUSED when `maxRows` rows are pending. When the
   * scanner has ended, a partial row is a TruncatedError.
   */
  decode(scanner: XmlScanner, maxRows = Infinity): number {
    this.scanner = scanner;
    this.renewBuilders();
    const buf = scanner.buffer;
    if (this.view.buffer !== buf.buffer || this.view.byteOffset !== buf.byteOffset || this.view.byteLength !== buf.byteLength) {
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const limit = scanner.limit;
    let p = scanner.pos;
    let line = scanner.line;
    for (;;) {
      while (p < limit && isSpace(buf[p])) {
        if (buf[p] === NL) line++;
        p++;
      }
      scanner.pos = p;
      scanner.line = line;
      if (p + 4 > limit) {
        if (scanner.ended) {
          if (p + 1 < limit && buf[p] === LT && buf[p + 1] === SLASH) return TD_END;
          throw new TruncatedError('input ends inside TABLEDATA', this.where(p, undefined, line));
        }
        return TD_NEED_MORE;
      }
      if (buf[p] !== LT) throw new VOTableXMLError('text between rows of TABLEDATA', this.where(p, undefined, line));
      const b1 = buf[p + 1];
      if (b1 === SLASH) return TD_END;
      if (b1 === 0x21 || b1 === 0x3f) {
        const end = this.skipMarkup(buf, p, limit);
        if (end === NEED) return this.needMore(p, line);
        line += this.countLines(buf, p, end);
        p = end;
        continue;
      }
      this.line = line;
      if (this.firstRowOffset < 0) this.firstRowOffset = scanner.offsetOf(p);
      const end = this.row(buf, p, limit);
      if (end === NEED) return this.needMore(p, line);
      p = end;
      line = this.line;
      if (this.bytesHint > 0 && this.pendingRows === ESTIMATE_AFTER_ROWS) this.presize(scanner.offsetOf(p));
      if (this.pendingRows >= maxRows) {
        scanner.pos = p;
        scanner.line = line;
        return TD_PAUSED;
      }
    }
  }

  /**
   * Grows every column once to the size the rows so far predict for the whole input (2% spare),
   * so that a large table is not copied at every doubling.
   */
  private presize(offset: number): void {
    const rows = this.pendingRows;
    const perRow = (offset - this.firstRowOffset) / rows;
    const expected = Math.ceil(((this.bytesHint / perRow) * 1.02));
    this.bytesHint = 0;
    if (!(expected > rows * 2) || expected > 1 << 28) return;
    for (const b of this.builders) {
      const used = b.used;
      const elements = b.elementCount;
      const target = Math.ceil((used / rows) * expected);
      if (target > b.values.length) {
        b.reserve(target - used);
        b.used = used;
        b.elementCount = elements;
      }
    }
  }

  private needMore(p: number, line: number): number {
    this.scanner.pos = p;
    this.scanner.line = line;
    if (this.scanner.ended) throw new TruncatedError('input ends inside a TABLEDATA row', this.where(p, undefined, line));
    return TD_NEED_MORE;
  }

  private countLines(buf: Uint8Array, start: number, end: number): number {
    let n = 0;
    for (let i = start; i < end; i++) if (buf[i] === NL) n++;
    return n;
  }

  /** Skips a comment or processing instruction at `p`; index after it, or NEED. */
  private skipMarkup(buf: Uint8Array, p: number, limit: number): number {
    if (buf[p + 1] === 0x3f) {
      for (let i = p + 2; i + 1 < limit; i++) if (buf[i] === 0x3f && buf[i + 1] === GT) return i + 2;
      return NEED;
    }
    if (p + 4 > limit) return NEED;
    if (buf[p + 2] !== 0x2d || buf[p + 3] !== 0x2d) {
      throw new VOTableXMLError('unexpected markup in TABLEDATA (only TR, TD and comments belong there)', this.where(p));
    }
    for (let i = p + 4; i + 2 < limit; i++) {
      if (buf[i] === 0x2d && buf[i + 1] === 0x2d && buf[i + 2] === GT) return i + 3;
    }
    return NEED;
  }

  /**
   * Reads a start tag named `name` (any prefix) at `p`: index after `>`, or NEED. Sets
   * `selfClosing`. Throws when it is another element.
   */
  private startTag(buf: Uint8Array, p: number, limit: number, name: string): number {
    let i = p + 1;
    let nameStart = i;
    while (i < limit && !isSpace(buf[i]) && buf[i] !== GT && buf[i] !== SLASH) {
      if (buf[i] === 0x3a) nameStart = i + 1;
      i++;
    }
    if (i >= limit) return NEED;
    if (i - nameStart !== name.length || buf[nameStart] !== name.charCodeAt(0) || buf[nameStart + 1] !== name.charCodeAt(1)) {
      const found = asciiString(buf, p + 1, i);
      throw new VOTableXMLError(`expected <${name}>, found <${found}>`, this.where(p));
    }
    // Attributes: skip to `>` outside quotes.
    let quote = 0;
    const attrStart = i;
    for (; i < limit; i++) {
      const b = buf[i];
      if (quote) {
        if (b === quote) quote = 0;
      } else if (b === 0x22 || b === 0x27) quote = b;
      else if (b === GT) break;
    }
    if (i >= limit) return NEED;
    this.selfClosing = buf[i - 1] === SLASH && !quote;
    if (i - attrStart > 1 && name === 'TD') {
      const attrs = asciiString(buf, attrStart, i);
      if (/\bencoding\s*=/.test(attrs)) {
        throw new VOTableXMLError('TD encoding="base64" (VOTable 1.1) is not supported', this.where(p));
      }
    }
    return i + 1;
  }

  private selfClosing = false;
  /** Big-endian 4-byte view of the scanner's buffer, for comparing tags in one read. */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  /** Reads an end tag `</name>` (any prefix) at `p`: index after `>`, or NEED. */
  private endTag(buf: Uint8Array, p: number, limit: number, name: string): number {
    // Fast path for the unprefixed form.
    if (p + 4 + name.length <= limit) {
      let ok = buf[p + 1] === SLASH && buf[p + 2 + name.length] === GT;
      for (let k = 0; ok && k < name.length; k++) ok = buf[p + 2 + k] === name.charCodeAt(k);
      if (ok) return p + 3 + name.length;
    }
    if (p + 2 > limit) return NEED;
    if (buf[p + 1] !== SLASH) throw new VOTableXMLError(`expected </${name}>`, this.where(p));
    let i = p + 2;
    let nameStart = i;
    while (i < limit && !isSpace(buf[i]) && buf[i] !== GT) {
      if (buf[i] === 0x3a) nameStart = i + 1;
      i++;
    }
    const nameEnd = i;
    while (i < limit && isSpace(buf[i])) i++;
    if (i >= limit) return NEED;
    if (buf[i] !== GT || asciiString(buf, nameStart, nameEnd) !== name) {
      throw new VOTableXMLError(`expected </${name}>, found </${asciiString(buf, p + 2, nameEnd)}>`, this.where(p));
    }
    return i + 1;
  }

  /** Decodes one TR at `p`; index after `</TR>`, or NEED (builders rolled back). */
  private row(buf: Uint8Array, p: number, limit: number): number {
    const builders = this.builders;
    const ncols = builders.length;
    const valid = this.valid;
    const dv = this.view;
    let after: number;
    if (p + 3 < limit && buf[p + 1] === 0x54 && buf[p + 2] === 0x52 && buf[p + 3] === GT) {
      // `<TR>`, the common case.
      after = p + 4;
      this.selfClosing = false;
    } else {
      after = this.startTag(buf, p, limit, 'TR');
      if (after === NEED) return NEED;
    }
    // Only columns whose size per row varies need their state saved for a rollback; the
    // others follow from the row count (see `rollback`).
    const varying = this.varying;
    for (let j = 0; j < varying.length; j++) {
      const k = varying[j];
      this.savedUsed[k] = builders[k].used;
      this.savedElements[k] = builders[k].elementCount;
    }
    let col = 0;
    let q = after;
    if (!this.selfClosing) {
      for (;;) {
        // Bytes up to 0x20 other than XML whitespace are not allowed in XML, so `<= 0x20`
        // skips exactly the whitespace of a well-formed document.
        // Indentation runs of spaces, four bytes at a time (DataView reads are single loads).
        while (q + 4 <= limit && dv.getUint32(q) === SPACES4) q += 4;
        while (q < limit) {
          const c = buf[q];
          if (c > 0x20) break;
          if (c === NL) {
            this.line++;
            q++;
            while (q + 4 <= limit && dv.getUint32(q) === SPACES4) q += 4;
            continue;
          }
          q++;
        }
        if (q + 4 >= limit) return this.rollback();
        if (dv.getUint32(q) === OPEN_TD) {
          // `<TD>`, the common case.
          if (col >= ncols) {
            throw new ValueError(`row has more than ${ncols} TD cells (one per FIELD expected)`, this.where(q));
          }
          const end = this.cell(buf, q + 4, limit, col);
          if (end === NEED) return this.rollback();
          q = end;
          col++;
          continue;
        }
        if (buf[q] !== LT) throw new VOTableXMLError('text inside TR outside TD', this.where(q, col));
        const b1 = buf[q + 1];
        if (b1 === SLASH) {
          const end = this.endTag(buf, q, limit, 'TR');
          if (end === NEED) return this.rollback();
          q = end;
          break;
        }
        if (b1 === 0x21 || b1 === 0x3f) {
          const end = this.skipMarkup(buf, q, limit);
          if (end === NEED) return this.rollback();
          this.line += this.countLines(buf, q, end);
          q = end;
          continue;
        }
        const cellStart = q;
        const content = this.startTag(buf, q, limit, 'TD');
        if (content === NEED) return this.rollback();
        if (col >= ncols) {
          throw new ValueError(`row has more than ${ncols} TD cells (one per FIELD expected)`, this.where(cellStart));
        }
        if (this.selfClosing) {
          valid[col] = this.emptyCell(col) ? 1 : 0;
          q = content;
        } else {
          const end = this.cell(buf, content, limit, col);
          if (end === NEED) return this.rollback();
          q = end;
        }
        col++;
      }
    }
    if (col < ncols) {
      throw new ValueError(`row has ${col} TD cells, expected ${ncols} (one per FIELD)`, this.where(p, undefined, this.line));
    }
    for (let k = 0; k < ncols; k++) builders[k].endRow(valid[k] === 1);
    if (ncols === 0) this.emptyRows++;
    return q;
  }

  /**
   * Undoes the cells of an unfinished row. A fixed-size column holds exactly `fixedCount`
   * elements of `width` numbers per ended row (nulls are written too), so its state is a
   * function of its row count; the others were saved at the row's start.
   */
  private rollback(): number {
    const builders = this.builders;
    for (let k = 0; k < builders.length; k++) {
      const b = builders[k];
      if (this.isVarying[k]) {
        b.used = this.savedUsed[k];
        b.elementCount = this.savedElements[k];
      } else {
        const elements = b.length * this.fixedCount[k];
        b.elementCount = elements;
        b.used = elements * b.width;
      }
    }
    return NEED;
  }

  /** `<TD/>`: an empty cell. Returns validity. */
  private emptyCell(col: number): boolean {
    return appendCellText(this.builders[col], '', { nullValue: this.nullValues[col] });
  }

  /**
   * Decodes the cell whose content starts at `q` (just after `<TD>`); returns the index after
   * `</TD>` or NEED. Sets `valid[col]` and advances `this.line`.
   */
  private cell(buf: Uint8Array, q: number, limit: number, col: number): number {
    const b = this.builders[col];
    const usedBefore = b.used;
    const elementsBefore = b.elementCount;
    let i = q;
    // `this.line` is only touched at a newline; a fallback to text recounts from `q`.
    const lineBefore = this.line;
    while (i < limit) {
      const c = buf[i];
      if (c > 0x20) break;
      if (c === NL) this.line++;
      i++;
    }
    if (i >= limit) return NEED;
    let r: number = FALLBACK;
    const kind = this.kinds[col];
    if (buf[i] === LT && buf[i + 1] === SLASH && kind !== K_GENERIC) {
      // Empty cell.
      this.valid[col] = this.emptyCell(col) ? 1 : 0;
      r = i;
    } else {
      switch (kind) {
        case K_REAL: {
          const v = parseReal(buf, i, limit);
          r = numberEnd;
          if (r >= 0) {
            let at = b.used;
            let values = b.values as Float64Array;
            if (at < values.length) {
              b.used = at + 1;
              b.elementCount++;
            } else {
              at = b.reserve(1);
              values = b.values as Float64Array;
            }
            values[at] = v;
            const nv = this.nullValues[col];
            this.valid[col] = nv === null || !isNullValue(values[at], nv) ? 1 : 0;
          }
          break;
        }
        case K_INT:
          r = this.intCell(buf, i, limit, col, b);
          break;
        case K_LONG:
          r = this.longCell(buf, i, limit, col, b);
          break;
        case K_BOOL: {
          const c = buf[i];
          if (i + 1 >= limit) return NEED;
          const next = buf[i + 1];
          if (next === LT || isSpace(next)) {
            let v = -1;
            if (c === 0x54 || c === 0x74 || c === 0x31) v = 1;
            else if (c === 0x46 || c === 0x66 || c === 0x30) v = 0;
            else if (c === 0x3f) v = 2;
            if (v >= 0) {
              let at = b.used;
              let values = b.values as Uint8Array;
              if (at < values.length) {
                b.used = at + 1;
                b.elementCount++;
              } else {
                at = b.reserve(1);
                values = b.values as Uint8Array;
              }
              values[at] = v === 1 ? 1 : 0;
              this.valid[col] = v === 2 ? 0 : 1;
              r = i + 1;
            }
          }
          break;
        }
        case K_STRING:
          r = this.stringCell(buf, i, limit, col, b);
          break;
        case K_REAL_ARRAY:
          r = this.realArrayCell(buf, i, limit, col, b);
          break;
      }
    }
    if (r === NEED) return NEED;
    if (r >= 0) {
      // Trailing whitespace, then `</TD>`.
      while (r < limit) {
        const c = buf[r];
        if (c > 0x20) break;
        if (c === NL) this.line++;
        r++;
      }
      if (r + 4 >= limit) return NEED;
      if (this.view.getUint32(r) === CLOSE_TD && buf[r + 4] === GT) return r + 5;
      if (buf[r] === LT && r + 1 < limit && buf[r + 1] === SLASH) {
        return this.endTag(buf, r, limit, 'TD');
      }
      if (r + 1 >= limit) return NEED;
      // Mixed content (a comment, CDATA, an entity after the value): start over as text.
    }
    b.used = usedBefore;
    b.elementCount = elementsBefore;
    this.line = lineBefore;
    return this.textCell(buf, q, limit, col);
  }

  private intCell(buf: Uint8Array, i: number, limit: number, col: number, b: ColumnBuilder): number {
    const start = i;
    let neg = false;
    let c = buf[i];
    if (c === 0x2d) {
      neg = true;
      i++;
    } else if (c === 0x2b) i++;
    let v = 0;
    let digits = 0;
    for (; i < limit; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      digits++;
    }
    if (i >= limit) return NEED;
    c = buf[i];
    if (digits === 0 || digits > 15 || !(c === LT || isSpace(c))) return FALLBACK;
    if (neg) v = -v;
    if (v < this.intMin[col] || v > this.intMax[col]) {
      throw new ValueError(
        `${v} is outside the range of ${this.fields[col].datatype} (${this.intMin[col]}..${this.intMax[col]})`,
        this.where(start, col),
      );
    }
    let at = b.used;
    if (at < b.values.length) {
      b.used = at + 1;
      b.elementCount++;
    } else at = b.reserve(1);
    (b.values as Int32Array)[at] = v;
    const nv = this.nullValues[col];
    this.valid[col] = nv !== null && v === nv ? 0 : 1;
    return i;
  }

  private longCell(buf: Uint8Array, i: number, limit: number, col: number, b: ColumnBuilder): number {
    let neg = false;
    let c = buf[i];
    if (c === 0x2d) {
      neg = true;
      i++;
    } else if (c === 0x2b) i++;
    let v = 0;
    let digits = 0;
    for (; i < limit; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      digits++;
    }
    if (i >= limit) return NEED;
    c = buf[i];
    if (digits === 0 || digits > 15 || !(c === LT || isSpace(c))) return FALLBACK;
    if (neg) v = -v;
    let at = b.used;
    if (at < b.values.length) {
      b.used = at + 1;
      b.elementCount++;
    } else at = b.reserve(1);
    let view = this.int32Views[col];
    const values = b.values;
    if (view === null || this.int32Sources[col] !== values) {
      view = this.int32Views[col] = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
      this.int32Sources[col] = values;
    }
    // Two's complement halves of a safe integer, little-endian.
    const hi = Math.floor(v / 4294967296);
    view[2 * at] = (v - hi * 4294967296) | 0;
    view[2 * at + 1] = hi;
    const nv = this.nullValues[col];
    this.valid[col] = nv !== null && BigInt(v) === nv ? 0 : 1;
    return i;
  }

  private stringCell(buf: Uint8Array, i: number, limit: number, col: number, b: ColumnBuilder): number {
    const start = i;
    let lastNonSpace = i;
    let nonAscii = false;
    let newlines = 0;
    for (; i < limit; i++) {
      const c = buf[i];
      if (c > 0x3c) {
        if (c > 0x7f) nonAscii = true;
        lastNonSpace = i + 1;
        continue;
      }
      if (c === LT || c === AMP) break;
      if (c <= 0x20) {
        if (c === NL) newlines++;
        continue;
      }
      lastNonSpace = i + 1;
    }
    if (i >= limit) return NEED;
    if (buf[i] === AMP) return FALLBACK;
    const n = this.stringLength[col];
    if (nonAscii && (n > 0 || this.scanner.latin1)) return FALLBACK;
    let end = lastNonSpace;
    if (n > 0 && end - start > n) end = start + n;
    b.appendStringBytes(buf, start, end);
    this.valid[col] = 1;
    this.line += newlines;
    return i;
  }

  private realArrayCell(buf: Uint8Array, i: number, limit: number, col: number, b: ColumnBuilder): number {
    const fixed = this.fixedCount[col];
    let count = 0;
    let at = fixed > 0 ? b.reserve(fixed) : 0;
    let newlines = 0;
    for (;;) {
      const v = parseReal(buf, i, limit);
      const end = numberEnd;
      if (end < 0) return end;
      if (fixed > 0) {
        if (count >= fixed) return FALLBACK;
        (b.values as Float64Array)[at + count] = v;
      } else {
        at = b.reserve(1);
        (b.values as Float64Array)[at] = v;
      }
      count++;
      i = end;
      let c = buf[i];
      if (c === LT) break;
      if (!isSpace(c)) return FALLBACK;
      while (i < limit && isSpace((c = buf[i]))) {
        if (c === NL) newlines++;
        i++;
      }
      if (i >= limit) return NEED;
      if (c === LT) break;
    }
    if (fixed > 0 && count !== fixed) return FALLBACK;
    this.valid[col] = 1;
    this.line += newlines;
    return i;
  }

  /**
   * The general cell: collects the text up to `</TD>` (expanding entities, keeping CDATA,
   * dropping comments) and parses it with cell-text.
   */
  private textCell(buf: Uint8Array, q: number, limit: number, col: number): number {
    const scanner = this.scanner;
    let text = '';
    let i = q;
    let runStart = q;
    for (;;) {
      if (i >= limit) return NEED;
      const c = buf[i];
      if (c !== LT && c !== AMP) {
        i++;
        continue;
      }
      if (i > runStart) text += scanner.decode(buf, runStart, i);
      if (c === AMP) {
        let semi = i + 1;
        while (semi < limit && semi - i < 64 && buf[semi] !== 0x3b) semi++;
        if (semi >= limit) return NEED;
        if (buf[semi] !== 0x3b) throw new VOTableXMLError('entity reference without ";"', this.where(i, col));
        text += scanner.expandReference(asciiString(buf, i + 1, semi), i);
        i = semi + 1;
      } else {
        if (i + 1 >= limit) return NEED;
        const b1 = buf[i + 1];
        if (b1 === SLASH) break;
        if (b1 === 0x3f || (b1 === 0x21 && i + 3 < limit && buf[i + 2] === 0x2d)) {
          const end = this.skipMarkup(buf, i, limit);
          if (end === NEED) return NEED;
          i = end;
        } else if (b1 === 0x21) {
          if (i + 9 > limit) return NEED;
          if (asciiString(buf, i, i + 9) !== '<![CDATA[') {
            throw new VOTableXMLError('unexpected markup inside TD', this.where(i, col));
          }
          let j = i + 9;
          while (j + 2 < limit && !(buf[j] === 0x5d && buf[j + 1] === 0x5d && buf[j + 2] === GT)) j++;
          if (j + 2 >= limit) return NEED;
          text += scanner.decode(buf, i + 9, j);
          i = j + 3;
        } else {
          throw new VOTableXMLError('an element inside TD (TD holds text only)', this.where(i, col));
        }
      }
      runStart = i;
    }
    const end = this.endTag(buf, i, limit, 'TD');
    if (end === NEED) return NEED;
    const where = this.where(q, col);
    try {
      this.valid[col] = appendCellText(this.builders[col], text, { nullValue: this.nullValues[col], where }) ? 1 : 0;
    } catch (e) {
      if (e instanceof VOTableError) throw e;
      throw new ValueError(String(e), where, { cause: e });
    }
    this.line += this.countLines(buf, q, end);
    return end;
  }
}
