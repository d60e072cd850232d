// SkyIndex: one ArrayBuffer with a header, byte-identical whichever kernel builds it, rebuilt
// with from() after a transfer to another thread, and queried by cone.
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  bruteForceCrossmatch,
  crossmatch,
  getSkyMatchKernel,
  loadWasm,
  SKY_INDEX_HEADER_BYTES,
  SKY_INDEX_MAGIC,
  SkyIndex,
  SkyIndexError,
  skyMatchReference,
  WASM_VARIANTS,
} from '../src/index.js';
import { expectSame } from './match-assert.js';
import { awkwardCatalogues } from './sky-catalogues.js';

const KERNELS = [
  ...WASM_VARIANTS.map((variant) => ({ name: variant, kernel: getSkyMatchKernel(loadWasm({ variant })) })),
  { name: 'reference', kernel: skyMatchReference() },
];
const { a, b } = awkwardCatalogues(99, 3000);

describe('SkyIndex', () => {
  it('builds byte-identical buffers on every kernel', () => {
    const buffers = KERNELS.map(({ kernel }) => new Uint8Array(SkyIndex.build(b.ra, b.dec, { kernel }).buffer));
    for (const other of buffers.slice(1)) expect(Buffer.from(other).equals(Buffer.from(buffers[0]))).toBe(true);
  });

  it('writes the header: magic, version, node size, counts, block length', () => {
    const index = SkyIndex.build(b.ra, b.dec, { nodeSize: 10 });
    const view = new DataView(index.buffer);
    expect(view.getUint32(0, true)).toBe(SKY_INDEX_MAGIC);
    expect(new TextDecoder().decode(new Uint8Array(index.buffer, 0, 4))).toBe('VKSX');
    expect(view.getUint16(4, true)).toBe(2);
    expect(view.getUint16(6, true)).toBe(10);
    expect(view.getUint8(20)).toBe(index.level);
    expect(index.level).toBe(4); // 2999 finite rows, ≥ 10 / 8 rows per cell: 6·4^4 ≤ 2999 / 1.25 < 6·4^5
    expect(view.getUint32(8, true)).toBe(b.ra.length - 1); // the NaN row is left out
    expect(view.getUint32(12, true)).toBe(b.ra.length);
    expect(index.size).toBe(b.ra.length - 1);
    expect(index.rows).toBe(b.ra.length);
    expect(view.getUint32(16, true)).toBe(index.buffer.byteLength - SKY_INDEX_HEADER_BYTES);
    // every finite row once, in index order
    expect(Array.from(index.ids).sort((x, y) => x - y)).toEqual(Array.from({ length: b.ra.length - 1 }, (_, i) => i));
  });

  it('matches through a transferred index as through the catalogue', () => {
    const built = SkyIndex.build(b.ra, b.dec);
    const copy = built.buffer.slice(0);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(copy, [copy]);
    const buffer = receiveMessageOnPort(port2)!.message as ArrayBuffer;
    port1.close();
    port2.close();
    expect(copy.byteLength).toBe(0); // transferred, not copied
    const index = SkyIndex.from(buffer);
    for (const { kernel } of KERNELS) {
      const viaIndex = crossmatch(a, index, { radius: 30, find: 'all', kernel });
      expectSame(viaIndex, bruteForceCrossmatch(a, b, { radius: 30, find: 'all' }));
      expectSame(crossmatch(a, index, { radius: 30, find: 'best', kernel }), crossmatch(a, b, { radius: 30, find: 'best', kernel }));
    }
  });

  it('answers cone searches with ascending rows', () => {
    const index = SkyIndex.build(b.ra, b.dec);
    for (const { kernel } of KERNELS) {
      for (let i = 0; i < 40; i++) {
        const expected = bruteForceCrossmatch({ ra: [a.ra[i]], dec: [a.dec[i]] }, b, { radius: 40, find: 'all' }).bIndex;
        expect(index.within(a.ra[i], a.dec[i], 40, { kernel })).toEqual(expected);
      }
      const out = new Int32Array(2);
      const count = index.withinInto(123.405, -45.595, 100, out, { kernel }); // inside the dense cluster
      const all = index.within(123.405, -45.595, 100, { kernel });
      expect(count).toBe(all.length);
      expect(count).toBeGreaterThan(2);
      expect(Array.from(out)).toEqual(Array.from(all.subarray(0, 2)));
      expect(index.within(NaN, 0, 10, { kernel }).length).toBe(0);
    }
  });

  it('rejects buffers that are not an index and says which bytes are wrong', () => {
    const good = SkyIndex.build(b.ra, b.dec).buffer;
    expect(() => SkyIndex.from(new ArrayBuffer(8))).toThrow(/buffer of 8 bytes is shorter than the 32-byte header/);
    const badMagic = good.slice(0);
    new Uint8Array(badMagic)[0] = 0;
    expect(() => SkyIndex.from(badMagic)).toThrow(SkyIndexError);
    expect(() => SkyIndex.from(badMagic)).toThrow(/bytes 0–3: magic/);
    const badVersion = good.slice(0);
    new DataView(badVersion).setUint16(4, 9, true);
    expect(() => SkyIndex.from(badVersion)).toThrow(/bytes 4–5: version 9 is not supported/);
    expect(() => SkyIndex.from(good.slice(0, good.byteLength - 8))).toThrow(/bytes of index/);
    const badLevel = good.slice(0);
    new DataView(badLevel).setUint8(20, 15);
    expect(() => SkyIndex.from(badLevel)).toThrow(/byte 20: grid level 15 exceeds 14/);
    try {
      SkyIndex.from(badMagic);
    } catch (error) {
      expect((error as SkyIndexError).code).toBe('XMATCH_SKY_INDEX');
    }
  });
});
