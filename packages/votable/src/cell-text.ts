/**
 * Parses the text of one TABLEDATA cell or PARAM value as its datatype and arraysize
 * (VOTable 1.5 §2.1, §5.1), into a ColumnBuilder. The inverse of `cell-format.ts`.
 *
 * `tabledata.ts` decodes the common cells straight from bytes and comes here for everything
 * else, so the rules live in one place. They follow astropy.io.votable (converters.py), which
 * is what users compare with, except where astropy would keep garbage or drop data silently:
 * - the whole text is stripped of XML whitespace first (astropy's iterparser does the same);
 * - numbers read like Python `int()` / `float()`: optional sign, `_` between digits, `0x` hex
 *   integers, `NaN`, `Inf`, `+Inf`, `-Inf`, `Infinity` in any case; float cells holding IRSA's
 *   `null` or a run of dashes (`-`, `--`) are null, as astropy reads them;
 * - an empty cell is null for scalars and fixed-size arrays, an empty array (valid) for
 *   variable-size ones (so that a written empty array reads back), the empty string for char;
 * - an integer outside its datatype's range is a ValueError (astropy clamps with warning W51);
 * - a fixed-size numeric array with too few elements is padded (NaN for floats, 0 for integers,
 *   false for booleans), as astropy does; too many is a ValueError (astropy drops them);
 * - a fixed-length string longer than its arraysize is cut to arraysize characters (numpy `U<n>`
 *   storage does the same in astropy); a bounded variable one (`N*`) is kept whole, like any
 *   `N*` array whose bound is exceeded (nothing is lost); arrays of strings (`10x3`, `10x*`) are
 *   the strings concatenated, each `n` characters, trailing spaces and NULs removed.
 */

import { ColumnBuilder } from './column-builder.js';
import type { CellValue } from './column.js';
import { ValueError, type ErrorLocation } from './errors.js';
import type { Datatype, Field } from './model.js';

/** Integer ranges per datatype (as numbers; long is checked with BigInt). */
const INT_RANGE: Partial<Record<Datatype, [number, number]>> = {
  unsignedByte: [0, 255],
  short: [-32768, 32767],
  int: [-2147483648, 2147483647],
};
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

const DECIMAL_INT = /^[+-]?\d(?:_?\d)*$/;
const HEX_INT = /^0x[0-9a-f](?:_?[0-9a-f])*$/;
const DECIMAL_FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:e[+-]?\d(?:_?\d)*)?$/i;
const SPLIT = /\s*,\s*|\s+/;

/** True for a float cell IRSA-style services write for "no value" (`null`, `-`, `--`). */
function isNullWord(text: string): boolean {
  return /^(?:null|-+)$/i.test(text);
}

/** Strips the four XML whitespace characters from both ends (not other Unicode spaces). */
export function stripXmlSpace(text: string): string {
  let s = 0;
  let e = text.length;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  return s === 0 && e === text.length ? text : text.slice(s, e);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/**
 * Parses integer text like Python `int(text, 10)` or, with a `0x` prefix, base 16.
 * Returns null for an empty text or `NaN` (a null in TABLEDATA). Throws ValueError when the
 * text is not an integer or is outside `datatype`'s range.
 */
export function parseIntegerText(text: string, datatype: Datatype, where: ErrorLocation = {}): number | bigint | null {
  const t = stripXmlSpace(text).toLowerCase();
  if (t === '' || t === 'nan') return null;
  let big: bigint;
  if (HEX_INT.test(t)) big = BigInt(t.replace(/_/g, ''));
  else if (DECIMAL_INT.test(t)) big = BigInt(t.replace(/_/g, ''));
  else throw new ValueError(`"${text}" is not a ${datatype} (expected a decimal or 0x-hex integer)`, where);
  if (datatype === 'long') {
    if (big < LONG_MIN || big > LONG_MAX) throw new ValueError(`${text} is outside the range of long (64-bit)`, where);
    return big;
  }
  const range = INT_RANGE[datatype] ?? [-Infinity, Infinity];
  const n = Number(big);
  if (n < range[0] || n > range[1]) {
    throw new ValueError(`${text} is outside the range of ${datatype} (${range[0]}..${range[1]})`, where);
  }
  return n;
}

/**
 * Parses floating-point text like Python `float()`. Returns null for an empty text and for
 * the null words of `isNullWord`; throws ValueError otherwise when it is not a number.
 */
export function parseFloatText(text: string, where: ErrorLocation = {}): number | null {
  const t = stripXmlSpace(text);
  if (t === '') return null;
  if (DECIMAL_FLOAT.test(t)) return Number(t.indexOf('_') >= 0 ? t.replace(/_/g, '') : t);
  const lower = t.toLowerCase();
  const unsigned = lower[0] === '+' || lower[0] === '-' ? lower.slice(1) : lower;
  if (unsigned === 'nan') return NaN;
  if (unsigned === 'inf' || unsigned === 'infinity') return lower[0] === '-' ? -Infinity : Infinity;
  if (isNullWord(t)) return null;
  throw new ValueError(`"${text}" is not a floating-point number`, where);
}

/** Parses boolean text (T, F, true, false, 1, 0 in any case); null for `?` and empty. */
export function parseBooleanText(text: string, where: ErrorLocation = {}): boolean | null {
  const t = stripXmlSpace(text).toUpperCase();
  switch (t) {
    case 'T':
    case 'TRUE':
    case '1':
      return true;
    case 'F':
    case 'FALSE':
    case '0':
      return false;
    case '?':
    case '':
      return null;
    default:
      throw new ValueError(`"${text}" is not a boolean (expected T, F, true, false, 1, 0 or ?)`, where);
  }
}

/** Cuts `text` to at most `n` Unicode code points. */
function cutCodePoints(text: string, n: number): string {
  if (text.length <= n) return text;
  let count = 0;
  let i = 0;
  while (i < text.length && count < n) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    count++;
  }
  return text.slice(0, i);
}

function stripPadding(text: string): string {
  let e = text.length;
  while (e > 0 && (text.charCodeAt(e - 1) === 0x20 || text.charCodeAt(e - 1) === 0)) e--;
  return text.slice(0, e);
}

/** Writes `count` null elements (zeros; NaN for floats) for a null fixed-size cell. */
export function appendNullElements(builder: ColumnBuilder, count: number): void {
  if (builder.isString) {
    for (let k = 0; k < count; k++) builder.appendString('');
    return;
  }
  const numbers = count * builder.width;
  const at = builder.reserve(numbers);
  const values = builder.values;
  const dt = builder.field.datatype;
  if (dt === 'long') (values as BigInt64Array).fill(0n, at, at + numbers);
  else if (dt === 'float' || dt === 'double' || dt === 'floatComplex' || dt === 'doubleComplex') {
    (values as Float64Array).fill(NaN, at, at + numbers);
  } else (values as Uint8Array).fill(0, at, at + numbers);
}

/** Context of one cell, for null values and error locations. */
export interface CellContext {
  /** VALUES null of the field, parsed by `cellNullValue`. */
  nullValue?: number | bigint | null;
  /** Where the cell is, for errors. */
  where?: ErrorLocation;
}

/**
 * The VALUES null of a field as a number (bigint for long), or null when it declares none or
 * is not numeric. Floats may declare one too (`null="-999"`, `null="NaN"`), as astropy and
 * `binary.ts` honour.
 */
export function cellNullValue(field: Field): number | bigint | null {
  const text = field.values?.null;
  if (text === undefined) return null;
  const dt = field.datatype;
  try {
    if (dt === 'unsignedByte' || dt === 'short' || dt === 'int' || dt === 'long') return parseIntegerText(text, dt);
    if (dt === 'float' || dt === 'double') {
      const v = parseFloatText(text);
      return v === null ? null : dt === 'float' ? Math.fround(v) : v;
    }
  } catch {
    // A null that is not a number of the datatype cannot match any cell.
  }
  return null;
}

/** True when `v` equals the declared null `nullValue` (NaN matches NaN). */
export function isNullValue(v: number | bigint, nullValue: number | bigint): boolean {
  if (typeof v === 'bigint' || typeof nullValue === 'bigint') return BigInt(v) === BigInt(nullValue);
  return v === nullValue || (v !== v && nullValue !== nullValue);
}

function parseElement(dt: Datatype, part: string, where: ErrorLocation): number | bigint | boolean | null {
  switch (dt) {
    case 'boolean':
      return parseBooleanText(part, where);
    case 'bit':
      if (part === '0') return false;
      if (part === '1') return true;
      if (part === '') return null;
      throw new ValueError(`"${part}" is not a bit (expected 0 or 1)`, where);
    case 'unsignedByte':
    case 'short':
    case 'int':
    case 'long':
      return parseIntegerText(part, dt, where);
    default:
      return parseFloatText(part, where);
  }
}

/**
 * Parses `text` as one cell of `builder`'s field and appends it (without ending the row).
 * Returns the row's validity. Throws ValueError saying what was expected.
 */
export function appendCellText(builder: ColumnBuilder, text: string, context: CellContext = {}): boolean {
  const where = context.where ?? {};
  const layout = builder.layout;
  const field = builder.field;
  const dt = field.datatype;
  const t = stripXmlSpace(text);
  if (builder.isString) return appendStrings(builder, t, where);
  const fixed = !layout.variableElements;
  const scalar = fixed && layout.elementShape.length === 0;
  if (t === '') {
    if (!fixed) return true;
    appendNullElements(builder, layout.fixedCount);
    return false;
  }
  if (dt === 'floatComplex' || dt === 'doubleComplex') {
    if (scalar && t.toLowerCase() === 'nan') {
      appendNullElements(builder, 1);
      return false;
    }
    const parts = t.split(SPLIT);
    if (parts.length % 2 !== 0) {
      throw new ValueError(`complex cell "${t}" has ${parts.length} numbers; expected real and imaginary pairs`, where);
    }
    const elements = parts.length / 2;
    checkCount(layout, elements, t, where, field.arraysize);
    const at = builder.reserve(parts.length);
    const values = builder.values as Float64Array;
    for (let k = 0; k < parts.length; k++) values[at + k] = parseFloatText(parts[k], where) ?? NaN;
    return true;
  }
  let parts: string[];
  if (dt === 'bit' && !scalar) parts = Array.from(t.replace(/[\s,]/g, ''));
  else if (scalar) parts = [t];
  else parts = t.split(SPLIT);
  const count = parts.length;
  let padTo = count;
  if (fixed) {
    if (count > layout.fixedCount) {
      throw new ValueError(
        `cell has ${count} elements, arraysize "${field.arraysize}" allows ${layout.fixedCount} (the extra ones would be lost)`,
        where,
      );
    }
    padTo = layout.fixedCount;
  } else checkCount(layout, count, t, where, field.arraysize);
  const at = builder.reserve(padTo);
  const values = builder.values;
  let valid = true;
  const nullValue = context.nullValue ?? null;
  for (let k = 0; k < padTo; k++) {
    const v = k < count ? parseElement(dt, parts[k], where) : null;
    if (dt === 'long') {
      (values as BigInt64Array)[at + k] = v === null ? 0n : BigInt(v as bigint);
    } else if (typeof v === 'boolean') (values as Uint8Array)[at + k] = v ? 1 : 0;
    else if (v === null) {
      (values as Float64Array)[at + k] = dt === 'float' || dt === 'double' ? NaN : 0;
    } else (values as Float64Array)[at + k] = v as number;
    if (scalar) {
      if (v === null) valid = false;
      else if (nullValue !== null && typeof v !== 'boolean' && isNullValue(dt === 'float' && typeof v === 'number' ? Math.fround(v) : v, nullValue)) valid = false;
    }
  }
  return valid;
}

/** Fixed arrays need their exact count; variable ones with an inner shape (`3x*`) whole items. */
function checkCount(layout: ColumnBuilder['layout'], elements: number, text: string, where: ErrorLocation, arraysize?: string): void {
  if (!layout.variableElements) {
    if (elements !== layout.fixedCount) {
      throw new ValueError(`cell "${text}" has ${elements} elements, expected ${layout.fixedCount}`, where);
    }
    return;
  }
  const shape = layout.elementShape;
  let inner = 1;
  for (let k = 0; k < shape.length - 1; k++) inner *= shape[k];
  if (elements % inner !== 0) {
    throw new ValueError(`cell has ${elements} elements, not a multiple of ${inner} (arraysize "${arraysize}")`, where);
  }
  // The bound of `N*` is not enforced: astropy reads longer cells whole, and nothing is lost.
}

function appendStrings(builder: ColumnBuilder, t: string, where: ErrorLocation): boolean {
  const layout = builder.layout;
  const n = layout.stringLength;
  if (layout.fixedCount === 1 && layout.elementShape.length === 0) {
    builder.appendString(n > 0 ? cutCodePoints(t, n) : t);
    return true;
  }
  // An array of strings: each string is n characters in a row (VOTable 1.5 §2.2).
  const chars = Array.from(t);
  const count = chars.length === 0 ? 0 : Math.ceil(chars.length / n);
  let total = count;
  if (!layout.variableElements) {
    if (count > layout.fixedCount) {
      throw new ValueError(
        `cell holds ${count} strings of ${n} characters, arraysize "${builder.field.arraysize}" allows ${layout.fixedCount}`,
        where,
      );
    }
    total = layout.fixedCount;
  }
  for (let k = 0; k < total; k++) {
    builder.appendString(k < count ? stripPadding(chars.slice(k * n, (k + 1) * n).join('')) : '');
  }
  return true;
}

/**
 * Parses a PARAM value (or any single cell text) as `field`'s datatype and arraysize, giving
 * the same value `Column.get` gives for a cell (null when the value is null).
 */
export function parseCellText(text: string, field: Field, where: ErrorLocation = {}): CellValue {
  const builder = new ColumnBuilder(field, 1);
  const valid = appendCellText(builder, text, { nullValue: cellNullValue(field), where });
  builder.endRow(valid);
  return builder.finish().get(0);
}
