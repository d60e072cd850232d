// Two points per step for the hottest path, batched ang2pix in NEST from lon/lat degrees
// (catalogue indexing). Compiled only into the release-simd build (ASC_FEATURE_SIMD); the
// other builds use the scalar loop. Results are bit-identical to healpix.ts: the same IEEE
// operations in the same order, lane by lane, with both the equatorial and the polar formulas
// evaluated and the right one selected, so no lane takes a branch. cos stays scalar (one libm
// call per lane). Pairs with a lane near a pole (θ < 0.01 or θ > π − 0.01, where Healpix uses
// sin θ), outside [0°, 360°) in longitude, or invalid take the scalar path.

import { ang2pixNest, DEG2RAD, HALFPI, INV_HALFPI, TWOTHIRD } from './healpix';

// @ts-ignore: decorator
@inline function spread2(v: v128): v128 {
  v = v128.and(v128.or(v, i64x2.shl(v, 16)), i64x2.splat(0x0000ffff0000ffff));
  v = v128.and(v128.or(v, i64x2.shl(v, 8)), i64x2.splat(0x00ff00ff00ff00ff));
  v = v128.and(v128.or(v, i64x2.shl(v, 4)), i64x2.splat(0x0f0f0f0f0f0f0f0f));
  v = v128.and(v128.or(v, i64x2.shl(v, 2)), i64x2.splat(0x3333333333333333));
  v = v128.and(v128.or(v, i64x2.shl(v, 1)), i64x2.splat(0x5555555555555555));
  return v;
}

/** f64 lanes (non-negative, < 2^32) truncated to i64 lanes, as the scalar <i64> cast. */
// @ts-ignore: decorator
@inline function truncU(v: v128): v128 {
  return i64x2.extend_low_i32x4_u(i32x4.trunc_sat_f64x2_u_zero(v));
}

export function ang2pixNestLonLatSimd(order: i32, a: usize, b: usize, out: usize, n: i32): void {
  const nside: i64 = <i64>1 << order;
  const vN = f64x2.splat(<f64>nside);
  const nsm1 = i64x2.splat(nside - 1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const k = <usize>i << 3;
    const lon = v128.load(a + k);
    const lat = v128.load(b + k);
    const theta = f64x2.sub(f64x2.splat(HALFPI), f64x2.mul(lat, f64x2.splat(DEG2RAD)));
    const tt = f64x2.mul(f64x2.mul(lon, f64x2.splat(DEG2RAD)), f64x2.splat(INV_HALFPI));
    const fast = v128.and(
      v128.and(f64x2.ge(theta, f64x2.splat(0.01)), f64x2.le(theta, f64x2.splat(3.14159 - 0.01))),
      v128.and(f64x2.ge(tt, f64x2.splat(0.0)), f64x2.lt(tt, f64x2.splat(4.0))),
    );
    if (!i64x2.all_true(fast)) {
      store<i64>(out + k, ang2pixNest(order, f64x2.extract_lane(theta, 0), load<f64>(a + k) * DEG2RAD));
      store<i64>(out + k + 8, ang2pixNest(order, f64x2.extract_lane(theta, 1), load<f64>(a + k + 8) * DEG2RAD));
      continue;
    }
    const z = f64x2.replace_lane(f64x2.splat(Math.cos(f64x2.extract_lane(theta, 0))), 1, Math.cos(f64x2.extract_lane(theta, 1)));
    const za = f64x2.abs(z);
    // equatorial belt (|z| ≤ 2/3)
    const temp1 = f64x2.mul(vN, f64x2.add(f64x2.splat(0.5), tt));
    const temp2 = f64x2.mul(vN, f64x2.mul(z, f64x2.splat(0.75)));
    const jpE = truncU(f64x2.sub(temp1, temp2));
    const jmE = truncU(f64x2.add(temp1, temp2));
    const ifp = i64x2.shr_u(jpE, order);
    const ifm = i64x2.shr_u(jmE, order);
    const faceE = v128.bitselect(
      v128.or(ifp, i64x2.splat(4)),
      v128.bitselect(ifp, i64x2.add(ifm, i64x2.splat(8)), i64x2.lt_s(ifp, ifm)),
      i64x2.eq(ifp, ifm),
    );
    const ixE = v128.and(jmE, nsm1);
    const iyE = i64x2.sub(nsm1, v128.and(jpE, nsm1));
    // polar caps
    const nttF = f64x2.min(f64x2.trunc(tt), f64x2.splat(3.0));
    const tp = f64x2.sub(tt, nttF);
    const tmp = f64x2.mul(vN, f64x2.sqrt(f64x2.mul(f64x2.splat(3.0), f64x2.sub(f64x2.splat(1.0), za))));
    let jpP = truncU(f64x2.mul(tp, tmp));
    let jmP = truncU(f64x2.mul(f64x2.sub(f64x2.splat(1.0), tp), tmp));
    jpP = v128.bitselect(jpP, nsm1, i64x2.lt_s(jpP, nsm1));
    jmP = v128.bitselect(jmP, nsm1, i64x2.lt_s(jmP, nsm1));
    const ntt = truncU(nttF);
    const north = f64x2.ge(z, f64x2.splat(0.0));
    const ixP = v128.bitselect(i64x2.sub(nsm1, jmP), jpP, north);
    const iyP = v128.bitselect(i64x2.sub(nsm1, jpP), jmP, north);
    const faceP = v128.bitselect(ntt, i64x2.add(ntt, i64x2.splat(8)), north);
    const belt = f64x2.le(za, f64x2.splat(TWOTHIRD));
    const ix = v128.bitselect(ixE, ixP, belt);
    const iy = v128.bitselect(iyE, iyP, belt);
    const face = v128.bitselect(faceE, faceP, belt);
    const pix = i64x2.add(i64x2.add(i64x2.shl(face, 2 * order), spread2(ix)), i64x2.shl(spread2(iy), 1));
    v128.store(out + k, pix);
  }
  for (; i < n; ++i) {
    const k = <usize>i << 3;
    store<i64>(out + k, ang2pixNest(order, HALFPI - load<f64>(b + k) * DEG2RAD, load<f64>(a + k) * DEG2RAD));
  }
}
