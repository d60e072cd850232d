// Loading the WebAssembly core: memoised init/initSync, variant choice (SIMD probe, option,
// environment override), precompiled modules, memory growth, and the error classes.
import { afterEach, describe, expect, it } from 'vitest';
import {
  chooseVariant,
  CrossmatchWasmError,
  getHealpix,
  HealpixError,
  init,
  initSync,
  loadWasm,
  OptionsError,
  SkyIndexError,
  simdSupported,
  wasmBinary,
  WASM_VARIANT_ENV,
  WasmLoadError,
  WasmTrapError,
} from '../src/index.js';

const savedEnv = process.env[WASM_VARIANT_ENV];
afterEach(() => {
  if (savedEnv === undefined) delete process.env[WASM_VARIANT_ENV];
  else process.env[WASM_VARIANT_ENV] = savedEnv;
});

describe('variant choice', () => {
  it('prefers release-simd where SIMD validates, as in Node 20', () => {
    delete process.env[WASM_VARIANT_ENV];
    expect(simdSupported()).toBe(true);
    expect(chooseVariant()).toBe('release-simd');
    expect(chooseVariant({ variant: 'debug' })).toBe('debug');
  });

  it('lets the environment variable override the option', () => {
    process.env[WASM_VARIANT_ENV] = 'release';
    expect(chooseVariant({ variant: 'debug' })).toBe('release');
    process.env[WASM_VARIANT_ENV] = 'fast';
    expect(() => chooseVariant()).toThrow(/VOKIT_WASM_VARIANT="fast" is not a variant/);
  });

  it('rejects unknown variants in options', () => {
    delete process.env[WASM_VARIANT_ENV];
    expect(() => loadWasm({ variant: 'O9' as never })).toThrow(OptionsError);
  });

  it('embeds three valid, different binaries', () => {
    const binaries = (['debug', 'release', 'release-simd'] as const).map((v) => wasmBinary(v));
    for (const b of binaries) expect(WebAssembly.validate(b)).toBe(true);
    expect(binaries[0].length).toBeGreaterThan(binaries[1].length); // debug keeps names and asserts
  });
});

describe('init', () => {
  it('memoises one core for init() and initSync()', async () => {
    delete process.env[WASM_VARIANT_ENV];
    const [a, b] = await Promise.all([init(), init()]);
    expect(a).toBe(b);
    expect(initSync()).toBe(a);
    expect(a.variant).toBe('release-simd');
    expect(getHealpix()).toBe(getHealpix(a));
    await expect(init({ variant: 'debug' })).rejects.toThrow(/already loaded the release-simd variant/);
  });

  it('instantiates a precompiled module, as a worker would receive it', () => {
    const module = new WebAssembly.Module(wasmBinary('release'));
    const core = loadWasm({ module, variant: 'release' });
    expect(core.module).toBe(module);
    expect(getHealpix(core).ang2pix(29, 10.68, 41.27, { nest: true, lonlat: true })).toBe(190633879269976798n);
  });

  it('reports a module that does not instantiate', () => {
    const empty = new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    expect(() => getHealpix(loadWasm({ module: empty }))).toThrow();
  });
});

describe('memory', () => {
  it('rebuilds its views after the memory grows', () => {
    const core = loadWasm({ variant: 'release' });
    const before = core.f64;
    const bytes = core.exports.memory.buffer.byteLength;
    core.reserve(bytes + (8 << 20));
    expect(core.exports.memory.buffer.byteLength).toBeGreaterThan(bytes);
    expect(before.buffer).not.toBe(core.exports.memory.buffer);
    expect(core.f64.buffer).toBe(core.exports.memory.buffer);
    expect(core.i64.buffer).toBe(core.exports.memory.buffer);
    expect(core.u8.buffer).toBe(core.exports.memory.buffer);
    // still computes correctly on the grown memory
    const healpix = getHealpix(core);
    expect(healpix.ang2pix(29, 10.68, 41.27, { nest: true, lonlat: true })).toBe(190633879269976798n);
    // a query whose result needs more scratch than reserved grows the memory again
    const ranges = healpix.queryDisc(20, [0, 0, 1], 0.005, { nest: true });
    expect(ranges.length).toBeGreaterThan(2 * 4096);
    expect(ranges).toEqual(getHealpix(loadWasm({ variant: 'debug' })).queryDisc(20, [0, 0, 1], 0.005, { nest: true }));
  });
});

describe('traps', () => {
  it('turns a failed assertion of the debug build into WasmTrapError with its message', () => {
    const core = loadWasm({ variant: 'debug' });
    const x = core.exports;
    expect(() => x.ang2pixBatch(31, 1, 1, core.heapBase, core.heapBase, core.heapBase, 1)).toThrow(WasmTrapError);
    expect(() => x.ang2pixBatch(31, 1, 1, core.heapBase, core.heapBase, core.heapBase, 1)).toThrow(/assertion failed: order out of range at assembly\/index.ts:\d+:\d+/);
    // the release build carries no assertions (noAssert): the ABI trusts its caller
    const release = loadWasm({ variant: 'release' });
    expect(() => release.exports.ang2pixBatch(29, 1, 1, release.heapBase, release.heapBase, release.heapBase, 0)).not.toThrow();
  });
});

describe('errors', () => {
  it.each([
    [OptionsError, 'XMATCH_OPTIONS'],
    [HealpixError, 'XMATCH_HEALPIX'],
    [WasmLoadError, 'XMATCH_WASM_LOAD'],
    [WasmTrapError, 'XMATCH_WASM_TRAP'],
    [SkyIndexError, 'XMATCH_SKY_INDEX'],
  ] as const)('%o has code %s, a prefix, a cause and a cross-copy brand', (Class, code) => {
    const cause = new Error('inner');
    const error = new Class('what went wrong', { cause });
    expect(error.code).toBe(code);
    expect(error.message).toBe('crossmatch-wasm: what went wrong');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe(Class.name);
    expect(error).toBeInstanceOf(CrossmatchWasmError);
    // an error from another installed copy carries the same Symbol.for brand
    const foreign = { [Symbol.for('vokit.crossmatch-wasm.error')]: true };
    expect(foreign instanceof CrossmatchWasmError).toBe(true);
    expect(foreign instanceof Class).toBe(false);
  });
});
