// `vokit tap|scs|sia|ssa` against the DaCHS testbed (testbed/up.sh), through the built bin:
// exact rows from the testbed's deterministic data, the truncation notice, the server's own
// error messages with a non-zero status, uploads, async jobs (deleted afterwards), and every
// output format. Fails, never skips, when the testbed is down.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { documentFromTables, parseVOTable, tableFromArrays, writeVOTableBytes } from '@vokit/votable';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { assertBuilt, BIN, runVokit, type VokitResult } from './run-vokit.js';

/** The testbed's endpoints, as testbed/up.sh wrote them. */
function testbed(): { base: string; tap: string; scs: string; sia1: string; sia2: string; ssa: string } {
  const file = process.env.VOKIT_TESTBED_ENV ?? fileURLToPath(new URL('../../../.testbed/endpoints.env', import.meta.url));
  if (!existsSync(file)) throw new Error(`testbed endpoints file ${file} is missing: run testbed/up.sh (as root) first`);
  const env = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => /^VOKIT_TESTBED_([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  return { base: env.BASE, tap: env.TAP, scs: env.SCS, sia1: env.SIA1, sia2: env.SIA2, ssa: env.SSA };
}

const tb = testbed();
let work: string;

beforeAll(() => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'vokit-cli-dal-'));
  // the two pole stars and an id that matches nothing, as a TABLEDATA VOTable file
  const poles = tableFromArrays({
    name: 'poles',
    columns: { sid: new BigInt64Array([9007199326059507n, 9007199326075345n, 1n]), tag: ['north', 'south', 'none'] },
  });
  writeFileSync(join(work, 'poles.vot'), writeVOTableBytes(documentFromTables([poles]), { serialization: 'TABLEDATA' }));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const WRAP_CONE =
  'SELECT source_id, ra, dec FROM vokit.sources WHERE 1 = CONTAINS(POINT(ra, dec), CIRCLE(0, -30, 0.1)) ORDER BY source_id';
const WRAP_CSV = [
  'source_id,ra,dec',
  '9007199326011993,0,-30',
  '9007199326019912,359.99995,-30',
  '9007199326027831,0.0004,-30.0003',
  '9007199326035750,359.9996,-29.9997',
  '9007199326043669,0.05,-29.97',
  '9007199326051588,359.95,-30.04',
  '',
].join('\n');
const POLES_JOIN = 'SELECT m.tag, s.source_id, s.dec FROM TAP_UPLOAD.mine AS m JOIN vokit.sources AS s ON s.source_id = m.sid ORDER BY m.tag';

/** The progress/notice lines of a run, without the timing figures that vary. */
function stderrLines(result: VokitResult): string[] {
  return result.stderr
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/, [\d.]+ [kMG]?B received in [\d.]+ s$/, ', <bytes> received in <time> s'));
}

/** Asserts a failure: status, nothing on stdout, and stderr one line matching `message`. */
function expectFailure(result: VokitResult, code: number, message: RegExp): void {
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(message);
  expect(result.code).toBe(code);
}

describe('vokit tap (sync)', () => {
  it('writes a TABLEDATA VOTable to stdout with exact 64-bit ids, and a summary on stderr', async () => {
    const result = await runVokit(['tap', tb.tap, WRAP_CONE]);
    expect(result.code).toBe(0);
    const doc = await parseVOTable(new TextEncoder().encode(result.stdout));
    const table = doc.resources[0].tables[0];
    expect(table.data?.serialization).toBe('TABLEDATA');
    expect(table.columns[0].toArray()).toEqual([
      9007199326011993n,
      9007199326019912n,
      9007199326027831n,
      9007199326035750n,
      9007199326043669n,
      9007199326051588n,
    ]);
    expect(table.columns[1].toArray()).toEqual([0, 359.99995, 0.0004, 359.9996, 0.05, 359.95]);
    expect(stderrLines(result)).toEqual(['vokit: tap: 6 rows, <bytes> received in <time> s']);
  });

  it('picks CSV from the --out extension and JSON Lines from --out-format', async () => {
    const out = join(work, 'wrap.csv');
    const csv = await runVokit(['tap', tb.tap, WRAP_CONE, '--out', out]);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(WRAP_CSV);
    // BINARY2 from DaCHS keeps NULLs (its BINARY sends NaN and "")
    const jsonl = await runVokit([
      'tap',
      tb.tap,
      'SELECT source_id, parent_id, pmra, remark FROM vokit.sources WHERE source_id IN (9007199326043669, 9007199326099102) ORDER BY source_id',
      '--responseformat',
      'votable/b2',
      '--out-format',
      'jsonl',
      '--quiet',
    ]);
    expect(jsonl.stdout).toBe(
      '{"source_id":9007199326043669,"parent_id":9007199326993949,"pmra":null,"remark":null}\n' +
        '{"source_id":9007199326099102,"parent_id":null,"pmra":0.53,"remark":"unicode: Ω Cen, α Lyr, Ångström"}\n',
    );
    expect(jsonl.stderr).toBe('');
    expect(jsonl.code).toBe(0);
  });

  it('writes BINARY2 VOTables that read back to the same rows', async () => {
    const out = join(work, 'wrap.vot');
    const result = await runVokit(['tap', tb.tap, WRAP_CONE, '-o', out, '--out-format', 'votable-binary2', '-q']);
    expect(result.code).toBe(0);
    const table = (await parseVOTable(readFileSync(out))).resources[0].tables[0];
    expect(table.data?.serialization).toBe('BINARY2');
    expect(table.rowCount).toBe(6);
    expect(table.columns[0].get(5)).toBe(9007199326051588n);
  });

  it('reports a result truncated at MAXREC on stderr, also with --quiet', async () => {
    const query = 'SELECT source_id FROM vokit.sources ORDER BY source_id';
    const loud = await runVokit(['tap', tb.tap, query, '--maxrec', '17', '--out-format', 'csv']);
    expect(loud.code).toBe(0);
    expect(loud.stdout.trimEnd().split('\n')).toHaveLength(18); // header + 17 rows
    expect(loud.stdout.split('\n')[17]).toBe('9007199254867697');
    expect(stderrLines(loud)).toEqual([
      'vokit: tap: 17 rows, <bytes> received in <time> s',
      'vokit: tap: result truncated by the service at 17 rows (OVERFLOW); MAXREC was 17',
    ]);
    const quiet = await runVokit(['tap', tb.tap, query, '--maxrec', '17', '--out-format', 'csv', '-q']);
    expect(quiet.stderr).toBe('vokit: tap: result truncated by the service at 17 rows (OVERFLOW); MAXREC was 17\n');
  });

  it('reports a result truncated at the service default limit, without a Node warning', async () => {
    const out = join(work, 'limit.jsonl');
    const result = await runVokit(['tap', tb.tap, 'SELECT TOP 30000 a.source_id FROM vokit.sources AS a, vokit.sources AS b', '-o', out]);
    expect(result.code).toBe(0);
    // DaCHS 2.7 sends one row past its default limit of 20000 (not past an explicit MAXREC)
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(20001);
    expect(stderrLines(result)).toEqual([
      'vokit: tap: 20001 rows, <bytes> received in <time> s',
      "vokit: tap: result truncated by the service at 20001 rows (OVERFLOW); the service's default limit; raise it with --maxrec",
    ]);
  });

  it('prints DaCHS\'s message for bad ADQL, exits 1, and leaves no output file', async () => {
    const out = join(work, 'bad.csv');
    const result = await runVokit(['tap', tb.tap, 'SELECT nosuchcolumn FROM vokit.sources', '-o', out]);
    expectFailure(
      result,
      1,
      new RegExp(
        `^vokit: tap: query failed \\(HTTP 200\\) from ${tb.tap}/sync: Field query: No such field known: column 'nosuchcolumn' could not be located in table metadata\\n$`,
      ),
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes('bad.csv'))).toEqual([]);
  });

  it('prints the HTTP status and the page text of a wrong URL', async () => {
    const result = await runVokit(['tap', `${tb.base}/no/such/tap`, 'SELECT 1']);
    expectFailure(result, 1, new RegExp(`^vokit: tap: service error Not Found \\(HTTP 404\\) from ${tb.base}/no/such/tap/sync: .*Not Found`));
  });

  it('names the refused connection', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = await runVokit(['tap', `http://127.0.0.1:${port}/tap`, 'SELECT 1']);
    expectFailure(result, 1, new RegExp(`^vokit: tap: fetch failed \\(ECONNREFUSED.*\\) from http://127.0.0.1:${port}/tap/sync\\n$`));
  });

  it('joins an uploaded VOTable file (relative path, multipart UPLOAD)', async () => {
    const result = await runVokit(['tap', tb.tap, POLES_JOIN, '--upload', 'mine=poles.vot', '--out-format', 'csv'], { cwd: work });
    expect(result.stdout).toBe('tag,source_id,dec\nnorth,9007199326059507,90\nsouth,9007199326075345,-90\n');
    expect(result.code).toBe(0);
  });

  it('suggests --async when the service refuses a sync upload as too large (HTTP 413)', async () => {
    const sid = BigInt64Array.from({ length: 40_000 }, (_, i) => BigInt(i + 1));
    writeFileSync(join(work, 'many.vot'), writeVOTableBytes(documentFromTables([tableFromArrays({ name: 'many', columns: { sid } })]), { serialization: 'TABLEDATA' }));
    const result = await runVokit(['tap', tb.tap, 'SELECT COUNT(*) AS n FROM TAP_UPLOAD.many', '--upload', 'many=many.vot'], { cwd: work });
    expectFailure(
      result,
      1,
      new RegExp(`^vokit: tap: query failed \\(HTTP 413\\) from ${tb.tap}/sync: Would only accept 0 bytes of upload here\\. \\(larger uploads may work with --async\\)\\n$`),
    );
  });

  it('refuses a missing upload file and a bad upload name before sending anything', async () => {
    expectFailure(
      await runVokit(['tap', tb.tap, POLES_JOIN, '--upload', 'mine=nope.vot'], { cwd: work }),
      1,
      new RegExp(`^vokit: tap: upload "mine": cannot read nope.vot: no such file\\n$`),
    );
    expectFailure(
      await runVokit(['tap', tb.tap, POLES_JOIN, '--upload', '1mine=poles.vot'], { cwd: work }),
      2,
      /^vokit: tap: --upload needs name=value, with a name made of letters, digits and _ \(got "1mine=poles.vot"\)\n$/,
    );
  });
});

describe('vokit tap --async', () => {
  it.concurrent('runs a job with an upload, shows its URL and phases, and deletes it', async () => {
    const result = await runVokit(['tap', tb.tap, POLES_JOIN, '--async', '--upload', 'mine=poles.vot', '--out-format', 'csv', '--timeout', '60'], {
      cwd: work,
    });
    expect(result.stdout).toBe('tag,source_id,dec\nnorth,9007199326059507,90\nsouth,9007199326075345,-90\n');
    expect(result.code).toBe(0);
    const lines = stderrLines(result);
    const jobUrl = /^vokit: tap: job (\S+) created$/.exec(lines[0])?.[1];
    expect(jobUrl).toMatch(new RegExp(`^${tb.base}/\\S+/async/\\w+$`));
    const phases = lines.slice(1, -2).map((l) => /^vokit: tap: job phase (\w+)$/.exec(l)?.[1]);
    expect(phases.at(-1)).toBe('COMPLETED');
    expect(phases.every((p) => p === 'QUEUED' || p === 'EXECUTING' || p === 'COMPLETED')).toBe(true);
    expect(lines.slice(-2)).toEqual([`vokit: tap: job ${jobUrl} deleted`, 'vokit: tap: 2 rows, <bytes> received in <time> s']);
    // the job is gone on the server
    expect((await fetch(jobUrl!)).status).toBe(404);
  });

  it.concurrent('prints the errorSummary of a failed job, exits 1, and deletes the job', async () => {
    const result = await runVokit(['tap', tb.tap, 'SELECT nosuchcolumn FROM vokit.sources', '--async', '--timeout', '60']);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    const jobUrl = /^vokit: tap: job (\S+) created$/.exec(lines[0])?.[1];
    expect(lines.at(-2)).toBe(`vokit: tap: job ${jobUrl} deleted`);
    expect(lines.at(-1)).toMatch(/^vokit: tap: the job failed .*\(phase ERROR\).*nosuchcolumn/);
    expect((await fetch(jobUrl!)).status).toBe(404);
  });

  it.concurrent('gives up at --timeout, naming the phase, and still deletes the job', async () => {
    const started = Date.now();
    const result = await runVokit([
      'tap',
      tb.tap,
      // 1e12 row triples: far longer than the deadline on any machine; DaCHS does not stop the
      // database query on DELETE, only at the job's execution duration (10 s)
      'SELECT COUNT(*) AS n FROM vokit.sources AS a JOIN vokit.sources AS b ON a.kmag < b.kmag JOIN vokit.sources AS c ON b.kmag < c.kmag',
      '--async',
      '--execution-duration',
      '10',
      '--timeout',
      '3',
    ]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    const jobUrl = /^vokit: tap: job (\S+) created$/.exec(lines[0])?.[1];
    expect(lines.at(-2)).toBe(`vokit: tap: job ${jobUrl} deleted`);
    expect(lines.at(-1)).toMatch(/^vokit: tap: async query timed out after 3000 ms \(job phase (QUEUED|EXECUTING|PENDING)\)/);
    expect((await fetch(jobUrl!)).status).toBe(404);
  });

  it.concurrent('deletes the job and exits 130 on Ctrl-C (SIGINT)', async () => {
    const child = spawn(process.execPath, [
      BIN,
      'tap',
      tb.tap,
      'SELECT COUNT(*) AS n FROM vokit.sources AS a JOIN vokit.sources AS b ON a.kmag < b.kmag',
      '--async',
    ]);
    let stderr = '';
    child.stdout.resume();
    const created = new Promise<string>((resolve) =>
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString('utf8');
        const url = /job (\S+) created/.exec(stderr)?.[1];
        if (url) resolve(url);
      }),
    );
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    const jobUrl = await created;
    child.kill('SIGINT');
    expect(await code).toBe(130);
    const lines = stderr.trimEnd().split('\n');
    expect(lines.slice(-2)).toEqual([`vokit: tap: job ${jobUrl} deleted`, 'vokit: tap: interrupted']);
    expect((await fetch(jobUrl)).status).toBe(404);
  });
});

describe('vokit tap tables | capabilities', () => {
  it('lists the tables with row counts (detail=min)', async () => {
    const result = await runVokit(['tap', 'tables', tb.tap]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('29 tables in 4 schemas');
    expect(lines).toContain('  vokit.sources           10000  vokit synthetic stars');
    expect(lines).toContain('  vokit.lines             24     vokit spectral lines');
  });

  it('lists the columns of one table', async () => {
    const result = await runVokit(['tap', 'tables', tb.tap, '--table', 'vokit.sources']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('vokit.sources: 21 columns, about 10000 rows');
    const names = lines.slice(3).map((l) => l.trim().split(/\s+/)[0]);
    expect(names).toEqual([
      'source_id', 'parent_id', 'name', 'ra', 'dec', 'pmra', 'pmdec', 'parallax', 'bmag', 'vmag', 'jmag', 'e_jmag', 'hmag', 'e_hmag',
      'kmag', 'e_kmag', 'sptype', 'qual', 'variable', 'obs_time', 'remark',
    ]);
    expect(lines[3]).toMatch(/^  source_id\s+long\s+-\s+-\s+meta\.id;meta\.main\s+indexed,primary\s/);
  });

  it('says which table is missing', async () => {
    const result = await runVokit(['tap', 'tables', tb.tap, '--table', 'vokit.nothing']);
    expectFailure(result, 1, /^vokit: tap tables: no table "vokit\.nothing" in /);
  });

  it('shows languages, features, formats, upload methods and limits', async () => {
    const result = await runVokit(['tap', 'capabilities', tb.tap]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual(['TAP (ivo://ivoa.net/std/TAP)', '  language ADQL 2.0, 2.1', '    udf (25):']);
    expect(lines).toContain('    adql-sets (3): UNION, EXCEPT, INTERSECT');
    expect(lines.some((l) => /^ {6}ivo_hashlist_has\(/.test(l))).toBe(true);
    expect(lines).toContain('    application/x-votable+xml;serialization=BINARY2                votable/b2, votableb2');
    expect(lines).toContain('  upload methods: inline, http, https, ftp');
    expect(lines).toContain('    output limit: default 20000 rows, hard 20000000 rows');
    expect(lines).toContain('    upload limit: hard 20000000 bytes');
    expect(lines).toContain('  data models: ivo://ivoa.net/std/obscore#core-1.1, ivo://ivoa.net/std/RegTAP#1.1');
    expect(lines.some((l) => l.startsWith('  ivo://ivoa.net/std/VOSI#tables  ') && l.endsWith('/tableMetadata'))).toBe(true);
  });
});

describe('vokit scs | sia | ssa', () => {
  it('cone-searches across RA 0 (SCS)', async () => {
    const result = await runVokit(['scs', tb.scs, '--pos', '0,-30', '--size', '0.1', '--out-format', 'jsonl']);
    expect(result.code).toBe(0);
    const rows = result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { source_id: string; ra: number; dec: number });
    expect(rows.map((r) => [r.source_id, r.ra, r.dec])).toEqual([
      ['9007199326011993', 0, -30],
      ['9007199326019912', 359.99995, -30],
      ['9007199326027831', 0.0004, -30.0003],
      ['9007199326035750', 359.9996, -29.9997],
      ['9007199326043669', 0.05, -29.97],
      ['9007199326051588', 359.95, -30.04],
    ]);
    expect(stderrLines(result)).toEqual(['vokit: scs: 6 rows, <bytes> received in <time> s']);
  });

  it('passes VERB and custom parameters (SCS), and prints the service\'s complaint', async () => {
    const [narrow, wide] = await Promise.all(
      ['1', '3'].map((verb) => runVokit(['scs', tb.scs, '--pos', '155,5', '--size', '0.5', '--verb', verb, '--out-format', 'csv', '-q'])),
    );
    expect(narrow.stdout.trimEnd().split('\n')).toHaveLength(67); // header + 66 stars
    expect(wide.stdout.trimEnd().split('\n')).toHaveLength(67);
    expect(narrow.stdout.split('\n')[0].split(',').length).toBeLessThan(wide.stdout.split('\n')[0].split(',').length);
    expect(wide.stdout.split('\n')[0].split(',')).toContain('remark');
    const bad = await runVokit(['scs', tb.scs, '--pos', '155,5', '--size', '0.5', '--param', 'SR=huge']);
    expectFailure(bad, 1, /^vokit: scs: query failed \(HTTP 200\) from \S+SR=huge: Field SR: 'huge' is not a valid literal for SR\n$/);
  });

  it('finds the three frames of field f1 (SIA 1) and by a CIRCLE (SIA 2)', async () => {
    const frames = (stdout: string, column: string) => {
      const [header, ...rows] = stdout.trimEnd().split('\n');
      const at = header.split(',').indexOf(column);
      return rows.map((r) => r.split(',')[at]).sort();
    };
    const v1 = await runVokit(['sia', tb.sia1, '--pos', '152.5,2.5', '--size', '0.1', '--format', 'image/fits', '--out-format', 'csv']);
    expect(v1.code).toBe(0);
    expect(frames(v1.stdout, 'accref')).toEqual(['f1_H', 'f1_J', 'f1_Ks'].map((n) => `${tb.base}/getproduct/vokit/data/images/${n}.fits`));
    const v2 = await runVokit(['sia', tb.sia2, '--version', '2', '--pos', '152.5,2.5', '--size', '0.2', '--out-format', 'csv']);
    expect(v2.code).toBe(0);
    expect(frames(v2.stdout, 'obs_publisher_did')).toEqual(['f1_H', 'f1_J', 'f1_Ks'].map((n) => `ivo://vokit.test/~?vokit/data/images/${n}.fits`));
  });

  it('finds the cube by BAND and reports MAXREC truncation (SIA 2)', async () => {
    const cube = await runVokit(['sia', tb.sia2, '--version', '2', '--pos', '152.5,2.5', '--size', '180', '--band', '6.1e-7/6.2e-7', '--param', 'DPTYPE=cube', '--out-format', 'csv']);
    expect(cube.code).toBe(0);
    const [header, ...rows] = cube.stdout.trimEnd().split('\n');
    expect(rows).toHaveLength(1);
    expect(rows[0].split(',')[header.split(',').indexOf('obs_publisher_did')]).toBe('ivo://vokit.test/~?vokit/data/cube/cube1.fits');
    const capped = await runVokit(['sia', tb.sia2, '--version', '2', '--pos', '155,5', '--size', '180', '--param', 'DPTYPE=image', '--maxrec', '2', '-q']);
    expect(capped.code).toBe(0);
    expect(capped.stderr).toBe('vokit: sia: result truncated by the service at 2 rows (OVERFLOW); MAXREC was 2\n');
  });

  it('finds the five spectra (SSA) and narrows them by BAND and TIME', async () => {
    const count = async (extra: string[]) => {
      const r = await runVokit(['ssa', tb.ssa, '--pos', '155,5', '--size', '20', '--out-format', 'csv', '-q', ...extra]);
      expect(r.code).toBe(0);
      return r.stdout.trimEnd().split('\n').length - 1;
    };
    expect(await count([])).toBe(5);
    expect(await count(['--band', '5e-7/6e-7'])).toBe(5);
    expect(await count(['--band', '1e-6/2e-6'])).toBe(0);
    expect(await count(['--time', '2023-01-01T00:00:00Z/2023-02-15T00:00:00Z'])).toBe(2); // spec1 on 2023-01-02, spec2 on 2023-02-03
    expect(await count(['--format', 'votable'])).toBe(5);
  });

  it('refuses wrong positions, sizes and options with status 2 before sending anything', async () => {
    expectFailure(await runVokit(['scs', tb.scs, '--size', '0.1']), 2, /^vokit: scs: --pos RA,DEC is required/);
    expectFailure(await runVokit(['scs', tb.scs, '--pos', '10,95', '--size', '0.1']), 2, /^vokit: scs: --pos Dec must be within \[-90, 90\] degrees \(got 95\)\n$/);
    expectFailure(await runVokit(['ssa', tb.ssa, '--pos', '155,5', '--size', 'big']), 2, /^vokit: ssa: --size needs a number of degrees in \(0, 180\] \(got "big"\)\n$/);
    expectFailure(await runVokit(['sia', tb.sia1, '--pos', '155,5', '--size', '1', '--band', '1e-6/2e-6']), 2, /^vokit: sia: --band is an SIA 2 option; add --version 2\n$/);
    expectFailure(await runVokit(['tap', tb.tap, 'SELECT 1', '-o', join(work, 'x.txt')]), 2, /^vokit: tap: cannot tell the output format from ".*x\.txt" .*--out-format/);
    expectFailure(await runVokit(['tap', tb.tap, 'SELECT 1', '--execution-duration', '5']), 2, /^vokit: tap: --execution-duration needs --async\n$/);
  });

  it.each(['tap', 'tap tables', 'tap capabilities', 'scs', 'sia', 'ssa'])('prints help for %s', async (command) => {
    const result = await runVokit([...command.split(' '), '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: vokit ${command} [options] <url>`);
    expect(result.stderr).toBe('');
  });
});
