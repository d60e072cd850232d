import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FitsError, getFirstTable, parseVOTable, readFitsHdus, readFitsTable, type CellValue, type Field } from '@vokit/votable';
import { field, RowWriter } from './support/binary-rows.js';

const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${path}`, import.meta.url)));

interface GoldenColumn {
  name: string;
  tform: string;
  values: unknown[];
}
const golden = JSON.parse(readFileSync(new URL('./fixtures/fits/golden.json', import.meta.url), 'utf8')) as {
  files: Record<string, { extnum: number; rows: number; columns: GoldenColumn[] }[]>;
};

/** A cell in the golden JSON encoding (see scripts/golden-fits.py). */
function jsonCell(value: CellValue): unknown {
  if (value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value === Infinity ? 'Infinity' : value === -Infinity ? '-Infinity' : value;
  if (ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<number | bigint>, (v) => jsonCell(v));
  if (Array.isArray(value)) return value.map((v) => jsonCell(v as CellValue));
  return value;
}

/** Cards padded to 80 characters, END, and padding to a 2880-byte block. */
function header(cards: string[]): string {
  const text = [...cards, 'END'].map((c) => c.padEnd(80)).join('');
  return text.padEnd(Math.ceil(text.length / 2880) * 2880);
}

function card(key: string, value: string | number | boolean): string {
  const v = typeof value === 'string' ? `'${value.replace(/'/g, "''").padEnd(8)}'` : typeof value === 'boolean' ? (value ? 'T' : 'F') : String(value);
  return `${key.padEnd(8)}= ${typeof value === 'string' ? v : v.padStart(20)}`;
}

/** A FITS file: empty primary HDU + one BINTABLE with the given TFORM cards and raw data. */
function fitsFile(columnCards: string[], rows: number, rowBytes: number, data: Uint8Array, heap = 0): Uint8Array {
  const primary = header([card('SIMPLE', true), card('BITPIX', 8), card('NAXIS', 0), card('EXTEND', true)]);
  const ext = header([
    card('XTENSION', 'BINTABLE'),
    card('BITPIX', 8),
    card('NAXIS', 2),
    card('NAXIS1', rowBytes),
    card('NAXIS2', rows),
    card('PCOUNT', heap),
    card('GCOUNT', 1),
    card('TFIELDS', columnCards.filter((c) => c.startsWith('TFORM')).length),
    ...columnCards,
  ]);
  const padded = new Uint8Array(Math.ceil(data.length / 2880) * 2880);
  padded.set(data);
  const out = new Uint8Array(primary.length + ext.length + padded.length);
  out.set(Uint8Array.from(primary + ext, (c) => c.charCodeAt(0)));
  out.set(padded, primary.length + ext.length);
  return out;
}

function fitsErrorOf(fn: () => unknown): FitsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FitsError);
    return e as FitsError;
  }
  throw new Error('expected a FitsError');
}

describe('FITS BINTABLE golden files (astropy.io.fits)', () => {
  for (const [file, hdus] of Object.entries(golden.files)) {
    it(`reads ${file} as astropy does`, () => {
      const bytes = fixture(file);
      for (const expected of hdus) {
        const table = readFitsTable(bytes, { extnum: expected.extnum });
        expect(table.rowCount).toBe(expected.rows);
        expect(table.columns.map((c) => c.name)).toEqual(expected.columns.map((c) => c.name));
        for (let k = 0; k < expected.columns.length; k++) {
          const got = table.columns[k].toArray().map(jsonCell);
          expect({ column: expected.columns[k].name, values: got }).toEqual({ column: expected.columns[k].name, values: expected.columns[k].values });
        }
      }
    });
  }

  it('derives VOTable FIELDs from TFORM, TDIM, TUNIT, TNULL and the TZERO conventions', () => {
    const table = readFitsTable(fixture('fits/all-types.fits'));
    const summary = table.fields.map((f) => [f.name, f.datatype, f.arraysize ?? '', f.unit ?? '', f.values?.null ?? ''].join(':'));
    expect(summary).toEqual([
      'l:boolean:::',
      'x:bit:10::',
      'b:unsignedByte:::',
      'sb:short:::',
      'i:short:::',
      'ui:int:::',
      'j:int:::-1',
      'uj:long:::',
      'k:long:::0',
      'a:char:8::',
      'a2:char:4x2::',
      'e:float::mag:',
      'd:double:::',
      'c:floatComplex:::',
      'm:doubleComplex:::',
      'es:double:::',
      'js:double:::',
      'e23:float:3x2::',
      'pj:int:*::',
      'pe:float:*::',
      'pa:char:*::',
      'qd:double:*::',
    ]);
    expect(table.columns[1].layout.elementShape).toEqual([10]);
    expect(Array.from(table.columns.find((c) => c.name === 'pj')!.offsets!)).toEqual([0, 3, 3, 4]);
  });

  it('lists HDUs with their headers', () => {
    const hdus = readFitsHdus(fixture('pyvo/dal/mimetype/test.fits'));
    // Offsets as astropy's HDUList.fileinfo gives them (hdrLoc, datLoc); 7532 = NAXIS1 × NAXIS2.
    expect(hdus.map((h) => [h.index, h.type, h.headerOffset, h.dataOffset, h.dataBytes])).toEqual([
      [0, 'PRIMARY', 0, 17280, 0],
      [1, 'BINTABLE', 17280, 23040, 7532],
    ]);
    expect(hdus[1].header.get('EXTNAME')).toBe('IUE MELO');
    expect(hdus[0].header.get('TELESCOP')).toBe('IUE');
    expect(hdus[0].header.get('EQUINOX')).toBe(1950);
    expect(hdus[1].header.get('TFORM5')).toBe('376E');
  });
});

describe('FITS reading', () => {
  it('reads logical 0 bytes as null and applies TNULL to scalar integers', () => {
    const data = new RowWriter().ascii('T').i16(5).ascii('\0').i16(-99).ascii('F').i16(0).bytes();
    const bytes = fitsFile([card('TTYPE1', 'ok'), card('TFORM1', 'L'), card('TTYPE2', 'n'), card('TFORM2', 'I'), card('TNULL2', -99)], 3, 3, data);
    const { columns } = readFitsTable(bytes);
    expect(columns[0].toArray()).toEqual([true, null, false]);
    expect(columns[1].toArray()).toEqual([5, null, 0]);
    expect(Array.from(columns[1].validity!)).toEqual([0b101]);
  });

  it('reads character bytes beyond ASCII as Latin-1', () => {
    const data = new RowWriter().ascii('caf').u8(0xe9).ascii('  ').bytes();
    const { columns } = readFitsTable(fitsFile([card('TFORM1', '6A')], 1, 6, data));
    expect(columns[0].get(0)).toBe('café');
  });

  it('refuses unsigned 64-bit columns rather than misreading them', () => {
    const bytes = fitsFile([card('TTYPE1', 'u'), card('TFORM1', 'K'), 'TZERO1  =  9223372036854775808'], 1, 8, new Uint8Array(8));
    expect(fitsErrorOf(() => readFitsTable(bytes)).message).toBe(
      'votable: FITS HDU 1: column "u" scales 64-bit integers (TSCAL/TZERO), which cannot be read exactly',
    );
  });

  it('decodes into given VOTable FIELDs, converting integer widths', () => {
    const data = new RowWriter().i16(7).f64(1.5).i16(-3).f64(2).bytes();
    const bytes = fitsFile([card('TFORM1', 'I'), card('TFORM2', 'D')], 2, 10, data);
    const fields: Field[] = [field('id', 'long'), field('x', 'double')];
    const { columns } = readFitsTable(bytes, { extnum: 1, fields });
    expect(columns[0].toArray()).toEqual([7n, -3n]);
    expect(columns[0].field).toBe(fields[0]);
    expect(columns[1].toArray()).toEqual([1.5, 2]);
  });

  it('reads header strings with doubled quotes, long CONTINUE strings and big integers', () => {
    const primary = header([
      card('SIMPLE', true),
      card('BITPIX', 8),
      card('NAXIS', 0),
      "OBJECT  = 'O''Brien'           / a quote inside",
      "LONGSTR = 'first part &'",
      "CONTINUE  'second part'",
      'BIGINT  =  9007199254740993',
      'DVALUE  =              1.5D+02',
      'HISTORY made by hand',
    ]);
    const hdus = readFitsHdus(Uint8Array.from(primary, (c) => c.charCodeAt(0)));
    const h = hdus[0].header;
    expect(h.get('OBJECT')).toBe("O'Brien");
    expect(h.cards.find((c) => c.keyword === 'OBJECT')?.comment).toBe('a quote inside');
    expect(h.get('LONGSTR')).toBe('first part second part');
    expect(h.get('BIGINT')).toBe(9007199254740993n);
    expect(h.get('DVALUE')).toBe(150);
    expect(h.cards.find((c) => c.keyword === 'HISTORY')?.comment).toBe('made by hand');
  });

  it('rejects what is not a FITS file, a missing extension and a non-table HDU', () => {
    expect(fitsErrorOf(() => readFitsHdus(new Uint8Array(2880))).message).toBe(
      'votable offset 0: not a FITS file: it must start with a 2880-byte header whose first card is SIMPLE',
    );
    const file = fixture('astropy/tb.fits');
    expect(fitsErrorOf(() => readFitsTable(file, { extnum: 2, tableIndex: 3 })).message).toBe(
      'votable table 3: FITS extnum 2 does not exist: the file has 1 extension(s)',
    );
    expect(fitsErrorOf(() => readFitsTable(file, { extnum: 0 })).message).toBe('votable: FITS HDU 0 is the primary HDU, not a BINTABLE');
  });

  it('rejects a truncated data unit, a bad TFORM, a row width mismatch and a bad heap descriptor', () => {
    const file = fixture('astropy/tb.fits');
    expect(fitsErrorOf(() => readFitsHdus(file.subarray(0, 5770))).message).toBe(
      'votable offset 5760: HDU 1: data of 24 bytes at offset 5760 runs past the end of the file (5770 bytes)',
    );
    expect(fitsErrorOf(() => readFitsTable(fitsFile([card('TFORM1', '2Z')], 1, 2, new Uint8Array(2))))).toHaveProperty(
      'message',
      'votable: FITS HDU 1: TFORM1 = "2Z" is not a BINTABLE format (rT with T one of L X B I J K A E D C M P Q)',
    );
    expect(fitsErrorOf(() => readFitsTable(fitsFile([card('TFORM1', 'J')], 1, 8, new Uint8Array(8)))).message).toBe(
      'votable: FITS HDU 1: the TFORMs add up to 4 bytes per row but NAXIS1 is 8',
    );
    const descriptor = new RowWriter().i32(4, 0).bytes();
    expect(fitsErrorOf(() => readFitsTable(fitsFile([card('TTYPE1', 'v'), card('TFORM1', 'PJ(4)')], 1, 8, descriptor, 8))).message).toBe(
      'votable: FITS HDU 1 row 0 column "v": heap descriptor (4 elements at heap offset 0) points outside the heap',
    );
  });

  it('rejects FIELDs that do not match the FITS columns', () => {
    const file = fixture('astropy/tb.fits');
    expect(fitsErrorOf(() => readFitsTable(file, { fields: [field('a', 'int')] })).message).toBe(
      'votable: FITS HDU 1 has 4 columns but the TABLE declares 1 FIELDs',
    );
    const fields = [field('c1', 'int'), field('c2', 'double'), field('c3', 'float'), field('c4', 'boolean')];
    expect(fitsErrorOf(() => readFitsTable(file, { fields })).message).toBe(
      'votable: FITS HDU 1: column "c2" holds char values, which cannot be read as FIELD "c2" datatype double',
    );
  });
});

describe('FITS serialization through parseVOTable', () => {
  const fieldsXml = [
    '<FIELD name="c1" datatype="int"><VALUES null="-2147483647"/></FIELD>',
    '<FIELD name="c2" datatype="char" arraysize="3"/>',
    '<FIELD name="c3" datatype="double"/>',
    '<FIELD name="c4" datatype="boolean"/>',
  ].join('');
  const doc = (data: string) =>
    `<?xml version="1.0"?><VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>${fieldsXml}<DATA>${data}</DATA></TABLE></RESOURCE></VOTABLE>`;

  it('reads an inline base64 FITS stream into the TABLE FIELDs', async () => {
    const b64 = Buffer.from(fixture('astropy/tb.fits')).toString('base64').replace(/(.{64})/g, '$1\n');
    const table = getFirstTable(await parseVOTable(doc(`<FITS extnum="1"><STREAM encoding="base64">\n${b64}\n</STREAM></FITS>`)));
    expect(table.data?.serialization).toBe('FITS');
    expect(table.rowCount).toBe(2);
    expect(table.columns.map((c) => c.toArray())).toEqual([
      [1, 2],
      ['abc', 'xy'],
      [3.7000000715255736, 6.699999713897705],
      [false, true],
    ]);
  });
});

describe('FITS robustness', () => {
  it('meets 3000 random corruptions of a FITS file with FitsError or a table, never a crash', () => {
    const good = fixture('fits/all-types.fits');
    let seed = 99;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const digits = '0123456789-+ .TF()E';
    let failures = 0;
    for (let k = 0; k < 3000; k++) {
      const bytes = good.slice(0, random(4) === 0 ? random(good.length) : good.length);
      for (let m = random(3) + 1; m > 0; m--) {
        // Aim at header values (which steer the reader) as often as at the data.
        const at = random(2) ? random(Math.min(bytes.length, 5760)) : random(bytes.length);
        bytes[at] = random(2) ? digits.charCodeAt(random(digits.length)) : random(256);
      }
      try {
        const table = readFitsTable(bytes);
        for (const c of table.columns) c.toArray();
      } catch (e) {
        if (!(e instanceof FitsError)) throw e;
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(100);
  });
});
