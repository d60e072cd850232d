// The public reading API: every input shape, gzip, streaming batches, the metadata model,
// versions and namespaces, STREAM hrefs and FITS, and the errors for bad or cut input.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ArraySizeError,
  BinaryDecodeError,
  getColumn,
  getFirstTable,
  iterTables,
  OptionsError,
  parseVOTable,
  parseVOTableSync,
  queryStatus,
  StreamReferenceError,
  streamVOTable,
  tableRows,
  TruncatedError,
  UnknownDatatypeError,
  VOTableStructureError,
  VOTableXMLError,
  type VOTableDocument,
  type VOTableEvent,
} from '@vokit/votable';
import { documentSnapshot } from './support/snapshot.js';
import { SYNTHETIC } from './support/synthetic.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixture = (name: string) => new Uint8Array(readFileSync(FIXTURES + name));

const VALID = fixture('astropy/valid_votable.xml');

function expectValid(doc: VOTableDocument): void {
  const t = getFirstTable(doc);
  expect(t.rowCount).toBe(3);
  expect(t.columns.map((c) => c.toArray())).toEqual([
    [Math.fround(10.68), Math.fround(287.43), Math.fround(23.48)],
    [Math.fround(41.27), Math.fround(-63.85), Math.fround(30.66)],
    ['N 224', 'N 6744', 'N 598'],
    [-297, 839, -182],
    [5, 6, 3],
    [Math.fround(0.7), Math.fround(10.4), Math.fround(0.7)],
  ]);
}

async function failure(p: Promise<unknown> | (() => unknown)): Promise<Error> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

describe('inputs', () => {
  it('reads bytes, ArrayBuffer, string, ReadableStream, async iterable, Node stream and chunk arrays alike', async () => {
    const text = new TextDecoder().decode(VALID);
    const expected = JSON.stringify(documentSnapshot(parseVOTableSync(VALID)));
    const pieces = [VALID.subarray(0, 700), VALID.subarray(700, 701), VALID.subarray(701)];
    const inputs: [string, unknown][] = [
      ['Uint8Array', VALID],
      ['ArrayBuffer', VALID.slice().buffer],
      ['string', text],
      ['ReadableStream', new Blob([VALID]).stream()],
      [
        'async iterable of strings',
        (async function* () {
          yield text.slice(0, 100);
          yield text.slice(100);
        })(),
      ],
      ['Node Readable', Readable.from(pieces.map((p) => Buffer.from(p)))],
      ['array of chunks', pieces],
    ];
    for (const [name, input] of inputs) {
      const doc = await parseVOTable(input as Parameters<typeof parseVOTable>[0]);
      expect(JSON.stringify(documentSnapshot(doc)), name).toBe(expected);
    }
    expectValid(parseVOTableSync(text));
  });

  it('sniffs gzip by its magic bytes, streaming and sync', async () => {
    const gz = gzipSync(VALID);
    expectValid(await parseVOTable(gz));
    expectValid(parseVOTableSync(gz));
    expectValid(await parseVOTable(Readable.from([gz.subarray(0, 1), gz.subarray(1, 50), gz.subarray(50)])));
    const doc = await parseVOTable(fixture('astropy/too_many_columns.xml.gz')).catch((e: Error) => e);
    // The astropy fixture is gzipped and declares datatype="string": read, then rejected.
    expect(doc).toBeInstanceOf(UnknownDatatypeError);
  });

  it('turns corrupt and cut gzip into typed errors that keep the decompressor message', async () => {
    const gz = gzipSync(VALID);
    const corrupt = gz.slice();
    corrupt[gz.length - 5] ^= 0xff; // the CRC-32/length trailer
    for (const e of [await failure(parseVOTable(corrupt)), await failure(() => parseVOTableSync(corrupt))]) {
      expect(e).toBeInstanceOf(StreamReferenceError);
      expect(e.message).toMatch(/^votable: the gzip-compressed input does not decompress: /);
      expect((e as Error).cause).toBeInstanceOf(Error);
    }
    const cut = gz.subarray(0, gz.length >> 1);
    expect(await failure(parseVOTable(cut))).toBeInstanceOf(TruncatedError);
    expect(await failure(() => parseVOTableSync(cut))).toBeInstanceOf(TruncatedError);
  });

  it('rejects inputs that are not documents and options that cannot work', async () => {
    expect(await failure(parseVOTable(42 as never))).toBeInstanceOf(OptionsError);
    expect(await failure(() => parseVOTableSync(VALID, { batchRows: 0 }))).toBeInstanceOf(OptionsError);
    expect(await failure(() => parseVOTableSync(VALID, { maxEntityExpansions: -1 }))).toBeInstanceOf(OptionsError);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    expect((await failure(parseVOTable(VALID, { signal: controller.signal }))).message).toBe('stop');
    const late = new AbortController();
    const it = streamVOTable(
      (async function* () {
        yield VALID.subarray(0, 500);
        late.abort(new Error('late stop'));
        yield VALID.subarray(500);
      })(),
      { signal: late.signal },
    );
    expect((await failure((async () => { for await (const _ of it) { /* drain */ } })())).message).toBe('late stop');
  });
});

describe('streamVOTable', () => {
  it('yields table, bounded row batches and end, in document order', async () => {
    const rows = 1000;
    const body = Array.from({ length: rows }, (_, i) => `<TR><TD>${i}</TD><TD>${i * 0.5}</TD></TR>`).join('\n');
    const xml = `<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE>
<TABLE name="a"><FIELD name="i" datatype="int"/><FIELD name="x" datatype="double"/><DATA><TABLEDATA>${body}</TABLEDATA></DATA></TABLE>
<TABLE name="b"><FIELD name="i" datatype="int"/></TABLE>
</RESOURCE></VOTABLE>`;
    const events: VOTableEvent[] = [];
    for await (const ev of streamVOTable(xml, { batchRows: 300 })) events.push(ev);
    expect(events.map((e) => (e.type === 'rows' ? `rows ${e.rowOffset}+${e.rowCount}` : e.type === 'table' ? `table ${e.table.name} ${e.path}` : e.type))).toEqual([
      'table a 0,0',
      'rows 0+300',
      'rows 300+300',
      'rows 600+300',
      'rows 900+100',
      'table b 0,1',
      'end',
    ]);
    const batches = events.filter((e): e is Extract<VOTableEvent, { type: 'rows' }> => e.type === 'rows');
    expect(batches.flatMap((b) => b.columns[0].toArray())).toEqual(Array.from({ length: rows }, (_, i) => i));
    expect(batches.flatMap((b) => b.columns[1].toArray())).toEqual(Array.from({ length: rows }, (_, i) => i * 0.5));
    const end = events.at(-1) as Extract<VOTableEvent, { type: 'end' }>;
    const [a, b] = [...iterTables(end.document)];
    expect([a.rowCount, a.columns.length, b.rowCount]).toEqual([rows, 0, 0]);
  });

  it('streams BINARY2 in batches too', async () => {
    const events: VOTableEvent[] = [];
    for await (const ev of streamVOTable(fixture('astropy/vizier_b2_votable.xml'), { batchRows: 7 })) events.push(ev);
    expect(events.filter((e) => e.type === 'rows').map((e) => (e as { rowCount: number }).rowCount)).toEqual([7, 7, 6]);
    const whole = getFirstTable(await parseVOTable(fixture('astropy/vizier_b2_votable.xml')));
    const streamed = events.filter((e): e is Extract<VOTableEvent, { type: 'rows' }> => e.type === 'rows');
    expect(streamed.flatMap((e) => e.columns[0].toArray())).toEqual(whole.columns[0].toArray());
  });
});

describe('the metadata model', () => {
  it('keeps every metadata element and attribute', () => {
    const xml = `<?xml version="1.0"?>
<VOTABLE version="1.5" ID="doc" xmlns="http://www.ivoa.net/xml/VOTable/v1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" extra="kept">
 <DESCRIPTION> Top level </DESCRIPTION>
 <DEFINITIONS><COOSYS ID="old" system="eq_FK4" equinox="B1950"/><PARAM name="p0" datatype="int" value="1"/></DEFINITIONS>
 <COOSYS ID="sys" system="ICRS" epoch="J2015.5" refposition="BARYCENTER"/>
 <TIMESYS ID="ts" timeorigin="2400000.5" timescale="TCB" refposition="BARYCENTER"/>
 <GROUP ID="g0" name="top"><PARAMref ref="p1" ucd="x"/></GROUP>
 <PARAM ID="p1" name="radius" datatype="double" unit="deg" value="0.5" ucd="phys.angSize"/>
 <INFO name="QUERY_STATUS" value="OK"/>
 <RESOURCE ID="r1" name="res" type="results" utype="u:r">
  <DESCRIPTION>A resource</DESCRIPTION>
  <INFO name="provider" value="me">text &amp; more</INFO>
  <LINK content-role="doc" content-type="text/html" href="http://example.org/" title="t" action="a"/>
  <TABLE ID="t1" name="main" nrows="2" ucd="meta.table" utype="u:t">
   <DESCRIPTION>The table</DESCRIPTION>
   <INFO name="before" value="1"/>
   <FIELD name="id" ID="f1" datatype="long" ucd="meta.id" utype="u:id" xtype="x" ref="sys" width="10" precision="3" unit="" type="hidden">
    <DESCRIPTION>identifier</DESCRIPTION>
    <VALUES ID="v1" type="actual" null="-1">
     <MIN value="0" inclusive="no"/><MAX value="100"/>
     <OPTION name="a" value="1"><OPTION name="b" value="2"/></OPTION>
    </VALUES>
    <LINK href="http://example.org/id"/>
   </FIELD>
   <FIELD name="mag" datatype="float" arraysize="2x*"><VALUES ref="v1"/></FIELD>
   <PARAM name="band" datatype="char" arraysize="*" value="G"/>
   <PARAM name="ivec" datatype="int" arraysize="3" value="1 2 3"/>
   <PARAM name="bad" datatype="double" value="[0. 0.]"/>
   <GROUP name="phot" ucd="phot"><DESCRIPTION>g</DESCRIPTION><FIELDref ref="f1"/><PARAM name="gp" datatype="boolean" value="T"/><GROUP name="inner"/></GROUP>
   <LINK href="http://example.org/table"/>
   <DATA><TABLEDATA><TR><TD>1</TD><TD>1 2</TD></TR><TR><TD>-1</TD><TD/></TR></TABLEDATA>
    <INFO name="inside-data" value="x"/></DATA>
   <INFO name="QUERY_STATUS" value="OVERFLOW">Truncated at 2 rows</INFO>
  </TABLE>
  <RESOURCE type="meta"><PARAM name="standardID" datatype="char" arraysize="*" value="ivo://x"/></RESOURCE>
  <INFO name="after" value="tables"/>
 </RESOURCE>
 <INFO name="end" value="last"/>
</VOTABLE>`;
    const doc = parseVOTableSync(xml);
    expect(doc.version).toBe('1.5');
    expect(doc.namespace).toBe('http://www.ivoa.net/xml/VOTable/v1.3');
    expect(doc.id).toBe('doc');
    expect(doc.attributes.extra).toBe('kept');
    expect(doc.description).toBe('Top level');
    expect(doc.definitions!.coosys[0]).toMatchObject({ id: 'old', system: 'eq_FK4', equinox: 'B1950' });
    expect(doc.definitions!.params[0]).toMatchObject({ name: 'p0', parsedValue: 1 });
    expect(doc.coosys).toEqual([
      { id: 'sys', system: 'ICRS', epoch: 'J2015.5', refposition: 'BARYCENTER', attributes: { ID: 'sys', system: 'ICRS', epoch: 'J2015.5', refposition: 'BARYCENTER' } },
    ]);
    expect(doc.timesys[0]).toMatchObject({ id: 'ts', timeorigin: '2400000.5', timescale: 'TCB', refposition: 'BARYCENTER' });
    expect(doc.groups[0]).toMatchObject({ id: 'g0', name: 'top', paramRefs: [{ ref: 'p1', ucd: 'x' }], fieldRefs: [] });
    expect(doc.params[0]).toMatchObject({ id: 'p1', name: 'radius', unit: 'deg', value: '0.5', parsedValue: 0.5 });
    expect(doc.infos.map((i) => i.name)).toEqual(['QUERY_STATUS']);
    expect(doc.infosAfter.map((i) => i.name)).toEqual(['end']);
    const r = doc.resources[0];
    expect(r).toMatchObject({ id: 'r1', name: 'res', type: 'results', utype: 'u:r', description: 'A resource' });
    expect(r.infos).toEqual([{ name: 'provider', value: 'me', content: 'text & more', attributes: { name: 'provider', value: 'me' } }]);
    expect(r.links[0]).toMatchObject({ contentRole: 'doc', contentType: 'text/html', href: 'http://example.org/', title: 't', action: 'a' });
    expect(r.infosAfter.map((i) => i.name)).toEqual(['after']);
    expect(r.resources[0]).toMatchObject({ type: 'meta', params: [{ name: 'standardID', parsedValue: 'ivo://x' }] });
    const t = r.tables[0];
    expect(t).toMatchObject({ id: 't1', name: 'main', nrows: 2, ucd: 'meta.table', utype: 'u:t', description: 'The table', rowCount: 2 });
    expect(t.infos.map((i) => i.name)).toEqual(['before']);
    expect(t.infosAfterData.map((i) => [i.name, i.content])).toEqual([
      ['inside-data', undefined],
      ['QUERY_STATUS', 'Truncated at 2 rows'],
    ]);
    const [id, mag] = t.fields;
    expect(id).toMatchObject({
      name: 'id', id: 'f1', datatype: 'long', ucd: 'meta.id', utype: 'u:id', xtype: 'x', ref: 'sys', width: 10, precision: '3', unit: '', type: 'hidden', description: 'identifier',
    });
    expect(id.values).toMatchObject({ id: 'v1', type: 'actual', null: '-1', min: { value: '0', inclusive: false }, max: { value: '100', inclusive: true } });
    expect(id.values!.options).toMatchObject([{ name: 'a', value: '1', options: [{ name: 'b', value: '2', options: [] }] }]);
    expect(id.links).toMatchObject([{ href: 'http://example.org/id' }]);
    // VALUES ref takes the referenced VALUES' null (astropy does the same).
    expect(mag.values).toMatchObject({ ref: 'v1', null: '-1' });
    expect(mag.arraysize).toBe('2x*');
    expect(t.params.map((p) => [p.name, p.value, p.parsedValue])).toEqual([
      ['band', 'G', 'G'],
      ['ivec', '1 2 3', new Int32Array([1, 2, 3])],
      ['bad', '[0. 0.]', undefined],
    ]);
    expect(t.groups[0]).toMatchObject({ name: 'phot', ucd: 'phot', description: 'g', fieldRefs: [{ ref: 'f1' }], params: [{ name: 'gp', parsedValue: true }], groups: [{ name: 'inner' }] });
    expect(t.links).toMatchObject([{ href: 'http://example.org/table' }]);
    expect(t.data).toEqual({ serialization: 'TABLEDATA' });
    expect(t.columns.map((c) => c.toArray().map((v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v)))).toEqual([
      [1n, null],
      [[1, 2], []],
    ]);
    expect(queryStatus(doc)).toEqual({ value: 'OVERFLOW', message: 'Truncated at 2 rows', info: t.infosAfterData[1] });
  });

  it('takes the version from the attribute, else the namespace; reads 1.1, 1.2, no namespace and prefixes', () => {
    const table = '<RESOURCE><TABLE><FIELD name="a" datatype="int"/><DATA><TABLEDATA><TR><TD>7</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE>';
    const cases: [string, string, string | undefined][] = [
      [`<VOTABLE version="1.1" xmlns="http://www.ivoa.net/xml/VOTable/v1.1">${table}</VOTABLE>`, '1.1', 'http://www.ivoa.net/xml/VOTable/v1.1'],
      [`<VOTABLE xmlns="http://www.ivoa.net/xml/VOTable/v1.2">${table}</VOTABLE>`, '1.2', 'http://www.ivoa.net/xml/VOTable/v1.2'],
      [`<VOTABLE version="1.3">${table}</VOTABLE>`, '1.3', undefined],
      [`<VOTABLE version="v1.0">${table}</VOTABLE>`, '1.1', undefined],
      [`<vot:VOTABLE xmlns:vot="http://www.ivoa.net/xml/VOTable/v1.3" version="1.4">${table.replace(/<(\/?)/g, '<$1vot:')}</vot:VOTABLE>`, '1.4', 'http://www.ivoa.net/xml/VOTable/v1.3'],
    ];
    for (const [xml, version, ns] of cases) {
      const doc = parseVOTableSync(xml);
      expect([doc.version, doc.namespace], xml.slice(0, 60)).toEqual([version, ns]);
      expect(getFirstTable(doc).columns[0].toArray()).toEqual([7]);
    }
  });

  it('skips elements of other namespaces and unknown VOTable elements whole', () => {
    const doc = parseVOTableSync(SYNTHETIC);
    expect(doc.description).toBe('A <b>CDATA</b> ]] section and Observatoire & Co — ünïcödé 𝄞');
    expect([...iterTables(doc)].map((t) => t.name)).toEqual(["t'1"]);
    const mivot = parseVOTableSync(fixture('astropy/mivot_annotated_table.xml'));
    expect([...iterTables(mivot)].map((t) => t.rowCount)).toEqual([2]);
  });

  it('gives the synthetic document its exact cells', () => {
    const t = getFirstTable(parseVOTableSync(SYNTHETIC));
    const rows = [...tableRows(t)].map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v])));
    expect(rows).toEqual([
      { id: 9223372036854775807n, ra: 12.345678901234567, mag: Math.fround(0.0015), ok: true, name: 'M <31>', uname: 'Ωmega', vec: [1, 2, 3], flags: [true, false, true, false], z: [1, -2] },
      { id: null, ra: null, mag: NaN, ok: null, name: '<raw> & tail', uname: 'ж', vec: [Infinity, -Infinity, 0], flags: [false, false, true, true], z: null },
      { id: 42n, ra: -0, mag: Math.fround(3.4028235e38), ok: false, name: '', uname: '', vec: [1e-310, 5e-324, 1.7976931348623157e308], flags: [true, true, true, true], z: null },
    ]);
  });
});

describe('documents, rows and columns', () => {
  it('finds the first table, walks tables, rows and columns by name or ID', () => {
    const doc = parseVOTableSync(VALID);
    const t = getFirstTable(doc);
    expect([...tableRows(t)][1]).toEqual({ RA: Math.fround(287.43), Dec: Math.fround(-63.85), Name: 'N 6744', RVel: 839, e_RVel: 6, R: Math.fround(10.4) });
    expect(getColumn(t, 'RVel').toArray()).toEqual([-297, 839, -182]);
    expect(getColumn(t, 'col4')).toBe(getColumn(t, 'RVel'));
    expect(getColumn(t, 'rvel')).toBe(getColumn(t, 'RVel'));
    expect(() => getColumn(t, 'nope')).toThrow('no column "nope"; the table has RA, Dec, Name, RVel, e_RVel, R');
    expect(() => getFirstTable(parseVOTableSync('<VOTABLE version="1.3"/>'))).toThrow(VOTableStructureError);
  });

  it('reports the last QUERY_STATUS wherever it is, as pyvo does', () => {
    const status = (name: string) => queryStatus(parseVOTableSync(fixture(`pyvo/dal/query/${name}.xml`)));
    expect(status('basic')?.value).toBe('OK');
    expect(status('overflowstatus')?.value).toBe('OVERFLOW');
    expect(status('errorstatus')?.value).toBe('ERROR');
    expect(status('tableinfo')).toMatchObject({ value: 'OK', message: 'OK' });
    expect(status('rootinfo')?.value).toBe('OK');
    expect(queryStatus(parseVOTableSync(VALID))).toBeUndefined();
  });

  it('gives repeated column names distinct row keys', () => {
    const t = getFirstTable(
      parseVOTableSync(`<VOTABLE version="1.3"><RESOURCE><TABLE><FIELD name="a" datatype="int"/><FIELD name="a" ID="a2" datatype="int"/><FIELD name="a" datatype="int"/>
<DATA><TABLEDATA><TR><TD>1</TD><TD>2</TD><TD>3</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`),
    );
    expect([...tableRows(t)]).toEqual([{ a: 1, a2: 2, a_2: 3 }]);
  });
});

describe('BINARY, BINARY2, STREAM href and FITS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vokit-parse-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads BINARY and BINARY2 fixtures through the binary decoder', async () => {
    const b2 = getFirstTable(await parseVOTable(fixture('astropy/binary2_masked_strings.xml')));
    expect(b2.data?.serialization).toBe('BINARY2');
    expect(getColumn(b2, 'source_id').toArray()).toEqual([5966029325870896512n, 5966021186907903360n, 5966018231972730624n]);
    expect(getColumn(b2, 'a_g_val').toArray()).toEqual([null, null, null]);
    const b = getFirstTable(await parseVOTable(fixture('pyvo/dal/scs/result.xml')));
    expect([b.data?.serialization, b.rowCount]).toEqual(['BINARY', 1273]);
  });

  it('reads a BINARY2 stream from a local href, plain and gzip-encoded', async () => {
    const inline = readFileSync(FIXTURES + 'astropy/binary2_masked_strings.xml', 'utf8');
    const base64 = /<STREAM encoding='base64'>([\s\S]*?)<\/STREAM>/.exec(inline)![1];
    const raw = Buffer.from(base64.replace(/\s+/g, ''), 'base64');
    writeFileSync(join(dir, 'rows.bin'), raw);
    writeFileSync(join(dir, 'rows.bin.gz'), gzipSync(raw));
    const expected = getFirstTable(parseVOTableSync(inline)).columns.map((c) => c.toArray());
    const baseUrl = pathToFileURL(join(dir, 'doc.vot')).href;
    for (const stream of ['<STREAM href="rows.bin"/>', '<STREAM href="rows.bin.gz" encoding="gzip"></STREAM>']) {
      const xml = inline.replace(/<STREAM encoding='base64'>[\s\S]*?<\/STREAM>/, stream);
      const t = getFirstTable(await parseVOTable(xml, { baseUrl }));
      expect(t.data?.href).toBe(stream.includes('gz') ? 'rows.bin.gz' : 'rows.bin');
      expect(t.columns.map((c) => c.toArray())).toEqual(expected);
      const events: VOTableEvent[] = [];
      for await (const ev of streamVOTable(xml, { baseUrl, batchRows: 2 })) events.push(ev);
      expect(events.filter((e) => e.type === 'rows').map((e) => (e as { rowCount: number }).rowCount)).toEqual([2, 1]);
    }
    const sync = await failure(() => parseVOTableSync(inline.replace(/<STREAM encoding='base64'>[\s\S]*?<\/STREAM>/, '<STREAM href="rows.bin"/>')));
    expect(sync).toBeInstanceOf(OptionsError);
    const outside = await failure(parseVOTable(inline.replace(/<STREAM encoding='base64'>[\s\S]*?<\/STREAM>/, '<STREAM href="/etc/passwd"/>'), { baseUrl }));
    expect(outside).toBeInstanceOf(StreamReferenceError);
    expect((outside as StreamReferenceError).where.line).toBeGreaterThan(1);
  });

  it('reads <FITS extnum> from an href and from inline base64', async () => {
    const fits = readFileSync(FIXTURES + 'astropy/tb.fits');
    writeFileSync(join(dir, 'tb.fits'), fits);
    const fields =
      '<FIELD name="c1" datatype="int"/><FIELD name="c2" datatype="char" arraysize="3"/><FIELD name="c3" datatype="float"/><FIELD name="c4" datatype="boolean"/>';
    const head = `<VOTABLE version="1.3"><RESOURCE><TABLE>${fields}<DATA><FITS extnum="1">`;
    const tail = '</FITS></DATA></TABLE></RESOURCE></VOTABLE>';
    const fromHref = getFirstTable(await parseVOTable(`${head}<STREAM href="tb.fits"/>${tail}`, { baseUrl: pathToFileURL(join(dir, 'x.vot')).href }));
    const inline = getFirstTable(await parseVOTable(`${head}<STREAM encoding="base64">\n${fits.toString('base64').replace(/.{64}/g, '$&\n')}\n</STREAM>${tail}`));
    expect(fromHref.data).toMatchObject({ serialization: 'FITS', extnum: 1 });
    expect(fromHref.rowCount).toBe(2);
    expect(inline.columns.map((c) => c.toArray())).toEqual(fromHref.columns.map((c) => c.toArray()));
  });
});

describe('bad input', () => {
  it('rejects XML that is not a VOTable with VOTableStructureError', async () => {
    const e = await failure(() => parseVOTableSync('<?xml version="1.0"?>\n<uws:job xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0"/>'));
    expect(e).toBeInstanceOf(VOTableStructureError);
    expect(e.message).toBe('votable line 2 offset 22: root element is <uws:job> in namespace http://www.ivoa.net/xml/UWS/v1.0, not a VOTable <VOTABLE>');
    expect(await failure(() => parseVOTableSync('<html><body/></html>'))).toBeInstanceOf(VOTableStructureError);
  });

  it('rejects malformed XML with its line and offset', async () => {
    const cases: [string, string, number, number][] = [
      ['<VOTABLE version="1.3">\n<RESOURCE></TABLE></VOTABLE>', 'expected </RESOURCE>, found </TABLE>', 2, 34],
      ['<VOTABLE version="1.3" a=b/>', 'attribute value not quoted in <VOTABLE>', 1, 25],
      ['<VOTABLE version="1.3" a="1" a="2"/>', 'attribute "a" repeated in <VOTABLE>', 1, 29],
      ['<VOTABLE version="1.3">&bogus;</VOTABLE>', 'undefined entity "&bogus;"', 1, 23],
      ['<VOTABLE version="1.3"/>\n<VOTABLE/>', 'a second root element', 2, 25],
      ['junk', 'text before the root element', 1, 0],
      ['<VOTABLE version="1.3">&#0;</VOTABLE>', 'invalid character reference "&#0;"', 1, 23],
    ];
    for (const [xml, message, line, offset] of cases) {
      const e = await failure(() => parseVOTableSync(xml));
      expect(e, xml).toBeInstanceOf(VOTableXMLError);
      expect(e.message, xml).toBe(`votable line ${line} offset ${offset}: ${message}`);
    }
  });

  it('rejects a reference inside base64 STREAM text as bad base64, at its offset', async () => {
    const xml = `<VOTABLE version="1.3"><RESOURCE><TABLE><FIELD name="a" datatype="int"/><DATA><BINARY2><STREAM encoding="base64">AAAAAAE&amp;</STREAM></BINARY2></DATA></TABLE></RESOURCE></VOTABLE>`;
    const e = await failure(() => parseVOTableSync(xml));
    expect(e).toBeInstanceOf(BinaryDecodeError);
    expect((e as BinaryDecodeError).where.offset).toBe(xml.indexOf('&amp;'));
  });

  it('names the FIELD, line and offset of an unknown datatype or a bad arraysize', async () => {
    const unknown = await failure(() => parseVOTableSync(fixture('astropy/custom_datatype.xml')));
    expect(unknown).toBeInstanceOf(UnknownDatatypeError);
    expect((unknown as UnknownDatatypeError).datatype).toBe('bar');
    expect((unknown as UnknownDatatypeError).where).toEqual({ offset: 279, line: 8, field: 'foo', table: 0 });
    const xml = '<VOTABLE version="1.3"><RESOURCE><TABLE>\n  <FIELD name="v" datatype="int" arraysize="3x*x2"/></TABLE></RESOURCE></VOTABLE>';
    const size = await failure(() => parseVOTableSync(xml));
    expect(size).toBeInstanceOf(ArraySizeError);
    expect((size as ArraySizeError).where).toEqual({ offset: xml.indexOf('<FIELD'), line: 2, field: 'v', table: 0 });
    const huge = await failure(() => parseVOTableSync(xml.replace('3x*x2', '2147483648')));
    expect(huge).toBeInstanceOf(ArraySizeError);
    expect(huge.message).toContain('asks for 2147483648 elements per cell; at most 1048576 are supported');
  });

  it('reports input cut anywhere as TruncatedError with the offset where it ended', async () => {
    const text = new TextDecoder().decode(VALID);
    const b2 = new TextDecoder().decode(fixture('astropy/binary2_masked_strings.xml'));
    const cuts: [string, string, number][] = [
      ['mid-tag', text, text.indexOf('<FIELD name="Dec"') + 9],
      ['mid-row', text, text.indexOf('<TD>287.43') + 6],
      ['mid-entity-free text', text, text.indexOf('Velocities') + 4],
      ['missing </VOTABLE>', text, text.lastIndexOf('</VOTABLE>')],
      ['mid-base64', b2, b2.indexOf('</STREAM>') - 10],
      ['empty input', text, 0],
    ];
    for (const [name, doc, cut] of cuts) {
      const e = await failure(parseVOTable(doc.slice(0, cut)));
      expect(e, name).toBeInstanceOf(TruncatedError);
      expect((e as TruncatedError).where.offset, name).toBeLessThanOrEqual(cut);
      expect((e as TruncatedError).where.offset, name).toBeGreaterThanOrEqual(cut === 0 ? 0 : cut - 200);
    }
    const tail = await failure(parseVOTable(text.slice(0, text.lastIndexOf('</VOTABLE>'))));
    expect(tail.message).toContain('input ends inside <VOTABLE> (missing end tags)');
    expect((tail as TruncatedError).where.offset).toBe(text.lastIndexOf('</VOTABLE>'));
  });
});

describe('VALUES ref', () => {
  it('gives a referencing VALUES its own OPTIONs without adding them to the target', async () => {
    const { parseVOTableSync, getFirstTable } = await import('@vokit/votable');
    const xml = `<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>
<FIELD name="a" datatype="int"><VALUES ID="v"><OPTION value="1"/><OPTION value="2"/></VALUES></FIELD>
<FIELD name="b" datatype="int"><VALUES ref="v"><OPTION value="9"/></VALUES></FIELD>
<FIELD name="c" datatype="int"><VALUES ref="v"/></FIELD>
<DATA><TABLEDATA/></DATA></TABLE></RESOURCE></VOTABLE>`;
    const t = getFirstTable(parseVOTableSync(xml));
    expect(t.fields[0].values!.options.map((o) => o.value)).toEqual(['1', '2']);
    expect(t.fields[1].values!.options.map((o) => o.value)).toEqual(['9']);
    expect(t.fields[2].values!.options.map((o) => o.value)).toEqual(['1', '2']);
  });
});
