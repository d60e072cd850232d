// One cell or PARAM value as text → value, for every datatype (cell-text.ts), with astropy's
// rules (converters.py) where they keep data, and typed errors where data would be lost.
import { describe, expect, it } from 'vitest';
import { parseBooleanText, parseCellText, parseFloatText, parseIntegerText, ValueError, type Field } from '@vokit/votable';

function field(datatype: Field['datatype'], arraysize?: string, nullValue?: string): Field {
  const f: Field = { name: 'p', datatype, arraysize, attributes: {}, links: [] };
  if (nullValue !== undefined) f.values = { null: nullValue, attributes: {}, options: [] };
  return f;
}

const plain = (v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<unknown>) : v);

describe('parseIntegerText', () => {
  it('reads decimal and hex integers like Python int()', () => {
    expect(parseIntegerText(' -12 ', 'int')).toBe(-12);
    expect(parseIntegerText('+7', 'short')).toBe(7);
    expect(parseIntegerText('1_000_000', 'int')).toBe(1000000);
    expect(parseIntegerText('0xFF', 'unsignedByte')).toBe(255);
    expect(parseIntegerText('-9223372036854775808', 'long')).toBe(-9223372036854775808n);
    expect(parseIntegerText('', 'int')).toBeNull();
    expect(parseIntegerText('NaN', 'long')).toBeNull();
  });

  it('rejects garbage, stray underscores and out-of-range values', () => {
    for (const [text, dt] of [
      ['1.5', 'int'],
      ['1__0', 'int'],
      ['_1', 'int'],
      ['-0x10', 'int'],
      ['256', 'unsignedByte'],
      ['2147483648', 'int'],
      ['9223372036854775808', 'long'],
    ] as const) {
      expect(() => parseIntegerText(text, dt), text).toThrow(ValueError);
    }
  });
});

describe('parseFloatText and parseBooleanText', () => {
  it('reads what Python float() reads, plus IRSA null words', () => {
    expect(parseFloatText('1e5')).toBe(100000);
    expect(parseFloatText(' .5 ')).toBe(0.5);
    expect(parseFloatText('5.')).toBe(5);
    expect(parseFloatText('1_0.2_5')).toBe(10.25);
    expect(parseFloatText('-InFiNiTy')).toBe(-Infinity);
    expect(parseFloatText('+nan')).toBeNaN();
    expect(parseFloatText('')).toBeNull();
    expect(parseFloatText('NULL')).toBeNull();
    expect(parseFloatText('---')).toBeNull();
    for (const bad of ['0x10', '1e', 'e5', '.', '1.2.3', 'Infinit', '1,5']) expect(() => parseFloatText(bad), bad).toThrow(ValueError);
  });

  it('reads booleans in any case and rejects the rest', () => {
    expect(['t', 'True', 'F', 'false', '1', '0', '?', ' '].map((t) => parseBooleanText(t))).toEqual([true, true, false, false, true, false, null, null]);
    expect(() => parseBooleanText('y')).toThrow('"y" is not a boolean (expected T, F, true, false, 1, 0 or ?)');
  });
});

describe('parseCellText (PARAM values)', () => {
  it('gives Column.get shapes for every datatype', () => {
    const cases: [Field, string, unknown][] = [
      [field('boolean'), 'T', true],
      [field('bit'), '1', true],
      [field('bit', '3'), '101', [true, false, true]],
      [field('unsignedByte'), '200', 200],
      [field('short'), '-5', -5],
      [field('int'), '42', 42],
      [field('long'), '9007199254740993', 9007199254740993n],
      [field('float'), '0.1', Math.fround(0.1)],
      [field('double'), '0.1', 0.1],
      [field('floatComplex'), '1 2', [1, 2]],
      [field('doubleComplex', '*'), '1 2 3 4', [[1, 2], [3, 4]]],
      [field('char', '*'), ' text ', 'text'],
      [field('char', '3'), 'abcdef', 'abc'],
      [field('unicodeChar', '*'), 'Ωmega', 'Ωmega'],
      [field('int', '2x2'), '1 2 3 4', [1, 2, 3, 4]],
      [field('long', '*'), '1 -1', [1n, -1n]],
      [field('double', '2'), '1, 2', [1, 2]],
      [field('int', '*'), '', []],
      [field('int'), '', null],
      [field('int', undefined, '-1'), '-1', null],
      [field('char', '3x2'), 'ab cd ', ['ab', 'cd']],
    ];
    for (const [f, text, expected] of cases) {
      expect(plain(parseCellText(text, f)), `${f.datatype}[${f.arraysize ?? ''}] ${text}`).toEqual(expected);
    }
  });

  it('checks element counts against arraysize', () => {
    expect(() => parseCellText('1 2 3', field('int', '2'))).toThrow('cell has 3 elements, arraysize "2" allows 2 (the extra ones would be lost)');
    expect(() => parseCellText('1 2 3', field('int', '2x*'))).toThrow('cell has 3 elements, not a multiple of 2 (arraysize "2x*")');
    expect(() => parseCellText('1 2 3', field('doubleComplex'))).toThrow(ValueError);
    expect(plain(parseCellText('1 2 3 4 5 6', field('int', '2x*')))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('puts the location it is given into its errors', () => {
    try {
      parseCellText('abc', field('double'), { row: 3, field: 'p', offset: 99 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValueError);
      expect((e as ValueError).message).toBe('votable row 3 field "p" offset 99: "abc" is not a floating-point number');
    }
  });
});
