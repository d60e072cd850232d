// Four points per iteration (two pairs of f64x2 lanes) for the hottest path, batched ang2pix in
// NEST from lon/lat degrees (catalogue indexing). Compiled only into the release-simd build
// (ASC_FEATURE_SIMD); the other builds use the scalar loop. Results are identical to healpix.ts:
// the same IEEE operations lane by lane (cosFast's included), both the belt and the cap formulas
// evaluated and the right one selected, so no lane takes a branch. Four points take the scalar
// path when a lane is near a pole (θ < 0.01 or θ > π − 0.01, where Healpix uses sin θ), outside
// [0°, 360°) in longitude, invalid, or near a pixel edge (the test of loc2pixNestChecked, on both
// lanes at once): there the scalar path recomputes cos θ as glibc does.

import { ang2pixNest, CAP_MARGIN, BELT_MARGIN, DEG2RAD, HALFPI } from './healpix';


/**
 * Morton interleave spread(ix) + 2·spread(iy) of two lanes (ix, iy < 2^32) with byte shuffles:
 * the four 32-bit values are packed into one vector, every nibble is spread through a 16-entry
 * table (pshufb), and the spread low and high nibbles are interleaved back into 64-bit values.
 * 12 vector operations instead of 32 for the shift-and-mask form (spread2).
 */
// @ts-ignore: decorator
@inline function morton2(ix: v128, iy: v128): v128 {
  // nibble b3b2b1b0 → byte 0b30b20b10b0 (a constant inside the function: the scalar builds
  // compile this file without SIMD and must not see a v128 global)
  const spreadNibble = i8x16(0x00, 0x01, 0x04, 0x05, 0x10, 0x11, 0x14, 0x15, 0x40, 0x41, 0x44, 0x45, 0x50, 0x51, 0x54, 0x55);
  const v = i8x16.shuffle(ix, iy, 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
  const mask = i8x16.splat(0x0f);
  const lo = i8x16.swizzle(spreadNibble, v128.and(v, mask));
  const hi = i8x16.swizzle(spreadNibble, v128.and(i16x8.shr_u(v, 4), mask));
  const first = i8x16.shuffle(lo, hi, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23); // spread ix0, iy0
  const second = i8x16.shuffle(lo, hi, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31); // ix1, iy1
  const x = i8x16.shuffle(first, second, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
  const y = i8x16.shuffle(first, second, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
  return v128.or(x, i64x2.shl(y, 1));
}

// Vector constants, each stored twice (one v128), loaded once per call. V8 rebuilds a v128.const
// inside the loop with three instructions at every use; a value loaded before the loop is kept in
// a register or reloaded from the stack with one.
const K_HALFPI = 0;
const K_DEG2RAD = 1;
const K_INV_HALFPI = 2;
const K_POLE_LOW = 3;
const K_POLE_HIGH = 4;
const K_ZERO = 5;
const K_FOUR = 6;
const K_PIO2_HI = 7;
const K_PIO2_LO = 8;
const K_C3 = 9; // Taylor coefficients of sin: ±1/3!, 1/5!, … ±1/21!
const K_TWOTHIRD = 19;
const K_HALF = 20;
const K_THREEQUARTERS = 21;
const K_THREE = 22;
const K_ONE = 23;
const K_ZSLACK = 24;
const K_TWO52 = 25;
const VECTOR_CONSTANTS = memory.data<f64>([
  1.5707963267948966, 1.5707963267948966, // HALFPI
  0.017453292519943295, 0.017453292519943295, // DEG2RAD
  0.6366197723675814, 0.6366197723675814, // INV_HALFPI
  0.01, 0.01, // poles: Healpix uses sin θ below θ = 0.01 …
  3.13159, 3.13159, // … and above 3.14159 − 0.01
  0.0, 0.0,
  4.0, 4.0,
  1.5707963267948966, 1.5707963267948966, // π/2 high
  6.123233995736766e-17, 6.123233995736766e-17, // π/2 low
  -0.16666666666666666, -0.16666666666666666,
  0.008333333333333333, 0.008333333333333333,
  -0.0001984126984126984, -0.0001984126984126984,
  2.7557319223985893e-6, 2.7557319223985893e-6,
  -2.505210838544172e-8, -2.505210838544172e-8,
  1.6059043836821613e-10, 1.6059043836821613e-10,
  -7.647163731819816e-13, -7.647163731819816e-13,
  2.8114572543455206e-15, 2.8114572543455206e-15,
  -8.22063524662433e-18, -8.22063524662433e-18,
  1.9572941063391263e-20, 1.9572941063391263e-20,
  0.6666666666666666, 0.6666666666666666, // TWOTHIRD
  0.5, 0.5,
  0.75, 0.75,
  3.0, 3.0,
  1.0, 1.0,
  8.881784197001252e-16, 8.881784197001252e-16, // Z_SLACK
  4503599627370496.0, 4503599627370496.0, // 2^52
]);

const ORDER_VECTORS = memory.data(80, 16);

// @ts-ignore: decorator
@inline function vk(index: i32): v128 {
  return v128.load(VECTOR_CONSTANTS + (<usize>index << 4));
}

/**
 * Pixels of two points (lon, lat in degrees), with all-ones (-1) in a lane that needs the scalar
 * path: near a pole, longitude outside [0°, 360°), invalid, or near a pixel edge.
 */
// @ts-ignore: decorator
@inline function nestPair(order: i32, lon: v128, lat: v128): v128 {
  const halfpi = vk(K_HALFPI);
  const deg2rad = vk(K_DEG2RAD);
  const invHalfpi = vk(K_INV_HALFPI);
  const poleLow = vk(K_POLE_LOW);
  const poleHigh = vk(K_POLE_HIGH);
  const zero = vk(K_ZERO);
  const four = vk(K_FOUR);
  const pio2Hi = vk(K_PIO2_HI);
  const pio2Lo = vk(K_PIO2_LO);
  const c3 = vk(K_C3);
  const c5 = vk(K_C3 + 1);
  const c7 = vk(K_C3 + 2);
  const c9 = vk(K_C3 + 3);
  const c11 = vk(K_C3 + 4);
  const c13 = vk(K_C3 + 5);
  const c15 = vk(K_C3 + 6);
  const c17 = vk(K_C3 + 7);
  const c19 = vk(K_C3 + 8);
  const c21 = vk(K_C3 + 9);
  const twothird = vk(K_TWOTHIRD);
  const half = vk(K_HALF);
  const threeQuarters = vk(K_THREEQUARTERS);
  const three = vk(K_THREE);
  const one = vk(K_ONE);
  const zSlack = vk(K_ZSLACK);
  const two52 = vk(K_TWO52);
  const mantissa = i64x2.splat(0x000fffffffffffff);
  const four64 = i64x2.splat(4);
  const eight64 = i64x2.splat(8);
  const vN = v128.load(ORDER_VECTORS);
  const nsm1 = v128.load(ORDER_VECTORS, 16);
  const nsm1F = v128.load(ORDER_VECTORS, 32);
  const beltMargin = v128.load(ORDER_VECTORS, 48);
  const capMargin = v128.load(ORDER_VECTORS, 64);
    const theta = f64x2.sub(halfpi, f64x2.mul(lat, deg2rad));
    const tt = f64x2.mul(f64x2.mul(lon, deg2rad), invHalfpi);
    const fast = v128.and(
      v128.and(f64x2.ge(theta, poleLow), f64x2.le(theta, poleHigh)),
      v128.and(f64x2.ge(tt, zero), f64x2.lt(tt, four)),
    );
    // z = cosFast(θ), the same operations
    const r = f64x2.sub(f64x2.sub(theta, pio2Hi), pio2Lo);
    const r2 = f64x2.mul(r, r);
    const r4 = f64x2.mul(r2, r2);
    const r8 = f64x2.mul(r4, r4);
    const q0 = f64x2.add(c3, f64x2.mul(c5, r2));
    const q1 = f64x2.add(c7, f64x2.mul(c9, r2));
    const q2 = f64x2.add(c11, f64x2.mul(c13, r2));
    const q3 = f64x2.add(c15, f64x2.mul(c17, r2));
    const q4 = f64x2.add(c19, f64x2.mul(c21, r2));
    const h0 = f64x2.add(q0, f64x2.mul(q1, r4));
    const h1 = f64x2.add(q2, f64x2.mul(q3, r4));
    const p = f64x2.add(h0, f64x2.mul(f64x2.add(h1, f64x2.mul(q4, r8)), r8));
    const z = f64x2.neg(f64x2.add(r, f64x2.mul(f64x2.mul(r, r2), p)));
    const za = f64x2.abs(z);
    const belt = f64x2.le(za, twothird);
    // equatorial belt (|z| ≤ 2/3)
    const temp1 = f64x2.mul(vN, f64x2.add(half, tt));
    const temp2 = f64x2.mul(vN, f64x2.mul(z, threeQuarters));
    // polar caps
    const nttF = f64x2.pmin(f64x2.trunc(tt), three);
    const tp = f64x2.sub(tt, nttF);
    const s = f64x2.sqrt(f64x2.mul(three, f64x2.sub(one, za)));
    const tmp = f64x2.mul(vN, s);
    // the two floor arguments of each lane's branch, and their integer parts
    const va = v128.bitselect(f64x2.sub(temp1, temp2), f64x2.mul(tp, tmp), belt);
    const vb = v128.bitselect(f64x2.add(temp1, temp2), f64x2.mul(f64x2.sub(one, tp), tmp), belt);
    const ja = f64x2.trunc(va);
    const jb = f64x2.trunc(vb);
    // the edge test of loc2pixNestChecked for both lanes: distance to the nearest integer below the margin
    const scale = v128.bitselect(one, s, belt);
    const margin = v128.bitselect(beltMargin, capMargin, belt);
    const da = f64x2.mul(f64x2.sub(half, f64x2.abs(f64x2.sub(f64x2.sub(va, ja), half))), scale);
    const db = f64x2.mul(f64x2.sub(half, f64x2.abs(f64x2.sub(f64x2.sub(vb, jb), half))), scale);
    const edge = v128.or(
      f64x2.le(f64x2.abs(f64x2.sub(za, twothird)), zSlack),
      v128.or(f64x2.lt(da, margin), f64x2.lt(db, margin)),
    );
    // belt: jp = ja, jm = jb; caps: the same clamped to nside − 1. Integer-valued doubles in
    // [0, 2^52) become integers by adding 2^52 and keeping the mantissa bits (2 operations; the
    // conversion instructions take 5 on x64).
    const jp = v128.and(f64x2.add(v128.bitselect(ja, f64x2.pmin(ja, nsm1F), belt), two52), mantissa);
    const jm = v128.and(f64x2.add(v128.bitselect(jb, f64x2.pmin(jb, nsm1F), belt), two52), mantissa);
    const ifp = i64x2.shr_u(jp, order);
    const ifm = i64x2.shr_u(jm, order);
    const faceE = v128.bitselect(
      v128.or(ifp, four64),
      v128.bitselect(ifp, i64x2.add(ifm, eight64), i64x2.lt_s(ifp, ifm)),
      i64x2.eq(ifp, ifm),
    );
    const ixE = v128.and(jm, nsm1);
    const iyE = i64x2.sub(nsm1, v128.and(jp, nsm1));
    const ntt = v128.and(f64x2.add(nttF, two52), mantissa);
    const north = f64x2.ge(z, zero);
    const ixP = v128.bitselect(i64x2.sub(nsm1, jm), jp, north);
    const iyP = v128.bitselect(i64x2.sub(nsm1, jp), jm, north);
    const faceP = v128.bitselect(ntt, i64x2.add(ntt, eight64), north);
    const ix = v128.bitselect(ixE, ixP, belt);
    const iy = v128.bitselect(iyE, iyP, belt);
    const face = v128.bitselect(faceE, faceP, belt);
    const pix = i64x2.add(i64x2.shl(face, 2 * order), morton2(ix, iy));
    return v128.or(pix, v128.not(v128.andnot(fast, edge)));
}

export function ang2pixNestLonLatSimd(order: i32, a: usize, b: usize, out: usize, n: i32): void {
  const nside: i64 = <i64>1 << order;
  const fnside = <f64>nside;
  // per-order vectors go through memory, or V8 recomputes their splats inside the loop
  v128.store(ORDER_VECTORS, f64x2.splat(fnside));
  v128.store(ORDER_VECTORS, i64x2.splat(nside - 1), 16);
  v128.store(ORDER_VECTORS, f64x2.splat(fnside - 1), 32);
  v128.store(ORDER_VECTORS, f64x2.splat(fnside * BELT_MARGIN), 48);
  v128.store(ORDER_VECTORS, f64x2.splat(fnside * CAP_MARGIN), 64);
  const minusOne = i64x2.splat(-1);
  let i = 0;
  // four points per iteration: two independent pairs keep both vector units busy
  for (; i + 4 <= n; i += 4) {
    const k = <usize>i << 3;
    const p = nestPair(order, v128.load(a + k), v128.load(b + k));
    const q = nestPair(order, v128.load(a + k + 16), v128.load(b + k + 16));
    if (i64x2.all_true(v128.and(i64x2.ne(p, minusOne), i64x2.ne(q, minusOne)))) {
      v128.store(out + k, p);
      v128.store(out + k + 16, q);
      continue;
    }
    for (let j: usize = 0; j < 4; ++j) {
      const kk = k + (j << 3);
      store<i64>(out + kk, ang2pixNest(order, HALFPI - load<f64>(b + kk) * DEG2RAD, load<f64>(a + kk) * DEG2RAD));
    }
  }
  for (; i < n; ++i) {
    const k = <usize>i << 3;
    store<i64>(out + k, ang2pixNest(order, HALFPI - load<f64>(b + k) * DEG2RAD, load<f64>(a + k) * DEG2RAD));
  }
}
