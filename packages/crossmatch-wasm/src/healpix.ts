/**
 * HEALPix (Górski et al. 2005) for orders 0–29 in the NEST and RING schemes, with healpy's names
 * and conventions: angles are colatitude θ and longitude φ in radians, or longitude and latitude
 * in degrees with `lonlat: true`; RING is the default scheme. Orders (depth) replace healpy's
 * nside: nside = 2^order. Pixel indices are `bigint` (scalars) and `BigInt64Array` (batches),
 * because order-29 indices reach 3.5e18 > 2^53.
 *
 * Every batched method has an allocation-free `…Into(out)` twin that returns the element count.
 */
import { HealpixError, OptionsError } from './errors.js';
import type { HealpixKernel } from './healpix-kernel.js';
import { referenceKernel } from './reference/healpix.js';
import { wasmHealpixKernel } from './wasm-healpix-kernel.js';
import { defaultWasmCore, type WasmCore } from './wasm.js';

/** Highest order supported: nside = 2^29, 3.46e18 pixels (healpy's limit too). */
export const HEALPIX_MAX_ORDER = 29;

/** Scheme and angle options shared by the pixel functions. */
export interface PixelOptions {
  /** NEST scheme when true, RING when false. Default false (RING), as healpy. */
  nest?: boolean;
  /** Angles as longitude, latitude in degrees when true; θ, φ in radians when false. Default false. */
  lonlat?: boolean;
}

/** Options of {@link Healpix.queryDisc} and {@link Healpix.queryPolygon}. */
export interface CoverageOptions {
  /** Return ranges of NEST (true) or RING (false) indices. Default false (RING), as healpy. */
  nest?: boolean;
  /**
   * false (default): the pixels whose centres lie inside the shape. true: also every pixel that
   * overlaps it, tested on sub-pixels `fact` times finer (may add a few pixels that do not).
   */
  inclusive?: boolean;
  /** Oversampling of the inclusive test, a power of two with order + log2(fact) ≤ 29. Default 4. */
  fact?: number;
}

function checkOrder(order: number): void {
  if (!Number.isInteger(order) || order < 0 || order > HEALPIX_MAX_ORDER) {
    throw new HealpixError(`order must be an integer from 0 to ${HEALPIX_MAX_ORDER}, got ${String(order)}`);
  }
}

/** Number of pixels at an order: 12·4^order. */
export function npix(order: number): bigint {
  checkOrder(order);
  return 12n << BigInt(2 * order);
}

/** nside = 2^order. */
export function order2nside(order: number): number {
  checkOrder(order);
  return 2 ** order;
}

/** The order of a power-of-two nside (inverse of {@link order2nside}). */
export function nside2order(nside: number): number {
  const order = Math.log2(nside);
  if (!Number.isInteger(order) || order < 0 || order > HEALPIX_MAX_ORDER) {
    throw new HealpixError(`nside must be a power of two from 1 to 2^${HEALPIX_MAX_ORDER}, got ${nside}`);
  }
  return order;
}

function checkPixel(order: number, pix: bigint): void {
  if (pix < 0n || pix >= 12n << BigInt(2 * order)) {
    throw new HealpixError(`pixel ${pix} is outside 0..${(12n << BigInt(2 * order)) - 1n} at order ${order}`);
  }
}

function checkLengths(what: string, n: number, ...arrays: ArrayLike<unknown>[]): void {
  for (const a of arrays) {
    if (a.length !== n) throw new OptionsError(`${what}: input arrays differ in length (${n} vs ${a.length})`);
  }
}

function checkOut(what: string, needed: number, out: ArrayLike<unknown>): void {
  if (out.length < needed) throw new OptionsError(`${what}: out has ${out.length} elements, needs ${needed}`);
}

function checkStep(step: number): void {
  if (!Number.isInteger(step) || step < 1 || step > 1 << 16) {
    throw new OptionsError(`boundaries: step must be an integer from 1 to 65536, got ${step}`);
  }
}

const TWOPI = 6.283185307179586476925286766559005768394;

/** Healpix `pointing(vec3)`: θ = atan2(√(x²+y²), z), φ = atan2(y, x) in [0, 2π). */
function pointingOf(x: number, y: number, z: number): [number, number] {
  const theta = Math.atan2(Math.sqrt(x * x + y * y), z);
  let phi = x === 0 && y === 0 ? 0 : Math.atan2(y, x);
  if (phi < 0) phi += TWOPI;
  return [theta, phi];
}

/** Unit vector of θ, φ (radians) or of lon, lat (degrees) when `lonlat` (healpy `ang2vec`). */
export function ang2vec(theta: number, phi: number, options: { lonlat?: boolean } = {}): [number, number, number] {
  if (options.lonlat) {
    const lon = theta;
    const lat = phi;
    theta = Math.PI / 2 - lat * (Math.PI / 180);
    phi = lon * (Math.PI / 180);
  }
  const st = Math.sin(theta);
  return [st * Math.cos(phi), st * Math.sin(phi), Math.cos(theta)];
}

/** θ, φ (radians) or lon, lat (degrees) of a vector of any length (healpy `vec2ang`). */
export function vec2ang(x: number, y: number, z: number, options: { lonlat?: boolean } = {}): [number, number] {
  const [theta, phi] = pointingOf(x, y, z);
  return options.lonlat ? [phi * (180 / Math.PI), 90 - theta * (180 / Math.PI)] : [theta, phi];
}

/** Expands [lo, hi) ranges into the list of pixels (healpy's output form of query_disc). */
export function rangesToPixels(ranges: BigInt64Array): BigInt64Array {
  let total = 0n;
  for (let i = 0; i < ranges.length; i += 2) total += ranges[i + 1] - ranges[i];
  if (total > 2n ** 31n) throw new HealpixError(`${total} pixels do not fit in one array; keep the ranges`);
  const out = new BigInt64Array(Number(total));
  let k = 0;
  for (let i = 0; i < ranges.length; i += 2) for (let p = ranges[i]; p < ranges[i + 1]; p++) out[k++] = p;
  return out;
}

/** Sorted pixels to [lo, hi) ranges. */
export function pixelsToRanges(pixels: BigInt64Array): BigInt64Array {
  const ranges: bigint[] = [];
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i];
    if (ranges.length > 0 && ranges[ranges.length - 1] === p) ranges[ranges.length - 1] = p + 1n;
    else ranges.push(p, p + 1n);
  }
  return BigInt64Array.from(ranges);
}

/** NUNIQ index of a pixel: 4·4^order + pix (MOC 2.0 §4.3.1, the inverse of {@link uniq2pix}). */
export function pix2uniq(order: number, pix: bigint): bigint {
  checkOrder(order);
  checkPixel(order, pix);
  return (4n << BigInt(2 * order)) + pix;
}

/** Order and pixel of a NUNIQ index (inverse of {@link pix2uniq}). */
export function uniq2pix(uniq: bigint): { order: number; pix: bigint } {
  if (uniq < 4n) throw new HealpixError(`NUNIQ ${uniq} is below 4, the smallest valid value`);
  const order = (uniq.toString(2).length - 1) / 2 - 1;
  const o = Math.floor(order);
  if (o > HEALPIX_MAX_ORDER) throw new HealpixError(`NUNIQ ${uniq} is beyond order ${HEALPIX_MAX_ORDER}`);
  return { order: o, pix: uniq - (4n << BigInt(2 * o)) };
}

/**
 * HEALPix operations on one kernel (WebAssembly variant or the TypeScript reference). Obtain
 * the default one with {@link getHealpix}.
 */
export class Healpix {
  /** The kernel doing the work. */
  readonly kernel: HealpixKernel;

  constructor(kernel: HealpixKernel) {
    this.kernel = kernel;
  }

  /** Pixel of one position; throws for θ outside [0, π] (latitude outside ±90°) or NaN. */
  ang2pix(order: number, theta: number, phi: number, options?: PixelOptions): bigint;
  /** Pixels of many positions; -1 where θ is outside [0, π] or an input is NaN. */
  ang2pix(order: number, theta: Float64Array, phi: Float64Array, options?: PixelOptions): BigInt64Array;
  ang2pix(order: number, theta: number | Float64Array, phi: number | Float64Array, options: PixelOptions = {}): bigint | BigInt64Array {
    if (typeof theta === 'number' || typeof phi === 'number') {
      checkOrder(order);
      const pix = this.kernel.ang2pixOne(order, !!options.nest, !!options.lonlat, Number(theta), Number(phi));
      if (pix < 0n) {
        throw new HealpixError(
          options.lonlat ? `invalid position lon=${theta} lat=${phi} (latitude must be within ±90°)` : `invalid position theta=${theta} phi=${phi} (theta must be within [0, π])`,
        );
      }
      return pix;
    }
    const out = new BigInt64Array(theta.length);
    this.ang2pixInto(order, theta, phi, out, options);
    return out;
  }

  /** {@link ang2pix} into `out`; returns the number of positions. */
  ang2pixInto(order: number, theta: Float64Array, phi: Float64Array, out: BigInt64Array, options: PixelOptions = {}): number {
    checkOrder(order);
    checkLengths('ang2pix', theta.length, phi);
    checkOut('ang2pix', theta.length, out);
    this.kernel.ang2pix(order, !!options.nest, !!options.lonlat, theta, phi, out);
    return theta.length;
  }

  /** Pixel of one vector (any non-zero length). */
  vec2pix(order: number, x: number, y: number, z: number, options?: Pick<PixelOptions, 'nest'>): bigint;
  /** Pixels of many vectors; -1 for zero or non-finite vectors. */
  vec2pix(order: number, x: Float64Array, y: Float64Array, z: Float64Array, options?: Pick<PixelOptions, 'nest'>): BigInt64Array;
  vec2pix(order: number, x: number | Float64Array, y: number | Float64Array, z: number | Float64Array, options: Pick<PixelOptions, 'nest'> = {}): bigint | BigInt64Array {
    if (typeof x === 'number') {
      checkOrder(order);
      const pix = this.kernel.vec2pixOne(order, !!options.nest, x, Number(y), Number(z));
      if (pix < 0n) throw new HealpixError(`invalid vector (${x}, ${y}, ${z})`);
      return pix;
    }
    const out = new BigInt64Array(x.length);
    this.vec2pixInto(order, x, y as Float64Array, z as Float64Array, out, options);
    return out;
  }

  /** {@link vec2pix} into `out`; returns the number of vectors. */
  vec2pixInto(order: number, x: Float64Array, y: Float64Array, z: Float64Array, out: BigInt64Array, options: Pick<PixelOptions, 'nest'> = {}): number {
    checkOrder(order);
    checkLengths('vec2pix', x.length, y, z);
    checkOut('vec2pix', x.length, out);
    this.kernel.vec2pix(order, !!options.nest, x, y, z, out);
    return x.length;
  }

  /** Centre of one pixel: [θ, φ] radians, or [lon, lat] degrees with `lonlat`. */
  pix2ang(order: number, pix: bigint | number, options?: PixelOptions): [number, number];
  /** Centres of many pixels (NaN for invalid pixels). */
  pix2ang(order: number, pix: BigInt64Array, options?: PixelOptions): [Float64Array, Float64Array];
  pix2ang(order: number, pix: bigint | number | BigInt64Array, options: PixelOptions = {}): [number, number] | [Float64Array, Float64Array] {
    if (typeof pix !== 'object') {
      checkOrder(order);
      const p = BigInt(pix);
      checkPixel(order, p);
      return this.kernel.pix2angOne(order, !!options.nest, !!options.lonlat, p);
    }
    const a = new Float64Array(pix.length);
    const b = new Float64Array(pix.length);
    this.pix2angInto(order, pix, a, b, options);
    return [a, b];
  }

  /** {@link pix2ang} into `outA` (θ or lon) and `outB` (φ or lat); returns the count. */
  pix2angInto(order: number, pix: BigInt64Array, outA: Float64Array, outB: Float64Array, options: PixelOptions = {}): number {
    checkOrder(order);
    checkOut('pix2ang', pix.length, outA);
    checkOut('pix2ang', pix.length, outB);
    this.kernel.pix2ang(order, !!options.nest, !!options.lonlat, pix, outA, outB);
    return pix.length;
  }

  /** Unit vector of one pixel centre. */
  pix2vec(order: number, pix: bigint | number, options?: Pick<PixelOptions, 'nest'>): [number, number, number];
  /** Unit vectors of many pixel centres (NaN for invalid pixels). */
  pix2vec(order: number, pix: BigInt64Array, options?: Pick<PixelOptions, 'nest'>): [Float64Array, Float64Array, Float64Array];
  pix2vec(order: number, pix: bigint | number | BigInt64Array, options: Pick<PixelOptions, 'nest'> = {}): [number, number, number] | [Float64Array, Float64Array, Float64Array] {
    if (typeof pix !== 'object') {
      checkOrder(order);
      const p = BigInt(pix);
      checkPixel(order, p);
      return this.kernel.pix2vecOne(order, !!options.nest, p);
    }
    const x = new Float64Array(pix.length);
    const y = new Float64Array(pix.length);
    const z = new Float64Array(pix.length);
    this.pix2vecInto(order, pix, x, y, z, options);
    return [x, y, z];
  }

  /** {@link pix2vec} into x, y, z; returns the count. */
  pix2vecInto(order: number, pix: BigInt64Array, x: Float64Array, y: Float64Array, z: Float64Array, options: Pick<PixelOptions, 'nest'> = {}): number {
    checkOrder(order);
    for (const o of [x, y, z]) checkOut('pix2vec', pix.length, o);
    this.kernel.pix2vec(order, !!options.nest, pix, x, y, z);
    return pix.length;
  }

  /** NEST index to RING index (inverse of {@link ring2nest}). */
  nest2ring(order: number, pix: bigint): bigint;
  nest2ring(order: number, pix: BigInt64Array): BigInt64Array;
  nest2ring(order: number, pix: bigint | BigInt64Array): bigint | BigInt64Array {
    return this.#convert('nest2ring', order, pix);
  }

  /** RING index to NEST index (inverse of {@link nest2ring}). */
  ring2nest(order: number, pix: bigint): bigint;
  ring2nest(order: number, pix: BigInt64Array): BigInt64Array;
  ring2nest(order: number, pix: bigint | BigInt64Array): bigint | BigInt64Array {
    return this.#convert('ring2nest', order, pix);
  }

  /** {@link nest2ring} into `out` (-1 for invalid pixels); returns the count. */
  nest2ringInto(order: number, pix: BigInt64Array, out: BigInt64Array): number {
    checkOrder(order);
    checkOut('nest2ring', pix.length, out);
    this.kernel.nest2ring(order, pix, out);
    return pix.length;
  }

  /** {@link ring2nest} into `out` (-1 for invalid pixels); returns the count. */
  ring2nestInto(order: number, pix: BigInt64Array, out: BigInt64Array): number {
    checkOrder(order);
    checkOut('ring2nest', pix.length, out);
    this.kernel.ring2nest(order, pix, out);
    return pix.length;
  }

  #convert(which: 'nest2ring' | 'ring2nest', order: number, pix: bigint | BigInt64Array): bigint | BigInt64Array {
    if (typeof pix === 'bigint') {
      checkOrder(order);
      checkPixel(order, pix);
      return this.kernel.convertOne(which === 'nest2ring', order, pix);
    }
    const out = new BigInt64Array(pix.length);
    if (which === 'nest2ring') this.nest2ringInto(order, pix, out);
    else this.ring2nestInto(order, pix, out);
    return out;
  }

  /**
   * The 8 neighbours of a pixel in healpy's order SW, W, NW, N, NE, E, SE, S; -1 where a
   * pixel at a base-face corner has only 7. For a BigInt64Array of n pixels the result is laid
   * out like healpy's (8, n) array: element k·n + i is neighbour k of pixel i.
   */
  neighbours(order: number, pix: bigint | BigInt64Array, options: Pick<PixelOptions, 'nest'> = {}): BigInt64Array {
    if (typeof pix === 'bigint') {
      checkOrder(order);
      checkPixel(order, pix);
      pix = BigInt64Array.of(pix);
    }
    const out = new BigInt64Array(8 * pix.length);
    this.neighboursInto(order, pix, out, options);
    return out;
  }

  /** {@link neighbours} into `out` (length ≥ 8·n); returns n. */
  neighboursInto(order: number, pix: BigInt64Array, out: BigInt64Array, options: Pick<PixelOptions, 'nest'> = {}): number {
    checkOrder(order);
    checkOut('neighbours', 8 * pix.length, out);
    this.kernel.neighbours(order, !!options.nest, pix, out);
    return pix.length;
  }

  /**
   * Boundary of a pixel as 4·step unit vectors, laid out like healpy's (3, 4·step) array (all
   * x, then all y, then all z), starting at the north corner, counter-clockwise as seen from
   * outside the sphere. step = 1 gives the 4 corners.
   */
  boundaries(order: number, pix: bigint, step = 1, options: Pick<PixelOptions, 'nest'> = {}): Float64Array {
    checkStep(step);
    const out = new Float64Array(12 * step);
    this.boundariesInto(order, pix, step, out, options);
    return out;
  }

  /** NUNIQ of many pixels at one order (-1 for invalid pixels); see {@link pix2uniq}. */
  pix2uniq(order: number, pix: BigInt64Array): BigInt64Array {
    const out = new BigInt64Array(pix.length);
    this.pix2uniqInto(order, pix, out);
    return out;
  }

  /** {@link Healpix.pix2uniq} into `out`; returns the count. */
  pix2uniqInto(order: number, pix: BigInt64Array, out: BigInt64Array): number {
    checkOrder(order);
    checkOut('pix2uniq', pix.length, out);
    this.kernel.pix2uniq(order, pix, out);
    return pix.length;
  }

  /** Orders and pixels of many NUNIQ values (-1 for invalid values); see {@link uniq2pix}. */
  uniq2pix(uniq: BigInt64Array): { orders: Int32Array; pix: BigInt64Array } {
    const orders = new Int32Array(uniq.length);
    const pix = new BigInt64Array(uniq.length);
    this.uniq2pixInto(uniq, orders, pix);
    return { orders, pix };
  }

  /** {@link Healpix.uniq2pix} into `orders` and `pix`; returns the count. */
  uniq2pixInto(uniq: BigInt64Array, orders: Int32Array, pix: BigInt64Array): number {
    checkOut('uniq2pix', uniq.length, orders);
    checkOut('uniq2pix', uniq.length, pix);
    this.kernel.uniq2pix(uniq, orders, pix);
    return uniq.length;
  }

  /**
   * {@link Healpix.boundaries} into `out` (length ≥ 12·step); returns the number of points, 4·step.
   */
  boundariesInto(order: number, pix: bigint, step: number, out: Float64Array, options: Pick<PixelOptions, 'nest'> = {}): number {
    checkOrder(order);
    checkPixel(order, pix);
    checkStep(step);
    checkOut('boundaries', 12 * step, out);
    this.kernel.boundaries(order, !!options.nest, pix, step, out);
    return 4 * step;
  }

  /** Largest angular distance from a pixel centre to its corners at this order (radians). */
  maxPixrad(order: number): number {
    checkOrder(order);
    return this.kernel.maxPixrad(order);
  }

  /**
   * Pixels of the disc of `radius` radians around the direction `vec` (x, y, z; any length), as
   * sorted, disjoint [lo, hi) ranges (a MOC at one order): pairs of BigInt64Array elements.
   * Exact mode gives the pixels whose centres are in the disc, as healpy `query_disc`.
   */
  queryDisc(order: number, vec: ArrayLike<number>, radius: number, options: CoverageOptions = {}): BigInt64Array {
    checkOrder(order);
    if (vec.length !== 3) throw new OptionsError(`queryDisc: vec must have 3 components, got ${vec.length}`);
    if (!(radius >= 0)) throw new OptionsError(`queryDisc: radius must be a non-negative number of radians, got ${radius}`);
    const [theta, phi] = pointingOf(vec[0], vec[1], vec[2]);
    if (!Number.isFinite(theta) || !Number.isFinite(phi) || (vec[0] === 0 && vec[1] === 0 && vec[2] === 0)) {
      throw new OptionsError(`queryDisc: vec (${Array.from(vec).join(', ')}) has no direction`);
    }
    const fact = this.#fact(order, options);
    const ranges = this.kernel.queryDiscNest(order, !!options.inclusive, fact, theta, phi, radius);
    if (ranges === null) throw new OptionsError(`queryDisc: fact ${fact} is not a power of two with order + log2(fact) ≤ 29`);
    return options.nest ? ranges : this.#toRing(order, ranges);
  }

  /**
   * Pixels of the convex spherical polygon with the given vertices (unit or non-unit vectors,
   * in either winding order), as sorted [lo, hi) ranges; exact mode gives the pixels whose
   * centres are inside, as healpy `query_polygon`.
   */
  queryPolygon(order: number, vertices: ArrayLike<ArrayLike<number>>, options: CoverageOptions = {}): BigInt64Array {
    checkOrder(order);
    if (vertices.length < 3 || vertices.length > 1000) {
      throw new OptionsError(`queryPolygon: need 3 to 1000 vertices, got ${vertices.length}`);
    }
    // Healpix converts every vertex to (θ, φ) and back before use; so do we, to agree with healpy
    // on pixels whose centres lie on an edge.
    const flat = new Float64Array(3 * vertices.length);
    for (let i = 0; i < vertices.length; i++) {
      const v = vertices[i];
      if (v.length !== 3) throw new OptionsError(`queryPolygon: vertex ${i} must have 3 components, got ${v.length}`);
      const [theta, phi] = pointingOf(v[0], v[1], v[2]);
      const st = Math.sin(theta);
      flat[3 * i] = st * Math.cos(phi);
      flat[3 * i + 1] = st * Math.sin(phi);
      flat[3 * i + 2] = Math.cos(theta);
    }
    const fact = this.#fact(order, options);
    const circles = this.kernel.polygonCircles(flat, !!options.inclusive);
    if (typeof circles === 'number') {
      throw new HealpixError(circles === -2 ? 'queryPolygon: degenerate corner (three vertices on one great circle)' : 'queryPolygon: the polygon is not convex');
    }
    const ranges = this.kernel.queryMultidiscNest(order, !!options.inclusive, fact, circles);
    if (ranges === null) throw new OptionsError(`queryPolygon: fact ${fact} is not a power of two with order + log2(fact) ≤ 29`);
    return options.nest ? ranges : this.#toRing(order, ranges);
  }

  #fact(order: number, options: CoverageOptions): number {
    const fact = options.fact ?? 4;
    if (!options.inclusive) return fact;
    if (!Number.isInteger(fact) || fact < 1 || (fact & (fact - 1)) !== 0 || order + Math.log2(fact) > HEALPIX_MAX_ORDER) {
      throw new OptionsError(`fact must be a power of two with order + log2(fact) ≤ ${HEALPIX_MAX_ORDER}, got ${fact} at order ${order}`);
    }
    return fact;
  }

  /** NEST ranges → sorted RING ranges (pixels are renumbered one by one). */
  #toRing(order: number, ranges: BigInt64Array): BigInt64Array {
    const nestPixels = rangesToPixels(ranges);
    const ring = new BigInt64Array(nestPixels.length);
    this.kernel.nest2ring(order, nestPixels, ring);
    ring.sort();
    return pixelsToRanges(ring);
  }
}

/** HEALPix on the pure TypeScript reference kernel (no WebAssembly needed). */
export const healpixReference = new Healpix(referenceKernel);

const byCore = new WeakMap<WasmCore, Healpix>();

/**
 * HEALPix on a WebAssembly core: the one of init()/initSync() by default (loaded synchronously
 * on first use when neither was called), or the given one (e.g. from `loadWasm`).
 */
export function getHealpix(core: WasmCore = defaultWasmCore()): Healpix {
  let healpix = byCore.get(core);
  if (!healpix) {
    healpix = new Healpix(wasmHealpixKernel(core));
    byCore.set(core, healpix);
  }
  return healpix;
}
