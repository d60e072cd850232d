/**
 * Growable column storage that the decoders (TABLEDATA, BINARY, BINARY2, FITS) append rows to,
 * then `finish()` into an exact-size Column. Growth doubles, so appending n rows is O(n).
 *
 * Usage per row: write the elements (`reserve` + write into `values`, or `appendString`), then
 * `endRow(valid)`. Variable-length cells get their offsets from the element count written.
 */

import { Column, numbersPerElement, valuesConstructor, type ColumnValues } from './column.js';
import { cellLayout, isStringType, parseArraySize, type CellLayout } from './datatypes.js';
import type { Field } from './model.js';

const encoder = new TextEncoder();

function grow<T extends ColumnValues | Int32Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  let size = Math.max(16, array.length * 2);
  while (size < needed) size *= 2;
  const next = new (array.constructor as new (n: number) => T)(size);
  (next as unknown as { set(a: T): void }).set(array);
  return next;
}

export class ColumnBuilder {
  readonly field: Field;
  readonly layout: CellLayout;
  readonly isString: boolean;
  /** Numbers per element (2 for complex). */
  readonly width: number;
  /** Element values; may be replaced when it grows, so re-read after `reserve`. */
  values: ColumnValues;
  /** Numbers (not elements) written so far into `values` (bytes, for strings). */
  used = 0;
  /** Rows ended so far. */
  length = 0;
  private validity: Uint8Array;
  private nullCount = 0;
  private offsets: Int32Array | null;
  private stringOffsets: Int32Array | null;
  /** Elements (strings, for string columns) written so far. */
  elementCount = 0;

  constructor(field: Field, expectedRows = 0) {
    this.field = field;
    this.layout = cellLayout(field.datatype, parseArraySize(field.arraysize));
    this.isString = isStringType(field.datatype);
    this.width = numbersPerElement(field.datatype);
    const rows = Math.max(16, expectedRows);
    const perRow = this.isString
      ? Math.max(1, this.layout.stringLength > 0 ? this.layout.stringLength : 16) * Math.max(1, this.layout.fixedCount)
      : Math.max(1, this.layout.fixedCount) * this.width;
    const Ctor = valuesConstructor(field.datatype);
    this.values = new Ctor(rows * perRow);
    this.validity = new Uint8Array((rows + 7) >> 3);
    this.offsets = this.layout.variableElements ? new Int32Array(rows + 1) : null;
    this.stringOffsets = this.isString ? new Int32Array(rows * Math.max(1, this.layout.fixedCount) + 1) : null;
  }

  /** Makes room for `numbers` more numbers in `values` and returns the index to write at. */
  reserve(numbers: number): number {
    const at = this.used;
    this.values = grow(this.values, at + numbers);
    this.used = at + numbers;
    this.elementCount += numbers / this.width;
    return at;
  }

  /** Appends one string element (UTF-8 bytes `bytes[start, end)`). */
  appendStringBytes(bytes: Uint8Array, start: number, end: number): void {
    const n = end - start;
    const values = (this.values = grow(this.values as Uint8Array, this.used + n));
    values.set(bytes.subarray(start, end), this.used);
    this.used += n;
    this.pushStringOffset();
  }

  /** Appends one string element. */
  appendString(text: string): void {
    // Worst case 3 bytes per UTF-16 unit.
    const values = (this.values = grow(this.values as Uint8Array, this.used + text.length * 3));
    const { written } = encoder.encodeInto(text, values.subarray(this.used));
    this.used += written;
    this.pushStringOffset();
  }

  private pushStringOffset(): void {
    const so = (this.stringOffsets = grow(this.stringOffsets as Int32Array, this.elementCount + 2));
    this.elementCount += 1;
    so[this.elementCount] = this.used;
  }

  /**
   * Ends the current row. For fixed layouts the caller must have written exactly
   * `layout.fixedCount` elements (pad with zeros or empty strings for nulls).
   */
  endRow(valid: boolean): void {
    const row = this.length;
    if ((row >> 3) >= this.validity.length) this.validity = grow(this.validity, (row >> 3) + 1);
    if (valid) this.validity[row >> 3] |= 1 << (row & 7);
    else this.nullCount += 1;
    this.length = row + 1;
    if (this.offsets) {
      const offsets = (this.offsets = grow(this.offsets, row + 2));
      offsets[row + 1] = this.elementCount;
    }
  }

  /** The finished Column, with arrays trimmed to size. The builder must not be used after. */
  finish(): Column {
    const n = this.length;
    const values = this.values.slice(0, this.used) as ColumnValues;
    return new Column({
      field: this.field,
      length: n,
      values,
      validity: this.nullCount > 0 ? this.validity.slice(0, (n + 7) >> 3) : null,
      offsets: this.offsets ? this.offsets.slice(0, n + 1) : null,
      stringOffsets: this.stringOffsets ? this.stringOffsets.slice(0, this.elementCount + 1) : null,
    });
  }
}
