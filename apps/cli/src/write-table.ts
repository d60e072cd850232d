/**
 * Writes one in-memory Table in any output format of `vokit convert`: the same CSV and JSON
 * Lines row writers, in batches so no single string grows with the table, or a VOTable document
 * holding the table in the chosen serialization.
 */

import { documentFromTables, sliceColumn, type Serialization, type Table } from '@vokit/votable';
import { TEXT_WRITERS, VOTABLE_SERIALIZATIONS, writeVOTableAs, type OutputFormat } from './commands/convert.js';
import type { OutputSink } from './output.js';

/** Rows per text batch: bounds the size of one string written (CSV of 10^6 rows is 100 MB). */
const TEXT_BATCH_ROWS = 20_000;

/** Writes `table` to `output` as `format`. */
export async function writeTable(table: Table, output: OutputSink, format: OutputFormat): Promise<void> {
  const factory = TEXT_WRITERS[format];
  if (!factory) {
    await writeVOTableAs(documentFromTables([table]), output, VOTABLE_SERIALIZATIONS[format] as Serialization);
    return;
  }
  const writer = factory(table.fields);
  await output.write(writer.header());
  for (let start = 0; start < table.rowCount; start += TEXT_BATCH_ROWS) {
    const end = Math.min(table.rowCount, start + TEXT_BATCH_ROWS);
    const columns = start === 0 && end === table.rowCount ? table.columns : table.columns.map((c) => sliceColumn(c, start, end));
    await output.write(writer.formatRows(columns, end - start));
  }
}
