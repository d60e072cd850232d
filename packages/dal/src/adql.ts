/**
 * Building ADQL safely (ADQL 2.1). User text never enters a query raw: values become literals
 * (`stringLiteral`, `numberLiteral`), names become identifiers (`identifier`, quoted when they
 * must be), and the `adql` tag does both for interpolations. Geometry constructors and the
 * interval syntaxes of SIA 2 and SSA live here too.
 */
import { DALOptionsError } from './errors.js';

/** A fragment of ADQL text that is already safe (a literal, identifier, or expression built here). */
export class ADQLFragment {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** ADQL 2.1 §2.1.1 reserved words plus the SQL-92 ones it reserves; unquoted, they are not names. */
const RESERVED = new Set(
  (
    'ABS ACOS AREA ASIN ATAN ATAN2 BOX CEILING CENTROID CIRCLE CONTAINS COORD1 COORD2 COORDSYS COS COT DEGREES ' +
    'DISTANCE EXP FLOOR INTERSECTS LOG LOG10 MOD PI POINT POLYGON POWER RADIANS REGION RAND ROUND SIN SQRT TOP TAN ' +
    'TRUNCATE OFFSET ILIKE LOWER UPPER ' +
    'ABSOLUTE ACTION ADD ALL ALLOCATE ALTER AND ANY ARE AS ASC ASSERTION AT AUTHORIZATION AVG BEGIN BETWEEN BIT ' +
    'BIT_LENGTH BOTH BY CASCADE CASCADED CASE CAST CATALOG CHAR CHARACTER CHAR_LENGTH CHARACTER_LENGTH CHECK CLOSE ' +
    'COALESCE COLLATE COLLATION COLUMN COMMIT CONNECT CONNECTION CONSTRAINT CONSTRAINTS CONTINUE CONVERT CORRESPONDING ' +
    'COUNT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR DATE DAY DEALLOCATE ' +
    'DECIMAL DECLARE DEFAULT DEFERRABLE DEFERRED DELETE DESC DESCRIBE DESCRIPTOR DIAGNOSTICS DISCONNECT DISTINCT DOMAIN ' +
    'DOUBLE DROP ELSE END END-EXEC ESCAPE EXCEPT EXCEPTION EXEC EXECUTE EXISTS EXTERNAL EXTRACT FALSE FETCH FIRST ' +
    'FLOAT FOR FOREIGN FOUND FROM FULL GET GLOBAL GO GOTO GRANT GROUP HAVING HOUR IDENTITY IMMEDIATE IN INDICATOR ' +
    'INITIALLY INNER INPUT INSENSITIVE INSERT INT INTEGER INTERSECT INTERVAL INTO IS ISOLATION JOIN KEY LANGUAGE LAST ' +
    'LEADING LEFT LEVEL LIKE LOCAL MATCH MAX MIN MINUTE MODULE MONTH NAMES NATIONAL NATURAL NCHAR NEXT NO NOT NULL ' +
    'NULLIF NUMERIC OCTET_LENGTH OF ON ONLY OPEN OPTION OR ORDER OUTER OUTPUT OVERLAPS PAD PARTIAL POSITION PRECISION ' +
    'PREPARE PRESERVE PRIMARY PRIOR PRIVILEGES PROCEDURE PUBLIC READ REAL REFERENCES RELATIVE RESTRICT REVOKE RIGHT ' +
    'ROLLBACK ROWS SCHEMA SCROLL SECOND SECTION SELECT SESSION SESSION_USER SET SIZE SMALLINT SOME SPACE SQL SQLCODE ' +
    'SQLERROR SQLSTATE SUBSTRING SUM SYSTEM_USER TABLE TEMPORARY THEN TIME TIMESTAMP TIMEZONE_HOUR TIMEZONE_MINUTE TO ' +
    'TRAILING TRANSACTION TRANSLATE TRANSLATION TRIM TRUE UNION UNIQUE UNKNOWN UPDATE USAGE USER USING VALUE VALUES ' +
    'VARCHAR VARYING VIEW WHEN WHENEVER WHERE WITH WORK WRITE YEAR ZONE'
  ).split(' '),
);

const REGULAR = /^[A-Za-z][A-Za-z0-9_]*$/;

/** True when `name` can stand unquoted: a regular identifier that is not a reserved word. */
export function isRegularIdentifier(name: string): boolean {
  return REGULAR.test(name) && !RESERVED.has(name.toUpperCase());
}

/** Always a delimited identifier: `"name"` with `"` doubled (ADQL 2.1 §2.1.3). */
export function quoteIdentifier(name: string): ADQLFragment {
  if (name === '' || name.includes('\0')) throw new DALOptionsError(`invalid ADQL identifier ${JSON.stringify(name)}`);
  return new ADQLFragment(`"${name.replace(/"/g, '""')}"`);
}

/**
 * A column or table name, quoted only when it must be (`ra` stays `ra`, `size` and `my col`
 * become `"size"`, `"my col"`). Give the parts of a qualified name separately:
 * `identifier('vokit', 'sources')` → `vokit.sources`. Note that quoting makes a name
 * case-sensitive, as ADQL defines.
 */
export function identifier(...parts: string[]): ADQLFragment {
  if (parts.length === 0) throw new DALOptionsError('identifier() needs at least one name');
  return new ADQLFragment(parts.map((p) => (isRegularIdentifier(p) ? p : quoteIdentifier(p).text)).join('.'));
}

/** A character literal: `'it''s'` (ADQL 2.1 §2.1.4: a quote inside is doubled). */
export function stringLiteral(value: string): ADQLFragment {
  if (value.includes('\0')) throw new DALOptionsError('an ADQL string literal cannot contain NUL');
  return new ADQLFragment(`'${value.replace(/'/g, "''")}'`);
}

/** A numeric literal; refuses NaN and ±Infinity, which ADQL cannot write. bigint kept exact. */
export function numberLiteral(value: number | bigint): ADQLFragment {
  if (typeof value === 'bigint') return new ADQLFragment(value.toString());
  if (!Number.isFinite(value)) throw new DALOptionsError(`ADQL has no literal for ${value}; use NULL or a bound`);
  return new ADQLFragment(String(value));
}

/** Any JS value as an ADQL literal or list (arrays → `a, b, c`, for `IN (...)`). */
export function literal(value: unknown): ADQLFragment {
  if (value instanceof ADQLFragment) return value;
  if (value === null || value === undefined) return new ADQLFragment('NULL');
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberLiteral(value);
  if (typeof value === 'boolean') return new ADQLFragment(value ? '1' : '0');
  if (value instanceof Date) return stringLiteral(value.toISOString());
  if (Array.isArray(value)) {
    if (value.length === 0) throw new DALOptionsError('an empty list has no ADQL form (IN () is invalid)');
    return new ADQLFragment(value.map((v) => literal(v).text).join(', '));
  }
  throw new DALOptionsError(`cannot write a ${typeof value} as ADQL; pass a string, number, bigint, boolean, Date or array`);
}

/**
 * Tagged template that escapes every interpolation: strings become literals, numbers
 * numeric literals, arrays lists, fragments (identifiers, geometries) stay as they are.
 * ```ts
 * adql`SELECT * FROM ${identifier('vokit', 'sources')} WHERE name = ${userText}`
 * ```
 */
export function adql(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += literal(values[i]).text + strings[i + 1];
  return out;
}

function coord(value: number, what: string): string {
  if (!Number.isFinite(value)) throw new DALOptionsError(`${what} must be a finite number, got ${value}`);
  return String(value);
}

/** `POINT(ra, dec)` (degrees). ADQL 2.1 drops the coordinate-system argument; pass `frame` for 2.0 services. */
export function point(ra: number, dec: number, frame?: string): ADQLFragment {
  const sys = frame === undefined ? '' : `${stringLiteral(frame).text}, `;
  return new ADQLFragment(`POINT(${sys}${coord(ra, 'ra')}, ${coord(dec, 'dec')})`);
}

/** `CIRCLE(ra, dec, radius)` (degrees). */
export function circle(ra: number, dec: number, radius: number, frame?: string): ADQLFragment {
  if (!(radius >= 0)) throw new DALOptionsError(`circle radius must be >= 0 degrees, got ${radius}`);
  const sys = frame === undefined ? '' : `${stringLiteral(frame).text}, `;
  return new ADQLFragment(`CIRCLE(${sys}${coord(ra, 'ra')}, ${coord(dec, 'dec')}, ${coord(radius, 'radius')})`);
}

/** `BOX(ra, dec, width, height)` (degrees; deprecated in ADQL 2.1 but widely served). */
export function box(ra: number, dec: number, width: number, height: number, frame?: string): ADQLFragment {
  const sys = frame === undefined ? '' : `${stringLiteral(frame).text}, `;
  return new ADQLFragment(`BOX(${sys}${coord(ra, 'ra')}, ${coord(dec, 'dec')}, ${coord(width, 'width')}, ${coord(height, 'height')})`);
}

/** `POLYGON(ra1, dec1, ra2, dec2, ...)` from `[ra, dec]` vertices (at least 3). */
export function polygon(vertices: ReadonlyArray<readonly [number, number]>, frame?: string): ADQLFragment {
  if (vertices.length < 3) throw new DALOptionsError(`a polygon needs at least 3 vertices, got ${vertices.length}`);
  const sys = frame === undefined ? '' : `${stringLiteral(frame).text}, `;
  return new ADQLFragment(`POLYGON(${sys}${vertices.map(([a, d], i) => `${coord(a, `ra[${i}]`)}, ${coord(d, `dec[${i}]`)}`).join(', ')})`);
}

/** `1 = CONTAINS(POINT(raCol, decCol), CIRCLE(ra, dec, r))`: the usual cone constraint. */
export function coneCondition(raColumn: string, decColumn: string, ra: number, dec: number, radius: number): ADQLFragment {
  return new ADQLFragment(
    `1 = CONTAINS(POINT(${identifier(raColumn).text}, ${identifier(decColumn).text}), ${circle(ra, dec, radius).text})`,
  );
}

function bound(value: number | undefined, open: string): string {
  if (value === undefined || value === null || Number.isNaN(value)) return open;
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * An interval in DALI 1.1 §3.5 form, `"lo hi"`, as SIA 2's BAND, TIME, EXPTIME... use it.
 * An open end is `undefined` or ±Infinity and is written `-Inf` / `+Inf`.
 */
export function interval(lo: number | undefined, hi: number | undefined): string {
  if (lo !== undefined && hi !== undefined && Number.isFinite(lo) && Number.isFinite(hi) && lo > hi) {
    throw new DALOptionsError(`interval lower bound ${lo} is above the upper bound ${hi}`);
  }
  return `${bound(lo, '-Inf')} ${bound(hi, '+Inf')}`;
}

/**
 * A range in the SSA/SLAP (PQL) form `lo/hi`, with an empty side for an open end (`/5e-7`).
 * Strings pass through unchanged (ISO dates in SSA TIME).
 */
export function pqlRange(lo: number | string | undefined, hi: number | string | undefined): string {
  const side = (v: number | string | undefined) => (v === undefined || v === null ? '' : String(v));
  if (typeof lo === 'number' && typeof hi === 'number' && lo > hi) {
    throw new DALOptionsError(`range lower bound ${lo} is above the upper bound ${hi}`);
  }
  return `${side(lo)}/${side(hi)}`;
}
