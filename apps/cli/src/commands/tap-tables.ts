/**
 * `vokit tap tables <url> [--table <name>]`: the tables a TAP service publishes (VOSI tables
 * with `detail=min`, so a large service answers quickly), or the columns of one table, loaded
 * on their own (VOSI 1.1 `tables/<name>`).
 */

import { TAPService, type TableDesc } from '@vokit/dal';
import type { Command } from '../command.js';
import { parseTimeout } from '../dal-args.js';
import { describeDalFailure } from '../dal-output.js';
import { formatTextColumns } from '../text-columns.js';

/** The first line of a description, shortened to `max` characters. */
export function shortDescription(text: string | undefined, max = 80): string | undefined {
  const flat = text?.replace(/\s+/g, ' ').trim();
  if (!flat) return undefined;
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function formatTable(table: TableDesc): string[] {
  const columns = table.columns ?? [];
  const lines = [`${table.name}: ${columns.length} column${columns.length === 1 ? '' : 's'}${table.nrows !== undefined ? `, about ${table.nrows} rows` : ''}`];
  const description = shortDescription(table.description, 200);
  if (description) lines.push(`  ${description}`);
  lines.push(
    ...formatTextColumns(
      [
        ['name', 'datatype', 'arraysize', 'unit', 'ucd', 'flags', 'description'],
        ...columns.map((c) => [c.name, c.datatype, c.arraysize, c.unit, c.ucd, c.flags.join(','), shortDescription(c.description, 60)]),
      ],
      '  ',
    ),
  );
  return lines;
}

/** `vokit tap tables`. */
export const tapTablesCommand: Command = {
  spec: {
    name: 'tap tables',
    summary: 'List the tables of a TAP service, or the columns of one table.',
    positionals: ['<url>'],
    options: {
      table: { type: 'string', short: 't', valueName: '<name>', description: 'show the columns of this table (e.g. vokit.sources)' },
      timeout: { type: 'string', valueName: '<seconds>', description: 'give up after this long (default: no limit)' },
    },
    details: ['Examples:', '  vokit tap tables http://127.0.0.1:8080/tap', '  vokit tap tables http://127.0.0.1:8080/tap --table vokit.sources'].join('\n'),
  },
  async run(args, context) {
    const [url] = args.positionals;
    const timeout = parseTimeout('tap tables', args.options.timeout as string | undefined);
    const tap = new TAPService(url, { fetch: context.fetch, timeout });
    const name = args.options.table as string | undefined;
    let lines: string[];
    try {
      if (name !== undefined) {
        lines = formatTable(await tap.table(name));
      } else {
        const schemas = await tap.tables();
        const rows = schemas.flatMap((s) => s.tables.map((t) => [t.name, t.nrows === undefined ? undefined : String(t.nrows), shortDescription(t.title ?? t.description)]));
        lines = [
          `${rows.length} table${rows.length === 1 ? '' : 's'} in ${schemas.length} schema${schemas.length === 1 ? '' : 's'}`,
          ...formatTextColumns([['table', 'rows', 'description'], ...rows], '  '),
        ];
      }
    } catch (error) {
      throw describeDalFailure('tap tables', error);
    }
    context.stdout.write(`${lines.join('\n')}\n`);
  },
};
