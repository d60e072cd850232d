/**
 * The SAMP Standard Profile client for Node (SAMP 1.3 §4): hub discovery through `SAMP_HUB` or
 * `~/.samp`, XML-RPC calls to `samp.hub.*`, and a callback server on 127.0.0.1 that receives
 * `samp.client.receiveNotification/receiveCall/receiveResponse` and serves in-memory resources
 * (tables sent with {@link SampClient.sendTable}).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SampClientBase, type SampClientBaseOptions } from './client-base.js';
import { NoHubError, SampAuthError, SampOptionsError, SampProtocolError } from './errors.js';
import { locateLockfile, parseSampHub, readLockfile, type LockInfo, type LockfileLocation } from './lockfile.js';
import { isSampMap, type SampRegInfo, type SampResponse } from './message.js';
import { loadTableMessage, type LoadTableParams } from './mtypes.js';
import { createNodeTransport, type NodeTransport } from './node-transport.js';
import { ResourceRegistry, type ServedResource, type ServeOptions } from './resource-server.js';
import { callXmlRpc } from './xmlrpc-transport.js';
import { serveXmlRpc } from './xmlrpc-server.js';
import type { XmlRpcValue } from './xmlrpc.js';
import type { Table, VOTableDocument, WriteOptions } from '@vokit/votable';

/** Options of {@link SampClient}. */
export interface SampClientOptions extends SampClientBaseOptions {
  /**
   * Which hub: a `SAMP_HUB`-style value (`std-lockurl:file:///tmp/x/samp`), a lockfile path, or
   * the lockfile's content. Default: `SAMP_HUB` from `env`, else `~/.samp` (§4.3).
   */
  hub?: string | LockInfo;
  /** Environment read for `SAMP_HUB`. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Address the callback server binds to. Default `127.0.0.1` (loopback only). */
  callbackHost?: string;
  /** Limit on each call to the hub, in milliseconds; `callAndWait` adds its own timeout. Default none. */
  requestTimeoutMs?: number;
}

/** Options of {@link SampClient.sendTable}. */
export interface SendTableOptions {
  /** Recipient client id; omit to send to every subscribed client. */
  to?: string;
  /** `table-id` parameter. Default: a fresh id. */
  tableId?: string;
  /** `name` parameter (shown by receivers). Default `table`. */
  name?: string;
  /** MType. Default `table.load.votable`. */
  mtype?: string;
  /** Content-Type of the served bytes. Default `application/x-votable+xml`. */
  contentType?: string;
  /** Use `callAndWait` with this timeout (seconds) instead of `notify`. Default: notify. */
  waitSeconds?: number;
  /** How a @vokit/votable table or document is written (serialization, version). Default TABLEDATA. */
  writeOptions?: WriteOptions;
}

/** What {@link SampClient.sendTable} accepts: VOTable bytes or text, or a @vokit/votable table or document. */
export type SendableTable = Uint8Array | string | VOTableDocument | Table;

function isVOTableDocument(value: object): value is VOTableDocument {
  return Array.isArray((value as VOTableDocument).resources);
}

/** Serializes a @vokit/votable table or document; the writer is loaded only when needed. */
async function tableBytes(table: SendableTable, options: WriteOptions | undefined): Promise<Uint8Array | string> {
  if (typeof table === 'string' || table instanceof Uint8Array) return table;
  const votable = await import('@vokit/votable');
  const doc = isVOTableDocument(table) ? table : votable.documentFromTables([table]);
  return votable.writeVOTableBytes(doc, options);
}

/** What {@link SampClient.sendTable} did. */
export interface SendTableResult {
  /** The URL the table is served at (until `unregister` or `resource.remove()`). */
  url: string;
  /** The table-id sent. */
  tableId: string;
  /** Recipients notified (notify mode). */
  recipients: string[];
  /** The response (callAndWait mode). */
  response?: SampResponse;
  /** The served resource. */
  resource: ServedResource;
}

const CLIENT_METHODS = new Set(['receiveNotification', 'receiveCall', 'receiveResponse']);

function resolveHub(hub: string | LockInfo | undefined, env: Record<string, string | undefined>): LockInfo | LockfileLocation {
  if (hub === undefined) return locateLockfile(env);
  if (typeof hub !== 'string') return hub;
  if (hub.startsWith('std-lockurl:')) return parseSampHub(hub);
  if (hub.includes(':') && !hub.startsWith('/')) throw new SampOptionsError(`hub ${JSON.stringify(hub)}: use a std-lockurl: value or a lockfile path`);
  return { kind: 'file', path: hub };
}

/** A SAMP Standard Profile client (Node): register, send, and receive through callbacks. */
export class SampClient extends SampClientBase {
  private readonly options: SampClientOptions;
  private lock: LockInfo | undefined;
  private node: NodeTransport | undefined;
  private server: Server | undefined;
  private callbackUrl: string | undefined;
  private callableDeclared = false;
  private readonly resources = new ResourceRegistry();

  constructor(options: SampClientOptions = {}) {
    super(options);
    this.options = options;
  }

  /**
   * True if a Standard Profile hub answers `samp.hub.ping` at the lockfile that `options`
   * (`hub`, `env`) designate; never registers.
   */
  static async isHubRunning(options: Pick<SampClientOptions, 'hub' | 'env'> = {}): Promise<boolean> {
    try {
      const where = resolveHub(options.hub, options.env ?? process.env);
      const lock = 'samp.secret' in where ? (where as LockInfo) : await readLockfile(where as LockfileLocation);
      if (lock === undefined) return false;
      const node = createNodeTransport();
      try {
        await callXmlRpc(node.transport, lock['samp.hub.xmlrpc.url'], 'samp.hub.ping', [], { timeoutMs: 3000 });
        return true;
      } finally {
        node.close();
      }
    } catch {
      return false;
    }
  }

  /** The lockfile content of the hub this client registered with. */
  get lockInfo(): LockInfo | undefined {
    return this.lock;
  }

  /** The XML-RPC URL of this client's callback server, once callable. */
  get xmlrpcCallbackUrl(): string | undefined {
    return this.callbackUrl;
  }

  /**
   * Finds the hub and registers (`samp.hub.register` with the lockfile's secret), then declares
   * the metadata and the subscriptions of bound handlers. Throws {@link NoHubError} when there is
   * no lockfile or the hub does not answer.
   */
  async register(): Promise<this> {
    if (this.regInfo !== undefined) return this;
    const where = resolveHub(this.options.hub, this.options.env ?? process.env);
    const lock = 'samp.secret' in where ? (where as LockInfo) : await readLockfile(where as LockfileLocation);
    if (lock === undefined) {
      const location = where as LockfileLocation;
      throw new NoHubError(`no hub is running: no lockfile at ${location.kind === 'file' ? location.path : location.url}`);
    }
    this.lock = lock;
    this.node ??= createNodeTransport();
    let result: XmlRpcValue;
    try {
      result = await callXmlRpc(this.node.transport, lock['samp.hub.xmlrpc.url'], 'samp.hub.register', [lock['samp.secret']], {
        timeoutMs: this.options.requestTimeoutMs ?? 10_000,
      });
    } catch (cause) {
      if ((cause as { code?: string }).code === 'SAMP_XMLRPC_FAULT') throw new SampAuthError(`hub refused registration: ${(cause as Error).message}`, { cause });
      throw new NoHubError(`hub at ${lock['samp.hub.xmlrpc.url']} does not answer`, { cause });
    }
    if (!isSampMap(result) || typeof result['samp.private-key'] !== 'string' || typeof result['samp.self-id'] !== 'string') {
      throw new SampProtocolError('samp.hub.register returned no samp.private-key / samp.self-id');
    }
    this.regInfo = result as SampRegInfo;
    this.callableDeclared = false;
    try {
      await this.afterRegister();
    } catch (error) {
      await this.unregister().catch(() => undefined);
      throw error;
    }
    return this;
  }

  protected override async hubCall(name: string, args: unknown[], options: { timeoutMs?: number } = {}): Promise<XmlRpcValue> {
    const reg = this.requireRegistered();
    const params = name === 'ping' ? [] : [reg['samp.private-key'], ...args];
    return callXmlRpc(this.node!.transport, this.lock!['samp.hub.xmlrpc.url'], `samp.hub.${name}`, params, {
      timeoutMs: options.timeoutMs ?? (name === 'callAndWait' ? undefined : this.options.requestTimeoutMs),
    });
  }

  private async ensureServer(): Promise<string> {
    if (this.server && this.callbackUrl) return this.callbackUrl.replace(/\/xmlrpc$/, '');
    const server = createServer((req, res) => this.serve(req, res));
    server.keepAliveTimeout = 30_000;
    const host = this.options.callbackHost ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    server.unref();
    this.server = server;
    const { port } = server.address() as AddressInfo;
    const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.callbackUrl = `${base}/xmlrpc`;
    return base;
  }

  protected override async makeCallable(): Promise<void> {
    if (this.callableDeclared) return;
    await this.ensureServer();
    await this.hubCall('setXmlrpcCallback', [this.callbackUrl]);
    this.callableDeclared = true;
  }

  protected override async release(): Promise<void> {
    this.callableDeclared = false;
    this.resources.clear();
    const server = this.server;
    this.server = undefined;
    this.callbackUrl = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.node?.close();
    this.node = undefined;
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    if (this.resources.handle(req, res)) return;
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== '/xmlrpc') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    void serveXmlRpc(req, res, (method, params) => this.dispatch(method, params));
  }

  private async dispatch(method: string, params: XmlRpcValue[]): Promise<unknown> {
    const name = method.startsWith('samp.client.') ? method.slice('samp.client.'.length) : '';
    if (!CLIENT_METHODS.has(name)) throw new SampProtocolError(`unknown method ${method}`);
    const reg = this.regInfo;
    if (reg === undefined || params[0] !== reg['samp.private-key']) throw new SampAuthError(`${method}: wrong private key`);
    const [, a, b, c] = params;
    if (name === 'receiveNotification') {
      // Handlers run after the callback returns: a hub may be waiting on it.
      void this.receiveNotification(String(a), b).catch((error) => this.reportError(error));
    } else if (name === 'receiveCall') {
      this.receiveCall(String(a), String(b), c);
    } else {
      void this.receiveResponse(String(a), String(b), c).catch((error) => this.reportError(error));
    }
    return '';
  }

  /**
   * Serves `bytes` from this client's HTTP server on 127.0.0.1 and returns the URL, valid until
   * `unregister` or `remove()`. Use it to send data that exists only in memory.
   */
  async serveResource(bytes: Uint8Array | string, options: ServeOptions = {}): Promise<ServedResource> {
    const base = await this.ensureServer();
    return this.resources.add(base, bytes, options);
  }

  /**
   * Sends an in-memory table as `table.load.votable`: VOTable bytes or text, or a @vokit/votable
   * `Table` or `VOTableDocument` (written with `writeVOTableBytes`). Serves it from a local URL,
   * then notifies (or, with `waitSeconds`, calls and waits for) the recipient or every
   * subscribed client.
   */
  async sendTable(table: SendableTable, options: SendTableOptions = {}): Promise<SendTableResult> {
    this.requireRegistered();
    const bytes = await tableBytes(table, options.writeOptions);
    const name = options.name ?? (typeof table === 'object' && !(table instanceof Uint8Array) && !isVOTableDocument(table) ? table.name : undefined) ?? 'table';
    const tableId = options.tableId ?? `vokit-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const resource = await this.serveResource(bytes, {
      name: /\.[a-z0-9]+$/i.test(name) ? name : `${name}.vot`,
      contentType: options.contentType ?? 'application/x-votable+xml',
    });
    const params: LoadTableParams = { url: resource.url, 'table-id': tableId, name };
    const message = loadTableMessage(params, options.mtype);
    const result: SendTableResult = { url: resource.url, tableId, recipients: [], resource };
    if (options.waitSeconds !== undefined) {
      if (options.to === undefined) throw new SampOptionsError('sendTable with waitSeconds needs a recipient: set `to`');
      result.response = await this.callAndWait(options.to, message, options.waitSeconds);
      result.recipients = [options.to];
    } else if (options.to !== undefined) {
      await this.notify(options.to, message);
      result.recipients = [options.to];
    } else {
      result.recipients = await this.notifyAll(message);
    }
    return result;
  }
}
