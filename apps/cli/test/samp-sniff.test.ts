// `vokit samp send` picks the MType from the content: VOTables (plain, prefixed, gzipped),
// FITS images and tables (built here and astropy's tb.fits), and clear errors for the rest.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, UnknownContentError } from '../src/errors.js';
import { sniffSampFile } from '../src/samp-sniff.js';
import { fitsHeader, fitsImage, fitsTable } from './fits-builder.js';
import { FIXTURES } from './run-vokit.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vokit-sniff-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}

const VOTABLE = { kind: 'votable', mtype: 'table.load.votable', contentType: 'application/x-votable+xml' };
const IMAGE = { kind: 'fits-image', mtype: 'image.load.fits', contentType: 'application/fits' };
const TABLE = { kind: 'fits-table', mtype: 'table.load.fits', contentType: 'application/fits' };

describe('sniffSampFile', () => {
  it.each([
    ['a pyvo VOTable with XML declaration and comment', join(FIXTURES, 'pyvo/dal/query/basic.xml')],
    ['an astropy VOTable', join(FIXTURES, 'astropy/regression.bin.tabledata.truth.1.3.xml')],
  ])('recognises %s', async (_, path) => {
    expect(await sniffSampFile(path)).toEqual({ ...VOTABLE, gzip: false });
  });

  it('recognises a gzipped VOTable and keeps it compressed', async () => {
    expect(await sniffSampFile(join(FIXTURES, 'astropy/too_many_columns.xml.gz'))).toEqual({ ...VOTABLE, gzip: true });
  });

  it('recognises a namespace-prefixed VOTABLE root after a BOM and a DOCTYPE', async () => {
    const path = file('prefixed.xml', '\uFEFF<?xml version="1.0"?>\n<!DOCTYPE x>\n<vot:VOTABLE xmlns:vot="http://www.ivoa.net/xml/VOTable/v1.3"/>');
    expect(await sniffSampFile(path)).toEqual({ ...VOTABLE, gzip: false });
  });

  it('recognises a FITS image in the primary HDU', async () => {
    expect(await sniffSampFile(file('image.fits', fitsImage(3, 2)))).toEqual({ ...IMAGE, gzip: false });
  });

  it('recognises a gzipped FITS image', async () => {
    expect(await sniffSampFile(file('image.fits.gz', gzipSync(fitsImage(16, 16))))).toEqual({ ...IMAGE, gzip: true });
  });

  it('recognises a FITS table behind an empty primary HDU', async () => {
    expect(await sniffSampFile(file('table.fits', fitsTable(5)))).toEqual({ ...TABLE, gzip: false });
  });

  it("recognises astropy's tb.fits (STScI header with COMMENT cards) as a table", async () => {
    expect(await sniffSampFile(join(FIXTURES, 'astropy/tb.fits'))).toEqual({ ...TABLE, gzip: false });
  });

  it('recognises a FITS image in an IMAGE extension', async () => {
    const primary = fitsHeader([['SIMPLE', 'T'], ['BITPIX', '8'], ['NAXIS', '0'], ['EXTEND', 'T']]);
    const ext = fitsHeader([["XTENSION", "'IMAGE'"], ['BITPIX', '8'], ['NAXIS', '2'], ['NAXIS1', '2'], ['NAXIS2', '2'], ['PCOUNT', '0'], ['GCOUNT', '1']]);
    const data = Buffer.alloc(2880);
    expect(await sniffSampFile(file('ext-image.fits', Buffer.concat([primary, ext, data])))).toEqual({ ...IMAGE, gzip: false });
  });

  it('refuses a FITS file with nothing after an empty primary HDU', async () => {
    const path = file('empty.fits', fitsHeader([['SIMPLE', 'T'], ['BITPIX', '8'], ['NAXIS', '0']]));
    await expect(sniffSampFile(path)).rejects.toThrow(
      `${path}: a FITS file whose primary HDU is empty and whose first extension is unreadable: give --mtype to say how to send it`,
    );
  });

  it('refuses an HTML page, quoting its first bytes', async () => {
    const path = file('page.html', '<!DOCTYPE html>\n<html><body>VOTABLE</body></html>');
    await expect(sniffSampFile(path)).rejects.toThrow(
      `${path}: neither a VOTable nor a FITS file (it starts with "<!DOCTYPE html>.<html><b"): give --mtype to send it anyway`,
    );
  });

  it('refuses an empty file', async () => {
    const path = file('empty.vot', '');
    await expect(sniffSampFile(path)).rejects.toThrow(`${path}: neither a VOTable nor a FITS file (it starts with ""): give --mtype to send it anyway`);
  });

  it('says when the file is missing', async () => {
    const path = join(work, 'missing.vot');
    await expect(sniffSampFile(path)).rejects.toThrow(`${path}: no such file`);
  });

  it('tells unknown content (UnknownContentError) from unreadable files (InputError)', async () => {
    const unknown = await sniffSampFile(file('notes.txt', 'notes')).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(UnknownContentError);
    expect(unknown).not.toBeInstanceOf(InputError);
    expect((unknown as UnknownContentError).code).toBe('CLI_UNKNOWN_CONTENT');
    const missing = await sniffSampFile(join(work, 'missing.fits')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InputError);
    expect(missing).not.toBeInstanceOf(UnknownContentError);
    expect((missing as InputError).code).toBe('CLI_INPUT');
  });

  it('says when the path is a directory', async () => {
    await expect(sniffSampFile(work)).rejects.toThrow(`${work}: is a directory`);
  });
});
