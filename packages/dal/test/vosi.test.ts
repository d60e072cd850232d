import { describe, expect, it } from 'vitest';
import {
  accessUrlOf,
  hasLanguageFeature,
  parseAvailability,
  parseCapabilities,
  parseExamples,
  parseTables,
} from '../src/index.js';
import { fixture } from './support/fixtures.js';

describe('parseCapabilities', () => {
  const caps = parseCapabilities(fixture('pyvo/io-vosi-capabilities.xml'));

  it('lists every capability with its standardID and interfaces', () => {
    expect(caps.map((c) => c.standardId)).toEqual([
      'ivo://ivoa.net/std/VOSI#availability',
      'ivo://ivoa.net/std/VOSI#capabilities',
      'ivo://ivoa.net/std/VOSI#tables',
      'ivo://ivoa.net/std/TAP',
    ]);
    expect(caps[3].type).toBe('TableAccess');
    expect(caps[3].interfaces[0]).toEqual({
      type: 'ParamHTTP',
      role: 'std',
      version: undefined,
      accessUrls: [{ url: 'http://example.org/tap', use: 'base' }],
      securityMethods: [],
    });
  });

  it('reads the TAPRegExt details', () => {
    const tap = caps[3];
    expect(tap.dataModels.map((d) => d.ivoId)).toEqual([
      'ivo://ivoa.net/std/ObsCore#table-1.1',
      'ivo://ivoa.net/std/RegTAP#1.0',
      'ivo://org.gavo.dc/std/glots#tables-1.0',
      'ivo://ivoa.net/std/ObsCore/v1.0',
    ]);
    expect(tap.languages).toHaveLength(1);
    expect(tap.languages[0].versions).toEqual([{ version: '2.0', ivoId: 'ivo://ivoa.net/std/ADQL#v2.0' }]);
    expect(tap.languages[0].features).toEqual([
      { type: 'ivo://ivoa.net/std/TAPRegExt#features-udf', form: 'form 1', description: 'description 1' },
      { type: 'ivo://ivoa.net/std/TAPRegExt#features-udf', form: 'form 2', description: 'description 2' },
      { type: 'ivo://ivoa.net/std/TAPRegExt#features-adqlgeo', form: 'BOX', description: undefined },
      { type: 'ivo://ivoa.net/std/TAPRegExt#features-adqlgeo', form: 'POINT', description: undefined },
    ]);
    expect(tap.outputFormats).toEqual([
      { mime: 'text/xml', aliases: [], ivoId: 'ivo://ivoa.net/std/TAPRegExt#output-votable-binary' },
      { mime: 'text/html', aliases: ['html'], ivoId: undefined },
    ]);
    expect(tap.uploadMethods).toEqual(['ivo://ivoa.net/std/TAPRegExt#upload-https', 'ivo://ivoa.net/std/TAPRegExt#upload-inline']);
    expect(tap.retentionPeriod).toEqual({ default: 172800, hard: undefined });
    expect(tap.executionDuration).toEqual({ default: 3600, hard: undefined });
    expect(tap.outputLimit).toEqual({ default: { value: 2000, unit: 'row' }, hard: { value: 10000000, unit: 'row' } });
    expect(tap.uploadLimit).toEqual({ default: undefined, hard: { value: 100000000, unit: 'byte' } });
    expect(hasLanguageFeature(tap, 'ivo://ivoa.net/std/TAPRegExt#features-adqlgeo', 'point')).toBe(true);
    expect(hasLanguageFeature(tap, 'ivo://ivoa.net/std/TAPRegExt#features-adqlgeo', 'CIRCLE')).toBe(false);
  });

  it('finds VOSI endpoints by standard', () => {
    expect(accessUrlOf(caps, 'ivo://ivoa.net/std/VOSI#tables')).toBe('http://example.org/tap/tables');
    expect(accessUrlOf(caps, 'ivo://ivoa.net/std/SSA')).toBeUndefined();
  });

  it('keeps capabilities without a standardID (DaCHS web browser capabilities)', () => {
    const doc = `<cap:capabilities xmlns:cap="http://www.ivoa.net/xml/VOSICapabilities/v1.0" xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <capability><interface xsi:type="vr:WebBrowser"><accessURL use="full">http://x/form</accessURL></interface></capability>
      <capability standardID="ivo://ivoa.net/std/SIA#query-2.0"><interface xsi:type="vs:ParamHTTP" role="std"><accessURL use="base">http://x/siap2.xml</accessURL></interface></capability>
    </cap:capabilities>`;
    const parsed = parseCapabilities(doc);
    expect(parsed.map((c) => c.standardId)).toEqual([undefined, 'ivo://ivoa.net/std/SIA#query-2.0']);
    expect(parsed[0].interfaces[0].type).toBe('WebBrowser');
    expect(accessUrlOf(parsed, 'ivo://ivoa.net/std/SIA')).toBe('http://x/siap2.xml');
  });
});

describe('SIA 2 capabilities with authenticated interfaces (pyvo sia2/capabilities.xml)', () => {
  const caps = parseCapabilities(fixture('pyvo/dal-sia2-capabilities.xml'));

  it('keeps each interface with its security methods', () => {
    const sia = caps.find((c) => c.standardId === 'ivo://ivoa.net/std/SIA#query-2.0')!;
    expect(sia.interfaces.map((i) => [i.accessUrls[0].url, i.securityMethods])).toEqual([
      ['https://example.com/sia/v2query', []],
      ['https://example.com/sia/auth-v2query', ['ivo://ivoa.net/sso#BasicAA']],
      ['https://example.com/sia/v2query', ['ivo://ivoa.net/sso#cookie']],
      ['https://example.com/sia/v2query', ['ivo://ivoa.net/sso#tls-with-certificate']],
    ]);
  });

  it('picks the anonymous interface', () => {
    expect(accessUrlOf(caps, 'ivo://ivoa.net/std/SIA#query-2.0')).toBe('https://example.com/sia/v2query');
  });
});

describe('parseTables', () => {
  it('reads a single-table document (VOSI 1.1 tables/<name>, pyvo lazy-table1.xml)', () => {
    const [schema] = parseTables(fixture('pyvo/dal-tap-lazy-table1.xml'));
    expect(schema.tables.map((t) => [t.name, t.title, t.columns?.map((c) => c.name)])).toEqual([['test.table1', 'Test table 1', ['id']]]);
  });

  it('reads schemas, tables, columns and foreign keys (pyvo tables.xml)', () => {
    const [schema] = parseTables(fixture('pyvo/io-vosi-tables.xml'));
    expect(schema.name).toBe('test');
    expect(schema.description).toBe('This is a unittest schema');
    const [table] = schema.tables;
    expect(table).toMatchObject({ name: 'test.all', title: 'Test table', utype: 'utype', nrows: 30 });
    expect(table.columns).toEqual([
      {
        name: 'id',
        description: 'Primary key',
        unit: 'unit',
        ucd: 'meta.id;meta.main',
        utype: 'utype',
        datatype: 'VARCHAR',
        arraysize: '*',
        xtype: undefined,
        typeSystem: 'TAP',
        flags: ['indexed', 'primary'],
        std: false,
      },
    ]);
    expect(table.foreignKeys).toEqual([
      { targetTable: 'test.foreigntable', columns: [{ from: 'testkey', target: 'testkey' }], description: 'Test foreigner', utype: 'utype' },
    ]);
  });

  it('leaves columns undefined for detail=min tables', () => {
    const [schema] = parseTables('<tableset><schema><name>s</name><table><name>s.t</name></table></schema></tableset>');
    expect(schema.tables[0].columns).toBeUndefined();
  });
});

describe('parseAvailability', () => {
  it('reads availability and notes (pyvo availability.xml)', () => {
    expect(parseAvailability(fixture('pyvo/io-vosi-availability.xml'))).toEqual({
      available: true,
      upSince: '2000-00-00T00:00:00Z',
      downAt: '2666-00-00T00:00:00Z',
      backAt: '2666-23-23T13:37:00Z',
      notes: ['foo', 'bar'],
    });
  });
});

describe('parseExamples', () => {
  it('extracts DALI examples from HTML that is not XML (pyvo examples.htm)', () => {
    const examples = parseExamples(fixture('pyvo/dal-tap-examples.htm'));
    expect(examples.map((e) => e.id)).toEqual(['QueryContainsPointCircle', 'CrossMatch', 'QueryCirclesIntersect', 'QueryPolygon', 'QueryDistance']);
    expect(examples[0].name).toBe('Simple geometric query on rosmaster with circle and point');
    expect(examples[0].query?.replace(/\s+/g, ' ')).toBe(
      "SELECT * FROM rosmaster WHERE exposure > 10000 and 1=CONTAINS(POINT('ICRS', ra, dec),CIRCLE('ICRS', 50, -85, 1))",
    );
    expect(examples[4].properties.continuation).toEqual(['ObsCore queries']);
  });
});
