// Hostile documents (OWASP XXE prevention cheat sheet): external entities and DTDs are never
// fetched or read, entity expansion is bounded, and each refusal is a SecurityError.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFirstTable, parseVOTable, parseVOTableSync, SecurityError, streamVOTable } from '@vokit/votable';

const TABLE = `<RESOURCE><TABLE><FIELD name="s" datatype="char" arraysize="*"/><DATA><TABLEDATA><TR><TD>&x;</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE>`;

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

describe('external entities and DTDs', () => {
  let dir: string;
  let server: Server;
  let requests = 0;
  let port = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vokit-xxe-'));
    server = createServer((_, res) => {
      requests++;
      res.end('<!ENTITY x "fetched">');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a SYSTEM entity pointing at a local file without opening it', () => {
    // A FIFO blocks whoever opens it for reading until a writer comes: had the parser tried to
    // read it, this test would hang instead of failing fast.
    const fifo = join(dir, 'secret.fifo');
    execFileSync('mkfifo', [fifo]);
    const xml = `<?xml version="1.0"?><!DOCTYPE VOTABLE [<!ENTITY x SYSTEM "file://${fifo}">]><VOTABLE version="1.3">${TABLE}</VOTABLE>`;
    const e = failure(() => parseVOTableSync(xml));
    expect(e).toBeInstanceOf(SecurityError);
    expect(e.message).toContain('reference to external entity "&x;" refused (external entities are never fetched)');
    expect((e as SecurityError).where.offset).toBe(xml.indexOf('&x;'));
  });

  it('refuses a PUBLIC entity and an external entity in an attribute', () => {
    const pub = `<!DOCTYPE VOTABLE [<!ENTITY x PUBLIC "-//x//y" "http://127.0.0.1:${port}/e">]><VOTABLE version="1.3">${TABLE}</VOTABLE>`;
    expect(failure(() => parseVOTableSync(pub))).toBeInstanceOf(SecurityError);
    const attr = `<!DOCTYPE VOTABLE [<!ENTITY x SYSTEM "http://127.0.0.1:${port}/e">]><VOTABLE version="1.3" ID="&x;"/>`;
    expect(failure(() => parseVOTableSync(attr))).toBeInstanceOf(SecurityError);
    expect(requests).toBe(0);
  });

  it('refuses parameter entities, which could pull in an external DTD', () => {
    const pe = `<!DOCTYPE VOTABLE [<!ENTITY % ext SYSTEM "http://127.0.0.1:${port}/dtd"> %ext;]><VOTABLE version="1.3"/>`;
    const e = failure(() => parseVOTableSync(pe));
    expect(e).toBeInstanceOf(SecurityError);
    expect(requests).toBe(0);
  });

  it('ignores the external DTD subset of a DOCTYPE without fetching it', async () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE VOTABLE SYSTEM "http://127.0.0.1:${port}/VOTable.dtd">\n<VOTABLE version="1.1"><RESOURCE><TABLE><FIELD name="a" datatype="int"/><DATA><TABLEDATA><TR><TD>1</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`;
    expect(getFirstTable(await parseVOTable(xml)).columns[0].toArray()).toEqual([1]);
    expect(requests).toBe(0);
  });

  it('declares but never reads an unused external entity', () => {
    const xml = `<!DOCTYPE VOTABLE [<!ENTITY unused SYSTEM "file:///etc/shadow">]><VOTABLE version="1.3"/>`;
    expect(parseVOTableSync(xml).version).toBe('1.3');
  });
});

describe('entity expansion', () => {
  const laughs = (levels: number) => {
    let decls = '<!ENTITY x0 "lol">';
    for (let k = 1; k <= levels; k++) decls += `<!ENTITY x${k} "${`&x${k - 1};`.repeat(10)}">`;
    return `<?xml version="1.0"?><!DOCTYPE VOTABLE [${decls}<!ENTITY x "&x${levels};">]><VOTABLE version="1.3">${TABLE}</VOTABLE>`;
  };

  it('stops a billion laughs fast with SecurityError', async () => {
    const start = performance.now();
    const e = failure(() => parseVOTableSync(laughs(9)));
    expect(e).toBeInstanceOf(SecurityError);
    expect(e.message).toContain('more than 10000 entity expansions (raise maxEntityExpansions if the document is trusted)');
    expect(performance.now() - start).toBeLessThan(1000);
    // The same through the stream API, one byte at a time.
    const bytes = new TextEncoder().encode(laughs(9));
    const chunks = Array.from(bytes, (b) => new Uint8Array([b]));
    await expect(
      (async () => {
        for await (const _ of streamVOTable(chunks)) {
          /* drain */
        }
      })(),
    ).rejects.toBeInstanceOf(SecurityError);
  });

  it('expands nested internal entities within the budget, and honours a smaller budget', () => {
    const doc = parseVOTableSync(laughs(2));
    expect(getFirstTable(doc).columns[0].toArray()).toEqual(['lol'.repeat(100)]);
    // 1 + 1 + 10 + 100 expansions are needed.
    expect(failure(() => parseVOTableSync(laughs(2), { maxEntityExpansions: 100 }))).toBeInstanceOf(SecurityError);
    expect(getFirstTable(parseVOTableSync(laughs(2), { maxEntityExpansions: 112 })).rowCount).toBe(1);
  });

  it('bounds the expanded size even when few expansions make it large', () => {
    const big = 'a'.repeat(100_000);
    let decls = `<!ENTITY x0 "${big}">`;
    for (let k = 1; k <= 3; k++) decls += `<!ENTITY x${k} "${`&x${k - 1};`.repeat(10)}">`;
    const xml = `<!DOCTYPE VOTABLE [${decls}<!ENTITY x "&x3;">]><VOTABLE version="1.3">${TABLE}</VOTABLE>`;
    const e = failure(() => parseVOTableSync(xml));
    expect(e).toBeInstanceOf(SecurityError);
    expect(e.message).toContain('entity expansion exceeds 10000000 characters');
  });

  it('refuses an entity that refers to itself', () => {
    const xml = `<!DOCTYPE VOTABLE [<!ENTITY a "&b;"><!ENTITY b "&a;"><!ENTITY x "&a;">]><VOTABLE version="1.3">${TABLE}</VOTABLE>`;
    expect(failure(() => parseVOTableSync(xml))).toBeInstanceOf(SecurityError);
  });
});

describe('nesting', () => {
  it('refuses absurdly deep nesting fast instead of spending quadratic time on it', () => {
    const depth = 50_000;
    const xml = `<VOTABLE version="1.3">${'<x:a xmlns:x="urn:x">'.repeat(depth)}${'</x:a>'.repeat(depth)}</VOTABLE>`;
    const start = performance.now();
    const e = failure(() => parseVOTableSync(xml));
    expect(e).toBeInstanceOf(SecurityError);
    expect(e.message).toContain('elements nested deeper than 10000');
    expect(performance.now() - start).toBeLessThan(5000);
    const fine = `<VOTABLE version="1.3">${'<x:a xmlns:x="urn:x">'.repeat(500)}${'</x:a>'.repeat(500)}</VOTABLE>`;
    expect(parseVOTableSync(fine).version).toBe('1.3');
  });
});

describe('STREAM href policy (through parseVOTable)', () => {
  it('never fetches a remote href unless allowed', async () => {
    const xml = `<VOTABLE version="1.3"><RESOURCE><TABLE><FIELD name="a" datatype="int"/><DATA><BINARY><STREAM href="http://127.0.0.1:9/rows"/></BINARY></DATA></TABLE></RESOURCE></VOTABLE>`;
    await expect(parseVOTable(xml)).rejects.toThrow('pass allowRemote: true (parser option allowRemoteHref) to fetch it');
  });
});
