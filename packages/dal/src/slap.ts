/**
 * Simple Line Access 1.0 (pyvo `SLAService`): `REQUEST=queryData`, `WAVELENGTH` in metres
 * as a PQL range, plus the line-list constraints a service declares.
 */
import type { VOTableDocument } from '@vokit/votable';
import { pqlRange } from './adql.js';
import { DALOptionsError } from './errors.js';
import type { ParamMap } from './http.js';
import { DALQuery, type QueryOptions } from './query.js';
import { DALResults, Record } from './results.js';
import { SimpleDALService, type SimpleSearchOptions } from './simple-service.js';

/** Options of a SLAP search. */
export interface SLAPSearchOptions extends SimpleSearchOptions {
  /** Chemical element (CHEMICAL_ELEMENT), e.g. `H`. */
  chemicalElement?: string;
}

/** A spectral line. */
export class SLAPRecord extends Record {
  /** Wavelength in metres (utype `ssldm:Line.wavelength.value`, else UCD `em.wl`). */
  get wavelength(): number | undefined {
    const v = this.getByUtype('ssldm:Line.wavelength.value') ?? this.getByUcd('em.wl');
    return typeof v === 'number' ? v : undefined;
  }
  /** The line's title (utype `ssldm:Line.title`). */
  get title(): string | undefined {
    const v = this.getByUtype('ssldm:Line.title');
    return typeof v === 'string' ? v : undefined;
  }
  /** Species (utype `ssldm:Line.species.name`). */
  get species(): string | undefined {
    const v = this.getByUtype('ssldm:Line.species.name');
    return typeof v === 'string' ? v : undefined;
  }
}

/** Results of a SLAP query. */
export class SLAPResults extends DALResults<SLAPRecord> {
  protected override makeRecord(index: number): SLAPRecord {
    return new SLAPRecord(this, index);
  }
}

/** A SLAP query. */
export class SLAPQuery extends DALQuery<SLAPResults> {
  protected override makeResults(doc: VOTableDocument, url: string): SLAPResults {
    return new SLAPResults(doc, { url });
  }
}

/** A SLAP service (pyvo `SLAService`). */
export class SLAPService extends SimpleDALService<SLAPResults> {
  protected override metadataParams(): ParamMap {
    return { REQUEST: 'queryData', FORMAT: 'METADATA' };
  }

  protected standardParameterNames(): readonly string[] {
    return ['REQUEST', 'VERSION', 'WAVELENGTH', 'CHEMICAL_ELEMENT', 'INITIAL_LEVEL_ENERGY', 'FINAL_LEVEL_ENERGY', 'TEMPERATURE',
      'EINSTEIN_A', 'PROCESS_TYPE', 'PROCESS_NAME', 'MAXREC'];
  }

  protected makeQuery(params: ParamMap, options: QueryOptions): SLAPQuery {
    return new SLAPQuery(this.baseurl, params, options);
  }

  /** Lines with wavelengths in `[lo, hi]` metres (`undefined` for an open end). */
  search(wavelength: readonly [number | undefined, number | undefined], options: SLAPSearchOptions = {}): Promise<SLAPResults> {
    const [lo, hi] = wavelength;
    for (const v of [lo, hi]) {
      if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw new DALOptionsError(`wavelength bounds must be positive metres, got ${v}`);
    }
    return this.run({ REQUEST: 'queryData', WAVELENGTH: pqlRange(lo, hi), CHEMICAL_ELEMENT: options.chemicalElement }, options);
  }
}
