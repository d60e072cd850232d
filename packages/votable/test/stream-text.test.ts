// Inline base64 STREAM text is handed from the scanner's buffer straight to the BINARY decoder
// (one pass, stopping at the first `<`): the rows, the batch sizes and the line numbers and
// offsets of everything after the STREAM must be what the token-by-token path gives, for a
// STREAM broken by line feeds, a comment and a CDATA section, cut at every byte, and for a
// decoder (another package's) that lacks `pushBase64Text`.
import { describe, expect, it } from 'vitest';
import {
  BinaryDecodeError,
  getFirstTable,
  parseVOTableSync,
  streamVOTable,
  VOTableParser,
  VOTableXMLError,
  type BinaryDecoderFactory,
  type BinaryStreamDecoder,
} from '@vokit/votable';

const ROWS = 42;

/** BINARY2 rows of one int: null every 7th row, else 3 × row. */
function rawRows(): Buffer {
  const raw = Buffer.alloc(ROWS * 5);
  for (let r = 0; r < ROWS; r++) {
    raw[r * 5] = r % 7 === 0 ? 0x80 : 0;
    raw.writeInt32BE(r % 7 === 0 ? 0 : 3 * r, r * 5 + 1);
  }
  return raw;
}

const EXPECTED = Array.from({ length: ROWS }, (_, r) => (r % 7 === 0 ? null : 3 * r));

/** The base64 split over lines of 20, with a comment and a CDATA section between quartets. */
function document(): string {
  const b64 = rawRows().toString('base64');
  const a = b64.slice(0, 80).replace(/.{20}/g, '$&\n');
  const b = b64.slice(80, 160);
  const c = b64.slice(160).replace(/.{24}/g, '$&\n');
  return (
    '<?xml version="1.0"?>\n<VOTABLE version="1.3"><RESOURCE><TABLE>\n<FIELD name="a" datatype="int"/>\n' +
    `<DATA><BINARY2><STREAM encoding="base64">\n${a}<!-- a note\n<over> two lines -->${b}<![CDATA[\n${c}]]>\n</STREAM></BINARY2></DATA></TABLE>\n` +
    '<INFO name="after" value="x">\n&bogus;</INFO></RESOURCE></VOTABLE>'
  );
}

/** The TypeScript decoder without `pushBase64Text` and `newlines`, as an older factory may give. */
const withoutText: BinaryDecoderFactory = (options, host) => {
  const d = host.createBinaryDecoder(options);
  return {
    pushBase64: (bytes: Uint8Array, start: number, end: number, offset: number) => d.pushBase64(bytes, start, end, offset),
    pushBytes: (bytes: Uint8Array) => d.pushBytes(bytes),
    get pendingRows() {
      return d.pendingRows;
    },
    get rowCount() {
      return d.rowCount;
    },
    takeColumns: () => d.takeColumns(),
    end: () => d.end(),
  } as unknown as BinaryStreamDecoder;
};

function values(xml: string | Uint8Array, factory?: BinaryDecoderFactory): unknown[] {
  const column = getFirstTable(parseVOTableSync(xml, { binaryDecoderFactory: factory })).columns[0];
  return Array.from({ length: column.length }, (_, r) => column.get(r));
}

describe('base64 STREAM text read in one pass', () => {
  const ok = document().replace('&bogus;', 'fine');
  const bad = document();
  const at = bad.indexOf('&bogus;');
  const line = bad.slice(0, at).split('\n').length;

  it('decodes the rows across line feeds, a comment and CDATA, with or without pushBase64Text', () => {
    expect(values(ok)).toEqual(EXPECTED);
    expect(values(ok, withoutText)).toEqual(EXPECTED);
  });

  it('keeps the line and offset of an error after the STREAM', () => {
    for (const factory of [undefined, withoutText]) {
      let error: unknown;
      try {
        parseVOTableSync(bad, { binaryDecoderFactory: factory });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(VOTableXMLError);
      expect((error as VOTableXMLError).where).toEqual({ offset: at, line });
    }
  });

  it('gives the same rows and error line when the document is cut at any byte', () => {
    const okBytes = new TextEncoder().encode(ok);
    const badBytes = new TextEncoder().encode(bad);
    for (let cut = 1; cut < okBytes.length; cut++) {
      const parser = new VOTableParser();
      parser.push(okBytes.subarray(0, cut));
      parser.push(okBytes.subarray(cut));
      const column = getFirstTable(parser.end()).columns[0];
      expect(Array.from({ length: column.length }, (_, r) => column.get(r)), `cut ${cut}`).toEqual(EXPECTED);
    }
    for (let cut = 1; cut < at; cut++) {
      const parser = new VOTableParser();
      let error: unknown;
      try {
        parser.push(badBytes.subarray(0, cut));
        parser.push(badBytes.subarray(cut));
        parser.end();
      } catch (e) {
        error = e;
      }
      expect((error as VOTableXMLError).where, `cut ${cut}`).toEqual({ offset: at, line });
    }
  });

  it('streams batches of at most batchRows rows, cut where the token-by-token path cuts them', async () => {
    const runs: number[][] = [];
    for (const factory of [withoutText, undefined]) {
      const sizes: number[] = [];
      const got: unknown[] = [];
      for await (const event of streamVOTable(ok, { batchRows: 6, binaryDecoderFactory: factory })) {
        if (event.type !== 'rows') continue;
        sizes.push(event.rowCount);
        for (let r = 0; r < event.rowCount; r++) got.push(event.columns[0].get(r));
      }
      expect(got).toEqual(EXPECTED);
      runs.push(sizes);
    }
    // Pieces of text are at least 64 characters (9 rows here), so a batch of 6 leaves 3 over.
    expect(runs[0]).toEqual([6, 6, 6, 3, 6, 6, 6, 3]);
    expect(runs[1]).toEqual(runs[0]);
  });

  it('rejects "&" in the base64 text at its offset, the same way both paths', () => {
    const xml = ok.replace('</STREAM>', 'AA&amp;</STREAM>');
    for (const factory of [undefined, withoutText]) {
      let error: unknown;
      try {
        parseVOTableSync(xml, { binaryDecoderFactory: factory });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BinaryDecodeError);
      expect((error as BinaryDecodeError).where.offset).toBe(xml.indexOf('&amp;'));
    }
  });
});
