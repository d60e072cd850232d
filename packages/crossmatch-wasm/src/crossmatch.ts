/**
 * Positional crossmatch of two catalogues on the sky through a {@link SkyIndex} of the second,
 * with the match modes of STILTS `tskymatch2 find=…` and astropy:
 *
 * - `all`: every pair within the radius (astropy `search_around_sky`, STILTS `find=all`);
 * - `nearest` / `best1`: for each row of A, its nearest B within the radius (astropy
 *   `match_to_catalog_sky` filtered by the radius, STILTS `find=best1`);
 * - `best2`: for each row of B, its nearest A (STILTS `find=best2`);
 * - `best`: one-to-one pairs chosen greedily by increasing separation, so that no row of either
 *   table appears twice (STILTS `find=best`, "best symmetric").
 *
 * Separations are great-circle angles computed from chord lengths, 2·asin(|a − b| / 2), which
 * stays accurate at milliarcsecond scale; results are in arcseconds.
 */
import { OptionsError } from './errors.js';
import { SkyIndex, radecToVector, visitWithin } from './sky-index.js';

/** Match mode, see the module documentation. */
export type CrossmatchFind = 'all' | 'nearest' | 'best' | 'best1' | 'best2';

/** Positions of a catalogue, degrees. NaN rows never match. */
export interface SkyPositions {
  ra: Float64Array;
  dec: Float64Array;
}

/** Options of {@link crossmatch}. */
export interface CrossmatchOptions {
  /** Largest separation of a pair, arcseconds. Default 1. */
  radius?: number;
  /**
   * Per-row error radii of A (arcsec), added to the radius: rows i, j match when their separation
   * is at most radius + errorA[i] + errorB[j].
   */
  errorA?: Float64Array;
  /** Per-row error radii of B (arcsec), see {@link CrossmatchOptions.errorA}. */
  errorB?: Float64Array;
  /** Which pairs to return. Default `all`. */
  find?: CrossmatchFind;
}

/** Matched pairs, as three parallel arrays. */
export interface CrossmatchResult {
  /** Row in A of each pair. */
  a: Uint32Array;
  /** Row in B of each pair. */
  b: Uint32Array;
  /** Separation of each pair, arcseconds. */
  separation: Float64Array;
}

const ARCSEC = Math.PI / (180 * 3600);
const FINDS: readonly CrossmatchFind[] = ['all', 'nearest', 'best', 'best1', 'best2'];

/** Angular separation (radians) of two unit vectors at squared chord distance d2. */
export function chordToAngle(d2: number): number {
  return 2 * Math.asin(Math.min(1, Math.sqrt(d2) / 2));
}

/** Chord length of an angle (radians), capped at the diameter. */
export function angleToChord(angle: number): number {
  return angle >= Math.PI ? 2 : 2 * Math.sin(angle / 2);
}

/**
 * Matches catalogue A against B (positions, or a prebuilt {@link SkyIndex} of B) and returns the
 * pairs of the requested mode. Pairs come sorted by A row then separation (`best2`: by B row).
 */
export function crossmatch(a: SkyPositions, b: SkyPositions | SkyIndex, options: CrossmatchOptions = {}): CrossmatchResult {
  const find = options.find ?? 'all';
  if (!FINDS.includes(find)) throw new OptionsError(`crossmatch: find "${String(find)}" is not one of ${FINDS.join(', ')}`);
  const radius = options.radius ?? 1;
  if (!(radius >= 0) || !Number.isFinite(radius)) throw new OptionsError(`crossmatch: radius must be a finite number of arcseconds ≥ 0, got ${radius}`);
  if (a.ra.length !== a.dec.length) throw new OptionsError(`crossmatch: A has ${a.ra.length} RA and ${a.dec.length} Dec values`);
  const index = b instanceof SkyIndex ? b : SkyIndex.build(b.ra, b.dec);
  const { errorA, errorB } = options;
  if (errorA && errorA.length !== a.ra.length) throw new OptionsError(`crossmatch: errorA has ${errorA.length} values for ${a.ra.length} rows of A`);
  let maxErrorB = 0;
  if (errorB) {
    if (!(b instanceof SkyIndex) && errorB.length !== b.ra.length) {
      throw new OptionsError(`crossmatch: errorB has ${errorB.length} values for ${b.ra.length} rows of B`);
    }
    for (let j = 0; j < errorB.length; j++) if (errorB[j] > maxErrorB) maxErrorB = errorB[j];
  }

  const pairA: number[] = [];
  const pairB: number[] = [];
  const pairSep: number[] = [];
  const q = new Float64Array(3);
  const rows = index.rows;
  const nearest = find === 'nearest' || find === 'best1';
  for (let i = 0; i < a.ra.length; i++) {
    if (!Number.isFinite(a.ra[i]) || !Number.isFinite(a.dec[i])) continue;
    const errA = errorA ? errorA[i] : 0;
    if (!(errA >= 0)) continue;
    radecToVector(a.ra[i], a.dec[i], q, 0);
    // search a hair wider than the largest threshold; the exact test is on the angle below
    const reach = (radius + errA + maxErrorB) * ARCSEC;
    const chord = angleToChord(reach) * (1 + 1e-12) + 1e-15;
    let bestB = -1;
    let bestSep = Infinity;
    const start = pairA.length;
    visitWithin(index, q[0], q[1], q[2], chord, (k, d2) => {
      const j = rows[k];
      const sep = chordToAngle(d2) / ARCSEC;
      const limit = radius + errA + (errorB ? errorB[j] : 0);
      if (!(sep <= limit)) return;
      if (nearest) {
        if (sep < bestSep || (sep === bestSep && j < bestB)) {
          bestSep = sep;
          bestB = j;
        }
      } else {
        pairA.push(i);
        pairB.push(j);
        pairSep.push(sep);
      }
    });
    if (nearest) {
      if (bestB >= 0) {
        pairA.push(i);
        pairB.push(bestB);
        pairSep.push(bestSep);
      }
    } else if (pairA.length - start > 1) {
      // order this row's pairs by separation, then B row (tree order is arbitrary)
      const order = Array.from({ length: pairA.length - start }, (_, t) => start + t).sort((x, y) => pairSep[x] - pairSep[y] || pairB[x] - pairB[y]);
      const bs = order.map((t) => pairB[t]);
      const ss = order.map((t) => pairSep[t]);
      for (let t = 0; t < bs.length; t++) {
        pairB[start + t] = bs[t];
        pairSep[start + t] = ss[t];
      }
    }
  }
  if (find === 'best2') return bestPerB(pairA, pairB, pairSep);
  if (find === 'best') return bestSymmetric(pairA, pairB, pairSep);
  return { a: Uint32Array.from(pairA), b: Uint32Array.from(pairB), separation: Float64Array.from(pairSep) };
}

/** For each B row, its pair of smallest separation (ties: smallest A row); sorted by B row. */
function bestPerB(pairA: number[], pairB: number[], pairSep: number[]): CrossmatchResult {
  const best = new Map<number, number>();
  for (let t = 0; t < pairA.length; t++) {
    const j = pairB[t];
    const u = best.get(j);
    if (u === undefined || pairSep[t] < pairSep[u] || (pairSep[t] === pairSep[u] && pairA[t] < pairA[u])) best.set(j, t);
  }
  const chosen = [...best.values()].sort((x, y) => pairB[x] - pairB[y]);
  return {
    a: Uint32Array.from(chosen, (t) => pairA[t]),
    b: Uint32Array.from(chosen, (t) => pairB[t]),
    separation: Float64Array.from(chosen, (t) => pairSep[t]),
  };
}

/** Greedy one-to-one selection by increasing separation (ties: A row, then B row); sorted by A. */
function bestSymmetric(pairA: number[], pairB: number[], pairSep: number[]): CrossmatchResult {
  const order = Array.from({ length: pairA.length }, (_, t) => t).sort((x, y) => pairSep[x] - pairSep[y] || pairA[x] - pairA[y] || pairB[x] - pairB[y]);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const chosen: number[] = [];
  for (const t of order) {
    if (usedA.has(pairA[t]) || usedB.has(pairB[t])) continue;
    usedA.add(pairA[t]);
    usedB.add(pairB[t]);
    chosen.push(t);
  }
  chosen.sort((x, y) => pairA[x] - pairA[y]);
  return {
    a: Uint32Array.from(chosen, (t) => pairA[t]),
    b: Uint32Array.from(chosen, (t) => pairB[t]),
    separation: Float64Array.from(chosen, (t) => pairSep[t]),
  };
}
