// `vokit xmatch` through the real bin: counts and pairs equal to @vokit/crossmatch-wasm's on the
// same columns, position columns found by UCD or name, CSV and VOTable output, one-line errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossmatch } from '@vokit/crossmatch-wasm';
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

  it('writes the pairs as CSV and as a VOTable', async () => {
    const expected = crossmatch(a, bWithNulls(), { radius: 2, find: 'nearest' });
    const csv = join(work, 'pairs.csv');
    const vot = join(work, 'pairs.vot');
    expect((await runVokit(['xmatch', join(work, 'a.vot'), join(work, 'b.vot'), '-r', '2', '--find', 'nearest', '--out', csv])).code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('a_row,b_row,separation_arcsec,a_ra,a_dec,b_ra,b_dec');
    expect(lines.length).toBe(expected.aIndex.length + 1);
    const [x, y] = [expected.aIndex[0], expected.bIndex[0]];
    expect(lines[1]).toBe(`${x},${y},${expected.separation[0]},${a.ra[x]},${a.dec[x]},${b.ra[y]},${b.dec[y]}`);

    expect((await runVokit(['xmatch', join(work, 'a.vot'), join(work, 'b.vot'), '-r', '2', '--find', 'nearest', '-o', vot])).code).toBe(0);
    const table = getFirstTable(parseVOTableSync(readFileSync(vot)));
    expect(table.columns.map((c) => c.field.name)).toEqual(['a_row', 'b_row', 'separation', 'a_ra', 'a_dec', 'b_ra', 'b_dec']);
    expect(getColumn(table, 'a_row').values).toEqual(expected.aIndex);
    expect(getColumn(table, 'separation').values).toEqual(expected.separation);
    expect(getColumn(table, 'separation').field.unit).toBe('arcsec');
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
      [['-r', '1', '--out', join(work, 'x.txt')], 2, `vokit: xmatch: cannot tell the format of "${join(work, 'x.txt')}"; use a .csv, .vot or .xml name\n`],
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
