/**
 * A static kd-tree over unit vectors of sky positions, stored in ONE ArrayBuffer with a small
 * header so that it can be rebuilt with {@link SkyIndex.from}, posted to a worker, shared or
 * cached (the layout idea of mourner/kdbush, in 3-D on the unit sphere).
 *
 * Layout (little-endian):
 *
 * | bytes | content |
 * |---|---|
 * | 0–3 | magic `VXKD` |
 * | 4–7 | version (1) |
 * | 8–11 | row count n |
 * | 12–15 | leaf size |
 * | 16–31 | reserved (0) |
 * | 32 … 32 + 24n | x, y, z of each point as float64, in tree order |
 * | … + 4n | original row index of each point (uint32) |
 *
 * 28 bytes per row: 1.75× the 16 bytes of an RA/Dec float64 pair.
 */
import { OptionsError } from './errors.js';

const MAGIC = 0x444b5856; // 'VXKD'
const VERSION = 1;
const HEADER_BYTES = 32;
/** Default number of points per leaf (linear scan below this size). */
export const DEFAULT_LEAF_SIZE = 16;
const DEG = Math.PI / 180;

/** Options of {@link SkyIndex.build}. */
export interface SkyIndexOptions {
  /** Points per leaf: smaller = deeper tree. Default 16. */
  leafSize?: number;
}

/** Writes the unit vector of (ra, dec) in degrees into out at 3·i. */
export function radecToVector(ra: number, dec: number, out: Float64Array, i: number): void {
  const cd = Math.cos(dec * DEG);
  out[3 * i] = cd * Math.cos(ra * DEG);
  out[3 * i + 1] = cd * Math.sin(ra * DEG);
  out[3 * i + 2] = Math.sin(dec * DEG);
}

/** Static kd-tree of sky positions in one ArrayBuffer. */
export class SkyIndex {
  /** The whole index (header + data); post or store it, and rebuild with {@link SkyIndex.from}. */
  readonly buffer: ArrayBuffer;
  /** Number of positions. */
  readonly count: number;
  /** Points per leaf. */
  readonly leafSize: number;
  /** x, y, z per point, in tree order (a view into {@link buffer}). */
  readonly coords: Float64Array;
  /** Original row of each point in tree order (a view into {@link buffer}). */
  readonly rows: Uint32Array;

  private constructor(buffer: ArrayBuffer) {
    const header = new Uint32Array(buffer, 0, HEADER_BYTES / 4);
    if (buffer.byteLength < HEADER_BYTES || header[0] !== MAGIC) {
      throw new OptionsError('SkyIndex.from: the buffer does not start with the VXKD magic; it is not a SkyIndex');
    }
    if (header[1] !== VERSION) throw new OptionsError(`SkyIndex.from: version ${header[1]} is not supported (expected ${VERSION})`);
    this.buffer = buffer;
    this.count = header[2];
    this.leafSize = header[3];
    const expected = SkyIndex.byteLength(this.count);
    if (buffer.byteLength < expected) {
      throw new OptionsError(`SkyIndex.from: ${this.count} rows need ${expected} bytes, the buffer has ${buffer.byteLength}`);
    }
    this.coords = new Float64Array(buffer, HEADER_BYTES, 3 * this.count);
    this.rows = new Uint32Array(buffer, HEADER_BYTES + 24 * this.count, this.count);
  }

  /** Bytes needed for n rows. */
  static byteLength(n: number): number {
    return HEADER_BYTES + 28 * n;
  }

  /** Rebuilds an index from its buffer (e.g. received by a worker); no copy. */
  static from(buffer: ArrayBuffer): SkyIndex {
    return new SkyIndex(buffer);
  }

  /** Builds the index of positions ra, dec (degrees). Rows with a NaN coordinate are left out. */
  static build(ra: Float64Array, dec: Float64Array, options: SkyIndexOptions = {}): SkyIndex {
    if (ra.length !== dec.length) throw new OptionsError(`SkyIndex.build: ra has ${ra.length} rows, dec ${dec.length}`);
    const leafSize = options.leafSize ?? DEFAULT_LEAF_SIZE;
    if (!Number.isInteger(leafSize) || leafSize < 1 || leafSize > 65536) {
      throw new OptionsError(`SkyIndex.build: leafSize must be an integer from 1 to 65536, got ${leafSize}`);
    }
    let n = 0;
    for (let i = 0; i < ra.length; i++) if (Number.isFinite(ra[i]) && Number.isFinite(dec[i])) n++;
    const buffer = new ArrayBuffer(SkyIndex.byteLength(n));
    const header = new Uint32Array(buffer, 0, HEADER_BYTES / 4);
    header[0] = MAGIC;
    header[1] = VERSION;
    header[2] = n;
    header[3] = leafSize;
    const coords = new Float64Array(buffer, HEADER_BYTES, 3 * n);
    const rows = new Uint32Array(buffer, HEADER_BYTES + 24 * n, n);
    let k = 0;
    for (let i = 0; i < ra.length; i++) {
      if (!Number.isFinite(ra[i]) || !Number.isFinite(dec[i])) continue;
      radecToVector(ra[i], dec[i], coords, k);
      rows[k++] = i;
    }
    if (n > 0) sortKd(coords, rows, leafSize, 0, n - 1, 0);
    return new SkyIndex(buffer);
  }
}

function swap(coords: Float64Array, rows: Uint32Array, i: number, j: number): void {
  const r = rows[i];
  rows[i] = rows[j];
  rows[j] = r;
  for (let d = 0; d < 3; d++) {
    const t = coords[3 * i + d];
    coords[3 * i + d] = coords[3 * j + d];
    coords[3 * j + d] = t;
  }
}

/**
 * Reorders [left, right] so that element k is the one a full sort along `axis` would put there,
 * smaller-or-equal ones before it and greater-or-equal ones after (Hoare's selection with a
 * middle pivot; ties broken by row so that the result does not depend on the input order).
 */
function select(coords: Float64Array, rows: Uint32Array, k: number, left: number, right: number, axis: number): void {
  const less = (i: number, j: number) => {
    const a = coords[3 * i + axis];
    const b = coords[3 * j + axis];
    return a < b || (a === b && rows[i] < rows[j]);
  };
  while (right > left) {
    swap(coords, rows, (left + right) >> 1, right); // pivot to the end
    let store = left;
    for (let i = left; i < right; i++) {
      if (less(i, right)) swap(coords, rows, i, store++);
    }
    swap(coords, rows, store, right);
    if (store === k) return;
    if (store < k) left = store + 1;
    else right = store - 1;
  }
}

function sortKd(coords: Float64Array, rows: Uint32Array, leafSize: number, left: number, right: number, axis: number): void {
  // explicit stack: depth is log2(n / leafSize), but keep recursion out of the hot path
  const stack = [left, right, axis];
  while (stack.length > 0) {
    const ax = stack.pop()!;
    const r = stack.pop()!;
    const l = stack.pop()!;
    if (r - l <= leafSize) continue;
    const m = (l + r) >> 1;
    select(coords, rows, m, l, r, ax);
    const next = (ax + 1) % 3;
    stack.push(l, m - 1, next, m + 1, r, next);
  }
}

/**
 * Calls visit(treeIndex) for every point of the index within chord distance `chord` of the
 * unit vector (x, y, z) (kdbush `within`, in 3-D). Points are visited in tree order.
 */
export function visitWithin(index: SkyIndex, x: number, y: number, z: number, chord: number, visit: (k: number, d2: number) => void): void {
  const { coords, leafSize } = index;
  const n = index.count;
  if (n === 0) return;
  const c2 = chord * chord;
  const q = [x, y, z];
  const stack: number[] = [0, n - 1, 0];
  while (stack.length > 0) {
    const axis = stack.pop()!;
    const right = stack.pop()!;
    const left = stack.pop()!;
    if (right - left <= leafSize) {
      for (let k = left; k <= right; k++) {
        const dx = coords[3 * k] - x;
        const dy = coords[3 * k + 1] - y;
        const dz = coords[3 * k + 2] - z;
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 <= c2) visit(k, d2);
      }
      continue;
    }
    const m = (left + right) >> 1;
    const dx = coords[3 * m] - x;
    const dy = coords[3 * m + 1] - y;
    const dz = coords[3 * m + 2] - z;
    const d2 = dx * dx + dy * dy + dz * dz;
    if (d2 <= c2) visit(m, d2);
    const next = (axis + 1) % 3;
    const split = coords[3 * m + axis];
    if (q[axis] - chord <= split) stack.push(left, m - 1, next);
    if (q[axis] + chord >= split) stack.push(m + 1, right, next);
  }
}
