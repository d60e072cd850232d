// Static kd-tree over unit vectors (x, y, z float64 triples), the WebAssembly twin of
// src/sky-index.ts: the same median selection (ties broken by row, so both builds order points
// identically) and the same range walk (kdbush's `within`, in 3-D).

const STACK = memory.data(4 * 3 * 4096); // (left, right, axis) i32 triples

// @ts-ignore: decorator
@inline function coord(coords: usize, i: i32, axis: i32): f64 {
  return load<f64>(coords + ((<usize>(3 * i + axis)) << 3));
}

function swap(coords: usize, rows: usize, i: i32, j: i32): void {
  const ri = rows + (<usize>i << 2);
  const rj = rows + (<usize>j << 2);
  const r = load<u32>(ri);
  store<u32>(ri, load<u32>(rj));
  store<u32>(rj, r);
  const pi = coords + (<usize>(3 * i) << 3);
  const pj = coords + (<usize>(3 * j) << 3);
  for (let d: usize = 0; d < 24; d += 8) {
    const t = load<f64>(pi + d);
    store<f64>(pi + d, load<f64>(pj + d));
    store<f64>(pj + d, t);
  }
}

// @ts-ignore: decorator
@inline function less(coords: usize, rows: usize, i: i32, j: i32, axis: i32): bool {
  const a = coord(coords, i, axis);
  const b = coord(coords, j, axis);
  return a < b || (a == b && load<u32>(rows + (<usize>i << 2)) < load<u32>(rows + (<usize>j << 2)));
}

function select(coords: usize, rows: usize, k: i32, left: i32, right: i32, axis: i32): void {
  while (right > left) {
    swap(coords, rows, (left + right) >> 1, right);
    let store = left;
    for (let i = left; i < right; i++) {
      if (less(coords, rows, i, right, axis)) swap(coords, rows, i, store++);
    }
    swap(coords, rows, store, right);
    if (store == k) return;
    if (store < k) left = store + 1;
    else right = store - 1;
  }
}

/** Sorts n points (coords, rows) into kd order in place. */
export function kdSort(coords: usize, rows: usize, n: i32, leafSize: i32): void {
  if (n <= 0) return;
  let top = 0;
  store<i32>(STACK, 0);
  store<i32>(STACK, n - 1, 4);
  store<i32>(STACK, 0, 8);
  top = 1;
  while (top > 0) {
    --top;
    const p = STACK + (<usize>(3 * top) << 2);
    const l = load<i32>(p);
    const r = load<i32>(p, 4);
    const ax = load<i32>(p, 8);
    if (r - l <= leafSize) continue;
    const m = (l + r) >> 1;
    select(coords, rows, m, l, r, ax);
    const next = ax == 2 ? 0 : ax + 1;
    const q = STACK + (<usize>(3 * top) << 2);
    store<i32>(q, l);
    store<i32>(q, m - 1, 4);
    store<i32>(q, next, 8);
    store<i32>(q, m + 1, 12);
    store<i32>(q, r, 16);
    store<i32>(q, next, 20);
    top += 2;
  }
}

let emitted: i32 = 0;

// @ts-ignore: decorator
@inline function emit(row: i32, k: i32, d2: f64, outRow: usize, outK: usize, outD2: usize, cap: i32): void {
  if (emitted < cap) {
    store<u32>(outRow + (<usize>emitted << 2), row);
    store<u32>(outK + (<usize>emitted << 2), k);
    store<f64>(outD2 + (<usize>emitted << 3), d2);
  }
  ++emitted;
}

/**
 * For each of m query vectors (q, 3 f64 each) with search chord chords[r] (NaN: skip), writes
 * every index point within that chord as (query row, tree index, squared chord) to outRow, outK,
 * outD2 (at most cap). Returns the number of pairs found, which may exceed cap.
 */
export function kdWithin(coords: usize, n: i32, leafSize: i32, q: usize, chords: usize, m: i32, outRow: usize, outK: usize, outD2: usize, cap: i32): i32 {
  emitted = 0;
  if (n <= 0) return 0;
  for (let r = 0; r < m; r++) {
    const chord = load<f64>(chords + (<usize>r << 3));
    if (!(chord >= 0)) continue;
    const c2 = chord * chord;
    const qp = q + (<usize>(3 * r) << 3);
    const x = load<f64>(qp);
    const y = load<f64>(qp, 8);
    const z = load<f64>(qp, 16);
    let top = 1;
    store<i32>(STACK, 0);
    store<i32>(STACK, n - 1, 4);
    store<i32>(STACK, 0, 8);
    while (top > 0) {
      --top;
      const p = STACK + (<usize>(3 * top) << 2);
      const left = load<i32>(p);
      const right = load<i32>(p, 4);
      const axis = load<i32>(p, 8);
      if (right - left <= leafSize) {
        for (let k = left; k <= right; k++) {
          const c = coords + (<usize>(3 * k) << 3);
          const dx = load<f64>(c) - x;
          const dy = load<f64>(c, 8) - y;
          const dz = load<f64>(c, 16) - z;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 <= c2) emit(r, k, d2, outRow, outK, outD2, cap);
        }
        continue;
      }
      const mid = (left + right) >> 1;
      const c = coords + (<usize>(3 * mid) << 3);
      const dx = load<f64>(c) - x;
      const dy = load<f64>(c, 8) - y;
      const dz = load<f64>(c, 16) - z;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 <= c2) emit(r, mid, d2, outRow, outK, outD2, cap);
      const next = axis == 2 ? 0 : axis + 1;
      const split = load<f64>(c + (<usize>axis << 3));
      const qa = axis == 0 ? x : axis == 1 ? y : z;
      if (qa - chord <= split) {
        const s = STACK + (<usize>(3 * top) << 2);
        store<i32>(s, left);
        store<i32>(s, mid - 1, 4);
        store<i32>(s, next, 8);
        ++top;
      }
      if (qa + chord >= split) {
        const s = STACK + (<usize>(3 * top) << 2);
        store<i32>(s, mid + 1);
        store<i32>(s, right, 4);
        store<i32>(s, next, 8);
        ++top;
      }
    }
  }
  return emitted;
}
