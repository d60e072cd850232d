// Local files as TAP uploads against the DaCHS testbed: a VOTable on disk, given by path or
// file: URL, joined with vokit.sources, synchronously and as an async job.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeVOTableBytes, documentFromTables, tableFromArrays } from '@vokit/votable';
import { afterAll, describe, expect, it } from 'vitest';
import { STREAMED_BODY_BYTES } from '../src/fetch-node.js';
import { TAPService } from '../src/index.js';
import { testbed } from './support/testbed.js';

const tap = new TAPService(testbed().tap);
const scratch = mkdtempSync(join(tmpdir(), 'vokit-upload-file-tb-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// the two pole stars and an id that matches nothing
const file = join(scratch, 'poles.vot');
writeFileSync(
  file,
  writeVOTableBytes(
    documentFromTables([
      tableFromArrays({ name: 'poles', columns: { sid: new BigInt64Array([9007199326059507n, 9007199326075345n, 1n]), tag: ['north', 'south', 'none'] } }),
    ]),
    { serialization: 'TABLEDATA' },
  ),
);
const JOIN = 'SELECT m.tag, s.dec FROM TAP_UPLOAD.mine AS m JOIN vokit.sources AS s ON s.source_id = m.sid ORDER BY m.tag';
const EXPECTED = [
  { tag: 'north', dec: 90 },
  { tag: 'south', dec: -90 },
];

describe('uploads from local files', () => {
  it.each([
    ['an absolute path', () => file],
    ['a relative path', () => relative(process.cwd(), file)],
    ['a file: URL string', () => pathToFileURL(file).href],
    ['a file: URL object', () => pathToFileURL(file)],
  ])('joins a VOTable file given as %s (sync)', async (_what, source) => {
    const r = await tap.runSync(JOIN, { uploads: { mine: source() } });
    expect(r.records.map((x) => x.toObject())).toEqual(EXPECTED);
  });

  it('streams a file above the streaming threshold (undici.request) to an async job (303 to the job); sync refuses it with 413', async () => {
    // 150,000 ids, two of them the pole stars: a TABLEDATA file above the streaming threshold
    const sid = new BigInt64Array(150_000);
    for (let i = 0; i < sid.length; i++) sid[i] = BigInt(i + 1);
    sid[70_000] = 9007199326075345n;
    sid[140_000] = 9007199326059507n;
    const big = join(scratch, 'many-ids.vot');
    writeFileSync(big, writeVOTableBytes(documentFromTables([tableFromArrays({ name: 'ids', columns: { sid } })]), { serialization: 'TABLEDATA' }));
    expect(statSync(big).size).toBeGreaterThan(STREAMED_BODY_BYTES);
    const query = 'SELECT s.source_id, s.dec FROM TAP_UPLOAD.mine AS m JOIN vokit.sources AS s ON s.source_id = m.sid ORDER BY s.dec';
    const expected = [
      { source_id: 9007199326075345n, dec: -90 },
      { source_id: 9007199326059507n, dec: 90 },
    ];
    const joined = await tap.runAsync(query, { uploads: { mine: big }, timeout: 60_000 });
    expect(joined.records.map((x) => x.toObject())).toEqual(expected);
    // DaCHS takes 500 kB at most on /sync (maxSyncUploadSize), 20 MB on /async; its 413 carries an error VOTable
    const refused = await tap.runSync(query, { uploads: { mine: big }, timeout: 60_000 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'DAL_QUERY', status: 413, serverMessage: 'Would only accept 0 bytes of upload here.' });
  });

  it('joins a VOTable file in an async job, deleted afterwards', async () => {
    const phases: string[] = [];
    const r = await tap.runAsync(JOIN, { uploads: { mine: file }, timeout: 60_000, onPhase: (p) => phases.push(p) });
    expect(r.records.map((x) => x.toObject())).toEqual(EXPECTED);
    expect(phases.at(-1)).toBe('COMPLETED');
  });
});
