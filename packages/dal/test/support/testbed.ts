// Endpoints of the DaCHS testbed (testbed/up.sh writes them). Integration tests call this
// at module load: when the testbed is not up the file is missing and the tests FAIL with a
// message saying how to start it; they are never skipped.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Testbed {
  base: string;
  tap: string;
  scs: string;
  sia1: string;
  sia2: string;
  ssa: string;
  slap: string;
  datalinkImages: string;
}

export function testbed(): Testbed {
  const file = process.env.VOKIT_TESTBED_ENV ?? fileURLToPath(new URL('../../../../.testbed/endpoints.env', import.meta.url));
  if (!existsSync(file)) {
    throw new Error(`testbed endpoints file ${file} is missing: run testbed/up.sh (as root) first`);
  }
  const env: { [k: string]: string } = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  const get = (k: string) => {
    const v = env[`VOKIT_TESTBED_${k}`];
    if (!v) throw new Error(`${file} lacks VOKIT_TESTBED_${k}`);
    return v;
  };
  return {
    base: get('BASE'),
    tap: get('TAP'),
    scs: get('SCS'),
    sia1: get('SIA1'),
    sia2: get('SIA2'),
    ssa: get('SSA'),
    slap: get('SLAP'),
    datalinkImages: get('DATALINK_IMAGES'),
  };
}
