// Builds Columns from plain values through the package's own ColumnBuilder, so format tests
// run on exactly the storage the parser produces.
import { ColumnBuilder, type Column, type Field } from '@vokit/votable';

export function field(name: string, datatype: Field['datatype'], arraysize?: string): Field {
  return { name, datatype, arraysize, attributes: {}, links: [] };
}

/** Cell values: null for a null row; a flat array (first index fastest) for array cells. */
export function buildColumn(f: Field, cells: unknown[]): Column {
  const builder = new ColumnBuilder(f);
  for (const cell of cells) {
    const elements = cell === null ? [] : Array.isArray(cell) ? cell : [cell];
    const padded = cell === null && builder.layout.fixedCount > 0 ? new Array(builder.layout.fixedCount).fill(undefined) : elements;
    for (const element of padded) {
      if (builder.isString) {
        builder.appendString(element === undefined ? '' : String(element));
      } else if (builder.width === 2) {
        const [re, im] = (element ?? [0, 0]) as [number, number];
        const at = builder.reserve(2);
        builder.values[at] = re;
        builder.values[at + 1] = im;
      } else {
        const at = builder.reserve(1);
        const v = element ?? 0;
        (builder.values as unknown as unknown[])[at] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      }
    }
    builder.endRow(cell !== null);
  }
  return builder.finish();
}
