// The "all the VO" loop against the testbed: every service of the testbed plus two broken
// endpoints, queried concurrently; the report has one row per service and the broken ones
// cost only their own deadline.
import { describe, expect, it } from 'vitest';
import { DALServiceError, fanout, SCSService, SIA2Service, SIAService, SSAService, TAPService } from '../src/index.js';
import { testbed } from './support/testbed.js';

const tb = testbed();

describe('fanout over the testbed', () => {
  it('reports rows per service and the failures by type', async () => {
    const pos: [number, number] = [152.5, 2.5];
    const reports = await fanout(
      [
        { id: 'scs', run: (signal) => new SCSService(tb.scs).search(pos, 0.1, { signal }) },
        { id: 'sia1', run: (signal) => new SIAService(tb.sia1).search(pos, 0.1, { signal }) },
        { id: 'sia2', run: (signal) => new SIA2Service(tb.sia2).search({ pos: { circle: [...pos, 0.1] }, signal }) },
        { id: 'ssa', run: (signal) => new SSAService(tb.ssa).search([155, 5], { diameter: 20, signal }) },
        { id: 'tap', run: (signal) => new TAPService(tb.tap).runSync('SELECT COUNT(*) AS n FROM vokit.sources', { signal }) },
        { id: 'missing', run: (signal) => new SCSService(`${tb.base}/vokit/q/nosuch/scs.xml`).search(pos, 0.1, { signal }) },
        // a port nothing listens on: refused at once
        { id: 'refused', run: (signal) => new SCSService('http://127.0.0.1:9/scs').search(pos, 0.1, { signal }) },
      ],
      { concurrency: 3, taskTimeout: 20_000 },
    );
    expect(reports.map((r) => [r.id, r.ok, r.rows])).toEqual([
      ['scs', true, 3],
      ['sia1', true, 3],
      ['sia2', true, 3],
      ['ssa', true, 5],
      ['tap', true, 1],
      ['missing', false, undefined],
      ['refused', false, undefined],
    ]);
    expect((reports[5].error as DALServiceError).status).toBe(404);
    expect(reports[6].error).toMatchObject({ code: 'DAL_NETWORK' });
    expect(reports.every((r) => r.started && r.ms >= 0)).toBe(true);
  });
  // the overall deadline is exercised in faults.test.ts against a stalling local server
});
