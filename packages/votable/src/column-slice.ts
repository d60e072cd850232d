/**
 * A range of rows of a Column as a Column of its own, sharing element storage where the layout
 * allows (fixed-size cells) and copying only offsets and validity bits. Used to cut streamed
 * batches to exactly `batchRows` rows.
 */

import { Column } from './column.js';

/** Rows `[start, end)` of `column` (clamped to its length). */
export function sliceColumn(column: Column, start: number, end: number): Column {
  start = Math.max(0, Math.min(start, column.length));
  end = Math.max(start, Math.min(end, column.length));
  const n = end - start;
  let validity: Uint8Array | null = null;
  if (column.validity) {
    const bits = new Uint8Array((n + 7) >> 3);
    let invalid = 0;
    for (let r = 0; r < n; r++) {
      if (column.isValid(start + r)) bits[r >> 3] |= 1 << (r & 7);
      else invalid++;
    }
    validity = invalid > 0 ? bits : null;
  }
  const width = column.datatype === 'floatComplex' || column.datatype === 'doubleComplex' ? 2 : 1;
  // Element range of the rows, then the numbers (or, for strings, the bytes) behind them.
  let firstElement: number;
  let lastElement: number;
  let offsets: Int32Array | null = null;
  if (column.offsets) {
    firstElement = column.offsets[start];
    lastElement = column.offsets[end];
    offsets = new Int32Array(n + 1);
    for (let r = 0; r <= n; r++) offsets[r] = column.offsets[start + r] - firstElement;
  } else {
    const per = column.layout.fixedCount;
    firstElement = start * per;
    lastElement = end * per;
  }
  let values;
  let stringOffsets: Int32Array | null = null;
  if (column.stringOffsets) {
    const so = column.stringOffsets;
    const base = so[firstElement];
    stringOffsets = new Int32Array(lastElement - firstElement + 1);
    for (let k = 0; k < stringOffsets.length; k++) stringOffsets[k] = so[firstElement + k] - base;
    values = column.values.subarray(base, so[lastElement]);
  } else {
    values = column.values.subarray(firstElement * width, lastElement * width);
  }
  return new Column({ field: column.field, length: n, values, validity, offsets, stringOffsets });
}
