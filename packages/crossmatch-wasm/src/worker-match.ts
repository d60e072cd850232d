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
import { checkMatch, crossmatch, resolvePairs, scanB, type CheckedMatch, type CrossmatchOptions, type MatchResult, type SkyColumns } from './crossmatch.js';
import { OptionsError } from './errors.js';
import { appendPairs, createPairList, nearestPerB } from './pair-list.js';
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

function subset(c: SkyColumns, rows: Int32Array): { ra: Float64Array<ArrayBuffer>; dec: Float64Array<ArrayBuffer> } {
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
  if (!Number.isInteger(workers) || workers < 1 || workers > 127) throw new OptionsError(`workers must be an integer from 1 to 127, got ${String(options.workers)}`);
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
  // zone of every finite A row, then the rows of each zone (two passes into exact-size arrays)
  const aCount = new Int32Array(workers);
  const aZone = new Int8Array(m.rowsA).fill(-1);
  let finiteA = 0;
  for (let i = 0; i < m.rowsA; i++) {
    if (!Number.isFinite(a.ra[i]) || !Number.isFinite(a.dec[i])) continue;
    finiteA++;
    const k = zoneOf(a.dec[i]);
    aZone[i] = k;
    aCount[k]++;
  }
  const aRows = Array.from(aCount, (n) => new Int32Array(n));
  aCount.fill(0);
  for (let i = 0; i < m.rowsA; i++) if (aZone[i] >= 0) aRows[aZone[i]][aCount[aZone[i]]++] = i;
  const inZone = (dec: number, k: number) => dec >= bounds[k] - margin && dec <= bounds[k + 1] + margin;
  const bCount = new Int32Array(workers);
  let finiteB = 0;
  for (let j = 0; j < m.rowsB; j++) {
    const dec = b.dec[j];
    if (!Number.isFinite(b.ra[j]) || !Number.isFinite(dec)) continue;
    finiteB++;
    for (let k = 0; k < workers; k++) if (inZone(dec, k)) bCount[k]++;
  }
  const bRows = Array.from(bCount, (n) => new Int32Array(n));
  bCount.fill(0);
  for (let j = 0; j < m.rowsB; j++) {
    const dec = b.dec[j];
    if (!Number.isFinite(b.ra[j]) || !Number.isFinite(dec)) continue;
    for (let k = 0; k < workers; k++) if (inZone(dec, k)) bRows[k][bCount[k]++] = j;
  }

  // STILTS best scanning A needs only each A row's nearest (see keepBestClaims): workers then
  // run the nearest-neighbour kernel, and the claims on B rows are settled here
  const bestViaNearest = m.find === 'best' && !m.errorB && !scanB(finiteA, finiteB);
  const zoneMatch: CheckedMatch = bestViaNearest ? { ...m, find: 'nearest' } : m;
  const core = defaultWasmCore();
  const pool = await takeWorkers(workers);
  let healthy = true;
  try {
    const answers = await Promise.all(
      aRows.map((rowsOfA, k) => {
        const rowsOfB = bRows[k];
        const job: ZoneJob = {
          module: core.module,
          variant: core.variant,
          a: subset(a, rowsOfA),
          b: subset(b, rowsOfB),
          match: { ...zoneMatch, rowsA: rowsOfA.length, rowsB: rowsOfB.length, errorA: pick(m.errorA, rowsOfA), errorB: pick(m.errorB, rowsOfB) },
          nodeSize: options.nodeSize,
        };
        const worker = pool[k];
        return new Promise<{ answer: ZoneAnswer; rowsOfA: Int32Array; rowsOfB: Int32Array }>((resolve, reject) => {
          const onMessage = (answer: ZoneAnswer) => {
            worker.off('error', onError);
            worker.off('exit', onExit);
            if (answer.error) reject(new OptionsError(`worker of zone ${k} failed: ${answer.error}`));
            else resolve({ answer, rowsOfA, rowsOfB });
          };
          const onError = (error: Error) => {
            healthy = false;
            reject(error);
          };
          const onExit = (code: number) => {
            healthy = false;
            reject(new OptionsError(`worker of zone ${k} exited (status ${code}) before answering`));
          };
          worker.once('message', onMessage);
          worker.once('error', onError);
          worker.once('exit', onExit);
          worker.postMessage(job, [job.a.ra, job.a.dec, job.b.ra, job.b.dec].map((x) => x.buffer as ArrayBuffer));
        });
      }),
    );
    const merged = createPairList(answers.reduce((sum, x) => sum + x.answer.a.length, 0));
    for (const { answer, rowsOfA, rowsOfB } of answers) {
      // back to the catalogues' row numbers (zone rows are increasing, so tie order is kept)
      for (let i = 0; i < answer.a.length; i++) {
        answer.a[i] = rowsOfA[answer.a[i]];
        answer.b[i] = rowsOfB[answer.b[i]];
      }
      appendPairs(merged, answer.a, answer.b, answer.d2, answer.a.length);
    }
    if (bestViaNearest) return resolvePairs(nearestPerB(merged, m.rowsA, m.rowsB), { ...m, find: 'all' }, finiteA, finiteB);
    return resolvePairs(merged, m, finiteA, finiteB);
  } finally {
    if (healthy) {
      for (const worker of pool) worker.unref(); // idle: must not keep the process alive
      idle.push(...pool);
    } else await Promise.all(pool.map((w) => w.terminate()));
  }
}

/**
 * Idle workers kept between calls, so that only the first call pays for starting threads and
 * loading the package in them. Idle workers are unref'd: they never keep the process alive.
 */
const idle: Worker[] = [];

async function takeWorkers(count: number): Promise<Worker[]> {
  const { Worker } = await import('node:worker_threads');
  const url = await workerUrl();
  const taken = idle.splice(0, count);
  while (taken.length < count) taken.push(new Worker(url));
  for (const worker of taken) worker.ref(); // busy: keeps the process alive until it answers
  return taken;
}
