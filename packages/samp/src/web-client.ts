/**
 * The SAMP Web Profile client (SAMP 1.3 §5), for browsers and anything with `fetch`:
 * `samp.webhub.*` over XML-RPC at `http://localhost:21012/`, callbacks fetched by
 * long-polling `pullCallbacks`, and URL translation for resources the hub serves.
 */
import { SampClientBase, type SampClientBaseOptions } from './client-base.js';
import { NoHubError, SampAuthError, SampHttpError, SampProtocolError } from './errors.js';
import { isSampMap, type SampMap, type SampRegInfo } from './message.js';
import { callXmlRpc, createFetchTransport, type XmlRpcTransport } from './xmlrpc-transport.js';
import type { XmlRpcValue } from './xmlrpc.js';

/** The Web Profile hub URL fixed by SAMP 1.3 §5.2. */
export const WEB_PROFILE_URL = 'http://localhost:21012/';

/** Options of {@link SampWebClient}. */
export interface SampWebClientOptions extends SampClientBaseOptions {
  /** Name sent in the identity-info map at registration (`samp.name`, shown to the user). Required. */
  appName: string;
  /** Extra identity-info entries. Default none. */
  identity?: SampMap;
  /** Hub URL. Default {@link WEB_PROFILE_URL}. */
  hubUrl?: string;
  /** `fetch` to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Seconds each `pullCallbacks` long poll may wait at the hub. Default 10. */
  pullSeconds?: number;
  /** Pause after a failed poll before the next, in milliseconds. Default 1000. */
  retryDelayMs?: number;
}

/** A SAMP Web Profile client. */
export class SampWebClient extends SampClientBase {
  private readonly options: SampWebClientOptions;
  private readonly transport: XmlRpcTransport;
  private polling: AbortController | undefined;
  private pollLoop: Promise<void> | undefined;

  constructor(options: SampWebClientOptions) {
    super(options);
    this.options = options;
    this.transport = createFetchTransport(options.fetch ?? globalThis.fetch.bind(globalThis));
  }

  private get hubUrl(): string {
    return this.options.hubUrl ?? WEB_PROFILE_URL;
  }

  /** The hub's URL-translator prefix (§5.3.4), once registered. */
  get urlTranslator(): string | undefined {
    return this.regInfo?.['samp.url-translator'];
  }

  /**
   * Translates a URL received in a message into one this page may fetch through the hub
   * (§5.3.4). Returns `url` unchanged when the hub offers no translator.
   */
  translateUrl(url: string): string {
    const prefix = this.urlTranslator;
    return prefix ? `${prefix}${encodeURIComponent(url)}` : url;
  }

  /** True if a Web Profile hub answers `samp.webhub.ping`. */
  async isHubRunning(): Promise<boolean> {
    try {
      await callXmlRpc(this.transport, this.hubUrl, 'samp.webhub.ping', [], { timeoutMs: 3000 });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Registers with the hub (the hub may ask its user first, so this can take a while), then
   * declares metadata and the subscriptions of bound handlers and starts polling for callbacks.
   */
  async register(): Promise<this> {
    if (this.regInfo !== undefined) return this;
    const identity: SampMap = { ...this.options.identity, 'samp.name': this.options.appName };
    let result: XmlRpcValue;
    try {
      result = await callXmlRpc(this.transport, this.hubUrl, 'samp.webhub.register', [identity]);
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      // A fault is the hub saying no (consent); HTTP 403 is the hub refusing this origin.
      if (code === 'SAMP_XMLRPC_FAULT' || (cause instanceof SampHttpError && cause.status === 403)) {
        throw new SampAuthError(`hub refused registration: ${(cause as Error).message}`, { cause });
      }
      throw new NoHubError(`no Web Profile hub answers at ${this.hubUrl}`, { cause });
    }
    if (!isSampMap(result) || typeof result['samp.private-key'] !== 'string') {
      throw new SampProtocolError('samp.webhub.register returned no samp.private-key');
    }
    this.regInfo = result as SampRegInfo;
    try {
      await this.afterRegister();
    } catch (error) {
      await this.unregister().catch(() => undefined);
      throw error;
    }
    return this;
  }

  protected override hubCall(name: string, args: unknown[], options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<XmlRpcValue> {
    const reg = this.requireRegistered();
    const params = name === 'ping' ? [] : [reg['samp.private-key'], ...args];
    return callXmlRpc(this.transport, this.hubUrl, `samp.webhub.${name}`, params, options);
  }

  protected override async makeCallable(): Promise<void> {
    if (this.polling) return;
    await this.hubCall('allowReverseCallbacks', ['1']);
    const controller = new AbortController();
    this.polling = controller;
    this.pollLoop = this.poll(controller.signal);
  }

  private async poll(signal: AbortSignal): Promise<void> {
    const seconds = this.options.pullSeconds ?? 10;
    let unreachable = 0;
    while (!signal.aborted && this.regInfo !== undefined) {
      const started = Date.now();
      let callbacks: XmlRpcValue;
      try {
        callbacks = await this.hubCall('pullCallbacks', [String(seconds)], { signal, timeoutMs: (seconds + 30) * 1000 });
      } catch (error) {
        if (signal.aborted) return;
        const code = (error as { code?: string }).code;
        if (code === 'SAMP_XMLRPC_FAULT' && /private key|not callable/i.test((error as Error).message)) {
          this.lost({ kind: 'disconnect', reason: (error as Error).message });
          return;
        }
        // Connection refused three times in a row: the hub is gone (it died without telling us).
        if (error instanceof SampHttpError && error.status === undefined && ++unreachable >= 3) {
          this.lost({ kind: 'disconnect', reason: `hub unreachable: ${error.message}` });
          return;
        }
        this.reportError(error);
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 1000));
        continue;
      }
      unreachable = 0;
      if (!Array.isArray(callbacks)) continue;
      for (const callback of callbacks) this.dispatch(callback);
      // A hub that ignores the timeout (astropy 5.2 returns at once) must not make us spin.
      if (callbacks.length === 0 && Date.now() - started < 100) await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private dispatch(callback: XmlRpcValue): void {
    if (!isSampMap(callback)) return;
    const method = String(callback['samp.methodName'] ?? '').replace(/^samp\.webclient\./, '');
    const params = callback['samp.params'];
    if (!Array.isArray(params)) return;
    const [a, b, c] = params;
    if (method === 'receiveNotification') {
      this.receiveNotification(String(a), b).catch((error) => this.reportError(error));
    } else if (method === 'receiveCall') {
      try {
        this.receiveCall(String(a), String(b), c);
      } catch (error) {
        this.reportError(error);
      }
    } else if (method === 'receiveResponse') {
      this.receiveResponse(String(a), String(b), c).catch((error) => this.reportError(error));
    }
  }

  protected override async release(): Promise<void> {
    this.polling?.abort();
    this.polling = undefined;
    await this.pollLoop?.catch(() => undefined);
    this.pollLoop = undefined;
  }
}
