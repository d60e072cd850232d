// A module worker of the browser test: loads the core as the page asks (`init()`, `initSync()`,
// or `init({ module })` with a WebAssembly.Module the page compiled and posted), then runs
// HEALPix and every crossmatch mode on the posted catalogues and posts the answers back.
import { crossmatch, getHealpix, init, initSync, MATCH_FINDS, SkyIndex } from '/dist/index.js';
import { CROSSMATCH_RADIUS, HEALPIX_CASES, matchToJson, readCatalogues, runHealpix } from './workload.js';

self.onmessage = async ({ data }) => {
  try {
    const started = performance.now();
    let core;
    if (data.mode === 'init') core = await init();
    else if (data.mode === 'initSync') core = initSync();
    else core = await init({ module: data.module, variant: data.variant });
    const loadMs = performance.now() - started;
    const { a, b } = readCatalogues(data.catalogues);
    const target = data.index ? SkyIndex.from(data.index) : b;
    const matches = {};
    const matchStarted = performance.now();
    for (const find of MATCH_FINDS) matches[find] = matchToJson(crossmatch(a, target, { radius: CROSSMATCH_RADIUS, find }));
    const matchMs = performance.now() - matchStarted;
    self.postMessage({
      variant: core.variant,
      loadMs,
      matchMs,
      sameModule: data.module ? core.module === data.module : undefined,
      usedIndex: data.index !== undefined,
      healpix: runHealpix(getHealpix(), HEALPIX_CASES),
      matches,
    });
  } catch (error) {
    self.postMessage({ error: String((error && error.stack) || error) });
  }
};
