// cos and sin on [0, π] exactly as glibc computes them (FMA build), for the rare ang2pix points
// whose pixel depends on the last bit of cos θ. Twin of src/reference/healpix-libm.ts, which
// explains why (glibc is not correctly rounded; healpy inherits its rounding) and how (glibc's
// formulas in glibc's order, fused multiply-adds emulated exactly with error-free transforms and
// rounding to odd, Boldo & Melquiond 2008).

import { SINCOS_TABLE } from './healpix-sincos-table';

// glibc usncs.h values (see the TypeScript twin)
const BIG: f64 = 52776558133248.0;
const HP0: f64 = 1.5707963267948966;
const HP1: f64 = 6.123233995736766e-17;
const MP1: f64 = 1.5707963407039642;
const MP2: f64 = -1.3909067564377153e-8;
const PP3: f64 = -4.97899623147991e-17;
const PP4: f64 = -1.9034889620193266e-25;
const SN3: f64 = -1.66666666666664880952546298448555e-1;
const SN5: f64 = 8.33333214285722277379541354343671e-3;
const CS2: f64 = 4.99999999999999999999950396842453e-1;
const CS4: f64 = -4.16666666666664434524222570944589e-2;
const CS6: f64 = 1.38888874007937613028114285595617e-3;
const S1: f64 = -0.16666666666666666;
const S2: f64 = 0.008333333333332329;
const S3: f64 = -0.00019841269834414642;
const S4: f64 = 2.755729806860771e-6;
const S5: f64 = -2.5022014848318398e-8;
const COS_ONE: f64 = 7.450580596923828e-9; // 2^-27
const SIN_IDENTITY: f64 = 1.4901161193847656e-8; // 2^-26
const TABLE_END: f64 = 0.85546875;
const REDUCE_START: f64 = 2.4262638092041016;
const SPLITTER: f64 = 134217729.0;

/** x + y rounded to odd (the neighbour of the exact sum with an odd last bit). */
function roundToOdd(x: f64, y: f64): f64 {
  const s = x + y;
  const bv = s - x;
  const e = (x - (s - bv)) + (y - bv);
  if (e == 0) return s;
  const bits = reinterpret<i64>(s);
  if ((bits & 1) != 0) return s;
  return reinterpret<f64>((e > 0) == (s > 0) ? bits + 1 : bits - 1);
}

/** a·b + c rounded once (finite operands away from overflow and underflow). */
export function fusedMultiplyAdd(a: f64, b: f64, c: f64): f64 {
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

// @ts-ignore: decorator
@inline function fma(a: f64, b: f64, c: f64): f64 {
  return fusedMultiplyAdd(a, b, c);
}

// @ts-ignore: decorator
@inline function tableAt(u: f64, j: i32): f64 {
  const k = <usize>(<u32>reinterpret<i64>(u)) << 2;
  return load<f64>(SINCOS_TABLE + ((k + <usize>j) << 3));
}

function doCos(x: f64, dx: f64): f64 {
  if (x < 0) dx = -dx;
  const u = BIG + Math.abs(x);
  x = Math.abs(x) - (u - BIG) + dx;
  const xx = x * x;
  const s = fma(x * xx, fma(xx, SN5, SN3), x);
  const c = xx * fma(xx, fma(xx, CS6, CS4), CS2);
  const sn = tableAt(u, 0);
  const ssn = tableAt(u, 1);
  const cs = tableAt(u, 2);
  const ccs = tableAt(u, 3);
  const cor = fma(-sn, s, fma(-cs, c, fma(-s, ssn, ccs)));
  return cs + cor;
}

function taylorSin(xx: f64, a: f64, da: f64): f64 {
  const p = fma(fma(fma(fma(S5, xx, S4), xx, S3), xx, S2), xx, S1);
  const t = fma(fma(p, a, -0.5 * da), xx, da);
  return a + t;
}

function doSin(x: f64, dx: f64): f64 {
  const xold = x;
  if (Math.abs(x) < 0.126) return taylorSin(x * x, x, dx);
  if (x <= 0) dx = -dx;
  const u = BIG + Math.abs(x);
  x = Math.abs(x) - (u - BIG);
  const xx = x * x;
  const s = x + fma(x * xx, fma(xx, SN5, SN3), dx);
  const c = fma(x, dx, xx * fma(xx, fma(xx, CS6, CS4), CS2));
  const sn = tableAt(u, 0);
  const ssn = tableAt(u, 1);
  const cs = tableAt(u, 2);
  const ccs = tableAt(u, 3);
  const cor = fma(cs, s, fma(-sn, c, fma(s, ccs, ssn)));
  return copysign<f64>(sn + cor, xold);
}

// x − 2·(π/2) for x in [2.426, π] as reduceA + reduceDa (glibc reduce_sincos with n = 2; the
// products by 2 are exact, so contraction does not matter).
let reduceA: f64 = 0;
let reduceDa: f64 = 0;
function reduceNearPi(x: f64): void {
  const y = (x - 2 * MP1) - 2 * MP2;
  let t1 = 2 * PP3;
  const t2 = y - t1;
  let db = (y - t2) - t1;
  t1 = 2 * PP4;
  const b = t2 - t1;
  db += (t2 - b) - t1;
  reduceA = b;
  reduceDa = db;
}

/** glibc's cos(x) for x in [0, π], bit for bit. */
export function cosGlibc(x: f64): f64 {
  if (x < COS_ONE) return 1.0;
  if (x < TABLE_END) return doCos(x, 0);
  if (x < REDUCE_START) {
    const y = HP0 - x;
    const a = y + HP1;
    const da = (y - a) + HP1;
    return doSin(a, da);
  }
  reduceNearPi(x);
  return -doCos(reduceA, reduceDa);
}

/** glibc's sin(x) for x in [0, π], bit for bit. */
export function sinGlibc(x: f64): f64 {
  if (x < SIN_IDENTITY) return x;
  if (x < TABLE_END) return doSin(x, 0);
  if (x < REDUCE_START) return Math.abs(doCos(HP0 - x, HP1));
  reduceNearPi(x);
  return -doSin(reduceA, reduceDa);
}
