// sliceColumn cuts streamed batches to exactly batchRows rows: every layout must keep its cells.
import { describe, expect, it } from 'vitest';
import { ColumnBuilder, sliceColumn, type Field } from '@vokit/votable';

function field(datatype: Field['datatype'], arraysize?: string): Field {
  return { name: 'c', datatype, arraysize, attributes: {}, links: [] };
}

const plain = (v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<unknown>) : v);

describe('sliceColumn', () => {
  it('slices fixed numbers, strings, variable arrays and validity', () => {
    const ints = new ColumnBuilder(field('int'));
    const strs = new ColumnBuilder(field('char', '*'));
    const vars = new ColumnBuilder(field('double', '*'));
    const cplx = new ColumnBuilder(field('doubleComplex', '2'));
    for (let r = 0; r < 20; r++) {
      (ints.values as Int32Array)[ints.reserve(1)] = r;
      ints.endRow(r % 3 !== 0);
      strs.appendString('x'.repeat(r % 4) + r);
      strs.endRow(true);
      const n = r % 3;
      const at = vars.reserve(n);
      for (let k = 0; k < n; k++) (vars.values as Float64Array)[at + k] = r + k / 10;
      vars.endRow(r !== 7);
      const c = cplx.reserve(4);
      (cplx.values as Float64Array).set([r, -r, r + 1, -r - 1], c);
      cplx.endRow(true);
    }
    for (const builder of [ints, strs, vars, cplx]) {
      const col = builder.finish();
      const all = col.toArray().map(plain);
      for (const [a, b] of [[0, 20], [0, 7], [7, 8], [5, 17], [19, 20], [3, 3]]) {
        const s = sliceColumn(col, a, b);
        expect(s.length).toBe(b - a);
        expect(s.toArray().map(plain), `${col.datatype} ${a}..${b}`).toEqual(all.slice(a, b));
      }
    }
    expect(sliceColumn(new ColumnBuilder(field('int')).finish(), 0, 5).length).toBe(0);
  });

  it('drops the validity bitmap when the slice has no null', () => {
    const b = new ColumnBuilder(field('short'));
    for (let r = 0; r < 10; r++) {
      (b.values as Int16Array)[b.reserve(1)] = r;
      b.endRow(r !== 9);
    }
    const col = b.finish();
    expect(sliceColumn(col, 0, 9).validity).toBeNull();
    expect(Array.from(sliceColumn(col, 8, 10).validity!)).toEqual([0b01]);
  });
});
