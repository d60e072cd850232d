/**
 * Efficient uploads: send only the columns a query needs (a key-only upload: an id and a
 * position, say, rather than fifty photometry columns), in batches of bounded size, and merge
 * the batch results into one table. This is how a large local catalogue is cross-matched
 * against a TAP service within its upload limit, and the scale-out path when a local
 * crossmatch is not an option.
 */
import { Column, tableFromArrays, type CellInput, type ColumnSpec, type Table, type VOTableDocument } from '@vokit/votable';
import { DALOptionsError } from './errors.js';
import { fanout } from './fanout.js';
import { DALResults } from './results.js';
import type { TAPQueryOptions, TAPService } from './tap.js';
import { TAPResults } from './tap.js';

/** Options of {@link uploadInBatches}. */
export interface UploadBatchesOptions extends Omit<TAPQueryOptions, 'uploads'> {
  /** Name of the upload in the query (`TAP_UPLOAD.<name>`); default `batch` (DaCHS 2.7 refuses the name `upload`). */
  uploadName?: string;
  /** Columns to upload (key-only upload); default all. */
  columns?: readonly string[];
  /** Rows per batch; default 10,000. */
  batchSize?: number;
  /** Batches in flight at once; default 1 (services limit concurrent jobs per client). */
  concurrency?: number;
  /** Run each batch as an async job instead of sync; default false. */
  async?: boolean;
}

/** Results of a batched upload query: the merged table plus what each batch did. */
export class BatchedResults extends DALResults {
  /** Rows each batch uploaded, and whether its result overflowed. */
  readonly batches: { rows: number; resultRows: number; overflow: boolean }[];
  constructor(doc: VOTableDocument, batches: BatchedResults['batches'], url?: string) {
    super(doc, { url });
    this.batches = batches;
  }
  /** True when any batch's result was cut at the row limit. */
  override get overflow(): boolean {
    return this.batches.some((b) => b.overflow);
  }
}

/** Rows `[start, end)` of `table`, restricted to `columns`, as a new table (for upload). */
export function sliceTable(table: Table, start: number, end: number, columns?: readonly string[]): Table {
  const chosen = columns
    ? columns.map((name) => {
        const c = table.columns.find((x) => x.name === name);
        if (!c) throw new DALOptionsError(`no column "${name}" in the table to upload; it has ${table.columns.map((x) => x.name).join(', ')}`);
        return c;
      })
    : table.columns;
  const specs: { [name: string]: ColumnSpec } = {};
  for (const c of chosen) {
    const values: CellInput[] = new Array(end - start);
    const nulls = new Uint8Array(end - start);
    for (let i = start; i < end; i++) {
      const v = c.get(i);
      values[i - start] = v as CellInput;
      if (v === null) nulls[i - start] = 1;
    }
    specs[c.name] = {
      values,
      nulls,
      datatype: c.datatype,
      arraysize: c.field.arraysize,
      unit: c.field.unit,
      ucd: c.field.ucd,
      utype: c.field.utype,
      xtype: c.field.xtype,
    };
  }
  return tableFromArrays({ name: table.name ?? 'upload', columns: specs });
}

function concatTyped<T extends Column['values']>(parts: T[]): T {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new (parts[0].constructor as new (n: number) => T)(total);
  let at = 0;
  for (const p of parts) {
    (out as unknown as { set(a: T, o: number): void }).set(p, at);
    at += p.length;
  }
  return out;
}

/** One column made of `parts` (same FIELD layout), rows in order; offsets rebased, validity re-packed. */
export function concatColumns(parts: readonly Column[]): Column {
  if (parts.length === 0) throw new DALOptionsError('concatColumns needs at least one column');
  if (parts.length === 1) return parts[0];
  const length = parts.reduce((n, p) => n + p.length, 0);
  const values = concatTyped(parts.map((p) => p.values));
  let validity: Uint8Array | null = null;
  if (parts.some((p) => p.validity)) {
    validity = new Uint8Array(Math.ceil(length / 8));
    let row = 0;
    for (const p of parts) {
      for (let i = 0; i < p.length; i++, row++) if (p.isValid(i)) validity[row >> 3] |= 1 << (row & 7);
    }
  }
  let offsets: Int32Array | null = null;
  if (parts[0].offsets) {
    offsets = new Int32Array(length + 1);
    let row = 0;
    let base = 0;
    for (const p of parts) {
      const o = p.offsets as Int32Array;
      for (let i = 0; i < p.length; i++) offsets[row++] = base + o[i];
      base += o[p.length];
    }
    offsets[length] = base;
  }
  let stringOffsets: Int32Array | null = null;
  if (parts[0].stringOffsets) {
    const count = parts.reduce((n, p) => n + (p.stringOffsets as Int32Array).length - 1, 0);
    stringOffsets = new Int32Array(count + 1);
    let k = 0;
    let base = 0;
    for (const p of parts) {
      const so = p.stringOffsets as Int32Array;
      for (let i = 0; i < so.length - 1; i++) stringOffsets[k++] = base + so[i];
      base += so[so.length - 1];
    }
    stringOffsets[count] = base;
  }
  return new Column({ field: parts[0].field, length, values, validity, offsets, stringOffsets });
}

/**
 * Runs `query` once per batch of `table`'s rows, each uploaded as `TAP_UPLOAD.<uploadName>`
 * with only `columns`, and merges the results in batch order.
 * ```ts
 * const matches = await uploadInBatches(tap, mine,
 *   'SELECT u.id, s.source_id FROM TAP_UPLOAD.batch AS u JOIN vokit.sources AS s ' +
 *   'ON 1 = CONTAINS(POINT(s.ra, s.dec), CIRCLE(u.ra, u.dec, 0.001))',
 *   { columns: ['id', 'ra', 'dec'], batchSize: 5000 });
 * ```
 * A batch that fails fails the whole call (with that batch's error); finished batches are
 * not retried.
 */
export async function uploadInBatches(
  service: TAPService,
  table: Table,
  query: string,
  options: UploadBatchesOptions = {},
): Promise<BatchedResults> {
  const batchSize = options.batchSize ?? 10_000;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new DALOptionsError(`batchSize must be an integer >= 1, got ${batchSize}`);
  const name = options.uploadName ?? 'batch';
  const ranges: [number, number][] = [];
  for (let start = 0; start < table.rowCount; start += batchSize) ranges.push([start, Math.min(table.rowCount, start + batchSize)]);
  if (ranges.length === 0) ranges.push([0, 0]);
  const { columns, concurrency, async: useAsync, uploadName: _name, batchSize: _size, ...queryOptions } = options;
  const reports = await fanout(
    ranges.map(([start, end], i) => ({
      id: `batch ${i} (rows ${start}..${end - 1})`,
      run: (signal: AbortSignal) => {
        const o = { ...queryOptions, signal, timeout: undefined, uploads: { [name]: sliceTable(table, start, end, columns) } };
        return useAsync ? service.runAsync(query, o) : service.runSync(query, o);
      },
    })),
    { concurrency: concurrency ?? 1, timeout: options.timeout, signal: options.signal },
  );
  const failed = reports.find((r) => !r.ok);
  if (failed) throw failed.error;
  const results = reports.map((r) => r.value as TAPResults);
  const first = results[0];
  const merged: Table = {
    ...first.table,
    columns: first.table.columns.map((_, k) => concatColumns(results.map((r) => r.table.columns[k]))),
    rowCount: results.reduce((n, r) => n + r.length, 0),
  };
  const resource = { ...first.resource, tables: first.resource.tables.map((t) => (t === first.table ? merged : t)) };
  const doc: VOTableDocument = { ...first.votable, resources: first.votable.resources.map((r) => (r === first.resource ? resource : r)) };
  return new BatchedResults(
    doc,
    results.map((r, i) => ({ rows: ranges[i][1] - ranges[i][0], resultRows: r.length, overflow: r.overflow })),
    first.queryUrl,
  );
}
