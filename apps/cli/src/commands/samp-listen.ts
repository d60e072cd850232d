/**
 * `vokit samp listen`: registers, subscribes to every MType (or `--mtype`), and prints each
 * message as one JSON object per line as it arrives, until Ctrl-C or the hub shuts down. Calls
 * are answered `samp.ok` once printed. Like JSAMP's snooper, but for pipes: `| jq`.
 */

import type { ReceivedNotification, SampMap } from '@vokit/samp';
import type { Command } from '../command.js';
import { SampCommandError } from '../errors.js';
import { HUB_OPTION, connectSampClient, describeClient } from '../samp-connect.js';
import { waitForSignal } from '../signals.js';

/** One printed line. */
interface MessageLine {
  /** When it arrived, ISO 8601 UTC. */
  time: string;
  /** `notification` or `call` (a reply is expected, and sent). */
  kind: 'notification' | 'call';
  sender: string;
  /** The sender's `samp.name`, when it declared one. */
  senderName?: string;
  msgId?: string;
  mtype: string;
  params: SampMap;
}

export const sampListenCommand: Command = {
  spec: {
    name: 'samp listen',
    summary: 'Print every SAMP message sent to this client, one JSON line each, until Ctrl-C.',
    positionals: [],
    options: {
      mtype: { type: 'string', valueName: '<pattern>', description: 'subscribe to this MType or pattern only, e.g. table.* (default *)' },
      name: { type: 'string', valueName: '<name>', description: 'samp.name to register with, for --to of senders (default vokit-listen)' },
      hub: HUB_OPTION,
    },
    details: [
      'Each line is {"time","kind","sender","senderName","msgId","mtype","params"}, kind',
      'being notification or call; calls are answered samp.ok once the line is written.',
      'Hub events (samp.hub.event.*) are printed too. A line on standard error says when the',
      'client is registered; the command ends with status 0 on Ctrl-C, SIGTERM or hub shutdown.',
      '',
      'Example:',
      "  vokit samp listen --mtype 'table.*' | jq .params.url",
    ].join('\n'),
  },
  async run(args, context) {
    const pattern = (args.options.mtype as string | undefined) ?? '*';
    const name = (args.options.name as string | undefined) ?? 'vokit-listen';
    const names = new Map<string, string | undefined>();
    let ended: (reason: { kind: string; reason?: string }) => void = () => undefined;
    const disconnected = new Promise<{ kind: string; reason?: string }>((resolve) => (ended = resolve));
    // Lines are written in arrival order even though the sender's name is looked up on the way.
    let queue: Promise<unknown> = Promise.resolve();
    const stop = waitForSignal();
    try {
      const client = await connectSampClient(
        {
          hub: args.options.hub as string | undefined,
          metadata: { 'samp.name': name, 'samp.description.text': 'vokit samp listen: prints the messages it receives' },
          onDisconnect: (info) => ended(info),
          onError: (error) => context.stderr.write(`vokit samp listen: ${(error as Error).message ?? String(error)}\n`),
        },
        async (c) => {
          await c.bindReceiveMessage(pattern, (message: ReceivedNotification & { msgId?: string }) => {
            const time = new Date().toISOString();
            const line = (queue = queue.then(async () => {
              if (message.mtype === 'samp.hub.event.metadata' && typeof message.params.id === 'string') names.delete(message.params.id);
              if (!names.has(message.senderId)) {
                const metadata = await c.getMetadata(message.senderId).catch(() => ({}) as SampMap);
                names.set(message.senderId, typeof metadata['samp.name'] === 'string' ? metadata['samp.name'] : undefined);
              }
              const out: MessageLine = {
                time,
                kind: message.msgId ? 'call' : 'notification',
                sender: message.senderId,
                senderName: names.get(message.senderId),
                msgId: message.msgId || undefined,
                mtype: message.mtype,
                params: message.params,
              };
              context.stdout.write(`${JSON.stringify(out)}\n`);
            }));
            return line.then(() => ({}));
          });
        },
      );
      context.stderr.write(
        `vokit samp listen: registered as ${describeClient(client.selfId, name)} with ${client.lockInfo?.['samp.hub.xmlrpc.url'] ?? 'the hub'}, ` +
          `subscribed to ${pattern}; Ctrl-C stops\n`,
      );
      const end = await Promise.race([stop.received.then((signal) => ({ kind: 'signal', reason: signal })), disconnected]);
      await queue;
      if (end.kind === 'signal') {
        await client.unregister().catch(() => undefined);
      } else if (end.kind === 'shutdown') {
        context.stderr.write('vokit samp listen: the hub shut down\n');
      } else if (end.kind === 'disconnect') {
        throw new SampCommandError(`the hub disconnected this client${end.reason ? `: ${end.reason}` : ''}`);
      }
    } finally {
      stop.dispose();
    }
  },
};
