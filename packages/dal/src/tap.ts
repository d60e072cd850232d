/**
 * TAP 1.1 client (pyvo `TAPService`): synchronous and asynchronous (UWS) queries, uploads,
 * MAXREC/FORMAT/LANG, and the VOSI endpoints with pyvo's fallbacks (capabilities at
 * `<base>/capabilities`; tables and availability from the capabilities when declared, else
 * at `<base>/tables`, `<base>/availability`).
 */
import type { VOTableDocument } from '@vokit/votable';
import { DALFormatError, DALOptionsError, UWSError, type WarningHandler } from './errors.js';
import { Deadline, guardedBody, readBytes, send, type HttpOptions, type ParamMap } from './http.js';
import { fetchVOTable, runQuery } from './query.js';
import { DALResults } from './results.js';
import { prepareUploads, resolveUploads, type UploadOptions, type UploadSource } from './upload.js';
import { AsyncJob, parseJobList, type JobRef, type WaitOptions } from './uws.js';
import {
  accessUrlOf,
  fetchText,
  hasStandard,
  parseAvailability,
  parseCapabilities,
  parseExamples,
  parseTables,
  type Availability,
  type Capability,
  type Example,
  type SchemaDesc,
  type TableDesc,
} from './vosi.js';

/** Options of a TAP query. */
export interface TAPQueryOptions extends HttpOptions, UploadOptions {
  /** Called as result bytes arrive, with the running total. */
  onProgress?: (bytesReceived: number) => void;
  /** Query language; default `ADQL`. */
  language?: string;
  /** Row limit (MAXREC). An OVERFLOW at this limit is expected and not warned about. */
  maxrec?: number;
  /** RESPONSEFORMAT (FORMAT); default the service's (a VOTable). Non-VOTable formats are not parsed: use `runSyncRaw`. */
  format?: string;
  /** Tables to upload, by the name the query uses (`TAP_UPLOAD.name`): tables, VOTable text or bytes, Blobs, service URLs or (Node) local files; see {@link UploadSource}. */
  uploads?: { [name: string]: UploadSource };
  /** More parameters, sent as given (e.g. service-specific ones). */
  params?: ParamMap;
  /** Where the overflow warning goes. */
  onWarning?: WarningHandler;
}

/** Options of {@link TAPService.runAsync}. */
export interface RunAsyncOptions extends TAPQueryOptions {
  /** Deletes the job afterwards, also on failure; default true. */
  deleteAfter?: boolean;
  /** Longest WAIT per poll in seconds (default 30). */
  maxWait?: number;
  /** Called with each phase the job is seen in. */
  onPhase?: (phase: string) => void;
  /**
   * Run time the service may give the job, in seconds (UWS EXECUTIONDURATION, set before the
   * job runs; pyvo `job.execution_duration`). Default: the service's. Services such as DaCHS
   * stop the database query at this limit, which a DELETE after a client-side `timeout` does not.
   */
  executionDuration?: number;
}

/** Results of a TAP query. */
export class TAPResults extends DALResults {}

function queryParams(query: string, options: TAPQueryOptions): ParamMap {
  if (typeof query !== 'string' || query.trim() === '') throw new DALOptionsError('the query must be a non-empty string');
  if (options.maxrec !== undefined && !(Number.isInteger(options.maxrec) && options.maxrec >= 0)) {
    throw new DALOptionsError(`maxrec must be a non-negative integer, got ${options.maxrec}`);
  }
  return {
    REQUEST: 'doQuery',
    LANG: options.language ?? 'ADQL',
    QUERY: query,
    MAXREC: options.maxrec,
    RESPONSEFORMAT: options.format,
    ...options.params,
  };
}

/** A UWS job of a TAP service, with TAP's result handling (pyvo `AsyncTAPJob`). */
export class AsyncTAPJob extends AsyncJob {
  /**
   * Creates a job (`POST <base>/async`, following the 303 to the job) without starting it;
   * call `run()`. pyvo `AsyncTAPJob.create`.
   */
  static async create(baseurl: string, query: string, options: TAPQueryOptions = {}): Promise<AsyncTAPJob> {
    const prepared = prepareUploads(queryParams(query, options), await resolveUploads(options.uploads), options);
    const deadline = new Deadline(options.timeout, options.signal);
    const url = `${baseurl.replace(/\/+$/, '')}/async`;
    try {
      const response = await send(
        { url, method: 'POST', params: prepared.params, body: prepared.body, contentType: prepared.contentType },
        deadline,
        options,
      );
      await response.body?.cancel();
      // fetch followed the 303: the final URL is the job (UWS 1.1 §2.2.3)
      const jobUrl = response.url;
      if (!jobUrl || jobUrl.replace(/\/+$/, '') === url) {
        throw new DALFormatError('job creation did not redirect to a job URL', { url, status: response.status });
      }
      return new AsyncTAPJob(jobUrl, { fetch: options.fetch, headers: options.headers });
    } finally {
      deadline.dispose();
    }
  }

  /** Fetches and parses the result table (pyvo `fetch_result`). Throws {@link UWSError} for failed jobs. */
  async fetchResult(
    options: HttpOptions & { onWarning?: WarningHandler; maxrec?: number; onProgress?: (bytesReceived: number) => void } = {},
  ): Promise<TAPResults> {
    if (!this.job) await this.refresh(options);
    this.raiseIfError();
    if (this.job?.phase !== 'COMPLETED') {
      throw new UWSError('the job has no result yet; wait() for it first', { url: this.url, phase: this.job?.phase });
    }
    const url = this.resultUri();
    const maxrec = options.maxrec ?? (this.job.parameters.maxrec ? Number(this.job.parameters.maxrec) : undefined);
    return runQuery({ url }, { ...this.options, ...options }, (doc, u) => new TAPResults(doc, { url: u }), maxrec);
  }
}

/** A TAP service at `baseurl` (pyvo `TAPService`). */
export class TAPService {
  /** The service's base URL, without a trailing slash. */
  readonly baseurl: string;
  protected readonly options: HttpOptions & { onWarning?: WarningHandler };
  private capabilityCache?: Promise<Capability[]>;

  constructor(baseurl: string, options: HttpOptions & { onWarning?: WarningHandler } = {}) {
    this.baseurl = baseurl.replace(/\/+$/, '');
    this.options = options;
  }

  private merged<T extends HttpOptions>(options: T): T {
    return { ...this.options, ...options };
  }

  /** Runs `query` synchronously (`<base>/sync`, POST) and parses the result (pyvo `run_sync`). */
  async runSync(query: string, options: TAPQueryOptions = {}): Promise<TAPResults> {
    const o = this.merged(options);
    if (o.format !== undefined && !/votable|xml|vot\b/i.test(o.format)) {
      throw new DALOptionsError(`format "${o.format}" is not a VOTable: use runSyncRaw() to get other formats as they come`);
    }
    const prepared = prepareUploads(queryParams(query, o), await resolveUploads(o.uploads), o);
    return runQuery(
      { url: `${this.baseurl}/sync`, method: 'POST', params: prepared.params, body: prepared.body, contentType: prepared.contentType },
      o,
      (doc, url) => new TAPResults(doc, { url }),
      o.maxrec,
    );
  }

  /** Same as {@link runSync} (pyvo `search`). */
  search(query: string, options: TAPQueryOptions = {}): Promise<TAPResults> {
    return this.runSync(query, options);
  }

  /**
   * Runs `query` synchronously and returns the raw output (any FORMAT: csv, fits...): the
   * response's status and headers with a body that stays under `timeout` while you read it.
   * HTTP errors and error documents still throw.
   */
  async runSyncRaw(query: string, options: TAPQueryOptions = {}): Promise<Response> {
    const o = this.merged(options);
    const prepared = prepareUploads(queryParams(query, o), await resolveUploads(o.uploads), o);
    const url = `${this.baseurl}/sync`;
    const deadline = new Deadline(o.timeout, o.signal);
    let response: Response;
    try {
      response = await send({ url, method: 'POST', params: prepared.params, body: prepared.body, contentType: prepared.contentType }, deadline, o);
    } catch (error) {
      deadline.dispose();
      throw error;
    }
    return new Response(guardedBody(response, deadline, url), { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  /** Creates an async job without running it (pyvo `submit_job`). */
  submitJob(query: string, options: TAPQueryOptions = {}): Promise<AsyncTAPJob> {
    return AsyncTAPJob.create(this.baseurl, query, this.merged(options));
  }

  /**
   * The service's job list (pyvo `get_job_list`), optionally filtered as UWS 1.1 allows:
   * `phases` (PHASE, repeated), `after` (jobs created after this time), `last` (the newest N).
   */
  async getJobList(options: HttpOptions & { phases?: readonly string[]; after?: Date | string; last?: number } = {}): Promise<JobRef[]> {
    const url = `${this.baseurl}/async`;
    const deadline = new Deadline(options.timeout ?? this.options.timeout, options.signal ?? this.options.signal);
    try {
      const after = options.after instanceof Date ? options.after.toISOString() : options.after;
      const response = await send({ url, params: { PHASE: options.phases, AFTER: after, LAST: options.last } }, deadline, this.merged(options));
      return parseJobList(new TextDecoder().decode(await readBytes(response, url, deadline)), response.url || url);
    } finally {
      deadline.dispose();
    }
  }

  /** Resumes the job at `url` (created earlier, maybe by another process). */
  getJob(url: string): AsyncTAPJob {
    return new AsyncTAPJob(url, this.options);
  }

  /**
   * Runs `query` as an async job: create, run, wait, fetch the result, and (by default)
   * delete the job, also when anything fails. `timeout` bounds the whole operation.
   */
  async runAsync(query: string, options: RunAsyncOptions = {}): Promise<TAPResults> {
    const o = this.merged(options);
    if (o.executionDuration !== undefined && !(Number.isFinite(o.executionDuration) && o.executionDuration > 0)) {
      throw new DALOptionsError(`executionDuration must be a positive number of seconds, got ${o.executionDuration}`);
    }
    const deadline = new Deadline(o.timeout, o.signal);
    const inner = { ...o, timeout: undefined, signal: deadline.signal };
    let job: AsyncTAPJob | undefined;
    try {
      job = await AsyncTAPJob.create(this.baseurl, query, inner);
      if (o.executionDuration !== undefined) await job.setExecutionDuration(o.executionDuration, inner);
      await job.run(inner);
      const waitOptions: WaitOptions = { signal: deadline.signal, maxWait: o.maxWait, onPhase: o.onPhase };
      await job.wait(waitOptions);
      return await job.fetchResult({ ...inner, maxrec: o.maxrec });
    } catch (error) {
      throw deadline.classify(error, { url: job?.url ?? `${this.baseurl}/async`, phase: job?.job?.phase, what: 'async query' });
    } finally {
      deadline.dispose();
      if (job && o.deleteAfter !== false) {
        // a short deadline of its own: cleanup must not hang a failed call
        await job.delete({ ...this.options, timeout: 10_000, signal: undefined }).catch(() => undefined);
      }
    }
  }

  /** The VOSI capabilities (fetched once and cached). */
  capabilities(options: HttpOptions = {}): Promise<Capability[]> {
    if (!this.capabilityCache) {
      const url = `${this.baseurl}/capabilities`;
      this.capabilityCache = fetchText(url, this.merged(options)).then((text) => parseCapabilities(text, url));
      this.capabilityCache.catch(() => {
        this.capabilityCache = undefined;
      });
    }
    return this.capabilityCache;
  }

  /** The TAPRegExt capability (`ivo://ivoa.net/std/TAP`), or undefined. */
  async tapCapability(options: HttpOptions = {}): Promise<Capability | undefined> {
    return (await this.capabilities(options)).find((c) => hasStandard(c, 'ivo://ivoa.net/std/TAP'));
  }

  /** Default row limit (TAPRegExt outputLimit/default in rows), or undefined. */
  async maxrec(options: HttpOptions = {}): Promise<number | undefined> {
    const limit = (await this.tapCapability(options))?.outputLimit?.default;
    return limit && (limit.unit ?? 'row') === 'row' ? limit.value : undefined;
  }

  /** Hard row limit (TAPRegExt outputLimit/hard in rows), or undefined. */
  async hardlimit(options: HttpOptions = {}): Promise<number | undefined> {
    const limit = (await this.tapCapability(options))?.outputLimit?.hard;
    return limit && (limit.unit ?? 'row') === 'row' ? limit.value : undefined;
  }

  /** Upload limit in bytes or rows as declared, or undefined. */
  async uploadLimit(options: HttpOptions = {}): Promise<{ value: number; unit?: string } | undefined> {
    return (await this.tapCapability(options))?.uploadLimit?.hard;
  }

  private async vosiUrl(standard: string, fallback: string, options: HttpOptions): Promise<string> {
    try {
      return accessUrlOf(await this.capabilities(options), standard) ?? `${this.baseurl}/${fallback}`;
    } catch {
      return `${this.baseurl}/${fallback}`;
    }
  }

  /**
   * The table set. With `detail: 'min'` (default) only names and descriptions come;
   * {@link TAPService.table} loads one table's columns on demand (VOSI 1.1 `tables/<name>`).
   */
  async tables(options: HttpOptions & { detail?: 'min' | 'max' } = {}): Promise<SchemaDesc[]> {
    const url = await this.vosiUrl('ivo://ivoa.net/std/VOSI#tables', 'tables', options);
    const params = (options.detail ?? 'min') === 'min' ? { detail: 'min' } : undefined;
    return parseTables(await fetchText(url, this.merged(options), params), url);
  }

  /** One table with its columns (VOSI 1.1 `tables/<name>`), falling back to the full table set. */
  async table(name: string, options: HttpOptions = {}): Promise<TableDesc> {
    const base = await this.vosiUrl('ivo://ivoa.net/std/VOSI#tables', 'tables', options);
    try {
      const url = `${base}/${encodeURIComponent(name)}`;
      const schemas = parseTables(await fetchText(url, this.merged(options)), url);
      const found = schemas.flatMap((s) => s.tables).find((t) => t.name === name) ?? schemas[0]?.tables[0];
      if (found) return found;
    } catch (error) {
      if (!(error instanceof Error && 'status' in error)) throw error;
    }
    const all = await this.tables({ ...options, detail: 'max' });
    const found = all.flatMap((s) => s.tables).find((t) => t.name.toLowerCase() === name.toLowerCase());
    if (!found) throw new DALOptionsError(`no table "${name}" in ${base}`);
    return found;
  }

  /** VOSI availability. */
  async availability(options: HttpOptions = {}): Promise<Availability> {
    const url = await this.vosiUrl('ivo://ivoa.net/std/VOSI#availability', 'availability', options);
    return parseAvailability(await fetchText(url, this.merged(options)), url);
  }

  /** True when the service says it is available (pyvo `available`). */
  async available(options: HttpOptions = {}): Promise<boolean> {
    return (await this.availability(options)).available;
  }

  /** DALI examples from `<base>/examples` (pyvo `examples`). */
  async examples(options: HttpOptions = {}): Promise<Example[]> {
    return parseExamples(await fetchText(`${this.baseurl}/examples`, this.merged(options)));
  }

  /** Runs a query and returns the parsed VOTable document without results wrapping. */
  async runSyncVOTable(query: string, options: TAPQueryOptions = {}): Promise<VOTableDocument> {
    const o = this.merged(options);
    const prepared = prepareUploads(queryParams(query, o), await resolveUploads(o.uploads), o);
    const deadline = new Deadline(o.timeout, o.signal);
    try {
      return await fetchVOTable(
        { url: `${this.baseurl}/sync`, method: 'POST', params: prepared.params, body: prepared.body, contentType: prepared.contentType },
        deadline,
        o,
      );
    } finally {
      deadline.dispose();
    }
  }
}

