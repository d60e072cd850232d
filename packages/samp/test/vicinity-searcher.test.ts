// The course's "vicinity searcher" example on our hub with a local SCS stand-in: the URL it
// builds, and the faults a real server does not produce on demand (HTTP 503, a DALI
// QUERY_STATUS=ERROR). The real cone search runs in vicinity-searcher.integration.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getFirstTable, parseVOTable, tableFromArrays, tableRows } from '@vokit/votable';
import { SampClient, SampHub, highlightRowMessage, type ReceivedCall } from '../src/index.js';
// @ts-expect-error: a plain .mjs example without types
import { startVicinitySearcher } from '../examples/vicinity-searcher.mjs';
import { removeTempDirs, tempDir, waitFor } from './support/temp.js';

afterAll(removeTempDirs);

/**
 * An SCS stand-in: answers with one row echoing the query position and radius; at RA 10 with
 * HTTP 503, at RA 20 with a DALI error document.
 */
async function fakeConeSearch(): Promise<{ url: string; server: Server; queries: string[] }> {
  const queries: string[] = [];
  const server = createServer((req, res) => {
    const q = new URL(req.url!, 'http://x').searchParams;
    queries.push(`${q.get('RA')},${q.get('DEC')},${q.get('SR')}`);
    if (q.get('RA') === '10') return void res.writeHead(503, { 'Content-Type': 'text/plain' }).end('down for maintenance');
    if (q.get('RA') === '20') {
      return void res.writeHead(200, { 'Content-Type': 'text/xml' }).end(
        '<VOTABLE version="1.4"><RESOURCE type="results"><INFO name="QUERY_STATUS" value="ERROR">radius too large</INFO></RESOURCE></VOTABLE>',
      );
    }
    res.writeHead(200, { 'Content-Type': 'text/xml' }).end(
      `<?xml version="1.0"?><VOTABLE version="1.4"><RESOURCE type="results"><TABLE name="cone">` +
        `<FIELD name="ra" datatype="double" ucd="pos.eq.ra;meta.main"/><FIELD name="dec" datatype="double" ucd="pos.eq.dec;meta.main"/>` +
        `<FIELD name="sr" datatype="double"/><DATA><TABLEDATA><TR><TD>${q.get('RA')}</TD><TD>${q.get('DEC')}</TD><TD>${q.get('SR')}</TD></TR>` +
        `</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/scs?`, server, queries };
}

describe('vicinity searcher example', () => {
  it('cone-searches around a highlighted row and sends the result to the highlighter', async () => {
    const hub = await SampHub.start({ lockfile: join(tempDir(), 'samp') });
    const cone = await fakeConeSearch();
    const searcher = await startVicinitySearcher({ coneUrl: cone.url, radiusDeg: 0.1, hub: hub.sampHubValue, log: () => undefined });
    const desktop = new SampClient({ hub: hub.sampHubValue, metadata: { 'samp.name': 'desktop' } });
    const received: ReceivedCall[] = [];
    await desktop.bindReceiveMessage('table.load.votable', (m) => void received.push(m as ReceivedCall));
    try {
      await desktop.register();
      const stars = tableFromArrays({
        name: 'stars',
        columns: { RAJ2000: new Float64Array([10, 83.633, 20, NaN]), DEJ2000: new Float64Array([-5, 22.0145, -43.019, 1]) },
      });
      await desktop.sendTable(stars, { to: searcher.selfId, tableId: 'stars-1', waitSeconds: 10 });
      expect(await desktop.callAndWait(searcher.selfId, highlightRowMessage({ tableId: 'stars-1', row: 1 }), 10)).toEqual({
        'samp.status': 'samp.ok',
        'samp.result': { ra: '83.633', dec: '22.0145', rows: '1' },
      });
      const back = await waitFor(() => received[0], 5000, 'the cone search result');
      expect(back.senderId).toBe(searcher.selfId);
      expect(back.params.name).toBe('vicinity of stars row 1');
      const table = getFirstTable(await parseVOTable(new Uint8Array(await (await fetch(String(back.params.url))).arrayBuffer())));
      expect([...tableRows(table)]).toEqual([{ ra: 83.633, dec: 22.0145, sr: 0.1 }]);
      expect(cone.queries).toEqual(['83.633,22.0145,0.1']);
      const unknown = await desktop.callAndWait(searcher.selfId, highlightRowMessage({ tableId: 'nope', row: 0 }), 10);
      expect(unknown['samp.error']?.['samp.errortxt']).toBe('no table with table-id=nope or url=undefined was loaded here');
      const errorText = async (row: number) =>
        (await desktop.callAndWait(searcher.selfId, highlightRowMessage({ tableId: 'stars-1', row }), 10))['samp.error']?.['samp.errortxt'];
      expect(await errorText(0)).toBe(`cone search failed: HTTP 503 from ${cone.url}RA=10&DEC=-5&SR=0.1`);
      expect(await errorText(2)).toBe('cone search failed: radius too large');
      expect(await errorText(3)).toBe('row 3 of stars has no position');
      expect(await errorText(4)).toBe('row 4 is beyond the 4 rows of stars');
      expect(cone.queries).toEqual(['83.633,22.0145,0.1', '10,-5,0.1', '20,-43.019,0.1']);
      expect(received).toHaveLength(1); // failed searches send nothing
    } finally {
      await desktop.unregister().catch(() => undefined);
      await searcher.unregister().catch(() => undefined);
      cone.server.close();
      await hub.stop();
    }
  });
});
