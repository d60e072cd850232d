// The pieces of `vokit xmatch`'s joined table, in process: STILTS's row selection and groups
// for every --join, STILTS's column renaming, and the row gather for every kind of column.
import { Column } from '@vokit/votable';
import { describe, expect, it } from 'vitest';
import { joinColumnNames, letterSuffix } from '../src/join-names.js';
import { takeRows } from '../src/take-rows.js';
import { pairJoinRows, type PairJoin } from '../src/xmatch-join.js';
import { buildColumn, field } from './build-column.js';

// Table 1 has rows 0–3, table 2 rows 0–4; pairs as find=all gives them for the STILTS example
// of the integration test: 1–2, 3–0, 3–4 (3 shares two rows of table 2: one group of two rows).
const pairs = { aIndex: Int32Array.of(1, 3, 3), bIndex: Int32Array.of(2, 0, 4), separation: Float64Array.of(0.36, 0.357, 0.72) };

describe('pairJoinRows', () => {
  const cases: Array<[PairJoin, number[] | undefined, number[] | undefined, number[] | undefined]> = [
    ['1and2', [1, 3, 3], [2, 0, 4], [0.36, 0.357, 0.72]],
    ['1or2', [0, 1, 2, 3, 3, -1, -1], [-1, 2, -1, 0, 4, 1, 3], [NaN, 0.36, NaN, 0.357, 0.72, NaN, NaN]],
    ['all1', [0, 1, 2, 3, 3], [-1, 2, -1, 0, 4], [NaN, 0.36, NaN, 0.357, 0.72]],
    ['all2', [1, 3, 3, -1, -1], [2, 0, 4, 1, 3], [0.36, 0.357, 0.72, NaN, NaN]],
    ['1not2', [0, 2], undefined, undefined],
    ['2not1', undefined, [1, 3], undefined],
    ['1xor2', [0, 2, -1, -1], [-1, -1, 1, 3], undefined],
  ];
  it.each(cases)('selects and orders the rows of join=%s as STILTS', (join, aRows, bRows, separation) => {
    const rows = pairJoinRows(pairs, 4, 5, join);
    expect(rows.aRows && Array.from(rows.aRows)).toEqual(aRows);
    expect(rows.bRows && Array.from(rows.bRows)).toEqual(bRows);
    expect(rows.separation && Array.from(rows.separation)).toEqual(separation);
    expect(rows.length).toBe((aRows ?? bRows)!.length);
  });

  it('numbers groups of rows sharing an input row by their first row, and sizes them', () => {
    const rows = pairJoinRows(pairs, 4, 5, '1or2');
    expect(Array.from(rows.groups!.id)).toEqual([0, 0, 0, 1, 1, 0, 0]);
    expect(Array.from(rows.groups!.size)).toEqual([0, 0, 0, 2, 2, 0, 0]);
    // a chain 0–0, 1–0, 1–1 and a separate group 2–3, 2–4: ids in order of first rows
    const chain = { aIndex: Int32Array.of(0, 1, 1, 2, 2), bIndex: Int32Array.of(0, 0, 1, 3, 4), separation: new Float64Array(5) };
    const grouped = pairJoinRows(chain, 3, 5, '1and2');
    expect(Array.from(grouped.groups!.id)).toEqual([1, 1, 1, 2, 2]);
    expect(Array.from(grouped.groups!.size)).toEqual([3, 3, 3, 2, 2]);
  });

  it('orders pairs given in another order by table-1 row, then table-2 row', () => {
    const shuffled = { aIndex: Int32Array.of(3, 1, 3), bIndex: Int32Array.of(4, 2, 0), separation: Float64Array.of(0.72, 0.36, 0.357) };
    const rows = pairJoinRows(shuffled, 4, 5, '1and2');
    expect([Array.from(rows.aRows!), Array.from(rows.bRows!), Array.from(rows.separation!)]).toEqual([[1, 3, 3], [2, 0, 4], [0.36, 0.357, 0.72]]);
  });

  it('adds no groups when no two rows share an input row', () => {
    const oneToOne = { aIndex: Int32Array.of(0, 2), bIndex: Int32Array.of(1, 0), separation: Float64Array.of(1, 2) };
    expect(pairJoinRows(oneToOne, 3, 2, '1or2').groups).toBeUndefined();
    expect(pairJoinRows(pairs, 4, 5, '1xor2').groups).toBeUndefined();
  });
});

describe('joinColumnNames', () => {
  it('suffixes names found in more than one table, ignoring case', () => {
    expect(
      joinColumnNames([
        { names: ['id', 'RA', 'dec', 'mag'], suffix: '_1' },
        { names: ['ID', 'ra', 'dec', 'flux'], suffix: '_2' },
        { names: ['Separation'] },
      ]),
    ).toEqual(['id_1', 'RA_1', 'dec_1', 'mag', 'ID_2', 'ra_2', 'dec_2', 'flux', 'Separation']);
  });

  it('adds letters when the suffixed name is taken, and renames inputs named like an added column', () => {
    // STILTS 3.4.7 gives exactly these for in1 = id,ra,dec,ra_1,Separation and in2 = id,ra,dec,flux
    expect(
      joinColumnNames([
        { names: ['id', 'ra', 'dec', 'ra_1', 'Separation'], suffix: '_1' },
        { names: ['id', 'ra', 'dec', 'flux'], suffix: '_2' },
        { names: ['Separation'] },
      ]),
    ).toEqual(['id_1', 'ra_1a', 'dec_1', 'ra_1', 'Separation_1', 'id_2', 'ra_2', 'dec_2', 'flux', 'Separation']);
    expect(joinColumnNames([{ names: ['x', 'x_1', 'x_1a'], suffix: '_1' }, { names: ['x'], suffix: '_2' }])).toEqual(['x_1b', 'x_1', 'x_1a', 'x_2']);
  });

  it('spells the letters in base 26 from a', () => {
    expect([0, 1, 25, 26, 27, 26 * 26].map(letterSuffix)).toEqual(['a', 'b', 'z', 'ba', 'bb', 'baa']);
  });
});

describe('takeRows', () => {
  const rows = Int32Array.of(2, -1, 0, 0, 1);
  const cases: Array<[string, ReturnType<typeof field>, unknown[]]> = [
    ['long beyond 2^53', field('id', 'long'), [6917529027641081856n, 5n, -(2n ** 63n)]],
    ['double', field('x', 'double'), [1.5, NaN, null]],
    ['float arrays', field('pm', 'float', '2'), [[1, 2], null, [5, 6]]],
    ['variable int arrays', field('v', 'int', '*'), [[1, 2, 3], [], null]],
    ['strings', field('s', 'char', '*'), ['abc', null, 'é"x']],
    ['fixed strings', field('s', 'char', '4'), ['ab', 'wxyz', null]],
    ['string arrays', field('s', 'char', '3x*'), [['ab', 'c'], null, ['xyz']]],
    ['complex', field('z', 'doubleComplex'), [[[1, 2]], null, [[3, -4]]]],
    ['booleans', field('b', 'boolean'), [true, false, null]],
  ];
  it.each(cases)('gathers %s, -1 and null rows giving nulls', (_, f, cells) => {
    const column = buildColumn(f, cells);
    const taken = takeRows(column, rows, { ...f, name: 'renamed' });
    expect(taken.field.name).toBe('renamed');
    expect(taken.length).toBe(5);
    const expected = Array.from(rows, (r) => (r < 0 ? null : column.get(r)));
    expect(taken.toArray()).toEqual(expected);
  });

  it('keeps every row valid when no row is null', () => {
    const column = buildColumn(field('x', 'int'), [7, 8, 9]);
    const taken = takeRows(column, Int32Array.of(2, 2, 0));
    expect(taken.validity).toBeNull();
    expect(Array.from(taken.values as Int32Array)).toEqual([9, 9, 7]);
    expect(takeRows(column, new Int32Array(0))).toBeInstanceOf(Column);
  });
});
