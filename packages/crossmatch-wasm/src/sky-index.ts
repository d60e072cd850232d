/**
 * A static index of sky positions (a grid on the cube's faces, kd-trees in over-full cells)
 * stored in ONE ArrayBuffer with a small header (kdbush's design, STYLE §6), so it can be built
 * once, posted or transferred to a worker, cached to disk, and rebuilt with
 * {@link SkyIndex.from} without copying.
 *
 * Buffer layout (little-endian):
 * | bytes | content |
 * |---|---|
 * | 0–3 | magic `VKSX` |
 * | 4–5 | version (2; version 1 was a kd-tree) |
 * | 6–7 | node size (rows per leaf) |
 * | 8–11 | rows in the tree (positions with finite ra, dec) |
 * | 12–15 | rows of the catalogue the index was built from |
 * | 16–19 | bytes of the index block that follows the header |
 * | 20 | grid level (2^level × 2^level cells per cube face) |
 * | 21–31 | zero |
 * | 32– | index block: ids, coords, offsets as described in sky-match-kernel.ts |
 */
import { OptionsError, SkyIndexError } from './errors.js';
import { chordLimit2, writeUnitVectors } from './sky-geometry.js';
import { align8, gridLevel, indexLayout, MAX_GRID_LEVEL, type SkyMatchKernel } from './sky-match-kernel.js';
import { defaultSkyMatchKernel } from './sky-match-kernels.js';

/** First four bytes of every index buffer: `VKSX`. */
export const SKY_INDEX_MAGIC = 0x58534b56;
/** Layout version written by this release and the only one {@link SkyIndex.from} reads. */
export const SKY_INDEX_VERSION = 2;
/** Bytes before the index block. */
export const SKY_INDEX_HEADER_BYTES = 32;
/**
 * Default rows per leaf (a grid cell with more rows becomes a kd-tree with leaves of at most
 * this many; the grid holds nodeSize / 8 to nodeSize / 2 rows per cell): measured fastest for 1e6 × 1e6
 * matches at 1″ (see README).
 */
export const DEFAULT_NODE_SIZE = 32;

/** Options of {@link SkyIndex.build}. */
export interface SkyIndexOptions {
  /** Rows per leaf, 2–65535. Default {@link DEFAULT_NODE_SIZE}. */
  nodeSize?: number;
  /** The kernel to build with. Default: the WebAssembly kernel of the default core. */
  kernel?: SkyMatchKernel;
}

/** Checks a node size and returns it. @internal */
export function checkNodeSize(nodeSize: number | undefined): number {
  const value = nodeSize ?? DEFAULT_NODE_SIZE;
  if (!Number.isInteger(value) || value < 2 || value > 65535) {
    throw new OptionsError(`nodeSize must be an integer from 2 to 65535, got ${String(nodeSize)}`);
  }
  return value;
}

/** Checks that ra and dec are columns of one length and returns it. @internal */
export function checkColumns(what: string, ra: ArrayLike<number>, dec: ArrayLike<number>): number {
  if (ra == null || dec == null || typeof ra.length !== 'number' || typeof dec.length !== 'number') {
    throw new OptionsError(`${what}: ra and dec must be arrays of degrees`);
  }
  if (ra.length !== dec.length) {
    throw new OptionsError(`${what}: ra has ${ra.length} rows but dec has ${dec.length}`);
  }
  if (ra.length > 0x7fffffff) throw new OptionsError(`${what}: ${ra.length} rows exceed 2^31 − 1`);
  return ra.length;
}

/** Where an index lives inside a kernel's memory while a match runs. @internal */
export interface PlacedIndex {
  /** Rows in the index. */
  size: number;
  nodeSize: number;
  /** Grid level. */
  level: number;
  ids: number;
  coords: number;
  offsets: number;
  /** Bytes of the index block. */
  bytes: number;
}

/** Most rows of ra, dec staged in a kernel's memory per {@link SkyMatchKernel.unitVectors} call. @internal */
export const STAGE_ROWS = 65536;

/** Bytes of the staging area of {@link writeUnitVectorsInKernel} for `rows` rows. @internal */
export function stageBytes(rows: number): number {
  return 16 * Math.min(rows, STAGE_ROWS);
}

function copyColumn(column: ArrayLike<number>, start: number, end: number, f64: Float64Array, at: number): void {
  if (ArrayBuffer.isView(column) && 'subarray' in column) f64.set((column as Float64Array).subarray(start, end), at);
  else for (let i = start; i < end; i++) f64[at + i - start] = column[i];
}

/**
 * Unit vectors of the finite rows among [start, end) of ra, dec computed by the kernel into its
 * memory (x, y, z at byte offset `coords`, row numbers at `ids`, room for end − start rows):
 * the columns are copied in pieces of {@link STAGE_ROWS} rows to `stage` (8-aligned,
 * {@link stageBytes} of room), as Float64 whatever their type. Returns the rows written. @internal
 */
export function writeUnitVectorsInKernel(
  kernel: SkyMatchKernel, ra: ArrayLike<number>, dec: ArrayLike<number>, start: number, end: number,
  stage: number, coords: number, ids: number,
): number {
  const piece = Math.min(end - start, STAGE_ROWS);
  const f64 = new Float64Array(kernel.memory());
  let k = 0;
  for (let first = start; first < end; first += piece) {
    const last = Math.min(end, first + piece);
    copyColumn(ra, first, last, f64, stage >> 3);
    copyColumn(dec, first, last, f64, (stage >> 3) + piece);
    k += kernel.unitVectors(last - first, stage, stage + 8 * piece, first, coords + 24 * k, ids + 4 * k);
  }
  return k;
}

/**
 * Writes the unit vectors of the finite rows at the kernel's base and builds the index there,
 * without any copy in JavaScript memory. @internal
 */
export function buildInKernel(kernel: SkyMatchKernel, ra: ArrayLike<number>, dec: ArrayLike<number>, nodeSize: number): PlacedIndex {
  const rows = ra.length;
  // room for every row; the vectors move down once the number of finite rows is known, which
  // saves a counting pass over the columns. The staging area of the columns follows, and its
  // room is reused by the build's scratch.
  const room = indexLayout(rows, 0);
  kernel.reserve(room.offsets + Math.max(4 * rows, stageBytes(rows)));
  const ids = kernel.base;
  const size = writeUnitVectorsInKernel(kernel, ra, dec, 0, rows, ids + room.offsets, ids + room.coords, ids);
  const level = gridLevel(size, nodeSize);
  const layout = indexLayout(size, level);
  const scratch = align8(ids + layout.bytes);
  kernel.reserve(scratch + 4 * size - ids);
  const memory = kernel.memory();
  if (layout.coords !== room.coords) new Uint8Array(memory).copyWithin(ids + layout.coords, ids + room.coords, ids + room.coords + 24 * size);
  kernel.build(size, nodeSize, level, ids, ids + layout.coords, ids + layout.offsets, scratch);
  return { size, nodeSize, level, ids, coords: ids + layout.coords, offsets: ids + layout.offsets, bytes: layout.bytes };
}

/** Immutable index of sky positions in one ArrayBuffer; see the module comment for the layout. */
export class SkyIndex {
  /** The whole index: header and block. Post it to a worker (transfer or copy) and call {@link SkyIndex.from}. */
  readonly buffer: ArrayBuffer;
  /** Rows in the index (rows with finite ra and dec). */
  readonly size: number;
  /** Rows of the catalogue it was built from; row numbers in results are below this. */
  readonly rows: number;
  /** Rows per leaf. */
  readonly nodeSize: number;
  /** Grid level: 2^level × 2^level cells on each face of the cube. */
  readonly level: number;

  private constructor(buffer: ArrayBuffer, size: number, rows: number, nodeSize: number, level: number) {
    this.buffer = buffer;
    this.size = size;
    this.rows = rows;
    this.nodeSize = nodeSize;
    this.level = level;
  }

  /**
   * Indexes the positions (ra, dec) in degrees, ICRS or any one frame. Rows whose ra or dec is
   * NaN or infinite are left out (they match nothing) but keep their row numbers.
   */
  static build(ra: ArrayLike<number>, dec: ArrayLike<number>, options: SkyIndexOptions = {}): SkyIndex {
    const rows = checkColumns('SkyIndex.build', ra, dec);
    const nodeSize = checkNodeSize(options.nodeSize);
    const kernel = options.kernel ?? defaultSkyMatchKernel();
    const placed = buildInKernel(kernel, ra, dec, nodeSize);
    const buffer = new ArrayBuffer(SKY_INDEX_HEADER_BYTES + placed.bytes);
    writeHeader(buffer, placed.size, rows, nodeSize, placed.level, placed.bytes);
    new Uint8Array(buffer, SKY_INDEX_HEADER_BYTES).set(new Uint8Array(kernel.memory(), placed.ids, placed.bytes));
    return new SkyIndex(buffer, placed.size, rows, nodeSize, placed.level);
  }

  /**
   * Rebuilds an index from its buffer (no copy): the inverse of reading {@link SkyIndex.buffer}.
   * Throws {@link SkyIndexError} when the header or the length is not that of an index.
   */
  static from(buffer: ArrayBuffer): SkyIndex {
    const value: unknown = buffer;
    if (!(value instanceof ArrayBuffer) && !(typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
      throw new SkyIndexError(`SkyIndex.from needs an ArrayBuffer, got ${Object.prototype.toString.call(buffer)}`);
    }
    if (buffer.byteLength < SKY_INDEX_HEADER_BYTES) {
      throw new SkyIndexError(`buffer of ${buffer.byteLength} bytes is shorter than the ${SKY_INDEX_HEADER_BYTES}-byte header`);
    }
    const view = new DataView(buffer);
    const magic = view.getUint32(0, true);
    if (magic !== SKY_INDEX_MAGIC) {
      throw new SkyIndexError(`bytes 0–3: magic 0x${magic.toString(16)} is not VKSX (0x${SKY_INDEX_MAGIC.toString(16)}); not a SkyIndex buffer`);
    }
    const version = view.getUint16(4, true);
    if (version !== SKY_INDEX_VERSION) {
      throw new SkyIndexError(`bytes 4–5: version ${version} is not supported (this release reads version ${SKY_INDEX_VERSION}); rebuild the index`);
    }
    const nodeSize = view.getUint16(6, true);
    const size = view.getUint32(8, true);
    const rows = view.getUint32(12, true);
    const bytes = view.getUint32(16, true);
    const level = view.getUint8(20);
    if (level > MAX_GRID_LEVEL) throw new SkyIndexError(`byte 20: grid level ${level} exceeds ${MAX_GRID_LEVEL}; not a SkyIndex buffer`);
    const expected = indexLayout(size, level).bytes;
    if (nodeSize < 2 || size > rows || bytes !== expected || buffer.byteLength !== SKY_INDEX_HEADER_BYTES + bytes) {
      throw new SkyIndexError(
        `header says ${size} of ${rows} rows with node size ${nodeSize} and grid level ${level} (${expected} bytes of index), but has ${bytes} bytes declared and ${buffer.byteLength - SKY_INDEX_HEADER_BYTES} present`,
      );
    }
    return new SkyIndex(buffer as ArrayBuffer, size, rows, nodeSize, level);
  }

  /** Row numbers in index order (a view into the buffer). */
  get ids(): Int32Array {
    return new Int32Array(this.buffer, SKY_INDEX_HEADER_BYTES, this.size);
  }

  /** Unit vectors x, y, z interleaved in index order (a view into the buffer). */
  get coords(): Float64Array {
    return new Float64Array(this.buffer, SKY_INDEX_HEADER_BYTES + indexLayout(this.size, this.level).coords, 3 * this.size);
  }

  /** Copies the index block into the kernel's memory at its base. @internal */
  placeIn(kernel: SkyMatchKernel): PlacedIndex {
    const layout = indexLayout(this.size, this.level);
    kernel.reserve(layout.bytes);
    const ids = kernel.base;
    new Uint8Array(kernel.memory(), ids, layout.bytes).set(new Uint8Array(this.buffer, SKY_INDEX_HEADER_BYTES, layout.bytes));
    return {
      size: this.size, nodeSize: this.nodeSize, level: this.level,
      ids, coords: ids + layout.coords, offsets: ids + layout.offsets, bytes: layout.bytes,
    };
  }

  /**
   * Row numbers within `radius` arcseconds of (ra, dec) in degrees, ascending (a cone search).
   */
  within(ra: number, dec: number, radius: number, options: { kernel?: SkyMatchKernel } = {}): Int32Array {
    let out = new Int32Array(16);
    for (;;) {
      const count = this.withinInto(ra, dec, radius, out, options);
      if (count <= out.length) return out.slice(0, count);
      out = new Int32Array(count);
    }
  }

  /**
   * Allocation-free twin of {@link SkyIndex.within}: writes the ascending row numbers into `out`
   * and returns how many there are. When that exceeds `out.length`, `out` holds only the
   * smallest `out.length` of them; call again with a larger array.
   */
  withinInto(ra: number, dec: number, radius: number, out: Int32Array, options: { kernel?: SkyMatchKernel } = {}): number {
    if (!Number.isFinite(radius) || radius < 0) throw new OptionsError(`radius must be a finite number of arcseconds ≥ 0, got ${radius}`);
    const kernel = options.kernel ?? defaultSkyMatchKernel();
    const q = new Float64Array(3);
    const qid = new Int32Array(1);
    if (writeUnitVectors([ra], [dec], null, 0, 1, q, 0, qid, 0) === 0) return 0;
    const placed = this.placeIn(kernel);
    let capacity = Math.max(64, out.length);
    for (;;) {
      const scratch = placed.ids + placed.bytes;
      const qids = scratch;
      const qcoords = scratch + 8;
      const state = qcoords + 24;
      const outA = state + 8;
      const outB = outA + 4 * capacity;
      const outD2 = align8(outB + 4 * capacity);
      kernel.reserve(outD2 + 8 * capacity - kernel.base);
      const memory = kernel.memory();
      new Int32Array(memory, qids, 1)[0] = 0;
      new Float64Array(memory, qcoords, 3).set(q);
      const done = kernel.pairs(
        placed.size, placed.nodeSize, placed.level, placed.ids, placed.coords, placed.offsets,
        1, qids, qcoords, 0, chordLimit2(radius), outA, outB, outD2, capacity, state,
      );
      if (done === 0) {
        capacity *= 4;
        continue;
      }
      const count = new Int32Array(kernel.memory(), state, 1)[0];
      const found = new Int32Array(kernel.memory(), outB, count).slice().sort();
      out.set(found.subarray(0, Math.min(count, out.length)));
      return count;
    }
  }
}

function writeHeader(buffer: ArrayBuffer, size: number, rows: number, nodeSize: number, level: number, bytes: number): void {
  const view = new DataView(buffer);
  view.setUint32(0, SKY_INDEX_MAGIC, true);
  view.setUint16(4, SKY_INDEX_VERSION, true);
  view.setUint16(6, nodeSize, true);
  view.setUint32(8, size, true);
  view.setUint32(12, rows, true);
  view.setUint32(16, bytes, true);
  view.setUint8(20, level);
}
