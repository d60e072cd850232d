/**
 * Simple Image Access 2.0 (pyvo `SIA2Service`): repeated DALI parameters POS (CIRCLE, RANGE,
 * POLYGON), BAND, TIME, POL, FOV..., answered with ObsCore rows.
 */
import type { VOTableDocument } from '@vokit/votable';
import { interval } from './adql.js';
import { DALAbortError, DALError, DALOptionsError, DALTimeoutError } from './errors.js';
import { accessUrlOf, fetchText, parseCapabilities } from './vosi.js';
import type { ParamMap } from './http.js';
import { toDegrees, toRaDec } from './position.js';
import { DALQuery, type QueryOptions } from './query.js';
import { DALResults, Record } from './results.js';

/** A POS constraint (degrees): a circle, an RA/Dec range, or a polygon. */
export type SIA2Pos =
  | { circle: readonly [ra: number, dec: number, radius: number] }
  | { range: readonly [raMin: number, raMax: number, decMin: number, decMax: number] }
  | { polygon: ReadonlyArray<readonly [number, number]> };

/** A numeric constraint: one value (exact) or `[lo, hi]` with `undefined`/±Infinity for open ends. */
export type SIA2Interval = number | readonly [number | undefined, number | undefined];

/** A time constraint: a Date or MJD, or an interval of them. */
export type SIA2Time = Date | number | readonly [Date | number | undefined, Date | number | undefined];

/** Options of an SIA 2 search; each constraint may be repeated (an array: OR-ed by the service). */
export interface SIA2SearchOptions extends QueryOptions {
  pos?: SIA2Pos | readonly SIA2Pos[];
  /** Wavelength in metres. */
  band?: SIA2Interval | readonly SIA2Interval[];
  time?: SIA2Time | readonly SIA2Time[];
  /** Polarization states (`I`, `Q`, `U`...). */
  pol?: string | readonly string[];
  /** Field of view in degrees. */
  fov?: SIA2Interval | readonly SIA2Interval[];
  /** Spatial resolution in arcsec. */
  spatres?: SIA2Interval | readonly SIA2Interval[];
  /** Spectral resolving power. */
  specrp?: SIA2Interval | readonly SIA2Interval[];
  /** Exposure time in seconds. */
  exptime?: SIA2Interval | readonly SIA2Interval[];
  /** Time resolution in seconds. */
  timeres?: SIA2Interval | readonly SIA2Interval[];
  id?: string | readonly string[];
  collection?: string | readonly string[];
  facility?: string | readonly string[];
  instrument?: string | readonly string[];
  /** dataproduct_type (`image`, `cube`). */
  dptype?: string | readonly string[];
  calib?: number | readonly number[];
  target?: string | readonly string[];
  /** Format of the result rows' products (`res_format`). */
  resFormat?: string | readonly string[];
  maxrec?: number;
  /** Custom parameters, sent as given. */
  params?: ParamMap;
}

function many<T>(value: T | readonly T[] | undefined, isOne: (v: unknown) => boolean): T[] {
  if (value === undefined) return [];
  return isOne(value) ? [value as T] : [...(value as readonly T[])];
}

/** DALI POS value of one shape. */
export function formatPos(pos: SIA2Pos): string {
  if ('circle' in pos) {
    const [ra, dec] = toRaDec([pos.circle[0], pos.circle[1]], 'CIRCLE');
    return `CIRCLE ${ra} ${dec} ${toDegrees(pos.circle[2], 'CIRCLE radius')}`;
  }
  if ('range' in pos) {
    const [a, b, c, d] = pos.range;
    for (const v of [a, b, c, d]) if (typeof v !== 'number' || Number.isNaN(v)) throw new DALOptionsError(`RANGE bounds must be numbers, got ${v}`);
    // an RA range may cross 0 (350 10); only the Dec bounds must be ordered
    const ra = (v: number) => (v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));
    return `RANGE ${ra(a)} ${ra(b)} ${interval(c, d)}`;
  }
  if ('polygon' in pos) {
    if (pos.polygon.length < 3) throw new DALOptionsError(`POLYGON needs at least 3 vertices, got ${pos.polygon.length}`);
    return `POLYGON ${pos.polygon.map((v) => toRaDec(v, 'POLYGON').join(' ')).join(' ')}`;
  }
  throw new DALOptionsError('pos must be { circle }, { range } or { polygon }');
}

function formatInterval(value: SIA2Interval): string {
  return typeof value === 'number' ? interval(value, value) : interval(value[0], value[1]);
}

/** MJD of a Date (or an MJD number unchanged). */
export function toMjd(value: Date | number): number {
  return value instanceof Date ? value.getTime() / 86_400_000 + 40_587 : value;
}

function formatTime(value: SIA2Time): string {
  if (value instanceof Date || typeof value === 'number') {
    const t = toMjd(value);
    return interval(t, t);
  }
  return interval(value[0] === undefined ? undefined : toMjd(value[0]), value[1] === undefined ? undefined : toMjd(value[1]));
}

const isScalarInterval = (v: unknown) => typeof v === 'number' || (Array.isArray(v) && v.length === 2 && !Array.isArray(v[0]) && (typeof v[0] !== 'object' || v[0] === undefined));
const isPos = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown) => v instanceof Date || typeof v === 'number' || (Array.isArray(v) && v.length === 2 && !Array.isArray(v[0]));
const isString = (v: unknown) => typeof v === 'string';

/** Builds the SIA 2 parameters (each constraint repeated as DALI requires). */
export function sia2Params(options: SIA2SearchOptions): ParamMap {
  const params: ParamMap = {};
  const put = (key: string, values: string[]) => {
    if (values.length) params[key] = values;
  };
  put('POS', many(options.pos, isPos).map(formatPos));
  put('BAND', many(options.band, isScalarInterval).map(formatInterval));
  put('TIME', many(options.time, isTime).map(formatTime));
  put('POL', many(options.pol, isString));
  put('FOV', many(options.fov, isScalarInterval).map(formatInterval));
  put('SPATRES', many(options.spatres, isScalarInterval).map(formatInterval));
  put('SPECRP', many(options.specrp, isScalarInterval).map(formatInterval));
  put('EXPTIME', many(options.exptime, isScalarInterval).map(formatInterval));
  put('TIMERES', many(options.timeres, isScalarInterval).map(formatInterval));
  put('ID', many(options.id, isString));
  put('COLLECTION', many(options.collection, isString));
  put('FACILITY', many(options.facility, isString));
  put('INSTRUMENT', many(options.instrument, isString));
  put('DPTYPE', many(options.dptype, isString));
  put('CALIB', many(options.calib, (v) => typeof v === 'number').map(String));
  put('TARGET', many(options.target, isString));
  put('FORMAT', many(options.resFormat, isString));
  if (options.maxrec !== undefined) params.MAXREC = options.maxrec;
  return { ...params, ...options.params };
}

/** An ObsCore row from SIA 2. */
export class ObsCoreRecord extends Record {
  private str(name: string): string | undefined {
    if (!this.results.hasColumn(name)) return undefined;
    const v = this.get(name);
    return typeof v === 'string' ? v : undefined;
  }
  private num(name: string): number | undefined {
    if (!this.results.hasColumn(name)) return undefined;
    const v = this.get(name);
    return typeof v === 'number' ? v : undefined;
  }
  /** `dataproduct_type` (`image`, `cube`...). */
  get dataproductType(): string | undefined {
    return this.str('dataproduct_type');
  }
  /** `obs_publisher_did`, the DataLink ID. */
  get obsPublisherDid(): string | undefined {
    return this.str('obs_publisher_did');
  }
  /** `obs_collection`. */
  get obsCollection(): string | undefined {
    return this.str('obs_collection');
  }
  /** `access_url`. */
  get accessUrl(): string | undefined {
    return this.str('access_url');
  }
  /** `access_format` (MIME type). */
  get accessFormat(): string | undefined {
    return this.str('access_format');
  }
  /** Centre RA, degrees. */
  get sRa(): number | undefined {
    return this.num('s_ra');
  }
  /** Centre Dec, degrees. */
  get sDec(): number | undefined {
    return this.num('s_dec');
  }
  /** Lower spectral bound, metres. */
  get emMin(): number | undefined {
    return this.num('em_min');
  }
  /** Upper spectral bound, metres. */
  get emMax(): number | undefined {
    return this.num('em_max');
  }
  /** Lower time bound, MJD. */
  get tMin(): number | undefined {
    return this.num('t_min');
  }
  /** Upper time bound, MJD. */
  get tMax(): number | undefined {
    return this.num('t_max');
  }
  override getdataurl(): string | undefined {
    return this.accessUrl ?? super.getdataurl();
  }
}

/** Results of an SIA 2 query. */
export class SIA2Results extends DALResults<ObsCoreRecord> {
  protected override makeRecord(index: number): ObsCoreRecord {
    return new ObsCoreRecord(this, index);
  }
}

/** An SIA 2 query. */
export class SIA2Query extends DALQuery<SIA2Results> {
  protected override makeResults(doc: VOTableDocument, url: string): SIA2Results {
    return new SIA2Results(doc, { url });
  }
}

/** An SIA 2 service; `baseurl` is its query endpoint (see {@link SIA2Service.discover} for a base URL). */
export class SIA2Service {
  constructor(
    readonly baseurl: string,
    private readonly options: QueryOptions = {},
  ) {}

  /**
   * The service behind a base URL, as pyvo finds it: the `ivo://ivoa.net/std/SIA#query-2.0`
   * capability of `<base>/capabilities` (capabilities without standardID tolerated), else
   * `<base>/query` (SIA 2.0 §2.1).
   */
  static async discover(base: string, options: QueryOptions = {}): Promise<SIA2Service> {
    const root = base.replace(/\/+$/, '');
    let url: string | undefined;
    try {
      const caps = parseCapabilities(await fetchText(`${root}/capabilities`, options), `${root}/capabilities`);
      url = accessUrlOf(caps, 'ivo://ivoa.net/std/SIA#query-2.0') ?? accessUrlOf(caps, 'ivo://ivoa.net/std/SIA#query-aux-2.0');
    } catch (error) {
      if (!(error instanceof DALError) || error instanceof DALTimeoutError || error instanceof DALAbortError) throw error;
    }
    return new SIA2Service(url ?? `${root}/query`, options);
  }

  /** Builds the query without running it. */
  createQuery(options: SIA2SearchOptions = {}): SIA2Query {
    return new SIA2Query(this.baseurl, sia2Params(options), { ...this.options, ...options });
  }

  /** Runs a query (pyvo `search`). */
  search(options: SIA2SearchOptions = {}): Promise<SIA2Results> {
    return this.createQuery(options).execute();
  }
}
