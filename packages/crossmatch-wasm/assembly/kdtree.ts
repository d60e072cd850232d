// Static kd-tree on unit vectors for sky crossmatch: build in place, all pairs within a
// squared-chord limit, and nearest within a limit. Same steps and comparison order as
// src/reference/sky-kdtree.ts, so both build byte-identical trees and find identical pairs.
// Layout and contract: src/sky-match-kernel.ts. Nothing allocates (runtime "stub").

// Traversal stack: (lo, hi, node) triples. Depth ≤ 32 for 2^31 rows, and a depth-first walk that
// pushes two children per pop holds at most depth + 1 triples; 256 triples is ample.
const STACK: usize = memory.data(256 * 3 * 4, 16);

// @ts-ignore: decorator
@inline function pruneRadius(limit2: f64): f64 {
  // A point within the limit differs from the query by ≤ √limit on each axis up to rounding.
  return Math.sqrt(limit2) * (1 + 1e-9) + 1e-15;
}

// @ts-ignore: decorator
@inline function swapRows(ids: usize, c: usize, i: i32, j: i32): void {
  const pi = ids + (<usize>i << 2);
  const pj = ids + (<usize>j << 2);
  const t = load<i32>(pi);
  store<i32>(pi, load<i32>(pj));
  store<i32>(pj, t);
  const a = c + <usize>i * 24;
  const b = c + <usize>j * 24;
  // x and y move as one 16-byte lane where SIMD is enabled: same bytes, fewer memory operations
  if (ASC_FEATURE_SIMD) {
    const xy = v128.load(a);
    const z = load<f64>(a, 16);
    v128.store(a, v128.load(b));
    store<f64>(a, load<f64>(b, 16), 16);
    v128.store(b, xy);
    store<f64>(b, z, 16);
  } else {
    const x = load<f64>(a);
    const y = load<f64>(a, 8);
    const z = load<f64>(a, 16);
    store<f64>(a, load<f64>(b));
    store<f64>(a, load<f64>(b, 8), 8);
    store<f64>(a, load<f64>(b, 16), 16);
    store<f64>(b, x);
    store<f64>(b, y, 8);
    store<f64>(b, z, 16);
  }
}

// @ts-ignore: decorator
@inline function keyOf(c: usize, axis: i32, i: i32): f64 {
  return load<f64>(c + <usize>i * 24 + (<usize>axis << 3));
}

/**
 * Floyd–Rivest selection of the k-th row on `axis` within [left, right], as kdbush, with sample
 * bounds from basic IEEE operations only so that the TypeScript twin makes the same swaps.
 */
function select(ids: usize, c: usize, axis: i32, k: i32, left: i32, right: i32): void {
  while (right > left) {
    if (right - left > 600) {
      const n = <f64>(right - left + 1);
      const m = <f64>(k - left + 1);
      const log2 = 31 - clz<i32>(right - left + 1);
      const z = <f64>log2 * 0.6931471805599453;
      const s = 0.5 * <f64>(<i64>1 << <i64>((2 * log2) / 3));
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1.0 : 1.0);
      const newLeft = max<i32>(left, <i32>Math.floor(<f64>k - (m * s) / n + sd));
      const newRight = min<i32>(right, <i32>Math.floor(<f64>k + ((n - m) * s) / n + sd));
      select(ids, c, axis, k, newLeft, newRight);
    }
    const t = keyOf(c, axis, k);
    let i = left;
    let j = right;
    swapRows(ids, c, left, k);
    if (keyOf(c, axis, right) > t) swapRows(ids, c, left, right);
    // the scans walk key pointers by the row stride rather than recomputing row * 24 + axis * 8
    const kb = c + (<usize>axis << 3);
    while (i < j) {
      swapRows(ids, c, i, j);
      i++;
      j--;
      let pi = kb + <usize>i * 24;
      while (load<f64>(pi) < t) {
        i++;
        pi += 24;
      }
      let pj = kb + <usize>j * 24;
      while (load<f64>(pj) > t) {
        j--;
        pj -= 24;
      }
    }
    if (keyOf(c, axis, left) == t) swapRows(ids, c, left, j);
    else {
      j++;
      swapRows(ids, c, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function buildRange(ids: usize, c: usize, axes: usize, lo: i32, hi: i32, node: i32, nodeSize: i32): void {
  if (hi - lo <= nodeSize) return;
  // widest axis from at most ~256 evenly spaced rows (see the TypeScript twin)
  const stride = max<i32>(1, (hi - lo) >> 8);
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity, minZ = Infinity, maxZ = -Infinity;
  for (let i = lo; i < hi; i += stride) {
    const p = c + <usize>i * 24;
    const x = load<f64>(p), y = load<f64>(p, 8), z = load<f64>(p, 16);
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    if (z < minZ) minZ = z;
    if (z > maxZ) maxZ = z;
  }
  let axis = 0;
  let spread = maxX - minX;
  if (maxY - minY > spread) {
    axis = 1;
    spread = maxY - minY;
  }
  if (maxZ - minZ > spread) axis = 2;
  const m = (lo + hi) >> 1;
  select(ids, c, axis, m, lo, hi - 1);
  store<u8>(axes + <usize>node, <u8>axis);
  buildRange(ids, c, axes, lo, m, 2 * node, nodeSize);
  buildRange(ids, c, axes, m + 1, hi, 2 * node + 1, nodeSize);
}

/** Sorts rows [0, n) into kd order in place and writes the split axis of every internal node. */
export function kdBuild(n: i32, nodeSize: i32, ids: usize, coords: usize, axes: usize): void {
  buildRange(ids, coords, axes, 0, n, 1, nodeSize);
}

// @ts-ignore: decorator
@inline function push(sp: i32, lo: i32, hi: i32, node: i32): i32 {
  const g = STACK + <usize>sp * 12;
  store<i32>(g, lo);
  store<i32>(g, hi, 4);
  store<i32>(g, node, 8);
  return sp + 1;
}

/**
 * Appends (query id, row id, d²) for every row with d² ≤ the query's limit, for queries
 * [0, qcount); stops before a query whose pairs would overflow `capacity`. Writes the pair count
 * at `state` and returns the number of queries done.
 */
export function kdPairs(
  n: i32, nodeSize: i32, ids: usize, c: usize, axes: usize,
  qcount: i32, qids: usize, qcoords: usize, qlimits: usize, limit2: f64,
  outA: usize, outB: usize, outD2: usize, capacity: i32, state: usize,
): i32 {
  let count = 0;
  let q = 0;
  for (; q < qcount; q++) {
    const qo = qcoords + <usize>q * 24;
    const qx = load<f64>(qo), qy = load<f64>(qo, 8), qz = load<f64>(qo, 16);
    const lim = qlimits == 0 ? limit2 : load<f64>(qlimits + (<usize>q << 3));
    const r = pruneRadius(lim);
    const qid = load<i32>(qids + (<usize>q << 2));
    const start = count;
    let full = false;
    let sp = n > 0 ? push(0, 0, n, 1) : 0;
    while (sp > 0 && !full) {
      sp--;
      const f = STACK + <usize>sp * 12;
      const lo = load<i32>(f);
      const hi = load<i32>(f, 4);
      const node = load<i32>(f, 8);
      if (hi - lo <= nodeSize) {
        for (let i = lo; i < hi; i++) {
          const p = c + <usize>i * 24;
          const dx = load<f64>(p) - qx, dy = load<f64>(p, 8) - qy, dz = load<f64>(p, 16) - qz;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 <= lim) {
            if (count == capacity) {
              full = true;
              break;
            }
            store<i32>(outA + (<usize>count << 2), qid);
            store<i32>(outB + (<usize>count << 2), load<i32>(ids + (<usize>i << 2)));
            store<f64>(outD2 + (<usize>count << 3), d2);
            count++;
          }
        }
        continue;
      }
      const m = (lo + hi) >> 1;
      const p = c + <usize>m * 24;
      const dx = load<f64>(p) - qx, dy = load<f64>(p, 8) - qy, dz = load<f64>(p, 16) - qz;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 <= lim) {
        if (count == capacity) {
          full = true;
          break;
        }
        store<i32>(outA + (<usize>count << 2), qid);
        store<i32>(outB + (<usize>count << 2), load<i32>(ids + (<usize>m << 2)));
        store<f64>(outD2 + (<usize>count << 3), d2);
        count++;
      }
      const axis = <i32>load<u8>(axes + <usize>node);
      const s = load<f64>(p + (<usize>axis << 3));
      const qa = axis == 0 ? qx : axis == 1 ? qy : qz;
      if (qa + r >= s) sp = push(sp, m + 1, hi, 2 * node + 1);
      if (qa - r <= s) sp = push(sp, lo, m, 2 * node);
    }
    if (full) {
      count = start; // roll back the partial query; the caller drains and resumes here
      break;
    }
  }
  store<i32>(state, count);
  return q;
}

/**
 * For each query, the row of least d² within its limit (lower row id on ties), appended as
 * (query id, row id, d²); returns the number appended.
 */
export function kdNearest(
  n: i32, nodeSize: i32, ids: usize, c: usize, axes: usize,
  qcount: i32, qids: usize, qcoords: usize, qlimits: usize, limit2: f64,
  outA: usize, outB: usize, outD2: usize,
): i32 {
  let count = 0;
  for (let q = 0; q < qcount; q++) {
    const qo = qcoords + <usize>q * 24;
    const qx = load<f64>(qo), qy = load<f64>(qo, 8), qz = load<f64>(qo, 16);
    let best = qlimits == 0 ? limit2 : load<f64>(qlimits + (<usize>q << 3));
    let bestId = -1;
    let r = pruneRadius(best);
    let sp = n > 0 ? push(0, 0, n, 1) : 0;
    while (sp > 0) {
      sp--;
      const f = STACK + <usize>sp * 12;
      const lo = load<i32>(f);
      const hi = load<i32>(f, 4);
      const node = load<i32>(f, 8);
      if (hi - lo <= nodeSize) {
        for (let i = lo; i < hi; i++) {
          const p = c + <usize>i * 24;
          const dx = load<f64>(p) - qx, dy = load<f64>(p, 8) - qy, dz = load<f64>(p, 16) - qz;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 <= best) {
            const rid = load<i32>(ids + (<usize>i << 2));
            if (d2 < best || bestId < 0 || rid < bestId) {
              best = d2;
              bestId = rid;
              r = pruneRadius(best);
            }
          }
        }
        continue;
      }
      const m = (lo + hi) >> 1;
      const p = c + <usize>m * 24;
      const dx = load<f64>(p) - qx, dy = load<f64>(p, 8) - qy, dz = load<f64>(p, 16) - qz;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 <= best) {
        const rid = load<i32>(ids + (<usize>m << 2));
        if (d2 < best || bestId < 0 || rid < bestId) {
          best = d2;
          bestId = rid;
          r = pruneRadius(best);
        }
      }
      const axis = <i32>load<u8>(axes + <usize>node);
      const s = load<f64>(p + (<usize>axis << 3));
      const qa = axis == 0 ? qx : axis == 1 ? qy : qz;
      // visit the query's side first (pushed last) so that the limit shrinks early
      if (qa <= s) {
        if (qa + r >= s) sp = push(sp, m + 1, hi, 2 * node + 1);
        sp = push(sp, lo, m, 2 * node);
      } else {
        if (qa - r <= s) sp = push(sp, lo, m, 2 * node);
        sp = push(sp, m + 1, hi, 2 * node + 1);
      }
    }
    if (bestId >= 0) {
      store<i32>(outA + (<usize>count << 2), load<i32>(qids + (<usize>q << 2)));
      store<i32>(outB + (<usize>count << 2), bestId);
      store<f64>(outD2 + (<usize>count << 3), best);
      count++;
    }
  }
  return count;
}
