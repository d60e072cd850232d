/**
 * Rows of Columns as TABLEDATA (VOTable 1.5 §5.3): one `<TR>` per line, `<TD>` text from
 * `cell-format.ts`, string cells XML-escaped, null and empty cells as `<TD/>`.
 */

import type { StringOverflowPolicy } from './binary-writer.js';
import type { ByteSink } from './byte-sink.js';
import { createCellFormatter } from './cell-format.js';
import type { Column } from './column.js';
import { isStringType } from './datatypes.js';
import { WriteError } from './errors.js';
import type { Field } from './model.js';
import { escapeXmlText, type InvalidCharacterPolicy } from './xml-escape.js';

/** The columns and FIELDs of one table to write as TABLEDATA. */
export interface TabledataRowsOptions {
  columns: Column[];
  /** The FIELDs as written. */
  fields: Field[];
  rowCount: number;
  /** Prefix of each `<TR>` line (indentation). */
  indent: string;
  invalidCharacters: InvalidCharacterPolicy;
  /** A string longer than its fixed arraysize: throw WriteError or cut it. */
  stringOverflow: StringOverflowPolicy;
}

/**
 * Writes the `<TR>` elements into `sink`, yielding after each row that filled a chunk so the
 * caller can pass chunks on (bounded memory).
 */
export function* writeTabledataRows(sink: ByteSink, options: TabledataRowsOptions): Generator<void> {
  const { columns, fields, rowCount, indent, invalidCharacters, stringOverflow } = options;
  const formatters = columns.map((c, i) => createCellFormatter(c, fields[i], stringOverflow));
  const escapes = columns.map((c) => isStringType(c.datatype));
  const nf = columns.length;
  const open = `${indent}<TR>`;
  for (let row = 0; row < rowCount; row++) {
    let line = open;
    for (let j = 0; j < nf; j++) {
      let text: string;
      try {
        text = formatters[j](row);
        if (escapes[j] && text !== '') text = escapeXmlText(text, invalidCharacters, { row, field: fields[j].name });
      } catch (error) {
        if (error instanceof WriteError) throw error;
        throw new WriteError(`cannot format cell: ${(error as Error).message}`, { row, field: fields[j].name }, { cause: error });
      }
      line += text === '' ? '<TD/>' : `<TD>${text}</TD>`;
    }
    sink.writeString(line + '</TR>\n');
    if (sink.chunks.length > 0) yield;
  }
}
