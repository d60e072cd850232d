// The WebAssembly ABI of @vokit/crossmatch-wasm: numbers and pointers only. Every batched
// function reads and writes little-endian arrays that the JavaScript side placed in linear memory
// above heapBase(); nothing here allocates (runtime "stub"), so the module never frees either.
// Invalid inputs give -1 (pixel outputs) or NaN (coordinate outputs) rather than trapping, so one
// NULL position in a catalogue column does not abort a batch.

import {
  ang2pix,
  ang2pixNest,
  ang2pixRing,
  boundaryPoint,
  cosFast,
  DEG2RAD,
  HALFPI,
  loc2pix,
  locTheta,
  locToVec,
  maxPixrad,
  neighbours,
  nest2ring,
  outPhi,
  outZ,
  pix2loc,
  RAD2DEG,
  ring2nest,
  vec2pix,
  vecX,
  vecY,
  vecZ,
} from './healpix';

import { ang2pixNestLonLatSimd } from './healpix-simd';
import { cosGlibc, sinGlibc } from './healpix-libm';

export { queryDiscNest, queryMultidiscNest, polygonCircles } from './healpix-query';
export { maxPixrad };
export { gridBuild, gridNearest, gridPairs } from './sky-grid';
export { sortQueries } from './sky-order';
export { unitVectors } from './sky-vectors';
export { b64Decode, b2Measure, b2Sums, b2Extract, b2Check } from './binary2';

/** First byte the JavaScript side may use as scratch (16-byte aligned). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

// @ts-ignore: decorator
@inline function npixOf(order: i32): i64 {
  return 12 * (<i64>1 << (2 * <i64>order));
}

/**
 * ang2pix over n points. lonlat = 0: a = colatitude θ, b = longitude φ (radians); lonlat = 1:
 * a = longitude, b = latitude (degrees), converted exactly as healpy's lonlat2thetaphi.
 */
export function ang2pixBatch(order: i32, nest: bool, lonlat: bool, a: usize, b: usize, out: usize, n: i32): void {
  // The JavaScript side validates the order; the debug build checks the contract again.
  assert(order >= 0 && order <= 29, 'order out of range');
  // One loop per (scheme, angle) pair so that the hot loop carries no invariant branch.
  if (lonlat && nest) {
    if (ASC_FEATURE_SIMD) {
      ang2pixNestLonLatSimd(order, a, b, out, n);
      return;
    }
    for (let i = 0; i < n; ++i) {
      const k = <usize>i << 3;
      store<i64>(out + k, ang2pixNest(order, HALFPI - load<f64>(b + k) * DEG2RAD, load<f64>(a + k) * DEG2RAD));
    }
  } else if (lonlat) {
    for (let i = 0; i < n; ++i) {
      const k = <usize>i << 3;
      store<i64>(out + k, ang2pixRing(order, HALFPI - load<f64>(b + k) * DEG2RAD, load<f64>(a + k) * DEG2RAD));
    }
  } else if (nest) {
    for (let i = 0; i < n; ++i) {
      const k = <usize>i << 3;
      store<i64>(out + k, ang2pixNest(order, load<f64>(a + k), load<f64>(b + k)));
    }
  } else {
    for (let i = 0; i < n; ++i) {
      const k = <usize>i << 3;
      store<i64>(out + k, ang2pix(order, nest, load<f64>(a + k), load<f64>(b + k)));
    }
  }
}

// ---- single values: no copies, so that per-row calls from JavaScript stay cheap ----

/** ang2pix of one position (a, b as in ang2pixBatch); -1 when invalid. */
export function ang2pixOne(order: i32, nest: bool, lonlat: bool, a: f64, b: f64): i64 {
  return lonlat ? ang2pix(order, nest, HALFPI - b * DEG2RAD, a * DEG2RAD) : ang2pix(order, nest, a, b);
}

export function vec2pixOne(order: i32, nest: bool, x: f64, y: f64, z: f64): i64 {
  return vec2pix(order, nest, x, y, z);
}

export function nest2ringOne(order: i32, pix: i64): i64 {
  return pix < 0 || pix >= npixOf(order) ? -1 : nest2ring(order, pix);
}

export function ring2nestOne(order: i32, pix: i64): i64 {
  return pix < 0 || pix >= npixOf(order) ? -1 : ring2nest(order, pix);
}

const SCALAR_OUT = memory.data(32);

/** Where pix2angOne and pix2vecOne leave their results (f64 × 2 or 3). */
export function scalarOut(): usize {
  return SCALAR_OUT;
}

/** pix2ang of one valid pixel into scalarOut(): (θ, φ) or (lon, lat). */
export function pix2angOne(order: i32, nest: bool, lonlat: bool, pix: i64): void {
  pix2loc(order, nest, pix);
  const theta = locTheta();
  store<f64>(SCALAR_OUT, lonlat ? outPhi * RAD2DEG : theta);
  store<f64>(SCALAR_OUT, lonlat ? 90.0 - theta * RAD2DEG : outPhi, 8);
}

/** pix2vec of one valid pixel into scalarOut(): (x, y, z). */
export function pix2vecOne(order: i32, nest: bool, pix: i64): void {
  pix2loc(order, nest, pix);
  locToVec();
  store<f64>(SCALAR_OUT, vecX);
  store<f64>(SCALAR_OUT, vecY, 8);
  store<f64>(SCALAR_OUT, vecZ, 16);
}

/** loc2pix over n points given z = cos θ, φ and sin θ (NaN when not known). */
export function loc2pixBatch(order: i32, nest: bool, z: usize, phi: usize, sth: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; ++i) {
    const k = <usize>i << 3;
    const s = load<f64>(sth + k);
    const zz = load<f64>(z + k);
    const p = load<f64>(phi + k);
    const ok = zz >= -1.0 && zz <= 1.0 && isFinite(p);
    store<i64>(out + k, ok ? loc2pix(order, nest, zz, p, isNaN(s) ? 0.0 : s, !isNaN(s)) : -1);
  }
}

export function vec2pixBatch(order: i32, nest: bool, x: usize, y: usize, z: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; ++i) {
    const k = <usize>i << 3;
    store<i64>(out + k, vec2pix(order, nest, load<f64>(x + k), load<f64>(y + k), load<f64>(z + k)));
  }
}

/** pix2ang over n pixels; outputs (θ, φ) radians or (lon, lat) degrees like healpy. */
export function pix2angBatch(order: i32, nest: bool, lonlat: bool, pix: usize, outA: usize, outB: usize, n: i32): void {
  const npix = npixOf(order);
  for (let i = 0; i < n; ++i) {
    const k = <usize>i << 3;
    const p = load<i64>(pix + k);
    if (p < 0 || p >= npix) {
      store<f64>(outA + k, NaN);
      store<f64>(outB + k, NaN);
      continue;
    }
    pix2loc(order, nest, p);
    const theta = locTheta();
    if (lonlat) {
      store<f64>(outA + k, outPhi * RAD2DEG);
      store<f64>(outB + k, 90.0 - theta * RAD2DEG);
    } else {
      store<f64>(outA + k, theta);
      store<f64>(outB + k, outPhi);
    }
  }
}

export function pix2vecBatch(order: i32, nest: bool, pix: usize, x: usize, y: usize, z: usize, n: i32): void {
  const npix = npixOf(order);
  for (let i = 0; i < n; ++i) {
    const k = <usize>i << 3;
    const p = load<i64>(pix + k);
    if (p < 0 || p >= npix) {
      store<f64>(x + k, NaN);
      store<f64>(y + k, NaN);
      store<f64>(z + k, NaN);
      continue;
    }
    pix2loc(order, nest, p);
    locToVec();
    store<f64>(x + k, vecX);
    store<f64>(y + k, vecY);
    store<f64>(z + k, vecZ);
  }
}

/** (z, φ) of pixel centres (Healpix pix2zphi), used by the coverage queries and tests. */
export function pix2zphiBatch(order: i32, nest: bool, pix: usize, z: usize, phi: usize, n: i32): void {
  for (let i = 0; i < n; ++i) {
    const k = <usize>i << 3;
    pix2loc(order, nest, load<i64>(pix + k));
    store<f64>(z + k, outZ);
    store<f64>(phi + k, outPhi);
  }
}

export function nest2ringBatch(order: i32, pix: usize, out: usize, n: i32): void {
  const npix = npixOf(order);
  for (let i = 0; i < n; ++i) {
    const k = <usize>i << 3;
    const p = load<i64>(pix + k);
    store<i64>(out + k, p < 0 || p >= npix ? -1 : nest2ring(order, p));
  }
}

export function ring2nestBatch(order: i32, pix: usize, out: usize, n: i32): void {
  const npix = npixOf(order);
  for (let i = 0; i < n; ++i) {
    const k = <usize>i << 3;
    const p = load<i64>(pix + k);
    store<i64>(out + k, p < 0 || p >= npix ? -1 : ring2nest(order, p));
  }
}

/** Neighbours of n pixels into out laid out like healpy's (8, n) array. */
export function neighboursBatch(order: i32, nest: bool, pix: usize, out: usize, n: i32): void {
  const npix = npixOf(order);
  for (let i = 0; i < n; ++i) {
    const p = load<i64>(pix + (<usize>i << 3));
    if (p < 0 || p >= npix) {
      for (let j = 0; j < 8; ++j) store<i64>(out + ((<usize>(j * n + i)) << 3), -1);
      continue;
    }
    neighbours(order, nest, p, out + (<usize>i << 3), <usize>n);
  }
}

/**
 * Pixel boundary as 4·step unit vectors, written like healpy's (3, 4·step) array: all x, then
 * all y, then all z. Starts at the north corner and goes counter-clockwise (Healpix boundaries).
 * Returns 0, or -1 for a pixel out of range.
 */
export function boundaries(order: i32, nest: bool, pix: i64, step: i32, out: usize): i32 {
  if (pix < 0 || pix >= npixOf(order) || step < 1) return -1;
  const m = 4 * step;
  for (let i = 0; i < m; ++i) {
    boundaryPoint(order, nest, pix, step, i);
    store<f64>(out + (<usize>i << 3), vecX);
    store<f64>(out + (<usize>(m + i) << 3), vecY);
    store<f64>(out + (<usize>(2 * m + i) << 3), vecZ);
  }
  return 0;
}

/** NUNIQ = 4·4^order + ipix (MOC 2.0 §4.3.1) for n pixels at one order. */
export function pix2uniqBatch(order: i32, pix: usize, out: usize, n: i32): void {
  const base = <i64>4 << (2 * <i64>order);
  const npix = npixOf(order);
  for (let i = 0; i < n; ++i) {
    const k = <usize>i << 3;
    const p = load<i64>(pix + k);
    store<i64>(out + k, p < 0 || p >= npix ? -1 : base + p);
  }
}

/** Splits n NUNIQ values into order (i32 at orders) and ipix (i64 at pix); -1 for invalid. */
export function uniq2pixBatch(uniq: usize, orders: usize, pix: usize, n: i32): void {
  for (let i = 0; i < n; ++i) {
    const k = <usize>i << 3;
    const u = load<i64>(uniq + k);
    // uniq in [4·4^o, 16·4^o) has its top bit at 2o+2 or 2o+3
    const top = u > 0 ? 63 - <i32>clz<i64>(u) : -1;
    const o = (top >> 1) - 1;
    const ok = u >= 4 && o <= 29;
    store<i32>(orders + (<usize>i << 2), ok ? o : -1);
    store<i64>(pix + k, ok ? u - (<i64>4 << (2 * <i64>o)) : -1);
  }
}



/**
 * This engine's cos (0), sin (1), acos (2) or atan2(x, y) (3) over n values, or ang2pix's fast
 * cos (4) and glibc-exact cos (5) and sin (6) on [0, π]. HEALPix results depend on these at pixel
 * boundaries; tests use them to tell libm differences (glibc vs musl vs V8's fdlibm) from
 * algorithm differences.
 */
export function libmBatch(fn: i32, x: usize, y: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; ++i) {
    const k = <usize>i << 3;
    const a = load<f64>(x + k);
    let r: f64;
    if (fn == 0) r = Math.cos(a);
    else if (fn == 1) r = Math.sin(a);
    else if (fn == 2) r = Math.acos(a);
    else if (fn == 3) r = Math.atan2(a, load<f64>(y + k));
    else if (fn == 4) r = cosFast(a);
    else if (fn == 5) r = cosGlibc(a);
    else r = sinGlibc(a);
    store<f64>(out + k, r);
  }
}
