/**
 * The sky-grid operations that both the WebAssembly build (assembly/sky-grid.ts) and the
 * TypeScript twin (reference/sky-grid.ts) implement, over one linear memory addressed by byte
 * offsets, so that one orchestration ({@link crossmatch}, {@link SkyIndex}) drives either and
 * every test runs against each (STYLE §21).
 *
 * Index layout at `ids` (the same bytes as a {@link SkyIndex} buffer after its header):
 * `ids` Int32[n] (row numbers, padded to 8 bytes), `coords` Float64[3n] (x, y, z interleaved),
 * `offsets` Int32[6·4^level + 1] (padded to 8 bytes), `bounds` Int32[6 × 4] (the first and last
 * row and column of cells with rows on each face, last row -1 on an empty face, so that wide
 * searches skip empty sky). Rows are sorted by cell of a grid of
 * 2^level × 2^level cells on each face of the cube (face = major axis and its sign; the cell
 * from the gnomonic coordinates (x_a, x_b) / |x_k| of the two other axes), faces and cell rows in
 * order; cell c holds rows offsets[c] to offsets[c + 1] - 1. A cell of at most `nodeSize` rows
 * keeps them in the order the build's radix sort leaves them; a fuller cell is an implicit
 * kd-tree as in kdbush: node [lo, hi)
 * keeps its median m = (lo + hi) >> 1 and splits into [lo, m) and [m + 1, hi) on the face's two
 * other axes in turn, down to ranges of ≤ nodeSize rows.
 */
export interface SkyMatchKernel {
  /** `reference`, or the WebAssembly variant name. */
  readonly name: string;
  /** First byte offset the caller may use (16-byte aligned). */
  readonly base: number;
  /** Makes sure `bytes` bytes exist from {@link base} on (may replace the memory buffer). */
  reserve(bytes: number): void;
  /** The current memory (views must be rebuilt when this changes). */
  memory(): ArrayBuffer;
  /**
   * Writes the unit vectors of rows [0, count) whose ra (Float64 degrees at `ra`) and dec (at
   * `dec`) are both finite, as x, y, z (Float64) at `coords`, and their row numbers
   * `firstRow + j` (Int32) at `ids`, in row order; returns how many were written. The outputs
   * need room for `count` rows (a skipped row's slot is written, then reused). The vectors are
   * those of `writeUnitVectors` in sky-geometry.ts, bit for bit.
   */
  unitVectors(count: number, ra: number, dec: number, firstRow: number, coords: number, ids: number): number;
  /**
   * Sorts rows [0, n) at ids/coords into grid order in place and writes the offsets;
   * `scratch` is room for n Int32 values, used during the call only.
   */
  build(n: number, nodeSize: number, level: number, ids: number, coords: number, offsets: number, scratch: number): void;
  /**
   * Appends every (query, row, d²) with d² ≤ limit to outA/outB/outD2, for queries [0, qcount):
   * query ids at qids (Int32), vectors at qcoords, and per-query squared-chord limits at qlimits
   * (Float64) or, when qlimits is 0, the single limit `limit2`. Stops before a query whose pairs
   * would not fit in `capacity`; writes the pair count at `state` (Int32) and returns the number
   * of queries done.
   */
  pairs(
    n: number, nodeSize: number, level: number, ids: number, coords: number, offsets: number,
    qcount: number, qids: number, qcoords: number, qlimits: number, limit2: number,
    outA: number, outB: number, outD2: number, capacity: number, state: number,
  ): number;
  /**
   * For each query, the row of least d² ≤ limit (lower row number on ties), appended to
   * outA/outB/outD2 (at most qcount entries); returns the number appended.
   */
  nearest(
    n: number, nodeSize: number, level: number, ids: number, coords: number, offsets: number,
    qcount: number, qids: number, qcoords: number, qlimits: number, limit2: number,
    outA: number, outB: number, outD2: number,
  ): number;
  /**
   * Copies `count` queries (ids, vectors, and limits unless `limits` is 0, laid out as for
   * {@link pairs}) to sortedIds/sortedCoords/sortedLimits in the cell order of the grid of
   * `level` capped at {@link ORDER_MAX_LEVEL} (queries of one cell keep their order), so that
   * they read the index as one sweep. `keys` is room for count Int32, `start` for
   * 6·4^min(level, ORDER_MAX_LEVEL) + 1.
   */
  sortQueries(
    count: number, level: number, ids: number, coords: number, limits: number,
    sortedIds: number, sortedCoords: number, sortedLimits: number, keys: number, start: number,
  ): void;
}

/** Finest grid level of {@link SkyMatchKernel.sortQueries} (its counts stay small per chunk). */
export const ORDER_MAX_LEVEL = 6;

/** Finest grid level: 6·4^15 cells would need 26 GB of offsets. */
export const MAX_GRID_LEVEL = 14;

/**
 * Grid level for n rows: the finest with at least max(1, nodeSize / 8) rows per cell on average
 * (4 to 16 for the default leaf of 32: a small-radius query then tests the rows of one or two
 * cells; 1e6 × 1e6 at 1″ ran 5 % faster than with 1 to 4), so the offsets take at most 4 bytes
 * per row.
 */
export function gridLevel(n: number, nodeSize: number): number {
  const perCell = Math.max(1, nodeSize / 8);
  let level = 0;
  while (level < MAX_GRID_LEVEL && 6 * 4 ** (level + 1) * perCell <= n) level++;
  return level;
}

/** Rounds up to a multiple of 8. */
export function align8(bytes: number): number {
  return (bytes + 7) & ~7;
}

/** Byte offsets of the index arrays relative to the start of the ids array. */
export function indexLayout(n: number, level: number): { coords: number; offsets: number; bounds: number; bytes: number } {
  const coords = align8(4 * n);
  const offsets = coords + 24 * n;
  const bounds = align8(offsets + 4 * (6 * 4 ** level + 1));
  return { coords, offsets, bounds, bytes: bounds + 6 * 16 };
}
