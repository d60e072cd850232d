/**
 * Loading the WebAssembly core: variant choice, compilation, instantiation, and typed-array
 * views over its memory. Nothing runs at import time; the first {@link init} or
 * {@link initSync} decodes the embedded base64 and compiles (STYLE §4, §25).
 */
import { OptionsError, WasmLoadError, WasmTrapError } from './errors.js';
import { WASM_DEBUG, WASM_RELEASE, WASM_RELEASE_SIMD } from './generated/wasm-binaries.js';

/** The three builds of `asconfig.json`. */
export type WasmVariant = 'debug' | 'release' | 'release-simd';

/** Every variant, in the order tests run them. */
export const WASM_VARIANTS: readonly WasmVariant[] = ['debug', 'release', 'release-simd'];

/** Name of the environment variable that forces a variant (`debug`, `release`, `release-simd`). */
export const WASM_VARIANT_ENV = 'VOKIT_WASM_VARIANT';

/** Options of {@link init}, {@link initSync} and {@link loadWasm}. */
export interface InitOptions {
  /**
   * Which build to run. Default: the `VOKIT_WASM_VARIANT` environment variable when set, else
   * `release-simd` when the engine validates a SIMD module, else `release`.
   */
  variant?: WasmVariant;
  /**
   * A precompiled module (e.g. posted to a worker) to instantiate instead of the embedded
   * binary. Say which build it is with `variant`; default `release`.
   */
  module?: WebAssembly.Module;
}

/** The raw exports of assembly/index.ts (numbers and pointers only). */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  ang2pixBatch(order: number, nest: number, lonlat: number, a: number, b: number, out: number, n: number): void;
  loc2pixBatch(order: number, nest: number, z: number, phi: number, sth: number, out: number, n: number): void;
  vec2pixBatch(order: number, nest: number, x: number, y: number, z: number, out: number, n: number): void;
  pix2angBatch(order: number, nest: number, lonlat: number, pix: number, a: number, b: number, n: number): void;
  pix2vecBatch(order: number, nest: number, pix: number, x: number, y: number, z: number, n: number): void;
  nest2ringBatch(order: number, pix: number, out: number, n: number): void;
  ring2nestBatch(order: number, pix: number, out: number, n: number): void;
  neighboursBatch(order: number, nest: number, pix: number, out: number, n: number): void;
  boundaries(order: number, nest: number, pix: bigint, step: number, out: number): number;
  queryDiscNest(order: number, inclusive: number, fact: number, theta: number, phi: number, radius: number, out: number, cap: number): number;
  queryMultidiscNest(order: number, inclusive: number, fact: number, circles: number, count: number, work: number, out: number, cap: number): number;
  polygonCircles(vertices: number, nv: number, inclusive: number, circles: number): number;
  maxPixrad(order: number): number;
  pix2uniqBatch(order: number, pix: number, out: number, n: number): void;
  uniq2pixBatch(uniq: number, orders: number, pix: number, n: number): void;
  libmBatch(fn: number, x: number, y: number, out: number, n: number): void;
  ang2pixOne(order: number, nest: number, lonlat: number, a: number, b: number): bigint;
  vec2pixOne(order: number, nest: number, x: number, y: number, z: number): bigint;
  nest2ringOne(order: number, pix: bigint): bigint;
  ring2nestOne(order: number, pix: bigint): bigint;
  scalarOut(): number;
  pix2angOne(order: number, nest: number, lonlat: number, pix: bigint): void;
  pix2vecOne(order: number, nest: number, pix: bigint): void;
}

// A module whose only function returns a v128 constant: valid only where SIMD is supported.
// (magic, version, type ()->v128, one function, body `v128.const 0; end`)
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00,
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b,
]);

/** Whether this engine runs WebAssembly SIMD (checked by validating a tiny SIMD module). */
export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

function isVariant(value: unknown): value is WasmVariant {
  return value === 'debug' || value === 'release' || value === 'release-simd';
}

/** The variant {@link init} would load with these options (see {@link InitOptions.variant}). */
export function chooseVariant(options: InitOptions = {}): WasmVariant {
  const fromEnv = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[WASM_VARIANT_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isVariant(fromEnv)) {
      throw new OptionsError(`${WASM_VARIANT_ENV}="${fromEnv}" is not a variant; use debug, release or release-simd`);
    }
    return fromEnv;
  }
  if (options.variant !== undefined) {
    if (!isVariant(options.variant)) {
      throw new OptionsError(`variant "${String(options.variant)}" is not one of debug, release, release-simd`);
    }
    return options.variant;
  }
  if (options.module !== undefined) return 'release';
  return simdSupported() ? 'release-simd' : 'release';
}

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const nodeBuffer = (globalThis as { Buffer?: { from(s: string, e: string): Uint8Array } }).Buffer;
  if (nodeBuffer) {
    const b = nodeBuffer.from(base64, 'base64');
    return new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  }
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The embedded binary of a variant (a fresh copy). */
export function wasmBinary(variant: WasmVariant): Uint8Array<ArrayBuffer> {
  const base64 = variant === 'debug' ? WASM_DEBUG : variant === 'release' ? WASM_RELEASE : WASM_RELEASE_SIMD;
  return base64ToBytes(base64);
}

/**
 * One instantiated core with views over its memory. Batched calls copy their inputs to the
 * scratch area above `heapBase`, call, and copy results out; {@link WasmCore.reserve} grows the
 * memory, after which the views are rebuilt because growth detaches the old ArrayBuffer
 * (undici `client-h1.js` does the same).
 */
export class WasmCore {
  /** Which build this is. */
  readonly variant: WasmVariant;
  /** The compiled module, e.g. to post to a worker and pass as `init({ module })`. */
  readonly module: WebAssembly.Module;
  /** The raw exports (ABI of assembly/index.ts). */
  readonly exports: CoreExports;
  /** First byte of the scratch area. */
  readonly heapBase: number;
  #u8: Uint8Array;
  #f64: Float64Array;
  #i64: BigInt64Array;

  constructor(variant: WasmVariant, module: WebAssembly.Module, instance: WebAssembly.Instance) {
    this.variant = variant;
    this.module = module;
    this.exports = instance.exports as unknown as CoreExports;
    this.heapBase = this.exports.heapBase();
    const buffer = this.exports.memory.buffer;
    this.#u8 = new Uint8Array(buffer);
    this.#f64 = new Float64Array(buffer);
    this.#i64 = new BigInt64Array(buffer);
  }

  /** The memory as bytes (rebuilt after growth). */
  get u8(): Uint8Array {
    if (this.#u8.buffer !== this.exports.memory.buffer) this.#u8 = new Uint8Array(this.exports.memory.buffer);
    return this.#u8;
  }

  /** The memory as float64 (index = byte offset / 8). */
  get f64(): Float64Array {
    if (this.#f64.buffer !== this.exports.memory.buffer) this.#f64 = new Float64Array(this.exports.memory.buffer);
    return this.#f64;
  }

  /** The memory as int64 (index = byte offset / 8). */
  get i64(): BigInt64Array {
    if (this.#i64.buffer !== this.exports.memory.buffer) this.#i64 = new BigInt64Array(this.exports.memory.buffer);
    return this.#i64;
  }

  /** Makes sure `bytes` bytes of scratch exist above heapBase, growing the memory if needed. */
  reserve(bytes: number): void {
    const memory = this.exports.memory;
    const needed = this.heapBase + bytes;
    if (needed > memory.buffer.byteLength) {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
    }
  }
}

function abortHandler(core: () => WasmCore | undefined) {
  return (messagePtr: number, filePtr: number, line: number, column: number): never => {
    // AssemblyScript strings: UTF-16LE, byte length in the 4 bytes before the pointer.
    const read = (ptr: number): string => {
      const c = core();
      if (!c || ptr === 0) return '';
      const bytes = c.u8;
      const length = new DataView(bytes.buffer).getUint32(ptr - 4, true);
      return new TextDecoder('utf-16le').decode(bytes.subarray(ptr, ptr + length));
    };
    throw new WasmTrapError(`assertion failed: ${read(messagePtr) || 'abort'} at ${read(filePtr)}:${line}:${column}`);
  };
}

function instantiateSync(variant: WasmVariant, module: WebAssembly.Module): WasmCore {
  let core: WasmCore | undefined;
  const imports = { env: { abort: abortHandler(() => core) } };
  try {
    core = new WasmCore(variant, module, new WebAssembly.Instance(module, imports));
  } catch (error) {
    throw new WasmLoadError(`cannot instantiate the ${variant} module: ${(error as Error).message}`, { cause: error });
  }
  return core;
}

/**
 * Compiles and instantiates a new core, not memoised: use it to run several variants side by
 * side (tests, benchmarks). Applications call {@link init} instead.
 */
export function loadWasm(options: InitOptions = {}): WasmCore {
  const variant = chooseVariant(options);
  let module = options.module;
  if (module === undefined) {
    try {
      module = new WebAssembly.Module(wasmBinary(variant));
    } catch (error) {
      throw new WasmLoadError(`cannot compile the ${variant} module: ${(error as Error).message}`, { cause: error });
    }
  }
  return instantiateSync(variant, module);
}

let defaultCore: WasmCore | undefined;
let pending: Promise<WasmCore> | undefined;

function checkSame(core: WasmCore, options: InitOptions): WasmCore {
  if (options.variant !== undefined && options.variant !== core.variant && options.module === undefined) {
    throw new OptionsError(
      `init() already loaded the ${core.variant} variant; it cannot switch to ${options.variant} (use loadWasm({ variant }) for a second core)`,
    );
  }
  return core;
}

/**
 * Loads the WebAssembly core once (memoised; later calls return the same core). Compiles
 * asynchronously, so it suits browsers' main threads.
 */
export async function init(options: InitOptions = {}): Promise<WasmCore> {
  if (defaultCore) return checkSame(defaultCore, options);
  if (!pending) {
    const variant = chooseVariant(options);
    pending = (async () => {
      let module = options.module;
      if (module === undefined) {
        try {
          module = await WebAssembly.compile(wasmBinary(variant));
        } catch (error) {
          throw new WasmLoadError(`cannot compile the ${variant} module: ${(error as Error).message}`, { cause: error });
        }
      }
      defaultCore ??= instantiateSync(variant, module);
      return defaultCore;
    })();
    pending.catch(() => {
      pending = undefined; // a failed load may be retried
    });
  }
  return pending.then((core) => checkSame(core, options));
}

/**
 * Loads the WebAssembly core synchronously (Node, workers), memoised together with
 * {@link init}.
 */
export function initSync(options: InitOptions = {}): WasmCore {
  if (!defaultCore) defaultCore = loadWasm(options);
  return checkSame(defaultCore, options);
}

/** The core loaded by init()/initSync(), loading it synchronously on first use. */
export function defaultWasmCore(): WasmCore {
  return defaultCore ?? initSync();
}
