/**
 * What every SAMP client does, whatever the profile (SAMP 1.3 §3.11 hub and client APIs): the
 * hub methods with typed arguments and results, message handlers bound by MType (pyvo/astropy
 * `bind_receive_*` names in camelCase), automatic replies to calls, and the built-in
 * `samp.app.ping` and hub-event handling. The Standard Profile client (Node) and the Web
 * Profile client (browsers) extend it; this file has no Node dependency.
 */
import { NotRegisteredError, SampProtocolError, SampResponseError, SampTimeoutError } from './errors.js';
import {
  createMessage,
  errorResponse,
  mtypeMatches,
  isSampMap,
  okResponse,
  toSampMessage,
  toSampResponse,
  toSampValue,
  type SampMap,
  type SampMessage,
  type SampMetadata,
  type SampRegInfo,
  type SampResponse,
  type SampSubscriptions,
  type SampValue,
} from './message.js';
import type { XmlRpcValue } from './xmlrpc.js';

/** A message received by notification. */
export interface ReceivedNotification {
  /** Public id of the sender (the hub's id for `samp.hub.event.*`). */
  senderId: string;
  /** The message's MType. */
  mtype: string;
  /** The message's `samp.params`. */
  params: SampMap;
  /** The whole message, extra keys included. */
  message: SampMessage;
}

/** A message received by call: a reply is expected. */
export interface ReceivedCall extends ReceivedNotification {
  /** Hub-assigned message id to pass to {@link SampClientBase.reply}. */
  msgId: string;
}

/** A response to one of this client's asynchronous calls. */
export interface ReceivedResponse {
  /** Public id of the client that answered. */
  responderId: string;
  /** The tag this client gave to `call`/`callAll`. */
  msgTag: string;
  /** The response. */
  response: SampResponse;
}

/**
 * What a call handler returns: a `samp.result` map (sent as `samp.ok`), a full
 * {@link SampResponse}, or `undefined` (`samp.ok` with an empty result). Throwing sends
 * `samp.error` with the error's message. Return {@link NO_REPLY} to reply later yourself.
 */
export type CallResult = SampMap | SampResponse | undefined | typeof NO_REPLY;

/** Returned by a call handler that will call {@link SampClientBase.reply} itself later. */
export const NO_REPLY: unique symbol = Symbol('samp.no-reply');

/** Handles notifications of one MType (or wildcard). */
export type NotificationHandler = (message: ReceivedNotification) => void | Promise<void>;
/** Handles calls of one MType (or wildcard) and produces the reply. */
export type CallHandler = (message: ReceivedCall) => CallResult | Promise<CallResult>;
/** Handles both: `msgId` is set for calls, and the result is the reply. */
export type MessageHandler = (message: ReceivedNotification & { msgId?: string }) => CallResult | Promise<CallResult>;
/** Handles responses carrying one message tag. */
export type ResponseHandler = (response: ReceivedResponse) => void | Promise<void>;

/** Options of the `bindReceive*` methods (pyvo/astropy: `declare`, `metadata`). */
export interface BindOptions {
  /** Declare the new subscriptions to the hub right away when registered. Default true. */
  declare?: boolean;
  /** Annotation map for this subscription (e.g. `{"samp.mostly-harmless": "1"}`). Default `{}`. */
  annotation?: SampMap;
}

/** Why a client stopped being registered. */
export interface DisconnectInfo {
  /** `unregister` (we asked), `shutdown` (`samp.hub.event.shutdown`), `disconnect` (`samp.hub.disconnect`). */
  kind: 'unregister' | 'shutdown' | 'disconnect';
  /** The hub's reason, for `samp.hub.disconnect`. */
  reason?: string;
}

/** Options every client takes. */
export interface SampClientBaseOptions {
  /** Metadata declared right after registration (`samp.name` etc.). Default none. */
  metadata?: SampMetadata;
  /**
   * Reply `samp.ok` to `samp.app.ping` calls and handle `samp.hub.event.shutdown` /
   * `samp.hub.disconnect`. Default true.
   */
  builtinHandlers?: boolean;
  /** Called once when the registration ends, for whatever reason. */
  onDisconnect?: (info: DisconnectInfo) => void;
  /** Called with errors of message handlers and callback delivery that have no caller to go to. */
  onError?: (error: unknown) => void;
}

interface Binding {
  notification?: NotificationHandler;
  call?: CallHandler;
  annotation: SampMap;
}

function asStringList(value: XmlRpcValue, what: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new SampProtocolError(`hub returned a non-list for ${what}`);
  return value as string[];
}

function asMap(value: XmlRpcValue, what: string): SampMap {
  // Some hubs send "" for an empty map.
  if (value === '') return {};
  if (!isSampMap(value)) throw new SampProtocolError(`hub returned a non-map for ${what}`);
  return toSampValue(value) as SampMap;
}

/** The profile-independent part of a SAMP client; see `SampClient` and `SampWebClient`. */
export abstract class SampClientBase {
  /** Registration info while registered. */
  protected regInfo: SampRegInfo | undefined;
  private readonly bindings = new Map<string, Binding>();
  private readonly responseHandlers = new Map<string, ResponseHandler>();
  private readonly waiters = new Map<string, (response: ReceivedResponse) => void>();
  private tagCounter = 0;
  private metadataToDeclare: SampMetadata | undefined;
  protected readonly baseOptions: SampClientBaseOptions;

  constructor(options: SampClientBaseOptions = {}) {
    this.baseOptions = options;
    this.metadataToDeclare = options.metadata;
    if (options.builtinHandlers !== false) {
      this.bindings.set('samp.app.ping', { call: () => okResponse(), annotation: {} });
      this.bindings.set('samp.hub.event.shutdown', { notification: () => this.lost({ kind: 'shutdown' }), annotation: {} });
      this.bindings.set('samp.hub.disconnect', {
        notification: (m) => this.lost({ kind: 'disconnect', reason: typeof m.params.reason === 'string' ? m.params.reason : undefined }),
        annotation: {},
      });
    }
  }

  /** Calls hub method `name` (without the `samp.hub.`/`samp.webhub.` prefix) with the private key prepended. */
  protected abstract hubCall(name: string, args: unknown[], options?: { timeoutMs?: number }): Promise<XmlRpcValue>;
  /** Makes this client callable (callback URL or reverse callbacks); called before subscriptions are declared. */
  protected abstract makeCallable(): Promise<void>;
  /** Releases profile resources after the registration ended. */
  protected abstract release(): Promise<void>;

  /** True while registered with a hub. */
  get isRegistered(): boolean {
    return this.regInfo !== undefined;
  }
  /** This client's public id (`samp.self-id`); throws when not registered. */
  get selfId(): string {
    return this.requireRegistered()['samp.self-id'];
  }
  /** The hub's public id (`samp.hub-id`); throws when not registered. */
  get hubId(): string {
    return this.requireRegistered()['samp.hub-id'];
  }
  /** This client's private key; throws when not registered. */
  get privateKey(): string {
    return this.requireRegistered()['samp.private-key'];
  }
  /** Registration info as returned by the hub; throws when not registered. */
  get registration(): Readonly<SampRegInfo> {
    return this.requireRegistered();
  }

  protected requireRegistered(): SampRegInfo {
    if (this.regInfo === undefined) throw new NotRegisteredError('not registered with a hub: call register() first');
    return this.regInfo;
  }

  /** Runs after `register`: metadata, callable, subscriptions. */
  protected async afterRegister(): Promise<void> {
    if (this.metadataToDeclare !== undefined) await this.declareMetadata(this.metadataToDeclare);
    if (this.bindings.size > 0) {
      await this.makeCallable();
      await this.declareSubscriptions();
    }
  }

  /** The registration ended without `unregister`: clean up and tell `onDisconnect`. */
  protected lost(info: DisconnectInfo): void {
    if (this.regInfo === undefined) return;
    this.regInfo = undefined;
    this.failWaiters(info);
    this.release().catch((error) => this.reportError(error));
    this.baseOptions.onDisconnect?.(info);
  }

  private failWaiters(info: DisconnectInfo): void {
    for (const [tag, waiter] of this.waiters) {
      waiter({ responderId: '', msgTag: tag, response: errorResponse(`registration ended (${info.kind})`) });
    }
    this.waiters.clear();
  }

  protected reportError(error: unknown): void {
    if (this.baseOptions.onError) this.baseOptions.onError(error);
  }

  /** Unregisters from the hub (§3.11 `unregister`) and releases the callback resources. */
  async unregister(): Promise<void> {
    if (this.regInfo === undefined) return;
    try {
      await this.hubCall('unregister', []);
    } finally {
      this.regInfo = undefined;
      this.failWaiters({ kind: 'unregister' });
      await this.release();
      this.baseOptions.onDisconnect?.({ kind: 'unregister' });
    }
  }

  /** Pings the hub (`samp.hub.ping`); rejects when it does not answer. */
  async ping(): Promise<void> {
    await this.hubCall('ping', []);
  }

  /** Declares this client's metadata (§3.5), replacing what was declared before. */
  async declareMetadata(metadata: SampMetadata): Promise<void> {
    this.metadataToDeclare = metadata;
    if (this.regInfo === undefined) return;
    const clean: SampMap = {};
    for (const [key, value] of Object.entries(metadata)) if (value !== undefined) clean[key] = value;
    await this.hubCall('declareMetadata', [clean]);
  }

  /**
   * Declares subscriptions (§3.6). Without an argument, declares the MTypes of the bound
   * handlers (what the `bindReceive*` methods do for you).
   */
  async declareSubscriptions(subscriptions?: SampSubscriptions): Promise<void> {
    this.requireRegistered();
    const subs: SampSubscriptions = subscriptions ?? this.boundSubscriptions();
    await this.makeCallable();
    await this.hubCall('declareSubscriptions', [subs]);
  }

  /** The subscriptions that the bound handlers imply. */
  boundSubscriptions(): SampSubscriptions {
    const subs: SampSubscriptions = {};
    for (const [mtype, binding] of this.bindings) subs[mtype] = binding.annotation;
    return subs;
  }

  /** Public ids of the other registered clients, hub included, self excluded (§3.11). */
  async getRegisteredClients(): Promise<string[]> {
    return asStringList(await this.hubCall('getRegisteredClients', []), 'getRegisteredClients');
  }

  /** Clients subscribed to `mtype`, each with its subscription annotation map (§3.11). */
  async getSubscribedClients(mtype: string): Promise<Record<string, SampMap>> {
    const map = asMap(await this.hubCall('getSubscribedClients', [mtype]), 'getSubscribedClients');
    return map as Record<string, SampMap>;
  }

  /** Metadata declared by client `clientId` (§3.11). */
  async getMetadata(clientId: string): Promise<SampMetadata> {
    return asMap(await this.hubCall('getMetadata', [clientId]), 'getMetadata') as SampMetadata;
  }

  /** Subscriptions declared by client `clientId` (§3.11). */
  async getSubscriptions(clientId: string): Promise<SampSubscriptions> {
    return asMap(await this.hubCall('getSubscriptions', [clientId]), 'getSubscriptions') as SampSubscriptions;
  }

  /** Sends `message` to `recipientId` expecting no reply (§3.11 `notify`). */
  async notify(recipientId: string, message: SampMessage): Promise<void> {
    await this.hubCall('notify', [recipientId, message]);
  }

  /** Sends `message` to every subscribed client; resolves to their ids (§3.11 `notifyAll`). */
  async notifyAll(message: SampMessage): Promise<string[]> {
    return asStringList(await this.hubCall('notifyAll', [message]), 'notifyAll');
  }

  /** Sends `message` to `recipientId`; the response arrives later tagged `msgTag`. Resolves to the message id. */
  async call(recipientId: string, msgTag: string, message: SampMessage): Promise<string> {
    const id = await this.hubCall('call', [recipientId, msgTag, message]);
    if (typeof id !== 'string') throw new SampProtocolError('hub returned a non-string message id for call');
    return id;
  }

  /** Sends `message` to every subscribed client; resolves to a map from recipient id to message id. */
  async callAll(msgTag: string, message: SampMessage): Promise<Record<string, string>> {
    return asMap(await this.hubCall('callAll', [msgTag, message]), 'callAll') as Record<string, string>;
  }

  /**
   * Sends `message` to `recipientId` and waits for the response through the hub
   * (§3.11 `callAndWait`). `timeoutSeconds` 0 (the default) waits as long as the hub lets it.
   */
  async callAndWait(recipientId: string, message: SampMessage, timeoutSeconds = 0): Promise<SampResponse> {
    const response = await this.hubCall('callAndWait', [recipientId, message, String(Math.max(0, Math.floor(timeoutSeconds)))]);
    return toSampResponse(toSampValue(response), 'callAndWait response');
  }

  /**
   * Like {@link callAndWait}, but waits on the client side: a `call` with a private tag whose
   * response is awaited here, so no hub thread is held. `timeoutMs` 0 waits forever.
   */
  async callAndWaitAsync(recipientId: string, message: SampMessage, timeoutMs = 0): Promise<SampResponse> {
    const tag = `vokit-wait-${++this.tagCounter}`;
    const received = new Promise<ReceivedResponse>((resolve) => this.waiters.set(tag, resolve));
    try {
      await this.call(recipientId, tag, message);
    } catch (error) {
      this.waiters.delete(tag);
      throw error;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout =
      timeoutMs > 0
        ? new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              this.waiters.delete(tag);
              reject(new SampTimeoutError(`no response from ${recipientId} to ${message['samp.mtype']}`, timeoutMs));
            }, timeoutMs);
          })
        : undefined;
    try {
      const result = await (timeout ? Promise.race([received, timeout]) : received);
      return result.response;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Replies to a call received earlier (§3.11 `reply`). */
  async reply(msgId: string, response: SampResponse): Promise<void> {
    await this.hubCall('reply', [msgId, response]);
  }

  /** astropy `enotify`: notify with an MType and parameters. */
  enotify(recipientId: string, mtype: string, params: Record<string, SampValue | undefined> = {}): Promise<void> {
    return this.notify(recipientId, createMessage(mtype, params));
  }
  /** astropy `enotify_all`. */
  enotifyAll(mtype: string, params: Record<string, SampValue | undefined> = {}): Promise<string[]> {
    return this.notifyAll(createMessage(mtype, params));
  }
  /** astropy `ecall`. */
  ecall(recipientId: string, msgTag: string, mtype: string, params: Record<string, SampValue | undefined> = {}): Promise<string> {
    return this.call(recipientId, msgTag, createMessage(mtype, params));
  }
  /** astropy `ecall_all`. */
  ecallAll(msgTag: string, mtype: string, params: Record<string, SampValue | undefined> = {}): Promise<Record<string, string>> {
    return this.callAll(msgTag, createMessage(mtype, params));
  }
  /**
   * astropy `ecall_and_wait`, stricter: resolves to `samp.result` of a `samp.ok` or
   * `samp.warning` response and throws {@link SampResponseError} for `samp.error`.
   */
  async ecallAndWait(recipientId: string, mtype: string, params: Record<string, SampValue | undefined> = {}, timeoutSeconds = 0): Promise<SampMap> {
    const response = await this.callAndWait(recipientId, createMessage(mtype, params), timeoutSeconds);
    if (response['samp.status'] === 'samp.error') throw new SampResponseError(recipientId, response);
    return response['samp.result'] ?? {};
  }

  // ----------------------------------------------------------------------------- handlers

  private bind(mtype: string, update: Partial<Binding>, options: BindOptions): Promise<void> {
    const current = this.bindings.get(mtype) ?? { annotation: {} };
    this.bindings.set(mtype, { ...current, ...update, annotation: options.annotation ?? current.annotation });
    if (options.declare !== false && this.regInfo !== undefined) return this.declareSubscriptions();
    return Promise.resolve();
  }

  /** Handles notifications of `mtype` (wildcards allowed); subscribes to it. pyvo/astropy `bind_receive_notification`. */
  bindReceiveNotification(mtype: string, handler: NotificationHandler, options: BindOptions = {}): Promise<void> {
    return this.bind(mtype, { notification: handler }, options);
  }

  /** Handles calls of `mtype` and replies with what the handler returns. pyvo/astropy `bind_receive_call`. */
  bindReceiveCall(mtype: string, handler: CallHandler, options: BindOptions = {}): Promise<void> {
    return this.bind(mtype, { call: handler }, options);
  }

  /** Handles both notifications and calls of `mtype`. pyvo/astropy `bind_receive_message`. */
  bindReceiveMessage(mtype: string, handler: MessageHandler, options: BindOptions = {}): Promise<void> {
    return this.bind(mtype, { notification: async (m) => void (await handler(m)), call: handler }, options);
  }

  /** Handles responses to asynchronous calls made with tag `msgTag`. pyvo/astropy `bind_receive_response`. */
  bindReceiveResponse(msgTag: string, handler: ResponseHandler): void {
    this.responseHandlers.set(msgTag, handler);
  }

  /** Removes the notification handler of `mtype` (and the subscription when no call handler remains). */
  unbindReceiveNotification(mtype: string, options: { declare?: boolean } = {}): Promise<void> {
    return this.unbind(mtype, 'notification', options);
  }
  /** Removes the call handler of `mtype` (and the subscription when no notification handler remains). */
  unbindReceiveCall(mtype: string, options: { declare?: boolean } = {}): Promise<void> {
    return this.unbind(mtype, 'call', options);
  }
  /** Removes the response handler of `msgTag`. */
  unbindReceiveResponse(msgTag: string): void {
    this.responseHandlers.delete(msgTag);
  }

  private unbind(mtype: string, which: 'notification' | 'call', options: { declare?: boolean }): Promise<void> {
    const binding = this.bindings.get(mtype);
    if (!binding) return Promise.resolve();
    const rest = { ...binding, [which]: undefined };
    if (rest.notification === undefined && rest.call === undefined) this.bindings.delete(mtype);
    else this.bindings.set(mtype, rest);
    if (options.declare !== false && this.regInfo !== undefined) return this.declareSubscriptions();
    return Promise.resolve();
  }

  private findBinding(mtype: string): Binding | undefined {
    const exact = this.bindings.get(mtype);
    if (exact) return exact;
    // The longest matching wildcard wins (`table.*` before `*`).
    let best: string | undefined;
    for (const key of this.bindings.keys()) {
      if (mtypeMatches(key, mtype) && (best === undefined || key.length > best.length)) best = key;
    }
    return best === undefined ? undefined : this.bindings.get(best);
  }

  // ------------------------------------------------------------- incoming (profile calls these)

  /** Dispatches an incoming notification to its handler. */
  protected async receiveNotification(senderId: string, rawMessage: unknown): Promise<void> {
    const message = toSampMessage(toSampValue(rawMessage));
    const mtype = message['samp.mtype'];
    const binding = this.findBinding(mtype);
    const handler = binding?.notification ?? (binding?.call ? (m: ReceivedNotification) => void binding.call!({ ...m, msgId: '' }) : undefined);
    if (!handler) throw new SampProtocolError(`no handler for notification ${mtype}`);
    await handler({ senderId, mtype, params: message['samp.params'], message });
  }

  /**
   * Starts handling an incoming call: returns at once (hubs wait for the callback to return)
   * and replies when the handler is done.
   */
  protected receiveCall(senderId: string, msgId: string, rawMessage: unknown): void {
    const message = toSampMessage(toSampValue(rawMessage));
    const mtype = message['samp.mtype'];
    const binding = this.findBinding(mtype);
    void (async () => {
      let response: SampResponse;
      try {
        if (!binding?.call && !binding?.notification) throw new Error(`no handler for call ${mtype}`);
        const result = binding.call
          ? await binding.call({ senderId, mtype, params: message['samp.params'], message, msgId })
          : (await binding.notification!({ senderId, mtype, params: message['samp.params'], message }), undefined);
        if (result === NO_REPLY) return;
        response = result === undefined ? okResponse() : typeof result['samp.status'] === 'string' ? (result as SampResponse) : okResponse(result as SampMap);
      } catch (error) {
        response = errorResponse(error instanceof Error ? error.message : String(error));
      }
      if (this.regInfo === undefined) return;
      try {
        await this.reply(msgId, response);
      } catch (error) {
        this.reportError(error);
      }
    })();
  }

  /** Dispatches a response to the waiter or bound handler of its tag. */
  protected async receiveResponse(responderId: string, msgTag: string, rawResponse: unknown): Promise<void> {
    const response = toSampResponse(toSampValue(rawResponse));
    const waiter = this.waiters.get(msgTag);
    if (waiter) {
      this.waiters.delete(msgTag);
      waiter({ responderId, msgTag, response });
      return;
    }
    const handler = this.responseHandlers.get(msgTag);
    if (handler) await handler({ responderId, msgTag, response });
  }
}
