// `vokit samp` end to end: the real built bin as separate processes (hub, listen, send,
// clients) on a private lockfile in a temp directory (never ~/.samp), with @vokit/samp clients
// in this process as the peers that check what arrived, and JSAMP's HubTester against the
// hub the CLI runs.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_REPLY, SampClient, type DisconnectInfo, type ReceivedCall } from '@vokit/samp';
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
