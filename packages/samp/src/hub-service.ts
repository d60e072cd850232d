/**
 * The profile-independent SAMP hub (SAMP 1.3 §3.11 hub operations): the client registry,
 * metadata and subscriptions, message routing with per-sender MType restrictions, pending
 * calls, and hub events. Profiles (Standard: XML-RPC callbacks; Web: pulled callbacks) plug
 * in through {@link CallbackSink}s.
 *
 * Invariants worth knowing:
 * - a synchronous call is recorded as pending *before* its delivery starts, so a reply that
 *   arrives before the delivery request has even returned is never lost (astropy's hub 5.2
 *   records it after, and loses fast replies);
 * - delivery is asynchronous: `notify`/`call` return as soon as the recipient is checked
 *   (HubTester warns about hubs whose `call()` waits for delivery);
 * - each recipient of `callAll` gets its own message id, and only that recipient may reply
 *   to it, once.
 */
import { randomBytes } from 'node:crypto';
import { SampAuthError, SampHttpError, SampProtocolError, SampTimeoutError } from './errors.js';
import {
  errorResponse,
  findSubscription,
  isMTypePattern,
  isSampMap,
  okResponse,
  toSampMessage,
  toSampResponse,
  toSampValue,
  type SampMap,
  type SampMessage,
  type SampResponse,
  type SampSubscriptions,
} from './message.js';

/** How the hub reaches a callable client (one per profile). */
export interface CallbackSink {
  /** Delivers a notification (`samp.client.receiveNotification`); rejects when delivery failed. */
  receiveNotification(senderId: string, message: SampMessage): Promise<void>;
  /** Delivers a call (`samp.client.receiveCall`); the reply comes later through {@link HubService.reply}. */
  receiveCall(senderId: string, msgId: string, message: SampMessage): Promise<void>;
  /** Delivers the response to an asynchronous call (`samp.client.receiveResponse`). */
  receiveResponse(responderId: string, msgTag: string, response: SampResponse): Promise<void>;
  /** Called when the client leaves; ends long polls. */
  close?(): void;
}

/**
 * Whether a client of a restricted profile may send `mtype` to a recipient whose subscription
 * annotation is `annotation` (JSAMP `MessageRestriction.permitSend`).
 */
export type MessageRestriction = (mtype: string, annotation: SampMap) => boolean;

/** One registered client as the hub sees it. */
export interface HubClient {
  /** Public id. */
  readonly id: string;
  /** Profile name: `standard`, `web` or `hub`. */
  readonly profile: string;
  /** Private key (secret between the client and the hub). */
  readonly privateKey: string;
  metadata: SampMap;
  subscriptions: SampSubscriptions;
  /** Set once callable. */
  sink?: CallbackSink;
  /** Restriction on what this client may send (Web Profile), or none. */
  readonly restriction?: MessageRestriction;
  /** Profile-specific state. */
  readonly extra: Record<string, unknown>;
}

interface PendingCall {
  senderId: string;
  recipientId: string;
  msgTag: string;
  /** Set for callAndWait: resolves the waiting hub method. */
  settle?: (response: SampResponse | Error) => void;
}

/** Options of {@link HubService}. */
export interface HubServiceOptions {
  /** Metadata of the hub's own client. Default: name `vokit-hub`. */
  metadata?: SampMap;
  /** Longest `callAndWait` timeout honoured, seconds. Default 43200 (12 h, as JSAMP). */
  maxTimeoutSeconds?: number;
  /** Most pending calls kept; the oldest are dropped beyond it. Default 10000. */
  maxPendingCalls?: number;
  /** Receives one line per noteworthy event (delivery failures, dropped clients). */
  log?: (line: string) => void;
}

/** Public id of the hub's own client. */
export const HUB_CLIENT_ID = 'hub';

/** The SAMP hub logic shared by all profiles; see {@link SampHub} for the runnable hub. */
export class HubService {
  private readonly clients = new Map<string, HubClient>();
  private readonly byKey = new Map<string, HubClient>();
  private readonly usedIds = new Set<string>();
  private readonly pending = new Map<string, PendingCall>();
  /** Tail of each recipient's queue of hub events. */
  private readonly eventChains = new WeakMap<HubClient, Promise<unknown>>();
  private nextClient = 1;
  private nextMessage = 1;
  private readonly options: HubServiceOptions;
  private running = true;
  /** The hub's own client. */
  readonly hubClient: HubClient;

  constructor(options: HubServiceOptions = {}) {
    this.options = options;
    this.hubClient = {
      id: HUB_CLIENT_ID,
      profile: 'hub',
      privateKey: randomBytes(16).toString('hex'),
      metadata: options.metadata ?? {
        'samp.name': 'vokit-hub',
        'samp.description.text': 'SAMP hub of @vokit/samp',
        'hub.impl': '@vokit/samp',
      },
      subscriptions: { 'samp.app.ping': {} },
      extra: {},
    };
    this.hubClient.sink = {
      receiveNotification: async () => undefined,
      receiveCall: async (_sender, msgId, message) => {
        const response = message['samp.mtype'] === 'samp.app.ping' ? okResponse() : errorResponse(`hub does not handle ${message['samp.mtype']}`);
        // Reply on a later turn, as a real client would.
        queueMicrotask(() => {
          try {
            this.reply(this.hubClient, msgId, response);
          } catch (error) {
            this.log(`hub reply failed: ${(error as Error).message}`);
          }
        });
      },
      receiveResponse: async () => undefined,
    };
    this.clients.set(HUB_CLIENT_ID, this.hubClient);
    this.usedIds.add(HUB_CLIENT_ID);
  }

  /** True until {@link shutdown}. */
  get isRunning(): boolean {
    return this.running;
  }

  /**
   * `samp.hub.ping` / `samp.webhub.ping` (SAMP 1.3 §3.11): the empty string while the hub runs.
   * @throws SampProtocolError once {@link shutdown} has begun, so a client does not take a
   *   stopping hub for a live one.
   */
  ping(): string {
    if (!this.running) throw new SampProtocolError('hub is shutting down');
    return '';
  }

  /** All registered clients, the hub's own included. */
  listClients(): HubClient[] {
    return [...this.clients.values()];
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /** The client holding `privateKey` in `profile`, or a {@link SampAuthError}. */
  clientByKey(privateKey: unknown, profile: string): HubClient {
    const client = typeof privateKey === 'string' ? this.byKey.get(privateKey) : undefined;
    if (!client || client.profile !== profile) throw new SampAuthError('unknown private key (not registered, or registered with another profile)');
    return client;
  }

  private clientById(id: unknown): HubClient {
    const client = typeof id === 'string' ? this.clients.get(id) : undefined;
    if (!client) {
      if (typeof id === 'string' && this.usedIds.has(id)) throw new SampProtocolError(`client ${id} is no longer registered`);
      throw new SampProtocolError(`no registered client with id ${JSON.stringify(id)}`);
    }
    return client;
  }

  // ------------------------------------------------------------------------- registration

  /** Registers a new client of `profile`. */
  register(profile: string, options: { restriction?: MessageRestriction; extra?: Record<string, unknown> } = {}): HubClient {
    if (!this.running) throw new SampProtocolError('hub is shutting down');
    const id = `c${this.nextClient++}`;
    const client: HubClient = {
      id,
      profile,
      privateKey: `${profile === 'web' ? 'wk' : 'k'}:${randomBytes(18).toString('base64url')}`,
      metadata: {},
      subscriptions: {},
      restriction: options.restriction,
      extra: options.extra ?? {},
    };
    this.clients.set(id, client);
    this.byKey.set(client.privateKey, client);
    this.usedIds.add(id);
    this.hubEvent({ 'samp.mtype': 'samp.hub.event.register', 'samp.params': { id } });
    return client;
  }

  /** Unregisters `client` (its own request, or a dead callback). */
  unregister(client: HubClient): void {
    if (!this.remove(client)) return;
    this.hubEvent({ 'samp.mtype': 'samp.hub.event.unregister', 'samp.params': { id: client.id } });
  }

  /** Removes a client without telling the others; returns false if it was not registered. */
  private remove(client: HubClient): boolean {
    if (this.clients.get(client.id) !== client || client === this.hubClient) return false;
    this.clients.delete(client.id);
    this.byKey.delete(client.privateKey);
    client.sink?.close?.();
    // Calls waiting on this client will never be answered: answer them with samp.error.
    for (const [msgId, call] of this.pending) {
      if (call.recipientId === client.id) {
        this.pending.delete(msgId);
        this.settle(call, errorResponse(`recipient ${client.id} unregistered before replying`), client.id);
      } else if (call.senderId === client.id) {
        this.pending.delete(msgId);
        call.settle?.(new SampProtocolError('sender unregistered'));
      }
    }
    return true;
  }

  /** Forcibly disconnects a client, telling it why (`samp.hub.disconnect`, §3.11). */
  disconnect(client: HubClient, reason?: string): void {
    if (this.clients.get(client.id) !== client) return;
    if (client.sink && findSubscription(client.subscriptions, 'samp.hub.disconnect')) {
      const params: SampMap = reason ? { reason } : {};
      this.deliver(client, 'notification', this.hubClient.id, { 'samp.mtype': 'samp.hub.disconnect', 'samp.params': params });
    }
    this.unregister(client);
  }

  /** Makes `client` callable through `sink` (`setXmlrpcCallback`, `allowReverseCallbacks`). */
  setCallable(client: HubClient, sink: CallbackSink | undefined): void {
    if (client.sink && client.sink !== sink) client.sink.close?.();
    client.sink = sink;
  }

  /** `declareMetadata` (§3.11): stores the map and sends `samp.hub.event.metadata`. */
  declareMetadata(client: HubClient, metadata: unknown): void {
    if (!isSampMap(metadata)) throw new SampProtocolError('metadata is not a map');
    client.metadata = toSampValue(metadata) as SampMap;
    this.hubEvent({ 'samp.mtype': 'samp.hub.event.metadata', 'samp.params': { id: client.id, metadata: client.metadata } });
  }

  /** `getMetadata` (§3.11); unknown ids throw {@link SampProtocolError}. */
  getMetadata(_caller: HubClient, clientId: unknown): SampMap {
    return this.clientById(clientId).metadata;
  }

  /** `declareSubscriptions` (§3.11): needs a callable client; sends `samp.hub.event.subscriptions`. */
  declareSubscriptions(client: HubClient, subscriptions: unknown): void {
    if (!client.sink) throw new SampProtocolError('client is not callable: declare a callback (setXmlrpcCallback / allowReverseCallbacks) first');
    // An empty map may arrive as "" from lenient encoders.
    const subs = subscriptions === '' ? {} : subscriptions;
    if (!isSampMap(subs)) throw new SampProtocolError('subscriptions is not a map');
    const clean: SampSubscriptions = {};
    for (const [mtype, annotation] of Object.entries(toSampValue(subs) as SampMap)) {
      if (!isMTypePattern(mtype)) throw new SampProtocolError(`bad MType in subscriptions: ${JSON.stringify(mtype)}`);
      clean[mtype] = isSampMap(annotation) ? annotation : {};
    }
    client.subscriptions = clean;
    const mtype = 'samp.hub.event.subscriptions';
    for (const recipient of this.clients.values()) {
      if (recipient === this.hubClient || this.sendError(this.hubClient, recipient, mtype) !== undefined) continue;
      // Each recipient sees the subscriptions through its own restriction (JSAMP does the same).
      const view = this.subscriptionsFor(recipient, clean);
      this.deliver(recipient, 'notification', this.hubClient.id, { 'samp.mtype': mtype, 'samp.params': { id: client.id, subscriptions: view } });
    }
  }

  /** `subs` as seen by `viewer`: a restricted viewer only sees what it may send. */
  private subscriptionsFor(viewer: HubClient, subs: SampSubscriptions): SampSubscriptions {
    if (!viewer.restriction) return subs;
    const view: SampSubscriptions = {};
    for (const [mtype, annotation] of Object.entries(subs)) if (viewer.restriction(mtype, annotation)) view[mtype] = annotation;
    return view;
  }

  /** `getSubscriptions` (§3.11), seen through the caller's MType restriction. */
  getSubscriptions(caller: HubClient, clientId: unknown): SampSubscriptions {
    return this.subscriptionsFor(caller, this.clientById(clientId).subscriptions);
  }

  /** `getRegisteredClients` (§3.11): every id but the caller's, the hub's included. */
  getRegisteredClients(caller: HubClient): string[] {
    const ids: string[] = [];
    for (const id of this.clients.keys()) if (id !== caller.id) ids.push(id);
    return ids;
  }

  /** `getSubscribedClients` (§3.11): clients the caller may send `mtype` to, with their annotations. */
  getSubscribedClients(caller: HubClient, mtype: unknown): Record<string, SampMap> {
    if (typeof mtype !== 'string') throw new SampProtocolError('mtype is not a string');
    const out: Record<string, SampMap> = {};
    for (const client of this.clients.values()) {
      if (client === caller) continue;
      const annotation = findSubscription(client.subscriptions, mtype);
      if (annotation !== undefined && this.sendError(caller, client, mtype) === undefined) out[client.id] = annotation;
    }
    return out;
  }

  // ------------------------------------------------------------------------------ sending

  /** Why `sender` may not send `mtype` to `recipient`, or undefined if it may. */
  private sendError(sender: HubClient, recipient: HubClient, mtype: string): string | undefined {
    if (!recipient.sink) return `client ${recipient.id} is not callable`;
    const annotation = findSubscription(recipient.subscriptions, mtype);
    if (annotation === undefined) return `client ${recipient.id} is not subscribed to ${mtype}`;
    if (sender.restriction && !sender.restriction(mtype, annotation)) return `MType ${mtype} is blocked for ${sender.profile} profile clients`;
    return undefined;
  }

  private checkSend(sender: HubClient, recipient: HubClient, mtype: string): void {
    const error = this.sendError(sender, recipient, mtype);
    if (error !== undefined) throw new SampProtocolError(error);
  }

  private newMsgId(): string {
    return `m${this.nextMessage++}_${randomBytes(6).toString('base64url')}`;
  }

  private deliver(recipient: HubClient, kind: 'notification', senderId: string, message: SampMessage): void;
  private deliver(recipient: HubClient, kind: 'call', senderId: string, message: SampMessage, msgId: string): void;
  private deliver(recipient: HubClient, kind: 'notification' | 'call', senderId: string, message: SampMessage, msgId?: string): void {
    const sink = recipient.sink;
    if (!sink) return;
    let delivery: Promise<void>;
    if (kind === 'notification' && senderId === HUB_CLIENT_ID) {
      // Hub events go to each recipient one after the other, so that two metadata or
      // subscription changes of a client can never arrive in the wrong order.
      const previous = this.eventChains.get(recipient) ?? Promise.resolve();
      delivery = previous.then(() => sink.receiveNotification(senderId, message));
      this.eventChains.set(recipient, delivery.catch(() => undefined));
    } else {
      delivery = kind === 'call' ? sink.receiveCall(senderId, msgId!, message) : sink.receiveNotification(senderId, message);
    }
    delivery.catch((error: unknown) => {
      this.log(`${kind} ${message['samp.mtype']} ${senderId} -> ${recipient.id} failed: ${(error as Error).message}`);
      if (kind === 'call') {
        const call = this.pending.get(msgId!);
        if (call) {
          this.pending.delete(msgId!);
          this.settle(call, errorResponse(`delivery to ${recipient.id} failed: ${(error as Error).message}`), recipient.id);
        }
      }
      // A connection that cannot be made means the client is gone (JSAMP and astropy drop it too).
      if (error instanceof SampHttpError && error.status === undefined) {
        this.log(`dropping client ${recipient.id}: its callback endpoint is unreachable`);
        this.unregister(recipient);
      }
    });
  }

  private hubEvent(message: SampMessage): void {
    for (const recipient of this.clients.values()) {
      if (recipient !== this.hubClient && this.sendError(this.hubClient, recipient, message['samp.mtype']) === undefined) {
        this.deliver(recipient, 'notification', this.hubClient.id, message);
      }
    }
  }

  /** `notify` (§3.11): checks the recipient, then delivers asynchronously. */
  notify(sender: HubClient, recipientId: unknown, rawMessage: unknown): void {
    const message = toSampMessage(toSampValue(rawMessage));
    const recipient = this.clientById(recipientId);
    this.checkSend(sender, recipient, message['samp.mtype']);
    this.deliver(recipient, 'notification', sender.id, message);
  }

  /** `notifyAll` (§3.11): returns the ids delivered to (never the sender). */
  notifyAll(sender: HubClient, rawMessage: unknown): string[] {
    const message = toSampMessage(toSampValue(rawMessage));
    const sent: string[] = [];
    for (const recipient of this.clients.values()) {
      if (recipient === sender || this.sendError(sender, recipient, message['samp.mtype']) !== undefined) continue;
      this.deliver(recipient, 'notification', sender.id, message);
      sent.push(recipient.id);
    }
    return sent;
  }

  private addPending(msgId: string, call: PendingCall): void {
    const max = this.options.maxPendingCalls ?? 10_000;
    while (this.pending.size >= max) {
      const [oldest, dropped] = this.pending.entries().next().value as [string, PendingCall];
      this.pending.delete(oldest);
      dropped.settle?.(new SampProtocolError(`too many pending calls (${max}): oldest dropped`));
      this.log(`pending calls exceed ${max}: dropped ${oldest}`);
    }
    this.pending.set(msgId, call);
  }

  /** `call` (§3.11): returns the new message id; the response goes to the sender's `receiveResponse`. */
  call(sender: HubClient, recipientId: unknown, msgTag: unknown, rawMessage: unknown): string {
    if (typeof msgTag !== 'string') throw new SampProtocolError('msg-tag is not a string');
    const message = toSampMessage(toSampValue(rawMessage));
    const recipient = this.clientById(recipientId);
    this.checkSend(sender, recipient, message['samp.mtype']);
    if (!sender.sink) throw new SampProtocolError('a client must be callable to receive the response of call; use callAndWait');
    const msgId = this.newMsgId();
    this.addPending(msgId, { senderId: sender.id, recipientId: recipient.id, msgTag });
    this.deliver(recipient, 'call', sender.id, message, msgId);
    return msgId;
  }

  /** `callAll` (§3.11): one message id per recipient. */
  callAll(sender: HubClient, msgTag: unknown, rawMessage: unknown): Record<string, string> {
    if (typeof msgTag !== 'string') throw new SampProtocolError('msg-tag is not a string');
    const message = toSampMessage(toSampValue(rawMessage));
    if (!sender.sink) throw new SampProtocolError('a client must be callable to receive the responses of callAll');
    const out: Record<string, string> = {};
    for (const recipient of this.clients.values()) {
      if (recipient === sender || this.sendError(sender, recipient, message['samp.mtype']) !== undefined) continue;
      const msgId = this.newMsgId();
      this.addPending(msgId, { senderId: sender.id, recipientId: recipient.id, msgTag });
      this.deliver(recipient, 'call', sender.id, message, msgId);
      out[recipient.id] = msgId;
    }
    return out;
  }

  /** `callAndWait`: resolves to the response, or rejects on timeout (`timeout` in seconds, "0" = none). */
  callAndWait(sender: HubClient, recipientId: unknown, rawMessage: unknown, timeout: unknown): Promise<SampResponse> {
    const message = toSampMessage(toSampValue(rawMessage));
    const recipient = this.clientById(recipientId);
    this.checkSend(sender, recipient, message['samp.mtype']);
    const seconds = Math.min(Number(timeout) || 0, this.options.maxTimeoutSeconds ?? 43_200);
    const msgId = this.newMsgId();
    return new Promise<SampResponse>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (outcome: SampResponse | Error): void => {
        clearTimeout(timer);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      // Recorded before delivery starts: see the file comment.
      this.addPending(msgId, { senderId: sender.id, recipientId: recipient.id, msgTag: '', settle });
      if (seconds > 0) {
        timer = setTimeout(() => {
          if (this.pending.delete(msgId)) settle(new SampTimeoutError(`callAndWait ${message['samp.mtype']} to ${recipient.id}: no response`, seconds * 1000));
        }, seconds * 1000);
      }
      this.deliver(recipient, 'call', sender.id, message, msgId);
    });
  }

  /** `reply` (§3.11): only the recipient of `msgId` may reply, once. */
  reply(responder: HubClient, msgId: unknown, rawResponse: unknown): void {
    if (typeof msgId !== 'string') throw new SampProtocolError('msg-id is not a string');
    const response = toSampResponse(toSampValue(rawResponse));
    const call = this.pending.get(msgId);
    if (!call) throw new SampProtocolError(`no pending call with msg-id ${msgId} (already answered, timed out, or unknown)`);
    if (call.recipientId !== responder.id) throw new SampAuthError(`msg-id ${msgId} was not sent to ${responder.id}`);
    this.pending.delete(msgId);
    this.settle(call, response, responder.id);
  }

  private settle(call: PendingCall, response: SampResponse, responderId: string): void {
    if (call.settle) {
      call.settle(response);
      return;
    }
    const sender = this.clients.get(call.senderId);
    if (!sender?.sink) return;
    sender.sink.receiveResponse(responderId, call.msgTag, response).catch((error: unknown) => {
      this.log(`response ${responderId} -> ${sender.id} failed: ${(error as Error).message}`);
      if (error instanceof SampHttpError && error.status === undefined) this.unregister(sender);
    });
  }

  /**
   * Stops the hub: every client gets `samp.hub.event.shutdown` (§3.11), pending calls fail,
   * sinks close. Resolves when the shutdown notifications were delivered or `waitMs` passed.
   */
  async shutdown(waitMs = 2000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const deliveries: Promise<void>[] = [];
    const message: SampMessage = { 'samp.mtype': 'samp.hub.event.shutdown', 'samp.params': {} };
    for (const client of this.clients.values()) {
      if (client !== this.hubClient && client.sink && this.sendError(this.hubClient, client, message['samp.mtype']) === undefined) {
        deliveries.push(client.sink.receiveNotification(this.hubClient.id, message).catch(() => undefined));
      }
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(deliveries), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    for (const call of this.pending.values()) call.settle?.(new SampProtocolError('hub shut down'));
    this.pending.clear();
    for (const client of [...this.clients.values()]) if (client !== this.hubClient) this.remove(client);
  }
}

/**
 * Runs one of the hub operations that both profiles expose with the same arguments after the
 * client's private key (SAMP 1.3 §3.11 / §4.5 / §5.2: metadata, subscriptions, client lists,
 * messaging and replies), so the Standard and Web Profile servers share one method table and
 * handle only their profile-specific operations (registration, callbacks, unregister) themselves.
 *
 * @param service - the hub the call goes to.
 * @param client - the caller, already resolved from its private key.
 * @param method - the full XML-RPC method name, used only in the error for an unknown method.
 * @param name - the method name without its profile prefix (`samp.hub.` / `samp.webhub.`).
 * @param args - the call's parameters after the private key.
 * @param onOutgoing - called with the message (or response) a sending operation carries, before
 *   it is routed; the Web Profile uses it to track which URLs a web client has passed on.
 * @returns what the hub operation returns (its XML-RPC result).
 * @throws SampProtocolError `unknown method …` when `name` is not a shared operation.
 */
export function dispatchSharedHubMethod(
  service: HubService,
  client: HubClient,
  method: string,
  name: string,
  args: readonly unknown[],
  onOutgoing?: (message: unknown) => void,
): unknown {
  const [a, b, c] = args;
  switch (name) {
    case 'declareMetadata':
      return service.declareMetadata(client, a);
    case 'getMetadata':
      return service.getMetadata(client, a);
    case 'declareSubscriptions':
      return service.declareSubscriptions(client, a);
    case 'getSubscriptions':
      return service.getSubscriptions(client, a);
    case 'getRegisteredClients':
      return service.getRegisteredClients(client);
    case 'getSubscribedClients':
      return service.getSubscribedClients(client, a);
    case 'notify':
      onOutgoing?.(b);
      return service.notify(client, a, b);
    case 'notifyAll':
      onOutgoing?.(a);
      return service.notifyAll(client, a);
    case 'call':
      onOutgoing?.(c);
      return service.call(client, a, b, c);
    case 'callAll':
      onOutgoing?.(b);
      return service.callAll(client, a, b);
    case 'callAndWait':
      onOutgoing?.(b);
      return service.callAndWait(client, a, b, c);
    case 'reply':
      onOutgoing?.(b);
      return service.reply(client, a, b);
    default:
      throw new SampProtocolError(`unknown method ${method}`);
  }
}
