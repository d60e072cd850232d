// `vokit xmatch` through the real bin: counts, joined rows and groups equal to
// @vokit/crossmatch-wasm's on the same columns, position columns found by UCD or name, CSV,
// JSON Lines and VOTable output, --join, three inputs, one-line errors. The comparison with
// STILTS itself is xmatch.integration.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossmatch, groupMatch } from '@vokit/crossmatch-wasm';
import { documentFromTables, getColumn, getFirstTable, parseVOTableSync, tableFromArrays, writeVOTableBytes } from '@vokit/votable';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRadius } from '../src/commands/xmatch.js';
import { assertBuilt, runVokit } from './run-vokit.js';

let work: string;
const N = 3000;
// Seeded positions in a 1°×1° field; B = A moved by up to ±1.5″ per axis, plus random rows.
let seed = 12345;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const a = { ra: Float64Array.from({ length: N }, () => 150 + random()), dec: Float64Array.from({ length: N }, () => 2 + random()) };
const b = { ra: new Float64Array(N), dec: new Float64Array(N) };
for (let i = 0; i < N; i++) {
  const j = Math.floor(random() * N);
  b.ra[i] = i % 3 === 0 ? 150 + random() : a.ra[j] + ((random() - 0.5) * 3) / 3600;
  b.dec[i] = i % 3 === 0 ? 2 + random() : a.dec[j] + ((random() - 0.5) * 3) / 3600;
}
const bNulls = Array.from({ length: N }, (_, i) => i % 101 === 0);

beforeAll(() => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'vokit-xmatch-'));
  const ta = tableFromArrays({
    columns: {
      id: Int32Array.from({ length: N }, (_, i) => i),
      RA_ICRS: { values: a.ra, unit: 'deg', ucd: 'pos.eq.ra;meta.main' },
      DE_ICRS: { values: a.dec, unit: 'deg', ucd: 'pos.eq.dec;meta.main' },
      ra_other: { values: a.dec, unit: 'deg', ucd: 'pos.eq.ra' }, // not meta.main: must not be picked
    },
  });
  const tb = tableFromArrays({ columns: { ra: { values: b.ra, unit: 'deg' }, dec: { values: b.dec, unit: 'deg', nulls: bNulls } } });
  writeFileSync(join(work, 'a.vot'), writeVOTableBytes(documentFromTables([ta]), { serialization: 'BINARY2' }));
  writeFileSync(join(work, 'b.vot'), writeVOTableBytes(documentFromTables([tb]), { serialization: 'TABLEDATA' }));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const bWithNulls = () => ({ ra: b.ra, dec: Float64Array.from(b.dec, (d, i) => (bNulls[i] ? NaN : d)) });

describe('vokit xmatch', () => {
  it('prints the number of pairs of each mode with --count', async () => {
    for (const find of ['all', 'nearest', 'best', 'best1', 'best2'] as const) {
      const expected = crossmatch(a, bWithNulls(), { radius: 2, find }).aIndex.length;
      const result = await runVokit(['xmatch', join(work, 'a.vot'), join(work, 'b.vot'), '--radius', '2arcsec', '--find', find, '--count']);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`${expected}\n`);
      expect(result.code).toBe(0);
    }
    // best is the default; radius units convert
    const best = crossmatch(a, bWithNulls(), { radius: 1.2 }).aIndex.length;
    expect((await runVokit(['xmatch', join(work, 'a.vot'), join(work, 'b.vot'), '-r', '0.02arcmin', '--count'])).stdout).toBe(`${best}\n`);
  });

  it('writes the joined table as CSV, JSON Lines and VOTable: A columns, B columns, Separation', async () => {
    const expected = crossmatch(a, bWithNulls(), { radius: 2, find: 'nearest' });
    const csv = join(work, 'joined.csv');
    const vot = join(work, 'joined.vot');
    const run = await runVokit(['xmatch', join(work, 'a.vot'), join(work, 'b.vot'), '-r', '2', '--find', 'nearest', '--out', csv]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    // best1 rows can share a B row: GroupID/GroupSize as STILTS adds them
    expect(lines[0]).toBe('id,RA_ICRS,DE_ICRS,ra_other,ra,dec,GroupID,GroupSize,Separation');
    expect(lines.length).toBe(expected.aIndex.length + 1);
    const [x, y] = [expected.aIndex[0], expected.bIndex[0]];
    expect(lines[1].split(',').slice(0, 6)).toEqual([`${x}`, `${a.ra[x]}`, `${a.dec[x]}`, `${a.dec[x]}`, `${b.ra[y]}`, `${b.dec[y]}`]);
    expect(Number(lines[1].split(',')[8])).toBe(expected.separation[0]);

    expect((await runVokit(['xmatch', join(work, 'a.vot'), join(work, 'b.vot'), '-r', '2', '--find', 'nearest', '-o', vot, '--out-format', 'votable-binary'])).code).toBe(0);
    const table = getFirstTable(parseVOTableSync(readFileSync(vot)));
    expect(table.columns.map((c) => c.field.name)).toEqual(['id', 'RA_ICRS', 'DE_ICRS', 'ra_other', 'ra', 'dec', 'GroupID', 'GroupSize', 'Separation']);
    expect(getColumn(table, 'id').values).toEqual(Int32Array.from(expected.aIndex));
    expect(getColumn(table, 'Separation').values).toEqual(expected.separation);
    expect([getColumn(table, 'Separation').field.unit, getColumn(table, 'Separation').field.ucd]).toEqual(['arcsec', 'pos.angDistance']);
    expect([getColumn(table, 'RA_ICRS').field.unit, getColumn(table, 'RA_ICRS').field.ucd]).toEqual(['deg', 'pos.eq.ra;meta.main']);
    expect(getColumn(table, 'ra').values).toEqual(Float64Array.from(expected.bIndex, (j) => b.ra[j]));

    const jsonl = await runVokit(['xmatch', join(work, 'a.vot'), join(work, 'b.vot'), '-r', '2', '--find', 'best', '--out-format', 'jsonl']);
    const rows = jsonl.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    const best = crossmatch(a, bWithNulls(), { radius: 2, find: 'best' });
    expect(rows.length).toBe(best.aIndex.length);
    expect(Object.keys(rows[0])).toEqual(['id', 'RA_ICRS', 'DE_ICRS', 'ra_other', 'ra', 'dec', 'Separation']);
    expect(rows.map((r) => r.id)).toEqual(Array.from(best.aIndex));
  });

  it('keeps unmatched rows with --join, their other side null', async () => {
    const pairs = crossmatch(a, bWithNulls(), { radius: 2, find: 'best' });
    const matchedB = new Set(pairs.bIndex);
    const all1 = await runVokit(['xmatch', join(work, 'a.vot'), join(work, 'b.vot'), '-r', '2', '--join', 'all1', '--out-format', 'jsonl']);
    const rows = all1.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows.length).toBe(N);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: N }, (_, i) => i));
    const lonely = rows.filter((r) => r.ra === null);
    expect(lonely.length).toBe(N - pairs.aIndex.length);
    expect(lonely.every((r) => r.dec === null && r.Separation === null)).toBe(true);
    const notMatched = await runVokit(['xmatch', join(work, 'a.vot'), join(work, 'b.vot'), '-r', '2', '--join', '2not1', '--out-format', 'csv']);
    const lines = notMatched.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('ra,dec');
    expect(lines.length - 1).toBe(N - matchedB.size);
  });

  it('groups three inputs as STILTS tmatchn multimode=group', async () => {
    const c = { ra: Float64Array.from(b.ra, (x) => x + 0.3 / 3600), dec: b.dec };
    const tc = tableFromArrays({ columns: { name: Array.from(b.ra, (_, i) => `c${i}`), x: { values: c.ra, unit: 'deg' }, y: { values: c.dec, unit: 'deg' } } });
    writeFileSync(join(work, 'c3.vot'), writeVOTableBytes(documentFromTables([tc]), { serialization: 'BINARY2' }));
    const inputs = [join(work, 'a.vot'), join(work, 'b.vot'), join(work, 'c3.vot')];
    const groups = groupMatch([a, bWithNulls(), c], { radius: 1, perCatalog: 'first' });
    const count = await runVokit(['xmatch', ...inputs, '-r', '1', '--ra', 'RA_ICRS,ra,x', '--dec', 'DE_ICRS,dec,y', '--count']);
    expect(count.stderr).toBe('');
    expect(count.stdout).toBe(`${groups.offsets.length - 1}\n`);
    const csv = await runVokit(['xmatch', ...inputs, '-r', '1', '--ra', 'RA_ICRS,ra,x', '--dec', 'DE_ICRS,dec,y', '--out-format', 'csv']);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('id,RA_ICRS,DE_ICRS,ra_other,ra,dec,name,x,y');
    expect(lines.length - 1).toBe(groups.offsets.length - 1);
    const first = Array.from({ length: 3 }, (_, k) => groups.catalog.indexOf(k) >= 0);
    expect(first).toEqual([true, true, true]);
    // the first group: its A row's id, its C row's name
    const g0 = Array.from({ length: groups.offsets[1] }, (_, k) => [groups.catalog[k], groups.row[k]]);
    const cells = lines[1].split(',');
    for (const [catalog, row] of g0) {
      if (catalog === 0) expect(cells[0]).toBe(String(row));
      if (catalog === 2) expect(cells[6]).toBe(`c${row}`);
    }
  });

  it('takes named columns with --ra and --dec, which apply to both tables', async () => {
    const tc = tableFromArrays({ columns: { x: { values: b.ra, unit: 'deg' }, y: { values: b.dec, unit: 'deg' } } });
    writeFileSync(join(work, 'c.vot'), writeVOTableBytes(documentFromTables([tc]), { serialization: 'BINARY' }));
    const expected = crossmatch(b, b, { radius: 1, find: 'all' }).aIndex.length; // B has duplicates of A rows
    const result = await runVokit(['xmatch', join(work, 'c.vot'), join(work, 'c.vot'), '-r', '1', '--find', 'all', '--ra', 'x', '--dec', 'y', '--count']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${expected}\n`);
    const unnamed = await runVokit(['xmatch', join(work, 'c.vot'), join(work, 'c.vot'), '-r', '1', '--count']);
    expect(unnamed.stderr).toBe(`vokit: xmatch: no RA column in ${join(work, 'c.vot')} (no UCD pos.eq.ra, no column named ra/raj2000/ra_icrs); name it with --ra\n`);
    expect(unnamed.code).toBe(2);
  });

  it('fails with one line and the usage status for a wrong command line', async () => {
    const cases: Array<[string[], number, string]> = [
      [['--count'], 2, 'vokit: xmatch: --radius is required, e.g. --radius 1arcsec\n'],
      [['-r', '1parsec', '--count'], 2, 'vokit: xmatch: --radius "1parsec" is not an angle; write e.g. 1arcsec, 0.5arcmin, 1e-3deg or 300mas\n'],
      [['-r', '1', '--find', 'first', '--count'], 2, 'vokit: xmatch: --find "first" is not one of all, nearest, best, best1, best2\n'],
      [['-r', '1', '--ra', 'nope', '--count'], 2, `vokit: xmatch: ${join(work, 'a.vot')} has no column "nope" (columns: id, RA_ICRS, DE_ICRS, ra_other)\n`],
      [['-r', '1', '--join', 'left'], 2, 'vokit: xmatch: --join "left" is not one of 1and2, 1or2, all1, all2, 1not2, 2not1, 1xor2\n'],
      [['-r', '1', '--count', '--out', 'x.csv'], 2, 'vokit: xmatch: give --out/--out-format or --count, not both\n'],
      [['-r', '1', '--ra', 'a,b,c', '--count'], 2, 'vokit: xmatch: --ra names 3 columns for 2 inputs; give one name for all, or one per input separated by commas\n'],
      [[join(work, 'a.vot'), '-r', '1', '--find', 'all'], 2, 'vokit: xmatch: --find applies to two inputs; 3 inputs are grouped as STILTS tmatchn multimode=group\n'],
      [['-r', '1', '--out', join(work, 'x.txt')], 2, `vokit: xmatch: cannot tell the output format from "${join(work, 'x.txt')}" (extensions .vot, .xml, .csv, .jsonl); add --out-format votable|votable-binary|votable-binary2|csv|jsonl\n`],
    ];
    for (const [extra, code, stderr] of cases) {
      const result = await runVokit(['xmatch', join(work, 'a.vot'), join(work, 'b.vot'), ...extra]);
      expect(result.stderr).toBe(stderr);
      expect(result.stdout).toBe('');
      expect(result.code).toBe(code);
    }
  });

  it('reads radii with units', () => {
    expect(parseRadius('1arcsec')).toBe(1);
    expect(parseRadius('2')).toBe(2);
    expect(parseRadius('0.5 arcmin')).toBe(30);
    expect(parseRadius('1e-3deg')).toBeCloseTo(3.6, 12);
    expect(parseRadius('300mas')).toBeCloseTo(0.3, 12);
    expect(() => parseRadius('-1')).toThrow(/is not an angle/);
  });
});
