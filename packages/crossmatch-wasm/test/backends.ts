// The four implementations every HEALPix suite runs against (STYLE §21): the three WebAssembly
// builds, each on its own core, and the TypeScript reference.
import { getHealpix, healpixReference, loadWasm, WASM_VARIANTS, type Healpix } from '../src/index.js';

export const BACKENDS: Array<{ name: string; healpix: Healpix }> = [
  ...WASM_VARIANTS.map((variant) => ({ name: variant, healpix: getHealpix(loadWasm({ variant })) })),
  { name: 'reference', healpix: healpixReference },
];

/** Deterministic PRNG (mulberry32) so that every run checks the same points. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
