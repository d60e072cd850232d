// Builds small FITS files for the samp tests: 80-character cards, headers and data padded to
// 2880-byte blocks (FITS 4.0 §3.1), so the files are valid for real receivers (TOPCAT, astropy).

const BLOCK = 2880;

function pad(bytes: Buffer, fill: number): Buffer {
  const size = Math.ceil(bytes.length / BLOCK) * BLOCK;
  return Buffer.concat([bytes, Buffer.alloc(size - bytes.length, fill)]);
}

/** A header from `KEY = value` pairs (values already FITS-formatted, e.g. `T`, `8`, `'BINTABLE'`). */
export function fitsHeader(cards: [string, string][]): Buffer {
  // Fixed format: strings start in column 11 (quoted, at least 8 characters), other values end in column 30.
  const format = (value: string) => (value.startsWith("'") ? `'${value.slice(1, -1).padEnd(8)}'` : value.padStart(20));
  const text = [...cards.map(([key, value]) => `${key.padEnd(8)}= ${format(value)}`.padEnd(80)), 'END'.padEnd(80)].join('');
  return pad(Buffer.from(text, 'latin1'), 0x20);
}

/** A FITS image: primary HDU with a `width` x `height` array of 8-bit pixels 0, 1, 2, ... */
export function fitsImage(width: number, height: number): Buffer {
  const header = fitsHeader([
    ['SIMPLE', 'T'],
    ['BITPIX', '8'],
    ['NAXIS', '2'],
    ['NAXIS1', String(width)],
    ['NAXIS2', String(height)],
  ]);
  const data = Buffer.from(Array.from({ length: width * height }, (_, i) => i % 256));
  return Buffer.concat([header, pad(data, 0)]);
}

/** A FITS table: empty primary HDU, then a BINTABLE of one 32-bit integer column `n` with `rows` rows. */
export function fitsTable(rows: number): Buffer {
  const primary = fitsHeader([
    ['SIMPLE', 'T'],
    ['BITPIX', '8'],
    ['NAXIS', '0'],
    ['EXTEND', 'T'],
  ]);
  const extension = fitsHeader([
    ['XTENSION', "'BINTABLE'"],
    ['BITPIX', '8'],
    ['NAXIS', '2'],
    ['NAXIS1', '4'],
    ['NAXIS2', String(rows)],
    ['PCOUNT', '0'],
    ['GCOUNT', '1'],
    ['TFIELDS', '1'],
    ['TTYPE1', "'n'"],
    ['TFORM1', "'J'"],
  ]);
  const data = Buffer.alloc(rows * 4);
  for (let i = 0; i < rows; i++) data.writeInt32BE(i * 10, i * 4);
  return Buffer.concat([primary, extension, pad(data, 0)]);
}
