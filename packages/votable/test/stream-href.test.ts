import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BinaryDecodeError,
  createBinaryDecoder,
  decodeStreamEncoding,
  getFirstTable,
  parseVOTable,
  readStreamHref,
  resolveStreamHref,
  resolveStreamUrl,
  StreamReferenceError,
} from '@vokit/votable';
import { field, RowWriter } from './support/binary-rows.js';

const PAYLOAD = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) & 255);

let root: string;
let docDir: string;
let docUrl: string;
let server: Server;
let origin: string;

async function errorOf(promise: Promise<unknown>): Promise<StreamReferenceError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(StreamReferenceError);
    return e as StreamReferenceError;
  }
  throw new Error('expected a StreamReferenceError');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vokit-href-'));
  docDir = join(root, 'docs');
  mkdirSync(join(docDir, 'data'), { recursive: true });
  writeFileSync(join(docDir, 'data', 'rows.bin'), PAYLOAD);
  writeFileSync(join(docDir, 'data', 'rows.bin.gz'), gzipSync(PAYLOAD));
  writeFileSync(join(docDir, 'data', 'rows.b64'), Buffer.from(PAYLOAD).toString('base64').replace(/(.{64})/g, '$1\n'));
  writeFileSync(join(docDir, 'data', 'bad.gz'), Uint8Array.of(0x1f, 0x8b, 8, 0, 1, 2, 3));
  writeFileSync(join(root, 'secret.bin'), 'secret');
  symlinkSync(join(root, 'secret.bin'), join(docDir, 'link.bin'));
  docUrl = pathToFileURL(join(docDir, 'table.vot')).href;

  server = createServer((req, res) => {
    if (req.url === '/rows.bin') res.end(PAYLOAD);
    else if (req.url === '/rows.bin.gz') res.end(gzipSync(PAYLOAD));
    else {
      res.statusCode = 404;
      res.end('no such stream here');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await new Promise((resolve) => server.close(resolve));
});

describe('STREAM href: local files', () => {
  it('reads a relative href next to the document', async () => {
    const bytes = await readStreamHref('data/rows.bin', { baseUrl: docUrl });
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(PAYLOAD))).toBe(0);
  });

  it('accepts a plain path as the base', async () => {
    const bytes = await readStreamHref('./data/rows.bin', { baseUrl: join(docDir, 'table.vot') });
    expect(bytes.length).toBe(PAYLOAD.length);
  });

  it('gunzips encoding="gzip", decodes encoding="base64", and sniffs encoding="dynamic"', async () => {
    for (const [href, encoding] of [
      ['data/rows.bin.gz', 'gzip'],
      ['data/rows.b64', 'base64'],
      ['data/rows.bin.gz', 'dynamic'],
      ['data/rows.bin', 'dynamic'],
    ]) {
      const bytes = await readStreamHref(href, { baseUrl: docUrl, encoding });
      expect({ href, encoding, same: Buffer.compare(Buffer.from(bytes), Buffer.from(PAYLOAD)) }).toEqual({ href, encoding, same: 0 });
    }
  });

  it('refuses paths outside the document directory, including through a symlink', async () => {
    expect((await errorOf(readStreamHref('../secret.bin', { baseUrl: docUrl }))).message).toBe(
      `votable: STREAM href "../secret.bin" resolves to ${join(root, 'secret.bin')}, outside the document's directory ${docDir}/; pass allowOutsideBase: true to allow it`,
    );
    await errorOf(readStreamHref('data/%2e%2e/%2e%2e/../secret.bin', { baseUrl: docUrl }));
    await errorOf(readStreamHref('file:///etc/passwd', { baseUrl: docUrl }));
    await errorOf(readStreamHref('/etc/%E0%A4%A', { baseUrl: docUrl }));
    expect((await errorOf(readStreamHref('link.bin', { baseUrl: docUrl }))).message).toContain('(through a symbolic link), outside the document');
  });

  it('reads outside the base directory when allowed', async () => {
    const bytes = await readStreamHref('../secret.bin', { baseUrl: docUrl, allowOutsideBase: true });
    expect(new TextDecoder().decode(bytes)).toBe('secret');
  });

  it('names the path of a missing file', async () => {
    expect((await errorOf(readStreamHref('data/nope.bin', { baseUrl: docUrl }))).message).toBe(
      `votable: STREAM href "data/nope.bin": cannot open ${join(docDir, 'data', 'nope.bin')} (ENOENT)`,
    );
  });

  it('reports gzip data that does not decompress, and unknown encodings', async () => {
    expect((await errorOf(readStreamHref('data/bad.gz', { baseUrl: docUrl, encoding: 'gzip' }))).message).toMatch(
      /^votable: STREAM href "data\/bad.gz": gzip data does not decompress/,
    );
    expect((await errorOf(readStreamHref('data/rows.bin', { baseUrl: docUrl, encoding: 'bzip2' }))).message).toBe(
      'votable: STREAM encoding "bzip2" is not supported (expected gzip, base64, dynamic or none)',
    );
  });

  it('refuses schemes other than file, http and https', () => {
    expect(() => resolveStreamUrl('ftp://example.org/x', { baseUrl: docUrl })).toThrow(
      'STREAM href "ftp://example.org/x" uses ftp:, which is not supported (expected file:, http: or https:)',
    );
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(readStreamHref('data/rows.bin', { baseUrl: docUrl, signal: controller.signal })).rejects.toThrow('stop');
  });

  it('feeds a BINARY2 decoder from a gzipped href', async () => {
    const w = new RowWriter();
    for (let r = 0; r < 1000; r++) w.u8(r % 10 === 0 ? 0x80 : 0).i32(r);
    writeFileSync(join(docDir, 'data', 'table.bin2.gz'), gzipSync(w.bytes()));
    const decoder = createBinaryDecoder({ fields: [field('n', 'int')], serialization: 'BINARY2' });
    for await (const chunk of resolveStreamHref('data/table.bin2.gz', { baseUrl: docUrl, encoding: 'gzip' })) decoder.pushBytes(chunk);
    decoder.end();
    const [n] = decoder.takeColumns();
    expect(n.length).toBe(1000);
    expect(n.nullCount).toBe(100);
    expect([n.get(0), n.get(1), n.get(999)]).toEqual([null, 1, 999]);
  });
});

describe('STREAM href: remote', () => {
  it('refuses http without allowRemote', async () => {
    expect((await errorOf(readStreamHref(`${origin}/rows.bin`, { baseUrl: docUrl }))).message).toBe(
      `votable: STREAM href "${origin}/rows.bin" is remote (${origin}/rows.bin); pass allowRemote: true (parser option allowRemoteHref) to fetch it`,
    );
    // A relative href in a remote document is remote too.
    await errorOf(readStreamHref('rows.bin', { baseUrl: `${origin}/doc.vot` }));
  });

  it('fetches with allowRemote, relative to a remote document, through the injected fetch', async () => {
    const seen: string[] = [];
    const fetchSpy: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    const bytes = await readStreamHref('rows.bin.gz', { baseUrl: `${origin}/votables/../doc.vot`, allowRemote: true, fetch: fetchSpy, encoding: 'gzip' });
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(PAYLOAD))).toBe(0);
    expect(seen).toEqual([`${origin}/rows.bin.gz`]);
  });

  it('reports an HTTP error with its status and body', async () => {
    expect((await errorOf(readStreamHref(`${origin}/missing`, { allowRemote: true }))).message).toBe(
      `votable: STREAM href "${origin}/missing": GET ${origin}/missing answered HTTP 404 Not Found: no such stream here`,
    );
  });
});

describe('decodeStreamEncoding', () => {
  async function* chunks(...parts: Uint8Array[]) {
    yield* parts;
  }

  it('sniffs gzip when the magic bytes arrive in separate chunks', async () => {
    const gz = gzipSync(Uint8Array.of(1, 2, 3));
    const out: number[] = [];
    for await (const c of decodeStreamEncoding(chunks(gz.subarray(0, 1), new Uint8Array(0), gz.subarray(1)), 'dynamic')) out.push(...c);
    expect(out).toEqual([1, 2, 3]);
  });

  it('passes an empty source through unchanged', async () => {
    const out: Uint8Array[] = [];
    for await (const c of decodeStreamEncoding(chunks(), 'dynamic')) out.push(c);
    expect(out).toEqual([]);
  });

  it('reports bad base64 with its offset in the referenced file', async () => {
    const text = new TextEncoder().encode('AAAA\nAA*A');
    let error: unknown;
    try {
      for await (const _ of decodeStreamEncoding(chunks(text.subarray(0, 5), text.subarray(5)), 'base64')) void _;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BinaryDecodeError);
    expect((error as BinaryDecodeError).where.offset).toBe(7);
  });
});

describe('STREAM href through parseVOTable', () => {
  const doc = (data: string) =>
    `<?xml version="1.0"?><VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE><FIELD name="n" datatype="int"/><DATA>${data}</DATA></TABLE></RESOURCE></VOTABLE>`;

  it('reads BINARY2 rows from a gzipped file next to the document', async () => {
    const w = new RowWriter();
    for (let r = 0; r < 500; r++) w.u8(r % 5 === 0 ? 0x80 : 0).i32(-r);
    writeFileSync(join(docDir, 'data', 'e2e.bin2.gz'), gzipSync(w.bytes()));
    const table = getFirstTable(
      await parseVOTable(doc('<BINARY2><STREAM href="data/e2e.bin2.gz" encoding="gzip"/></BINARY2>'), { baseUrl: docUrl }),
    );
    expect(table.rowCount).toBe(500);
    expect(table.columns[0].nullCount).toBe(100);
    expect([table.columns[0].get(0), table.columns[0].get(1), table.columns[0].get(499)]).toEqual([null, -1, -499]);
  });

  it('reads a FITS serialization from a gzipped href', async () => {
    writeFileSync(join(docDir, 'data', 'tb.fits.gz'), gzipSync(readFileSync(new URL('./fixtures/astropy/tb.fits', import.meta.url))));
    const xml =
      '<?xml version="1.0"?><VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE>' +
      '<FIELD name="c1" datatype="int"/><FIELD name="c2" datatype="char" arraysize="3"/><FIELD name="c3" datatype="double"/>' +
      '<FIELD name="c4" datatype="boolean"/><DATA><FITS extnum="1"><STREAM href="data/tb.fits.gz" encoding="gzip"/></FITS></DATA>' +
      '</TABLE></RESOURCE></VOTABLE>';
    const table = getFirstTable(await parseVOTable(xml, { baseUrl: docUrl }));
    expect(table.columns.map((c) => c.toArray())).toEqual([
      [1, 2],
      ['abc', 'xy'],
      [3.7000000715255736, 6.699999713897705],
      [false, true],
    ]);
  });

  it('refuses an href that leaves the document directory', async () => {
    await expect(parseVOTable(doc('<BINARY><STREAM href="../secret.bin"/></BINARY>'), { baseUrl: docUrl })).rejects.toBeInstanceOf(
      StreamReferenceError,
    );
  });
});
