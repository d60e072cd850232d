/**
 * `vokit xmatch <a> <b> --radius 1arcsec [--find …] [--ra COL --dec COL] [--out FILE|--count]`:
 * crossmatches the first tables of two VOTables on the sky with @vokit/crossmatch-wasm and
 * writes the matched pairs (row numbers, separation, positions), or with `--count` only their
 * number. Positions are found by UCD (`pos.eq.ra;meta.main`, then `pos.eq.ra`) or common names
 * unless `--ra`/`--dec` name them.
 */

import { writeFileSync } from 'node:fs';
import { crossmatch, MATCH_FINDS, type MatchFind, type MatchResult } from '@vokit/crossmatch-wasm';
import { documentFromTables, getFirstTable, parseVOTable, tableFromArrays, writeVOTableBytes, type Column, type Table } from '@vokit/votable';
import type { Command, CommandContext } from '../command.js';
import { CliError, NoTableError, OutputError, UsageError } from '../errors.js';
import { describeInputFailure } from '../failure.js';
import { openInput } from '../input.js';

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

async function readTable(spec: string, context: CommandContext): Promise<{ name: string; table: Table }> {
  const input = await openInput(spec, { progress: context.stderr, fetch: context.fetch });
  try {
    const table = getFirstTable(await parseVOTable(input.chunks));
    return { name: input.name, table };
  } catch (error) {
    if (error instanceof Error && /no TABLE/.test(error.message)) throw new NoTableError(`${input.name}: the document has no TABLE`);
    throw describeInputFailure(input.name, error);
  }
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

function csvOf(result: MatchResult, a: [Float64Array, Float64Array], b: [Float64Array, Float64Array]): string {
  const lines = ['a_row,b_row,separation_arcsec,a_ra,a_dec,b_ra,b_dec'];
  for (let i = 0; i < result.aIndex.length; i++) {
    const x = result.aIndex[i];
    const y = result.bIndex[i];
    lines.push(`${x},${y},${result.separation[i]},${a[0][x]},${a[1][x]},${b[0][y]},${b[1][y]}`);
  }
  return lines.join('\n') + '\n';
}

function votableOf(result: MatchResult, a: [Float64Array, Float64Array], b: [Float64Array, Float64Array]): Uint8Array {
  const pick = (values: Float64Array, rows: Int32Array) => Float64Array.from(rows, (r) => values[r]);
  const table = tableFromArrays({
    name: 'xmatch',
    columns: {
      a_row: { values: result.aIndex, description: 'row number in the first table (from 0)', ucd: 'meta.id' },
      b_row: { values: result.bIndex, description: 'row number in the second table (from 0)', ucd: 'meta.id' },
      separation: { values: result.separation, unit: 'arcsec', ucd: 'pos.angDistance' },
      a_ra: { values: pick(a[0], result.aIndex), unit: 'deg', ucd: 'pos.eq.ra;meta.main' },
      a_dec: { values: pick(a[1], result.aIndex), unit: 'deg', ucd: 'pos.eq.dec;meta.main' },
      b_ra: { values: pick(b[0], result.bIndex), unit: 'deg', ucd: 'pos.eq.ra' },
      b_dec: { values: pick(b[1], result.bIndex), unit: 'deg', ucd: 'pos.eq.dec' },
    },
  });
  return writeVOTableBytes(documentFromTables([table]), { serialization: 'BINARY2' });
}

/** `vokit xmatch`. */
export const xmatchCommand: Command = {
  spec: {
    name: 'xmatch',
    summary: 'Crossmatch two VOTables on the sky: pairs within a radius (all, nearest, best).',
    positionals: ['<a>', '<b>'],
    options: {
      radius: { type: 'string', short: 'r', valueName: '<angle>', description: 'largest separation, e.g. 1arcsec, 0.5arcmin, 1e-3deg (required)' },
      find: { type: 'string', valueName: MATCH_FINDS.join('|'), description: 'which pairs: all, nearest (per row of a), best (one-to-one, default), best1, best2' },
      ra: { type: 'string', valueName: '<column>', description: 'RA column (degrees) of both tables; default by UCD or name' },
      dec: { type: 'string', valueName: '<column>', description: 'Dec column (degrees) of both tables; default by UCD or name' },
      out: { type: 'string', short: 'o', valueName: '<file>', description: 'write the pairs to a file: .csv, or .vot/.xml (VOTable BINARY2); default CSV on stdout' },
      count: { type: 'boolean', description: 'print only the number of matched pairs' },
    },
    details: [
      'Modes are those of STILTS tskymatch2 (find=all|best|best1|best2) and astropy',
      '(nearest = match_to_catalog_sky within the radius), with the same pairs.',
      'Row numbers count from 0; separations are in arcseconds.',
      '',
      'Examples:',
      '  vokit xmatch gaia.vot 2mass.vot --radius 1arcsec --count',
      '  vokit xmatch a.vot b.vot -r 2 --find all --out pairs.csv',
    ].join('\n'),
  },
  async run(args, context) {
    const radiusText = args.options.radius;
    if (typeof radiusText !== 'string') throw new UsageError('xmatch: --radius is required, e.g. --radius 1arcsec');
    const radius = parseRadius(radiusText);
    const findOption = args.options.find;
    if (findOption !== undefined && !(MATCH_FINDS as readonly unknown[]).includes(findOption)) {
      throw new UsageError(`xmatch: --find "${String(findOption)}" is not one of ${MATCH_FINDS.join(', ')}`);
    }
    const find = (findOption ?? 'best') as MatchFind;
    const out = args.options.out as string | undefined;
    if (out !== undefined && args.options.count) throw new UsageError('xmatch: give --out or --count, not both');
    const ra = args.options.ra as string | undefined;
    const dec = args.options.dec as string | undefined;

    const [first, second] = [await readTable(args.positionals[0], context), await readTable(args.positionals[1], context)];
    const positions = (t: { name: string; table: Table }): [Float64Array, Float64Array] => [
      degrees(findPositionColumn(t.table, 'ra', ra, t.name), t.name),
      degrees(findPositionColumn(t.table, 'dec', dec, t.name), t.name),
    ];
    const a = positions(first);
    const b = positions(second);
    const bar = progressBar(context.stderr);
    let result: MatchResult;
    try {
      result = crossmatch({ ra: a[0], dec: a[1] }, { ra: b[0], dec: b[1] }, { radius, find, onProgress: bar.update });
    } finally {
      bar.end();
    }
    if (args.options.count) {
      context.stdout.write(`${result.aIndex.length}\n`);
      return;
    }
    if (out === undefined || out === '-') {
      context.stdout.write(csvOf(result, a, b));
      return;
    }
    const bytes = /\.(vot|xml|votable)$/i.test(out) ? votableOf(result, a, b) : /\.csv$/i.test(out) ? csvOf(result, a, b) : undefined;
    if (bytes === undefined) throw new UsageError(`xmatch: cannot tell the format of "${out}"; use a .csv, .vot or .xml name`);
    try {
      writeFileSync(out, bytes);
    } catch (error) {
      throw new OutputError(`${out}: ${(error as Error).message}`, { cause: error });
    }
  },
};
