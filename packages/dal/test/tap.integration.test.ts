// TAP against the DaCHS testbed (testbed/up.sh). Fails, never skips, when the testbed is down.
import { tableFromArrays } from '@vokit/votable';
import { describe, expect, it } from 'vitest';
import {
  adql,
  AsyncTAPJob,
  circle,
  DALQueryError,
  DALTimeoutError,
  hasLanguageFeature,
  identifier,
  sedColumns,
  TAPService,
} from '../src/index.js';
import { testbed } from './support/testbed.js';

const tb = testbed();
const tap = new TAPService(tb.tap);

const WRAP_CONE = `SELECT source_id, ra, dec FROM vokit.sources WHERE 1 = CONTAINS(POINT(ra, dec), ${circle(0, -30, 0.1)}) ORDER BY source_id`;
const WRAP_IDS = [9007199326011993n, 9007199326019912n, 9007199326027831n, 9007199326035750n, 9007199326043669n, 9007199326051588n];

describe('TAP runSync', () => {
  it('finds the stars on both sides of RA 0 with exact 64-bit ids', async () => {
    const r = await tap.runSync(WRAP_CONE);
    expect(r.fieldnames).toEqual(['source_id', 'ra', 'dec']);
    expect(r.getColumn('source_id').datatype).toBe('long');
    expect(r.records.map((x) => x.get('source_id'))).toEqual(WRAP_IDS);
    expect(r.records.map((x) => x.get('ra'))).toEqual([0, 359.99995, 0.0004, 359.9996, 0.05, 359.95]);
    expect(r.overflow).toBe(false);
    expect(r.queryStatus.status).toBe('OK');
  });

  it('finds both stars near the north pole', async () => {
    const r = await tap.runSync(adql`SELECT source_id, remark FROM vokit.sources WHERE 1 = CONTAINS(POINT(ra, dec), ${circle(0, 90, 0.01)}) ORDER BY source_id`);
    expect(r.records.map((x) => x.toObject())).toEqual([
      { source_id: 9007199326059507n, remark: 'north pole' },
      { source_id: 9007199326067426n, remark: 'near north pole' },
    ]);
  });

  it('keeps NULLs, quotes, markup characters and non-ASCII text', async () => {
    const r = await tap.runSync(
      'SELECT source_id, parent_id, pmra, remark FROM vokit.sources WHERE source_id IN (9007199326091183, 9007199326099102, 9007199326043669) ORDER BY source_id',
      // BINARY2: DaCHS's BINARY and TABLEDATA write NULL floats as NaN and NULL strings as ""
      { format: 'votable/b2' },
    );
    expect(r.records.map((x) => x.toObject())).toEqual([
      { source_id: 9007199326043669n, parent_id: 9007199326993949n, pmra: null, remark: null },
      { source_id: 9007199326091183n, parent_id: 9007199328466883n, pmra: expect.closeTo(-1.184, 5), remark: 'quote \' double " amp & lt < gt >' },
      { source_id: 9007199326099102n, parent_id: null, pmra: expect.closeTo(0.53, 5), remark: 'unicode: Ω Cen, α Lyr, Ångström' },
    ]);
  });

  it('escapes user text through the adql tag', async () => {
    const remark = 'quote \' double " amp & lt < gt >';
    const r = await tap.runSync(adql`SELECT source_id FROM ${identifier('vokit', 'sources')} WHERE remark = ${remark}`);
    expect(r.records.map((x) => x.get('source_id'))).toEqual([9007199326091183n]);
  });

  it('gives the same rows in BINARY2 and TABLEDATA, and in BINARY up to its NaN/empty nulls', async () => {
    const query = 'SELECT TOP 50 source_id, parent_id, ra, pmra, sptype, qual, variable FROM vokit.sources ORDER BY source_id';
    const [binary, binary2, tabledata] = await Promise.all(
      ['votable', 'votable/b2', 'votable/td'].map((format) => tap.runSync(query, { format })),
    );
    expect(binary.votable.resources[0].tables[0].data?.serialization).toBe('BINARY');
    expect(binary2.votable.resources[0].tables[0].data?.serialization).toBe('BINARY2');
    expect(tabledata.votable.resources[0].tables[0].data?.serialization).toBe('TABLEDATA');
    const rows = (r: typeof binary) => r.records.map((x) => x.toObject());
    // only BINARY2 has null flags: DaCHS sends NULL real as NaN and NULL text as "" otherwise
    const withoutNulls = rows(binary2).map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null && k === 'pmra' ? NaN : v === null && k === 'sptype' ? '' : v])),
    );
    expect(rows(binary)).toEqual(withoutNulls);
    expect(rows(tabledata)).toEqual(withoutNulls);
    expect(binary2.getColumn('pmra').nullCount).toBe(3);
    expect(binary2.getColumn('sptype').nullCount).toBe(2);
    expect(binary2.getColumn('parent_id').nullCount).toBe(41);
    expect(binary.length).toBe(50);
    expect(binary2.getColumn('pmra').nullCount).toBe(3);
  });

  it('sets OVERFLOW at MAXREC without a warning', async () => {
    const warnings: Error[] = [];
    const r = await tap.runSync('SELECT source_id FROM vokit.sources ORDER BY source_id', { maxrec: 17, onWarning: (w) => warnings.push(w) });
    expect(r.length).toBe(17);
    expect(r.overflow).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('reports an ADQL error with the server message (HTTP 200 from DaCHS)', async () => {
    const error = await tap.runSync('SELECT nosuchcolumn FROM vokit.sources').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DALQueryError);
    expect((error as DALQueryError).serverMessage).toMatch(/nosuchcolumn/);
    expect((error as DALQueryError).url).toBe(`${tb.tap}/sync`);
  });

  it('places the photometry columns on the spectrum by UCD (SED)', async () => {
    const r = await tap.runSync('SELECT TOP 1 * FROM vokit.sources ORDER BY source_id', { language: 'ADQL-2.1' });
    expect(sedColumns(r.fielddescs).map((c) => [c.field.name, c.kind, c.wavelength.centre])).toEqual([
      ['bmag', 'mag', 4.45e-7],
      ['vmag', 'mag', 5.51e-7],
      ['jmag', 'mag', 1.235e-6],
      ['hmag', 'mag', 1.662e-6],
      ['kmag', 'mag', 2.159e-6],
    ]);
  });

  it('returns other formats raw (csv)', async () => {
    const response = await tap.runSyncRaw('SELECT TOP 2 source_id, ra FROM vokit.sources ORDER BY source_id', { format: 'csv' });
    expect(response.headers.get('content-type')).toMatch(/csv/);
    const lines = (await response.text()).trim().split(/\r?\n/);
    expect(lines).toEqual(['source_id,ra', '9007199254740993,156.69613823', '9007199254748912,150.91661397']);
  });

  it('uploads a local table and joins it (multipart, UPLOAD=name,param:name)', async () => {
    const table = tableFromArrays({
      name: 'mine',
      columns: { sid: new BigInt64Array([9007199326059507n, 9007199326075345n, 1n]), tag: ['north', 'south', 'none'] },
    });
    const r = await tap.runSync('SELECT m.tag, s.dec FROM TAP_UPLOAD.mine AS m JOIN vokit.sources AS s ON s.source_id = m.sid ORDER BY m.tag', {
      uploads: { mine: table },
    });
    expect(r.records.map((x) => x.toObject())).toEqual([
      { tag: 'north', dec: 90 },
      { tag: 'south', dec: -90 },
    ]);
  });

  it('uploads VOTable text as is', async () => {
    const votable =
      '<VOTABLE version="1.3" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE><FIELD name="x" datatype="double"/>' +
      '<DATA><TABLEDATA><TR><TD>1.5</TD></TR><TR><TD>2.5</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>';
    const r = await tap.runSync('SELECT SUM(x) AS total FROM TAP_UPLOAD.t1', { uploads: { t1: votable } });
    expect(r.getValue('total', 0)).toBe(4);
  });
});

describe('TAP async (UWS)', () => {
  it('runs a job, fetches the result and deletes the job', async () => {
    const phases: string[] = [];
    const received: number[] = [];
    const r = await tap.runAsync('SELECT TOP 5 source_id FROM vokit.sources ORDER BY source_id', {
      timeout: 60_000,
      onPhase: (p) => phases.push(p),
      onProgress: (n) => received.push(n),
    });
    expect(phases.at(-1)).toBe('COMPLETED');
    expect(phases.every((p) => ['QUEUED', 'EXECUTING', 'COMPLETED'].includes(p))).toBe(true);
    expect(received.length).toBeGreaterThan(0);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(r.records.map((x) => x.get('source_id'))).toEqual([
      9007199254740993n,
      9007199254748912n,
      9007199254756831n,
      9007199254764750n,
      9007199254772669n,
    ]);
  });

  it('submits, resumes from the URL, waits, fetches and deletes', async () => {
    const job = await tap.submitJob('SELECT COUNT(*) AS n FROM vokit.sources', { maxrec: 10 });
    try {
      expect(job.url).toMatch(new RegExp(`^${tb.base}/.*/async/`));
      expect(await job.phase()).toBe('PENDING');
      const pending = await tap.getJobList({ phases: ['PENDING'] });
      expect(pending.find((j) => j.href === job.url)).toMatchObject({ id: job.jobId, phase: 'PENDING' });
      await job.run();
      const resumed = new AsyncTAPJob(job.url);
      const info = await resumed.wait({ timeout: 60_000 });
      expect(info.phase).toBe('COMPLETED');
      expect(info.parameters.query).toBe('SELECT COUNT(*) AS n FROM vokit.sources');
      const r = await resumed.fetchResult();
      expect(r.getValue('n', 0)).toBe(10000);
    } finally {
      await job.delete();
    }
    const gone = await job.phase().catch((e: unknown) => e);
    // DaCHS answers 404 with an error VOTable, which wins over the status: DALQueryError
    expect(gone).toMatchObject({ code: 'DAL_QUERY', status: 404 });
  });

  it('aborts a pending job', async () => {
    const job = await tap.submitJob('SELECT TOP 1 source_id FROM vokit.sources');
    try {
      await job.abort();
      expect(await job.phase()).toBe('ABORTED');
    } finally {
      await job.delete();
    }
  });

  it('reports a failed job with its errorSummary', async () => {
    const error = await tap.runAsync('SELECT nosuchcolumn FROM vokit.sources', { timeout: 60_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DAL_UWS', phase: 'ERROR' });
    expect((error as { errorSummary: string }).errorSummary).toMatch(/nosuchcolumn/);
  });

  it('times out with the phase when the deadline is shorter than the job', async () => {
    // 1e12 row triples: far longer than the deadline on any machine. DaCHS does not cancel the
    // database query on DELETE, but it does at the job's executionDuration, so it ends 10 s later.
    const query = 'SELECT COUNT(*) AS n FROM vokit.sources AS a JOIN vokit.sources AS b ON a.kmag < b.kmag JOIN vokit.sources AS c ON b.kmag < c.kmag';
    const error = await tap.runAsync(query, { timeout: 2000, executionDuration: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DALTimeoutError);
    expect(['QUEUED', 'EXECUTING', 'PENDING']).toContain((error as DALTimeoutError).phase);
  });

  it('sets the execution duration before the job runs', async () => {
    const phases: string[] = [];
    const job = await tap.submitJob('SELECT COUNT(*) AS n FROM vokit.sources');
    try {
      await job.setExecutionDuration(7);
      expect((await job.refresh()).executionDuration).toBe(7);
    } finally {
      await job.delete();
    }
    await expect(tap.runAsync('SELECT 1 AS one FROM vokit.sources', { executionDuration: 0 })).rejects.toThrow(
      'executionDuration must be a positive number of seconds, got 0',
    );
    const r = await tap.runAsync('SELECT COUNT(*) AS n FROM vokit.sources', { executionDuration: 30, timeout: 60_000, onPhase: (p) => phases.push(p) });
    expect(r.records.map((x) => x.toObject())).toEqual([{ n: 10000 }]);
    expect(phases.at(-1)).toBe('COMPLETED');
  });
});

describe('VOSI and examples', () => {
  it('reads TAPRegExt capabilities with languages, UDFs, formats, uploads and limits', async () => {
    const cap = await tap.tapCapability();
    expect(cap?.languages.map((l) => l.name)).toEqual(['ADQL']);
    expect(cap?.languages[0].versions.map((v) => v.version)).toEqual(['2.0', '2.1']);
    expect(hasLanguageFeature(cap!, 'ivo://ivoa.net/std/TAPRegExt#features-udf', 'ivo_hashlist_has')).toBe(true);
    expect(hasLanguageFeature(cap!, 'ivo://ivoa.net/std/TAPRegExt#features-adql-sets', 'UNION')).toBe(true);
    expect(hasLanguageFeature(cap!, 'ivo://ivoa.net/std/TAPRegExt#features-adql-type', 'CAST')).toBe(true);
    expect(hasLanguageFeature(cap!, 'ivo://ivoa.net/std/TAPRegExt#features-adql-type', 'NO_SUCH_FEATURE')).toBe(false);
    expect(cap?.uploadMethods).toContain('ivo://ivoa.net/std/TAPRegExt#upload-inline');
    expect(cap?.outputFormats.some((f) => f.aliases.includes('votable/b2'))).toBe(true);
    expect(cap?.dataModels.map((d) => d.ivoId)).toEqual(
      expect.arrayContaining(['ivo://ivoa.net/std/obscore#core-1.1', 'ivo://ivoa.net/std/RegTAP#1.1']),
    );
    expect(await tap.maxrec()).toBe(20000);
    expect(await tap.hardlimit()).toBe(20000000);
  });

  it('lists tables with detail=min and loads one table lazily', async () => {
    const schemas = await tap.tables();
    const vokit = schemas.find((s) => s.name === 'vokit');
    expect(vokit?.tables.map((t) => t.name).sort()).toEqual(['vokit.cubes', 'vokit.images', 'vokit.lines', 'vokit.sources', 'vokit.spectra']);
    expect(vokit?.tables.every((t) => t.columns === undefined)).toBe(true);
    const sources = await tap.table('vokit.sources');
    expect(sources.columns?.map((c) => c.name)).toEqual([
      'source_id', 'parent_id', 'name', 'ra', 'dec', 'pmra', 'pmdec', 'parallax', 'bmag', 'vmag', 'jmag', 'e_jmag', 'hmag', 'e_hmag',
      'kmag', 'e_kmag', 'sptype', 'qual', 'variable', 'obs_time', 'remark',
    ]);
    const sourceId = sources.columns?.find((c) => c.name === 'source_id');
    expect(sourceId).toMatchObject({ ucd: 'meta.id;meta.main', datatype: 'long', typeSystem: 'VOTableType', flags: ['indexed', 'primary'] });
  });

  it('reads availability and the DALI examples', async () => {
    expect(await tap.available()).toBe(true);
    const examples = await tap.examples();
    expect(examples.map((e) => e.name)).toEqual(['Cone around the patch centre', 'Stars across RA 0', 'Images in ObsCore']);
    // the examples run as written
    const r = await tap.runSync(examples[1].query!);
    expect(r.records.map((x) => x.get('source_id'))).toEqual(WRAP_IDS);
  });
});
