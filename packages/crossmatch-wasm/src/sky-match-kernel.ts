/**
 * The kd-tree operations that both the WebAssembly build (assembly/kdtree.ts) and the
 * TypeScript twin (reference/sky-kdtree.ts) implement, over one linear memory addressed by byte
 * offsets, so that one orchestration ({@link crossmatch}, {@link SkyIndex}) drives either and
 * every test runs against each (STYLE §21).
 *
 * Index layout at `ids` (the same bytes as a {@link SkyIndex} buffer after its header):
 * `ids` Int32[n] (row numbers, padded to 8 bytes), `coords` Float64[3n] (x, y, z interleaved),
 * `axes` Uint8[axesLength(n, nodeSize)] (split axis of each internal node, heap-numbered from 1).
 * The tree is implicit, as in kdbush: node [lo, hi) keeps its median m = (lo + hi) >> 1 and
 * splits into [lo, m) and [m + 1, hi) on its widest axis; ranges of ≤ nodeSize rows are leaves.
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
  /** Sorts rows [0, n) at ids/coords into kd order in place and writes the split axes. */
  build(n: number, nodeSize: number, ids: number, coords: number, axes: number): void;
  /**
   * Appends every (query, row, d²) with d² ≤ limit to outA/outB/outD2, for queries [0, qcount):
   * query ids at qids (Int32), vectors at qcoords, and per-query squared-chord limits at qlimits
   * (Float64) or, when qlimits is 0, the single limit `limit2`. Stops before a query whose pairs
   * would not fit in `capacity`; writes the pair count at `state` (Int32) and returns the number
   * of queries done.
   */
  pairs(
    n: number, nodeSize: number, ids: number, coords: number, axes: number,
    qcount: number, qids: number, qcoords: number, qlimits: number, limit2: number,
    outA: number, outB: number, outD2: number, capacity: number, state: number,
  ): number;
  /**
   * For each query, the row of least d² ≤ limit (lower row number on ties), appended to
   * outA/outB/outD2 (at most qcount entries); returns the number appended.
   */
  nearest(
    n: number, nodeSize: number, ids: number, coords: number, axes: number,
    qcount: number, qids: number, qcoords: number, qlimits: number, limit2: number,
    outA: number, outB: number, outD2: number,
  ): number;
}

/** Bytes of the axes array of a tree of n rows with leaves of ≤ nodeSize rows (≥ 8). */
export function axesLength(n: number, nodeSize: number): number {
  // A node of s rows has children of ⌊s/2⌋ and ⌈s/2⌉ − 1 rows, so depth d holds at most
  // ⌊n / 2^d⌋ rows and the internal nodes are those above the first depth where that is a leaf.
  let depth = 0;
  while (Math.floor(n / 2 ** depth) > nodeSize) depth++;
  return Math.max(8, 2 ** depth);
}

/** Rounds up to a multiple of 8. */
export function align8(bytes: number): number {
  return (bytes + 7) & ~7;
}

/** Byte offsets of the three index arrays relative to the start of the ids array. */
export function indexLayout(n: number, nodeSize: number): { coords: number; axes: number; bytes: number } {
  const coords = align8(4 * n);
  const axes = coords + 24 * n;
  return { coords, axes, bytes: align8(axes + axesLength(n, nodeSize)) };
}
