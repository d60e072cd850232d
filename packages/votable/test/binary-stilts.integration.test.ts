// STILTS (a real peer, Debian package `stilts`) writes one table as BINARY, BINARY2 and FITS,
// inline and through STREAM href; we read every variant back. Expected values are written out in
// full per variant, because STILTS changes representations on the way (noted at each).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFirstTable, parseVOTable, type CellValue } from '@vokit/votable';

const SOURCE = `<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<RESOURCE><TABLE name="t">
<FIELD name="id" datatype="long"/>
<FIELD name="ra" datatype="double" unit="deg"/>
<FIELD name="mag" datatype="float"/>
<FIELD name="n" datatype="int"><VALUES null="-99"/></FIELD>
<FIELD name="s" datatype="short"/>
<FIELD name="b" datatype="unsignedByte"/>
<FIELD name="ok" datatype="boolean"/>
<FIELD name="code" datatype="char" arraysize="4"/>
<FIELD name="name" datatype="char" arraysize="*"/>
<FIELD name="uname" datatype="unicodeChar" arraysize="*"/>
<FIELD name="vec" datatype="double" arraysize="3"/>
<FIELD name="vi" datatype="int" arraysize="*"/>
<DATA><TABLEDATA>
<TR><TD>9007199254740993</TD><TD>10.5</TD><TD>1.25</TD><TD>7</TD><TD>-3</TD><TD>200</TD><TD>T</TD><TD>AB</TD><TD>alpha</TD><TD>Ωmega</TD><TD>1 2 3</TD><TD>1 2</TD></TR>
<TR><TD>-5</TD><TD>-0.25</TD><TD></TD><TD>-99</TD><TD>32767</TD><TD>0</TD><TD>F</TD><TD>WXYZ</TD><TD></TD><TD>é</TD><TD>4 5 6</TD><TD></TD></TR>
<TR><TD>6</TD><TD>359.999</TD><TD>NaN</TD><TD></TD><TD>0</TD><TD>1</TD><TD>?</TD><TD></TD><TD>gamma delta</TD><TD></TD><TD>7 8 9</TD><TD>3</TD></TR>
</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
`;

/** Cells as JSON-friendly values: bigint as string, NaN as "NaN", typed arrays as arrays. */
function plain(value: CellValue): unknown {
  if (value === null) return null;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  if (ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<number>);
  return value;
}

// Columns common to every binary variant. STILTS writes a null float as NaN with no BINARY2 flag.
const COMMON = {
  id: ['9007199254740993', '-5', '6'],
  ra: [10.5, -0.25, 359.999],
  mag: [1.25, 'NaN', 'NaN'],
  n: [7, null, null],
  s: [-3, 32767, 0],
  b: [200, 0, 1],
  ok: [true, false, null],
  vec: [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ],
};
const BINARY = { ...COMMON, code: ['AB', 'WXYZ', ''], name: ['alpha', '', 'gamma delta'], uname: ['Ωmega', 'é', ''], vi: [[1, 2], [], [3]] };
// STILTS sets the BINARY2 null flag on empty strings and empty arrays.
const BINARY2 = { ...COMMON, code: ['AB', 'WXYZ', null], name: ['alpha', null, 'gamma delta'], uname: ['Ωmega', 'é', null], vi: [[1, 2], null, [3]] };
// In FITS, STILTS writes unicodeChar as one byte per character (Ω → 0xA9, read as Latin-1 "©")
// and variable arrays as fixed ones padded with zeros.
const FITS = { ...COMMON, code: ['AB', 'WXYZ', ''], name: ['alpha', '', 'gamma delta'], uname: ['©mega', 'é', ''], vi: [[1, 2], [0, 0], [3, 0]] };

const VARIANTS: [format: string, serialization: string, expected: Record<string, unknown[]>][] = [
  ['votable-binary-inline', 'BINARY', BINARY],
  ['votable-binary-href', 'BINARY', BINARY],
  ['votable-binary2-inline', 'BINARY2', BINARY2],
  ['votable-binary2-href', 'BINARY2', BINARY2],
  ['votable-fits-inline', 'FITS', FITS],
  ['votable-fits-href', 'FITS', FITS],
];

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vokit-stilts-binary-'));
  writeFileSync(join(dir, 'source.xml'), SOURCE);
  for (const [format] of VARIANTS) {
    execFileSync('stilts', ['tcopy', `in=${join(dir, 'source.xml')}`, 'ifmt=votable', `out=${join(dir, `${format}.xml`)}`, `ofmt=${format}`], {
      cwd: dir,
      timeout: 120_000,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }
}, 600_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('reading what STILTS writes', () => {
  for (const [format, serialization, expected] of VARIANTS) {
    it(`reads ${format}`, async () => {
      const path = join(dir, `${format}.xml`);
      const table = getFirstTable(await parseVOTable(readFileSync(path), { baseUrl: pathToFileURL(path).href }));
      expect(table.data?.serialization).toBe(serialization);
      expect(Boolean(table.data?.href)).toBe(format.endsWith('-href'));
      const got = Object.fromEntries(table.columns.map((c) => [c.name, c.toArray().map(plain)]));
      expect(got).toEqual(expected);
    });
  }
});
