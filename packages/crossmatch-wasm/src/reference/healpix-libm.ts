/**
 * cos and sin on [0, π] exactly as glibc computes them, so that ang2pix agrees with healpy on
 * points that lie on a pixel edge (assembly/healpix-libm.ts is the WebAssembly twin).
 *
 * Why not a correctly rounded cos: glibc ≥ 2.28 is not correctly rounded. Its cos/sin (the IBM
 * Accurate Mathematical Library, sysdeps/ieee754/dbl-64/s_sin.c, whose slow exact paths were
 * removed in 2.28) are off by one ulp on about 0.15 % of arguments (measured against mpmath on
 * 2e5 uniform θ in [0, π]: 279 cos and 266 sin misrounded, errors up to 0.508 ulp; V8's fdlibm
 * cos disagrees with glibc on 3.3 %). healpy takes θ's cosine from the C library, so at a pixel
 * edge only glibc's own rounding reproduces its pixel. This file evaluates the same formulas in
 * the same order: a table of sin/cos at k/128 plus short polynomials, and fused multiply-adds
 * where GCC contracts them in the x86-64 FMA build (`__cos_fma`, chosen on every CPU with FMA and
 * AVX2) and on aarch64. The fused operations are emulated exactly with error-free transforms and
 * rounding to odd (Boldo & Melquiond, IEEE Trans. Computers 57(4), 2008), which costs ~40 flops
 * each: only the rare points near a pixel edge come here (see `ang2pix` in ./healpix.ts).
 *
 * The sin/cos table is recomputed here to 2⁻¹⁰⁶ rather than copied; glibc's low parts differ from
 * correctly rounded ones by one ulp (≈1e-33) at 18 of its 440 entries, which changes a result
 * only when it lies within 1e-33 of a rounding midpoint.
 */

import { SINCOS_TABLE } from './healpix-sincos-table.js';

// glibc's usncs.h constants (hex floats there) in decimal forms that round to the same doubles:
// π/2 split in two (HP) and three (MP, PP) parts, and a rounding shift (BIG).
const BIG = 52776558133248.0; // 1.5·2^45: adding it rounds to a multiple of 1/128
const HP0 = 1.5707963267948966; // π/2 high
const HP1 = 6.123233995736766e-17; // π/2 low
const MP1 = 1.5707963407039642; // π/2 in three parts for the reduction near π
const MP2 = -1.3909067564377153e-8;
const PP3 = -4.97899623147991e-17;
const PP4 = -1.9034889620193266e-25;
const SN3 = -1.66666666666664880952546298448555e-1;
const SN5 = 8.33333214285722277379541354343671e-3;
const CS2 = 4.99999999999999999999950396842453e-1;
const CS4 = -4.16666666666664434524222570944589e-2;
const CS6 = 1.38888874007937613028114285595617e-3;
const S1 = -0.16666666666666666; // -0x1.5555555555555p-3
const S2 = 0.008333333333332329; // 0x1.1111111110ECEp-7
const S3 = -0.00019841269834414642; // -0x1.A01A019DB08B8p-13
const S4 = 2.755729806860771e-6; // 0x1.71DE27B9A7ED9p-19
const S5 = -2.5022014848318398e-8; // -0x1.ADDFFC2FCDF59p-26
/** x < 2^-27: cos x = 1. */
const COS_ONE = 2 ** -27;
/** x < 2^-26: sin x = x. */
const SIN_IDENTITY = 2 ** -26;
/** Upper end of the table range, bits 0x3feb6000_00000000. */
const TABLE_END = 0.85546875;
/** Start of the range reduced by multiples of π/2, bits 0x400368fd_00000000. */
const REDUCE_START = 2.4262638092041016;

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer); // little-endian: words[0] is the low half

/** Low 32 bits of the representation of x. */
function lowWord(x: number): number {
  scratch[0] = x;
  return words[0];
}

const SPLITTER = 134217729; // 2^27 + 1 (Veltkamp)

/**
 * a·b + c rounded once (IEEE fusedMultiplyAdd), for finite a, b, c far from overflow and
 * underflow: a·b = ph + pl exactly (Dekker), c + ph = sh + sl exactly (Knuth), then
 * RN(sh + RO(sl + pl)) is the correctly rounded sum when the inner sum is rounded to odd.
 */
export function fusedMultiplyAdd(a: number, b: number, c: number): number {
  const ph = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pl = al * bl - (((ph - ah * bh) - al * bh) - ah * bl);
  const sh = c + ph;
  const bv = sh - c;
  const sl = (c - (sh - bv)) + (ph - bv);
  return sh + roundToOdd(sl, pl);
}

/** x + y rounded to odd: the neighbour of the exact sum whose last significand bit is 1. */
function roundToOdd(x: number, y: number): number {
  const s = x + y;
  const bv = s - x;
  const e = (x - (s - bv)) + (y - bv);
  if (e === 0) return s;
  scratch[0] = s;
  if ((words[0] & 1) === 1) return s;
  // s is even and inexact: step one ulp towards the exact sum (the neighbour there is odd)
  const away = (e > 0) === (s > 0);
  if (away) {
    if (words[0] === 0xffffffff) {
      words[0] = 0;
      words[1] += 1;
    } else words[0] += 1;
  } else if (words[0] === 0) {
    words[0] = 0xffffffff;
    words[1] -= 1;
  } else words[0] -= 1;
  return scratch[0];
}

const fma = fusedMultiplyAdd;

/** glibc do_cos: cos(x + dx) for |x| < 0.855 from the table entry nearest x. */
function doCos(x: number, dx: number): number {
  if (x < 0) dx = -dx;
  const u = BIG + Math.abs(x);
  x = Math.abs(x) - (u - BIG) + dx;
  const xx = x * x;
  const s = fma(x * xx, fma(xx, SN5, SN3), x);
  const c = xx * fma(xx, fma(xx, CS6, CS4), CS2);
  const k = lowWord(u) << 2;
  const sn = SINCOS_TABLE[k];
  const ssn = SINCOS_TABLE[k + 1];
  const cs = SINCOS_TABLE[k + 2];
  const ccs = SINCOS_TABLE[k + 3];
  const cor = fma(-sn, s, fma(-cs, c, fma(-s, ssn, ccs)));
  return cs + cor;
}

/** glibc TAYLOR_SIN: sin(a + da) for |a| < 0.126. */
function taylorSin(xx: number, a: number, da: number): number {
  const p = fma(fma(fma(fma(S5, xx, S4), xx, S3), xx, S2), xx, S1);
  const t = fma(fma(p, a, -0.5 * da), xx, da);
  return a + t;
}

/** glibc do_sin: sin(x + dx). */
function doSin(x: number, dx: number): number {
  const xold = x;
  if (Math.abs(x) < 0.126) return taylorSin(x * x, x, dx);
  if (x <= 0) dx = -dx;
  const u = BIG + Math.abs(x);
  x = Math.abs(x) - (u - BIG);
  const xx = x * x;
  const s = x + fma(x * xx, fma(xx, SN5, SN3), dx);
  const c = fma(x, dx, xx * fma(xx, fma(xx, CS6, CS4), CS2));
  const k = lowWord(u) << 2;
  const sn = SINCOS_TABLE[k];
  const ssn = SINCOS_TABLE[k + 1];
  const cs = SINCOS_TABLE[k + 2];
  const ccs = SINCOS_TABLE[k + 3];
  const cor = fma(cs, s, fma(-sn, c, fma(s, ccs, ssn)));
  const r = sn + cor;
  return xold < 0 || Object.is(xold, -0) ? -Math.abs(r) : Math.abs(r);
}

/**
 * glibc reduce_sincos for x in [2.426, π]: x − 2·(π/2) as a + da. The multiples of the 3-part
 * π/2 are exact (xn = 2), so contraction changes nothing here.
 */
function reduceNearPi(x: number): [number, number] {
  const y = (x - 2 * MP1) - 2 * MP2;
  let t1 = 2 * PP3;
  const t2 = y - t1;
  let db = (y - t2) - t1;
  t1 = 2 * PP4;
  const b = t2 - t1;
  db += (t2 - b) - t1;
  return [b, db];
}

/** glibc's cos(x) for x in [0, π] (bit for bit, FMA build). */
export function cosGlibc(x: number): number {
  if (x < COS_ONE) return 1.0;
  if (x < TABLE_END) return doCos(x, 0);
  if (x < REDUCE_START) {
    const y = HP0 - x;
    const a = y + HP1;
    const da = (y - a) + HP1;
    return doSin(a, da);
  }
  // quadrant n = 2, cos = do_sincos(a, da, n + 1) = −do_cos(a, da)
  const [a, da] = reduceNearPi(x);
  return -doCos(a, da);
}

/** glibc's sin(x) for x in [0, π] (bit for bit, FMA build). */
export function sinGlibc(x: number): number {
  if (x < SIN_IDENTITY) return x;
  if (x < TABLE_END) return doSin(x, 0);
  if (x < REDUCE_START) {
    const r = doCos(HP0 - x, HP1);
    return Math.abs(r);
  }
  // quadrant 2: sin = −do_sin(a, da)
  const [a, da] = reduceNearPi(x);
  return -doSin(a, da);
}
