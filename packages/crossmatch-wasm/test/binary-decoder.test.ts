// The WebAssembly BINARY/BINARY2 decoder against @vokit/votable's TypeScript decoder (the
// oracle, STYLE §17), for every build (STYLE §21): every BINARY/BINARY2 fixture of votable, the
// same fixtures rewritten as BINARY and BINARY2 by votable's writer, random tables of every
// datatype and arraysize (seeded), every chunking, and the same typed errors for broken input.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BINARY_DECODER_HOST,
  createBinaryDecoder,
  parseVOTable,
  parseVOTableSync,
  type BinaryStreamDecoder,
  type Column,
  type Field,
  type VOTableDocument,
} from '@vokit/votable';
import {
  createWasmBinaryDecoder,
  wasmBinaryDecoderFactory,
  WASM_VARIANTS,
  WasmLoadError,
  type WasmBinaryDecoderOptions,
  type WasmVariant,
} from '../src/index.js';
import { prng } from './backends.js';
import { binaryDocuments } from '../../votable/test/support/binary-documents.js';

const FIXTURES = fileURLToPath(new URL('../../votable/test/fixtures/', import.meta.url));

function xmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...xmlFiles(path));
    else if (name.endsWith('.xml')) out.push(path);
  }
  return out;
}

type Serialization = 'BINARY' | 'BINARY2';

/** What a decode produced: columns, or the error's class, code and message. */
type Outcome = { columns: Column[] } | { error: { name: string; code: unknown; message: string } };

function run(make: () => BinaryStreamDecoder, feed: (d: BinaryStreamDecoder) => Column[][]): Outcome {
  try {
    const d = make();
    // Batches stay apart: the columns of each takeColumns, one after the other.
    return { columns: feed(d).flat() };
  } catch (error) {
    const e = error as Error & { code?: unknown };
    return { error: { name: e.name, code: e.code, message: e.message } };
  }
}

/** Plain, exact snapshot of columns: typed arrays as arrays (NaN kept as the string 'NaN'). */
function snapshot(columns: Column[]): unknown[] {
  const plainArray = (a: ArrayLike<number | bigint> | null) =>
    a === null ? null : Array.from(a, (v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v));
  return columns.map((c) => ({
    name: c.name,
    length: c.length,
    type: c.values.constructor.name,
    values: plainArray(c.values),
    validity: plainArray(c.validity),
    offsets: plainArray(c.offsets),
    stringOffsets: plainArray(c.stringOffsets),
    cells: c.toArray().map((v) => (ArrayBuffer.isView(v) ? plainArray(v as ArrayLike<number>) : typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v)),
  }));
}

function outcomeSnapshot(o: Outcome): unknown {
  return 'error' in o ? o : snapshot(o.columns);
}

const textEncoder = new TextEncoder();

/** Base64 of `bytes` with line breaks every `line` characters (0: one line), as ASCII bytes. */
function base64Text(bytes: Uint8Array, line: number, pad = true): Uint8Array {
  let text = Buffer.from(bytes).toString('base64');
  if (!pad) text = text.replace(/=+$/, '');
  if (line > 0) text = text.replace(new RegExp(`(.{${line}})`, 'g'), '$1\n');
  return textEncoder.encode(`\n${text}\n   `);
}

/** Feeds base64 text in chunks cut at `cuts`, taking columns after chunk `takeAfter`. */
function feedBase64(text: Uint8Array, cuts: number[], takeAfter = -1) {
  return (d: BinaryStreamDecoder): Column[][] => {
    const batches: Column[][] = [];
    let at = 0;
    const ends = [...cuts, text.length];
    ends.forEach((cut, k) => {
      d.pushBase64(text, at, cut, 1000 + at);
      at = cut;
      if (k === takeAfter) batches.push(d.takeColumns());
    });
    d.end();
    batches.push(d.takeColumns());
    return batches;
  };
}

function feedBytes(bytes: Uint8Array, cuts: number[]) {
  return (d: BinaryStreamDecoder): Column[][] => {
    let at = 0;
    for (const cut of [...cuts, bytes.length]) {
      d.pushBytes(bytes.slice(at, cut));
      at = cut;
    }
    d.end();
    return [d.takeColumns()];
  };
}

function tsDecoder(fields: Field[], serialization: Serialization) {
  return () => createBinaryDecoder({ fields, serialization, tableIndex: 0 });
}

function wasmDecoder(variant: WasmVariant, fields: Field[], serialization: Serialization, extra: Partial<WasmBinaryDecoderOptions> = {}) {
  return () => createWasmBinaryDecoder({ fields, serialization, tableIndex: 0, variant, ...extra }, BINARY_DECODER_HOST);
}

/** Rows counted (pendingRows before each takeColumns, which must give no columns) or the error. */
function countRun(make: () => BinaryStreamDecoder, text: Uint8Array, cuts: number[]): { rows: number } | Outcome {
  try {
    const d = make();
    let at = 0;
    let rows = 0;
    for (const cut of [...cuts, text.length]) {
      d.pushBase64(text, at, cut, 1000 + at);
      at = cut;
      rows += d.pendingRows;
      expect(d.takeColumns()).toEqual([]);
    }
    d.end();
    rows += d.pendingRows;
    expect(d.rowCount).toBe(rows);
    return { rows };
  } catch (error) {
    const e = error as Error & { code?: unknown };
    return { error: { name: e.name, code: e.code, message: e.message } };
  }
}

/** What the oracle's full decoding gives, in countRun's terms. */
function countOf(o: Outcome): unknown {
  return 'error' in o ? o : { rows: o.columns.length > 0 ? o.columns[0].length : 0 };
}

function documentSnapshot(doc: VOTableDocument): unknown[] {
  const out: unknown[] = [];
  const walk = (resources: VOTableDocument['resources']) => {
    for (const r of resources) {
      for (const t of r.tables) out.push({ rows: t.rowCount, columns: snapshot(t.columns) });
      walk(r.resources);
    }
  };
  walk(doc.resources);
  return out;
}

// ---------------------------------------------------------------------------------------------
// random tables

const DATATYPES: Field['datatype'][] = [
  'boolean',
  'bit',
  'unsignedByte',
  'short',
  'int',
  'long',
  'char',
  'unicodeChar',
  'float',
  'double',
  'floatComplex',
  'doubleComplex',
];
const ELEMENT_BYTES: Record<string, number> = {
  boolean: 1,
  unsignedByte: 1,
  short: 2,
  int: 4,
  long: 8,
  char: 1,
  unicodeChar: 2,
  float: 4,
  double: 8,
  floatComplex: 8,
  doubleComplex: 16,
};
const ARRAYSIZES = [undefined, undefined, '1', '3', '2x2', '*', '4*', '2x*', '3x2*'];
const BOOLEAN_BYTES = [...'TtFf10? \0'].map((c) => c.charCodeAt(0));
const NULLS: Record<string, string[]> = {
  unsignedByte: ['255', '0'],
  short: ['-1', '0x7FFF'],
  int: ['-2147483648', '0'],
  long: ['-9223372036854775808', '0'],
  float: ['NaN', '0'],
  double: ['nan', '0'],
  floatComplex: ['NaN'],
  doubleComplex: ['0'],
};

interface RandomTable {
  fields: Field[];
  serialization: Serialization;
  bytes: Uint8Array;
  rows: number;
}

/** A seeded random table: every datatype and arraysize shape, nulls, NaNs, NULs, surrogates. */
function randomTable(seed: number, rows: number): RandomTable {
  const rand = prng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const nf = 1 + int(12);
  const fields: Field[] = [];
  for (let i = 0; i < nf; i++) {
    const datatype = DATATYPES[int(DATATYPES.length)];
    const arraysize = ARRAYSIZES[int(ARRAYSIZES.length)];
    const f: Field = { name: `f${i}_${datatype}`, datatype, arraysize, attributes: {}, links: [] };
    const nulls = NULLS[datatype];
    if (nulls && arraysize === undefined && rand() < 0.6) f.values = { null: nulls[int(nulls.length)], attributes: {}, options: [] };
    fields.push(f);
  }
  const serialization: Serialization = rand() < 0.7 ? 'BINARY2' : 'BINARY';
  const out: number[] = [];
  const be = new DataView(new ArrayBuffer(8));
  const push32 = (v: number) => {
    be.setInt32(0, v);
    for (let k = 0; k < 4; k++) out.push(be.getUint8(k));
  };
  // Small values often, so VALUES sentinels such as 0 or -1 get hit.
  const numberBytes = (n: number, datatype: string) => {
    if (rand() < 0.3) {
      const small = int(3) - 1;
      be.setBigInt64(0, BigInt(small));
      if (datatype === 'float' || datatype === 'floatComplex') be.setFloat32(4, small);
      if (datatype === 'double' || datatype === 'doubleComplex') be.setFloat64(0, small);
      const tail = datatype === 'float' || datatype === 'floatComplex' ? 4 : 8 - n;
      for (let k = 0; k < n; k++) out.push(be.getUint8((tail + k) & 7));
      return;
    }
    for (let k = 0; k < n; k++) out.push(int(256));
  };
  for (let r = 0; r < rows; r++) {
    if (serialization === 'BINARY2') for (let b = 0; b < (nf + 7) >> 3; b++) out.push(rand() < 0.3 ? int(256) : 0);
    for (const f of fields) {
      const size = f.arraysize;
      const dims = size === undefined ? [] : size.split('x').map((d) => (d === '*' ? -1 : parseInt(d, 10)));
      const variable = size !== undefined && size.endsWith('*');
      const fixed = dims.filter((_, k) => !(variable && k === dims.length - 1)).reduce((a, b) => a * b, 1);
      const isString = f.datatype === 'char' || f.datatype === 'unicodeChar';
      let items = fixed; // elements (strings: characters) in the cell
      if (variable) {
        const count = int(4);
        push32(count);
        items = count * fixed;
        if (isString && dims.length === 1) {
          // `*` or `N*`: the count is characters
          items = count;
        }
      }
      if (f.datatype === 'bit') {
        const bits = variable ? items : fixed;
        const n = Math.max(variable ? 0 : 1, (bits + 7) >> 3);
        for (let k = 0; k < n; k++) out.push(int(256));
      } else if (f.datatype === 'boolean') {
        for (let k = 0; k < items; k++) out.push(BOOLEAN_BYTES[int(BOOLEAN_BYTES.length)]);
      } else if (f.datatype === 'char') {
        for (let k = 0; k < items; k++) out.push(rand() < 0.1 ? 0 : rand() < 0.1 ? 128 + int(128) : 32 + int(95));
      } else if (f.datatype === 'unicodeChar') {
        for (let k = 0; k < items; k++) {
          const u = rand() < 0.1 ? 0 : rand() < 0.15 ? 0xd800 + int(0x800) : rand() < 0.2 ? 0x80 + int(0xff00) : 32 + int(95);
          out.push(u >> 8, u & 255);
        }
      } else {
        const n = ELEMENT_BYTES[f.datatype];
        const perNumber = f.datatype === 'floatComplex' ? 4 : f.datatype === 'doubleComplex' ? 8 : n;
        for (let k = 0; k < (items * n) / perNumber; k++) numberBytes(perNumber, f.datatype);
      }
    }
  }
  return { fields, serialization, bytes: Uint8Array.from(out), rows };
}

function randomCuts(rand: () => number, length: number, pieces: number): number[] {
  const cuts = new Set<number>();
  for (let k = 0; k < pieces; k++) cuts.add(Math.floor(rand() * (length + 1)));
  return [...cuts].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------

const fixtureFiles = xmlFiles(FIXTURES);
const binaryFixtures = fixtureFiles.filter((f) => /<BINARY2?>/.test(readFileSync(f, 'latin1')));

describe('createWasmBinaryDecoder', () => {
  const fields: Field[] = [{ name: 'x', datatype: 'int', attributes: {}, links: [] }];

  it('refuses a module without the decoder, with a WasmLoadError saying so', () => {
    const empty = new WebAssembly.Module(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
    expect(() => createWasmBinaryDecoder({ fields, serialization: 'BINARY', module: empty }, BINARY_DECODER_HOST)).toThrow(WasmLoadError);
  });

  it('checks options as votable does', () => {
    expect(() => createWasmBinaryDecoder({ fields, serialization: 'FITS' as 'BINARY' }, BINARY_DECODER_HOST)).toThrow(
      'createBinaryDecoder: serialization must be "BINARY" or "BINARY2", got FITS',
    );
    const bad: Field[] = [{ name: 'y', datatype: 'int', arraysize: '3x', attributes: {}, links: [] }];
    expect(() => createWasmBinaryDecoder({ fields: bad, serialization: 'BINARY' }, BINARY_DECODER_HOST)).toThrow(BINARY_DECODER_HOST.ArraySizeError);
    expect(() => createWasmBinaryDecoder({ fields, serialization: 'BINARY', spillBytes: -1 }, BINARY_DECODER_HOST)).toThrow(
      'spillBytes must be a number of bytes ≥ 0 (default 2^30), got -1',
    );
    const unknown: Field[] = [{ name: 'z', datatype: 'quaternion' as 'int', attributes: {}, links: [] }];
    expect(() => createWasmBinaryDecoder({ fields: unknown, serialization: 'BINARY' }, BINARY_DECODER_HOST)).toThrow(BINARY_DECODER_HOST.UnknownDatatypeError);
  });

  it('is what wasmBinaryDecoderFactory makes, and refuses input after end()', () => {
    const d = wasmBinaryDecoderFactory({ fields, serialization: 'BINARY' }, BINARY_DECODER_HOST);
    expect(d.constructor.name).toBe('WasmBinaryDecoder');
    d.pushBytes(Uint8Array.of(0, 0, 0, 5, 0xff, 0xff, 0xff, 0xfe));
    d.end();
    expect(d.takeColumns()[0].toArray()).toEqual([5, -2]);
    expect(() => d.pushBytes(Uint8Array.of(1))).toThrow('input already ended');
  });
});

describe.each(WASM_VARIANTS.map((variant) => ({ variant })))('WebAssembly BINARY decoder ($variant)', ({ variant }) => {
  const factory = (options: Parameters<typeof createBinaryDecoder>[0], host: typeof BINARY_DECODER_HOST) =>
    createWasmBinaryDecoder({ ...options, variant }, host);

  it('finds BINARY and BINARY2 fixtures to compare', () => {
    expect(binaryFixtures.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of binaryFixtures) {
    it(`decodes ${file.slice(FIXTURES.length)} as the TypeScript decoder does`, () => {
      const bytes = readFileSync(file);
      const oracle = documentSnapshot(parseVOTableSync(bytes));
      expect(documentSnapshot(parseVOTableSync(bytes, { binaryDecoderFactory: factory }))).toEqual(oracle);
    });
  }

  it('decodes every fixture rewritten as BINARY and BINARY2 as the TypeScript decoder does', () => {
    let tables = 0;
    for (const [name, written] of binaryDocuments()) {
      const oracle = documentSnapshot(parseVOTableSync(written));
      expect(documentSnapshot(parseVOTableSync(written, { binaryDecoderFactory: factory })), name).toEqual(oracle);
      tables += oracle.length;
    }
    expect(tables).toBeGreaterThan(20);
  });

  it('gives the same columns whatever the inputBytes hint of a document read in chunks', async () => {
    // A size hint sizes the columns once; a wrong one (far too small or too large) only costs a
    // regrowth or a copy, never different values.
    const documents = binaryDocuments().filter(([name]) => name.endsWith('as BINARY2')).slice(0, 12);
    expect(documents.length).toBe(12);
    for (const [name, written] of documents) {
      const oracle = documentSnapshot(parseVOTableSync(written));
      for (const hint of [undefined, written.length, 1, 16, written.length * 50]) {
        const chunks = async function* () {
          for (let at = 0; at < written.length; at += 97) yield written.subarray(at, at + 97);
        };
        const doc = await parseVOTable(chunks(), { binaryDecoderFactory: factory, inputBytes: hint });
        expect(documentSnapshot(doc), `${name}, inputBytes ${hint}`).toEqual(oracle);
      }
    }
  });

  it('decodes random tables of every datatype and arraysize as the TypeScript decoder does', () => {
    const rand = prng(0x5eed + variant.length);
    for (let seed = 1; seed <= 150; seed++) {
      const table = randomTable(seed * 7919, 1 + Math.floor(rand() * 60));
      const text = base64Text(table.bytes, [0, 64, 76, 7][seed & 3], seed % 5 !== 0);
      const cuts = randomCuts(rand, text.length, seed % 4 === 0 ? 0 : 1 + Math.floor(rand() * 8));
      const takeAfter = seed % 3 === 0 ? 0 : -1;
      const oracle = run(tsDecoder(table.fields, table.serialization), feedBase64(text, cuts, takeAfter));
      const wasm = run(wasmDecoder(variant, table.fields, table.serialization), feedBase64(text, cuts, takeAfter));
      expect('columns' in oracle, `seed ${seed}: oracle decodes`).toBe(true);
      expect(outcomeSnapshot(wasm), `seed ${seed}`).toEqual(outcomeSnapshot(oracle));
      // The raw-bytes path (STREAM href) as well.
      const byteCuts = randomCuts(rand, table.bytes.length, 3);
      expect(outcomeSnapshot(run(wasmDecoder(variant, table.fields, table.serialization), feedBytes(table.bytes, byteCuts)))).toEqual(
        outcomeSnapshot(run(tsDecoder(table.fields, table.serialization), feedBytes(table.bytes, byteCuts))),
      );
    }
  });

  it('gives the same columns for the input cut at every byte', () => {
    const table = randomTable(424242, 5);
    const text = base64Text(table.bytes, 16);
    const oracle = outcomeSnapshot(run(tsDecoder(table.fields, table.serialization), feedBase64(text, [])));
    for (let cut = 0; cut <= text.length; cut++) {
      expect(outcomeSnapshot(run(wasmDecoder(variant, table.fields, table.serialization), feedBase64(text, [cut]))), `cut ${cut}`).toEqual(oracle);
    }
    for (let cut = 0; cut <= table.bytes.length; cut++) {
      expect(outcomeSnapshot(run(wasmDecoder(variant, table.fields, table.serialization), feedBytes(table.bytes, [cut])))).toEqual(oracle);
    }
  });

  it('throws the same TruncatedError as the TypeScript decoder for a stream cut anywhere', () => {
    const rand = prng(99);
    let truncated = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const table = randomTable(seed * 104729, 4);
      const end = Math.floor(rand() * table.bytes.length);
      const bytes = table.bytes.subarray(0, end);
      const oracle = run(tsDecoder(table.fields, table.serialization), feedBytes(bytes, []));
      expect(run(wasmDecoder(variant, table.fields, table.serialization), feedBytes(bytes, [end >> 1])), `seed ${seed}`).toEqual(
        run(tsDecoder(table.fields, table.serialization), feedBytes(bytes, [end >> 1])),
      );
      if ('error' in oracle && oracle.error.name === 'TruncatedError') truncated++;
    }
    expect(truncated).toBeGreaterThan(20);
  });

  it('throws the same BinaryDecodeError for bad base64, negative counts and bad booleans', () => {
    const fields: Field[] = [
      { name: 'flag', datatype: 'boolean', attributes: {}, links: [] },
      { name: 'list', datatype: 'int', arraysize: '*', attributes: {}, links: [] },
    ];
    const good = Uint8Array.of(0, 0x54, 0, 0, 0, 1, 0, 0, 0, 7);
    const cases: Array<[string, Uint8Array]> = [
      ['invalid character', textEncoder.encode('AAB!UAAAAB')],
      ['character after padding', textEncoder.encode('AA==AAAA')],
      ['padding at a group start', textEncoder.encode('AAAA=AAA')],
      ['lone padding', textEncoder.encode('AAAAA=')],
      ['one character left', base64Text(good, 0, false).subarray(0, 6)],
      ['bad boolean byte', base64Text(Uint8Array.of(0, 0x58, 0, 0, 0, 0), 0)],
      ['flagged bad boolean', base64Text(Uint8Array.of(0x80, 0x58, 0, 0, 0, 0), 0)],
      ['negative count', base64Text(Uint8Array.of(...good, 0, 0x46, 0xff, 0xff, 0xff, 0xfe), 0)],
      ['truncated', base64Text(good.subarray(0, 7), 0)],
      ['markup', textEncoder.encode('AAB<')],
    ];
    for (const [what, text] of cases) {
      const oracle = run(tsDecoder(fields, 'BINARY2'), feedBase64(text, [3]));
      expect(run(wasmDecoder(variant, fields, 'BINARY2'), feedBase64(text, [3])), what).toEqual(oracle);
    }
    const errors = cases.map(([, text]) => run(wasmDecoder(variant, fields, 'BINARY2'), feedBase64(text, [])));
    expect(errors.map((e) => ('error' in e ? e.error.code : 'ok'))).toEqual([
      'VOTABLE_BINARY',
      'VOTABLE_BINARY',
      'VOTABLE_BINARY',
      'VOTABLE_BINARY',
      'VOTABLE_BINARY',
      'VOTABLE_BINARY',
      'ok',
      'VOTABLE_BINARY',
      'VOTABLE_TRUNCATED',
      'VOTABLE_BINARY',
    ]);
  });

  it('stops at markup in pushBase64Text like the TypeScript decoder', () => {
    const table = randomTable(77, 10);
    const body = base64Text(table.bytes, 64);
    const text = new Uint8Array(body.length + 9);
    text.set(body);
    text.set(textEncoder.encode('</STREAM>'), body.length);
    for (const make of [tsDecoder(table.fields, table.serialization), wasmDecoder(variant, table.fields, table.serialization)]) {
      const d = make();
      expect(d.pushBase64Text(text, 0, text.length, 0)).toBe(body.length);
      expect(d.newlines).toBe(body.filter((b) => b === 0x0a).length);
      d.end();
      expect(d.rowCount).toBe(10);
    }
  });

  it('decodes rows larger than its buffers, fed in small pieces (the memory grows)', () => {
    const fields: Field[] = [
      { name: 'big', datatype: 'int', arraysize: '*', attributes: {}, links: [] },
      { name: 'text', datatype: 'char', arraysize: '*', attributes: {}, links: [] },
    ];
    const rand = prng(5);
    const rows: number[] = [];
    const out: number[] = [];
    for (const n of [3, 1_500_000, 0, 700_000]) {
      out.push(0, ...[24, 16, 8, 0].map((s) => (n >>> s) & 255));
      for (let k = 0; k < n; k++) out.push(k & 255, (k >> 8) & 255, 7, Math.floor(rand() * 256));
      const t = 1 + Math.floor(rand() * 5000);
      out.push(...[24, 16, 8, 0].map((s) => (t >>> s) & 255));
      for (let k = 0; k < t; k++) out.push(65 + (k % 26));
      rows.push(n);
    }
    const bytes = Uint8Array.from(out);
    const text = base64Text(bytes, 76);
    const cuts = [100, 5000, 1 << 21, 5 << 20, 9 << 20].filter((c) => c < text.length);
    const oracle = outcomeSnapshot(run(tsDecoder(fields, 'BINARY2'), feedBase64(text, cuts)));
    const wasm = run(wasmDecoder(variant, fields, 'BINARY2'), feedBase64(text, cuts));
    expect('columns' in wasm && wasm.columns[0].offsets).toEqual(Int32Array.from([0, 3, 1_500_003, 1_500_003, 2_200_003]));
    expect(outcomeSnapshot(wasm)).toEqual(oracle);
  });

  it('decodes two streams side by side (each decoder has its own memory)', () => {
    const a = randomTable(11, 300);
    const b = randomTable(12, 300);
    const ta = base64Text(a.bytes, 64);
    const tb = base64Text(b.bytes, 0);
    const da = wasmDecoder(variant, a.fields, a.serialization)();
    const db = wasmDecoder(variant, b.fields, b.serialization)();
    for (let k = 0; k < 10; k++) {
      const [sa, ea] = [Math.floor((k * ta.length) / 10), Math.floor(((k + 1) * ta.length) / 10)];
      const [sb, eb] = [Math.floor((k * tb.length) / 10), Math.floor(((k + 1) * tb.length) / 10)];
      da.pushBase64(ta, sa, ea, sa);
      db.pushBase64(tb, sb, eb, sb);
    }
    da.end();
    db.end();
    expect(snapshot(da.takeColumns())).toEqual(outcomeSnapshot(run(tsDecoder(a.fields, a.serialization), feedBase64(ta, []))));
    expect(snapshot(db.takeColumns())).toEqual(outcomeSnapshot(run(tsDecoder(b.fields, b.serialization), feedBase64(tb, []))));
  });

  it('keeps decoding a table much larger than its arena, taking columns midway', () => {
    const table = randomTable(31337, 20000);
    const text = base64Text(table.bytes, 0);
    const cuts = [1 << 16, 1 << 20, 3 << 20].filter((c) => c < text.length);
    expect(table.bytes.length).toBeGreaterThan(1 << 20);
    const oracle = outcomeSnapshot(run(tsDecoder(table.fields, table.serialization), feedBase64(text, cuts, 1)));
    expect(outcomeSnapshot(run(wasmDecoder(variant, table.fields, table.serialization), feedBase64(text, cuts, 1)))).toEqual(oracle);
  });
  it('counts rows in count-only mode as full decoding does, with the same errors', () => {
    const rand = prng(0xc0047 + variant.length);
    let errors = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const table = randomTable(seed * 6007, 1 + Math.floor(rand() * 60));
      let bytes = table.bytes;
      // Every third table broken: cut short, or a byte changed (counts, flags, booleans).
      if (seed % 3 === 1) bytes = bytes.subarray(0, Math.floor(rand() * bytes.length));
      else if (seed % 3 === 2 && bytes.length > 0) (bytes = bytes.slice())[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      const text = base64Text(bytes, [0, 64, 76][seed % 3]);
      const cuts = randomCuts(rand, text.length, seed % 4);
      const oracle = countOf(run(tsDecoder(table.fields, table.serialization), feedBase64(text, [])));
      if ('error' in (oracle as object)) errors++;
      const counted = countRun(wasmDecoder(variant, table.fields, table.serialization, { countOnly: true }), text, cuts);
      expect(counted, `seed ${seed}`).toEqual(oracle);
    }
    expect(errors).toBeGreaterThan(30);
  });

  it('checks boolean bytes in count-only mode (a bad one fails, a flagged one does not)', () => {
    const fields: Field[] = [
      { name: 'flag', datatype: 'boolean', attributes: {}, links: [] },
      { name: 'list', datatype: 'boolean', arraysize: '*', attributes: {}, links: [] },
    ];
    const rows = (flags: number, a: number, b: number) => [flags, a, 0, 0, 0, 2, 0x54, b];
    const good = base64Text(Uint8Array.from([...rows(0, 0x54, 0x46), ...rows(0x80, 0x58, 0x3f)]), 0);
    const bad = base64Text(Uint8Array.from([...rows(0, 0x54, 0x46), ...rows(0x80, 0x58, 0x21)]), 0);
    const counting = wasmDecoder(variant, fields, 'BINARY2', { countOnly: true });
    expect(countRun(counting, good, [5])).toEqual({ rows: 2 });
    expect(countRun(counting, bad, [5])).toEqual({
      error: {
        name: 'BinaryDecodeError',
        code: 'VOTABLE_BINARY',
        message: 'votable table 0 row 1 field "list": boolean byte 0x21 is none of T, F, t, f, 1, 0, ?, space, NUL'.replace('table 0 ', ''),
      },
    });
    expect(countRun(counting, bad, [5])).toEqual(countOf(run(tsDecoder(fields, 'BINARY2'), feedBase64(bad, [5]))));
  });

  it('hands a large batch over as views of linear memory, which later decoding leaves alone', () => {
    const fields: Field[] = [
      { name: 'ra', datatype: 'double', attributes: {}, links: [] },
      { name: 'id', datatype: 'long', attributes: {}, links: [] },
      { name: 'vec', datatype: 'float', arraysize: '3', attributes: {}, links: [] },
      { name: 'name', datatype: 'char', arraysize: '*', attributes: {}, links: [] },
    ];
    const rand = prng(77);
    const out: number[] = [];
    for (let r = 0; r < 150_000; r++) {
      out.push(rand() < 0.1 ? 0x40 : 0); // "id" null now and then
      for (let k = 0; k < 8 + 8 + 12; k++) out.push(Math.floor(rand() * 256));
      const name = `star ${r}`;
      out.push(0, 0, 0, name.length, ...Array.from(name, (c) => c.charCodeAt(0)));
    }
    const text = base64Text(Uint8Array.from(out), 0);
    const half = Math.floor(text.length / 2);
    const bytesOf = (columns: Column[]) =>
      Buffer.concat(columns.flatMap((c) => [c.values, c.validity, c.offsets, c.stringOffsets].map((a) => (a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : Buffer.alloc(0)))));
    const d = wasmDecoder(variant, fields, 'BINARY2')();
    d.pushBase64(text, 0, half, 0);
    const first = d.takeColumns();
    const firstBytes = Buffer.from(bytesOf(first));
    // Views: the arrays' buffer is the whole (larger) linear memory, not an exact copy.
    expect(first.every((c) => c.values.buffer.byteLength > c.values.byteLength)).toBe(true);
    d.pushBase64(text, half, text.length, half);
    d.end();
    const second = d.takeColumns();
    expect(bytesOf(first).equals(firstBytes)).toBe(true);
    const oracle = run(tsDecoder(fields, 'BINARY2'), feedBase64(text, [half], 0));
    expect('columns' in oracle && bytesOf(oracle.columns).equals(bytesOf([...first, ...second]))).toBe(true);
    expect(first[0].length + second[0].length).toBe(150_000);
  });

  it('moves rows out of linear memory past spillBytes and still gives the same columns', () => {
    const table = randomTable(31338, 20000);
    const text = base64Text(table.bytes, 76);
    const cuts = [1 << 15, 1 << 19, 3 << 19].filter((c) => c < text.length);
    const oracle = outcomeSnapshot(run(tsDecoder(table.fields, table.serialization), feedBase64(text, cuts, 1)));
    for (const spillBytes of [1 << 12, 1 << 16]) {
      expect(outcomeSnapshot(run(wasmDecoder(variant, table.fields, table.serialization, { spillBytes }), feedBase64(text, cuts, 1)))).toEqual(oracle);
    }
  });
});
