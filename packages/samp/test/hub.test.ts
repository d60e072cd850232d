// Our Standard Profile client against our hub, in one process over loopback: every hub
// operation of SAMP 1.3 §3.11, with message contents checked, plus the hub's security rules.
import { promises as fs, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  HubRunningError,
  NO_REPLY,
  NoHubError,
  NotRegisteredError,
  SampAuthError,
  SampClient,
  SampHub,
  XmlRpcFaultError,
  callXmlRpc,
  createFetchTransport,
  createMessage,
  errorResponse,
  parseLoadTable,
  readLockfile,
  type ReceivedCall,
  type ReceivedNotification,
  type ReceivedResponse,
} from '../src/index.js';
import { getFirstTable, parseVOTable, tableFromArrays, tableRows } from '@vokit/votable';
import { removeTempDirs, sleep, tempDir, waitFor } from './support/temp.js';

const hubs: SampHub[] = [];
const clients: SampClient[] = [];

async function startHub(options: Parameters<typeof SampHub.start>[0] = {}): Promise<SampHub> {
  const hub = await SampHub.start({ lockfile: join(tempDir(), 'samp'), ...options });
  hubs.push(hub);
  return hub;
}

function client(hub: SampHub, name: string, options: ConstructorParameters<typeof SampClient>[0] = {}): SampClient {
  const c = new SampClient({ hub: hub.sampHubValue, metadata: { 'samp.name': name }, ...options });
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.unregister().catch(() => undefined);
  for (const h of hubs.splice(0)) await h.stop();
});
afterAll(removeTempDirs);

describe('SampHub Standard Profile', () => {
  it('writes a mode-0600 lockfile with secret, URL and version, and removes it on stop', async () => {
    const hub = await startHub();
    const path = hub.lockfilePath;
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const lock = await readLockfile({ kind: 'file', path });
    expect(lock!['samp.secret']).toMatch(/^[0-9a-f]{32}$/);
    expect(lock!['samp.hub.xmlrpc.url']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/xmlrpc$/);
    expect(lock!['samp.profile.version']).toBe('1.3');
    await hub.stop();
    await expect(fs.stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('registers clients with distinct ids and keys, hub listed, caller excluded', async () => {
    const hub = await startHub();
    const a = await client(hub, 'a').register();
    const b = await client(hub, 'b').register();
    expect(a.hubId).toBe('hub');
    expect(b.hubId).toBe('hub');
    expect(a.selfId).not.toBe(b.selfId);
    expect(a.privateKey).not.toBe(b.privateKey);
    expect((await a.getRegisteredClients()).sort()).toEqual([b.selfId, 'hub'].sort());
    expect((await b.getRegisteredClients()).sort()).toEqual([a.selfId, 'hub'].sort());
    expect(await a.getMetadata(b.selfId)).toEqual({ 'samp.name': 'b' });
    expect((await a.getMetadata('hub'))['samp.name']).toBe('vokit-hub');
  });

  it('round-trips metadata and subscriptions and reports them as hub events', async () => {
    const hub = await startHub();
    const events: ReceivedNotification[] = [];
    const watcher = client(hub, 'watcher');
    await watcher.bindReceiveNotification('samp.hub.event.*', (m) => void events.push(m));
    await watcher.register();
    const a = await client(hub, 'a', { metadata: { 'samp.name': 'a', 'test.drink': 'cider' } }).register();
    await a.bindReceiveCall('test.echo', (m) => m.params, { annotation: { size: 'big' } });
    expect(await watcher.getMetadata(a.selfId)).toEqual({ 'samp.name': 'a', 'test.drink': 'cider' });
    await a.declareMetadata({ 'samp.name': 'a', 'test.drink': 'scrumpy' });
    expect((await watcher.getMetadata(a.selfId))['test.drink']).toBe('scrumpy');
    const subs = await watcher.getSubscriptions(a.selfId);
    expect(subs['test.echo']).toEqual({ size: 'big' });
    expect(subs['samp.app.ping']).toEqual({});
    const aId = a.selfId;
    await a.unregister();
    const about = (mtype: string) => events.filter((e) => e.mtype === mtype && e.params.id === aId);
    await waitFor(() => (about('samp.hub.event.unregister').length ? true : undefined), 2000, 'unregister event');
    expect(about('samp.hub.event.register')).toHaveLength(1);
    expect(about('samp.hub.event.metadata').map((e) => (e.params.metadata as Record<string, string>)['test.drink'])).toEqual(['cider', 'scrumpy']);
    expect(about('samp.hub.event.subscriptions').at(-1)!.params.subscriptions).toMatchObject({ 'test.echo': { size: 'big' } });
    expect(events.every((e) => e.senderId === 'hub')).toBe(true);
  });

  it('lists subscribed clients with wildcard subscriptions and their annotations', async () => {
    const hub = await startHub();
    const a = await client(hub, 'a').register();
    const b = client(hub, 'b');
    await b.bindReceiveNotification('table.*', () => undefined, { annotation: { 'x-note': 'wild' } });
    await b.bindReceiveNotification('table.load.votable', () => undefined);
    await b.register();
    expect(await a.getSubscribedClients('table.highlight.row')).toEqual({ [b.selfId]: { 'x-note': 'wild' } });
    expect(await a.getSubscribedClients('table.load.votable')).toEqual({ [b.selfId]: {} });
    expect(await a.getSubscribedClients('image.load.fits')).toEqual({});
    // The subscriber itself is never listed to itself.
    expect(await b.getSubscribedClients('table.load.votable')).toEqual({});
  });

  it('delivers notify and notifyAll with exact content, never to the sender', async () => {
    const hub = await startHub();
    const got: Record<string, ReceivedNotification[]> = { a: [], b: [], c: [] };
    const make = async (name: string) => {
      const c = client(hub, name);
      await c.bindReceiveNotification('test.note', (m) => void got[name]!.push(m));
      return c.register();
    };
    const [a, b, c] = [await make('a'), await make('b'), await make('c')];
    const params = { text: 'tab\there <&> "q" \u00e9\u4e2d\r\nend', list: ['1', ['2', { k: 'v' }]], empty: '', map: {} };
    await a.notify(b.selfId, createMessage('test.note', params));
    expect((await a.notifyAll(createMessage('test.note', { n: '2' }))).sort()).toEqual([b.selfId, c.selfId].sort());
    await waitFor(() => (got.b!.length === 2 && got.c!.length === 1 ? true : undefined));
    expect(got.b![0]!.params).toEqual(params);
    expect(got.b![0]!.senderId).toBe(a.selfId);
    expect(got.c![0]!.params).toEqual({ n: '2' });
    await sleep(50);
    expect(got.a).toHaveLength(0);
  });

  it('routes call/callAll responses to the tag and callAndWait results to the caller', async () => {
    const hub = await startHub();
    const a = client(hub, 'a');
    const responses: ReceivedResponse[] = [];
    a.bindReceiveResponse('tag-1', (r) => void responses.push(r));
    a.bindReceiveResponse('tag-all', (r) => void responses.push(r));
    await a.register();
    const echo = async (name: string) => {
      const c = client(hub, name);
      await c.bindReceiveCall('test.echo', (m: ReceivedCall) => ({ ...m.params, by: name, msgid: m.msgId }));
      return c.register();
    };
    const b = await echo('b');
    const c = await echo('c');
    // call: needs a callable sender (a has a response handler but no subscriptions yet).
    await a.declareSubscriptions({});
    const msgId = await a.call(b.selfId, 'tag-1', createMessage('test.echo', { x: '1' }));
    const all = await a.callAll('tag-all', createMessage('test.echo', { y: '2' }));
    expect(Object.keys(all).sort()).toEqual([b.selfId, c.selfId].sort());
    await waitFor(() => (responses.length === 3 ? true : undefined));
    const one = responses.find((r) => r.msgTag === 'tag-1')!;
    expect(one.responderId).toBe(b.selfId);
    expect(one.response).toEqual({ 'samp.status': 'samp.ok', 'samp.result': { x: '1', by: 'b', msgid: msgId } });
    for (const r of responses.filter((r) => r.msgTag === 'tag-all')) {
      expect(r.response['samp.result']).toEqual({ y: '2', by: r.responderId === b.selfId ? 'b' : 'c', msgid: all[r.responderId] });
    }
    const sync = await a.callAndWait(b.selfId, createMessage('test.echo', { z: ['p', 'q'] }), 5);
    expect(sync['samp.status']).toBe('samp.ok');
    expect(sync['samp.result']).toMatchObject({ z: ['p', 'q'], by: 'b' });
    expect(await a.callAndWaitAsync(c.selfId, createMessage('test.echo', { w: '3' }), 5000)).toMatchObject({ 'samp.result': { w: '3', by: 'c' } });
    expect(await a.ecallAndWait('hub', 'samp.app.ping')).toEqual({});
  });

  it('passes samp.error responses through with their extra keys', async () => {
    const hub = await startHub();
    const a = await client(hub, 'a').register();
    const b = client(hub, 'b');
    await b.bindReceiveCall('test.fail', () => errorResponse('failure', { 'samp.code': '999', 'do.what': 'do.that' }));
    await b.bindReceiveCall('test.throw', () => {
      throw new Error('handler blew up');
    });
    await b.register();
    expect(await a.callAndWait(b.selfId, createMessage('test.fail'), 5)).toEqual({
      'samp.status': 'samp.error',
      'samp.error': { 'samp.errortxt': 'failure', 'samp.code': '999', 'do.what': 'do.that' },
    });
    expect(await a.callAndWait(b.selfId, createMessage('test.throw'), 5)).toEqual({
      'samp.status': 'samp.error',
      'samp.error': { 'samp.errortxt': 'handler blew up' },
    });
    await expect(a.ecallAndWait(b.selfId, 'test.fail')).rejects.toThrow('client c2 answered samp.error: failure');
  });

  it('refuses to send to unsubscribed clients, but notifyAll/callAll to nobody is fine', async () => {
    const hub = await startHub();
    const a = await client(hub, 'a').register();
    const b = client(hub, 'b');
    await b.bindReceiveNotification('test.only', () => undefined);
    await b.register();
    await a.declareSubscriptions({});
    await expect(a.notify(b.selfId, createMessage('not.an.mtype'))).rejects.toThrow(`client ${b.selfId} is not subscribed to not.an.mtype`);
    await expect(a.call(b.selfId, 't', createMessage('not.an.mtype'))).rejects.toBeInstanceOf(XmlRpcFaultError);
    await expect(a.callAndWait(b.selfId, createMessage('not.an.mtype'))).rejects.toBeInstanceOf(XmlRpcFaultError);
    await expect(a.getMetadata('Sir Not-Appearing-in-this-Hub')).rejects.toThrow('no registered client with id "Sir Not-Appearing-in-this-Hub"');
    expect(await a.notifyAll(createMessage('not.an.mtype'))).toEqual([]);
    expect(await a.callAll('x', createMessage('not.an.mtype'))).toEqual({});
  });

  it('times out callAndWait at the hub and ignores the late reply', async () => {
    const hub = await startHub();
    const a = await client(hub, 'a').register();
    const b = client(hub, 'b');
    await b.bindReceiveCall('test.slow', async () => {
      await sleep(6000);
      return { late: '1' };
    });
    await b.register();
    const t0 = Date.now();
    await expect(a.callAndWait(b.selfId, createMessage('test.slow'), 1)).rejects.toThrow(/no response \(after 1000 ms\)/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    // well before the reply at 6 s, with room for a loaded machine
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('answers a pending call with samp.error when the recipient unregisters', async () => {
    const hub = await startHub();
    const a = await client(hub, 'a').register();
    const b = client(hub, 'b');
    await b.bindReceiveCall('test.never', () => new Promise(() => undefined));
    await b.register();
    const pending = a.callAndWait(b.selfId, createMessage('test.never'), 30);
    await sleep(100);
    const bId = b.selfId;
    await b.unregister();
    expect(await pending).toEqual({ 'samp.status': 'samp.error', 'samp.error': { 'samp.errortxt': `recipient ${bId} unregistered before replying` } });
  });

  it('serves an in-memory table and sends it as table.load.votable', async () => {
    const hub = await startHub();
    const a = await client(hub, 'a').register();
    const b = client(hub, 'b');
    const fetched: string[] = [];
    await b.bindReceiveCall('table.load.votable', async (m) => {
      const { url } = parseLoadTable(m.params);
      const response = await fetch(url);
      fetched.push(`${response.headers.get('content-type')}|${await response.text()}|${m.params.name}|${m.params['table-id']}`);
      return {};
    });
    await b.register();
    const votable = '<?xml version="1.0"?><VOTABLE version="1.4"><RESOURCE><TABLE><FIELD name="x" datatype="int"/><DATA><TABLEDATA><TR><TD>1</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>';
    const sent = await a.sendTable(votable, { to: b.selfId, name: 'tiny', tableId: 't1', waitSeconds: 10 });
    expect(sent.response).toEqual({ 'samp.status': 'samp.ok', 'samp.result': {} });
    expect(sent.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/resources\/[A-Za-z0-9_-]{24}\/tiny\.vot$/);
    expect(fetched).toEqual([`application/x-votable+xml|${votable}|tiny|t1`]);
    sent.resource.remove();
    expect((await fetch(sent.url)).status).toBe(404);
  });

  it('sends a @vokit/votable table, written on the fly in BINARY2 when asked', async () => {
    const hub = await startHub();
    const a = await client(hub, 'a').register();
    const b = client(hub, 'b');
    await b.bindReceiveCall('table.load.votable', async (m) => {
      const doc = await parseVOTable(new Uint8Array(await (await fetch(String(m.params.url))).arrayBuffer()));
      const table = getFirstTable(doc);
      return { name: String(m.params.name), rows: JSON.stringify([...tableRows(table)]), serialization: String(table.data?.serialization) };
    });
    await b.register();
    const stars = tableFromArrays({ name: 'stars', columns: { ra: new Float64Array([10.5, 11.25]), id: ['alpha', 'beta'] } });
    const sent = await a.sendTable(stars, { to: b.selfId, waitSeconds: 10, writeOptions: { serialization: 'BINARY2' } });
    expect(sent.url).toMatch(/\/stars\.vot$/);
    expect(sent.response!['samp.result']).toEqual({
      name: 'stars',
      rows: JSON.stringify([
        { ra: 10.5, id: 'alpha' },
        { ra: 11.25, id: 'beta' },
      ]),
      serialization: 'BINARY2',
    });
  });

  it('answers calls to a client whose callback endpoint is dead with samp.error, and drops it', async () => {
    const hub = await startHub();
    const a = client(hub, 'a');
    const gone: string[] = [];
    await a.bindReceiveNotification('samp.hub.event.unregister', (m) => void gone.push(String(m.params.id)));
    await a.register();
    // A client that declared a callback URL nobody listens on (it crashed, say).
    const transport = createFetchTransport();
    const reg = (await callXmlRpc(transport, hub.xmlrpcUrl, 'samp.hub.register', [hub.lockInfo['samp.secret']])) as Record<string, string>;
    const key = reg['samp.private-key']!;
    await callXmlRpc(transport, hub.xmlrpcUrl, 'samp.hub.setXmlrpcCallback', [key, 'http://127.0.0.1:9/xmlrpc']);
    await callXmlRpc(transport, hub.xmlrpcUrl, 'samp.hub.declareSubscriptions', [key, { 'test.echo': {} }]);
    const response = await a.callAndWait(reg['samp.self-id']!, createMessage('test.echo'), 10);
    expect(response['samp.status']).toBe('samp.error');
    expect(response['samp.error']!['samp.errortxt']).toMatch(new RegExp(`^delivery to ${reg['samp.self-id']} failed: `));
    await waitFor(() => (gone.includes(reg['samp.self-id']!) ? true : undefined), 2000, 'dead client dropped');
    expect(await a.getRegisteredClients()).not.toContain(reg['samp.self-id']);
  });

  it('disconnects a client with samp.hub.disconnect and its reason', async () => {
    const hub = await startHub();
    const seen: string[] = [];
    const a = await client(hub, 'a', { onDisconnect: (info) => seen.push(`${info.kind}: ${info.reason}`) }).register();
    const b = await client(hub, 'b').register();
    const record = hub.service.listClients().find((c) => c.id === a.selfId)!;
    hub.service.disconnect(record, 'idle too long');
    await waitFor(() => (seen.length ? true : undefined), 2000, 'disconnect message');
    expect(seen).toEqual(['disconnect: idle too long']);
    expect(await b.getRegisteredClients()).toEqual(['hub']);
  });

  it('tells clients about shutdown', async () => {
    const hub = await startHub();
    const disconnects: string[] = [];
    const a = await client(hub, 'a', { onDisconnect: (info) => disconnects.push(info.kind) }).register();
    expect(a.isRegistered).toBe(true);
    await hub.stop();
    await waitFor(() => (disconnects.length ? true : undefined), 2000, 'shutdown event');
    expect(disconnects).toEqual(['shutdown']);
    expect(a.isRegistered).toBe(false);
    await expect(a.getRegisteredClients()).rejects.toBeInstanceOf(NotRegisteredError);
  });
});

describe('hub discovery', () => {
  it('writes the lockfile where SAMP_HUB points, as JSAMP does, and clients find it there', async () => {
    const path = join(tempDir(), 'lock-from-env');
    const hub = await startHub({ lockfile: undefined, env: { SAMP_HUB: `std-lockurl:file://localhost${path}` } });
    expect(hub.lockfilePath).toBe(path);
    const c = await client(hub, 'a', { hub: undefined, env: { SAMP_HUB: `std-lockurl:file://${path}` } }).register();
    expect(c.hubId).toBe('hub');
  });

  it('reads a lockfile served over http (std-lockurl:http://...)', async () => {
    const hub = await startHub();
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.end(readFileSync(hub.lockfilePath)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const c = await client(hub, 'a', { hub: `std-lockurl:http://127.0.0.1:${port}/lock` }).register();
      expect(c.lockInfo!['samp.secret']).toBe(hub.lockInfo['samp.secret']);
    } finally {
      server.close();
    }
  });

  it('tells whether a hub is running without registering', async () => {
    const hub = await startHub();
    expect(await SampClient.isHubRunning({ hub: hub.sampHubValue })).toBe(true);
    expect(await SampClient.isHubRunning({ hub: hub.lockfilePath })).toBe(true);
    expect(hub.service.listClients().map((c) => c.id)).toEqual(['hub']);
    const path = hub.lockfilePath;
    await hub.stop();
    expect(await SampClient.isHubRunning({ hub: path })).toBe(false);
    expect(await SampClient.isHubRunning({ env: { SAMP_HUB: 'web-appname:x' } })).toBe(false);
  });

  it('says so when there is no hub', async () => {
    const missing = join(tempDir(), 'none');
    await expect(new SampClient({ hub: missing }).register()).rejects.toThrow(`samp: no hub is running: no lockfile at ${missing}`);
    const dead = join(tempDir(), 'dead');
    writeFileSync(dead, 'samp.secret=x\nsamp.hub.xmlrpc.url=http://127.0.0.1:9/xmlrpc\n');
    await expect(new SampClient({ hub: dead }).register()).rejects.toBeInstanceOf(NoHubError);
  });
});

describe('SampHub security', () => {
  it('refuses registration with a wrong secret', async () => {
    const hub = await startHub();
    const lock = { ...hub.lockInfo, 'samp.secret': `${hub.lockInfo['samp.secret']}-NOT!` };
    const c = new SampClient({ hub: lock });
    await expect(c.register()).rejects.toBeInstanceOf(SampAuthError);
    await expect(c.register()).rejects.toThrow('hub refused registration: samp: samp.hub.register failed: wrong samp.secret');
  });

  it('refuses every method for an unknown or unregistered private key', async () => {
    const hub = await startHub();
    const transport = createFetchTransport();
    const a = await client(hub, 'a').register();
    const key = a.privateKey;
    await a.unregister();
    for (const bogus of [key, 'k:guess', '']) {
      await expect(callXmlRpc(transport, hub.xmlrpcUrl, 'samp.hub.getRegisteredClients', [bogus])).rejects.toThrow(
        'unknown private key (not registered, or registered with another profile)',
      );
    }
    await expect(callXmlRpc(transport, hub.xmlrpcUrl, 'samp.hub.not-a-method', [hub.lockInfo['samp.secret']])).rejects.toThrow('unknown private key');
    expect(await callXmlRpc(transport, hub.xmlrpcUrl, 'samp.hub.ping', [])).toBe('');
  });

  it('only lets the recipient of a call reply to it, once', async () => {
    const hub = await startHub();
    const a = await client(hub, 'a').register();
    let seen: ReceivedCall | undefined;
    const b = client(hub, 'b');
    await b.bindReceiveCall('test.hold', (m) => {
      seen = m;
      return NO_REPLY;
    });
    await b.register();
    const intruder = await client(hub, 'intruder').register();
    await a.declareSubscriptions({});
    await a.call(b.selfId, 'tag', createMessage('test.hold'));
    const call = await waitFor(() => seen);
    const ok = { 'samp.status': 'samp.ok', 'samp.result': {} };
    await expect(intruder.reply(call.msgId, ok)).rejects.toThrow(`was not sent to ${intruder.selfId}`);
    await b.reply(call.msgId, ok);
    await expect(b.reply(call.msgId, ok)).rejects.toThrow(`no pending call with msg-id ${call.msgId} (already answered, timed out, or unknown)`);
  });

  it('refuses to start over a live hub and replaces a stale lockfile', async () => {
    const hub = await startHub();
    await expect(SampHub.start({ lockfile: hub.lockfilePath })).rejects.toBeInstanceOf(HubRunningError);
    const stale = join(tempDir(), 'samp');
    writeFileSync(stale, 'samp.secret=old\nsamp.hub.xmlrpc.url=http://127.0.0.1:9/xmlrpc\n', { mode: 0o644 });
    const second = await startHub({ lockfile: stale });
    const lock = await readLockfile({ kind: 'file', path: stale });
    expect(lock!['samp.secret']).toBe(second.lockInfo['samp.secret']);
    expect(statSync(stale).mode & 0o777).toBe(0o600);
  });

  it('does not follow a symlink planted at the lockfile path', async () => {
    const dir = tempDir();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
    await fs.symlink(victim, join(dir, 'samp'));
    await startHub({ lockfile: join(dir, 'samp') });
    expect(await fs.readFile(victim, 'utf8')).toBe('precious\n');
    expect((await fs.lstat(join(dir, 'samp'))).isSymbolicLink()).toBe(false);
  });
});
