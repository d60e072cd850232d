/**
 * Pure TypeScript twin of assembly/kdtree.ts: the same steps in the same order over a growable
 * ArrayBuffer, so both build byte-identical trees and return identical pairs. It is the
 * fallback where WebAssembly is unavailable and the second opinion in every test; the
 * brute-force matcher (brute-force.ts) is the independent oracle for both.
 */
import type { SkyMatchKernel } from '../sky-match-kernel.js';

/**
 * Pruning radius for a squared-chord limit: a point within the limit differs from the query by
 * at most √limit on every axis, up to rounding, hence the relative and absolute slack (pruning
 * only has to be conservative; the exact test is on d²).
 */
function pruneRadius(limit2: number): number {
  return Math.sqrt(limit2) * (1 + 1e-9) + 1e-15;
}

class ReferenceSkyKernel implements SkyMatchKernel {
  readonly name = 'reference';
  readonly base = 16;
  #buffer = new ArrayBuffer(1 << 16);
  #f64 = new Float64Array(this.#buffer);
  #i32 = new Int32Array(this.#buffer);
  #u8 = new Uint8Array(this.#buffer);

  reserve(bytes: number): void {
    const needed = this.base + bytes;
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

  build(n: number, nodeSize: number, ids: number, coords: number, axes: number): void {
    this.#buildRange(ids >> 2, coords >> 3, axes, 0, n, 1, nodeSize);
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

  #buildRange(ids: number, c: number, axes: number, lo: number, hi: number, node: number, nodeSize: number): void {
    if (hi - lo <= nodeSize) return;
    const f64 = this.#f64;
    // widest axis from at most ~256 evenly spaced rows (a full pass per level costs as much
    // as the selection itself; the split stays an exact median whatever axis is chosen)
    const stride = Math.max(1, (hi - lo) >> 8);
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity, minZ = Infinity, maxZ = -Infinity;
    for (let i = lo; i < hi; i += stride) {
      const x = f64[c + 3 * i], y = f64[c + 3 * i + 1], z = f64[c + 3 * i + 2];
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
    this.#select(ids, c, axis, m, lo, hi - 1);
    this.#u8[axes + node] = axis;
    this.#buildRange(ids, c, axes, lo, m, 2 * node, nodeSize);
    this.#buildRange(ids, c, axes, m + 1, hi, 2 * node + 1, nodeSize);
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

  pairs(
    n: number, nodeSize: number, ids: number, coords: number, axes: number,
    qcount: number, qids: number, qcoords: number, qlimits: number, limit2: number,
    outA: number, outB: number, outD2: number, capacity: number, state: number,
  ): number {
    const f64 = this.#f64;
    const i32 = this.#i32;
    const u8 = this.#u8;
    const c = coords >> 3;
    const id = ids >> 2;
    let count = 0;
    const stack: number[] = [];
    let q = 0;
    for (; q < qcount; q++) {
      const qo = (qcoords >> 3) + 3 * q;
      const qx = f64[qo], qy = f64[qo + 1], qz = f64[qo + 2];
      const lim = qlimits === 0 ? limit2 : f64[(qlimits >> 3) + q];
      const r = pruneRadius(lim);
      const qid = i32[(qids >> 2) + q];
      const start = count;
      let full = false;
      stack.length = 0;
      if (n > 0) stack.push(0, n, 1);
      while (stack.length > 0 && !full) {
        const node = stack.pop()!;
        const hi = stack.pop()!;
        const lo = stack.pop()!;
        if (hi - lo <= nodeSize) {
          for (let i = lo; i < hi; i++) {
            const dx = f64[c + 3 * i] - qx, dy = f64[c + 3 * i + 1] - qy, dz = f64[c + 3 * i + 2] - qz;
            const d2 = dx * dx + dy * dy + dz * dz;
            if (d2 <= lim) {
              if (count === capacity) {
                full = true;
                break;
              }
              i32[(outA >> 2) + count] = qid;
              i32[(outB >> 2) + count] = i32[id + i];
              f64[(outD2 >> 3) + count] = d2;
              count++;
            }
          }
          continue;
        }
        const m = (lo + hi) >> 1;
        const dx = f64[c + 3 * m] - qx, dy = f64[c + 3 * m + 1] - qy, dz = f64[c + 3 * m + 2] - qz;
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 <= lim) {
          if (count === capacity) {
            full = true;
            break;
          }
          i32[(outA >> 2) + count] = qid;
          i32[(outB >> 2) + count] = i32[id + m];
          f64[(outD2 >> 3) + count] = d2;
          count++;
        }
        const axis = u8[axes + node];
        const s = f64[c + 3 * m + axis];
        const qa = axis === 0 ? qx : axis === 1 ? qy : qz;
        if (qa + r >= s) stack.push(m + 1, hi, 2 * node + 1);
        if (qa - r <= s) stack.push(lo, m, 2 * node);
      }
      if (full) {
        count = start; // roll back the partial query; the caller drains and resumes here
        break;
      }
    }
    i32[state >> 2] = count;
    return q;
  }

  nearest(
    n: number, nodeSize: number, ids: number, coords: number, axes: number,
    qcount: number, qids: number, qcoords: number, qlimits: number, limit2: number,
    outA: number, outB: number, outD2: number,
  ): number {
    const f64 = this.#f64;
    const i32 = this.#i32;
    const u8 = this.#u8;
    const c = coords >> 3;
    const id = ids >> 2;
    let count = 0;
    const stack: number[] = [];
    for (let q = 0; q < qcount; q++) {
      const qo = (qcoords >> 3) + 3 * q;
      const qx = f64[qo], qy = f64[qo + 1], qz = f64[qo + 2];
      let best = qlimits === 0 ? limit2 : f64[(qlimits >> 3) + q];
      let bestId = -1;
      let r = pruneRadius(best);
      stack.length = 0;
      if (n > 0) stack.push(0, n, 1);
      while (stack.length > 0) {
        const node = stack.pop()!;
        const hi = stack.pop()!;
        const lo = stack.pop()!;
        if (hi - lo <= nodeSize) {
          for (let i = lo; i < hi; i++) {
            const dx = f64[c + 3 * i] - qx, dy = f64[c + 3 * i + 1] - qy, dz = f64[c + 3 * i + 2] - qz;
            const d2 = dx * dx + dy * dy + dz * dz;
            if (d2 < best || (d2 === best && (bestId < 0 || i32[id + i] < bestId))) {
              best = d2;
              bestId = i32[id + i];
              r = pruneRadius(best);
            }
          }
          continue;
        }
        const m = (lo + hi) >> 1;
        const dx = f64[c + 3 * m] - qx, dy = f64[c + 3 * m + 1] - qy, dz = f64[c + 3 * m + 2] - qz;
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 < best || (d2 === best && (bestId < 0 || i32[id + m] < bestId))) {
          best = d2;
          bestId = i32[id + m];
          r = pruneRadius(best);
        }
        const axis = u8[axes + node];
        const s = f64[c + 3 * m + axis];
        const qa = axis === 0 ? qx : axis === 1 ? qy : qz;
        // visit the query's side first (pushed last) so that the limit shrinks early
        if (qa <= s) {
          if (qa + r >= s) stack.push(m + 1, hi, 2 * node + 1);
          stack.push(lo, m, 2 * node);
        } else {
          if (qa - r <= s) stack.push(lo, m, 2 * node);
          stack.push(m + 1, hi, 2 * node + 1);
        }
      }
      if (bestId >= 0) {
        i32[(outA >> 2) + count] = i32[(qids >> 2) + q];
        i32[(outB >> 2) + count] = bestId;
        f64[(outD2 >> 3) + count] = best;
        count++;
      }
    }
    return count;
  }
}

/** A fresh TypeScript kd-tree kernel with its own memory. */
export function referenceSkyKernel(): SkyMatchKernel {
  return new ReferenceSkyKernel();
}
