/**
 * Rows of Columns as BINARY or BINARY2 bytes (VOTable 1.5 §5.4–§5.5), base64-encoded into the
 * output as they are made. Big-endian throughout.
 *
 * Cell encoding:
 * - numbers big-endian; complex as re then im; boolean `T`/`F`/`?` (null); bits packed
 *   most significant bit first into ⌈n/8⌉ bytes (a scalar bit is one byte, 0x80 or 0x00);
 * - variable-length cells (`*`, `N*`) start with a 4-byte count of items along the last
 *   (variable) dimension: elements for 1-D arrays (complex numbers for complex, bits for bit),
 *   characters of a `*` string (UCS-2 units for unicodeChar), 3-vectors for `3x*`, strings for
 *   `10x*` char. That is how astropy and our decoder (`binary.ts`) count; STILTS 3.4 counts
 *   primitives instead for `3x*` and doubles for complex `*`, and misreads those two shapes;
 * - char cells are the column's UTF-8 bytes, fixed ones padded with NUL; unicodeChar is UCS-2
 *   big-endian (UTF-16 code units), fixed ones padded with U+0000;
 * - a fixed string longer than its arraysize throws WriteError, or is cut with
 *   `stringOverflow: 'truncate'` (at a character boundary). A variable-length cell is written
 *   whole even beyond an `N*` bound: its count makes it readable, and TABLEDATA documents in the
 *   wild exceed their bounds.
 *
 * Nulls: BINARY2 has a null flag per cell (⌈fields/8⌉ bytes before each row, MSB first,
 * 1 = null). BINARY has none, so a null is written as the type's null value:
 * - scalar integers: the FIELD's VALUES null; a column with nulls and no VALUES null gets a
 *   sentinel chosen by {@link chooseNullSentinel} (the type's most negative value, or 255 for
 *   unsignedByte, else the nearest unused one) and the written FIELD gets `<VALUES null="…">`
 *   ({@link fieldsForBinary}), so readers see the nulls (astropy raises W31 there instead);
 * - float, double: the FIELD's VALUES null when it declares one (read back as null), else NaN
 *   (readers see NaN, not null); complex: NaN;
 * - boolean `?`; char, unicodeChar, bit: empty / zero (readers see an empty string, zeros);
 * - arrays: every element as above for fixed sizes, a zero count for variable sizes.
 */

import { Base64Encoder } from './base64-encoder.js';
import type { ByteSink } from './byte-sink.js';
import { isIntegerType } from './cell-format.js';
import type { Column } from './column.js';
import { WriteError } from './errors.js';
import type { Datatype, Field, Values } from './model.js';

/** What the writer does with a string longer than its fixed arraysize: throw WriteError or cut it. */
export type StringOverflowPolicy = 'throw' | 'truncate';

const T = 0x54;
const F = 0x46;
const QUESTION = 0x3f;

/** Raw row bytes waiting to be base64-encoded. */
class RowBuffer {
  bytes: Uint8Array;
  view: DataView;
  pos = 0;
  constructor(
    private readonly encoder: Base64Encoder,
    size: number,
  ) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  /** Makes room for `n` more bytes at `pos`. */
  need(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    this.drain();
    if (n > this.bytes.length) {
      this.bytes = new Uint8Array(n);
      this.view = new DataView(this.bytes.buffer);
    }
  }
  drain(): void {
    this.encoder.write(this.bytes, 0, this.pos);
    this.pos = 0;
  }
}

type CellWriter = (row: number, valid: boolean, out: RowBuffer) => void;

const INTEGER_RANGE: Record<string, [bigint, bigint]> = {
  unsignedByte: [0n, 255n],
  short: [-(2n ** 15n), 2n ** 15n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
};

/**
 * A value of an integer column's type that no valid row holds, to stand for null in BINARY:
 * 255 for unsignedByte, else the most negative value of the type, else the nearest unused value
 * above it. Returns undefined when every value of the type is used (only possible for
 * unsignedByte).
 */
export function chooseNullSentinel(column: Column): bigint | undefined {
  const dt = column.datatype;
  const [min, max] = INTEGER_RANGE[dt];
  const values = column.values;
  const n = column.length;
  const first = dt === 'unsignedByte' ? max : min;
  const preferred = dt === 'long' ? first : Number(first);
  // Usually the preferred value is free: one scan, no allocation.
  let used = false;
  for (let i = 0; i < n && !used; i++) used = values[i] === preferred && column.isValid(i);
  if (!used) return first;
  // Else sort the valid values and walk away from the preferred end to the first gap.
  const Ctor = values.constructor as new (n: number) => typeof values;
  const sorted = new Ctor(n - column.nullCount);
  let k = 0;
  for (let i = 0; i < n; i++) if (column.isValid(i)) (sorted as unknown as (number | bigint)[])[k++] = values[i];
  sorted.sort();
  const at = (i: number) => BigInt(sorted[i]);
  if (dt === 'unsignedByte') {
    let candidate = max;
    for (let i = sorted.length - 1; i >= 0 && at(i) >= candidate; i--) if (at(i) === candidate) candidate--;
    return candidate >= min ? candidate : undefined;
  }
  let candidate = min;
  for (let i = 0; i < sorted.length && at(i) <= candidate; i++) if (at(i) === candidate) candidate++;
  return candidate <= max ? candidate : undefined;
}

/**
 * The FIELDs to write for BINARY/BINARY2: the table's own, except that in BINARY a scalar integer
 * column with nulls and no usable VALUES null gets a copy with a chosen sentinel
 * (see {@link chooseNullSentinel}). Throws WriteError when no sentinel is free.
 */
export function fieldsForBinary(fields: Field[], columns: Column[], serialization: 'BINARY' | 'BINARY2'): Field[] {
  if (serialization === 'BINARY2') return fields;
  return fields.map((field, i) => {
    const column = columns[i];
    if (!column || !isIntegerType(column.datatype) || !column.isScalar) return field;
    if (column.nullCount === 0 || parseNull(field, column.datatype) !== undefined) return field;
    const sentinel = chooseNullSentinel(column);
    if (sentinel === undefined) {
      throw new WriteError(
        `BINARY cannot express the nulls of this ${column.datatype} column: every value is used, none is free for VALUES null (write BINARY2 or TABLEDATA)`,
        { field: field.name },
      );
    }
    const values: Values = field.values
      ? { ...field.values, null: String(sentinel) }
      : { attributes: {}, null: String(sentinel), options: [] };
    return { ...field, values };
  });
}

/**
 * The VALUES null of an integer FIELD as a number of its type, or undefined when there is none
 * or it is not one (`null="NaN"` on an int is seen in the wild; readers cannot use it either).
 */
function parseNull(field: Field, datatype: Datatype): bigint | undefined {
  const text = field.values?.null;
  if (text === undefined || !isIntegerType(datatype)) return undefined;
  const t = text.trim().replace(/^\+/, '');
  let v: bigint;
  try {
    v = /^-?0x/i.test(t) ? (t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t)) : BigInt(t);
  } catch {
    return undefined;
  }
  const [min, max] = INTEGER_RANGE[datatype];
  return v < min || v > max ? undefined : v;
}

/** The number a float column's nulls are written as in BINARY: its VALUES null, else NaN. */
function parseFloatNull(field: Field, datatype: Datatype): number {
  const text = field.values?.null;
  if (text === undefined || (datatype !== 'float' && datatype !== 'double')) return NaN;
  const t = text.trim();
  const v = /^[+-]?nan$/i.test(t) ? NaN : /^[+-]?inf(inity)?$/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t);
  // A null that is not a number (null="" is seen in the wild) cannot be written: NaN it is.
  return v;
}

/** End of the UTF-8 prefix of `bytes[start, end)` that fits `limit` bytes without splitting a character. */
function utf8Cut(bytes: Uint8Array, start: number, end: number, limit: number): number {
  if (end - start <= limit) return end;
  let cut = start + limit;
  while (cut > start && (bytes[cut] & 0xc0) === 0x80) cut--;
  return cut;
}

function overflow(field: Field, row: number, what: string): WriteError {
  return new WriteError(
    `${what} does not fit arraysize "${field.arraysize ?? ''}" (widen arraysize, use "*", or pass stringOverflow: 'truncate')`,
    { row, field: field.name },
  );
}

function makeCellWriter(column: Column, field: Field, policy: StringOverflowPolicy): CellWriter {
  const dt = column.datatype;
  const layout = column.layout;
  const variable = layout.variableElements || layout.stringLength === -1;
  const dims = column.arraysize.dims;
  // The count prefix of a variable cell is in slices of the last dimension.
  const slice = dims.slice(0, -1).reduce((a, b) => a * b, 1);

  if (dt === 'char' || dt === 'unicodeChar') return stringWriter(column, field, policy);

  const values = column.values;
  const fixedCount = layout.fixedCount;
  const nullInt = parseNull(field, dt);
  const nullFloat = parseFloatNull(field, dt);

  if (dt === 'bit') {
    const v = values as Uint8Array;
    if (column.isScalar) {
      return (row, valid, out) => {
        out.need(1);
        out.bytes[out.pos++] = valid && v[row] ? 0x80 : 0;
      };
    }
    return (row, valid, out) => {
      let [start, count] = column.elementRange(row);
      if (variable) {
        if (!valid) count = 0;
        out.need(4);
        out.view.setInt32(out.pos, count / slice);
        out.pos += 4;
      }
      const nbytes = (count + 7) >> 3;
      out.need(nbytes);
      const b = out.bytes;
      b.fill(0, out.pos, out.pos + nbytes);
      if (valid) for (let k = 0; k < count; k++) if (v[start + k]) b[out.pos + (k >> 3)] |= 0x80 >> (k & 7);
      out.pos += nbytes;
    };
  }

  // One element's writer: (element index, valid) → bytes at out.pos.
  let size: number;
  let put: (k: number, valid: boolean, out: RowBuffer) => void;
  switch (dt) {
    case 'boolean': {
      const v = values as Uint8Array;
      size = 1;
      put = (k, valid, out) => {
        out.bytes[out.pos] = valid ? (v[k] ? T : F) : QUESTION;
      };
      break;
    }
    case 'unsignedByte': {
      const v = values as Uint8Array;
      const nul = Number(nullInt ?? 0n);
      size = 1;
      put = (k, valid, out) => {
        out.bytes[out.pos] = valid ? v[k] : nul;
      };
      break;
    }
    case 'short': {
      const v = values as Int16Array;
      const nul = Number(nullInt ?? 0n);
      size = 2;
      put = (k, valid, out) => out.view.setInt16(out.pos, valid ? v[k] : nul);
      break;
    }
    case 'int': {
      const v = values as Int32Array;
      const nul = Number(nullInt ?? 0n);
      size = 4;
      put = (k, valid, out) => out.view.setInt32(out.pos, valid ? v[k] : nul);
      break;
    }
    case 'long': {
      const v = values as BigInt64Array;
      const nul = BigInt.asIntN(64, nullInt ?? 0n);
      size = 8;
      put = (k, valid, out) => out.view.setBigInt64(out.pos, valid ? v[k] : nul);
      break;
    }
    case 'float': {
      const v = values as Float32Array;
      size = 4;
      put = (k, valid, out) => out.view.setFloat32(out.pos, valid ? v[k] : nullFloat);
      break;
    }
    case 'double': {
      const v = values as Float64Array;
      size = 8;
      put = (k, valid, out) => out.view.setFloat64(out.pos, valid ? v[k] : nullFloat);
      break;
    }
    case 'floatComplex': {
      const v = values as Float32Array;
      size = 8;
      put = (k, valid, out) => {
        out.view.setFloat32(out.pos, valid ? v[2 * k] : NaN);
        out.view.setFloat32(out.pos + 4, valid ? v[2 * k + 1] : NaN);
      };
      break;
    }
    case 'doubleComplex': {
      const v = values as Float64Array;
      size = 16;
      put = (k, valid, out) => {
        out.view.setFloat64(out.pos, valid ? v[2 * k] : NaN);
        out.view.setFloat64(out.pos + 8, valid ? v[2 * k + 1] : NaN);
      };
      break;
    }
    default:
      throw new WriteError(`cannot write datatype "${dt}" in BINARY`, { field: field.name });
  }
  if (column.isScalar) {
    return (row, valid, out) => {
      out.need(size);
      put(row, valid, out);
      out.pos += size;
    };
  }
  if (!variable) {
    return (row, valid, out) => {
      out.need(size * fixedCount);
      const start = row * fixedCount;
      for (let k = 0; k < fixedCount; k++) {
        put(start + k, valid, out);
        out.pos += size;
      }
    };
  }
  return (row, valid, out) => {
    const [start, n] = column.elementRange(row);
    const count = valid ? n : 0;
    out.need(4 + size * count);
    out.view.setInt32(out.pos, count / slice);
    out.pos += 4;
    for (let k = 0; k < count; k++) {
      put(start + k, true, out);
      out.pos += size;
    }
  };
}

function stringWriter(column: Column, field: Field, policy: StringOverflowPolicy): CellWriter {
  const unicode = column.datatype === 'unicodeChar';
  const unit = unicode ? 2 : 1;
  const layout = column.layout;
  const n = layout.stringLength; // characters per string, -1 when variable
  const bytes = column.values as Uint8Array;
  const so = column.stringOffsets as Int32Array;

  // Writes string `index` into exactly `slots` characters (padding with zeros), or, when
  // `slots` is -1, as many as it has; returns the characters written.
  const writeOne = (row: number, index: number, slots: number, out: RowBuffer): number => {
    if (!unicode) {
      const start = so[index];
      let end = so[index + 1];
      const limit = slots;
      if (limit >= 0 && end - start > limit) {
        if (policy !== 'truncate') throw overflow(field, row, `string of ${end - start} bytes`);
        end = utf8Cut(bytes, start, end, limit);
      }
      const len = end - start;
      const total = slots >= 0 ? slots : len;
      if (slots < 0) {
        out.need(4 + total);
        out.view.setInt32(out.pos, total);
        out.pos += 4;
      } else out.need(total);
      out.bytes.set(bytes.subarray(start, end), out.pos);
      if (total > len) out.bytes.fill(0, out.pos + len, out.pos + total);
      out.pos += total;
      return total;
    }
    let s = column.stringAt(index);
    const limit = slots;
    if (limit >= 0 && s.length > limit) {
      if (policy !== 'truncate') throw overflow(field, row, `string of ${s.length} UTF-16 units`);
      let cut = limit;
      // Do not split a surrogate pair.
      if (cut > 0 && s.charCodeAt(cut - 1) >= 0xd800 && s.charCodeAt(cut - 1) <= 0xdbff) cut--;
      s = s.slice(0, cut);
    }
    const total = slots >= 0 ? slots : s.length;
    if (slots < 0) {
      out.need(4 + 2 * total);
      out.view.setInt32(out.pos, total);
      out.pos += 4;
    } else out.need(2 * total);
    const b = out.bytes;
    let p = out.pos;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      b[p++] = c >> 8;
      b[p++] = c & 0xff;
    }
    b.fill(0, p, out.pos + 2 * total);
    out.pos += 2 * total;
    return total;
  };

  if (column.isScalar && n >= 0) {
    // char / char(N) / unicodeChar(N): one fixed string.
    return (row, valid, out) => {
      if (valid) writeOne(row, row, n, out);
      else {
        out.need(n * unit);
        out.bytes.fill(0, out.pos, out.pos + n * unit);
        out.pos += n * unit;
      }
    };
  }
  if (column.isScalar) {
    // char(*) / char(N*): count then the characters.
    return (row, valid, out) => {
      if (valid) writeOne(row, row, -1, out);
      else {
        out.need(4);
        out.view.setInt32(out.pos, 0);
        out.pos += 4;
      }
    };
  }
  // Arrays of strings: strings of n characters side by side.
  if (!layout.variableElements) {
    const count = layout.fixedCount;
    return (row, valid, out) => {
      const start = row * count;
      for (let k = 0; k < count; k++) {
        if (valid) writeOne(row, start + k, n, out);
        else {
          out.need(n * unit);
          out.bytes.fill(0, out.pos, out.pos + n * unit);
          out.pos += n * unit;
        }
      }
    };
  }
  const perItem = layout.elementShape.slice(0, -1).reduce((a, b) => a * b, 1);
  return (row, valid, out) => {
    const [start, strings] = column.elementRange(row);
    const count = valid ? strings : 0;
    // The prefix counts items of the last dimension: groups of `perItem` strings.
    out.need(4);
    out.view.setInt32(out.pos, count / perItem);
    out.pos += 4;
    for (let k = 0; k < count; k++) writeOne(row, start + k, n, out);
  };
}

/** The columns and FIELDs of one table to write as BINARY or BINARY2. */
export interface BinaryRowsOptions {
  /** BINARY2 adds the null flags before each row. */
  serialization: 'BINARY' | 'BINARY2';
  /** One column per FIELD, each `rowCount` rows long. */
  columns: Column[];
  /** The FIELDs as written (from {@link fieldsForBinary}). */
  fields: Field[];
  /** Rows to write. */
  rowCount: number;
  /** Characters per base64 line; 0 for one line. */
  base64LineLength: number;
  /** What to do with a string longer than its fixed arraysize. */
  stringOverflow: StringOverflowPolicy;
}

/**
 * Writes the rows as base64 into `sink`, yielding after each row that filled a chunk so the
 * caller can pass chunks on (bounded memory).
 */
export function* writeBinaryRows(sink: ByteSink, options: BinaryRowsOptions): Generator<void> {
  const { columns, fields, rowCount } = options;
  const base64 = new Base64Encoder(sink, options.base64LineLength);
  // A multiple of 3 keeps whole base64 groups per drain.
  const out = new RowBuffer(base64, 3 * 16384);
  const writers = columns.map((c, i) => makeCellWriter(c, fields[i], options.stringOverflow));
  const nf = columns.length;
  const flagBytes = options.serialization === 'BINARY2' ? (nf + 7) >> 3 : 0;
  for (let row = 0; row < rowCount; row++) {
    if (flagBytes > 0) {
      out.need(flagBytes);
      const at = out.pos;
      out.bytes.fill(0, at, at + flagBytes);
      for (let j = 0; j < nf; j++) if (!columns[j].isValid(row)) out.bytes[at + (j >> 3)] |= 0x80 >> (j & 7);
      out.pos += flagBytes;
    }
    for (let j = 0; j < nf; j++) {
      try {
        writers[j](row, columns[j].isValid(row), out);
      } catch (error) {
        if (error instanceof WriteError) throw error;
        throw new WriteError(`cannot encode cell: ${(error as Error).message}`, { row, field: fields[j].name }, { cause: error });
      }
    }
    if (sink.chunks.length > 0) yield;
  }
  out.drain();
  base64.end();
}
