/**
 * `vokit info <file|url>`: what a VOTable holds, in one screen per table: version, RESOURCEs,
 * TABLEs with their row count and serialization, the columns (name, datatype, arraysize,
 * unit, UCD), PARAMs and INFOs wherever they sit (a trailing QUERY_STATUS of OVERFLOW or
 * ERROR after the data included). Rows are streamed and counted, never kept.
 */

import { streamVOTable, type Field, type Info, type Param, type Resource, type Table, type VOTableDocument } from '@vokit/votable';
import type { Command } from '../command.js';
import { InputError } from '../errors.js';
import { describeInputFailure } from '../failure.js';
import { openInput } from '../input.js';
import { decoderOptions } from '../wasm-decoder.js';
import { formatTextColumns } from '../text-columns.js';

/** Longest INFO content or description shown, in characters (the rest is elided). */
const TEXT_LIMIT = 160;

/** `vokit info`. */
export const infoCommand: Command = {
  spec: {
    name: 'info',
    summary: 'Describe a VOTable: tables, columns, PARAMs, INFOs and row counts.',
    positionals: ['<file|url>'],
    options: {},
    details: [
      'The input is a file, - for standard input, or an http(s) URL; gzip is detected.',
      'Row counts are counted while streaming the whole input, not taken from nrows.',
      '',
      'Example:',
      "  vokit info 'https://example.org/tap/sync?REQUEST=doQuery&LANG=ADQL&QUERY=...'",
    ].join('\n'),
  },
  async run(args, context) {
    const input = await openInput(args.positionals[0], { progress: context.stderr, fetch: context.fetch });
    const tables: Table[] = [];
    const counts: number[] = [];
    let document: VOTableDocument | undefined;
    try {
      for await (const event of streamVOTable(input.chunks, decoderOptions())) {
        if (event.type === 'table') {
          tables.push(event.table);
          counts.push(0);
        } else if (event.type === 'rows') {
          counts[counts.length - 1] += event.rowCount;
        } else if (event.type === 'end') {
          document = event.document;
        }
      }
    } catch (error) {
      throw describeInputFailure(input.name, error);
    }
    if (!document) throw new InputError(`${input.name}: the parser ended without the document`);
    context.stdout.write(describeDocument(input.name, document, tables, counts).join('\n') + '\n');
  },
};

function clip(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > TEXT_LIMIT ? `${flat.slice(0, TEXT_LIMIT - 1)}…` : flat;
}

function quoteName(name: string | undefined): string {
  return name ? ` "${name}"` : '';
}

/** The lines `vokit info` prints for a streamed document and its tables' row counts. */
export function describeDocument(name: string, document: VOTableDocument, streamed: Table[], counts: number[]): string[] {
  const allTables: Table[] = [];
  const collect = (resource: Resource) => {
    allTables.push(...resource.tables);
    resource.resources.forEach(collect);
  };
  document.resources.forEach(collect);
  const lines: string[] = [];
  lines.push(`${name}: VOTable ${document.version}, ${plural(allTables.length, 'table')}`);
  if (document.description) lines.push(`  description: ${clip(document.description)}`);
  describeInfos(lines, '  ', document.infos);
  describeParams(lines, '  ', [...(document.definitions?.params ?? []), ...document.params]);

  let walkIndex = 0;
  const rowCountOf = (table: Table): number => {
    // Tables are matched to the streamed events by identity; a parser that hands out copies in
    // the final document still streams them in document order.
    const at = streamed.indexOf(table);
    return counts[at >= 0 ? at : walkIndex] ?? table.rowCount;
  };
  const describeResource = (resource: Resource, indent: string) => {
    lines.push(`${indent}RESOURCE${quoteName(resource.name)}${resource.type ? ` type=${resource.type}` : ''}`);
    const inner = `${indent}  `;
    if (resource.description) lines.push(`${inner}description: ${clip(resource.description)}`);
    describeInfos(lines, inner, resource.infos);
    describeParams(lines, inner, resource.params);
    for (const table of resource.tables) {
      const rows = rowCountOf(table);
      walkIndex += 1;
      describeTable(lines, inner, walkIndex, table, rows);
    }
    resource.resources.forEach((child) => describeResource(child, inner));
    describeInfos(lines, inner, resource.infosAfter, 'after the tables');
  };
  document.resources.forEach((resource) => describeResource(resource, ''));
  describeInfos(lines, '', document.infosAfter, 'after the resources');
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describeTable(lines: string[], indent: string, ordinal: number, table: Table, rows: number): void {
  const serialization = table.data ? `, ${table.data.serialization}${table.data.encoding ? ` (${table.data.encoding})` : ''}` : ', no DATA';
  lines.push(`${indent}TABLE ${ordinal}${quoteName(table.name)}: ${plural(rows, 'row')}, ${plural(table.fields.length, 'column')}${serialization}`);
  const inner = `${indent}  `;
  if (table.description) lines.push(`${inner}description: ${clip(table.description)}`);
  if (table.nrows !== undefined && table.nrows !== rows) lines.push(`${inner}nrows attribute: ${table.nrows}`);
  describeInfos(lines, inner, table.infos);
  describeParams(lines, inner, table.params);
  if (table.fields.length > 0) {
    lines.push(`${inner}columns:`);
    lines.push(...formatTextColumns(
      [['#', 'name', 'datatype', 'arraysize', 'unit', 'ucd'], ...table.fields.map((f: Field, i) => [String(i + 1), f.name, f.datatype, f.arraysize, f.unit, f.ucd])],
      `${inner}  `,
    ));
  }
  describeInfos(lines, inner, table.infosAfterData, 'after the data');
}

function describeParams(lines: string[], indent: string, params: Param[]): void {
  if (params.length === 0) return;
  lines.push(`${indent}PARAMs:`);
  lines.push(...formatTextColumns(
    [['name', 'datatype', 'arraysize', 'unit', 'ucd', 'value'], ...params.map((p) => [p.name, p.datatype, p.arraysize, p.unit, p.ucd, clip(p.value)])],
    `${indent}  `,
  ));
}

function describeInfos(lines: string[], indent: string, infos: Info[], where?: string): void {
  if (infos.length === 0) return;
  lines.push(`${indent}INFOs${where ? ` (${where})` : ''}:`);
  for (const info of infos) {
    const content = clip(info.content);
    lines.push(`${indent}  ${info.name} = ${JSON.stringify(info.value)}${content ? `  ${content}` : ''}`);
  }
}
