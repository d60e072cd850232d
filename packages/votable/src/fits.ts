/**
 * FITS reading for VOTable's FITS serialization (VOTable 1.5 §5.6: `<FITS extnum="n">` with a
 * STREAM holding a FITS file) and for standalone FITS files: HDUs and header cards (FITS 4.0
 * §4), and BINTABLE extensions (FITS 4.0 §7.3) decoded into the same Columns as VOTable data.
 *
 * BINTABLE support: TFORM codes L X B I J K A E D C M and the heap descriptors P and Q (variable
 * arrays, §7.3.5), repeat counts, TDIMn, TNULLn (integers), TSCALn/TZEROn. The unsigned
 * conventions (§5.2.5: B with TZERO = -128 is a signed byte; I, J with TZERO = 2^15, 2^31 are
 * unsigned) become the next wider VOTable integer, as astropy reads them; any other scaling
 * yields doubles (float columns too), as astropy returns them. Logical 0
 * bytes are nulls (§7.3.3.1), integers equal to TNULLn are nulls, NaN floats stay valid NaN (as
 * in the other serializations). Character cells are cut at the first NUL and lose trailing
 * blanks (§7.3.3.1 says trailing blanks are not significant); FITS allows only ASCII there, but
 * writers put other bytes too (STILTS writes the low byte of each UTF-16 unit, so "é" is 0xE9):
 * bytes ≥ 0x80 are read as Latin-1, which keeps them all, one character each.
 */

import { Column, valuesConstructor, type ColumnValues } from './column.js';
import { cellLayout, isStringType, parseArraySize } from './datatypes.js';
import { FitsError } from './errors.js';
import type { Datatype, Field } from './model.js';

const BLOCK = 2880;
const CARD = 80;

/** A header card's value: string, logical, integer (bigint beyond 2^53), float, or none. */
export type FitsValue = string | boolean | number | bigint | null;

/** One 80-character header card. */
export interface FitsCard {
  /** The keyword (columns 1-8, trimmed), e.g. `TFORM1`; `''` for a blank keyword. */
  keyword: string;
  /** The value when the card has one (`= ` in columns 9-10), else null. */
  value: FitsValue;
  /** Text after the `/`, or the whole text of COMMENT/HISTORY cards. */
  comment?: string;
}

/** The header of one HDU. */
export interface FitsHeader {
  cards: FitsCard[];
  /** The value of the first card with `keyword` (undefined when absent). */
  get(keyword: string): FitsValue | undefined;
}

/** One header-data unit. */
export interface FitsHdu {
  /** 0 for the primary HDU, then 1, 2, … for extensions (VOTable `extnum` counts the same way). */
  index: number;
  /** `PRIMARY`, or the XTENSION value (`BINTABLE`, `IMAGE`, `TABLE`, …). */
  type: string;
  header: FitsHeader;
  /** Byte offset of the header in the file. */
  headerOffset: number;
  /** Byte offset of the data (main table then heap, for BINTABLE). */
  dataOffset: number;
  /** Bytes of data, excluding the padding to a 2880-byte block. */
  dataBytes: number;
}

/** Options of `readFitsTable`. */
export interface FitsTableOptions {
  /** Which HDU holds the table: 1 is the first extension (default 1, as VOTable's `extnum`). */
  extnum?: number;
  /**
   * The VOTable FIELDs to decode into, one per BINTABLE column in order; the FITS column type
   * must convert to each FIELD's datatype. Default: fields derived from the FITS header.
   */
  fields?: Field[];
  /** 0-based index of the VOTable TABLE, for error messages. */
  tableIndex?: number;
}

/** A decoded BINTABLE. */
export interface FitsTable {
  /** The FIELDs of the columns (given, or derived from TTYPE/TFORM/TUNIT/TDIM/TNULL). */
  fields: Field[];
  columns: Column[];
  rowCount: number;
  hdu: FitsHdu;
}

// ---------------------------------------------------------------------------------------------
// Headers

function headerOf(cards: FitsCard[]): FitsHeader {
  const index = new Map<string, FitsValue>();
  for (const card of cards) if (card.value !== null && !index.has(card.keyword)) index.set(card.keyword, card.value);
  return { cards, get: (keyword: string) => index.get(keyword) };
}

/** Parses the value field of a card (FITS 4.0 §4.2): a quoted string, T/F, number, or empty. */
function parseValue(text: string, where: string): { value: FitsValue; comment?: string } {
  const t = text.trimStart();
  if (t.startsWith("'")) {
    // Quotes inside are doubled; trailing blanks in the string are not significant (§4.2.1.1).
    let i = 1;
    let value = '';
    for (;;) {
      const q = t.indexOf("'", i);
      if (q < 0) throw new FitsError(`${where}: string value has no closing quote`);
      value += t.slice(i, q);
      if (t[q + 1] === "'") {
        value += "'";
        i = q + 2;
        continue;
      }
      i = q + 1;
      break;
    }
    const rest = t.slice(i);
    const slash = rest.indexOf('/');
    return { value: value.replace(/ +$/, ''), comment: slash >= 0 ? rest.slice(slash + 1).trim() : undefined };
  }
  const slash = t.indexOf('/');
  const body = (slash >= 0 ? t.slice(0, slash) : t).trim();
  const comment = slash >= 0 ? t.slice(slash + 1).trim() : undefined;
  if (body === '') return { value: null, comment };
  if (body === 'T' || body === 'F') return { value: body === 'T', comment };
  if (/^[+-]?\d+$/.test(body)) {
    const n = Number(body);
    return { value: Number.isSafeInteger(n) ? n : BigInt(body), comment };
  }
  const n = Number(body.replace(/[dD]/, 'e'));
  // Complex values "(re, im)" and other forms are kept as text.
  return { value: Number.isNaN(n) ? body : n, comment };
}

/** Reads header cards from `offset` up to END; returns them and where the header's blocks end. */
function readHeader(bytes: Uint8Array, offset: number, hduIndex: number): { cards: FitsCard[]; end: number } {
  const cards: FitsCard[] = [];
  let p = offset;
  for (;;) {
    if (p + CARD > bytes.length) {
      throw new FitsError(`HDU ${hduIndex}: header has no END card before the file ends (offset ${p})`, { offset: p });
    }
    let text = '';
    for (let i = 0; i < CARD; i++) text += String.fromCharCode(bytes[p + i]);
    const keyword = text.slice(0, 8).trimEnd();
    p += CARD;
    if (keyword === 'END') break;
    if (text.slice(8, 10) === '= ') {
      const { value, comment } = parseValue(text.slice(10), `HDU ${hduIndex} card ${keyword}`);
      cards.push({ keyword, value, comment });
    } else if (keyword === 'CONTINUE') {
      // Long strings (FITS 4.0 §4.2.1.2): the previous string ends with & and continues here.
      const last = cards[cards.length - 1];
      const { value } = parseValue(text.slice(8), `HDU ${hduIndex} CONTINUE card`);
      if (last && typeof last.value === 'string' && last.value.endsWith('&') && typeof value === 'string') {
        last.value = last.value.slice(0, -1) + value;
      } else {
        cards.push({ keyword, value: null, comment: text.slice(8).trimEnd() });
      }
    } else {
      cards.push({ keyword, value: null, comment: text.slice(8).trimEnd() });
    }
  }
  return { cards, end: Math.ceil((p - offset) / BLOCK) * BLOCK + offset };
}

function intCard(header: FitsHeader, keyword: string, hdu: number, fallback?: number): number {
  const v = header.get(keyword);
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new FitsError(`HDU ${hdu}: ${keyword} must be an integer, got ${v === undefined ? 'nothing' : JSON.stringify(String(v))}`);
  }
  return v;
}

/**
 * Lists the HDUs of a FITS file with their headers and data extents (FITS 4.0 §3-4).
 *
 * @throws FitsError when the file does not start with SIMPLE, a header has no END, or a data
 *   unit runs past the end of the file.
 */
export function readFitsHdus(bytes: Uint8Array): FitsHdu[] {
  if (bytes.length < BLOCK || String.fromCharCode(...bytes.subarray(0, 9)) !== 'SIMPLE  =') {
    throw new FitsError('not a FITS file: it must start with a 2880-byte header whose first card is SIMPLE', { offset: 0 });
  }
  const hdus: FitsHdu[] = [];
  let offset = 0;
  while (offset + CARD <= bytes.length) {
    const index = hdus.length;
    // Anything after the last HDU that is not a header (zero padding, junk) ends the list.
    if (index > 0 && String.fromCharCode(...bytes.subarray(offset, offset + 9)) !== 'XTENSION=') break;
    const { cards, end } = readHeader(bytes, offset, index);
    const header = headerOf(cards);
    const bitpix = intCard(header, 'BITPIX', index);
    if (![8, 16, 32, 64, -32, -64].includes(bitpix)) {
      throw new FitsError(`HDU ${index}: BITPIX = ${bitpix} is not one of 8, 16, 32, 64, -32, -64`, { offset });
    }
    const naxis = intCard(header, 'NAXIS', index);
    if (naxis < 0 || naxis > 999) throw new FitsError(`HDU ${index}: NAXIS = ${naxis} is outside 0-999`, { offset });
    let product = naxis > 0 ? 1 : 0;
    for (let k = 1; k <= naxis; k++) {
      const n = intCard(header, `NAXIS${k}`, index);
      if (n < 0) throw new FitsError(`HDU ${index}: NAXIS${k} = ${n} is negative`, { offset });
      // Random groups (§6): NAXIS1 = 0 is not a dimension.
      if (!(k === 1 && n === 0 && header.get('GROUPS') === true)) product *= n;
    }
    const pcount = intCard(header, 'PCOUNT', index, 0);
    const gcount = intCard(header, 'GCOUNT', index, 1);
    if (pcount < 0 || gcount < 0) throw new FitsError(`HDU ${index}: PCOUNT and GCOUNT must not be negative`, { offset });
    const dataBytes = naxis > 0 ? (Math.abs(bitpix) / 8) * gcount * (pcount + product) : 0;
    if (end + dataBytes > bytes.length) {
      throw new FitsError(`HDU ${index}: data of ${dataBytes} bytes at offset ${end} runs past the end of the file (${bytes.length} bytes)`, {
        offset: end,
      });
    }
    const type = index === 0 ? 'PRIMARY' : String(header.get('XTENSION') ?? '').trim();
    hdus.push({ index, type, header, headerOffset: offset, dataOffset: end, dataBytes });
    offset = end + Math.ceil(dataBytes / BLOCK) * BLOCK;
  }
  return hdus;
}

// ---------------------------------------------------------------------------------------------
// BINTABLE columns

/** A BINTABLE column as its header describes it. */
interface FitsColumn {
  index: number;
  name: string;
  /** Type code (L X B I J K A E D C M). */
  code: string;
  repeat: number;
  /** Heap descriptor kind for variable arrays, else null. */
  descriptor: 'P' | 'Q' | null;
  /** Byte offset in the row. */
  offset: number;
  /** Bytes in the row (descriptor bytes for P/Q). */
  width: number;
  tnull: number | bigint | null;
  scale: number;
  zero: number;
  dims: number[] | null;
  unit?: string;
}

const CODE_BYTES: Record<string, number> = { L: 1, X: 0, B: 1, I: 2, J: 4, K: 8, A: 1, E: 4, D: 8, C: 8, M: 16 };

function parseColumns(hdu: FitsHdu, where: string): { columns: FitsColumn[]; rowBytes: number; rows: number; heapOffset: number } {
  const h = hdu.header;
  const rowBytes = intCard(h, 'NAXIS1', hdu.index);
  const rows = intCard(h, 'NAXIS2', hdu.index);
  const tfields = intCard(h, 'TFIELDS', hdu.index);
  if (tfields < 0 || tfields > 999) throw new FitsError(`${where}: TFIELDS = ${tfields} is outside 0-999`);
  const heapOffset = intCard(h, 'THEAP', hdu.index, rowBytes * rows);
  if (heapOffset < rowBytes * rows) throw new FitsError(`${where}: THEAP = ${heapOffset} points inside the main table (${rowBytes * rows} bytes)`);
  const columns: FitsColumn[] = [];
  let offset = 0;
  for (let i = 1; i <= tfields; i++) {
    const tform = String(h.get(`TFORM${i}`) ?? '').trim();
    const m = /^(\d*)([LXBIJKAEDCMPQ])([LXBIJKAEDCM])?(\(\d+\))?/.exec(tform.toUpperCase());
    if (!m || ((m[2] === 'P' || m[2] === 'Q') && !m[3])) {
      throw new FitsError(`${where}: TFORM${i} = "${tform}" is not a BINTABLE format (rT with T one of L X B I J K A E D C M P Q)`);
    }
    const repeat = m[1] === '' ? 1 : Number(m[1]);
    const descriptor = m[2] === 'P' || m[2] === 'Q' ? (m[2] as 'P' | 'Q') : null;
    const code = descriptor ? (m[3] as string) : m[2];
    const width = descriptor ? repeat * (descriptor === 'P' ? 8 : 16) : code === 'X' ? Math.ceil(repeat / 8) : repeat * CODE_BYTES[code];
    const tnullValue = h.get(`TNULL${i}`);
    const tdim = h.get(`TDIM${i}`);
    let dims: number[] | null = null;
    if (typeof tdim === 'string') {
      const d = /^\(\s*(\d+(?:\s*,\s*\d+)*)\s*\)$/.exec(tdim.trim());
      if (!d) throw new FitsError(`${where}: TDIM${i} = "${tdim}" does not parse (expected "(n1,n2,...)")`);
      dims = d[1].split(',').map((s) => Number(s.trim()));
    }
    const unit = h.get(`TUNIT${i}`);
    columns.push({
      index: i,
      name: String(h.get(`TTYPE${i}`) ?? `col${i}`).trim(),
      code,
      repeat,
      descriptor,
      offset,
      width,
      tnull: (typeof tnullValue === 'number' && Number.isInteger(tnullValue)) || typeof tnullValue === 'bigint' ? tnullValue : null,
      scale: numberCard(h.get(`TSCAL${i}`), 1),
      // TZERO = 2^63 (unsigned 64-bit) arrives as a bigint: as a number it still marks scaling.
      zero: numberCard(h.get(`TZERO${i}`), 0),
      dims,
      unit: typeof unit === 'string' && unit !== '' ? unit : undefined,
    });
    offset += width;
  }
  if (offset !== rowBytes) {
    throw new FitsError(`${where}: the TFORMs add up to ${offset} bytes per row but NAXIS1 is ${rowBytes}`);
  }
  return { columns, rowBytes, rows, heapOffset };
}

function numberCard(value: FitsValue | undefined, fallback: number): number {
  return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : fallback;
}

/** How a column's raw values become VOTable values. */
type Conversion = 'none' | 'signed-byte' | 'unsigned' | 'scaled';

function conversionOf(c: FitsColumn): Conversion {
  if (c.scale === 1 && c.zero === 0) return 'none';
  if (c.scale === 1) {
    if (c.code === 'B' && c.zero === -128) return 'signed-byte';
    if ((c.code === 'I' && c.zero === 32768) || (c.code === 'J' && c.zero === 2147483648)) return 'unsigned';
  }
  return 'scaled';
}

function datatypeOf(c: FitsColumn, where: string): Datatype {
  const conversion = conversionOf(c);
  switch (c.code) {
    case 'L':
      return 'boolean';
    case 'X':
      return 'bit';
    case 'A':
      return 'char';
    case 'C':
      return conversion === 'none' ? 'floatComplex' : 'doubleComplex';
    case 'M':
      return 'doubleComplex';
    case 'E':
      return conversion === 'none' ? 'float' : 'double';
    case 'D':
      return 'double';
  }
  if (conversion === 'scaled') {
    if (c.code === 'K') throw new FitsError(`${where}: column "${c.name}" scales 64-bit integers (TSCAL/TZERO), which cannot be read exactly`);
    return 'double';
  }
  switch (c.code) {
    case 'B':
      return conversion === 'signed-byte' ? 'short' : 'unsignedByte';
    case 'I':
      return conversion === 'unsigned' ? 'int' : 'short';
    case 'J':
      return conversion === 'unsigned' ? 'long' : 'int';
    default:
      return 'long';
  }
}

/** The VOTable FIELD a FITS column reads as on its own. */
function deriveField(c: FitsColumn, where: string): Field {
  const datatype = datatypeOf(c, where);
  let arraysize: string | undefined;
  if (c.descriptor) {
    arraysize = c.code === 'A' && c.dims ? `${c.dims[0]}x*` : '*';
  } else if (c.dims) {
    arraysize = c.dims.join('x');
  } else if (c.repeat !== 1 || c.code === 'A') {
    arraysize = String(c.repeat);
  }
  const field: Field = { name: c.name, datatype, arraysize, attributes: { name: c.name, datatype }, links: [] };
  if (arraysize !== undefined) field.attributes.arraysize = arraysize;
  if (c.unit) {
    field.unit = c.unit;
    field.attributes.unit = c.unit;
  }
  if (c.tnull !== null && conversionOf(c) !== 'scaled') {
    const shown = conversionOf(c) === 'none' ? c.tnull : BigInt(c.tnull) + BigInt(c.zero);
    field.values = { null: String(shown), attributes: { null: String(shown) }, options: [] };
  }
  return field;
}

/** Growable output for one column. */
class ColumnOut {
  values: ColumnValues;
  used = 0;
  validity: Uint8Array;
  nulls = 0;
  offsets: Int32Array | null;
  stringOffsets: Int32Array | null;
  strings = 0;

  constructor(datatype: Datatype, rows: number, perRow: number, variable: boolean) {
    const Ctor = valuesConstructor(datatype);
    this.values = new Ctor(Math.max(1, rows * perRow));
    this.validity = new Uint8Array((rows + 7) >> 3).fill(0xff);
    this.offsets = variable ? new Int32Array(rows + 1) : null;
    this.stringOffsets = isStringType(datatype) ? new Int32Array(rows * Math.max(1, perRow) + 1) : null;
  }

  room(n: number): ColumnValues {
    if (this.used + n > this.values.length) {
      const next = new (this.values.constructor as new (n: number) => ColumnValues)(Math.max(this.values.length * 2, this.used + n));
      (next as Uint8Array).set(this.values as Uint8Array);
      this.values = next;
    }
    return this.values;
  }

  /** Appends `bytes[start, end)` as one string, Latin-1 → UTF-8 (see the top of the file). */
  pushString(bytes: Uint8Array, start: number, end: number): void {
    const out = this.room(2 * (end - start)) as Uint8Array;
    let o = this.used;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (b < 0x80) {
        out[o++] = b;
      } else {
        out[o++] = 0xc0 | (b >> 6);
        out[o++] = 0x80 | (b & 63);
      }
    }
    this.used = o;
    let so = this.stringOffsets as Int32Array;
    if (this.strings + 2 > so.length) {
      const next = new Int32Array(so.length * 2 + 2);
      next.set(so);
      so = this.stringOffsets = next;
    }
    so[++this.strings] = this.used;
  }

  setNull(row: number): void {
    this.validity[row >> 3] &= ~(1 << (row & 7));
    this.nulls++;
  }
}

/**
 * Reads one BINTABLE of a FITS file into Columns.
 *
 * @throws FitsError when the HDU is missing or not a BINTABLE, a TFORM is unknown, a heap
 *   descriptor points outside the heap, or a FITS column cannot become the given FIELD.
 */
export function readFitsTable(bytes: Uint8Array, options: FitsTableOptions = {}): FitsTable {
  const extnum = options.extnum ?? 1;
  const tableWhere = options.tableIndex !== undefined ? { table: options.tableIndex } : {};
  const hdus = readFitsHdus(bytes);
  const hdu = hdus[extnum];
  if (!hdu) {
    throw new FitsError(`FITS extnum ${extnum} does not exist: the file has ${hdus.length - 1} extension(s)`, tableWhere);
  }
  const where = `FITS HDU ${extnum}`;
  if (hdu.type !== 'BINTABLE') {
    throw new FitsError(`${where} is ${hdu.type === 'PRIMARY' ? 'the primary HDU' : `a ${hdu.type} extension`}, not a BINTABLE`, tableWhere);
  }
  const { columns: fitsColumns, rowBytes, rows, heapOffset } = parseColumns(hdu, where);
  const given = options.fields;
  if (given && given.length !== fitsColumns.length) {
    throw new FitsError(`${where} has ${fitsColumns.length} columns but the TABLE declares ${given.length} FIELDs`, tableWhere);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: Field[] = [];
  const columns: Column[] = [];
  for (const c of fitsColumns) {
    const own = deriveField(c, where);
    const target = given ? given[c.index - 1] : own;
    const decoded = decodeColumn(bytes, view, hdu, c, own, rows, rowBytes, heapOffset, where);
    columns.push(given ? convertColumn(decoded, target, where) : decoded);
    fields.push(target);
  }
  return { fields, columns, rowCount: rows, hdu };
}

function decodeColumn(
  bytes: Uint8Array,
  view: DataView,
  hdu: FitsHdu,
  c: FitsColumn,
  field: Field,
  rows: number,
  rowBytes: number,
  heapOffset: number,
  where: string,
): Column {
  const datatype = field.datatype;
  const variable = c.descriptor !== null;
  const layout = cellLayout(datatype, parseArraySize(field.arraysize));
  const isString = c.code === 'A';
  // Numbers per row for the first allocation (complex: two per element; heap cells: a guess).
  const perRow = variable ? 8 : c.code === 'C' || c.code === 'M' ? 2 * c.repeat : c.repeat;
  const out = new ColumnOut(datatype, rows, perRow, variable && !(isString && !c.dims));
  const conversion = conversionOf(c);
  const heapStart = hdu.dataOffset + heapOffset;
  const heapEnd = hdu.dataOffset + hdu.dataBytes;
  const stringLength = isString ? (c.dims ? c.dims[0] : variable ? -1 : c.repeat) : 0;
  let elements = 0;
  for (let r = 0; r < rows; r++) {
    const cell = hdu.dataOffset + r * rowBytes + c.offset;
    let p = cell;
    let count = c.repeat;
    if (variable) {
      // Descriptor (§7.3.5): element count, then byte offset into the heap.
      const n = c.descriptor === 'P' ? view.getInt32(cell) : Number(view.getBigInt64(cell));
      const off = c.descriptor === 'P' ? view.getInt32(cell + 4) : Number(view.getBigInt64(cell + 8));
      const size = c.code === 'X' ? Math.ceil(n / 8) : n * CODE_BYTES[c.code];
      p = heapStart + off;
      if (n < 0 || off < 0 || p + size > heapEnd) {
        throw new FitsError(`${where} row ${r} column "${c.name}": heap descriptor (${n} elements at heap offset ${off}) points outside the heap`);
      }
      count = n;
    }
    const isNull = decodeCell(bytes, view, out, c, conversion, p, count, stringLength);
    if (isNull && layout.elementShape.length === 0 && !variable) out.setNull(r);
    if (out.offsets) {
      // Offsets count elements: strings for char, values (complex pairs) otherwise.
      elements += count;
      out.offsets[r + 1] = isString ? out.strings : elements;
    }
  }
  return new Column({
    field,
    length: rows,
    values: out.values.slice(0, out.used) as ColumnValues,
    validity: out.nulls > 0 ? trimmedValidity(out.validity, rows) : null,
    offsets: out.offsets,
    stringOffsets: out.stringOffsets ? out.stringOffsets.slice(0, out.strings + 1) : null,
  });
}

/** The first `rows` bits of `validity`, with the bits past the last row cleared. */
function trimmedValidity(validity: Uint8Array, rows: number): Uint8Array {
  const out = validity.slice(0, (rows + 7) >> 3);
  if (rows & 7) out[out.length - 1] &= (1 << (rows & 7)) - 1;
  return out;
}

/** Decodes `count` elements at `p`; returns true when a scalar cell is null. */
function decodeCell(
  bytes: Uint8Array,
  view: DataView,
  out: ColumnOut,
  c: FitsColumn,
  conversion: Conversion,
  p: number,
  count: number,
  stringLength: number,
): boolean {
  switch (c.code) {
    case 'A': {
      const length = stringLength < 0 ? count : stringLength;
      // A zero-width fixed cell ("0A") is still one (empty) string.
      const strings = stringLength <= 0 ? 1 : Math.floor(count / length);
      for (let s = 0; s < strings; s++) {
        const start = p + s * length;
        let end = start;
        while (end < start + length && bytes[end] !== 0) end++;
        while (end > start && bytes[end - 1] === 0x20) end--;
        out.pushString(bytes, start, end);
      }
      return false;
    }
    case 'L': {
      const v = out.room(count) as Uint8Array;
      let firstNull = false;
      for (let j = 0; j < count; j++) {
        const b = bytes[p + j];
        v[out.used + j] = b === 0x54 ? 1 : 0;
        if (j === 0 && b === 0) firstNull = true;
      }
      out.used += count;
      return firstNull;
    }
    case 'X': {
      const v = out.room(count) as Uint8Array;
      for (let j = 0; j < count; j++) v[out.used + j] = (bytes[p + (j >> 3)] >> (7 - (j & 7))) & 1;
      out.used += count;
      return false;
    }
    case 'E':
    case 'C': {
      const n = c.code === 'C' ? 2 * count : count;
      // Scaled values are doubles (Float64Array), as astropy returns them.
      const v = out.room(n) as Float32Array | Float64Array;
      const scaled = conversion !== 'none';
      for (let j = 0; j < n; j++) {
        const raw = view.getFloat32(p + 4 * j);
        v[out.used + j] = scaled ? raw * c.scale + c.zero : raw;
      }
      out.used += n;
      return false;
    }
    case 'D':
    case 'M': {
      const n = c.code === 'M' ? 2 * count : count;
      const v = out.room(n) as Float64Array;
      const scaled = conversion !== 'none';
      // Unscaled values are copied as they are, so -0 stays -0.
      for (let j = 0; j < n; j++) v[out.used + j] = scaled ? view.getFloat64(p + 8 * j) * c.scale + c.zero : view.getFloat64(p + 8 * j);
      out.used += n;
      return false;
    }
    case 'K': {
      const v = out.room(count) as BigInt64Array;
      let firstNull = false;
      for (let j = 0; j < count; j++) {
        const raw = view.getBigInt64(p + 8 * j);
        if (j === 0 && c.tnull !== null && raw === BigInt(c.tnull)) firstNull = true;
        v[out.used + j] = raw;
      }
      out.used += count;
      return firstNull;
    }
    default: {
      // B, I, J: small enough for doubles.
      const size = CODE_BYTES[c.code];
      const v = out.room(count);
      const tnull = c.tnull === null ? null : Number(c.tnull);
      let firstNull = false;
      for (let j = 0; j < count; j++) {
        const q = p + size * j;
        const raw = size === 1 ? bytes[q] : size === 2 ? view.getInt16(q) : view.getInt32(q);
        if (j === 0 && raw === tnull) firstNull = true;
        let value = raw;
        if (conversion === 'signed-byte') value = raw - 128;
        else if (conversion === 'unsigned') value = raw + c.zero;
        else if (conversion === 'scaled') value = raw * c.scale + c.zero;
        if (v instanceof BigInt64Array) v[out.used + j] = BigInt(value);
        else v[out.used + j] = value;
      }
      out.used += count;
      return firstNull;
    }
  }
}

/** Re-labels a decoded column with the VOTable FIELD, converting numbers when the types differ. */
function convertColumn(column: Column, field: Field, where: string): Column {
  const from = column.datatype;
  const to = field.datatype;
  const layout = cellLayout(to, parseArraySize(field.arraysize));
  let values = column.values;
  if (from !== to) {
    const fromString = isStringType(from);
    const toString = isStringType(to);
    const complexMismatch = (from === 'floatComplex' || from === 'doubleComplex') !== (to === 'floatComplex' || to === 'doubleComplex');
    if (fromString !== toString || complexMismatch) {
      throw new FitsError(`${where}: column "${column.name}" holds ${from} values, which cannot be read as FIELD "${field.name}" datatype ${to}`);
    }
    if (!toString) {
      const Ctor = valuesConstructor(to);
      if (!(values instanceof Ctor)) {
        const next = new Ctor(values.length);
        if (next instanceof BigInt64Array) {
          for (let i = 0; i < values.length; i++) next[i] = BigInt(Math.trunc(Number(values[i])));
        } else {
          for (let i = 0; i < values.length; i++) (next as Float64Array)[i] = Number(values[i]);
        }
        values = next;
      }
    }
  }
  let offsets = column.offsets;
  if (layout.variableElements && !offsets) {
    const per = column.layout.fixedCount;
    offsets = Int32Array.from({ length: column.length + 1 }, (_, i) => i * per);
  } else if (!layout.variableElements && offsets) {
    const per = layout.fixedCount;
    for (let r = 0; r < column.length; r++) {
      if (offsets[r + 1] - offsets[r] !== per) {
        throw new FitsError(`${where} row ${r}: column "${column.name}" has ${offsets[r + 1] - offsets[r]} elements but FIELD "${field.name}" arraysize says ${per}`);
      }
    }
    offsets = null;
  }
  return new Column({ field, length: column.length, values, validity: column.validity, offsets, stringOffsets: column.stringOffsets });
}
