/**
 * Choosing a {@link SkyMatchKernel}: the WebAssembly kernel of a core (default: the memoised
 * core of init()/initSync()), or the TypeScript twin.
 */
import { referenceSkyKernel } from './reference/sky-grid.js';
import type { SkyMatchKernel } from './sky-match-kernel.js';
import { wasmSkyMatchKernel } from './wasm-sky-match-kernel.js';
import { defaultWasmCore, type WasmCore } from './wasm.js';

/**
 * The sky-grid kernel on a WebAssembly core; default the core of init()/initSync(), loaded
 * synchronously on first use.
 */
export function getSkyMatchKernel(core: WasmCore = defaultWasmCore()): SkyMatchKernel {
  return wasmSkyMatchKernel(core);
}

/** A new pure TypeScript sky-grid kernel (no WebAssembly), with its own memory. */
export function skyMatchReference(): SkyMatchKernel {
  return referenceSkyKernel();
}

/** The kernel used when options give none. @internal */
export function defaultSkyMatchKernel(): SkyMatchKernel {
  return wasmSkyMatchKernel(defaultWasmCore());
}
