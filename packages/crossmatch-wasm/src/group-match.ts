/**
 * N-way matching: rows of three or more catalogues linked by pairs within the limit, grouped
 * into connected components (a friends-of-friends grouping across catalogues, as STILTS
 * `tmatchn multimode=group`). Two rows of the same catalogue are never linked directly but can
 * share a group through rows of other catalogues. By default every linked row is listed;
 * `perCatalog: 'first'` gives STILTS's output rows instead: starlink-table's `RowMatcher`
 * (`findGroupMatches`: pairs, internal links dropped, agglomerated, then `eliminateInternalLinks`
 * again) keeps of each catalogue only the first reference of the group in (table, row) order,
 * that is its lowest-numbered row, and drops the others even when they were the only link to a
 * third catalogue's row (that row stays). Its documentation calls the choice arbitrary; the
 * integration test pins it against STILTS 3.4.7.
 */
import type { CrossmatchOptions, SkyColumns } from './crossmatch.js';
import { crossmatch } from './crossmatch.js';
import { OptionsError } from './errors.js';
import { checkColumns } from './sky-index.js';
import type { SkyMatchKernel } from './sky-match-kernel.js';

/** Options of {@link groupMatch}. */
export interface GroupMatchOptions {
  /** Largest separation of a link, arcseconds (added to the error radii when those are given). */
  radius?: number;
  /** Per-row error radii (arcsec) for each catalogue, or undefined for a catalogue without. */
  errors?: Array<ArrayLike<number> | undefined>;
  /** Kernel to run on. Default: the WebAssembly kernel of the default core. */
  kernel?: SkyMatchKernel;
  /** Rows per leaf of the sky index built for each catalogue (see `SkyIndexOptions.nodeSize`). Default `DEFAULT_NODE_SIZE` (32). */
  nodeSize?: number;
  /**
   * Which rows of one catalogue a group lists: `'all'` (default) every linked row; `'first'`
   * only the lowest-numbered one, as the output rows of STILTS `tmatchn multimode=group`
   * (groups and their order are the same; see the file comment).
   */
  perCatalog?: 'all' | 'first';
}

/**
 * Groups in compressed form: group g has members `offsets[g]` to `offsets[g + 1] - 1`, each a
 * (`catalog`, `row`) pair. Members are sorted by catalogue then row, groups by their first
 * member. Rows without a link are in no group. With `perCatalog: 'first'` a group has at most
 * one member per catalogue and still at least two catalogues.
 */
export interface GroupMatchResult {
  /** Start of each group's members, plus the end: length = groups + 1. */
  offsets: Int32Array;
  /** Catalogue number (index in the input list) of each member. */
  catalog: Int32Array;
  /** Row number in its catalogue of each member. */
  row: Int32Array;
}

function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]]; // path halving
    x = parent[x];
  }
  return x;
}

/**
 * Matches every pair of catalogues (all pairs within the limit) and returns the connected
 * groups of linked rows; see {@link GroupMatchResult}.
 */
export function groupMatch(catalogues: SkyColumns[], options: GroupMatchOptions = {}): GroupMatchResult {
  if (!Array.isArray(catalogues) || catalogues.length < 2) {
    throw new OptionsError(`groupMatch needs at least two catalogues, got ${Array.isArray(catalogues) ? catalogues.length : typeof catalogues}; use crossmatch for two`);
  }
  const perCatalog = options.perCatalog ?? 'all';
  if (perCatalog !== 'all' && perCatalog !== 'first') {
    throw new OptionsError(`perCatalog must be 'all' or 'first', got ${JSON.stringify(perCatalog)}`);
  }
  if (options.errors !== undefined && options.errors.length !== catalogues.length) {
    throw new OptionsError(`errors has ${options.errors.length} entries for ${catalogues.length} catalogues`);
  }
  const start = new Int32Array(catalogues.length + 1);
  catalogues.forEach((c, i) => {
    start[i + 1] = start[i] + checkColumns(`groupMatch catalogue ${i}`, c?.ra, c?.dec);
  });
  const total = start[catalogues.length];
  const parent = new Int32Array(total);
  for (let i = 0; i < total; i++) parent[i] = i;
  const linked = new Uint8Array(total);
  for (let i = 0; i < catalogues.length; i++) {
    for (let j = i + 1; j < catalogues.length; j++) {
      const matchOptions: CrossmatchOptions = {
        radius: options.radius,
        errorA: options.errors?.[i],
        errorB: options.errors?.[j],
        find: 'all',
        kernel: options.kernel,
        nodeSize: options.nodeSize,
      };
      const pairs = crossmatch(catalogues[i], catalogues[j], matchOptions);
      for (let k = 0; k < pairs.aIndex.length; k++) {
        const x = start[i] + pairs.aIndex[k];
        const y = start[j] + pairs.bIndex[k];
        linked[x] = linked[y] = 1;
        const rx = find(parent, x);
        const ry = find(parent, y);
        if (rx !== ry) parent[Math.max(rx, ry)] = Math.min(rx, ry);
      }
    }
  }
  // Number groups by their first member (the smallest global row, since roots are minima), then
  // place members by counting.
  const groupOf = new Int32Array(total).fill(-1);
  const groupOfRoot = new Int32Array(total).fill(-1);
  // For 'first': the last catalogue that placed a member in each group. Rows are visited in
  // (catalogue, row) order, so the first visit of a catalogue is its lowest row.
  const lastCatalogOfGroup = perCatalog === 'first' ? new Int32Array(total).fill(-1) : undefined;
  let groups = 0;
  let members = 0;
  let cx = 0;
  for (let x = 0; x < total; x++) {
    while (x >= start[cx + 1]) cx++;
    if (!linked[x]) continue;
    const r = find(parent, x);
    if (groupOfRoot[r] < 0) groupOfRoot[r] = groups++;
    const g = groupOfRoot[r];
    if (lastCatalogOfGroup) {
      if (lastCatalogOfGroup[g] === cx) continue;
      lastCatalogOfGroup[g] = cx;
    }
    groupOf[x] = g;
    members++;
  }
  const offsets = new Int32Array(groups + 1);
  for (let x = 0; x < total; x++) if (groupOf[x] >= 0) offsets[groupOf[x] + 1]++;
  for (let g = 0; g < groups; g++) offsets[g + 1] += offsets[g];
  const next = offsets.slice(0, groups);
  const catalog = new Int32Array(members);
  const row = new Int32Array(members);
  let c = 0;
  for (let x = 0; x < total; x++) {
    while (x >= start[c + 1]) c++;
    const g = groupOf[x];
    if (g < 0) continue;
    const k = next[g]++;
    catalog[k] = c;
    row[k] = x - start[c];
  }
  return { offsets, catalog, row };
}
