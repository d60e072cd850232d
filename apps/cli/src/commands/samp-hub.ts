/**
 * `vokit samp hub`: runs a SAMP hub (@vokit/samp's SampHub) until SIGINT or SIGTERM, then shuts
 * it down cleanly: clients get `samp.hub.event.shutdown` and the lockfile is removed.
 *
 * The lockfile goes where `SAMP_HUB=std-lockurl:file:///PATH` says, else `~/.samp`, as JSAMP's
 * hub does, so scripts and tests can run private hubs. With `--web`, web pages on this machine
 * may ask to register (SAMP 1.3 §5.4 wants the user's consent): the hub asks on the terminal
 * when stdin is one and refuses otherwise; `--accept-web-clients` accepts every page.
 */

import { SampHub, acceptAllWebClients, createTerminalConsent, refuseAllWebClients, type WebConsentPolicy } from '@vokit/samp';
import type { Command } from '../command.js';
import { SampCommandError, UsageError } from '../errors.js';
import { waitForSignal } from '../signals.js';

/** How registrations of web pages are decided, and how to say so in the start-up line. */
function chooseConsent(acceptAll: boolean, interactive: boolean): { policy: WebConsentPolicy; label: string } {
  if (acceptAll) return { policy: acceptAllWebClients, label: 'every web page accepted (--accept-web-clients)' };
  if (interactive) return { policy: createTerminalConsent(), label: 'asking on this terminal before a web page registers' };
  return { policy: refuseAllWebClients, label: 'web pages refused (no terminal to ask; --accept-web-clients accepts them)' };
}

export const sampHubCommand: Command = {
  spec: {
    name: 'samp hub',
    summary: 'Run a SAMP hub until Ctrl-C (Standard Profile, optionally Web Profile).',
    positionals: [],
    options: {
      web: { type: 'boolean', description: 'also run the Web Profile on http://localhost:21012/ for web pages' },
      'accept-web-clients': { type: 'boolean', description: 'with --web: register every web page without asking (tests, kiosks)' },
      'no-restrict-mtypes': { type: 'boolean', description: "with --web: let web pages send any MType (JSAMP's -web:norestrictmtypes)" },
    },
    details: [
      'The lockfile is written where SAMP_HUB=std-lockurl:file:///PATH says, else ~/.samp,',
      'with mode 0600; a stale lockfile is replaced, a live hub\'s is not. The first line on',
      'standard output is SAMP_HUB=... for clients of this hub.',
      '',
      'With --web, a web page may register only with your consent: the hub asks on the',
      'terminal when standard input is one, and refuses every page otherwise. Web pages may',
      "send only the MTypes JSAMP deems safe unless --no-restrict-mtypes is given.",
      '',
      'SIGINT (Ctrl-C) or SIGTERM stops the hub: clients are told (samp.hub.event.shutdown)',
      'and the lockfile is removed.',
      '',
      'Examples:',
      '  vokit samp hub',
      '  SAMP_HUB=std-lockurl:file:///tmp/test/samp vokit samp hub --web --accept-web-clients',
    ].join('\n'),
  },
  async run(args, context) {
    const web = args.options.web === true;
    for (const flag of ['accept-web-clients', 'no-restrict-mtypes']) {
      if (args.options[flag] === true && !web) throw new UsageError(`samp hub: --${flag} applies to the Web Profile: add --web`);
    }
    const consent = chooseConsent(args.options['accept-web-clients'] === true, process.stdin.isTTY === true);
    const say = (line: string) => context.stderr.write(`vokit samp hub: ${line}\n`);
    // Wait for signals from the start: a Ctrl-C during start-up must still remove the lockfile.
    const stop = waitForSignal();
    let hub: SampHub;
    try {
      hub = await SampHub.start({
        web: web ? { consent: consent.policy, restrictMTypes: args.options['no-restrict-mtypes'] !== true } : undefined,
        log: say,
      });
    } catch (error) {
      stop.dispose();
      if ((error as { code?: string }).code === 'EADDRINUSE' && web) {
        throw new SampCommandError(
          `port 21012 is taken: another hub runs the Web Profile on this machine (the port is fixed by SAMP 1.3 §5.2); stop it or drop --web`,
          { cause: error },
        );
      }
      throw error;
    }
    context.stdout.write(`SAMP_HUB=${hub.sampHubValue}\n`);
    say(`running at ${hub.xmlrpcUrl}, lockfile ${hub.lockfilePath}`);
    if (hub.webProfile) {
      const restriction = args.options['no-restrict-mtypes'] === true ? 'any MType' : 'safe MTypes only';
      say(`Web Profile at ${hub.webProfile.url}: ${consent.label}; ${restriction}`);
    }
    say('Ctrl-C stops it');
    const signal = await stop.received;
    say(`${signal}: shutting down`);
    await hub.stop();
    say('stopped, lockfile removed');
  },
};
