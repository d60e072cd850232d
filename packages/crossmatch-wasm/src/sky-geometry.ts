/**
 * The definitions every matcher in this package shares, so that the sky index (WebAssembly and
 * TypeScript) and the brute-force oracle agree bit for bit on what a pair is:
 *
 * - a position is the unit vector (cos δ cos α, cos δ sin α, sin δ) computed with this engine's
 *   `Math.cos`/`Math.sin` (astropy's `UnitSphericalRepresentation.to_cartesian` formula);
 * - the squared chord d² = Δx² + Δy² + Δz², summed in that order;
 * - a pair is within a limit θ when d² ≤ (2 sin(θ/2))² (astropy `search_around_sky` converts
 *   its limit to a chord the same way and scipy's ball query keeps distances `<=` it);
 * - the separation is 2 asin(d/2), which unlike acos(a·b) keeps full precision at
 *   sub-milliarcsecond scales.
 *
 * Vectors are computed in JavaScript even for the WebAssembly path: AssemblyScript's libm and
 * V8's differ in the last bit, which could move a pair across the limit.
 */

/** Radians per degree. */
export const DEG2RAD = Math.PI / 180;
/** Arcseconds per radian. */
export const RAD2ARCSEC = (180 / Math.PI) * 3600;

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
    const alpha = ra[i] * DEG2RAD;
    const delta = dec[i] * DEG2RAD;
    if (!Number.isFinite(alpha) || !Number.isFinite(delta)) continue;
    const cd = Math.cos(delta);
    const o = outOffset + 3 * k;
    out[o] = cd * Math.cos(alpha);
    out[o + 1] = cd * Math.sin(alpha);
    out[o + 2] = Math.sin(delta);
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
