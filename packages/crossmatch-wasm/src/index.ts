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
  pixelsToRanges,
  rangesToPixels,
  uniq2pix,
  vec2ang,
  type CoverageOptions,
  type PixelOptions,
} from './healpix.js';
export type { HealpixKernel } from './healpix-kernel.js';
export { CrossmatchWasmError, HealpixError, OptionsError, SkyIndexError, WasmLoadError, WasmTrapError } from './errors.js';
export {
  crossmatch,
  matchToCatalogSky,
  matchToCatalogSkyInto,
  MATCH_FINDS,
  type CrossmatchOptions,
  type MatchFind,
  type MatchResult,
  type MatchToCatalogOptions,
  type SkyColumns,
} from './crossmatch.js';
export {
  DEFAULT_NODE_SIZE,
  SKY_INDEX_HEADER_BYTES,
  SKY_INDEX_MAGIC,
  SKY_INDEX_VERSION,
  SkyIndex,
  type SkyIndexOptions,
} from './sky-index.js';
export { getSkyMatchKernel, skyMatchReference } from './sky-match-kernels.js';
export type { SkyMatchKernel } from './sky-match-kernel.js';
export { chordLimit2, separationArcsec } from './sky-geometry.js';
export { bruteForceCrossmatch, bruteForceMatchToCatalog } from './reference/brute-force.js';
export { createWasmBinaryDecoder, wasmBinaryDecoderFactory, type WasmBinaryDecoderOptions } from './binary-decoder.js';
export { groupMatch, type GroupMatchOptions, type GroupMatchResult } from './group-match.js';
export { crossmatchParallel, type ParallelCrossmatchOptions } from './worker-match.js';
