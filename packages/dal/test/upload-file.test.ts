// Local files as TAP uploads (Node): paths and file: URLs become file-backed Blobs sent as
// the multipart part, byte for byte. A real server on port 0 records what arrives.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DALOptionsError, isFileSource, prepareUploads, resolveUploads, TAPService } from '../src/index.js';
import { openUploadFile as openUploadFileElsewhere } from '../src/upload-file-default.js';

const OK =
  '<?xml version="1.0"?><VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE type="results">' +
  '<INFO name="QUERY_STATUS" value="OK"/><TABLE><FIELD name="n" datatype="int"/><DATA><TABLEDATA><TR><TD>1</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>';

const scratch = mkdtempSync(join(tmpdir(), 'vokit-upload-file-'));
let server: Server;
let base = '';
const received: { contentType: string; body: Buffer }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/x-votable+xml' });
      res.end(OK);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tap`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(scratch, { recursive: true, force: true });
});

/** The part named `name` of a multipart body, as bytes. */
function partOf(body: Buffer, contentType: string, name: string): Buffer {
  const boundary = /boundary=(.+)$/.exec(contentType)![1];
  const header = Buffer.from(`Content-Disposition: form-data; name="${name}"; filename="${name}.xml"\r\nContent-Type: application/x-votable+xml\r\n\r\n`);
  const start = body.indexOf(header);
  expect(start).toBeGreaterThan(0);
  const end = body.indexOf(Buffer.from(`\r\n--${boundary}`), start + header.length);
  return body.subarray(start + header.length, end);
}

describe('upload sources', () => {
  it('tells VOTable text, service URLs and local files apart', () => {
    expect(isFileSource('<VOTABLE/>')).toBe(false);
    expect(isFileSource('\uFEFF  \n<?xml version="1.0"?><VOTABLE/>')).toBe(false);
    expect(isFileSource('https://example.org/t.xml')).toBe(false);
    expect(isFileSource('ftp://example.org/t.xml')).toBe(false);
    expect(isFileSource(new URL('http://example.org/t.xml'))).toBe(false);
    expect(isFileSource('mine.vot')).toBe(true);
    expect(isFileSource('/data/mine.vot')).toBe(true);
    expect(isFileSource('file:///data/mine.vot')).toBe(true);
    expect(isFileSource(new URL('file:///data/mine.vot'))).toBe(true);
    expect(isFileSource(new Uint8Array([60]))).toBe(false);
  });

  it('refuses missing files, directories and empty strings, naming the upload and the path', async () => {
    const missing = join(scratch, 'nope.vot');
    await expect(resolveUploads({ t1: missing })).rejects.toThrow(`upload "t1": cannot read ${missing}: no such file`);
    await expect(resolveUploads({ t1: scratch })).rejects.toThrow(`upload "t1": cannot read ${scratch}: is a directory`);
    await expect(resolveUploads({ t1: '' })).rejects.toThrow(DALOptionsError);
    await expect(resolveUploads({ t1: '' })).rejects.toThrow('upload "t1" is an empty string');
  });

  it('refuses local files outside Node (the browser entry), naming the alternative', async () => {
    await expect(openUploadFileElsewhere('t1', 'mine.vot')).rejects.toThrow(DALOptionsError);
    await expect(openUploadFileElsewhere('t1', new URL('file:///data/mine.vot'))).rejects.toThrow(
      'upload "t1": file:///data/mine.vot is a local file, which only Node can read; pass its contents as a Blob or File (e.g. from <input type="file">)',
    );
  });

  it('keeps prepareUploads free of I/O: an unresolved path is refused, not sent as text', () => {
    expect(() => prepareUploads({}, { t1: 'mine.vot' })).toThrow(
      'upload "t1": "mine.vot" is a local file (neither VOTable text nor a service URL); read it with resolveUploads() first',
    );
  });

  it('sends a file given by path, by file: URL string and by URL object, byte for byte', async () => {
    const file = join(scratch, 'small table.vot');
    const text = '<VOTABLE version="1.3"><!-- Ω Cen & co --></VOTABLE>\n';
    writeFileSync(file, text);
    const tap = new TAPService(base);
    for (const source of [file, pathToFileURL(file).href, pathToFileURL(file)]) {
      received.length = 0;
      const r = await tap.runSync('SELECT * FROM TAP_UPLOAD.t1', { uploads: { t1: source } });
      expect(r.getValue('n', 0)).toBe(1);
      expect(received).toHaveLength(1);
      const { body, contentType } = received[0];
      expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
      expect(body.toString('utf8')).toContain('name="UPLOAD"\r\n\r\nt1,param:t1\r\n');
      expect(partOf(body, contentType, 't1').toString('utf8')).toBe(text);
    }
  });

  it('sends an 8 MB file intact next to an in-memory upload', async () => {
    const file = join(scratch, 'big.vot');
    // deterministic bytes: a repeating 251-byte pattern (prime length, so no 2^k alignment hides a shift)
    const big = Buffer.alloc(8 << 20);
    for (let i = 0; i < big.length; i++) big[i] = 32 + ((i * 7) % 251 % 90);
    writeFileSync(file, big);
    received.length = 0;
    await new TAPService(base).runSync('SELECT 1', { uploads: { big: file, small: '<VOTABLE/>' } });
    const { body, contentType } = received[0];
    const part = partOf(body, contentType, 'big');
    expect(part.length).toBe(big.length);
    expect(createHash('sha256').update(part).digest('hex')).toBe(createHash('sha256').update(big).digest('hex'));
    expect(partOf(body, contentType, 'small').toString('utf8')).toBe('<VOTABLE/>');
    expect(body.toString('latin1')).toContain('name="UPLOAD"\r\n\r\nbig,param:big;small,param:small\r\n');
  });
});
