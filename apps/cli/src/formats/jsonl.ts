/**
 * JSON Lines output (https://jsonlines.org): one object per row, keyed by column name in
 * FIELD order.
 *
 * Cell mapping, chosen so no value is lost or rounded:
 * - null cells → `null`;
 * - integers → JSON integers, `long` printed from its BigInt, so IDs above 2^53 stay exact;
 * - float and double → the shortest decimal that reads back to the same float32 / double;
 *   NaN and ±infinity, which JSON cannot spell, → the strings `"NaN"`, `"Infinity"`,
 *   `"-Infinity"`;
 * - boolean and bit → `true` / `false`;
 * - complex → `[re, im]`;
 * - arrays → nested arrays, first index fastest as in FITS: `arraysize="3x2"` gives
 *   `[[a,b,c],[d,e,f]]`; a variable last dimension gets as many entries as the cell holds.
 */

import type { Column, Field } from '@vokit/votable';
import { elementTextFormatter, type ElementSpelling } from './element-text.js';
import { uniqueColumnNames, type TextTableWriter } from './text-table-writer.js';

function jsonFloat(text: string): string {
  // Non-finite spellings are the only non-numeric texts number-text produces.
  return text === 'NaN' || text === 'Infinity' || text === '-Infinity' ? `"${text}"` : text;
}

/** JSON spells non-finite floats as strings, complex as `[re,im]`, strings as JSON strings. */
const JSON_SPELLING: ElementSpelling = {
  float: jsonFloat,
  complex: (re, im) => `[${re},${im}]`,
  string: (text) => JSON.stringify(text),
};

/**
 * Joins flat element texts (first index fastest, as in FITS) into nested JSON arrays of
 * `shape` (first index first, so the outermost array runs over the last dimension). A last
 * dimension of -1 (variable) is inferred from the number of texts.
 */
export function nestJsonArrays(texts: readonly string[], shape: readonly number[]): string {
  if (shape.length <= 1) return `[${texts.join(',')}]`;
  const dims = shape.slice();
  const inner = dims.slice(0, -1).reduce((a, b) => a * b, 1);
  if (dims[dims.length - 1] < 0) dims[dims.length - 1] = inner === 0 ? 0 : Math.floor(texts.length / inner);
  const strides: number[] = [1];
  for (let d = 1; d < dims.length; d++) strides[d] = strides[d - 1] * dims[d - 1];
  const build = (d: number, offset: number): string => {
    const parts: string[] = new Array(dims[d]);
    for (let k = 0; k < dims[d]; k++) {
      parts[k] = d === 0 ? texts[offset + k] : build(d - 1, offset + k * strides[d]);
    }
    return `[${parts.join(',')}]`;
  };
  return build(dims.length - 1, 0);
}

/** Formats one cell of a column as JSON: `null`, a scalar, or nested arrays. */
export function jsonCellFormatter(field: Field): (column: Column, row: number) => string {
  const element = elementTextFormatter(field.datatype, JSON_SPELLING);
  let shape: number[] | undefined;
  return (column, row) => {
    if (!column.isValid(row)) return 'null';
    const [start, count] = column.elementRange(row);
    if (column.isScalar) return element(column, start);
    // A variable last dimension (`*`, or `N*`, whose N is only a bound) holds what the cell has.
    shape ??= column.layout.variableElements ? [...column.layout.elementShape.slice(0, -1), -1] : column.layout.elementShape;
    const texts: string[] = new Array(count);
    for (let k = 0; k < count; k++) texts[k] = element(column, start + k);
    return nestJsonArrays(texts, shape);
  };
}

/** A TextTableWriter for JSON Lines. */
export function createJsonlWriter(fields: readonly Field[]): TextTableWriter {
  const keys = uniqueColumnNames(fields).map((name) => `${JSON.stringify(name)}:`);
  const cells = fields.map((f) => jsonCellFormatter(f));
  return {
    header: () => '',
    formatRows(columns, rowCount) {
      const n = rowCount;
      const lines: string[] = new Array(n);
      for (let row = 0; row < n; row++) {
        let line = '{';
        for (let c = 0; c < columns.length; c++) {
          if (c > 0) line += ',';
          line += keys[c] + cells[c](columns[c], row);
        }
        lines[row] = line + '}';
      }
      return n === 0 ? '' : lines.join('\n') + '\n';
    },
  };
}
