/**
 * `vokit samp send <file>`: hands a local VOTable or FITS file to SAMP clients (TOPCAT, Aladin,
 * DS9...). The MType follows the file's content: `table.load.votable`, `image.load.fits` or
 * `table.load.fits`. The file is served from a local HTTP URL while the recipients fetch it;
 * each is called (not notified) so that its reply says whether it loaded the file, and the
 * command waits for every reply, up to `--timeout`.
 */

import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createMessage, loadImageMessage, loadTableMessage, type SampClient, type SampMessage, type SampResponse } from '@vokit/samp';
import type { Command } from '../command.js';
import { SampCommandError, UnknownContentError, UsageError } from '../errors.js';
import { HUB_OPTION, clientNames, connectSampClient, describeClient, resolveClient } from '../samp-connect.js';
import { serveFile } from '../samp-file-server.js';
import { sniffSampFile } from '../samp-sniff.js';

/** Default wait for the replies, seconds: TOPCAT loads a million-row VOTable in about that. */
const DEFAULT_TIMEOUT_SECONDS = 30;

/** MTypes `--mtype` may choose: each loads a file given by `url`. */
const LOAD_MTYPES = ['table.load.votable', 'table.load.fits', 'image.load.fits', 'spectrum.load.ssa-generic'] as const;
type LoadMType = (typeof LOAD_MTYPES)[number];

function buildMessage(mtype: LoadMType, url: string, name: string, id: string): SampMessage {
  switch (mtype) {
    case 'image.load.fits':
      return loadImageMessage({ url, name, 'image-id': id });
    case 'spectrum.load.ssa-generic':
      return createMessage(mtype, { url, name, 'spectrum-id': id, meta: {} });
    default:
      return loadTableMessage({ url, name, 'table-id': id }, mtype);
  }
}

/** One recipient's outcome, as printed. */
interface Outcome {
  label: string;
  accepted: boolean;
  text: string;
}

function describeResponse(response: SampResponse): { accepted: boolean; text: string } {
  const status = response['samp.status'];
  const error = response['samp.error'];
  const errortxt = error && typeof error === 'object' && typeof error['samp.errortxt'] === 'string' ? error['samp.errortxt'] : undefined;
  if (status === 'samp.ok') return { accepted: true, text: 'accepted' };
  if (status === 'samp.warning') return { accepted: true, text: `accepted with a warning: ${errortxt ?? '(no text)'}` };
  return { accepted: false, text: `refused: ${errortxt ?? status}` };
}

async function deliver(client: SampClient, id: string, message: SampMessage, timeoutSeconds: number): Promise<{ accepted: boolean; text: string }> {
  try {
    return describeResponse(await client.callAndWaitAsync(id, message, timeoutSeconds * 1000));
  } catch (error) {
    if ((error as { code?: string }).code === 'SAMP_TIMEOUT') return { accepted: false, text: `no reply within ${timeoutSeconds} s` };
    return { accepted: false, text: `not delivered: ${(error as Error).message}` };
  }
}

export const sampSendCommand: Command = {
  spec: {
    name: 'samp send',
    summary: 'Send a VOTable or FITS file to SAMP clients and report who loaded it.',
    positionals: ['<file>'],
    options: {
      to: { type: 'string', valueName: '<client>', description: 'recipient: a client id or samp.name (default: every client subscribed to the MType)' },
      timeout: { type: 'string', valueName: '<seconds>', description: `how long to wait for the replies (default ${DEFAULT_TIMEOUT_SECONDS})` },
      mtype: { type: 'string', valueName: '<mtype>', description: `send with this MType instead of the one the content implies (${LOAD_MTYPES.join(', ')})` },
      hub: HUB_OPTION,
    },
    details: [
      'The MType follows the content, not the name: a VOTable (gzip or not) goes as',
      'table.load.votable, a FITS image as image.load.fits, a FITS table as table.load.fits.',
      'The file is served on 127.0.0.1 until every recipient has replied or the timeout',
      'expired; a recipient that accepted has loaded it by then.',
      '',
      'Prints one line per recipient: "<id> (<name>): accepted" or why not. Exits with',
      'status 1 unless every recipient accepted.',
      '',
      'Examples:',
      '  vokit samp send catalogue.vot --to topcat',
      '  vokit samp send m31.fits',
    ].join('\n'),
  },
  async run(args, context) {
    const path = args.positionals[0]!;
    const timeoutText = (args.options.timeout as string | undefined) ?? String(DEFAULT_TIMEOUT_SECONDS);
    const timeoutSeconds = Number(timeoutText);
    if (!/^\d+(\.\d+)?$/.test(timeoutText.trim()) || !(timeoutSeconds > 0)) {
      throw new UsageError(`samp send: --timeout must be a positive number of seconds, got ${JSON.stringify(timeoutText)}`);
    }
    const forced = args.options.mtype as string | undefined;
    if (forced !== undefined && !(LOAD_MTYPES as readonly string[]).includes(forced)) {
      throw new UsageError(`samp send: --mtype ${JSON.stringify(forced)} is not one of ${LOAD_MTYPES.join(', ')}`);
    }
    let mtype: LoadMType;
    let contentType = 'application/octet-stream';
    try {
      const sniffed = await sniffSampFile(path);
      mtype = (forced as LoadMType | undefined) ?? sniffed.mtype;
      contentType = sniffed.contentType;
    } catch (error) {
      // With --mtype the user has said what it is: only an unreadable file stops us.
      if (forced === undefined || !(error instanceof UnknownContentError)) throw error;
      mtype = forced as LoadMType;
    }

    const client = await connectSampClient({
      hub: args.options.hub as string | undefined,
      metadata: { 'samp.name': 'vokit-send', 'samp.description.text': `vokit samp send ${basename(path)}` },
    });
    const served = await serveFile(path, { contentType });
    try {
      let recipients: string[];
      if (args.options.to !== undefined) {
        const target = await resolveClient(client, args.options.to as string);
        const subscribed = await client.getSubscribedClients(mtype);
        if (!(target.id in subscribed)) throw new SampCommandError(`${describeClient(target.id, target.name)} does not accept ${mtype} (not subscribed)`);
        recipients = [target.id];
      } else {
        recipients = Object.keys(await client.getSubscribedClients(mtype));
        if (recipients.length === 0) throw new SampCommandError(`no client accepts ${mtype}: start one (TOPCAT, Aladin, DS9...) or see \`vokit samp clients\``);
      }
      const names = await clientNames(client, recipients);
      const id = `vokit-${randomBytes(6).toString('hex')}`;
      const message = buildMessage(mtype, served.url, basename(path), id);
      // Progress for a person watching; scripts get only the result lines and, on failure, one error line.
      if (context.stderr.isTTY) {
        context.stderr.write(`vokit samp send: ${mtype} ${served.url} to ${recipients.map((r) => describeClient(r, names.get(r))).join(', ')}\n`);
      }
      const outcomes: Outcome[] = await Promise.all(
        recipients.map(async (recipient) => ({ label: describeClient(recipient, names.get(recipient)), ...(await deliver(client, recipient, message, timeoutSeconds)) })),
      );
      context.stdout.write(outcomes.map((o) => `${o.label}: ${o.text}\n`).join(''));
      const refused = outcomes.filter((o) => !o.accepted).length;
      if (refused > 0) throw new SampCommandError(`${refused} of ${outcomes.length} recipient${outcomes.length === 1 ? '' : 's'} did not accept ${basename(path)}`);
    } finally {
      await served.close();
      await client.unregister().catch(() => undefined);
    }
  },
};
