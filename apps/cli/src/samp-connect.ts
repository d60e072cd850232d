/**
 * What the `vokit samp` client commands share: registering with the hub that `--hub`,
 * `SAMP_HUB` or `~/.samp` names (SAMP 1.3 §4.3), and naming other clients by id or `samp.name`.
 */

import { SampClient, type SampClientOptions, type SampMetadata } from '@vokit/samp';
import type { OptionSpec } from './args.js';
import { SampCommandError } from './errors.js';

/** The `--hub` option every client command takes. */
export const HUB_OPTION: OptionSpec = {
  type: 'string',
  valueName: '<hub>',
  description: 'hub to use: a SAMP_HUB value (std-lockurl:file:///...) or a lockfile path (default: $SAMP_HUB, else ~/.samp)',
};

/** Options of {@link connectSampClient}. */
export interface ConnectOptions extends Omit<SampClientOptions, 'hub' | 'metadata'> {
  /** `--hub` as given, or undefined for `SAMP_HUB` / `~/.samp`. */
  hub?: string;
  /** Metadata to declare (`samp.name` etc.). */
  metadata: SampMetadata;
}

/**
 * Registers a new client (bind handlers on `prepare` so the subscriptions go with the
 * registration). A missing or dead hub becomes one line that says how to get one.
 */
export async function connectSampClient(options: ConnectOptions, prepare?: (client: SampClient) => Promise<void>): Promise<SampClient> {
  const client = new SampClient({ ...options, hub: options.hub });
  if (prepare) await prepare(client);
  try {
    await client.register();
  } catch (error) {
    if ((error as { code?: string }).code === 'SAMP_NO_HUB') {
      throw new SampCommandError(`${(error as Error).message} (start one with \`vokit samp hub\`, or set SAMP_HUB or --hub)`, { cause: error });
    }
    throw error;
  }
  return client;
}

/** `samp.name` of each client (undefined when it declared none or left meanwhile). */
export async function clientNames(client: SampClient, ids: readonly string[]): Promise<Map<string, string | undefined>> {
  const names = new Map<string, string | undefined>();
  await Promise.all(
    ids.map(async (id) => {
      const metadata = await client.getMetadata(id).catch(() => ({}) as SampMetadata);
      names.set(id, typeof metadata['samp.name'] === 'string' ? metadata['samp.name'] : undefined);
    }),
  );
  return names;
}

/** `c3 (topcat)`, or `c3` for a client without a name. */
export function describeClient(id: string, name: string | undefined): string {
  return name ? `${id} (${name})` : id;
}

/**
 * The public id of the client `spec` designates: an id as the hub lists it, else a `samp.name`
 * (exact, then ignoring case). Throws SampCommandError when there is none, or several by that name.
 */
export async function resolveClient(client: SampClient, spec: string): Promise<{ id: string; name: string | undefined }> {
  const ids = await client.getRegisteredClients();
  const names = await clientNames(client, ids);
  if (ids.includes(spec)) return { id: spec, name: names.get(spec) };
  for (const fold of [false, true]) {
    const same = (name: string | undefined) => name !== undefined && (fold ? name.toLowerCase() === spec.toLowerCase() : name === spec);
    const matches = ids.filter((id) => same(names.get(id)));
    if (matches.length === 1) return { id: matches[0]!, name: names.get(matches[0]!) };
    if (matches.length > 1) {
      throw new SampCommandError(`${matches.length} clients are named ${JSON.stringify(spec)} (${matches.join(', ')}): give an id instead`);
    }
  }
  const known = ids.map((id) => describeClient(id, names.get(id))).join(', ');
  throw new SampCommandError(`no client ${JSON.stringify(spec)} is registered (clients: ${known || 'none'}; see \`vokit samp clients\`)`);
}
