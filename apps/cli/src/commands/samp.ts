/**
 * `vokit samp <command>`: SAMP, the protocol by which TOPCAT, Aladin, DS9 and scripts pass
 * tables and images to each other, from the command line (@vokit/samp underneath). The group
 * only dispatches; each subcommand lives in its own file.
 */

import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { sampClientsCommand } from './samp-clients.js';
import { sampHubCommand } from './samp-hub.js';
import { sampListenCommand } from './samp-listen.js';
import { sampSendCommand } from './samp-send.js';

const SUBCOMMANDS: readonly Command[] = [sampHubCommand, sampSendCommand, sampListenCommand, sampClientsCommand];

/** The word that selects a subcommand: `hub` for `samp hub`. */
const word = (command: Command) => command.spec.name.slice('samp '.length);

export const sampCommand: Command = {
  spec: {
    name: 'samp',
    summary: 'Talk SAMP: run a hub, send files to TOPCAT & co, listen, list clients.',
    positionals: ['<command>'],
    options: {},
    details: [
      'Commands:',
      ...(() => {
        const width = Math.max(...SUBCOMMANDS.map((c) => word(c).length));
        return SUBCOMMANDS.map((c) => `  ${word(c).padEnd(width)}  ${c.spec.summary}`);
      })(),
      '',
      'Clients find the hub through --hub, else SAMP_HUB (std-lockurl:file:///...), else ~/.samp.',
      'Run `vokit samp <command> --help` for a command\'s options.',
      '',
      'Examples:',
      '  vokit samp hub &',
      '  vokit samp send catalogue.vot --to topcat',
    ].join('\n'),
  },
  subcommands: SUBCOMMANDS,
  // Reached only when the word after `samp` names no subcommand (main.ts dispatches the others).
  async run(args) {
    const names = SUBCOMMANDS.map(word).join(', ');
    throw new UsageError(`unknown command "samp ${args.positionals[0]}" (samp commands: ${names}; see \`vokit samp --help\`)`);
  },
};
