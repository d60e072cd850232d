/**
 * A runnable SAMP hub for Node: the Standard Profile (SAMP 1.3 §4: lockfile with secret,
 * `samp.hub.*` over XML-RPC on 127.0.0.1, callbacks to `samp.client.*`) and, optionally, the
 * Web Profile (§5, see `web-profile-hub.ts`). Shutdown is clean: clients get
 * `samp.hub.event.shutdown` and the lockfile is removed (if it is still ours).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HubRunningError, LockfileError, SampAuthError, SampProtocolError } from './errors.js';
import { dispatchSharedHubMethod, HubService, type CallbackSink, type HubClient, type HubServiceOptions } from './hub-service.js';
import { locateLockfile, parseSampHub, readLockfile, writeLockfile, type LockInfo } from './lockfile.js';
import type { SampMessage, SampResponse } from './message.js';
import { createNodeTransport, type NodeTransport } from './node-transport.js';
import { callXmlRpc, type XmlRpcTransport } from './xmlrpc-transport.js';
import { serveXmlRpc } from './xmlrpc-server.js';
import type { XmlRpcValue } from './xmlrpc.js';
import { WebProfileServer, type WebProfileOptions } from './web-profile-hub.js';

/** Options of {@link SampHub}. */
export interface SampHubOptions extends HubServiceOptions {
  /**
   * Lockfile to write: a path or a `std-lockurl:file://...` value. Default: `SAMP_HUB` from
   * `env` when it is a `std-lockurl:file:` URL (as JSAMP's hub does), else `~/.samp`.
   */
  lockfile?: string;
  /** Environment read for `SAMP_HUB`. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Standard Profile port. Default 0 (any free port). */
  port?: number;
  /** Address to bind. Default `127.0.0.1`. */
  host?: string;
  /** Registration secret. Default: 128 random bits. */
  secret?: string;
  /** Also run the Web Profile; `true` for defaults (port 21012, refuse every registration). */
  web?: boolean | WebProfileOptions;
  /** Largest XML-RPC request accepted, bytes. Default 64 MiB. */
  maxRequestBytes?: number;
  /** Overwrite a lockfile whose hub still answers. Default false: throw {@link HubRunningError}. */
  force?: boolean;
}

const STD_PROFILE = 'standard';

/** Delivers callbacks to a Standard Profile client's XML-RPC endpoint. */
class XmlRpcSink implements CallbackSink {
  constructor(
    private readonly transport: XmlRpcTransport,
    private readonly url: string,
    private readonly privateKey: string,
  ) {}
  private send(method: string, params: unknown[]): Promise<void> {
    return callXmlRpc(this.transport, this.url, `samp.client.${method}`, [this.privateKey, ...params]).then(() => undefined);
  }
  receiveNotification(senderId: string, message: SampMessage): Promise<void> {
    return this.send('receiveNotification', [senderId, message]);
  }
  receiveCall(senderId: string, msgId: string, message: SampMessage): Promise<void> {
    return this.send('receiveCall', [senderId, msgId, message]);
  }
  receiveResponse(responderId: string, msgTag: string, response: SampResponse): Promise<void> {
    return this.send('receiveResponse', [responderId, msgTag, response]);
  }
}

function resolveLockfilePath(options: SampHubOptions): string {
  const value = options.lockfile;
  if (value !== undefined) {
    if (!value.startsWith('std-lockurl:')) return value;
    const where = parseSampHub(value);
    if (where.kind !== 'file') throw new LockfileError('a hub can only write a local lockfile', value);
    return where.path;
  }
  const where = locateLockfile(options.env ?? process.env);
  if (where.kind !== 'file') throw new LockfileError('SAMP_HUB names an http lockfile: a hub can only write a local one', where.url);
  return where.path;
}

function secretsEqual(given: unknown, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A SAMP hub: `await SampHub.start(options)`, then `await hub.stop()`. */
export class SampHub {
  /** The routing core, shared with the Web Profile. */
  readonly service: HubService;
  private readonly options: SampHubOptions;
  private server: Server | undefined;
  private web: WebProfileServer | undefined;
  private node: NodeTransport;
  private lock: LockInfo | undefined;
  private lockPath: string | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(options: SampHubOptions) {
    this.options = options;
    this.service = new HubService(options);
    this.node = createNodeTransport();
  }

  /** Starts a hub: binds the Standard Profile server, writes the lockfile, starts the Web Profile if asked. */
  static async start(options: SampHubOptions = {}): Promise<SampHub> {
    const hub = new SampHub(options);
    try {
      await hub.startStandard();
      if (options.web) {
        hub.web = new WebProfileServer(hub.service, options.web === true ? {} : options.web);
        await hub.web.start();
      }
    } catch (error) {
      await hub.stop().catch(() => undefined);
      throw error;
    }
    return hub;
  }

  /** Path of the lockfile this hub wrote. */
  get lockfilePath(): string {
    return this.lockPath!;
  }

  /** `SAMP_HUB` value pointing at this hub's lockfile. */
  get sampHubValue(): string {
    return `std-lockurl:file://${this.lockPath}`;
  }

  /** The lockfile content (secret and XML-RPC URL). */
  get lockInfo(): LockInfo {
    return this.lock!;
  }

  /** Standard Profile XML-RPC URL. */
  get xmlrpcUrl(): string {
    return this.lock!['samp.hub.xmlrpc.url'];
  }

  /** The Web Profile server, when running. */
  get webProfile(): WebProfileServer | undefined {
    return this.web;
  }

  private async startStandard(): Promise<void> {
    const path = resolveLockfilePath(this.options);
    const existing = await readLockfile({ kind: 'file', path }).catch(() => undefined);
    if (existing && !this.options.force) {
      const alive = await callXmlRpc(this.node.transport, existing['samp.hub.xmlrpc.url'], 'samp.hub.ping', [], { timeoutMs: 2000 }).then(
        () => true,
        () => false,
      );
      if (alive) throw new HubRunningError(`a hub is already running with lockfile ${path} (${existing['samp.hub.xmlrpc.url']})`);
    }
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'POST' || (path !== '/xmlrpc' && path !== '/')) {
        res.writeHead(req.method === 'POST' ? 404 : 405, { 'Content-Type': 'text/plain', Allow: 'POST' }).end('SAMP hub: POST XML-RPC to /xmlrpc\n');
        return;
      }
      void serveXmlRpc(req, res, (method, params) => this.dispatch(method, params), { maxBodyBytes: this.options.maxRequestBytes });
    });
    server.keepAliveTimeout = 30_000;
    // callAndWait may hold a request for hours; Node's default request timeout (5 min) would cut it.
    server.requestTimeout = 0;
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, host, () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.lock = {
      'samp.secret': this.options.secret ?? randomBytes(16).toString('hex'),
      'samp.hub.xmlrpc.url': `http://${host.includes(':') ? `[${host}]` : host}:${port}/xmlrpc`,
      'samp.profile.version': '1.3',
      'hub.impl': '@vokit/samp',
      'hub.start.date': new Date().toISOString(),
    };
    await writeLockfile(path, this.lock, `SAMP Standard Profile lockfile written by @vokit/samp hub (pid ${process.pid})`);
    this.lockPath = path;
  }

  private async dispatch(method: string, params: XmlRpcValue[]): Promise<unknown> {
    if (!method.startsWith('samp.hub.')) throw new SampProtocolError(`unknown method ${method}`);
    const name = method.slice('samp.hub.'.length);
    const service = this.service;
    if (name === 'ping') return service.ping();
    if (name === 'register') {
      if (!secretsEqual(params[0], this.lock!['samp.secret'])) throw new SampAuthError('wrong samp.secret');
      const client = service.register(STD_PROFILE);
      return { 'samp.private-key': client.privateKey, 'samp.hub-id': service.hubClient.id, 'samp.self-id': client.id };
    }
    const client: HubClient = service.clientByKey(params[0], STD_PROFILE);
    const [, a] = params;
    switch (name) {
      case 'unregister':
        return service.unregister(client);
      case 'setXmlrpcCallback': {
        if (typeof a !== 'string' || !/^http:\/\//.test(a)) throw new SampProtocolError('callback URL must be an http: URL');
        return service.setCallable(client, new XmlRpcSink(this.node.transport, a, client.privateKey));
      }
      default:
        return dispatchSharedHubMethod(service, client, method, name, params.slice(1));
    }
  }

  /**
   * Stops the hub: `samp.hub.event.shutdown` to every client, lockfile removed (only if it
   * still holds this hub's secret), servers closed. Safe to call twice.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.service.shutdown();
      if (this.lockPath && this.lock) {
        const current = await readLockfile({ kind: 'file', path: this.lockPath }).catch(() => undefined);
        if (current?.['samp.secret'] === this.lock['samp.secret']) await fs.rm(this.lockPath, { force: true });
      }
      await this.web?.stop();
      const server = this.server;
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      this.node.close();
    })();
    return this.stopping;
  }
}
