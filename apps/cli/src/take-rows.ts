/**
 * Rows of a Column picked by row number into a new Column (a gather, Arrow's `take`), with -1
 * for a row that has no source and is null: what a join does to each input column. Every
 * datatype and arraysize keeps its storage (64-bit integers stay BigInt64Array, strings stay
 * UTF-8 bytes), so the joined table holds exactly the input values.
 */

import { Column, type ColumnValues, type Field } from '@vokit/votable';

/**
 * The rows `rows[0], rows[1], …` of `column` as a Column described by `field` (same datatype and
 * arraysize as the column's). A row number of -1, or a null source row, gives a null row; a
 * null row of a fixed-size layout holds zeros (empty strings), as the decoders leave them.
 */
export function takeRows(column: Column, rows: Int32Array, field: Field = column.field): Column {
  const n = rows.length;
  const validity = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const source = rows[i];
    if (source >= 0 && column.isValid(source)) validity[i >> 3] |= 1 << (i & 7);
    else nulls++;
  }
  const isValid = (i: number) => ((validity[i >> 3] >> (i & 7)) & 1) === 1;
  const width = column.datatype === 'floatComplex' || column.datatype === 'doubleComplex' ? 2 : 1;
  const variable = column.offsets !== null;
  const fixedCount = column.layout.fixedCount;
  const Values = column.values.constructor as new (length: number) => ColumnValues;

  // Elements per output row: the source row's count, or for a null row 0 (variable layouts)
  // or fixedCount placeholders (fixed layouts, where row i starts at i * fixedCount).
  const count = (i: number) => (isValid(i) ? column.elementRange(rows[i])[1] : variable ? 0 : fixedCount);
  let offsets: Int32Array | null = null;
  let elements = 0;
  if (variable) {
    offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = elements += count(i);
  } else elements = n * fixedCount;

  if (column.stringOffsets) {
    const sourceOffsets = column.stringOffsets;
    const bytes = column.values as Uint8Array;
    let byteCount = 0;
    for (let i = 0; i < n; i++) {
      if (!isValid(i)) continue;
      const [start, k] = column.elementRange(rows[i]);
      byteCount += sourceOffsets[start + k] - sourceOffsets[start];
    }
    const values = new Uint8Array(byteCount);
    const stringOffsets = new Int32Array(elements + 1);
    let element = 0;
    let at = 0;
    for (let i = 0; i < n; i++) {
      if (isValid(i)) {
        const [start, k] = column.elementRange(rows[i]);
        values.set(bytes.subarray(sourceOffsets[start], sourceOffsets[start + k]), at);
        for (let e = 0; e < k; e++) stringOffsets[++element] = at += sourceOffsets[start + e + 1] - sourceOffsets[start + e];
      } else {
        for (let e = count(i); e > 0; e--) stringOffsets[++element] = at;
      }
    }
    return new Column({ field, length: n, values, validity: nulls > 0 ? validity : null, offsets, stringOffsets: stringOffsets });
  }

  const values = new Values(elements * width);
  const source = column.values;
  if (!variable && fixedCount * width === 1) {
    // Scalars, the common case: one assignment per row.
    const out = values as unknown as (number | bigint)[];
    const from = source as unknown as (number | bigint)[];
    for (let i = 0; i < n; i++) if (isValid(i)) out[i] = from[rows[i]];
  } else {
    let at = 0;
    for (let i = 0; i < n; i++) {
      const k = count(i);
      if (isValid(i)) {
        const start = column.elementRange(rows[i])[0];
        (values as Float64Array).set((source as Float64Array).subarray(start * width, (start + k) * width), at);
      }
      at += k * width;
    }
  }
  return new Column({ field, length: n, values, validity: nulls > 0 ? validity : null, offsets, stringOffsets: null });
}
