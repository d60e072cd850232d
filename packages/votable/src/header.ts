/**
 * Builds the metadata model (`model.ts`) from the scanner's start/end/text tokens: every
 * VOTable element except the row data, which `parse.ts` routes to the TABLEDATA or BINARY
 * decoders when `start` says a serialization begins.
 *
 * Elements from other namespaces (MIVOT, STC, vendor extensions) and unknown elements in the
 * VOTable namespace (the pre-MIVOT `<VODML>`, astropy's `<PARQUET>`) are skipped whole, as
 * VOTable 1.5 §3 allows for extension elements. Every attribute of a known element is kept in
 * `attributes`, so nothing the document said is lost.
 */

import { parseArraySize, parseDatatype } from './datatypes.js';
import { ArraySizeError, VOTableStructureError, type ErrorLocation } from './errors.js';
import type {
  Coosys,
  Field,
  Group,
  GroupRef,
  Info,
  Link,
  Param,
  Resource,
  Serialization,
  Table,
  Timesys,
  Values,
  ValuesOption,
  VOTableDocument,
  VOTableVersion,
} from './model.js';
import { parseCellText } from './cell-text.js';
import type { XmlEndTag, XmlStartTag, XmlText } from './xml-scanner.js';

/** What `HeaderBuilder.start`/`end` tell the parser. */
export const HEADER_NOTHING = 0;
/** A `<TABLEDATA>` opened: rows follow. */
export const HEADER_TABLEDATA = 1;
/** A `<BINARY>`, `<BINARY2>` or `<FITS>` opened (`serialization` says which). */
export const HEADER_SERIALIZATION = 2;
/** A `<STREAM>` opened inside BINARY/BINARY2/FITS (`streamAttributes` has its attributes). */
export const HEADER_STREAM = 3;
/** A `</STREAM>` closed. */
export const HEADER_STREAM_END = 4;
/** A serialization element closed (`</TABLEDATA>`, `</BINARY>`, …). */
export const HEADER_SERIALIZATION_END = 5;
/** A `</TABLE>` closed. */
export const HEADER_TABLE_END = 6;

/**
 * Most elements (characters for strings) the fixed dimensions of one cell may hold. Columns
 * are allocated from arraysize before any row is read, so a corrupt `arraysize="2147483648"`
 * must be refused here rather than exhaust memory.
 */
export const MAX_CELL_ELEMENTS = 1 << 20;

/** True for a namespace URI that is VOTable's (any version) or no namespace. */
export function isVOTableNamespace(ns: string): boolean {
  return ns === '' || ns.startsWith('http://www.ivoa.net/xml/VOTable/') || ns === 'http://www.ivoa.net/xml/VOTable';
}

const VERSIONS: readonly VOTableVersion[] = ['1.1', '1.2', '1.3', '1.4', '1.5'];

/** The version a document declares (`version` attribute, else its namespace; 1.0 reads as 1.1). */
export function documentVersion(attribute: string | undefined, ns: string): VOTableVersion {
  const v = attribute?.trim().replace(/^v/i, '');
  if (v && (VERSIONS as readonly string[]).includes(v)) return v as VOTableVersion;
  const m = /\/v(1\.\d)$/.exec(ns);
  if (m && (VERSIONS as readonly string[]).includes(m[1])) return m[1] as VOTableVersion;
  if (v && /^1\.\d+$/.test(v) && Number(v) > 1.5) return '1.5';
  return '1.1';
}

interface Frame {
  local: string;
  /** The model object this element fills (Table, Field, Resource, …). */
  node: unknown;
  /** Text bytes collected (DESCRIPTION, INFO); null when text is not wanted. */
  text: Uint8Array[] | null;
}

function opt(attributes: Record<string, string>, name: string): string | undefined {
  const v = attributes[name];
  return v === undefined ? undefined : v;
}

function int(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) && value.trim() !== '' ? n : undefined;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Accumulates the metadata of one document, element by element. */
export class HeaderBuilder {
  document: VOTableDocument | null = null;
  /** The TABLE being read, and its index in document order. */
  table: Table | null = null;
  tableIndex = -1;
  /** Serialization of the DATA being read. */
  serialization: Serialization | null = null;
  /** Attributes of the current STREAM element. */
  streamAttributes: Record<string, string> | null = null;
  private readonly frames: Frame[] = [];
  /** >0 while inside an element that is skipped whole. */
  private skipDepth = 0;
  /** Tables seen so far. */
  readonly tables: Table[] = [];
  private readonly decodeText: (bytes: Uint8Array) => string;

  constructor(decodeText: (bytes: Uint8Array) => string) {
    this.decodeText = decodeText;
  }

  private where(tag: { offset: number; line: number }, field?: string): ErrorLocation {
    const w: ErrorLocation = { offset: tag.offset, line: tag.line };
    if (field !== undefined) w.field = field;
    if (this.tableIndex >= 0) w.table = this.tableIndex;
    return w;
  }

  /** Handles a start tag; returns one of the HEADER_* codes. */
  start(tag: XmlStartTag): number {
    if (this.skipDepth > 0) {
      this.skipDepth++;
      return HEADER_NOTHING;
    }
    const attrs = tag.attributes;
    if (!this.document) {
      if (tag.local !== 'VOTABLE' || !isVOTableNamespace(tag.ns)) {
        throw new VOTableStructureError(
          `root element is <${tag.qname}>${tag.ns ? ` in namespace ${tag.ns}` : ''}, not a VOTable <VOTABLE>`,
          this.where(tag),
        );
      }
      const doc: VOTableDocument = {
        version: documentVersion(attrs.version, tag.ns),
        attributes: attrs,
        infos: [],
        coosys: [],
        timesys: [],
        groups: [],
        params: [],
        resources: [],
        infosAfter: [],
      };
      if (tag.ns) doc.namespace = tag.ns;
      if (attrs.ID !== undefined) doc.id = attrs.ID;
      this.document = doc;
      this.frames.push({ local: 'VOTABLE', node: doc, text: null });
      return HEADER_NOTHING;
    }
    if (!isVOTableNamespace(tag.ns)) return this.skip();
    const parent = this.frames[this.frames.length - 1];
    const p = parent.node as Record<string, any>;
    const local = tag.local;
    let node: unknown = null;
    let text: Uint8Array[] | null = null;
    let code = HEADER_NOTHING;
    switch (parent.local) {
      case 'VOTABLE':
      case 'RESOURCE':
      case 'DEFINITIONS':
        switch (local) {
          case 'RESOURCE': {
            if (parent.local === 'DEFINITIONS') return this.skip();
            const r = this.resource(attrs);
            (p.resources as Resource[]).push(r);
            node = r;
            break;
          }
          case 'INFO': {
            if (parent.local === 'DEFINITIONS') return this.skip();
            const info = this.info(attrs);
            const after = p.resources.length > 0 || (parent.local === 'RESOURCE' && p.tables.length > 0);
            (after ? p.infosAfter : p.infos).push(info);
            node = info;
            text = [];
            break;
          }
          case 'DESCRIPTION':
            node = p;
            text = [];
            break;
          case 'DEFINITIONS':
            if (parent.local !== 'VOTABLE') return this.skip();
            p.definitions ??= { coosys: [], params: [] };
            node = p.definitions;
            break;
          case 'COOSYS':
            (p.coosys as Coosys[]).push(this.coosys(attrs));
            node = {};
            break;
          case 'TIMESYS':
            if (parent.local === 'DEFINITIONS') return this.skip();
            if (attrs.ID === undefined) {
              // VOTable 1.4 §4.2: TIMESYS exists to be referenced, so ID is required (astropy E22).
              throw new VOTableStructureError('<TIMESYS> without the required ID attribute', this.where(tag));
            }
            (p.timesys as Timesys[]).push(this.timesys(attrs));
            node = {};
            break;
          case 'GROUP': {
            if (parent.local === 'DEFINITIONS') return this.skip();
            const g = this.group(attrs);
            (p.groups as Group[]).push(g);
            node = g;
            break;
          }
          case 'PARAM': {
            const param = this.param(attrs, tag);
            (p.params as Param[]).push(param);
            node = param;
            break;
          }
          case 'LINK':
            if (parent.local !== 'RESOURCE') return this.skip();
            (p.links as Link[]).push(this.link(attrs));
            node = {};
            break;
          case 'TABLE': {
            if (parent.local !== 'RESOURCE') return this.skip();
            const t = this.newTable(attrs);
            (p.tables as Table[]).push(t);
            this.table = t;
            this.tableIndex = this.tables.length;
            this.tables.push(t);
            node = t;
            break;
          }
          default:
            return this.skip();
        }
        break;
      case 'TABLE': {
        const t = p as Table;
        switch (local) {
          case 'DESCRIPTION':
            node = t;
            text = [];
            break;
          case 'FIELD': {
            const f = this.field(attrs, tag, t.fields.length);
            t.fields.push(f);
            node = f;
            break;
          }
          case 'PARAM': {
            const param = this.param(attrs, tag);
            t.params.push(param);
            node = param;
            break;
          }
          case 'GROUP': {
            const g = this.group(attrs);
            t.groups.push(g);
            node = g;
            break;
          }
          case 'LINK':
            t.links.push(this.link(attrs));
            node = {};
            break;
          case 'INFO': {
            const info = this.info(attrs);
            (t.data ? t.infosAfterData : t.infos).push(info);
            node = info;
            text = [];
            break;
          }
          case 'DATA':
            node = t;
            break;
          default:
            return this.skip();
        }
        break;
      }
      case 'FIELD':
      case 'PARAM': {
        const f = p as Field;
        switch (local) {
          case 'DESCRIPTION':
            node = f;
            text = [];
            break;
          case 'VALUES': {
            const v = this.values(attrs);
            if (v.id !== undefined) this.valuesById.set(v.id, v);
            this.resolveValuesRef(v);
            f.values = v;
            node = v;
            break;
          }
          case 'LINK':
            f.links.push(this.link(attrs));
            node = {};
            break;
          default:
            return this.skip();
        }
        break;
      }
      case 'GROUP': {
        const g = p as Group;
        switch (local) {
          case 'DESCRIPTION':
            node = g;
            text = [];
            break;
          case 'FIELDref':
            g.fieldRefs.push(this.groupRef(attrs, tag));
            node = {};
            break;
          case 'PARAMref':
            g.paramRefs.push(this.groupRef(attrs, tag));
            node = {};
            break;
          case 'PARAM': {
            const param = this.param(attrs, tag);
            g.params.push(param);
            node = param;
            break;
          }
          case 'GROUP': {
            const sub = this.group(attrs);
            g.groups.push(sub);
            node = sub;
            break;
          }
          default:
            return this.skip();
        }
        break;
      }
      case 'VALUES': {
        const v = p as Values;
        if (local === 'MIN' || local === 'MAX') {
          const limit = { value: attrs.value ?? '', inclusive: (attrs.inclusive ?? 'yes').trim() !== 'no' };
          if (local === 'MIN') v.min = limit;
          else v.max = limit;
          node = {};
        } else if (local === 'OPTION') {
          const o = this.option(attrs);
          if (this.inheritedOptions.has(v.options)) v.options = [];
          v.options.push(o);
          node = o;
        } else return this.skip();
        break;
      }
      case 'OPTION':
        if (local !== 'OPTION') return this.skip();
        node = this.option(attrs);
        (p as ValuesOption).options.push(node as ValuesOption);
        break;
      case 'DATA': {
        const t = p as Table;
        if (local === 'INFO') {
          const info = this.info(attrs);
          t.infosAfterData.push(info);
          node = info;
          text = [];
          break;
        }
        if (local !== 'TABLEDATA' && local !== 'BINARY' && local !== 'BINARY2' && local !== 'FITS') return this.skip();
        if (t.data) {
          throw new VOTableStructureError(`a second serialization <${tag.qname}> in one DATA`, this.where(tag));
        }
        const serialization = local as Serialization;
        this.resolveTableRef(t);
        t.data = { serialization };
        if (local === 'FITS' && attrs.extnum !== undefined) t.data.extnum = int(attrs.extnum);
        this.serialization = serialization;
        node = t;
        code = local === 'TABLEDATA' ? HEADER_TABLEDATA : HEADER_SERIALIZATION;
        break;
      }
      case 'BINARY':
      case 'BINARY2':
      case 'FITS': {
        if (local !== 'STREAM') return this.skip();
        const t = p as Table;
        const data = t.data!;
        data.streamAttributes = attrs;
        if (attrs.encoding !== undefined) data.encoding = attrs.encoding;
        if (attrs.href !== undefined) data.href = attrs.href;
        this.streamAttributes = attrs;
        node = t;
        code = HEADER_STREAM;
        break;
      }
      default:
        // Leaf elements (INFO, LINK, COOSYS, DESCRIPTION, …) have no element children we keep.
        return this.skip();
    }
    this.frames.push({ local, node, text });
    return code;
  }

  private skip(): number {
    this.skipDepth = 1;
    return HEADER_NOTHING;
  }

  /** Handles character data (kept only for DESCRIPTION and INFO). */
  text(token: XmlText): void {
    if (this.skipDepth > 0) return;
    const frame = this.frames[this.frames.length - 1];
    if (frame && frame.text) frame.text.push(token.bytes.slice(token.start, token.end));
  }

  /** Handles an end tag; returns one of the HEADER_* codes. */
  end(tag: XmlEndTag): number {
    if (this.skipDepth > 0) {
      this.skipDepth--;
      return HEADER_NOTHING;
    }
    const frame = this.frames.pop();
    if (!frame) return HEADER_NOTHING;
    if (frame.text) {
      const content = frame.text.length > 0 ? this.decodeText(concat(frame.text)) : '';
      if (frame.local === 'DESCRIPTION') {
        const trimmed = content.trim();
        (frame.node as { description?: string }).description = trimmed;
      } else if (frame.local === 'INFO') {
        const trimmed = content.trim();
        if (trimmed !== '') (frame.node as Info).content = trimmed;
      }
    }
    switch (frame.local) {
      case 'TABLE':
        this.resolveTableRef(frame.node as Table);
        return HEADER_TABLE_END;
      case 'PARAM':
        HeaderBuilder.parseParamValue(frame.node as Param);
        return HEADER_NOTHING;
      case 'TABLEDATA':
      case 'BINARY':
      case 'BINARY2':
      case 'FITS':
        this.serialization = null;
        return HEADER_SERIALIZATION_END;
      case 'STREAM':
        this.streamAttributes = null;
        return HEADER_STREAM_END;
      default:
        return HEADER_NOTHING;
    }
  }

  /**
   * A TABLE with `ref` and no FIELDs of its own takes the FIELDs, PARAMs and GROUPs of the
   * TABLE whose ID it names (VOTable 1.5 §4.5: the rows follow that table's description;
   * astropy's `Table.ref` setter does the same).
   */
  private resolveTableRef(t: Table): void {
    if (t.fields.length > 0 || t.ref === undefined) return;
    const target = this.tables.find((other) => other !== t && other.id === t.ref);
    if (!target) return;
    t.fields = target.fields.slice();
    if (t.params.length === 0) t.params = target.params.slice();
    if (t.groups.length === 0) t.groups = target.groups.slice();
  }

  /**
   * `<VALUES ref="…">` means the VALUES with that ID (VOTable 1.5 §4.7): its null, type and
   * limits apply unless this one states its own (astropy resolves them the same way).
   */
  private resolveValuesRef(v: Values): void {
    if (v.ref === undefined) return;
    const target = this.valuesById.get(v.ref);
    if (!target || target === v) return;
    if (v.null === undefined && target.null !== undefined) v.null = target.null;
    if (v.type === undefined && target.type !== undefined) v.type = target.type;
    if (v.min === undefined && target.min !== undefined) v.min = target.min;
    if (v.max === undefined && target.max !== undefined) v.max = target.max;
    if (v.options.length === 0 && target.options.length > 0) {
      // A copy, marked as inherited: the element's own OPTIONs (parsed next) replace it rather
      // than being appended to the target's list.
      v.options = target.options.slice();
      this.inheritedOptions.add(v.options);
    }
  }

  private readonly inheritedOptions = new WeakSet<ValuesOption[]>();

  private readonly valuesById = new Map<string, Values>();

  /** Called by the parser once a table's columns are in. */
  tableDone(): void {
    this.table = null;
  }

  private resource(a: Record<string, string>): Resource {
    const r: Resource = {
      attributes: a,
      infos: [],
      coosys: [],
      timesys: [],
      groups: [],
      params: [],
      links: [],
      tables: [],
      resources: [],
      infosAfter: [],
    };
    if (a.ID !== undefined) r.id = a.ID;
    if (a.name !== undefined) r.name = a.name;
    if (a.type !== undefined) r.type = a.type;
    if (a.utype !== undefined) r.utype = a.utype;
    return r;
  }

  private newTable(a: Record<string, string>): Table {
    const t: Table = {
      attributes: a,
      fields: [],
      params: [],
      groups: [],
      links: [],
      infos: [],
      infosAfterData: [],
      columns: [],
      rowCount: 0,
    };
    if (a.ID !== undefined) t.id = a.ID;
    if (a.name !== undefined) t.name = a.name;
    if (a.ref !== undefined) t.ref = a.ref;
    if (a.ucd !== undefined) t.ucd = a.ucd;
    if (a.utype !== undefined) t.utype = a.utype;
    const nrows = int(a.nrows);
    if (nrows !== undefined) t.nrows = nrows;
    return t;
  }

  private field(a: Record<string, string>, tag: XmlStartTag, index: number): Field {
    // astropy falls back to the ID when a FIELD has no name (VOTable requires one).
    const name = a.name ?? a.ID ?? `col${index + 1}`;
    const where = this.where(tag, name);
    const datatype = parseDatatype(a.datatype?.trim(), where);
    if (a.arraysize !== undefined) {
      const size = parseArraySize(a.arraysize, where);
      let elements = 1;
      for (const d of size.dims) if (d > 0) elements *= d;
      if (elements > MAX_CELL_ELEMENTS) {
        throw new ArraySizeError(
          `arraysize "${a.arraysize}" asks for ${elements} elements per cell; at most ${MAX_CELL_ELEMENTS} are supported`,
          where,
        );
      }
    }
    const f: Field = { name, datatype, attributes: a, links: [] };
    if (a.ID !== undefined) f.id = a.ID;
    if (a.arraysize !== undefined && a.arraysize.trim() !== '') f.arraysize = a.arraysize.trim();
    const width = int(a.width);
    if (width !== undefined) f.width = width;
    if (a.precision !== undefined) f.precision = a.precision;
    if (a.unit !== undefined) f.unit = a.unit;
    if (a.ucd !== undefined) f.ucd = a.ucd;
    if (a.utype !== undefined) f.utype = a.utype;
    if (a.xtype !== undefined) f.xtype = a.xtype;
    if (a.ref !== undefined) f.ref = a.ref;
    if (a.type !== undefined) f.type = a.type;
    return f;
  }

  private param(a: Record<string, string>, tag: XmlStartTag): Param {
    const f = this.field(a, tag, 0) as Param;
    f.value = a.value ?? '';
    return f;
  }

  /**
   * Parses every PARAM's value once its VALUES (null) is known. Values that do not parse as
   * their datatype leave `parsedValue` undefined: real services write PARAMs such as
   * `value="[0. 0.]"` or `value=""`, and the text stays in `value`.
   */
  static parseParamValue(param: Param): void {
    try {
      param.parsedValue = parseCellText(param.value, param);
    } catch {
      param.parsedValue = undefined;
    }
  }

  private group(a: Record<string, string>): Group {
    const g: Group = { attributes: a, fieldRefs: [], paramRefs: [], params: [], groups: [] };
    if (a.ID !== undefined) g.id = a.ID;
    if (a.name !== undefined) g.name = a.name;
    if (a.ref !== undefined) g.ref = a.ref;
    if (a.ucd !== undefined) g.ucd = a.ucd;
    if (a.utype !== undefined) g.utype = a.utype;
    return g;
  }

  private groupRef(a: Record<string, string>, tag: XmlStartTag): GroupRef {
    if (a.ref === undefined) {
      throw new VOTableStructureError(`<${tag.qname}> without the required "ref" attribute`, this.where(tag));
    }
    const r: GroupRef = { ref: a.ref, attributes: a };
    if (a.ucd !== undefined) r.ucd = a.ucd;
    if (a.utype !== undefined) r.utype = a.utype;
    return r;
  }

  private values(a: Record<string, string>): Values {
    const v: Values = { attributes: a, options: [] };
    if (a.ID !== undefined) v.id = a.ID;
    if (a.type !== undefined) v.type = a.type;
    if (a.null !== undefined) v.null = a.null;
    if (a.ref !== undefined) v.ref = a.ref;
    return v;
  }

  private option(a: Record<string, string>): ValuesOption {
    const o: ValuesOption = { value: a.value ?? '', options: [], attributes: a };
    if (a.name !== undefined) o.name = a.name;
    return o;
  }

  private link(a: Record<string, string>): Link {
    const l: Link = { attributes: a };
    if (a.ID !== undefined) l.id = a.ID;
    if (a['content-role'] !== undefined) l.contentRole = a['content-role'];
    if (a['content-type'] !== undefined) l.contentType = a['content-type'];
    if (a.title !== undefined) l.title = a.title;
    if (a.value !== undefined) l.value = a.value;
    if (a.href !== undefined) l.href = a.href;
    if (a.action !== undefined) l.action = a.action;
    return l;
  }

  private info(a: Record<string, string>): Info {
    const i: Info = { name: a.name ?? '', value: a.value ?? '', attributes: a };
    if (a.ID !== undefined) i.id = a.ID;
    if (a.unit !== undefined) i.unit = a.unit;
    if (a.ucd !== undefined) i.ucd = a.ucd;
    if (a.utype !== undefined) i.utype = a.utype;
    if (a.xtype !== undefined) i.xtype = a.xtype;
    if (a.ref !== undefined) i.ref = a.ref;
    return i;
  }

  private coosys(a: Record<string, string>): Coosys {
    const c: Coosys = { attributes: a };
    if (a.ID !== undefined) c.id = a.ID;
    const system = opt(a, 'system');
    if (system !== undefined) c.system = system;
    if (a.equinox !== undefined) c.equinox = a.equinox;
    if (a.epoch !== undefined) c.epoch = a.epoch;
    if (a.refposition !== undefined) c.refposition = a.refposition;
    return c;
  }

  private timesys(a: Record<string, string>): Timesys {
    const t: Timesys = { attributes: a };
    if (a.ID !== undefined) t.id = a.ID;
    if (a.timeorigin !== undefined) t.timeorigin = a.timeorigin;
    if (a.timescale !== undefined) t.timescale = a.timescale;
    if (a.refposition !== undefined) t.refposition = a.refposition;
    return t;
  }
}
