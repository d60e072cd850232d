// parse → write → parse gives the same model and the same column values, for TABLEDATA, BINARY
// and BINARY2, on every real fixture and on a table holding every datatype.
//
// "The same" allows exactly what a serialization cannot express (documented in writer.ts,
// binary-writer.ts and cell-format.ts), nothing else; `expectedCell` spells it out:
// - TABLEDATA: a null string reads back as the empty string, a null variable-length array as an
//   empty one; cell text is stripped of XML whitespace by readers (astropy too), so a string's
//   leading or trailing spaces do not survive;
// - BINARY: no null flags, so null floats read back as NaN, null strings as empty, null arrays as
//   their filler (NaN, the VALUES null or 0, false), null variable arrays as empty; scalar
//   integers keep their nulls through VALUES null (a chosen one is added to the FIELD);
// - BINARY, BINARY2: a fixed-length string ends at its first NUL.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  VOTableError,
  documentFromTables,
  iterTables,
  parseVOTableSync,
  tableFromArrays,
  writeVOTable,
  type CellValue,
  type Column,
  type Field,
  type Table,
  type VOTableDocument,
} from '@vokit/votable';
import { gunzipSync } from 'node:zlib';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SERIALIZATIONS = ['TABLEDATA', 'BINARY', 'BINARY2'] as const;
type Serialization = (typeof SERIALIZATIONS)[number];

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return walk(path);
      return /\.(xml|vot|xml\.gz)$/.test(name) ? [path] : [];
    });
}

function stripXmlSpace(s: string): string {
  return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

function isIntegerType(dt: string): boolean {
  return dt === 'unsignedByte' || dt === 'short' || dt === 'int' || dt === 'long';
}

/** What `column`'s cell `row` reads back as after writing it in `serialization` under `field`. */
function expectedCell(column: Column, row: number, serialization: Serialization, field: Field): CellValue {
  const dt = column.datatype;
  const layout = column.layout;
  const isString = dt === 'char' || dt === 'unicodeChar';
  const cutAtNul = (s: string) => {
    const k = s.indexOf('\u0000');
    return k >= 0 ? s.slice(0, k) : s;
  };
  const fixedString = isString && layout.stringLength >= 0;
  const value = column.get(row);
  if (value === null) {
    if (serialization === 'BINARY2') return null;
    if (isString) {
      if (column.isScalar) return '';
      if (layout.variableElements) return [];
      return new Array(layout.fixedCount).fill('');
    }
    if (layout.variableElements) return column.values.subarray(0, 0);
    if (serialization === 'TABLEDATA') return null;
    // BINARY fillers.
    const floatNull = field.values?.null !== undefined ? Number(field.values.null.trim().replace(/^([+-]?)inf$/i, '$1Infinity')) : NaN;
    if (column.isScalar) {
      // A declared VALUES null is written, and read back as null.
      if (dt === 'float' || dt === 'double') return field.values?.null !== undefined ? null : NaN;
      if (dt === 'floatComplex' || dt === 'doubleComplex') return [NaN, NaN];
      if (dt === 'bit') return false;
      return null; // integers through VALUES null, boolean through '?'
    }
    const n = layout.fixedCount;
    if (dt === 'bit') return new Array(n).fill(false);
    if (dt === 'boolean') return BINARY_BOOLEAN_NULL_ARRAY(n);
    if (dt === 'floatComplex' || dt === 'doubleComplex') return new Array(n).fill([NaN, NaN]);
    const Ctor = column.values.constructor as new (n: number) => Exclude<CellValue, null>;
    const out = new Ctor(n) as unknown as { fill(v: unknown): unknown };
    if (dt === 'float' || dt === 'double') out.fill(floatNull);
    else if (isIntegerType(dt) && field.values?.null !== undefined) out.fill(dt === 'long' ? BigInt(field.values.null) : Number(field.values.null));
    return out as CellValue;
  }
  if (isString) {
    const fix = (s: string) => {
      let t = s;
      if (serialization !== 'TABLEDATA' && fixedString) t = cutAtNul(t);
      if (serialization === 'TABLEDATA') t = column.isScalar ? stripXmlSpace(t) : t.replace(/[ \u0000]+$/, '');
      return t;
    };
    if (typeof value === 'string') {
      // A leading/trailing space inside the first/last string of an array cell is also lost.
      return fix(value);
    }
    const arr = (value as string[]).map(fix);
    if (serialization === 'TABLEDATA' && arr.length > 0) arr[0] = arr[0].replace(/^[ \t\r\n]+/, '');
    return arr;
  }
  // A BINARY integer equal to the VALUES null reads back as null (it already did in TABLEDATA).
  return value;
}

/** Booleans in a null fixed array are written `?`: the decoder reads them as false. */
function BINARY_BOOLEAN_NULL_ARRAY(n: number): boolean[] {
  return new Array(n).fill(false);
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  if (ArrayBuffer.isView(a) || Array.isArray(a)) {
    if (!(ArrayBuffer.isView(b) || Array.isArray(b))) return false;
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!same(x[i], y[i])) return false;
    return true;
  }
  return a === b;
}

function show(v: unknown): string {
  return JSON.stringify(v, (_, x) =>
    typeof x === 'bigint' ? `${x}n` : typeof x === 'number' && !Number.isFinite(x) ? String(x) : ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<unknown>, (e) => (typeof e === 'bigint' ? `${e}n` : e)) : x,
  );
}

/** The metadata of a model without rows, for deep comparison. */
function metadata(doc: VOTableDocument): unknown {
  return JSON.parse(
    JSON.stringify(doc, (key, value) => {
      if (key === 'columns' || key === 'data' || key === 'rowCount' || key === 'nrows' || key === 'attributes') return undefined;
      if (typeof value === 'bigint') return `${value}n`;
      if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
      if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>, (e) => (typeof e === 'bigint' ? `${e}n` : e));
      return value;
    }),
  );
}

/** Every element's attributes, in document order, for comparing attribute maps. */
function attributeMaps(node: unknown, out: Record<string, string>[] = []): Record<string, string>[] {
  if (Array.isArray(node)) for (const n of node) attributeMaps(n, out);
  else if (node && typeof node === 'object' && !ArrayBuffer.isView(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'attributes') out.push(value as Record<string, string>);
      else if (key !== 'columns') attributeMaps(value, out);
    }
  }
  return out;
}

/** Removes the VALUES null that BINARY adds to integer FIELDs with nulls and none declared. */
function withoutAddedNulls(before: VOTableDocument, after: VOTableDocument): void {
  const a = [...iterTables(before)];
  const b = [...iterTables(after)];
  a.forEach((t, i) =>
    t.fields.forEach((f, j) => {
      const g = b[i].fields[j];
      if (f.values?.null === undefined && g.values?.null !== undefined) {
        if (f.values) {
          delete g.values.null;
          delete g.values.attributes.null;
        } else delete g.values;
      }
    }),
  );
}

function checkRoundTrip(original: VOTableDocument, serialization: Serialization, name: string): void {
  // BINARY2 needs VOTable 1.3: older documents are written as 1.3, the rest as they were.
  const upgrade = serialization === 'BINARY2' && (original.version === '1.1' || original.version === '1.2');
  const xml = writeVOTable(original, { serialization, version: upgrade ? '1.3' : undefined });
  const again = parseVOTableSync(xml);
  if (serialization === 'BINARY') withoutAddedNulls(original, again);
  if (upgrade) {
    expect(again.version).toBe('1.3');
    again.version = original.version;
    again.namespace = original.namespace;
  }
  expect(metadata(again), `${name} ${serialization} metadata`).toEqual(metadata(original));
  // Attributes: every one the document had is still there with the same value (a typed one may
  // come back trimmed); new ones are only those the writer must add (a FIELD's name, VALUES null).
  const before = attributeMaps(original);
  const after = attributeMaps(again);
  expect(after.length).toBe(before.length);
  before.forEach((attrs, k) => {
    for (const [key, value] of Object.entries(attrs)) {
      // nrows is the true count; version is the model's (a `v1.0` attribute reads as 1.1).
      if (key === 'nrows' || key === 'version') continue;
      // A new namespace drops the schema location that named the old one.
      if (upgrade && (key === 'xmlns' || key.startsWith('xsi:') && key.endsWith('chemaLocation'))) continue;
      expect([value, value.trim()], `${name} attribute ${key}`).toContain(after[k][key]);
    }
  });
  const tablesBefore = [...iterTables(original)];
  const tablesAfter = [...iterTables(again)];
  expect(tablesAfter.length).toBe(tablesBefore.length);
  tablesBefore.forEach((t, i) => {
    const u = tablesAfter[i];
    const hasData = t.data !== undefined || t.columns.length > 0;
    expect(u.data?.serialization, `${name} table ${i} serialization`).toBe(hasData ? serialization : undefined);
    if (!hasData) return;
    // BINARY rows of no fields have no bytes: the rows of a FIELD-less table are lost there.
    const rows = t.fields.length === 0 && serialization !== 'TABLEDATA' ? 0 : t.rowCount;
    expect(u.rowCount, `${name} table ${i} rows`).toBe(rows);
    if (t.nrows !== undefined) expect(u.nrows).toBe(rows);
    const mismatches: string[] = [];
    t.columns.forEach((column, j) => {
      const field = u.fields[j];
      const got = u.columns[j];
      for (let row = 0; row < t.rowCount && mismatches.length < 10; row++) {
        const want = expectedCell(column, row, serialization, field);
        const have = got.get(row);
        if (!same(want, have)) mismatches.push(`${column.name}[${row}]: want ${show(want)}, got ${show(have)}`);
      }
    });
    expect(mismatches, `${name} ${serialization} table ${i}`).toEqual([]);
  });
}

describe('round trip on every fixture', () => {
  const files = walk(FIXTURES);
  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThan(40);
  });
  for (const path of files) {
    const name = relative(FIXTURES, path);
    it(`${name} reads back the same after writing`, () => {
      let bytes: Uint8Array = readFileSync(path);
      if (path.endsWith('.gz')) bytes = gunzipSync(bytes);
      let doc: VOTableDocument;
      try {
        doc = parseVOTableSync(bytes);
      } catch (error) {
        // Invalid fixtures (the golden test covers their errors) have nothing to round-trip.
        expect(error).toBeInstanceOf(VOTableError);
        return;
      }
      for (const serialization of SERIALIZATIONS) checkRoundTrip(doc, serialization, name);
    });
  }
});

describe('round trip on a table of every datatype', () => {
  function everyDatatype(): Table {
    return tableFromArrays({
      name: 'all',
      columns: {
        d: [0.1, NaN, null, -0, 1e300, 5e-324],
        f: { values: [0.1, 1 / 3, null, Infinity, -1e-45, 3.4028234663852886e38], datatype: 'float' },
        l: [9007199254740993n, -(2n ** 63n), null, 0n, 2n ** 63n - 1n, -9007199254740993n],
        i: { values: [1, null, -5, 7, 2147483647, -2147483648], datatype: 'int' },
        sh: { values: [1, null, -5, 7, 32767, -32767], datatype: 'short' },
        ub: { values: [1, null, 5, 7, 254, 0], datatype: 'unsignedByte' },
        withNull: { values: [1, null, 3, 4, 5, 6], datatype: 'int', nullValue: -99 },
        b: [true, false, null, true, false, true],
        bit: { values: [true, false, null, true, false, true], datatype: 'bit' },
        bits: { values: [[true, false, true], [false, false, false], null, [true, true, true], [false, true, false], [true, true, false]], datatype: 'bit', arraysize: '3' },
        vbits: { values: [[true, false, true, true, true, true, true, true, true], [], null, [true], [false], [true, false]], datatype: 'bit', arraysize: '*' },
        bools: { values: [[true, false], [false, true], null, [true, true], [false, false], [true, false]], datatype: 'boolean', arraysize: '2' },
        c: ['abc', '', null, 'x y', 'a&b<c>"', 'tab\tin'],
        c4: { values: ['abcd', 'ab', null, '', 'z', 'wxy'], datatype: 'char', arraysize: '4' },
        c8v: { values: ['abc', 'abcdefgh', null, '', 'z', 'q'], datatype: 'char', arraysize: '8*' },
        u: ['Ωμέγα', '', null, 'plain', 'ü', '日本語 😀'],
        u3: { values: ['Ωμέ', 'a', null, '', 'ü', '日本'], datatype: 'unicodeChar', arraysize: '3' },
        cf: { values: [[1.5, -0.1], [0, 0], null, [NaN, 2], [1, 1], [3.4e38, -1e-45]], datatype: 'floatComplex' },
        cd: { values: [[1.5, -0.1], [0, 0], null, [NaN, 2], [1, 1], [1e300, 5e-324]], datatype: 'doubleComplex' },
        cdv: { values: [[[1, 2], [3, 4]], [], null, [[5, 6]], [[0.1, 0.2]], [[7, 8], [9, 10], [11, 12]]], datatype: 'doubleComplex', arraysize: '*' },
        va: { values: [[1, 2, 3], [], null, [4], [5, 6], [2147483647]], datatype: 'int', arraysize: '*' },
        vl: { values: [[2n ** 62n + 1n], [], null, [-1n, 1n], [0n], [9007199254740993n]], datatype: 'long', arraysize: '5*' },
        fa: { values: [[1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 0], null, [1, 1, 1, 1, 1, 0.1], [2, 2, 2, 2, 2, 2], [NaN, 1, 2, 3, 4, 5]], datatype: 'double', arraysize: '2x3' },
        ia: { values: [[1, 2, 3, 4], [0, 0, 0, 0], null, [-1, -2, -3, -4], [5, 6, 7, 8], [9, 9, 9, 9]], datatype: 'short', arraysize: '2x2' },
        fv: { values: [[0.5, 0.25], [], null, [1e-45], [3.4028234663852886e38], [0.1, 0.2, 0.3]], datatype: 'float', arraysize: '*' },
        v3: { values: [[1, 2, 3, 4, 5, 6], [], null, [7, 8, 9], [1, 2, 3], [0, 0, 0]], datatype: 'short', arraysize: '3x*' },
        sa: { values: [['ab', 'cd'], ['x', ''], null, ['', ''], ['abc', 'd'], ['q', 'rst']], datatype: 'char', arraysize: '3x2' },
        sv: { values: [['ab', 'cd'], [], null, ['x'], ['abc', 'd', 'e'], ['q']], datatype: 'char', arraysize: '3x*' },
      },
    });
  }

  for (const serialization of SERIALIZATIONS) {
    it(`reads back the same values from ${serialization}`, () => {
      const doc = documentFromTables([everyDatatype()]);
      // Our hand-built model has no attribute maps: compare the parsed one with a re-parse.
      const parsed = parseVOTableSync(writeVOTable(doc, { serialization }));
      const original = [...iterTables(doc)][0];
      const table = [...iterTables(parsed)][0];
      const mismatches: string[] = [];
      original.columns.forEach((column, j) => {
        for (let row = 0; row < original.rowCount; row++) {
          const want = expectedCell(column, row, serialization, table.fields[j]);
          const have = table.columns[j].get(row);
          if (!same(want, have)) mismatches.push(`${column.name}[${row}]: want ${show(want)}, got ${show(have)}`);
        }
      });
      expect(mismatches).toEqual([]);
      checkRoundTrip(parsed, serialization, 'every datatype');
    });
  }

  it('writes the same text after a round trip (fixpoint)', () => {
    const doc = documentFromTables([everyDatatype()]);
    for (const serialization of SERIALIZATIONS) {
      const once = writeVOTable(parseVOTableSync(writeVOTable(doc, { serialization })), { serialization });
      const twice = writeVOTable(parseVOTableSync(once), { serialization });
      expect(twice).toBe(once);
    }
  });
});
