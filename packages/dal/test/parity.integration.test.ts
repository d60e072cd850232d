// Parity with pyvo: the same queries against the testbed through pyvo (Debian's
// /usr/bin/python3, test/parity/pyvo_parity.py) and through vokit give the same fields and
// the same rows. Values are normalised the same way on both sides (see the script).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { documentFromTables, tableFromArrays, writeVOTableBytes } from '@vokit/votable';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DALResults,
  SCSService,
  SIA2Service,
  SIAService,
  SLAPService,
  SSAService,
  TAPService,
} from '../src/index.js';
import { testbed } from './support/testbed.js';

const tb = testbed();
const scratch = mkdtempSync(join(tmpdir(), 'vokit-parity-'));
// a local VOTable for the upload case: the two pole stars and an id that matches nothing
const POLES = join(scratch, 'poles.vot');
writeFileSync(
  POLES,
  writeVOTableBytes(
    documentFromTables([
      tableFromArrays({ name: 'poles', columns: { sid: new BigInt64Array([9007199326059507n, 9007199326075345n, 1n]), tag: ['north', 'south', 'none'] } }),
    ]),
    { serialization: 'TABLEDATA' },
  ),
);
const UPLOAD_QUERY = 'SELECT m.tag, s.source_id, s.dec, s.remark FROM TAP_UPLOAD.mine AS m JOIN vokit.sources AS s ON s.source_id = m.sid ORDER BY m.tag';
const MAXREC_QUERY = 'SELECT source_id, ra, dec, kmag FROM vokit.sources ORDER BY source_id';
const ASYNC_QUERY = 'SELECT TOP 7 source_id, name, obs_time FROM vokit.sources ORDER BY source_id DESC';
const TAP_QUERY =
  'SELECT TOP 20 source_id, parent_id, name, ra, dec, pmra, sptype, qual, variable, remark FROM vokit.sources ' +
  'WHERE dec < -29.9 AND dec > -30.1 ORDER BY source_id';

const cases = [
  { id: 'tap', kind: 'tap', url: tb.tap, query: TAP_QUERY, run: () => new TAPService(tb.tap).runSync(TAP_QUERY) },
  {
    id: 'tap-maxrec',
    kind: 'tap',
    url: tb.tap,
    query: MAXREC_QUERY,
    kwargs: { maxrec: 17 },
    run: () => new TAPService(tb.tap).runSync(MAXREC_QUERY, { maxrec: 17 }),
  },
  {
    id: 'tap-upload-file',
    kind: 'tap',
    url: tb.tap,
    query: UPLOAD_QUERY,
    kwargs: { uploads: { mine: POLES } },
    run: () => new TAPService(tb.tap).runSync(UPLOAD_QUERY, { uploads: { mine: POLES } }),
  },
  {
    id: 'tap-async',
    kind: 'tap_async',
    url: tb.tap,
    query: ASYNC_QUERY,
    run: () => new TAPService(tb.tap).runAsync(ASYNC_QUERY, { timeout: 60_000 }),
  },
  { id: 'scs', kind: 'scs', url: tb.scs, pos: [0, -30], radius: 0.1, run: () => new SCSService(tb.scs).search([0, -30], 0.1) },
  { id: 'sia', kind: 'sia', url: tb.sia1, pos: [152.5, 2.5], size: 0.1, run: () => new SIAService(tb.sia1).search([152.5, 2.5], 0.1) },
  { id: 'sia2', kind: 'sia2', url: tb.sia2, pos: [152.5, 2.5, 0.1], run: () => new SIA2Service(tb.sia2).search({ pos: { circle: [152.5, 2.5, 0.1] } }) },
  { id: 'ssa', kind: 'ssa', url: tb.ssa, pos: [155, 5], diameter: 20, run: () => new SSAService(tb.ssa).search([155, 5], { diameter: 20 }) },
  { id: 'slap', kind: 'slap', url: tb.slap, wavelength: [6.5e-7, 6.7e-7], run: () => new SLAPService(tb.slap).search([6.5e-7, 6.7e-7]) },
];

const INTEGER = new Set(['unsignedByte', 'short', 'int', 'long']);

/** The script's normalisation, in TypeScript. */
function normalise(value: unknown, datatype: string): unknown {
  const out = normaliseValue(value, datatype);
  return Array.isArray(out) && out.every((v) => v === null) ? null : out;
}

function normaliseValue(value: unknown, datatype: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isNaN(value) ? null : INTEGER.has(datatype) ? String(value) : value;
  if (typeof value === 'string') return value === '' ? null : value;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number | bigint>, (v) => normalise(v, datatype));
  if (Array.isArray(value)) return value.map((v) => normalise(v, datatype));
  return value;
}

function summarise(results: DALResults) {
  return {
    fields: results.fielddescs.map((f) => ({
      name: f.name,
      datatype: f.datatype,
      ucd: f.ucd ?? null,
      utype: f.utype ?? null,
      arraysize: f.arraysize ?? null,
    })),
    rows: results.records.map((r) => results.table.columns.map((c) => normalise(r.get(c.name), c.datatype))),
  };
}

let pyvo: { [id: string]: { fields?: unknown[]; rows?: unknown[][]; error?: string } } = {};

beforeAll(() => {
  const file = join(scratch, 'cases.json');
  writeFileSync(file, JSON.stringify(cases.map(({ run: _run, ...c }) => c)));
  const script = fileURLToPath(new URL('./parity/pyvo_parity.py', import.meta.url));
  pyvo = JSON.parse(execFileSync('/usr/bin/python3', [script, file], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 }));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('parity with pyvo', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s gives the same fields and rows', async (_id, c) => {
    const theirs = pyvo[c.id];
    expect(theirs.error).toBeUndefined();
    const ours = summarise(await c.run());
    expect(ours.fields).toEqual(theirs.fields);
    expect(ours.rows).toEqual(theirs.rows);
    expect(ours.rows.length).toBeGreaterThan(0);
  });
});
