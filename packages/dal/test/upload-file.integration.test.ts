// Local files as TAP uploads against the DaCHS testbed: a VOTable on disk, given by path or
// file: URL, joined with vokit.sources, synchronously and as an async job.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeVOTableBytes, documentFromTables, tableFromArrays } from '@vokit/votable';
import { afterAll, describe, expect, it } from 'vitest';
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

  it('joins a VOTable file in an async job, deleted afterwards', async () => {
    const phases: string[] = [];
    const r = await tap.runAsync(JOIN, { uploads: { mine: file }, timeout: 60_000, onPhase: (p) => phases.push(p) });
    expect(r.records.map((x) => x.toObject())).toEqual(EXPECTED);
    expect(phases.at(-1)).toBe('COMPLETED');
  });
});
