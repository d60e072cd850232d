/**
 * CSV output: a header row of column names, then one line per row, fields quoted as RFC 4180
 * §2 says (only when they hold a comma, a double quote, CR or LF; quotes doubled). Lines end
 * with LF, as astropy, pandas and STILTS write them.
 *
 * Cell mapping: null → empty field; numbers as in JSON Lines (exact integers, shortest
 * round-trip floats) with `NaN`, `Infinity`, `-Infinity` spelled out; booleans `true` /
 * `false`; arrays flattened (first index fastest) and joined by single spaces, complex values
 * as `re im`, so `3x2` floats become one field `a b c d e f`.
 */

import type { Column, Field } from '@vokit/votable';
import { elementTextFormatter, type ElementSpelling } from './element-text.js';
import { uniqueColumnNames, type TextTableWriter } from './text-table-writer.js';

const NEEDS_QUOTES = /[",\r\n]/;

/** Quotes one CSV field when RFC 4180 requires it. */
export function quoteCsvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV writes floats and strings as they are (quoted later if needed), complex as `re im`. */
const CSV_SPELLING: ElementSpelling = {
  float: (text) => text,
  complex: (re, im) => `${re} ${im}`,
  string: (text) => text,
};

/** Formats one cell of a column as an (already quoted) CSV field. */
export function csvCellFormatter(field: Field): (column: Column, row: number) => string {
  const element = elementTextFormatter(field.datatype, CSV_SPELLING);
  return (column, row) => {
    if (!column.isValid(row)) return '';
    const [start, count] = column.elementRange(row);
    if (column.isScalar) return quoteCsvField(element(column, start));
    const texts: string[] = new Array(count);
    for (let k = 0; k < count; k++) texts[k] = element(column, start + k);
    return quoteCsvField(texts.join(' '));
  };
}

/** A TextTableWriter for CSV. */
export function createCsvWriter(fields: readonly Field[]): TextTableWriter {
  const cells = fields.map((f) => csvCellFormatter(f));
  return {
    header: () => uniqueColumnNames(fields).map(quoteCsvField).join(',') + '\n',
    formatRows(columns, rowCount) {
      const lines: string[] = new Array(rowCount);
      for (let row = 0; row < rowCount; row++) {
        let line = '';
        for (let c = 0; c < columns.length; c++) {
          if (c > 0) line += ',';
          line += cells[c](columns[c], row);
        }
        lines[row] = line;
      }
      return rowCount === 0 ? '' : lines.join('\n') + '\n';
    },
  };
}
