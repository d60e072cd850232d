import { describe, expect, it } from 'vitest';
import { DALFormatError, parseJob, parseJobList } from '../src/index.js';
import { fixture } from './support/fixtures.js';

describe('parseJob', () => {
  it('reads a UWS 1.0 job without prefixes (pyvo job-implicit-v1.0.xml)', () => {
    const job = parseJob(fixture('pyvo/io-uws-job-implicit-v1.0.xml'), 'http://example.com/tap/async/1234');
    expect(job.jobId).toBe('1576511540079_32840');
    expect(job.phase).toBe('COMPLETED');
    expect(job.ownerId).toBeUndefined();
    expect(job.executionDuration).toBe(600);
    expect(job.destruction).toBe('2019-12-17T10:52:20');
    expect(job.parameters).toEqual({ lang: 'ADQL-2.0', servicetype: 'tap', request: 'doQuery', query: 'SELECT ra, dec FROM table' });
    expect(job.results).toEqual([
      { id: 'resultsTable', href: 'http://example.com/tap/async/1234/results/result', size: undefined, mimeType: undefined },
    ]);
    expect(job.errorSummary).toBeUndefined();
  });

  it('reads the phase, errorSummary and nil owner of a failed job (pyvo job-error.xml)', () => {
    const job = parseJob(fixture('pyvo/io-uws-job-error.xml'));
    expect(job.jobId).toBe('1337');
    expect(job.phase).toBe('ERROR');
    expect(job.version).toBe('1.1');
    expect(job.ownerId).toBeUndefined();
    expect(job.quote).toBe('2018-01-01T02:00:00Z');
    expect(job.executionDuration).toBe(7200);
    expect(job.parameters.query).toBe("SELECT 'test'");
    expect(job.parameters.maxrec).toBe('');
    expect(job.results).toEqual([]);
    expect(job.errorSummary).toEqual({ message: 'We have problem', type: 'fatal', hasDetail: false });
  });

  it('reads a prefixed UWS 1.1 job and resolves result links (pyvo job.xml)', () => {
    const job = parseJob(fixture('pyvo/io-uws-job.xml'), 'http://example.com/tap/async/1337');
    expect(job.jobId).toBe('1337');
    expect(job.phase).toBe('COMPLETED');
    expect(job.results.map((r) => [r.id, r.href])).toEqual([['result', 'http://example.com/tap/async/1337/results/result']]);
  });

  it('rejects documents that are not jobs', () => {
    expect(() => parseJob('<jobs/>')).toThrow('expected a UWS <job> document, got <jobs>');
    expect(() => parseJob('<job><phase>RUN')).toThrow(DALFormatError);
    expect(() => parseJob('<job><jobId>1</jobId></job>')).toThrow('lacks jobId or phase');
  });

  it('refuses entity definitions (no DTD processing)', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE job [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;">]><job><jobId>&b;</jobId><phase>ERROR</phase></job>';
    expect(() => parseJob(bomb)).toThrow('refusing an XML document with an internal DTD subset');
  });

  it('decodes predefined entities and character references', () => {
    const job = parseJob('<job><jobId>a&amp;b&#x41;&#66;</jobId><phase>pending</phase><parameters><parameter id="QUERY">x &lt; 1</parameter></parameters></job>');
    expect(job.jobId).toBe('a&bAB');
    expect(job.phase).toBe('PENDING');
    expect(job.parameters.query).toBe('x < 1');
  });
});

describe('parseJobList', () => {
  it('reads job references with absolute URLs', () => {
    const list = parseJobList(
      '<uws:jobs xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1">' +
        '<uws:jobref id="a1" xlink:href="/tap/async/a1"><uws:phase>EXECUTING</uws:phase><uws:creationTime>2024-01-01T00:00:00Z</uws:creationTime></uws:jobref>' +
        '<uws:jobref id="b2"><uws:phase>completed</uws:phase></uws:jobref></uws:jobs>',
      'http://x/tap/async',
    );
    expect(list).toEqual([
      { id: 'a1', href: 'http://x/tap/async/a1', phase: 'EXECUTING', runId: undefined, ownerId: undefined, creationTime: '2024-01-01T00:00:00Z' },
      { id: 'b2', href: 'http://x/tap/async/b2', phase: 'COMPLETED', runId: undefined, ownerId: undefined, creationTime: undefined },
    ]);
    expect(parseJobList('<jobs/>')).toEqual([]);
  });
});
