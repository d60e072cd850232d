/**
 * Candidate pairs (row of A, row of B, squared chord) as three parallel typed arrays, and the
 * reductions that turn all pairs within the limit into the match modes. Every reduction breaks
 * ties on the squared chord by the lower row number, so results never depend on the order in
 * which the index found the pairs.
 */

/** Parallel arrays of pairs; entries [0, length) are used. */
export interface PairList {
  a: Int32Array;
  b: Int32Array;
  d2: Float64Array;
  length: number;
}

/** An empty list with room for `capacity` pairs. */
export function createPairList(capacity = 1024): PairList {
  return { a: new Int32Array(capacity), b: new Int32Array(capacity), d2: new Float64Array(capacity), length: 0 };
}

/** Appends `count` pairs from the given arrays (doubling the capacity when needed). */
export function appendPairs(list: PairList, a: Int32Array, b: Int32Array, d2: Float64Array, count: number): void {
  const needed = list.length + count;
  if (needed > list.a.length) {
    const capacity = Math.max(needed, 2 * list.a.length);
    const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old.subarray(0, list.length) as never);
      return next;
    };
    list.a = grow(list.a, (n) => new Int32Array(n));
    list.b = grow(list.b, (n) => new Int32Array(n));
    list.d2 = grow(list.d2, (n) => new Float64Array(n));
  }
  list.a.set(a.subarray(0, count), list.length);
  list.b.set(b.subarray(0, count), list.length);
  list.d2.set(d2.subarray(0, count), list.length);
  list.length = needed;
}

/** Keeps the pairs for which keep(i) is true, in place. */
export function filterPairs(list: PairList, keep: (i: number) => boolean): void {
  let k = 0;
  for (let i = 0; i < list.length; i++) {
    if (!keep(i)) continue;
    list.a[k] = list.a[i];
    list.b[k] = list.b[i];
    list.d2[k] = list.d2[i];
    k++;
  }
  list.length = k;
}

/**
 * The pairs (one list, or exact-size chunks of one) sorted by row of A, then row of B: one
 * counting sort by A (O(pairs + rows)), then an insertion sort by B within each A row, whose
 * pairs are few at crossmatch radii (a second counting pass by B would cost another copy of the
 * list and an array of rowsB counts). The A rows are `firstRow` to `firstRow + rowsA - 1`. Pass
 * `uniqueA` when every A row occurs at most once, to skip the second step, and `counts`
 * (rowsA + 1 elements, overwritten) to count in place.
 */
export function sortPairs(list: PairList | PairList[], rowsA: number, uniqueA = false, counts?: Int32Array, firstRow = 0): PairList {
  const chunks = Array.isArray(list) ? list : [list];
  const start = counts ?? new Int32Array(rowsA + 1);
  start.fill(0, 0, rowsA + 1);
  let n = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.length; i++) start[c.a[i] - firstRow + 1]++;
    n += c.length;
  }
  for (let v = 0; v < rowsA; v++) start[v + 1] += start[v];
  const out: PairList = { a: new Int32Array(n), b: new Int32Array(n), d2: new Float64Array(n), length: n };
  while (chunks.length > 0) {
    const c = chunks.shift()!; // a caller's chunks are released as they are placed
    for (let i = 0; i < c.length; i++) {
      const k = start[c.a[i] - firstRow]++;
      out.a[k] = c.a[i];
      out.b[k] = c.b[i];
      out.d2[k] = c.d2[i];
    }
  }
  if (!uniqueA) sortRunsByB(out);
  return out;
}

/** Sorts each run of equal A rows by B row (rows of B are distinct within a run). */
function sortRunsByB(list: PairList): void {
  const { a, b, d2 } = list;
  for (let lo = 0; lo < list.length; ) {
    let hi = lo + 1;
    while (hi < list.length && a[hi] === a[lo]) hi++;
    if (hi - lo > 32) {
      // long runs (wide radii): sort an index, then permute
      const index = Array.from({ length: hi - lo }, (_, k) => lo + k).sort((p, q) => b[p] - b[q]);
      const rowsB = index.map((k) => b[k]);
      const dists = index.map((k) => d2[k]);
      for (let k = 0; k < index.length; k++) {
        b[lo + k] = rowsB[k];
        d2[lo + k] = dists[k];
      }
    } else {
      for (let i = lo + 1; i < hi; i++) {
        const kb = b[i];
        const kd = d2[i];
        let j = i - 1;
        while (j >= lo && b[j] > kb) {
          b[j + 1] = b[j];
          d2[j + 1] = d2[j];
          j--;
        }
        b[j + 1] = kb;
        d2[j + 1] = kd;
      }
    }
    lo = hi;
  }
}

/** For each row of A with pairs, its pair of least d² (lower B row on ties), sorted by A. */
export function nearestPerA(list: PairList, rowsA: number, rowsB: number): PairList {
  return bestPer(list, list.a, list.b, rowsA, true, rowsA);
}

/** For each row of B with pairs, its pair of least d² (lower A row on ties), sorted by A then B. */
export function nearestPerB(list: PairList, rowsA: number, rowsB: number): PairList {
  return bestPer(list, list.b, list.a, rowsB, false, rowsA);
}

function bestPer(
  list: PairList, key: Int32Array, other: Int32Array, keyRows: number, keyIsA: boolean, rowsA: number,
): PairList {
  const best = new Int32Array(keyRows).fill(-1);
  for (let i = 0; i < list.length; i++) {
    const k = key[i];
    const j = best[k];
    if (j < 0 || list.d2[i] < list.d2[j] || (list.d2[i] === list.d2[j] && other[i] < other[j])) best[k] = i;
  }
  const out = createPairList(0);
  let count = 0;
  for (let k = 0; k < keyRows; k++) if (best[k] >= 0) count++;
  out.a = new Int32Array(count);
  out.b = new Int32Array(count);
  out.d2 = new Float64Array(count);
  let n = 0;
  for (let k = 0; k < keyRows; k++) {
    const i = best[k];
    if (i < 0) continue;
    out.a[n] = list.a[i];
    out.b[n] = list.b[i];
    out.d2[n] = list.d2[i];
    n++;
  }
  out.length = n;
  // keyed by A: already in A order; keyed by B: in B order, re-sort to A then B
  return keyIsA ? out : sortPairs(out, rowsA);
}

/**
 * Best one-to-one pairs, as STILTS `find=best` computes them (starlink-table
 * `RowMatcher.findAllPairs(…, bestOnly)` then `eliminateMultipleRowEntries`): each row of one
 * catalogue, the scanned one, keeps only its best pair; those pairs are then taken in order of
 * increasing separation (ties: lower A row, then lower B row) unless their other row is already
 * taken. A rejected row does not fall back to its second choice, so the result depends on which
 * side is scanned: B when `scanB`. Sorted by A row.
 */
export function bestOneToOne(list: PairList, rowsA: number, rowsB: number, scanB: boolean): PairList {
  return scanB ? nearestPerA(nearestPerB(list, rowsA, rowsB), rowsA, rowsB) : nearestPerB(nearestPerA(list, rowsA, rowsB), rowsA, rowsB);
}
