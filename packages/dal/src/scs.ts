/**
 * Simple Cone Search 1.03 (pyvo `SCSService`): `RA`, `DEC`, `SR` in degrees, `VERB` 1–3.
 * Errors come as the legacy `INFO name="Error"` with HTTP 200; status.ts understands them.
 */
import type { VOTableDocument } from '@vokit/votable';
import { DALOptionsError } from './errors.js';
import type { ParamMap } from './http.js';
import { toDegrees, toRaDec, type SkyPosition } from './position.js';
import { DALQuery, type QueryOptions } from './query.js';
import { DALResults, Record } from './results.js';

/** Options of a cone search. */
export interface SCSSearchOptions extends QueryOptions {
  /** VERB: 1 = fewest columns, 3 = all; default the service's (2). */
  verbosity?: 1 | 2 | 3;
  /** Service-specific parameters, sent as given. */
  params?: ParamMap;
}

/** A cone-search row: position and id found by their SCS UCDs. */
export class SCSRecord extends Record {
  /** RA in degrees (UCD `POS_EQ_RA_MAIN` or `pos.eq.ra;meta.main`). */
  get ra(): number | undefined {
    const v = this.getByUcd('POS_EQ_RA_MAIN') ?? this.getByUcd('pos.eq.ra;meta.main');
    return typeof v === 'number' ? v : undefined;
  }
  /** Dec in degrees. */
  get dec(): number | undefined {
    const v = this.getByUcd('POS_EQ_DEC_MAIN') ?? this.getByUcd('pos.eq.dec;meta.main');
    return typeof v === 'number' ? v : undefined;
  }
  /** The main identifier (UCD `ID_MAIN` or `meta.id;meta.main`), as the service typed it. */
  get id(): unknown {
    return this.getByUcd('ID_MAIN') ?? this.getByUcd('meta.id;meta.main');
  }
}

/** Results of a cone search. */
export class SCSResults extends DALResults<SCSRecord> {
  protected override makeRecord(index: number): SCSRecord {
    return new SCSRecord(this, index);
  }
}

/** A cone search query. */
export class SCSQuery extends DALQuery<SCSResults> {
  protected override makeResults(doc: VOTableDocument, url: string): SCSResults {
    return new SCSResults(doc, { url });
  }
}

/** A Simple Cone Search service. */
export class SCSService {
  constructor(
    /** The service URL (often ending in `?`). */
    readonly baseurl: string,
    private readonly options: QueryOptions = {},
  ) {}

  /** Builds the query without running it. `radius` in degrees. */
  createQuery(pos: SkyPosition, radius: number, options: SCSSearchOptions = {}): SCSQuery {
    const [ra, dec] = toRaDec(pos);
    const params: ParamMap = { RA: ra, DEC: dec, SR: toDegrees(radius, 'radius'), ...options.params };
    if (options.verbosity !== undefined) {
      if (![1, 2, 3].includes(options.verbosity)) throw new DALOptionsError(`verbosity must be 1, 2 or 3, got ${options.verbosity}`);
      params.VERB = options.verbosity;
    }
    return new SCSQuery(this.baseurl, params, { ...this.options, ...options });
  }

  /** Objects within `radius` degrees of `pos` (pyvo `search`). */
  search(pos: SkyPosition, radius: number, options: SCSSearchOptions = {}): Promise<SCSResults> {
    return this.createQuery(pos, radius, options).execute();
  }
}
