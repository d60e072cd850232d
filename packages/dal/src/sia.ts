/**
 * Simple Image Access 1.0 (pyvo `SIAService`): `POS=ra,dec`, `SIZE=w[,h]` in degrees,
 * `FORMAT`, `INTERSECT`, `VERB`. Access URLs come from the `VOX:Image_AccessReference` column.
 */
import type { VOTableDocument } from '@vokit/votable';
import { DALOptionsError } from './errors.js';
import type { ParamMap } from './http.js';
import { toDegrees, toRaDec, type SkyPosition } from './position.js';
import { DALQuery, type QueryOptions } from './query.js';
import { DALResults, Record } from './results.js';
import { SimpleDALService, type SimpleSearchOptions } from './simple-service.js';

/** Options of an SIA 1 search. */
export interface SIASearchOptions extends SimpleSearchOptions {
  /** FORMAT: `image/fits`, `ALL`, `GRAPHIC`... default the service's. */
  format?: string;
  /** INTERSECT: how images relate to the region; default the service's (OVERLAPS). */
  intersect?: 'COVERS' | 'ENCLOSED' | 'CENTER' | 'OVERLAPS';
  /** VERB 0–3. */
  verbosity?: 0 | 1 | 2 | 3;
}

/** An SIA 1 row. */
export class SIARecord extends Record {
  private str(ucd: string): string | undefined {
    const v = this.getByUcd(ucd);
    return typeof v === 'string' ? v : undefined;
  }
  private num(ucd: string): number | undefined {
    const v = this.getByUcd(ucd);
    return typeof v === 'number' ? v : undefined;
  }
  /** VOX:Image_Title. */
  get title(): string | undefined {
    return this.str('VOX:Image_Title');
  }
  /** Centre RA in degrees (POS_EQ_RA_MAIN). */
  get ra(): number | undefined {
    return this.num('POS_EQ_RA_MAIN');
  }
  /** Centre Dec in degrees. */
  get dec(): number | undefined {
    return this.num('POS_EQ_DEC_MAIN');
  }
  /** MIME type (VOX:Image_Format). */
  get format(): string | undefined {
    return this.str('VOX:Image_Format');
  }
  /** Observation time as MJD (VOX:Image_MJDateObs). */
  get dateobs(): number | undefined {
    return this.num('VOX:Image_MJDateObs');
  }
  /** Instrument (INST_ID). */
  get instrument(): string | undefined {
    return this.str('INST_ID');
  }
  override getdataurl(): string | undefined {
    return this.str('VOX:Image_AccessReference') ?? super.getdataurl();
  }
}

/** Results of an SIA 1 query. */
export class SIAResults extends DALResults<SIARecord> {
  protected override makeRecord(index: number): SIARecord {
    return new SIARecord(this, index);
  }
}

/** An SIA 1 query. */
export class SIAQuery extends DALQuery<SIAResults> {
  protected override makeResults(doc: VOTableDocument, url: string): SIAResults {
    return new SIAResults(doc, { url });
  }
}

/** An SIA 1 service. */
export class SIAService extends SimpleDALService<SIAResults> {
  protected standardParameterNames(): readonly string[] {
    return ['POS', 'SIZE', 'INTERSECT', 'NAXIS', 'CFRAME', 'EQUINOX', 'CRPIX', 'CRVAL', 'CDELT', 'ROTANG', 'PROJ', 'FORMAT', 'VERB', 'MAXREC'];
  }

  protected makeQuery(params: ParamMap, options: QueryOptions): SIAQuery {
    return new SIAQuery(this.baseurl, params, options);
  }

  /**
   * Images around `pos` (degrees). `size` is the full width in degrees, or `[width, height]`.
   */
  search(pos: SkyPosition, size: number | readonly [number, number], options: SIASearchOptions = {}): Promise<SIAResults> {
    const [ra, dec] = toRaDec(pos);
    const sizes = typeof size === 'number' ? [size] : [size[0], size[1]];
    if (options.verbosity !== undefined && ![0, 1, 2, 3].includes(options.verbosity)) {
      throw new DALOptionsError(`verbosity must be 0..3, got ${options.verbosity}`);
    }
    return this.run(
      {
        POS: `${ra},${dec}`,
        SIZE: sizes.map((s, i) => toDegrees(s, i ? 'size height' : 'size')).join(','),
        FORMAT: options.format,
        INTERSECT: options.intersect,
        VERB: options.verbosity,
      },
      options,
    );
  }
}
