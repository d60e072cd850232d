/**
 * What a row-oriented text format (CSV, JSON Lines) gives the `convert` command: the text
 * before the rows, and the text of each streamed batch of columns.
 */

import type { Column, Field } from '@vokit/votable';

/** Formats one table's rows as text, one batch at a time. */
export interface TextTableWriter {
  /** Text before the first row (the CSV header; empty for JSON Lines). */
  header(): string;
  /** The text of `rowCount` rows of one batch (columns in FIELD order, `rowCount` long). */
  formatRows(columns: readonly Column[], rowCount: number): string;
}

/** Builds a TextTableWriter for a table's FIELDs. */
export type TextTableWriterFactory = (fields: readonly Field[]) => TextTableWriter;

/**
 * Output column names for the FIELDs: their names; a repeated name gives way to the FIELD's ID
 * when it has an unused one, else `name_2`, `name_3`… (VOTable allows duplicate names). The
 * same keys as `rowKeys` of @vokit/votable, so rows read the same in code and in files.
 */
export function uniqueColumnNames(fields: readonly Field[]): string[] {
  const seen = new Set<string>();
  return fields.map((f) => {
    let name = f.name;
    if (seen.has(name) && f.id !== undefined && !seen.has(f.id)) name = f.id;
    for (let k = 2; seen.has(name); k++) name = `${f.name}_${k}`;
    seen.add(name);
    return name;
  });
}
