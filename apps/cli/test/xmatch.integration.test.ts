// `vokit xmatch` against STILTS on the same VOTable files: `tskymatch2` for every find × join
// (columns, names, metadata, row order and every cell; Separation to 1e-9″, as STILTS computes
// it by another formula) and `tmatchn multimode=group` for three inputs. Needs `stilts` on PATH
// (Debian package stilts) and the built bin.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossmatch } from '@vokit/crossmatch-wasm';
import { getFirstTable, parseVOTableSync, type Table } from '@vokit/votable';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positionsA, positionsB, seededRandom, tableA, tableB, votableBytes } from './xmatch-catalogues.js';
import { assertBuilt, runVokit } from './run-vokit.js';

const N = 3000;
const random = seededRandom(20261125);
const pa = positionsA(N, random);
const pb = positionsB(pa, N, random);
const pc = positionsB(pa, 2000, random);
const work = mkdtempSync(join(tmpdir(), 'vokit-xmatch-stilts-'));
const A = join(work, 'a.vot');
const B = join(work, 'b.vot');
const C = join(work, 'c.vot');

beforeAll(() => {
  assertBuilt();
  writeFileSync(A, votableBytes(tableA(pa, random), 'BINARY2'));
  writeFileSync(B, votableBytes(tableB(pb), 'TABLEDATA'));
  writeFileSync(C, votableBytes(tableB(pc), 'BINARY'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function stilts(args: string[]): Table {
  const out = join(work, `stilts-${args.join('-').replace(/[^a-z0-9]+/gi, '_').slice(-80)}.vot`);
  execFileSync('stilts', [...args, `out=${out}`, 'ofmt=votable'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return getFirstTable(parseVOTableSync(readFileSync(out)));
}

let outputs = 0;
async function vokit(args: string[]): Promise<Table> {
  const out = join(work, `vokit-${++outputs}.vot`);
  const result = await runVokit(['xmatch', ...args, '--out', out, '--out-format', 'votable-binary2']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return getFirstTable(parseVOTableSync(readFileSync(out)));
}

const isFloat = (datatype: string) => datatype === 'float' || datatype === 'double';

/** Same FIELDs (name, datatype, unit, UCD) and, row by row, the same cells. */
function expectSameTable(actual: Table, expected: Table): void {
  expect(actual.fields.map((f) => f.name)).toEqual(expected.fields.map((f) => f.name));
  expect(actual.fields.map((f) => [f.datatype, f.unit, f.ucd])).toEqual(expected.fields.map((f) => [f.datatype, f.unit, f.ucd]));
  expect(actual.rowCount).toBe(expected.rowCount);
  actual.columns.forEach((column, c) => {
    const other = expected.columns[c];
    const name = column.field.name;
    for (let row = 0; row < actual.rowCount; row++) {
      let x = column.get(row);
      let y = other.get(row);
      // STILTS writes a null double with no VALUES null as NaN, a null string as an empty one
      if (isFloat(column.datatype) && column.isScalar) {
        if (x === null) x = NaN;
        if (y === null) y = NaN;
      }
      if (column.datatype === 'char' || column.datatype === 'unicodeChar') {
        if (x === null) x = '';
        if (y === null) y = '';
      }
      if (name === 'Separation' && typeof x === 'number' && typeof y === 'number' && !Number.isNaN(x)) {
        if (Math.abs(x - y) > 1e-9) expect.fail(`row ${row} Separation ${x} vs STILTS ${y}`);
        continue;
      }
      const same = ArrayBuffer.isView(x) && ArrayBuffer.isView(y) ? Object.is(String(Array.from(x as Float32Array)), String(Array.from(y as Float32Array))) : Object.is(x, y);
      if (!same) expect.fail(`row ${row} column ${name}: ${String(x)} vs STILTS ${String(y)}`);
    }
  });
}

describe('vokit xmatch and STILTS tskymatch2', () => {
  it('has test catalogues with conflicts and no pair across RA 0', () => {
    const all = crossmatch(pa, pb, { radius: 1, find: 'all' });
    const best = crossmatch(pa, pb, { radius: 1, find: 'best' });
    expect(all.aIndex.length).toBeGreaterThan(2000);
    expect(all.aIndex.length - best.aIndex.length).toBeGreaterThan(100);
    for (let k = 0; k < all.aIndex.length; k++) expect(Math.abs(pa.ra[all.aIndex[k]] - pb.ra[all.bIndex[k]])).toBeLessThan(180);
    expect(Array.from(all.aIndex).some((i) => Math.abs(pa.dec[i]) > 89.99)).toBe(true);
  });

  for (const find of ['all', 'best', 'best1', 'best2'] as const) {
    for (const joinType of ['1and2', '1or2', 'all1', 'all2', '1not2', '2not1', '1xor2'] as const) {
      it(`writes the table of find=${find} join=${joinType}`, async () => {
        const expected = stilts(['tskymatch2', `in1=${A}`, `in2=${B}`, 'ra1=ra', 'dec1=dec', 'ra2=ra', 'dec2=dec', 'error=1', `find=${find}`, `join=${joinType}`]);
        const actual = await vokit([A, B, '--radius', '1arcsec', '--find', find, '--join', joinType]);
        expect(expected.rowCount).toBeGreaterThan(joinType === '1not2' || joinType === '2not1' ? 500 : 1000);
        expectSameTable(actual, expected);
      });
    }
  }

  it('names clashing columns as STILTS does', async () => {
    const actual = await vokit([A, B, '-r', '1', '--find', 'best1']);
    expect(actual.fields.map((f) => f.name)).toEqual([
      'source_id', 'ra_1a', 'dec_1', 'ra_1', 'phot_g_mean_mag', 'name_1', 'quality', 'pm', 'good',
      'id', 'ra_2', 'dec_2', 'name_2', 'Separation_2', 'jmag', 'GroupID', 'GroupSize', 'Separation',
    ]);
  });

  it('counts the pairs as STILTS omode=count does', async () => {
    for (const find of ['all', 'best', 'best1', 'best2'] as const) {
      const text = execFileSync('stilts', ['tskymatch2', `in1=${A}`, `in2=${B}`, 'ra1=ra', 'dec1=dec', 'ra2=ra', 'dec2=dec', 'error=1', `find=${find}`, 'omode=count'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }).toString();
      const rows = /rows:\s*(\d+)/.exec(text)?.[1];
      const result = await runVokit(['xmatch', A, B, '-r', '1arcsec', '--find', find, '--count']);
      expect(result.stdout).toBe(`${rows}\n`);
    }
  });

  it('writes CSV with the header STILTS writes', async () => {
    const out = join(work, 'stilts-best.csv');
    execFileSync('stilts', ['tskymatch2', `in1=${A}`, `in2=${B}`, 'ra1=ra', 'dec1=dec', 'ra2=ra', 'dec2=dec', 'error=1', 'find=all', `out=${out}`, 'ofmt=csv'], { stdio: 'ignore' });
    const expected = readFileSync(out, 'utf8').split('\n');
    const result = await runVokit(['xmatch', A, B, '-r', '1', '--find', 'all', '--out-format', 'csv']);
    const actual = result.stdout.split('\n');
    expect(actual[0]).toBe(expected[0]);
    expect(actual.length).toBe(expected.length);
    // ids, exact 64-bit integers, in the same order
    expect(actual.slice(1).map((l) => l.split(',')[0])).toEqual(expected.slice(1).map((l) => l.split(',')[0]));
  });
});

describe('vokit xmatch with three inputs and STILTS tmatchn multimode=group', () => {
  it('writes one row per group, as tmatchn', async () => {
    const expected = stilts([
      'tmatchn', 'multimode=group', 'nin=3', 'matcher=sky', 'params=1',
      `in1=${A}`, `in2=${B}`, `in3=${C}`, 'values1=ra dec', 'values2=ra dec', 'values3=ra dec',
    ]);
    const actual = await vokit([A, B, C, '--radius', '1arcsec']);
    expect(expected.rowCount).toBeGreaterThan(1500);
    expectSameTable(actual, expected);
    expect(actual.fields.map((f) => f.name).slice(-6)).toEqual(['id_3', 'ra_3', 'dec_3', 'name_3', 'Separation_3', 'jmag_3']);
    const count = await runVokit(['xmatch', A, B, C, '-r', '1', '--count']);
    expect(count.stdout).toBe(`${expected.rowCount}\n`);
  });
});
