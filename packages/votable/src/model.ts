/**
 * The VOTable metadata model (VOTable 1.5 §3–§7), separate from the parsers and writers
 * (loaders.gl keeps format metadata apart from parsing). Every attribute the document had is
 * kept: the typed fields below for the ones VOTable defines, `attributes` for all of them as
 * written (including ones from other namespaces), so nothing the user had is lost.
 *
 * Parse → write → parse gives an equal model (see `writer.ts`).
 */

import type { Column } from './column.js';

/** The twelve VOTable primitive datatypes (VOTable 1.5 §2.1). */
export type Datatype =
  | 'boolean'
  | 'bit'
  | 'unsignedByte'
  | 'short'
  | 'int'
  | 'long'
  | 'char'
  | 'unicodeChar'
  | 'float'
  | 'double'
  | 'floatComplex'
  | 'doubleComplex';

/** VOTable versions we read and write. 1.4 and 1.5 use the 1.3 namespace. */
export type VOTableVersion = '1.1' | '1.2' | '1.3' | '1.4' | '1.5';

/** How the rows of a TABLE were (or are to be) serialized. */
export type Serialization = 'TABLEDATA' | 'BINARY' | 'BINARY2' | 'FITS';

/**
 * A parsed `arraysize` (VOTable 1.5 §2.2). Dimensions are listed first index first (the
 * fastest-varying, as in FITS). `variable` says the last dimension is `*` or `N*`; then
 * `dims[dims.length - 1]` is the upper bound N, or `-1` for a bare `*`.
 * A scalar has `dims: []`.
 */
export interface ArraySize {
  dims: number[];
  variable: boolean;
}

/** Free text plus the raw attribute map, shared by most elements. */
interface Element {
  /** Every attribute as written in the document, by qualified name. */
  attributes: Record<string, string>;
}

/** `<MIN>` or `<MAX>` inside VALUES. */
export interface Limit {
  value: string;
  /** `inclusive="no"` gives false; default true. */
  inclusive: boolean;
}

/** `<OPTION>`, possibly nested. */
export interface ValuesOption extends Element {
  name?: string;
  value: string;
  options: ValuesOption[];
}

/** `<VALUES>` (VOTable 1.5 §4.7). */
export interface Values extends Element {
  id?: string;
  /** `type="legal"` (default) or `"actual"`. */
  type?: string;
  /** The null sentinel, as written (`null="-999"`). */
  null?: string;
  ref?: string;
  min?: Limit;
  max?: Limit;
  options: ValuesOption[];
}

/** `<LINK>` (VOTable 1.5 §4.2). */
export interface Link extends Element {
  id?: string;
  contentRole?: string;
  contentType?: string;
  title?: string;
  value?: string;
  href?: string;
  action?: string;
}

/** `<INFO>` (VOTable 1.5 §4.4): a name/value pair, with optional text content. */
export interface Info extends Element {
  id?: string;
  name: string;
  value: string;
  unit?: string;
  ucd?: string;
  utype?: string;
  xtype?: string;
  ref?: string;
  /** The element's text content (e.g. an error message in QUERY_STATUS). */
  content?: string;
}

/** `<COOSYS>` (VOTable 1.5 §4.1). */
export interface Coosys extends Element {
  id?: string;
  system?: string;
  equinox?: string;
  epoch?: string;
  refposition?: string;
}

/** `<TIMESYS>` (VOTable 1.4 §4.2). */
export interface Timesys extends Element {
  id?: string;
  timeorigin?: string;
  timescale?: string;
  refposition?: string;
}

/** A FIELD (column description) (VOTable 1.5 §4.3). */
export interface Field extends Element {
  name: string;
  id?: string;
  datatype: Datatype;
  /** `arraysize` as written, or undefined for a scalar. */
  arraysize?: string;
  width?: number;
  precision?: string;
  unit?: string;
  ucd?: string;
  utype?: string;
  xtype?: string;
  ref?: string;
  /** VOTable 1.1 `type` attribute (`hidden`, `no_query`, `trigger`, `location`). */
  type?: string;
  description?: string;
  values?: Values;
  links: Link[];
}

/** A PARAM: a FIELD with a single value (VOTable 1.5 §4.3). */
export interface Param extends Field {
  /** The value as written. */
  value: string;
  /** The value parsed as its datatype and arraysize (same shape as a column cell). */
  parsedValue?: unknown;
}

/** `<FIELDref>` / `<PARAMref>` inside a GROUP. */
export interface GroupRef extends Element {
  ref: string;
  ucd?: string;
  utype?: string;
}

/** `<GROUP>` (VOTable 1.5 §4.6). Children keep their order per kind. */
export interface Group extends Element {
  id?: string;
  name?: string;
  ref?: string;
  ucd?: string;
  utype?: string;
  description?: string;
  fieldRefs: GroupRef[];
  paramRefs: GroupRef[];
  params: Param[];
  groups: Group[];
}

/** Where a TABLE's rows came from, as written in its DATA element. */
export interface DataSource {
  serialization: Serialization;
  /** STREAM `encoding` (`base64`, `gzip`, `dynamic`, or none). */
  encoding?: string;
  /** STREAM `href`, when the rows live elsewhere. */
  href?: string;
  /** FITS `extnum`. */
  extnum?: number;
  /** All attributes of the STREAM element. */
  streamAttributes?: Record<string, string>;
}

/** A TABLE with its metadata and (once parsed) its columns. */
export interface Table extends Element {
  id?: string;
  name?: string;
  ref?: string;
  ucd?: string;
  utype?: string;
  /** The `nrows` attribute as declared (a hint, not the truth). */
  nrows?: number;
  description?: string;
  fields: Field[];
  params: Param[];
  groups: Group[];
  links: Link[];
  /** INFOs before DATA. */
  infos: Info[];
  /** INFOs after DATA (VOTable 1.4 allows them there, e.g. a trailing QUERY_STATUS). */
  infosAfterData: Info[];
  /** How the rows were serialized, or undefined for a table without DATA. */
  data?: DataSource;
  /** The decoded columns, one per FIELD, in FIELD order. */
  columns: Column[];
  /** Number of rows decoded. */
  rowCount: number;
}

/** A RESOURCE, possibly nested (VOTable 1.5 §3.3). */
export interface Resource extends Element {
  id?: string;
  name?: string;
  /** `results` (default) or `meta`. */
  type?: string;
  utype?: string;
  description?: string;
  infos: Info[];
  coosys: Coosys[];
  timesys: Timesys[];
  groups: Group[];
  params: Param[];
  links: Link[];
  tables: Table[];
  resources: Resource[];
  /** INFOs after the tables and sub-resources. */
  infosAfter: Info[];
}

/** A whole VOTABLE document. */
export interface VOTableDocument extends Element {
  version: VOTableVersion;
  /** The namespace URI the document used, or undefined when it had none. */
  namespace?: string;
  id?: string;
  description?: string;
  /** VOTable 1.1 DEFINITIONS (COOSYS and PARAMs inside it). */
  definitions?: { coosys: Coosys[]; params: Param[] };
  infos: Info[];
  coosys: Coosys[];
  timesys: Timesys[];
  groups: Group[];
  params: Param[];
  resources: Resource[];
  /** INFOs after the last RESOURCE. */
  infosAfter: Info[];
}

/** The namespace URIs by version (1.4 and 1.5 share 1.3's). */
export const VOTABLE_NAMESPACES: Readonly<Record<VOTableVersion, string>> = {
  '1.1': 'http://www.ivoa.net/xml/VOTable/v1.1',
  '1.2': 'http://www.ivoa.net/xml/VOTable/v1.2',
  '1.3': 'http://www.ivoa.net/xml/VOTable/v1.3',
  '1.4': 'http://www.ivoa.net/xml/VOTable/v1.3',
  '1.5': 'http://www.ivoa.net/xml/VOTable/v1.3',
};
