/**
 * The worker side of {@link crossmatchParallel}: matches one declination zone of A against the
 * rows of B in that zone and its margin, and posts back the raw pairs (zone-local row numbers).
 * Runs the same code as the single-thread path (matchPairs), on its own WebAssembly instance of
 * the module the main thread posted.
 */
import { parentPort } from 'node:worker_threads';
import { matchPairs, type CheckedMatch } from './crossmatch.js';
import { wasmSkyMatchKernel } from './wasm-sky-match-kernel.js';
import { loadWasm, type WasmVariant } from './wasm.js';

/** One zone's job. @internal */
export interface ZoneJob {
  module: WebAssembly.Module;
  variant: WasmVariant;
  a: { ra: Float64Array; dec: Float64Array };
  b: { ra: Float64Array; dec: Float64Array };
  match: CheckedMatch;
  nodeSize: number | undefined;
}

/** One zone's answer. @internal */
export interface ZoneAnswer {
  a: Int32Array;
  b: Int32Array;
  d2: Float64Array;
  error?: string;
}

parentPort?.on('message', (job: ZoneJob) => {
  try {
    const kernel = wasmSkyMatchKernel(loadWasm({ module: job.module, variant: job.variant }));
    const { pairs } = matchPairs(kernel, job.a, job.b, job.match, job.nodeSize);
    const answer: ZoneAnswer = { a: pairs.a.slice(0, pairs.length), b: pairs.b.slice(0, pairs.length), d2: pairs.d2.slice(0, pairs.length) };
    parentPort!.postMessage(answer, [answer.a.buffer as ArrayBuffer, answer.b.buffer as ArrayBuffer, answer.d2.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ error: (error as Error).stack ?? String(error) });
  }
});
