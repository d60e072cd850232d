// Messages TOPCAT sends of its own accord reach our client: TOPCAT 4.8 under Xvfb, registered
// with our hub, is sent a table by our client, then its GUI is driven with xdotool as a user
// would: Interop ▸ Broadcast table (TOPCAT sends table.load.votable with a URL on its own HTTP
// server), and, with the "Send row index" activation action ticked, a click on a row of the
// Table Browser (TOPCAT sends table.highlight.row). Our client checks both by content.
// Screenshots of each step go to $VOKIT_TOPCAT_SHOTS when set (to see what the GUI did).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFirstTable, parseVOTableSync, tableRows } from '@vokit/votable';
import { SampClient, SampHub, highlightRowMessage, type ReceivedNotification } from '../src/index.js';
import { removeTempDirs, sleep, tempDir, waitFor } from './support/temp.js';
import { TESTBED, requireTestbed } from './support/testbed.js';
import { TOPCAT_GUI, TopcatGui } from './support/topcat-gui.js';

const run = promisify(execFile);

const VOTABLE = `<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
 <RESOURCE><TABLE name="trio">
  <FIELD name="ra" datatype="double" unit="deg" ucd="pos.eq.ra;meta.main"/>
  <FIELD name="dec" datatype="double" unit="deg" ucd="pos.eq.dec;meta.main"/>
  <FIELD name="name" datatype="char" arraysize="*"/>
  <DATA><TABLEDATA>
   <TR><TD>10.5</TD><TD>-20.25</TD><TD>alpha</TD></TR>
   <TR><TD>11.5</TD><TD>-21.25</TD><TD>beta</TD></TR>
   <TR><TD>12.5</TD><TD>-22.25</TD><TD>gamma</TD></TR>
  </TABLEDATA></DATA>
 </TABLE></RESOURCE>
</VOTABLE>
`;
const TABLE_ID = 'vokit-initiated-1';

/** A message our client received, whichever way it was sent. */
type Received = ReceivedNotification & { msgId?: string };

describe('messages TOPCAT sends reach our client', () => {
  let hub: SampHub;
  let dir: string;
  let gui: TopcatGui;
  let sender: SampClient;
  let receiver: SampClient;
  let topcat: string;
  let tableUrl: string;
  const received: Received[] = [];
  const shots = process.env.VOKIT_TOPCAT_SHOTS;
  let shot = 0;
  const snap = async (what: string) => {
    if (!shots) return;
    mkdirSync(shots, { recursive: true });
    await gui.screenshot(join(shots, `${String(++shot).padStart(2, '0')}-${what}.png`));
  };

  /**
   * Does `act` until a message matching `match` from TOPCAT arrives (a GUI click can be lost
   * while Swing is still laying a window out), at most `attempts` times.
   */
  async function untilReceived(what: string, act: (attempt: number) => Promise<void>, match: (m: Received) => boolean, attempts = 3): Promise<Received> {
    for (let attempt = 1; ; attempt++) {
      await act(attempt);
      await snap(`${what}-${attempt}`);
      const got = await waitFor(() => received.find((m) => m.senderId === topcat && match(m)), 8000, what).catch(() => undefined);
      if (got) return got;
      if (attempt >= attempts) throw new Error(`TOPCAT sent no ${what} after ${attempts} attempts (set VOKIT_TOPCAT_SHOTS=dir for screenshots)`);
      await gui.escape();
    }
  }

  beforeAll(async () => {
    requireTestbed(['/usr/share/java/starlink-topcat.jar', '/usr/bin/Xvfb', '/usr/bin/java', '/usr/bin/xdotool']);
    dir = tempDir();
    hub = await SampHub.start({ lockfile: join(dir, 'samp') });
    const { stdout } = await run('bash', [join(TESTBED, 'topcat.sh'), 'start', dir], { env: { ...process.env, SAMP_HUB: hub.sampHubValue }, timeout: 30_000 });
    gui = new TopcatGui(stdout.trim().replace(/^DISPLAY=/, ''));
    receiver = new SampClient({ hub: hub.sampHubValue, metadata: { 'samp.name': 'vokit-receiver' } });
    for (const mtype of ['table.load.votable', 'table.highlight.row']) {
      await receiver.bindReceiveMessage(mtype, (m) => {
        received.push(m);
        return {};
      });
    }
    await receiver.register();
    sender = await new SampClient({ hub: hub.sampHubValue, metadata: { 'samp.name': 'vokit-sender' } }).register();
    topcat = await waitFor(
      async () => {
        for (const id of Object.keys(await sender.getSubscribedClients('table.load.votable'))) {
          if ((await sender.getMetadata(id).catch(() => ({}) as Record<string, unknown>))['samp.name'] === 'topcat') return id;
        }
        return undefined;
      },
      90_000,
      'TOPCAT to register and subscribe',
    );
    const sent = await sender.sendTable(VOTABLE, { to: topcat, tableId: TABLE_ID, name: 'trio', waitSeconds: 60 });
    expect(sent.response?.['samp.status']).toBe('samp.ok');
    tableUrl = sent.url;
    // TOPCAT answers the load before it records the table-id: poll until it knows it.
    await waitFor(
      async () => ((await sender.callAndWait(topcat, highlightRowMessage({ tableId: TABLE_ID, row: 0 }), 10))['samp.status'] === 'samp.ok' ? true : (await sleep(100), undefined)),
      10_000,
      `TOPCAT to know table-id ${TABLE_ID}`,
    );
    await gui.findWindow(TOPCAT_GUI.main.title, 30_000);
    await snap('loaded');
  }, 150_000);

  afterAll(async () => {
    await receiver?.unregister().catch(() => undefined);
    await sender?.unregister().catch(() => undefined);
    if (dir) await run('bash', [join(TESTBED, 'topcat.sh'), 'stop', dir], { timeout: 30_000 }).catch(() => undefined);
    await hub?.stop();
    removeTempDirs();
  }, 60_000);

  it('Interop > Broadcast table: our client gets table.load.votable and reads the table from TOPCAT', async () => {
    const { main } = TOPCAT_GUI;
    const message = await untilReceived(
      'table.load.votable',
      async () => {
        await gui.click(main.title, main.interopMenu, 600);
        await gui.click(main.title, main.broadcastTableItem);
      },
      (m) => m.mtype === 'table.load.votable',
    );
    // TOPCAT keeps the table-id it was given and serves the table from its own HTTP server.
    expect(message.params['table-id']).toBe(TABLE_ID);
    expect(message.params.name).toBe('trio');
    const url = String(message.params.url);
    expect(url).toMatch(/^http:\/\/[\w.-]+:\d+\/\S+$/);
    expect(url).not.toBe(tableUrl);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const table = getFirstTable(parseVOTableSync(new Uint8Array(await response.arrayBuffer())));
    expect(table?.fields.map((f) => f.name)).toEqual(['ra', 'dec', 'name']);
    expect([...tableRows(table!)]).toEqual([
      { ra: 10.5, dec: -20.25, name: 'alpha' },
      { ra: 11.5, dec: -21.25, name: 'beta' },
      { ra: 12.5, dec: -22.25, name: 'gamma' },
    ]);
    // One broadcast, one message.
    expect(received.filter((m) => m.mtype === 'table.load.votable')).toHaveLength(1);
  }, 60_000);

  it('a click on a row, with "Send row index" ticked: our client gets table.highlight.row for that row', async () => {
    const { main, activation, browser } = TOPCAT_GUI;
    await gui.openWindow(activation.title, async () => {
      await gui.click(main.title, main.viewsMenu, 600);
      await gui.click(main.title, main.activationActionsItem, 1000);
    });
    await gui.click(activation.title, activation.sendRowIndexCheckbox, 600);
    await snap('send-row-index-ticked');
    await gui.click(activation.title, activation.closeButton, 600);
    await gui.openWindow(browser.title, () => gui.click(main.title, main.tableDataButton, 1000));
    const before = received.length;
    // Row index 2 ("gamma"); on a retry the other row, so that the click is a new activation.
    const clicked: number[] = [];
    const message = await untilReceived(
      'table.highlight.row',
      async (attempt) => {
        const row = attempt % 2 === 1 ? 2 : 1;
        clicked.push(row);
        await gui.click(browser.title, [browser.firstRow[0], browser.firstRow[1] + browser.rowHeight * row]);
      },
      (m) => m.mtype === 'table.highlight.row' && received.indexOf(m) >= before,
    );
    expect(clicked.map(String)).toContain(message.params.row);
    if (clicked.length === 1) expect(message.params.row).toBe('2');
    expect(message.params['table-id']).toBe(TABLE_ID);
    // TOPCAT names the table by where it loaded it from: the URL our client served it at.
    expect(message.params.url).toBe(tableUrl);
  }, 60_000);
});
