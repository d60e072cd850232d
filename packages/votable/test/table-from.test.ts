import { describe, expect, it } from 'vitest';
import {
  OptionsError,
  VOTABLE_NAMESPACES,
  ValueError,
  documentFromTables,
  getFirstTable,
  parseVOTableSync,
  tableFromArrays,
  writeVOTable,
} from '@vokit/votable';

function shape(t: ReturnType<typeof tableFromArrays>) {
  return t.fields.map((f) => [f.name, f.datatype, f.arraysize ?? '']);
}

describe('tableFromArrays', () => {
  it('infers datatypes from typed arrays and keeps them without copying', () => {
    const ra = new Float64Array([10.5, 20.25]);
    const t = tableFromArrays({
      name: 'cat',
      columns: {
        ra,
        mag: new Float32Array([1.5, 2]),
        n: new Int32Array([1, 2]),
        s: new Int16Array([3, 4]),
        b: new Uint8Array([5, 6]),
        c: new Uint8ClampedArray([7, 8]),
        i8: new Int8Array([-1, 1]),
        u16: new Uint16Array([65535, 0]),
        u32: new Uint32Array([4294967295, 0]),
        id: new BigInt64Array([2n ** 62n, -1n]),
        uid: new BigUint64Array([2n ** 63n - 1n, 0n]),
      },
    });
    expect(shape(t)).toEqual([
      ['ra', 'double', ''],
      ['mag', 'float', ''],
      ['n', 'int', ''],
      ['s', 'short', ''],
      ['b', 'unsignedByte', ''],
      ['c', 'unsignedByte', ''],
      ['i8', 'short', ''],
      ['u16', 'int', ''],
      ['u32', 'long', ''],
      ['id', 'long', ''],
      ['uid', 'long', ''],
    ]);
    expect(t.name).toBe('cat');
    expect(t.rowCount).toBe(2);
    expect(t.columns[0].values).toBe(ra);
    expect(t.columns[0].validity).toBeNull();
    expect(t.columns[6].toArray()).toEqual([-1, 1]);
    expect(t.columns[7].toArray()).toEqual([65535, 0]);
    expect(t.columns[8].toArray()).toEqual([4294967295n, 0n]);
    expect(t.columns[10].toArray()).toEqual([2n ** 63n - 1n, 0n]);
  });

  it('infers datatypes from JS values, with null entries as null rows', () => {
    const t = tableFromArrays({
      columns: {
        x: [1, 2.5, null],
        id: [1n, null, 2n ** 60n],
        mixed: [1, 2n, undefined],
        flag: [true, null, false],
        name: ['a', 'bc', null],
        uni: ['a', 'Ω', ''],
        vec: [[1, 2], [3, 4], null],
        ragged: [[1], [2, 3], []],
        typed: [new Float32Array([1, 2]), null, new Float32Array([3])],
        nothing: [null, null, null],
      },
    });
    expect(shape(t)).toEqual([
      ['x', 'double', ''],
      ['id', 'long', ''],
      ['mixed', 'long', ''],
      ['flag', 'boolean', ''],
      ['name', 'char', '*'],
      ['uni', 'unicodeChar', '*'],
      ['vec', 'double', '2'],
      ['ragged', 'double', '*'],
      ['typed', 'float', '*'],
      ['nothing', 'double', ''],
    ]);
    expect(t.columns.map((c) => c.toArray())).toEqual([
      [1, 2.5, null],
      [1n, null, 2n ** 60n],
      [1n, 2n, null],
      [true, null, false],
      ['a', 'bc', null],
      ['a', 'Ω', ''],
      [new Float64Array([1, 2]), new Float64Array([3, 4]), null],
      [new Float64Array([1]), new Float64Array([2, 3]), new Float64Array([])],
      [new Float32Array([1, 2]), null, new Float32Array([3])],
      [null, null, null],
    ]);
    expect(Array.from(t.columns[0].validity!)).toEqual([0b011]);
  });

  it('builds columns from specs with datatype, arraysize, nulls and metadata', () => {
    const t = tableFromArrays({
      columns: {
        n: { values: [1, null, -1, 7], datatype: 'int', nullValue: -1, unit: 'ct', ucd: 'meta.number', description: 'counts' },
        f: { values: new Float64Array([0.1, 0.2, 0.3, 0.4]), datatype: 'float', nulls: [false, true, false, false] },
        grid: { values: new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]), arraysize: '2' },
        z: { values: [[1, 2], [3, 4], null, [0, -1]], datatype: 'doubleComplex' },
        zs: { values: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), datatype: 'floatComplex' },
        tag: { values: ['ab', 'c', 'abcd', null], datatype: 'char', arraysize: '4', id: 'tagId', utype: 'x:tag' },
        words: { values: [['a', 'b'], ['c'], [], null], datatype: 'char', arraysize: '3x*' },
        bits: { values: [[true, false], [false, false], [true, true], null], datatype: 'bit', arraysize: '2' },
        big: { values: [1, 2 ** 53 - 1, null, 3], datatype: 'long' },
        ok: { values: new Uint8Array([0, 1, 2, 255]), datatype: 'boolean' },
      },
    });
    const [n, f, grid, z, zs, tag, words, bits, big, ok] = t.columns;
    expect(n.field).toEqual({
      name: 'n',
      datatype: 'int',
      attributes: {},
      links: [],
      unit: 'ct',
      ucd: 'meta.number',
      description: 'counts',
      values: { attributes: {}, null: '-1', options: [] },
    });
    expect(n.toArray()).toEqual([1, null, null, 7]);
    expect(f.toArray()).toEqual([Math.fround(0.1), null, Math.fround(0.3), Math.fround(0.4)]);
    expect(grid.toArray()).toEqual([new Float64Array([1, 2]), new Float64Array([3, 4]), new Float64Array([5, 6]), new Float64Array([7, 8])]);
    expect(z.toArray()).toEqual([[1, 2], [3, 4], null, [0, -1]]);
    expect(zs.toArray()).toEqual([[1, 2], [3, 4], [5, 6], [7, 8]]);
    expect(tag.field.id).toBe('tagId');
    expect(tag.toArray()).toEqual(['ab', 'c', 'abcd', null]);
    expect(words.toArray()).toEqual([['a', 'b'], ['c'], [], null]);
    expect(bits.toArray()).toEqual([[true, false], [false, false], [true, true], null]);
    expect(big.toArray()).toEqual([1n, 2n ** 53n - 1n, null, 3n]);
    expect(ok.toArray()).toEqual([false, true, true, true]);
  });

  it('says what is wrong with values that do not fit', () => {
    expect(() => tableFromArrays({ columns: { a: { values: [1.5], datatype: 'int' } } })).toThrow(ValueError);
    expect(() => tableFromArrays({ columns: { a: { values: [1.5], datatype: 'int' } } })).toThrow(
      'votable row 0 field "a": 1.5 is not a int (integers -2147483648..2147483647)',
    );
    expect(() => tableFromArrays({ columns: { a: { values: [256], datatype: 'unsignedByte' } } })).toThrow('256 is not a unsignedByte');
    expect(() => tableFromArrays({ columns: { a: { values: [2 ** 60], datatype: 'long' } } })).toThrow('use a bigint beyond 2^53');
    expect(() => tableFromArrays({ columns: { a: [1, 'x'] } })).toThrow(OptionsError);
    expect(() => tableFromArrays({ columns: { a: [1, 'x'] } })).toThrow('column "a" mixes number, string values');
    expect(() => tableFromArrays({ columns: { a: [1, 2], b: [1] } })).toThrow('column "b" has 1 rows, column "a" has 2');
    expect(() => tableFromArrays({ columns: { a: { values: new Float64Array(5), arraysize: '2' } } })).toThrow('5 numbers do not make whole rows of 2');
    expect(() => tableFromArrays({ columns: { a: { values: [[1, 2, 3]], datatype: 'int', arraysize: '2' } } })).toThrow(
      '3 elements, arraysize "2" needs 2',
    );
    expect(() => tableFromArrays({ columns: { a: new BigUint64Array([2n ** 63n]) } })).toThrow('9223372036854775808 does not fit a long');
    expect(() => tableFromArrays({ columns: { a: [['x'], ['y']] } })).toThrow('arrays of strings need an explicit datatype');
  });
});

describe('documentFromTables', () => {
  it('wraps tables in a VOTable 1.4 document with one RESOURCE that writes and reads back', () => {
    const t = tableFromArrays({ name: 'up', columns: { id: new BigInt64Array([5n, 2n ** 62n]), ra: [1.5, null] } });
    const doc = documentFromTables([t], { resourceName: 'r', resourceType: 'results', description: 'upload' });
    expect(doc.version).toBe('1.4');
    expect(doc.namespace).toBe(VOTABLE_NAMESPACES['1.4']);
    expect(doc.resources).toHaveLength(1);
    expect(doc.resources[0].tables[0]).toBe(t);
    const xml = writeVOTable(doc);
    expect(xml).toContain('<RESOURCE name="r" type="results">');
    const back = getFirstTable(parseVOTableSync(xml));
    expect(back.name).toBe('up');
    expect(back.columns.map((c) => c.toArray())).toEqual([
      [5n, 2n ** 62n],
      [1.5, null],
    ]);
    expect(documentFromTables([], { version: '1.2' }).namespace).toBe(VOTABLE_NAMESPACES['1.2']);
  });
});
