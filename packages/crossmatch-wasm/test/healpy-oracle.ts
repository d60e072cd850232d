// Client of `scripts/golden-healpix.py --serve`: sends all requests in one go to Debian's
// /usr/bin/python3 (python3-healpy, installed by scripts/setup.sh) and splits the binary answer.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../scripts/golden-healpix.py', import.meta.url));

type Array64 = Float64Array | BigInt64Array;

/** One request: its JSON header, its input arrays, and the answer's array shapes. */
export interface OracleRequest {
  header: Record<string, unknown>;
  inputs: Array64[];
  /** Element kinds and counts of the answer; 'count' reads an i64 length then that many i64. */
  answer: Array<['f64' | 'i64', number] | ['count']>;
}

/** Runs every request through healpy; returns each request's answer arrays. */
export function askHealpy(requests: OracleRequest[]): Array64[][] {
  const parts: Uint8Array[] = [];
  for (const r of requests) {
    parts.push(Buffer.from(JSON.stringify(r.header) + '\n'));
    for (const a of r.inputs) parts.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  if (process.env.VOKIT_HEALPY_DUMP) writeFileSync(process.env.VOKIT_HEALPY_DUMP, Buffer.concat(parts));
  const result = spawnSync(PYTHON, [SCRIPT, '--serve'], {
    input: Buffer.concat(parts),
    maxBuffer: 1 << 30,
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`healpy oracle failed (${result.status ?? result.signal}): ${String(result.stderr).slice(-2000)}`);
  }
  const out = result.stdout;
  // copy into an 8-byte aligned buffer so that typed arrays can view it
  const bytes = new Uint8Array(out.length);
  bytes.set(out);
  let offset = 0;
  const answers: Array64[][] = [];
  for (const r of requests) {
    const arrays: Array64[] = [];
    for (const shape of r.answer) {
      if (shape[0] === 'count') {
        const count = Number(new BigInt64Array(bytes.buffer, offset, 1)[0]);
        offset += 8;
        arrays.push(new BigInt64Array(bytes.buffer.slice(offset, offset + 8 * count)));
        offset += 8 * count;
      } else {
        const [kind, n] = shape;
        const slice = bytes.buffer.slice(offset, offset + 8 * n);
        arrays.push(kind === 'f64' ? new Float64Array(slice) : new BigInt64Array(slice));
        offset += 8 * n;
      }
    }
    answers.push(arrays);
  }
  if (offset !== bytes.length) throw new Error(`healpy oracle: ${bytes.length - offset} unread bytes`);
  return answers;
}
