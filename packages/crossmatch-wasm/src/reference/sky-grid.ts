/**
 * Pure TypeScript twin of assembly/sky-grid.ts: the same steps in the same order over a growable
 * ArrayBuffer, so both build byte-identical indexes and return identical pairs. It is the
 * fallback where WebAssembly is unavailable and the second opinion in every test; the
 * brute-force matcher (brute-force.ts) is the independent oracle for both. The layout and the
 * argument for exact pruning are in sky-match-kernel.ts and assembly/sky-grid.ts.
 */
import { writeUnitVectors } from '../sky-geometry.js';
import { ORDER_MAX_LEVEL, type SkyMatchKernel } from '../sky-match-kernel.js';

/**
 * Pruning radius for a squared-chord limit: a point within the limit differs from the query by
 * at most √limit on every axis, up to rounding, hence the relative and absolute slack (pruning
 * only has to be conservative; the exact test is on d²).
 */
function pruneRadius(limit2: number): number {
  return Math.sqrt(limit2) * (1 + 1e-9) + 1e-15;
}

/** Level-one buckets of the in-place radix sort (as the WebAssembly twin). */
const MAX_BUCKETS = 128;

/** Every unit vector has a component of magnitude ≥ 1/√3 ≈ 0.577; a face needs more than this. */
const FACE_FLOOR = 0.5;
/** Widening of a window's gnomonic bounds, far above the rounding of their products (≤ 1e-15). */
const WINDOW_SLACK = 1e-12;

/** Grid column of a gnomonic coordinate in [-1, 1] (clamped to [0, g - 1]). */
function gridCoord(u: number, half: number, g: number): number {
  const t = Math.floor((u + 1) * half);
  return t <= 0 ? 0 : t >= g - 1 ? g - 1 : t;
}

function tangentA(face: number): number {
  return face < 2 ? 1 : 0;
}

function tangentB(face: number): number {
  return face < 4 ? 2 : 1;
}

/** Byte offset of the faces' occupied extents, after the offsets (see the WebAssembly twin). */
function boundsOf(offsets: number, cells: number): number {
  return (offsets + 4 * (cells + 1) + 7) & ~7;
}

function minAbs(lo: number, hi: number): number {
  return lo > 0 ? lo : hi < 0 ? -hi : 0;
}

class ReferenceSkyKernel implements SkyMatchKernel {
  readonly name = 'reference';
  readonly base = 16;
  #buffer = new ArrayBuffer(1 << 16);
  #f64 = new Float64Array(this.#buffer);
  #i32 = new Int32Array(this.#buffer);
  #u8 = new Uint8Array(this.#buffer);

  // the current query, as the globals of the WebAssembly kernel
  #ids = 0; // Int32 element offset
  #c = 0; // Float64 element offset
  #nodeSize = 0;
  #qx = 0;
  #qy = 0;
  #qz = 0;
  #limit = 0;
  #radius = 0;
  #qid = 0;
  #bestId = -1;
  #outA = 0;
  #outB = 0;
  #outD2 = 0;
  #count = 0;
  #capacity = 0;
  #full = false;
  #stack: number[] = [];

  reserve(bytes: number): void {
    const needed = (this.base + bytes + 7) & ~7; // whole Float64 elements
    if (needed <= this.#buffer.byteLength) return;
    const grown = new ArrayBuffer(Math.max(needed, 2 * this.#buffer.byteLength));
    new Uint8Array(grown).set(this.#u8);
    this.#buffer = grown;
    this.#f64 = new Float64Array(grown);
    this.#i32 = new Int32Array(grown);
    this.#u8 = new Uint8Array(grown);
  }

  memory(): ArrayBuffer {
    return this.#buffer;
  }

  unitVectors(count: number, ra: number, dec: number, firstRow: number, coords: number, ids: number): number {
    const raColumn = new Float64Array(this.#buffer, ra, count);
    const decColumn = new Float64Array(this.#buffer, dec, count);
    const k = writeUnitVectors(raColumn, decColumn, null, 0, count, this.#f64, coords >> 3, this.#i32, ids >> 2);
    // row numbers relative to the chunk, as the WebAssembly twin's firstRow + j
    for (let q = 0; q < k; q++) this.#i32[(ids >> 2) + q] += firstRow;
    return k;
  }

  #cellOf(i: number, g: number, half: number): number {
    const f64 = this.#f64;
    const x = f64[i], y = f64[i + 1], z = f64[i + 2];
    const ax = Math.abs(x), ay = Math.abs(y), az = Math.abs(z);
    const k = ax >= ay && ax >= az ? 0 : ay >= az ? 1 : 2;
    const w = k === 0 ? x : k === 1 ? y : z;
    const a = k === 0 ? y : x;
    const b = k === 2 ? y : z;
    const inverse = 1 / Math.abs(w); // one division; the windows' slack covers the product's rounding
    const face = 2 * k + (w < 0 ? 1 : 0);
    return (face * g + gridCoord(a * inverse, half, g)) * g + gridCoord(b * inverse, half, g);
  }

  build(n: number, nodeSize: number, level: number, ids: number, coords: number, offsets: number, scratch: number): void {
    const i32 = this.#i32;
    const g = 2 ** level;
    const half = g * 0.5;
    const cells = 6 * g * g;
    const off = offsets >> 2;
    const id = ids >> 2;
    const c = coords >> 3;
    const key = scratch >> 2;
    i32.fill(0, off, off + cells + 1);
    for (let i = 0; i < n; i++) {
      const cell = this.#cellOf(c + 3 * i, g, half);
      i32[key + i] = cell;
      i32[off + cell + 1]++;
    }
    for (let k = 0; k < cells; k++) i32[off + k + 1] += i32[off + k];
    // the American flag sort of the WebAssembly twin, step for step
    let shift = 0;
    while ((cells - 1) >> shift >= MAX_BUCKETS) shift++;
    const buckets = ((cells - 1) >> shift) + 1;
    const next = new Int32Array(buckets);
    const end = new Int32Array(buckets);
    for (let b = 0; b < buckets; b++) {
      next[b] = i32[off + (b << shift)];
      end[b] = i32[off + Math.min(cells, (b + 1) << shift)];
    }
    for (let b = 0; b < buckets; b++) {
      let i = next[b];
      while (i < end[b]) {
        const d = i32[key + i] >> shift;
        if (d === b) {
          i++;
          continue;
        }
        this.#swapWithKey(id, c, key, i, next[d]++);
      }
      next[b] = end[b];
    }
    for (let b = 0; b < buckets; b++) {
      const first = b << shift;
      const last = Math.min(cells, (b + 1) << shift) - 1;
      const lo = i32[off + first];
      const hi = i32[off + last + 1];
      for (let i = lo; i < hi; i++) i32[key + i] = i32[off + i32[key + i]]++;
      for (let i = lo; i < hi; i++) {
        let d = i32[key + i];
        while (d !== i) {
          this.#swapWithKey(id, c, key, i, d);
          d = i32[key + i];
        }
      }
      for (let k = last; k > first; k--) i32[off + k] = i32[off + k - 1];
      i32[off + first] = lo;
    }
    const perFace = g * g;
    const bounds = boundsOf(offsets, cells) >> 2;
    for (let face = 0; face < 6; face++) i32.set([g, -1, g, -1], bounds + 4 * face);
    for (let k = 0; k < cells; k++) {
      const lo = i32[off + k];
      const hi = i32[off + k + 1];
      if (hi === lo) continue;
      const face = Math.floor(k / perFace);
      const i = (k - face * perFace) >> level;
      const j = k & (g - 1);
      const fb = bounds + 4 * face;
      i32[fb] = Math.min(i32[fb], i);
      i32[fb + 1] = Math.max(i32[fb + 1], i);
      i32[fb + 2] = Math.min(i32[fb + 2], j);
      i32[fb + 3] = Math.max(i32[fb + 3], j);
      if (hi - lo > nodeSize) this.#kdBuild(id, c, lo, hi, 0, nodeSize, tangentA(face), tangentB(face));
    }
  }

  #swapWithKey(ids: number, c: number, key: number, i: number, j: number): void {
    this.#swap(ids, c, i, j);
    const i32 = this.#i32;
    const t = i32[key + i];
    i32[key + i] = i32[key + j];
    i32[key + j] = t;
  }

  #kdBuild(ids: number, c: number, lo: number, hi: number, depth: number, nodeSize: number, ta: number, tb: number): void {
    while (hi - lo > nodeSize) {
      const m = (lo + hi) >> 1;
      this.#select(ids, c, (depth & 1) === 0 ? ta : tb, m, lo, hi - 1);
      this.#kdBuild(ids, c, lo, m, depth + 1, nodeSize, ta, tb);
      lo = m + 1;
      depth++;
    }
  }

  #swap(ids: number, c: number, i: number, j: number): void {
    const i32 = this.#i32;
    const f64 = this.#f64;
    const t = i32[ids + i];
    i32[ids + i] = i32[ids + j];
    i32[ids + j] = t;
    const a = c + 3 * i;
    const b = c + 3 * j;
    for (let k = 0; k < 3; k++) {
      const v = f64[a + k];
      f64[a + k] = f64[b + k];
      f64[b + k] = v;
    }
  }

  /**
   * Floyd–Rivest selection as in kdbush, with the sample bounds computed from basic IEEE
   * operations only (log2 by counting bits, 2^(2/3·log2 n) by a shift), so that the
   * WebAssembly twin, whose libm differs from V8's, makes exactly the same swaps.
   */
  #select(ids: number, c: number, axis: number, k: number, left: number, right: number): void {
    const f64 = this.#f64;
    const key = (i: number) => f64[c + 3 * i + axis];
    while (right > left) {
      if (right - left > 600) {
        const n = right - left + 1;
        const m = k - left + 1;
        const log2 = 31 - Math.clz32(n);
        const z = log2 * 0.6931471805599453;
        const s = 0.5 * 2 ** Math.floor((2 * log2) / 3);
        const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
        const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
        const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
        this.#select(ids, c, axis, k, newLeft, newRight);
      }
      const t = key(k);
      let i = left;
      let j = right;
      this.#swap(ids, c, left, k);
      if (key(right) > t) this.#swap(ids, c, left, right);
      while (i < j) {
        this.#swap(ids, c, i, j);
        i++;
        j--;
        while (key(i) < t) i++;
        while (key(j) > t) j--;
      }
      if (key(left) === t) this.#swap(ids, c, left, j);
      else {
        j++;
        this.#swap(ids, c, j, right);
      }
      if (j <= k) left = j + 1;
      if (k <= j) right = j - 1;
    }
  }

  #d2At(i: number): number {
    const f64 = this.#f64;
    const p = this.#c + 3 * i;
    const dx = f64[p] - this.#qx, dy = f64[p + 1] - this.#qy, dz = f64[p + 2] - this.#qz;
    return dx * dx + dy * dy + dz * dz;
  }

  #emit(i: number, d2: number): void {
    const k = this.#count++;
    this.#i32[(this.#outA >> 2) + k] = this.#qid;
    this.#i32[(this.#outB >> 2) + k] = this.#i32[this.#ids + i];
    this.#f64[(this.#outD2 >> 3) + k] = d2;
  }

  #consider(i: number, d2: number): void {
    if (d2 <= this.#limit) {
      const rid = this.#i32[this.#ids + i];
      if (d2 < this.#limit || this.#bestId < 0 || rid < this.#bestId) {
        this.#limit = d2;
        this.#bestId = rid;
        this.#radius = pruneRadius(d2);
      }
    }
  }

  #axisValue(axis: number): number {
    return axis === 0 ? this.#qx : axis === 1 ? this.#qy : this.#qz;
  }

  /** Tests one row for the pairs walk; false when the output is full. */
  #pairAt(i: number): boolean {
    const d2 = this.#d2At(i);
    if (d2 <= this.#limit) {
      if (this.#count === this.#capacity) {
        this.#full = true;
        return false;
      }
      this.#emit(i, d2);
    }
    return true;
  }

  #pairsInCell(lo: number, hi: number, face: number): void {
    const nodeSize = this.#nodeSize;
    if (hi - lo <= nodeSize) {
      for (let i = lo; i < hi; i++) if (!this.#pairAt(i)) return;
      return;
    }
    const f64 = this.#f64;
    const ta = tangentA(face), tb = tangentB(face);
    const r = this.#radius;
    const stack = this.#stack;
    stack.length = 0;
    stack.push(lo, hi, 0);
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const h = stack.pop()!;
      const l = stack.pop()!;
      if (h - l <= nodeSize) {
        for (let i = l; i < h; i++) if (!this.#pairAt(i)) return;
        continue;
      }
      const m = (l + h) >> 1;
      if (!this.#pairAt(m)) return;
      const axis = (depth & 1) === 0 ? ta : tb;
      const s = f64[this.#c + 3 * m + axis];
      const qa = this.#axisValue(axis);
      if (qa + r >= s) stack.push(m + 1, h, depth + 1);
      if (qa - r <= s) stack.push(l, m, depth + 1);
    }
  }

  #nearestInCell(lo: number, hi: number, face: number): void {
    const nodeSize = this.#nodeSize;
    if (hi - lo <= nodeSize) {
      for (let i = lo; i < hi; i++) this.#consider(i, this.#d2At(i));
      return;
    }
    const f64 = this.#f64;
    const ta = tangentA(face), tb = tangentB(face);
    const stack = this.#stack;
    stack.length = 0;
    stack.push(lo, hi, 0);
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const h = stack.pop()!;
      const l = stack.pop()!;
      if (h - l <= nodeSize) {
        for (let i = l; i < h; i++) this.#consider(i, this.#d2At(i));
        continue;
      }
      const m = (l + h) >> 1;
      this.#consider(m, this.#d2At(m));
      const axis = (depth & 1) === 0 ? ta : tb;
      const s = f64[this.#c + 3 * m + axis];
      const qa = this.#axisValue(axis);
      const r = this.#radius;
      // the query's side first (pushed last), so that the limit shrinks early
      if (qa <= s) {
        if (qa + r >= s) stack.push(m + 1, h, depth + 1);
        stack.push(l, m, depth + 1);
      } else {
        if (qa - r <= s) stack.push(l, m, depth + 1);
        stack.push(m + 1, h, depth + 1);
      }
    }
  }

  /** Every cell that can hold a row within chord r of the query; see the WebAssembly twin. */
  #visitWindow(offsets: number, bounds: number, g: number, half: number, r: number, nearest: boolean, skip: number): void {
    const i32 = this.#i32;
    const lo = [this.#qx - r, this.#qy - r, this.#qz - r];
    const hi = [this.#qx + r, this.#qy + r, this.#qz + r];
    for (let face = 0; face < 6; face++) {
      const fb = (bounds >> 2) + 4 * face;
      if (i32[fb + 1] < 0) continue; // no rows on this face
      const k = face >> 1;
      let wl = (face & 1) === 0 ? lo[k] : -hi[k];
      const wh = (face & 1) === 0 ? hi[k] : -lo[k];
      if (wh < FACE_FLOOR) continue;
      if (wl < FACE_FLOOR) wl = FACE_FLOOR;
      const ta = tangentA(face), tb = tangentB(face);
      const al = lo[ta], ah = hi[ta], bl = lo[tb], bh = hi[tb];
      if (wh < minAbs(al, ah) || wh < minAbs(bl, bh)) continue;
      const iwl = 1 / wl, iwh = 1 / wh;
      const i0 = Math.max(i32[fb], gridCoord(Math.min(al * iwl, al * iwh) - WINDOW_SLACK, half, g));
      const i1 = Math.min(i32[fb + 1], gridCoord(Math.max(ah * iwl, ah * iwh) + WINDOW_SLACK, half, g));
      const j0 = Math.max(i32[fb + 2], gridCoord(Math.min(bl * iwl, bl * iwh) - WINDOW_SLACK, half, g));
      const j1 = Math.min(i32[fb + 3], gridCoord(Math.max(bh * iwl, bh * iwh) + WINDOW_SLACK, half, g));
      for (let i = i0; i <= i1; i++) {
        const first = (face * g + i) * g;
        const row = (offsets >> 2) + first;
        let start = i32[row + j0];
        for (let j = j0; j <= j1; j++) {
          const end = i32[row + j + 1];
          if (end > start && first + j !== skip) {
            if (nearest) this.#nearestInCell(start, end, face);
            else {
              this.#pairsInCell(start, end, face);
              if (this.#full) return;
            }
          }
          start = end;
        }
      }
    }
  }

  #setIndex(ids: number, coords: number, nodeSize: number): void {
    this.#ids = ids >> 2;
    this.#c = coords >> 3;
    this.#nodeSize = nodeSize;
  }

  #setQuery(qcoords: number, q: number): void {
    const f64 = this.#f64;
    const qo = (qcoords >> 3) + 3 * q;
    this.#qx = f64[qo];
    this.#qy = f64[qo + 1];
    this.#qz = f64[qo + 2];
  }

  pairs(
    n: number, nodeSize: number, level: number, ids: number, coords: number, offsets: number,
    qcount: number, qids: number, qcoords: number, qlimits: number, limit2: number,
    outA: number, outB: number, outD2: number, capacity: number, state: number,
  ): number {
    this.#setIndex(ids, coords, nodeSize);
    this.#outA = outA;
    this.#outB = outB;
    this.#outD2 = outD2;
    this.#capacity = capacity;
    this.#count = 0;
    this.#full = false;
    const g = 2 ** level;
    const half = g * 0.5;
    const bounds = boundsOf(offsets, 6 * g * g);
    let q = 0;
    for (; q < qcount; q++) {
      const lim = qlimits === 0 ? limit2 : this.#f64[(qlimits >> 3) + q];
      if (!(lim >= 0) || n === 0) continue;
      this.#setQuery(qcoords, q);
      this.#limit = lim;
      this.#radius = pruneRadius(lim);
      this.#qid = this.#i32[(qids >> 2) + q];
      const start = this.#count;
      this.#visitWindow(offsets, bounds, g, half, this.#radius, false, -1);
      if (this.#full) {
        this.#count = start; // roll back the partial query; the caller drains and resumes here
        break;
      }
    }
    this.#i32[state >> 2] = this.#count;
    return q;
  }

  nearest(
    n: number, nodeSize: number, level: number, ids: number, coords: number, offsets: number,
    qcount: number, qids: number, qcoords: number, qlimits: number, limit2: number,
    outA: number, outB: number, outD2: number,
  ): number {
    this.#setIndex(ids, coords, nodeSize);
    let found = 0;
    const g = 2 ** level;
    const half = g * 0.5;
    const bounds = boundsOf(offsets, 6 * g * g);
    const perFace = g * g;
    const cell2 = (2 / g) * (2 / g);
    for (let q = 0; q < qcount; q++) {
      const lim = qlimits === 0 ? limit2 : this.#f64[(qlimits >> 3) + q];
      if (!(lim >= 0) || n === 0) continue;
      this.#setQuery(qcoords, q);
      let reach = lim < cell2 ? lim : cell2;
      this.#bestId = -1;
      const own = lim >= cell2 ? this.#cellOf((qcoords >> 3) + 3 * q, g, half) : -1;
      for (;;) {
        this.#limit = reach;
        this.#radius = pruneRadius(reach);
        if (own >= 0) {
          const lo = this.#i32[(offsets >> 2) + own];
          const hi = this.#i32[(offsets >> 2) + own + 1];
          if (hi > lo) this.#nearestInCell(lo, hi, Math.floor(own / perFace));
        }
        this.#visitWindow(offsets, bounds, g, half, this.#radius, true, own);
        if (this.#bestId >= 0 || reach >= lim) break;
        reach = reach * 4 < lim ? reach * 4 : lim;
      }
      if (this.#bestId >= 0) {
        this.#i32[(outA >> 2) + found] = this.#i32[(qids >> 2) + q];
        this.#i32[(outB >> 2) + found] = this.#bestId;
        this.#f64[(outD2 >> 3) + found] = this.#limit;
        found++;
      }
    }
    return found;
  }

  sortQueries(
    count: number, level: number, ids: number, coords: number, limits: number,
    sortedIds: number, sortedCoords: number, sortedLimits: number, keys: number, start: number,
  ): void {
    const i32 = this.#i32;
    const f64 = this.#f64;
    const g = 2 ** Math.min(level, ORDER_MAX_LEVEL);
    const half = g * 0.5;
    const cells = 6 * g * g;
    const st = start >> 2;
    const k = keys >> 2;
    i32.fill(0, st, st + cells + 1);
    for (let q = 0; q < count; q++) {
      const cell = this.#cellOf((coords >> 3) + 3 * q, g, half);
      i32[k + q] = cell;
      i32[st + cell + 1]++;
    }
    for (let c = 0; c < cells; c++) i32[st + c + 1] += i32[st + c];
    for (let q = 0; q < count; q++) {
      const d = i32[st + i32[k + q]]++;
      i32[(sortedIds >> 2) + d] = i32[(ids >> 2) + q];
      const from = (coords >> 3) + 3 * q;
      const to = (sortedCoords >> 3) + 3 * d;
      f64[to] = f64[from];
      f64[to + 1] = f64[from + 1];
      f64[to + 2] = f64[from + 2];
      if (limits !== 0) f64[(sortedLimits >> 3) + d] = f64[(limits >> 3) + q];
    }
  }
}

/** A fresh TypeScript sky-grid kernel with its own memory. */
export function referenceSkyKernel(): SkyMatchKernel {
  return new ReferenceSkyKernel();
}
