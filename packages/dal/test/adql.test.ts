import { describe, expect, it } from 'vitest';
import {
  adql,
  box,
  circle,
  coneCondition,
  DALOptionsError,
  identifier,
  interval,
  isRegularIdentifier,
  literal,
  numberLiteral,
  point,
  polygon,
  pqlRange,
  quoteIdentifier,
  stringLiteral,
} from '../src/index.js';

describe('ADQL identifiers', () => {
  it('leaves regular names alone and quotes the rest', () => {
    expect(identifier('ra').text).toBe('ra');
    expect(identifier('vokit', 'sources').text).toBe('vokit.sources');
    expect(identifier('size').text).toBe('"size"');
    expect(identifier('my col').text).toBe('"my col"');
    expect(identifier('_x').text).toBe('"_x"');
    expect(identifier('Ra').text).toBe('Ra');
  });

  it('doubles double quotes inside delimited identifiers', () => {
    expect(quoteIdentifier('a"b').text).toBe('"a""b"');
    expect(quoteIdentifier('x" OR 1=1 --').text).toBe('"x"" OR 1=1 --"');
  });

  it('recognises reserved words case-insensitively', () => {
    expect(isRegularIdentifier('select')).toBe(false);
    expect(isRegularIdentifier('Distance')).toBe(false);
    expect(isRegularIdentifier('dist')).toBe(true);
  });

  it('refuses empty names and NUL', () => {
    expect(() => quoteIdentifier('')).toThrow(DALOptionsError);
    expect(() => quoteIdentifier('a\0b')).toThrow(/invalid ADQL identifier/);
  });
});

describe('ADQL literals', () => {
  it('escapes single quotes by doubling them', () => {
    expect(stringLiteral("it's").text).toBe("'it''s'");
    expect(stringLiteral("'; DROP TABLE x; --").text).toBe("'''; DROP TABLE x; --'");
  });

  it('writes numbers, bigints, booleans, null, dates and lists', () => {
    expect(numberLiteral(1.5e-7).text).toBe('1.5e-7');
    expect(numberLiteral(9007199254740993n).text).toBe('9007199254740993');
    expect(literal(true).text).toBe('1');
    expect(literal(null).text).toBe('NULL');
    expect(literal(new Date(Date.UTC(2020, 0, 2, 3, 4, 5))).text).toBe("'2020-01-02T03:04:05.000Z'");
    expect(literal(['a', 2, 3n]).text).toBe("'a', 2, 3");
  });

  it('refuses values ADQL cannot write', () => {
    expect(() => numberLiteral(NaN)).toThrow(/no literal for NaN/);
    expect(() => numberLiteral(Infinity)).toThrow(DALOptionsError);
    expect(() => literal([])).toThrow(/empty list/);
    expect(() => literal({})).toThrow(/cannot write a object/);
  });

  it('the adql tag escapes every interpolation', () => {
    const name = "O'Brien";
    const q = adql`SELECT * FROM ${identifier('vokit', 'sources')} WHERE name = ${name} AND source_id IN (${[1n, 2n]}) AND kmag < ${12.5}`;
    expect(q).toBe("SELECT * FROM vokit.sources WHERE name = 'O''Brien' AND source_id IN (1, 2) AND kmag < 12.5");
  });
});

describe('ADQL geometry', () => {
  it('builds points, circles, boxes and polygons', () => {
    expect(point(10, -5).text).toBe('POINT(10, -5)');
    expect(point(10, -5, 'ICRS').text).toBe("POINT('ICRS', 10, -5)");
    expect(circle(155, 5, 0.1).text).toBe('CIRCLE(155, 5, 0.1)');
    expect(box(1, 2, 3, 4).text).toBe('BOX(1, 2, 3, 4)');
    expect(polygon([[0, 0], [1, 0], [1, 1]]).text).toBe('POLYGON(0, 0, 1, 0, 1, 1)');
    expect(coneCondition('ra', 'dec', 0, -30, 0.1).text).toBe('1 = CONTAINS(POINT(ra, dec), CIRCLE(0, -30, 0.1))');
  });

  it('refuses non-finite coordinates and degenerate shapes', () => {
    expect(() => circle(NaN, 0, 1)).toThrow('ra must be a finite number, got NaN');
    expect(() => circle(0, 0, -1)).toThrow('circle radius must be >= 0 degrees, got -1');
    expect(() => polygon([[0, 0], [1, 1]])).toThrow('a polygon needs at least 3 vertices, got 2');
  });
});

describe('interval syntaxes', () => {
  it('writes DALI intervals with open ends', () => {
    expect(interval(4e-7, 5e-7)).toBe('4e-7 5e-7');
    expect(interval(undefined, 5e-7)).toBe('-Inf 5e-7');
    expect(interval(1, Infinity)).toBe('1 +Inf');
    expect(() => interval(2, 1)).toThrow('interval lower bound 2 is above the upper bound 1');
  });

  it('writes PQL ranges with empty open ends', () => {
    expect(pqlRange(4e-7, 5e-7)).toBe('4e-7/5e-7');
    expect(pqlRange(undefined, 5e-7)).toBe('/5e-7');
    expect(pqlRange('2020-01-01', undefined)).toBe('2020-01-01/');
  });
});
