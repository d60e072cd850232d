/**
 * The WebAssembly BINARY / BINARY2 decoder (assembly/binary2.ts) behind @vokit/votable's
 * `BinaryStreamDecoder` interface, with the same Column objects out and the same errors.
 *
 * @vokit/votable stays a leaf and this package keeps zero runtime dependencies: votable hands
 * its row layout planner, `Column` class and error classes in a `BinaryDecoderHost` (the
 * `binaryDecoderFactory` parse option), and this file imports only votable's types.
 *
 * Each decoder runs its own instance of the compiled module, so its linear memory is its own
 * (two tables, or two documents, can decode side by side). In that memory: a fixed area (state,
 * one descriptor per FIELD, segment starts, base64 input), then a bump arena holding the decoded
 * bytes (a partial row waits at their front) and every column's buffers, sized from the input
 * still ahead. A pass measures rows (b2Measure, b2Sums), grows the column buffers it needs, and
 * decodes (b2Extract). `takeColumns` hands the columns over as views of the memory when they fill
 * most of it (then decoding goes on in a fresh instance, since growth would detach the views),
 * else as exact copies. Typed-array views over the memory are rebuilt after growth.
 */
import type {
  BinaryCellPlan,
  BinaryDecoderHost,
  BinaryRowPlan,
  BinaryStreamDecoder,
  BinaryStreamOptions,
  Column,
  ColumnParts,
  Field,
  RowShortfall,
} from '@vokit/votable';
import {
  COL_BYTES,
  C_KIND,
  C_VARIABLE,
  C_ITEM_ELEMENTS,
  C_BIT_ITEMS,
  C_WIDTH,
  C_FIXED_ELEMENTS,
  C_SEGMENT,
  C_OFFSET,
  C_STRING_LENGTH,
  C_INDEX,
  C_NULL_MODE,
  C_NULL_HI,
  C_NULL_LO,
  C_SCALAR,
  C_NULL_F64,
  C_VALUES,
  C_VALUES_USED,
  C_VALIDITY,
  C_OFFSETS,
  C_STRING_OFFSETS,
  C_ELEMENTS,
  C_NULL_COUNT,
  S_NFIELDS,
  S_FLAG_BYTES,
  S_NVAR,
  S_TAIL_BYTES,
  S_STAGED_ROWS,
  S_ERR_ROW,
  S_ERR_FIELD,
  S_ERR_VALUE,
  S_MEASURED_END,
  S_NEG_CELL,
  S_NEG_POS,
  S_COLS,
  S_VAR_OFFSET,
  S_VAR_ITEM,
  S_STARTS,
  S_FLAG_UNION,
  S_B64_BITS,
  S_B64_COUNT,
  S_B64_STOP,
  S_B64_NEWLINES,
  S_B64_GROUP,
  K_LONG,
  K_CHAR,
  K_UNICODE,
  N_INT,
  N_FLOAT,
  N_NAN,
  N_LONG,
  STATE_BYTES,
  ERR_BAD_BOOLEAN,
} from './binary2-layout.js';
import { OptionsError, WasmLoadError, WasmTrapError } from './errors.js';
import { chooseVariant, wasmBinary, type WasmVariant } from './wasm.js';

/** Options of {@link createWasmBinaryDecoder}: votable's stream options plus which build to run. */
export interface WasmBinaryDecoderOptions extends BinaryStreamOptions {
  /**
   * Which build to run. Default: as `init()` chooses (the `VOKIT_WASM_VARIANT` environment
   * variable, else release-simd where SIMD validates, else release).
   */
  variant?: WasmVariant;
  /** A precompiled module of this package (e.g. from a worker's `init({ module })`). */
  module?: WebAssembly.Module;
  /**
   * Bytes of decoded columns kept in linear memory before they are moved out into JavaScript
   * arrays (default 1 GiB), so that a table larger than WebAssembly's 4 GiB still decodes.
   */
  spillBytes?: number;
}

/** The decoder ABI of assembly/binary2.ts (numbers and pointers only). */
interface DecoderExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  b64Decode(state: number, src: number, n: number, dst: number): number;
  b2Measure(state: number, p: number, end: number, capacity: number): number;
  b2Sums(state: number, rows: number, out: number): void;
  b2Extract(state: number, rows: number): number;
  b2Check(state: number, rows: number): number;
}



const KINDS: Record<string, number> = {
  boolean: 0,
  bit: 1,
  unsignedByte: 2,
  short: 3,
  int: 4,
  long: 5,
  char: 6,
  unicodeChar: 7,
  float: 8,
  double: 9,
  floatComplex: 10,
  doubleComplex: 11,
};
const NUMBER_BYTES = [1, 1, 1, 2, 4, 8, 1, 1, 4, 8, 4, 8];



/** Most rows per pass (segment starts take 4 bytes × rows × (counted cells + 1)). */
const MAX_ROWS_PER_PASS = 8192;
/** Base64 text copied into linear memory per call. */
const INPUT_BYTES = 1 << 19;
/** Bytes kept readable and writable past every buffer: the SIMD kernels move 16 at a time. */
const SLACK = 64;
const WASM_PAGE = 65536;
/** Default `spillBytes`: staged column bytes after which rows move to JavaScript (see `spill`). */
const SPILL_BYTES = 1 << 30;
/** Columns are handed over as views of linear memory from this size on (see `takeColumns`). */
const VIEW_MIN_BYTES = 1 << 18;
/** Most bytes a column buffer is sized for ahead on the `expectedRows` hint alone. */
const HINT_BYTES = 1 << 25;

/** Upper bound of the bytes `n` base64 characters decode to, counting up to 3 carried over. */
function maxDecodedLength(n: number): number {
  return Math.floor((n + 3) / 4) * 3 + 3;
}

function align16(n: number): number {
  // (arithmetic, not `& ~15`: addresses pass 2^31)
  return Math.ceil(n / 16) * 16;
}

const modules = new Map<WasmVariant, WebAssembly.Module>();

/** The compiled module of a variant, compiled once per process. */
function moduleFor(variant: WasmVariant): WebAssembly.Module {
  let module = modules.get(variant);
  if (!module) {
    try {
      module = new WebAssembly.Module(wasmBinary(variant));
    } catch (error) {
      throw new WasmLoadError(`cannot compile the ${variant} module: ${(error as Error).message}`, { cause: error });
    }
    modules.set(variant, module);
  }
  return module;
}

/** A cell's place in the row (votable's plan) with its WebAssembly descriptor values and buffers. */
interface FieldPlan extends BinaryCellPlan {
  kind: number;
  hasOffsets: boolean;
  scalar: boolean;
  nullMode: number;
  nullF64: number;
  /** Arena buffers (addresses) and capacities: values bytes, validity rows, offsets, strings. */
  values: number;
  valuesCapacity: number;
  validity: number;
  validityRows: number;
  offsets: number;
  offsetsRows: number;
  stringOffsets: number;
  stringCapacity: number;
}

/**
 * Creates a WebAssembly decoder for one TABLE's BINARY or BINARY2 stream. Same contract, same
 * columns and same errors as votable's `createBinaryDecoder`; `host` is votable's
 * `BINARY_DECODER_HOST`.
 *
 * @throws WasmLoadError when the module cannot be compiled or instantiated.
 */
export function createWasmBinaryDecoder(options: WasmBinaryDecoderOptions, host: BinaryDecoderHost): BinaryStreamDecoder {
  return new WasmBinaryDecoder(options, host);
}

/**
 * A `ParseOptions.binaryDecoderFactory` for @vokit/votable: the WebAssembly decoder, or
 * votable's TypeScript decoder when WebAssembly cannot be loaded here.
 *
 * @example
 * parseVOTable(bytes, { binaryDecoderFactory: wasmBinaryDecoderFactory });
 */
export function wasmBinaryDecoderFactory(options: BinaryStreamOptions, host: BinaryDecoderHost): BinaryStreamDecoder {
  // (A host of an older votable, without the row planner, gets its own decoder.)
  if (wasmUnavailable || typeof host.planBinaryRow !== 'function') return host.createBinaryDecoder(options);
  try {
    return new WasmBinaryDecoder(options, host);
  } catch (error) {
    if (!(error instanceof WasmLoadError)) throw error;
    wasmUnavailable = true;
    return host.createBinaryDecoder(options);
  }
}

let wasmUnavailable = false;

class WasmBinaryDecoder implements BinaryStreamDecoder {
  private readonly host: BinaryDecoderHost;
  private readonly module: WebAssembly.Module;
  private readonly variant: WasmVariant;
  private exports!: DecoderExports;
  private memory!: WebAssembly.Memory;
  private readonly row: BinaryRowPlan;
  private readonly plans: FieldPlan[];
  private readonly serialization: 'BINARY' | 'BINARY2';
  private readonly tableIndex: number | undefined;
  private readonly countOnly: boolean;
  /** Rows expected per batch (the `expectedRows` hint), to size column buffers at first. */
  private readonly expectedRows: number;
  /** The `expectedBytes` hint: decoded bytes of the whole stream, 0 when unknown. */
  private readonly expectedDecoded: number;
  private readonly spillBytes: number;
  private state = 0;
  private sums = 0;
  private input = 0;
  /** Where the arena starts; `top` is its first free byte. */
  private arenaBase = 0;
  private top = 0;
  /** Decoded bytes: `[decoded, decoded + decodedLength)`, a partial row at the front. */
  private decoded = 0;
  private decodedCapacity = 0;
  private decodedLength = 0;
  private stagedRows = 0;
  /** Rows copied out of linear memory by `spill` and not yet taken, as ColumnParts per column. */
  private sinks: ColumnSink[] | null = null;
  private flushedRows = 0;
  /** Input bytes (base64 text or raw) consumed so far, and expected in all as far as known. */
  private consumed = 0;
  private expectedInput = 0;
  /** Decoded bytes of the rows measured so far (to estimate the rows still to come). */
  private rowBytes = 0;
  private decodedRows = 0;
  private ended = false;
  private usedBase64 = false;
  // Base64 state kept on this side (bits, count and newlines live in the state block).
  private pads = 0;
  private finished = false;
  private groupOffset = 0;
  /** Set by `retire`: what a fresh instance must start from. */
  private retired: { pending: Uint8Array; carried: Int32Array } | null = null;
  #u8!: Uint8Array;
  #i32!: Int32Array;
  #f64!: Float64Array;

  constructor(options: WasmBinaryDecoderOptions, host: BinaryDecoderHost) {
    const { fields, serialization } = options;
    if (serialization !== 'BINARY' && serialization !== 'BINARY2') {
      throw new TypeError(`createBinaryDecoder: serialization must be "BINARY" or "BINARY2", got ${String(serialization)}`);
    }
    this.host = host;
    this.serialization = serialization;
    this.tableIndex = options.tableIndex;
    this.row = host.planBinaryRow(fields, serialization, options.tableIndex);
    this.plans = this.row.cells.map(planField);
    this.countOnly = options.countOnly === true;
    this.expectedRows = Math.max(16, Math.min(options.expectedRows ?? 1024, 1 << 20));
    this.expectedDecoded = options.expectedBytes !== undefined && Number.isFinite(options.expectedBytes) && options.expectedBytes > 0 ? options.expectedBytes : 0;
    if (options.spillBytes !== undefined && !(options.spillBytes >= 0)) {
      throw new OptionsError(`spillBytes must be a number of bytes ≥ 0 (default 2^30), got ${String(options.spillBytes)}`);
    }
    this.spillBytes = options.spillBytes ?? SPILL_BYTES;
    this.variant = options.module ? (options.variant ?? 'release') : chooseVariant({ variant: options.variant });
    this.module = options.module ?? moduleFor(this.variant);
    this.instantiate();
  }

  /**
   * A fresh instance (its own memory) with the row plan written above heapBase: at construction,
   * and after `takeColumns` handed out views of the previous memory, which must then never grow
   * (growth would detach those views).
   */
  private instantiate(): void {
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(this.module, { env: { abort: abortHandler } });
    } catch (error) {
      throw new WasmLoadError(`cannot instantiate the ${this.variant} module: ${(error as Error).message}`, { cause: error });
    }
    const exports = instance.exports as unknown as DecoderExports;
    if (typeof exports.b2Extract !== 'function' || (this.countOnly && typeof exports.b2Check !== 'function')) {
      throw new WasmLoadError('the module given has no BINARY decoder (b2Extract, b2Check); pass a module of this package version');
    }
    this.exports = exports;
    this.memory = exports.memory;
    this.refreshViews();

    const { countedOffset, countedItemBytes, tailBytes, flagBytes } = this.row;
    const nvar = countedOffset.length;
    const nf = this.plans.length;
    this.state = align16(exports.heapBase());
    const cols = align16(this.state + STATE_BYTES);
    const varOffsetAt = align16(cols + nf * COL_BYTES);
    const varItemAt = align16(varOffsetAt + 4 * nvar);
    const union = align16(varItemAt + 4 * nvar);
    this.sums = align16(union + flagBytes);
    const starts = align16(this.sums + 8 * nvar);
    this.input = align16(starts + 4 * MAX_ROWS_PER_PASS * (nvar + 1));
    this.arenaBase = align16(this.input + INPUT_BYTES + SLACK);
    this.top = this.arenaBase;
    this.ensureMemory(this.arenaBase);

    const i32 = this.i32;
    const s = this.state >> 2;
    i32.fill(0, s, s + STATE_BYTES / 4);
    i32[s + S_NFIELDS / 4] = nf;
    i32[s + S_FLAG_BYTES / 4] = flagBytes;
    i32[s + S_NVAR / 4] = nvar;
    i32[s + S_TAIL_BYTES / 4] = tailBytes;
    i32[s + S_COLS / 4] = cols;
    i32[s + S_VAR_OFFSET / 4] = varOffsetAt;
    i32[s + S_VAR_ITEM / 4] = varItemAt;
    i32[s + S_STARTS / 4] = starts;
    i32[s + S_FLAG_UNION / 4] = union;
    i32.set(countedOffset, varOffsetAt >> 2);
    i32.set(countedItemBytes, varItemAt >> 2);
    this.plans.forEach((plan, f) => {
      const c = (cols + f * COL_BYTES) >> 2;
      i32.fill(0, c, c + COL_BYTES / 4);
      i32[c + C_KIND / 4] = plan.kind;
      i32[c + C_VARIABLE / 4] = plan.fixedBytes < 0 ? 1 : 0;
      i32[c + C_ITEM_ELEMENTS / 4] = plan.itemElements;
      i32[c + C_BIT_ITEMS / 4] = plan.bitItems ? 1 : 0;
      i32[c + C_WIDTH / 4] = plan.width;
      i32[c + C_FIXED_ELEMENTS / 4] = plan.fixedElements;
      i32[c + C_SEGMENT / 4] = plan.segment;
      i32[c + C_OFFSET / 4] = plan.offset;
      i32[c + C_STRING_LENGTH / 4] = plan.stringLength;
      i32[c + C_INDEX / 4] = plan.index;
      i32[c + C_NULL_MODE / 4] = plan.nullMode;
      i32[c + C_NULL_HI / 4] = plan.nullHi;
      i32[c + C_NULL_LO / 4] = plan.nullLo;
      i32[c + C_SCALAR / 4] = plan.scalar ? 1 : 0;
      this.f64[(cols + f * COL_BYTES + C_NULL_F64) >> 3] = plan.nullF64;
      forgetBuffers(plan);
    });
    this.stagedRows = 0;
    this.decodedLength = 0;
    this.allocateDecoded(maxDecodedLength(INPUT_BYTES));
  }

  /**
   * After views of this memory were handed out: the partial row and the base64 bits wait in
   * `retired` until more input or `end` needs a fresh instance (a whole table taken at its end
   * never needs one).
   */
  private retire(): void {
    const s = this.state >> 2;
    this.retired = {
      pending: this.u8.slice(this.decoded, this.decoded + this.decodedLength),
      carried: this.i32.slice(s + S_B64_BITS / 4, s + S_B64_GROUP / 4 + 1),
    };
  }

  /** The decoder state on a fresh instance, after `retire`. */
  private revive(): void {
    const retired = this.retired;
    if (!retired) return;
    this.retired = null;
    this.instantiate();
    this.i32.set(retired.carried, (this.state >> 2) + S_B64_BITS / 4);
    this.reserveDecoded(retired.pending.length);
    this.u8.set(retired.pending, this.decoded);
    this.decodedLength = retired.pending.length;
  }

  // ---- memory ----

  private get u8(): Uint8Array {
    if (this.#u8.buffer !== this.memory.buffer) this.refreshViews();
    return this.#u8;
  }

  private get i32(): Int32Array {
    if (this.#i32.buffer !== this.memory.buffer) this.refreshViews();
    return this.#i32;
  }

  private get f64(): Float64Array {
    if (this.#f64.buffer !== this.memory.buffer) this.refreshViews();
    return this.#f64;
  }

  /** Growth detaches the old ArrayBuffer: views are rebuilt on next use (undici client-h1.js). */
  private refreshViews(): void {
    const buffer = this.memory.buffer;
    this.#u8 = new Uint8Array(buffer);
    this.#i32 = new Int32Array(buffer);
    this.#f64 = new Float64Array(buffer);
  }

  private ensureMemory(end: number): void {
    const size = this.memory.buffer.byteLength;
    if (end <= size) return;
    // Grow by at least an eighth, so that a growing table costs few grow calls.
    const pages = Math.max(Math.ceil((end - size) / WASM_PAGE), Math.ceil(size / 8 / WASM_PAGE));
    try {
      this.memory.grow(pages);
    } catch (error) {
      throw new RangeError(
        `BINARY decoder: WebAssembly memory cannot grow to ${end} bytes (${(error as Error).message}); take columns more often (streamVOTable) for tables this large`,
      );
    }
  }

  /** Bump allocation in the arena; `takeColumns` frees everything at once. */
  private allocate(bytes: number): number {
    const at = align16(this.top);
    const end = at + bytes + SLACK;
    if (end > 0xffff0000) throw new RangeError(`BINARY decoder: ${end} bytes exceed the 4 GiB of WebAssembly memory; use streamVOTable for tables this large`);
    this.ensureMemory(end);
    this.top = end;
    return at;
  }

  /** Moves the decoded bytes to a region of at least `capacity` bytes. */
  private allocateDecoded(capacity: number): void {
    const at = this.allocate(capacity);
    if (this.decodedLength > 0) this.u8.copyWithin(at, this.decoded, this.decoded + this.decodedLength);
    this.decoded = at;
    this.decodedCapacity = capacity;
  }

  private reserveDecoded(extra: number): void {
    const need = this.decodedLength + extra;
    if (need > this.decodedCapacity) this.allocateDecoded(Math.max(need, this.decodedCapacity * 2));
  }

  // ---- BinaryStreamDecoder ----

  get pendingRows(): number {
    return this.flushedRows + this.stagedRows;
  }

  get rowCount(): number {
    return this.decodedRows;
  }

  get newlines(): number {
    if (this.retired) return this.retired.carried[(S_B64_NEWLINES - S_B64_BITS) / 4];
    return this.i32[(this.state + S_B64_NEWLINES) >> 2];
  }

  pushBase64(bytes: Uint8Array, start: number, end: number, docOffset: number): void {
    this.checkOpen();
    this.revive();
    this.base64(bytes, start, end, docOffset, false);
  }

  pushBase64Text(bytes: Uint8Array, start: number, end: number, docOffset: number): number {
    this.checkOpen();
    this.revive();
    return this.base64(bytes, start, end, docOffset, true);
  }

  pushBytes(bytes: Uint8Array): void {
    this.checkOpen();
    this.revive();
    this.expectedInput = Math.max(this.expectedInput, this.consumed + bytes.length);
    for (let at = 0; at < bytes.length; at += INPUT_BYTES) {
      const n = Math.min(INPUT_BYTES, bytes.length - at);
      this.consumed += n;
      this.reserveDecoded(n);
      this.u8.set(bytes.subarray(at, at + n), this.decoded + this.decodedLength);
      this.decodedLength += n;
      this.decodeRows();
    }
  }

  /**
   * The pending rows as Columns. Where the columns fill most of linear memory (a whole table, a
   * streamed batch), their arrays are views of it, handed over without a copy, and decoding goes
   * on in a fresh instance; else (few rows in a large memory) they are exact copies.
   */
  takeColumns(): Column[] {
    this.revive();
    if (this.countOnly) {
      this.stagedRows = 0;
      return [];
    }
    const sinks = this.sinks;
    this.sinks = null;
    this.flushedRows = 0;
    if (sinks) {
      const parts = this.stagedParts(false);
      const columns = sinks.map((sink, f) => {
        sink.append(parts[f]);
        return new this.host.Column(sink.finish());
      });
      this.resetArena();
      return columns;
    }
    const live = this.stagedBytes();
    if (live >= VIEW_MIN_BYTES && live * 2 >= this.memory.buffer.byteLength) {
      const columns = this.stagedParts(false).map((p) => new this.host.Column(p));
      this.retire();
      return columns;
    }
    const columns = this.stagedParts(true).map((p) => new this.host.Column(p));
    this.resetArena();
    return columns;
  }

  /** Bytes of the staged columns (values, offsets, string offsets). */
  private stagedBytes(): number {
    const i32 = this.i32;
    const cols = i32[(this.state + S_COLS) >> 2];
    let bytes = 0;
    this.plans.forEach((plan, f) => {
      const c = (cols + f * COL_BYTES) >> 2;
      bytes += i32[c + C_VALUES_USED / 4];
      if (plan.hasOffsets) bytes += 4 * (this.stagedRows + 1);
      if (plan.kind === K_CHAR || plan.kind === K_UNICODE) bytes += 4 * (i32[c + C_ELEMENTS / 4] + 1);
    });
    return bytes;
  }

  /**
   * Moves the staged rows out of linear memory into JavaScript column sinks, so that linear
   * memory stays under its 4 GiB however large the table (done once `spillBytes` of columns are
   * staged). The sinks are sized at the first spill for the whole input as far as it is known.
   */
  private spill(): void {
    const rowsBefore = this.flushedRows;
    const parts = this.stagedParts(false);
    const rows = parts.length > 0 ? parts[0].length : 0;
    this.flushedRows += rows;
    if (!this.sinks) {
      const soFar = rowsBefore + rows;
      const ahead = this.rowsAhead(this.stagedRows);
      const expected = soFar + Math.max(ahead.byInput, Math.min(ahead.byHint, soFar)) + (soFar >> 6) + 16;
      this.sinks = parts.map((p) => new ColumnSink(p, expected));
    }
    this.sinks.forEach((sink, f) => sink.append(parts[f]));
    this.resetArena();
  }

  /**
   * The staged rows as ColumnParts: exact copies (`copy`), or views of linear memory that stay
   * valid only while the memory does not grow (validity is always a copy).
   */
  private stagedParts(copy: boolean): ColumnParts[] {
    const u8 = this.u8;
    const buffer = u8.buffer as ArrayBuffer;
    const i32 = this.i32;
    const cols = i32[(this.state + S_COLS) >> 2];
    const n = this.stagedRows;
    return this.plans.map((plan, f): ColumnParts => {
      const c = (cols + f * COL_BYTES) >> 2;
      const used = i32[c + C_VALUES_USED / 4];
      const elements = i32[c + C_ELEMENTS / 4];
      const nulls = i32[c + C_NULL_COUNT / 4];
      const Values = valuesConstructor(plan.kind);
      const values =
        used === 0
          ? new Values(0)
          : copy
            ? new Values(buffer.slice(plan.values, plan.values + used))
            : new Values(buffer, plan.values, used / Values.BYTES_PER_ELEMENT);
      let validity: Uint8Array | null = null;
      if (nulls > 0) {
        validity = u8.slice(plan.validity, plan.validity + ((n + 7) >> 3));
        // Bits past the last row are cleared so equal columns have equal bitmaps.
        if (n & 7) validity[validity.length - 1] &= (1 << (n & 7)) - 1;
      }
      const offsets = plan.hasOffsets
        ? plan.offsetsRows > 0
          ? copy
            ? new Int32Array(buffer.slice(plan.offsets, plan.offsets + 4 * (n + 1)))
            : new Int32Array(buffer, plan.offsets, n + 1)
          : new Int32Array(1)
        : null;
      const stringOffsets =
        plan.kind === K_CHAR || plan.kind === K_UNICODE
          ? plan.stringCapacity > 0
            ? copy
              ? new Int32Array(buffer.slice(plan.stringOffsets, plan.stringOffsets + 4 * (elements + 1)))
              : new Int32Array(buffer, plan.stringOffsets, elements + 1)
            : new Int32Array(1)
          : null;
      return { field: plan.field, length: n, values, validity, offsets, stringOffsets };
    });
  }

  end(): void {
    if (this.ended) return;
    const retired = this.retired;
    if (retired && (retired.pending.length > 0 || retired.carried[(S_B64_COUNT - S_B64_BITS) / 4] !== 0 || this.pads > 0)) this.revive();
    if (this.retired) {
      // Nothing was left after the last batch: no instance needed to say so.
      this.ended = true;
      return;
    }
    if (this.usedBase64) this.endBase64();
    this.ended = true;
    if (this.decodedLength > 0) {
      const view = new DataView(this.u8.buffer, this.decoded, this.decodedLength);
      const short = this.host.findRowShortfall(this.row, view, 0, this.decodedLength, this.decodedRows, this.serialization, this.tableIndex);
      throw this.host.rowShortfallError(this.row, short as RowShortfall, this.decodedRows, this.serialization, this.tableIndex);
    }
  }

  private checkOpen(): void {
    if (this.ended) throw new TypeError('BinaryStreamDecoder: input already ended; create a new decoder for another stream');
  }

  /** Frees every column buffer; the partial row moves to the arena's start. */
  private resetArena(): void {
    const i32 = this.i32;
    const cols = i32[(this.state + S_COLS) >> 2];
    for (let f = 0; f < this.plans.length; f++) {
      forgetBuffers(this.plans[f]);
      const c = (cols + f * COL_BYTES) >> 2;
      i32.fill(0, c + C_VALUES / 4, c + COL_BYTES / 4);
    }
    this.stagedRows = 0;
    i32[(this.state + S_STAGED_ROWS) >> 2] = 0;
    const capacity = Math.min(this.decodedCapacity, Math.max(maxDecodedLength(INPUT_BYTES), this.decodedLength * 2));
    const from = this.decoded;
    const at = align16(this.arenaBase);
    this.top = at + capacity + SLACK;
    if (this.decodedLength > 0 && at !== from) this.u8.copyWithin(at, from, from + this.decodedLength);
    this.decoded = at;
    this.decodedCapacity = capacity;
  }

  // ---- base64 ----

  /**
   * Decodes base64 text: the WebAssembly loop takes alphabet characters and whitespace; the
   * rare rest (padding, the end tag, errors) is handled here one character at a time, with the
   * messages and offsets of votable's Base64Decoder. Returns where it stopped (markup mode).
   */
  private base64(bytes: Uint8Array, start: number, end: number, docOffset: number, stopAtMarkup: boolean): number {
    this.usedBase64 = true;
    const state = this.state;
    this.expectedInput = Math.max(this.expectedInput, this.consumed + (end - start));
    const consumedBefore = this.consumed - start;
    let i = start;
    while (i < end) {
      if (!this.finished && this.pads === 0) {
        const n = Math.min(end - i, INPUT_BYTES);
        this.reserveDecoded(maxDecodedLength(n));
        this.u8.set(bytes.subarray(i, i + n), this.input);
        const written = this.exports.b64Decode(state, this.input, n, this.decoded + this.decodedLength);
        this.decodedLength += written;
        const i32 = this.i32;
        const group = i32[(state + S_B64_GROUP) >> 2];
        if (group >= 0) this.groupOffset = docOffset + (i - start) + group;
        const stop = i32[(state + S_B64_STOP) >> 2];
        i += stop;
        this.consumed = consumedBefore + i;
        // Rows are decoded once a piece is through, so that a bad character in it is reported
        // before any bad row in front of it, as votable's decoder does.
        if (stop === n) {
          this.decodeRows();
          continue;
        }
      }
      const c = bytes[i];
      if (stopAtMarkup && (c === 0x3c || c === 0x26)) {
        this.decodeRows();
        return i;
      }
      this.base64Character(c, docOffset + (i - start));
      i++;
    }
    this.consumed = consumedBefore + end;
    this.decodeRows();
    return end;
  }

  /** One character outside the WebAssembly loop's set, or any character after padding. */
  private base64Character(c: number, offset: number): void {
    const i32 = this.i32;
    const s = this.state >> 2;
    const v = sextet(c);
    let bits = i32[s + S_B64_BITS / 4];
    let count = i32[s + S_B64_COUNT / 4];
    if (v >= 0) {
      if (this.finished || this.pads > 0) {
        throw new this.host.BinaryDecodeError(`base64 character ${describeByte(c)} after "=" padding`, { offset });
      }
      if (count === 0) this.groupOffset = offset;
      bits = (bits << 6) | v;
      count++;
      if (count === 4) {
        this.appendDecoded([bits >> 16, bits >> 8, bits]);
        count = 0;
        bits = 0;
      }
    } else if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) {
      if (c === 0x0a) i32[s + S_B64_NEWLINES / 4]++;
    } else if (c === 0x3d) {
      // "xx==" and "xxx=" are the only padded forms (RFC 4648 §4).
      if (this.finished || count + this.pads < 2) {
        throw new this.host.BinaryDecodeError(
          count + this.pads === 0 && !this.finished
            ? 'base64 "=" padding at the start of a 4-character group'
            : this.finished
              ? 'base64 "=" after the padded end of the data'
              : 'base64 "=" padding after only 1 character of a 4-character group',
          { offset },
        );
      }
      this.pads++;
      if (count + this.pads === 4) {
        this.appendDecoded(count === 2 ? [bits >> 4] : [bits >> 10, bits >> 2]);
        count = 0;
        bits = 0;
        this.pads = 0;
        this.finished = true;
      }
    } else {
      throw new this.host.BinaryDecodeError(
        `invalid base64 character ${describeByte(c)} (expected A-Z, a-z, 0-9, "+", "/", "=" or whitespace)`,
        { offset },
      );
    }
    const after = this.i32;
    after[s + S_B64_BITS / 4] = bits;
    after[s + S_B64_COUNT / 4] = count;
  }

  private endBase64(): void {
    const i32 = this.i32;
    const s = this.state >> 2;
    const count = i32[s + S_B64_COUNT / 4];
    const bits = i32[s + S_B64_BITS / 4];
    const pads = this.pads;
    i32[s + S_B64_COUNT / 4] = 0;
    i32[s + S_B64_BITS / 4] = 0;
    this.pads = 0;
    if (pads > 0 || count === 1) {
      throw new this.host.BinaryDecodeError(
        `base64 data ends inside a 4-character group (${count + pads} of 4 characters${pads ? `, ${pads} of them "="` : ''})`,
        { offset: this.groupOffset },
      );
    }
    if (count === 0) return;
    this.finished = true;
    this.appendDecoded(count === 2 ? [bits >> 4] : [bits >> 10, bits >> 2]);
    this.decodeRows();
  }

  private appendDecoded(values: number[]): void {
    this.reserveDecoded(values.length);
    const u8 = this.u8;
    for (const v of values) u8[this.decoded + this.decodedLength++] = v;
  }

  // ---- rows ----

  /** Decodes the whole rows among the decoded bytes; the partial row moves to the front. */
  private decodeRows(): void {
    if (this.decodedLength === 0) return;
    const { minRowBytes, countedField } = this.row;
    if (minRowBytes === 0) {
      throw new this.host.BinaryDecodeError(`${this.serialization} stream has data but the table has no FIELDs to decode it with`, {
        table: this.tableIndex,
      });
    }
    const exports = this.exports;
    const state = this.state;
    const end = this.decoded + this.decodedLength;
    let p = this.decoded;
    while (end - p >= minRowBytes) {
      const capacity = Math.min(MAX_ROWS_PER_PASS, Math.floor((end - p) / minRowBytes));
      const rows = exports.b2Measure(state, p, end, capacity);
      const i32 = this.i32;
      const negative = i32[(state + S_NEG_CELL) >> 2];
      if (negative >= 0) {
        // Named before the rows in front of it are decoded, as votable's decoder does.
        const at = i32[(state + S_NEG_POS) >> 2] >>> 0;
        const count = new DataView(this.u8.buffer).getInt32(at);
        throw this.host.negativeCountError(this.plans[countedField[negative]], count, this.decodedRows + rows, this.serialization, this.tableIndex);
      }
      if (rows === 0) break;
      const next = i32[(state + S_MEASURED_END) >> 2] >>> 0;
      this.rowBytes += next - p;
      let error: number;
      if (this.countOnly) {
        error = exports.b2Check(state, rows);
      } else {
        if (countedField.length > 0) exports.b2Sums(state, rows, this.sums);
        this.reserveColumns(rows);
        error = exports.b2Extract(state, rows);
      }
      if (error === ERR_BAD_BOOLEAN) {
        const e = this.i32;
        const plan = this.plans[e[(state + S_ERR_FIELD) >> 2]];
        const byte = e[(state + S_ERR_VALUE) >> 2];
        throw new this.host.BinaryDecodeError(
          `boolean byte 0x${byte.toString(16).padStart(2, '0')} is none of T, F, t, f, 1, 0, ?, space, NUL`,
          { row: this.decodedRows + e[(state + S_ERR_ROW) >> 2], field: plan.field.name, table: this.tableIndex },
        );
      }
      this.stagedRows += rows;
      this.decodedRows += rows;
      p = next;
      if (this.top - this.arenaBase > this.spillBytes) {
        // The partial row and the rest of the decoded bytes stay: move them first.
        if (p !== this.decoded) this.u8.copyWithin(this.decoded, p, end);
        this.decodedLength = end - p;
        this.spill();
        this.decodeRows();
        return;
      }
    }
    const left = end - p;
    if (left > 0 && p !== this.decoded) this.u8.copyWithin(this.decoded, p, end);
    this.decodedLength = left;
  }

  /**
   * Rows this batch (rows not yet taken) is expected to hold beyond its first `have`: from the
   * input still ahead when it is known (a whole document pushed at once: `byInput`), and from
   * the `expectedRows` hint (nrows, or the batch size when streaming: `byHint`, less reliable).
   */
  private rowsAhead(have: number): { byInput: number; byHint: number } {
    const pushedAhead = (this.expectedInput - this.consumed) * (this.usedBase64 ? 0.75 : 1) + this.decodedLength;
    // The caller's hint covers input not pushed yet (a file read in chunks).
    const hintedAhead = this.expectedDecoded - this.consumed * (this.usedBase64 ? 0.75 : 1);
    const decodedAhead = Math.max(pushedAhead, hintedAhead);
    // `rowBytes` counts the rows being reserved for too: `have` includes them, decodedRows not yet.
    const measuredRows = this.decodedRows + have - this.stagedRows;
    const byInput = this.rowBytes > 0 ? Math.ceil((Math.max(0, decodedAhead) * measuredRows) / this.rowBytes) : 0;
    return { byInput, byHint: Math.max(0, this.expectedRows - have - this.flushedRows) };
  }

  /** Makes every column's buffers hold `rows` more rows (sizes from b2Sums for counted cells). */
  private reserveColumns(rows: number): void {
    const total = this.stagedRows + rows;
    let ahead: { byInput: number; byHint: number } | null = null;
    for (let f = 0; f < this.plans.length; f++) {
      const plan = this.plans[f];
      let bytes: number;
      let strings = 0;
      const isString = plan.kind === K_CHAR || plan.kind === K_UNICODE;
      const unit = plan.kind === K_UNICODE ? 3 : 1;
      if (plan.fixedBytes >= 0) {
        if (isString) {
          strings = rows * plan.fixedElements;
          bytes = strings * plan.stringLength * unit;
        } else {
          bytes = rows * plan.fixedElements * plan.width * NUMBER_BYTES[plan.kind];
        }
      } else {
        // (this.f64 again each time: reserveColumn may grow the memory)
        const sum = this.f64[(this.sums >> 3) + plan.countedIndex];
        if (isString) {
          if (plan.stringLength < 0) {
            strings = rows;
            bytes = sum * unit;
          } else {
            strings = sum * plan.itemElements;
            bytes = strings * plan.stringLength * unit;
          }
        } else {
          bytes = sum * plan.itemElements * plan.width * NUMBER_BYTES[plan.kind];
        }
      }
      if (this.needsRoom(f, plan, total, bytes, strings)) {
        if (!ahead) {
          ahead = this.rowsAhead(total);
          // One memory.grow for all columns (each grow costs): columns take about as many bytes
          // as the rows they come from, plus offsets.
          if (ahead.byInput > 0) this.ensureMemory(this.top + Math.ceil(((this.rowBytes / (this.decodedRows + rows)) * ahead.byInput + this.plans.length * SLACK) * 1.25));
        }
        this.reserveColumn(f, plan, total, bytes, strings, ahead);
      }
    }
  }

  /** Whether column `f` lacks room for `rows` rows in all, `bytes` and `strings` more. */
  private needsRoom(f: number, plan: FieldPlan, rows: number, bytes: number, strings: number): boolean {
    const c = (this.i32[(this.state + S_COLS) >> 2] + f * COL_BYTES) >> 2;
    const i32 = this.i32;
    return (
      i32[c + C_VALUES_USED / 4] + bytes > plan.valuesCapacity ||
      rows > plan.validityRows ||
      (plan.hasOffsets && rows + 1 > plan.offsetsRows) ||
      ((plan.kind === K_CHAR || plan.kind === K_UNICODE) && i32[c + C_ELEMENTS / 4] + strings + 1 > plan.stringCapacity)
    );
  }

  /**
   * Grows column `f`'s buffers for `rows` rows in all and `bytes`/`strings` more, sized for
   * `ahead` rows more at the rate seen so far (so a whole table usually takes one allocation per
   * buffer, and its columns fill linear memory, to be handed over as views).
   */
  private reserveColumn(f: number, plan: FieldPlan, rows: number, bytes: number, strings: number, ahead: { byInput: number; byHint: number }): void {
    const c = (this.i32[(this.state + S_COLS) >> 2] + f * COL_BYTES) >> 2;
    let i32 = this.i32;
    const used = i32[c + C_VALUES_USED / 4];
    const needBytes = used + bytes;
    if (needBytes > 0x7fff0000) {
      throw new RangeError(`BINARY decoder: column "${plan.field.name}" would pass 2 GiB; use streamVOTable for tables this large`);
    }
    // Counted cells vary in size from row to row: a wider margin. What the hint alone asks for is
    // capped: rows can differ wildly in size, and nrows can be wrong.
    // (Names in a catalogue tend to grow longer with the row number.)
    const margin = plan.fixedBytes >= 0 ? 1.01 : 1.15;
    const extra = (perRow: number) => Math.ceil(Math.max(perRow * ahead.byInput * margin, Math.min(perRow * ahead.byHint * margin, HINT_BYTES)) + 16 * perRow);
    if (needBytes > plan.valuesCapacity) {
      const capacity = Math.min(0x7fff0000, Math.max(needBytes + extra(needBytes / Math.max(1, rows)), Math.ceil(plan.valuesCapacity * 1.25), 256));
      const at = this.allocate(capacity);
      if (used > 0) this.u8.copyWithin(at, plan.values, plan.values + used);
      plan.values = at;
      plan.valuesCapacity = capacity;
      i32 = this.i32;
      i32[c + C_VALUES / 4] = at;
    }
    const rowsAhead = Math.ceil(extra(1));
    if (rows > plan.validityRows) {
      const capacity = Math.max(rows + rowsAhead, Math.ceil(plan.validityRows * 1.25));
      const at = this.allocate((capacity + 7) >> 3);
      const u8 = this.u8;
      u8.fill(0xff, at, at + ((capacity + 7) >> 3) + 1);
      if (plan.validityRows > 0) u8.copyWithin(at, plan.validity, plan.validity + ((this.stagedRows + 7) >> 3));
      plan.validity = at;
      plan.validityRows = capacity;
      this.i32[c + C_VALIDITY / 4] = at;
    }
    if (plan.hasOffsets && rows + 1 > plan.offsetsRows) {
      const capacity = Math.max(rows + 1 + rowsAhead, Math.ceil(plan.offsetsRows * 1.25));
      const at = this.allocate(4 * capacity);
      if (plan.offsetsRows > 0) this.u8.copyWithin(at, plan.offsets, plan.offsets + 4 * (this.stagedRows + 1));
      else this.i32[at >> 2] = 0;
      plan.offsets = at;
      plan.offsetsRows = capacity;
      this.i32[c + C_OFFSETS / 4] = at;
    }
    if (plan.kind === K_CHAR || plan.kind === K_UNICODE) {
      const elements = this.i32[c + C_ELEMENTS / 4];
      const need = elements + strings + 1;
      if (need > plan.stringCapacity) {
        const capacity = Math.max(need + extra((elements + strings) / Math.max(1, rows)), Math.ceil(plan.stringCapacity * 1.25), 16);
        const at = this.allocate(4 * capacity);
        if (plan.stringCapacity > 0) this.u8.copyWithin(at, plan.stringOffsets, plan.stringOffsets + 4 * (elements + 1));
        else this.i32[at >> 2] = 0;
        plan.stringOffsets = at;
        plan.stringCapacity = capacity;
        this.i32[c + C_STRING_OFFSETS / 4] = at;
      }
    }
  }
}

/** Marks a plan's column buffers as gone (after an arena reset or a fresh instance). */
function forgetBuffers(plan: FieldPlan): void {
  plan.values = plan.valuesCapacity = plan.validity = plan.validityRows = 0;
  plan.offsets = plan.offsetsRows = plan.stringOffsets = plan.stringCapacity = 0;
}

function abortHandler(): never {
  throw new WasmTrapError('assertion failed in the BINARY decoder');
}

function sextet(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c === 0x2b) return 62;
  if (c === 0x2f) return 63;
  return -1;
}

function describeByte(byte: number): string {
  if (byte >= 0x21 && byte < 0x7f) return `"${String.fromCharCode(byte)}"`;
  return `byte 0x${byte.toString(16).padStart(2, '0')}`;
}

type ValuesConstructor =
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | BigInt64ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

function valuesConstructor(kind: number): ValuesConstructor {
  switch (kind) {
    case 3:
      return Int16Array;
    case 4:
      return Int32Array;
    case K_LONG:
      return BigInt64Array;
    case 8:
    case 10:
      return Float32Array;
    case 9:
    case 11:
      return Float64Array;
    default:
      return Uint8Array;
  }
}

/** votable's plan of one cell, with what the WebAssembly descriptor adds (kind, null mode). */
function planField(cell: BinaryCellPlan): FieldPlan {
  const kind = KINDS[cell.datatype];
  let nullMode = 0;
  let nullF64 = 0;
  if (cell.hasNullLong) {
    nullMode = N_LONG;
  } else if (cell.nullNumber !== null) {
    const isFloat = kind >= 8;
    nullMode = !isFloat ? N_INT : Number.isNaN(cell.nullNumber) ? N_NAN : N_FLOAT;
    nullF64 = cell.nullNumber;
  }
  return {
    ...cell,
    kind,
    hasOffsets: cell.layout.variableElements,
    scalar: cell.layout.elementShape.length === 0,
    nullMode,
    nullF64,
    // N_INT compares the sentinel as an i32 (nullHi); N_LONG as its two halves.
    nullHi: nullMode === N_INT ? (cell.nullNumber as number) : cell.nullHi,
    values: 0,
    valuesCapacity: 0,
    validity: 0,
    validityRows: 0,
    offsets: 0,
    offsetsRows: 0,
    stringOffsets: 0,
    stringCapacity: 0,
  };
}

/**
 * One column's rows copied out of linear memory, in arrays sized for the whole input when it is
 * known (and doubled when the guess was short); `finish` hands them over without a copy when
 * they are nearly full, as votable's ColumnSink does.
 */
class ColumnSink {
  private readonly field: Field;
  private values: ColumnParts['values'];
  private numbers = 0;
  private offsets: Int32Array | null;
  private stringOffsets: Int32Array | null;
  private strings = 0;
  private validity: Uint8Array | null = null;
  private rows = 0;
  private readonly expectedRows: number;

  constructor(first: ColumnParts, expectedRows: number) {
    this.field = first.field;
    this.expectedRows = expectedRows;
    // Cells of variable size (strings, counted arrays) get a wider margin: names in a catalogue
    // grow longer with the row number, and a short guess costs a copy (see `grown`).
    const margin = first.offsets || first.stringOffsets ? 1.1 : 1.02;
    const perRow = (n: number) => Math.ceil((n / Math.max(1, first.length)) * expectedRows * margin) + 16;
    this.values = new (first.values.constructor as new (n: number) => ColumnParts['values'])(perRow(first.values.length));
    this.offsets = first.offsets ? new Int32Array(expectedRows + 1) : null;
    this.stringOffsets = first.stringOffsets ? new Int32Array(perRow(first.stringOffsets.length - 1) + 1) : null;
  }

  append(part: ColumnParts): void {
    const n = part.length;
    const values = part.values;
    if (this.numbers + values.length > this.values.length) {
      const next = new (this.values.constructor as new (n: number) => ColumnParts['values'])(grown(this.values.length, this.numbers + values.length));
      (next as Uint8Array).set(this.values.subarray(0, this.numbers) as Uint8Array);
      this.values = next;
    }
    (this.values as Uint8Array).set(values as Uint8Array, this.numbers);
    this.numbers += values.length;
    if (this.offsets && part.offsets) {
      if (this.rows + n + 1 > this.offsets.length) this.offsets = grownInt32(this.offsets, this.rows + 1, this.rows + n + 1);
      addShifted(this.offsets, this.rows, part.offsets, n, this.offsets[this.rows]);
    }
    if (this.stringOffsets && part.stringOffsets) {
      const k = part.stringOffsets.length - 1;
      if (this.strings + k + 1 > this.stringOffsets.length) this.stringOffsets = grownInt32(this.stringOffsets, this.strings + 1, this.strings + k + 1);
      addShifted(this.stringOffsets, this.strings, part.stringOffsets, k, this.stringOffsets[this.strings]);
      this.strings += k;
    }
    if (part.validity) {
      const need = (this.rows + n + 7) >> 3;
      if (!this.validity || this.validity.length < need) {
        const next = new Uint8Array(Math.max(need, (this.expectedRows + 7) >> 3, this.validity ? this.validity.length * 2 : 0)).fill(0xff);
        if (this.validity) next.set(this.validity);
        this.validity = next;
      }
      // Clear the part's null rows, shifted to where the part starts (only bytes with nulls).
      const v = part.validity;
      const validity = this.validity;
      for (let b = 0; b < v.length; b++) {
        const bits = v[b] | (b === v.length - 1 && n & 7 ? 0xff << (n & 7) : 0);
        if ((bits & 0xff) === 0xff) continue;
        for (let k = 0; k < 8; k++) {
          if (((bits >> k) & 1) === 0) {
            const r = this.rows + 8 * b + k;
            validity[r >> 3] &= ~(1 << (r & 7));
          }
        }
      }
    }
    this.rows += n;
  }

  finish(): ColumnParts {
    const n = this.rows;
    let validity: Uint8Array | null = null;
    if (this.validity) {
      validity = this.validity.slice(0, (n + 7) >> 3);
      if (n & 7) validity[validity.length - 1] &= (1 << (n & 7)) - 1;
    }
    return {
      field: this.field,
      length: n,
      values: handOver(this.values, this.numbers) as ColumnParts['values'],
      validity,
      offsets: this.offsets ? (handOver(this.offsets, n + 1) as Int32Array) : null,
      stringOffsets: this.stringOffsets ? (handOver(this.stringOffsets, this.strings + 1) as Int32Array) : null,
    };
  }
}

/** The first `n` entries: the array itself when nearly full, else an exact copy. */
function handOver(array: ColumnParts['values'], n: number): ColumnParts['values'] {
  return n >= array.length - (array.length >> 3) ? array.subarray(0, n) : array.slice(0, n);
}

/** A quarter more, not double: sinks start near their final size, and `handOver` then still
 * hands a slightly short guess over without a copy. */
function grown(current: number, need: number): number {
  return Math.max(need, current + (current >> 2) + 16);
}

function grownInt32(array: Int32Array, keep: number, need: number): Int32Array {
  const next = new Int32Array(grown(array.length, need));
  next.set(array.subarray(0, keep));
  return next;
}

/** `out[at + k] = part[k] + shift` for k in 1..n (part[0] is 0, already at out[at]). */
function addShifted(out: Int32Array, at: number, part: Int32Array, n: number, shift: number): void {
  if (shift === 0) {
    out.set(part.subarray(1, n + 1), at + 1);
    return;
  }
  for (let k = 1; k <= n; k++) out[at + k] = part[k] + shift;
}
