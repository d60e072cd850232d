/**
 * VOTable writer: a VOTableDocument (metadata and Columns) as XML text, the opposite of
 * `parseVOTable`. Parse → write → parse gives an equal model and equal column values, within
 * what each serialization can express (see `binary-writer.ts` for BINARY nulls and
 * `tabledata-writer.ts` / `cell-format.ts` for TABLEDATA).
 *
 * Every element and attribute of the model is written: typed fields are the truth for the
 * attributes VOTable defines (an undefined typed field leaves its attribute out), and every other
 * attribute of `attributes` is written as it was, in the document's attribute order.
 * The model keeps elements by kind, so mixed sequences come out grouped by kind in schema order
 * (VOTable 1.3 XSD): a re-parse gives the same model.
 */

import { writeBinaryRows, fieldsForBinary, type StringOverflowPolicy } from './binary-writer.js';
import { ByteSink } from './byte-sink.js';
import { cellLayout, parseArraySize } from './datatypes.js';
import { OptionsError, WriteError } from './errors.js';
import {
  VOTABLE_NAMESPACES,
  type Coosys,
  type Field,
  type Group,
  type GroupRef,
  type Info,
  type Link,
  type Param,
  type Resource,
  type Table,
  type Timesys,
  type Values,
  type ValuesOption,
  type VOTableDocument,
  type VOTableVersion,
} from './model.js';
import { writeTabledataRows } from './tabledata-writer.js';
import { escapeXmlAttribute, escapeXmlText, type InvalidCharacterPolicy } from './xml-escape.js';

/** Serializations the writer produces. */
export type WriteSerialization = 'TABLEDATA' | 'BINARY' | 'BINARY2';

/** Options of {@link writeVOTable}, {@link writeVOTableBytes} and {@link writeVOTableStream}. */
export interface WriteOptions {
  /**
   * Serialization of every table's rows. Default: each table's own `data.serialization` when it
   * is TABLEDATA, BINARY or BINARY2, else TABLEDATA (FITS is not written). BINARY2 needs
   * VOTable 1.3 or later.
   */
  serialization?: WriteSerialization;
  /**
   * The `version` attribute. Default: the document's. When it differs from the document's and
   * the document used a VOTable namespace, the namespace follows the version (1.4 and 1.5 use
   * 1.3's) and a stale `xsi:schemaLocation` is left out.
   */
  version?: VOTableVersion;
  /**
   * The default namespace (`xmlns`): a URI, or null for none. Default: the document's own
   * (none when it had none), adjusted to `version` as described there.
   */
  namespace?: string | null;
  /** Base64 characters per line in BINARY/BINARY2 STREAMs (default 76; 0 = one line). */
  base64LineLength?: number;
  /** Indentation per nesting level (default two spaces; '' for none). */
  indent?: string;
  /**
   * Characters XML 1.0 cannot carry, in text, attributes and TABLEDATA cells: `'replace'` by
   * U+FFFD (default), `'drop'`, or `'throw'` a WriteError.
   */
  invalidCharacters?: InvalidCharacterPolicy;
  /**
   * A string longer than its fixed arraysize (in TABLEDATA counted in characters, in BINARY in
   * bytes for char and UTF-16 units for unicodeChar): `'throw'` a WriteError (default) or
   * `'truncate'` it. Readers would cut it silently.
   */
  stringOverflow?: StringOverflowPolicy;
  /** Write the `<?xml …?>` declaration (default true). */
  xmlDeclaration?: boolean;
  /** Bytes per chunk of {@link writeVOTableStream} (default 65536). */
  chunkBytes?: number;
}

interface Resolved {
  serialization?: WriteSerialization;
  version: VOTableVersion;
  base64LineLength: number;
  indent: string;
  invalid: InvalidCharacterPolicy;
  stringOverflow: StringOverflowPolicy;
  xmlDeclaration: boolean;
  chunkBytes: number;
  namespace: string | undefined;
  namespaceChanged: boolean;
}

const VERSIONS = new Set<string>(Object.keys(VOTABLE_NAMESPACES));
const SERIALIZATIONS = new Set<string>(['TABLEDATA', 'BINARY', 'BINARY2']);
const VOTABLE_NAMESPACE_SET = new Set<string>(Object.values(VOTABLE_NAMESPACES));

function resolveOptions(doc: VOTableDocument, options: WriteOptions): Resolved {
  const o = options ?? {};
  if (o.serialization !== undefined && !SERIALIZATIONS.has(o.serialization)) {
    throw new OptionsError(`serialization "${o.serialization}" cannot be written: use 'TABLEDATA', 'BINARY' or 'BINARY2'`);
  }
  const version = o.version ?? doc.version ?? '1.4';
  if (!VERSIONS.has(version)) {
    throw new OptionsError(`version "${version}" is not one we write: use one of ${[...VERSIONS].join(', ')}`);
  }
  const lineLength = o.base64LineLength ?? 76;
  if (!Number.isInteger(lineLength) || lineLength < 0) {
    throw new OptionsError(`base64LineLength ${lineLength} must be a non-negative integer (0 = one line)`);
  }
  if (o.invalidCharacters !== undefined && !['replace', 'drop', 'throw'].includes(o.invalidCharacters)) {
    throw new OptionsError(`invalidCharacters "${o.invalidCharacters}": use 'replace', 'drop' or 'throw'`);
  }
  if (o.stringOverflow !== undefined && !['throw', 'truncate'].includes(o.stringOverflow)) {
    throw new OptionsError(`stringOverflow "${o.stringOverflow}": use 'throw' or 'truncate'`);
  }
  let namespace: string | undefined;
  if (o.namespace !== undefined) namespace = o.namespace ?? undefined;
  else if (doc.namespace !== undefined && version !== doc.version && VOTABLE_NAMESPACE_SET.has(doc.namespace)) {
    namespace = VOTABLE_NAMESPACES[version];
  } else namespace = doc.namespace;
  return {
    serialization: o.serialization,
    version,
    base64LineLength: lineLength,
    indent: o.indent ?? '  ',
    invalid: o.invalidCharacters ?? 'replace',
    stringOverflow: o.stringOverflow ?? 'throw',
    xmlDeclaration: o.xmlDeclaration ?? true,
    chunkBytes: o.chunkBytes ?? 65536,
    namespace,
    namespaceChanged: namespace !== doc.namespace,
  };
}

/** Writes XML markup into the sink with indentation by depth. */
class XmlOut {
  /** Every VALUES with an ID, to leave out what a `ref` inherits (see writeValues). */
  readonly valuesById = new Map<string, Values>();

  constructor(
    readonly sink: ByteSink,
    readonly o: Resolved,
  ) {}

  line(depth: number, text: string): void {
    this.sink.writeString(this.o.indent.repeat(depth) + text + '\n');
  }

  /**
   * The attribute text of an element: `attributes` in document order with the typed value for
   * the names in `known`, then the known attributes the document did not have.
   */
  attrs(known: [string, string | number | undefined, boolean?][], attributes: Record<string, string> | undefined): string {
    let out = '';
    const done = new Set<string>();
    const value = new Map<string, [string | undefined, boolean]>();
    for (const [name, v, required] of known) value.set(name, [v === undefined ? undefined : String(v), required ?? false]);
    const attr = (name: string, v: string) => {
      out += ` ${name}="${escapeXmlAttribute(v, this.o.invalid)}"`;
    };
    for (const name of Object.keys(attributes ?? {})) {
      if (value.has(name)) {
        done.add(name);
        const v = value.get(name)![0];
        if (v !== undefined) attr(name, v);
      } else attr(name, (attributes as Record<string, string>)[name]);
    }
    for (const [name, [v, required]] of value) {
      if (done.has(name) || v === undefined) continue;
      // An empty optional value the document did not have stays out, so a re-parse agrees.
      if (v === '' && !required) continue;
      attr(name, v);
    }
    return out;
  }

  text(s: string): string {
    return escapeXmlText(s, this.o.invalid);
  }

  /** `<NAME attrs/>`, or `<NAME attrs>text</NAME>` when there is text content. */
  leaf(depth: number, name: string, attrs: string, content?: string): void {
    if (content === undefined) this.line(depth, `<${name}${attrs}/>`);
    else this.line(depth, `<${name}${attrs}>${this.text(content)}</${name}>`);
  }

  description(depth: number, description: string | undefined): void {
    if (description !== undefined) this.line(depth, `<DESCRIPTION>${this.text(description)}</DESCRIPTION>`);
  }
}

function writeInfo(x: XmlOut, depth: number, info: Info): void {
  const a = x.attrs(
    [
      ['ID', info.id],
      ['name', info.name, true],
      ['value', info.value, true],
      ['unit', info.unit],
      ['ucd', info.ucd],
      ['utype', info.utype],
      ['xtype', info.xtype],
      ['ref', info.ref],
    ],
    info.attributes,
  );
  x.leaf(depth, 'INFO', a, info.content === undefined || info.content === '' ? undefined : info.content);
}

function writeCoosys(x: XmlOut, depth: number, c: Coosys): void {
  const a = x.attrs(
    [
      ['ID', c.id],
      ['system', c.system],
      ['equinox', c.equinox],
      ['epoch', c.epoch],
      ['refposition', c.refposition],
    ],
    c.attributes,
  );
  x.leaf(depth, 'COOSYS', a);
}

function writeTimesys(x: XmlOut, depth: number, t: Timesys): void {
  const a = x.attrs(
    [
      ['ID', t.id],
      ['timeorigin', t.timeorigin],
      ['timescale', t.timescale],
      ['refposition', t.refposition],
    ],
    t.attributes,
  );
  x.leaf(depth, 'TIMESYS', a);
}

function writeLink(x: XmlOut, depth: number, l: Link): void {
  const a = x.attrs(
    [
      ['ID', l.id],
      ['content-role', l.contentRole],
      ['content-type', l.contentType],
      ['title', l.title],
      ['value', l.value],
      ['href', l.href],
      ['action', l.action],
    ],
    l.attributes,
  );
  x.leaf(depth, 'LINK', a);
}

function writeOption(x: XmlOut, depth: number, o: ValuesOption): void {
  const a = x.attrs(
    [
      ['name', o.name],
      ['value', o.value, true],
    ],
    o.attributes,
  );
  if (o.options.length === 0) return x.leaf(depth, 'OPTION', a);
  x.line(depth, `<OPTION${a}>`);
  for (const child of o.options) writeOption(x, depth + 1, child);
  x.line(depth, '</OPTION>');
}

function writeValues(x: XmlOut, depth: number, v: Values): void {
  // A VALUES with `ref` inherits null, type, limits and options it does not state (VOTable 1.5
  // §4.7); the parser fills them in from the target. Write only what this element stated, so
  // the document keeps its reference instead of a copy (a re-parse gives the same model).
  const target = v.ref !== undefined ? x.valuesById.get(v.ref) : undefined;
  const own = (name: string, value: string | undefined, inherited: string | undefined) =>
    target && value === inherited && !(name in (v.attributes ?? {})) ? undefined : value;
  const a = x.attrs(
    [
      ['ID', v.id],
      ['type', own('type', v.type, target?.type)],
      ['null', own('null', v.null, target?.null), true],
      ['ref', v.ref],
    ],
    v.attributes,
  );
  const min = target && v.min === target.min ? undefined : v.min;
  const max = target && v.max === target.max ? undefined : v.max;
  const options = target && v.options === target.options ? [] : v.options;
  if (!min && !max && options.length === 0) return x.leaf(depth, 'VALUES', a);
  x.line(depth, `<VALUES${a}>`);
  for (const [name, limit] of [
    ['MIN', min],
    ['MAX', max],
  ] as const) {
    if (!limit) continue;
    const inclusive = limit.inclusive ? '' : ' inclusive="no"';
    x.line(depth + 1, `<${name} value="${escapeXmlAttribute(limit.value, x.o.invalid)}"${inclusive}/>`);
  }
  for (const o of options) writeOption(x, depth + 1, o);
  x.line(depth, '</VALUES>');
}

function writeFieldLike(x: XmlOut, depth: number, tag: 'FIELD' | 'PARAM', f: Field | Param): void {
  const known: [string, string | number | undefined, boolean?][] = [
    ['name', f.name, true],
    ['ID', f.id],
    ['datatype', f.datatype, true],
    ['arraysize', f.arraysize],
    ['width', f.width],
    ['precision', f.precision],
    ['unit', f.unit],
    ['ucd', f.ucd],
    ['utype', f.utype],
    ['xtype', f.xtype],
    ['ref', f.ref],
    ['type', f.type],
  ];
  if (tag === 'PARAM') known.push(['value', (f as Param).value ?? '', true]);
  const a = x.attrs(known, f.attributes);
  if (f.description === undefined && !f.values && f.links.length === 0) return x.leaf(depth, tag, a);
  x.line(depth, `<${tag}${a}>`);
  x.description(depth + 1, f.description);
  if (f.values) writeValues(x, depth + 1, f.values);
  for (const l of f.links) writeLink(x, depth + 1, l);
  x.line(depth, `</${tag}>`);
}

function writeRef(x: XmlOut, depth: number, tag: 'FIELDref' | 'PARAMref', r: GroupRef): void {
  const a = x.attrs(
    [
      ['ref', r.ref, true],
      ['ucd', r.ucd],
      ['utype', r.utype],
    ],
    r.attributes,
  );
  x.leaf(depth, tag, a);
}

function writeGroup(x: XmlOut, depth: number, g: Group): void {
  const a = x.attrs(
    [
      ['ID', g.id],
      ['name', g.name],
      ['ref', g.ref],
      ['ucd', g.ucd],
      ['utype', g.utype],
    ],
    g.attributes,
  );
  const empty =
    g.description === undefined && g.fieldRefs.length + g.paramRefs.length + g.params.length + g.groups.length === 0;
  if (empty) return x.leaf(depth, 'GROUP', a);
  x.line(depth, `<GROUP${a}>`);
  x.description(depth + 1, g.description);
  for (const r of g.fieldRefs) writeRef(x, depth + 1, 'FIELDref', r);
  for (const r of g.paramRefs) writeRef(x, depth + 1, 'PARAMref', r);
  for (const p of g.params) writeFieldLike(x, depth + 1, 'PARAM', p);
  for (const child of g.groups) writeGroup(x, depth + 1, child);
  x.line(depth, '</GROUP>');
}

/** True when the column's data fits the FIELD it is written under (datatype and shape). */
function sameLayout(column: Table['columns'][number], field: Field): boolean {
  const a = column.layout;
  let b;
  try {
    b = cellLayout(field.datatype, parseArraySize(field.arraysize));
  } catch {
    return false;
  }
  return (
    column.datatype === field.datatype &&
    a.stringLength === b.stringLength &&
    a.fixedCount === b.fixedCount &&
    a.variableElements === b.variableElements &&
    // The bound of a variable last dimension (`4*` or `*`) does not change the data's shape.
    a.elementShape.slice(0, a.variableElements ? -1 : undefined).join('x') ===
      b.elementShape.slice(0, b.variableElements ? -1 : undefined).join('x')
  );
}

function tableSerialization(table: Table, o: Resolved, index: number): WriteSerialization {
  const own = table.data?.serialization;
  const s = o.serialization ?? (own !== undefined && SERIALIZATIONS.has(own) ? (own as WriteSerialization) : 'TABLEDATA');
  if (s === 'BINARY2' && (o.version === '1.1' || o.version === '1.2')) {
    throw new OptionsError(`BINARY2 needs VOTable 1.3 or later, the output is ${o.version}: pass version: '1.4' or serialization: 'BINARY'`, {
      table: index,
    });
  }
  return s;
}

function* writeTable(x: XmlOut, depth: number, table: Table, index: number): Generator<void> {
  const o = x.o;
  const hasData = table.data !== undefined || table.columns.length > 0;
  const serialization = hasData ? tableSerialization(table, o, index) : 'TABLEDATA';
  // A table without FIELDs can still have rows (empty TRs); BINARY rows of no fields are empty.
  const rowCount = table.columns.length > 0 || (table.fields.length === 0 && serialization === 'TABLEDATA') ? table.rowCount : 0;
  if (hasData && (table.columns.length > 0 || table.rowCount > 0)) {
    if (table.columns.length !== table.fields.length) {
      throw new WriteError(
        `table has ${table.fields.length} FIELDs but ${table.columns.length} columns (was it parsed without rows, by streamVOTable?)`,
        { table: index },
      );
    }
    table.columns.forEach((c, i) => {
      const f = table.fields[i];
      if (c.length !== table.rowCount) {
        throw new WriteError(`column has ${c.length} rows, the table ${table.rowCount}`, { table: index, field: f.name });
      }
      if (!sameLayout(c, f)) {
        throw new WriteError(
          `column holds ${c.datatype}${c.field.arraysize ? `[${c.field.arraysize}]` : ''} data but the FIELD says ${f.datatype}${f.arraysize ? `[${f.arraysize}]` : ''}`,
          { table: index, field: f.name },
        );
      }
    });
  }
  const fields =
    hasData && serialization !== 'TABLEDATA' && table.columns.length > 0
      ? fieldsForBinary(table.fields, table.columns, serialization)
      : table.fields;

  const nrowsDeclared = table.nrows !== undefined || (table.attributes && 'nrows' in table.attributes);
  const nrows = nrowsDeclared ? (hasData ? rowCount : table.nrows) : undefined;
  const a = x.attrs(
    [
      ['ID', table.id],
      ['name', table.name],
      ['ref', table.ref],
      ['ucd', table.ucd],
      ['utype', table.utype],
      ['nrows', nrows],
    ],
    table.attributes,
  );
  x.line(depth, `<TABLE${a}>`);
  x.description(depth + 1, table.description);
  for (const i of table.infos) writeInfo(x, depth + 1, i);
  for (const p of table.params) writeFieldLike(x, depth + 1, 'PARAM', p);
  for (const f of fields) writeFieldLike(x, depth + 1, 'FIELD', f);
  for (const g of table.groups) writeGroup(x, depth + 1, g);
  for (const l of table.links) writeLink(x, depth + 1, l);
  if (hasData) {
    const d = depth + 1;
    x.line(d, '<DATA>');
    const columns = table.columns.length > 0 ? table.columns : [];
    if (serialization === 'TABLEDATA') {
      x.line(d + 1, '<TABLEDATA>');
      yield* writeTabledataRows(x.sink, {
        columns,
        fields,
        rowCount,
        indent: o.indent.repeat(d + 2),
        invalidCharacters: o.invalid,
        stringOverflow: o.stringOverflow,
      });
      x.line(d + 1, '</TABLEDATA>');
    } else {
      x.line(d + 1, `<${serialization}>`);
      x.line(d + 2, '<STREAM encoding="base64">');
      yield* writeBinaryRows(x.sink, {
        serialization,
        columns,
        fields,
        rowCount,
        base64LineLength: o.base64LineLength,
        stringOverflow: o.stringOverflow,
      });
      x.sink.writeString('\n');
      x.line(d + 2, '</STREAM>');
      x.line(d + 1, `</${serialization}>`);
    }
    x.line(d, '</DATA>');
  }
  for (const i of table.infosAfterData) writeInfo(x, depth + 1, i);
  x.line(depth, '</TABLE>');
}

function* writeResource(x: XmlOut, depth: number, r: Resource, counter: { next: number }): Generator<void> {
  const a = x.attrs(
    [
      ['ID', r.id],
      ['name', r.name],
      ['type', r.type],
      ['utype', r.utype],
    ],
    r.attributes,
  );
  x.line(depth, `<RESOURCE${a}>`);
  x.description(depth + 1, r.description);
  for (const i of r.infos) writeInfo(x, depth + 1, i);
  for (const c of r.coosys) writeCoosys(x, depth + 1, c);
  for (const t of r.timesys) writeTimesys(x, depth + 1, t);
  for (const g of r.groups) writeGroup(x, depth + 1, g);
  for (const p of r.params) writeFieldLike(x, depth + 1, 'PARAM', p);
  for (const l of r.links) writeLink(x, depth + 1, l);
  for (const t of r.tables) {
    yield* writeTable(x, depth + 1, t, counter.next++);
    yield;
  }
  for (const child of r.resources) yield* writeResource(x, depth + 1, child, counter);
  for (const i of r.infosAfter) writeInfo(x, depth + 1, i);
  x.line(depth, '</RESOURCE>');
}

const SCHEMA_LOCATION_ATTRIBUTES = new Set(['xsi:schemaLocation', 'xsi:noNamespaceSchemaLocation']);

/** Collects every VALUES with an ID in the document into `x.valuesById`. */
function collectValues(x: XmlOut, node: unknown): void {
  if (Array.isArray(node)) for (const n of node) collectValues(x, n);
  else if (node && typeof node === 'object' && !ArrayBuffer.isView(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'columns' || key === 'attributes') continue;
      if (key === 'values' && value && typeof value === 'object' && !Array.isArray(value)) {
        const v = value as Values;
        if (v.id !== undefined && !x.valuesById.has(v.id)) x.valuesById.set(v.id, v);
      } else collectValues(x, value);
    }
  }
}

function* writeDocument(x: XmlOut, doc: VOTableDocument): Generator<void> {
  const o = x.o;
  collectValues(x, doc);
  if (o.xmlDeclaration) x.line(0, '<?xml version="1.0" encoding="UTF-8"?>');
  let attributes = doc.attributes ?? {};
  if (o.namespaceChanged) {
    attributes = Object.fromEntries(Object.entries(attributes).filter(([k]) => !SCHEMA_LOCATION_ATTRIBUTES.has(k)));
  }
  const a = x.attrs(
    [
      ['version', o.version, true],
      ['ID', doc.id],
      ['xmlns', o.namespace],
    ],
    attributes,
  );
  x.line(0, `<VOTABLE${a}>`);
  x.description(1, doc.description);
  if (doc.definitions) {
    x.line(1, '<DEFINITIONS>');
    for (const c of doc.definitions.coosys) writeCoosys(x, 2, c);
    for (const p of doc.definitions.params) writeFieldLike(x, 2, 'PARAM', p);
    x.line(1, '</DEFINITIONS>');
  }
  for (const i of doc.infos) writeInfo(x, 1, i);
  for (const c of doc.coosys) writeCoosys(x, 1, c);
  for (const t of doc.timesys) writeTimesys(x, 1, t);
  for (const g of doc.groups) writeGroup(x, 1, g);
  for (const p of doc.params) writeFieldLike(x, 1, 'PARAM', p);
  const counter = { next: 0 };
  for (const r of doc.resources) yield* writeResource(x, 1, r, counter);
  for (const i of doc.infosAfter) writeInfo(x, 1, i);
  x.line(0, '</VOTABLE>');
}

/** The document as a sequence of UTF-8 chunks, made on demand (shared by the three entry points). */
function* generateChunks(doc: VOTableDocument, options: WriteOptions): Generator<Uint8Array> {
  const o = resolveOptions(doc, options);
  const sink = new ByteSink(o.chunkBytes);
  const x = new XmlOut(sink, o);
  for (const _ of writeDocument(x, doc)) {
    for (const chunk of sink.take()) yield chunk;
  }
  for (const chunk of sink.take(true)) yield chunk;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/**
 * Writes a VOTable document as UTF-8 bytes: all metadata, and each table's Columns as
 * TABLEDATA, BINARY or BINARY2 (see {@link WriteOptions}). The opposite of `parseVOTable`.
 * Throws OptionsError for bad options, WriteError for data the serialization cannot hold.
 */
export function writeVOTableBytes(doc: VOTableDocument, options: WriteOptions = {}): Uint8Array {
  return concat([...generateChunks(doc, options)]);
}

/**
 * Writes a VOTable document as a string (see {@link writeVOTableBytes}). The opposite of
 * `parseVOTable`.
 */
export function writeVOTable(doc: VOTableDocument, options: WriteOptions = {}): string {
  const decoder = new TextDecoder();
  let out = '';
  for (const chunk of generateChunks(doc, options)) out += decoder.decode(chunk, { stream: true });
  return out + decoder.decode();
}

/**
 * Writes a VOTable document as a stream of UTF-8 chunks of about `chunkBytes` bytes, made as the
 * consumer pulls them: memory stays at about one chunk and one row whatever the table size.
 * Errors (OptionsError, WriteError) surface from the iteration.
 */
export async function* writeVOTableStream(doc: VOTableDocument, options: WriteOptions = {}): AsyncGenerator<Uint8Array> {
  for (const chunk of generateChunks(doc, options)) yield chunk;
}
