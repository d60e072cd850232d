import { parseVOTableSync } from '@vokit/votable';
import { describe, expect, it } from 'vitest';
import { DALQueryError, DALResults, queryStatusOf, raiseForStatus } from '../src/index.js';
import { fixture } from './support/fixtures.js';

const doc = (inner: string, afterTable = '') =>
  parseVOTableSync(
    `<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE type="results">${inner}` +
      `<TABLE><FIELD name="id" datatype="long" ucd="meta.id;meta.main"/><FIELD name="mag" datatype="float" ucd="phot.mag;em.IR.J"/>` +
      `<FIELD name="url" datatype="char" arraysize="*" utype="ssa:Access.Reference"/>` +
      `<DATA><TABLEDATA><TR><TD>9007199254740993</TD><TD>12.5</TD><TD>http://x/a.fits</TD></TR><TR><TD>2</TD><TD></TD><TD></TD></TR></TABLEDATA></DATA>` +
      `${afterTable}</TABLE></RESOURCE></VOTABLE>`,
  );

describe('query status', () => {
  it('is OK when the document says so, undefined when it says nothing', () => {
    expect(queryStatusOf(doc('<INFO name="QUERY_STATUS" value="OK"/>'))).toEqual({ status: 'OK', message: undefined });
    expect(queryStatusOf(doc(''))).toEqual({});
  });

  it('takes the last QUERY_STATUS in document order (a trailing OVERFLOW wins)', () => {
    const d = doc('<INFO name="QUERY_STATUS" value="OK"/>', '<INFO name="QUERY_STATUS" value="OVERFLOW"/>');
    expect(queryStatusOf(d).status).toBe('OVERFLOW');
    const results = new DALResults(d);
    expect(results.overflow).toBe(true);
  });

  it('raises DALQueryError with the message of an ERROR status (pyvo errorstatus.xml)', () => {
    const d = parseVOTableSync(fixture('pyvo/dal-query-errorstatus.xml'));
    expect(() => raiseForStatus(d, { url: 'http://x/sync' })).toThrow(DALQueryError);
    try {
      raiseForStatus(d, { url: 'http://x/sync', status: 200 });
    } catch (e) {
      expect((e as DALQueryError).serverMessage).toBe('ERROR');
      expect((e as DALQueryError).url).toBe('http://x/sync');
      expect((e as DALQueryError).status).toBe(200);
      expect((e as DALQueryError).message).toBe('query failed (HTTP 200) from http://x/sync: ERROR');
    }
  });

  it('understands the SCS 1.03 INFO name="Error" form', () => {
    const d = doc('<INFO ID="Error" name="Error" value="Field RA: not a number"/>');
    expect(queryStatusOf(d)).toEqual({ status: 'ERROR', message: 'Field RA: not a number' });
  });
});

describe('DALResults', () => {
  const results = new DALResults(doc('<INFO name="QUERY_STATUS" value="OK"/>'), { url: 'http://x/q' });

  it('looks columns up by name, UCD (with wildcards) and utype (prefix optional)', () => {
    expect(results.fieldnames).toEqual(['id', 'mag', 'url']);
    expect(results.fieldnameWithUcd('META.ID;meta.main')).toBe('id');
    expect(results.fieldnameWithUcd('phot.mag;em.IR.*')).toBe('mag');
    expect(results.fieldnameWithUcd('pos.eq.ra')).toBeUndefined();
    expect(results.fieldnameWithUtype('Access.Reference')).toBe('url');
    expect(results.fieldnameWithUtype('ssa:access.reference')).toBe('url');
  });

  it('reads records as views, keeping 64-bit ids exact and nulls as null', () => {
    expect(results.length).toBe(2);
    expect(results.getValue('id', 0)).toBe(9007199254740993n);
    expect(results.getRecord(1).get('mag')).toBeNull();
    expect(results.records[0].getByUcd('phot.mag')).toBe(12.5);
    expect([...results].map((r) => r.getdataurl())).toEqual(['http://x/a.fits', undefined]);
    expect(results.records[0].toObject()).toEqual({ id: 9007199254740993n, mag: 12.5, url: 'http://x/a.fits' });
  });

  it('says which columns exist when one is missing', () => {
    expect(() => results.getColumn('ra')).toThrow('no column "ra" in the results; columns are: id, mag, url');
    expect(() => results.getRecord(2)).toThrow('record 2 out of range: the results have 2 rows');
  });
});
