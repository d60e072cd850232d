// Spawns the real `vokit` bin (bin/vokit.js → dist/main.js) and collects its output. Async, so
// an http server in the test process keeps serving while the child runs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../bin/vokit.js', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../../../packages/votable/test/fixtures/', import.meta.url));

export interface VokitResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(fileURLToPath(new URL('../dist/main.js', import.meta.url)))) {
    throw new Error('apps/cli is not built: run `pnpm exec turbo run build --filter=@vokit/cli...` first');
  }
}

export function runVokit(args: string[], options: { stdin?: Uint8Array | string; cwd?: string } = {}): Promise<VokitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, VOKIT_DEBUG: '' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {}); // the child may exit before reading all of stdin
    child.stdin.end(options.stdin ?? '');
  });
}
