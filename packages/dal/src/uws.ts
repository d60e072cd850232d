/**
 * UWS 1.1 jobs (Universal Worker Service, used by async TAP): the job document, and a client
 * that runs, waits for (long polling with `WAIT`, backing off when the server ignores it),
 * aborts and deletes a job, with one deadline over the whole wait.
 */
import { DALError, DALFormatError, UWSError } from './errors.js';
import { Deadline, readBytes, send, type HttpOptions } from './http.js';
import { attr, child, childText, children, parseXml } from './xml.js';

/** UWS 1.1 §2.1.3 execution phases. */
export type UWSPhase =
  | 'PENDING'
  | 'QUEUED'
  | 'EXECUTING'
  | 'COMPLETED'
  | 'ERROR'
  | 'ABORTED'
  | 'UNKNOWN'
  | 'HELD'
  | 'SUSPENDED'
  | 'ARCHIVED';

/** Phases after which a job does not change by itself. */
export const FINAL_PHASES: readonly string[] = ['COMPLETED', 'ERROR', 'ABORTED', 'ARCHIVED'];
/** Phases in which the server will move the job on by itself (WAIT blocks only in these). */
export const ACTIVE_PHASES: readonly string[] = ['QUEUED', 'EXECUTING', 'SUSPENDED'];

/** One `<result>` of a job. */
export interface JobResult {
  id: string;
  /** `xlink:href`, absolute. */
  href: string;
  size?: number;
  mimeType?: string;
}

/** A parsed UWS job document (UWS 1.1 §2.2.3). Times are ISO 8601 strings as sent. */
export interface JobInfo {
  jobId: string;
  runId?: string;
  ownerId?: string;
  phase: UWSPhase | string;
  quote?: string;
  creationTime?: string;
  startTime?: string;
  endTime?: string;
  /** Seconds; 0 means unlimited. */
  executionDuration?: number;
  destruction?: string;
  /** Job parameters by id (lowercase as most services write them). */
  parameters: { [id: string]: string };
  results: JobResult[];
  errorSummary?: { message?: string; type?: string; hasDetail: boolean };
  /** UWS version attribute (1.1), or undefined for 1.0 documents. */
  version?: string;
}

/** Parses a UWS job document. Throws {@link DALFormatError} when it is not one. */
export function parseJob(text: string, url?: string): JobInfo {
  const root = parseXml(text, { url });
  if (root.name !== 'job') throw new DALFormatError(`expected a UWS <job> document, got <${root.name}>`, { url });
  const phase = childText(root, 'phase');
  const jobId = childText(root, 'jobId');
  if (!phase || !jobId) throw new DALFormatError('the UWS job document lacks jobId or phase', { url });
  const parameters: { [id: string]: string } = {};
  for (const p of children(child(root, 'parameters'), 'parameter')) {
    const id = attr(p, 'id');
    if (id !== undefined) parameters[id.toLowerCase()] = p.text.trim();
  }
  const results: JobResult[] = children(child(root, 'results'), 'result').map((r) => {
    const href = attr(r, 'xlink:href') ?? '';
    const size = attr(r, 'size');
    return {
      id: attr(r, 'id') ?? '',
      href: url && href ? new URL(href, url).href : href,
      size: size === undefined ? undefined : Number(size),
      mimeType: attr(r, 'mime-type') ?? attr(r, 'mimeType'),
    };
  });
  const summary = child(root, 'errorSummary');
  const duration = childText(root, 'executionDuration');
  const nil = (name: string) => {
    const el = child(root, name);
    return el && attr(el, 'xsi:nil') !== 'true' ? el.text.trim() || undefined : undefined;
  };
  return {
    jobId,
    runId: nil('runId'),
    ownerId: nil('ownerId'),
    phase: phase.toUpperCase(),
    quote: nil('quote'),
    creationTime: nil('creationTime'),
    startTime: nil('startTime'),
    endTime: nil('endTime'),
    executionDuration: duration === undefined ? undefined : Number(duration),
    destruction: nil('destruction'),
    parameters,
    results,
    errorSummary: summary
      ? { message: childText(summary, 'message'), type: attr(summary, 'type'), hasDetail: attr(summary, 'hasDetail') === 'true' }
      : undefined,
    version: attr(root, 'version'),
  };
}

/** One entry of a UWS job list (UWS 1.1 §2.2.2.1). */
export interface JobRef {
  id: string;
  /** Absolute URL of the job. */
  href: string;
  phase?: string;
  runId?: string;
  ownerId?: string;
  creationTime?: string;
}

/** Parses a UWS `<jobs>` list. */
export function parseJobList(text: string, url?: string): JobRef[] {
  const root = parseXml(text, { url });
  if (root.name !== 'jobs') throw new DALFormatError(`expected a UWS <jobs> list, got <${root.name}>`, { url });
  return children(root, 'jobref').map((ref) => {
    const id = attr(ref, 'id') ?? '';
    const href = attr(ref, 'xlink:href') ?? (url ? `${url.replace(/\/+$/, '')}/${id}` : id);
    return {
      id,
      href: url ? new URL(href, url).href : href,
      phase: childText(ref, 'phase')?.toUpperCase(),
      runId: childText(ref, 'runId'),
      ownerId: childText(ref, 'ownerId'),
      creationTime: childText(ref, 'creationTime'),
    };
  });
}

/** Options of {@link AsyncJob.wait}. */
export interface WaitOptions {
  /** Return when the job reaches one of these phases; default the final phases. */
  phases?: readonly string[];
  /** Deadline for the whole wait in ms (default none). Throws {@link DALTimeoutError} with the last phase. */
  timeout?: number;
  signal?: AbortSignal;
  /** Longest `WAIT` asked of the server per request, in seconds (default 30). */
  maxWait?: number;
  /** Called with each phase the job is seen in (every poll), for progress displays. */
  onPhase?: (phase: string) => void;
}

/** A UWS job at `url`. Construct from a job URL to resume a job created elsewhere. */
export class AsyncJob {
  /** The job's URL. */
  readonly url: string;
  protected readonly options: HttpOptions;
  private last?: JobInfo;

  constructor(url: string, options: HttpOptions = {}) {
    this.url = url.replace(/\/+$/, '');
    this.options = options;
  }

  /** The job document last fetched (undefined before the first fetch). */
  get job(): JobInfo | undefined {
    return this.last;
  }

  /** The job id (from the last document, else the URL's last segment). */
  get jobId(): string {
    return this.last?.jobId ?? this.url.slice(this.url.lastIndexOf('/') + 1);
  }

  /** Fetches the job document. `wait` asks for a UWS 1.1 blocking GET. */
  async refresh(options: HttpOptions & { wait?: { seconds: number; phase: string }; deadline?: Deadline } = {}): Promise<JobInfo> {
    const deadline = options.deadline ?? new Deadline(options.timeout ?? this.options.timeout, options.signal ?? this.options.signal);
    try {
      const params = options.wait ? { WAIT: options.wait.seconds, PHASE: options.wait.phase } : undefined;
      const response = await send({ url: this.url, params }, deadline, { ...this.options, ...options });
      const bytes = await readBytes(response, this.url, deadline);
      this.last = parseJob(new TextDecoder().decode(bytes), this.url);
      return this.last;
    } finally {
      if (!options.deadline) deadline.dispose();
    }
  }

  /** The current phase (one GET; pyvo `phase`). */
  async phase(options: HttpOptions = {}): Promise<string> {
    return (await this.refresh(options)).phase;
  }

  private async post(path: string, params: { [k: string]: string }, options: HttpOptions): Promise<void> {
    const deadline = new Deadline(options.timeout ?? this.options.timeout, options.signal ?? this.options.signal);
    try {
      const response = await send({ url: `${this.url}${path}`, method: 'POST', params }, deadline, { ...this.options, ...options });
      await response.body?.cancel();
    } finally {
      deadline.dispose();
    }
  }

  /** Starts the job (`PHASE=RUN`). */
  async run(options: HttpOptions = {}): Promise<this> {
    await this.post('/phase', { PHASE: 'RUN' }, options);
    return this;
  }

  /** Asks the server to abort the job (`PHASE=ABORT`). */
  async abort(options: HttpOptions = {}): Promise<this> {
    await this.post('/phase', { PHASE: 'ABORT' }, options);
    return this;
  }

  /** Sets the destruction time (ISO 8601). */
  async setDestruction(when: Date | string, options: HttpOptions = {}): Promise<this> {
    await this.post('/destruction', { DESTRUCTION: when instanceof Date ? when.toISOString() : when }, options);
    return this;
  }

  /** Sets the execution duration in seconds. */
  async setExecutionDuration(seconds: number, options: HttpOptions = {}): Promise<this> {
    await this.post('/executionduration', { EXECUTIONDURATION: String(Math.round(seconds)) }, options);
    return this;
  }

  /**
   * Deletes the job: HTTP DELETE, or `ACTION=DELETE` by POST for services that refuse DELETE
   * (UWS 1.1 §2.2.3.1 allows both). A job already gone (404/410) counts as deleted.
   */
  async delete(options: HttpOptions = {}): Promise<void> {
    const deadline = new Deadline(options.timeout ?? this.options.timeout, options.signal ?? this.options.signal);
    const merged = { ...this.options, ...options };
    try {
      try {
        const response = await send({ url: this.url, method: 'DELETE' }, deadline, merged);
        await response.body?.cancel();
      } catch (error) {
        // the status decides, whether or not the body was an error document
        if (error instanceof DALError && (error.status === 404 || error.status === 410)) return;
        if (!(error instanceof DALError && (error.status === 405 || error.status === 501))) throw error;
        const response = await send({ url: this.url, method: 'POST', params: { ACTION: 'DELETE' } }, deadline, merged);
        await response.body?.cancel();
      }
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Waits until the job reaches one of `phases` (default: a final phase) or any final phase,
   * and returns its document. Uses UWS 1.1 blocking GETs (`WAIT`), doubling the wait up to
   * `maxWait`; a server that answers at once (no WAIT support) is polled with a backoff from
   * 250 ms to 5 s. The deadline covers everything and interrupts a blocking GET.
   */
  async wait(options: WaitOptions = {}): Promise<JobInfo> {
    const phases = options.phases ?? FINAL_PHASES;
    const maxWait = options.maxWait ?? 30;
    const deadline = new Deadline(options.timeout ?? this.options.timeout, options.signal ?? this.options.signal);
    let waitSeconds = 1;
    let sleepMs = 250;
    try {
      let info = this.last ?? (await this.refresh({ deadline }));
      options.onPhase?.(info.phase);
      for (;;) {
        if (phases.includes(info.phase) || FINAL_PHASES.includes(info.phase)) return info;
        const before = info.phase;
        const started = Date.now();
        const seconds = Math.max(1, Math.min(waitSeconds, Math.floor(deadline.remaining() / 1000)));
        info = await this.refresh({ deadline, wait: ACTIVE_PHASES.includes(before) ? { seconds, phase: before } : undefined });
        options.onPhase?.(info.phase);
        if (info.phase === before && Date.now() - started < seconds * 500) {
          // the server did not block: poll politely instead
          await deadline.sleep(sleepMs);
          sleepMs = Math.min(sleepMs * 2, 5000);
        }
        waitSeconds = Math.min(waitSeconds * 2, maxWait);
      }
    } catch (error) {
      throw deadline.classify(error, { url: this.url, phase: this.last?.phase, what: 'waiting for the job' });
    } finally {
      deadline.dispose();
    }
  }

  /** Throws {@link UWSError} when the last known phase is ERROR or ABORTED (pyvo `raise_if_error`). */
  raiseIfError(): void {
    const info = this.last;
    if (info && (info.phase === 'ERROR' || info.phase === 'ABORTED')) {
      throw new UWSError(info.phase === 'ERROR' ? 'the job failed' : 'the job was aborted', {
        url: this.url,
        phase: info.phase,
        errorSummary: info.errorSummary?.message,
      });
    }
  }

  /** URL of result `id` (default: the one named `result`, else the first); pyvo `result_uri`. */
  resultUri(id?: string): string {
    const results = this.last?.results ?? [];
    const hit = id === undefined ? (results.find((r) => r.id === 'result') ?? results[0]) : results.find((r) => r.id === id);
    // TAP 1.1 §2.2.2: the result is also at <job>/results/result
    return hit?.href || `${this.url}/results/${id ?? 'result'}`;
  }

  /** The error document of a failed job, as text (`<job>/error`), or undefined if none. */
  async fetchError(options: HttpOptions = {}): Promise<string | undefined> {
    const deadline = new Deadline(options.timeout ?? this.options.timeout, options.signal ?? this.options.signal);
    try {
      const response = await send({ url: `${this.url}/error` }, deadline, { ...this.options, ...options });
      return new TextDecoder().decode(await readBytes(response, `${this.url}/error`, deadline));
    } catch (error) {
      if (error instanceof DALError && error.status !== undefined) return undefined;
      throw error;
    } finally {
      deadline.dispose();
    }
  }
}
