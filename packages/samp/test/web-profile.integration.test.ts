// The Web Profile (SAMP 1.3 §5) on its fixed port 21012: JSAMP's HubTester in Web Profile
// mode against our hub, our web client against our hub and JSAMP's, and the hub's web
// security (origins, consent, MType restrictions, URL translation, CORS, policy files).
// Port 21012 is one per machine: every test using it lives in this file and runs in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  SampAuthError,
  SampClient,
  SampHub,
  SampWebClient,
  XmlRpcFaultError,
  acceptAllWebClients,
  createMessage,
  parseLoadTable,
  pointAtSkyMessage,
  type ReceivedNotification,
  type SampHubOptions,
  type WebProfileOptions,
} from '../src/index.js';
import { removeTempDirs, tempDir, waitFor } from './support/temp.js';
import { TESTBED, requireTestbed, runHubTester, startJsampHub, type JsampHub } from './support/testbed.js';

const HUB_URL = 'http://127.0.0.1:21012/';
/** HubTester wall time against our hub's Web Profile, compared with JSAMP's at the end. */
let oursWebSeconds = Number.NaN;
let hub: SampHub | undefined;
let jsamp: JsampHub | undefined;
const clients: Array<SampClient | SampWebClient> = [];

async function startHub(web: WebProfileOptions, options: SampHubOptions = {}): Promise<SampHub> {
  hub = await SampHub.start({ lockfile: join(tempDir(), 'samp'), web, ...options });
  return hub;
}

/** A fetch that sends an Origin header, as a browser page at `origin` would. */
function fetchFrom(origin: string): typeof fetch {
  return (input, init = {}) => fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), Origin: origin } });
}

function webClient(name: string, origin = 'http://page.example'): SampWebClient {
  const c = new SampWebClient({ appName: name, hubUrl: HUB_URL, fetch: fetchFrom(origin), metadata: { 'samp.name': name }, pullSeconds: 2 });
  clients.push(c);
  return c;
}

function stdClient(name: string): SampClient {
  const c = new SampClient({ hub: hub?.sampHubValue ?? jsamp!.sampHub, metadata: { 'samp.name': name } });
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.unregister().catch(() => undefined);
  await hub?.stop();
  hub = undefined;
  await jsamp?.stop();
  jsamp = undefined;
});
afterAll(removeTempDirs);

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const TABLE = '<?xml version="1.0"?><VOTABLE version="1.4"><RESOURCE><TABLE><FIELD name="x" datatype="int"/></TABLE></RESOURCE></VOTABLE>';

/**
 * Serves test/fixtures/web-page.html and the built browser entry (dist/) on 127.0.0.1, opens
 * the page in headless Chromium, and resolves with what the page POSTs to /result.
 */
async function runBrowserPage(peerName: string): Promise<{ result: Promise<Record<string, any>>; close(): Promise<void> }> {
  requireTestbed(['/usr/bin/chromium']);
  if (!existsSync(join(PACKAGE, 'dist/browser.js'))) throw new Error('dist/browser.js missing: build the package first (pnpm build)');
  let deliver: (value: Record<string, any>) => void = () => undefined;
  const result = new Promise<Record<string, any>>((resolve) => (deliver = resolve));
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    if (req.method === 'POST' && path === '/result') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.end('ok');
        deliver(JSON.parse(body));
      });
    } else if (path === '/page.html') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(readFileSync(join(PACKAGE, 'test/fixtures/web-page.html')));
    } else if (/^\/dist\/[a-z-]+\.js$/.test(path) && existsSync(join(PACKAGE, path))) {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(join(PACKAGE, path)));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const browser = spawn(
    '/usr/bin/chromium',
    ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-proxy-server', `--user-data-dir=${tempDir('chromium-')}`, `http://127.0.0.1:${port}/page.html?peer=${peerName}`],
    { stdio: 'ignore' },
  );
  return {
    result,
    close: async () => {
      const exited = new Promise((resolve) => browser.once('exit', resolve));
      browser.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Drives the test page from a desktop client: a table by call, a position by notification. */
async function exerciseBrowserPage(std: SampClient): Promise<void> {
  const page = await runBrowserPage('desktop');
  try {
    const pageId = await waitFor(
      async () => Object.keys(await std.getSubscribedClients('table.load.votable'))[0],
      60_000,
      'the browser page to register and subscribe',
    );
    const sent = await std.sendTable(TABLE, { to: pageId, tableId: 'b1', waitSeconds: 30 });
    expect(sent.response).toEqual({ 'samp.status': 'samp.ok', 'samp.result': { length: String(TABLE.length) } });
    await std.notify(pageId, pointAtSkyMessage({ ra: 201.365, dec: -43.019 }));
    const result = await Promise.race([page.result, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no result from the page')), 60_000))]);
    expect(result.error).toBeUndefined();
    expect(result.userAgent).toMatch(/Chrome\//);
    expect(result.events).toEqual([
      { kind: 'table', status: 200, text: TABLE, tableId: 'b1' },
      { kind: 'point', ra: '201.365', dec: '-43.019' },
    ]);
    expect(result.highlight).toEqual({ row: '4', from: result.selfId });
    expect(result.ok).toBe(true);
  } finally {
    await page.close();
  }
}

describe('Web Profile hub', () => {
  it('passes JSAMP HubTester in Web Profile mode (accept all, MType restrictions lifted)', async () => {
    await startHub({ consent: acceptAllWebClients, restrictMTypes: false });
    const result = await runHubTester('web');
    oursWebSeconds = result.seconds;
    console.log(`vokit hub, web profile: ${result.line}`);
    expect(result.line).toMatch(/^hubtester: PASS/);
    expect(result.warnings).toBe(0);
  }, 200_000);

  it('lets a web client and a standard client exchange messages, with URL translation', async () => {
    await startHub({ consent: acceptAllWebClients });
    const std = stdClient('desktop');
    const notes: ReceivedNotification[] = [];
    await std.bindReceiveNotification('coord.pointAt.sky', (m) => void notes.push(m));
    await std.register();
    const web = webClient('page');
    const loaded: string[] = [];
    await web.bindReceiveCall('table.load.votable', async (m) => {
      const { url } = parseLoadTable(m.params);
      const response = await fetch(web.translateUrl(url), { headers: { Origin: 'http://page.example' } });
      loaded.push(`${response.status} ${response.headers.get('access-control-allow-origin')} ${await response.text()}`);
      return { bytes: String(loaded[0]!.length) };
    });
    await web.register();
    expect(web.urlTranslator).toBe(`http://localhost:21012/translator/${encodeURIComponent(web.privateKey)}?`);
    expect(await std.getMetadata(web.selfId)).toEqual({ 'samp.name': 'page' });

    const sent = await std.sendTable('<VOTABLE/>', { to: web.selfId, tableId: 'w1', waitSeconds: 10 });
    expect(sent.response!['samp.status']).toBe('samp.ok');
    expect(loaded).toEqual(['200 http://page.example <VOTABLE/>']);

    await web.notify(std.selfId, pointAtSkyMessage({ ra: 83.633, dec: 22.0145 }));
    await waitFor(() => (notes.length ? true : undefined));
    expect(notes[0]!.params).toEqual({ ra: '83.633', dec: '22.0145' });
    expect(notes[0]!.senderId).toBe(web.selfId);
  });

  it('blocks unsafe MTypes for web senders by default and hides them from their view', async () => {
    await startHub({ consent: acceptAllWebClients });
    const std = stdClient('desktop');
    await std.bindReceiveCall('client.env.get', () => ({ value: 'secret' }));
    await std.bindReceiveCall('x.harmless', () => ({}), { annotation: { 'samp.mostly-harmless': '1' } });
    await std.bindReceiveCall('table.load.votable', () => ({}), { annotation: { 'samp.mostly-harmless': '0' } });
    await std.register();
    const web = await webClient('page').register();
    await expect(web.callAndWait(std.selfId, createMessage('client.env.get', { name: 'HOME' }), 5)).rejects.toThrow(
      'MType client.env.get is blocked for web profile clients',
    );
    await expect(web.notify(std.selfId, createMessage('table.load.votable', { url: 'http://x/' }))).rejects.toBeInstanceOf(XmlRpcFaultError);
    expect(await web.ecallAndWait(std.selfId, 'x.harmless')).toEqual({});
    expect(Object.keys(await web.getSubscriptions(std.selfId)).sort()).toEqual(['samp.app.ping', 'x.harmless']);
    expect(Object.keys(await web.getSubscribedClients('client.env.get'))).toEqual([]);
    // A standard client sees everything.
    const other = await stdClient('other').register();
    expect(Object.keys(await other.getSubscriptions(std.selfId)).sort()).toEqual([
      'client.env.get',
      'samp.app.ping',
      'samp.hub.disconnect',
      'samp.hub.event.shutdown',
      'table.load.votable',
      'x.harmless',
    ]);
  });

  it('translates only URLs sent to that client, never URLs a web client sent', async () => {
    await startHub({ consent: acceptAllWebClients });
    const secretFile = join(tempDir(), 'secret.txt');
    await import('node:fs/promises').then((fs) => fs.writeFile(secretFile, 'top secret\n'));
    const fileUrl = `file://${secretFile}`;
    const std = stdClient('desktop');
    await std.bindReceiveNotification('table.load.votable', () => undefined);
    await std.register();
    const evil = webClient('evil');
    await evil.bindReceiveNotification('table.load.votable', () => undefined);
    await evil.register();
    const victim = webClient('victim');
    const got: string[] = [];
    await victim.bindReceiveNotification('table.load.votable', (m) => void got.push(String(m.params.url)));
    await victim.register();
    // Not sent to anyone yet: refused.
    expect((await fetch(victim.translateUrl(fileUrl))).status).toBe(403);
    // A web client sending it (to the victim) does not make it translatable.
    await evil.notify(victim.selfId, createMessage('table.load.votable', { url: fileUrl }));
    await waitFor(() => (got.length ? true : undefined));
    expect((await fetch(victim.translateUrl(fileUrl))).status).toBe(403);
    // An unknown key is refused whatever the URL.
    expect((await fetch(`http://127.0.0.1:21012/translator/wk:nobody?${encodeURIComponent(fileUrl)}`)).status).toBe(403);
    // A desktop client sending another file to the victim makes that one translatable, for the victim only.
    const otherFile = join(tempDir(), 'shared.txt');
    await import('node:fs/promises').then((fs) => fs.writeFile(otherFile, 'shared\n'));
    await std.notifyAll(createMessage('table.load.votable', { url: `file://${otherFile}` }));
    await waitFor(() => (got.length === 2 ? true : undefined));
    const ok = await fetch(victim.translateUrl(`file://${otherFile}`));
    expect([ok.status, await ok.text()]).toEqual([200, 'shared\n']);
    expect((await fetch(victim.translateUrl(`file:///etc/passwd`))).status).toBe(403);
  });

  it('refuses disallowed origins (403, no CORS headers) and serves CORS to allowed ones', async () => {
    await startHub({ consent: acceptAllWebClients, allowedOrigins: ['http://good.example'] });
    const body = '<?xml version="1.0"?><methodCall><methodName>samp.webhub.ping</methodName><params/></methodCall>';
    const evil = await fetch(HUB_URL, { method: 'POST', body, headers: { Origin: 'http://evil.example', 'Content-Type': 'text/xml' } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    await expect(webClient('evil', 'http://evil.example').register()).rejects.toThrow(/HTTP 403/);
    const good = await fetch(HUB_URL, { method: 'POST', body, headers: { Origin: 'http://good.example', 'Content-Type': 'text/xml' } });
    expect(good.status).toBe(200);
    expect(good.headers.get('access-control-allow-origin')).toBe('http://good.example');
    const preflight = await fetch(HUB_URL, {
      method: 'OPTIONS',
      headers: { Origin: 'http://good.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://good.example');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    const nullOrigin = await fetch(HUB_URL, { method: 'OPTIONS', headers: { Origin: 'null', 'Access-Control-Request-Method': 'POST' } });
    expect(nullOrigin.status).toBe(403);
    // Open cross-domain policies would bypass the origin list: not served then.
    expect((await fetch(`${HUB_URL}crossdomain.xml`)).status).toBe(404);
  });

  it('ends the web client registration on hub shutdown, or when the hub vanishes', async () => {
    await startHub({ consent: acceptAllWebClients });
    const disconnects: string[] = [];
    const web = new SampWebClient({
      appName: 'page',
      hubUrl: HUB_URL,
      pullSeconds: 2,
      retryDelayMs: 100,
      onDisconnect: (info) => disconnects.push(`${info.kind}${info.reason ? `: ${info.reason.slice(0, 16)}` : ''}`),
    });
    await web.bindReceiveNotification('coord.pointAt.sky', () => undefined);
    await web.register();
    await hub!.stop();
    hub = undefined;
    await waitFor(() => (disconnects.length ? true : undefined), 5000, 'shutdown seen by the web client');
    expect(disconnects).toEqual(['shutdown']);
    expect(web.isRegistered).toBe(false);
    // A hub that dies silently: the poll loop notices after three refused connections.
    await startHub({ consent: acceptAllWebClients });
    const web2 = new SampWebClient({ appName: 'page2', hubUrl: HUB_URL, pullSeconds: 1, retryDelayMs: 50, onDisconnect: (info) => disconnects.push(info.kind) });
    await web2.bindReceiveNotification('coord.pointAt.sky', () => undefined);
    await web2.register();
    await hub!.webProfile!.stop();
    await waitFor(() => (disconnects.length === 2 ? true : undefined), 10_000, 'vanished hub noticed');
    expect(disconnects[1]).toBe('disconnect');
    expect(web2.isRegistered).toBe(false);
  });

  it('serves Flash and Silverlight policies when every origin is allowed, and refuses without consent', async () => {
    await startHub({});
    const flash = await fetch(`${HUB_URL}crossdomain.xml`);
    expect(flash.status).toBe(200);
    expect(flash.headers.get('content-type')).toBe('text/x-cross-domain-policy');
    expect(await flash.text()).toContain('<allow-access-from domain="*"/>');
    const silverlight = await fetch(`${HUB_URL}clientaccesspolicy.xml`);
    expect(silverlight.status).toBe(200);
    expect(await silverlight.text()).toContain('<domain uri="*"/>');
    // The default consent policy refuses.
    const refused = webClient('page');
    await expect(refused.register()).rejects.toBeInstanceOf(SampAuthError);
    await expect(refused.register()).rejects.toThrow('registration of "page" refused');
  });

  it('runs our web client in headless Chromium against our hub', async () => {
    await startHub({ consent: acceptAllWebClients });
    const std = stdClient('desktop');
    await std.bindReceiveCall('table.highlight.row', (m) => ({ row: String(m.params.row), from: m.senderId }));
    await std.register();
    await exerciseBrowserPage(std);
  }, 120_000);

  it('runs our web client in headless Chromium against the JSAMP hub', async () => {
    jsamp = await startJsampHub(tempDir(), ['--web']);
    const std = stdClient('desktop');
    await std.bindReceiveCall('table.highlight.row', (m) => ({ row: String(m.params.row), from: m.senderId }));
    await std.register();
    await exerciseBrowserPage(std);
  }, 120_000);

  it('works with astropy\'s web hub (whose pullCallbacks returns at once)', async () => {
    requireTestbed(['/usr/bin/python3']);
    const lockfile = join(tempDir(), 'samp');
    const astropy: ChildProcess = spawn('/usr/bin/python3', [join(TESTBED, 'astropy_hub.py'), lockfile, '--web'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    astropy.stdout!.on('data', (chunk) => (out += chunk));
    try {
      await waitFor(() => (out.includes('READY') ? true : undefined), 30_000, 'astropy hub');
      await waitFor(async () => ((await new SampWebClient({ appName: 'probe', hubUrl: HUB_URL }).isHubRunning()) ? true : undefined), 10_000, 'astropy web profile');
      const std = new SampClient({ hub: lockfile, metadata: { 'samp.name': 'desktop' } });
      clients.push(std);
      await std.bindReceiveCall('table.highlight.row', async (m) => {
        // astropy 5.2's hub drops replies that beat its bookkeeping of callAndWait (hub.py).
        await new Promise((resolve) => setTimeout(resolve, 150));
        return { row: String(m.params.row) };
      });
      await std.register();
      const web = webClient('page');
      const notes: ReceivedNotification[] = [];
      await web.bindReceiveNotification('coord.pointAt.sky', (m) => void notes.push(m));
      await web.register();
      expect(await web.ecallAndWait(std.selfId, 'table.highlight.row', { 'table-id': 't', row: '3' }, 10)).toEqual({ row: '3' });
      await std.notify(web.selfId, pointAtSkyMessage({ ra: 1, dec: 2 }));
      await waitFor(() => (notes.length ? true : undefined), 10_000, 'notification through astropy web hub');
      expect(notes[0]!.params).toEqual({ ra: '1', dec: '2' });
      expect(notes[0]!.senderId).toBe(std.selfId);
    } finally {
      for (const c of clients.splice(0)) await c.unregister().catch(() => undefined);
      const exited = new Promise((resolve) => astropy.once('exit', resolve));
      astropy.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
  }, 90_000);

  it('passes JSAMP HubTester against the JSAMP web hub, and our web client works with it', async () => {
    jsamp = await startJsampHub(tempDir(), ['--web-norestrict']);
    const reference = await runHubTester('web');
    console.log(`JSAMP hub, web profile: ${reference.line}`);
    expect(reference.line).toMatch(/^hubtester: PASS/);
    // As for the Standard Profile: no slower than the reference hub, allowing for a busy machine.
    // (Skipped only when this test is run alone with -t, without the first one.)
    if (!Number.isNaN(oursWebSeconds)) expect(oursWebSeconds).toBeLessThanOrEqual(Math.max(reference.seconds * 1.5, reference.seconds + 5));
    const std = stdClient('desktop');
    await std.bindReceiveCall('table.highlight.row', (m) => ({ row: String(m.params.row), from: m.senderId }));
    await std.register();
    const web = webClient('page');
    const notes: ReceivedNotification[] = [];
    await web.bindReceiveNotification('coord.pointAt.sky', (m) => void notes.push(m));
    await web.register();
    expect(web.urlTranslator).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):21012\/proxied\//);
    expect(await web.ecallAndWait(std.selfId, 'table.highlight.row', { 'table-id': 't', row: '7' }, 10)).toEqual({ row: '7', from: web.selfId });
    await std.notify(web.selfId, pointAtSkyMessage({ ra: 10, dec: -20 }));
    await waitFor(() => (notes.length ? true : undefined), 5000, 'notification through JSAMP web hub');
    expect(notes[0]!.params).toEqual({ ra: '10', dec: '-20' });
  }, 200_000);
});
