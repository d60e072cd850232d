/**
 * Rows as a view over the columns (STYLE.md §5: columns are the storage): objects keyed by
 * FIELD name, built on demand.
 */

import type { CellValue, Column } from './column.js';
import { OptionsError } from './errors.js';
import type { Table } from './model.js';

/** One row: FIELD name → cell value (as `Column.get` gives it). */
export type Row = Record<string, CellValue>;

/**
 * The rows of a parsed table, one object per row keyed by FIELD name (the ID when a later
 * FIELD repeats a name, else `name_2`, …, so no value is hidden).
 */
export function* tableRows(table: Table): Generator<Row> {
  const columns = table.columns;
  const keys = rowKeys(table);
  for (let r = 0; r < table.rowCount; r++) {
    const row: Row = {};
    for (let c = 0; c < columns.length; c++) row[keys[c]] = columns[c].get(r);
    yield row;
  }
}

/** The keys `tableRows` uses, one per column. */
export function rowKeys(table: Table): string[] {
  const seen = new Set<string>();
  return table.columns.map((col) => {
    let key = col.field.name;
    if (seen.has(key) && col.field.id !== undefined && !seen.has(col.field.id)) key = col.field.id;
    for (let n = 2; seen.has(key); n++) key = `${col.field.name}_${n}`;
    seen.add(key);
    return key;
  });
}

/**
 * The column whose FIELD has `name` (exactly, then ignoring case) or ID `nameOrId`; throws
 * OptionsError listing the columns when there is none.
 */
export function getColumn(table: Table, nameOrId: string): Column {
  const cols = table.columns;
  const found =
    cols.find((c) => c.field.name === nameOrId) ??
    cols.find((c) => c.field.id === nameOrId) ??
    cols.find((c) => c.field.name.toLowerCase() === nameOrId.toLowerCase());
  if (found) return found;
  throw new OptionsError(`no column "${nameOrId}"; the table has ${cols.map((c) => c.field.name).join(', ') || 'no columns'}`);
}
