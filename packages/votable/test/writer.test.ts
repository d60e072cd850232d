import { describe, expect, it } from 'vitest';
import {
  ColumnBuilder,
  OptionsError,
  VOTABLE_NAMESPACES,
  WriteError,
  documentFromTables,
  formatDouble,
  formatFloat,
  formatCellValue,
  escapeXmlAttribute,
  escapeXmlText,
  tableFromArrays,
  writeVOTable,
  writeVOTableBytes,
  writeVOTableStream,
  type Field,
  type Table,
  type VOTableDocument,
} from '@vokit/votable';
import { Base64Encoder } from '../src/base64-encoder.js';
import { ByteSink } from '../src/byte-sink.js';

/** The bytes inside the (single) STREAM element of a written document. */
function streamBytes(xml: string): Uint8Array {
  const m = /<STREAM encoding="base64">([\s\S]*?)<\/STREAM>/.exec(xml);
  if (!m) throw new Error('no STREAM');
  return new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function docOf(table: Table, version: VOTableDocument['version'] = '1.4'): VOTableDocument {
  return documentFromTables([table], { version });
}

describe('writeVOTable metadata', () => {
  it('writes every element and attribute of the model, in schema order, exactly', () => {
    const doc: VOTableDocument = {
      version: '1.4',
      namespace: VOTABLE_NAMESPACES['1.4'],
      attributes: {
        version: '1.4',
        'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
        xmlns: 'http://www.ivoa.net/xml/VOTable/v1.3',
        'xmlns:foo': 'urn:foo',
      },
      id: 'doc1',
      description: 'A & B <test>\nline 2',
      definitions: {
        coosys: [{ attributes: {}, id: 'old', system: 'FK4', equinox: 'B1950' }],
        params: [],
      },
      infos: [{ attributes: {}, name: 'QUERY_STATUS', value: 'OK' }],
      coosys: [{ attributes: {}, id: 'sys', system: 'ICRS', epoch: 'J2000', refposition: 'BARYCENTER' }],
      timesys: [{ attributes: {}, id: 'ts', timeorigin: 'MJD-origin', timescale: 'TCB', refposition: 'BARYCENTER' }],
      groups: [],
      params: [
        {
          attributes: {},
          name: 'Telescope',
          datatype: 'float',
          unit: 'm',
          value: '3.6',
          links: [],
          values: {
            attributes: {},
            type: 'actual',
            options: [],
            min: { value: '1', inclusive: true },
            max: { value: '10', inclusive: false },
          },
        },
      ],
      resources: [
        {
          attributes: { 'foo:extra': 'kept' },
          id: 'r1',
          name: 'results',
          type: 'results',
          description: 'outer',
          infos: [{ attributes: {}, name: 'about', value: 'x"y', content: 'Text <with> & markup' }],
          coosys: [],
          timesys: [],
          groups: [
            {
              attributes: {},
              name: 'pos',
              ucd: 'pos',
              description: 'position',
              fieldRefs: [{ attributes: {}, ref: 'ra', ucd: 'pos.eq.ra' }],
              paramRefs: [{ attributes: {}, ref: 'ep' }],
              params: [{ attributes: {}, name: 'ep', id: 'ep', datatype: 'char', arraysize: '*', value: 'J2000', links: [] }],
              groups: [{ attributes: {}, name: 'inner', fieldRefs: [], paramRefs: [], params: [], groups: [] }],
            },
          ],
          params: [],
          links: [{ attributes: { gref: 'legacy' }, contentRole: 'doc', href: 'http://example.org/?a=1&b=2' }],
          tables: [],
          resources: [
            {
              attributes: {},
              type: 'meta',
              utype: 'adhoc:service',
              infos: [],
              coosys: [],
              timesys: [],
              groups: [],
              params: [{ attributes: {}, name: 'accessURL', datatype: 'char', arraysize: '*', value: 'http://x/y?z=1&w=2', links: [] }],
              links: [],
              tables: [
                {
                  attributes: { nrows: '5' },
                  name: 'empty',
                  nrows: 5,
                  fields: [],
                  params: [],
                  groups: [],
                  links: [],
                  infos: [],
                  infosAfterData: [],
                  columns: [],
                  rowCount: 0,
                },
              ],
              resources: [],
              infosAfter: [],
            },
          ],
          infosAfter: [{ attributes: {}, name: 'done', value: 'yes' }],
        },
      ],
      infosAfter: [{ attributes: {}, name: 'QUERY_STATUS', value: 'OVERFLOW' }],
    };
    const ra: Field = {
      attributes: { name: 'ra', ID: 'ra', datatype: 'double', 'xsi:type': 'foo:Angle', unit: 'deg' },
      name: 'ra',
      id: 'ra',
      datatype: 'double',
      unit: 'deg',
      ucd: 'pos.eq.ra;meta.main',
      width: 10,
      precision: 'F6',
      description: 'Right ascension',
      links: [{ attributes: {}, contentType: 'text/html', title: 'more', href: 'http://x' }],
    };
    const flag: Field = {
      attributes: {},
      name: 'flag',
      datatype: 'short',
      type: 'hidden',
      links: [],
      values: {
        attributes: {},
        id: 'v1',
        null: '-1',
        options: [
          { attributes: {}, name: 'bits', value: '', options: [{ attributes: {}, name: 'one', value: '1', options: [] }] },
          { attributes: {}, value: '2', options: [] },
        ],
      },
    };
    const b1 = new ColumnBuilder(ra);
    (b1.values as Float64Array)[b1.reserve(1)] = 10.5;
    b1.endRow(true);
    const b2 = new ColumnBuilder(flag);
    b2.reserve(1);
    b2.endRow(false);
    const table: Table = {
      attributes: { 'foo:tag': 'a<b' },
      id: 't1',
      name: 'main',
      ucd: 'meta.dataset',
      utype: 'x:y',
      description: 'The table',
      fields: [ra, flag],
      params: [],
      groups: [{ attributes: {}, ref: 't1', fieldRefs: [{ attributes: {}, ref: 'ra' }], paramRefs: [], params: [], groups: [] }],
      links: [{ attributes: {}, action: 'http://act' }],
      infos: [{ attributes: {}, name: 'before', value: '1' }],
      infosAfterData: [{ attributes: {}, name: 'QUERY_STATUS', value: 'ERROR', content: 'went wrong' }],
      data: { serialization: 'TABLEDATA' },
      columns: [b1.finish(), b2.finish()],
      rowCount: 1,
    };
    doc.resources[0].tables.push(table);

    expect(writeVOTable(doc)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE version="1.4" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.ivoa.net/xml/VOTable/v1.3" xmlns:foo="urn:foo" ID="doc1">
  <DESCRIPTION>A &amp; B &lt;test&gt;
line 2</DESCRIPTION>
  <DEFINITIONS>
    <COOSYS ID="old" system="FK4" equinox="B1950"/>
  </DEFINITIONS>
  <INFO name="QUERY_STATUS" value="OK"/>
  <COOSYS ID="sys" system="ICRS" epoch="J2000" refposition="BARYCENTER"/>
  <TIMESYS ID="ts" timeorigin="MJD-origin" timescale="TCB" refposition="BARYCENTER"/>
  <PARAM name="Telescope" datatype="float" unit="m" value="3.6">
    <VALUES type="actual">
      <MIN value="1"/>
      <MAX value="10" inclusive="no"/>
    </VALUES>
  </PARAM>
  <RESOURCE foo:extra="kept" ID="r1" name="results" type="results">
    <DESCRIPTION>outer</DESCRIPTION>
    <INFO name="about" value="x&quot;y">Text &lt;with&gt; &amp; markup</INFO>
    <GROUP name="pos" ucd="pos">
      <DESCRIPTION>position</DESCRIPTION>
      <FIELDref ref="ra" ucd="pos.eq.ra"/>
      <PARAMref ref="ep"/>
      <PARAM name="ep" ID="ep" datatype="char" arraysize="*" value="J2000"/>
      <GROUP name="inner"/>
    </GROUP>
    <LINK gref="legacy" content-role="doc" href="http://example.org/?a=1&amp;b=2"/>
    <TABLE foo:tag="a&lt;b" ID="t1" name="main" ucd="meta.dataset" utype="x:y">
      <DESCRIPTION>The table</DESCRIPTION>
      <INFO name="before" value="1"/>
      <FIELD name="ra" ID="ra" datatype="double" xsi:type="foo:Angle" unit="deg" width="10" precision="F6" ucd="pos.eq.ra;meta.main">
        <DESCRIPTION>Right ascension</DESCRIPTION>
        <LINK content-type="text/html" title="more" href="http://x"/>
      </FIELD>
      <FIELD name="flag" datatype="short" type="hidden">
        <VALUES ID="v1" null="-1">
          <OPTION name="bits" value="">
            <OPTION name="one" value="1"/>
          </OPTION>
          <OPTION value="2"/>
        </VALUES>
      </FIELD>
      <GROUP ref="t1">
        <FIELDref ref="ra"/>
      </GROUP>
      <LINK action="http://act"/>
      <DATA>
        <TABLEDATA>
          <TR><TD>10.5</TD><TD>-1</TD></TR>
        </TABLEDATA>
      </DATA>
      <INFO name="QUERY_STATUS" value="ERROR">went wrong</INFO>
    </TABLE>
    <RESOURCE type="meta" utype="adhoc:service">
      <PARAM name="accessURL" datatype="char" arraysize="*" value="http://x/y?z=1&amp;w=2"/>
      <TABLE nrows="5" name="empty">
      </TABLE>
    </RESOURCE>
    <INFO name="done" value="yes"/>
  </RESOURCE>
  <INFO name="QUERY_STATUS" value="OVERFLOW"/>
</VOTABLE>
`,
    );
  });

  it('keeps a document without namespace without one, and follows a version change', () => {
    const t = tableFromArrays({ columns: { a: new Int32Array([1]) } });
    const doc = docOf(t);
    delete doc.namespace;
    doc.version = '1.2';
    expect(writeVOTable(doc).split('\n')[1]).toBe('<VOTABLE version="1.2">');

    const withNs = docOf(t, '1.2');
    withNs.attributes = {
      version: '1.2',
      xmlns: VOTABLE_NAMESPACES['1.2'],
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:schemaLocation': 'http://www.ivoa.net/xml/VOTable/v1.2 http://www.ivoa.net/xml/VOTable/v1.2',
    };
    expect(writeVOTable(withNs).split('\n')[1]).toBe(
      '<VOTABLE version="1.2" xmlns="http://www.ivoa.net/xml/VOTable/v1.2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.ivoa.net/xml/VOTable/v1.2 http://www.ivoa.net/xml/VOTable/v1.2">',
    );
    expect(writeVOTable(withNs, { version: '1.5' }).split('\n')[1]).toBe(
      '<VOTABLE version="1.5" xmlns="http://www.ivoa.net/xml/VOTable/v1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    );
    // Leaving the namespace out also leaves out the schema location that named it.
    expect(writeVOTable(withNs, { namespace: null, xmlDeclaration: false }).split('\n')[0]).toBe(
      '<VOTABLE version="1.2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    );
  });

  it('writes nrows as the true row count when the table declared one', () => {
    const t = tableFromArrays({ columns: { a: new Int32Array([1, 2, 3]) } });
    t.nrows = 99;
    expect(writeVOTable(docOf(t))).toContain('<TABLE nrows="3">');
    delete t.nrows;
    expect(writeVOTable(docOf(t))).toContain('<TABLE>');
  });
});

describe('writeVOTable TABLEDATA cells', () => {
  it('formats every datatype and arraysize exactly', () => {
    const t = tableFromArrays({
      columns: {
        b: [true, false, null],
        bit: { values: [[true, false, true], [false, false, false], null], datatype: 'bit', arraysize: '3' },
        ub: { values: new Uint8Array([0, 255, 7]), nulls: [false, false, true] },
        s: { values: [-32768, 32767, null], datatype: 'short', nullValue: -99 },
        i: { values: [1, null, -2147483648], datatype: 'int' },
        l: [9007199254740993n, -(2n ** 63n), null],
        f: { values: new Float32Array([0.1, -0, Infinity]) },
        d: [0.1 + 0.2, NaN, -Infinity],
        cf: { values: [[1.5, -0.1], null, [NaN, 2]], datatype: 'floatComplex' },
        cd: { values: [[[1, 2], [3, 4]], [], null], datatype: 'doubleComplex', arraysize: '*' },
        c: ['a<b&c', '', null],
        u: ['Ωμέγα', 'plain', null],
        grid: { values: new Int16Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]), arraysize: '2x3' },
        names: { values: [['ab', 'cde'], ['x', ''], null], datatype: 'char', arraysize: '4x2' },
        vnames: { values: [['ab', 'c'], [], ['z']], datatype: 'char', arraysize: '3x*' },
      },
    });
    const xml = writeVOTable(docOf(t));
    const rows = xml.split('\n').filter((line) => line.includes('<TR>'));
    expect(rows).toEqual([
      '          <TR><TD>T</TD><TD>1 0 1</TD><TD>0</TD><TD>-32768</TD><TD>1</TD><TD>9007199254740993</TD><TD>0.1</TD><TD>0.30000000000000004</TD><TD>1.5 -0.1</TD><TD>1 2 3 4</TD><TD>a&lt;b&amp;c</TD><TD>Ωμέγα</TD><TD>1 2 3 4 5 6</TD><TD>ab  cde</TD><TD>ab c</TD></TR>',
      '          <TR><TD>F</TD><TD>0 0 0</TD><TD>255</TD><TD>32767</TD><TD/><TD>-9223372036854775808</TD><TD>-0</TD><TD>NaN</TD><TD/><TD/><TD/><TD>plain</TD><TD>7 8 9 10 11 12</TD><TD>x   </TD><TD/></TR>',
      '          <TR><TD/><TD/><TD/><TD>-99</TD><TD>-2147483648</TD><TD/><TD>+Inf</TD><TD>-Inf</TD><TD>NaN 2</TD><TD/><TD/><TD/><TD>13 14 15 16 17 18</TD><TD/><TD>z</TD></TR>',
    ]);
    expect(xml).toContain('<FIELD name="s" datatype="short">\n        <VALUES null="-99"/>');
    expect(xml).toContain('<FIELD name="grid" datatype="short" arraysize="2x3"/>');
    expect(xml).toContain('<FIELD name="u" datatype="unicodeChar" arraysize="*"/>');
  });

  it('refuses a string longer than its fixed arraysize, or cuts it by characters', () => {
    const t = tableFromArrays({ columns: { c: { values: ['ab', 'Ωμέγα'], datatype: 'unicodeChar', arraysize: '3' } } });
    expect(() => writeVOTable(docOf(t))).toThrow('votable row 1 field "c": string of 5 characters does not fit arraysize "3"');
    expect(writeVOTable(docOf(t), { stringOverflow: 'truncate' })).toContain('<TR><TD>Ωμέ</TD></TR>');
    const a = tableFromArrays({ columns: { c: { values: [['ab', 'cdef']], datatype: 'char', arraysize: '3x2' } } });
    expect(() => writeVOTable(docOf(a))).toThrow('votable row 0 field "c": string 1 of 4 characters does not fit arraysize "3x2"');
    expect(writeVOTable(docOf(a), { stringOverflow: 'truncate' })).toContain('<TR><TD>ab cde</TD></TR>');
  });

  it('replaces, drops or refuses characters XML 1.0 cannot carry', () => {
    const t = tableFromArrays({ columns: { c: ['a\u0000b\u001bc\uFFFEd', 'tab\there\r\n'] } });
    const doc = docOf(t);
    expect(writeVOTable(doc)).toContain('<TR><TD>a\uFFFDb\uFFFDc\uFFFDd</TD></TR>\n          <TR><TD>tab\there&#13;\n</TD></TR>');
    expect(writeVOTable(doc, { invalidCharacters: 'drop' })).toContain('<TR><TD>abcd</TD></TR>');
    expect(() => writeVOTable(doc, { invalidCharacters: 'throw' })).toThrow(
      'votable row 0 field "c": character U+0000 cannot be written in XML 1.0',
    );
  });
});

describe('cell formatting', () => {
  it('formats doubles as their shortest round-trip text', () => {
    expect([0.1, 1e21, 1.5e-7, 5e-324, Number.MAX_VALUE, 123456789012345680, -0, 0, 2 ** 53 + 2].map(formatDouble)).toEqual([
      '0.1',
      '1e+21',
      '1.5e-7',
      '5e-324',
      '1.7976931348623157e+308',
      '123456789012345680',
      '-0',
      '0',
      '9007199254740994',
    ]);
    expect([NaN, Infinity, -Infinity].map(formatDouble)).toEqual(['NaN', '+Inf', '-Inf']);
  });

  it('formats floats as the shortest text that reads back as the same float32', () => {
    expect(
      [0.1, 1 / 3, 16777217, 1e-45, 3.4028234663852886e38, 1.17549435e-38, 100, 0.3, -2.5, 123456.789].map((x) =>
        formatFloat(Math.fround(x)),
      ),
    ).toEqual(['0.1', '0.33333334', '16777216', '1e-45', '3.4028235e+38', '1.1754944e-38', '100', '0.3', '-2.5', '123456.79']);
    expect([NaN, Infinity, -Infinity, -0].map(formatFloat)).toEqual(['NaN', '+Inf', '-Inf', '-0']);
    // An exact tie between two float32s reads back by round-half-even in every reader.
    expect(formatFloat(-451886016)).toBe('-451886000');
    // Outside the exact powers of ten the text comes from toPrecision.
    expect([1e-30, 1e30, 1.17549435e-38].map((x) => formatFloat(Math.fround(x)))).toEqual(['1e-30', '1e+30', '1.1754944e-38']);
  });

  it('round-trips 50000 random float32 bit patterns with no shorter text possible', () => {
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    let seed = 12345;
    for (let n = 0; n < 50000; n++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      u[0] = seed ^ (seed << 7);
      const x = f[0];
      if (!Number.isFinite(x)) continue;
      const text = formatFloat(x);
      expect(Math.fround(Number(text))).toBe(x);
      // No decimal with fewer significant digits reads back as x.
      const digits = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
      if (digits > 1) expect(Math.fround(Number(x.toPrecision(digits - 1)))).not.toBe(x);
    }
  });

  it('formats JS values for PARAM values', () => {
    expect(formatCellValue('double', '2', [1.5, NaN])).toBe('1.5 NaN');
    expect(formatCellValue('floatComplex', undefined, [0.1, 2])).toBe('0.1 2');
    expect(formatCellValue('doubleComplex', '*', [[1, 2], [3, 4]])).toBe('1 2 3 4');
    expect(formatCellValue('char', '3x2', ['ab', 'c'])).toBe('ab c');
    expect(formatCellValue('long', undefined, 2n ** 62n)).toBe('4611686018427387904');
    expect(formatCellValue('boolean', '*', [true, false])).toBe('T F');
    expect(formatCellValue('int', undefined, null)).toBe('');
  });

  it('escapes text and attributes', () => {
    expect(escapeXmlText('a<b>&c"\'\r\n\t')).toBe('a&lt;b&gt;&amp;c"\'&#13;\n\t');
    expect(escapeXmlAttribute('a<b>&c"\'\r\n\t')).toBe('a&lt;b&gt;&amp;c&quot;\'&#13;&#10;&#9;');
    expect(escapeXmlText('pair \uD83D\uDE00 lone \uD83D x \uDE00')).toBe('pair \uD83D\uDE00 lone \uFFFD x \uFFFD');
    expect(escapeXmlText('\u0001\uFFFF', 'drop')).toBe('');
  });
});

describe('writeVOTable BINARY and BINARY2', () => {
  function sampleTable(): Table {
    return tableFromArrays({
      columns: {
        s: { values: [1, null, -2], datatype: 'short' },
        c: { values: ['ab', 'abcd', null], datatype: 'char', arraysize: '4' },
        u: { values: ['Ω', '', null], datatype: 'unicodeChar', arraysize: '*' },
        bits: { values: [[true, false, false, false, false, false, false, false, true, true], null, [false, true, false, false, false, false, false, false, false, false]], datatype: 'bit', arraysize: '10' },
        b: [true, false, null],
        l: [2n ** 53n + 1n, -1n, null],
        d: [0.5, NaN, null],
      },
    });
  }

  it('writes BINARY bytes exactly, with a chosen null sentinel declared in VALUES', () => {
    const xml = writeVOTable(docOf(sampleTable()), { serialization: 'BINARY' });
    expect(xml).toContain('<FIELD name="s" datatype="short">\n        <VALUES null="-32768"/>\n      </FIELD>');
    expect(xml).toContain('<FIELD name="l" datatype="long">\n        <VALUES null="-9223372036854775808"/>\n      </FIELD>');
    expect(hex(streamBytes(xml))).toBe(
      [
        // row 0: short 1, "ab\0\0", count 1 + Ω (U+03A9), bits 10000000|11, T, 2^53+1, 0.5
        '0001', '61620000', '00000001' + '03a9', '80c0', '54', '0020000000000001', '3fe0000000000000',
        // row 1: short null (sentinel), "abcd", count 0, bits null (zeros), F, -1, NaN
        '8000', '61626364', '00000000', '0000', '46', 'ffffffffffffffff', '7ff8000000000000',
        // row 2: -2, null char, null unicodeChar, bits 0100000000, ?, long null (sentinel), double null (NaN)
        'fffe', '00000000', '00000000', '4000', '3f', '8000000000000000', '7ff8000000000000',
      ].join(''),
    );
  });

  it('writes BINARY2 null flags MSB first, 1 = null, without sentinels', () => {
    const xml = writeVOTable(docOf(sampleTable()), { serialization: 'BINARY2' });
    expect(xml).not.toContain('VALUES');
    const bytes = hex(streamBytes(xml));
    // 7 fields → one flag byte: row 0 none null; row 1 s, bits null → 0b10010000; row 2 c,u,b,l,d → 0b01101110
    expect(bytes.slice(0, 2)).toBe('00');
    const row0 = 1 + 2 + 4 + 6 + 2 + 1 + 8 + 8;
    expect(bytes.slice(2 * row0, 2 * row0 + 2)).toBe('90');
    expect(bytes.slice(2 * row0 + 2, 2 * row0 + 6)).toBe('0000'); // the null short is written as 0
    const row1 = 1 + 2 + 4 + 4 + 2 + 1 + 8 + 8;
    expect(bytes.slice(2 * (row0 + row1), 2 * (row0 + row1) + 2)).toBe('6e');
    expect(bytes.length / 2).toBe(row0 + row1 + (1 + 2 + 4 + 4 + 2 + 1 + 8 + 8));
  });

  it('writes variable arrays with item counts along the last dimension', () => {
    const t = tableFromArrays({
      columns: {
        v: { values: [[1, 2, 3, 4, 5, 6], []], datatype: 'short', arraysize: '3x*' },
        bits: { values: [[true, true, true, true, true, true, true, true, true], null], datatype: 'bit', arraysize: '*' },
        s: { values: [['ab', 'c'], ['d']], datatype: 'char', arraysize: '2x*' },
        z: { values: [[[1, 2]], null], datatype: 'floatComplex', arraysize: '*' },
      },
    });
    const bytes = hex(streamBytes(writeVOTable(docOf(t), { serialization: 'BINARY' })));
    expect(bytes).toBe(
      [
        '00000002' + '000100020003000400050006',
        '00000009' + 'ff80',
        '00000002' + '61626300',
        '00000001' + '3f80000040000000',
        '00000000',
        '00000000',
        '00000001' + '6400',
        '00000000',
      ].join(''),
    );
  });

  it('refuses a fixed string longer than its arraysize, or cuts it with stringOverflow truncate', () => {
    const t = tableFromArrays({
      columns: { c: { values: ['abc', 'abcdé'], datatype: 'char', arraysize: '4' } },
    });
    expect(() => writeVOTable(docOf(t), { serialization: 'BINARY' })).toThrow(
      'votable row 1 field "c": string of 6 bytes does not fit arraysize "4"',
    );
    expect(hex(streamBytes(writeVOTable(docOf(t), { serialization: 'BINARY2', stringOverflow: 'truncate' })))).toBe(
      '00' + '61626300' + '00' + '61626364',
    );
    // A two-byte character is not split.
    const u = tableFromArrays({ columns: { c: { values: ['abcé'], datatype: 'char', arraysize: '4' } } });
    expect(hex(streamBytes(writeVOTable(docOf(u), { serialization: 'BINARY', stringOverflow: 'truncate' })))).toBe('61626300');
  });

  it('throws WriteError when BINARY has no free null value for an unsignedByte column', () => {
    const all = new Uint8Array(257);
    for (let i = 0; i < 256; i++) all[i] = i;
    const nulls = new Array(257).fill(false);
    nulls[256] = true;
    const t = tableFromArrays({ columns: { u: { values: all, nulls } } });
    expect(() => writeVOTable(docOf(t), { serialization: 'BINARY' })).toThrow(WriteError);
    expect(() => writeVOTable(docOf(t), { serialization: 'BINARY' })).toThrow('field "u": BINARY cannot express the nulls');
    expect(writeVOTable(docOf(t), { serialization: 'BINARY2' })).toContain('<BINARY2>');
    // With 255 taken the sentinel is the next free value below it.
    const some = tableFromArrays({ columns: { u: { values: new Uint8Array([255, 254, 0]), nulls: [false, false, true] } } });
    expect(writeVOTable(docOf(some), { serialization: 'BINARY' })).toContain('<VALUES null="253"/>');
  });

  it('picks the nearest free value above the minimum when the minimum is taken', () => {
    const t = tableFromArrays({
      columns: { i: { values: [-2147483648, -2147483647, 5, null, -2147483645], datatype: 'int' } },
    });
    const xml = writeVOTable(docOf(t), { serialization: 'BINARY' });
    expect(xml).toContain('<VALUES null="-2147483646"/>');
    expect(hex(streamBytes(xml)).slice(24, 32)).toBe('80000002');
    const l = tableFromArrays({ columns: { l: [-(2n ** 63n), null] } });
    expect(writeVOTable(docOf(l), { serialization: 'BINARY' })).toContain('<VALUES null="-9223372036854775807"/>');
  });

  it('replaces a VALUES null that is not an integer when the column has nulls', () => {
    const t = tableFromArrays({ columns: { i: { values: [7, null], datatype: 'short' } } });
    t.fields[0].values = { attributes: { null: 'NaN' }, null: 'NaN', options: [] };
    const xml = writeVOTable(docOf(t), { serialization: 'BINARY' });
    expect(xml).toContain('<VALUES null="-32768"/>');
    expect(hex(streamBytes(xml))).toBe('00078000');
    // Hexadecimal nulls are integers.
    t.fields[0].values = { attributes: {}, null: '0x7FFF', options: [] };
    expect(hex(streamBytes(writeVOTable(docOf(t), { serialization: 'BINARY' })))).toBe('00077fff');
  });

  it('writes a float null as the declared VALUES null, else NaN', () => {
    const t = tableFromArrays({
      columns: {
        f: { values: [1, null], datatype: 'float' },
        d: { values: [1, null], datatype: 'double' },
      },
    });
    t.fields[1].values = { attributes: {}, null: '-999', options: [] };
    expect(hex(streamBytes(writeVOTable(docOf(t), { serialization: 'BINARY' })))).toBe(
      '3f800000' + '3ff0000000000000' + '7fc00000' + 'c08f380000000000',
    );
  });

  it('writes unicodeChar as UCS-2 with surrogate pairs, refusing or cutting overlong strings', () => {
    const t = tableFromArrays({ columns: { u: { values: ['a😀', 'abc'], datatype: 'unicodeChar', arraysize: '3' } } });
    expect(hex(streamBytes(writeVOTable(docOf(t), { serialization: 'BINARY' })))).toBe('0061d83dde00' + '006100620063');
    const long = tableFromArrays({ columns: { u: { values: ['ab😀'], datatype: 'unicodeChar', arraysize: '3' } } });
    expect(() => writeVOTable(docOf(long), { serialization: 'BINARY' })).toThrow('string of 4 UTF-16 units does not fit arraysize "3"');
    // The pair is not split: the cut leaves "ab" and a NUL.
    expect(hex(streamBytes(writeVOTable(docOf(long), { serialization: 'BINARY', stringOverflow: 'truncate' })))).toBe('006100620000');
  });

  it("defaults to each table's own serialization, TABLEDATA for FITS", () => {
    const a = tableFromArrays({ columns: { x: new Int32Array([1]) } });
    a.data = { serialization: 'BINARY2', encoding: 'base64' };
    const b = tableFromArrays({ columns: { x: new Int32Array([2]) } });
    b.data = { serialization: 'FITS', extnum: 1 };
    const xml = writeVOTable(documentFromTables([a, b]));
    expect(xml.match(/<(TABLEDATA|BINARY2?|FITS)>/g)).toEqual(['<BINARY2>', '<TABLEDATA>']);
    expect(writeVOTable(documentFromTables([a, b]), { serialization: 'BINARY' }).match(/<(TABLEDATA|BINARY2?)>/g)).toEqual([
      '<BINARY>',
      '<BINARY>',
    ]);
  });

  it('says how to fix a table parsed without its rows', () => {
    const t = tableFromArrays({ columns: { x: new Int32Array([1, 2]) } });
    t.columns = [];
    expect(() => writeVOTable(docOf(t))).toThrow('table has 1 FIELDs but 0 columns (was it parsed without rows, by streamVOTable?)');
  });

  it('uses the declared VALUES null for null integers', () => {
    const t = tableFromArrays({ columns: { i: { values: [5, null], datatype: 'int', nullValue: -1 } } });
    expect(hex(streamBytes(writeVOTable(docOf(t), { serialization: 'BINARY' })))).toBe('00000005ffffffff');
  });

  it('wraps base64 at base64LineLength, or writes one line with 0', () => {
    const t = tableFromArrays({ columns: { d: new Float64Array(20).map((_, i) => i) } });
    const lines = (xml: string) => /<STREAM encoding="base64">\n([\s\S]*?)\n\s*<\/STREAM>/.exec(xml)![1].split('\n');
    expect(lines(writeVOTable(docOf(t), { serialization: 'BINARY' })).map((l) => l.length)).toEqual([76, 76, 64]);
    expect(lines(writeVOTable(docOf(t), { serialization: 'BINARY', base64LineLength: 0 })).map((l) => l.length)).toEqual([216]);
    expect(lines(writeVOTable(docOf(t), { serialization: 'BINARY', base64LineLength: 64 })).map((l) => l.length)).toEqual([64, 64, 64, 24]);
  });

  it('refuses BINARY2 for versions before 1.3 and unknown options', () => {
    const t = tableFromArrays({ columns: { a: new Int32Array([1]) } });
    expect(() => writeVOTable(docOf(t, '1.2'), { serialization: 'BINARY2' })).toThrow(OptionsError);
    expect(() => writeVOTable(docOf(t), { serialization: 'FITS' as 'BINARY' })).toThrow(OptionsError);
    expect(() => writeVOTable(docOf(t), { base64LineLength: -1 })).toThrow(OptionsError);
  });

  it('refuses columns that do not match their FIELDs', () => {
    const t = tableFromArrays({ columns: { a: new Int32Array([1, 2]) } });
    t.fields = [{ ...t.fields[0], datatype: 'double' }];
    expect(() => writeVOTable(docOf(t))).toThrow('field "a": column holds int data but the FIELD says double');
    const u = tableFromArrays({ columns: { a: new Int32Array([1, 2]) } });
    u.rowCount = 3;
    expect(() => writeVOTable(docOf(u))).toThrow('column has 2 rows, the table 3');
  });
});

describe('base64 and streaming', () => {
  it('encodes any chunking to the same text as Buffer', () => {
    let seed = 7;
    const data = new Uint8Array(1000).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    for (const lineLength of [0, 4, 76]) {
      for (const piece of [1, 2, 3, 5, 64, 1000]) {
        const sink = new ByteSink(64);
        const enc = new Base64Encoder(sink, lineLength);
        for (let i = 0; i < data.length; i += piece) enc.write(data, i, Math.min(data.length, i + piece));
        enc.end();
        const text = Buffer.concat(sink.take(true)).toString('latin1');
        const plain = Buffer.from(data).toString('base64');
        expect(text.replace(/\n/g, '')).toBe(plain);
        if (lineLength > 0) expect(text.split('\n').every((l) => l.length <= lineLength)).toBe(true);
      }
    }
  });

  it('streams the same bytes in chunks of at most chunkBytes', async () => {
    const n = 30000;
    const t = tableFromArrays({
      columns: {
        id: BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 1000003n),
        x: Float64Array.from({ length: n }, (_, i) => Math.sin(i)),
        name: Array.from({ length: n }, (_, i) => `obj ${i}`),
      },
    });
    const doc = docOf(t);
    for (const serialization of ['TABLEDATA', 'BINARY', 'BINARY2'] as const) {
      const whole = writeVOTableBytes(doc, { serialization });
      const chunks: Uint8Array[] = [];
      for await (const chunk of writeVOTableStream(doc, { serialization, chunkBytes: 4096 })) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(whole.length / 4096 - 1);
      expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(4096);
      expect(Buffer.concat(chunks).equals(Buffer.from(whole))).toBe(true);
      expect(writeVOTable(doc, { serialization })).toBe(Buffer.from(whole).toString('utf8'));
    }
  });

  it('makes rows only as the consumer pulls chunks', async () => {
    const n = 100000;
    const values = new Float64Array(n).map((_, i) => i);
    const t = tableFromArrays({ columns: { x: values } });
    let reads = 0;
    const column = t.columns[0];
    const original = column.isValid.bind(column);
    column.isValid = (row: number) => {
      reads++;
      return original(row);
    };
    const iterator = writeVOTableStream(docOf(t), { chunkBytes: 1024 })[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThan(200);
    await iterator.return?.(undefined);
  });
});
