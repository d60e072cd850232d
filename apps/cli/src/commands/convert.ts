/**
 * `vokit convert <in> <out|-> [--format …]`: rewrites a VOTable as a VOTable in another
 * serialization (every table and all metadata kept), or the rows of one table as CSV or JSON
 * Lines. CSV and JSON Lines are streamed batch by batch, so any size converts in bounded memory;
 * VOTable output keeps the whole document in memory, as the writer needs it.
 */

import { parseVOTable, streamVOTable, writeVOTableStream, type Serialization, type VOTableDocument } from '@vokit/votable';
import type { Command } from '../command.js';
import { NoTableError, UsageError } from '../errors.js';
import { describeInputFailure } from '../failure.js';
import { createCsvWriter } from '../formats/csv.js';
import { createJsonlWriter } from '../formats/jsonl.js';
import type { TextTableWriterFactory } from '../formats/text-table-writer.js';
import { openInput, type OpenedInput } from '../input.js';
import { decoderOptions } from '../wasm-decoder.js';
import { BrokenPipe, openOutput, type OutputSink } from '../output.js';

/** The output formats, by their `--format` name. */
export const OUTPUT_FORMATS = ['votable', 'votable-binary', 'votable-binary2', 'csv', 'jsonl'] as const;
/** One of OUTPUT_FORMATS. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The VOTable serialization each VOTable output format writes. */
export const VOTABLE_SERIALIZATIONS: Partial<Record<OutputFormat, Serialization>> = {
  votable: 'TABLEDATA',
  'votable-binary': 'BINARY',
  'votable-binary2': 'BINARY2',
};

/** The row writer of each text output format (one table's rows, no metadata). */
export const TEXT_WRITERS: Partial<Record<OutputFormat, TextTableWriterFactory>> = {
  csv: createCsvWriter,
  jsonl: createJsonlWriter,
};

const EXTENSIONS: Record<string, OutputFormat> = {
  '.vot': 'votable',
  '.xml': 'votable',
  '.votable': 'votable',
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

const FORMAT_LIST = OUTPUT_FORMATS.join(', ');

/** The format `--format` names, or the one the output's extension implies. */
export function chooseFormat(output: string, format: string | undefined): OutputFormat {
  if (format !== undefined) {
    if ((OUTPUT_FORMATS as readonly string[]).includes(format)) return format as OutputFormat;
    throw new UsageError(`convert: unknown --format "${format}" (use one of ${FORMAT_LIST})`);
  }
  if (output === '-') throw new UsageError(`convert: writing to standard output needs --format (one of ${FORMAT_LIST})`);
  const extension = /\.[^./\\]+$/.exec(output)?.[0]?.toLowerCase();
  const implied = extension ? EXTENSIONS[extension] : undefined;
  if (!implied) {
    throw new UsageError(
      `convert: cannot tell the output format from "${output}" (extensions .vot, .xml, .csv, .jsonl); add --format ${OUTPUT_FORMATS.join('|')}`,
    );
  }
  return implied;
}

/** `vokit convert`. */
export const convertCommand: Command = {
  spec: {
    name: 'convert',
    summary: 'Convert a VOTable to another serialization, CSV or JSON Lines.',
    positionals: ['<in>', '<out|->'],
    options: {
      format: {
        type: 'string',
        short: 'f',
        valueName: '<format>',
        description: `output format: ${FORMAT_LIST} (default: from the extension)`,
      },
      table: {
        type: 'string',
        short: 't',
        valueName: '<n>',
        description: 'for csv and jsonl: which table to write, 1 for the first (default 1)',
      },
    },
    details: [
      'Formats:',
      '  votable          VOTable with TABLEDATA rows (.vot, .xml)',
      '  votable-binary   VOTable with BINARY rows',
      '  votable-binary2  VOTable with BINARY2 rows (null flags; VOTable 1.1/1.2 become 1.3)',
      '  csv              header line, RFC 4180 quoting, arrays as space-separated values (.csv)',
      '  jsonl            one JSON object per row (.jsonl): exact integers, floats that read',
      '                   back to the same value, "NaN"/"Infinity"/"-Infinity" as strings,',
      '                   arrays nested first index fastest, complex as [re, im]',
      '',
      'The input is a file, - for standard input, or an http(s) URL; gzip is detected.',
      'The output is written under a temporary name and renamed when complete; - is stdout.',
      '',
      'Examples:',
      '  vokit convert result.vot result.jsonl',
      '  vokit convert result.vot - --format votable-binary2 > result.b2.vot',
    ].join('\n'),
  },
  async run(args, context) {
    const [inputSpec, outputSpec] = args.positionals;
    const format = chooseFormat(outputSpec, args.options.format as string | undefined);
    const tableNumber = parseTableNumber(args.options.table as string | undefined, format);
    // The output first: a download is not started when the output cannot be written.
    const output = await openOutput(outputSpec, context.stdout);
    let input: OpenedInput;
    try {
      input = await openInput(inputSpec, { progress: context.stderr, fetch: context.fetch });
    } catch (error) {
      await output.abort();
      throw error;
    }
    try {
      const writerFactory = TEXT_WRITERS[format];
      if (writerFactory) await convertToText(input, output, writerFactory, tableNumber);
      else await convertToVOTable(input, output, VOTABLE_SERIALIZATIONS[format] as Serialization);
      await output.close();
    } catch (error) {
      await output.abort();
      if (error instanceof BrokenPipe) return;
      throw describeInputFailure(input.name, error);
    }
  },
};

function parseTableNumber(text: string | undefined, format: OutputFormat): number {
  if (text === undefined) return 1;
  if (!TEXT_WRITERS[format]) throw new UsageError(`convert: --table applies to csv and jsonl; ${format} output keeps every table`);
  if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`convert: --table needs a table number, 1 for the first (got "${text}")`);
  return Number(text);
}

async function convertToText(input: OpenedInput, output: OutputSink, factory: TextTableWriterFactory, tableNumber: number): Promise<void> {
  let seen = 0;
  let writer: ReturnType<TextTableWriterFactory> | undefined;
  for await (const event of streamVOTable(input.chunks, decoderOptions())) {
    if (event.type === 'table') {
      seen += 1;
      if (writer) break; // the chosen table is complete once the next one starts
      if (seen === tableNumber) {
        writer = factory(event.table.fields);
        await output.write(writer.header());
      }
    } else if (event.type === 'rows' && writer) {
      await output.write(writer.formatRows(event.columns, event.rowCount));
    }
  }
  if (!writer) {
    throw new NoTableError(
      seen === 0 ? `${input.name}: the document has no TABLE` : `${input.name}: --table ${tableNumber} asked, but the document has ${seen} table${seen === 1 ? '' : 's'}`,
    );
  }
}

async function convertToVOTable(input: OpenedInput, output: OutputSink, serialization: Serialization): Promise<void> {
  await writeVOTableAs(await parseVOTable(input.chunks, { ...decoderOptions(), inputBytes: input.totalBytes }), output, serialization);
}

/**
 * Writes a whole VOTable document in `serialization`. BINARY2 arrived with VOTable 1.3: an
 * older document is raised to 1.3, the least change that can hold it (STILTS, asked for
 * BINARY2, writes its own default version instead); any other version is kept.
 */
export async function writeVOTableAs(document: VOTableDocument, output: OutputSink, serialization: Serialization): Promise<void> {
  const version = serialization === 'BINARY2' && ['1.1', '1.2'].includes(document.version) ? '1.3' : undefined;
  for await (const chunk of writeVOTableStream(document, { serialization: serialization as 'TABLEDATA' | 'BINARY' | 'BINARY2', version })) {
    await output.write(chunk);
  }
}
