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

/**
 * A fast exact fingerprint of a document: JSON with every typed array as the base64 of its raw
 * bytes (so NaN payloads and -0 count) and bigints as text. Equal documents, equal strings.
 */
export function documentFingerprint(doc: VOTableDocument): string {
  return JSON.stringify(doc, (_key, value: unknown) => {
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'number' && !Number.isFinite(value)) return `${value}`;
    if (ArrayBuffer.isView(value)) {
      return `${value.constructor.name}:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}`;
    }
    return value;
  });
}

/**
 * Exact deep equality of two parsed documents (or any values): typed arrays byte for byte,
 * numbers with Object.is, object keys in the same order. Faster than serializing both.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    if (!sameValue((a as Record<string, unknown>)[ka[i]], (b as Record<string, unknown>)[kb[i]])) return false;
  }
  return true;
}
