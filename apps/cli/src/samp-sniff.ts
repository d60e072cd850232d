/**
 * What `vokit samp send` is sending, told from the file's first bytes rather than its name: a
 * VOTable (`table.load.votable`), a FITS image (`image.load.fits`) or a FITS table
 * (`table.load.fits`). gzip-compressed files are looked into and sent compressed: TOPCAT,
 * Aladin and DS9 read them so.
 */

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { InputError, UnknownContentError } from './errors.js';
import { describeFileError } from './input.js';

/** The kinds of file `samp send` knows how to announce. */
export type SampFileKind = 'votable' | 'fits-image' | 'fits-table';

/** What {@link sniffSampFile} found. */
export interface SniffedFile {
  kind: SampFileKind;
  /** The MType that loads this kind of file. */
  mtype: 'table.load.votable' | 'image.load.fits' | 'table.load.fits';
  /** Content-Type to serve it with. */
  contentType: string;
  /** True when the file is gzip-compressed (it is served as it is). */
  gzip: boolean;
}

/**
 * How much of the (decompressed) file is read to decide, bytes. A FITS primary header with no
 * data is followed at once by the first extension's header, so this covers headers of several
 * thousand cards.
 */
const SNIFF_BYTES = 1 << 20;
/** FITS header and data come in blocks of 2880 bytes, 36 cards of 80 characters (FITS 4.0 §3.1). */
const FITS_BLOCK = 2880;
const FITS_CARD = 80;

/** Reads up to {@link SNIFF_BYTES} of the file, decompressed when it is gzip. */
async function readPrefix(path: string): Promise<{ bytes: Uint8Array; gzip: boolean }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new InputError(`${path}: ${describeFileError(error)}`, { cause: error });
  }
  let magic: Buffer;
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    magic = buffer.subarray(0, bytesRead);
  } catch (error) {
    throw new InputError(`${path}: ${describeFileError(error)}`, { cause: error });
  } finally {
    await handle.close();
  }
  const gzip = magic[0] === 0x1f && magic[1] === 0x8b;
  const chunks: Buffer[] = [];
  let length = 0;
  const source = createReadStream(path, gzip ? {} : { end: SNIFF_BYTES - 1 });
  const stream = gzip ? source.pipe(createGunzip()) : source;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= SNIFF_BYTES) break;
    }
  } catch (error) {
    // A truncated gzip stream still tells what it holds if enough of it was read.
    if (!gzip || length === 0) throw new InputError(`${path}: ${gzip ? 'bad gzip data: ' : ''}${describeFileError(error)}`, { cause: error });
  } finally {
    source.destroy();
    stream.destroy();
  }
  return { bytes: Buffer.concat(chunks).subarray(0, SNIFF_BYTES), gzip };
}

/** The cards of the FITS header starting at `offset`, or undefined when it is not all in `bytes`. */
function readFitsHeader(bytes: Uint8Array, offset: number): { cards: Map<string, string>; end: number } | undefined {
  const cards = new Map<string, string>();
  for (let at = offset; at + FITS_CARD <= bytes.length; at += FITS_CARD) {
    const card = Buffer.from(bytes.subarray(at, at + FITS_CARD)).toString('latin1');
    const keyword = card.slice(0, 8).trimEnd();
    if (keyword === 'END') {
      const headerBytes = at + FITS_CARD - offset;
      return { cards, end: offset + Math.ceil(headerBytes / FITS_BLOCK) * FITS_BLOCK };
    }
    if (card.slice(8, 10) === '= ' && !cards.has(keyword)) {
      // Value up to a comment slash outside quotes; strings lose their quotes and padding.
      const raw = card.slice(10);
      const quoted = /^\s*'((?:[^']|'')*)'/.exec(raw);
      cards.set(keyword, quoted ? quoted[1]!.replace(/''/g, "'").trimEnd() : raw.split('/')[0]!.trim());
    }
  }
  return undefined;
}

/** True when the HDU whose header is `cards` has a data array of at least one element. */
function hasDataArray(cards: Map<string, string>): boolean {
  const naxis = Number(cards.get('NAXIS') ?? '0');
  if (!Number.isInteger(naxis) || naxis <= 0) return false;
  for (let i = 1; i <= naxis; i++) {
    const n = Number(cards.get(`NAXIS${i}`) ?? '0');
    if (!(n > 0)) return false;
  }
  return true;
}

/** Image or table, from the primary header and, when the primary HDU is empty, the first extension's. */
function sniffFits(path: string, bytes: Uint8Array): SampFileKind {
  const primary = readFitsHeader(bytes, 0);
  if (!primary) throw new UnknownContentError(`${path}: FITS primary header has no END card in the first ${SNIFF_BYTES} bytes`);
  if (hasDataArray(primary.cards)) return 'fits-image';
  const extension = readFitsHeader(bytes, primary.end);
  const xtension = extension?.cards.get('XTENSION')?.trim().toUpperCase();
  if (xtension === 'BINTABLE' || xtension === 'TABLE') return 'fits-table';
  if (xtension === 'IMAGE' && extension && hasDataArray(extension.cards)) return 'fits-image';
  throw new UnknownContentError(
    `${path}: a FITS file whose primary HDU is empty and whose first extension is ${xtension ? `XTENSION='${xtension}'` : 'unreadable'}: ` +
      'give --mtype to say how to send it',
  );
}

/** The root element of an XML document is VOTABLE, with or without a namespace prefix. */
const VOTABLE_ROOT = /^(?:\uFEFF)?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|<\?[\s\S]*?\?>)\s*)*<(?:[A-Za-z_][\w.-]*:)?VOTABLE[\s>/]/;

/** A short printable excerpt of the first bytes, for messages. */
function excerpt(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.subarray(0, 24)).toString('latin1');
  return JSON.stringify(text.replace(/[^\x20-\x7e]/g, '.'));
}

/**
 * Reads the start of `path` and says what it holds. Throws InputError for unreadable files, and
 * UnknownContentError for anything that is neither a VOTable nor a FITS image or table.
 */
export async function sniffSampFile(path: string): Promise<SniffedFile> {
  const { bytes, gzip } = await readPrefix(path);
  const head = Buffer.from(bytes.subarray(0, 9)).toString('latin1');
  if (head === 'SIMPLE  =') {
    const kind = sniffFits(path, bytes);
    return { kind, mtype: kind === 'fits-image' ? 'image.load.fits' : 'table.load.fits', contentType: 'application/fits', gzip };
  }
  const text = Buffer.from(bytes.subarray(0, 65536)).toString('utf8');
  if (VOTABLE_ROOT.test(text)) return { kind: 'votable', mtype: 'table.load.votable', contentType: 'application/x-votable+xml', gzip };
  throw new UnknownContentError(`${path}: neither a VOTable nor a FITS file (it starts with ${excerpt(bytes)}): give --mtype to send it anyway`);
}
