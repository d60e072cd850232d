/**
 * Crossmatch on several threads (Node `worker_threads`): A is cut into declination zones of
 * equal row counts, each worker matches its zone against the rows of B within the zone widened
 * by the largest possible limit (a pair's declinations differ by at most its separation), and
 * the main thread merges the raw pairs and applies the mode's reduction once. Each A row is
 * queried in exactly one zone against every B row that can match it, with the same vectors,
 * kernel and tie rules, so the result is identical to {@link crossmatch}'s, which the tests
 * check on every mode. Node modules are imported when the function runs, so that importing the
 * package stays possible in browsers.
 */
import type { Worker } from 'node:worker_threads';
import { checkMatch, crossmatch, resolvePairs, type CrossmatchOptions, type MatchResult, type SkyColumns } from './crossmatch.js';
import { OptionsError } from './errors.js';
import { appendPairs, createPairList } from './pair-list.js';
import { defaultWasmCore } from './wasm.js';
import type { ZoneAnswer, ZoneJob } from './worker-match-thread.js';

/** Options of {@link crossmatchParallel}. */
export interface ParallelCrossmatchOptions extends Omit<CrossmatchOptions, 'kernel' | 'onProgress'> {
  /** Worker threads (zones). Default: the machine's available parallelism, at most 8. */
  workers?: number;
  /** Below this many A rows the match runs on the calling thread. Default 200 000. */
  minRows?: number;
}

/** The compiled worker entry next to this module, or in dist/ when running from src/ in-repo. */
async function workerUrl(): Promise<URL> {
  const { existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const sibling = new URL('./worker-match-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  const built = new URL('../dist/worker-match-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new OptionsError('worker-match-thread.js is not built: run `pnpm build` in packages/crossmatch-wasm');
}

function subset(c: SkyColumns, rows: Int32Array): { ra: Float64Array; dec: Float64Array } {
  const ra = new Float64Array(rows.length);
  const dec = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    ra[i] = c.ra[rows[i]];
    dec[i] = c.dec[rows[i]];
  }
  return { ra, dec };
}

function pick(values: ArrayLike<number> | undefined, rows: Int32Array): Float64Array | undefined {
  return values === undefined ? undefined : Float64Array.from(rows, (r) => values[r]);
}

/**
 * {@link crossmatch} on worker threads, with identical results; for large catalogues (the
 * threads pay for copying each zone's rows). Node only.
 */
export async function crossmatchParallel(a: SkyColumns, b: SkyColumns, options: ParallelCrossmatchOptions = {}): Promise<MatchResult> {
  const m = checkMatch(a, b, options);
  const { availableParallelism } = await import('node:os');
  const workers = options.workers ?? Math.min(8, availableParallelism());
  if (!Number.isInteger(workers) || workers < 1) throw new OptionsError(`workers must be a positive integer, got ${String(options.workers)}`);
  if (workers === 1 || m.rowsA < (options.minRows ?? 200_000)) return crossmatch(a, b, options);

  // zone boundaries: declination quantiles of A's finite rows (from a sample)
  const step = Math.max(1, Math.floor(m.rowsA / 65536));
  const sample: number[] = [];
  for (let i = 0; i < m.rowsA; i += step) if (Number.isFinite(a.dec[i]) && Number.isFinite(a.ra[i])) sample.push(a.dec[i]);
  sample.sort((x, y) => x - y);
  const bounds = [-Infinity];
  for (let k = 1; k < workers; k++) bounds.push(sample[Math.floor((k * sample.length) / workers)] ?? Infinity);
  bounds.push(Infinity);

  let maxErrorA = 0;
  let maxErrorB = 0;
  if (m.errorA) for (let i = 0; i < m.rowsA; i++) if (m.errorA[i] > maxErrorA) maxErrorA = m.errorA[i];
  if (m.errorB) for (let i = 0; i < m.rowsB; i++) if (m.errorB[i] > maxErrorB) maxErrorB = m.errorB[i];
  // degrees, with slack for rounding in the chord test (pairs are exact, the margin only has to cover them)
  const margin = ((m.radius + maxErrorA + maxErrorB) / 3600) * (1 + 1e-6) + 1e-9;

  const zoneOf = (dec: number): number => {
    let k = 0;
    while (k + 1 < workers && dec >= bounds[k + 1]) k++;
    return k;
  };
  const aRows: number[][] = Array.from({ length: workers }, () => []);
  let finiteA = 0;
  for (let i = 0; i < m.rowsA; i++) {
    if (!Number.isFinite(a.ra[i]) || !Number.isFinite(a.dec[i])) continue;
    finiteA++;
    aRows[zoneOf(a.dec[i])].push(i);
  }
  const bRows: number[][] = Array.from({ length: workers }, () => []);
  let finiteB = 0;
  for (let j = 0; j < m.rowsB; j++) {
    const dec = b.dec[j];
    if (!Number.isFinite(b.ra[j]) || !Number.isFinite(dec)) continue;
    finiteB++;
    for (let k = 0; k < workers; k++) if (dec >= bounds[k] - margin && dec <= bounds[k + 1] + margin) bRows[k].push(j);
  }

  const core = defaultWasmCore();
  const { Worker } = await import('node:worker_threads');
  const url = await workerUrl();
  const threads: Worker[] = [];
  try {
    const answers = await Promise.all(
      aRows.map((rowsList, k) => {
        const rowsOfA = Int32Array.from(rowsList);
        const rowsOfB = Int32Array.from(bRows[k]);
        const job: ZoneJob = {
          module: core.module,
          variant: core.variant,
          a: subset(a, rowsOfA),
          b: subset(b, rowsOfB),
          match: { ...m, rowsA: rowsOfA.length, rowsB: rowsOfB.length, errorA: pick(m.errorA, rowsOfA), errorB: pick(m.errorB, rowsOfB) },
          nodeSize: options.nodeSize,
        };
        const worker = new Worker(url);
        threads.push(worker);
        return new Promise<{ answer: ZoneAnswer; rowsOfA: Int32Array; rowsOfB: Int32Array }>((resolve, reject) => {
          worker.once('message', (answer: ZoneAnswer) =>
            answer.error ? reject(new OptionsError(`worker of zone ${k} failed: ${answer.error}`)) : resolve({ answer, rowsOfA, rowsOfB }),
          );
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new OptionsError(`worker of zone ${k} exited (status ${code}) before answering`)));
          worker.postMessage(job, [job.a.ra, job.a.dec, job.b.ra, job.b.dec].map((x) => x.buffer as ArrayBuffer));
        });
      }),
    );
    const merged = createPairList(answers.reduce((s, x) => s + x.answer.a.length, 0));
    for (const { answer, rowsOfA, rowsOfB } of answers) {
      // back to the catalogues' row numbers (zone rows are increasing, so tie order is kept)
      for (let i = 0; i < answer.a.length; i++) {
        answer.a[i] = rowsOfA[answer.a[i]];
        answer.b[i] = rowsOfB[answer.b[i]];
      }
      appendPairs(merged, answer.a, answer.b, answer.d2, answer.a.length);
    }
    return resolvePairs(merged, m, finiteA, finiteB);
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
