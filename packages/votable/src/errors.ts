/**
 * Every error @vokit/votable throws. Each has a stable string `code`, says where (byte offset,
 * row, field) and what (expected vs. actual), and keeps the underlying error as `cause`.
 *
 * `instanceof` works across two installed copies of the package through a `Symbol.for` brand
 * (the pattern of undici `lib/core/errors.js`).
 */

const BRAND = Symbol.for('vokit.votable.error');

/** Where in the input an error was found. Every field is optional: say what is known. */
export interface ErrorLocation {
  /** Byte offset in the (decompressed) input, 0-based. */
  offset?: number;
  /** 1-based line of the XML text, when known. */
  line?: number;
  /** 0-based row of the table. */
  row?: number;
  /** Field (column) name, or its ID when it has no name. */
  field?: string;
  /** 0-based index of the table in document order. */
  table?: number;
}

function describeLocation(where: ErrorLocation): string {
  const parts: string[] = [];
  if (where.table !== undefined && where.table > 0) parts.push(`table ${where.table}`);
  if (where.row !== undefined) parts.push(`row ${where.row}`);
  if (where.field !== undefined) parts.push(`field "${where.field}"`);
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.offset !== undefined) parts.push(`offset ${where.offset}`);
  return parts.join(' ');
}

/** Base class of every @vokit/votable error. */
export class VOTableError extends Error {
  /** Stable machine-readable code, e.g. `VOTABLE_XML`. */
  readonly code: string = 'VOTABLE_ERROR';
  /** Where the error was found. */
  readonly where: ErrorLocation;

  constructor(message: string, where: ErrorLocation = {}, options?: { cause?: unknown }) {
    const at = describeLocation(where);
    super(at ? `votable ${at}: ${message}` : `votable: ${message}`, options);
    this.where = where;
  }

  get [BRAND](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === VOTableError) {
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
    }
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** The bytes are not well-formed XML, or not the XML a VOTable needs at that point. */
export class VOTableXMLError extends VOTableError {
  override readonly code = 'VOTABLE_XML';
}

/** The document is XML but not a VOTable (no VOTABLE root, wrong nesting, bad attribute). */
export class VOTableStructureError extends VOTableError {
  override readonly code = 'VOTABLE_STRUCTURE';
}

/** A FIELD or PARAM declares a datatype that VOTable does not define. */
export class UnknownDatatypeError extends VOTableError {
  override readonly code = 'VOTABLE_UNKNOWN_DATATYPE';
  constructor(
    readonly datatype: string,
    where: ErrorLocation = {},
  ) {
    super(
      `unknown datatype "${datatype}" (expected one of boolean, bit, unsignedByte, short, int, long, char, unicodeChar, float, double, floatComplex, doubleComplex)`,
      where,
    );
  }
}

/** An `arraysize` attribute that does not parse (`N`, `N*`, `*`, `AxB`, `AxB*`). */
export class ArraySizeError extends VOTableError {
  override readonly code = 'VOTABLE_ARRAYSIZE';
}

/** A TABLEDATA cell or PARAM value that does not parse as its datatype and arraysize. */
export class ValueError extends VOTableError {
  override readonly code = 'VOTABLE_VALUE';
}

/** The input ended before the document did (a truncated download or stream). */
export class TruncatedError extends VOTableError {
  override readonly code = 'VOTABLE_TRUNCATED';
}

/** A BINARY / BINARY2 stream that does not decode: bad base64, short rows, bad lengths. */
export class BinaryDecodeError extends VOTableError {
  override readonly code = 'VOTABLE_BINARY';
}

/** A FITS serialization (or file) that cannot be read. */
export class FitsError extends VOTableError {
  override readonly code = 'VOTABLE_FITS';
}

/** The document asks for something we refuse on principle: DTDs, external entities, runaway expansion. */
export class SecurityError extends VOTableError {
  override readonly code = 'VOTABLE_SECURITY';
}

/** A referenced stream (`STREAM href`) or compression that is not available or not allowed. */
export class StreamReferenceError extends VOTableError {
  override readonly code = 'VOTABLE_STREAM_REFERENCE';
}

/** Writing failed: the table cannot be expressed in the requested serialization. */
export class WriteError extends VOTableError {
  override readonly code = 'VOTABLE_WRITE';
}

/** A caller passed options that cannot work; the message says what to use instead. */
export class OptionsError extends VOTableError {
  override readonly code = 'VOTABLE_OPTIONS';
}
