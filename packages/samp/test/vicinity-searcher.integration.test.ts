// The course's "vicinity searcher" example end to end with real peers: our hub, the example
// as a SAMP client, and the DaCHS testbed's Simple Cone Search (testbed/up.sh). A desktop
// client sends a table (table.load.votable), highlights a row (table.highlight.row), and must
// get the cone search result back, addressed to it alone. Expected rows come twice: fixed
// values from the testbed's seeded data (testbed/data/make_data.py), and the same cone asked
// through TAP with @vokit/dal (a test-only devDependency; the example itself needs only
// @vokit/samp and @vokit/votable).
import { join } from 'node:path';
import { adql, circle, TAPService } from '@vokit/dal';
import { getFirstTable, parseVOTable, tableFromArrays, type Table } from '@vokit/votable';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SampClient, SampHub, highlightRowMessage, type ReceivedCall } from '../src/index.js';
// @ts-expect-error: a plain .mjs example without types
import { startVicinitySearcher } from '../examples/vicinity-searcher.mjs';
import { dachsTestbed } from './support/dachs-testbed.js';
import { removeTempDirs, tempDir, waitFor } from './support/temp.js';

const tb = dachsTestbed();
const tap = new TAPService(tb.tap, { timeout: 30_000 });
const RADIUS = 0.5; // degrees

/** source_id of every testbed star within RADIUS of (ra, dec), asked through TAP. */
async function starsAround(ra: number, dec: number): Promise<string[]> {
  const result = await tap.runSync(adql`SELECT source_id FROM vokit.sources WHERE 1 = CONTAINS(POINT(ra, dec), ${circle(ra, dec, RADIUS)})`);
  return result.records.map((r) => String(r.get('source_id'))).sort();
}

/** Fetches and parses a table a SAMP client was sent. */
async function loadSentTable(message: ReceivedCall): Promise<Table> {
  const response = await fetch(String(message.params.url));
  expect(response.status).toBe(200);
  return getFirstTable(await parseVOTable(new Uint8Array(await response.arrayBuffer())));
}

/** source_ids of a cone search result (SCS 1.03 puts ID_MAIN in a char column), nearest first. */
function idsByDistance(table: Table): string[] {
  const column = (name: string) => table.columns.find((c) => c.field.name === name)!;
  const [id, distance] = [column('source_id'), column('_r')];
  return Array.from({ length: table.rowCount }, (_, i) => i)
    .sort((a, b) => Number(distance.get(a)) - Number(distance.get(b)))
    .map((i) => String(id.get(i)));
}

let hub: SampHub;
let searcher: SampClient;
let desktop: SampClient;
let bystander: SampClient;
const toDesktop: ReceivedCall[] = [];
const toBystander: ReceivedCall[] = [];

beforeAll(async () => {
  hub = await SampHub.start({ lockfile: join(tempDir(), 'samp') });
  searcher = await startVicinitySearcher({ coneUrl: tb.scs, radiusDeg: RADIUS, hub: hub.sampHubValue, log: () => undefined });
  desktop = new SampClient({ hub: hub.sampHubValue, metadata: { 'samp.name': 'desktop' } });
  await desktop.bindReceiveMessage('table.load.votable', (m) => void toDesktop.push(m as ReceivedCall));
  await desktop.register();
  // Subscribed to tables too: the result must go to the highlighter only, not to everyone.
  bystander = new SampClient({ hub: hub.sampHubValue, metadata: { 'samp.name': 'bystander' } });
  await bystander.bindReceiveMessage('table.load.votable', (m) => void toBystander.push(m as ReceivedCall));
  await bystander.register();
  const targets = tableFromArrays({ name: 'targets', columns: { ra: new Float64Array([83.633, 155, 0]), dec: new Float64Array([22.0145, 5, -30]) } });
  await desktop.sendTable(targets, { to: searcher.selfId, tableId: 'targets', waitSeconds: 10 });
});

afterAll(async () => {
  for (const client of [desktop, bystander, searcher]) await client?.unregister().catch(() => undefined);
  await hub?.stop();
  removeTempDirs();
});

describe('vicinity searcher against the DaCHS testbed SCS', () => {
  it('answers a highlighted row with the 66 testbed stars within 0.5 deg of (155, 5), sent to the highlighter', async () => {
    const expected = await starsAround(155, 5);
    expect(expected).toHaveLength(66);
    const before = toDesktop.length;
    expect(await desktop.callAndWait(searcher.selfId, highlightRowMessage({ tableId: 'targets', row: 1 }), 30)).toEqual({
      'samp.status': 'samp.ok',
      'samp.result': { ra: '155', dec: '5', rows: '66' },
    });
    const back = await waitFor(() => toDesktop[before], 10_000, 'the cone search result');
    expect(back.senderId).toBe(searcher.selfId);
    expect(back.params.name).toBe('vicinity of targets row 1');
    const result = await loadSentTable(back);
    expect(result.rowCount).toBe(66);
    const ids = idsByDistance(result);
    // The three nearest and the two farthest, from the seeded generator.
    expect(ids.slice(0, 3)).toEqual(['9007199318124669', '9007199259476555', '9007199291825670']);
    expect(ids.slice(-2)).toEqual(['9007199271806438', '9007199280770746']);
    expect([...ids].sort()).toEqual(expected);
    expect(toBystander).toEqual([]);
  });

  it('finds the stars on both sides of RA 0 around (0, -30)', async () => {
    const before = toDesktop.length;
    expect(await desktop.callAndWait(searcher.selfId, highlightRowMessage({ tableId: 'targets', row: 2 }), 30)).toEqual({
      'samp.status': 'samp.ok',
      'samp.result': { ra: '0', dec: '-30', rows: '6' },
    });
    const result = await loadSentTable(await waitFor(() => toDesktop[before], 10_000, 'the cone search result'));
    const ids = idsByDistance(result);
    expect(ids).toEqual(['9007199326011993', '9007199326019912', '9007199326027831', '9007199326035750', '9007199326043669', '9007199326051588']);
    expect([...ids].sort()).toEqual(await starsAround(0, -30));
  });

  it('searches around a row of a DaCHS VOTable the desktop sends as it got it', async () => {
    // A TAP result as TOPCAT would hold it: DaCHS's BINARY serialisation, its own FIELDs.
    const raw = await tap.runSyncRaw('SELECT TOP 3 source_id, ra, dec FROM vokit.sources WHERE ra BETWEEN 154.9 AND 155.1 AND dec BETWEEN 4.9 AND 5.1 ORDER BY source_id');
    const bytes = new Uint8Array(await raw.arrayBuffer());
    const catalogue = getFirstTable(await parseVOTable(bytes));
    const column = (name: string) => catalogue.columns.find((c) => c.field.name === name)!;
    const [ra, dec] = [Number(column('ra').get(2)), Number(column('dec').get(2))];
    await desktop.sendTable(bytes, { to: searcher.selfId, tableId: 'dachs-tap', name: 'tap result', waitSeconds: 10 });
    const expected = await starsAround(ra, dec);
    const before = toDesktop.length;
    expect(await desktop.callAndWait(searcher.selfId, highlightRowMessage({ tableId: 'dachs-tap', row: 2 }), 30)).toEqual({
      'samp.status': 'samp.ok',
      'samp.result': { ra: String(ra), dec: String(dec), rows: String(expected.length) },
    });
    const ids = idsByDistance(await loadSentTable(await waitFor(() => toDesktop[before], 10_000, 'the cone search result')));
    expect(ids[0]).toBe(String(column('source_id').get(2))); // the star itself, at distance 0
    expect([...ids].sort()).toEqual(expected);
  });

  it('replies with the service error, in its own words, and sends nothing', async () => {
    // DaCHS answers an invalid parameter with HTTP 200 and an SCS 1.03 INFO name="Error".
    const strict = await startVicinitySearcher({ coneUrl: `${tb.scs}?VERB=9`, radiusDeg: RADIUS, hub: hub.sampHubValue, log: () => undefined });
    try {
      const centre = tableFromArrays({ name: 'centre', columns: { ra: new Float64Array([155]), dec: new Float64Array([5]) } });
      await desktop.sendTable(centre, { to: strict.selfId, tableId: 'centre', waitSeconds: 10 });
      const before = toDesktop.length;
      const reply = await desktop.callAndWait(strict.selfId, highlightRowMessage({ tableId: 'centre', row: 0 }), 30);
      expect(reply['samp.status']).toBe('samp.error');
      expect(reply['samp.error']?.['samp.errortxt']).toBe("cone search failed: Field verb: '9' is not a valid value for verb");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(toDesktop).toHaveLength(before);
    } finally {
      await strict.unregister().catch(() => undefined);
    }
  });
});
