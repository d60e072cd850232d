/**
 * `vokit samp clients`: the clients registered with the hub (the hub's own client included),
 * with their `samp.name` and description; `--json` adds all metadata and the subscriptions.
 * It registers for the moment it takes to ask, and does not list itself.
 */

import type { SampMap } from '@vokit/samp';
import type { Command } from '../command.js';
import { HUB_OPTION, connectSampClient } from '../samp-connect.js';
import { formatTextColumns } from '../text-columns.js';

/** Longest description shown in the text listing, in characters. */
const DESCRIPTION_LIMIT = 60;

interface ClientInfo {
  id: string;
  metadata: SampMap;
  /** Subscribed MTypes (and patterns), sorted. */
  subscriptions: string[];
}

function clip(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > DESCRIPTION_LIMIT ? `${flat.slice(0, DESCRIPTION_LIMIT - 1)}…` : flat;
}

export const sampClientsCommand: Command = {
  spec: {
    name: 'samp clients',
    summary: 'List the clients registered with the SAMP hub, with their samp.name.',
    positionals: [],
    options: {
      json: { type: 'boolean', description: 'one JSON line per client: {"id","metadata","subscriptions"}' },
      hub: HUB_OPTION,
    },
    details: [
      'Columns: the public id (use it or the name with `vokit samp send --to`), samp.name,',
      'and samp.description.text. The hub itself is listed too.',
      '',
      'Example:',
      '  vokit samp clients',
    ].join('\n'),
  },
  async run(args, context) {
    const client = await connectSampClient({
      hub: args.options.hub as string | undefined,
      metadata: { 'samp.name': 'vokit-clients', 'samp.description.text': 'vokit samp clients' },
      builtinHandlers: false,
    });
    let infos: ClientInfo[];
    try {
      const ids = await client.getRegisteredClients();
      // A client may leave between the listing and the questions: keep it, with what is known.
      infos = await Promise.all(
        ids.map(async (id) => ({
          id,
          metadata: await client.getMetadata(id).catch(() => ({}) as SampMap),
          subscriptions: args.options.json ? Object.keys(await client.getSubscriptions(id).catch(() => ({}))).sort() : [],
        })),
      );
    } finally {
      await client.unregister().catch(() => undefined);
    }
    if (args.options.json) {
      context.stdout.write(infos.map((info) => `${JSON.stringify(info)}\n`).join(''));
      return;
    }
    const rows = infos.map((info) => [info.id, clip(info.metadata['samp.name']), clip(info.metadata['samp.description.text'])]);
    context.stdout.write(formatTextColumns([['ID', 'NAME', 'DESCRIPTION'], ...rows]).join('\n') + '\n');
  },
};
