/**
 * The rows of a two-table sky match as STILTS `tskymatch2` / `tmatch2` and TOPCAT's pair match
 * give them (starlink-table `JoinType` and `MatchStarTables.makeJoinTable`):
 *
 * - `join` picks the output rows from the pairs of the chosen `find` mode: `1and2` the pairs;
 *   `all1` / `all2` / `1or2` add a row for each row of table 1 / table 2 / either that is in no
 *   pair, its other side null; `1not2` / `2not1` only those unmatched rows, with the columns of
 *   their own table alone; `1xor2` the unmatched rows of both tables.
 * - Row order: by table-1 row, then table-2 row, unmatched table-1 rows in their place, then
 *   the unmatched table-2 rows in table order (STILTS sorts its links that way).
 * - `Separation` (arcsec) is added whenever pairs can appear (not for `1not2`, `2not1`,
 *   `1xor2`), null on unmatched rows.
 * - `GroupID` and `GroupSize` are added before it when some output rows share an input row
 *   (find=all, best1, best2): output rows linked through shared input rows form a group;
 *   groups of two or more rows are numbered 1, 2, … in the order of their first row, and
 *   GroupSize counts the group's rows; both are null elsewhere.
 */

import type { MatchResult } from '@vokit/crossmatch-wasm';

/** The `--join` values, as STILTS spells them. */
export const PAIR_JOINS = ['1and2', '1or2', 'all1', 'all2', '1not2', '2not1', '1xor2'] as const;
/** One of PAIR_JOINS. */
export type PairJoin = (typeof PAIR_JOINS)[number];

/** The output rows of a pair join. */
export interface PairJoinRows {
  /** Table-1 row of each output row, -1 for none; undefined when table 1's columns are left out. */
  aRows?: Int32Array;
  /** Table-2 row of each output row, -1 for none; undefined when table 2's columns are left out. */
  bRows?: Int32Array;
  /** Separation in arcsec, NaN on unmatched rows; undefined when the join has no pairs. */
  separation?: Float64Array;
  /** GroupID and GroupSize per output row (0 = null), when some group has two or more rows. */
  groups?: { id: Int32Array; size: Int32Array };
  /** Number of output rows. */
  length: number;
}

/** Which rows a join keeps: pairs, and unmatched rows of each table. */
const KEEPS: Record<PairJoin, { pairs: boolean; lonelyA: boolean; lonelyB: boolean; columnsA: boolean; columnsB: boolean }> = {
  '1and2': { pairs: true, lonelyA: false, lonelyB: false, columnsA: true, columnsB: true },
  '1or2': { pairs: true, lonelyA: true, lonelyB: true, columnsA: true, columnsB: true },
  all1: { pairs: true, lonelyA: true, lonelyB: false, columnsA: true, columnsB: true },
  all2: { pairs: true, lonelyA: false, lonelyB: true, columnsA: true, columnsB: true },
  '1not2': { pairs: false, lonelyA: true, lonelyB: false, columnsA: true, columnsB: false },
  '2not1': { pairs: false, lonelyA: false, lonelyB: true, columnsA: false, columnsB: true },
  '1xor2': { pairs: false, lonelyA: true, lonelyB: true, columnsA: true, columnsB: true },
};

/** The pairs sorted by table-1 row, then table-2 row (`crossmatch` returns them so already). */
function sortedPairs(pairs: MatchResult): MatchResult {
  const { aIndex, bIndex, separation } = pairs;
  let sorted = true;
  for (let k = 1; k < aIndex.length && sorted; k++) sorted = aIndex[k - 1] < aIndex[k] || (aIndex[k - 1] === aIndex[k] && bIndex[k - 1] <= bIndex[k]);
  if (sorted) return pairs;
  const order = Array.from({ length: aIndex.length }, (_, k) => k).sort((p, q) => aIndex[p] - aIndex[q] || bIndex[p] - bIndex[q]);
  return {
    aIndex: Int32Array.from(order, (k) => aIndex[k]),
    bIndex: Int32Array.from(order, (k) => bIndex[k]),
    separation: Float64Array.from(order, (k) => separation[k]),
  };
}

/** The output rows of `join` over the pairs of a match between tables of `rowsA` and `rowsB` rows. */
export function pairJoinRows(unsortedPairs: MatchResult, rowsA: number, rowsB: number, join: PairJoin): PairJoinRows {
  const pairs = sortedPairs(unsortedPairs);
  const keep = KEEPS[join];
  const pairCount = pairs.aIndex.length;
  const matchedA = new Uint8Array(rowsA);
  const matchedB = new Uint8Array(rowsB);
  for (let k = 0; k < pairCount; k++) {
    matchedA[pairs.aIndex[k]] = 1;
    matchedB[pairs.bIndex[k]] = 1;
  }
  let lonelyA = 0;
  let lonelyB = 0;
  if (keep.lonelyA) for (let i = 0; i < rowsA; i++) lonelyA += 1 - matchedA[i];
  if (keep.lonelyB) for (let j = 0; j < rowsB; j++) lonelyB += 1 - matchedB[j];
  const length = (keep.pairs ? pairCount : 0) + lonelyA + lonelyB;
  const aRows = new Int32Array(length);
  const bRows = new Int32Array(length);
  const separation = keep.pairs ? new Float64Array(length) : undefined;
  let out = 0;
  let k = 0;
  // Merge pairs (by table-1 row) with the unmatched table-1 rows, then the unmatched table-2 rows.
  for (let i = 0; i < rowsA; i++) {
    if (matchedA[i]) {
      if (!keep.pairs) continue;
      for (; k < pairCount && pairs.aIndex[k] === i; k++, out++) {
        aRows[out] = i;
        bRows[out] = pairs.bIndex[k];
        separation![out] = pairs.separation[k];
      }
    } else if (keep.lonelyA) {
      aRows[out] = i;
      bRows[out] = -1;
      if (separation) separation[out] = NaN;
      out++;
    }
  }
  if (keep.lonelyB) {
    for (let j = 0; j < rowsB; j++) {
      if (matchedB[j]) continue;
      aRows[out] = -1;
      bRows[out] = j;
      if (separation) separation[out] = NaN;
      out++;
    }
  }
  return {
    aRows: keep.columnsA ? aRows : undefined,
    bRows: keep.columnsB ? bRows : undefined,
    separation,
    groups: keep.pairs ? linkGroups(aRows, bRows, rowsA) : undefined,
    length,
  };
}

function root(parent: Int32Array, x: number): number {
  while (parent[x] !== x) x = parent[x] = parent[parent[x]];
  return x;
}

/**
 * GroupID/GroupSize of output rows linked through shared input rows (starlink-table
 * `MatchStarTables.findGroups`), or undefined when every group has a single row.
 */
function linkGroups(aRows: Int32Array, bRows: Int32Array, rowsA: number): { id: Int32Array; size: Int32Array } | undefined {
  const n = aRows.length;
  // Union-find over input rows: table-1 rows 0…rowsA-1, table-2 rows after them; each pair
  // row joins its two ends.
  const firstB = rowsA;
  let nodes = rowsA;
  for (let r = 0; r < n; r++) if (bRows[r] >= 0) nodes = Math.max(nodes, firstB + bRows[r] + 1);
  const parent = new Int32Array(nodes);
  for (let x = 0; x < nodes; x++) parent[x] = x;
  const node = (r: number) => (aRows[r] >= 0 ? aRows[r] : firstB + bRows[r]);
  for (let r = 0; r < n; r++) {
    if (aRows[r] < 0 || bRows[r] < 0) continue;
    const x = root(parent, aRows[r]);
    const y = root(parent, firstB + bRows[r]);
    if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
  }
  const rowsInGroup = new Int32Array(nodes);
  for (let r = 0; r < n; r++) rowsInGroup[root(parent, node(r))]++;
  const idOfRoot = new Int32Array(nodes);
  const id = new Int32Array(n);
  const size = new Int32Array(n);
  let groups = 0;
  for (let r = 0; r < n; r++) {
    const g = root(parent, node(r));
    if (rowsInGroup[g] < 2) continue;
    if (idOfRoot[g] === 0) idOfRoot[g] = ++groups;
    id[r] = idOfRoot[g];
    size[r] = rowsInGroup[g];
  }
  return groups > 0 ? { id, size } : undefined;
}
