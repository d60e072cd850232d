#!/usr/bin/env node
// vokit-hub.mjs -- run the @vokit/samp hub from the built package, for manual testing:
//   node testbed/samp/vokit-hub.mjs LOCKFILE [--web] [--no-restrict-mtypes]
// Accepts every web registration (test use only). Stops cleanly on SIGINT/SIGTERM.
import { SampHub, acceptAllWebClients } from '../../packages/samp/dist/index.js';

const [lockfile, ...flags] = process.argv.slice(2);
if (!lockfile) {
  console.error('usage: vokit-hub.mjs LOCKFILE [--web] [--no-restrict-mtypes]');
  process.exit(2);
}
const web = flags.includes('--web')
  ? { consent: acceptAllWebClients, restrictMTypes: !flags.includes('--no-restrict-mtypes') }
  : undefined;
const hub = await SampHub.start({ lockfile, web, log: (line) => console.error(`[hub] ${line}`) });
console.error(`[hub] up: ${hub.xmlrpcUrl}${web ? `, web ${hub.webProfile.url}` : ''}`);
console.log(`SAMP_HUB=${hub.sampHubValue}`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => hub.stop().then(() => process.exit(0)));
}
