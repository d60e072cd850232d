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
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { FIXTURES, listVOTableFixtures } from './support/fixtures.js';
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

const SERIALIZATIONS = ['TABLEDATA', 'BINARY', 'BINARY2'] as const;
type Serialization = (typeof SERIALIZATIONS)[number];


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
    if (typeof value === 'string') return fix(value);
    if (serialization !== 'TABLEDATA') return (value as string[]).map(fix);
    // TABLEDATA holds an array of strings as one text, each string padded to n characters:
    // readers strip the whole text, then cut it every n characters and strip each piece's
    // padding. Leading empty strings and a trailing run of empty strings do not survive.
    const n = layout.stringLength;
    const strings = value as string[];
    const joined = strings.map((x, k) => (k < strings.length - 1 ? x + ' '.repeat(n - [...x].length) : x)).join('');
    const chars = [...stripXmlSpace(joined)];
    const count = Math.ceil(chars.length / n);
    const total = layout.variableElements ? count : layout.fixedCount;
    return Array.from({ length: total }, (_, k) => (k < count ? chars.slice(k * n, (k + 1) * n).join('').replace(/[ \u0000]+$/, '') : ''));
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
  const files = listVOTableFixtures();
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

  it('reads back 300 random tables the same from every serialization (seed 20261125)', () => {
    let state = 20261125;
    const rnd = () => {
      // mulberry32
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const bits = new DataView(new ArrayBuffer(8));
    const ASCII = 'abcXYZ019 &<>"\'.;:-_/\\\t';
    const UNICODE = ['a', 'Ω', 'ü', '日', '😀', ' ', '&', '<', 'é'];
    const datatypes = ['boolean', 'bit', 'unsignedByte', 'short', 'int', 'long', 'char', 'unicodeChar', 'float', 'double', 'floatComplex', 'doubleComplex'] as const;
    const number = (dt: string): number | bigint => {
      switch (dt) {
        case 'unsignedByte':
          return pick([0, 255, int(0, 255)]);
        case 'short':
          return pick([-32768, 32767, int(-32768, 32767)]);
        case 'int':
          return pick([-2147483648, 2147483647, int(-2147483648, 2147483647)]);
        case 'long':
          bits.setUint32(0, int(0, 2 ** 32 - 1));
          bits.setUint32(4, int(0, 2 ** 32 - 1));
          return pick([-(2n ** 63n), 2n ** 63n - 1n, 9007199254740993n, bits.getBigInt64(0)]);
        case 'float':
        case 'floatComplex': {
          bits.setUint32(0, int(0, 2 ** 32 - 1));
          const x = bits.getFloat32(0);
          return pick([0, -0, NaN, Infinity, -Infinity, 1e-45, 3.4028234663852886e38, Math.fround(0.1), Number.isFinite(x) ? x : 1.5]);
        }
        default: {
          bits.setUint32(0, int(0, 2 ** 32 - 1));
          bits.setUint32(4, int(0, 2 ** 32 - 1));
          const x = bits.getFloat64(0);
          return pick([0, -0, NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, 0.1, Number.isFinite(x) ? x : 2.5]);
        }
      }
    };
    const text = (dt: string, max: number) => {
      const n = int(0, max);
      let s = '';
      while ([...s].length < n) s += dt === 'unicodeChar' ? pick(UNICODE) : pick([...ASCII]);
      // A fixed unicodeChar size counts UTF-16 units: cut a pair that does not fit.
      return dt === 'unicodeChar' ? s.slice(0, max).replace(/[\uD800-\uDBFF]$/, '') : s.slice(0, max);
    };
    for (let n = 0; n < 300; n++) {
      const columns: Record<string, unknown> = {};
      const rows = int(0, 6);
      const ncols = int(1, 5);
      for (let c = 0; c < ncols; c++) {
        const dt = pick(datatypes);
        const isString = dt === 'char' || dt === 'unicodeChar';
        const arraysize = isString
          ? pick([undefined, '1', '5', '*', '4*', '3x2', '3x*'])
          : pick([undefined, undefined, '1', '3', '*', '2x2', '2x*', '4*']);
        const values: unknown[] = [];
        for (let r = 0; r < rows; r++) {
          if (rnd() < 0.2) {
            values.push(null);
            continue;
          }
          const layout = { dims: (arraysize ?? '').split('x').filter(Boolean) };
          if (isString) {
            const len = arraysize === undefined ? 1 : /^\d+$/.test(layout.dims[0]) ? Number(layout.dims[0]) : 8;
            if (arraysize === '3x2') values.push([text(dt, 3), text(dt, 3)]);
            else if (arraysize === '3x*') values.push(Array.from({ length: int(0, 3) }, () => text(dt, 3)));
            else values.push(text(dt, arraysize === undefined ? 1 : len));
            continue;
          }
          const count = arraysize === undefined ? 1 : arraysize === '*' || arraysize === '4*' ? int(0, 4) : arraysize === '2x*' ? 2 * int(0, 2) : arraysize === '2x2' ? 4 : Number(arraysize);
          const one = () =>
            dt === 'boolean' || dt === 'bit' ? rnd() < 0.5 : dt === 'floatComplex' || dt === 'doubleComplex' ? [number(dt), number(dt)] : number(dt);
          values.push(arraysize === undefined ? one() : Array.from({ length: count }, one));
        }
        columns[`c${c}`] = { values, datatype: dt, arraysize };
      }
      const table = tableFromArrays({ columns: columns as Parameters<typeof tableFromArrays>[0]['columns'] });
      const doc = documentFromTables([table]);
      for (const serialization of SERIALIZATIONS) {
        const xml = writeVOTable(doc, { serialization });
        const back = [...iterTables(parseVOTableSync(xml))][0];
        expect(back.rowCount, `table ${n} ${serialization}`).toBe(rows);
        const mismatches: string[] = [];
        table.columns.forEach((column, j) => {
          for (let row = 0; row < rows; row++) {
            const want = expectedCell(column, row, serialization, back.fields[j]);
            const have = back.columns[j].get(row);
            if (!same(want, have)) mismatches.push(`${column.datatype}[${column.field.arraysize ?? ''}] row ${row}: want ${show(want)}, got ${show(have)}`);
          }
        });
        expect(mismatches, `table ${n} ${serialization}\n${xml}`).toEqual([]);
      }
    }
  });

  it('writes the same text after a round trip (fixpoint)', () => {
    const doc = documentFromTables([everyDatatype()]);
    for (const serialization of SERIALIZATIONS) {
      const once = writeVOTable(parseVOTableSync(writeVOTable(doc, { serialization })), { serialization });
      const twice = writeVOTable(parseVOTableSync(once), { serialization });
      expect(twice).toBe(once);
    }
  });
});
