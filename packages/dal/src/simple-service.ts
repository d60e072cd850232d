/**
 * What SIA 1, SSA and SLAP services share: a base URL, default options, and the
 * `FORMAT=METADATA` self-description used to validate custom parameters.
 */
import type { ParamMap } from './http.js';
import { DALQuery, type QueryOptions } from './query.js';
import type { DALResults } from './results.js';
import { parseServiceParameters, validateServiceParameters, type ServiceParameter } from './service-params.js';

/** Options shared by the simple protocols' `search`. */
export interface SimpleSearchOptions extends QueryOptions {
  /** Row limit (MAXREC). An OVERFLOW at this limit is expected and not warned about. */
  maxrec?: number;
  /** Custom (service-specific) parameters, sent as given. */
  params?: ParamMap;
  /**
   * Check `params` against the service's FORMAT=METADATA description first (one extra
   * request, cached); default false.
   */
  validate?: boolean;
}

/** Base of the SIA 1, SSA and SLAP services. */
export abstract class SimpleDALService<R extends DALResults> {
  private parameterCache?: Promise<ServiceParameter[]>;

  constructor(
    /** The service URL. */
    readonly baseurl: string,
    protected readonly options: QueryOptions = {},
  ) {}

  /** Parameters that make the request a metadata request for this protocol. */
  protected metadataParams(): ParamMap {
    return { FORMAT: 'METADATA' };
  }

  /** Names of the protocol's standard parameters (marked `standard` in descriptors). */
  protected abstract standardParameterNames(): readonly string[];

  /** Builds the protocol query from standard and custom parameters. */
  protected abstract makeQuery(params: ParamMap, options: QueryOptions): DALQuery<R>;

  /** The service's input parameters from `FORMAT=METADATA` (fetched once and cached). */
  describeParameters(options: QueryOptions = {}): Promise<ServiceParameter[]> {
    if (!this.parameterCache) {
      const query = new DALQuery(this.baseurl, this.metadataParams(), { ...this.options, ...options });
      this.parameterCache = query.executeVOTable().then((doc) => parseServiceParameters(doc, this.standardParameterNames()));
      this.parameterCache.catch(() => {
        this.parameterCache = undefined;
      });
    }
    return this.parameterCache;
  }

  /** Runs a query with standard parameters `standard` plus `options.params`. */
  protected async run(standard: ParamMap, options: SimpleSearchOptions): Promise<R> {
    if (options.validate && options.params) validateServiceParameters(options.params, await this.describeParameters(options));
    const params: ParamMap = { ...standard, MAXREC: options.maxrec, ...options.params };
    return this.makeQuery(params, { ...this.options, ...options }).execute();
  }
}
