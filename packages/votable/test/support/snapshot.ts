// A plain, exactly comparable image of a parsed document: typed arrays become arrays, bigints
// and non-finite or negative-zero numbers become tagged strings (JSON would turn NaN into null
// and lose -0), so `toEqual` on two snapshots compares every bit that matters.
import type { Column, Table, VOTableDocument } from '@vokit/votable';

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value) || Object.is(value, -0)) return `${value === 0 ? '-0' : value}`;
    return value;
  }
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>, plain);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
    return out;
  }
  return value;
}

/** The columns of a table as plain data (values, validity, offsets). */
export function columnsSnapshot(columns: Column[]): unknown {
  return columns.map((c) => ({
    name: c.name,
    length: c.length,
    values: plain(c.values),
    validity: plain(c.validity),
    offsets: plain(c.offsets),
    stringOffsets: plain(c.stringOffsets),
  }));
}

/** The whole document, columns included, as plain data. */
export function documentSnapshot(doc: VOTableDocument): unknown {
  const tables: Table[] = [];
  const copy = plain({ ...doc, resources: undefined }) as Record<string, unknown>;
  const walk = (resources: VOTableDocument['resources']): unknown =>
    resources.map((r) => ({
      ...(plain({ ...r, tables: undefined, resources: undefined }) as object),
      tables: r.tables.map((t) => {
        tables.push(t);
        return { ...(plain({ ...t, columns: undefined }) as object), columns: columnsSnapshot(t.columns) };
      }),
      resources: walk(r.resources),
    }));
  copy.resources = walk(doc.resources);
  return copy;
}

/** Every cell of a table through `Column.get`, as plain data. */
export function cellsSnapshot(table: Table): unknown[][] {
  return table.columns.map((c) => c.toArray().map(plain));
}

export { plain };
