// Endpoints of the DaCHS testbed (testbed/up.sh writes them to <repo>/.testbed/endpoints.env).
// Read at module load by the integration files that need a real VO server: when the file is
// missing they FAIL saying how to start the testbed; they never skip. VOKIT_TESTBED_ENV points
// elsewhere (e.g. to check that a dead server fails the tests).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The testbed services the SAMP tests use. */
export interface DachsTestbed {
  /** TAP base URL. */
  tap: string;
  /** Simple Cone Search URL (RA, DEC, SR appended). */
  scs: string;
}

/** Reads the testbed endpoints, or throws naming the missing file or key. */
export function dachsTestbed(): DachsTestbed {
  const file = process.env.VOKIT_TESTBED_ENV ?? fileURLToPath(new URL('../../../../.testbed/endpoints.env', import.meta.url));
  if (!existsSync(file)) throw new Error(`testbed endpoints file ${file} is missing: run testbed/up.sh (as root) first`);
  const env = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env.set(m[1]!, m[2]!);
  }
  const get = (key: string): string => {
    const value = env.get(`VOKIT_TESTBED_${key}`);
    if (!value) throw new Error(`${file} lacks VOKIT_TESTBED_${key}: re-run testbed/up.sh`);
    return value;
  };
  return { tap: get('TAP'), scs: get('SCS') };
}
