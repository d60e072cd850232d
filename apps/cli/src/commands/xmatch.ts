/**
 * `vokit xmatch <a> <b> [<c> …] --radius 1arcsec`: crossmatches the first tables of VOTables on
 * the sky with @vokit/crossmatch-wasm and writes the joined table STILTS writes for the same
 * match, in any format `vokit convert` writes:
 *
 * - two inputs: `tskymatch2` (`find`, `join`): one row per pair with every column of both
 *   tables, clashing names suffixed `_1` / `_2`, then `GroupID`/`GroupSize` when rows share an
 *   input row and `Separation` in arcsec (`xmatch-join.ts`, `joined-table.ts`);
 * - three or more: `tmatchn multimode=group`: one row per group of rows linked across the
 *   tables, the lowest-numbered row of each table, columns suffixed `_1`, `_2`, `_3`…
 *
 * `--count` prints only the number of pairs (groups). Positions are found by UCD
 * (`pos.eq.ra;meta.main`, then `pos.eq.ra`) or common names unless `--ra`/`--dec` name them.
 */

import { crossmatch, groupMatch, MATCH_FINDS, type GroupMatchResult, type MatchFind, type MatchResult, type SkyColumns } from '@vokit/crossmatch-wasm';
import { getFirstTable, parseVOTable, type Column, type Field, type Table } from '@vokit/votable';
import type { Command, CommandContext } from '../command.js';
import { chooseDalOutput } from '../dal-output.js';
import { CliError, NoTableError, UsageError } from '../errors.js';
import { describeInputFailure } from '../failure.js';
import { openInput } from '../input.js';
import { joinedTable, validityWhere, type AddedColumn, type JoinedBlock } from '../joined-table.js';
import { BrokenPipe, openOutput } from '../output.js';
import { decoderOptions } from '../wasm-decoder.js';
import { writeTable } from '../write-table.js';
import { PAIR_JOINS, pairJoinRows, type PairJoin } from '../xmatch-join.js';
import { OUTPUT_FORMATS } from './convert.js';

/** A column named by neither option nor UCD: these names are tried, case-insensitively, in order. */
const RA_NAMES = ['ra', 'raj2000', 'ra_icrs', 'ra_j2000', 'radeg', '_raj2000', 'alpha', 'ra_deg'];
const DEC_NAMES = ['dec', 'dej2000', 'dec_icrs', 'dec_j2000', 'dedeg', '_dej2000', 'delta', 'dec_deg', 'decl'];

const UNITS: Record<string, number> = { arcsec: 1, as: 1, '"': 1, '″': 1, arcmin: 60, am: 60, "'": 60, '′': 60, deg: 3600, d: 3600, '°': 3600, mas: 1e-3 };

/** A radius as "1arcsec", "0.5 arcmin", "2e-4deg", "300mas" or a bare number of arcseconds. */
export function parseRadius(text: string): number {
  const match = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-z"'″′°]*)\s*$/i.exec(text);
  const factor = match ? (match[2] === '' ? 1 : UNITS[match[2].toLowerCase()]) : undefined;
  if (!match || factor === undefined) {
    throw new UsageError(`xmatch: --radius "${text}" is not an angle; write e.g. 1arcsec, 0.5arcmin, 1e-3deg or 300mas`);
  }
  return Number(match[1]) * factor;
}

/** The RA or Dec column: named, else by UCD, else by a common name. */
export function findPositionColumn(table: Table, axis: 'ra' | 'dec', name: string | undefined, where: string): Column {
  const columns = table.columns;
  if (name !== undefined) {
    const found = columns.find((c) => c.field.name === name) ?? columns.find((c) => c.field.name.toLowerCase() === name.toLowerCase());
    if (!found) throw new UsageError(`xmatch: ${where} has no column "${name}" (columns: ${columns.map((c) => c.field.name).join(', ')})`);
    return found;
  }
  const ucd = `pos.eq.${axis}`;
  const byUcd = (main: boolean) =>
    columns.find((c) => {
      const words = (c.field.ucd ?? '').toLowerCase().split(';').map((w) => w.trim());
      return words[0] === ucd && (!main || words.includes('meta.main'));
    });
  const names = axis === 'ra' ? RA_NAMES : DEC_NAMES;
  const found =
    byUcd(true) ??
    byUcd(false) ??
    names.map((n) => columns.find((c) => c.field.name.toLowerCase() === n)).find((c) => c !== undefined);
  if (!found) {
    throw new UsageError(
      `xmatch: no ${axis === 'ra' ? 'RA' : 'Dec'} column in ${where} (no UCD ${ucd}, no column named ${names.slice(0, 3).join('/')}); name it with --${axis}`,
    );
  }
  return found;
}

/** Degrees as float64, NaN for null rows. */
function degrees(column: Column, where: string): Float64Array {
  const values = column.values;
  if (!(values instanceof Float64Array) && !(values instanceof Float32Array) && !(values instanceof Int32Array) && !(values instanceof Int16Array)) {
    throw new CliError(`xmatch: column "${column.field.name}" of ${where} is ${column.field.datatype}, not a number of degrees`);
  }
  if (column.layout.fixedCount !== 1 || column.layout.variableElements) throw new CliError(`xmatch: column "${column.field.name}" of ${where} holds arrays, not one angle per row`);
  const unit = (column.field.unit ?? '').trim().toLowerCase();
  if (unit !== '' && unit !== 'deg' && unit !== 'degree' && unit !== 'degrees') {
    throw new CliError(`xmatch: column "${column.field.name}" of ${where} is in "${column.field.unit}", expected degrees`);
  }
  const out = values instanceof Float64Array && !column.validity ? values : Float64Array.from(values as ArrayLike<number>);
  if (column.validity) {
    for (let i = 0; i < out.length; i++) if (!((column.validity[i >> 3] >> (i & 7)) & 1)) out[i] = NaN;
  }
  return out;
}

/** Draws "xmatch 42% (420000/1000000 rows)" on a terminal's stderr, at most ten times a second. */
function progressBar(target: CommandContext['stderr']): { update(done: number, total: number): void; end(): void } {
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      if (!target.isTTY) return;
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      drawn = true;
      target.write(`\rxmatch ${Math.floor((100 * done) / Math.max(1, total))}% (${done}/${total} rows)\x1b[K`);
    },
    end() {
      if (drawn) target.write('\r\x1b[K');
    },
  };
}

async function readTable(spec: string, context: CommandContext): Promise<{ name: string; table: Table }> {
  const input = await openInput(spec, { progress: context.stderr, fetch: context.fetch });
  try {
    const table = getFirstTable(await parseVOTable(input.chunks, { ...decoderOptions(), inputBytes: input.totalBytes }));
    return { name: input.name, table };
  } catch (error) {
    if (error instanceof Error && /no TABLE/.test(error.message)) throw new NoTableError(`${input.name}: the document has no TABLE`);
    throw describeInputFailure(input.name, error);
  }
}

/** `--ra`/`--dec`: one column name for every input, or a comma-separated name per input. */
function columnNames(option: string, text: string | undefined, inputs: number): Array<string | undefined> {
  if (text === undefined) return new Array(inputs).fill(undefined);
  const names = text.split(',').map((n) => n.trim());
  if (names.length === 1) return new Array(inputs).fill(names[0]);
  if (names.length !== inputs) {
    throw new UsageError(`xmatch: --${option} names ${names.length} columns for ${inputs} inputs; give one name for all, or one per input separated by commas`);
  }
  return names;
}

/** The Separation column STILTS adds: arcsec along a great circle, null where there is no pair. */
const SEPARATION_FIELD: Field = {
  name: 'Separation',
  datatype: 'double',
  unit: 'arcsec',
  ucd: 'pos.angDistance',
  description: 'Angle on the sky between the matched positions',
  attributes: {},
  links: [],
};

function intField(name: string, description: string): Field {
  return { name, datatype: 'int', description, attributes: {}, links: [] };
}

/** The joined table of a two-table match (see xmatch-join.ts). */
function pairTable(result: MatchResult, a: Table, b: Table, join: PairJoin): Table {
  const rows = pairJoinRows(result, a.rowCount, b.rowCount, join);
  const blocks: JoinedBlock[] = [];
  if (rows.aRows) blocks.push({ table: a, rows: rows.aRows, suffix: '_1' });
  if (rows.bRows) blocks.push({ table: b, rows: rows.bRows, suffix: '_2' });
  const added: AddedColumn[] = [];
  if (rows.groups) {
    const { id, size } = rows.groups;
    const validity = validityWhere(rows.length, (i) => id[i] > 0);
    added.push({ field: intField('GroupID', 'Number of the group of rows sharing input rows'), values: id, validity });
    added.push({ field: intField('GroupSize', 'Number of output rows in the group'), values: size, validity });
  }
  if (rows.separation) {
    const separation = rows.separation;
    added.push({ field: SEPARATION_FIELD, values: separation, validity: validityWhere(rows.length, (i) => !Number.isNaN(separation[i])) });
  }
  return joinedTable('xmatch', blocks, added, rows.length);
}

/** One row per group, the group's row of each table or -1 (as `tmatchn multimode=group`). */
function groupRows(groups: GroupMatchResult, tables: number): Int32Array[] {
  const count = groups.offsets.length - 1;
  const rows = Array.from({ length: tables }, () => new Int32Array(count).fill(-1));
  for (let g = 0; g < count; g++) {
    for (let k = groups.offsets[g]; k < groups.offsets[g + 1]; k++) rows[groups.catalog[k]][g] = groups.row[k];
  }
  return rows;
}

/** What the command line asks of a match. */
interface MatchPlan {
  inputs: string[];
  /** Column names per input from --ra/--dec (undefined: found by UCD or name). */
  raNames: Array<string | undefined>;
  decNames: Array<string | undefined>;
  /** Arcseconds. */
  radius: number;
  find: MatchFind;
  join: PairJoin;
  /** Print the number of pairs (groups) instead of a table. */
  count: boolean;
}

/**
 * Reads the inputs, matches them and returns the joined table, or prints the count and
 * returns undefined.
 */
async function matchTables(plan: MatchPlan, context: CommandContext): Promise<Table | undefined> {
  const { inputs, raNames, decNames, radius, find, join, count } = plan;
  const tables: Array<{ name: string; table: Table }> = [];
  for (const spec of inputs) tables.push(await readTable(spec, context));
  const positions: SkyColumns[] = tables.map((t, i) => ({
    ra: degrees(findPositionColumn(t.table, 'ra', raNames[i], t.name), t.name),
    dec: degrees(findPositionColumn(t.table, 'dec', decNames[i], t.name), t.name),
  }));
  if (inputs.length === 2) {
    const bar = progressBar(context.stderr);
    let result: MatchResult;
    try {
      result = crossmatch(positions[0], positions[1], { radius, find, onProgress: bar.update });
    } finally {
      bar.end();
    }
    if (!count) return pairTable(result, tables[0].table, tables[1].table, join);
    context.stdout.write(`${result.aIndex.length}\n`);
    return undefined;
  }
  const groups = groupMatch(positions, { radius, perCatalog: 'first' });
  const groupCount = groups.offsets.length - 1;
  if (count) {
    context.stdout.write(`${groupCount}\n`);
    return undefined;
  }
  const rows = groupRows(groups, tables.length);
  return joinedTable('xmatch', tables.map((t, i) => ({ table: t.table, rows: rows[i], suffix: `_${i + 1}` })), [], groupCount);
}

/** `vokit xmatch`. */
export const xmatchCommand: Command = {
  spec: {
    name: 'xmatch',
    summary: 'Crossmatch VOTables on the sky: the joined table of STILTS tskymatch2 (two) or tmatchn (three or more).',
    positionals: ['<a>', '<b>'],
    morePositionals: '[<c> …]',
    options: {
      radius: { type: 'string', short: 'r', valueName: '<angle>', description: 'largest separation, e.g. 1arcsec, 0.5arcmin, 1e-3deg (required)' },
      find: { type: 'string', valueName: MATCH_FINDS.join('|'), description: 'two inputs: which pairs: all, nearest (= best1), best (one-to-one, default), best1, best2' },
      join: { type: 'string', valueName: PAIR_JOINS.join('|'), description: 'two inputs: which rows, as STILTS join= (default 1and2: matched pairs only)' },
      ra: { type: 'string', valueName: '<column>[,…]', description: 'RA column (degrees): one name for every input, or one per input; default by UCD or name' },
      dec: { type: 'string', valueName: '<column>[,…]', description: 'Dec column (degrees), as --ra' },
      out: { type: 'string', short: 'o', valueName: '<file>', description: 'write the table to <file>, in the format its extension says (.vot .xml .csv .jsonl); default: VOTable on stdout' },
      'out-format': { type: 'string', valueName: '<format>', description: `output format instead of the extension's: ${OUTPUT_FORMATS.join(', ')}` },
      count: { type: 'boolean', description: 'print only the number of matched pairs (with three or more inputs: groups)' },
    },
    details: [
      'Two inputs give what STILTS tskymatch2 gives: one row per output row with all columns',
      'of <a>, then all of <b> (a name in both gets _1 / _2), GroupID and GroupSize when output',
      'rows share an input row (find=all, best1, best2), and Separation (arcsec).',
      '  --find   all|best|best1|best2 as STILTS find=; nearest = best1 = astropy',
      '           match_to_catalog_sky within the radius',
      '  --join   1and2 pairs; all1 / all2 / 1or2 also unmatched rows of <a> / <b> / both, the',
      '           other side null; 1not2 / 2not1 only the unmatched rows of <a> / <b> (their',
      '           own columns); 1xor2 the unmatched rows of both',
      'Three or more inputs give what STILTS tmatchn multimode=group gives: rows of different',
      'inputs within the radius are linked, linked rows form groups, and each group is one row',
      'holding the lowest-numbered row of each input in it (null for inputs not in the group);',
      'names in several inputs get _1, _2, _3, …',
      '',
      'Columns keep their datatype, arraysize, unit, UCD, utype, description and null values;',
      '64-bit integers are copied exactly. Output formats and --out as `vokit convert`.',
      '',
      'Examples:',
      '  vokit xmatch gaia.vot 2mass.vot --radius 1arcsec --count',
      '  vokit xmatch a.vot b.vot -r 2 --find all --join all1 --out joined.csv',
      '  vokit xmatch a.vot b.vot c.vot -r 1arcsec --ra ra,RAJ2000,RA_ICRS --dec dec,DEJ2000,DE_ICRS -o groups.vot',
    ].join('\n'),
  },
  async run(args, context) {
    const radiusText = args.options.radius;
    if (typeof radiusText !== 'string') throw new UsageError('xmatch: --radius is required, e.g. --radius 1arcsec');
    const radius = parseRadius(radiusText);
    const inputs = args.positionals;
    const findOption = args.options.find as string | undefined;
    const joinOption = args.options.join as string | undefined;
    if (inputs.length > 2 && (findOption !== undefined || joinOption !== undefined)) {
      throw new UsageError(`xmatch: --${findOption !== undefined ? 'find' : 'join'} applies to two inputs; ${inputs.length} inputs are grouped as STILTS tmatchn multimode=group`);
    }
    if (findOption !== undefined && !(MATCH_FINDS as readonly string[]).includes(findOption)) {
      throw new UsageError(`xmatch: --find "${findOption}" is not one of ${MATCH_FINDS.join(', ')}`);
    }
    if (joinOption !== undefined && !(PAIR_JOINS as readonly string[]).includes(joinOption)) {
      throw new UsageError(`xmatch: --join "${joinOption}" is not one of ${PAIR_JOINS.join(', ')}`);
    }
    const find = (findOption ?? 'best') as MatchFind;
    const join = (joinOption ?? '1and2') as PairJoin;
    const count = args.options.count === true;
    if (count && (args.options.out !== undefined || args.options['out-format'] !== undefined)) {
      throw new UsageError('xmatch: give --out/--out-format or --count, not both');
    }
    const raNames = columnNames('ra', args.options.ra as string | undefined, inputs.length);
    const decNames = columnNames('dec', args.options.dec as string | undefined, inputs.length);
    const choice = count ? undefined : chooseDalOutput('xmatch', args);

    // The output first: inputs are not read when the output cannot be written.
    const output = choice ? await openOutput(choice.target, context.stdout) : undefined;
    try {
      const table = await matchTables({ inputs, raNames, decNames, radius, find, join, count }, context);
      if (output && table) {
        await writeTable(table, output, choice!.format);
        await output.close();
      }
    } catch (error) {
      await output?.abort();
      if (error instanceof BrokenPipe) return;
      throw error;
    }
  },
};
