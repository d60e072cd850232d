// Batched, key-only uploads against the DaCHS testbed: a local table larger than one batch is
// cross-matched with vokit.sources and the batch results are merged.
import { tableFromArrays } from '@vokit/votable';
import { describe, expect, it } from 'vitest';
import { TAPService, uploadInBatches } from '../src/index.js';
import { testbed } from './support/testbed.js';

const tap = new TAPService(testbed().tap);

describe('uploadInBatches', () => {
  it('cross-matches 2,500 local rows in 3 batches, uploading only id, ra and dec', async () => {
    const truth = await tap.runSync('SELECT TOP 2500 source_id, ra, dec FROM vokit.sources ORDER BY source_id', { maxrec: 2500 });
    const n = truth.length;
    const ids = truth.getColumn('source_id').values as BigInt64Array;
    const ra = Float64Array.from(truth.getColumn('ra').values as Float64Array, (v) => v + 1e-5);
    const dec = truth.getColumn('dec').values as Float64Array;
    const local = tableFromArrays({
      name: 'mine',
      columns: {
        local_id: Int32Array.from({ length: n }, (_, i) => i),
        ra,
        dec,
        // a column the query does not need, which must stay at home
        notes: Array.from({ length: n }, (_, i) => `row ${i} `.repeat(20)),
      },
    });
    const merged = await uploadInBatches(
      tap,
      local,
      'SELECT u.local_id, s.source_id FROM TAP_UPLOAD.batch AS u JOIN vokit.sources AS s ' +
        'ON 1 = CONTAINS(POINT(s.ra, s.dec), CIRCLE(u.ra, u.dec, 0.0003)) ORDER BY u.local_id',
      { columns: ['local_id', 'ra', 'dec'], batchSize: 1000, maxrec: 5000 },
    );
    expect(merged.batches).toEqual([
      { rows: 1000, resultRows: 1000, overflow: false },
      { rows: 1000, resultRows: 1000, overflow: false },
      { rows: 500, resultRows: 500, overflow: false },
    ]);
    expect(merged.length).toBe(2500);
    expect(merged.overflow).toBe(false);
    expect(Array.from(merged.getColumn('local_id').values as Int32Array)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(Array.from(merged.getColumn('source_id').values as BigInt64Array)).toEqual(Array.from(ids));
  });
});
