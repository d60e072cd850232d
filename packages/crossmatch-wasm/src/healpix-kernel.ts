/**
 * The low-level HEALPix operations that both the WebAssembly build and the TypeScript reference
 * implement, so that every test runs against each of them (`describe.each`). Inputs are
 * already validated by {@link Healpix}; batch length is the length of the first input array and
 * outputs are at least as long. Invalid elements give -1 (pixels) or NaN (coordinates).
 */
export interface HealpixKernel {
  /** `reference`, or the WebAssembly variant name. */
  readonly name: string;
  /** a, b: colatitude θ and longitude φ (radians), or longitude and latitude (degrees) when lonlat. */
  ang2pix(order: number, nest: boolean, lonlat: boolean, a: Float64Array, b: Float64Array, out: BigInt64Array): void;
  /** One position (no batch machinery: per-row calls stay cheap); -1n when invalid. */
  ang2pixOne(order: number, nest: boolean, lonlat: boolean, a: number, b: number): bigint;
  /** One vector; -1n when invalid. */
  vec2pixOne(order: number, nest: boolean, x: number, y: number, z: number): bigint;
  /** One valid pixel's centre: [θ, φ] or [lon, lat]. */
  pix2angOne(order: number, nest: boolean, lonlat: boolean, pix: bigint): [number, number];
  /** One valid pixel's centre as a unit vector. */
  pix2vecOne(order: number, nest: boolean, pix: bigint): [number, number, number];
  /** One valid pixel, NEST → RING or RING → NEST. */
  convertOne(toRing: boolean, order: number, pix: bigint): bigint;
  /** Healpix loc2pix: z = cos θ, φ, and sin θ or NaN when not known. */
  loc2pix(order: number, nest: boolean, z: Float64Array, phi: Float64Array, sth: Float64Array, out: BigInt64Array): void;
  vec2pix(order: number, nest: boolean, x: Float64Array, y: Float64Array, z: Float64Array, out: BigInt64Array): void;
  pix2ang(order: number, nest: boolean, lonlat: boolean, pix: BigInt64Array, outA: Float64Array, outB: Float64Array): void;
  pix2vec(order: number, nest: boolean, pix: BigInt64Array, x: Float64Array, y: Float64Array, z: Float64Array): void;
  nest2ring(order: number, pix: BigInt64Array, out: BigInt64Array): void;
  ring2nest(order: number, pix: BigInt64Array, out: BigInt64Array): void;
  /** out laid out like healpy's (8, n) array: out[k·n + i] is neighbour k of pixel i. */
  neighbours(order: number, nest: boolean, pix: BigInt64Array, out: BigInt64Array): void;
  /** NUNIQ of pixels at one order (-1 for invalid pixels). */
  pix2uniq(order: number, pix: BigInt64Array, out: BigInt64Array): void;
  /** Order and pixel of NUNIQ values (-1 for invalid values). */
  uniq2pix(uniq: BigInt64Array, orders: Int32Array, pix: BigInt64Array): void;
  /** out laid out like healpy's (3, 4·step) array. pix must be valid. */
  boundaries(order: number, nest: boolean, pix: bigint, step: number, out: Float64Array): void;
  /** Sorted [lo, hi) NEST ranges, or null for a bad oversampling factor. */
  queryDiscNest(order: number, inclusive: boolean, fact: number, theta: number, phi: number, radius: number): BigInt64Array | null;
  /** Circles (nx, ny, nz, radius) bounding a convex polygon; -2 degenerate corner, -3 not convex. */
  polygonCircles(vertices: Float64Array, inclusive: boolean): Float64Array | number;
  /** Sorted [lo, hi) NEST ranges of the pixels inside every circle, or null for a bad factor. */
  queryMultidiscNest(order: number, inclusive: boolean, fact: number, circles: Float64Array): BigInt64Array | null;
  /**
   * The engine's own cos, sin, acos or atan2(x, y) over x (and y); `cos-fast` is the cos that
   * ang2pix tries first and `cos-glibc`/`sin-glibc` the glibc-exact ones it falls back to near a
   * pixel edge (x in [0, π]). Tests use them to check those functions and to tell a libm
   * difference at a pixel boundary from an algorithm difference.
   */
  libm(fn: LibmFunction, x: Float64Array, y: Float64Array | null, out: Float64Array): void;
  /** Largest centre-to-corner distance of a pixel at this order (radians). */
  maxPixrad(order: number): number;
}

/** Functions exposed by {@link HealpixKernel.libm}. */
export type LibmFunction = 'cos' | 'sin' | 'acos' | 'atan2' | 'cos-fast' | 'cos-glibc' | 'sin-glibc';

/** {@link LibmFunction} codes of the WebAssembly `libmBatch` export. */
export const LIBM_FUNCTIONS: readonly LibmFunction[] = ['cos', 'sin', 'acos', 'atan2', 'cos-fast', 'cos-glibc', 'sin-glibc'];
