/**
 * `vokit count <file|url>`: the number of rows of the first table, and nothing else, so it can
 * be used in scripts. Rows are streamed in batches and dropped, so memory stays bounded
 * whatever the size of the table, and reading stops once the first table is done. BINARY and
 * BINARY2 rows are counted without building columns (the decoders' `countOnly` mode): each row
 * is still walked and checked (base64, null flags, counts, boolean bytes, a truncated last row),
 * so a broken table fails here as it fails `vokit convert`.
 */

// The reader's own entry point: the package's index would also load the writers (about 15 ms of
// module loading on a two-core machine, a tenth of a whole `vokit count`).
import { streamVOTable } from '@vokit/votable/parse';
import type { Table } from '@vokit/votable';
import type { Command } from '../command.js';
import { NoTableError } from '../errors.js';
import { openInput } from '../input.js';
import { decoderOptions } from '../wasm-decoder.js';
import { describeInputFailure } from '../failure.js';

/** `vokit count`. */
export const countCommand: Command = {
  spec: {
    name: 'count',
    summary: 'Print the number of rows of the first table of a VOTable.',
    positionals: ['<file|url>'],
    options: {},
    details: [
      'The input is a file, - for standard input, or an http(s) URL; gzip is detected.',
      'The rows are counted as they stream, not taken from the nrows attribute.',
      '',
      'Example:',
      '  vokit count catalogue.vot',
    ].join('\n'),
  },
  async run(args, context) {
    const input = await openInput(args.positionals[0], { progress: context.stderr, fetch: context.fetch, reuseBuffers: true });
    let first: Table | undefined;
    let rows = 0;
    try {
      for await (const event of streamVOTable(input.chunks, decoderOptions(process.env, { countOnly: true }))) {
        if (event.type === 'table') {
          if (first) break; // the first table is complete once the next one starts
          first = event.table;
        } else if (event.type === 'rows' && first) {
          rows += event.rowCount;
        }
      }
    } catch (error) {
      throw describeInputFailure(input.name, error);
    }
    if (!first) throw new NoTableError(`${input.name}: the document has no TABLE`);
    context.stdout.write(`${rows}\n`);
  },
};
