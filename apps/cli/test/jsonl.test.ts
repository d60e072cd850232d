import { describe, expect, it } from 'vitest';
import { createJsonlWriter, nestJsonArrays } from '../src/formats/jsonl.js';
import { buildColumn, field } from './build-column.js';

function jsonl(fields: ReturnType<typeof field>[], cells: unknown[][]): string {
  const columns = fields.map((f, i) => buildColumn(f, cells[i]));
  const writer = createJsonlWriter(fields);
  return writer.header() + writer.formatRows(columns, columns[0]?.length ?? 0);
}

describe('JSON Lines', () => {
  it('writes one object per row keyed by column name, nulls as null', () => {
    const text = jsonl([field('id', 'int'), field('name', 'char', '*')], [[1, null, 3], ['a"b', 'ü', null]]);
    expect(text).toBe('{"id":1,"name":"a\\"b"}\n{"id":null,"name":"ü"}\n{"id":3,"name":null}\n');
  });

  it('prints long values above 2^53 as exact JSON integers', () => {
    const ids = [2n ** 63n - 1n, -(2n ** 63n), 6917528997577384320n];
    expect(jsonl([field('source_id', 'long')], [ids])).toBe(
      '{"source_id":9223372036854775807}\n{"source_id":-9223372036854775808}\n{"source_id":6917528997577384320}\n',
    );
  });

  it('prints float32 with the shortest text that reads back to the same float32', () => {
    const values = [0.1, 1 / 3, 16777216, 3.4028234663852886e38, 1.401298464324817e-45, -0, 123.456].map(Math.fround);
    expect(jsonl([field('f', 'float')], [values])).toBe(
      ['0.1', '0.33333334', '16777216', '3.4028235e+38', '1e-45', '-0', '123.456'].map((v) => `{"f":${v}}\n`).join(''),
    );
  });

  it('prints doubles with the shortest round-trip text', () => {
    expect(jsonl([field('d', 'double')], [[0.1, 1 / 3, 1e21, 5e-324]])).toBe(
      '{"d":0.1}\n{"d":0.3333333333333333}\n{"d":1e+21}\n{"d":5e-324}\n',
    );
  });

  it('spells NaN and infinities as strings', () => {
    expect(jsonl([field('f', 'float'), field('d', 'double')], [[NaN, Infinity, -Infinity], [-Infinity, NaN, Infinity]])).toBe(
      '{"f":"NaN","d":"-Infinity"}\n{"f":"Infinity","d":"NaN"}\n{"f":"-Infinity","d":"Infinity"}\n',
    );
  });

  it('nests a 3x2 array with the first index fastest', () => {
    expect(jsonl([field('m', 'short', '3x2')], [[[1, 2, 3, 4, 5, 6]]])).toBe('{"m":[[1,2,3],[4,5,6]]}\n');
  });

  it('infers a variable last dimension from the cell length', () => {
    expect(jsonl([field('m', 'int', '2x*')], [[[1, 2, 3, 4, 5, 6], [], null]])).toBe('{"m":[[1,2],[3,4],[5,6]]}\n{"m":[]}\n{"m":null}\n');
  });

  it('writes complex scalars and arrays as [re, im] pairs', () => {
    expect(
      jsonl([field('c', 'floatComplex'), field('z', 'doubleComplex', '2')], [[[[0.1, -2]]], [[[1, 2], [NaN, 0.5]]]]),
    ).toBe('{"c":[0.1,-2],"z":[[1,2],["NaN",0.5]]}\n');
  });

  it('writes bit arrays and booleans as JSON booleans', () => {
    expect(jsonl([field('bits', 'bit', '4'), field('ok', 'boolean')], [[[true, false, false, true], null], [true, null]])).toBe(
      '{"bits":[true,false,false,true],"ok":true}\n{"bits":null,"ok":null}\n',
    );
  });

  it('writes char arrays of strings as arrays of strings', () => {
    expect(jsonl([field('bands', 'char', '2x3')], [[['u', 'g', 'ri']]])).toBe('{"bands":["u","g","ri"]}\n');
  });

  it('keeps repeated column names apart by ID, else with a suffix', () => {
    expect(jsonl([field('x', 'int'), field('x', 'int'), field('x_2', 'int')], [[1], [2], [3]])).toBe('{"x":1,"x_2":2,"x_2_2":3}\n');
    const withId = { ...field('x', 'int'), id: 'x_err' };
    expect(jsonl([field('x', 'int'), withId], [[1], [2]])).toBe('{"x":1,"x_err":2}\n');
  });

  it('treats a bounded last dimension N* as variable', () => {
    expect(jsonl([field('m', 'long', '2x2*')], [[[], [42n, 32n, 12n, 32n], [1n, 2n]]])).toBe('{"m":[]}\n{"m":[[42,32],[12,32]]}\n{"m":[[1,2]]}\n');
  });

  it('nests three dimensions and zero-length inner dimensions', () => {
    expect(nestJsonArrays(['1', '2', '3', '4', '5', '6', '7', '8'], [2, 2, 2])).toBe('[[[1,2],[3,4]],[[5,6],[7,8]]]');
    expect(nestJsonArrays([], [0, 3])).toBe('[[],[],[]]');
    expect(nestJsonArrays([], [0, -1])).toBe('[]');
  });
});
