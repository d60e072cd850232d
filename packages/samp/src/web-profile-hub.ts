/**
 * The SAMP Web Profile of the hub (SAMP 1.3 §5): `samp.webhub.*` over XML-RPC at
 * `http://localhost:21012/`, for web pages.
 *
 * Security, as the standard asks and as JSAMP does it:
 * - only loopback peers are served (§5.4); the server binds 127.0.0.1 (and ::1 when present);
 * - every request with an `Origin` header must pass the origin policy, or gets 403 and no CORS
 *   headers; registration then needs the consent policy's yes (default: refuse);
 * - web clients may only send "safe" MTypes unless lifted (JSAMP's default list, honouring the
 *   recipient's `samp.mostly-harmless` annotation), and see subscriptions through that filter;
 * - the URL translator (§5.3.4) serves only URLs that arrived in messages *to* that client,
 *   and never one that a web client itself sent (JSAMP `UrlTracker`);
 * - CORS (§5.5) for allowed origins; Flash `crossdomain.xml` and Silverlight
 *   `clientaccesspolicy.xml` open policies are only served when every origin is allowed.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { createServer, get as httpGet, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { get as httpsGet } from 'node:https';
import { fileURLToPath } from 'node:url';
import { SampAuthError, SampProtocolError } from './errors.js';
import { dispatchSharedHubMethod, type CallbackSink, type HubClient, type HubService, type MessageRestriction } from './hub-service.js';
import { decodeSampBoolean, isSampMap, mtypeMatches, type SampMap, type SampMessage, type SampResponse, type SampValue } from './message.js';
import { refuseAllWebClients, type WebConsentPolicy } from './web-consent.js';
import { serveXmlRpc } from './xmlrpc-server.js';
import type { XmlRpcValue } from './xmlrpc.js';

/** The Web Profile port fixed by SAMP 1.3 §5.2. */
export const WEB_PROFILE_PORT = 21012;

/** MTypes web clients may send by default (JSAMP 1.3.7 `ListMessageRestriction.DEFAULT_SAFE_MTYPES`). */
export const WEB_SAFE_MTYPES: readonly string[] = [
  'samp.app.*',
  'samp.msg.progress',
  'table.*',
  'image.*',
  'coord.*',
  'spectrum.*',
  'bibcode.*',
  'voresource.*',
  'coverage.*',
];

/** Options of the Web Profile. */
export interface WebProfileOptions {
  /** Port. Default 21012 (the standard's; change it only for tests). */
  port?: number;
  /** Addresses to bind. Default `['127.0.0.1', '::1']` (::1 skipped when the host has no IPv6). */
  hosts?: string[];
  /** Decides registrations. Default {@link refuseAllWebClients}. */
  consent?: WebConsentPolicy;
  /**
   * Which `Origin` values may talk to the hub: a list of exact origins, or a predicate.
   * Default: every `http(s)://` origin (JSAMP's default); `null` origins (file:// pages) never,
   * unless the predicate says so.
   */
  allowedOrigins?: readonly string[] | ((origin: string) => boolean);
  /**
   * MType restriction for web senders: `true` (default) = {@link WEB_SAFE_MTYPES}, a list of
   * MType patterns, or `false` to lift it (JSAMP `-web:norestrictmtypes`).
   */
  restrictMTypes?: boolean | readonly string[];
  /** Translate only URLs the client was sent (default true; JSAMP `-web:urlcontrol`). */
  urlControl?: boolean;
  /** Longest `pullCallbacks` wait honoured, seconds. Default 600. */
  maxPullSeconds?: number;
  /** Most callbacks queued for one client before deliveries fail. Default 4096 (as JSAMP). */
  maxQueuedCallbacks?: number;
  /** Largest XML-RPC request accepted, bytes. Default 16 MiB. */
  maxRequestBytes?: number;
}

const ORIGIN_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/]+$/;
const WEB_PROFILE = 'web';

/** Builds the restriction function for a list of safe MType patterns (JSAMP semantics). */
export function createMTypeRestriction(safe: readonly string[]): MessageRestriction {
  return (mtype, annotation) => {
    const harmless = annotation['samp.mostly-harmless'] ?? annotation['x-samp.mostly-harmless'];
    if (harmless === '0') return false;
    if (harmless === '1') return true;
    return safe.some((pattern) => mtypeMatches(pattern, mtype));
  };
}

/** Every string in `value` that looks like an absolute URL. */
function collectUrls(value: SampValue | undefined, out: Set<string>, depth = 0): void {
  if (value === undefined || depth > 32) return;
  if (typeof value === 'string') {
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value) && value.length < 8192) {
      try {
        out.add(new URL(value).href);
      } catch {
        // not a URL after all
      }
    }
  } else if (Array.isArray(value)) {
    for (const item of value) collectUrls(item, out, depth + 1);
  } else {
    for (const item of Object.values(value)) collectUrls(item, out, depth + 1);
  }
}

interface Callback {
  'samp.methodName': string;
  'samp.params': SampValue[];
}

/** Callbacks queued for one web client until it pulls them (§5.3.3). */
class PulledCallbacks implements CallbackSink {
  private readonly queue: Callback[] = [];
  private waiter: ((callbacks: Callback[]) => void) | undefined;
  private closed = false;

  constructor(
    private readonly capacity: number,
    private readonly noteIncoming: (value: SampValue) => void,
  ) {}

  private enqueue(methodName: string, params: SampValue[]): Promise<void> {
    if (this.closed) return Promise.reject(new SampProtocolError('client no longer accepts callbacks'));
    if (this.queue.length >= this.capacity) return Promise.reject(new SampProtocolError(`callback queue full (${this.capacity})`));
    this.queue.push({ 'samp.methodName': methodName, 'samp.params': params });
    this.flush();
    return Promise.resolve();
  }

  private flush(): void {
    if (this.waiter && this.queue.length > 0) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter(this.queue.splice(0));
    }
  }

  receiveNotification(senderId: string, message: SampMessage): Promise<void> {
    this.noteIncoming(message);
    return this.enqueue('receiveNotification', [senderId, message]);
  }
  receiveCall(senderId: string, msgId: string, message: SampMessage): Promise<void> {
    this.noteIncoming(message);
    return this.enqueue('receiveCall', [senderId, msgId, message]);
  }
  receiveResponse(responderId: string, msgTag: string, response: SampResponse): Promise<void> {
    this.noteIncoming(response as SampMap);
    return this.enqueue('receiveResponse', [responderId, msgTag, response as SampMap]);
  }

  /** Waits up to `seconds` for callbacks; a second concurrent pull replaces the first (which gets []). */
  pull(seconds: number): Promise<Callback[]> {
    if (this.queue.length > 0 || this.closed || seconds <= 0) return Promise.resolve(this.queue.splice(0));
    this.waiter?.([]);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.waiter === done) this.waiter = undefined;
        resolve([]);
      }, seconds * 1000);
      // A poll left open by a departed client must not keep the process alive.
      timer.unref();
      const done = (callbacks: Callback[]): void => {
        clearTimeout(timer);
        resolve(callbacks);
      };
      this.waiter = done;
    });
  }

  /**
   * The client left. Queued callbacks go to a waiting poll; an idle poll is left to run out
   * its own timeout, as JSAMP does: answering it now would only make the client poll again
   * with a dead key and log an error (JSAMP's web client does).
   */
  close(): void {
    this.closed = true;
    this.flush();
  }
}

interface WebState {
  origin?: string;
  permittedUrls: Set<string>;
  callbacks?: PulledCallbacks;
}

function webState(client: HubClient): WebState {
  return client.extra as unknown as WebState;
}

/** The Web Profile HTTP server of a hub. */
export class WebProfileServer {
  private readonly servers: Server[] = [];
  private readonly options: WebProfileOptions;
  private readonly restriction: MessageRestriction | undefined;
  private readonly consent: WebConsentPolicy;
  /** URLs sent by web clients: never translated for anyone (unless delivered from elsewhere first). */
  private readonly blockedUrls = new Set<string>();
  /** Private keys of web clients that unregistered (most recent 1000). */
  private readonly departed = new Set<string>();
  private port = 0;

  constructor(
    private readonly service: HubService,
    options: WebProfileOptions = {},
  ) {
    this.options = options;
    const restrict = options.restrictMTypes ?? true;
    this.restriction = restrict === false ? undefined : createMTypeRestriction(restrict === true ? WEB_SAFE_MTYPES : restrict);
    this.consent = options.consent ?? refuseAllWebClients;
  }

  /** The base URL, `http://localhost:PORT/`. */
  get url(): string {
    return `http://localhost:${this.port}/`;
  }

  /** Binds the server(s); rejects when the port is taken (one Web Profile hub per machine). */
  async start(): Promise<void> {
    const hosts = this.options.hosts ?? ['127.0.0.1', '::1'];
    let port = this.options.port ?? WEB_PROFILE_PORT;
    for (const [i, host] of hosts.entries()) {
      const server = createServer((req, res) => void this.handle(req, res));
      server.keepAliveTimeout = 30_000;
      server.requestTimeout = 0;
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, host, () => resolve());
        });
      } catch (error) {
        // The first address is required; the others (::1) are best effort.
        if (i === 0) throw error;
        continue;
      }
      if (i === 0) port = (server.address() as { port: number }).port;
      this.servers.push(server);
    }
    this.port = port;
  }

  /** Closes the server(s) and every open connection, long polls included. */
  async stop(): Promise<void> {
    await Promise.all(
      this.servers.splice(0).map((server) => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      }),
    );
  }

  private originAllowed(origin: string): boolean {
    const allowed = this.options.allowedOrigins;
    if (typeof allowed === 'function') return allowed(origin);
    if (Array.isArray(allowed)) return allowed.includes(origin);
    return ORIGIN_RE.test(origin) && /^https?:/i.test(origin);
  }

  private allowsEveryOrigin(): boolean {
    return this.options.allowedOrigins === undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const remote = req.socket.remoteAddress ?? '';
    if (!(remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1' || remote.startsWith('127.'))) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Access to the SAMP Web Profile from non-local hosts is not permitted.\n');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!this.originAllowed(origin)) {
        res.writeHead(403, { 'Content-Type': 'text/plain' }).end(`Origin ${origin} is not allowed to use this SAMP hub.\n`);
        return;
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    const [path = '/', query] = splitOnce(req.url ?? '/', '?');
    if (req.method === 'OPTIONS') {
      const requested = req.headers['access-control-request-method'];
      res.setHeader('Access-Control-Allow-Methods', typeof requested === 'string' ? requested : 'POST, GET');
      res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'Content-Type');
      res.setHeader('Access-Control-Max-Age', '600');
      // Chrome's Private Network Access preflight for public pages calling localhost.
      if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
      res.writeHead(200, { 'Content-Length': 0 }).end();
      return;
    }
    if (path === '/crossdomain.xml' || path === '/clientaccesspolicy.xml') {
      this.servePolicy(path, req, res);
      return;
    }
    if (path.startsWith('/translator/')) {
      await this.translate(path.slice('/translator/'.length), query, req, res);
      return;
    }
    if (path !== '/') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain' }).end('SAMP Web Profile hub: POST XML-RPC here\n');
      return;
    }
    await serveXmlRpc(req, res, (method, params, request) => this.dispatch(method, params, request), {
      maxBodyBytes: this.options.maxRequestBytes ?? 16 * 1024 * 1024,
    });
  }

  private servePolicy(path: string, req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (!this.allowsEveryOrigin()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    const flash = path === '/crossdomain.xml';
    const body = flash
      ? '<?xml version="1.0"?>\n<!DOCTYPE cross-domain-policy SYSTEM "http://www.adobe.com/xml/dtds/cross-domain-policy.dtd">\n' +
        '<cross-domain-policy>\n  <site-control permitted-cross-domain-policies="all"/>\n  <allow-access-from domain="*"/>\n' +
        '  <allow-http-request-headers-from domain="*" headers="*"/>\n</cross-domain-policy>\n'
      : '<?xml version="1.0" encoding="utf-8"?>\n<access-policy>\n  <cross-domain-access>\n    <policy>\n' +
        '      <allow-from http-request-headers="*"><domain uri="*"/></allow-from>\n' +
        '      <grant-to><resource path="/" include-subpaths="true"/></grant-to>\n    </policy>\n  </cross-domain-access>\n</access-policy>\n';
    const bytes = Buffer.from(body, 'utf8');
    res.writeHead(200, { 'Content-Type': flash ? 'text/x-cross-domain-policy' : 'text/xml', 'Content-Length': bytes.length });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  private noteIncoming(client: HubClient, value: SampValue): void {
    const urls = new Set<string>();
    collectUrls(value, urls);
    const state = webState(client);
    for (const url of urls) if (!this.blockedUrls.has(url)) state.permittedUrls.add(url);
  }

  private noteOutgoing(client: HubClient, value: unknown): void {
    if (!isSampMap(value)) return;
    const urls = new Set<string>();
    collectUrls(value, urls);
    const state = webState(client);
    for (const url of urls) if (!state.permittedUrls.has(url)) this.blockedUrls.add(url);
  }

  private async dispatch(method: string, params: XmlRpcValue[], request: IncomingMessage): Promise<unknown> {
    if (!method.startsWith('samp.webhub.')) throw new SampProtocolError(`unknown method ${method}`);
    const name = method.slice('samp.webhub.'.length);
    const service = this.service;
    if (name === 'ping') return service.ping();
    if (name === 'register') return this.register(params[0], request);
    if (name === 'pullCallbacks' && typeof params[0] === 'string' && this.departed.has(params[0])) {
      // A poll racing its own client's unregister: let it run out quietly instead of faulting
      // (JSAMP's web client stops with a logged error on a fault).
      const seconds = Math.min(Math.max(Number(params[1]) || 0, 0), this.options.maxPullSeconds ?? 600);
      return new Promise((resolve) => setTimeout(() => resolve([]), seconds * 1000).unref());
    }
    const client = service.clientByKey(params[0], WEB_PROFILE);
    const [, a] = params;
    switch (name) {
      case 'unregister':
        this.departed.add(client.privateKey);
        // Remember only recent departures.
        if (this.departed.size > 1000) this.departed.delete(this.departed.values().next().value!);
        return service.unregister(client);
      case 'allowReverseCallbacks': {
        const state = webState(client);
        if (decodeSampBoolean(typeof a === 'string' ? a : String(a))) {
          if (!state.callbacks) {
            state.callbacks = new PulledCallbacks(this.options.maxQueuedCallbacks ?? 4096, (value) => this.noteIncoming(client, value));
            service.setCallable(client, state.callbacks);
          }
        } else if (state.callbacks) {
          service.setCallable(client, undefined);
          state.callbacks = undefined;
        }
        return '';
      }
      case 'pullCallbacks': {
        const callbacks = webState(client).callbacks;
        if (!callbacks) throw new SampProtocolError('client is not callable: call allowReverseCallbacks(key, "1") first');
        const seconds = Math.min(Math.max(Number(a) || 0, 0), this.options.maxPullSeconds ?? 600);
        return callbacks.pull(seconds);
      }
      default:
        return dispatchSharedHubMethod(service, client, method, name, params.slice(1), (message) => this.noteOutgoing(client, message));
    }
  }

  private async register(identity: XmlRpcValue | undefined, request: IncomingMessage): Promise<SampMap> {
    // SAMP 1.3 passes an identity-info map; WebSAMP drafts passed the name as a string.
    const info: SampMap = typeof identity === 'string' ? { 'samp.name': identity } : isSampMap(identity) ? (identity as SampMap) : {};
    const appName = info['samp.name'];
    if (typeof appName !== 'string' || appName === '') throw new SampProtocolError('identity-info map has no samp.name string');
    const origin = request.headers.origin;
    const accepted = await this.consent({ appName, identity: info, origin, remoteAddress: request.socket.remoteAddress });
    if (!accepted) throw new SampAuthError(`registration of ${JSON.stringify(appName)} refused`);
    const state: WebState = { origin, permittedUrls: new Set() };
    const client = this.service.register(WEB_PROFILE, { restriction: this.restriction, extra: state as unknown as Record<string, unknown> });
    return {
      'samp.private-key': client.privateKey,
      'samp.hub-id': this.service.hubClient.id,
      'samp.self-id': client.id,
      'samp.url-translator': `${this.url}translator/${encodeURIComponent(client.privateKey)}?`,
    };
  }

  private async translate(keyPart: string, query: string | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fail = (status: number, text: string): void => void res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`${text}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'method not allowed');
    let client: HubClient;
    try {
      client = this.service.clientByKey(decodeURIComponent(keyPart), WEB_PROFILE);
    } catch {
      return fail(403, 'unknown client key');
    }
    if (!query) return fail(404, 'no URL to translate');
    let target: URL;
    try {
      target = new URL(decodeURIComponent(query));
    } catch {
      return fail(400, 'not a URL');
    }
    if ((this.options.urlControl ?? true) && !webState(client).permittedUrls.has(target.href)) {
      return fail(403, 'this URL was not sent to this client: translation refused');
    }
    if (target.protocol === 'file:') {
      let path: string;
      try {
        path = fileURLToPath(target);
        const stat = await fs.stat(path);
        if (!stat.isFile()) return fail(404, 'not a file');
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': stat.size });
      } catch {
        return fail(404, 'no such file');
      }
      if (req.method === 'HEAD') return void res.end();
      createReadStream(path).on('error', () => res.destroy()).pipe(res);
      return;
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return fail(400, `cannot translate ${target.protocol} URLs`);
    const getter = target.protocol === 'https:' ? httpsGet : httpGet;
    const upstream = getter(target, { method: req.method }, (up) => {
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'content-length', 'content-encoding', 'last-modified']) {
        const value = up.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      res.writeHead(up.statusCode ?? 502, headers);
      up.pipe(res);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) fail(502, `fetch failed: ${error.message}`);
      else res.destroy();
    });
    res.on('close', () => upstream.destroy());
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}
