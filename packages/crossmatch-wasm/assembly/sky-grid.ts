// Sky index for crossmatch: unit vectors bucketed by a grid on the six faces of the cube
// (gnomonic coordinates), with an implicit kd-tree inside any cell that holds more than a leaf.
// Built in linear time (cells counted, then an in-place two-pass radix sort) and queried with a few
// contiguous row ranges per position, so a small-radius query costs a handful of distance tests
// instead of a kd-tree descent. Same steps and comparison order as src/reference/sky-grid.ts,
// so both build byte-identical indexes and find identical pairs. Layout and contract:
// src/sky-match-kernel.ts. Nothing allocates (runtime "stub").
//
// Exactness of the pruning: a cell's rows are those whose computed face and (u, v) = (x_a, x_b) /
// |x_k| fall in it. A query window is derived from the box q ± c (c ≥ the chord limit plus
// rounding slack); its gnomonic bounds, widened by far more than their rounding, map to cells
// through the same monotone operations as the rows' coordinates (+, × by a power of two,
// floor), so every row within the limit lies in a cell of the window: no pair depends on where
// the cell boundaries fall.

// kd traversal stack inside an over-full cell: (lo, hi, depth) triples. Depth ≤ 31, and a walk
// that pushes two children per pop holds at most depth + 1 triples.
const STACK: usize = memory.data(128 * 3 * 4, 16);
// The query box per axis: lo x, y, z then hi x, y, z.
const BOX: usize = memory.data(6 * 8, 16);

/** Every unit vector has a component of magnitude ≥ 1/√3 ≈ 0.577; a face needs more than this. */
const FACE_FLOOR: f64 = 0.5;
/** Widening of a window's gnomonic bounds, far above the rounding of their products (≤ 1e-15). */
const WINDOW_SLACK: f64 = 1e-12;

// @ts-ignore: decorator
@inline function pruneRadius(limit2: f64): f64 {
  // A point within the limit differs from the query by ≤ √limit on each axis up to rounding.
  return Math.sqrt(limit2) * (1 + 1e-9) + 1e-15;
}

/** Major axis of a vector: 0, 1 or 2 (the first of equal magnitudes). */
// @ts-ignore: decorator
@inline function majorAxis(x: f64, y: f64, z: f64): i32 {
  const ax = Math.abs(x), ay = Math.abs(y), az = Math.abs(z);
  if (ax >= ay && ax >= az) return 0;
  return ay >= az ? 1 : 2;
}

/** Grid column of a gnomonic coordinate in [-1, 1] (clamped to [0, g - 1]). */
// @ts-ignore: decorator
@inline function gridCoord(u: f64, half: f64, g: i32): i32 {
  const t = Math.floor((u + 1.0) * half);
  return t <= 0 ? 0 : t >= <f64>(g - 1) ? g - 1 : <i32>t;
}

/** Cell number of the vector stored at p: (face · g + i) · g + j, face = 2·axis + (negative). */
// @ts-ignore: decorator
@inline export function cellOf(p: usize, g: i32, half: f64): i32 {
  const x = load<f64>(p), y = load<f64>(p, 8), z = load<f64>(p, 16);
  const k = majorAxis(x, y, z);
  const w = k == 0 ? x : k == 1 ? y : z;
  const a = k == 0 ? y : x;
  const b = k == 2 ? y : z;
  const inverse = 1.0 / Math.abs(w); // one division; the windows' slack covers the product's rounding
  const face = 2 * k + (w < 0 ? 1 : 0);
  return (face * g + gridCoord(a * inverse, half, g)) * g + gridCoord(b * inverse, half, g);
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

/** Tangent axes of a face: the two axes other than its major one. */
// @ts-ignore: decorator
@inline function tangentA(face: i32): i32 {
  return face < 2 ? 1 : 0;
}
// @ts-ignore: decorator
@inline function tangentB(face: i32): i32 {
  return face < 4 ? 2 : 1;
}

/**
 * Where the occupied extent of each face follows the offsets: first and last non-empty cell row
 * and column (i0, i1, j0, j1 as Int32) per face; i1 = -1 on an empty face.
 */
// @ts-ignore: decorator
@inline function boundsOf(offsets: usize, cells: i32): usize {
  return (offsets + ((<usize>cells + 1) << 2) + 7) & ~(<usize>7);
}

/**
 * Implicit kd-tree over rows [lo, hi) of one cell: node [lo, hi) keeps its median m and splits
 * into [lo, m) and [m + 1, hi) on the face's tangent axes in turn (depth even: a, odd: b); the
 * major axis hardly varies within a face, so it never splits.
 */
function kdBuildRange(ids: usize, c: usize, lo: i32, hi: i32, depth: i32, nodeSize: i32, ta: i32, tb: i32): void {
  while (hi - lo > nodeSize) {
    const m = (lo + hi) >> 1;
    select(ids, c, (depth & 1) == 0 ? ta : tb, m, lo, hi - 1);
    kdBuildRange(ids, c, lo, m, depth + 1, nodeSize, ta, tb);
    lo = m + 1;
    depth++;
  }
}

/** Level-one buckets of the in-place radix sort: at most this many (their cursors are static). */
const MAX_BUCKETS = 128;
const NEXT: usize = memory.data(MAX_BUCKETS * 4, 16);
const END: usize = memory.data(MAX_BUCKETS * 4, 16);

/** Swaps rows i and j with their cell numbers in `cells`. */
// @ts-ignore: decorator
@inline function swapWithKey(ids: usize, c: usize, keys: usize, i: i32, j: i32): void {
  swapRows(ids, c, i, j);
  const pi = keys + (<usize>i << 2);
  const pj = keys + (<usize>j << 2);
  const t = load<i32>(pi);
  store<i32>(pi, load<i32>(pj));
  store<i32>(pj, t);
}

/**
 * Sorts rows [0, n) at ids/coords into grid order in place and writes the cell offsets
 * (6·4^level + 1 Int32 at `offsets`); `scratch` holds n Int32 (the rows' cells) during the call.
 *
 * An in-place radix sort in two passes (McIlroy, Bostic & McIlroy's American flag sort): rows
 * first move to buckets of 2^shift consecutive cells, each filled from its own cursor, so that
 * the writes stream through at most MAX_BUCKETS places at once instead of jumping across the
 * whole array; then each bucket, small enough to stay in cache, is permuted to cell order.
 */
export function gridBuild(n: i32, nodeSize: i32, level: i32, ids: usize, coords: usize, offsets: usize, scratch: usize): void {
  const g = 1 << level;
  const half = <f64>g * 0.5;
  const cells = 6 * g * g;
  memory.fill(offsets, 0, (<usize>cells + 1) << 2);
  // cell of every row, counted at offsets[cell + 1]; then offsets[c] = first row of cell c
  for (let i = 0; i < n; i++) {
    const cell = cellOf(coords + <usize>i * 24, g, half);
    store<i32>(scratch + (<usize>i << 2), cell);
    const p = offsets + (<usize>(cell + 1) << 2);
    store<i32>(p, load<i32>(p) + 1);
  }
  for (let c = 0; c < cells; c++) {
    const p = offsets + (<usize>(c + 1) << 2);
    store<i32>(p, load<i32>(p) + load<i32>(p - 4));
  }
  let shift = 0;
  while ((cells - 1) >> shift >= MAX_BUCKETS) shift++;
  const buckets = ((cells - 1) >> shift) + 1;
  for (let b = 0; b < buckets; b++) {
    store<i32>(NEXT + (<usize>b << 2), load<i32>(offsets + (<usize>(b << shift) << 2)));
    store<i32>(END + (<usize>b << 2), load<i32>(offsets + (<usize>min<i32>(cells, (b + 1) << shift) << 2)));
  }
  // pass one: each row goes to the cursor of its bucket; the row it displaces is placed next
  for (let b = 0; b < buckets; b++) {
    const pn = NEXT + (<usize>b << 2);
    const end = load<i32>(END + (<usize>b << 2));
    let i = load<i32>(pn);
    while (i < end) {
      const d = load<i32>(scratch + (<usize>i << 2)) >> shift;
      if (d == b) {
        i++;
        continue;
      }
      const pd = NEXT + (<usize>d << 2);
      const j = load<i32>(pd);
      store<i32>(pd, j + 1);
      swapWithKey(ids, coords, scratch, i, j);
    }
    store<i32>(pn, end);
  }
  // pass two, per bucket: destinations by counting (offsets[c] runs to the start of c + 1),
  // rows swapped into place, then the bucket's offsets restored
  for (let b = 0; b < buckets; b++) {
    const first = b << shift;
    const last = min<i32>(cells, (b + 1) << shift) - 1;
    const lo = load<i32>(offsets + (<usize>first << 2));
    const hi = load<i32>(offsets + (<usize>(last + 1) << 2));
    for (let i = lo; i < hi; i++) {
      const pk = scratch + (<usize>i << 2);
      const po = offsets + (<usize>load<i32>(pk) << 2);
      const d = load<i32>(po);
      store<i32>(po, d + 1);
      store<i32>(pk, d);
    }
    for (let i = lo; i < hi; i++) {
      let d = load<i32>(scratch + (<usize>i << 2));
      while (d != i) {
        swapWithKey(ids, coords, scratch, i, d);
        d = load<i32>(scratch + (<usize>i << 2));
      }
    }
    for (let c = last; c > first; c--) store<i32>(offsets + (<usize>c << 2), load<i32>(offsets + (<usize>(c - 1) << 2)));
    store<i32>(offsets + (<usize>first << 2), lo);
  }
  // over-full cells become kd-trees; each face's occupied extent bounds the searches
  const perFace = g * g;
  const bounds = boundsOf(offsets, cells);
  for (let face = 0; face < 6; face++) {
    const fb = bounds + (<usize>face << 4);
    store<i32>(fb, g);
    store<i32>(fb, -1, 4);
    store<i32>(fb, g, 8);
    store<i32>(fb, -1, 12);
  }
  for (let c = 0; c < cells; c++) {
    const lo = load<i32>(offsets + (<usize>c << 2));
    const hi = load<i32>(offsets + (<usize>(c + 1) << 2));
    if (hi == lo) continue;
    const face = c / perFace;
    const i = (c - face * perFace) >> level;
    const j = c & (g - 1);
    const fb = bounds + (<usize>face << 4);
    store<i32>(fb, min<i32>(load<i32>(fb), i));
    store<i32>(fb, max<i32>(load<i32>(fb, 4), i), 4);
    store<i32>(fb, min<i32>(load<i32>(fb, 8), j), 8);
    store<i32>(fb, max<i32>(load<i32>(fb, 12), j), 12);
    if (hi - lo > nodeSize) kdBuildRange(ids, coords, lo, hi, 0, nodeSize, tangentA(face), tangentB(face));
  }
}

// ---- queries: the current query lives in globals so that the cell walkers take few arguments ----

let gIds: usize = 0;
let gCoords: usize = 0;
let gNodeSize: i32 = 0;
let qx: f64 = 0;
let qy: f64 = 0;
let qz: f64 = 0;
let qLimit: f64 = 0; // pairs: the limit; nearest: the best d² so far
let qRadius: f64 = 0; // prune radius of qLimit
let qId: i32 = 0;
let bestId: i32 = -1;
let outA: usize = 0;
let outB: usize = 0;
let outD2: usize = 0;
let count: i32 = 0;
let capacity: i32 = 0;
let full = false;

// @ts-ignore: decorator
@inline function d2At(i: i32): f64 {
  const p = gCoords + <usize>i * 24;
  const dx = load<f64>(p) - qx, dy = load<f64>(p, 8) - qy, dz = load<f64>(p, 16) - qz;
  return dx * dx + dy * dy + dz * dz;
}

// @ts-ignore: decorator
@inline function emit(i: i32, d2: f64): void {
  store<i32>(outA + (<usize>count << 2), qId);
  store<i32>(outB + (<usize>count << 2), load<i32>(gIds + (<usize>i << 2)));
  store<f64>(outD2 + (<usize>count << 3), d2);
  count++;
}

// @ts-ignore: decorator
@inline function consider(i: i32, d2: f64): void {
  if (d2 <= qLimit) {
    const rid = load<i32>(gIds + (<usize>i << 2));
    if (d2 < qLimit || bestId < 0 || rid < bestId) {
      qLimit = d2;
      bestId = rid;
      qRadius = pruneRadius(d2);
    }
  }
}

// @ts-ignore: decorator
@inline function push(sp: i32, lo: i32, hi: i32, depth: i32): i32 {
  const f = STACK + <usize>sp * 12;
  store<i32>(f, lo);
  store<i32>(f, hi, 4);
  store<i32>(f, depth, 8);
  return sp + 1;
}

// @ts-ignore: decorator
@inline function axisValue(axis: i32): f64 {
  return axis == 0 ? qx : axis == 1 ? qy : qz;
}

/** Tests one row for the pairs walk; false when the output is full (then sets `full`). */
// @ts-ignore: decorator
@inline function pairAt(i: i32): bool {
  const d2 = d2At(i);
  if (d2 <= qLimit) {
    if (count == capacity) {
      full = true;
      return false;
    }
    emit(i, d2);
  }
  return true;
}

/** Appends the pairs of rows [lo, hi) of one cell; sets `full` when the output is full. */
function pairsInCell(lo: i32, hi: i32, face: i32): void {
  if (hi - lo <= gNodeSize) {
    for (let i = lo; i < hi; i++) if (!pairAt(i)) return;
    return;
  }
  const ta = tangentA(face), tb = tangentB(face);
  const r = qRadius;
  let sp = push(0, lo, hi, 0);
  while (sp > 0) {
    sp--;
    const f = STACK + <usize>sp * 12;
    const l = load<i32>(f);
    const h = load<i32>(f, 4);
    const depth = load<i32>(f, 8);
    if (h - l <= gNodeSize) {
      for (let i = l; i < h; i++) if (!pairAt(i)) return;
      continue;
    }
    const m = (l + h) >> 1;
    if (!pairAt(m)) return;
    const axis = (depth & 1) == 0 ? ta : tb;
    const s = load<f64>(gCoords + <usize>m * 24 + (<usize>axis << 3));
    const qa = axisValue(axis);
    if (qa + r >= s) sp = push(sp, m + 1, h, depth + 1);
    if (qa - r <= s) sp = push(sp, l, m, depth + 1);
  }
}

/** Lowers the best pair with the rows [lo, hi) of one cell. */
function nearestInCell(lo: i32, hi: i32, face: i32): void {
  if (hi - lo <= gNodeSize) {
    for (let i = lo; i < hi; i++) consider(i, d2At(i));
    return;
  }
  const ta = tangentA(face), tb = tangentB(face);
  let sp = push(0, lo, hi, 0);
  while (sp > 0) {
    sp--;
    const f = STACK + <usize>sp * 12;
    const l = load<i32>(f);
    const h = load<i32>(f, 4);
    const depth = load<i32>(f, 8);
    if (h - l <= gNodeSize) {
      for (let i = l; i < h; i++) consider(i, d2At(i));
      continue;
    }
    const m = (l + h) >> 1;
    consider(m, d2At(m));
    const axis = (depth & 1) == 0 ? ta : tb;
    const s = load<f64>(gCoords + <usize>m * 24 + (<usize>axis << 3));
    const qa = axisValue(axis);
    const r = qRadius;
    // the query's side first (pushed last), so that the limit shrinks early
    if (qa <= s) {
      if (qa + r >= s) sp = push(sp, m + 1, h, depth + 1);
      sp = push(sp, l, m, depth + 1);
    } else {
      if (qa - r <= s) sp = push(sp, l, m, depth + 1);
      sp = push(sp, m + 1, h, depth + 1);
    }
  }
}

// @ts-ignore: decorator
@inline function minAbs(lo: f64, hi: f64): f64 {
  return lo > 0 ? lo : hi < 0 ? -hi : 0;
}

/**
 * Visits every cell that can hold a row within chord `r` of the query (the box q ± r per axis),
 * calling the pairs (nearest false) or nearest walker on each non-empty one. Returns early when
 * the pairs output is full.
 */
function visitWindow(offsets: usize, bounds: usize, g: i32, half: f64, r: f64, nearest: bool, skip: i32): void {
  store<f64>(BOX, qx - r);
  store<f64>(BOX, qy - r, 8);
  store<f64>(BOX, qz - r, 16);
  store<f64>(BOX, qx + r, 24);
  store<f64>(BOX, qy + r, 32);
  store<f64>(BOX, qz + r, 40);
  for (let face = 0; face < 6; face++) {
    const fb = bounds + (<usize>face << 4);
    if (load<i32>(fb, 4) < 0) continue; // no rows on this face
    const k = face >> 1;
    const lk = load<f64>(BOX + (<usize>k << 3));
    const hk = load<f64>(BOX + (<usize>k << 3), 24);
    // w = |x_k| on this face: x_k itself on the positive face, -x_k on the negative one
    let wl = (face & 1) == 0 ? lk : -hk;
    const wh = (face & 1) == 0 ? hk : -lk;
    if (wh < FACE_FLOOR) continue;
    if (wl < FACE_FLOOR) wl = FACE_FLOOR;
    const ta = tangentA(face), tb = tangentB(face);
    const al = load<f64>(BOX + (<usize>ta << 3)), ah = load<f64>(BOX + (<usize>ta << 3), 24);
    const bl = load<f64>(BOX + (<usize>tb << 3)), bh = load<f64>(BOX + (<usize>tb << 3), 24);
    // a row of this face has w ≥ |x_a| and w ≥ |x_b|
    if (wh < minAbs(al, ah) || wh < minAbs(bl, bh)) continue;
    // u = x_a / w over the box lies between the corner quotients; products by reciprocals are
    // within 1e-15 of them, so the slack of WINDOW_SLACK keeps the window conservative
    const iwl = 1.0 / wl, iwh = 1.0 / wh;
    // the window, cut to the cells where the face has rows (wide searches skip empty sky)
    const i0 = max<i32>(load<i32>(fb), gridCoord(min<f64>(al * iwl, al * iwh) - WINDOW_SLACK, half, g));
    const i1 = min<i32>(load<i32>(fb, 4), gridCoord(max<f64>(ah * iwl, ah * iwh) + WINDOW_SLACK, half, g));
    const j0 = max<i32>(load<i32>(fb, 8), gridCoord(min<f64>(bl * iwl, bl * iwh) - WINDOW_SLACK, half, g));
    const j1 = min<i32>(load<i32>(fb, 12), gridCoord(max<f64>(bh * iwl, bh * iwh) + WINDOW_SLACK, half, g));
    for (let i = i0; i <= i1; i++) {
      const first = (face * g + i) * g;
      const row = offsets + (<usize>first << 2);
      let lo = load<i32>(row + (<usize>j0 << 2));
      for (let j = j0; j <= j1; j++) {
        const hi = load<i32>(row + (<usize>(j + 1) << 2));
        if (hi > lo && first + j != skip) {
          if (nearest) nearestInCell(lo, hi, face);
          else {
            pairsInCell(lo, hi, face);
            if (full) return;
          }
        }
        lo = hi;
      }
    }
  }
}

/**
 * Appends (query id, row id, d²) for every row with d² ≤ the query's limit, for queries
 * [0, qcount); stops before a query whose pairs would overflow `capacity`. Writes the pair count
 * at `state` and returns the number of queries done.
 */
export function gridPairs(
  n: i32, nodeSize: i32, level: i32, ids: usize, coords: usize, offsets: usize,
  qcount: i32, qids: usize, qcoords: usize, qlimits: usize, limit2: f64,
  a: usize, b: usize, d2: usize, cap: i32, state: usize,
): i32 {
  gIds = ids;
  gCoords = coords;
  gNodeSize = nodeSize;
  outA = a;
  outB = b;
  outD2 = d2;
  capacity = cap;
  count = 0;
  full = false;
  const g = 1 << level;
  const half = <f64>g * 0.5;
  const bounds = boundsOf(offsets, 6 * g * g);
  let q = 0;
  for (; q < qcount; q++) {
    const lim = qlimits == 0 ? limit2 : load<f64>(qlimits + (<usize>q << 3));
    if (!(lim >= 0) || n == 0) continue;
    const qo = qcoords + <usize>q * 24;
    qx = load<f64>(qo);
    qy = load<f64>(qo, 8);
    qz = load<f64>(qo, 16);
    qLimit = lim;
    qRadius = pruneRadius(lim);
    qId = load<i32>(qids + (<usize>q << 2));
    const start = count;
    visitWindow(offsets, bounds, g, half, qRadius, false, -1);
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
 * (query id, row id, d²); returns the number appended. Limits wider than a cell are searched in
 * growing windows (4× the squared chord each time) until a row is found or the limit is reached,
 * so an unlimited search costs about as much as a small one where the rows are dense.
 */
export function gridNearest(
  n: i32, nodeSize: i32, level: i32, ids: usize, coords: usize, offsets: usize,
  qcount: i32, qids: usize, qcoords: usize, qlimits: usize, limit2: f64,
  a: usize, b: usize, d2: usize,
): i32 {
  gIds = ids;
  gCoords = coords;
  gNodeSize = nodeSize;
  let found = 0;
  const g = 1 << level;
  const half = <f64>g * 0.5;
  const bounds = boundsOf(offsets, 6 * g * g);
  const perFace = g * g;
  // the squared chord across one cell at most (a cell spans ≤ 2/g of gnomonic u, and du ≥ dθ)
  const cell2 = (2.0 / <f64>g) * (2.0 / <f64>g);
  for (let q = 0; q < qcount; q++) {
    const lim = qlimits == 0 ? limit2 : load<f64>(qlimits + (<usize>q << 3));
    if (!(lim >= 0) || n == 0) continue;
    const qo = qcoords + <usize>q * 24;
    qx = load<f64>(qo);
    qy = load<f64>(qo, 8);
    qz = load<f64>(qo, 16);
    let reach = lim < cell2 ? lim : cell2;
    bestId = -1;
    // a search wider than a cell starts in the query's own cell, where the nearest row most
    // likely is, so that the other cells' kd-trees prune against it
    const own = lim >= cell2 ? cellOf(qo, g, half) : -1;
    for (;;) {
      // every row with d² ≤ reach is visited, so a row found is the nearest within the limit
      qLimit = reach;
      qRadius = pruneRadius(reach);
      if (own >= 0) {
        const lo = load<i32>(offsets + (<usize>own << 2));
        const hi = load<i32>(offsets + (<usize>(own + 1) << 2));
        if (hi > lo) nearestInCell(lo, hi, own / perFace);
      }
      visitWindow(offsets, bounds, g, half, qRadius, true, own);
      if (bestId >= 0 || reach >= lim) break;
      reach = reach * 4 < lim ? reach * 4 : lim;
    }
    if (bestId >= 0) {
      store<i32>(a + (<usize>found << 2), load<i32>(qids + (<usize>q << 2)));
      store<i32>(b + (<usize>found << 2), bestId);
      store<f64>(d2 + (<usize>found << 3), qLimit);
      found++;
    }
  }
  return found;
}
