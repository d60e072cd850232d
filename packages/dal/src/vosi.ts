/**
 * VOSI 1.1 documents: capabilities (with TAPRegExt 1.0 details), tables (VODataService 1.2
 * tableset) and availability; and DALI examples (RDFa in XHTML). Parsers take text; the
 * fetchers apply the usual deadline and error rules.
 *
 * Capabilities without a `standardID` (a `vr:WebBrowser` one, as DaCHS publishes) are kept,
 * with `standardId` undefined, rather than breaking the parse (pyvo 1.2 fails on them).
 */
import { DALFormatError } from './errors.js';
import { Deadline, readBytes, send, type HttpOptions } from './http.js';
import { attr, child, childText, children, parseXml, xsiType, type XmlElement } from './xml.js';

/** An `accessURL` with its `use` (full, base, post, dir). */
export interface AccessUrl {
  url: string;
  use?: string;
}

/** An `interface` of a capability. */
export interface Interface {
  /** Local part of the xsi:type (`ParamHTTP`, `WebBrowser`). */
  type?: string;
  role?: string;
  version?: string;
  accessUrls: AccessUrl[];
  /** `securityMethod` standardIDs (authentication). */
  securityMethods: string[];
}

/** A language feature (TAPRegExt §2.3), e.g. an ADQL UDF or geometry function. */
export interface LanguageFeature {
  /** The feature list type, e.g. `ivo://ivoa.net/std/TAPRegExt#features-udf`. */
  type: string;
  form: string;
  description?: string;
}

/** A query language (TAPRegExt §2.3). */
export interface Language {
  name: string;
  versions: { version: string; ivoId?: string }[];
  description?: string;
  features: LanguageFeature[];
}

/** A limit with its unit (`row` or `byte`). */
export interface Limit {
  value: number;
  unit?: string;
}

/** One `capability` element. TAP-specific members are set only on TAPRegExt capabilities. */
export interface Capability {
  /** `standardID`, or undefined (web browser capabilities often lack one). */
  standardId?: string;
  /** Local part of the xsi:type (`TableAccess`, `ConeSearch`...). */
  type?: string;
  description?: string;
  interfaces: Interface[];
  /** TAPRegExt: supported data models. */
  dataModels: { name: string; ivoId?: string }[];
  languages: Language[];
  outputFormats: { mime: string; aliases: string[]; ivoId?: string }[];
  /** TAPRegExt: upload method ivo-ids. */
  uploadMethods: string[];
  retentionPeriod?: { default?: number; hard?: number };
  executionDuration?: { default?: number; hard?: number };
  outputLimit?: { default?: Limit; hard?: Limit };
  uploadLimit?: { default?: Limit; hard?: Limit };
}

function limit(el: XmlElement | undefined): Limit | undefined {
  const t = el?.text.trim();
  if (!el || !t) return undefined;
  return { value: Number(t), unit: attr(el, 'unit') };
}

function limits(el: XmlElement | undefined): { default?: Limit; hard?: Limit } | undefined {
  if (!el) return undefined;
  return { default: limit(child(el, 'default')), hard: limit(child(el, 'hard')) };
}

function seconds(el: XmlElement | undefined): { default?: number; hard?: number } | undefined {
  if (!el) return undefined;
  const d = childText(el, 'default');
  const h = childText(el, 'hard');
  return { default: d === undefined ? undefined : Number(d), hard: h === undefined ? undefined : Number(h) };
}

function parseInterface(el: XmlElement): Interface {
  return {
    type: xsiType(el),
    role: attr(el, 'role'),
    version: attr(el, 'version'),
    accessUrls: children(el, 'accessURL').map((a) => ({ url: a.text.trim(), use: attr(a, 'use') })),
    securityMethods: children(el, 'securityMethod').map((s) => attr(s, 'standardID') ?? ''),
  };
}

function parseCapability(el: XmlElement): Capability {
  return {
    standardId: attr(el, 'standardID'),
    type: xsiType(el),
    description: childText(el, 'description'),
    interfaces: children(el, 'interface').map(parseInterface),
    dataModels: children(el, 'dataModel').map((d) => ({ name: d.text.trim(), ivoId: attr(d, 'ivo-id') })),
    languages: children(el, 'language').map((l) => ({
      name: childText(l, 'name') ?? '',
      versions: children(l, 'version').map((v) => ({ version: v.text.trim(), ivoId: attr(v, 'ivo-id') })),
      description: childText(l, 'description'),
      features: children(l, 'languageFeatures').flatMap((group) =>
        children(group, 'feature').map((f) => ({
          type: attr(group, 'type') ?? '',
          form: childText(f, 'form') ?? '',
          description: childText(f, 'description'),
        })),
      ),
    })),
    outputFormats: children(el, 'outputFormat').map((f) => ({
      mime: childText(f, 'mime') ?? '',
      aliases: children(f, 'alias').map((a) => a.text.trim()),
      ivoId: attr(f, 'ivo-id'),
    })),
    uploadMethods: children(el, 'uploadMethod').map((u) => attr(u, 'ivo-id') ?? ''),
    retentionPeriod: seconds(child(el, 'retentionPeriod')),
    executionDuration: seconds(child(el, 'executionDuration')),
    outputLimit: limits(child(el, 'outputLimit')),
    uploadLimit: limits(child(el, 'uploadLimit')),
  };
}

/** Parses a VOSI capabilities document. */
export function parseCapabilities(text: string, url?: string): Capability[] {
  const root = parseXml(text, { url });
  if (root.name !== 'capabilities') throw new DALFormatError(`expected VOSI <capabilities>, got <${root.name}>`, { url });
  return children(root, 'capability').map(parseCapability);
}

/** True when a capability's standardID is `standard` (ignoring case and a `#version` suffix when `standard` has none). */
export function hasStandard(cap: Capability, standard: string): boolean {
  const id = cap.standardId?.toLowerCase();
  if (!id) return false;
  const want = standard.toLowerCase();
  return id === want || (!want.includes('#') && id.split('#')[0] === want);
}

/** The access URL of the capability with `standard` (an anonymous standard interface first), or undefined. */
export function accessUrlOf(caps: readonly Capability[], standard: string): string | undefined {
  for (const cap of caps) {
    if (!hasStandard(cap, standard)) continue;
    // prefer a standard interface anyone may use: no securityMethod, or an anonymous one
    const anonymous = (i: Interface) => i.securityMethods.length === 0 || i.securityMethods.includes('');
    const std = cap.interfaces.filter((i) => i.role === 'std');
    const intf = std.find(anonymous) ?? cap.interfaces.find(anonymous) ?? std[0] ?? cap.interfaces[0];
    const url = intf?.accessUrls[0]?.url;
    if (url) return url;
  }
  return undefined;
}

/** A language feature lookup: is `form` (case-insensitive, up to `(`) among the features of `type`? */
export function hasLanguageFeature(cap: Capability, type: string, form: string, language = 'ADQL'): boolean {
  const wantForm = form.toLowerCase();
  return cap.languages
    .filter((l) => l.name.toUpperCase() === language.toUpperCase())
    .some((l) =>
      l.features.some((f) => f.type === type && f.form.toLowerCase().split('(')[0].trim() === wantForm.split('(')[0].trim()),
    );
}

/** A column of a VOSI table. */
export interface TableColumn {
  name: string;
  description?: string;
  unit?: string;
  ucd?: string;
  utype?: string;
  datatype?: string;
  arraysize?: string;
  xtype?: string;
  /** Local part of the dataType's xsi:type (`VOTableType`, `TAPType`). */
  typeSystem?: string;
  /** `indexed`, `primary`, `nullable`. */
  flags: string[];
  std: boolean;
}

/** A foreign key of a VOSI table. */
export interface ForeignKey {
  targetTable: string;
  columns: { from: string; target: string }[];
  description?: string;
  utype?: string;
}

/** A VOSI table; `columns` is undefined when fetched with `detail=min` and not loaded yet. */
export interface TableDesc {
  name: string;
  title?: string;
  description?: string;
  utype?: string;
  /** `output`, `base_table`, `view`... */
  type?: string;
  /** Row count estimate (VODataService 1.2 `nrows`). */
  nrows?: number;
  columns?: TableColumn[];
  foreignKeys: ForeignKey[];
}

/** A VOSI schema. */
export interface SchemaDesc {
  name: string;
  title?: string;
  description?: string;
  utype?: string;
  tables: TableDesc[];
}

function parseTable(el: XmlElement): TableDesc {
  const columns = children(el, 'column');
  const nrows = childText(el, 'nrows');
  return {
    name: childText(el, 'name') ?? '',
    title: childText(el, 'title'),
    description: childText(el, 'description'),
    utype: childText(el, 'utype'),
    type: attr(el, 'type'),
    nrows: nrows === undefined ? undefined : Number(nrows),
    // detail=min omits columns; a full table without any column is rare but then stays []
    columns: columns.length > 0 ? columns.map(parseColumn) : undefined,
    foreignKeys: children(el, 'foreignKey').map((fk) => ({
      targetTable: childText(fk, 'targetTable') ?? '',
      columns: children(fk, 'fkColumn').map((c) => ({ from: childText(c, 'fromColumn') ?? '', target: childText(c, 'targetColumn') ?? '' })),
      description: childText(fk, 'description'),
      utype: childText(fk, 'utype'),
    })),
  };
}

function parseColumn(el: XmlElement): TableColumn {
  const dt = child(el, 'dataType');
  return {
    name: childText(el, 'name') ?? '',
    description: childText(el, 'description'),
    unit: childText(el, 'unit'),
    ucd: childText(el, 'ucd'),
    utype: childText(el, 'utype'),
    datatype: dt?.text.trim() || undefined,
    arraysize: attr(dt, 'arraysize'),
    xtype: attr(dt, 'extendedType') ?? attr(dt, 'xtype'),
    typeSystem: xsiType(dt),
    flags: children(el, 'flag').map((f) => f.text.trim()),
    std: attr(el, 'std') === 'true',
  };
}

/** Parses a VOSI tableset (`<tableset>`) or a single `<table>` document (VOSI 1.1 tables/name). */
export function parseTables(text: string, url?: string): SchemaDesc[] {
  const root = parseXml(text, { url });
  if (root.name === 'table') return [{ name: '', tables: [parseTable(root)] }];
  if (root.name !== 'tableset') throw new DALFormatError(`expected VOSI <tableset>, got <${root.name}>`, { url });
  return children(root, 'schema').map((s) => ({
    name: childText(s, 'name') ?? '',
    title: childText(s, 'title'),
    description: childText(s, 'description'),
    utype: childText(s, 'utype'),
    tables: children(s, 'table').map(parseTable),
  }));
}

/** VOSI availability. */
export interface Availability {
  available: boolean;
  upSince?: string;
  downAt?: string;
  backAt?: string;
  notes: string[];
}

/** Parses a VOSI availability document. */
export function parseAvailability(text: string, url?: string): Availability {
  const root = parseXml(text, { url });
  if (root.name !== 'availability') throw new DALFormatError(`expected VOSI <availability>, got <${root.name}>`, { url });
  return {
    available: (childText(root, 'available') ?? '').toLowerCase() === 'true',
    upSince: childText(root, 'upSince'),
    downAt: childText(root, 'downAt'),
    backAt: childText(root, 'backAt'),
    notes: children(root, 'note').map((n) => n.text.trim()),
  };
}

/** A DALI example (DALI 1.1 §2.3): an element with `typeof="example"`. */
export interface Example {
  /** The element's `id` (the fragment identifier). */
  id?: string;
  /** Text of the `property="name"` element. */
  name?: string;
  /** Text of the `property="query"` element (entities decoded). */
  query?: string;
  /** Other `property="..."` values by property name (e.g. `table`). */
  properties: { [name: string]: string[] };
}

function decodeHtml(text: string): string {
  return text
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/**
 * Extracts DALI examples from an XHTML/HTML page. Tolerant of HTML that is not XML: it finds
 * each `typeof="example"` element and the `property` elements up to the next example.
 */
export function parseExamples(html: string): Example[] {
  const starts: { index: number; id?: string }[] = [];
  const opener = /<([a-zA-Z][\w-]*)\b([^>]*\btypeof\s*=\s*["'][^"']*\bexample\b[^"']*["'][^>]*)>/g;
  for (let m; (m = opener.exec(html)); ) {
    const id = /\bid\s*=\s*["']([^"']*)["']/.exec(m[2])?.[1];
    starts.push({ index: m.index, id });
  }
  return starts.map((start, i) => {
    const block = html.slice(start.index, i + 1 < starts.length ? starts[i + 1].index : html.length);
    const properties: { [name: string]: string[] } = {};
    const prop = /<([a-zA-Z][\w-]*)\b[^>]*\bproperty\s*=\s*["']([^"']+)["'][^>]*>([\s\S]*?)<\/\1\s*>/g;
    for (let m; (m = prop.exec(block)); ) {
      const name = m[2];
      (properties[name] ??= []).push(decodeHtml(m[3]).trim());
    }
    return { id: start.id, name: properties.name?.[0], query: properties.query?.[0], properties };
  });
}

/** GETs a small text document (VOSI, examples) with the deadline and error rules. */
export async function fetchText(url: string, options: HttpOptions = {}, params?: { [k: string]: string }): Promise<string> {
  const deadline = new Deadline(options.timeout, options.signal);
  try {
    const response = await send({ url, params }, deadline, options);
    return new TextDecoder().decode(await readBytes(response, url, deadline));
  } finally {
    deadline.dispose();
  }
}
