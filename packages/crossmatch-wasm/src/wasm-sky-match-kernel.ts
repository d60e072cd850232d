/**
 * {@link SkyMatchKernel} over a {@link WasmCore}: the functions of assembly/sky-vectors.ts, sky-grid.ts and sky-order.ts,
 * addressing the core's memory from its scratch base. The memory is shared with the HEALPix
 * kernel's scratch, which is only used during its own synchronous calls.
 */
import type { SkyMatchKernel } from './sky-match-kernel.js';
import type { WasmCore } from './wasm.js';

/** The sky-grid exports of assembly/index.ts. */
interface GridExports {
  unitVectors(count: number, ra: number, dec: number, firstRow: number, coords: number, ids: number): number;
  gridBuild(n: number, nodeSize: number, level: number, ids: number, coords: number, offsets: number, scratch: number): void;
  gridPairs(
    n: number, nodeSize: number, level: number, ids: number, coords: number, offsets: number,
    qcount: number, qids: number, qcoords: number, qlimits: number, limit2: number,
    outA: number, outB: number, outD2: number, capacity: number, state: number,
  ): number;
  gridNearest(
    n: number, nodeSize: number, level: number, ids: number, coords: number, offsets: number,
    qcount: number, qids: number, qcoords: number, qlimits: number, limit2: number,
    outA: number, outB: number, outD2: number,
  ): number;
  sortQueries(
    count: number, level: number, ids: number, coords: number, limits: number,
    sortedIds: number, sortedCoords: number, sortedLimits: number, keys: number, start: number,
  ): void;
}

const kernels = new WeakMap<WasmCore, SkyMatchKernel>();

/** The sky-grid kernel running on the given core (one per core). */
export function wasmSkyMatchKernel(core: WasmCore): SkyMatchKernel {
  let kernel = kernels.get(core);
  if (kernel) return kernel;
  const x = core.exports as unknown as GridExports;
  kernel = {
    name: core.variant,
    base: core.heapBase,
    reserve: (bytes) => core.reserve(bytes),
    memory: () => core.exports.memory.buffer,
    unitVectors: (count, ra, dec, firstRow, coords, ids) => x.unitVectors(count, ra, dec, firstRow, coords, ids),
    build: (n, nodeSize, level, ids, coords, offsets, scratch) => x.gridBuild(n, nodeSize, level, ids, coords, offsets, scratch),
    pairs: (n, nodeSize, level, ids, coords, offsets, qcount, qids, qcoords, qlimits, limit2, outA, outB, outD2, capacity, state) =>
      x.gridPairs(n, nodeSize, level, ids, coords, offsets, qcount, qids, qcoords, qlimits, limit2, outA, outB, outD2, capacity, state),
    nearest: (n, nodeSize, level, ids, coords, offsets, qcount, qids, qcoords, qlimits, limit2, outA, outB, outD2) =>
      x.gridNearest(n, nodeSize, level, ids, coords, offsets, qcount, qids, qcoords, qlimits, limit2, outA, outB, outD2),
    sortQueries: (count, level, ids, coords, limits, sortedIds, sortedCoords, sortedLimits, keys, start) =>
      x.sortQueries(count, level, ids, coords, limits, sortedIds, sortedCoords, sortedLimits, keys, start),
  };
  kernels.set(core, kernel);
  return kernel;
}
