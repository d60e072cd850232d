/**
 * Results of a DAL query: the VOTable's results table with pyvo's accessors (`fieldnames`,
 * `getColumn`, `fieldnameWithUcd`, records by index or iteration), the query status and an
 * `overflow` flag. Records are views over the columns, not copies of the rows.
 */
import type { CellValue, Column, Field, Resource, Table, VOTableDocument } from '@vokit/votable';
import { DALFormatError } from './errors.js';
import type { QueryStatus } from './status.js';
import { queryStatusOf } from './status.js';
import { ucdMatches } from './ucd.js';

/** The table a DAL response's data live in: the first table of the first `type="results"`
 * RESOURCE (DALI 1.1 §4.4), else the first table anywhere. */
export function findResultsTable(doc: VOTableDocument): { resource: Resource; table: Table } | undefined {
  const walk = (resources: Resource[], wantResults: boolean): { resource: Resource; table: Table } | undefined => {
    for (const r of resources) {
      if ((!wantResults || r.type === 'results') && r.tables.length > 0) return { resource: r, table: r.tables[0] };
      const inner = walk(r.resources, wantResults);
      if (inner) return inner;
    }
    return undefined;
  };
  return walk(doc.resources, true) ?? walk(doc.resources, false);
}

/** Case-insensitive comparison for utypes: their prefixes vary (`ssa:`, `ssldm:`...). */
function utypeMatches(actual: string | undefined, wanted: string): boolean {
  if (!actual) return false;
  const a = actual.toLowerCase();
  const w = wanted.toLowerCase();
  if (a === w) return true;
  // compare without the namespace prefix when the caller gave none
  const bare = (s: string) => s.slice(s.indexOf(':') + 1);
  return !w.includes(':') ? bare(a) === w : bare(a) === bare(w);
}

/** One row of a result, read through its columns. */
export class Record {
  constructor(
    /** The results this record belongs to. */
    readonly results: DALResults,
    /** 0-based row index. */
    readonly index: number,
  ) {}

  /** The value of column `name` (a FIELD name or ID); throws for an unknown column. */
  get(name: string): CellValue {
    return this.results.getColumn(name).get(this.index);
  }

  /** The value of the first column whose UCD matches `ucd` (see `ucdMatches`), or undefined. */
  getByUcd(ucd: string): CellValue | undefined {
    const name = this.results.fieldnameWithUcd(ucd);
    return name === undefined ? undefined : this.get(name);
  }

  /** The value of the first column with utype `utype` (prefix-insensitive), or undefined. */
  getByUtype(utype: string): CellValue | undefined {
    const name = this.results.fieldnameWithUtype(utype);
    return name === undefined ? undefined : this.get(name);
  }

  /** The row as a plain object keyed by column name. */
  toObject(): { [name: string]: CellValue } {
    const out: { [name: string]: CellValue } = {};
    for (const c of this.results.table.columns) out[c.name] = c.get(this.index);
    return out;
  }

  /**
   * The dataset URL of this row, when the protocol defines one (SIA's
   * `VOX:Image_AccessReference`, SSA's `Access.Reference`, ObsCore's `access_url`), else
   * undefined. Protocol records override this.
   */
  getdataurl(): string | undefined {
    const r = this.results;
    const name =
      r.fieldnameWithUtype('Access.Reference') ??
      r.fieldnameWithUcd('VOX:Image_AccessReference') ??
      (r.hasColumn('access_url') ? 'access_url' : undefined) ??
      r.fieldnameWithUcd('meta.ref.url');
    if (name === undefined) return undefined;
    const value = this.get(name);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
}

/** Options for building results. */
export interface ResultsOptions {
  /** The URL the results came from (for messages). */
  url?: string;
}

/** A parsed DAL response (pyvo `DALResults`). */
export class DALResults<R extends Record = Record> implements Iterable<R> {
  /** The whole parsed VOTable. */
  readonly votable: VOTableDocument;
  /** The results table (pyvo `resultstable`). */
  readonly table: Table;
  /** The RESOURCE holding it (service descriptors live beside it). */
  readonly resource: Resource;
  /** The query URL. */
  readonly queryUrl?: string;
  /** The document's query status (the last QUERY_STATUS). */
  readonly queryStatus: QueryStatus;
  private readonly byName = new Map<string, Column>();
  private recordCache?: R[];

  constructor(votable: VOTableDocument, options: ResultsOptions = {}) {
    const found = findResultsTable(votable);
    if (!found) throw new DALFormatError('the response VOTable has no table', { url: options.url });
    this.votable = votable;
    this.table = found.table;
    this.resource = found.resource;
    this.queryUrl = options.url;
    this.queryStatus = queryStatusOf(votable);
    for (const column of this.table.columns) {
      if (!this.byName.has(column.name)) this.byName.set(column.name, column);
    }
    for (const column of this.table.columns) {
      if (column.field.id && !this.byName.has(column.field.id)) this.byName.set(column.field.id, column);
    }
  }

  /** True when the service cut the result at its row limit (`QUERY_STATUS="OVERFLOW"`). */
  get overflow(): boolean {
    return this.queryStatus.status === 'OVERFLOW';
  }

  /** Number of rows. */
  get length(): number {
    return this.table.rowCount;
  }

  /** Column names in order. */
  get fieldnames(): string[] {
    return this.table.fields.map((f) => f.name);
  }

  /** The FIELDs (pyvo `fielddescs`). */
  get fielddescs(): Field[] {
    return this.table.fields;
  }

  /** True when a column has this name or ID. */
  hasColumn(name: string): boolean {
    return this.byName.has(name);
  }

  /** The FIELD of column `name` (pyvo `fielddesc`). */
  fielddesc(name: string): Field {
    return this.getColumn(name).field;
  }

  /** The column `name` (a FIELD name or, failing that, ID). */
  getColumn(name: string): Column {
    const column = this.byName.get(name);
    if (!column) {
      throw new DALFormatError(`no column "${name}" in the results; columns are: ${this.fieldnames.join(', ')}`, {
        url: this.queryUrl,
      });
    }
    return column;
  }

  /** Name of the first column whose UCD matches `ucd` (case-insensitive, `*` wildcards). */
  fieldnameWithUcd(ucd: string): string | undefined {
    return this.table.fields.find((f) => f.ucd !== undefined && ucdMatches(f.ucd, ucd))?.name;
  }

  /** Name of the first column with utype `utype` (namespace prefix optional). */
  fieldnameWithUtype(utype: string): string | undefined {
    return this.table.fields.find((f) => utypeMatches(f.utype, utype))?.name;
  }

  /** The value of column `name` in row `index` (pyvo `getvalue`). */
  getValue(name: string, index: number): CellValue {
    return this.getColumn(name).get(index);
  }

  /** Record `index` (pyvo `getrecord`). */
  getRecord(index: number): R {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`record ${index} out of range: the results have ${this.length} rows`);
    }
    return this.records[index];
  }

  /** All records (views over the columns), created once. */
  get records(): R[] {
    if (!this.recordCache) {
      this.recordCache = Array.from({ length: this.length }, (_, i) => this.makeRecord(i));
    }
    return this.recordCache;
  }

  /** Protocol subclasses return their own record type. */
  protected makeRecord(index: number): R {
    return new Record(this, index) as R;
  }

  [Symbol.iterator](): Iterator<R> {
    return this.records[Symbol.iterator]();
  }

  /** RESOURCEs of `type="meta"` with `utype="adhoc:service"` (DataLink 1.0 §4 service descriptors). */
  get serviceDescriptors(): Resource[] {
    const out: Resource[] = [];
    const walk = (rs: Resource[]) => {
      for (const r of rs) {
        if (r.type === 'meta' && r.utype === 'adhoc:service') out.push(r);
        walk(r.resources);
      }
    };
    walk(this.votable.resources);
    return out;
  }
}
