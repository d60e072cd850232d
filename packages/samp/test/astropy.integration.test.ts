// Interop with astropy 5.2 (Debian's /usr/bin/python3): astropy's SAMPIntegratedClient and
// our client talk through our hub and through astropy's SAMPHubServer. astropy reads the
// VOTable our client serves from memory, so this also checks what we serve.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { SampClient, SampHub, pointAtSkyMessage, type ReceivedCall } from '../src/index.js';
import { removeTempDirs, sleep, tempDir, waitFor } from './support/temp.js';
import { TESTBED, requireTestbed } from './support/testbed.js';

const VOTABLE = `<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
 <RESOURCE><TABLE name="tiny">
  <FIELD name="ra" datatype="double" unit="deg" ucd="pos.eq.ra"/>
  <FIELD name="dec" datatype="double" unit="deg" ucd="pos.eq.dec"/>
  <FIELD name="name" datatype="char" arraysize="*"/>
  <DATA><TABLEDATA>
   <TR><TD>10.5</TD><TD>-20.25</TD><TD>alpha</TD></TR>
   <TR><TD>11.5</TD><TD>-21.25</TD><TD>beta</TD></TR>
   <TR><TD>12.5</TD><TD>-22.25</TD><TD>gamma</TD></TR>
  </TABLEDATA></DATA>
 </TABLE></RESOURCE>
</VOTABLE>
`;

interface PeerEvent {
  event: string;
  [key: string]: unknown;
}

/** Runs a Python script from the testbed and collects its JSON-lines output. */
function startPython(script: string, args: string[]): { child: ChildProcessWithoutNullStreams; events: PeerEvent[]; lines: string[] } {
  requireTestbed(['/usr/bin/python3']);
  // Loopback traffic must never go through a proxy an environment may configure.
  const env = { ...process.env, no_proxy: '127.0.0.1,localhost', NO_PROXY: '127.0.0.1,localhost' };
  const child = spawn('/usr/bin/python3', [join(TESTBED, script), ...args], { env });
  const events: PeerEvent[] = [];
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    if (line.startsWith('{')) events.push(JSON.parse(line) as PeerEvent);
  });
  child.stderr.resume();
  return { child, events, lines };
}

async function stopChild(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
}

const HUBS: Record<string, () => Promise<{ lockfile: string; stop(): Promise<void> }>> = {
  'vokit hub': async () => {
    const hub = await SampHub.start({ lockfile: join(tempDir(), 'samp') });
    return { lockfile: hub.lockfilePath, stop: () => hub.stop() };
  },
  'astropy hub': async () => {
    const lockfile = join(tempDir(), 'samp');
    const { child, lines } = startPython('astropy_hub.py', [lockfile]);
    await waitFor(() => (lines.some((l) => l.startsWith('READY')) ? true : undefined), 30_000, 'astropy hub');
    return { lockfile, stop: () => stopChild(child) };
  },
};

afterAll(removeTempDirs);

for (const [label, startHub] of Object.entries(HUBS)) {
  describe(`astropy SAMPIntegratedClient and SampClient on the ${label}`, () => {
    it('exchange calls, responses, a served VOTable and notifications', async () => {
      const hub = await startHub();
      const ours = new SampClient({ hub: hub.lockfile, metadata: { 'samp.name': 'vokit' } });
      const echoed: ReceivedCall[] = [];
      await ours.bindReceiveCall('test.echo', async (m) => {
        echoed.push(m);
        // astropy's hub 5.2 records a callAndWait only after starting its delivery and drops
        // replies that come faster (astropy/samp/hub.py); give it time to record this one.
        await sleep(150);
        return m.params;
      });
      const peer = startPython('astropy_peer.py', [hub.lockfile, 'vokit']);
      try {
        await ours.register();
        const ready = await waitFor(() => peer.events.find((e) => e.event === 'ready'), 30_000, 'astropy peer');
        const echo = await waitFor(() => peer.events.find((e) => e.event === 'echo' || e.event === 'error'), 30_000, 'echo');
        expect(echo).toEqual({
          event: 'echo',
          response: { 'samp.status': 'samp.ok', 'samp.result': { text: 'h\u00e9llo <&>', items: ['1', ['2', '3']] } },
        });
        expect(echoed[0]!.senderId).toBe(ready.id);

        const sent = await ours.sendTable(VOTABLE, { to: String(ready.id), name: 'tiny', waitSeconds: 30 });
        expect(sent.response).toEqual({ 'samp.status': 'samp.ok', 'samp.result': { rows: '3', columns: 'ra,dec,name', first: '10.5' } });

        await ours.notify(String(ready.id), pointAtSkyMessage({ ra: 83.633, dec: 22.0145 }));
        const note = await waitFor(() => peer.events.find((e) => e.event === 'notification'), 10_000, 'notification');
        expect(note).toEqual({ event: 'notification', sender: ours.selfId, mtype: 'coord.pointAt.sky', params: { ra: '83.633', dec: '22.0145' } });

        peer.child.stdin.end();
        await waitFor(() => peer.events.find((e) => e.event === 'bye'), 10_000, 'astropy disconnect');
        await waitFor(async () => ((await ours.getRegisteredClients()).includes(String(ready.id)) ? undefined : true), 5000, 'peer gone');
      } finally {
        await ours.unregister().catch(() => undefined);
        await stopChild(peer.child);
        await hub.stop();
      }
    }, 90_000);
  });
}
