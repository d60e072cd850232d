// The browser side of test/browser.integration.test.ts. Loads the built package (dist/, served
// as native ES modules: it has no dependencies), checks which variant init() chose, runs HEALPix
// on the main thread, then runs the same crossmatch in three module workers that load the core
// in the three supported ways, and POSTs everything to /result as JSON (bigints as strings).
import { getHealpix, init, simdSupported, SkyIndex } from '/dist/index.js';
import { HEALPIX_CASES, readCatalogues, runHealpix } from './workload.js';

const log = (line) => (document.getElementById('log').textContent += `${line}\n`);
const result = { userAgent: navigator.userAgent };

/** Runs one worker to its single answer; rejects on a worker error or after `ms`. */
function runWorker(message, transfer, ms = 60_000) {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${message.mode}: no answer in ${ms} ms`)), ms);
    worker.onmessage = (event) => {
      clearTimeout(timer);
      if (event.data.error) reject(new Error(`worker ${message.mode}: ${event.data.error}`));
      else resolve(event.data);
    };
    worker.onerror = (event) => {
      clearTimeout(timer);
      reject(new Error(`worker ${message.mode}: ${event.message} (${event.filename}:${event.lineno})`));
    };
    worker.postMessage(message, transfer);
  }).finally(() => worker.terminate());
}

try {
  const started = performance.now();
  const core = await init();
  result.main = {
    initMs: performance.now() - started,
    variant: core.variant,
    simdSupported: simdSupported(),
    healpix: runHealpix(getHealpix(), HEALPIX_CASES),
  };
  log(`main thread: ${core.variant}`);

  const catalogues = await (await fetch('/catalogues.f64')).arrayBuffer();
  const { b } = readCatalogues(catalogues);
  // A tree of B built here and posted (transferred) as its one ArrayBuffer, for the worker
  // that gets the precompiled module.
  const index = SkyIndex.build(b.ra, b.dec);

  result.workers = {};
  // One at a time: the machine running CI may have two cores, and the answers are compared
  // exactly, not timed.
  result.workers.init = await runWorker({ mode: 'init', catalogues: catalogues.slice(0) });
  result.workers.initSync = await runWorker({ mode: 'initSync', catalogues: catalogues.slice(0) });
  const copy = catalogues.slice(0);
  result.workers.module = await runWorker(
    { mode: 'module', module: core.module, variant: core.variant, catalogues: copy, index: index.buffer },
    [copy, index.buffer],
  );
  result.indexDetached = index.buffer.byteLength === 0;
  log('workers done');
  result.ok = true;
} catch (error) {
  result.error = String((error && error.stack) || error);
}
await fetch('/result', { method: 'POST', body: JSON.stringify(result) });
