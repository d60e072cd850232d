// Streaming parsers are tested at every chunk boundary (STYLE.md §18): the whole input and the
// same input cut into two pieces at each byte — inside tags, attribute values, entities, CDATA,
// comments, multi-byte UTF-8, base64 quartets and BINARY2 null-flag bytes — and into many random
// pieces, must parse to identical documents, in whole-document and in streaming mode.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { streamVOTable, VOTableParser, type Column, type VOTableDocument } from '@vokit/votable';
import { columnsSnapshot, documentFingerprint, documentSnapshot, sameValue } from './support/snapshot.js';
import { SYNTHETIC } from './support/synthetic.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Parses `bytes` pushed as the given pieces. */
function parsePieces(bytes: Uint8Array, cuts: number[]): VOTableDocument {
  const parser = new VOTableParser();
  let at = 0;
  for (const cut of cuts) {
    parser.push(bytes.subarray(at, cut));
    at = cut;
  }
  parser.push(bytes.subarray(at));
  return parser.end();
}

/** A seeded PRNG (mulberry32), so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  name: string;
  bytes: Uint8Array;
}

const CASES: Case[] = [
  { name: 'synthetic (prefixed namespace, DOCTYPE entities, CDATA, comments, UTF-8)', bytes: new TextEncoder().encode(SYNTHETIC) },
  ...[
    'astropy/valid_votable.xml',
    'astropy/regression.bin.tabledata.truth.1.3.xml',
    'astropy/binary2_masked_strings.xml',
    'astropy/vizier_b2_votable.xml',
    'pyvo/dal/query/overflowstatus.xml',
  ].map((name) => ({ name, bytes: new Uint8Array(readFileSync(FIXTURES + name)) })),
];

describe('chunking', () => {
  it('compares documents exactly (the comparison itself can fail)', () => {
    const a = parsePieces(CASES[0].bytes, []);
    const b = parsePieces(CASES[0].bytes, []);
    expect(sameValue(a, b)).toBe(true);
    const t = b.resources[0].tables[0];
    (t.columns[1].values as Float64Array)[0] = -0;
    expect(sameValue(a, b)).toBe(false);
    b.resources[0].tables[0] = a.resources[0].tables[0];
    expect(sameValue(a, b)).toBe(true);
    b.resources[0].infos[0].value = 'NOT OK';
    expect(sameValue(a, b)).toBe(false);
  });

  for (const { name, bytes } of CASES) {
    it(`gives the same document for every 2-piece split: ${name}`, () => {
      const wholeDoc = parsePieces(bytes, []);
      for (let cut = 1; cut < bytes.length; cut++) {
        const split = parsePieces(bytes, [cut]);
        if (!sameValue(split, wholeDoc)) {
          // Only on failure: the full diff, naming the cut.
          expect({ cut, doc: documentSnapshot(split) }).toEqual({ cut, doc: documentSnapshot(wholeDoc) });
        }
      }
      expect(bytes.length).toBeGreaterThan(100);
      // Thousands of parses: allow for a loaded CI machine.
    }, 300_000);

    it(`gives the same document for random many-piece splits: ${name}`, () => {
      const whole = parsePieces(bytes, []);
      const random = prng(bytes.length);
      for (let trial = 0; trial < 100; trial++) {
        const n = 2 + Math.floor(random() * 40);
        const cuts = Array.from({ length: n }, () => 1 + Math.floor(random() * (bytes.length - 1))).sort((a, b) => a - b);
        expect(sameValue(parsePieces(bytes, cuts), whole), `cuts ${cuts.join(',')}`).toBe(true);
      }
      // One byte at a time.
      const ones = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
      expect(documentFingerprint(parsePieces(bytes, ones))).toBe(documentFingerprint(whole));
    });
  }

  it('streams the same rows in batches of 1 as in one piece, split byte by byte', async () => {
    for (const { name, bytes } of CASES) {
      const whole = parsePieces(bytes, []);
      const wholeTables = [...whole.resources.flatMap((r) => [r, ...r.resources])].flatMap((r) => r.tables);
      const chunks = Array.from(bytes, (b) => new Uint8Array([b]));
      const batches = new Map<unknown, Column[][]>();
      let end: VOTableDocument | null = null;
      for await (const ev of streamVOTable(chunks, { batchRows: 1 })) {
        if (ev.type === 'rows') {
          expect(ev.rowCount, name).toBe(1);
          const list = batches.get(ev.table) ?? [];
          expect(ev.rowOffset, name).toBe(list.length);
          list.push(ev.columns);
          batches.set(ev.table, list);
        } else if (ev.type === 'end') end = ev.document;
      }
      expect(end, name).not.toBeNull();
      const streamedTables = [...end!.resources.flatMap((r) => [r, ...r.resources])].flatMap((r) => r.tables);
      expect(streamedTables.length, name).toBe(wholeTables.length);
      streamedTables.forEach((t, i) => {
        expect(t.rowCount, name).toBe(wholeTables[i].rowCount);
        const rows = batches.get(t) ?? [];
        const cells = t.fields.map((_, c) => rows.flatMap((cols) => cols[c].toArray()));
        expect(JSON.stringify(columnsSnapshot([])), name).toBe('[]');
        expect(cells.map((col) => col.map(String)), name).toEqual(wholeTables[i].columns.map((col) => col.toArray().map(String)));
      });
    }
  });
});
