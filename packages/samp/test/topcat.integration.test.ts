// TOPCAT 4.8 under Xvfb, registered with our hub: it loads a table our client serves from
// memory, proves it through SAMP (highlight by table-id, table.get.stil round trip), and its
// responses come back to our client.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SampClient, SampHub, createMessage, highlightRowMessage, type ReceivedResponse } from '../src/index.js';
import { removeTempDirs, sleep, tempDir, waitFor } from './support/temp.js';
import { TESTBED, requireTestbed } from './support/testbed.js';

const run = promisify(execFile);

const VOTABLE = `<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
 <RESOURCE><TABLE name="tiny">
  <FIELD name="ra" datatype="double" unit="deg"/>
  <FIELD name="dec" datatype="double" unit="deg"/>
  <FIELD name="name" datatype="char" arraysize="*"/>
  <DATA><TABLEDATA>
   <TR><TD>10.5</TD><TD>-20.25</TD><TD>alpha</TD></TR>
   <TR><TD>11.5</TD><TD>-21.25</TD><TD>beta</TD></TR>
   <TR><TD>12.5</TD><TD>-22.25</TD><TD>gamma</TD></TR>
  </TABLEDATA></DATA>
 </TABLE></RESOURCE>
</VOTABLE>
`;

describe('TOPCAT under Xvfb', () => {
  let hub: SampHub;
  let dir: string;
  let client: SampClient;
  let topcat: string;
  const responses: ReceivedResponse[] = [];

  beforeAll(async () => {
    requireTestbed(['/usr/share/java/starlink-topcat.jar', '/usr/bin/Xvfb', '/usr/bin/java']);
    dir = tempDir();
    hub = await SampHub.start({ lockfile: join(dir, 'samp') });
    await run('bash', [join(TESTBED, 'topcat.sh'), 'start', dir], { env: { ...process.env, SAMP_HUB: hub.sampHubValue }, timeout: 30_000 });
    client = new SampClient({ hub: hub.sampHubValue, metadata: { 'samp.name': 'vokit-topcat-test' } });
    client.bindReceiveResponse('ping-topcat', (r) => void responses.push(r));
    await client.register();
    await client.declareSubscriptions({});
    topcat = await waitFor(
      async () => {
        for (const id of await client.getRegisteredClients()) {
          const meta = await client.getMetadata(id).catch(() => ({}) as Record<string, unknown>);
          if (meta['samp.name'] === 'topcat' && Object.keys(await client.getSubscribedClients('table.load.votable')).includes(id)) return id;
        }
        return undefined;
      },
      90_000,
      'TOPCAT to register and subscribe',
    );
  }, 150_000);

  afterAll(async () => {
    await client?.unregister().catch(() => undefined);
    if (dir) await run('bash', [join(TESTBED, 'topcat.sh'), 'stop', dir], { timeout: 30_000 }).catch(() => undefined);
    await hub?.stop();
    removeTempDirs();
  }, 60_000);

  it('loads an in-memory table our client serves, and holds it under our table-id', async () => {
    const sent = await client.sendTable(VOTABLE, { to: topcat, tableId: 'vokit-t1', name: 'tiny', waitSeconds: 60 });
    expect(sent.response).toMatchObject({ 'samp.status': 'samp.ok' });
    // TOPCAT answers the load before it records the table-id: poll the highlight for a while.
    const highlight = await waitFor(
      async () => {
        const r = await client.callAndWait(topcat, highlightRowMessage({ tableId: 'vokit-t1', row: 2 }), 10);
        return r['samp.status'] === 'samp.ok' ? r : (await sleep(100), undefined);
      },
      5000,
      'TOPCAT to know table-id vokit-t1',
    );
    expect(highlight['samp.status']).toBe('samp.ok');
    const unknown = await client.callAndWait(topcat, highlightRowMessage({ tableId: 'never-sent', row: 0 }), 10);
    expect(unknown['samp.status']).toBe('samp.error');
  }, 90_000);

  it('gives the table back with table.get.stil, cell for cell', async () => {
    const result = await client.ecallAndWait(topcat, 'table.get.stil', { format: 'csv' }, 30);
    const csv = await (await fetch(String(result.url))).text();
    expect(csv.trim().split(/\r?\n/)).toEqual(['ra,dec,name', '10.5,-20.25,alpha', '11.5,-21.25,beta', '12.5,-22.25,gamma']);
  }, 60_000);

  it('answers asynchronous calls: its responses reach our client', async () => {
    const msgId = await client.call(topcat, 'ping-topcat', createMessage('samp.app.ping'));
    expect(msgId).toEqual(expect.any(String));
    const response = await waitFor(() => responses.find((r) => r.msgTag === 'ping-topcat'), 10_000, 'TOPCAT response');
    expect(response.responderId).toBe(topcat);
    expect(response.response['samp.status']).toBe('samp.ok');
  }, 30_000);
});
