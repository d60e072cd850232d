// Fault lane: a real HTTP server on 127.0.0.1 port 0 that misbehaves on purpose (5xx, resets,
// stalls, malformed XML, slow bodies, stuck UWS jobs). Every call must end in a typed error,
// and never later than its deadline plus a small margin.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cachedataset,
  DALAbortError,
  DALFormatError,
  DALNetworkError,
  DALQueryError,
  DALServiceError,
  DALTimeoutError,
  fanout,
  getdataset,
  SCSService,
  TAPService,
  UWSError,
} from '../src/index.js';

const VOTABLE = (status: string, message = '', rows = '<TR><TD>1</TD></TR>') =>
  `<?xml version="1.0"?><VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE type="results">` +
  `<INFO name="QUERY_STATUS" value="${status}">${message}</INFO><TABLE><FIELD name="n" datatype="int"/>` +
  `<DATA><TABLEDATA>${rows}</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`;

const JOB = (phase: string, extra = '') =>
  `<?xml version="1.0"?><uws:job xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1">` +
  `<uws:jobId>j1</uws:jobId><uws:phase>${phase}</uws:phase><uws:parameters/><uws:results>` +
  (phase === 'COMPLETED' ? '<uws:result id="result" xlink:href="/tap/async/j1/results/result"/>' : '') +
  `</uws:results>${extra}</uws:job>`;

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const routes = new Map<string, Handler>();
const log: string[] = [];
let server: Server;
let base = '';
const sockets = new Set<import('node:net').Socket>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      log.push(`${req.method} ${req.url}`);
      const handler = routes.get(`${req.method} ${path}`) ?? routes.get(path);
      if (handler) handler(req, res, body);
      else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('no route');
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/**
 * Upper bound for "gave up at its deadline": the stalled peers below never answer, so without the
 * deadline these calls would hang until the test's own timeout. The bound is loose on purpose: a
 * loaded CI machine can delay timers by a second or more, which says nothing about the client.
 */
const STALL_BOUND_MS = 5000;

/** Runs `fn`, returns its rejection and how long it took. */
async function failure(fn: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const t0 = Date.now();
  try {
    await fn();
  } catch (error) {
    return { error, ms: Date.now() - t0 };
  }
  throw new Error('expected a rejection');
}

describe('HTTP faults on synchronous queries', () => {
  it('turns a 500 with an HTML page into DALServiceError with status, URL and the page text', async () => {
    routes.set('/t500/sync', (_q, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html><body><h1>Internal error</h1><p>database &amp; cache down</p></body></html>');
    });
    const { error } = await failure(() => new TAPService(`${base}/t500`).runSync('SELECT 1'));
    expect(error).toBeInstanceOf(DALServiceError);
    const e = error as DALServiceError;
    expect(e.status).toBe(500);
    expect(e.url).toBe(`${base}/t500/sync`);
    expect(e.serverMessage).toBe('Internal error database & cache down');
  });

  it('prefers an error VOTable over the HTTP status (400)', async () => {
    routes.set('/t400/sync', (_q, res) => {
      res.writeHead(400, { 'content-type': 'application/x-votable+xml' });
      res.end(VOTABLE('ERROR', 'Could not parse your query: no column kmag2'));
    });
    const { error } = await failure(() => new TAPService(`${base}/t400`).runSync('SELECT kmag2 FROM t'));
    expect(error).toBeInstanceOf(DALQueryError);
    expect((error as DALQueryError).status).toBe(400);
    expect((error as DALQueryError).serverMessage).toBe('Could not parse your query: no column kmag2');
  });

  it('reports QUERY_STATUS=ERROR sent with HTTP 200', async () => {
    routes.set('/t200err/sync', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(VOTABLE('ERROR', 'Syntax error near FORM'));
    });
    const { error } = await failure(() => new TAPService(`${base}/t200err`).runSync('SELECT * FORM t'));
    expect(error).toBeInstanceOf(DALQueryError);
    expect((error as DALQueryError).status).toBe(200);
    expect((error as DALQueryError).serverMessage).toBe('Syntax error near FORM');
  });

  it('turns a connection reset into DALNetworkError', async () => {
    routes.set('/reset', (req) => req.socket.destroy());
    const { error } = await failure(() => new SCSService(`${base}/reset`).search([1, 2], 0.1));
    expect(error).toBeInstanceOf(DALNetworkError);
    expect((error as DALNetworkError).url).toBe(`${base}/reset?RA=1&DEC=2&SR=0.1`);
  });

  it('times out a server that never answers, within the deadline', async () => {
    routes.set('/stall', () => undefined);
    const { error, ms } = await failure(() => new SCSService(`${base}/stall`).search([1, 2], 0.1, { timeout: 300 }));
    expect(error).toBeInstanceOf(DALTimeoutError);
    expect((error as DALTimeoutError).timeout).toBe(300);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(STALL_BOUND_MS);
  });

  it('times out a body that stops half-way, within the deadline', async () => {
    routes.set('/slowbody', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/x-votable+xml' });
      res.write(VOTABLE('OK').slice(0, 200)); // and nothing more
    });
    const { error, ms } = await failure(() => new SCSService(`${base}/slowbody`).search([1, 2], 0.1, { timeout: 400 }));
    expect(error).toBeInstanceOf(DALTimeoutError);
    expect(ms).toBeLessThan(STALL_BOUND_MS);
  });

  it('times out a body that keeps trickling, at the overall deadline (not an idle timeout)', async () => {
    const timers = new Set<ReturnType<typeof setInterval>>();
    routes.set('/drip', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/x-votable+xml' });
      const text = VOTABLE('OK', '', '<TR><TD>1</TD></TR>'.repeat(10_000));
      let at = 0;
      // one byte every 10 ms: never idle long enough for an idle timeout, done only after minutes
      const timer = setInterval(() => {
        if (res.destroyed || at >= text.length) {
          clearInterval(timer);
          timers.delete(timer);
          res.end();
          return;
        }
        res.write(text[at++]);
      }, 10);
      timers.add(timer);
    });
    const { error, ms } = await failure(() => new SCSService(`${base}/drip`).search([1, 2], 0.1, { timeout: 500 }));
    for (const timer of timers) clearInterval(timer);
    expect(error).toBeInstanceOf(DALTimeoutError);
    expect((error as DALTimeoutError).timeout).toBe(500);
    expect(ms).toBeGreaterThanOrEqual(490);
    expect(ms).toBeLessThan(STALL_BOUND_MS);
  });

  it('turns a body cut by a closed connection into DALNetworkError', async () => {
    routes.set('/cut', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/x-votable+xml', 'content-length': '5000' });
      res.write(VOTABLE('OK').slice(0, 300));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const { error } = await failure(() => new SCSService(`${base}/cut`).search([1, 2], 0.1, { timeout: 5000 }));
    expect(error).toBeInstanceOf(DALNetworkError);
  });

  it('turns malformed XML into DALFormatError', async () => {
    routes.set('/malformed', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/x-votable+xml' });
      res.end('<VOTABLE version="1.4"><RESOURCE><TABLE><FIELD name="a" datatype="int"></TABLE></VOTABLE>');
    });
    const { error } = await failure(() => new SCSService(`${base}/malformed`).search([1, 2], 0.1));
    expect(error).toBeInstanceOf(DALFormatError);
    expect((error as DALFormatError).message).toMatch(/not a readable VOTable/);
  });

  it('stops at once when the caller aborts, with the reason as cause', async () => {
    routes.set('/abortme', () => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user pressed stop')), 100);
    const { error, ms } = await failure(() => new SCSService(`${base}/abortme`).search([1, 2], 0.1, { signal: controller.signal }));
    expect(error).toBeInstanceOf(DALAbortError);
    expect(((error as DALAbortError).cause as Error).message).toBe('user pressed stop');
    expect(ms).toBeLessThan(STALL_BOUND_MS);
  });

  it('warns about an OVERFLOW only when MAXREC was not asked for', async () => {
    routes.set('/overflow/sync', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/x-votable+xml' });
      res.end(VOTABLE('OK', '', '<TR><TD>1</TD></TR><TR><TD>2</TD></TR>').replace('</TABLE>', '</TABLE><INFO name="QUERY_STATUS" value="OVERFLOW"/>'));
    });
    const warnings: Error[] = [];
    const tap = new TAPService(`${base}/overflow`, { onWarning: (w) => warnings.push(w) });
    const surprised = await tap.runSync('SELECT n FROM t');
    expect(surprised.overflow).toBe(true);
    expect(warnings.map((w) => w.message)).toEqual([`result truncated by the service at 2 rows (OVERFLOW) from ${base}/overflow/sync`]);
    const asked = await tap.runSync('SELECT n FROM t', { maxrec: 2 });
    expect(asked.overflow).toBe(true);
    expect(warnings).toHaveLength(1);
  });
});

describe('VOSI endpoint fallbacks', () => {
  it('uses the tables URL the capabilities declare, else <base>/tables', async () => {
    const tableset = '<tableset><schema><name>s</name><table><name>s.t</name></table></schema></tableset>';
    routes.set('/declared/capabilities', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<capabilities><capability standardID="ivo://ivoa.net/std/VOSI#tables"><interface role="std">` +
          `<accessURL use="full">${base}/declared/elsewhere/tableMetadata</accessURL></interface></capability></capabilities>`,
      );
    });
    routes.set('/declared/elsewhere/tableMetadata', (req, res) => {
      expect(req.url).toBe('/declared/elsewhere/tableMetadata?detail=min');
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(tableset);
    });
    routes.set('/undeclared/tables', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(tableset);
    });
    const declared = await new TAPService(`${base}/declared`).tables();
    const undeclared = await new TAPService(`${base}/undeclared`).tables();
    expect(declared.map((s) => s.tables.map((t) => t.name))).toEqual([['s.t']]);
    expect(undeclared.map((s) => s.tables.map((t) => t.name))).toEqual([['s.t']]);
  });
});

describe('dataset downloads', () => {
  it('keeps the deadline while the caller reads a streamed dataset', async () => {
    routes.set('/dataset-slow.fits', (_q, res) => {
      res.writeHead(200, { 'content-type': 'image/fits', 'content-length': '2880' });
      res.write('SIMPLE  =                    T'); // then nothing
    });
    const dataset = await getdataset(`${base}/dataset-slow.fits`, { timeout: 400 });
    expect(dataset.contentType).toBe('image/fits');
    expect(dataset.contentLength).toBe(2880);
    const reader = dataset.body.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('SIMPLE  =                    T');
    const t0 = Date.now();
    const error = await reader.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DALTimeoutError);
    expect(Date.now() - t0).toBeLessThan(STALL_BOUND_MS);
  });

  it('names the file after Content-Disposition, stripped of any path', async () => {
    routes.set('/dataset-named', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-disposition': 'attachment; filename="../../../etc/cron.d/evil"' });
      res.end('payload');
    });
    const { mkdtempSync, readFileSync, readdirSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'vokit-cache-'));
    try {
      const file = await cachedataset(`${base}/dataset-named`, dir);
      expect(file).toBe(join(dir, 'evil'));
      expect(readFileSync(file, 'utf8')).toBe('payload');
      expect(readdirSync(dir)).toEqual(['evil']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves no partial file when the download fails', async () => {
    routes.set('/dataset-cut.fits', (_q, res) => {
      res.writeHead(200, { 'content-type': 'image/fits', 'content-length': '5000' });
      res.write('x'.repeat(100));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const { mkdtempSync, readdirSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'vokit-cache-'));
    try {
      const error = await cachedataset(`${base}/dataset-cut.fits`, dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DALNetworkError);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('UWS faults', () => {
  it('runs a job through 303s and cleans it up', async () => {
    let phase = 'PENDING';
    routes.set('POST /ok/async', (_q, res, body) => {
      expect(new URLSearchParams(body).get('QUERY')).toBe('SELECT n FROM t');
      res.writeHead(303, { location: '/ok/async/j1' });
      res.end();
    });
    routes.set('GET /ok/async/j1', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(JOB(phase).replace('/tap/async/j1', '/ok/async/j1'));
    });
    routes.set('POST /ok/async/j1/phase', (_q, res) => {
      phase = 'COMPLETED';
      res.writeHead(303, { location: '/ok/async/j1' });
      res.end();
    });
    routes.set('/ok/async/j1/results/result', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/x-votable+xml' });
      res.end(VOTABLE('OK'));
    });
    routes.set('DELETE /ok/async/j1', (_q, res) => {
      res.writeHead(405);
      res.end();
    });
    routes.set('POST /ok/async/j1', (_q, res, body) => {
      expect(body).toBe('ACTION=DELETE');
      res.writeHead(303, { location: '/ok/async' });
      res.end();
    });
    routes.set('GET /ok/async', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end('<jobs/>');
    });
    log.length = 0;
    const results = await new TAPService(`${base}/ok`).runAsync('SELECT n FROM t', { timeout: 5000 });
    expect(results.getValue('n', 0)).toBe(1);
    expect(log).toContain('POST /ok/async/j1/phase');
    expect(log).toContain('DELETE /ok/async/j1');
    expect(log).toContain('POST /ok/async/j1');
  });

  it('gives up on a job stuck in EXECUTING at the overall deadline, names the phase, and deletes it', async () => {
    routes.set('POST /stuck/async', (_q, res) => {
      res.writeHead(303, { location: '/stuck/async/j1' });
      res.end();
    });
    routes.set('POST /stuck/async/j1/phase', (_q, res) => {
      res.writeHead(303, { location: '/stuck/async/j1' });
      res.end();
    });
    // honours WAIT by holding the request for its full length
    routes.set('GET /stuck/async/j1', (req, res) => {
      const wait = Number(new URL(req.url ?? '', base).searchParams.get('WAIT') ?? 0);
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(JOB('EXECUTING'));
      }, wait * 1000);
    });
    routes.set('DELETE /stuck/async/j1', (_q, res) => {
      res.writeHead(303, { location: '/stuck/async' });
      res.end();
    });
    routes.set('GET /stuck/async', (_q, res) => res.end('<jobs/>'));
    log.length = 0;
    const { error, ms } = await failure(() => new TAPService(`${base}/stuck`).runAsync('SELECT 1', { timeout: 1500 }));
    expect(error).toBeInstanceOf(DALTimeoutError);
    expect((error as DALTimeoutError).phase).toBe('EXECUTING');
    expect(ms).toBeLessThan(1500 + STALL_BOUND_MS);
    expect(log.filter((l) => l.startsWith('GET /stuck/async/j1?WAIT=')).length).toBeGreaterThanOrEqual(1);
    expect(log).toContain('DELETE /stuck/async/j1');
  });

  it('polls with backoff when the server ignores WAIT', async () => {
    routes.set('GET /nowait/async/j1', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(JOB('EXECUTING'));
    });
    log.length = 0;
    const tap = new TAPService(`${base}/nowait`);
    const { error } = await failure(() => tap.getJob(`${base}/nowait/async/j1`).wait({ timeout: 1600 }));
    expect(error).toBeInstanceOf(DALTimeoutError);
    // 250 + 500 + 1000 ms of sleeps fit in 1.6 s: about four requests, not hundreds
    const gets = log.filter((l) => l.startsWith('GET /nowait/async/j1')).length;
    expect(gets).toBeGreaterThanOrEqual(3);
    expect(gets).toBeLessThanOrEqual(5);
  });

  it('raises UWSError with the phase and errorSummary of a failed job', async () => {
    routes.set('GET /failed/async/j1', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(JOB('ERROR', '<uws:errorSummary type="fatal" hasDetail="false"><uws:message>relation "nope" does not exist</uws:message></uws:errorSummary>'));
    });
    const job = new TAPService(`${base}/failed`).getJob(`${base}/failed/async/j1`);
    const info = await job.wait({ timeout: 2000 });
    expect(info.phase).toBe('ERROR');
    const { error } = await failure(() => job.fetchResult());
    expect(error).toBeInstanceOf(UWSError);
    expect((error as UWSError).phase).toBe('ERROR');
    expect((error as UWSError).errorSummary).toBe('relation "nope" does not exist');
  });

  it('turns a malformed job document into DALFormatError', async () => {
    routes.set('GET /badjob/async/j1', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end('<uws:job><uws:phase>EXECUTING</uws:job>');
    });
    const { error } = await failure(() => new TAPService(`${base}/badjob`).getJob(`${base}/badjob/async/j1`).phase());
    expect(error).toBeInstanceOf(DALFormatError);
  });
});

describe('fan-out against failing services', () => {
  it('reports each service: ok, failed, timed out; the slow one costs only its deadline', async () => {
    routes.set('/fan-ok', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/x-votable+xml' });
      res.end(VOTABLE('OK', '', '<TR><TD>1</TD></TR><TR><TD>2</TD></TR><TR><TD>3</TD></TR>'));
    });
    routes.set('/fan-500', (_q, res) => {
      res.writeHead(502);
      res.end('bad gateway');
    });
    routes.set('/fan-stall', () => undefined);
    const urls = ['/fan-ok', '/fan-500', '/fan-stall', '/fan-ok'];
    const t0 = Date.now();
    const reports = await fanout(
      urls.map((u, i) => ({ id: `${i}${u}`, run: (signal: AbortSignal) => new SCSService(base + u).search([1, 2], 0.1, { signal }) })),
      { concurrency: 2, taskTimeout: 400 },
    );
    expect(Date.now() - t0).toBeLessThan(400 * 2 + STALL_BOUND_MS);
    expect(reports.map((r) => [r.id, r.ok, r.rows])).toEqual([
      ['0/fan-ok', true, 3],
      ['1/fan-500', false, undefined],
      ['2/fan-stall', false, undefined],
      ['3/fan-ok', true, 3],
    ]);
    expect(reports[1].error).toBeInstanceOf(DALServiceError);
    expect((reports[1].error as DALServiceError).status).toBe(502);
    expect(reports[2].error).toBeInstanceOf(DALTimeoutError);
  });

  it('reports tasks the overall deadline left unstarted', async () => {
    const reports = await fanout(
      [0, 1, 2].map((i) => ({ id: String(i), run: (signal: AbortSignal) => new SCSService(`${base}/fan-stall`).search([1, 2], 0.1, { signal }) })),
      { concurrency: 1, timeout: 300 },
    );
    expect(reports.map((r) => [r.started, r.ok])).toEqual([
      [true, false],
      [false, false],
      [false, false],
    ]);
    expect(reports[0].error).toBeInstanceOf(DALTimeoutError);
  });
});
