/**
 * Every error @vokit/crossmatch-wasm throws. Each has a stable string `code` and says what was
 * expected and what was given; `instanceof` works across two installed copies of the package
 * through a `Symbol.for` brand (the pattern of undici `lib/core/errors.js`).
 */

const BRAND = Symbol.for('vokit.crossmatch-wasm.error');

/** Base class of every @vokit/crossmatch-wasm error. */
export class CrossmatchWasmError extends Error {
  /** Stable machine-readable code, e.g. `XMATCH_OPTIONS`. */
  readonly code: string = 'XMATCH_ERROR';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`crossmatch-wasm: ${message}`, options);
  }

  get [BRAND](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === CrossmatchWasmError) {
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
    }
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** A caller passed arguments or options that cannot work; the message says what to use instead. */
export class OptionsError extends CrossmatchWasmError {
  override readonly code = 'XMATCH_OPTIONS';
}

/** A HEALPix input out of its domain: order, pixel index, colatitude, polygon shape. */
export class HealpixError extends CrossmatchWasmError {
  override readonly code = 'XMATCH_HEALPIX';
}

/** The WebAssembly module could not be compiled or instantiated, or was used before init(). */
export class WasmLoadError extends CrossmatchWasmError {
  override readonly code = 'XMATCH_WASM_LOAD';
}

/** The WebAssembly module trapped (an assertion of the debug build, or a bug). */
export class WasmTrapError extends CrossmatchWasmError {
  override readonly code = 'XMATCH_WASM_TRAP';
}

/** A buffer given to `SkyIndex.from` is not an index of this layout version; says which bytes are wrong. */
export class SkyIndexError extends CrossmatchWasmError {
  override readonly code = 'XMATCH_SKY_INDEX';
}
