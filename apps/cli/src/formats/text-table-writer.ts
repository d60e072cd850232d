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
 * Output column names for the FIELDs: their names, with `_2`, `_3`… appended to repeats so no
 * column is hidden behind another of the same name (VOTable allows duplicate names).
 */
export function uniqueColumnNames(fields: readonly Field[]): string[] {
  const seen = new Set<string>();
  return fields.map((f) => {
    let name = f.name;
    for (let k = 2; seen.has(name); k++) name = `${f.name}_${k}`;
    seen.add(name);
    return name;
  });
}
