/**
 * The oracle: every A row against every B row, O(nA·nB), with the match modes written out in
 * the most direct way (no tree, no counting sorts, no shortcut for uncontested pairs). It shares
 * only the definitions of sky-geometry.ts (unit vectors, chord, limit) with the sky index, so a
 * index that misses or invents a pair, or a reduction that picks another pair, shows up as a
 * difference. For tests on small catalogues only.
 */
import type { CrossmatchOptions, MatchResult, SkyColumns } from '../crossmatch.js';
import { chord2, chordLimit2, separationArcsec, writeUnitVectors } from '../sky-geometry.js';

interface Pair {
  a: number;
  b: number;
  d2: number;
}

function vectors(c: SkyColumns): { xyz: Float64Array; rows: Int32Array; count: number } {
  const n = c.ra.length;
  const xyz = new Float64Array(3 * n);
  const rows = new Int32Array(n);
  const count = writeUnitVectors(c.ra, c.dec, null, 0, n, xyz, 0, rows, 0);
  return { xyz, rows, count };
}

/** Better pair for an A row: smaller d², then lower B row. */
function compare(p: Pair, q: Pair): number {
  return p.d2 - q.d2 || p.b - q.b;
}

/** Better pair for a B row: smaller d², then lower A row. */
function compareForB(p: Pair, q: Pair): number {
  return p.d2 - q.d2 || p.a - q.a;
}

/**
 * All-pairs crossmatch with the semantics of {@link crossmatch} (options `radius`, `errorA`,
 * `errorB`, `find`; default find `best`). Results sorted by A row, then B row.
 */
export function bruteForceCrossmatch(a: SkyColumns, b: SkyColumns, options: CrossmatchOptions): MatchResult {
  const va = vectors(a);
  const vb = vectors(b);
  const radius = options.radius ?? 0;
  const all: Pair[] = [];
  for (let i = 0; i < va.count; i++) {
    for (let j = 0; j < vb.count; j++) {
      const ra = va.rows[i];
      const rb = vb.rows[j];
      const limit = radius + (options.errorA ? options.errorA[ra] : 0) + (options.errorB ? options.errorB[rb] : 0);
      const d2 = chord2(va.xyz, 3 * i, vb.xyz, 3 * j);
      if (d2 <= chordLimit2(limit)) all.push({ a: ra, b: rb, d2 });
    }
  }
  let chosen: Pair[];
  switch (options.find ?? 'best') {
    case 'all':
      chosen = all;
      break;
    case 'nearest':
    case 'best1': {
      const best = new Map<number, Pair>();
      for (const p of all) {
        const q = best.get(p.a);
        if (!q || compare(p, q) < 0) best.set(p.a, p);
      }
      chosen = [...best.values()];
      break;
    }
    case 'best2': {
      const best = new Map<number, Pair>();
      for (const p of all) {
        const q = best.get(p.b);
        if (!q || compareForB(p, q) < 0) best.set(p.b, p);
      }
      chosen = [...best.values()];
      break;
    }
    case 'best': {
      // STILTS: the best pair of each row of the smaller catalogue (A on a tie), then in order
      // of (d², A row, B row) each pair whose rows were not seen before; both rows become seen
      const scanB = vb.count < va.count;
      const links = new Map<number, Pair>();
      for (const p of all) {
        const key = scanB ? p.b : p.a;
        const q = links.get(key);
        if (!q || (scanB ? compareForB(p, q) : compare(p, q)) < 0) links.set(key, p);
      }
      const seenA = new Set<number>();
      const seenB = new Set<number>();
      chosen = [];
      for (const p of [...links.values()].sort((p, q) => p.d2 - q.d2 || p.a - q.a || p.b - q.b)) {
        if (!seenA.has(p.a) && !seenB.has(p.b)) chosen.push(p);
        seenA.add(p.a);
        seenB.add(p.b);
      }
      break;
    }
  }
  chosen.sort((p, q) => p.a - q.a || p.b - q.b);
  return {
    aIndex: Int32Array.from(chosen, (p) => p.a),
    bIndex: Int32Array.from(chosen, (p) => p.b),
    separation: Float64Array.from(chosen, (p) => separationArcsec(p.d2)),
  };
}

/**
 * Nearest B row of every A row with no limit unless `radius` (arcsec) is given, as astropy's
 * `match_to_catalog_sky`: index -1 and separation NaN where there is none.
 */
export function bruteForceMatchToCatalog(
  a: SkyColumns,
  b: SkyColumns,
  radius?: number,
): { index: Int32Array; separation: Float64Array } {
  const va = vectors(a);
  const vb = vectors(b);
  const index = new Int32Array(a.ra.length).fill(-1);
  const separation = new Float64Array(a.ra.length).fill(NaN);
  const limit2 = radius === undefined ? 4 : chordLimit2(radius);
  for (let i = 0; i < va.count; i++) {
    let best: Pair | undefined;
    for (let j = 0; j < vb.count; j++) {
      const p = { a: va.rows[i], b: vb.rows[j], d2: chord2(va.xyz, 3 * i, vb.xyz, 3 * j) };
      if (p.d2 <= limit2 && (!best || compare(p, best) < 0)) best = p;
    }
    if (best) {
      index[best.a] = best.b;
      separation[best.a] = separationArcsec(best.d2);
    }
  }
  return { index, separation };
}
