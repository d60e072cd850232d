import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BinaryDecodeError, createBinaryDecoder, getFirstTable, parseVOTable, TruncatedError } from '@vokit/votable';
import { cells, decodeBytes, field, fixtureFields, RowWriter, streamText } from './support/binary-rows.js';

const f32 = Math.fround;

describe('BINARY decoding', () => {
  it('decodes every scalar datatype', () => {
    const fields = [
      field('b', 'boolean'),
      field('bit', 'bit'),
      field('ub', 'unsignedByte'),
      field('s', 'short'),
      field('i', 'int'),
      field('l', 'long'),
      field('c', 'char'),
      field('u', 'unicodeChar'),
      field('f', 'float'),
      field('d', 'double'),
      field('fc', 'floatComplex'),
      field('dc', 'doubleComplex'),
    ];
    const w = new RowWriter();
    w.u8(0x54, 0x80, 255).i16(-32768).i32(2147483647).i64(9007199254740993n).ascii('x').ucs2('é');
    w.f32(1.5).f64(-2.25e300).f32(1, -2).f64(0.1, 1e-300);
    w.u8(0x66, 0x08, 0).i16(7).i32(-1).i64(-9223372036854775808n).ascii('\0').ucs2('\u20ac');
    w.f32(NaN).f64(Infinity).f32(0.1, 0.2).f64(-0, 5);
    const out = cells(decodeBytes(fields, 'BINARY', w.bytes()));
    expect(out).toEqual({
      b: [true, false],
      // A scalar bit is one byte; 0x80 (the spec's packing) and 0x08 (astropy's) both read true.
      bit: [true, true],
      ub: [255, 0],
      s: [-32768, 7],
      i: [2147483647, -1],
      l: [9007199254740993n, -9223372036854775808n],
      c: ['x', ''],
      u: ['é', '€'],
      f: [1.5, NaN],
      d: [-2.25e300, Infinity],
      fc: [
        [1, -2],
        [f32(0.1), f32(0.2)],
      ],
      dc: [
        [0.1, 1e-300],
        [-0, 5],
      ],
    });
  });

  it('reads every boolean byte astropy accepts, with ? space and NUL as null', () => {
    const w = new RowWriter().ascii('TFtf10? ').u8(0);
    const [column] = decodeBytes([field('b', 'boolean')], 'BINARY', w.bytes());
    expect(column.toArray()).toEqual([true, false, true, false, true, false, null, null, null]);
    expect(column.nullCount).toBe(3);
  });

  it('rejects a boolean byte outside the set, naming row and field', () => {
    const w = new RowWriter().ascii('TX');
    expect(() => decodeBytes([field('ok', 'boolean')], 'BINARY', w.bytes())).toThrow(
      new BinaryDecodeError('boolean byte 0x58 is none of T, F, t, f, 1, 0, ?, space, NUL', { row: 1, field: 'ok' }),
    );
  });

  it('takes nulls from VALUES null for integers, and keeps NaN floats valid unless null="NaN"', () => {
    const fields = [
      field('ub', 'unsignedByte', undefined, '255'),
      field('s', 'short', undefined, '-32768'),
      field('i', 'int', undefined, '-2147483648'),
      field('l', 'long', undefined, '-9223372036854775808'),
      field('f', 'float'),
      field('fn', 'float', undefined, 'NaN'),
      field('d', 'double', undefined, '-999'),
      field('hex', 'short', undefined, '0xFFFF'),
      field('junk', 'float', undefined, 'none'),
    ];
    const w = new RowWriter();
    w.u8(255).i16(-32768).i32(-2147483648).i64(-9223372036854775808n).f32(NaN).f32(NaN).f64(-999).i16(-1).f32(NaN);
    w.u8(3).i16(4).i32(5).i64(6n).f32(7).f32(8).f64(9).i16(10).f32(1);
    const out = cells(decodeBytes(fields, 'BINARY', w.bytes()));
    expect(out).toEqual({
      ub: [null, 3],
      s: [null, 4],
      i: [null, 5],
      l: [null, 6n],
      f: [NaN, 7],
      fn: [null, 8],
      d: [null, 9],
      hex: [null, 10],
      // A null that is not a number declares nothing.
      junk: [NaN, 1],
    });
  });

  it('decodes fixed arrays, multidimensional arrays and string arrays', () => {
    const fields = [
      field('i3', 'int', '3'),
      field('d2x2', 'double', '2x2'),
      field('c5', 'char', '5'),
      field('c4x2', 'char', '4x2'),
      field('u4', 'unicodeChar', '4'),
      field('bits', 'bit', '10'),
      field('b3', 'boolean', '3'),
      field('fc2', 'floatComplex', '2'),
      field('l2', 'long', '2'),
      field('ub4', 'unsignedByte', '4'),
      field('s2', 'short', '2'),
    ];
    const w = new RowWriter();
    w.i32(1, -2, 3).f64(1, 2, 3, 4).ascii('ab', 5).ascii('abcd').ascii('e', 4).ucs2('ωx', 4);
    w.u8(0b10110000, 0b01000000).ascii('TF?').f32(1, 2, 3, 4).i64(-1n, 1n << 62n).u8(1, 2, 3, 4).i16(-5, 5);
    const out = cells(decodeBytes(fields, 'BINARY', w.bytes()));
    expect(out).toEqual({
      i3: [[1, -2, 3]],
      d2x2: [[1, 2, 3, 4]],
      c5: ['ab'],
      c4x2: [['abcd', 'e']],
      u4: ['ωx'],
      bits: [[true, false, true, true, false, false, false, false, false, true]],
      // Array cells have row-level validity: a "?" element reads false.
      b3: [[true, false, false]],
      fc2: [
        [
          [1, 2],
          [3, 4],
        ],
      ],
      l2: [[-1n, 1n << 62n]],
      ub4: [[1, 2, 3, 4]],
      s2: [[-5, 5]],
    });
  });

  it('cuts fixed char cells at the first NUL, as astropy does', () => {
    const w = new RowWriter().ascii('ab\0cd').ascii('\0\0\0\0\0').ascii('abcde');
    expect(decodeBytes([field('c', 'char', '5')], 'BINARY', w.bytes())[0].toArray()).toEqual(['ab', '', 'abcde']);
  });

  it('decodes variable-length cells behind a 4-byte count', () => {
    const fields = [
      field('i', 'int', '*'),
      field('d3', 'double', '3x*'),
      field('c', 'char', '*'),
      field('c8', 'char', '8*'),
      field('u', 'unicodeChar', '*'),
      field('bits', 'bit', '*'),
      field('l', 'long', '*'),
      field('c2x', 'char', '2x*'),
      field('b', 'boolean', '*'),
      field('fc', 'floatComplex', '*'),
      field('s', 'short', '*'),
      field('ub', 'unsignedByte', '*'),
      field('f', 'float', '*'),
      field('u3x', 'unicodeChar', '3x*'),
    ];
    const w = new RowWriter();
    // Row 0: values in every cell.
    w.i32(2, 10, -10).i32(2).f64(1, 2, 3, 4, 5, 6).i32(5).ascii('hello').i32(3).ascii('a\0b');
    w.i32(2).ucs2('Σx').i32(9).u8(0xff, 0x80).i32(1).i64(-42n).i32(2).ascii('abc\0');
    w.i32(2).ascii('Tf').i32(1).f32(0.5, -0.5).i32(1).i16(300).i32(3).u8(7, 8, 9).i32(2).f32(1.25, 2.5);
    w.i32(2).ucs2('ab\0xyz');
    // Row 1: every count zero.
    for (let k = 0; k < fields.length; k++) w.i32(0);
    const out = cells(decodeBytes(fields, 'BINARY', w.bytes()));
    expect(out).toEqual({
      i: [[10, -10], []],
      d3: [[1, 2, 3, 4, 5, 6], []],
      c: ['hello', ''],
      // A variable string is kept whole, NULs included (astropy's reading).
      c8: ['a\0b', ''],
      u: ['Σx', ''],
      bits: [[true, true, true, true, true, true, true, true, true], []],
      l: [[-42n], []],
      c2x: [['ab', 'c'], []],
      b: [[true, false], []],
      fc: [[[0.5, -0.5]], []],
      s: [[300], []],
      ub: [[7, 8, 9], []],
      f: [[1.25, 2.5], []],
      u3x: [['ab', 'xyz'], []],
    });
    const columns = decodeBytes(fields, 'BINARY', w.bytes());
    // Offsets count elements: two 3-vectors are 6 doubles; two strings are 2 strings.
    expect(Array.from(columns[1].offsets!)).toEqual([0, 6, 6]);
    expect(Array.from(columns[7].offsets!)).toEqual([0, 2, 2]);
  });

  it('rejects a negative array count, naming row and field', () => {
    const w = new RowWriter().i32(1).i32(0).i32(5).i32(-3);
    expect(() => decodeBytes([field('a', 'int'), field('v', 'int', '*')], 'BINARY', w.bytes())).toThrow(
      new BinaryDecodeError('BINARY array count -3 is negative', { row: 1, field: 'v' }),
    );
  });

  it('reports a truncated stream with row, field, and need vs have', () => {
    const fields = [field('id', 'int'), field('mag', 'float'), field('tags', 'char', '*')];
    const w = new RowWriter();
    for (let r = 0; r < 17; r++) w.i32(r).f32(r).i32(1).ascii('x');
    w.i32(17).u8(0x40);
    const d = createBinaryDecoder({ fields, serialization: 'BINARY' });
    d.pushBytes(w.bytes());
    expect(d.pendingRows).toBe(17);
    let e: TruncatedError | undefined;
    try {
      d.end();
    } catch (error) {
      e = error as TruncatedError;
    }
    expect(e).toBeInstanceOf(TruncatedError);
    expect(e?.message).toBe('votable row 17 field "mag": BINARY stream ends inside the row: need 4 bytes, have 1');
    expect(e?.code).toBe('VOTABLE_TRUNCATED');
  });

  it('reports a truncated variable cell and a truncated count', () => {
    const fields = [field('tags', 'char', '*')];
    const short = new RowWriter().i32(10).ascii('abc').bytes();
    expect(() => decodeBytes(fields, 'BINARY', short)).toThrow('votable row 0 field "tags": BINARY stream ends inside the row: need 10 bytes, have 3');
    const count = new RowWriter().u8(0, 0).bytes();
    expect(() => decodeBytes(fields, 'BINARY', count)).toThrow('need 4 bytes for the array count, have 2');
  });

  it('continues into fresh columns after takeColumns', () => {
    const fields = [field('i', 'int', undefined, '0'), field('c', 'char', '*')];
    const d = createBinaryDecoder({ fields, serialization: 'BINARY' });
    d.pushBytes(new RowWriter().i32(0).i32(1).ascii('a').i32(2).i32(2).ascii('bc').bytes());
    const first = d.takeColumns();
    expect(d.pendingRows).toBe(0);
    d.pushBytes(new RowWriter().i32(3).i32(0).i32(0).i32(1).ascii('d').bytes());
    d.end();
    const second = d.takeColumns();
    expect(cells(first)).toEqual({ i: [null, 2], c: ['a', 'bc'] });
    expect(cells(second)).toEqual({ i: [3, null], c: ['', 'd'] });
    expect(Array.from(second[0].validity!)).toEqual([0b01]);
    expect(d.rowCount).toBe(4);
  });

  it('rejects a hand-built FIELD with an unknown datatype, naming it', () => {
    expect(() => createBinaryDecoder({ fields: [field('x', 'quad' as never)], serialization: 'BINARY', tableIndex: 1 })).toThrow(
      'votable table 1 field "x": unknown datatype "quad"',
    );
  });

  it('rejects an arraysize whose cells could not fit in memory', () => {
    expect(() => createBinaryDecoder({ fields: [field('x', 'double', '100000x100000')], serialization: 'BINARY' })).toThrow(
      'votable field "x": arraysize "100000x100000" makes cells of more than 2 GiB, which BINARY cannot hold',
    );
  });

  it('refuses input after end', () => {
    const d = createBinaryDecoder({ fields: [field('i', 'int')], serialization: 'BINARY' });
    d.end();
    expect(() => d.pushBytes(new Uint8Array(4))).toThrow('input already ended');
  });

  it('decodes the same rows from every split of the stream', () => {
    const fields = [field('i', 'short'), field('c', 'char', '*'), field('d', 'double', '2'), field('u', 'unicodeChar', '*')];
    const w = new RowWriter();
    for (let r = 0; r < 4; r++) w.i16(r).i32(r).ascii('abcd'.slice(0, r)).f64(r, -r).i32(1).ucs2('ü');
    const bytes = w.bytes();
    const whole = cells(decodeBytes(fields, 'BINARY', bytes));
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b += 7) expect(cells(decodeBytes(fields, 'BINARY', bytes, [a, b]))).toEqual(whole);
    }
  });
});

describe('BINARY fixtures', () => {
  it('decodes VizieR V/127A (astropy vizier_b2_votable.xml) as STILTS reads it', () => {
    // Expected values: `stilts tpipe in=vizier_b2_votable.xml ofmt=csv` (STILTS 3.4.7);
    // astropy 5.2.1 cannot read this file (it treats char "7*" as fixed).
    const xml = readFileSync(new URL('./fixtures/astropy/vizier_b2_votable.xml', import.meta.url));
    const fields = fixtureFields(xml);
    expect(fields.map((f) => `${f.name}:${f.datatype}:${f.arraysize ?? ''}`)).toEqual([
      'n_PNG:char:1',
      'PNG:char:12',
      'Name:char:13',
      'RAJ2000:double:',
      'DEJ2000:double:',
      'MajDiam:float:',
      'MinDiam:float:',
      'CS:char:7*',
      'Morph:char:7*',
      'ObsDate:int:',
      'img:char:5',
      'AssocData:char:4',
    ]);
    const { start, end } = streamText(xml);
    const d = createBinaryDecoder({ fields, serialization: 'BINARY' });
    d.pushBase64(xml, start, end, start);
    d.end();
    const columns = d.takeColumns();
    expect(columns[0].length).toBe(20);
    const row = (i: number) => columns.map((c) => c.get(i));
    expect(row(0)).toEqual(['T', 'G209.1-08.2 ', 'PHR0615-0025 ', 93.835, -0.4302777777777777, 100, 100, '', 'R', 2453377, '1001 ', 'fits']);
    expect(row(1)).toEqual(['P', 'G227.3-12.0 ', 'PHR0633-1808 ', 98.35374999999999, -18.13972222222222, 17, 15, '', 'Ea', 2452672, '1002 ', 'fits']);
    expect(row(19)).toEqual(['L', 'G225.2+00.1 ', 'PHR0714-1051 ', 108.61999999999999, -10.86222222222222, 7, 5, '', 'E', 2453377, '1020 ', 'fits']);
  });

  it('decodes the pyvo SCS result (BINARY, 1273 rows) as astropy reads it', () => {
    // Expected values: astropy 5.2.1 `parse(...).get_first_table().array`.
    const xml = readFileSync(new URL('./fixtures/pyvo/dal/scs/result.xml', import.meta.url));
    const fields = fixtureFields(xml);
    const { start, end } = streamText(xml);
    const d = createBinaryDecoder({ fields, serialization: 'BINARY' });
    // Pushed in 1000-byte pieces to cross many group and row boundaries.
    for (let at = start; at < end; at += 1000) d.pushBase64(xml, at, Math.min(end, at + 1000), at);
    d.end();
    const columns = d.takeColumns();
    expect(columns[0].length).toBe(1273);
    const row = (i: number) => columns.map((c) => c.get(i));
    expect(row(0)).toEqual([77.6581, 1.68358, 1990.65777659664, f32(0.15), f32(5), f32(199.248), f32(-21.432), f32(384.78), '1522124650242182041']);
    expect(row(1)).toEqual([77.5738, 1.74332, 1990.65467017955, f32(0.42), f32(5), f32(199.147), f32(-21.4749), f32(380.56), '1606689635951120985']);
    expect(row(1272)).toEqual([78.2784, 2.41488, 1990.66015210672, f32(0.71), f32(5), f32(198.904), f32(-20.5286), f32(399.02), '446896630097839093']);
    expect(columns.every((c) => c.nullCount === 0)).toBe(true);
  });
});

describe('BINARY through parseVOTable', () => {
  it('parses the VizieR and pyvo SCS documents to the same columns as the decoder alone', async () => {
    const vizier = getFirstTable(await parseVOTable(new Uint8Array(readFileSync(new URL('./fixtures/astropy/vizier_b2_votable.xml', import.meta.url)))));
    expect(vizier.data?.serialization).toBe('BINARY');
    expect(vizier.rowCount).toBe(20);
    expect(vizier.columns.map((c) => c.get(19))).toEqual(['L', 'G225.2+00.1 ', 'PHR0714-1051 ', 108.61999999999999, -10.86222222222222, 7, 5, '', 'E', 2453377, '1020 ', 'fits']);
    const scs = getFirstTable(await parseVOTable(new Uint8Array(readFileSync(new URL('./fixtures/pyvo/dal/scs/result.xml', import.meta.url)))));
    expect(scs.rowCount).toBe(1273);
    expect(scs.columns.map((c) => c.get(1272))).toEqual([78.2784, 2.41488, 1990.66015210672, f32(0.71), f32(5), f32(198.904), f32(-20.5286), f32(399.02), '446896630097839093']);
  });
});
