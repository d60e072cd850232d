/**
 * The layout of a BINARY / BINARY2 row (VOTable 1.5 §5.4, §5.5): how many bytes each cell takes,
 * where it starts, which cells start with a count, and the VALUES null sentinel of each column.
 * Both row decoders work from this one plan (this package's and the WebAssembly one of
 * `@vokit/crossmatch-wasm`, which gets it through `BINARY_DECODER_HOST`), and both name a
 * partial row at the end of a stream with `findRowShortfall` and `rowShortfallError`.
 *
 * A row is the cells back to back, big-endian, after `ceil(nfields / 8)` null-flag bytes in
 * BINARY2. Fixed cells have `count × size` bytes; variable cells (`*`, `N*`) start with a 4-byte
 * count of items, an item being everything but the last dimension (so `3x*` counts 3-vectors,
 * as astropy reads it). Bit arrays are packed MSB first into whole bytes.
 */

import { cellLayout, DATATYPE_BYTES, isComplexType, isStringType, parseArraySize, type CellLayout } from './datatypes.js';
import { ArraySizeError, BinaryDecodeError, TruncatedError, UnknownDatatypeError, type ErrorLocation } from './errors.js';
import type { Datatype, Field } from './model.js';

/** How one FIELD's cells sit in a row. */
export interface BinaryCellPlan {
  field: Field;
  /** The field's index in the row (its BINARY2 null-flag bit). */
  index: number;
  datatype: Datatype;
  layout: CellLayout;
  /** Bytes of a fixed cell, or -1 when the cell starts with a count. */
  fixedBytes: number;
  /** For counted cells: bytes per counted item (bit arrays: see `bitItems`). */
  itemBytes: number;
  /** Elements (numbers' elements, or strings) per counted item; bit arrays: bits per item. */
  itemElements: number;
  /** Counted bit arrays: the count is of items of `itemElements` bits, packed. */
  bitItems: boolean;
  /** Numbers per element (2 for complex). */
  width: number;
  /** Elements per fixed cell (`layout.fixedCount`). */
  fixedElements: number;
  /**
   * Where the cell starts: `offset` bytes after the start of row segment `segment`. Segment 0
   * starts with the row; segment k + 1 starts right after the k-th counted cell, so a decoder
   * records one position per counted cell, not one per field.
   */
  segment: number;
  offset: number;
  /** Index of this cell among the counted cells, or -1 for a fixed cell. */
  countedIndex: number;
  /** Characters per fixed string (char, unicodeChar), -1 for a `*` string, 0 for others. */
  stringLength: number;
  /**
   * The VALUES null sentinel of a scalar number, when declared and usable, as the column stores
   * it (wrapped to the integer type, rounded to float32); NaN for `null="NaN"`. Else null.
   */
  nullNumber: number | null;
  /** The same for long, as signed 32-bit (hi, lo) halves, when `hasNullLong`. */
  nullHi: number;
  nullLo: number;
  hasNullLong: boolean;
}

/** How a whole row is laid out: the cells, and what a row measurer needs. */
export interface BinaryRowPlan {
  cells: BinaryCellPlan[];
  /** BINARY2 null-flag bytes at the start of each row (0 for BINARY). */
  flagBytes: number;
  /** Smallest possible row: > 0 unless the table has no fields. */
  minRowBytes: number;
  /** Per counted cell: its offset in its segment, bytes per item (bit arrays: minus the bits
   * per item), and its field index. */
  countedOffset: Int32Array;
  countedItemBytes: Int32Array;
  countedField: Int32Array;
  /** Bytes after the last counted cell (the whole row when there is none). */
  tailBytes: number;
}

/**
 * Plans the rows of a table with `fields`. Throws ArraySizeError for an arraysize that does not
 * parse or makes cells of more than 2 GiB, UnknownDatatypeError for a datatype outside the twelve.
 */
export function planBinaryRow(fields: Field[], serialization: 'BINARY' | 'BINARY2', tableIndex?: number): BinaryRowPlan {
  const flagBytes = serialization === 'BINARY2' ? (fields.length + 7) >> 3 : 0;
  const cells = fields.map((f, i) => planCell(f, i, tableIndex));
  const countedOffset: number[] = [];
  const countedItemBytes: number[] = [];
  const countedField: number[] = [];
  let segment = 0;
  let offset = flagBytes;
  let minRowBytes = flagBytes;
  for (const cell of cells) {
    cell.segment = segment;
    cell.offset = offset;
    if (cell.fixedBytes >= 0) {
      offset += cell.fixedBytes;
      minRowBytes += cell.fixedBytes;
    } else {
      cell.countedIndex = countedOffset.length;
      countedOffset.push(offset);
      countedItemBytes.push(cell.bitItems ? -cell.itemElements : cell.itemBytes);
      countedField.push(cell.index);
      segment++;
      offset = 0;
      minRowBytes += 4;
    }
  }
  return {
    cells,
    flagBytes,
    minRowBytes,
    countedOffset: Int32Array.from(countedOffset),
    countedItemBytes: Int32Array.from(countedItemBytes),
    countedField: Int32Array.from(countedField),
    tailBytes: offset,
  };
}

function planCell(field: Field, index: number, tableIndex: number | undefined): BinaryCellPlan {
  const where: ErrorLocation = { field: field.name, table: tableIndex };
  const size = parseArraySize(field.arraysize, where);
  const datatype = field.datatype;
  if (!Object.prototype.hasOwnProperty.call(DATATYPE_BYTES, datatype)) {
    // Fields built by hand (not by the parser) may carry anything.
    throw new UnknownDatatypeError(String(datatype), where);
  }
  const layout = cellLayout(datatype, size);
  const isString = isStringType(datatype);
  const fixedDims = size.dims.filter((_d, i) => !(size.variable && i === size.dims.length - 1));
  const fixedProduct = fixedDims.reduce((a, b) => a * b, 1);
  const cell: BinaryCellPlan = {
    field,
    index,
    datatype,
    layout,
    fixedBytes: -1,
    itemBytes: 0,
    itemElements: 0,
    bitItems: false,
    width: isComplexType(datatype) ? 2 : 1,
    fixedElements: layout.fixedCount,
    segment: 0,
    offset: 0,
    countedIndex: -1,
    stringLength: layout.stringLength,
    nullNumber: null,
    nullHi: 0,
    nullLo: 0,
    hasNullLong: false,
  };
  if (datatype === 'bit') {
    if (size.variable) {
      cell.bitItems = true;
      cell.itemElements = fixedProduct;
    } else {
      cell.fixedBytes = Math.max(1, (fixedProduct + 7) >> 3);
    }
  } else if (size.variable) {
    // For strings the first dimension is inside the item unless it is the variable one.
    cell.itemBytes = fixedProduct * DATATYPE_BYTES[datatype];
    cell.itemElements = isString ? (layout.stringLength < 0 ? 1 : fixedProduct / layout.stringLength) : fixedProduct;
  } else {
    cell.fixedBytes = fixedProduct * DATATYPE_BYTES[datatype];
  }
  if (cell.fixedBytes > 0x7fffffff || cell.itemBytes > 0x7fffffff || cell.itemElements > 0x7fffffff) {
    throw new ArraySizeError(`arraysize "${field.arraysize}" makes cells of more than 2 GiB, which BINARY cannot hold`, where);
  }
  const nullText = field.values?.null;
  if (nullText !== undefined && size.dims.length === 0 && !isString && datatype !== 'boolean' && datatype !== 'bit') {
    planNull(cell, nullText.trim());
  }
  return cell;
}

/** The VALUES `null` of a scalar number; text that is not a number of the type is ignored
 * (astropy warns likewise and ignores it). */
function planNull(cell: BinaryCellPlan, text: string): void {
  const datatype = cell.datatype;
  if (datatype === 'long') {
    try {
      const big = BigInt.asIntN(64, BigInt(text));
      cell.nullHi = Number(BigInt.asIntN(32, big >> 32n));
      cell.nullLo = Number(BigInt.asIntN(32, big));
      cell.hasNullLong = true;
    } catch {
      // not an integer
    }
    return;
  }
  if (text === '') return;
  const isNaNText = /^[+-]?nan$/i.test(text);
  const value = isNaNText ? NaN : Number(text);
  if (Number.isNaN(value) && !isNaNText) return;
  if (datatype === 'float' || datatype === 'floatComplex') cell.nullNumber = Math.fround(value);
  else if (datatype === 'double' || datatype === 'doubleComplex') cell.nullNumber = value;
  else if (Number.isInteger(value)) {
    // Wrap to the column's type, so `null="0xFFFF"` on a short matches -1 as stored.
    cell.nullNumber = datatype === 'int' ? value | 0 : datatype === 'short' ? (value << 16) >> 16 : value & 255;
  }
}

/** Bytes of a counted cell with `count` items (count ≥ 0). */
function countedBytes(cell: BinaryCellPlan, count: number): number {
  return cell.bitItems ? Math.ceil((count * cell.itemElements) / 8) : count * cell.itemBytes;
}

/** What a partial row still lacks: which part of which field needs how many bytes. */
export interface RowShortfall {
  /** Field index, or -1 for the BINARY2 null flags. */
  field: number;
  /** What the missing bytes are for. */
  part: 'null flags' | 'count' | 'value';
  need: number;
  have: number;
  /** Bytes the row needs as far as known (at least `need - have` more than it has). */
  rowBytesKnown: number;
}

/**
 * Walks one row from `start`: null when it is whole in `[start, end)`, else what is missing.
 * Throws `negativeCountError` (row `row`) for a negative count on the way.
 */
export function findRowShortfall(
  plan: BinaryRowPlan,
  view: DataView,
  start: number,
  end: number,
  row: number,
  serialization: string,
  tableIndex?: number,
): RowShortfall | null {
  let q = start + plan.flagBytes;
  if (q > end) return { field: -1, part: 'null flags', need: plan.flagBytes, have: end - start, rowBytesKnown: q - start };
  for (const cell of plan.cells) {
    if (cell.fixedBytes >= 0) {
      q += cell.fixedBytes;
      if (q > end) return { field: cell.index, part: 'value', need: cell.fixedBytes, have: end - (q - cell.fixedBytes), rowBytesKnown: q - start };
      continue;
    }
    if (q + 4 > end) return { field: cell.index, part: 'count', need: 4, have: end - q, rowBytesKnown: q + 4 - start };
    const count = view.getInt32(q);
    if (count < 0) throw negativeCountError(cell, count, row, serialization, tableIndex);
    const n = countedBytes(cell, count);
    q += 4 + n;
    if (q > end) return { field: cell.index, part: 'value', need: n, have: end - (q - n), rowBytesKnown: q - start };
  }
  return null;
}

/** The error of a stream that ends inside row `row`, `short` saying what the row lacks. */
export function rowShortfallError(plan: BinaryRowPlan, short: RowShortfall, row: number, serialization: string, tableIndex?: number): TruncatedError {
  const cell = short.field >= 0 ? plan.cells[short.field] : undefined;
  const what =
    short.part === 'null flags' ? `${short.need} null-flag bytes` : short.part === 'count' ? `${short.need} bytes for the array count` : `${short.need} bytes`;
  return new TruncatedError(`${serialization} stream ends inside the row: need ${what}, have ${short.have}`, {
    row,
    field: cell?.field.name,
    table: tableIndex,
  });
}

/** The error of a counted cell whose count is negative. */
export function negativeCountError(cell: BinaryCellPlan, count: number, row: number, serialization: string, tableIndex?: number): BinaryDecodeError {
  return new BinaryDecodeError(`${serialization} array count ${count} is negative`, { row, field: cell.field.name, table: tableIndex });
}
