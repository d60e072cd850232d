/**
 * {@link SkyMatchKernel} over a {@link WasmCore}: the kd-tree functions of assembly/kdtree.ts,
 * addressing the core's memory from its scratch base. The memory is shared with the HEALPix
 * kernel's scratch, which is only used during its own synchronous calls.
 */
import type { SkyMatchKernel } from './sky-match-kernel.js';
import type { WasmCore } from './wasm.js';

/** The kd-tree exports of assembly/index.ts. */
interface KdExports {
  kdBuild(n: number, nodeSize: number, ids: number, coords: number, axes: number): void;
  kdPairs(
    n: number, nodeSize: number, ids: number, coords: number, axes: number,
    qcount: number, qids: number, qcoords: number, qlimits: number, limit2: number,
    outA: number, outB: number, outD2: number, capacity: number, state: number,
  ): number;
  kdNearest(
    n: number, nodeSize: number, ids: number, coords: number, axes: number,
    qcount: number, qids: number, qcoords: number, qlimits: number, limit2: number,
    outA: number, outB: number, outD2: number,
  ): number;
}

const kernels = new WeakMap<WasmCore, SkyMatchKernel>();

/** The kd-tree kernel running on the given core (one per core). */
export function wasmSkyMatchKernel(core: WasmCore): SkyMatchKernel {
  let kernel = kernels.get(core);
  if (kernel) return kernel;
  const x = core.exports as unknown as KdExports;
  kernel = {
    name: core.variant,
    base: core.heapBase,
    reserve: (bytes) => core.reserve(bytes),
    memory: () => core.exports.memory.buffer,
    build: (n, nodeSize, ids, coords, axes) => x.kdBuild(n, nodeSize, ids, coords, axes),
    pairs: (n, nodeSize, ids, coords, axes, qcount, qids, qcoords, qlimits, limit2, outA, outB, outD2, capacity, state) =>
      x.kdPairs(n, nodeSize, ids, coords, axes, qcount, qids, qcoords, qlimits, limit2, outA, outB, outD2, capacity, state),
    nearest: (n, nodeSize, ids, coords, axes, qcount, qids, qcoords, qlimits, limit2, outA, outB, outD2) =>
      x.kdNearest(n, nodeSize, ids, coords, axes, qcount, qids, qcoords, qlimits, limit2, outA, outB, outD2),
  };
  kernels.set(core, kernel);
  return kernel;
}
