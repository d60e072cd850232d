/**
 * Crossmatching two catalogues on the sky with a sky index of B (a grid on the cube's faces,
 * built in the kernel's memory, or a prebuilt {@link SkyIndex}), queried by the rows of A in
 * the index's cell order so that consecutive queries read the same cells in cache.
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
import { chordLimit2, separationArcsec } from './sky-geometry.js';
import { buildInKernel, checkColumns, checkNodeSize, SkyIndex, writeUnitVectorsInKernel, type PlacedIndex } from './sky-index.js';
import { align8, ORDER_MAX_LEVEL, type SkyMatchKernel } from './sky-match-kernel.js';
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
  /** Rows per leaf of the index when B is a catalogue (ignored for a {@link SkyIndex}); see `DEFAULT_NODE_SIZE`. Default 32. */
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

/**
 * Rows of A per call into the kernel (scratch ≈ 6 MiB): sorted by cell, chunks of this size
 * read the index nearly as well as all of A sorted at once, at a fraction of the memory.
 */
const CHUNK = 65536;
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
 * Where {@link queryIndex} puts each A row's nearest pair instead of a list: `b[row]` (-1 when
 * none) and `d2[row]`. Indexed by row, so the result needs no sort. @internal
 */
export interface DenseNearest {
  b: Int32Array;
  d2: Float64Array;
}

/**
 * Runs A's finite rows against the placed index, chunk by chunk: the unit vectors of a chunk
 * of rows are computed in row order (no random reads of A's columns), sorted by the index's
 * cells in the kernel (sortQueries), then queried. Collects (a, b, d²): every pair within the
 * query's limit (`nearest` false) or each query's nearest, into `dense` when given.
 * `limitOf(row)` gives a per-row squared-chord limit, or null for the single `limit2`. Returns
 * the pairs as lists that, one after the other, are sorted by A row, then B row, and the number
 * of finite rows of A. @internal
 */
export function queryIndex(
  kernel: SkyMatchKernel,
  placed: PlacedIndex,
  a: SkyColumns,
  limit2: number,
  limitOf: ((row: number) => number) | null,
  nearest: boolean,
  onProgress?: (done: number, total: number) => void,
  dense?: DenseNearest,
): { pieces: PairList[]; finite: number } {
  const rows = a.ra.length;
  const total = onProgress ? countFinite(a) : 0;
  // Pairs are kept as exact-size lists, sorted per chunk of A rows (whose rows all come after
  // the previous chunk's), never as one list grown by doubling, which would hold up to three
  // times the final pairs at its last growth.
  const pieces: PairList[] = [];
  const counts = new Int32Array(CHUNK + 1);
  let capacity = nearest ? CHUNK : PAIR_CAPACITY;
  let layout = scratchLayout(placed, capacity);
  kernel.reserve(layout.end - kernel.base);
  let finite = 0;
  for (let start = 0; start < rows; start += CHUNK) {
    const end = Math.min(rows, start + CHUNK);
    let memory = kernel.memory();
    const f64 = new Float64Array(memory);
    const rawIds = new Int32Array(memory, layout.rawIds, CHUNK);
    // the columns are staged where sortQueries writes the sorted vectors later (24·CHUNK bytes ≥ 16·CHUNK)
    const count = writeUnitVectorsInKernel(kernel, a.ra, a.dec, start, end, layout.qcoords, layout.rawCoords, layout.rawIds);
    if (count === 0) continue;
    if (limitOf) for (let q = 0; q < count; q++) f64[(layout.rawLimits >> 3) + q] = limitOf(rawIds[q]);
    kernel.sortQueries(
      count, placed.level, layout.rawIds, layout.rawCoords, limitOf ? layout.rawLimits : 0,
      layout.qids, layout.qcoords, layout.qlimits, layout.keys, layout.start,
    );
    const qlimits = limitOf ? layout.qlimits : 0;
    let found = 0; // pairs of this chunk in the outputs
    if (nearest) {
      found = kernel.nearest(
        placed.size, placed.nodeSize, placed.level, placed.ids, placed.coords, placed.offsets,
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
        found = 0;
      }
    } else {
      let first = 0; // queries of this chunk already done
      while (first < count) {
        const done = kernel.pairs(
          placed.size, placed.nodeSize, placed.level, placed.ids, placed.coords, placed.offsets,
          count - first, layout.qids + 4 * first, layout.qcoords + 24 * first, qlimits === 0 ? 0 : qlimits + 8 * first,
          limit2, layout.outA + 4 * found, layout.outB + 4 * found, layout.outD2 + 8 * found, capacity - found, layout.state,
        );
        found += new Int32Array(kernel.memory(), layout.state, 1)[0];
        first += done;
        if (first < count) {
          // The outputs are full. They sit above the chunk's inputs, so they grow in place (the
          // pairs found so far move up with them) and the chunk resumes at the first query left.
          capacity *= 4;
          const grown = scratchLayout(placed, capacity);
          kernel.reserve(grown.end - kernel.base);
          const memory = kernel.memory();
          new Float64Array(memory).copyWithin(grown.outD2 >> 3, layout.outD2 >> 3, (layout.outD2 >> 3) + found);
          new Int32Array(memory).copyWithin(grown.outB >> 2, layout.outB >> 2, (layout.outB >> 2) + found);
          layout = grown;
        }
      }
    }
    if (found > 0) {
      // sorted by A row straight from the outputs: one exact-size list per chunk, no copies
      const memory = kernel.memory();
      const outputs: PairList = {
        a: new Int32Array(memory, layout.outA, found),
        b: new Int32Array(memory, layout.outB, found),
        d2: new Float64Array(memory, layout.outD2, found),
        length: found,
      };
      pieces.push(sortPairs(outputs, end - start, nearest, counts, start));
    }
    finite += count;
    onProgress?.(finite, total);
  }
  return { pieces, finite };
}

/** One list of the chunks (each released once copied). */
function joinChunks(chunks: PairList[]): PairList {
  const result = createPairList(chunks.reduce((sum, c) => sum + c.length, 0));
  while (chunks.length > 0) {
    const c = chunks.shift()!;
    appendPairs(result, c.a, c.b, c.d2, c.length);
  }
  return result;
}

interface ScratchLayout {
  rawIds: number;
  rawCoords: number;
  rawLimits: number;
  keys: number;
  start: number;
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
  const rawIds = align8(placed.ids + placed.bytes);
  const rawCoords = align8(rawIds + 4 * CHUNK);
  const rawLimits = rawCoords + 24 * CHUNK;
  const keys = rawLimits + 8 * CHUNK;
  const start = keys + 4 * CHUNK;
  const qids = align8(start + 4 * (6 * 4 ** ORDER_MAX_LEVEL + 1));
  const qcoords = align8(qids + 4 * CHUNK);
  const qlimits = qcoords + 24 * CHUNK;
  const state = qlimits + 8 * CHUNK;
  const outA = state + 8;
  const outB = align8(outA + 4 * capacity);
  const outD2 = align8(outB + 4 * capacity);
  return { rawIds, rawCoords, rawLimits, keys, start, qids, qcoords, qlimits, state, outA, outB, outD2, end: outD2 + 8 * capacity };
}

/** Places B in the kernel: copies a SkyIndex, or builds an index from columns. */
function placeB(kernel: SkyMatchKernel, b: SkyColumns | SkyIndex, nodeSize: number | undefined): { placed: PlacedIndex; rowsB: number } {
  if (b instanceof SkyIndex) return { placed: b.placeIn(kernel), rowsB: b.rows };
  const rowsB = checkColumns('crossmatch B', b?.ra, b?.dec);
  return { placed: buildInKernel(kernel, b.ra, b.dec, checkNodeSize(nodeSize)), rowsB };
}

function toResult(pairs: PairList): MatchResult {
  const n = pairs.length;
  // the squared chords become separations in place when the list is exact-size (the lists
  // reaching here are the reductions' fresh copies), which saves one array of the result's size
  const separation = pairs.d2.length === n ? pairs.d2 : new Float64Array(n);
  for (let i = 0; i < n; i++) separation[i] = separationArcsec(pairs.d2[i]);
  return {
    aIndex: pairs.a.length === n ? pairs.a : pairs.a.slice(0, n),
    bIndex: pairs.b.length === n ? pairs.b : pairs.b.slice(0, n),
    separation,
  };
}

/**
 * The result of pairs given as lists in order, built one output array at a time, each list's
 * array dropped once copied: the garbage collector can reclaim the lists while the result
 * grows, instead of both being whole at once.
 */
function piecesToResult(pieces: PairList[]): MatchResult {
  const n = pieces.reduce((sum, p) => sum + p.length, 0);
  // the widest array first, while the lists are whole; then each narrower one as they shrink
  const separation = new Float64Array(n);
  let k = 0;
  for (const p of pieces) {
    for (let i = 0; i < p.length; i++) separation[k++] = separationArcsec(p.d2[i]);
    p.d2 = new Float64Array(0);
  }
  const aIndex = new Int32Array(n);
  k = 0;
  for (const p of pieces) {
    aIndex.set(p.a.subarray(0, p.length), k);
    p.a = new Int32Array(0);
    k += p.length;
  }
  const bIndex = new Int32Array(n);
  k = 0;
  while (pieces.length > 0) {
    const p = pieces.shift()!;
    bIndex.set(p.b.subarray(0, p.length), k);
    k += p.length;
  }
  return { aIndex, bIndex, separation };
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
 * A row's nearest when {@link viaNearest}, sorted by A row then B row; with the numbers of
 * finite rows on each side. Row numbers are those of `a` and `b`. @internal
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
  return matchPlaced(kernel, a, placeB(kernel, b, nodeSize).placed, m, onProgress, dense);
}

/** {@link matchPairs} against an index already placed in the kernel. */
function matchPlaced(
  kernel: SkyMatchKernel,
  a: SkyColumns,
  placed: PlacedIndex,
  m: CheckedMatch,
  onProgress?: (done: number, total: number) => void,
  dense?: DenseNearest,
): { pairs: PairList; finiteA: number; finiteB: number } {
  const { radius, errorA, errorB } = m;
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
  const { pieces, finite } = queryIndex(kernel, placed, a, chordLimit2(radius), limitOf, viaNearest(m), onProgress, dense);
  const pairs = joinChunks(pieces);
  if (errorB) {
    filterPairs(pairs, (i) => pairs.d2[i] <= chordLimit2(radius + (errorA ? errorA[pairs.a[i]] : 0) + errorB[pairs.b[i]]));
  }
  return { pairs, finiteA: finite, finiteB: placed.size };
}

/**
 * The mode's reduction of the raw pairs of {@link matchPairs}, as the result; `sorted` when the
 * pairs are in A row, then B row order already (as matchPairs returns them). @internal
 */
export function resolvePairs(pairs: PairList, m: CheckedMatch, finiteA: number, finiteB: number, sorted = false): MatchResult {
  const { rowsA, rowsB } = m;
  switch (m.find) {
    case 'all':
      return toResult(sorted ? pairs : sortPairs(pairs, rowsA));
    case 'nearest':
    case 'best1':
      return toResult(!viaNearest(m) ? nearestPerA(pairs, rowsA, rowsB) : sorted ? pairs : sortPairs(pairs, rowsA, true));
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
  const { placed } = placeB(kernel, b, options.nodeSize);
  // STILTS best scanning A keeps each A row's nearest, then the best claim on each B row: both
  // steps fit in per-row arrays, like nearest itself (no pair list, no sort)
  const bestViaNearest = m.find === 'best' && !m.errorB && !scanB(countFinite(a), placed.size);
  if (viaNearest(m) || bestViaNearest || (m.find === 'all' && !m.errorB)) {
    // each A row's nearest, or every pair, already in order: straight from the chunks' sorted
    // lists into the result
    const nearest = m.find !== 'all';
    const limitOf = m.errorA ? (row: number): number => chordLimit2(m.radius + m.errorA![row]) : null;
    const { pieces } = queryIndex(kernel, placed, a, chordLimit2(m.radius), limitOf, nearest, options.onProgress);
    if (bestViaNearest) keepBestClaims(pieces, m.rowsB);
    return piecesToResult(pieces);
  }
  const { pairs, finiteA, finiteB } = matchPlaced(kernel, a, placed, m, options.onProgress);
  return resolvePairs(pairs, m, finiteA, finiteB, true);
}

function countFinite(c: SkyColumns): number {
  let n = 0;
  for (let i = 0; i < c.ra.length; i++) if (Number.isFinite(c.ra[i]) && Number.isFinite(c.dec[i])) n++;
  return n;
}

/**
 * Drops every A row's nearest pair unless it is the best claim on its B row (least d², then
 * lower A row): the second step of STILTS best when A is scanned (see bestOneToOne). The pairs
 * are lists in A row order of at most 65 536 pairs each (one per chunk), so a claim is held as
 * list number · 65 536 + position.
 */
function keepBestClaims(pieces: PairList[], rowsB: number): void {
  const claim = new Int32Array(rowsB).fill(-1);
  for (let p = 0; p < pieces.length; p++) {
    const { b, d2, length } = pieces[p];
    for (let i = 0; i < length; i++) {
      const k = claim[b[i]];
      // rows ascend: ties keep the lower A row
      if (k < 0 || d2[i] < pieces[k >>> 16].d2[k & 0xffff]) claim[b[i]] = (p << 16) | i;
    }
  }
  for (let p = 0; p < pieces.length; p++) {
    const piece = pieces[p];
    let kept = 0;
    for (let i = 0; i < piece.length; i++) {
      if (claim[piece.b[i]] !== ((p << 16) | i)) continue;
      piece.a[kept] = piece.a[i];
      piece.b[kept] = piece.b[i];
      piece.d2[kept] = piece.d2[i];
      kept++;
    }
    piece.length = kept;
  }
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
  /** Rows per leaf of the index when the catalogue is given as columns. Default 32. */
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
  queryIndex(kernel, placed, a, limit2, null, true, undefined, dense);
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
