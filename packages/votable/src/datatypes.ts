/**
 * Facts about the twelve VOTable datatypes (VOTable 1.5 §2.1, table 1) and `arraysize`
 * parsing (§2.2). Shared by every serialization.
 */

import { ArraySizeError, UnknownDatatypeError, type ErrorLocation } from './errors.js';
import type { ArraySize, Datatype } from './model.js';

/** Bytes of one element in BINARY/BINARY2 (bit: see `bitBytes`). */
export const DATATYPE_BYTES: Readonly<Record<Datatype, number>> = {
  boolean: 1,
  bit: 0,
  unsignedByte: 1,
  short: 2,
  int: 4,
  long: 8,
  char: 1,
  unicodeChar: 2,
  float: 4,
  double: 8,
  floatComplex: 8,
  doubleComplex: 16,
};

const DATATYPES = new Set<string>(Object.keys(DATATYPE_BYTES));

/** Returns `name` as a Datatype, or throws UnknownDatatypeError naming where. */
export function parseDatatype(name: string | undefined, where: ErrorLocation = {}): Datatype {
  if (name !== undefined && DATATYPES.has(name)) return name as Datatype;
  throw new UnknownDatatypeError(name ?? '(missing)', where);
}

/** True for char and unicodeChar, whose first dimension is the string length. */
export function isStringType(datatype: Datatype): boolean {
  return datatype === 'char' || datatype === 'unicodeChar';
}

/** True for floatComplex and doubleComplex (two numbers per element). */
export function isComplexType(datatype: Datatype): boolean {
  return datatype === 'floatComplex' || datatype === 'doubleComplex';
}

const SCALAR: ArraySize = Object.freeze({ dims: [], variable: false }) as ArraySize;

/**
 * Parses `arraysize` (`7`, `7*`, `*`, `3x4`, `3x4*`, `3x*`). Undefined or empty gives a scalar.
 * Dimension 1 written as `1` is kept (a one-element array), matching astropy.
 */
export function parseArraySize(text: string | undefined, where: ErrorLocation = {}): ArraySize {
  if (text === undefined) return SCALAR;
  const trimmed = text.trim();
  if (trimmed === '') return SCALAR;
  const parts = trimmed.split('x');
  const dims: number[] = [];
  let variable = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const last = i === parts.length - 1;
    if (last && part === '*') {
      variable = true;
      dims.push(-1);
      continue;
    }
    const match = /^(\d+)(\*?)$/.exec(part);
    if (!match || (match[2] === '*' && !last)) {
      throw new ArraySizeError(
        `arraysize "${text}" does not parse: expected N, N*, *, or dimensions joined by "x" with "*" only on the last`,
        where,
      );
    }
    const n = Number(match[1]);
    if (!Number.isSafeInteger(n)) {
      throw new ArraySizeError(`arraysize "${text}" has dimension ${match[1]}, too large`, where);
    }
    if (match[2] === '*') variable = true;
    dims.push(n);
  }
  return { dims, variable };
}

/** Formats an ArraySize back to its attribute text (inverse of parseArraySize). */
export function formatArraySize(size: ArraySize): string | undefined {
  if (size.dims.length === 0) return undefined;
  return size.dims
    .map((d, i) => {
      const last = i === size.dims.length - 1;
      if (last && size.variable) return d < 0 ? '*' : `${d}*`;
      return String(d);
    })
    .join('x');
}

/**
 * How a column's cells are shaped once strings are taken apart:
 * - `stringLength`: for char/unicodeChar, the first dimension (characters per string), -1 when
 *   variable; 0 for other types.
 * - `elementShape`: the remaining dimensions (for strings) or all of them (for others), with the
 *   last one -1 when variable.
 * - `fixedCount`: elements per row when no dimension is variable (1 for a scalar), else -1.
 */
export interface CellLayout {
  stringLength: number;
  elementShape: number[];
  fixedCount: number;
  /** True when the row has a variable number of elements (strings for char, values for others). */
  variableElements: boolean;
}

/** Derives the CellLayout of a datatype + arraysize. */
export function cellLayout(datatype: Datatype, size: ArraySize): CellLayout {
  const dims = size.dims.slice();
  if (isStringType(datatype)) {
    if (dims.length === 0) {
      // A scalar char is a one-character string.
      return { stringLength: 1, elementShape: [], fixedCount: 1, variableElements: false };
    }
    const first = dims.shift() as number;
    const variableString = size.variable && dims.length === 0;
    const stringLength = variableString ? -1 : first;
    const variableElements = size.variable && dims.length > 0;
    const fixedCount = variableElements ? -1 : dims.reduce((a, b) => a * b, 1);
    return { stringLength, elementShape: dims, fixedCount, variableElements };
  }
  const variableElements = size.variable;
  const fixedCount = variableElements ? -1 : dims.reduce((a, b) => a * b, 1);
  return { stringLength: 0, elementShape: dims, fixedCount, variableElements };
}
