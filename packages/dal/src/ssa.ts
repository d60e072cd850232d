/**
 * Simple Spectral Access 1.1 (pyvo `SSAService`): `REQUEST=queryData`, `POS=ra,dec`,
 * `SIZE` (diameter, degrees), `BAND` (metres, `lo/hi`), `TIME` (ISO 8601 `start/end`),
 * `FORMAT`. Rows are described by SSA utypes (`ssa:Access.Reference`...).
 */
import type { VOTableDocument } from '@vokit/votable';
import { pqlRange } from './adql.js';
import type { ParamMap } from './http.js';
import { toDegrees, toRaDec, type SkyPosition } from './position.js';
import { DALQuery, type QueryOptions } from './query.js';
import { DALResults, Record } from './results.js';
import { SimpleDALService, type SimpleSearchOptions } from './simple-service.js';

/** Options of an SSA search. */
export interface SSASearchOptions extends SimpleSearchOptions {
  /** Search diameter in degrees (SIZE). */
  diameter?: number;
  /** Wavelength in metres: a value, or `[lo, hi]` with `undefined` for an open end. */
  band?: number | readonly [number | undefined, number | undefined];
  /** Time: a Date or ISO string, or `[start, end]`. */
  time?: Date | string | readonly [Date | string | undefined, Date | string | undefined];
  /** FORMAT (`votable`, `fits`, `all`, a MIME type...). */
  format?: string;
}

function iso(value: Date | string | undefined): string | undefined {
  return value instanceof Date ? value.toISOString().replace(/\.\d{3}Z$/, 'Z') : value;
}

/** An SSA row. */
export class SSARecord extends Record {
  private byUtype(utype: string): unknown {
    return this.getByUtype(utype);
  }
  /** ssa:DataID.Title. */
  get title(): string | undefined {
    const v = this.byUtype('ssa:DataID.Title');
    return typeof v === 'string' ? v : undefined;
  }
  /** MIME type of the dataset (ssa:Access.Format). */
  get format(): string | undefined {
    const v = this.byUtype('ssa:Access.Format');
    return typeof v === 'string' ? v : undefined;
  }
  /** Target name (ssa:Target.Name). */
  get targetName(): string | undefined {
    const v = this.byUtype('ssa:Target.Name');
    return typeof v === 'string' ? v : undefined;
  }
  /** Publisher DID (ssa:Curation.PublisherDID). */
  get publisherDid(): string | undefined {
    const v = this.byUtype('ssa:Curation.PublisherDID');
    return typeof v === 'string' ? v : undefined;
  }
  override getdataurl(): string | undefined {
    const v = this.byUtype('ssa:Access.Reference');
    return typeof v === 'string' && v ? v : super.getdataurl();
  }
}

/** Results of an SSA query. */
export class SSAResults extends DALResults<SSARecord> {
  protected override makeRecord(index: number): SSARecord {
    return new SSARecord(this, index);
  }
}

/** An SSA query. */
export class SSAQuery extends DALQuery<SSAResults> {
  protected override makeResults(doc: VOTableDocument, url: string): SSAResults {
    return new SSAResults(doc, { url });
  }
}

/** An SSA service. */
export class SSAService extends SimpleDALService<SSAResults> {
  protected override metadataParams(): ParamMap {
    return { REQUEST: 'queryData', FORMAT: 'METADATA' };
  }

  protected standardParameterNames(): readonly string[] {
    return ['REQUEST', 'VERSION', 'POS', 'SIZE', 'BAND', 'TIME', 'FORMAT', 'MAXREC', 'APERTURE', 'SPECRP', 'SPATRES', 'TIMERES', 'SNR',
      'REDSHIFT', 'VARAMPL', 'TARGETNAME', 'TARGETCLASS', 'FLUXCALIB', 'WAVECALIB', 'PUBDID', 'CREATORDID', 'COLLECTION', 'TOP', 'MTIME',
      'COMPRESS', 'RUNID'];
  }

  protected makeQuery(params: ParamMap, options: QueryOptions): SSAQuery {
    return new SSAQuery(this.baseurl, params, options);
  }

  /** Spectra at `pos` (degrees), optionally within `diameter`, `band`, `time` (pyvo `search`). */
  search(pos?: SkyPosition, options: SSASearchOptions = {}): Promise<SSAResults> {
    const params: ParamMap = { REQUEST: 'queryData' };
    if (pos !== undefined) params.POS = toRaDec(pos).join(',');
    if (options.diameter !== undefined) params.SIZE = toDegrees(options.diameter, 'diameter');
    if (options.band !== undefined) {
      params.BAND = typeof options.band === 'number' ? String(options.band) : pqlRange(options.band[0], options.band[1]);
    }
    if (options.time !== undefined) {
      params.TIME =
        typeof options.time === 'string' || options.time instanceof Date
          ? iso(options.time)
          : pqlRange(iso(options.time[0]), iso(options.time[1]));
    }
    params.FORMAT = options.format;
    return this.run(params, options);
  }
}
