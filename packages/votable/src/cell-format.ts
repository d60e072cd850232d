/**
 * One cell as TABLEDATA text, exactly and losslessly (the inverse of `cell-text.ts`):
 * - double: the shortest decimal that reads back as the same double (ECMAScript
 *   Number::toString), `-0` kept;
 * - float: the shortest decimal that reads back as the same float32, whether the reader rounds
 *   decimal → float32 directly (Java `Float.parseFloat`) or through a double (numpy, us);
 * - long: exact (BigInt), so Gaia `source_id` above 2^53 survives;
 * - NaN and infinities as VOTable 1.5 §2.1 spells them: `NaN`, `+Inf`, `-Inf`;
 * - boolean `T`/`F`, bit `0`/`1`; array elements separated by one space, first index fastest;
 *   complex as `re im`;
 * - a null cell is the empty string, except scalar integers whose FIELD declares VALUES null,
 *   which get that value (readers before VOTable 1.3 reject empty integer cells).
 *
 * The text is not XML-escaped; `tabledata-writer.ts` escapes string cells.
 */

import type { StringOverflowPolicy } from './binary-writer.js';
import type { CellValue, Column } from './column.js';
import { isComplexType, isStringType, parseArraySize, cellLayout } from './datatypes.js';
import { WriteError } from './errors.js';
import type { Datatype, Field } from './model.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 next to `f` (a finite non-zero float32) in the direction of `toward`. */
function float32Neighbour(f: number, toward: number): number {
  f32[0] = f;
  // For positive f, a larger magnitude is the next bit pattern; mirrored for negative f.
  const away = Math.abs(toward) > Math.abs(f);
  u32[0] = away ? u32[0] + 1 : u32[0] - 1;
  return f32[0];
}

/** True when the decimal text `s` (as toPrecision writes it) is exactly the double `d`. */
function decimalIsExactly(s: string, d: number): boolean {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) return false;
  const digits = BigInt(m[2] + (m[3] ?? ''));
  const e10 = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  // d is a float32 midpoint: 25 significant bits, so d * 2^-k is an integer for this k.
  const k = Math.floor(Math.log2(Math.abs(d))) - 30;
  const D = BigInt(Math.abs(d) * 2 ** -k);
  let left = digits;
  let right = D;
  if (e10 >= 0) left *= 10n ** BigInt(e10);
  else right *= 10n ** BigInt(-e10);
  if (k >= 0) right *= 2n ** BigInt(k);
  else left *= 2n ** BigInt(-k);
  return left === right;
}

function float32RoundTrips(f: number, digits: number): boolean {
  const s = f.toPrecision(digits);
  const d = Number(s);
  if (Math.fround(d) !== f) return false;
  if (d === f) return true;
  // A decimal whose double lands exactly halfway between two float32s only because of the
  // rounding to double is ambiguous: a reader going through a double breaks the tie to even,
  // one rounding directly (Java Float.parseFloat) sees which side the decimal is on. An exact
  // tie is fine: both round half to even.
  const g = float32Neighbour(f, d);
  return d !== (f + g) / 2 || decimalIsExactly(s, d);
}

/**
 * Formats a double as the shortest text that reads back as the same value.
 * NaN → `NaN`, ±Infinity → `+Inf` / `-Inf`, negative zero → `-0`.
 */
export function formatDouble(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (Number.isFinite(x)) return String(x);
  return x !== x ? 'NaN' : x > 0 ? '+Inf' : '-Inf';
}

/** Exact powers of ten (10^22 is the largest a double holds exactly). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The double nearest the p-significant-digit decimal nearest `a` (a positive float32 whose
 * decimal exponent is `e10`), or undefined when the scale is not an exact power of ten. With
 * an exact scale, `c / 10^k` and `c * 10^k` round once, exactly as parsing the text would.
 */
function scaledCandidate(a: number, p: number, e10: number): number | undefined {
  const k = p - 1 - e10;
  if (k >= 0) return k > 22 ? undefined : Math.round(a * POW10[k]) / POW10[k];
  return -k > 22 ? undefined : Math.round(a / POW10[-k]) * POW10[-k];
}

/** The decimal text of the candidate `scaledCandidate(a, p, e10)` stands for. */
function scaledCandidateText(a: number, p: number, e10: number): string {
  const k = p - 1 - e10;
  return k >= 0 ? `${Math.round(a * POW10[k])}e-${k}` : `${Math.round(a / POW10[-k])}e+${-k}`;
}

/** True when the p-digit candidate `d` of the float32 `a` reads back as `a` unambiguously. */
function candidateRoundTrips(a: number, d: number, p: number, e10: number): boolean {
  if (Math.fround(d) !== a) return false;
  if (d === a) return true;
  const g = float32Neighbour(a, d);
  // Rare: on a float32 midpoint decide with the exact decimal (see float32RoundTrips).
  return d !== (a + g) / 2 || decimalIsExactly(scaledCandidateText(a, p, e10), d);
}

/**
 * Formats a float32 value (a number `Math.fround` leaves unchanged; others are rounded to
 * float32 first) as the shortest decimal that reads back as the same float32.
 * NaN → `NaN`, ±Infinity → `+Inf` / `-Inf`, negative zero → `-0`.
 */
export function formatFloat(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (!Number.isFinite(x)) return x !== x ? 'NaN' : x > 0 ? '+Inf' : '-Inf';
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  const a = Math.abs(f);
  let e10 = Math.floor(Math.log10(a));
  // log10 can be off by one next to a power of ten (a wrong e10 costs shortness, never
  // correctness: every candidate is checked).
  if (Math.abs(e10) <= 21) {
    const pow = (e: number) => (e >= 0 ? POW10[e] : 1 / POW10[-e]);
    if (pow(e10) > a) e10--;
    else if (pow(e10 + 1) <= a) e10++;
  }
  // Round-tripping at p digits implies it at p + 1 (the nearest (p+1)-digit decimal is at least
  // as close), so binary search over 1..9; 9 digits always suffice for float32. Values whose
  // scale is not an exact power of ten (below ~1e-13 or above ~1e22) go through toPrecision.
  let lo = 1;
  let hi = 9;
  const fast = scaledCandidate(a, 9, e10) !== undefined && scaledCandidate(a, 1, e10) !== undefined;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const ok = fast ? candidateRoundTrips(a, scaledCandidate(a, mid, e10) as number, mid, e10) : float32RoundTrips(a, mid);
    if (ok) hi = mid;
    else lo = mid + 1;
  }
  let d = fast ? (scaledCandidate(a, lo, e10) as number) : Number(a.toPrecision(lo));
  // The scaled candidate at 9 digits can miss by one unit in a near tie: take the exact text.
  if (Math.fround(d) !== a) d = Number(a.toPrecision(9));
  // Number → String strips padding zeros and picks plain or exponent form as JS does.
  const text = String(d);
  return f < 0 ? '-' + text : text;
}

/** Formats one number of a datatype (integers, floats; complex parts use their float type). */
export function formatNumber(datatype: Datatype, value: number | bigint): string {
  switch (datatype) {
    case 'float':
    case 'floatComplex':
      return formatFloat(Number(value));
    case 'double':
    case 'doubleComplex':
      return formatDouble(Number(value));
    default:
      return typeof value === 'bigint' ? value.toString() : String(value);
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Characters (code points) in `s`: TABLEDATA readers count string widths in characters. */
function characters(s: string): number {
  return SURROGATE.test(s) ? Array.from(s).length : s.length;
}

/** Returns the text of row `row` (empty for null); built once per column by {@link createCellFormatter}. */
export type CellFormatter = (row: number) => string;

/**
 * Makes the TABLEDATA formatter of `column`, written under `field` (its FIELD as written; its
 * VALUES null is used for null integer scalars). A string longer than a fixed arraysize (in
 * characters, as TABLEDATA readers count) throws WriteError, or is cut with
 * `stringOverflow: 'truncate'`: readers would cut it silently.
 */
export function createCellFormatter(
  column: Column,
  field: Field = column.field,
  stringOverflow: StringOverflowPolicy = 'throw',
): CellFormatter {
  const dt = column.datatype;
  const layout = column.layout;
  const values = column.values;
  const isScalar = column.isScalar;
  const nullText = isScalar && isIntegerType(dt) && field.values?.null !== undefined ? field.values.null.trim() : '';
  const valid = (row: number) => column.isValid(row);

  if (isStringType(dt)) {
    const n = layout.stringLength;
    /** String `index` checked against the fixed width n; returns it and its width in characters. */
    const fitted = (row: number, index: number, what: string): [string, number] => {
      const s = column.stringAt(index);
      if (n < 0) return [s, 0];
      const chars = characters(s);
      if (chars <= n) return [s, chars];
      if (stringOverflow === 'truncate') return [Array.from(s).slice(0, n).join(''), n];
      throw new WriteError(
        `${what} of ${chars} characters does not fit arraysize "${field.arraysize ?? ''}" (widen arraysize, use "*", or pass stringOverflow: 'truncate')`,
        { row, field: field.name },
      );
    };
    if (isScalar) return (row) => (valid(row) ? fitted(row, row, 'string')[0] : '');
    return (row) => {
      if (!valid(row)) return '';
      const [start, count] = column.elementRange(row);
      let out = '';
      for (let k = 0; k < count; k++) {
        const [s, chars] = fitted(row, start + k, `string ${k}`);
        // Strings of a char array sit side by side at fixed width (VOTable 1.5 §2.2).
        out += k < count - 1 ? s + ' '.repeat(n - chars) : s;
      }
      return out;
    };
  }

  if (dt === 'boolean' || dt === 'bit') {
    const yes = dt === 'boolean' ? 'T' : '1';
    const no = dt === 'boolean' ? 'F' : '0';
    const v = values as Uint8Array;
    if (isScalar) return (row) => (valid(row) ? (v[row] ? yes : no) : '');
    return (row) => {
      if (!valid(row)) return '';
      const [start, count] = column.elementRange(row);
      let out = '';
      for (let k = 0; k < count; k++) out += (k > 0 ? ' ' : '') + (v[start + k] ? yes : no);
      return out;
    };
  }

  const width = isComplexType(dt) ? 2 : 1;
  const one: (x: number | bigint) => string =
    dt === 'float' || dt === 'floatComplex'
      ? (x) => formatFloat(x as number)
      : dt === 'double' || dt === 'doubleComplex'
        ? (x) => formatDouble(x as number)
        : (x) => String(x);
  if (isScalar && width === 1) {
    return (row) => (valid(row) ? one(values[row]) : nullText);
  }
  return (row) => {
    if (!valid(row)) return '';
    const [start, count] = column.elementRange(row);
    const from = start * width;
    const to = (start + count) * width;
    let out = '';
    for (let k = from; k < to; k++) out += (k > from ? ' ' : '') + one(values[k]);
    return out;
  };
}

/** True for unsignedByte, short, int and long. */
export function isIntegerType(datatype: Datatype): boolean {
  return datatype === 'unsignedByte' || datatype === 'short' || datatype === 'int' || datatype === 'long';
}

/**
 * Formats one JS value (as `Column.get` returns it) as the TABLEDATA/PARAM text of a
 * datatype and arraysize: the way to fill `Param.value` from a value.
 * Numbers in arrays may be any array-like (typed arrays included); complex as `[re, im]`.
 */
export function formatCellValue(datatype: Datatype, arraysize: string | undefined, value: CellValue | ArrayLike<unknown>): string {
  if (value === null || value === undefined) return '';
  const layout = cellLayout(datatype, parseArraySize(arraysize));
  if (isStringType(datatype)) {
    if (typeof value === 'string') return value;
    const parts = Array.from(value as ArrayLike<string>, String);
    const n = layout.stringLength;
    return parts.map((s, k) => (n >= 0 && k < parts.length - 1 ? s + ' '.repeat(Math.max(0, n - characters(s))) : s)).join('');
  }
  const element = (x: unknown): string => {
    if (datatype === 'boolean') return x ? 'T' : 'F';
    if (datatype === 'bit') return x ? '1' : '0';
    if (isComplexType(datatype)) {
      const pair = x as ArrayLike<number>;
      return `${formatNumber(datatype, pair[0])} ${formatNumber(datatype, pair[1])}`;
    }
    return formatNumber(datatype, x as number | bigint);
  };
  const scalarComplex = isComplexType(datatype) && layout.elementShape.length === 0 && !layout.variableElements;
  if (typeof value !== 'object' || scalarComplex) return element(value);
  return Array.from(value as ArrayLike<unknown>, element).join(' ');
}
