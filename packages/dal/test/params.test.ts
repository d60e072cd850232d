import { parseVOTableSync } from '@vokit/votable';
import { describe, expect, it } from 'vitest';
import { DALOptionsError, TAPService, formatPos, parseServiceParameters, prepareUploads, sia2Params, toMjd, validateServiceParameters } from '../src/index.js';

describe('SIA 2 parameters', () => {
  it('formats CIRCLE, RANGE and POLYGON, normalising RA', () => {
    expect(formatPos({ circle: [-10, 5, 0.1] })).toBe('CIRCLE 350 5 0.1');
    expect(formatPos({ circle: [152.6, 5, 0.1] })).toBe('CIRCLE 152.6 5 0.1');
    expect(formatPos({ circle: [720.5, 5, 0.1] })).toBe('CIRCLE 0.5 5 0.1');
    expect(formatPos({ range: [350, 10, -Infinity, 0] })).toBe('RANGE 350 10 -Inf 0');
    expect(formatPos({ polygon: [[0, 0], [1, 0], [1, 1]] })).toBe('POLYGON 0 0 1 0 1 1');
    expect(() => formatPos({ polygon: [[0, 0], [1, 1]] })).toThrow('POLYGON needs at least 3 vertices, got 2');
    expect(() => formatPos({ circle: [0, 95, 1] })).toThrow('CIRCLE: Dec must be within [-90, 90] degrees, got 95');
  });

  it('repeats constraints and writes intervals, MJDs and open ends', () => {
    expect(
      sia2Params({
        pos: [{ circle: [1, 2, 3] }, { circle: [4, 5, 6] }],
        band: [5e-7, undefined],
        time: [new Date('2021-03-14T00:00:00Z'), 59300.5],
        pol: ['I', 'Q'],
        exptime: 60,
        calib: [2, 3],
        dptype: 'image',
        maxrec: 10,
      }),
    ).toEqual({
      POS: ['CIRCLE 1 2 3', 'CIRCLE 4 5 6'],
      BAND: ['5e-7 +Inf'],
      TIME: ['59287 59300.5'],
      POL: ['I', 'Q'],
      EXPTIME: ['60 60'],
      CALIB: ['2', '3'],
      DPTYPE: ['image'],
      MAXREC: 10,
    });
    expect(sia2Params({ band: [[1e-7, 2e-7], [5e-7, 6e-7]] }).BAND).toEqual(['1e-7 2e-7', '5e-7 6e-7']);
    expect(toMjd(new Date('1858-11-17T00:00:00Z'))).toBe(0);
  });
});

describe('service parameters (FORMAT=METADATA)', () => {
  const doc = parseVOTableSync(`<VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE type="results">
    <INFO name="QUERY_STATUS" value="OK"/>
    <PARAM name="INPUT:POS" datatype="char" arraysize="*" ucd="pos.eq" unit="deg" value=""><DESCRIPTION>Centre</DESCRIPTION></PARAM>
    <PARAM name="INPUT:INTERSECT" datatype="char" arraysize="*" value="OVERLAPS"><VALUES><OPTION value="OVERLAPS"/><OPTION value="COVERS"/></VALUES></PARAM>
    <PARAM name="INPUT:maxrec" datatype="int" value=""/>
    <PARAM name="INPUT:snr" datatype="double" value=""><VALUES><MIN value="0"/><MAX value="100"/></VALUES></PARAM>
    <PARAM name="OTHER" datatype="int" value="1"/>
    <TABLE><FIELD name="x" datatype="int"/></TABLE></RESOURCE></VOTABLE>`);
  const described = parseServiceParameters(doc, ['POS', 'INTERSECT', 'MAXREC']);

  it('lists the INPUT: parameters with types, options and limits', () => {
    expect(described.map((p) => [p.name, p.datatype, p.standard, p.defaultValue])).toEqual([
      ['POS', 'char', true, undefined],
      ['INTERSECT', 'char', true, 'OVERLAPS'],
      ['maxrec', 'int', true, undefined],
      ['snr', 'double', false, undefined],
    ]);
    expect(described[0]).toMatchObject({ unit: 'deg', ucd: 'pos.eq', description: 'Centre' });
    expect(described[1].options).toEqual(['OVERLAPS', 'COVERS']);
    expect(described[3]).toMatchObject({ min: 0, max: 100 });
  });

  it('validates names, options, numbers and ranges', () => {
    expect(() => validateServiceParameters({ intersect: 'covers', MAXREC: 5, snr: '10/20' }, described)).not.toThrow();
    expect(() => validateServiceParameters({ snr: 101 }, described)).toThrow('parameter "snr" must be within [0, 100], got 101');
    expect(() => validateServiceParameters({ maxrec: 1.5 }, described)).toThrow('parameter "maxrec" needs an integer, got "1.5"');
    expect(() => validateServiceParameters({ snr: 'high' }, described)).toThrow('parameter "snr" needs a number, got "high"');
    expect(() => validateServiceParameters({ SIZE: 1 }, described)).toThrow(DALOptionsError);
  });
});

describe('TAP uploads', () => {
  it('references URLs in UPLOAD and sends local tables as multipart parts', async () => {
    const prepared = prepareUploads({ QUERY: 'SELECT 1', LANG: 'ADQL' }, { remote: 'https://example.org/t.xml', local: '<VOTABLE/>' });
    expect(prepared.params.UPLOAD).toBe('remote,https://example.org/t.xml;local,param:local');
    const boundary = /boundary=(.+)$/.exec(prepared.contentType!)![1];
    const body = await (prepared.body as Blob).text();
    expect(body).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="QUERY"\r\n\r\nSELECT 1\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="LANG"\r\n\r\nADQL\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="UPLOAD"\r\n\r\nremote,https://example.org/t.xml;local,param:local\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="local"; filename="local.xml"\r\nContent-Type: application/x-votable+xml\r\n\r\n<VOTABLE/>\r\n` +
        `--${boundary}--\r\n`,
    );
  });

  it('keeps URL-only uploads in the form and refuses bad names', () => {
    expect(prepareUploads({}, { t: new URL('http://x/t.xml') })).toEqual({ params: { UPLOAD: 't,http://x/t.xml' } });
    expect(() => prepareUploads({}, { 'bad name': '<VOTABLE/>' })).toThrow('upload name "bad name" must be a regular ADQL identifier');
  });
});

describe('TAP options', () => {
  it('refuses bad options before sending anything', async () => {
    const tap = new TAPService('http://127.0.0.1:9/tap');
    await expect(tap.runSync('SELECT 1', { format: 'csv' })).rejects.toThrow('format "csv" is not a VOTable: use runSyncRaw()');
    await expect(tap.runSync('  ')).rejects.toThrow('the query must be a non-empty string');
    await expect(tap.runSync('SELECT 1', { maxrec: -1 })).rejects.toThrow('maxrec must be a non-negative integer, got -1');
    await expect(tap.runSync('SELECT 1', { uploads: { 'a-b': '<VOTABLE/>' } })).rejects.toThrow(DALOptionsError);
  });
});
