// ParseOptions.binaryDecoderFactory: how another package (the WebAssembly decoder of
// @vokit/crossmatch-wasm) takes over BINARY/BINARY2 streams without votable depending on it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BINARY_DECODER_HOST,
  Column,
  createBinaryDecoder,
  parseVOTable,
  parseVOTableSync,
  streamVOTable,
  type BinaryDecoderFactory,
  type BinaryStreamOptions,
} from '@vokit/votable';

const FILE = new URL('./fixtures/astropy/vizier_b2_votable.xml', import.meta.url);

function recordingFactory(calls: Array<{ options: BinaryStreamOptions; host: unknown }>): BinaryDecoderFactory {
  return (options, host) => {
    calls.push({ options, host });
    return host.createBinaryDecoder(options);
  };
}

describe('binaryDecoderFactory', () => {
  it('makes the decoder of every BINARY stream, given the stream options and the host', () => {
    const calls: Array<{ options: BinaryStreamOptions; host: unknown }> = [];
    const bytes = readFileSync(FILE);
    const doc = parseVOTableSync(bytes, { binaryDecoderFactory: recordingFactory(calls) });
    expect(calls).toHaveLength(1);
    expect(calls[0].host).toBe(BINARY_DECODER_HOST);
    expect(calls[0].options.serialization).toBe('BINARY'); // vizier_b2 is BINARY, despite its name
    expect(calls[0].options.tableIndex).toBe(0);
    const table = doc.resources[0].tables[0];
    expect(calls[0].options.fields).toBe(table.fields);
    expect(table.rowCount).toBe(20);
    expect(table.columns.map((c) => c.toArray())).toEqual(parseVOTableSync(bytes).resources[0].tables[0].columns.map((c) => c.toArray()));
  });

  it('is used by parseVOTable and streamVOTable too', async () => {
    const calls: Array<{ options: BinaryStreamOptions; host: unknown }> = [];
    const bytes = readFileSync(FILE);
    await parseVOTable(bytes, { binaryDecoderFactory: recordingFactory(calls) });
    let rows = 0;
    for await (const event of streamVOTable([bytes], { binaryDecoderFactory: recordingFactory(calls), batchRows: 7 })) {
      if (event.type === 'rows') rows += event.rowCount;
    }
    expect(rows).toBe(20);
    expect(calls).toHaveLength(2);
    expect(calls[1].options.expectedRows).toBe(7);
  });

  it('hands over votable\'s own Column class, errors and TypeScript decoder', () => {
    expect(BINARY_DECODER_HOST.Column).toBe(Column);
    expect(BINARY_DECODER_HOST.createBinaryDecoder).toBe(createBinaryDecoder);
    expect(new BINARY_DECODER_HOST.TruncatedError('x').code).toBe('VOTABLE_TRUNCATED');
    expect(new BINARY_DECODER_HOST.BinaryDecodeError('x').code).toBe('VOTABLE_BINARY');
    expect(Object.isFrozen(BINARY_DECODER_HOST)).toBe(true);
  });
});
