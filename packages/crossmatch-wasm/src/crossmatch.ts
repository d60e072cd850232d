/**
 * Crossmatching two catalogues on the sky with a kd-tree of B (built in the kernel's memory, or
 * a prebuilt {@link SkyIndex}), queried by the rows of A in a spatial order so that neighbouring
 * queries reuse the same tree nodes in cache.
 *
 * Modes (`find`), with the reference tool each one reproduces exactly:
 * - `all`: every pair within the limit (astropy `search_around_sky`, STILTS `find=all`);
 * - `nearest`: for each A row, the nearest B row within the limit (astropy
 *   `match_to_catalog_sky` filtered by separation ≤ limit);
 * - `best1`: the same as `nearest` (STILTS `find=best1`, the best B for each A);
 * - `best2`: for each B row, the nearest A row within the limit (STILTS `find=best2`);
 * - `best`: one-to-one pairs: the best pair of each row of the smaller catalogue, unless a
 *   better such pair takes its partner (STILTS `find=best`; see {@link bestOneToOne}).
 * Ties in separation go to the lower row number. Results are sorted by A row, then B row.
 */
import { OptionsError } from './errors.js';
import {
  appendPairs,
  bestOneToOne,
  createPairList,
  filterPairs,
  nearestPerA,
  nearestPerB,
  sortPairs,
  type PairList,
} from './pair-list.js';
import { chordLimit2, separationArcsec, writeUnitVectors } from './sky-geometry.js';
import { buildInKernel, checkColumns, checkNodeSize, SkyIndex, type PlacedIndex } from './sky-index.js';
import { align8, type SkyMatchKernel } from './sky-match-kernel.js';
import { defaultSkyMatchKernel } from './sky-match-kernels.js';

/** The match modes of {@link crossmatch}. */
export type MatchFind = 'all' | 'nearest' | 'best' | 'best1' | 'best2';

/** Every mode, for validation and command lines. */
export const MATCH_FINDS: readonly MatchFind[] = ['all', 'nearest', 'best', 'best1', 'best2'];

/** Positions of one catalogue: right ascension and declination in degrees, one entry per row. */
export interface SkyColumns {
  /** Right ascension (or any longitude), degrees. */
  ra: ArrayLike<number>;
  /** Declination (or the matching latitude), degrees. */
  dec: ArrayLike<number>;
}

/** Options of {@link crossmatch}. */
export interface CrossmatchOptions {
  /**
   * Largest separation of a pair, arcseconds. Required unless `errorA` or `errorB` is given,
   * in which case it defaults to 0 and adds to them.
   */
  radius?: number;
  /**
   * Per-row error radius of A, arcseconds: a pair matches when its separation is at most
   * `radius + errorA[a] + errorB[b]` (STILTS `skyerr`'s sum of errors). NaN: the row matches
   * nothing. Ranking in the best modes stays by separation.
   */
  errorA?: ArrayLike<number>;
  /** Per-row error radius of B, arcseconds; see `errorA`. */
  errorB?: ArrayLike<number>;
  /** Which pairs to return. Default `best`, as STILTS `tskymatch2`. */
  find?: MatchFind;
  /** Kernel to run on. Default: the WebAssembly kernel of the default core (init/initSync). */
  kernel?: SkyMatchKernel;
  /** Rows per kd-tree leaf when B is a catalogue (ignored for a {@link SkyIndex}). Default 16. */
  nodeSize?: number;
  /** Called after each chunk of A rows with (rows done, rows in all), e.g. for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

/** Matched pairs: parallel arrays sorted by A row, then B row. */
export interface MatchResult {
  /** Row numbers in A. */
  aIndex: Int32Array;
  /** Row numbers in B. */
  bIndex: Int32Array;
  /** Separations, arcseconds: 2 asin(chord / 2) of the unit vectors. */
  separation: Float64Array;
}

/** Queries per call into the kernel; scratch is ~0.6 MiB at this size. */
const CHUNK = 16384;
/** Initial room for pairs per call; grows when one query alone has more. */
const PAIR_CAPACITY = 65536;
/** Relative slack of the candidate limit when B has error radii (the exact test follows). */
const CANDIDATE_SLACK = 1 + 1e-9;

function checkFind(find: unknown): MatchFind {
  if (find === undefined) return 'best';
  if (!MATCH_FINDS.includes(find as MatchFind)) {
    throw new OptionsError(`find must be one of ${MATCH_FINDS.join(', ')}, got "${String(find)}"`);
  }
  return find as MatchFind;
}

function checkErrors(what: string, errors: ArrayLike<number> | undefined, rows: number): ArrayLike<number> | undefined {
  if (errors === undefined) return undefined;
  if (errors == null || typeof errors.length !== 'number' || errors.length !== rows) {
    throw new OptionsError(`${what} must have one error radius (arcsec) per row: ${rows} rows, got ${errors?.length}`);
  }
  for (let i = 0; i < rows; i++) {
    if (errors[i] < 0 || errors[i] === Infinity) {
      throw new OptionsError(`${what}[${i}] = ${errors[i]}: error radii must be finite and ≥ 0 arcsec (NaN for no match)`);
    }
  }
  return errors;
}

function checkRadius(radius: number | undefined, hasErrors: boolean): number {
  if (radius === undefined) {
    if (hasErrors) return 0;
    throw new OptionsError('radius (arcsec) is required unless errorA or errorB gives per-row radii');
  }
  if (typeof radius !== 'number' || !Number.isFinite(radius) || radius < 0) {
    throw new OptionsError(`radius must be a finite number of arcseconds ≥ 0, got ${String(radius)}`);
  }
  return radius;
}

/**
 * Row numbers of A with finite positions, grouped by sky cell (declination zones × right
 * ascension bins, about 16 rows per cell), so that consecutive queries fall in the same few
 * leaves of the tree and the tree stays in cache. One counting sort; within a cell rows stay in
 * increasing order, which keeps the later gather of their positions cheap. @internal
 */
export function spatialOrder(ra: ArrayLike<number>, dec: ArrayLike<number>): Int32Array {
  const rows = ra.length;
  let n = 0;
  for (let i = 0; i < rows; i++) if (Number.isFinite(ra[i]) && Number.isFinite(dec[i])) n++;
  const zones = Math.max(1, Math.min(724, Math.round(Math.sqrt(n / 32))));
  const bins = 2 * zones;
  const cells = zones * bins;
  const cellOf = (alpha: number, delta: number): number => {
    const zone = Math.min(zones - 1, Math.max(0, Math.floor(((delta + 90) / 180) * zones)));
    let wrapped = alpha % 360;
    if (wrapped < 0) wrapped += 360;
    return zone * bins + Math.min(bins - 1, Math.floor((wrapped / 360) * bins));
  };
  const start = new Int32Array(cells + 1);
  for (let i = 0; i < rows; i++) {
    if (Number.isFinite(ra[i]) && Number.isFinite(dec[i])) start[cellOf(ra[i], dec[i]) + 1]++;
  }
  for (let c = 0; c < cells; c++) start[c + 1] += start[c];
  const order = new Int32Array(n);
  for (let i = 0; i < rows; i++) {
    const alpha = ra[i];
    const delta = dec[i];
    if (Number.isFinite(alpha) && Number.isFinite(delta)) order[start[cellOf(alpha, delta)]++] = i;
  }
  return order;
}

/**
 * Where {@link queryIndex} puts each A row's nearest pair instead of a list: `b[row]` (-1 when
 * none) and `d2[row]`. Indexed by row, so the result needs no sort. @internal
 */
export interface DenseNearest {
  b: Int32Array;
  d2: Float64Array;
}

/**
 * Runs A's rows (in the order of {@link spatialOrder}) against the placed index, chunk by
 * chunk, and collects (a, b, d²): every pair within the query's limit (`nearest` false) or
 * each query's nearest, into `dense` when given. `limitOf(row)` gives a per-row squared-chord
 * limit, or null for the single `limit2`. @internal
 */
export function queryIndex(
  kernel: SkyMatchKernel,
  placed: PlacedIndex,
  a: SkyColumns,
  order: Int32Array,
  limit2: number,
  limitOf: ((row: number) => number) | null,
  nearest: boolean,
  onProgress?: (done: number, total: number) => void,
  dense?: DenseNearest,
): PairList {
  const total = order.length;
  // Pairs are kept as exact-size chunks and joined once at the end: growing one list by
  // doubling would hold up to three times the final pairs at its last growth.
  const chunks: PairList[] = [];
  let capacity = nearest ? CHUNK : PAIR_CAPACITY;
  let layout = scratchLayout(placed, capacity);
  kernel.reserve(layout.end - kernel.base);
  const gatheredRa = new Float64Array(CHUNK);
  const gatheredDec = new Float64Array(CHUNK);
  for (let start = 0; start < total; ) {
    const end = Math.min(total, start + CHUNK);
    const count = end - start;
    let memory = kernel.memory();
    const f64 = new Float64Array(memory);
    const qids = new Int32Array(memory, layout.qids, count);
    // gather first, in a loop of independent loads the CPU overlaps, then compute
    for (let k = 0; k < count; k++) {
      const row = order[start + k];
      gatheredRa[k] = a.ra[row];
      gatheredDec[k] = a.dec[row];
    }
    writeUnitVectors(gatheredRa, gatheredDec, null, 0, count, f64, layout.qcoords >> 3, qids, 0);
    qids.set(order.subarray(start, end));
    if (limitOf) for (let q = 0; q < count; q++) f64[(layout.qlimits >> 3) + q] = limitOf(qids[q]);
    const qlimits = limitOf ? layout.qlimits : 0;
    if (nearest) {
      const found = kernel.nearest(
        placed.size, placed.nodeSize, placed.ids, placed.coords, placed.axes,
        count, layout.qids, layout.qcoords, qlimits, limit2, layout.outA, layout.outB, layout.outD2,
      );
      if (dense) {
        const memory = kernel.memory();
        const qa = new Int32Array(memory, layout.outA, found);
        const qb = new Int32Array(memory, layout.outB, found);
        const qd = new Float64Array(memory, layout.outD2, found);
        for (let k = 0; k < found; k++) {
          dense.b[qa[k]] = qb[k];
          dense.d2[qa[k]] = qd[k];
        }
      } else drain(kernel, layout, chunks, found);
      start = end;
    } else {
      let first = 0; // queries of this chunk already done
      while (first < count) {
        const done = kernel.pairs(
          placed.size, placed.nodeSize, placed.ids, placed.coords, placed.axes,
          count - first, layout.qids + 4 * first, layout.qcoords + 24 * first, qlimits === 0 ? 0 : qlimits + 8 * first,
          limit2, layout.outA, layout.outB, layout.outD2, capacity, layout.state,
        );
        memory = kernel.memory();
        drain(kernel, layout, chunks, new Int32Array(memory, layout.state, 1)[0]);
        if (done === 0) {
          // One query has more pairs than the output holds. The outputs sit above the
          // chunk's inputs, so they grow in place and the same query runs again.
          capacity *= 4;
          layout = scratchLayout(placed, capacity);
          kernel.reserve(layout.end - kernel.base);
        }
        first += done;
      }
      start = end;
    }
    onProgress?.(start, total);
  }
  const result = createPairList(chunks.reduce((sum, c) => sum + c.length, 0));
  while (chunks.length > 0) {
    const c = chunks.shift()!;
    appendPairs(result, c.a, c.b, c.d2, c.length);
  }
  return result;
}

interface ScratchLayout {
  qids: number;
  qcoords: number;
  qlimits: number;
  state: number;
  outA: number;
  outB: number;
  outD2: number;
  end: number;
}

function scratchLayout(placed: PlacedIndex, capacity: number): ScratchLayout {
  const qids = align8(placed.ids + placed.bytes);
  const qcoords = align8(qids + 4 * CHUNK);
  const qlimits = qcoords + 24 * CHUNK;
  const state = qlimits + 8 * CHUNK;
  const outA = state + 8;
  const outB = align8(outA + 4 * capacity);
  const outD2 = align8(outB + 4 * capacity);
  return { qids, qcoords, qlimits, state, outA, outB, outD2, end: outD2 + 8 * capacity };
}

function drain(kernel: SkyMatchKernel, layout: ScratchLayout, into: PairList[], count: number): void {
  if (count === 0) return;
  const memory = kernel.memory();
  into.push({
    a: new Int32Array(memory, layout.outA, count).slice(),
    b: new Int32Array(memory, layout.outB, count).slice(),
    d2: new Float64Array(memory, layout.outD2, count).slice(),
    length: count,
  });
}

/** Places B in the kernel: copies a SkyIndex, or builds a tree from columns. */
function placeB(kernel: SkyMatchKernel, b: SkyColumns | SkyIndex, nodeSize: number | undefined): { placed: PlacedIndex; rowsB: number } {
  if (b instanceof SkyIndex) return { placed: b.placeIn(kernel), rowsB: b.rows };
  const rowsB = checkColumns('crossmatch B', b?.ra, b?.dec);
  return { placed: buildInKernel(kernel, b.ra, b.dec, checkNodeSize(nodeSize)), rowsB };
}

function toResult(pairs: PairList): MatchResult {
  const n = pairs.length;
  const separation = new Float64Array(n);
  for (let i = 0; i < n; i++) separation[i] = separationArcsec(pairs.d2[i]);
  return {
    aIndex: pairs.a.length === n ? pairs.a : pairs.a.slice(0, n),
    bIndex: pairs.b.length === n ? pairs.b : pairs.b.slice(0, n),
    separation,
  };
}

/** Validated options of a match. @internal */
export interface CheckedMatch {
  find: MatchFind;
  radius: number;
  errorA: ArrayLike<number> | undefined;
  errorB: ArrayLike<number> | undefined;
  rowsA: number;
  rowsB: number;
}

/** Validates the catalogues and options of {@link crossmatch}. @internal */
export function checkMatch(a: SkyColumns, b: SkyColumns | SkyIndex, options: CrossmatchOptions): CheckedMatch {
  const rowsA = checkColumns('crossmatch A', a?.ra, a?.dec);
  const find = checkFind(options.find);
  const errorA = checkErrors('errorA', options.errorA, rowsA);
  const rowsB = b instanceof SkyIndex ? b.rows : checkColumns('crossmatch B', b?.ra, b?.dec);
  const errorB = checkErrors('errorB', options.errorB, rowsB);
  const radius = checkRadius(options.radius, errorA !== undefined || errorB !== undefined);
  if (options.nodeSize !== undefined) checkNodeSize(options.nodeSize);
  return { find, radius, errorA, errorB, rowsA, rowsB };
}

/** Whether a mode is answered by the nearest-neighbour kernel rather than from all pairs. @internal */
export function viaNearest(m: CheckedMatch): boolean {
  return (m.find === 'nearest' || m.find === 'best1') && !m.errorB;
}

/**
 * The raw pairs of a match before the mode's reduction: every pair within the limit, or each
 * A row's nearest when {@link viaNearest}; with the numbers of finite rows on each side. Row
 * numbers are those of `a` and `b`. @internal
 */
export function matchPairs(
  kernel: SkyMatchKernel,
  a: SkyColumns,
  b: SkyColumns | SkyIndex,
  m: CheckedMatch,
  nodeSize: number | undefined,
  onProgress?: (done: number, total: number) => void,
  dense?: DenseNearest,
): { pairs: PairList; finiteA: number; finiteB: number } {
  const { radius, errorA, errorB } = m;
  const { placed } = placeB(kernel, b, nodeSize);
  const order = spatialOrder(a.ra, a.dec);
  let maxErrorB = 0;
  if (errorB) for (let i = 0; i < m.rowsB; i++) if (errorB[i] > maxErrorB) maxErrorB = errorB[i];
  // With errors on B the kernel finds candidates within the largest possible limit of each A
  // row, and the exact per-pair test below keeps the true pairs; with errors on A only, the
  // per-row limit is exact.
  const limitOf = errorA || errorB
    ? (row: number): number => {
        const limit = radius + (errorA ? errorA[row] : 0) + maxErrorB;
        return errorB ? chordLimit2(limit) * CANDIDATE_SLACK : chordLimit2(limit);
      }
    : null;
  const pairs = queryIndex(kernel, placed, a, order, chordLimit2(radius), limitOf, viaNearest(m), onProgress, dense);
  if (errorB) {
    filterPairs(pairs, (i) => pairs.d2[i] <= chordLimit2(radius + (errorA ? errorA[pairs.a[i]] : 0) + errorB[pairs.b[i]]));
  }
  return { pairs, finiteA: order.length, finiteB: placed.size };
}

/** The mode's reduction of the raw pairs of {@link matchPairs}, as the result. @internal */
export function resolvePairs(pairs: PairList, m: CheckedMatch, finiteA: number, finiteB: number): MatchResult {
  const { rowsA, rowsB } = m;
  switch (m.find) {
    case 'all':
      return toResult(sortPairs(pairs, rowsA, rowsB));
    case 'nearest':
    case 'best1':
      return toResult(viaNearest(m) ? sortPairs(pairs, rowsA, rowsB, true) : nearestPerA(pairs, rowsA, rowsB));
    case 'best2':
      return toResult(nearestPerB(pairs, rowsA, rowsB));
    case 'best':
      return toResult(bestOneToOne(pairs, rowsA, rowsB, scanB(finiteA, finiteB)));
  }
}

/**
 * Matches catalogue A against B (columns, or a prebuilt {@link SkyIndex} of B); see the module
 * comment for the modes. Rows with non-finite positions match nothing.
 *
 * @example
 * const { aIndex, bIndex, separation } = crossmatch(a, b, { radius: 1, find: 'best' });
 */
export function crossmatch(a: SkyColumns, b: SkyColumns | SkyIndex, options: CrossmatchOptions = {}): MatchResult {
  const m = checkMatch(a, b, options);
  const kernel = options.kernel ?? defaultSkyMatchKernel();
  // STILTS best scanning A keeps each A row's nearest, then the best claim on each B row: both
  // steps fit in per-row arrays, like nearest itself (no pair list, no sort)
  const bestViaNearest = m.find === 'best' && !m.errorB && !scanB(countFinite(a), b instanceof SkyIndex ? b.size : countFinite(b));
  if (viaNearest(m) || bestViaNearest) {
    const dense: DenseNearest = { b: new Int32Array(m.rowsA).fill(-1), d2: new Float64Array(m.rowsA) };
    matchPairs(kernel, a, b, { ...m, find: 'nearest' }, options.nodeSize, options.onProgress, dense);
    if (bestViaNearest) keepBestClaims(dense, m.rowsB);
    return denseResult(dense);
  }
  const { pairs, finiteA, finiteB } = matchPairs(kernel, a, b, m, options.nodeSize, options.onProgress);
  return resolvePairs(pairs, m, finiteA, finiteB);
}

function countFinite(c: SkyColumns): number {
  let n = 0;
  for (let i = 0; i < c.ra.length; i++) if (Number.isFinite(c.ra[i]) && Number.isFinite(c.dec[i])) n++;
  return n;
}

/**
 * Drops every A row's nearest pair unless it is the best claim on its B row (least d², then
 * lower A row): the second step of STILTS best when A is scanned (see bestOneToOne).
 */
function keepBestClaims(dense: DenseNearest, rowsB: number): void {
  const claim = new Int32Array(rowsB).fill(-1);
  for (let i = 0; i < dense.b.length; i++) {
    const j = dense.b[i];
    if (j < 0) continue;
    const k = claim[j];
    if (k < 0 || dense.d2[i] < dense.d2[k]) claim[j] = i; // rows ascend: ties keep the lower A row
  }
  for (let i = 0; i < dense.b.length; i++) if (dense.b[i] >= 0 && claim[dense.b[i]] !== i) dense.b[i] = -1;
}

/** The matched rows of a {@link DenseNearest}, in row order. */
function denseResult(dense: DenseNearest): MatchResult {
  let count = 0;
  for (let i = 0; i < dense.b.length; i++) if (dense.b[i] >= 0) count++;
  const result: MatchResult = { aIndex: new Int32Array(count), bIndex: new Int32Array(count), separation: new Float64Array(count) };
  let k = 0;
  for (let i = 0; i < dense.b.length; i++) {
    if (dense.b[i] < 0) continue;
    result.aIndex[k] = i;
    result.bIndex[k] = dense.b[i];
    result.separation[k] = separationArcsec(dense.d2[i]);
    k++;
  }
  return result;
}

/**
 * Whether STILTS `find=best` keeps the best pair of each B row (true) or of each A row: it scans
 * the catalogue with fewer rows, A on a tie (as measured against STILTS 3.4.7 in
 * test/oracles.integration.test.ts and on the 1e6 × 1e6 benchmark). Counts are of rows with
 * finite positions. @internal
 */
export function scanB(finiteA: number, finiteB: number): boolean {
  return finiteB < finiteA;
}

/** Options of {@link matchToCatalogSky}. */
export interface MatchToCatalogOptions {
  /** Only report neighbours within this many arcseconds. Default: no limit (astropy's behaviour). */
  radius?: number;
  /** Kernel to run on. Default: the WebAssembly kernel of the default core. */
  kernel?: SkyMatchKernel;
  /** Rows per kd-tree leaf when the catalogue is given as columns. Default 16. */
  nodeSize?: number;
}

/**
 * The nearest catalogue row for every row of A, as astropy's `match_to_catalog_sky`:
 * `index[i]` is the catalogue row nearest to A row i (lower row on ties; -1 when none lies
 * within `radius` or A's position is not finite) and `separation[i]` its separation in
 * arcseconds (NaN when none).
 */
export function matchToCatalogSky(
  a: SkyColumns,
  catalog: SkyColumns | SkyIndex,
  options: MatchToCatalogOptions = {},
): { index: Int32Array; separation: Float64Array } {
  const rows = checkColumns('matchToCatalogSky A', a?.ra, a?.dec);
  const index = new Int32Array(rows);
  const separation = new Float64Array(rows);
  matchToCatalogSkyInto(a, catalog, index, separation, options);
  return { index, separation };
}

/**
 * Allocation-light twin of {@link matchToCatalogSky}: fills `index` and `separation` (at least
 * as long as A) and returns the number of A rows that have a neighbour.
 */
export function matchToCatalogSkyInto(
  a: SkyColumns,
  catalog: SkyColumns | SkyIndex,
  index: Int32Array,
  separation: Float64Array,
  options: MatchToCatalogOptions = {},
): number {
  const rows = checkColumns('matchToCatalogSky A', a?.ra, a?.dec);
  if (index.length < rows || separation.length < rows) {
    throw new OptionsError(`matchToCatalogSkyInto: outputs have ${Math.min(index.length, separation.length)} elements, need ${rows}`);
  }
  const limit2 = options.radius === undefined ? 4 : chordLimit2(checkRadius(options.radius, false));
  const kernel = options.kernel ?? defaultSkyMatchKernel();
  const { placed } = placeB(kernel, catalog, options.nodeSize);
  index.fill(-1, 0, rows);
  // the squared chords go to `separation` first, then become arcseconds in place
  const dense: DenseNearest = { b: index.subarray(0, rows), d2: separation.subarray(0, rows) };
  queryIndex(kernel, placed, a, spatialOrder(a.ra, a.dec), limit2, null, true, undefined, dense);
  let count = 0;
  for (let i = 0; i < rows; i++) {
    if (index[i] < 0) separation[i] = NaN;
    else {
      separation[i] = separationArcsec(separation[i]);
      count++;
    }
  }
  return count;
}
