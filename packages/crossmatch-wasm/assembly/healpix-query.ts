// Disc and polygon coverage as sorted NEST ranges, by the hierarchical descent of Healpix C++
// `query_disc_internal` / `query_multidisc` (NEST branch): a pixel is tested against the shape
// with a safety margin of max_pixrad at its order, and only the pixels on the shape's edge are
// subdivided. "Zones": 0 outside, 1 may overlap (centre outside), 2 centre inside, 3 wholly inside.
// Inclusive mode refines edge pixels down to order + log2(fact) and keeps a pixel when any of its
// sub-pixels has its centre inside (healpy's `inclusive=True, fact=…`).

import { maxPixrad, outPhi, outZ, pix2loc, locToVec, vecX, vecY, vecZ, PI, HALFPI } from './healpix';

const STACK_ENTRIES: i32 = 1024;
/** Traversal stops once this many ranges are found; the caller reports the query as too large. */
export const MAX_RANGES: i32 = 1 << 26;
const STACK = memory.data(STACK_ENTRIES * 16); // (pixel i64, order i64) pairs
const CRPDR = memory.data(8 * 64);
const CRMDR = memory.data(8 * 64);

let stackSize: i32 = 0;
let stackTop: i32 = 0;
let outPtr: usize = 0;
let outCap: i32 = 0;
let outCount: i32 = 0;
let lastLo: i64 = 0;
let lastHi: i64 = 0;

function push(pix: i64, order: i32): void {
  const p = STACK + (<usize>stackSize << 4);
  store<i64>(p, pix);
  store<i64>(p, <i64>order, 8);
  ++stackSize;
}

/** Appends [lo, hi) to the output, merging with the previous range when they touch. */
function appendRange(lo: i64, hi: i64): void {
  if (outCount > 0 && lo <= lastHi) {
    if (hi > lastHi) lastHi = hi;
  } else {
    ++outCount;
    lastLo = lo;
    lastHi = hi;
  }
  const k = outCount - 1;
  if (k < outCap) {
    const p = outPtr + (<usize>k << 4);
    store<i64>(p, lastLo);
    store<i64>(p, lastHi, 8);
  }
}

function pushChildren(pix: i64, o: i32): void {
  // Reverse order so that the smallest child is popped first and the output stays sorted.
  for (let i = 0; i < 4; ++i) push(4 * pix + 3 - <i64>i, o + 1);
}

function checkPixel(o: i32, order: i32, omax: i32, zone: i32, pix: i64, inclusive: bool): void {
  if (zone == 0) return;
  if (o < order) {
    if (zone >= 3) {
      const sdist = <i64>(2 * (order - o));
      appendRange(pix << sdist, (pix + 1) << sdist);
    } else pushChildren(pix, o);
  } else if (o > order) {
    if (zone >= 2) {
      const parent = pix >> (<i64>(2 * (o - order)));
      appendRange(parent, parent + 1);
      stackSize = stackTop; // the parent is in: drop its remaining sub-pixels
    } else if (o < omax) pushChildren(pix, o);
    else {
      const parent = pix >> (<i64>(2 * (o - order)));
      appendRange(parent, parent + 1);
      stackSize = stackTop;
    }
  } else {
    if (zone >= 2) appendRange(pix, pix + 1);
    else if (inclusive) {
      if (order < omax) {
        stackTop = stackSize;
        pushChildren(pix, o);
      } else appendRange(pix, pix + 1);
    }
  }
}

function start(out: usize, cap: i32): void {
  outPtr = out;
  outCap = cap;
  outCount = 0;
  lastLo = 0;
  lastHi = 0;
  stackSize = 0;
  stackTop = 0;
  for (let i = 0; i < 12; ++i) push(11 - <i64>i, 0);
}

/** log2 of the oversampling factor, or -1 when fact is not a power of two allowed at this order. */
export function oversamplingOrders(order: i32, fact: i32): i32 {
  if (fact <= 0 || (fact & (fact - 1)) != 0) return -1;
  const oplus = 31 - clz<i32>(fact);
  return order + oplus > 29 ? -1 : oplus;
}

/**
 * NEST pixels of the disc of `radius` radians around (theta, phi), as [lo, hi) ranges written
 * to `out` (at most `cap` pairs). Returns the number of ranges (may exceed cap: call again with a
 * larger buffer), -1 for a bad oversampling factor.
 */
export function queryDiscNest(order: i32, inclusive: bool, fact: i32, theta: f64, phi: f64, radius: f64, out: usize, cap: i32): i32 {
  start(out, cap);
  if (radius >= PI) {
    appendRange(0, 12 * (<i64>1 << (2 * <i64>order)));
    return outCount;
  }
  let omax = order;
  if (inclusive) {
    const oplus = oversamplingOrders(order, fact);
    if (oplus < 0) return -1;
    omax = order + oplus;
  }
  const z0 = Math.cos(theta);
  const cosrad = Math.cos(radius);
  for (let o = 0; o <= omax; ++o) {
    const dr = maxPixrad(o);
    store<f64>(CRPDR + (<usize>o << 3), radius + dr > PI ? -1.0 : Math.cos(radius + dr));
    store<f64>(CRMDR + (<usize>o << 3), radius - dr < 0.0 ? 1.0 : Math.cos(radius - dr));
  }
  while (stackSize > 0 && outCount <= MAX_RANGES) {
    --stackSize;
    const p = STACK + (<usize>stackSize << 4);
    const pix = load<i64>(p);
    const o = <i32>load<i64>(p, 8);
    pix2loc(o, true, pix);
    // Healpix cosdist_zphi
    const cang = z0 * outZ + Math.cos(phi - outPhi) * Math.sqrt((1.0 - z0 * z0) * (1.0 - outZ * outZ));
    if (cang > load<f64>(CRPDR + (<usize>o << 3))) {
      const zone = cang < cosrad ? 1 : cang <= load<f64>(CRMDR + (<usize>o << 3)) ? 2 : 3;
      checkPixel(o, order, omax, zone, pix, inclusive);
    }
  }
  return outCount;
}

/**
 * NEST pixels inside all of `count` circles (centre unit vector nx, ny, nz and radius, 4 f64
 * each, at `circles`), as ranges like queryDiscNest. `work` needs (order + log2 fact + 1)·count·3
 * f64 of scratch.
 */
export function queryMultidiscNest(order: i32, inclusive: bool, fact: i32, circles: usize, count: i32, work: usize, out: usize, cap: i32): i32 {
  start(out, cap);
  let omax = order;
  if (inclusive) {
    const oplus = oversamplingOrders(order, fact);
    if (oplus < 0) return -1;
    omax = order + oplus;
  }
  for (let o = 0; o <= omax; ++o) {
    const dr = maxPixrad(o);
    for (let i = 0; i < count; ++i) {
      const rad = load<f64>(circles + (<usize>(4 * i + 3) << 3));
      const lim = work + (<usize>((o * count + i) * 3) << 3);
      store<f64>(lim, rad + dr > PI ? -1.0 : Math.cos(rad + dr));
      store<f64>(lim, Math.cos(rad), 8);
      store<f64>(lim, rad - dr < 0.0 ? 1.0 : Math.cos(rad - dr), 16);
    }
  }
  while (stackSize > 0 && outCount <= MAX_RANGES) {
    --stackSize;
    const p = STACK + (<usize>stackSize << 4);
    const pix = load<i64>(p);
    const o = <i32>load<i64>(p, 8);
    pix2loc(o, true, pix);
    locToVec();
    let zone = 3;
    for (let i = 0; i < count && zone > 0; ++i) {
      const c = circles + (<usize>(4 * i) << 3);
      const crad = vecX * load<f64>(c) + vecY * load<f64>(c, 8) + vecZ * load<f64>(c, 16);
      const lim = work + (<usize>((o * count + i) * 3) << 3);
      for (let iz = 0; iz < zone; ++iz) {
        if (crad < load<f64>(lim + (<usize>iz << 3))) {
          zone = iz;
          break;
        }
      }
    }
    if (zone > 0) checkPixel(o, order, omax, zone, pix, inclusive);
  }
  return outCount;
}

// ---- polygon set-up (Healpix query_polygon_internal, geom_utils find_enclosing_circle) ----

// Vertex unit vectors (x, y, z) at `v`, index i.
// @ts-ignore: decorator
@inline function vx(v: usize, i: i32): f64 {
  return load<f64>(v + (<usize>(3 * i) << 3));
}
// @ts-ignore: decorator
@inline function vy(v: usize, i: i32): f64 {
  return load<f64>(v + (<usize>(3 * i + 1) << 3));
}
// @ts-ignore: decorator
@inline function vz(v: usize, i: i32): f64 {
  return load<f64>(v + (<usize>(3 * i + 2) << 3));
}

let cx: f64 = 0;
let cy: f64 = 0;
let cz: f64 = 0;
let cosr: f64 = 0;

function setNormalized(x: f64, y: f64, z: f64): void {
  const l = 1.0 / Math.sqrt(x * x + y * y + z * z);
  cx = x * l;
  cy = y * l;
  cz = z * l;
}

// @ts-ignore: decorator
@inline function dotC(v: usize, i: i32): f64 {
  return vx(v, i) * cx + vy(v, i) * cy + vz(v, i) * cz;
}

function circle2(v: usize, q1: i32, q2: i32): void {
  setNormalized(vx(v, q1) + vx(v, q2), vy(v, q1) + vy(v, q2), vz(v, q1) + vz(v, q2));
  cosr = dotC(v, q1);
  for (let i = 0; i < q1; ++i) {
    if (dotC(v, i) < cosr) {
      // circle through i, q1, q2: normal of the plane through the three points
      const ax = vx(v, q1) - vx(v, i), ay = vy(v, q1) - vy(v, i), az = vz(v, q1) - vz(v, i);
      const bx = vx(v, q2) - vx(v, i), by = vy(v, q2) - vy(v, i), bz = vz(v, q2) - vz(v, i);
      setNormalized(ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx);
      cosr = dotC(v, i);
      if (cosr < 0) {
        cx = -cx;
        cy = -cy;
        cz = -cz;
        cosr = -cosr;
      }
    }
  }
}

function circle1(v: usize, q: i32): void {
  setNormalized(vx(v, 0) + vx(v, q), vy(v, 0) + vy(v, q), vz(v, 0) + vz(v, q));
  cosr = dotC(v, 0);
  for (let i = 1; i < q; ++i) if (dotC(v, i) < cosr) circle2(v, i, q);
}

/**
 * Turns `nv` polygon vertices (unit vectors, 3 f64 each at `vertices`) into the circles of
 * queryMultidiscNest at `circles` (nv half-spheres, plus the enclosing circle when inclusive).
 * Returns the number of circles, or -2 for a degenerate corner, -3 for a non-convex polygon.
 */
export function polygonCircles(vertices: usize, nv: i32, inclusive: bool, circles: usize): i32 {
  let flip: f64 = 0;
  for (let i = 0; i < nv; ++i) {
    const j = (i + 1) % nv;
    const k = (i + 2) % nv;
    let nx = vy(vertices, i) * vz(vertices, j) - vz(vertices, i) * vy(vertices, j);
    let ny = vz(vertices, i) * vx(vertices, j) - vx(vertices, i) * vz(vertices, j);
    let nz = vx(vertices, i) * vy(vertices, j) - vy(vertices, i) * vx(vertices, j);
    const hnd = nx * vx(vertices, k) + ny * vy(vertices, k) + nz * vz(vertices, k);
    if (!(Math.abs(hnd) > 1e-10)) return -2;
    if (i == 0) flip = hnd < 0.0 ? -1.0 : 1.0;
    else if (!(flip * hnd > 0)) return -3;
    const f = flip / Math.sqrt(nx * nx + ny * ny + nz * nz);
    nx *= f;
    ny *= f;
    nz *= f;
    const c = circles + (<usize>(4 * i) << 3);
    store<f64>(c, nx);
    store<f64>(c, ny, 8);
    store<f64>(c, nz, 16);
    store<f64>(c, HALFPI, 24);
  }
  if (!inclusive) return nv;
  setNormalized(vx(vertices, 0) + vx(vertices, 1), vy(vertices, 0) + vy(vertices, 1), vz(vertices, 0) + vz(vertices, 1));
  cosr = dotC(vertices, 0);
  for (let i = 2; i < nv; ++i) if (dotC(vertices, i) < cosr) circle1(vertices, i);
  const c = circles + (<usize>(4 * nv) << 3);
  store<f64>(c, cx);
  store<f64>(c, cy, 8);
  store<f64>(c, cz, 16);
  store<f64>(c, Math.acos(cosr), 24);
  return nv + 1;
}
