// The real `vokit` bin on real fixtures (pyvo and astropy test data): exact stdout, and for bad
// input exactly one line on stderr and a non-zero status.
import { createServer, type Server } from 'node:http';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, FIXTURES, runVokit } from './run-vokit.js';

const BASIC = join(FIXTURES, 'pyvo/dal/query/basic.xml');
const OVERFLOW = join(FIXTURES, 'pyvo/dal/query/overflowstatus.xml');
const ROSAT = join(FIXTURES, 'pyvo/dal/scs/result.xml'); // DaCHS cone search, BINARY, 1273 rows
const REGRESSION = join(FIXTURES, 'astropy/regression.bin.tabledata.truth.1.3.xml'); // every datatype
const GZIPPED = join(FIXTURES, 'astropy/too_many_columns.xml.gz');

let work: string;
beforeAll(() => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'vokit-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Asserts a failure: status, and stderr is exactly one line `vokit: <message>`. */
function expectFailure(result: { code: number | null; stdout: string; stderr: string }, code: number, message: string | RegExp): void {
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  if (typeof message === 'string') expect(result.stderr).toBe(`vokit: ${message}\n`);
  else expect(result.stderr).toMatch(message);
  expect(result.code).toBe(code);
}

describe('vokit --help', () => {
  it('lists every command', async () => {
    const result = await runVokit(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: vokit <command> [options] <arguments>\n');
    expect(result.stdout).toContain('  info     Describe a VOTable: tables, columns, PARAMs, INFOs and row counts.\n');
    expect(result.stdout).toContain('  count    Print the number of rows of the first table of a VOTable.\n');
    expect(result.stdout).toContain('  convert  Convert a VOTable to another serialization, CSV or JSON Lines.\n');
  });

  it.each(['info', 'count', 'convert'])('prints help for %s', async (name) => {
    const result = await runVokit([name, '--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`Usage: vokit ${name} [options] `);
    expect(result.stdout).toContain('  -h, --help');
  });

  it('prints the main help on stderr with status 2 when no command is given', async () => {
    const result = await runVokit([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith('vokit: Virtual Observatory tables from the command line.\n')).toBe(true);
  });
});

describe('vokit count', () => {
  it('prints only the row count of the first table', async () => {
    expect(await runVokit(['count', BASIC])).toEqual({ code: 0, stdout: '3\n', stderr: '' });
    expect(await runVokit(['count', ROSAT])).toEqual({ code: 0, stdout: '1273\n', stderr: '' });
    // Three tables of 5, 1 and 0 rows: only the first counts.
    expect(await runVokit(['count', REGRESSION])).toEqual({ code: 0, stdout: '5\n', stderr: '' });
  });

  it('reads standard input for -, gzip included', async () => {
    const gz = gzipSync(readFileSync(ROSAT));
    expect(await runVokit(['count', '-'], { stdin: gz })).toEqual({ code: 0, stdout: '1273\n', stderr: '' });
  });

  it('says when the document has no TABLE', async () => {
    const path = join(FIXTURES, 'pyvo/dal/query/missingtable.xml');
    expectFailure(await runVokit(['count', path]), 1, `${path}: the document has no TABLE`);
  });
});

describe('vokit info', () => {
  it('describes resources, INFOs and columns with the streamed row count', async () => {
    const result = await runVokit(['info', BASIC]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        `${BASIC}: VOTable 1.4, 1 table`,
        'RESOURCE type=results',
        '  INFOs:',
        '    QUERY_STATUS = "OK"  OK',
        '  TABLE 1: 3 rows, 2 columns, TABLEDATA',
        '    columns:',
        '      #  name  datatype  arraysize  unit  ucd',
        '      1  1     long      -          -     foo;bar',
        '      2  2     char      37         -     -',
        '',
      ].join('\n'),
    );
    expect(result.code).toBe(0);
  });

  it('shows a QUERY_STATUS of OVERFLOW that follows the table', async () => {
    const result = await runVokit(['info', OVERFLOW]);
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('  INFOs (after the tables):\n    QUERY_STATUS = "OVERFLOW"\n')).toBe(true);
  });

  it('lists units, UCDs, PARAMs and tables in nested resources', async () => {
    const result = await runVokit(['info', ROSAT]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  TABLE 1 "ndtmwngpwgpa": 1273 rows, 9 columns, BINARY (base64)\n');
    expect(result.stdout).toContain('      1  raj2000         double    -          deg     POS_EQ_RA_MAIN\n');
    expect(result.stdout).toContain('      9  id              char      *          -       ID_MAIN\n');
    const regression = await runVokit(['info', REGRESSION]);
    expect(regression.stdout).toContain('    INPUT            float     *          km.h-1  phys.size;instr.tel  0 0\n');
    expect(regression.stdout).toContain('  RESOURCE type=results\n    TABLE 2: 1 row, 29 columns, TABLEDATA\n');
  });
});

describe('vokit convert', () => {
  it('writes JSON Lines with exact integers and nested arrays', async () => {
    const result = await runVokit(['convert', BASIC, '-', '--format', 'jsonl']);
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: '{"1":23,"2":"Illuminatus"}\n{"1":42,"2":"Don\'t panic, and always carry a towel"}\n{"1":1337,"2":"Elite"}\n',
    });
    const lines = (await runVokit(['convert', REGRESSION, '-', '-f', 'jsonl'])).stdout.split('\n');
    expect(lines).toHaveLength(6);
    expect(JSON.parse(lines[1])).toMatchObject({
      long: null,
      array: [
        [42, 32],
        [12, 32],
      ],
      bitvararray2: [
        [
          [false, true],
          [false, false],
          [true, false],
        ],
        [
          [true, false],
          [true, false],
          [true, false],
        ],
      ],
      doubleComplexArrayFixed: [
        [0, -1],
        [-1, -1],
      ],
      doublearray: [0, 1, 'Infinity', '-Infinity', 'NaN', 0, -1],
      unicode_test: 'வணக்கம்',
    });
    expect(lines[2]).toContain('"long":-1152921504606846976,');
    expect(lines[3]).toContain('"long":1152921504606846975,');
  });

  it('writes CSV with a header and RFC 4180 quoting', async () => {
    const out = join(work, 'basic.csv');
    expect(await runVokit(['convert', BASIC, out])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe('1,2\n23,Illuminatus\n42,"Don\'t panic, and always carry a towel"\n1337,Elite\n');
  });

  // BINARY has no null flags and TABLEDATA writes a null string as an empty cell, so each
  // serialization is paired with a fixture whose values it can carry unchanged.
  it.each([
    ['votable', REGRESSION, 'TABLE 1: 5 rows, 29 columns, TABLEDATA'],
    ['votable-binary', join(FIXTURES, 'astropy/gemini.xml'), 'TABLE 1: 4 rows, 10 columns, BINARY'], // TABLEDATA in the source,
    ['votable-binary2', join(FIXTURES, 'astropy/binary2_masked_strings.xml'), 'TABLE 1: 3 rows, 6 columns, BINARY2'],
  ])('rewrites a table as %s with the same values', async (format, source, summary) => {
    const out = join(work, `roundtrip.${format}.xml`);
    expect(await runVokit(['convert', source, out, '--format', format])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await runVokit(['info', out])).stdout).toContain(`  ${summary}`);
    const before = await runVokit(['convert', source, '-', '-f', 'jsonl']);
    const after = await runVokit(['convert', out, '-', '-f', 'jsonl']);
    expect(after.stdout).toBe(before.stdout);
    expect(after.stdout.length).toBeGreaterThan(100);
  });

  it('raises a VOTable 1.1 document to 1.3 for BINARY2 and keeps its rows', async () => {
    const out = join(work, 'rosat.b2.vot');
    expect(await runVokit(['convert', ROSAT, out, '-f', 'votable-binary2'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await runVokit(['info', out])).stdout.split('\n')[0]).toBe(`${out}: VOTable 1.3, 1 table`);
    const csvBefore = await runVokit(['convert', ROSAT, '-', '-f', 'csv']);
    const csvAfter = await runVokit(['convert', out, '-', '-f', 'csv']);
    expect(csvAfter.stdout).toBe(csvBefore.stdout);
    expect(csvAfter.stdout.split('\n').slice(0, 2)).toEqual([
      'raj2000,dej2000,detection_time,energy_cor,position_error,glong,glat,exposure_time,id',
      '77.6581,1.68358,1990.65777659664,0.15,5,199.248,-21.432,384.78,1522124650242182041',
    ]);
  });

  it('picks a later table with --table', async () => {
    const result = await runVokit(['convert', REGRESSION, '-', '-f', 'csv', '--table', '3']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toHaveLength(2); // header, no rows
    expectFailure(await runVokit(['convert', REGRESSION, '-', '-f', 'csv', '--table', '4']), 1, `${REGRESSION}: --table 4 asked, but the document has 3 tables`);
  });

  it('stops quietly when the reader of stdout goes away', async () => {
    const child = spawn(process.execPath, [BIN, 'convert', ROSAT, '-', '-f', 'jsonl'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('closed standard output', () => {
  it('ends info quietly with status 0 when stdout is already closed', async () => {
    const child = spawn(process.execPath, [BIN, 'info', REGRESSION], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('errors', () => {
  it('names a missing file', async () => {
    expectFailure(await runVokit(['count', join(work, 'nope.vot')]), 1, `${join(work, 'nope.vot')}: no such file`);
  });

  it('rejects unknown commands, options and formats with status 2', async () => {
    // Other lanes add commands after these three; the message lists them all.
    expectFailure(await runVokit(['cnt', BASIC]), 2, /^vokit: unknown command "cnt" \(commands: info, count, convert(, [a-z]+)*; see `vokit --help`\)\n$/);
    expectFailure(await runVokit(['count', '--frmat', BASIC]), 2, 'count: unknown option --frmat (see `vokit count --help`)');
    expectFailure(await runVokit(['count']), 2, 'count: missing <file|url> (usage: vokit count [options] <file|url>)');
    expectFailure(
      await runVokit(['convert', BASIC, '-', '--format', 'fits']),
      2,
      'convert: unknown --format "fits" (use one of votable, votable-binary, votable-binary2, csv, jsonl)',
    );
    expectFailure(
      await runVokit(['convert', BASIC, join(work, 'out.txt')]),
      2,
      `convert: cannot tell the output format from "${join(work, 'out.txt')}" (extensions .vot, .xml, .csv, .jsonl); add --format votable|votable-binary|votable-binary2|csv|jsonl`,
    );
    expectFailure(
      await runVokit(['convert', BASIC, '-']),
      2,
      'convert: writing to standard output needs --format (one of votable, votable-binary, votable-binary2, csv, jsonl)',
    );
  });

  it('reports a truncated document in one line and leaves no partial output', async () => {
    const bytes = readFileSync(ROSAT);
    const cut = join(work, 'cut.xml');
    writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    const out = join(work, 'cut.jsonl');
    expectFailure(await runVokit(['convert', cut, out]), 1, new RegExp(`^vokit: ${cut.replace(/[.]/g, '\\.')}: votable .*\\n$`));
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('reports a bad datatype with the field and line', async () => {
    expectFailure(
      await runVokit(['count', GZIPPED]),
      1,
      `${GZIPPED}: votable field "targetname" line 33 offset 1243: unknown datatype "string" (expected one of boolean, bit, unsignedByte, short, int, long, char, unicodeChar, float, double, floatComplex, doubleComplex)`,
    );
  });

  it('reports input that is not XML', async () => {
    const junk = join(work, 'junk.vot');
    writeFileSync(junk, 'SIMPLE  =                    T\n');
    expectFailure(await runVokit(['info', junk]), 1, new RegExp(`^vokit: ${junk.replace(/[.]/g, '\\.')}: votable`));
  });
});

describe('URLs', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const rosat = readFileSync(ROSAT);
    server = createServer((request, response) => {
      if (request.url === '/rosat.xml') {
        response.writeHead(200, { 'content-type': 'application/x-votable+xml', 'content-length': rosat.length });
        response.end(rosat);
      } else if (request.url === '/rosat-gzip.xml') {
        const body = gzipSync(rosat);
        response.writeHead(200, { 'content-type': 'application/x-votable+xml', 'content-encoding': 'gzip', 'content-length': body.length });
        response.end(body);
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('no such table\nhere');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('counts and converts a streamed HTTP response, Content-Encoding gzip included', async () => {
    expect(await runVokit(['count', `${base}/rosat.xml`])).toEqual({ code: 0, stdout: '1273\n', stderr: '' });
    expect(await runVokit(['count', `${base}/rosat-gzip.xml`])).toEqual({ code: 0, stdout: '1273\n', stderr: '' });
    const fromUrl = await runVokit(['convert', `${base}/rosat.xml`, '-', '-f', 'jsonl']);
    const fromFile = await runVokit(['convert', ROSAT, '-', '-f', 'jsonl']);
    expect(fromUrl.stdout).toBe(fromFile.stdout);
  });

  it('reports the HTTP status and the start of the body', async () => {
    expectFailure(await runVokit(['info', `${base}/missing.xml`]), 1, `${base}/missing.xml: HTTP 404 Not Found: no such table here`);
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expectFailure(await runVokit(['count', `http://127.0.0.1:${port}/x.xml`]), 1, `http://127.0.0.1:${port}/x.xml: cannot fetch: ECONNREFUSED`);
  });
});
