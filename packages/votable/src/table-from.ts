/**
 * Build a Table (and a document around it) from plain JS arrays and typed arrays: what TAP
 * uploads and SAMP sends start from. The pair of `getFirstTable`/`Column.toArray` the other
 * way (arrow-js `tableFromArrays`).
 *
 * Datatype inference, when `datatype` is not given:
 * | input | datatype |
 * |---|---|
 * | Float64Array / Float32Array | double / float |
 * | Int32Array / Int16Array / Uint8Array, Uint8ClampedArray | int / short / unsignedByte |
 * | Int8Array / Uint16Array / Uint32Array | short / int / long (VOTable has no such types; widened) |
 * | BigInt64Array, BigUint64Array (values < 2^63) | long |
 * | JS numbers | double (a JS number is a double; pass `datatype: 'int'` or an Int32Array for ints) |
 * | bigints (numbers mixed in must be safe integers) | long |
 * | booleans | boolean |
 * | strings | char `*`, or unicodeChar `*` when one holds a non-ASCII character |
 * | arrays or typed arrays per row | the element type; arraysize `N` when every row has N elements, else `*` |
 * | only nulls | double |
 *
 * `null` and `undefined` entries are null rows. Typed arrays are used as they are (not copied)
 * when their type is the column's storage type.
 */

import { Column, numbersPerElement, valuesConstructor, type ColumnValues } from './column.js';
import { ColumnBuilder } from './column-builder.js';
import { cellLayout, isComplexType, isStringType, parseArraySize } from './datatypes.js';
import { OptionsError, ValueError } from './errors.js';
import {
  VOTABLE_NAMESPACES,
  type Datatype,
  type Field,
  type Info,
  type Param,
  type Resource,
  type Table,
  type VOTableDocument,
  type VOTableVersion,
} from './model.js';

/** Any typed array a column can be built from. */
export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** One cell of a JS-array column. */
export type CellInput = number | bigint | string | boolean | null | undefined | ArrayLike<unknown>;

/** A column given with its metadata. */
export interface ColumnSpec {
  /** The values: a typed array (flat, `fixedCount` numbers per row for fixed arrays) or one entry per row. */
  values: TypedArray | ReadonlyArray<CellInput>;
  /** Datatype; inferred from `values` when omitted (see the table at the top of the file). */
  datatype?: Datatype;
  /** arraysize (`'3'`, `'*'`, `'2x3'`, …); inferred for array cells, `*` for strings. */
  arraysize?: string;
  /** Null rows: entry `i` true (or 1) makes row `i` null. */
  nulls?: ArrayLike<boolean | number>;
  /** VALUES null of an integer column; rows equal to it are null, as a reader would see them. */
  nullValue?: number | bigint;
  id?: string;
  unit?: string;
  ucd?: string;
  utype?: string;
  xtype?: string;
  ref?: string;
  width?: number;
  precision?: string;
  description?: string;
}

/** Options of {@link tableFromArrays}. */
export interface TableFromArraysOptions {
  /** The TABLE name attribute. */
  name?: string;
  id?: string;
  description?: string;
  ucd?: string;
  utype?: string;
  /** Columns in order, by name: a typed array, an array of cells, or a {@link ColumnSpec}. */
  columns: Record<string, TypedArray | ReadonlyArray<CellInput> | ColumnSpec>;
  /** PARAMs of the table. */
  params?: Param[];
  /** INFOs of the table (before DATA). */
  infos?: Info[];
}

function isTypedArray(x: unknown): x is TypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function typedArrayDatatype(a: TypedArray): Datatype {
  if (a instanceof Float64Array) return 'double';
  if (a instanceof Float32Array) return 'float';
  if (a instanceof Int32Array || a instanceof Uint16Array) return 'int';
  if (a instanceof Int16Array || a instanceof Int8Array) return 'short';
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return 'unsignedByte';
  return 'long';
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function cellKind(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return isTypedArray(v) ? 'typed' : Array.isArray(v) ? 'array' : 'object';
  return typeof v;
}

/** Infers datatype and arraysize of a JS-array column. */
function inferFromCells(name: string, cells: ReadonlyArray<CellInput>): { datatype: Datatype; arraysize?: string } {
  const kinds = new Set<string>();
  let ascii = true;
  let safeNumbers = true;
  for (const v of cells) {
    const k = cellKind(v);
    if (k === 'null') continue;
    kinds.add(k);
    if (k === 'string' && ascii) ascii = isAscii(v as string);
    if (k === 'number' && !Number.isSafeInteger(v)) safeNumbers = false;
  }
  if (kinds.size === 0) return { datatype: 'double' };
  const only = (k: string) => kinds.size === 1 && kinds.has(k);
  if (only('number')) return { datatype: 'double' };
  if (only('boolean')) return { datatype: 'boolean' };
  if (only('string')) return { datatype: ascii ? 'char' : 'unicodeChar', arraysize: '*' };
  if (only('bigint') || (kinds.size === 2 && kinds.has('bigint') && kinds.has('number') && safeNumbers)) return { datatype: 'long' };
  if ([...kinds].every((k) => k === 'array' || k === 'typed')) {
    // Array cells: infer the element type from all elements, the arraysize from the lengths.
    const elements: CellInput[] = [];
    let length = -2;
    let typedType: Datatype | undefined;
    for (const v of cells) {
      if (v === null || v === undefined) continue;
      const arr = v as ArrayLike<CellInput>;
      length = length === -2 ? arr.length : length === arr.length ? length : -1;
      if (isTypedArray(arr)) {
        const t = typedArrayDatatype(arr);
        if (typedType !== undefined && typedType !== t) typedType = 'double';
        else typedType = t;
      } else for (let i = 0; i < arr.length; i++) elements.push(arr[i]);
    }
    let datatype: Datatype;
    if (typedType !== undefined && elements.length === 0) datatype = typedType;
    else {
      const inner = inferFromCells(name, elements);
      if (isStringType(inner.datatype)) {
        throw new OptionsError(`column "${name}": arrays of strings need an explicit datatype and arraysize (e.g. char "10x*")`);
      }
      datatype = typedType !== undefined && typedType !== inner.datatype ? 'double' : inner.datatype;
    }
    return { datatype, arraysize: length > 0 ? String(length) : '*' };
  }
  throw new OptionsError(
    `column "${name}" mixes ${[...kinds].join(', ')} values: pass a { values, datatype } spec or make the values one kind`,
  );
}

function buildField(name: string, spec: ColumnSpec, datatype: Datatype, arraysize: string | undefined): Field {
  const field: Field = { name, datatype, attributes: {}, links: [] };
  if (arraysize !== undefined) field.arraysize = arraysize;
  for (const key of ['id', 'unit', 'ucd', 'utype', 'xtype', 'ref', 'width', 'precision', 'description'] as const) {
    if (spec[key] !== undefined) (field as unknown as Record<string, unknown>)[key] = spec[key];
  }
  if (spec.nullValue !== undefined) field.values = { attributes: {}, null: String(spec.nullValue), options: [] };
  return field;
}

const INTEGER_LIMITS: Partial<Record<Datatype, [number, number]>> = {
  unsignedByte: [0, 255],
  short: [-32768, 32767],
  int: [-2147483648, 2147483647],
};

/** Converts one JS element to the number stored for `datatype`, checking range and kind. */
function toNumber(datatype: Datatype, v: unknown, where: { row: number; field: string }): number | bigint {
  if (datatype === 'long') {
    if (typeof v === 'bigint') {
      if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new ValueError(`${v} does not fit a long`, where);
      return v;
    }
    if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
    throw new ValueError(`${String(v)} is not an integer for a long column (use a bigint beyond 2^53)`, where);
  }
  if (datatype === 'boolean' || datatype === 'bit') {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v === 0 || v === 1) return v;
    throw new ValueError(`${String(v)} is not a ${datatype} (true/false)`, where);
  }
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number') throw new ValueError(`${String(v)} is not a number for a ${datatype} column`, where);
  const limits = INTEGER_LIMITS[datatype];
  if (limits && !(Number.isInteger(n) && n >= limits[0] && n <= limits[1])) {
    throw new ValueError(`${n} is not a ${datatype} (integers ${limits[0]}..${limits[1]})`, where);
  }
  return n;
}

function validityFrom(rows: number, isNull: (row: number) => boolean): Uint8Array | null {
  let bitmap: Uint8Array | null = null;
  for (let i = 0; i < rows; i++) {
    if (!isNull(i)) continue;
    if (!bitmap) bitmap = new Uint8Array((rows + 7) >> 3).fill(0xff);
    bitmap[i >> 3] &= ~(1 << (i & 7));
  }
  // Bits past the last row stay 1; readers only look at rows < length.
  return bitmap;
}

/** A column from a flat typed array: fixed layouts only. */
function columnFromTyped(name: string, spec: ColumnSpec, values: TypedArray, datatype: Datatype, arraysize: string | undefined): Column {
  const field = buildField(name, spec, datatype, arraysize);
  const layout = cellLayout(datatype, parseArraySize(arraysize, { field: name }));
  if (layout.variableElements || layout.stringLength === -1 || isStringType(datatype)) {
    throw new OptionsError(
      `column "${name}": a flat typed array needs a fixed arraysize and a numeric datatype; give one array per row for "${arraysize}"`,
    );
  }
  const per = layout.fixedCount * numbersPerElement(datatype);
  if (values.length % per !== 0) {
    throw new OptionsError(`column "${name}": ${values.length} numbers do not make whole rows of ${per}`);
  }
  const rows = values.length / per;
  const Ctor = valuesConstructor(datatype);
  let stored: ColumnValues;
  // Booleans and bits are stored as 0/1: other bytes are normalized in a copy.
  const binary = datatype === 'boolean' || datatype === 'bit';
  if (values instanceof Ctor && !(binary && (values as Uint8Array).some((b) => b > 1))) stored = values as ColumnValues;
  else if (binary) stored = Uint8Array.from(values as ArrayLike<number>, (b) => (b ? 1 : 0));
  else {
    const out = new Ctor(values.length) as ColumnValues;
    for (let i = 0; i < values.length; i++) {
      (out as unknown as unknown[])[i] = toNumber(datatype, (values as ArrayLike<unknown>)[i], { row: Math.floor(i / per), field: name });
    }
    stored = out;
  }
  const nulls = spec.nulls;
  if (nulls && nulls.length !== rows) throw new OptionsError(`column "${name}": nulls has ${nulls.length} entries for ${rows} rows`);
  const nullValue = spec.nullValue;
  const isNull = (row: number): boolean => {
    if (nulls && nulls[row]) return true;
    if (nullValue !== undefined && layout.fixedCount === 1 && (datatype === 'long' ? BigInt(nullValue) : Number(nullValue)) === stored[row]) return true;
    return false;
  };
  return new Column({ field, length: rows, values: stored, validity: validityFrom(rows, isNull), offsets: null, stringOffsets: null });
}

/** A column from one JS value per row. */
function columnFromCells(name: string, spec: ColumnSpec, cells: ReadonlyArray<CellInput>, datatype: Datatype, arraysize: string | undefined): Column {
  const field = buildField(name, spec, datatype, arraysize);
  const b = new ColumnBuilder(field, cells.length);
  const layout = b.layout;
  const width = b.width;
  const nulls = spec.nulls;
  if (nulls && nulls.length !== cells.length) {
    throw new OptionsError(`column "${name}": nulls has ${nulls.length} entries for ${cells.length} rows`);
  }
  const nullValue = spec.nullValue === undefined ? undefined : datatype === 'long' ? BigInt(spec.nullValue) : Number(spec.nullValue);
  const scalar = layout.elementShape.length === 0 && !layout.variableElements;
  for (let row = 0; row < cells.length; row++) {
    const v = cells[row];
    const where = { row, field: name };
    let valid = v !== null && v !== undefined && !(nulls && nulls[row]);
    if (isStringType(datatype)) {
      const strings: string[] = [];
      if (valid) {
        if (typeof v === 'string') strings.push(v);
        else if (typeof v === 'object') for (const s of Array.from(v as ArrayLike<unknown>)) strings.push(String(s));
        else throw new ValueError(`${String(v)} is not a string`, where);
      }
      if (scalar && strings.length !== 1) strings.splice(0, strings.length, strings[0] ?? '');
      if (!scalar && !layout.variableElements) {
        if (valid && strings.length !== layout.fixedCount) {
          throw new ValueError(`${strings.length} strings, arraysize "${arraysize}" needs ${layout.fixedCount}`, where);
        }
        while (strings.length < layout.fixedCount) strings.push('');
      }
      for (const s of strings) b.appendString(s);
      b.endRow(valid);
      continue;
    }
    // Numbers, booleans, complex: flatten the cell to its element list.
    let elements: unknown[];
    if (!valid) elements = [];
    else if (isComplexType(datatype)) {
      // A scalar complex is [re, im]; an array is [[re, im], ...] or flat [re, im, re, im, ...].
      const arr = Array.from(v as ArrayLike<unknown>);
      elements = scalar ? [arr] : arr.length > 0 && typeof arr[0] === 'object' ? arr : pairUp(arr);
    } else if (typeof v === 'object') elements = Array.from(v as ArrayLike<unknown>);
    else elements = [v];
    if (scalar && valid && elements.length !== 1) throw new ValueError(`an array given for a scalar ${datatype} column`, where);
    const count = layout.variableElements ? elements.length : layout.fixedCount;
    if (valid && !layout.variableElements && elements.length !== count) {
      throw new ValueError(`${elements.length} elements, arraysize "${arraysize}" needs ${count}`, where);
    }
    const at = b.reserve(count * width);
    const values = b.values as unknown as (number | bigint)[];
    if (valid) {
      for (let k = 0; k < count; k++) {
        if (width === 2) {
          const pair = elements[k] as ArrayLike<number>;
          values[at + 2 * k] = toNumber('double', pair[0], where) as number;
          values[at + 2 * k + 1] = toNumber('double', pair[1], where) as number;
        } else values[at + k] = toNumber(datatype, elements[k], where);
      }
      if (scalar && nullValue !== undefined && values[at] === nullValue) valid = false;
    } else if (datatype === 'long') for (let k = 0; k < count; k++) values[at + k] = 0n;
    b.endRow(valid);
  }
  return b.finish();
}

function pairUp(flat: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

/**
 * Builds a Table from columns of plain values (see the file comment for inference).
 * Throws OptionsError when columns disagree in length or cannot be inferred, ValueError when a
 * value does not fit its datatype.
 */
export function tableFromArrays(options: TableFromArraysOptions): Table {
  const columns: Column[] = [];
  for (const [name, source] of Object.entries(options.columns)) {
    const spec: ColumnSpec =
      isTypedArray(source) || Array.isArray(source) ? { values: source as ColumnSpec['values'] } : (source as ColumnSpec);
    const values = spec.values;
    if (!isTypedArray(values) && !Array.isArray(values)) {
      throw new OptionsError(`column "${name}": values must be a typed array or an array`);
    }
    if (isTypedArray(values)) {
      const datatype = spec.datatype ?? typedArrayDatatype(values);
      if (values instanceof BigUint64Array && datatype === 'long') {
        for (let i = 0; i < values.length; i++) {
          if (values[i] >= 2n ** 63n) throw new ValueError(`${values[i]} does not fit a long`, { row: i, field: name });
        }
      }
      columns.push(columnFromTyped(name, spec, values, datatype, spec.arraysize));
    } else {
      const inferred = spec.datatype === undefined ? inferFromCells(name, values) : undefined;
      const datatype = spec.datatype ?? inferred!.datatype;
      const arraysize =
        spec.arraysize ?? inferred?.arraysize ?? (isStringType(datatype) ? '*' : undefined);
      columns.push(columnFromCells(name, spec, values, datatype, arraysize));
    }
  }
  const rowCount = columns.length > 0 ? columns[0].length : 0;
  for (const c of columns) {
    if (c.length !== rowCount) {
      throw new OptionsError(`column "${c.name}" has ${c.length} rows, column "${columns[0].name}" has ${rowCount}: columns must be equally long`);
    }
  }
  const table: Table = {
    attributes: {},
    fields: columns.map((c) => c.field),
    params: options.params ?? [],
    groups: [],
    links: [],
    infos: options.infos ?? [],
    infosAfterData: [],
    data: { serialization: 'TABLEDATA' },
    columns,
    rowCount,
  };
  for (const key of ['name', 'id', 'description', 'ucd', 'utype'] as const) {
    if (options[key] !== undefined) table[key] = options[key];
  }
  return table;
}

/** Options of {@link documentFromTables}. */
export interface DocumentFromTablesOptions {
  /** VOTable version (default `'1.4'`, with its namespace). */
  version?: VOTableVersion;
  /** The RESOURCE name attribute. */
  resourceName?: string;
  /** The RESOURCE type attribute (`results` or `meta`; omitted by default, meaning `results`). */
  resourceType?: string;
  /** INFOs of the RESOURCE (e.g. QUERY_STATUS). */
  infos?: Info[];
  /** DESCRIPTION of the document. */
  description?: string;
}

/** Wraps tables in a VOTable document with one RESOURCE, ready for `writeVOTable`. */
export function documentFromTables(tables: Table[], options: DocumentFromTablesOptions = {}): VOTableDocument {
  const version = options.version ?? '1.4';
  const resource: Resource = {
    attributes: {},
    infos: options.infos ?? [],
    coosys: [],
    timesys: [],
    groups: [],
    params: [],
    links: [],
    tables,
    resources: [],
    infosAfter: [],
  };
  if (options.resourceName !== undefined) resource.name = options.resourceName;
  if (options.resourceType !== undefined) resource.type = options.resourceType;
  const doc: VOTableDocument = {
    attributes: {},
    version,
    namespace: VOTABLE_NAMESPACES[version],
    infos: [],
    coosys: [],
    timesys: [],
    groups: [],
    params: [],
    resources: [resource],
    infosAfter: [],
  };
  if (options.description !== undefined) doc.description = options.description;
  return doc;
}
