/**
 * The definitions every matcher in this package shares, so that the sky index (WebAssembly and
 * TypeScript) and the brute-force oracle agree bit for bit on what a pair is:
 *
 * - a position is the unit vector (cos δ cos α, cos δ sin α, sin δ) (astropy's
 *   `UnitSphericalRepresentation.to_cartesian` formula), with the sine and cosine of degrees of
 *   {@link sinCosDegrees}: additions and multiplications only, so that this file, the scalar
 *   WebAssembly builds and the SIMD build (assembly/sky-vectors.ts) give the same bits, in any
 *   JavaScript engine (Math.sin/Math.cos differ in the last bit between V8 versions, and from
 *   AssemblyScript's libm);
 * - the squared chord d² = Δx² + Δy² + Δz², summed in that order;
 * - a pair is within a limit θ when d² ≤ (2 sin(θ/2))² (astropy `search_around_sky` converts
 *   its limit to a chord the same way and scipy's ball query keeps distances `<=` it);
 * - the separation is 2 asin(d/2), which unlike acos(a·b) keeps full precision at
 *   sub-milliarcsecond scales.
 */

/** Arcseconds per radian. */
export const RAD2ARCSEC = (180 / Math.PI) * 3600;

/** 1.5 · 2^52: x + ROUNDER − ROUNDER is x rounded to the nearest integer (ties to even) for |x| < 2^51. */
const ROUNDER = 6755399441055744;
/** Above this many degrees the reduction first takes the (exact) remainder modulo 360. */
const DEG_REDUCE_MAX = 2 ** 50;
/** 1/90 rounded: only estimates the quadrant, whose remainder is then computed exactly. */
const INV90 = 1 / 90;
/** Veltkamp's splitter 2^27 + 1: r·SPLIT − (r·SPLIT − r) keeps the high 26 bits of r. */
const SPLIT = 134217729;
/** π/180 = DEG_HI + DEG_LO, DEG_HI with 27 significant bits so that (26 bits) · DEG_HI is exact. */
const DEG_HI = 0.017453292617574334;
const DEG_LO = -9.763103837535538e-11;
/**
 * sin r = r·(π/180) + r³·S(r²) and cos r = 1 + C2·r² + r⁴·C(r²) for r in degrees, |r| ≤ 45°:
 * C2 = −(π/180)²/2 rounded, and S, C near-minimax polynomials of degree 5 in r² fitted to
 * (sin − r·π/180)/r³ and (cos − 1 − C2·r²)/r⁴ (scripts/sincos-fit.py: mpmath chebyfit at 200
 * bits, so C absorbs C2's rounding). Their relative error before rounding is at most 2.0e-17
 * (sin) and 3.4e-17 (cos), 0.2 and 0.3 of 2^-53; Taylor needed two and three terms more.
 */
const S3 = -8.860961557012979e-07;
const S5 = 1.3496016231628686e-11;
const S7 = -9.788384859391768e-17;
const S9 = 4.1412669481111535e-22;
const S11 = -1.1467754701011947e-27;
const S13 = 2.219717144702859e-33;
const C2 = -0.0001523087098933543;
const C4 = 3.866323851563416e-09;
const C6 = -3.925831985986041e-14;
const C8 = 2.1354943546271755e-19;
const C10 = -7.2279234828911205e-25;
const C12 = 1.670076929553248e-30;
const C14 = -3.123099202991993e-36;

/** Sine of the last {@link sinCosDeg} call. */
let sinOut = 0;
/** Cosine of the last {@link sinCosDeg} call. */
let cosOut = 0;

/**
 * sin and cos of a finite angle in degrees, to sinOut/cosOut. The angle is reduced to
 * r = x − 90q, |r| ≤ 45°, exactly (q·90 and the difference are exact in binary64 below 2^50°;
 * beyond, x mod 360 is exact first), so multiples of 90° give exact 0 and ±1 and no radian
 * rounding enters the reduction. sin r = r·(π/180) + r·r²·S(r²) with r·(π/180) in two parts (r split
 * as Veltkamp, π/180 as DEG_HI + DEG_LO), cos r = 1 − r²·(−C2 − r²·C(r²)); measured against
 * mpmath: within 1 ulp (test/sky-geometry.test.ts). The steps are those of assembly/sky-vectors.ts,
 * one IEEE operation for another.
 */
function sinCosDeg(degrees: number): void {
  const x = Math.abs(degrees) <= DEG_REDUCE_MAX ? degrees : degrees % 360;
  const k = x * INV90 + ROUNDER;
  const q = k - ROUNDER;
  const r = x - q * 90;
  const p = r * SPLIT;
  const rh = p - (p - r);
  const rl = r - rh;
  const r2 = r * r;
  const sp = S3 + r2 * (S5 + r2 * (S7 + r2 * (S9 + r2 * (S11 + r2 * S13))));
  const s = rh * DEG_HI + (rl * DEG_HI + r * (DEG_LO + r2 * sp));
  const cp = C4 + r2 * (C6 + r2 * (C8 + r2 * (C10 + r2 * (C12 + r2 * C14))));
  const c = 1 - r2 * (-C2 - r2 * cp);
  // the quadrant q mod 4: ToInt32 wraps |q| < 2^45 modulo 2^32, a multiple of 4
  const n = q | 0;
  const swap = (n & 1) !== 0;
  const sv = swap ? c : s;
  const cv = swap ? s : c;
  sinOut = (n & 2) !== 0 ? -sv : sv;
  cosOut = ((n + 1) & 2) !== 0 ? -cv : cv;
}

/**
 * Sine and cosine of an angle in degrees, as the unit vectors use them (see {@link sinCosDeg}):
 * within 1 ulp, exact at multiples of 90°. NaN for a non-finite angle.
 */
export function sinCosDegrees(degrees: number): [sin: number, cos: number] {
  if (!Number.isFinite(degrees)) return [NaN, NaN];
  sinCosDeg(degrees);
  return [sinOut, cosOut];
}

/**
 * Writes unit vectors of (ra, dec) in degrees as interleaved x, y, z into `out` from element
 * `outOffset`, for rows `rows[start..end)` (or rows start..end when `rows` is null), skipping
 * rows whose ra or dec is not finite; the row numbers written go to `ids` from `idsOffset`.
 * Returns the number of rows written.
 */
export function writeUnitVectors(
  ra: ArrayLike<number>,
  dec: ArrayLike<number>,
  rows: Int32Array | null,
  start: number,
  end: number,
  out: Float64Array,
  outOffset: number,
  ids: Int32Array,
  idsOffset: number,
): number {
  let k = 0;
  for (let j = start; j < end; j++) {
    const i = rows === null ? j : rows[j];
    const alpha = ra[i];
    const delta = dec[i];
    if (!Number.isFinite(alpha) || !Number.isFinite(delta)) continue;
    sinCosDeg(delta);
    const sd = sinOut;
    const cd = cosOut;
    sinCosDeg(alpha);
    const o = outOffset + 3 * k;
    out[o] = cd * cosOut;
    out[o + 1] = cd * sinOut;
    out[o + 2] = sd;
    ids[idsOffset + k] = i;
    k++;
  }
  return k;
}

/** Squared chord of two vectors stored interleaved at element offsets i and j. */
export function chord2(p: Float64Array, i: number, q: Float64Array, j: number): number {
  const dx = p[i] - q[j];
  const dy = p[i + 1] - q[j + 1];
  const dz = p[i + 2] - q[j + 2];
  return dx * dx + dy * dy + dz * dz;
}

/**
 * The squared chord of an angular limit in arcseconds: (2 sin(θ/2))². Limits of 180° or more
 * give 4 (the whole sphere); negative or NaN limits give -1 (nothing matches).
 */
export function chordLimit2(limitArcsec: number): number {
  if (!(limitArcsec >= 0)) return -1;
  if (limitArcsec >= 648000) return 4;
  const c = 2 * Math.sin(limitArcsec / RAD2ARCSEC / 2);
  return c * c;
}

/** The separation in arcseconds of a squared chord d²: 2 asin(d/2). */
export function separationArcsec(d2: number): number {
  const half = Math.sqrt(d2) / 2;
  return 2 * Math.asin(half > 1 ? 1 : half) * RAD2ARCSEC;
}
