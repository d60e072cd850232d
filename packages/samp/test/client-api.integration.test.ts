// Our Standard Profile client against two real hubs, JSAMP 1.3.7's (the reference) and ours:
// the same suite of every client API call, messages checked by content. Then JSAMP's own tools
// as peers of our client: messagesender sends to it, the snooper logs what it sends.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  SampClient,
  SampHub,
  XmlRpcFaultError,
  createMessage,
  highlightRowMessage,
  parsePointAtSky,
  parseSelectRowList,
  selectRowListMessage,
  type ReceivedCall,
  type ReceivedNotification,
  type ReceivedResponse,
} from '../src/index.js';
import { removeTempDirs, sleep, tempDir, waitFor } from './support/temp.js';
import { JSAMP_JAR, requireTestbed, runJsamp, startJsampHub } from './support/testbed.js';

interface HubUnderTest {
  sampHub: string;
  stop(): Promise<void>;
}

const HUBS: Record<string, () => Promise<HubUnderTest>> = {
  'JSAMP hub': async () => startJsampHub(tempDir()),
  'vokit hub': async () => {
    const hub = await SampHub.start({ lockfile: join(tempDir(), 'samp') });
    return { sampHub: hub.sampHubValue, stop: () => hub.stop() };
  },
};

afterAll(removeTempDirs);

for (const [label, startHub] of Object.entries(HUBS)) {
  describe(`SampClient against the ${label}`, () => {
    let hub: HubUnderTest;
    const clients: SampClient[] = [];
    const make = (name: string, extra: Record<string, string> = {}) => {
      const c = new SampClient({ hub: hub.sampHub, metadata: { 'samp.name': name, ...extra } });
      clients.push(c);
      return c;
    };
    beforeAll(async () => {
      hub = await startHub();
    }, 60_000);
    afterEach(async () => {
      for (const c of clients.splice(0)) await c.unregister().catch(() => undefined);
    });
    afterAll(async () => hub?.stop());

    it('registers, declares and reads metadata and subscriptions, lists clients', async () => {
      const a = await make('alpha', { 'samp.description.text': 'first' }).register();
      const b = make('beta');
      await b.bindReceiveNotification('table.*', () => undefined, { annotation: { 'x-note': 'tables' } });
      await b.register();
      expect(a.hubId).toBe(b.hubId);
      const others = await a.getRegisteredClients();
      expect(others).toContain(b.selfId);
      expect(others).toContain(a.hubId);
      expect(others).not.toContain(a.selfId);
      expect(await b.getMetadata(a.selfId)).toEqual({ 'samp.name': 'alpha', 'samp.description.text': 'first' });
      const subs = await a.getSubscriptions(b.selfId);
      expect(subs['table.*']).toEqual({ 'x-note': 'tables' });
      expect(await a.getSubscribedClients('table.load.votable')).toMatchObject({ [b.selfId]: { 'x-note': 'tables' } });
      expect(Object.keys(await a.getSubscribedClients('image.load.fits'))).not.toContain(b.selfId);
      await a.ping();
    });

    it('notifies one and all, with exact content', async () => {
      const a = await make('sender').register();
      const got: ReceivedNotification[] = [];
      const b = make('receiver');
      await b.bindReceiveNotification('table.highlight.row', (m) => void got.push(m));
      await b.register();
      await a.notify(b.selfId, highlightRowMessage({ tableId: 't1', row: 42 }));
      const all = await a.notifyAll(createMessage('table.highlight.row', { 'table-id': 't2', row: '0', extra: { deep: ['x', '<&>'] } }));
      expect(all).toContain(b.selfId);
      await waitFor(() => (got.length === 2 ? true : undefined), 5000, 'two notifications');
      const byTable = Object.fromEntries(got.map((m) => [m.params['table-id'], m]));
      expect(byTable.t1!.params).toEqual({ 'table-id': 't1', row: '42' });
      expect(byTable.t1!.senderId).toBe(a.selfId);
      expect(byTable.t2!.params).toEqual({ 'table-id': 't2', row: '0', extra: { deep: ['x', '<&>'] } });
    });

    it('calls, callAll and callAndWait, and replies arrive by tag with their content', async () => {
      const a = make('caller');
      const responses: ReceivedResponse[] = [];
      a.bindReceiveResponse('sel', (r) => void responses.push(r));
      a.bindReceiveResponse('sel-all', (r) => void responses.push(r));
      await a.register();
      await a.declareSubscriptions({});
      const b = make('selector');
      const calls: ReceivedCall[] = [];
      await b.bindReceiveCall('table.select.rowList', (m) => {
        calls.push(m);
        return { count: String(parseSelectRowList(m.params).rows.length) };
      });
      await b.register();
      const msgId = await a.call(b.selfId, 'sel', selectRowListMessage({ tableId: 't', rows: [0, 2, 5] }));
      const all = await a.callAll('sel-all', selectRowListMessage({ tableId: 't', rows: [1] }));
      expect(all[b.selfId]).toEqual(expect.any(String));
      await waitFor(() => (responses.length >= 2 ? true : undefined), 5000, 'two responses');
      const one = responses.find((r) => r.msgTag === 'sel')!;
      expect(one).toEqual({ responderId: b.selfId, msgTag: 'sel', response: { 'samp.status': 'samp.ok', 'samp.result': { count: '3' } } });
      expect(calls.find((c) => c.msgId === msgId)!.params).toEqual({ 'table-id': 't', 'row-list': ['0', '2', '5'] });
      expect(responses.find((r) => r.msgTag === 'sel-all')!.response['samp.result']).toEqual({ count: '1' });
      const sync = await a.callAndWait(b.selfId, selectRowListMessage({ rows: [9, 8] }), 10);
      expect(sync).toEqual({ 'samp.status': 'samp.ok', 'samp.result': { count: '2' } });
    });

    it('reply carries samp.error, and the hub refuses unsubscribed recipients and unknown ids', async () => {
      const a = await make('a').register();
      const b = make('b');
      await b.bindReceiveCall('coord.pointAt.sky', (m) => {
        const { ra, dec } = parsePointAtSky(m.params);
        if (dec > 90) throw new Error('dec out of range');
        return { ra: String(ra), dec: String(dec) };
      });
      await b.register();
      expect(await a.ecallAndWait(b.selfId, 'coord.pointAt.sky', { ra: '1.5', dec: '-2.25' }, 10)).toEqual({ ra: '1.5', dec: '-2.25' });
      const bad = await a.callAndWait(b.selfId, createMessage('coord.pointAt.sky', { ra: '0', dec: '91' }), 10);
      expect(bad).toEqual({ 'samp.status': 'samp.error', 'samp.error': { 'samp.errortxt': 'dec out of range' } });
      await expect(a.notify(b.selfId, createMessage('not.subscribed'))).rejects.toBeInstanceOf(XmlRpcFaultError);
      await expect(a.callAndWait(b.selfId, createMessage('not.subscribed'), 5)).rejects.toBeInstanceOf(XmlRpcFaultError);
      await expect(a.getMetadata('no-such-client')).rejects.toBeInstanceOf(XmlRpcFaultError);
    });

    it('times out callAndWait', async () => {
      const a = await make('a').register();
      const b = make('b');
      await b.bindReceiveCall('test.slow', async () => {
        await sleep(6000);
        return {};
      });
      await b.register();
      const t0 = Date.now();
      await expect(a.callAndWait(b.selfId, createMessage('test.slow'), 1)).rejects.toBeInstanceOf(XmlRpcFaultError);
      // well before the reply at 6 s, with room for a loaded machine
      expect(Date.now() - t0).toBeLessThan(5000);
    });

    it('unregisters: the other client sees it go', async () => {
      const a = await make('a').register();
      const gone: string[] = [];
      const watcher = make('watcher');
      await watcher.bindReceiveNotification('samp.hub.event.unregister', (m) => void gone.push(String(m.params.id)));
      await watcher.register();
      const id = a.selfId;
      await a.unregister();
      expect(a.isRegistered).toBe(false);
      await waitFor(() => (gone.includes(id) ? true : undefined), 5000, 'unregister event');
      expect(await watcher.getRegisteredClients()).not.toContain(id);
    });
  });
}

describe('JSAMP tools as peers of our client (on our hub)', () => {
  let hub: SampHub;
  const clients: SampClient[] = [];
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    requireTestbed();
    hub = await SampHub.start({ lockfile: join(tempDir(), 'samp') });
  });
  afterAll(async () => {
    for (const c of clients) await c.unregister().catch(() => undefined);
    for (const child of children) child.kill('SIGTERM');
    await hub.stop();
  });

  it('receives what jsamp messagesender sends, and the sender sees our reply', async () => {
    const c = new SampClient({ hub: hub.sampHubValue, metadata: { 'samp.name': 'vokit-receiver' } });
    clients.push(c);
    const got: ReceivedCall[] = [];
    await c.bindReceiveCall('coord.pointAt.sky', (m) => {
      got.push(m);
      return { seen: `${m.params.ra},${m.params.dec}` };
    });
    await c.register();
    const { stdout } = await runJsamp(hub.sampHubValue, 'messagesender', [
      '-mtype', 'coord.pointAt.sky', '-param', 'ra', '83.633', '-param', 'dec', '22.0145', '-mode', 'sync', '-targetname', 'vokit-receiver',
    ]);
    expect(got).toHaveLength(1);
    expect(got[0]!.params).toEqual({ ra: '83.633', dec: '22.0145' });
    expect(stdout).toContain('samp.ok');
    expect(stdout).toContain('83.633,22.0145');
  }, 60_000);

  it('is heard by jsamp snooper with the exact parameters', async () => {
    const log = join(tempDir(), 'snooper.log');
    const { openSync } = await import('node:fs');
    const fd = openSync(log, 'w');
    const snooper = spawn('java', ['-classpath', JSAMP_JAR, 'org.astrogrid.samp.JSamp', 'snooper', '-clientname', 'snoop', '-mtype', 'table.*'], {
      env: { ...process.env, SAMP_HUB: hub.sampHubValue },
      stdio: ['ignore', fd, fd],
    });
    children.push(snooper);
    const c = new SampClient({ hub: hub.sampHubValue, metadata: { 'samp.name': 'vokit-sender' } });
    clients.push(c);
    await c.register();
    const snoopId = await waitFor(async () => {
      for (const id of await c.getRegisteredClients()) {
        if ((await c.getMetadata(id).catch(() => ({}) as Record<string, unknown>))['samp.name'] === 'snoop' && Object.keys(await c.getSubscribedClients('table.select.rowList')).includes(id)) return id;
      }
      return undefined;
    }, 20_000, 'snooper registered');
    const response = await c.callAndWait(snoopId, selectRowListMessage({ tableId: 'snooped', rows: [3, 1, 4] }), 10);
    expect(response['samp.status']).toBe('samp.warning');
    const text = await waitFor(() => {
      const t = readFileSync(log, 'utf8');
      return t.includes('snooped') ? t : undefined;
    }, 5000, 'snooper log line');
    // The snooper prints "<sender id> [(<name>)] --- call (<msg-id>)" then the message as JSON-ish text.
    expect(text).toMatch(new RegExp(`^${c.selfId}( \\(vokit-sender\\))? --- call \\(\\S+\\)$`, 'm'));
    const body = text.slice(text.indexOf('{'));
    expect(body.replace(/\s+/g, '')).toBe('{"samp.mtype":"table.select.rowList","samp.params":{"row-list":["3","1","4"],"table-id":"snooped"}}');
  }, 60_000);
});
