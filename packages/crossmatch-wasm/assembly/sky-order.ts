// The order in which a chunk of query rows runs against a sky index (assembly/sky-grid.ts):
// sorted by a cell of the index's grid, in the index's own order, so that consecutive queries
// read the same few cells and the index is read as one sweep rather than at random (1e6 queries
// in row order take about seven times as long as in cell order, chunks of 65 536 rows sorted
// this way about 1.3 times). Twin of sortQueries in src/reference/sky-grid.ts.

import { cellOf } from './sky-grid';

/** Finest grid level used for the order: 6·4^6 = 24 576 cells, small enough to count per chunk. */
const ORDER_MAX_LEVEL = 6;

/**
 * Copies `count` queries (Int32 ids, Float64 x, y, z vectors, and Float64 limits unless
 * `limits` is 0) into sortedIds/sortedCoords/sortedLimits in cell order of the grid of `level`
 * (capped at ORDER_MAX_LEVEL), queries of one cell in their input order. `keys` holds count
 * Int32 and `start` 6·4^level + 1 Int32 during the call.
 */
export function sortQueries(
  count: i32, level: i32, ids: usize, coords: usize, limits: usize,
  sortedIds: usize, sortedCoords: usize, sortedLimits: usize, keys: usize, start: usize,
): void {
  const l = min<i32>(level, ORDER_MAX_LEVEL);
  const g = 1 << l;
  const half = <f64>g * 0.5;
  const cells = 6 * g * g;
  memory.fill(start, 0, (<usize>cells + 1) << 2);
  for (let q = 0; q < count; q++) {
    const cell = cellOf(coords + <usize>q * 24, g, half);
    store<i32>(keys + (<usize>q << 2), cell);
    const p = start + (<usize>(cell + 1) << 2);
    store<i32>(p, load<i32>(p) + 1);
  }
  for (let c = 0; c < cells; c++) {
    const p = start + (<usize>(c + 1) << 2);
    store<i32>(p, load<i32>(p) + load<i32>(p - 4));
  }
  for (let q = 0; q < count; q++) {
    const p = start + (<usize>load<i32>(keys + (<usize>q << 2)) << 2);
    const d = load<i32>(p);
    store<i32>(p, d + 1);
    store<i32>(sortedIds + (<usize>d << 2), load<i32>(ids + (<usize>q << 2)));
    const from = coords + <usize>q * 24;
    const to = sortedCoords + <usize>d * 24;
    store<f64>(to, load<f64>(from));
    store<f64>(to, load<f64>(from, 8), 8);
    store<f64>(to, load<f64>(from, 16), 16);
    if (limits != 0) store<f64>(sortedLimits + (<usize>d << 3), load<f64>(limits + (<usize>q << 3)));
  }
}
