/**
 * The path every DAL query takes: send the request, stream the body into the VOTable parser,
 * check the query status (an error document beats the HTTP status), wrap the table in
 * results, and flag an overflow (warning only when the caller did not set MAXREC).
 */
import { parseVOTable, type VOTableDocument } from '@vokit/votable';
import { DALError, DALFormatError, DALOverflowWarning, emitWarning, type WarningHandler } from './errors.js';
import { Deadline, send, type HttpOptions, type ParamMap, type RequestSpec, withParams } from './http.js';
import { DALResults } from './results.js';
import { raiseForStatus } from './status.js';

/** Options of every query call. */
export interface QueryOptions extends HttpOptions {
  /** Where the overflow warning goes; default `process.emitWarning` / `console.warn`. */
  onWarning?: WarningHandler;
  /** HTTP method; default GET for the simple protocols, POST for TAP. */
  method?: 'GET' | 'POST';
  /** Called as response bytes arrive, with the running total (for progress displays). */
  onProgress?: (bytesReceived: number) => void;
}

/** The body of `response`, counting bytes into `onProgress` as they pass. */
function counted(body: ReadableStream<Uint8Array>, onProgress?: (bytes: number) => void): ReadableStream<Uint8Array> {
  if (!onProgress) return body;
  let total = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        onProgress(total);
        controller.enqueue(chunk);
      },
    }),
  );
}

function isVOTableError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('VOTABLE');
}

/**
 * Sends `spec` and parses the VOTable it returns, streaming. Throws the typed error for HTTP
 * failures, error documents, unparsable bodies, deadlines and aborts.
 */
export async function fetchVOTable(
  spec: RequestSpec,
  deadline: Deadline,
  options: HttpOptions & { onProgress?: (bytesReceived: number) => void } = {},
): Promise<VOTableDocument> {
  const response = await send(spec, deadline, options);
  const url = response.url || (spec.method === 'POST' ? spec.url : withParams(spec.url, spec.params));
  let doc: VOTableDocument;
  try {
    if (!response.body) throw new DALFormatError('empty response', { url, status: response.status });
    doc = await parseVOTable(counted(response.body, options.onProgress), { signal: deadline.signal });
  } catch (error) {
    if (deadline.signal.aborted) throw deadline.classify(error, { url });
    if (isVOTableError(error)) {
      throw new DALFormatError(`the response is not a readable VOTable (content-type ${response.headers.get('content-type') ?? 'none'})`, {
        url,
        status: response.status,
        serverMessage: (error as Error).message,
        cause: error,
      });
    }
    throw error instanceof DALError ? error : deadline.classify(error, { url, status: response.status });
  }
  raiseForStatus(doc, { url, status: response.status });
  return doc;
}

/**
 * Runs a query and wraps the answer. `make` builds the protocol's results class;
 * `maxrec` is what the caller asked for (an OVERFLOW at that limit is expected, so silent).
 */
export async function runQuery<T extends DALResults>(
  spec: RequestSpec,
  options: QueryOptions,
  make: (doc: VOTableDocument, url: string) => T,
  maxrec?: number,
): Promise<T> {
  const deadline = new Deadline(options.timeout, options.signal);
  try {
    const doc = await fetchVOTable(spec, deadline, options);
    const url = spec.method === 'POST' ? spec.url : withParams(spec.url, spec.params);
    const results = make(doc, url);
    if (results.overflow && maxrec === undefined) emitWarning(new DALOverflowWarning(results.length, url), options.onWarning);
    return results;
  } finally {
    deadline.dispose();
  }
}

/** A prepared query: endpoint plus parameters (pyvo `DALQuery`). */
export class DALQuery<T extends DALResults = DALResults> {
  /** The service endpoint. */
  readonly baseurl: string;
  /** Parameters sent; arrays repeat the key. Edit freely before `execute()`. */
  readonly params: ParamMap;
  protected readonly options: QueryOptions;

  constructor(baseurl: string, params: ParamMap = {}, options: QueryOptions = {}) {
    this.baseurl = baseurl;
    this.params = { ...params };
    this.options = options;
  }

  /** The GET URL of this query. */
  get queryUrl(): string {
    return withParams(this.baseurl, this.params);
  }

  /** Runs the query (pyvo `execute`). */
  execute(options: QueryOptions = {}): Promise<T> {
    const merged = { ...this.options, ...options };
    return runQuery(
      { url: this.baseurl, method: merged.method ?? 'GET', params: this.params },
      merged,
      (doc, url) => this.makeResults(doc, url),
      this.maxrec(),
    );
  }

  /** Runs the query and returns the VOTable without wrapping it (pyvo `execute_votable`). */
  async executeVOTable(options: QueryOptions = {}): Promise<VOTableDocument> {
    const merged = { ...this.options, ...options };
    const deadline = new Deadline(merged.timeout, merged.signal);
    try {
      return await fetchVOTable({ url: this.baseurl, method: merged.method ?? 'GET', params: this.params }, deadline, merged);
    } finally {
      deadline.dispose();
    }
  }

  /** The MAXREC the caller set, if any. */
  protected maxrec(): number | undefined {
    const value = this.params.MAXREC ?? this.params.maxrec;
    return value === undefined || value === null ? undefined : Number(value);
  }

  /** Protocol subclasses return their results class. */
  protected makeResults(doc: VOTableDocument, url: string): T {
    return new DALResults(doc, { url }) as T;
  }
}
