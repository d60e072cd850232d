// The reading commands decode BINARY/BINARY2 with @vokit/crossmatch-wasm's WebAssembly decoder
// and give exactly what the TypeScript decoder gives (VOKIT_BINARY_DECODER=typescript).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmBinaryDecoderFactory } from '@vokit/crossmatch-wasm';
import { BINARY_DECODER_HOST, documentFromTables, encodeBase64, tableFromArrays, writeVOTableBytes, type BinaryStreamOptions } from '@vokit/votable';
import { BINARY_DECODER_ENV, decoderOptions } from '../src/wasm-decoder.js';
import { assertBuilt, BIN, FIXTURES } from './run-vokit.js';

function vokit(args: string[], decoder: string): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, VOKIT_DEBUG: '', [BINARY_DECODER_ENV]: decoder },
    maxBuffer: 1 << 28,
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('decoderOptions', () => {
  it('selects the WebAssembly decoder unless VOKIT_BINARY_DECODER says typescript', () => {
    expect(decoderOptions({})).toEqual({ binaryDecoderFactory: wasmBinaryDecoderFactory });
    expect(decoderOptions({ [BINARY_DECODER_ENV]: 'wasm' })).toEqual({ binaryDecoderFactory: wasmBinaryDecoderFactory });
    expect(decoderOptions({ [BINARY_DECODER_ENV]: 'typescript' })).toEqual({});
    expect(decoderOptions({ [BINARY_DECODER_ENV]: 'ts' })).toEqual({});
  });

  it('makes count-only decoders of either kind when asked', () => {
    const options: BinaryStreamOptions = { fields: [{ name: 'x', datatype: 'short', attributes: {}, links: [] }], serialization: 'BINARY' };
    for (const env of [{}, { [BINARY_DECODER_ENV]: 'typescript' }]) {
      const factory = decoderOptions(env, { countOnly: true }).binaryDecoderFactory!;
      const d = factory(options, BINARY_DECODER_HOST);
      expect(d.constructor.name).toBe(BINARY_DECODER_ENV in env ? 'BinaryDecoder' : 'WasmBinaryDecoder');
      d.pushBytes(Uint8Array.of(0, 1, 0, 2, 0));
      expect(d.pendingRows).toBe(2);
      expect(d.takeColumns()).toEqual([]);
      expect(() => d.end()).toThrow('BINARY stream ends inside the row: need 2 bytes, have 1');
    }
  });
});

describe('vokit with the WebAssembly BINARY decoder', () => {
  beforeAll(() => assertBuilt());

  const files = [
    ['pyvo/dal/scs/result.xml', '1273'], // BINARY
    ['astropy/binary2_masked_strings.xml', '3'],
    ['astropy/vizier_b2_votable.xml', '20'],
  ];
  it.each(files)('counts and converts %s as the TypeScript decoder does', (name, rows) => {
    const file = join(FIXTURES, name);
    const count = vokit(['count', file], 'wasm');
    expect(count).toEqual({ code: 0, stdout: `${rows}\n`, stderr: '' });
    expect(vokit(['count', file], 'typescript')).toEqual(count);
    for (const format of ['jsonl', 'votable']) {
      const converted = vokit(['convert', file, '-', '--format', format], 'wasm');
      expect(converted.code).toBe(0);
      expect(converted.stdout.length).toBeGreaterThan(100);
      expect(vokit(['convert', file, '-', '--format', format], 'typescript')).toEqual(converted);
    }
  });
});

describe('vokit count without columns (count-only decoding)', () => {
  const work = mkdtempSync(join(tmpdir(), 'vokit-count-'));
  beforeAll(() => assertBuilt());
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A BINARY2 document of `rows` rows: a boolean, names of varied length, an int array. */
  function document(rows: number): string {
    const table = tableFromArrays({
      columns: {
        flag: Array.from({ length: rows }, (_, i) => i % 3 === 0),
        name: Array.from({ length: rows }, (_, i) => `source ${i}`.repeat(1 + (i % 4))),
        list: { values: Array.from({ length: rows }, (_, i) => Int32Array.from({ length: i % 5 }, (_, k) => k * i)), arraysize: '*' },
      },
    });
    return new TextDecoder('latin1').decode(writeVOTableBytes(documentFromTables([table]), { serialization: 'BINARY2' }));
  }

  /** `xml` with the decoded bytes of its STREAM changed by `change`. */
  function broken(xml: string, change: (bytes: Uint8Array) => Uint8Array): string {
    return xml.replace(/(<STREAM[^>]*>)([^<]*)(<\/STREAM>)/, (_all, open: string, body: string, close: string) => {
      return open + encodeBase64(change(new Uint8Array(Buffer.from(body, 'base64')))) + close;
    });
  }

  it('counts a table of several megabytes (read in reused buffers) as the full decoders do', () => {
    const path = join(work, 'large.vot');
    writeFileSync(path, document(150_000), 'latin1');
    for (const decoder of ['wasm', 'typescript']) expect(vokit(['count', path], decoder)).toEqual({ code: 0, stdout: '150000\n', stderr: '' });
    const lines = vokit(['convert', path, '-', '--format', 'jsonl'], 'wasm');
    expect(lines.stdout.split('\n').filter((l) => l.startsWith('{')).length).toBe(150_000);
  });

  const cases: Array<[string, (b: Uint8Array) => Uint8Array, string]> = [
    ['a truncated last row', (b) => b.subarray(0, b.length - 3), 'BINARY2 stream ends inside the row'],
    ['a bad boolean byte', (b) => ((b[1] = 0x21), b), 'boolean byte 0x21 is none of'],
    ['a negative array count', (b) => (b.set([0xff, 0xff, 0xff, 0xf0], b.length - 4 * 4 - 4), b), 'array count -16 is negative'],
  ];
  it.each(cases)('fails on %s as `vokit convert` does, with either decoder', (what, change, message) => {
    const path = join(work, `${what.replace(/ /g, '-')}.vot`);
    writeFileSync(path, broken(document(100), change), 'latin1');
    const count = vokit(['count', path], 'wasm');
    expect(count.code).toBe(1);
    expect(count.stderr).toContain(message);
    expect(vokit(['count', path], 'typescript')).toEqual(count);
    const convert = vokit(['convert', path, '-', '--format', 'csv'], 'wasm');
    expect(convert.code).toBe(1);
    expect(convert.stderr.split('\n').filter(Boolean).pop()).toBe(count.stderr.split('\n').filter(Boolean).pop());
  });
});

