export {
  chooseVariant,
  init,
  initSync,
  loadWasm,
  simdSupported,
  wasmBinary,
  WasmCore,
  WASM_VARIANT_ENV,
  WASM_VARIANTS,
  type CoreExports,
  type InitOptions,
  type WasmVariant,
} from './wasm.js';
export {
  ang2vec,
  getHealpix,
  Healpix,
  HEALPIX_MAX_ORDER,
  healpixReference,
  npix,
  nside2order,
  order2nside,
  pix2uniq,
  pix2uniqInto,
  pixelsToRanges,
  rangesToPixels,
  uniq2pix,
  uniq2pixInto,
  vec2ang,
  type CoverageOptions,
  type PixelOptions,
} from './healpix.js';
export type { HealpixKernel } from './healpix-kernel.js';
export { DEFAULT_LEAF_SIZE, radecToVector, SkyIndex, visitWithin, type SkyIndexOptions } from './sky-index.js';
export {
  angleToChord,
  chordToAngle,
  crossmatch,
  type CrossmatchFind,
  type CrossmatchOptions,
  type CrossmatchResult,
  type SkyPositions,
} from './crossmatch.js';
export { CrossmatchWasmError, HealpixError, OptionsError, WasmLoadError, WasmTrapError } from './errors.js';
