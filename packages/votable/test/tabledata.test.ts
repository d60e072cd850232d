// TABLEDATA decoding per datatype (VOTable 1.5 §5.1), through the public parser, with exact
// values: every cell goes through the byte-level fast paths of tabledata.ts or, for unusual
// text, through cell-text.ts, and both must give what astropy gives (see cell-text.ts).
import { describe, expect, it } from 'vitest';
import {
  getFirstTable,
  parseVOTableSync,
  TruncatedError,
  ValueError,
  VOTableXMLError,
  type CellValue,
  type Column,
} from '@vokit/votable';

/** A one-column document with the given FIELD attributes and TD cells (raw XML). */
function doc(field: string, cells: string[], fieldBody = ''): string {
  const rows = cells.map((c) => `<TR>${c === '<TD/>' ? c : `<TD>${c}</TD>`}</TR>`).join('\n');
  return `<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<RESOURCE><TABLE><FIELD name="c" ${field}>${fieldBody}</FIELD>
<DATA><TABLEDATA>
${rows}
</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`;
}

function column(field: string, cells: string[], fieldBody = ''): Column {
  return getFirstTable(parseVOTableSync(doc(field, cells, fieldBody))).columns[0];
}

function cells(field: string, input: string[], fieldBody = ''): CellValue[] {
  return column(field, input, fieldBody).toArray();
}

/** Catches the error a parse throws. */
function failure(xml: string): Error {
  try {
    parseVOTableSync(xml);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the parse to fail');
}

describe('TABLEDATA integers', () => {
  it('reads int, short and unsignedByte with signs, spaces, hex and empty cells', () => {
    expect(cells('datatype="int"', ['0', '-2147483648', '2147483647', ' +17 ', '0x7fffffff', '0X10', '1_000', '', 'NaN'])).toEqual([
      0,
      -2147483648,
      2147483647,
      17,
      2147483647,
      16,
      1000,
      null,
      null,
    ]);
    expect(cells('datatype="short"', ['-32768', '32767', '<TD/>'])).toEqual([-32768, 32767, null]);
    expect(cells('datatype="unsignedByte"', ['0', '255', '0xff'])).toEqual([0, 255, 255]);
    const c = column('datatype="int"', ['5', '']);
    expect(c.values).toBeInstanceOf(Int32Array);
    expect(Array.from(c.validity!)).toEqual([0b01]);
  });

  it('reads long exactly beyond 2^53, at both ends of the range', () => {
    const c = column('datatype="long"', [
      '-9223372036854775808',
      '9223372036854775807',
      '4295806720',
      '9007199254740993',
      '-1',
      '123456789012345',
      '0x7FFFFFFFFFFFFFFF',
      '',
    ]);
    expect(c.values).toBeInstanceOf(BigInt64Array);
    expect(c.toArray()).toEqual([
      -9223372036854775808n,
      9223372036854775807n,
      4295806720n,
      9007199254740993n,
      -1n,
      123456789012345n,
      9223372036854775807n,
      null,
    ]);
  });

  it('marks VALUES null as invalid and keeps the value', () => {
    const c = column('datatype="int"', ['-999', '3', '-999'], '<VALUES null="-999"/>');
    expect(c.toArray()).toEqual([null, 3, null]);
    expect(Array.from(c.values as Int32Array)).toEqual([-999, 3, -999]);
    expect(cells('datatype="long"', ['-1', '1'], '<VALUES null="-1"/>')).toEqual([null, 1n]);
    expect(cells('datatype="long"', ['9223372036854775807', '1'], '<VALUES null="9223372036854775807"/>')).toEqual([null, 1n]);
  });

  it('rejects integers outside their datatype and text that is not an integer', () => {
    const big = failure(doc('datatype="short"', ['1', '32768']));
    expect(big).toBeInstanceOf(ValueError);
    expect(big.message).toContain('32768 is outside the range of short (-32768..32767)');
    const bigXml = doc('datatype="short"', ['1', '32768']);
    expect((big as ValueError).where).toEqual({ row: 1, field: 'c', line: 6, offset: bigXml.indexOf('32768') });
    const text = failure(doc('datatype="int"', ['12abc']));
    expect(text).toBeInstanceOf(ValueError);
    expect(text.message).toContain('"12abc" is not a int');
    expect(failure(doc('datatype="long"', ['9223372036854775808']))).toBeInstanceOf(ValueError);
    expect(failure(doc('datatype="unsignedByte"', ['-1']))).toBeInstanceOf(ValueError);
  });
});

describe('TABLEDATA floating point', () => {
  it('reads doubles exactly as Number() does, including 17-digit and special values', () => {
    const texts = [
      '285.0556705468777',
      '209.11234143532812',
      '-38.393153042566475',
      '0.1',
      '1e-300',
      '4.9e-324',
      '1.7976931348623157e308',
      '9007199254740993',
      '123456789012345678',
      '.5',
      '5.',
      '-0',
      '1E+5',
      '2.2250738585072011e-308',
    ];
    expect(cells('datatype="double"', texts)).toEqual(texts.map(Number));
    expect(Object.is(cells('datatype="double"', ['-0.0'])[0], -0)).toBe(true);
  });

  it('reads NaN and infinities in the spellings astropy accepts', () => {
    expect(cells('datatype="double"', ['NaN', 'nan', '+Inf', '-Inf', '+InF', 'inf', 'Infinity', '-infinity', '1_0.5'])).toEqual([
      NaN,
      NaN,
      Infinity,
      -Infinity,
      Infinity,
      Infinity,
      Infinity,
      -Infinity,
      10.5,
    ]);
  });

  it('keeps NaN valid and makes empty cells and IRSA null words null', () => {
    const c = column('datatype="double"', ['NaN', '', 'null', '-', '--', '1']);
    expect(c.toArray()).toEqual([NaN, null, null, null, null, 1]);
    expect(c.nullCount).toBe(4);
  });

  it('rounds float cells to float32 the way numpy does (through the double)', () => {
    const c = column('datatype="float"', ['0.1', '3.4028235e38', '1e39', '-1.1257632', '16777217']);
    expect(c.values).toBeInstanceOf(Float32Array);
    expect(c.toArray()).toEqual([Math.fround(0.1), Math.fround(3.4028235e38), Infinity, Math.fround(-1.1257632), 16777216]);
  });

  it('honours a VALUES null on floats, NaN included', () => {
    expect(cells('datatype="double"', ['-999', '1'], '<VALUES null="-999"/>')).toEqual([null, 1]);
    expect(cells('datatype="float"', ['NaN', '2'], '<VALUES null="NaN"/>')).toEqual([null, 2]);
  });

  it('rejects text that is not a number, naming row, field and offset', () => {
    const xml = doc('datatype="double"', ['1', '2', '1.5x']);
    const e = failure(xml);
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toContain('"1.5x" is not a floating-point number');
    expect((e as ValueError).where).toEqual({ offset: xml.indexOf('1.5x'), line: 7, row: 2, field: 'c' });
  });

  it('reads fixed, variable and multidimensional float and double arrays', () => {
    expect(cells('datatype="float" arraysize="3"', ['0.25840944 -0.96066254 -0.10174511', '1,2,3', '']).map((v) => (v ? Array.from(v as Float32Array) : v))).toEqual([
      [Math.fround(0.25840944), Math.fround(-0.96066254), Math.fround(-0.10174511)],
      [1, 2, 3],
      null,
    ]);
    const v = column('datatype="double" arraysize="*"', ['1 2', '', '  3\n 4\t5 ']);
    expect(v.toArray().map((x) => Array.from(x as Float64Array))).toEqual([[1, 2], [], [3, 4, 5]]);
    expect(Array.from(v.offsets!)).toEqual([0, 2, 2, 5]);
    expect(v.nullCount).toBe(0);
    const m = column('datatype="double" arraysize="2x2"', ['1 2 3 4']);
    expect(Array.from(m.get(0) as Float64Array)).toEqual([1, 2, 3, 4]);
    expect(m.layout.elementShape).toEqual([2, 2]);
  });

  it('pads a short fixed numeric array like astropy and rejects a long one', () => {
    expect(Array.from(column('datatype="double" arraysize="3"', ['1 2']).get(0) as Float64Array)).toEqual([1, 2, NaN]);
    expect(Array.from(column('datatype="int" arraysize="3"', ['7']).get(0) as Int32Array)).toEqual([7, 0, 0]);
    const e = failure(doc('datatype="float" arraysize="2"', ['1 2 3']));
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toContain('cell has 3 elements, arraysize "2" allows 2');
  });

  it('reads complex scalars and arrays as re/im pairs', () => {
    expect(cells('datatype="doubleComplex"', ['1 -2', '', 'NaN', '1.5, 2'])).toEqual([[1, -2], null, null, [1.5, 2]]);
    expect(cells('datatype="floatComplex" arraysize="2"', ['1 2 3 4'])).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expect(failure(doc('datatype="doubleComplex"', ['1 2 3']))).toBeInstanceOf(ValueError);
  });
});

describe('TABLEDATA booleans and bits', () => {
  it('reads every boolean spelling, with ? and empty as null', () => {
    expect(cells('datatype="boolean"', ['T', 'F', 't', 'f', 'true', 'FALSE', '1', '0', '?', '', ' T '])).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      null,
      null,
      true,
    ]);
    expect(failure(doc('datatype="boolean"', ['yes']))).toBeInstanceOf(ValueError);
  });

  it('reads boolean arrays and bit scalars, arrays and variable arrays', () => {
    expect(cells('datatype="boolean" arraysize="3"', ['T F ?'])).toEqual([[true, false, false]]);
    expect(cells('datatype="bit"', ['1', '0', ''])).toEqual([true, false, null]);
    expect(cells('datatype="bit" arraysize="6"', ['101100', '1 1 1 0 0 0'])).toEqual([
      [true, false, true, true, false, false],
      [true, true, true, false, false, false],
    ]);
    expect(cells('datatype="bit" arraysize="*"', ['111', ''])).toEqual([[true, true, true], []]);
    expect(failure(doc('datatype="bit"', ['2']))).toBeInstanceOf(ValueError);
  });
});

describe('TABLEDATA strings', () => {
  it('reads variable char strings, stripping XML whitespace and expanding entities', () => {
    expect(cells('datatype="char" arraysize="*"', ['G 4295806720', '  padded  ', '', 'a &amp; b &lt;c&gt; &#65;', '<![CDATA[<x>]]>'])).toEqual([
      'G 4295806720',
      'padded',
      '',
      'a & b <c> A',
      '<x>',
    ]);
    const c = column('datatype="char" arraysize="*"', ['ab', '']);
    expect(c.nullCount).toBe(0);
    expect(Array.from(c.stringOffsets!)).toEqual([0, 2, 2]);
  });

  it('cuts fixed-length strings to arraysize characters (numpy U<n>), counting characters not bytes', () => {
    expect(cells('datatype="char" arraysize="4"', ['abcdefg', 'ab'])).toEqual(['abcd', 'ab']);
    expect(cells('datatype="unicodeChar" arraysize="3"', ['ΩΩΩΩ', '𝄞𝄞𝄞𝄞'])).toEqual(['ΩΩΩ', '𝄞𝄞𝄞']);
    // A char without arraysize is one character (astropy sets arraysize="1").
    expect(cells('datatype="char"', ['xyz'])).toEqual(['x']);
  });

  it('keeps UTF-8 in variable strings byte for byte', () => {
    const c = column('datatype="unicodeChar" arraysize="*"', ['Ceçi n’est pas', 'வணக்கம்']);
    expect(c.toArray()).toEqual(['Ceçi n’est pas', 'வணக்கம்']);
  });

  it('splits char arrays of strings (10x3, 4x*) into fixed-width strings', () => {
    expect(cells('datatype="char" arraysize="4x3"', ['ab  cd  ef', ''])).toEqual([
      ['ab', 'cd', 'ef'],
      ['', '', ''],
    ]);
    expect(cells('datatype="char" arraysize="2x*"', ['aabbc', ''])).toEqual([['aa', 'bb', 'c'], []]);
    expect(failure(doc('datatype="char" arraysize="2x2"', ['aabbcc']))).toBeInstanceOf(ValueError);
  });
});

describe('TABLEDATA structure', () => {
  it('reads rows with attributes, comments, prefixes and self-closing cells', () => {
    const xml = `<v:VOTABLE xmlns:v="http://www.ivoa.net/xml/VOTable/v1.2" version="1.2"><v:RESOURCE><v:TABLE>
<v:FIELD name="a" datatype="int"/><v:FIELD name="b" datatype="char" arraysize="*"/>
<v:DATA><v:TABLEDATA>
<!-- c --><v:TR ID="r1"><v:TD>1</v:TD><!-- c --><v:TD >x</v:TD ></v:TR>
<v:TR><v:TD/><v:TD/></v:TR><?pi data?>
</v:TABLEDATA></v:DATA></v:TABLE></v:RESOURCE></v:VOTABLE>`;
    const t = getFirstTable(parseVOTableSync(xml));
    expect(t.rowCount).toBe(2);
    expect(t.columns.map((c) => c.toArray())).toEqual([
      [1, null],
      ['x', ''],
    ]);
  });

  it('rejects rows with too few or too many cells, naming the row', () => {
    const two = `<VOTABLE version="1.3"><RESOURCE><TABLE><FIELD name="a" datatype="int"/><FIELD name="b" datatype="int"/><DATA><TABLEDATA>`;
    const few = failure(`${two}<TR><TD>1</TD><TD>2</TD></TR><TR><TD>1</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`);
    expect(few).toBeInstanceOf(ValueError);
    expect(few.message).toContain('row 1');
    expect(few.message).toContain('row has 1 TD cells, expected 2');
    const many = failure(`${two}<TR><TD>1</TD><TD>2</TD><TD>3</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`);
    expect(many).toBeInstanceOf(ValueError);
    expect(many.message).toContain('more than 2 TD cells');
  });

  it('rejects elements and text where TABLEDATA has none', () => {
    const head = `<VOTABLE version="1.3"><RESOURCE><TABLE><FIELD name="a" datatype="int"/><DATA><TABLEDATA>`;
    const tail = `</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`;
    expect(failure(`${head}<TR><TD><b>1</b></TD></TR>${tail}`)).toBeInstanceOf(VOTableXMLError);
    expect(failure(`${head}junk<TR><TD>1</TD></TR>${tail}`)).toBeInstanceOf(VOTableXMLError);
    expect(failure(`${head}<TD>1</TD>${tail}`).message).toContain('expected <TR>, found <TD>');
    expect(failure(`${head}<TR><TD>1</TR>${tail}`)).toBeInstanceOf(VOTableXMLError);
  });

  it('sizes columns from the first rows of a large in-memory document and keeps every row exact', () => {
    const n = 5000;
    const rows = Array.from({ length: n }, (_, i) => `<TR><TD>${i * 1000003}</TD><TD>${(i * 0.1).toFixed(i % 7)}</TD><TD>name${'x'.repeat(i % 13)}</TD><TD>${i % 3 ? 'T' : 'F'}</TD></TR>`);
    const xml = `<VOTABLE version="1.3"><RESOURCE><TABLE><FIELD name="id" datatype="long"/><FIELD name="x" datatype="double"/><FIELD name="s" datatype="char" arraysize="*"/><FIELD name="b" datatype="boolean"/><DATA><TABLEDATA>\n${rows.join('\n')}\n</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`;
    const t = getFirstTable(parseVOTableSync(xml));
    expect(t.rowCount).toBe(n);
    const [id, x, str, b] = t.columns;
    expect(id.values.length).toBe(n);
    for (const i of [0, 1023, 1024, 1025, 4999]) {
      expect([id.get(i), x.get(i), str.get(i), b.get(i)]).toEqual([BigInt(i * 1000003), Number((i * 0.1).toFixed(i % 7)), `name${'x'.repeat(i % 13)}`, i % 3 !== 0]);
    }
  });

  it('counts rows of a table without FIELDs', () => {
    const t = getFirstTable(
      parseVOTableSync(`<VOTABLE version="1.3"><RESOURCE><TABLE><DATA><TABLEDATA><TR/><TR></TR><TR> </TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`),
    );
    expect(t.rowCount).toBe(3);
    expect(t.columns).toEqual([]);
  });

  it('counts lines across multi-line cells, comments, CDATA and entities', () => {
    const head = `<VOTABLE version="1.3">\n<RESOURCE><TABLE>\n<FIELD name="s" datatype="char" arraysize="*"/><FIELD name="x" datatype="double"/><FIELD name="v" datatype="float" arraysize="*"/>\n<DATA><TABLEDATA>\n`;
    const rows = [
      '<TR><TD>a\nb</TD><TD>\n1\n</TD><TD>1\n2</TD></TR>\n',
      '<TR>\n<!-- a\ncomment -->\n<TD><![CDATA[x\ny]]></TD><TD>2</TD><TD></TD></TR>\n',
      '<TR><TD>&amp;\n</TD><TD>\n&#51;</TD><TD>\n</TD></TR>\n',
    ];
    const bad = ['<TR><TD>q</TD><TD>oops</TD><TD/></TR>', '<TR><TD>q</TD><TD>1</TD><TD>1 x</TD></TR>', '<TR><TD>q</TD><TD>\n\n7e</TD><TD/></TR>'];
    for (const tail of bad) {
      const xml = `${head}${rows.join('')}${tail}\n</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`;
      const e = failure(xml) as ValueError;
      expect(e, tail).toBeInstanceOf(ValueError);
      expect(e.where.row, tail).toBe(3);
      expect(e.where.line, tail).toBe(xml.slice(0, e.where.offset).split('\n').length);
    }
    const ok = getFirstTable(parseVOTableSync(`${head}${rows.join('')}</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`));
    expect(ok.columns.map((c) => c.toArray().map((v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v)))).toEqual([
      ['a\nb', 'x\ny', '&'],
      [1, 2, 3],
      [[1, 2], [], []],
    ]);
  });

  it('reports a row cut off by the end of input as truncation with its offset', () => {
    const xml = doc('datatype="int"', ['1', '2']);
    const cut = xml.indexOf('<TR><TD>2') + 6;
    const e = failure(xml.slice(0, cut));
    expect(e).toBeInstanceOf(TruncatedError);
    expect((e as TruncatedError).where.offset).toBe(xml.indexOf('<TR><TD>2'));
    expect((e as TruncatedError).where.row).toBe(1);
  });
});
