// The decoder's count-only mode (`countOnly`, what `vokit count` uses) against full decoding,
// the oracle: the same row counts and the same errors (class and message, row, field, offset)
// on every fixture rewritten as BINARY and BINARY2, on those streams broken at random (bytes
// changed, counts made negative, cut short), at every chunking, whole and streamed.
import { describe, expect, it } from 'vitest';
import {
  createBinaryDecoder,
  encodeBase64,
  parseVOTableSync,
  streamVOTable,
  type BinaryDecoderFactory,
  type BinaryStreamDecoder,
  type VOTableDocument,
} from '@vokit/votable';
import { field, RowWriter } from './support/binary-rows.js';
import { binaryDocuments } from './support/binary-documents.js';
import { Rng } from './support/fuzz-harness.js';

const countOnly: BinaryDecoderFactory = (options, host) => host.createBinaryDecoder({ ...options, countOnly: true });

type Outcome = { rows: number[] } | { error: string };

function errorOutcome(error: unknown): Outcome {
  const e = error as Error & { code?: string };
  return { error: `${e.name} ${e.code} ${e.message}` };
}

function tableRows(doc: VOTableDocument): number[] {
  const rows: number[] = [];
  const walk = (resources: VOTableDocument['resources']) => {
    for (const r of resources) {
      for (const t of r.tables) rows.push(t.rowCount ?? -1);
      walk(r.resources);
    }
  };
  walk(doc.resources);
  return rows;
}

function parsed(bytes: Uint8Array, counting: boolean): Outcome {
  try {
    return { rows: tableRows(parseVOTableSync(bytes, counting ? { binaryDecoderFactory: countOnly } : {})) };
  } catch (error) {
    return errorOutcome(error);
  }
}

async function streamed(bytes: Uint8Array, counting: boolean): Promise<Outcome> {
  const rows: number[] = [];
  try {
    const options = { batchRows: 7, ...(counting ? { binaryDecoderFactory: countOnly } : {}) };
    for await (const event of streamVOTable([bytes.subarray(0, bytes.length >> 1), bytes.subarray(bytes.length >> 1)], options)) {
      if (event.type === 'table') rows.push(0);
      else if (event.type === 'rows') {
        rows[rows.length - 1] += event.rowCount;
        // Count-only batches carry no columns; full ones one per FIELD.
        if (counting && event.table.data?.serialization.startsWith('BINARY')) expect(event.columns).toEqual([]);
      }
    }
    return { rows };
  } catch (error) {
    return errorOutcome(error);
  }
}

/** The document with the bytes of its inline STREAMs broken at random (seeded). */
function breakStreams(xml: Uint8Array, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const rand = () => rng.next();
  const text = Buffer.from(xml).toString('latin1');
  const broken = text.replace(/(<STREAM[^>]*>)([^<]*)(<\/STREAM>)/g, (_all, open: string, body: string, close: string) => {
    const bytes = new Uint8Array(Buffer.from(body, 'base64'));
    let out = bytes;
    const what = Math.floor(rand() * 4);
    if (bytes.length > 0 && what === 0) {
      out = bytes.subarray(0, Math.floor(rand() * bytes.length)); // cut short
    } else if (bytes.length > 4 && what === 1) {
      // A large or negative count, wherever it lands.
      const at = Math.floor(rand() * (bytes.length - 4));
      out[at] = rand() < 0.5 ? 0xff : 0x7f;
    } else if (bytes.length > 0) {
      for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) out[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
    }
    return open + encodeBase64(out) + close;
  });
  return new Uint8Array(Buffer.from(broken, 'latin1'));
}

describe('BINARY decoder, count-only mode', () => {
  const documents = binaryDocuments();

  it('counts every fixture rewritten as BINARY and BINARY2 as full decoding does, without columns', () => {
    expect(documents.length).toBeGreaterThan(20);
    let rows = 0;
    for (const [name, bytes] of documents) {
      const oracle = parsed(bytes, false);
      expect(parsed(bytes, true), name).toEqual(oracle);
      if ('rows' in oracle) rows += oracle.rows.reduce((a, b) => a + b, 0);
      const doc = parseVOTableSync(bytes, { binaryDecoderFactory: countOnly });
      for (const t of doc.resources.flatMap((r) => r.tables)) if (t.data?.serialization.startsWith('BINARY')) expect(t.columns).toEqual([]);
    }
    expect(rows).toBeGreaterThan(1000);
  });

  it('fails broken streams with the errors of full decoding', () => {
    const kinds = new Map<string, number>();
    let seed = 1;
    for (const [name, bytes] of documents) {
      for (let k = 0; k < 6; k++, seed++) {
        const broken = breakStreams(bytes, seed);
        const oracle = parsed(broken, false);
        expect(parsed(broken, true), `${name}, seed ${seed}`).toEqual(oracle);
        const kind = 'error' in oracle ? oracle.error.split(' ')[0] : 'rows';
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
    }
    // The breakage reaches every kind of outcome.
    expect(kinds.get('rows')).toBeGreaterThan(20);
    expect(kinds.get('TruncatedError')).toBeGreaterThan(20);
    expect(kinds.get('BinaryDecodeError')).toBeGreaterThan(5);
  });

  it('counts streamed batches as full decoding does, whole and broken', async () => {
    let seed = 1000;
    for (const [name, bytes] of documents.slice(0, 40)) {
      expect(await streamed(bytes, true), name).toEqual(await streamed(bytes, false));
      const broken = breakStreams(bytes, seed++);
      expect(await streamed(broken, true), `${name} broken`).toEqual(await streamed(broken, false));
    }
  });

  it('finds a bad boolean byte, skips a flagged one, and takes input cut anywhere', () => {
    const fields = [field('n', 'int', '*'), field('ok', 'boolean'), field('flags', 'boolean', '2*')];
    const w = new RowWriter();
    for (let r = 0; r < 20; r++) {
      w.u8(r === 7 ? 0x40 : 0); // row 7: "ok" flagged null
      w.i32(r % 3).i32(...Array.from({ length: r % 3 }, (_, k) => k));
      w.u8(r === 7 ? 0x58 : 0x54); // an "X" under the null flag
      w.i32(2).u8(r === 15 ? 0x21 : 0x3f, 0x46); // row 15: "!"
    }
    const bytes = w.bytes();
    const run = (make: () => BinaryStreamDecoder, cut: number): Outcome => {
      try {
        const d = make();
        d.pushBytes(bytes.subarray(0, cut));
        d.pushBytes(bytes.subarray(cut));
        d.end();
        const rows = d.pendingRows;
        const columns = d.takeColumns();
        return { rows: [rows, columns.length] };
      } catch (error) {
        return errorOutcome(error);
      }
    };
    const full = () => createBinaryDecoder({ fields, serialization: 'BINARY2' });
    const counting = () => createBinaryDecoder({ fields, serialization: 'BINARY2', countOnly: true });
    const oracle = run(full, 0);
    expect(oracle).toEqual({ error: 'BinaryDecodeError VOTABLE_BINARY votable row 15 field "flags": boolean byte 0x21 is none of T, F, t, f, 1, 0, ?, space, NUL' });
    for (let cut = 0; cut <= bytes.length; cut++) expect(run(counting, cut), `cut ${cut}`).toEqual(oracle);
    const valid = w.bytes().map((b) => (b === 0x21 ? 0x3f : b));
    const d = createBinaryDecoder({ fields, serialization: 'BINARY2', countOnly: true });
    d.pushBytes(valid);
    d.end();
    expect([d.pendingRows, d.rowCount, d.takeColumns(), d.pendingRows]).toEqual([20, 20, [], 0]);
  });
});
