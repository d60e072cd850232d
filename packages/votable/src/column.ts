/**
 * Columnar storage laid out like Apache Arrow (STYLE.md §5): one typed array of element values
 * per column, a validity bitmap (LSB-first, 1 = valid, absent when every row is valid), and
 * offsets for variable-length cells and for strings. Rows are a view over columns
 * (`row-view.ts`), not the storage.
 *
 * Element storage by datatype:
 * | datatype | `values` |
 * |---|---|
 * | boolean, bit | Uint8Array of 0/1 |
 * | unsignedByte / short / int / long | Uint8Array / Int16Array / Int32Array / BigInt64Array |
 * | float / double | Float32Array / Float64Array |
 * | floatComplex / doubleComplex | Float32Array / Float64Array, re and im interleaved |
 * | char, unicodeChar | Uint8Array of UTF-8 bytes, strings delimited by `stringOffsets` |
 *
 * Row `i` holds elements `[i * fixedCount, (i + 1) * fixedCount)` when the layout is fixed,
 * else `[offsets[i], offsets[i + 1])`. For strings an element is one string.
 */

import { cellLayout, isComplexType, isStringType, parseArraySize, type CellLayout } from './datatypes.js';
import type { ArraySize, Datatype, Field } from './model.js';

/** The typed array a column stores its elements in. */
export type ColumnValues = Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

/** A complex number as `[re, im]`. */
export type Complex = [number, number];

/** What `Column.get` returns for one cell (null when the row's value is null). */
export type CellValue =
  | number
  | bigint
  | boolean
  | string
  | Complex
  | ColumnValues
  | boolean[]
  | string[]
  | Complex[]
  | null;

const textDecoder = new TextDecoder('utf-8', { fatal: false });

/** The parts a Column is made of; all typed arrays are exactly as long as they need to be. */
export interface ColumnParts {
  field: Field;
  length: number;
  values: ColumnValues;
  validity: Uint8Array | null;
  offsets: Int32Array | null;
  stringOffsets: Int32Array | null;
}

/** One decoded column. */
export class Column {
  /** The FIELD this column belongs to. */
  readonly field: Field;
  readonly datatype: Datatype;
  readonly arraysize: ArraySize;
  readonly layout: CellLayout;
  /** Number of rows. */
  readonly length: number;
  /** Element values (see the table at the top of this file). */
  readonly values: ColumnValues;
  /** Row validity, LSB-first, 1 = valid; null when every row is valid. */
  readonly validity: Uint8Array | null;
  /** Row → first element, length `length + 1`, for variable-length cells; else null. */
  readonly offsets: Int32Array | null;
  /** String → first byte in `values`, for char and unicodeChar; else null. */
  readonly stringOffsets: Int32Array | null;

  constructor(parts: ColumnParts) {
    this.field = parts.field;
    this.datatype = parts.field.datatype;
    this.arraysize = parseArraySize(parts.field.arraysize);
    this.layout = cellLayout(this.datatype, this.arraysize);
    this.length = parts.length;
    this.values = parts.values;
    this.validity = parts.validity;
    this.offsets = parts.offsets;
    this.stringOffsets = parts.stringOffsets;
  }

  /** The column name (the FIELD's name). */
  get name(): string {
    return this.field.name;
  }

  /** Number of null rows. */
  get nullCount(): number {
    if (!this.validity) return 0;
    let valid = 0;
    for (let i = 0; i < this.length; i++) valid += (this.validity[i >> 3] >> (i & 7)) & 1;
    return this.length - valid;
  }

  /** True when row `row` holds a value. */
  isValid(row: number): boolean {
    return !this.validity || ((this.validity[row >> 3] >> (row & 7)) & 1) === 1;
  }

  /** Index of the first element of `row` and how many elements it has. */
  elementRange(row: number): [start: number, count: number] {
    if (this.offsets) return [this.offsets[row], this.offsets[row + 1] - this.offsets[row]];
    const n = this.layout.fixedCount;
    return [row * n, n];
  }

  /** The string at element index `index` (char and unicodeChar columns). */
  stringAt(index: number): string {
    const so = this.stringOffsets as Int32Array;
    const start = so[index];
    const end = so[index + 1];
    const bytes = this.values as Uint8Array;
    // ASCII fast path: most VO strings are ASCII, and String.fromCharCode on short runs beats
    // TextDecoder's call overhead.
    if (end - start <= 32) {
      let ascii = true;
      for (let i = start; i < end; i++) {
        if (bytes[i] > 0x7f) {
          ascii = false;
          break;
        }
      }
      if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
    }
    return textDecoder.decode(bytes.subarray(start, end));
  }

  /** True when cells are single values (not arrays). */
  get isScalar(): boolean {
    return this.layout.elementShape.length === 0 && !this.layout.variableElements;
  }

  /**
   * The value of one cell: a number, bigint, boolean, string or `[re, im]` for scalars; for
   * arrays a typed-array view (numbers), or an array of booleans, strings or complex pairs.
   * Arrays are flat, first index fastest (as in FITS); `layout.elementShape` gives the shape.
   */
  get(row: number): CellValue {
    if (!this.isValid(row)) return null;
    const [start, count] = this.elementRange(row);
    const dt = this.datatype;
    if (isStringType(dt)) {
      if (this.isScalar) return this.stringAt(start);
      const out: string[] = new Array(count);
      for (let k = 0; k < count; k++) out[k] = this.stringAt(start + k);
      return out;
    }
    if (isComplexType(dt)) {
      const v = this.values as Float32Array | Float64Array;
      if (this.isScalar) return [v[2 * start], v[2 * start + 1]];
      const out: Complex[] = new Array(count);
      for (let k = 0; k < count; k++) out[k] = [v[2 * (start + k)], v[2 * (start + k) + 1]];
      return out;
    }
    if (dt === 'boolean' || dt === 'bit') {
      const v = this.values as Uint8Array;
      if (this.isScalar) return v[start] === 1;
      const out: boolean[] = new Array(count);
      for (let k = 0; k < count; k++) out[k] = v[start + k] === 1;
      return out;
    }
    if (this.isScalar) return this.values[start];
    return this.values.subarray(start, start + count);
  }

  /** Every cell, as `get` returns them. */
  toArray(): CellValue[] {
    const out: CellValue[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.get(i);
    return out;
  }
}

/** The element typed-array constructor for a datatype. */
export function valuesConstructor(datatype: Datatype) {
  switch (datatype) {
    case 'short':
      return Int16Array;
    case 'int':
      return Int32Array;
    case 'long':
      return BigInt64Array;
    case 'float':
    case 'floatComplex':
      return Float32Array;
    case 'double':
    case 'doubleComplex':
      return Float64Array;
    default:
      return Uint8Array;
  }
}

/** Numbers stored per element (2 for complex types, else 1). */
export function numbersPerElement(datatype: Datatype): number {
  return isComplexType(datatype) ? 2 : 1;
}
