// HEALPix pixel arithmetic on 64-bit indices (orders 0–29, NEST and RING).
//
// The floating-point steps follow Healpix C++ 3.x (`T_Healpix_Base<int64>::loc2pix`, `pix2loc`,
// `xyf2loc`) operation by operation, in the same evaluation order, because healpy is built on that
// library and our results must be bit-identical to it: at a pixel boundary one rounding more or
// less moves a point to the neighbouring pixel. Reference: Górski et al. 2005, ApJ 622, 759.
//
// The src/reference/healpix.ts twin implements the same steps with bigint; keep them in step.

import { cosGlibc, sinGlibc } from './healpix-libm';

// Literals written with the digits of Healpix C++ lsconstants.h so both round to the same double.
export const PI: f64 = 3.141592653589793238462643383279502884197;
export const HALFPI: f64 = 1.570796326794896619231321691639751442099;
export const INV_HALFPI: f64 = 0.6366197723675813430755350534900574;
export const TWOTHIRD: f64 = 2.0 / 3.0;
// numpy's deg2rad/rad2deg multiply by these (npy_math), which healpy uses for lonlat=True.
export const DEG2RAD: f64 = PI / 180.0;
export const RAD2DEG: f64 = 180.0 / PI;

// Base-face tables (Healpix_Tables::jrll / jpll): ring and longitude index of each face's centre.
const JRLL = memory.data<i32>([2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
const JPLL = memory.data<i32>([1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7]);

// Neighbour walk tables (Healpix_Tables nb_*): offsets in face coordinates in healpy's order
// SW, W, NW, N, NE, E, SE, S; the face reached when stepping off a face (row = 3·dy + dx + 4,
// column = face) and the axis flips/swap to apply there (row, face row 0..2).
const NB_XOFFSET = memory.data<i32>([-1, -1, 0, 1, 1, 1, 0, -1]);
const NB_YOFFSET = memory.data<i32>([0, 1, 1, 1, 0, -1, -1, -1]);
const NB_FACEARRAY = memory.data<i32>([
  8, 9, 10, 11, -1, -1, -1, -1, 10, 11, 8, 9,
  5, 6, 7, 4, 8, 9, 10, 11, 9, 10, 11, 8,
  -1, -1, -1, -1, 5, 6, 7, 4, -1, -1, -1, -1,
  4, 5, 6, 7, 11, 8, 9, 10, 11, 8, 9, 10,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
  1, 2, 3, 0, 0, 1, 2, 3, 5, 6, 7, 4,
  -1, -1, -1, -1, 7, 4, 5, 6, -1, -1, -1, -1,
  3, 0, 1, 2, 3, 0, 1, 2, 4, 5, 6, 7,
  2, 3, 0, 1, -1, -1, -1, -1, 0, 1, 2, 3,
]);
const NB_SWAPARRAY = memory.data<i32>([0, 0, 3, 0, 0, 6, 0, 0, 0, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0, 0, 0, 6, 0, 0, 3, 0, 0]);

// @ts-ignore: decorator
@inline export function jrll(face: i32): i64 {
  return <i64>load<i32>(JRLL + (<usize>face << 2));
}
// @ts-ignore: decorator
@inline export function jpll(face: i32): i64 {
  return <i64>load<i32>(JPLL + (<usize>face << 2));
}

/** Spreads the low 32 bits of v to the even bit positions (Morton interleave half). */
// @ts-ignore: decorator
@inline export function spreadBits(v: i64): i64 {
  v = (v | (v << 16)) & 0x0000ffff0000ffff;
  v = (v | (v << 8)) & 0x00ff00ff00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f0f0f0f0f;
  v = (v | (v << 2)) & 0x3333333333333333;
  v = (v | (v << 1)) & 0x5555555555555555;
  return v;
}

/** Inverse of spreadBits: gathers the even bit positions of v. */
// @ts-ignore: decorator
@inline export function compressBits(v: i64): i64 {
  v &= 0x5555555555555555;
  v = (v | (v >> 1)) & 0x3333333333333333;
  v = (v | (v >> 2)) & 0x0f0f0f0f0f0f0f0f;
  v = (v | (v >> 4)) & 0x00ff00ff00ff00ff;
  v = (v | (v >> 8)) & 0x0000ffff0000ffff;
  v = (v | (v >> 16)) & 0x00000000ffffffff;
  return v;
}

/** Floored modulo for doubles as Healpix `fmodulo`: result in [0, v2). */
// @ts-ignore: decorator
@inline export function fmodulo(v1: f64, v2: f64): f64 {
  if (v1 >= 0) return v1 < v2 ? v1 : v1 % v2;
  const tmp = (v1 % v2) + v2;
  return tmp == v2 ? 0.0 : tmp;
}

/** Integer square root, exact for the full i64 range used here (< 2^62). */
export function isqrt(arg: i64): i64 {
  let res = <i64>Math.sqrt(<f64>arg + 0.5);
  if (arg < (<i64>1 << 50)) return res;
  if (res * res > arg) --res;
  else if ((res + 1) * (res + 1) <= arg) ++res;
  return res;
}

// @ts-ignore: decorator
@inline export function xyf2nest(order: i32, ix: i64, iy: i64, face: i64): i64 {
  return (face << (2 * <i64>order)) + spreadBits(ix) + (spreadBits(iy) << 1);
}

/**
 * Pixel index of the point with cos(colatitude) z, longitude phi (radians) and, near the poles,
 * sin(colatitude) sth (pass haveSth = false when unknown). Healpix `loc2pix`.
 */
export function loc2pix(order: i32, nest: bool, z: f64, phi: f64, sth: f64, haveSth: bool): i64 {
  return nest ? loc2pixNest(order, z, phi, sth, haveSth) : loc2pixRing(order, z, phi, sth, haveSth);
}

/** loc2pix in the NEST scheme (separate so that batch loops carry no scheme branch). */
// @ts-ignore: decorator
@inline export function loc2pixNest(order: i32, z: f64, phi: f64, sth: f64, haveSth: bool): i64 {
  return loc2pixNestChecked(order, z, phi, sth, haveSth, false);
}

/** loc2pix in the RING scheme. */
export function loc2pixRing(order: i32, z: f64, phi: f64, sth: f64, haveSth: bool): i64 {
  return loc2pixRingChecked(order, z, phi, sth, haveSth, false);
}

/** What loc2pix…Checked returns when a z within Z_SLACK of the given one could change the pixel. */
export const NEAR_EDGE: i64 = -2;

/**
 * loc2pixNest; with `checked` (a compile-time constant after inlining) it returns NEAR_EDGE
 * instead when some z' with |z' − z| ≤ Z_SLACK could give another pixel: a floor argument
 * within its margin of an integer, or |z| within Z_SLACK of 2/3 (see "cos θ" below). Rare for
 * random points (≈ 2^-15 at order 29, less at lower orders); always the case on points built on
 * pixel edges. checked requires haveSth = false.
 */
// @ts-ignore: decorator
@inline function loc2pixNestChecked(order: i32, z: f64, phi: f64, sth: f64, haveSth: bool, checked: bool): i64 {
  const nside: i64 = <i64>1 << order;
  const fnside = <f64>nside;
  const za = Math.abs(z);
  const tt = fmodulo(phi * INV_HALFPI, 4.0);
  if (za <= TWOTHIRD) {
    const temp1 = fnside * (0.5 + tt);
    const temp2 = fnside * (z * 0.75);
    const va = temp1 - temp2;
    const vb = temp1 + temp2;
    if (checked) {
      const m = fnside * BELT_MARGIN;
      if (nearInteger(va, m) | nearInteger(vb, m) | (TWOTHIRD - za <= Z_SLACK)) return NEAR_EDGE;
    }
    const jp = <i64>va;
    const jm = <i64>vb;
    const ifp = jp >> order;
    const ifm = jm >> order;
    const face: i64 = ifp == ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
    const ix = jm & (nside - 1);
    const iy = nside - (jp & (nside - 1)) - 1;
    return xyf2nest(order, ix, iy, face);
  }
  const ntt: i64 = min<i64>(3, <i64>tt);
  const tp = tt - <f64>ntt;
  let tmp: f64;
  if (checked) {
    const s = Math.sqrt(3 * (1 - za));
    tmp = fnside * s;
    const m = (fnside * CAP_MARGIN) / s;
    if (nearInteger(tp * tmp, m) | nearInteger((1.0 - tp) * tmp, m) | (za - TWOTHIRD <= Z_SLACK)) return NEAR_EDGE;
  } else {
    tmp = za < 0.99 || !haveSth ? fnside * Math.sqrt(3 * (1 - za)) : (fnside * sth) / Math.sqrt((1.0 + za) / 3.0);
  }
  let jp = <i64>(tp * tmp);
  let jm = <i64>((1.0 - tp) * tmp);
  jp = min<i64>(jp, nside - 1);
  jm = min<i64>(jm, nside - 1);
  return z >= 0 ? xyf2nest(order, nside - jm - 1, nside - jp - 1, ntt) : xyf2nest(order, jp, jm, ntt + 8);
}

/** loc2pixRing with the optional edge check of loc2pixNestChecked. */
// @ts-ignore: decorator
@inline function loc2pixRingChecked(order: i32, z: f64, phi: f64, sth: f64, haveSth: bool, checked: bool): i64 {
  const nside: i64 = <i64>1 << order;
  const fnside = <f64>nside;
  const za = Math.abs(z);
  const tt = fmodulo(phi * INV_HALFPI, 4.0);
  const npix = 12 * (nside << order);
  const ncap = ((nside << order) - nside) << 1;
  if (za <= TWOTHIRD) {
    const nl4 = 4 * nside;
    const temp1 = fnside * (0.5 + tt);
    const temp2 = fnside * z * 0.75;
    const va = temp1 - temp2;
    const vb = temp1 + temp2;
    if (checked) {
      const m = fnside * BELT_MARGIN;
      if (nearInteger(va, m) | nearInteger(vb, m) | (TWOTHIRD - za <= Z_SLACK)) return NEAR_EDGE;
    }
    const jp = <i64>va;
    const jm = <i64>vb;
    const ir = nside + 1 + jp - jm;
    const kshift = 1 - (ir & 1);
    const t1 = jp + jm - nside + kshift + 1 + nl4 + nl4;
    const ip = order > 0 ? (t1 >> 1) & (nl4 - 1) : (t1 >> 1) % nl4;
    return ncap + (ir - 1) * nl4 + ip;
  }
  const tp = tt - <f64>(<i64>tt);
  let tmp: f64;
  if (checked) {
    const s = Math.sqrt(3 * (1 - za));
    tmp = fnside * s;
    const m = (fnside * CAP_MARGIN) / s;
    if (nearInteger(tp * tmp, m) | nearInteger((1.0 - tp) * tmp, m) | (za - TWOTHIRD <= Z_SLACK)) return NEAR_EDGE;
  } else {
    tmp = za < 0.99 || !haveSth ? fnside * Math.sqrt(3 * (1 - za)) : (fnside * sth) / Math.sqrt((1.0 + za) / 3.0);
  }
  const jp = <i64>(tp * tmp);
  const jm = <i64>((1.0 - tp) * tmp);
  const ir = jp + jm + 1;
  const ip = <i64>(tt * <f64>ir);
  return z > 0 ? 2 * ir * (ir - 1) + ip : npix - 2 * ir * (ir + 1) + ip;
}

// ---- cos θ: fast, and glibc's where the last bit can matter ----
//
// healpy computes z = cos θ with glibc, which is not correctly rounded (see healpix-libm.ts), and
// at a pixel edge one ulp of z moves the point to the neighbouring pixel. So ang2pix takes a fast
// cos (a few ulp from the true value), checks whether any z within Z_SLACK of it could change a
// floor or a branch of loc2pix, and only then recomputes z exactly as glibc does. The margins
// below bound how far a change of z by Z_SLACK moves each floor argument, rounding included.

const PIO2_HI: f64 = 1.5707963267948966;
const PIO2_LO: f64 = 6.123233995736766e-17;
/** Bound on |fast cos − glibc cos|: 2^-50, i.e. 8 units of 2^-53 (cosFast is within 3 of glibc). */
export const Z_SLACK: f64 = 8.881784197001252e-16;
/** Belt floors: z·0.75·nside moves by ≤ nside·(0.75·Z_SLACK + 2^-53) plus an ulp of the sum (< nside·2^-49). */
export const BELT_MARGIN: f64 = 7.105427357601002e-15; // 2^-47, times nside
/** Cap floors: sqrt(3(1 − |z|)) moves by ≤ 1.5·Z_SLACK/s + rounding; times nside, below nside·2^-47.5/s. */
export const CAP_MARGIN: f64 = 1.4210854715202004e-14; // 2^-46, times nside / s

/**
 * cos θ for θ in [0.01, π − 0.01]: −sin(θ − π/2) by the Taylor series of sin to r^21
 * (truncation < 0.02 ulp for |r| ≤ π/2), in Estrin's scheme so that the dependency chain is 6
 * operations long rather than 20. Within 3·2^-53 of glibc's cos (measured on 5e6 θ; Z_SLACK
 * allows 8). Branch-free; healpix-simd.ts runs the same operations on two lanes.
 */
// @ts-ignore: decorator
@inline export function cosFast(theta: f64): f64 {
  const r = (theta - PIO2_HI) - PIO2_LO;
  const r2 = r * r;
  const r4 = r2 * r2;
  const r8 = r4 * r4;
  // p(u) = c3 + c5·u + … + c21·u⁹ with u = r², c = ±1/n!
  const q0 = -0.16666666666666666 + 0.008333333333333333 * r2;
  const q1 = -0.0001984126984126984 + 2.7557319223985893e-6 * r2;
  const q2 = -2.505210838544172e-8 + 1.6059043836821613e-10 * r2;
  const q3 = -7.647163731819816e-13 + 2.8114572543455206e-15 * r2;
  const q4 = -8.22063524662433e-18 + 1.9572941063391263e-20 * r2;
  const p = (q0 + q1 * r4) + ((q2 + q3 * r4) + q4 * r8) * r8;
  return -(r + r * r2 * p);
}

// @ts-ignore: decorator
@inline function nearInteger(v: f64, margin: f64): bool {
  const f = v - Math.floor(v);
  return f < margin || f > 1.0 - margin;
}

/** Healpix `ang2pix(pointing)`: colatitude theta in [0, π], longitude phi (radians). -1 when invalid. */
export function ang2pix(order: i32, nest: bool, theta: f64, phi: f64): i64 {
  return nest ? ang2pixNest(order, theta, phi) : ang2pixRing(order, theta, phi);
}

/** True when θ is in the polar branch of Healpix ang2pix, which also uses sin θ. */
// @ts-ignore: decorator
@inline export function nearPole(theta: f64): bool {
  // Same threshold as Healpix C++: sin(theta) carries the precision near the poles.
  return theta < 0.01 || theta > 3.14159 - 0.01;
}

// @ts-ignore: decorator
@inline export function ang2pixNest(order: i32, theta: f64, phi: f64): i64 {
  // NaN fails both comparisons; an infinite phi would give NaN in fmodulo.
  if (!(theta >= 0 && theta <= PI) || !isFinite(phi)) return -1;
  if (nearPole(theta)) return loc2pixNest(order, cosGlibc(theta), phi, sinGlibc(theta), true);
  const pix = loc2pixNestChecked(order, cosFast(theta), phi, 0.0, false, true);
  return pix != NEAR_EDGE ? pix : loc2pixNest(order, cosGlibc(theta), phi, 0.0, false);
}

// @ts-ignore: decorator
@inline export function ang2pixRing(order: i32, theta: f64, phi: f64): i64 {
  if (!(theta >= 0 && theta <= PI) || !isFinite(phi)) return -1;
  if (nearPole(theta)) return loc2pixRing(order, cosGlibc(theta), phi, sinGlibc(theta), true);
  const pix = loc2pixRingChecked(order, cosFast(theta), phi, 0.0, false, true);
  return pix != NEAR_EDGE ? pix : loc2pixRing(order, cosGlibc(theta), phi, 0.0, false);
}

/** Healpix `vec2pix`: any non-zero vector. -1 for the zero vector or non-finite input. */
export function vec2pix(order: i32, nest: bool, x: f64, y: f64, z: f64): i64 {
  const len = Math.sqrt(x * x + y * y + z * z);
  if (!(len > 0) || !isFinite(len)) return -1;
  const xl = 1.0 / len;
  const phi = x == 0.0 && y == 0.0 ? 0.0 : Math.atan2(y, x);
  const nz = z * xl;
  if (Math.abs(nz) > 0.99) return loc2pix(order, nest, nz, phi, Math.sqrt(x * x + y * y) * xl, true);
  return loc2pix(order, nest, nz, phi, 0.0, false);
}

// Results of nest2xyf / ring2xyf / pix2loc (module globals avoid allocation; single-threaded).
export let outIx: i64 = 0;
export let outIy: i64 = 0;
export let outFace: i64 = 0;
export let outZ: f64 = 0;
export let outPhi: f64 = 0;
export let outSth: f64 = 0;
export let outHaveSth: bool = false;

export function nest2xyf(order: i32, pix: i64): void {
  outFace = pix >> (2 * <i64>order);
  const p = pix & ((<i64>1 << (2 * <i64>order)) - 1);
  outIx = compressBits(p);
  outIy = compressBits(p >> 1);
}

/** Healpix `get_ring_info_small`: first pixel and pixel count of a ring (1-based from north). */
export let ringStart: i64 = 0;
export let ringPixels: i64 = 0;
export let ringShifted: bool = false;
export function ringInfoSmall(order: i32, ring: i64): void {
  const nside: i64 = <i64>1 << order;
  if (ring < nside) {
    ringShifted = true;
    ringPixels = 4 * ring;
    ringStart = 2 * ring * (ring - 1);
  } else if (ring < 3 * nside) {
    const ncap = ((nside << order) - nside) << 1;
    ringShifted = ((ring - nside) & 1) == 0;
    ringPixels = 4 * nside;
    ringStart = ncap + (ring - nside) * ringPixels;
  } else {
    ringShifted = true;
    const nr = 4 * nside - ring;
    const npix = 12 * (nside << order);
    ringPixels = 4 * nr;
    ringStart = npix - 2 * nr * (nr + 1);
  }
}

export function xyf2ring(order: i32, ix: i64, iy: i64, face: i64): i64 {
  const nside: i64 = <i64>1 << order;
  const nl4 = 4 * nside;
  const jr = jrll(<i32>face) * nside - ix - iy - 1;
  ringInfoSmall(order, jr);
  const nr = ringPixels >> 2;
  const kshift: i64 = ringShifted ? 0 : 1;
  let jp = (jpll(<i32>face) * nr + ix - iy + 1 + kshift) / 2;
  if (jp < 1) jp += nl4;
  return ringStart + jp - 1;
}

export function ring2xyf(order: i32, pix: i64): void {
  const nside: i64 = <i64>1 << order;
  const npix = 12 * (nside << order);
  const ncap = ((nside << order) - nside) << 1;
  const nl2 = 2 * nside;
  let iring: i64, iphi: i64, kshift: i64, nr: i64, face: i64;
  if (pix < ncap) {
    iring = (1 + isqrt(1 + 2 * pix)) >> 1;
    iphi = pix + 1 - 2 * iring * (iring - 1);
    kshift = 0;
    nr = iring;
    face = (iphi - 1) / nr;
  } else if (pix < npix - ncap) {
    const ip = pix - ncap;
    const tmp = ip >> (<i64>order + 2);
    iring = tmp + nside;
    iphi = ip - tmp * 4 * nside + 1;
    kshift = (iring + nside) & 1;
    nr = nside;
    const ire = iring - nside + 1;
    const irm = nl2 + 2 - ire;
    const ifm = (iphi - ire / 2 + nside - 1) >> order;
    const ifp = (iphi - irm / 2 + nside - 1) >> order;
    face = ifp == ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
  } else {
    const ip = npix - pix;
    iring = (1 + isqrt(2 * ip - 1)) >> 1;
    iphi = 4 * iring + 1 - (ip - 2 * iring * (iring - 1));
    kshift = 0;
    nr = iring;
    iring = 2 * nl2 - iring;
    face = 8 + (iphi - 1) / nr;
  }
  const irt = iring - jrll(<i32>face) * nside + 1;
  let ipt = 2 * iphi - jpll(<i32>face) * nr - kshift - 1;
  if (ipt >= nl2) ipt -= 8 * nside;
  outIx = (ipt - irt) >> 1;
  outIy = (-ipt - irt) >> 1;
  outFace = face;
}

export function nest2ring(order: i32, pix: i64): i64 {
  nest2xyf(order, pix);
  return xyf2ring(order, outIx, outIy, outFace);
}

export function ring2nest(order: i32, pix: i64): i64 {
  ring2xyf(order, pix);
  return xyf2nest(order, outIx, outIy, outFace);
}

/** Healpix `pix2loc`: sets outZ, outPhi and (near the poles) outSth / outHaveSth. */
export function pix2loc(order: i32, nest: bool, pix: i64): void {
  const nside: i64 = <i64>1 << order;
  const npface = nside << order;
  const npix = 12 * npface;
  const fact2 = 4.0 / <f64>npix;
  const fact1 = <f64>(nside << 1) * fact2;
  outHaveSth = false;
  if (!nest) {
    const ncap = (npface - nside) << 1;
    if (pix < ncap) {
      const iring = (1 + isqrt(1 + 2 * pix)) >> 1;
      const iphi = pix + 1 - 2 * iring * (iring - 1);
      const tmp = <f64>(iring * iring) * fact2;
      outZ = 1.0 - tmp;
      if (outZ > 0.99) {
        outSth = Math.sqrt(tmp * (2.0 - tmp));
        outHaveSth = true;
      }
      outPhi = ((<f64>iphi - 0.5) * HALFPI) / <f64>iring;
    } else if (pix < npix - ncap) {
      const nl4 = 4 * nside;
      const ip = pix - ncap;
      const tmp = ip >> (<i64>order + 2);
      const iring = tmp + nside;
      const iphi = ip - nl4 * tmp + 1;
      const fodd: f64 = ((iring + nside) & 1) != 0 ? 1.0 : 0.5;
      outZ = <f64>((nside << 1) - iring) * fact1;
      outPhi = (<f64>iphi - fodd) * PI * 0.75 * fact1;
    } else {
      const ip = npix - pix;
      const iring = (1 + isqrt(2 * ip - 1)) >> 1;
      const iphi = 4 * iring + 1 - (ip - 2 * iring * (iring - 1));
      const tmp = <f64>(iring * iring) * fact2;
      outZ = tmp - 1.0;
      if (outZ < -0.99) {
        outSth = Math.sqrt(tmp * (2.0 - tmp));
        outHaveSth = true;
      }
      outPhi = ((<f64>iphi - 0.5) * HALFPI) / <f64>iring;
    }
    return;
  }
  nest2xyf(order, pix);
  const ix = outIx;
  const iy = outIy;
  const face = <i32>outFace;
  const jr = (jrll(face) << order) - ix - iy - 1;
  let nr: i64;
  if (jr < nside) {
    nr = jr;
    const tmp = <f64>(nr * nr) * fact2;
    outZ = 1 - tmp;
    if (outZ > 0.99) {
      outSth = Math.sqrt(tmp * (2.0 - tmp));
      outHaveSth = true;
    }
  } else if (jr > 3 * nside) {
    nr = nside * 4 - jr;
    const tmp = <f64>(nr * nr) * fact2;
    outZ = tmp - 1;
    if (outZ < -0.99) {
      outSth = Math.sqrt(tmp * (2.0 - tmp));
      outHaveSth = true;
    }
  } else {
    nr = nside;
    outZ = <f64>((nside << 1) - jr) * fact1;
  }
  let tmp = jpll(face) * nr + ix - iy;
  if (tmp < 0) tmp += 8 * nr;
  outPhi = nr == nside ? 0.75 * HALFPI * <f64>tmp * fact1 : (0.5 * HALFPI * <f64>tmp) / <f64>nr;
}

/** Healpix `xyf2loc` for continuous face coordinates x, y in [0, 1]. */
export function xyf2loc(x: f64, y: f64, face: i32): void {
  outHaveSth = false;
  const jr = <f64>jrll(face) - x - y;
  let nr: f64;
  if (jr < 1) {
    nr = jr;
    const tmp = (nr * nr) / 3.0;
    outZ = 1 - tmp;
    if (outZ > 0.99) {
      outSth = Math.sqrt(tmp * (2.0 - tmp));
      outHaveSth = true;
    }
  } else if (jr > 3) {
    nr = 4 - jr;
    const tmp = (nr * nr) / 3.0;
    outZ = tmp - 1;
    if (outZ < -0.99) {
      outSth = Math.sqrt(tmp * (2.0 - tmp));
      outHaveSth = true;
    }
  } else {
    nr = 1;
    outZ = ((2 - jr) * 2.0) / 3.0;
  }
  let tmp = <f64>jpll(face) * nr + x - y;
  if (tmp < 0) tmp += 8;
  if (tmp >= 8) tmp -= 8;
  outPhi = nr < 1e-15 ? 0 : (0.5 * HALFPI * tmp) / nr;
}

// Unit vector of the last pix2loc / xyf2loc (Healpix locToVec3 / vec3::set_z_phi).
export let vecX: f64 = 0;
export let vecY: f64 = 0;
export let vecZ: f64 = 0;
export function locToVec(): void {
  if (outHaveSth) {
    vecX = outSth * Math.cos(outPhi);
    vecY = outSth * Math.sin(outPhi);
  } else {
    const sintheta = Math.sqrt((1.0 - outZ) * (1.0 + outZ));
    vecX = sintheta * Math.cos(outPhi);
    vecY = sintheta * Math.sin(outPhi);
  }
  vecZ = outZ;
}

/** Colatitude of the last pix2loc, as Healpix `pix2ang`. */
// @ts-ignore: decorator
@inline export function locTheta(): f64 {
  return outHaveSth ? Math.atan2(outSth, outZ) : Math.acos(outZ);
}

/**
 * The 8 neighbours of pix in healpy's order (SW, W, NW, N, NE, E, SE, S); -1 where a corner
 * has only 7. Healpix `neighbors`. Writes 8 i64 at out with the given stride (in elements).
 */
export function neighbours(order: i32, nest: bool, pix: i64, out: usize, stride: usize): void {
  const nside: i64 = <i64>1 << order;
  if (nest) nest2xyf(order, pix);
  else ring2xyf(order, pix);
  const ix = outIx;
  const iy = outIy;
  const face = outFace;
  for (let i = 0; i < 8; ++i) {
    let x = ix + <i64>load<i32>(NB_XOFFSET + (<usize>i << 2));
    let y = iy + <i64>load<i32>(NB_YOFFSET + (<usize>i << 2));
    let nbnum = 4;
    if (x < 0) {
      x += nside;
      nbnum -= 1;
    } else if (x >= nside) {
      x -= nside;
      nbnum += 1;
    }
    if (y < 0) {
      y += nside;
      nbnum -= 3;
    } else if (y >= nside) {
      y -= nside;
      nbnum += 3;
    }
    const f = load<i32>(NB_FACEARRAY + ((<usize>nbnum * 12 + <usize>face) << 2));
    let result: i64 = -1;
    if (f >= 0) {
      const bits = load<i32>(NB_SWAPARRAY + ((<usize>nbnum * 3 + <usize>(face >> 2)) << 2));
      if ((bits & 1) != 0) x = nside - x - 1;
      if ((bits & 2) != 0) y = nside - y - 1;
      if ((bits & 4) != 0) {
        const t = x;
        x = y;
        y = t;
      }
      result = nest ? xyf2nest(order, x, y, <i64>f) : xyf2ring(order, x, y, <i64>f);
    }
    store<i64>(out + ((<usize>i * stride) << 3), result);
  }
}

/** Healpix `max_pixrad`: largest angular distance (radians) between a pixel centre and its corners. */
export function maxPixrad(order: i32): f64 {
  const nside = <f64>(<i64>1 << order);
  // va = set_z_phi(2/3, π/(4 nside)); vb = set_z_phi(1 − t1²/3, 0) with t1 = 1 − 1/nside
  const za: f64 = 2.0 / 3.0;
  const pa = PI / (4 * nside);
  const sa = Math.sqrt((1.0 - za) * (1.0 + za));
  const ax = sa * Math.cos(pa);
  const ay = sa * Math.sin(pa);
  let t1 = 1.0 - 1.0 / nside;
  t1 *= t1;
  const zb = 1 - t1 / 3;
  const bx = Math.sqrt((1.0 - zb) * (1.0 + zb));
  return vAngle(ax, ay, za, bx, 0, zb);
}

/** Angle between two vectors, atan2(|a×b|, a·b) as Healpix `v_angle`. */
export function vAngle(ax: f64, ay: f64, az: f64, bx: f64, by: f64, bz: f64): f64 {
  const cx = ay * bz - az * by;
  const cy = az * bx - ax * bz;
  const cz = ax * by - ay * bx;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), ax * bx + ay * by + az * bz);
}

/**
 * Point j (0 ≤ j < 4·step) of the boundary of pix, as a unit vector in vecX/vecY/vecZ: step
 * points per edge, from the north corner counter-clockwise (Healpix `boundaries`).
 */
export function boundaryPoint(order: i32, nest: bool, pix: i64, step: i32, j: i32): void {
  if (nest) nest2xyf(order, pix);
  else ring2xyf(order, pix);
  const fnside = <f64>(<i64>1 << order);
  const dc = 0.5 / fnside;
  const xc = (<f64>outIx + 0.5) / fnside;
  const yc = (<f64>outIy + 0.5) / fnside;
  const d = 1.0 / (<f64>step * fnside);
  const face = <i32>outFace;
  const edge = j / step;
  const i = <f64>(j % step);
  if (edge == 0) xyf2loc(xc + dc - i * d, yc + dc, face);
  else if (edge == 1) xyf2loc(xc - dc, yc + dc - i * d, face);
  else if (edge == 2) xyf2loc(xc - dc + i * d, yc - dc, face);
  else xyf2loc(xc + dc, yc - dc + i * d, face);
  locToVec();
}
