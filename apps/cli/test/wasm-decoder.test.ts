// The reading commands decode BINARY/BINARY2 with @vokit/crossmatch-wasm's WebAssembly decoder
// and give exactly what the TypeScript decoder gives (VOKIT_BINARY_DECODER=typescript).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { wasmBinaryDecoderFactory } from '@vokit/crossmatch-wasm';
import { BINARY_DECODER_ENV, decoderOptions } from '../src/wasm-decoder.js';
import { assertBuilt, BIN, FIXTURES } from './run-vokit.js';

function vokit(args: string[], decoder: string): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, VOKIT_DEBUG: '', [BINARY_DECODER_ENV]: decoder },
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
