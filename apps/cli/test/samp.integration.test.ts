// `vokit samp` end to end: the real built bin as separate processes (hub, listen, send,
// clients) on a private lockfile in a temp directory (never ~/.samp), with @vokit/samp clients
// in this process as the peers that check what arrived, and JSAMP's HubTester against the
// hub the CLI runs. The Web Profile consent is tested on a real pseudo-terminal (script(1),
// Debian's bsdutils) and without one.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { NO_REPLY, SampClient, SampWebClient, createMessage, type DisconnectInfo, type ReceivedCall, type ReceivedNotification } from '@vokit/samp';
import { fitsImage, fitsTable } from './fits-builder.js';
import { assertBuilt, BIN, FIXTURES } from './run-vokit.js';

const TESTBED = fileURLToPath(new URL('../../../testbed/samp/', import.meta.url));
const BASIC = join(FIXTURES, 'pyvo/dal/query/basic.xml');

/** A running `vokit` process whose output is collected as it comes. */
interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit status. */
  exited: Promise<number | null>;
  /** Waits until `pattern` matches the collected `stream`. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

const running = new Set<Running>();

function startVokit(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, VOKIT_DEBUG: '', ...env } });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString('utf8');
    for (const l of listeners) l();
  });
  child.stderr.on('data', (b: Buffer) => {
    err += b.toString('utf8');
    for (const l of listeners) l();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const proc: Running = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (stream, pattern, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = (stream === 'stdout' ? out : err).match(pattern);
          if (match) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern} on ${stream}; stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
        void exited.then(() => setTimeout(check, 0));
      }),
  };
  child.stdin.end();
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

/** Runs a `vokit` command to completion. */
async function runVokitWith(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = startVokit(args, env);
  const code = await proc.exited;
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vokit-cli-samp-'));
  dirs.push(dir);
  return dir;
}

/** Starts `vokit samp hub` writing DIR/samp, and waits for its SAMP_HUB line. */
async function startHub(dir: string, extra: string[] = []): Promise<{ hub: Running; lockfile: string; sampHub: string }> {
  const lockfile = join(dir, 'samp');
  const sampHub = `std-lockurl:file://${lockfile}`;
  const hub = startVokit(['samp', 'hub', ...extra], { SAMP_HUB: sampHub });
  await hub.waitFor('stderr', /Ctrl-C stops it\n/);
  return { hub, lockfile, sampHub };
}

beforeAll(() => assertBuilt());
afterAll(async () => {
  for (const proc of running) proc.child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('vokit samp hub', () => {
  it('writes its lockfile where SAMP_HUB says, mode 0600, and removes it on SIGTERM after telling the clients', async () => {
    const dir = tempDir();
    const { hub, lockfile, sampHub } = await startHub(dir);
    expect(hub.stdout()).toBe(`SAMP_HUB=${sampHub}\n`);
    expect(statSync(lockfile).mode & 0o777).toBe(0o600);
    const lock = Object.fromEntries(
      readFileSync(lockfile, 'utf8')
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    expect(lock['samp.hub.xmlrpc.url']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/xmlrpc$/);
    expect(lock['samp.secret']).toMatch(/^[0-9a-f]{32}$/);
    expect(lock['samp.profile.version']).toBe('1.3');
    expect(hub.stderr()).toBe(
      `vokit samp hub: running at ${lock['samp.hub.xmlrpc.url']}, lockfile ${lockfile}\nvokit samp hub: Ctrl-C stops it\n`,
    );

    const disconnects: DisconnectInfo[] = [];
    const peer = await new SampClient({ hub: sampHub, metadata: { 'samp.name': 'cli-peer' }, onDisconnect: (d) => disconnects.push(d) }).register();
    expect(peer.selfId).toBe('c1');

    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
    expect(existsSync(lockfile)).toBe(false);
    expect(hub.stderr()).toMatch(/vokit samp hub: SIGTERM: shutting down\nvokit samp hub: stopped, lockfile removed\n$/);
    expect(disconnects).toEqual([{ kind: 'shutdown' }]);
  });

  it('stops on SIGINT too', async () => {
    const { hub, lockfile } = await startHub(tempDir());
    hub.child.kill('SIGINT');
    expect(await hub.exited).toBe(0);
    expect(existsSync(lockfile)).toBe(false);
  });

  it('refuses to start over a live hub, in one line, and leaves that hub running', async () => {
    const dir = tempDir();
    const { hub, lockfile, sampHub } = await startHub(dir);
    const before = readFileSync(lockfile, 'utf8');
    const second = await runVokitWith(['samp', 'hub'], { SAMP_HUB: sampHub });
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(new RegExp(`^vokit: .*a hub is already running with lockfile ${lockfile} \\(http://127\\.0\\.0\\.1:\\d+/xmlrpc\\)\\n$`));
    expect(readFileSync(lockfile, 'utf8')).toBe(before);
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
  });

  it('asks for --web before Web Profile options', async () => {
    const result = await runVokitWith(['samp', 'hub', '--no-restrict-mtypes'], { SAMP_HUB: `std-lockurl:file://${tempDir()}/samp` });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'vokit: samp hub: --no-restrict-mtypes applies to the Web Profile: add --web\n' });
  });

  it("passes JSAMP's HubTester (Standard Profile)", async () => {
    const { hub, lockfile } = await startHub(tempDir());
    const tester = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('bash', [join(TESTBED, 'hubtester.sh'), '--timeout', '150', lockfile], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b));
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(tester.out).toMatch(/^hubtester: PASS in [\d.]+ s, 0 warning\(s\)\n$/);
    expect(tester.code).toBe(0);
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
  }, 180_000);
});

describe('vokit samp clients, send and listen', () => {
  let hub: Running;
  let sampHub: string;
  let lockfile: string;
  let work: string;

  beforeAll(async () => {
    work = tempDir();
    ({ hub, sampHub, lockfile } = await startHub(work));
  });
  afterAll(async () => {
    hub.child.kill('SIGTERM');
    await hub.exited;
  });

  it('lists the registered clients with their samp.name, hub included', async () => {
    const peer = await new SampClient({ hub: sampHub, metadata: { 'samp.name': 'cli-lister', 'samp.description.text': 'a peer' } }).register();
    try {
      const result = await runVokitWith(['samp', 'clients'], { SAMP_HUB: sampHub });
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(
        ['ID   NAME        DESCRIPTION', 'hub  vokit-hub   SAMP hub of @vokit/samp', `${peer.selfId}   cli-lister  a peer`, ''].join('\n'),
      );
      expect(result.code).toBe(0);

      const json = await runVokitWith(['samp', 'clients', '--json', '--hub', lockfile], {});
      expect(json.code).toBe(0);
      const lines = json.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
      expect(lines).toContainEqual({
        id: peer.selfId,
        metadata: { 'samp.name': 'cli-lister', 'samp.description.text': 'a peer' },
        subscriptions: ['samp.app.ping', 'samp.hub.disconnect', 'samp.hub.event.shutdown'],
      });
      expect(lines.map((l) => l.id)).toEqual(['hub', peer.selfId]);
    } finally {
      await peer.unregister();
    }
  });

  it('delivers a VOTable that `listen` (another process) prints with its mtype and params', async () => {
    const listen = startVokit(['samp', 'listen', '--name', 'cli-listener', '--mtype', 'table.*'], { SAMP_HUB: sampHub });
    const [, listenerId] = await listen.waitFor('stderr', /registered as (c\d+) \(cli-listener\)/);
    const sent = await runVokitWith(['samp', 'send', BASIC, '--to', 'cli-listener'], { SAMP_HUB: sampHub });
    expect(sent.stdout).toBe(`${listenerId} (cli-listener): accepted\n`);
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);

    await listen.waitFor('stdout', /table\.load\.votable.*\n/);
    listen.child.kill('SIGINT');
    expect(await listen.exited).toBe(0);
    const lines = listen.stdout().trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1); // table.* only: no hub events
    const [line] = lines;
    expect(line).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      kind: 'call',
      sender: expect.stringMatching(/^c\d+$/),
      senderName: 'vokit-send',
      msgId: expect.any(String),
      mtype: 'table.load.votable',
      params: {
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/[\w-]{24}\/basic\.xml$/),
        name: 'basic.xml',
        'table-id': expect.stringMatching(/^vokit-[0-9a-f]{12}$/),
      },
    });
    // The listener unregistered on SIGINT.
    const after = await runVokitWith(['samp', 'clients'], { SAMP_HUB: sampHub });
    expect(after.stdout).not.toContain('cli-listener');
  });

  it('prints hub events as notifications when listening to everything', async () => {
    const listen = startVokit(['samp', 'listen'], { SAMP_HUB: sampHub });
    await listen.waitFor('stderr', /registered as/);
    const peer = await new SampClient({ hub: sampHub, metadata: { 'samp.name': 'cli-event-source' } }).register();
    const peerId = peer.selfId;
    await peer.unregister();
    await listen.waitFor('stdout', new RegExp(`samp\\.hub\\.event\\.unregister","params":\\{"id":"${peerId}"`));
    listen.child.kill('SIGTERM');
    expect(await listen.exited).toBe(0);
    const events = listen
      .stdout()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((l) => l.params.id === peerId);
    expect(events.map((e) => [e.kind, e.sender, e.senderName, e.mtype])).toEqual([
      ['notification', 'hub', 'vokit-hub', 'samp.hub.event.register'],
      ['notification', 'hub', 'vokit-hub', 'samp.hub.event.metadata'],
      ['notification', 'hub', 'vokit-hub', 'samp.hub.event.subscriptions'],
      ['notification', 'hub', 'vokit-hub', 'samp.hub.event.unregister'],
    ]);
    expect(events[1].params).toEqual({ id: peerId, metadata: { 'samp.name': 'cli-event-source' } });
  });

  /** A peer in this process that fetches what it is sent, while `send` still serves it. */
  async function fetchingPeer(name: string, mtype: string): Promise<{ peer: SampClient; received: { call: ReceivedCall; bytes: Buffer; contentType: string | null }[] }> {
    const received: { call: ReceivedCall; bytes: Buffer; contentType: string | null }[] = [];
    const peer = new SampClient({ hub: sampHub, metadata: { 'samp.name': name } });
    await peer.bindReceiveCall(mtype, async (call) => {
      const response = await fetch(String(call.params.url));
      received.push({ call, bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') });
      return {};
    });
    await peer.register();
    return { peer, received };
  }

  it('serves the file while the recipient fetches it, byte for byte', async () => {
    const { peer, received } = await fetchingPeer('cli-fetcher', 'table.load.votable');
    try {
      const sent = await runVokitWith(['samp', 'send', BASIC, '--to', peer.selfId], { SAMP_HUB: sampHub });
      expect(sent).toEqual({ code: 0, stdout: `${peer.selfId} (cli-fetcher): accepted\n`, stderr: '' });
      expect(received).toHaveLength(1);
      expect(received[0]!.bytes.equals(readFileSync(BASIC))).toBe(true);
      expect(received[0]!.contentType).toBe('application/x-votable+xml');
      expect(received[0]!.call.params.name).toBe('basic.xml');
      // Once send has exited, the URL is gone.
      await expect(fetch(String(received[0]!.call.params.url))).rejects.toThrow();
    } finally {
      await peer.unregister();
    }
  });

  it('sends a FITS image as image.load.fits and a FITS table as table.load.fits, to every subscriber', async () => {
    const image = join(work, 'm1.fits');
    const table = join(work, 'rows.fits');
    writeFileSync(image, fitsImage(4, 3));
    writeFileSync(table, fitsTable(7));
    const viewer = await fetchingPeer('cli-image-viewer', 'image.load.fits');
    const other = await fetchingPeer('cli-image-viewer-2', 'image.load.fits');
    const tables = await fetchingPeer('cli-fits-tables', 'table.load.fits');
    try {
      const sentImage = await runVokitWith(['samp', 'send', image], { SAMP_HUB: sampHub });
      expect(sentImage.stdout.split('\n').sort()).toEqual(
        ['', `${viewer.peer.selfId} (cli-image-viewer): accepted`, `${other.peer.selfId} (cli-image-viewer-2): accepted`].sort(),
      );
      expect(sentImage.stderr).toBe('');
      expect(sentImage.code).toBe(0);
      for (const { received } of [viewer, other]) {
        expect(received.map((r) => [r.call.mtype, r.call.params.name, r.contentType])).toEqual([['image.load.fits', 'm1.fits', 'application/fits']]);
        expect(received[0]!.bytes.equals(readFileSync(image))).toBe(true);
        expect(received[0]!.call.params['image-id']).toMatch(/^vokit-[0-9a-f]{12}$/);
      }
      const sentTable = await runVokitWith(['samp', 'send', table], { SAMP_HUB: sampHub });
      expect(sentTable.stdout).toBe(`${tables.peer.selfId} (cli-fits-tables): accepted\n`);
      expect(tables.received.map((r) => [r.call.mtype, r.bytes.equals(readFileSync(table))])).toEqual([['table.load.fits', true]]);
    } finally {
      for (const { peer } of [viewer, other, tables]) await peer.unregister();
    }
  });

  it('reports a refusal and a missing reply per recipient, with status 1', async () => {
    const refuser = new SampClient({ hub: sampHub, metadata: { 'samp.name': 'cli-refuser' } });
    await refuser.bindReceiveCall('table.load.votable', () => {
      throw new Error('no room for basic.xml');
    });
    await refuser.register();
    const silent = new SampClient({ hub: sampHub, metadata: { 'samp.name': 'cli-silent' } });
    await silent.bindReceiveCall('table.load.votable', () => NO_REPLY);
    await silent.register();
    try {
      const started = Date.now();
      const sent = await runVokitWith(['samp', 'send', BASIC, '--timeout', '1'], { SAMP_HUB: sampHub });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(sent.stdout.split('\n').sort()).toEqual(
        ['', `${refuser.selfId} (cli-refuser): refused: no room for basic.xml`, `${silent.selfId} (cli-silent): no reply within 1 s`].sort(),
      );
      expect(sent.stderr).toBe('vokit: 2 of 2 recipients did not accept basic.xml\n');
      expect(sent.code).toBe(1);
    } finally {
      await refuser.unregister();
      await silent.unregister();
    }
  });

  it('sends what --mtype says, whatever the content, with that MType\'s parameters', async () => {
    const path = join(work, 'spectrum.dat');
    writeFileSync(path, '6563.0 1.25\n');
    const { peer, received } = await fetchingPeer('cli-spectra', 'spectrum.load.ssa-generic');
    try {
      const sent = await runVokitWith(['samp', 'send', path, '--mtype', 'spectrum.load.ssa-generic', '--to', 'cli-spectra'], { SAMP_HUB: sampHub });
      expect(sent).toEqual({ code: 0, stdout: `${peer.selfId} (cli-spectra): accepted\n`, stderr: '' });
      expect(received.map((r) => [r.call.mtype, r.call.params.name, r.call.params.meta, r.bytes.toString(), r.contentType])).toEqual([
        ['spectrum.load.ssa-generic', 'spectrum.dat', {}, '6563.0 1.25\n', 'application/octet-stream'],
      ]);
      expect(received[0]!.call.params['spectrum-id']).toMatch(/^vokit-[0-9a-f]{12}$/);
    } finally {
      await peer.unregister();
    }
  });

  it('checks --mtype and --timeout before doing anything', async () => {
    expect(await runVokitWith(['samp', 'send', BASIC, '--mtype', 'table.load.csv'], { SAMP_HUB: sampHub })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'vokit: samp send: --mtype "table.load.csv" is not one of table.load.votable, table.load.fits, image.load.fits, spectrum.load.ssa-generic\n',
    });
    expect(await runVokitWith(['samp', 'send', BASIC, '--timeout', '0'], { SAMP_HUB: sampHub })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'vokit: samp send: --timeout must be a positive number of seconds, got "0"\n',
    });
  });

  it('says which clients exist when --to names none', async () => {
    const sent = await runVokitWith(['samp', 'send', BASIC, '--to', 'nobody'], { SAMP_HUB: sampHub });
    expect(sent.stdout).toBe('');
    expect(sent.stderr).toBe('vokit: no client "nobody" is registered (clients: hub (vokit-hub); see `vokit samp clients`)\n');
    expect(sent.code).toBe(1);
  });

  it('refuses a file that is neither VOTable nor FITS before registering', async () => {
    const path = join(work, 'notes.txt');
    writeFileSync(path, 'just some notes\n');
    const sent = await runVokitWith(['samp', 'send', path], { SAMP_HUB: sampHub });
    expect(sent).toEqual({ code: 1, stdout: '', stderr: `vokit: ${path}: neither a VOTable nor a FITS file (it starts with "just some notes."): give --mtype to send it anyway\n` });
  });

  it('fails in one line when no hub runs', async () => {
    const nowhere = join(tempDir(), 'samp');
    for (const args of [['samp', 'clients'], ['samp', 'listen'], ['samp', 'send', BASIC]]) {
      const result = await runVokitWith(args, { SAMP_HUB: `std-lockurl:file://${nowhere}` });
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`vokit: samp: no hub is running: no lockfile at ${nowhere} (start one with \`vokit samp hub\`, or set SAMP_HUB or --hub)\n`);
      expect(result.code).toBe(1);
    }
  });

  it('ends `listen` with status 0 when the hub shuts down', async () => {
    const dir = tempDir();
    const own = await startHub(dir);
    const listen = startVokit(['samp', 'listen'], { SAMP_HUB: own.sampHub });
    await listen.waitFor('stderr', /registered as/);
    own.hub.child.kill('SIGTERM');
    expect(await own.hub.exited).toBe(0);
    expect(await listen.exited).toBe(0);
    expect(listen.stderr()).toMatch(/vokit samp listen: the hub shut down\n$/);
  });
});

/** Resolves once nothing listens on 127.0.0.1:`port` (another test or hub may hold the Web Profile's port for a while). */
async function waitForFreePort(port: number, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const busy = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (!busy) return;
    if (Date.now() > end) throw new Error(`port ${port} stayed busy for ${timeoutMs} ms: another Web Profile hub runs`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('vokit samp send to TOPCAT (under Xvfb)', () => {
  it('TOPCAT loads a VOTable and a FITS table the CLI sends, and gives them back', async () => {
    for (const file of ['/usr/share/java/starlink-topcat.jar', '/usr/bin/Xvfb', '/usr/bin/java']) {
      if (!existsSync(file)) throw new Error(`missing ${file}: run testbed/samp/install.sh (Debian packages)`);
    }
    const dir = tempDir();
    const { hub, sampHub } = await startHub(dir);
    const topcatScript = join(TESTBED, 'topcat.sh');
    const started = await new Promise<number | null>((resolve) => {
      const child = spawn('bash', [topcatScript, 'start', dir], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SAMP_HUB: sampHub } });
      child.on('close', resolve);
    });
    const probe = new SampClient({ hub: sampHub, metadata: { 'samp.name': 'cli-topcat-probe' } });
    try {
      expect(started).toBe(0);
      await probe.register();
      // TOPCAT registers 1-2 s after start; `send --to topcat` needs it subscribed.
      let topcatId: string | undefined;
      for (const end = Date.now() + 90_000; topcatId === undefined; ) {
        for (const id of Object.keys(await probe.getSubscribedClients('table.load.votable'))) {
          if ((await probe.getMetadata(id))['samp.name'] === 'topcat') topcatId = id;
        }
        if (topcatId === undefined && Date.now() > end) throw new Error('TOPCAT did not register within 90 s');
        await new Promise((r) => setTimeout(r, 200));
      }
      const listed = await runVokitWith(['samp', 'clients'], { SAMP_HUB: sampHub });
      expect({ code: listed.code, stderr: listed.stderr }).toEqual({ code: 0, stderr: '' });
      expect(listed.stdout).toMatch(new RegExp(`^${topcatId} +topcat +Tool for OPerations on Catalogues And Tables$`, 'm'));

      // table.get.stil (TOPCAT's own MType) serves TOPCAT's current table back as CSV. TOPCAT
      // replies to a load before the table becomes current: poll for the expected header.
      const currentTable = async (header: string) => {
        const until = Date.now() + 10_000;
        for (;;) {
          // Until then TOPCAT may also answer samp.error "No current table".
          const result = await probe.ecallAndWait(topcatId, 'table.get.stil', { format: 'csv' }, 30).catch((error: Error) => {
            if (Date.now() > until) throw error;
            return undefined;
          });
          const lines = result ? (await (await fetch(String(result.url))).text()).trim().split(/\r?\n/) : [];
          if (lines[0] === header || (result && Date.now() > until)) return lines;
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      const votable = await runVokitWith(['samp', 'send', BASIC, '--to', 'topcat'], { SAMP_HUB: sampHub });
      expect(votable).toEqual({ code: 0, stdout: `${topcatId} (topcat): accepted\n`, stderr: '' });
      expect(await currentTable('1,2')).toEqual(['1,2', '23,Illuminatus', '42,"Don\'t panic, and always carry a towel"', '1337,Elite']);

      const fits = await runVokitWith(['samp', 'send', join(FIXTURES, 'astropy/tb.fits'), '--to', topcatId], { SAMP_HUB: sampHub });
      expect(fits).toEqual({ code: 0, stdout: `${topcatId} (topcat): accepted\n`, stderr: '' });
      expect(await currentTable('c1,c2,c3,c4')).toEqual(['c1,c2,c3,c4', '1,abc,3.7,false', '2,xy,6.7,true']);
    } finally {
      await probe.unregister().catch(() => undefined);
      await new Promise((resolve) => spawn('bash', [topcatScript, 'stop', dir], { stdio: 'ignore' }).on('close', resolve));
      hub.child.kill('SIGTERM');
      expect(await hub.exited).toBe(0);
    }
  }, 150_000);
});

// The Web Profile's port 21012 is one per machine: these tests run one after the other, and
// each waits for the port to be free.
describe('vokit samp hub --web (port 21012)', () => {
  const QUESTION = /Allow it to exchange messages with your SAMP applications\? \[y\/N\] $/;

  it('asks on the terminal when stdin is one, registers only the pages the user accepts, and stops on Ctrl-C', async () => {
    await waitForFreePort(21012);
    const lockfile = join(tempDir(), 'samp');
    // script(1) gives the hub a pseudo-terminal: its stdin is a TTY, and what we write is typed.
    const session = spawn('script', ['-qefc', `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} samp hub --web`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, SAMP_HUB: `std-lockurl:file://${lockfile}` },
    });
    let screen = '';
    session.stdout.on('data', (b: Buffer) => (screen += b.toString('utf8')));
    const closed = new Promise<number | null>((resolve) => session.on('close', (code) => resolve(code)));
    const until = async (pattern: RegExp) => {
      const end = Date.now() + 20_000;
      while (!pattern.test(screen)) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}; terminal: ${JSON.stringify(screen)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    try {
      await until(/Ctrl-C stops it\r\n/);
      expect(screen).toContain('vokit samp hub: Web Profile at http://localhost:21012/: asking on this terminal before a web page registers; safe MTypes only\r\n');
      const accepted = new SampWebClient({ appName: 'cli-page-yes' });
      const registering = accepted.register();
      await until(QUESTION);
      expect(screen).toContain('a web page asks to register.\r\n  name:   "cli-page-yes" (claimed by the page)\r\n');
      session.stdin.write('y\n');
      await registering;
      expect(accepted.selfId).toMatch(/^c\d+$/);
      await accepted.unregister();

      screen = '';
      const refused = new SampWebClient({ appName: 'cli-page-no' });
      const refusal = refused.register().then(
        () => 'registered',
        (error: Error) => error.message,
      );
      await until(QUESTION);
      expect(screen).toContain('"cli-page-no"');
      session.stdin.write('n\n');
      expect(await refusal).toMatch(/registration of "cli-page-no" refused/);

      session.stdin.write('\x03'); // Ctrl-C on the terminal: SIGINT to the hub
      expect(await closed).toBe(0);
      expect(screen).toMatch(/vokit samp hub: SIGINT: shutting down\r\nvokit samp hub: stopped, lockfile removed\r\n$/);
      expect(existsSync(lockfile)).toBe(false);
    } finally {
      session.kill('SIGKILL');
    }
  });

  it('refuses every web page when stdin is not a terminal', async () => {
    await waitForFreePort(21012);
    const lockfile = join(tempDir(), 'samp');
    const hub = startVokit(['samp', 'hub', '--web'], { SAMP_HUB: `std-lockurl:file://${lockfile}` });
    await hub.waitFor('stderr', /Ctrl-C stops it\n/);
    expect(hub.stderr()).toContain(
      'vokit samp hub: Web Profile at http://localhost:21012/: web pages refused (no terminal to ask; --accept-web-clients accepts them); safe MTypes only\n',
    );
    const page = new SampWebClient({ appName: 'cli-page-headless' });
    await expect(page.register()).rejects.toThrow(/registration of "cli-page-headless" refused/);
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
    expect(hub.stderr()).not.toContain('[y/N]');
  });

  it.each([
    { flags: [] as string[], custom: 'blocked' },
    { flags: ['--no-restrict-mtypes'], custom: 'delivered' },
  ])('--accept-web-clients $flags: pages register without asking; a custom MType is $custom', async ({ flags, custom }) => {
    await waitForFreePort(21012);
    const { hub, sampHub } = await startHub(tempDir(), ['--web', '--accept-web-clients', ...flags]);
    const got: ReceivedNotification[] = [];
    const desktop = new SampClient({ hub: sampHub, metadata: { 'samp.name': 'cli-desktop' } });
    for (const mtype of ['table.load.votable', 'x.vokit.custom']) await desktop.bindReceiveNotification(mtype, (m) => void got.push(m));
    await desktop.register();
    const page = await new SampWebClient({ appName: 'cli-page-kiosk' }).register();
    try {
      await page.notify(desktop.selfId, createMessage('table.load.votable', { url: 'http://127.0.0.1:1/t.vot' }));
      const customSent = await page.notify(desktop.selfId, createMessage('x.vokit.custom', { n: '1' })).then(
        () => 'delivered',
        (error: Error) => (error.message.includes('MType x.vokit.custom is blocked for web profile clients') ? 'blocked' : error.message),
      );
      expect(customSent).toBe(custom);
      const expected = custom === 'delivered' ? ['table.load.votable', 'x.vokit.custom'] : ['table.load.votable'];
      const end = Date.now() + 5000;
      while (got.length < expected.length && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(got.map((m) => [m.senderId, m.mtype])).toEqual(expected.map((mtype) => [page.selfId, mtype]));
    } finally {
      await page.unregister().catch(() => undefined);
      await desktop.unregister();
      hub.child.kill('SIGTERM');
      expect(await hub.exited).toBe(0);
    }
  });
});

describe('vokit samp --help', () => {
  it.each(['hub', 'send', 'listen', 'clients'])('prints help for samp %s', async (name) => {
    const result = await runVokitWith(['samp', name, '--help'], {});
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`Usage: vokit samp ${name} [options]`);
    expect(result.stdout).toContain('  -h, --help');
  });

  it('lists the samp commands', async () => {
    const result = await runVokitWith(['samp', '--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Commands:\n  hub +Run a SAMP hub.*\n  send +Send a VOTable.*\n  listen +Print every SAMP message.*\n  clients +List the clients/);
  });

  it('names the samp commands for an unknown one', async () => {
    const result = await runVokitWith(['samp', 'broadcast'], {});
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'vokit: unknown command "samp broadcast" (samp commands: hub, send, listen, clients; see `vokit samp --help`)\n' });
  });
});
