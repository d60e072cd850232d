import { describe, expect, it } from 'vitest';
import { paramsFromPairs, parseDegrees, parseKeyValues, parseMaxrec, parsePosition, parseRange, parseSeconds, parseTimeout } from '../src/dal-args.js';
import { UsageError } from '../src/errors.js';

describe('DAL command-line values', () => {
  it('reads positions with a comma or a space, negative values included', () => {
    expect(parsePosition('scs', '155,5')).toEqual([155, 5]);
    expect(parsePosition('scs', ' -10.5 , -30 ')).toEqual([-10.5, -30]);
    expect(parsePosition('scs', '0 90')).toEqual([0, 90]);
    expect(parsePosition('scs', '1e2,-8.5e1')).toEqual([100, -85]);
  });

  it('refuses positions that are missing, malformed or beyond the poles', () => {
    expect(() => parsePosition('scs', undefined)).toThrow('scs: --pos RA,DEC is required (degrees, e.g. --pos 155,5 or --pos=-10.5,-30)');
    expect(() => parsePosition('sia', '155')).toThrow('sia: --pos needs RA,DEC in degrees, e.g. --pos 155,5 (got "155")');
    expect(() => parsePosition('sia', '155,5,1')).toThrow(UsageError);
    expect(() => parsePosition('sia', '10h,5')).toThrow('sia: --pos needs RA,DEC in degrees');
    expect(() => parsePosition('sia', 'Infinity,5')).toThrow('sia: --pos needs RA,DEC in degrees');
    expect(() => parsePosition('ssa', '10,-90.5')).toThrow('ssa: --pos Dec must be within [-90, 90] degrees (got -90.5)');
  });

  it('reads sizes in (0, 180] degrees, row limits and timeouts', () => {
    expect(parseDegrees('scs', 'size', '0.1')).toBe(0.1);
    expect(parseDegrees('scs', 'size', '180')).toBe(180);
    expect(parseDegrees('scs', 'size', undefined, false)).toBeUndefined();
    expect(() => parseDegrees('scs', 'size', undefined)).toThrow('scs: --size DEG is required (degrees, e.g. --size 0.1)');
    expect(() => parseDegrees('scs', 'size', '0')).toThrow('scs: --size needs a number of degrees in (0, 180] (got "0")');
    expect(() => parseDegrees('scs', 'size', '181')).toThrow('(got "181")');
    expect(parseMaxrec('tap', '0')).toBe(0);
    expect(parseMaxrec('tap', '17')).toBe(17);
    expect(parseMaxrec('tap', undefined)).toBeUndefined();
    expect(() => parseMaxrec('tap', '1.5')).toThrow('tap: --maxrec needs a whole number of rows, 0 or more (got "1.5")');
    expect(() => parseMaxrec('tap', '-1')).toThrow(UsageError);
    expect(parseTimeout('tap', '2.5')).toBe(2500);
    expect(parseTimeout('tap', '0.0001')).toBe(1);
    expect(() => parseTimeout('tap', '0')).toThrow('tap: --timeout needs a positive number of seconds (got "0")');
    expect(parseSeconds('tap', 'execution-duration', '10')).toBe(10);
    expect(parseSeconds('tap', 'execution-duration', undefined)).toBeUndefined();
    expect(() => parseSeconds('tap', 'execution-duration', '-3')).toThrow('tap: --execution-duration needs a positive number of seconds (got "-3")');
  });

  it('reads repeated key=value options in order, values may hold = and be empty', () => {
    expect(parseKeyValues('tap', 'param', ['A=1', 'b.c-d=x=y', 'E='])).toEqual([
      ['A', '1'],
      ['b.c-d', 'x=y'],
      ['E', ''],
    ]);
    expect(parseKeyValues('tap', 'param', undefined)).toEqual([]);
    expect(() => parseKeyValues('tap', 'upload', ['mine'])).toThrow('tap: --upload needs name=value, with a name made of letters, digits and _ (got "mine")');
    expect(() => parseKeyValues('tap', 'upload', ['=x'])).toThrow(UsageError);
    expect(paramsFromPairs([['A', '1'], ['B', '2'], ['A', '3'], ['A', '4']])).toEqual({ A: ['1', '3', '4'], B: '2' });
  });

  it('reads ranges with / or , and open ends, checking numbers when asked', () => {
    expect(parseRange('ssa', 'band', '5e-7/6e-7', true)).toEqual({ lo: '5e-7', hi: '6e-7' });
    expect(parseRange('ssa', 'band', '5e-7,', true)).toEqual({ lo: '5e-7', hi: undefined });
    expect(parseRange('ssa', 'band', '/6e-7', true)).toEqual({ lo: undefined, hi: '6e-7' });
    expect(parseRange('ssa', 'band', '6.5e-7', true)).toEqual({ single: '6.5e-7' });
    // ISO dates keep their colons and dashes; only / separates them
    expect(parseRange('ssa', 'time', '2023-01-01T00:00:00Z/2023-02-15', false)).toEqual({ lo: '2023-01-01T00:00:00Z', hi: '2023-02-15' });
    expect(parseRange('ssa', 'band', undefined, true)).toBeUndefined();
    expect(() => parseRange('ssa', 'band', '6e-7/5e-7', true)).toThrow('ssa: --band has its low end above its high end (got "6e-7/5e-7")');
    expect(() => parseRange('ssa', 'band', 'red/blue', true)).toThrow('ssa: --band needs numbers as LO/HI, LO/ or /HI, or one value (got "red/blue")');
    expect(() => parseRange('ssa', 'band', '/', true)).toThrow('ssa: --band needs at least one end (got "/")');
    expect(() => parseRange('ssa', 'band', '1/2/3', true)).toThrow('ssa: --band needs LO/HI with one separator (got "1/2/3")');
  });
});
