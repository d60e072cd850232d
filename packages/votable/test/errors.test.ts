// Table-driven check of every error class in src/errors.ts (STYLE.md §11): stable code, name,
// where-and-what message, ES2022 cause, and the Symbol.for brand that keeps `instanceof
// VOTableError` true across two installed copies of the package (undici lib/core/errors.js).
import { describe, expect, it } from 'vitest';
import * as votable from '@vokit/votable';
import {
  ArraySizeError,
  BinaryDecodeError,
  FitsError,
  OptionsError,
  SecurityError,
  StreamReferenceError,
  TruncatedError,
  UnknownDatatypeError,
  ValueError,
  VOTableError,
  VOTableStructureError,
  VOTableXMLError,
  WriteError,
  type ErrorLocation,
} from '@vokit/votable';

type AnyErrorClass = new (message: string, where?: ErrorLocation, options?: { cause?: unknown }) => VOTableError;

/** Every class with its code; UnknownDatatypeError (datatype first) is covered on its own below. */
const CLASSES: Array<[AnyErrorClass, string]> = [
  [VOTableError, 'VOTABLE_ERROR'],
  [VOTableXMLError, 'VOTABLE_XML'],
  [VOTableStructureError, 'VOTABLE_STRUCTURE'],
  [ArraySizeError, 'VOTABLE_ARRAYSIZE'],
  [ValueError, 'VOTABLE_VALUE'],
  [TruncatedError, 'VOTABLE_TRUNCATED'],
  [BinaryDecodeError, 'VOTABLE_BINARY'],
  [FitsError, 'VOTABLE_FITS'],
  [SecurityError, 'VOTABLE_SECURITY'],
  [StreamReferenceError, 'VOTABLE_STREAM_REFERENCE'],
  [WriteError, 'VOTABLE_WRITE'],
  [OptionsError, 'VOTABLE_OPTIONS'],
];

const BRAND = Symbol.for('vokit.votable.error');

/** What a VOTableError thrown by another installed copy of the package looks like to this one. */
function foreignCopy(code: string): Error {
  const err = new Error('votable offset 3: from another copy');
  Object.defineProperty(err, BRAND, { get: () => true });
  Object.defineProperty(err, 'code', { value: code });
  return err;
}

describe('errors', () => {
  it('covers every error class the package exports', () => {
    const exported = Object.entries(votable)
      .filter(([, value]) => typeof value === 'function' && (value === VOTableError || value.prototype instanceof VOTableError))
      .map(([name]) => name)
      .sort();
    const tested = [...CLASSES.map(([cls]) => cls.name), UnknownDatatypeError.name].sort();
    expect(exported).toEqual(tested);
  });

  it('gives every class a distinct stable code', () => {
    const codes = [...CLASSES.map(([, code]) => code), 'VOTABLE_UNKNOWN_DATATYPE'];
    expect(new Set(codes).size).toBe(codes.length);
  });

  describe.each(CLASSES.map(([Cls, code]) => ({ name: Cls.name, Cls, code })))('$name', ({ name, Cls, code }) => {

    it(`has code ${code} and name ${name}`, () => {
      const err = new Cls('bad thing');
      expect(err.code).toBe(code);
      expect(err.name).toBe(name);
      expect(err).toBeInstanceOf(Error);
      expect(err).toBeInstanceOf(VOTableError);
      expect(err).toBeInstanceOf(Cls);
      expect(Object.prototype.toString.call(err)).toBe('[object Error]');
      expect(String(err)).toBe(`${name}: votable: bad thing`);
    });

    it('says where: table, row, field, line and offset in that order', () => {
      const where = { table: 2, row: 17, field: 'mag', line: 40, offset: 1234 };
      const err = new Cls('need 4 bytes, have 1', where);
      expect(err.message).toBe('votable table 2 row 17 field "mag" line 40 offset 1234: need 4 bytes, have 1');
      expect(err.where).toEqual(where);
    });

    it('leaves out table 0 and unknown parts of the location', () => {
      expect(new Cls('x', { table: 0, offset: 0 }).message).toBe('votable offset 0: x');
      expect(new Cls('x', { row: 0 }).message).toBe('votable row 0: x');
      expect(new Cls('x', {}).message).toBe('votable: x');
      expect(new Cls('x').where).toEqual({});
    });

    it('keeps the cause (ES2022)', () => {
      const cause = new RangeError('offset out of bounds');
      const err = new Cls('wrapped', { offset: 9 }, { cause });
      expect(err.cause).toBe(cause);
      expect(new Cls('no cause').cause).toBeUndefined();
    });

    it('is recognised as a VOTableError from another copy through the Symbol.for brand', () => {
      const other = foreignCopy(code);
      expect(other).toBeInstanceOf(VOTableError);
      // Subclass checks stay prototype-based: a foreign object is not this copy's subclass.
      if (Cls !== VOTableError) expect(other instanceof Cls).toBe(false);
      expect((new Cls('x') as unknown as Record<symbol, unknown>)[BRAND]).toBe(true);
    });
  });

  describe('UnknownDatatypeError', () => {
    it('names the datatype, the accepted ones, and where', () => {
      const err = new UnknownDatatypeError('bar', { field: 'foo', line: 8 });
      expect(err.code).toBe('VOTABLE_UNKNOWN_DATATYPE');
      expect(err.name).toBe('UnknownDatatypeError');
      expect(err.datatype).toBe('bar');
      expect(err.where).toEqual({ field: 'foo', line: 8 });
      expect(err.message).toBe(
        'votable field "foo" line 8: unknown datatype "bar" (expected one of boolean, bit, unsignedByte, short, int, long, char, unicodeChar, float, double, floatComplex, doubleComplex)',
      );
      expect(err).toBeInstanceOf(VOTableError);
      expect(err).toBeInstanceOf(UnknownDatatypeError);
      expect(foreignCopy('VOTABLE_UNKNOWN_DATATYPE') instanceof UnknownDatatypeError).toBe(false);
    });
  });

  describe('the brand test refuses look-alikes', () => {
    it.each([
      ['a plain Error', new Error('votable: x')],
      ['an error with a code but no brand', Object.assign(new Error('x'), { code: 'VOTABLE_XML' })],
      ['a brand that is not exactly true', Object.defineProperty(new Error('x'), BRAND, { value: 1 })],
      ['a brand under a different Symbol', Object.defineProperty(new Error('x'), Symbol('vokit.votable.error'), { value: true })],
      ['null', null],
      ['a string', 'VOTableError'],
      ['undefined', undefined],
    ])('%s is not a VOTableError', (_label, value) => {
      expect(value instanceof VOTableError).toBe(false);
    });

    it('accepts a branded plain object (what a second copy produces)', () => {
      expect({ [BRAND]: true } instanceof VOTableError).toBe(true);
    });
  });
});
