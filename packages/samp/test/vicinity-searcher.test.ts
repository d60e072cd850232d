// The course's "vicinity searcher" example, end to end on our hub: a desktop client sends it a
// table and highlights a row; it runs a cone search (a local SCS stand-in) around that row and
// sends the result back.
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

/** An SCS stand-in: answers with one row echoing the query position and radius. */
async function fakeConeSearch(): Promise<{ url: string; server: Server; queries: string[] }> {
  const queries: string[] = [];
  const server = createServer((req, res) => {
    const q = new URL(req.url!, 'http://x').searchParams;
    queries.push(`${q.get('RA')},${q.get('DEC')},${q.get('SR')}`);
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
      const stars = tableFromArrays({ name: 'stars', columns: { RAJ2000: new Float64Array([10, 83.633, 201.365]), DEJ2000: new Float64Array([-5, 22.0145, -43.019]) } });
      await desktop.sendTable(stars, { to: searcher.selfId, tableId: 'stars-1', waitSeconds: 10 });
      expect(await desktop.callAndWait(searcher.selfId, highlightRowMessage({ tableId: 'stars-1', row: 1 }), 10)).toEqual({
        'samp.status': 'samp.ok',
        'samp.result': { ra: '83.633', dec: '22.0145' },
      });
      const back = await waitFor(() => received[0], 5000, 'the cone search result');
      expect(back.senderId).toBe(searcher.selfId);
      expect(back.params.name).toBe('vicinity of stars row 1');
      const table = getFirstTable(await parseVOTable(new Uint8Array(await (await fetch(String(back.params.url))).arrayBuffer())));
      expect([...tableRows(table)]).toEqual([{ ra: 83.633, dec: 22.0145, sr: 0.1 }]);
      expect(cone.queries).toEqual(['83.633,22.0145,0.1']);
      const unknown = await desktop.callAndWait(searcher.selfId, highlightRowMessage({ tableId: 'nope', row: 0 }), 10);
      expect(unknown['samp.error']?.['samp.errortxt']).toBe('no table with table-id=nope or url=undefined was loaded here');
    } finally {
      await desktop.unregister().catch(() => undefined);
      await searcher.unregister().catch(() => undefined);
      cone.server.close();
      await hub.stop();
    }
  });
});
