import { tableFromArrays } from '@vokit/votable';
import { describe, expect, it } from 'vitest';
import { concatColumns, sliceTable } from '../src/index.js';

const table = tableFromArrays({
  name: 'mine',
  columns: {
    id: new BigInt64Array([9007199254740993n, 2n, 3n, 4n, 5n]),
    name: ['a', 'ß', null, 'dddd', ''],
    mag: { values: [1.5, null, 3.5, 4.5, null], datatype: 'double' },
    flux: { values: [[1, 2], [3], [], [4, 5, 6], [7]], datatype: 'float', arraysize: '*' },
  },
});

describe('sliceTable and concatColumns', () => {
  it('slices rows and keeps only the chosen columns (key-only upload)', () => {
    const part = sliceTable(table, 1, 4, ['id', 'mag']);
    expect(part.fields.map((f) => f.name)).toEqual(['id', 'mag']);
    expect(part.rowCount).toBe(3);
    expect(part.columns[0].toArray()).toEqual([2n, 3n, 4n]);
    expect(part.columns[1].toArray()).toEqual([null, 3.5, 4.5]);
    expect(() => sliceTable(table, 0, 1, ['nope'])).toThrow('no column "nope" in the table to upload; it has id, name, mag, flux');
  });

  it('concatenates slices back into the original columns, at any cut', () => {
    for (const cut of [0, 1, 2, 3, 4, 5]) {
      const a = sliceTable(table, 0, cut);
      const b = sliceTable(table, cut, 5);
      for (let k = 0; k < table.columns.length; k++) {
        const merged = concatColumns([a.columns[k], b.columns[k]]);
        expect(merged.length).toBe(5);
        const plain = (v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v);
        expect(merged.toArray().map(plain)).toEqual(table.columns[k].toArray().map(plain));
      }
    }
  });
});
