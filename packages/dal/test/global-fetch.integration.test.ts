// The browser code path in Node: browsers resolve `#fetch` to fetch-default.ts, which calls
// the platform's global fetch. Node resolves it to undici 7 instead, so without this file
// that path would never meet a real server. Every call below goes through fetch-default's
// `defaultFetch` to `globalThis.fetch` (Node 20's built-in fetch), counted to prove it.
import { parseVOTable, tableFromArrays } from '@vokit/votable';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFetch } from '../src/fetch-default.js';
import { DALQueryError, getdataset, SCSService, SIA2Service, SSAService, TAPService } from '../src/index.js';
import { testbed } from './support/testbed.js';

const tb = testbed();
const platformFetch = globalThis.fetch;
const seen: string[] = [];

beforeAll(() => {
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    seen.push(`${init?.method ?? 'GET'} ${String(input)}`);
    return platformFetch(input, init);
  }) as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = platformFetch;
});

const options = { fetch: defaultFetch };
const tap = new TAPService(tb.tap, options);

/** Runs `fn` and returns the requests it made through the global fetch. */
async function through<T>(fn: () => Promise<T>): Promise<{ value: T; requests: string[] }> {
  const before = seen.length;
  const value = await fn();
  return { value, requests: seen.slice(before) };
}

describe('the platform fetch path (fetch-default.ts) against the testbed', () => {
  it('runs TAP sync with exact 64-bit ids', async () => {
    const { value: r, requests } = await through(() => tap.runSync('SELECT TOP 3 source_id, ra FROM vokit.sources ORDER BY source_id'));
    expect(requests).toEqual([`POST ${tb.tap}/sync`]);
    expect(r.records.map((x) => x.toObject())).toEqual([
      { source_id: 9007199254740993n, ra: 156.69613823 },
      { source_id: 9007199254748912n, ra: 150.91661397 },
      { source_id: 9007199254756831n, ra: 158.59315893 },
    ]);
  });

  it('uploads a Blob (what a browser File is) and a table as multipart parts', async () => {
    const blob = new Blob([
      '<VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE><FIELD name="x" datatype="double"/>' +
        '<DATA><TABLEDATA><TR><TD>1.5</TD></TR><TR><TD>2.5</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>',
    ]);
    const ids = tableFromArrays({ name: 'ids', columns: { sid: new BigInt64Array([9007199326059507n, 9007199326075345n]) } });
    const { value: r, requests } = await through(() =>
      tap.runSync(
        'SELECT t.x, s.dec FROM TAP_UPLOAD.ids AS i JOIN vokit.sources AS s ON s.source_id = i.sid JOIN TAP_UPLOAD.t1 AS t ON t.x > 2 ORDER BY s.dec',
        { uploads: { t1: blob, ids } },
      ),
    );
    expect(requests).toHaveLength(1);
    expect(r.records.map((x) => x.toObject())).toEqual([
      { x: 2.5, dec: -90 },
      { x: 2.5, dec: 90 },
    ]);
  });

  it('reports an ADQL error with the server message', async () => {
    const error = await tap.runSync('SELECT nosuchcolumn FROM vokit.sources').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DALQueryError);
    expect((error as DALQueryError).serverMessage).toMatch(/nosuchcolumn/);
  });

  it('runs an async job: 303 to the job, PHASE=RUN, WAIT polling, result, delete', async () => {
    const phases: string[] = [];
    const { value: r, requests } = await through(() =>
      tap.runAsync('SELECT COUNT(*) AS n FROM vokit.sources', { timeout: 60_000, onPhase: (p) => phases.push(p) }),
    );
    expect(r.getValue('n', 0)).toBe(10000);
    expect(phases.at(-1)).toBe('COMPLETED');
    expect(requests[0]).toBe(`POST ${tb.tap}/async`);
    expect(requests.at(-1)).toMatch(new RegExp(`^DELETE ${tb.base}/\\S*/async/[^/]+$`));
  });

  it('reads VOSI capabilities and tables', async () => {
    const fresh = new TAPService(tb.tap, options);
    const { value: limit, requests } = await through(() => fresh.maxrec());
    expect(limit).toBe(20000);
    expect(requests).toEqual([`GET ${tb.tap}/capabilities`]);
    const schemas = await fresh.tables();
    expect(schemas.find((s) => s.name === 'vokit')?.tables.map((t) => t.name).sort()).toEqual([
      'vokit.cubes',
      'vokit.images',
      'vokit.lines',
      'vokit.sources',
      'vokit.spectra',
    ]);
  });

  it('runs SCS and SIA 2 searches', async () => {
    const cone = await new SCSService(tb.scs, options).search([0, -30], 0.1);
    expect(cone.records.map((x) => x.id)).toEqual([
      '9007199326011993',
      '9007199326019912',
      '9007199326027831',
      '9007199326035750',
      '9007199326043669',
      '9007199326051588',
    ]);
    const { value: images, requests } = await through(() => new SIA2Service(tb.sia2, options).search({ pos: { circle: [152.5, 2.5, 0.1] } }));
    expect(requests).toHaveLength(1);
    expect(images.records.map((x) => x.obsPublisherDid).sort()).toEqual(
      ['f1_H', 'f1_J', 'f1_Ks'].map((n) => `ivo://vokit.test/~?vokit/data/images/${n}.fits`),
    );
  });

  it('follows the SSA access URL (301) and streams the spectrum', async () => {
    const r = await new SSAService(tb.ssa, options).search([155, 5], { diameter: 20 });
    expect(r.length).toBe(5);
    const { value: dataset, requests } = await through(() => getdataset(r.records[0], options));
    expect(requests).toEqual([`GET ${r.records[0].getdataurl()}`]);
    expect(dataset.url).toMatch(/\/vokit\/q\/sdl\/dlget\?ID=/);
    const table = (await parseVOTable(dataset.body)).resources[0].tables[0];
    expect(table.rowCount).toBe(1000);
    expect([table.columns[0].get(0), table.columns[0].get(999)]).toEqual([4000, 6997]);
  });
});
