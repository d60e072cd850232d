// Drives the project's SAMP testbed scripts (testbed/samp/*.sh): JSAMP hub and HubTester,
// TOPCAT under Xvfb. Each world lives in its own temp directory, so test files run in parallel.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** testbed/samp, resolved from this file. */
export const TESTBED = fileURLToPath(new URL('../../../../testbed/samp/', import.meta.url));
/** Debian's JSAMP jar, as installed by testbed/samp/install.sh. */
export const JSAMP_JAR = '/usr/share/java/jsamp.jar';

/** Fails loudly (never skips) when the testbed packages are missing. */
export function requireTestbed(files: string[] = [JSAMP_JAR, '/usr/bin/java']): void {
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}: run testbed/samp/install.sh (Debian packages)`);
}

/** A running JSAMP hub. */
export interface JsampHub {
  dir: string;
  lockfile: string;
  /** `SAMP_HUB` value for it. */
  sampHub: string;
  stop(): Promise<void>;
}

/** Starts JSAMP's hub on a private lockfile in `dir`. */
export async function startJsampHub(dir: string, flags: string[] = []): Promise<JsampHub> {
  requireTestbed();
  const { stdout } = await run('bash', [`${TESTBED}jsamp-hub.sh`, 'start', dir, ...flags], { timeout: 60_000 });
  const sampHub = stdout.trim().replace(/^SAMP_HUB=/, '');
  return {
    dir,
    lockfile: `${dir}/samp`,
    sampHub,
    stop: async () => void (await run('bash', [`${TESTBED}jsamp-hub.sh`, 'stop', dir], { timeout: 30_000 })),
  };
}

/** Result of one HubTester run. */
export interface HubTesterResult {
  pass: boolean;
  /** Wall-clock seconds. */
  seconds: number;
  warnings: number;
  /** The script's result line. */
  line: string;
}

/** Runs JSAMP's HubTester against a lockfile, or the Web Profile hub with `'web'`. */
export async function runHubTester(target: string | 'web', timeoutSeconds = 150): Promise<HubTesterResult> {
  requireTestbed();
  const args = [`${TESTBED}hubtester.sh`, '--timeout', String(timeoutSeconds), ...(target === 'web' ? ['--web'] : [target])];
  const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>((resolve) => {
    const child = spawn('bash', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => resolve({ stdout: out, code }));
  });
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const m = /PASS in ([\d.]+) s, (\d+) warning/.exec(line);
  return { pass: code === 0 && m !== null, seconds: m ? Number(m[1]) : NaN, warnings: m ? Number(m[2]) : NaN, line };
}

/** Runs a JSAMP tool (`messagesender`, `snooper`, ...) to completion with SAMP_HUB set. */
export async function runJsamp(sampHub: string, tool: string, args: string[], timeoutMs = 60_000): Promise<{ stdout: string; stderr: string }> {
  requireTestbed();
  return run('java', ['-classpath', JSAMP_JAR, 'org.astrogrid.samp.JSamp', tool, ...args], {
    env: { ...process.env, SAMP_HUB: sampHub },
    timeout: timeoutMs,
  });
}

/** Runs /usr/bin/python3 (Debian's, with astropy) on a script given as text, with SAMP_HUB set. */
export async function runPython(script: string, env: Record<string, string>, timeoutMs = 60_000): Promise<string> {
  requireTestbed(['/usr/bin/python3']);
  const { stdout } = await run('/usr/bin/python3', ['-c', script], { env: { ...process.env, ...env }, timeout: timeoutMs });
  return stdout;
}
