/**
 * Typed helpers for the MTypes astronomers use most (the SAMP MTypes list,
 * https://www.ivoa.net/documents/SAMP/20120411/REC-SAMP-1.3-20120411.html §A and the wiki page
 * "SampMTypes"): builders that produce the message with SAMP-encoded parameters (numbers as
 * strings, §3.3), and readers that check and decode what a receiver got.
 */
import { SampProtocolError } from './errors.js';
import { createMessage, type SampMap, type SampMessage } from './message.js';

/** MType names, as constants. */
export const MTYPES = {
  ping: 'samp.app.ping',
  loadVOTable: 'table.load.votable',
  loadFitsTable: 'table.load.fits',
  highlightRow: 'table.highlight.row',
  selectRowList: 'table.select.rowList',
  loadFitsImage: 'image.load.fits',
  loadSpectrum: 'spectrum.load.ssa-generic',
  pointAtSky: 'coord.pointAt.sky',
} as const;

/** `table.load.*` parameters. */
export interface LoadTableParams {
  /** URL of the table (must be fetchable by the receiver). */
  url: string;
  /** Identifier for later `table.highlight.row` / `table.select.rowList` messages. */
  'table-id'?: string;
  /** Human-readable name. */
  name?: string;
}

/** Builds `table.load.votable` (or another `table.load.*` with `mtype`). */
export function loadTableMessage(params: LoadTableParams, mtype: string = MTYPES.loadVOTable): SampMessage {
  return createMessage(mtype, { url: params.url, 'table-id': params['table-id'], name: params.name });
}

/** `table.highlight.row` parameters, decoded. */
export interface HighlightRow {
  /** `table-id` as given at load time. */
  tableId?: string;
  /** URL the table was loaded from. */
  url?: string;
  /** 0-based row index. */
  row: number;
}

/** Builds `table.highlight.row` (§ MTypes: `table-id`, `url`, `row` as a 0-based decimal string). */
export function highlightRowMessage(target: HighlightRow): SampMessage {
  checkRow(target.row, 'row');
  return createMessage(MTYPES.highlightRow, { 'table-id': target.tableId, url: target.url, row: String(target.row) });
}

/** `table.select.rowList` parameters, decoded. */
export interface SelectRowList {
  tableId?: string;
  url?: string;
  /** 0-based row indices. */
  rows: number[];
}

/** Builds `table.select.rowList` (`row-list`: list of 0-based decimal strings). */
export function selectRowListMessage(target: SelectRowList): SampMessage {
  target.rows.forEach((row, i) => checkRow(row, `rows[${i}]`));
  return createMessage(MTYPES.selectRowList, { 'table-id': target.tableId, url: target.url, 'row-list': target.rows.map(String) });
}

/** `image.load.fits` parameters. */
export interface LoadImageParams {
  url: string;
  'image-id'?: string;
  name?: string;
}

/** Builds `image.load.fits`. */
export function loadImageMessage(params: LoadImageParams): SampMessage {
  return createMessage(MTYPES.loadFitsImage, { url: params.url, 'image-id': params['image-id'], name: params.name });
}

/** `spectrum.load.ssa-generic` parameters. */
export interface LoadSpectrumParams {
  url: string;
  /** SSA metadata of the spectrum (utype/UCD keys to values); default `{}`. */
  meta?: SampMap;
  'spectrum-id'?: string;
  name?: string;
}

/** Builds `spectrum.load.ssa-generic`. */
export function loadSpectrumMessage(params: LoadSpectrumParams): SampMessage {
  return createMessage(MTYPES.loadSpectrum, {
    url: params.url,
    meta: params.meta ?? {},
    'spectrum-id': params['spectrum-id'],
    name: params.name,
  });
}

/** A sky position in degrees (ICRS). */
export interface SkyPosition {
  /** Right ascension, degrees. */
  ra: number;
  /** Declination, degrees. */
  dec: number;
}

/** Builds `coord.pointAt.sky` (`ra`, `dec` in degrees, SAMP floats). */
export function pointAtSkyMessage(position: SkyPosition): SampMessage {
  if (!Number.isFinite(position.ra) || !Number.isFinite(position.dec) || position.dec < -90 || position.dec > 90) {
    throw new SampProtocolError(`coord.pointAt.sky needs finite ra and dec in [-90, 90], got ra=${position.ra} dec=${position.dec}`);
  }
  return createMessage(MTYPES.pointAtSky, { ra: String(position.ra), dec: String(position.dec) });
}

/** Builds `samp.app.ping`. */
export function pingMessage(): SampMessage {
  return createMessage(MTYPES.ping, {});
}

function checkRow(row: number, what: string): void {
  if (!Number.isSafeInteger(row) || row < 0) throw new SampProtocolError(`${what} must be a non-negative integer, got ${row}`);
}

function optionalString(params: SampMap, key: string, mtype: string): string | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new SampProtocolError(`${mtype}: ${key} is not a string`);
  return value;
}

function parseRowIndex(value: unknown, what: string): number {
  if (typeof value !== 'string' || !/^\s*\+?\d+\s*$/.test(value)) throw new SampProtocolError(`${what} is not a row index: ${JSON.stringify(value)}`);
  return Number(value);
}

/** Reads `table.load.*` parameters; throws {@link SampProtocolError} when `url` is missing. */
export function parseLoadTable(params: SampMap): LoadTableParams {
  const url = optionalString(params, 'url', 'table.load');
  if (!url) throw new SampProtocolError('table.load: no url parameter');
  return { url, 'table-id': optionalString(params, 'table-id', 'table.load'), name: optionalString(params, 'name', 'table.load') };
}

/** Reads `table.highlight.row` parameters. */
export function parseHighlightRow(params: SampMap): HighlightRow {
  return {
    tableId: optionalString(params, 'table-id', MTYPES.highlightRow),
    url: optionalString(params, 'url', MTYPES.highlightRow),
    row: parseRowIndex(params.row, `${MTYPES.highlightRow} row`),
  };
}

/** Reads `table.select.rowList` parameters. */
export function parseSelectRowList(params: SampMap): SelectRowList {
  const list = params['row-list'];
  if (!Array.isArray(list)) throw new SampProtocolError(`${MTYPES.selectRowList}: row-list is not a list`);
  return {
    tableId: optionalString(params, 'table-id', MTYPES.selectRowList),
    url: optionalString(params, 'url', MTYPES.selectRowList),
    rows: list.map((v, i) => parseRowIndex(v, `${MTYPES.selectRowList} row-list[${i}]`)),
  };
}

/** Reads `coord.pointAt.sky` parameters (degrees). */
export function parsePointAtSky(params: SampMap): SkyPosition {
  const ra = Number(params.ra);
  const dec = Number(params.dec);
  if (typeof params.ra !== 'string' || typeof params.dec !== 'string' || !Number.isFinite(ra) || !Number.isFinite(dec)) {
    throw new SampProtocolError(`${MTYPES.pointAtSky}: ra/dec are not numbers: ${JSON.stringify([params.ra, params.dec])}`);
  }
  return { ra, dec };
}
