/**
 * BINARY and BINARY2 row decoding (VOTable 1.5 §5.4 and §5.5) into columns.
 *
 * The row layout (cell sizes, counted cells, null-flag bytes, VALUES sentinels) is planned in
 * binary-layout.ts; BINARY2 null flags (MSB first, 1 = null) become the LSB-first, 1 = valid
 * validity bitmap of `Column` (STYLE.md §5).
 *
 * Per datatype:
 * - boolean: one byte, `T t 1` true, `F f 0` false, `? ␠ \0` null (astropy's set; VOTable 1.5
 *   §2.1 lists `T F ?` plus the TABLEDATA spellings). Any other byte is a BinaryDecodeError,
 *   unless the cell's BINARY2 null flag is set.
 * - bit: arrays packed MSB first, padded to whole bytes; a scalar bit is one byte, read as true
 *   when non-zero because astropy writes 0x08 where the spec's packing gives 0x80.
 * - char: bytes kept as they are and cut at the first NUL (astropy); unicodeChar: UCS-2
 *   big-endian, converted to UTF-8, cut at the first U+0000.
 * - Nulls without BINARY2 flags come from VALUES `null` on scalar integers (and on floats when
 *   it is declared, including `null="NaN"`); a NaN float without such a declaration stays a
 *   valid NaN, as in TABLEDATA. Array cells have row-level validity only.
 * - long goes to BigInt64Array exactly, without creating BigInts.
 *
 * Resumable at any byte: whole rows are decoded straight from each chunk in two passes (pass 1
 * finds where every cell starts, pass 2 runs one tight loop per column), and a partial row waits
 * in a carry buffer that only ever receives the bytes the row still needs, so a huge row spread
 * over many chunks costs linear time.
 */

import { Base64Decoder, maxDecodedLength } from './base64.js';
import {
  findRowShortfall,
  negativeCountError,
  planBinaryRow,
  rowShortfallError,
  type BinaryCellPlan,
  type BinaryRowPlan,
  type RowShortfall,
} from './binary-layout.js';
import { Column, valuesConstructor, type ColumnValues } from './column.js';
import { cellLayout, isStringType, parseArraySize, type CellLayout } from './datatypes.js';
import { ArraySizeError, BinaryDecodeError, TruncatedError, UnknownDatatypeError } from './errors.js';
import type { Field } from './model.js';

/** Options of `createBinaryDecoder`. */
export interface BinaryStreamOptions {
  /** The TABLE's FIELDs, in order: they define the row layout. */
  fields: Field[];
  /** `BINARY` (no null flags) or `BINARY2` (null flags before each row). */
  serialization: 'BINARY' | 'BINARY2';
  /** 0-based index of the table in the document, for error messages. */
  tableIndex?: number;
  /** Rows expected (e.g. the TABLE `nrows` hint), to size column buffers up front; default 1024. */
  expectedRows?: number;
  /**
   * Decoded bytes the stream is expected to hold, when known roughly (e.g. 3/4 of the base64
   * text still ahead in an in-memory document). After the first rows the decoder sizes every
   * column for the whole stream at once; when the estimate was right (within 1/8 over), the
   * columns are handed over without a final copy, so a whole-document parse peaks near the
   * decoded bytes plus the input instead of twice the decoded bytes. A wrong hint only costs
   * that copy.
   */
  expectedBytes?: number;
  /**
   * Count rows without building columns (default false), for a caller that only needs the row
   * count (`vokit count`). Every row is still walked and checked as when decoding: null flags,
   * counts (negative ones), boolean bytes, base64, a truncated last row, with the same errors.
   * `takeColumns` then returns an empty array; `pendingRows` and `rowCount` count as usual.
   */
  countOnly?: boolean;
}

/** A resumable BINARY/BINARY2 decoder: push bytes in any chunks, take columns, end. */
export interface BinaryStreamDecoder {
  /**
   * Pushes base64 text exactly as it sits in the document (whitespace allowed, any chunking).
   *
   * @param docOffset document byte offset of `bytes[start]`, so base64 errors name the exact
   *   document offset of the bad byte.
   */
  pushBase64(bytes: Uint8Array, start: number, end: number, docOffset: number): void;
  /**
   * Pushes STREAM text from the document up to the first `<` or `&` in `bytes[start, end)` and
   * returns that index (`end` when there is none): a parser can give it everything after
   * `<STREAM>` without scanning the text for the end tag first (that scan costs as much as the
   * decoding). `newlines` counts the line feeds consumed, for line numbers.
   */
  pushBase64Text(bytes: Uint8Array, start: number, end: number, docOffset: number): number;
  /** Line feeds in the base64 text consumed so far. */
  readonly newlines: number;
  /** Pushes already-decoded stream bytes (from an href, after gunzip). */
  pushBytes(bytes: Uint8Array): void;
  /** Rows decoded and not yet taken. */
  readonly pendingRows: number;
  /** Rows decoded so far, taken or not. */
  readonly rowCount: number;
  /** Takes the pending rows as one Column per field; decoding continues into fresh buffers. */
  takeColumns(): Column[];
  /** Ends input: throws TruncatedError/BinaryDecodeError for a partial row or a bad base64 tail. */
  end(): void;
}

/** Creates a decoder for one TABLE's BINARY or BINARY2 stream. */
export function createBinaryDecoder(options: BinaryStreamOptions): BinaryStreamDecoder {
  return new BinaryDecoder(options);
}

/**
 * This package's own building blocks, handed to a `ParseOptions.binaryDecoderFactory` with each
 * stream's options: a decoder living in another package (the WebAssembly one of
 * `@vokit/crossmatch-wasm`) returns the same Column objects, throws the same errors and can fall
 * back to `createBinaryDecoder` without importing this package at run time, so the dependency
 * keeps pointing one way (votable is a leaf).
 */
export interface BinaryDecoderHost {
  Column: typeof Column;
  parseArraySize: typeof parseArraySize;
  cellLayout: typeof cellLayout;
  /** The row layout both decoders work from (binary-layout.ts). */
  planBinaryRow: typeof planBinaryRow;
  /** Names a partial row at the end of a stream (with `rowShortfallError`). */
  findRowShortfall: typeof findRowShortfall;
  rowShortfallError: typeof rowShortfallError;
  negativeCountError: typeof negativeCountError;
  BinaryDecodeError: typeof BinaryDecodeError;
  TruncatedError: typeof TruncatedError;
  ArraySizeError: typeof ArraySizeError;
  UnknownDatatypeError: typeof UnknownDatatypeError;
  /** The TypeScript decoder, for a factory that cannot decode a stream itself. */
  createBinaryDecoder: typeof createBinaryDecoder;
}

/** The host passed to every binaryDecoderFactory. */
export const BINARY_DECODER_HOST: BinaryDecoderHost = Object.freeze({
  Column,
  parseArraySize,
  cellLayout,
  planBinaryRow,
  findRowShortfall,
  rowShortfallError,
  negativeCountError,
  BinaryDecodeError,
  TruncatedError,
  ArraySizeError,
  UnknownDatatypeError,
  createBinaryDecoder,
});

/** Makes the decoder of one BINARY/BINARY2 stream (see `ParseOptions.binaryDecoderFactory`). */
export type BinaryDecoderFactory = (options: BinaryStreamOptions, host: BinaryDecoderHost) => BinaryStreamDecoder;

// ---------------------------------------------------------------------------------------------
// Column buffers

/**
 * Storage for one column, written directly by the kernels. Like ColumnBuilder, but with its
 * validity bitmap and offsets open to the kernels, reusable after `take`, and with values kept
 * in a list of chunks instead of one doubling array: growing never copies, and `take` copies
 * each value once into an exact-size array, so a whole-document parse peaks near twice the
 * decoded bytes instead of three times.
 */
class ColumnSink {
  readonly field: Field;
  /** The chunk being filled. Kernels write at `used`, the index within this chunk. */
  values: ColumnValues;
  /** Numbers written into `values` (bytes, for strings). */
  used = 0;
  /** Full chunks, each exactly as long as what was written to it. */
  private sealed: ColumnValues[] = [];
  /** Numbers in `sealed`: add to a chunk index to get the column-wide index. */
  sealedNumbers = 0;
  /** Rows stored. */
  rows = 0;
  /** Elements stored (strings, for string columns). */
  elements = 0;
  /** LSB-first, 1 = valid; bits are set for every row up to its capacity, cleared for nulls. */
  validity: Uint8Array;
  nullCount = 0;
  /** Row → first element, for variable-length cells. */
  offsets: Int32Array | null;
  /** String → first byte of the column's text (column-wide), for char/unicodeChar. */
  stringOffsets: Int32Array | null;

  constructor(field: Field, layout: CellLayout, rows: number, numbersPerRow: number) {
    this.field = field;
    const Ctor = valuesConstructor(field.datatype);
    // Initial sizes come from hints (nrows, arraysize) that a document may exaggerate: capped.
    this.values = new Ctor(Math.max(16, Math.min(rows * numbersPerRow, MAX_CHUNK_NUMBERS)));
    this.validity = new Uint8Array((rows + 7) >> 3).fill(0xff);
    this.offsets = layout.variableElements ? new Int32Array(rows + 1) : null;
    this.stringOffsets = isStringType(field.datatype) ? new Int32Array(Math.min(rows * Math.max(1, layout.fixedCount), MAX_CHUNK_NUMBERS) + 1) : null;
  }

  /**
   * Size of the chunk handed over by the last `take`: the next chunk starts that big, so a
   * stream taken batch by batch fills one chunk per batch and hands it over uncopied, instead
   * of growing from 16 by doubling and gathering the pieces. Allocated only when rows come, so
   * a sink taken for the last time costs nothing.
   */
  private refill = 0;

  /** Makes room for `n` more numbers in `values` (possibly a fresh chunk) and returns it. */
  ensureNumbers(n: number): ColumnValues {
    if (this.used + n > this.values.length) {
      if (this.used > 0) {
        this.sealed.push(this.values.subarray(0, this.used) as ColumnValues);
        this.sealedNumbers += this.used;
      }
      const size = Math.max(n, Math.min(Math.max(this.values.length * 2, this.refill), MAX_CHUNK_NUMBERS));
      this.refill = 0;
      this.values = new (this.values.constructor as new (n: number) => ColumnValues)(size);
      this.used = 0;
    }
    return this.values;
  }

  /** Makes room for `n` more strings. */
  ensureStrings(n: number): Int32Array {
    const so = this.stringOffsets as Int32Array;
    const need = this.elements + n + 1;
    if (need <= so.length) return so;
    const next = new Int32Array(grownSize(so.length, need));
    next.set(so);
    return (this.stringOffsets = next);
  }

  /** Makes room for `n` more rows in the validity bitmap and row offsets. */
  ensureRows(n: number): void {
    const need = this.rows + n;
    if (need > this.validity.length * 8) {
      const next = new Uint8Array(grownSize(this.validity.length, (need + 7) >> 3)).fill(0xff);
      next.set(this.validity);
      this.validity = next;
    }
    if (this.offsets && need + 1 > this.offsets.length) {
      const next = new Int32Array(grownSize(this.offsets.length, need + 1));
      next.set(this.offsets);
      this.offsets = next;
    }
  }

  /**
   * Sizes the sink for `rows` rows in all and `numbers` numbers in all, gathering what is stored
   * so far into one chunk, so that `take` can hand the buffers over without copying.
   */
  presize(rows: number, numbers: number): void {
    const stored = this.sealedNumbers + this.used;
    if (numbers <= stored) return;
    const next = new (this.values.constructor as new (n: number) => ColumnValues)(numbers);
    let at = 0;
    for (const chunk of this.sealed) {
      (next as Uint8Array).set(chunk as Uint8Array, at);
      at += chunk.length;
    }
    (next as Uint8Array).set(this.values.subarray(0, this.used) as Uint8Array, at);
    this.values = next;
    this.used = stored;
    this.sealed = [];
    this.sealedNumbers = 0;
    this.ensureRows(rows - this.rows);
    if (this.stringOffsets) {
      const perRow = this.rows > 0 ? this.elements / this.rows : 1;
      this.ensureStrings(Math.ceil(rows * perRow) - this.elements);
    }
  }

  /** Marks row `row` (counted in this sink) null. */
  setNull(row: number): void {
    const byte = row >> 3;
    const bit = 1 << (row & 7);
    if (this.validity[byte] & bit) {
      this.validity[byte] ^= bit;
      this.nullCount++;
    }
  }

  /** The stored rows as a Column; the sink then starts empty, keeping its current chunk. */
  take(): Column {
    const n = this.rows;
    let validity: Uint8Array | null = null;
    if (this.nullCount > 0) {
      validity = this.validity.slice(0, (n + 7) >> 3);
      // Bits past the last row are cleared so equal columns have equal bitmaps.
      if (n & 7) validity[validity.length - 1] &= (1 << (n & 7)) - 1;
    }
    let values: ColumnValues;
    if (this.sealed.length === 0 && this.used >= this.values.length - (this.values.length >> 3) && this.used > 4096) {
      // Nearly full (a presized whole stream): hand the buffer over instead of copying it, and
      // start a small one.
      values = this.values.subarray(0, this.used) as ColumnValues;
      this.refill = this.values.length;
      this.values = new (this.values.constructor as new (n: number) => ColumnValues)(16);
    } else if (this.sealed.length === 0) {
      values = this.values.slice(0, this.used) as ColumnValues;
    } else {
      values = new (this.values.constructor as new (n: number) => ColumnValues)(this.sealedNumbers + this.used);
      let at = 0;
      for (const chunk of this.sealed) {
        (values as Uint8Array).set(chunk as Uint8Array, at);
        at += chunk.length;
      }
      (values as Uint8Array).set(this.values.subarray(0, this.used) as Uint8Array, at);
      this.sealed = [];
      this.sealedNumbers = 0;
    }
    const column = new Column({
      field: this.field,
      length: n,
      values,
      validity,
      offsets: this.offsets ? handOver(this, 'offsets', n + 1) : null,
      stringOffsets: this.stringOffsets ? handOver(this, 'stringOffsets', this.elements + 1) : null,
    });
    if (this.nullCount > 0) this.validity.fill(0xff, 0, ((n + 7) >> 3) + 1);
    this.used = 0;
    this.rows = 0;
    this.elements = 0;
    this.nullCount = 0;
    return column;
  }
}

/** The first `n` entries of a sink's offsets array: the array itself when nearly full (the sink
 * then starts a small one), else a copy. */
function handOver(sink: ColumnSink, key: 'offsets' | 'stringOffsets', n: number): Int32Array {
  const array = sink[key] as Int32Array;
  if (n > 4096 && n >= array.length - (array.length >> 3)) {
    sink[key] = new Int32Array(16);
    return array.subarray(0, n);
  }
  return array.slice(0, n);
}

/** Largest chunk a ColumnSink allocates beyond what one pass needs (32 MiB of doubles). */
const MAX_CHUNK_NUMBERS = 1 << 22;

function grownSize(current: number, need: number): number {
  let size = Math.max(16, current * 2);
  while (size < need) size *= 2;
  return size;
}

// ---------------------------------------------------------------------------------------------
// Row layout

/** A cell's place in the row (binary-layout.ts) and the pass 2 kernel that decodes it. */
interface FieldPlan extends BinaryCellPlan {
  kernel: Kernel;
}

/** What the kernels read: the byte buffer and where each row's cells start. */
interface Pass {
  bytes: Uint8Array;
  view: DataView;
  /** Segment starts, segment-major: `starts[segment * capacity + r]` (see FieldPlan.segment). */
  starts: Int32Array;
  capacity: number;
  /** Row starts (where the BINARY2 flags are): segment 0 of `starts`. */
  rowStarts: Int32Array;
  rows: number;
  /** OR of every row's null-flag bytes (BINARY2), so flag-free columns skip the flag loop. */
  flagUnion: Uint8Array | null;
  /** Rows decoded before this pass, for error messages. */
  firstRow: number;
  binary2: boolean;
  tableIndex: number | undefined;
}

type Kernel = (pass: Pass, plan: FieldPlan, sink: ColumnSink) => void;

const MAX_ROWS_PER_PASS = 4096;

/** Base64 text is decoded in slices of this many bytes, so the decoded scratch buffer stays
 * small whatever the caller's chunk size. */
const BASE64_SLICE = 1 << 20;

/** Strings up to this many bytes are copied by a loop: cheaper than a `subarray` + `set` pair,
 * which allocates a view per cell (measured: ~100 ns/row at 1e6 rows of 17-byte names). */
const SHORT_COPY = 64;

function kernelFor(cell: BinaryCellPlan): Kernel {
  const variable = cell.fixedBytes < 0;
  switch (cell.datatype) {
    case 'unsignedByte':
      return variable ? varUint8 : fixedUint8;
    case 'short':
      return variable ? varInt16 : fixedInt16;
    case 'int':
      return variable ? varInt32 : fixedInt32;
    case 'long':
      return variable ? varInt64 : fixedInt64;
    case 'float':
    case 'floatComplex':
      return variable ? varFloat32 : fixedFloat32;
    case 'double':
    case 'doubleComplex':
      return variable ? varFloat64 : fixedFloat64;
    case 'boolean':
      return variable ? varBoolean : fixedBoolean;
    case 'bit':
      return variable ? varBit : fixedBit;
    case 'char':
      return variable ? varChar : fixedChar;
    case 'unicodeChar':
      return variable ? varUnicode : fixedUnicode;
    default:
      // planBinaryRow has refused any other datatype.
      throw new UnknownDatatypeError(String(cell.datatype), { field: cell.field.name });
  }
}

// ---------------------------------------------------------------------------------------------
// Pass 2 kernels: one loop per column. Each type has its own functions so every loop stays
// monomorphic; the shared tail (`applyNulls`) handles BINARY2 flags.

/** Applies BINARY2 null flags of `plan`'s field to the pass's rows. */
function applyFlags(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { bytes, rowStarts, rows } = pass;
  const byte = plan.index >> 3;
  const mask = 0x80 >> (plan.index & 7);
  if (pass.flagUnion && (pass.flagUnion[byte] & mask) === 0) return;
  const first = sink.rows;
  for (let r = 0; r < rows; r++) if (bytes[rowStarts[r] + byte] & mask) sink.setNull(first + r);
}

function finishRows(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  if (pass.binary2) applyFlags(pass, plan, sink);
  sink.rows += pass.rows;
}

/** Variable cells: records row offsets; `count(r)` gives the elements of row r. */
function recordOffset(sink: ColumnSink, r: number): void {
  (sink.offsets as Int32Array)[sink.rows + r + 1] = sink.elements;
}

function startRows(pass: Pass, sink: ColumnSink): void {
  sink.ensureRows(pass.rows);
  if (sink.offsets && sink.rows === 0) sink.offsets[0] = 0;
}

function scalarIntNulls(pass: Pass, plan: FieldPlan, sink: ColumnSink, values: ArrayLike<number>, at: number): void {
  const sentinel = plan.nullNumber as number;
  const first = sink.rows;
  for (let r = 0; r < pass.rows; r++) if (values[at + r] === sentinel) sink.setNull(first + r);
}

function scalarFloatNulls(pass: Pass, plan: FieldPlan, sink: ColumnSink, values: ArrayLike<number>, at: number, width: number): void {
  const sentinel = plan.nullNumber as number;
  const first = sink.rows;
  if (Number.isNaN(sentinel)) {
    for (let r = 0; r < pass.rows; r++) {
      const v = values[at + r * width];
      if (v !== v) sink.setNull(first + r);
    }
  } else {
    for (let r = 0; r < pass.rows; r++) if (values[at + r * width] === sentinel) sink.setNull(first + r);
  }
}

// The loops live in small functions whose arguments are only typed arrays and numbers: their
// type feedback never changes, so V8 optimizes each once. Written inline in the kernels, the
// loops were compiled on-stack before the code after them had run, and deoptimized at the exit
// of every call (measured: 35 deopts and ~2x the time at 1e6 rows).

function readU8(bytes: Uint8Array, starts: Int32Array, base: number, off: number, rows: number, out: Uint8Array, at: number, k: number): void {
  if (k === 1) {
    for (let r = 0; r < rows; r++) out[at + r] = bytes[(starts[base + r] + off)];
    return;
  }
  for (let r = 0; r < rows; r++) {
    const p = (starts[base + r] + off);
    const o = at + r * k;
    for (let j = 0; j < k; j++) out[o + j] = bytes[p + j];
  }
}

function readI16(view: DataView, starts: Int32Array, base: number, off: number, rows: number, out: Int16Array, at: number, k: number): void {
  if (k === 1) {
    for (let r = 0; r < rows; r++) out[at + r] = view.getInt16((starts[base + r] + off));
    return;
  }
  for (let r = 0; r < rows; r++) {
    const p = (starts[base + r] + off);
    const o = at + r * k;
    for (let j = 0; j < k; j++) out[o + j] = view.getInt16(p + 2 * j);
  }
}

function readI32(view: DataView, starts: Int32Array, base: number, off: number, rows: number, out: Int32Array, at: number, k: number): void {
  if (k === 1) {
    for (let r = 0; r < rows; r++) out[at + r] = view.getInt32((starts[base + r] + off));
    return;
  }
  for (let r = 0; r < rows; r++) {
    const p = (starts[base + r] + off);
    const o = at + r * k;
    for (let j = 0; j < k; j++) out[o + j] = view.getInt32(p + 4 * j);
  }
}

/** Writes big-endian int64s as two 32-bit halves (`out` views the BigInt64Array's memory). */
function readI64(view: DataView, starts: Int32Array, base: number, off: number, rows: number, out: Int32Array, at: number, k: number, lo: number, hi: number): void {
  if (k === 1) {
    for (let r = 0; r < rows; r++) {
      const p = (starts[base + r] + off);
      const o = 2 * (at + r);
      out[o + hi] = view.getInt32(p);
      out[o + lo] = view.getInt32(p + 4);
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const p = (starts[base + r] + off);
    const o = 2 * (at + r * k);
    for (let j = 0; j < k; j++) {
      out[o + 2 * j + hi] = view.getInt32(p + 8 * j);
      out[o + 2 * j + lo] = view.getInt32(p + 8 * j + 4);
    }
  }
}

function readF32(view: DataView, starts: Int32Array, base: number, off: number, rows: number, out: Float32Array, at: number, n: number): void {
  if (n === 1) {
    for (let r = 0; r < rows; r++) out[at + r] = view.getFloat32((starts[base + r] + off));
    return;
  }
  for (let r = 0; r < rows; r++) {
    const p = (starts[base + r] + off);
    const o = at + r * n;
    for (let j = 0; j < n; j++) out[o + j] = view.getFloat32(p + 4 * j);
  }
}

function readF64(view: DataView, starts: Int32Array, base: number, off: number, rows: number, out: Float64Array, at: number, n: number): void {
  if (n === 1) {
    for (let r = 0; r < rows; r++) out[at + r] = view.getFloat64((starts[base + r] + off));
    return;
  }
  for (let r = 0; r < rows; r++) {
    const p = (starts[base + r] + off);
    const o = at + r * n;
    for (let j = 0; j < n; j++) out[o + j] = view.getFloat64(p + 8 * j);
  }
}

/** Shared tail of the fixed numeric kernels: VALUES nulls of scalars, counters, flags. */
function endFixed(pass: Pass, plan: FieldPlan, sink: ColumnSink, at: number, numbersPerRow: number, float: boolean): void {
  if (plan.nullNumber !== null && plan.fixedElements === 1) {
    if (float) scalarFloatNulls(pass, plan, sink, sink.values as Float32Array | Float64Array, at, numbersPerRow);
    else scalarIntNulls(pass, plan, sink, sink.values as Uint8Array | Int16Array | Int32Array, at);
  }
  sink.used += pass.rows * numbersPerRow;
  sink.elements += pass.rows * plan.fixedElements;
  finishRows(pass, plan, sink);
}

function fixedUint8(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const k = plan.fixedElements;
  startRows(pass, sink);
  const out = sink.ensureNumbers(pass.rows * k) as Uint8Array;
  const at = sink.used;
  readU8(pass.bytes, pass.starts, plan.segment * pass.capacity, plan.offset, pass.rows, out, at, k);
  endFixed(pass, plan, sink, at, k, false);
}

function fixedInt16(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const k = plan.fixedElements;
  startRows(pass, sink);
  const out = sink.ensureNumbers(pass.rows * k) as Int16Array;
  const at = sink.used;
  readI16(pass.view, pass.starts, plan.segment * pass.capacity, plan.offset, pass.rows, out, at, k);
  endFixed(pass, plan, sink, at, k, false);
}

function fixedInt32(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const k = plan.fixedElements;
  startRows(pass, sink);
  const out = sink.ensureNumbers(pass.rows * k) as Int32Array;
  const at = sink.used;
  readI32(pass.view, pass.starts, plan.segment * pass.capacity, plan.offset, pass.rows, out, at, k);
  endFixed(pass, plan, sink, at, k, false);
}

let littleEndianHost: boolean | null = null;

/** 32-bit views of a BigInt64Array: [low-word index offset, high-word index offset]. */
function int64Halves(): [lo: number, hi: number] {
  if (littleEndianHost === null) littleEndianHost = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
  return littleEndianHost ? [0, 1] : [1, 0];
}

function fixedInt64(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const k = plan.fixedElements;
  const rows = pass.rows;
  startRows(pass, sink);
  const values = sink.ensureNumbers(rows * k) as BigInt64Array;
  // Writing the two 32-bit halves avoids a BigInt allocation per value.
  const out = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  const [lo, hi] = int64Halves();
  const at = sink.used;
  readI64(pass.view, pass.starts, plan.segment * pass.capacity, plan.offset, rows, out, at, k, lo, hi);
  if (plan.hasNullLong && k === 1) {
    const first = sink.rows;
    for (let r = 0; r < rows; r++) {
      const o = 2 * (at + r);
      if (out[o + hi] === plan.nullHi && out[o + lo] === plan.nullLo) sink.setNull(first + r);
    }
  }
  sink.used += rows * k;
  sink.elements += rows * k;
  finishRows(pass, plan, sink);
}

function fixedFloat32(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const n = plan.fixedElements * plan.width;
  startRows(pass, sink);
  const out = sink.ensureNumbers(pass.rows * n) as Float32Array;
  const at = sink.used;
  readF32(pass.view, pass.starts, plan.segment * pass.capacity, plan.offset, pass.rows, out, at, n);
  endFixed(pass, plan, sink, at, n, true);
}

function fixedFloat64(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const n = plan.fixedElements * plan.width;
  startRows(pass, sink);
  const out = sink.ensureNumbers(pass.rows * n) as Float64Array;
  const at = sink.used;
  readF64(pass.view, pass.starts, plan.segment * pass.capacity, plan.offset, pass.rows, out, at, n);
  endFixed(pass, plan, sink, at, n, true);
}

/** Elements in a variable cell whose count (already validated by pass 1) is at `p`. */
function varElements(pass: Pass, plan: FieldPlan, p: number): number {
  return pass.view.getInt32(p) * plan.itemElements;
}

function varUint8(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { bytes, starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  startRows(pass, sink);
  for (let r = 0; r < rows; r++) {
    const p = (starts[base + r] + off);
    const n = varElements(pass, plan, p);
    const out = sink.ensureNumbers(n) as Uint8Array;
    out.set(bytes.subarray(p + 4, p + 4 + n), sink.used);
    sink.used += n;
    sink.elements += n;
    recordOffset(sink, r);
  }
  finishRows(pass, plan, sink);
}

function varInt16(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { view, starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  startRows(pass, sink);
  for (let r = 0; r < rows; r++) {
    const p = starts[base + r] + off + 4;
    const n = varElements(pass, plan, p - 4);
    const out = sink.ensureNumbers(n) as Int16Array;
    const o = sink.used;
    for (let j = 0; j < n; j++) out[o + j] = view.getInt16(p + 2 * j);
    sink.used += n;
    sink.elements += n;
    recordOffset(sink, r);
  }
  finishRows(pass, plan, sink);
}

function varInt32(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { view, starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  startRows(pass, sink);
  for (let r = 0; r < rows; r++) {
    const p = starts[base + r] + off + 4;
    const n = varElements(pass, plan, p - 4);
    const out = sink.ensureNumbers(n) as Int32Array;
    const o = sink.used;
    for (let j = 0; j < n; j++) out[o + j] = view.getInt32(p + 4 * j);
    sink.used += n;
    sink.elements += n;
    recordOffset(sink, r);
  }
  finishRows(pass, plan, sink);
}

function varInt64(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { view, starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  const [lo, hi] = int64Halves();
  startRows(pass, sink);
  for (let r = 0; r < rows; r++) {
    const p = starts[base + r] + off + 4;
    const n = varElements(pass, plan, p - 4);
    const values = sink.ensureNumbers(n) as BigInt64Array;
    const out = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    const o = 2 * sink.used;
    for (let j = 0; j < n; j++) {
      out[o + 2 * j + hi] = view.getInt32(p + 8 * j);
      out[o + 2 * j + lo] = view.getInt32(p + 8 * j + 4);
    }
    sink.used += n;
    sink.elements += n;
    recordOffset(sink, r);
  }
  finishRows(pass, plan, sink);
}

function varFloat32(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { view, starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  const w = plan.width;
  startRows(pass, sink);
  for (let r = 0; r < rows; r++) {
    const p = starts[base + r] + off + 4;
    const e = varElements(pass, plan, p - 4);
    const n = e * w;
    const out = sink.ensureNumbers(n) as Float32Array;
    const o = sink.used;
    for (let j = 0; j < n; j++) out[o + j] = view.getFloat32(p + 4 * j);
    sink.used += n;
    sink.elements += e;
    recordOffset(sink, r);
  }
  finishRows(pass, plan, sink);
}

function varFloat64(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { view, starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  const w = plan.width;
  startRows(pass, sink);
  for (let r = 0; r < rows; r++) {
    const p = starts[base + r] + off + 4;
    const e = varElements(pass, plan, p - 4);
    const n = e * w;
    const out = sink.ensureNumbers(n) as Float64Array;
    const o = sink.used;
    for (let j = 0; j < n; j++) out[o + j] = view.getFloat64(p + 8 * j);
    sink.used += n;
    sink.elements += e;
    recordOffset(sink, r);
  }
  finishRows(pass, plan, sink);
}

/** boolean bytes → 1 true, 0 false, 2 null, 3 invalid. */
let booleanCodes: Uint8Array | null = null;

function booleanTable(): Uint8Array {
  if (!booleanCodes) {
    booleanCodes = new Uint8Array(256).fill(3);
    for (const c of 'Tt1') booleanCodes[c.charCodeAt(0)] = 1;
    for (const c of 'Ff0') booleanCodes[c.charCodeAt(0)] = 0;
    for (const c of '? \0') booleanCodes[c.charCodeAt(0)] = 2;
  }
  return booleanCodes;
}

/** True when row `r` of the pass has the BINARY2 null flag of `plan`'s field set. */
function flaggedNull(pass: Pass, plan: FieldPlan, r: number): boolean {
  return pass.binary2 && (pass.bytes[pass.rowStarts[r] + (plan.index >> 3)] & (0x80 >> (plan.index & 7))) !== 0;
}

function badBoolean(pass: Pass, plan: FieldPlan, r: number, byte: number): never {
  throw new BinaryDecodeError(
    `boolean byte 0x${byte.toString(16).padStart(2, '0')} is none of T, F, t, f, 1, 0, ?, space, NUL`,
    { row: pass.firstRow + r, field: plan.field.name, table: pass.tableIndex },
  );
}

/** Decodes `n` boolean bytes from `p` into `out[o…]`; returns true when the first is null. */
function readBooleans(pass: Pass, plan: FieldPlan, r: number, p: number, n: number, out: Uint8Array, o: number): boolean {
  const table = booleanTable();
  const bytes = pass.bytes;
  let firstNull = false;
  for (let j = 0; j < n; j++) {
    const code = table[bytes[p + j]];
    if (code > 1) {
      // A byte outside the set is an error, except under a BINARY2 null flag: the cell is null
      // whatever it holds.
      if (code === 3 && !flaggedNull(pass, plan, r)) badBoolean(pass, plan, r, bytes[p + j]);
      if (j === 0) firstNull = true;
      out[o + j] = 0;
    } else {
      out[o + j] = code;
    }
  }
  return firstNull;
}

/**
 * Scalar booleans, the common case: each byte's code into `out` (nulls and bad bytes as 0, to be
 * looked at again by the caller); returns the OR of the codes, above 1 when some row needs that.
 * A standalone loop over typed arrays (see the note above `readU8`).
 */
function readBooleanCodes(bytes: Uint8Array, starts: Int32Array, base: number, off: number, rows: number, out: Uint8Array, at: number, table: Uint8Array): number {
  let any = 0;
  for (let r = 0; r < rows; r++) {
    const code = table[bytes[starts[base + r] + off]];
    out[at + r] = code === 1 ? 1 : 0;
    any |= code;
  }
  return any;
}

function fixedBoolean(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  const k = plan.fixedElements;
  startRows(pass, sink);
  const out = sink.ensureNumbers(rows * k) as Uint8Array;
  const at = sink.used;
  const scalar = plan.layout.elementShape.length === 0;
  if (scalar && k === 1) {
    const table = booleanTable();
    if (readBooleanCodes(pass.bytes, starts, base, off, rows, out, at, table) > 1) {
      for (let r = 0; r < rows; r++) {
        const byte = pass.bytes[starts[base + r] + off];
        const code = table[byte];
        if (code < 2) continue;
        // Outside the set is an error, except under a BINARY2 null flag (null whatever it holds).
        if (code === 3 && !flaggedNull(pass, plan, r)) badBoolean(pass, plan, r, byte);
        sink.setNull(sink.rows + r);
      }
    }
    sink.used += rows;
    sink.elements += rows;
    finishRows(pass, plan, sink);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const isNull = readBooleans(pass, plan, r, (starts[base + r] + off), k, out, at + r * k);
    // Array cells have row-level validity only: a null element reads as false.
    if (isNull && scalar) sink.setNull(sink.rows + r);
  }
  sink.used += rows * k;
  sink.elements += rows * k;
  finishRows(pass, plan, sink);
}

function varBoolean(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  startRows(pass, sink);
  for (let r = 0; r < rows; r++) {
    const p = (starts[base + r] + off);
    const n = varElements(pass, plan, p);
    const out = sink.ensureNumbers(n) as Uint8Array;
    readBooleans(pass, plan, r, p + 4, n, out, sink.used);
    sink.used += n;
    sink.elements += n;
    recordOffset(sink, r);
  }
  finishRows(pass, plan, sink);
}

function unpackBits(bytes: Uint8Array, p: number, n: number, out: Uint8Array, o: number): void {
  for (let j = 0; j < n; j++) out[o + j] = (bytes[p + (j >> 3)] >> (7 - (j & 7))) & 1;
}

function fixedBit(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { bytes, starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  const k = plan.fixedElements;
  startRows(pass, sink);
  const out = sink.ensureNumbers(rows * k) as Uint8Array;
  const at = sink.used;
  if (plan.layout.elementShape.length === 0) {
    for (let r = 0; r < rows; r++) out[at + r] = bytes[(starts[base + r] + off)] !== 0 ? 1 : 0;
  } else {
    for (let r = 0; r < rows; r++) unpackBits(bytes, (starts[base + r] + off), k, out, at + r * k);
  }
  sink.used += rows * k;
  sink.elements += rows * k;
  finishRows(pass, plan, sink);
}

function varBit(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { bytes, starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  startRows(pass, sink);
  for (let r = 0; r < rows; r++) {
    const p = (starts[base + r] + off);
    const n = varElements(pass, plan, p);
    const out = sink.ensureNumbers(n) as Uint8Array;
    unpackBits(bytes, p + 4, n, out, sink.used);
    sink.used += n;
    sink.elements += n;
    recordOffset(sink, r);
  }
  finishRows(pass, plan, sink);
}

/**
 * Pass 1: finds where the segments (see FieldPlan.segment) of up to `capacity` whole rows start,
 * from `p` to `end`. `varOffset[k]` is where the k-th counted cell sits in its segment,
 * `varItem[k]` its bytes per item (for bit arrays, minus the bits per item), `tailBytes` what
 * follows the last counted cell. Returns the number of whole rows; `out[0]` is where they end,
 * `out[1]` the counted cell whose count was negative (rows stop before that row) or -1, and
 * `out[2]` that count's position. Standalone, with typed-array and number arguments only, so its
 * type feedback stays stable (see the note above `readU8`).
 */
function measureRows(
  view: DataView,
  p: number,
  end: number,
  varOffset: Int32Array,
  varItem: Int32Array,
  tailBytes: number,
  starts: Int32Array,
  capacity: number,
  out: Float64Array,
): number {
  const nv = varOffset.length;
  let rows = 0;
  out[1] = -1;
  rowLoop: while (rows < capacity) {
    starts[rows] = p;
    let base = p;
    for (let k = 0; k < nv; k++) {
      const q = base + varOffset[k];
      if (q + 4 > end) break rowLoop;
      const count = view.getInt32(q);
      if (count < 0) {
        out[1] = k;
        out[2] = q;
        break rowLoop;
      }
      const size = varItem[k];
      // Bit arrays are packed into whole bytes.
      base = q + 4 + (size >= 0 ? count * size : Math.ceil((count * -size) / 8));
      starts[(k + 1) * capacity + rows] = base;
    }
    const q = base + tailBytes;
    if (q > end) break;
    p = q;
    rows++;
  }
  out[0] = p;
  return rows;
}

/**
 * Copies one counted string per row into `out` from `o`, recording string ends (plus `shift`,
 * to make them column-wide) in `so` after index `e`; returns the new end of `out`. A separate function with only typed-array and number
 * arguments, so its loop keeps stable type feedback (inlined into varChar, the loop deoptimized
 * at every call: ~200 ms at 1e6 rows).
 */
function copyCountedStrings(
  bytes: Uint8Array,
  view: DataView,
  starts: Int32Array,
  base: number,
  off: number,
  rows: number,
  out: Uint8Array,
  o: number,
  so: Int32Array,
  e: number,
  shift: number,
): number {
  for (let r = 0; r < rows; r++) {
    const p = starts[base + r] + off + 4;
    const n = view.getInt32(p - 4);
    if (n > SHORT_COPY) {
      out.set(bytes.subarray(p, p + n), o);
      o += n;
    } else {
      // Four bytes a step: short names (~16 bytes) are the common case.
      let i = p;
      const stop = p + n;
      for (; i + 4 <= stop; i += 4, o += 4) {
        out[o] = bytes[i];
        out[o + 1] = bytes[i + 1];
        out[o + 2] = bytes[i + 2];
        out[o + 3] = bytes[i + 3];
      }
      for (; i < stop; i++) out[o++] = bytes[i];
    }
    so[++e] = shift + o;
  }
  return o;
}

/** Appends `count` strings of `length` bytes each from `p`, each cut at its first NUL. */
function appendChars(sink: ColumnSink, bytes: Uint8Array, p: number, length: number, count: number): void {
  const out = sink.ensureNumbers(length * count) as Uint8Array;
  const so = sink.ensureStrings(count);
  const shift = sink.sealedNumbers;
  let o = sink.used;
  let e = sink.elements;
  for (let s = 0; s < count; s++) {
    const start = p + s * length;
    let end = start;
    const stop = start + length;
    while (end < stop && bytes[end] !== 0) end++;
    if (end - start > SHORT_COPY) {
      out.set(bytes.subarray(start, end), o);
      o += end - start;
    } else {
      for (let i = start; i < end; i++) out[o++] = bytes[i];
    }
    so[++e] = shift + o;
  }
  sink.used = o;
  sink.elements = e;
}

function fixedChar(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { bytes, starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  startRows(pass, sink);
  for (let r = 0; r < rows; r++) appendChars(sink, bytes, (starts[base + r] + off), plan.stringLength, plan.fixedElements);
  finishRows(pass, plan, sink);
}

function varChar(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { bytes, view, starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  startRows(pass, sink);
  if (plan.stringLength < 0) {
    // `*` or `N*`: one string of `count` bytes, kept whole (astropy does not cut these at NUL).
    // Room is made once for the pass's text, not per row.
    let total = 0;
    for (let r = 0; r < rows; r++) total += view.getInt32((starts[base + r] + off));
    const out = sink.ensureNumbers(total) as Uint8Array;
    const so = sink.ensureStrings(rows);
    sink.used = copyCountedStrings(bytes, view, starts, base, off, rows, out, sink.used, so, sink.elements, sink.sealedNumbers);
    sink.elements += rows;
  } else {
    for (let r = 0; r < rows; r++) {
      const p = (starts[base + r] + off);
      appendChars(sink, bytes, p + 4, plan.stringLength, varElements(pass, plan, p));
      recordOffset(sink, r);
    }
  }
  finishRows(pass, plan, sink);
}

/** Appends one UCS-2 big-endian string of `chars` characters from `p` as UTF-8. */
function appendUnicode(sink: ColumnSink, view: DataView, p: number, chars: number, cutAtNul: boolean): void {
  const out = sink.ensureNumbers(chars * 3) as Uint8Array;
  const so = sink.ensureStrings(1);
  let o = sink.used;
  for (let j = 0; j < chars; j++) {
    let u = view.getUint16(p + 2 * j);
    if (u === 0 && cutAtNul) break;
    if (u < 0x80) {
      out[o++] = u;
    } else if (u < 0x800) {
      out[o++] = 0xc0 | (u >> 6);
      out[o++] = 0x80 | (u & 63);
    } else {
      if (u >= 0xd800 && u < 0xdc00 && j + 1 < chars) {
        // A UTF-16 surrogate pair, which UCS-2 writers sometimes emit: one 4-byte character.
        const low = view.getUint16(p + 2 * j + 2);
        if (low >= 0xdc00 && low < 0xe000) {
          const cp = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
          out[o++] = 0xf0 | (cp >> 18);
          out[o++] = 0x80 | ((cp >> 12) & 63);
          out[o++] = 0x80 | ((cp >> 6) & 63);
          out[o++] = 0x80 | (cp & 63);
          j++;
          continue;
        }
      }
      if (u >= 0xd800 && u < 0xe000) u = 0xfffd; // lone surrogate
      out[o++] = 0xe0 | (u >> 12);
      out[o++] = 0x80 | ((u >> 6) & 63);
      out[o++] = 0x80 | (u & 63);
    }
  }
  sink.used = o;
  so[++sink.elements] = sink.sealedNumbers + o;
}

function fixedUnicode(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { view, starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  const length = plan.stringLength;
  startRows(pass, sink);
  for (let r = 0; r < rows; r++) {
    const p = (starts[base + r] + off);
    for (let s = 0; s < plan.fixedElements; s++) appendUnicode(sink, view, p + 2 * s * length, length, true);
  }
  finishRows(pass, plan, sink);
}

function varUnicode(pass: Pass, plan: FieldPlan, sink: ColumnSink): void {
  const { view, starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  startRows(pass, sink);
  for (let r = 0; r < rows; r++) {
    const p = (starts[base + r] + off);
    if (plan.stringLength < 0) {
      appendUnicode(sink, view, p + 4, view.getInt32(p), false);
    } else {
      const count = varElements(pass, plan, p);
      for (let s = 0; s < count; s++) appendUnicode(sink, view, p + 4 + 2 * s * plan.stringLength, plan.stringLength, true);
      recordOffset(sink, r);
    }
  }
  finishRows(pass, plan, sink);
}

// ---------------------------------------------------------------------------------------------
// The decoder

/**
 * Count-only mode's pass 2: the boolean bytes are the only cells whose bytes can be invalid, so
 * they are checked (in the order the kernels check them: same first error) and nothing is kept.
 */
function checkBooleans(pass: Pass, plan: FieldPlan): void {
  const { bytes, view, starts, rows } = pass;
  const base = plan.segment * pass.capacity;
  const off = plan.offset;
  const table = booleanTable();
  for (let r = 0; r < rows; r++) {
    let p = starts[base + r] + off;
    let n = plan.fixedElements;
    if (plan.fixedBytes < 0) {
      n = view.getInt32(p) * plan.itemElements;
      p += 4;
    }
    for (let j = 0; j < n; j++) {
      if (table[bytes[p + j]] === 3 && !flaggedNull(pass, plan, r)) badBoolean(pass, plan, r, bytes[p + j]);
    }
  }
}

class BinaryDecoder implements BinaryStreamDecoder {
  private readonly row: BinaryRowPlan;
  private readonly plans: FieldPlan[];
  private readonly sinks: ColumnSink[];
  private readonly binary2: boolean;
  private readonly flagBytes: number;
  private readonly serialization: 'BINARY' | 'BINARY2';
  private readonly tableIndex: number | undefined;
  /** Count-only mode (BinaryStreamOptions.countOnly): fields whose cells are checked. */
  private readonly checked: FieldPlan[] | null;
  private countedRows = 0;
  private base64: Base64Decoder | null = null;
  private base64Out = new Uint8Array(0);
  /** A partial row, `carry[0, carryLength)`. */
  private carry = new Uint8Array(256);
  private carryLength = 0;
  private starts: Int32Array;
  private decodedRows = 0;
  private ended = false;
  /** Decoded bytes consumed by whole rows so far. */
  private decodedBytes = 0;
  /** The `expectedBytes` hint, until it has been applied. */
  private expectedBytes: number | undefined;
  private readonly flagUnion: Uint8Array;
  /** measureRows' second result: [end of the last whole row, field it stopped at or -1]. */
  private readonly measured = new Float64Array(3);

  constructor(options: BinaryStreamOptions) {
    const { fields, serialization } = options;
    if (serialization !== 'BINARY' && serialization !== 'BINARY2') {
      throw new TypeError(`createBinaryDecoder: serialization must be "BINARY" or "BINARY2", got ${String(serialization)}`);
    }
    this.serialization = serialization;
    this.tableIndex = options.tableIndex;
    this.binary2 = serialization === 'BINARY2';
    this.row = planBinaryRow(fields, serialization, options.tableIndex);
    this.flagBytes = this.row.flagBytes;
    this.plans = this.row.cells.map((cell) => ({ ...cell, kernel: kernelFor(cell) }));
    this.checked = options.countOnly ? this.plans.filter((p) => p.datatype === 'boolean') : null;
    const rows = Math.max(16, Math.min(options.expectedRows ?? 1024, 1 << 20));
    this.sinks = this.checked
      ? []
      : this.plans.map((p) => {
          const perRow = p.fixedBytes >= 0 ? Math.max(1, p.fixedElements) * p.width * (p.stringLength > 0 ? p.stringLength : 1) : 8;
          return new ColumnSink(p.field, p.layout, rows, perRow);
        });
    this.starts = new Int32Array(0);
    this.expectedBytes = options.expectedBytes !== undefined && options.expectedBytes > 0 ? options.expectedBytes : undefined;
    this.flagUnion = new Uint8Array(this.flagBytes);
  }

  get pendingRows(): number {
    if (this.checked) return this.countedRows;
    return this.sinks.length > 0 ? this.sinks[0].rows : 0;
  }

  get rowCount(): number {
    return this.decodedRows;
  }

  takeColumns(): Column[] {
    this.countedRows = 0;
    return this.sinks.map((s) => s.take());
  }

  pushBase64(bytes: Uint8Array, start: number, end: number, docOffset: number): void {
    this.checkOpen();
    const decoder = (this.base64 ??= new Base64Decoder());
    for (let s = start; s < end; s += BASE64_SLICE) {
      const e = Math.min(end, s + BASE64_SLICE);
      const need = maxDecodedLength(e - s);
      if (this.base64Out.length < need) this.base64Out = new Uint8Array(need);
      const decoded = decoder.decode(bytes, s, e, docOffset + (s - start), this.base64Out);
      if (decoded.length > 0) this.pushBytes(decoded);
    }
  }

  pushBase64Text(bytes: Uint8Array, start: number, end: number, docOffset: number): number {
    this.checkOpen();
    const decoder = (this.base64 ??= new Base64Decoder());
    for (let s = start; s < end; s += BASE64_SLICE) {
      const e = Math.min(end, s + BASE64_SLICE);
      const need = maxDecodedLength(e - s);
      if (this.base64Out.length < need) this.base64Out = new Uint8Array(need);
      const decoded = decoder.decodeText(bytes, s, e, docOffset + (s - start), this.base64Out);
      if (decoded.length > 0) this.pushBytes(decoded);
      if (decoder.stoppedAt < e) return decoder.stoppedAt;
    }
    return end;
  }

  get newlines(): number {
    return this.base64 ? this.base64.newlines : 0;
  }

  pushBytes(bytes: Uint8Array): void {
    this.checkOpen();
    if (bytes.length === 0) return;
    if (this.row.minRowBytes === 0) {
      throw new BinaryDecodeError(`${this.serialization} stream has data but the table has no FIELDs to decode it with`, {
        table: this.tableIndex,
      });
    }
    let start = 0;
    if (this.carryLength > 0) {
      start = this.completeCarriedRow(bytes);
      if (this.carryLength > 0) return;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const consumed = this.decodeRows(bytes, view, start, bytes.length);
    if (consumed < bytes.length) this.appendCarry(bytes, consumed, bytes.length);
  }

  end(): void {
    if (this.ended) return;
    if (this.base64) {
      const tail = this.base64.end();
      if (tail.length > 0) this.pushBytes(tail);
    }
    this.ended = true;
    if (this.carryLength > 0) {
      const view = new DataView(this.carry.buffer, this.carry.byteOffset, this.carryLength);
      const short = this.shortfall(view, 0, this.carryLength) as RowShortfall;
      throw rowShortfallError(this.row, short, this.decodedRows, this.serialization, this.tableIndex);
    }
  }

  /** Sizes every column for a stream of `expectedBytes`, extrapolating from the rows so far. */
  private presize(expectedBytes: number): void {
    this.expectedBytes = undefined;
    // Only when nothing has been taken yet: the estimate covers the whole stream.
    if (this.sinks.length === 0 || this.sinks[0].rows !== this.decodedRows) return;
    const scale = expectedBytes / this.decodedBytes;
    if (scale < 2 || !Number.isFinite(scale)) return;
    const rows = Math.ceil(this.decodedRows * scale);
    for (const sink of this.sinks) sink.presize(rows, Math.ceil((sink.sealedNumbers + sink.used) * scale));
  }

  private checkOpen(): void {
    if (this.ended) throw new TypeError('BinaryStreamDecoder: input already ended; create a new decoder for another stream');
  }

  private appendCarry(bytes: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.carryLength + n > this.carry.length) {
      const next = new Uint8Array(grownSize(this.carry.length, this.carryLength + n));
      next.set(this.carry.subarray(0, this.carryLength));
      this.carry = next;
    }
    this.carry.set(bytes.subarray(start, end), this.carryLength);
    this.carryLength += n;
  }

  /**
   * Moves bytes from `bytes` into the carried partial row, only as many as the row still needs,
   * and decodes the row once whole. Returns how many bytes of `bytes` it used.
   */
  private completeCarriedRow(bytes: Uint8Array): number {
    let used = 0;
    for (;;) {
      const view = new DataView(this.carry.buffer, this.carry.byteOffset, this.carry.length);
      const short = this.shortfall(view, 0, this.carryLength);
      if (short === null) {
        const consumed = this.decodeRows(this.carry, view, 0, this.carryLength);
        // The carry holds exactly one row: anything else would mean pass 1 disagrees with itself.
        if (consumed !== this.carryLength) throw new Error('BinaryDecoder: carried row did not decode whole');
        this.carryLength = 0;
        return used;
      }
      if (used === bytes.length) return used;
      const take = Math.min(short.rowBytesKnown - this.carryLength, bytes.length - used);
      this.appendCarry(bytes, used, used + take);
      used += take;
    }
  }

  /** Walks one row from `start`; null when it is whole in `[start, end)`, else what is missing. */
  private shortfall(view: DataView, start: number, end: number): RowShortfall | null {
    return findRowShortfall(this.row, view, start, end, this.decodedRows, this.serialization, this.tableIndex);
  }

  /** Decodes the whole rows in `[start, end)`; returns where the first partial row starts. */
  private decodeRows(bytes: Uint8Array, view: DataView, start: number, end: number): number {
    const plans = this.plans;
    const nf = plans.length;
    const flagBytes = this.flagBytes;
    const { countedOffset, countedItemBytes, countedField, tailBytes, minRowBytes } = this.row;
    const segments = countedOffset.length + 1;
    let p = start;
    while (end - p >= minRowBytes) {
      const capacity = Math.min(MAX_ROWS_PER_PASS, Math.floor((end - p) / minRowBytes));
      if (this.starts.length < capacity * segments) this.starts = new Int32Array(capacity * segments);
      const starts = this.starts;
      const rowStarts = starts;
      // Pass 1: where each row's segments start.
      const first = p;
      const rows = measureRows(view, p, end, countedOffset, countedItemBytes, tailBytes, starts, capacity, this.measured);
      p = this.measured[0];
      if (this.measured[1] >= 0) {
        // A negative count, named with its row and field before the rows in front are decoded.
        const cell = plans[countedField[this.measured[1]]];
        throw negativeCountError(cell, view.getInt32(this.measured[2]), this.decodedRows + rows, this.serialization, this.tableIndex);
      }
      if (rows === 0) break;
      let flagUnion: Uint8Array | null = null;
      if (this.binary2 && !this.checked) {
        flagUnion = this.flagUnion.fill(0);
        for (let r = 0; r < rows; r++) {
          const at = rowStarts[r];
          for (let b = 0; b < flagBytes; b++) flagUnion[b] |= bytes[at + b];
        }
      }
      // Pass 2: one loop per column.
      const pass: Pass = {
        bytes,
        view,
        starts,
        capacity,
        rowStarts,
        rows,
        flagUnion,
        firstRow: this.decodedRows,
        binary2: this.binary2,
        tableIndex: this.tableIndex,
      };
      if (this.checked) {
        for (const plan of this.checked) checkBooleans(pass, plan);
        this.countedRows += rows;
      } else {
        for (let f = 0; f < nf; f++) plans[f].kernel(pass, plans[f], this.sinks[f]);
      }
      this.decodedRows += rows;
      this.decodedBytes += p - first;
      if (this.expectedBytes !== undefined && this.decodedRows >= 1000) this.presize(this.expectedBytes);
    }
    return p;
  }
}
