import { describe, expect, it } from 'vitest';
import { ColumnBuilder, type Field } from '@vokit/votable';

function field(datatype: Field['datatype'], arraysize?: string): Field {
  return { name: 'c', datatype, arraysize, attributes: {}, links: [] };
}

describe('ColumnBuilder', () => {
  it('builds a nullable double column with an LSB-first validity bitmap', () => {
    const b = new ColumnBuilder(field('double'));
    for (let i = 0; i < 10; i++) {
      const at = b.reserve(1);
      (b.values as Float64Array)[at] = i * 1.5;
      b.endRow(i !== 3 && i !== 9);
    }
    const c = b.finish();
    expect(c.length).toBe(10);
    expect(Array.from(c.validity!)).toEqual([0b11110111, 0b00000001]);
    expect(c.get(2)).toBe(3);
    expect(c.get(3)).toBeNull();
    expect(c.nullCount).toBe(2);
  });

  it('builds variable-length strings with offsets', () => {
    const b = new ColumnBuilder(field('char', '*'));
    for (const s of ['NGC 1', '', 'ümlaut']) {
      b.appendString(s);
      b.endRow(true);
    }
    const c = b.finish();
    expect(c.toArray()).toEqual(['NGC 1', '', 'ümlaut']);
    expect(Array.from(c.stringOffsets!)).toEqual([0, 5, 5, 12]);
  });

  it('builds variable-length numeric arrays with row offsets', () => {
    const b = new ColumnBuilder(field('int', '*'));
    const rows = [[1, 2, 3], [], [7]];
    for (const r of rows) {
      const at = b.reserve(r.length);
      (b.values as Int32Array).set(r, at);
      b.endRow(true);
    }
    const c = b.finish();
    expect(Array.from(c.offsets!)).toEqual([0, 3, 3, 4]);
    expect(Array.from(c.get(0) as Int32Array)).toEqual([1, 2, 3]);
    expect(Array.from(c.get(2) as Int32Array)).toEqual([7]);
  });
});
