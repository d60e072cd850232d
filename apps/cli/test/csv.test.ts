import { describe, expect, it } from 'vitest';
import { createCsvWriter, quoteCsvField } from '../src/formats/csv.js';
import { buildColumn, field } from './build-column.js';

function csv(fields: ReturnType<typeof field>[], cells: unknown[][]): string {
  const columns = fields.map((f, i) => buildColumn(f, cells[i]));
  const writer = createCsvWriter(fields);
  return writer.header() + writer.formatRows(columns, columns[0]?.length ?? 0);
}

describe('CSV', () => {
  it('writes a header and quotes only fields that need it (RFC 4180)', () => {
    expect(csv([field('id', 'int'), field('name, full', 'char', '*')], [[1, 2, 3], ['plain', 'say "hi", ok', 'two\nlines']])).toBe(
      'id,"name, full"\n1,plain\n2,"say ""hi"", ok"\n3,"two\nlines"\n',
    );
  });

  it('leaves null cells empty and spells non-finite floats', () => {
    expect(csv([field('f', 'float'), field('b', 'boolean')], [[NaN, null, -Infinity, Math.fround(0.1)], [true, false, null, true]])).toBe(
      'f,b\nNaN,true\n,false\n-Infinity,\n0.1,true\n',
    );
  });

  it('joins arrays and complex values with spaces, first index fastest', () => {
    expect(
      csv([field('m', 'double', '3x2'), field('z', 'floatComplex'), field('v', 'long', '*')], [[[1, 2, 3, 4, 5, 6.5]], [[[1, -0.5]]], [[1n, 2n ** 62n]]]),
    ).toBe('m,z,v\n1 2 3 4 5 6.5,1 -0.5,1 4611686018427387904\n');
  });

  it('quotes with doubled quotes', () => {
    expect(quoteCsvField('a"b')).toBe('"a""b"');
    expect(quoteCsvField('a b')).toBe('a b');
    expect(quoteCsvField('\r')).toBe('"\r"');
  });
});
