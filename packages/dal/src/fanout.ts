/**
 * Querying many services at once (the "all the VO" loops): a concurrency limit, a deadline
 * per service and one for the whole fan-out, and a report per service instead of a single
 * rejection, so one broken service costs its own row and nothing else.
 */
import { DALError, DALTimeoutError } from './errors.js';
import { Deadline } from './http.js';

/** One unit of work: `run` gets a signal that fires at its deadline or the overall one. */
export interface FanoutTask<T> {
  /** Identifies the service in the report (URL, ivoid, short name). */
  id: string;
  run: (signal: AbortSignal) => Promise<T>;
}

/** What happened to one task. */
export interface FanoutReport<T> {
  id: string;
  ok: boolean;
  /** The result when `ok`. */
  value?: T;
  /** The error when not `ok` (a DAL error when the failure was the service's or a deadline). */
  error?: unknown;
  /** Rows in the result, when it has a `length` (DAL results do). */
  rows?: number;
  /** Milliseconds from the task's start to its end; 0 when it never started. */
  ms: number;
  /** False when the overall deadline or abort came before the task could start. */
  started: boolean;
}

/** Options of {@link fanout}. */
export interface FanoutOptions {
  /** Tasks running at once; default 4. */
  concurrency?: number;
  /** Deadline of each task in ms; default none. */
  taskTimeout?: number;
  /** Deadline of the whole fan-out in ms; default none. Unstarted tasks are reported as not started. */
  timeout?: number;
  signal?: AbortSignal;
  /** Called as each task ends (progress). */
  onReport?: (report: FanoutReport<unknown>) => void;
}

/**
 * Runs `tasks` with at most `concurrency` at a time and returns one report per task, in the
 * order of `tasks`. Never rejects because a task failed.
 */
export async function fanout<T>(tasks: readonly FanoutTask<T>[], options: FanoutOptions = {}): Promise<FanoutReport<T>[]> {
  const concurrency = options.concurrency ?? 4;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  const overall = new Deadline(options.timeout, options.signal);
  const reports: FanoutReport<T>[] = new Array(tasks.length);
  let next = 0;

  const runOne = async (index: number): Promise<void> => {
    const task = tasks[index];
    if (overall.signal.aborted) {
      reports[index] = { id: task.id, ok: false, ms: 0, started: false, error: overall.classify(overall.signal.reason, { what: `task ${task.id}` }) };
      return;
    }
    const own = new Deadline(options.taskTimeout, overall.signal);
    const started = Date.now();
    let report: FanoutReport<T>;
    try {
      // race: a task that ignores its signal must not hold the fan-out past its deadline
      const value = await new Promise<T>((resolve, reject) => {
        own.signal.addEventListener('abort', () => reject(own.signal.reason), { once: true });
        task.run(own.signal).then(resolve, reject);
      });
      const rows = typeof (value as { length?: unknown })?.length === 'number' ? (value as { length: number }).length : undefined;
      report = { id: task.id, ok: true, value, rows, ms: Date.now() - started, started: true };
    } catch (error) {
      let e: unknown = error;
      if (own.expired && !(error instanceof DALTimeoutError)) e = new DALTimeoutError(options.taskTimeout ?? 0, { what: `service ${task.id}`, cause: error });
      else if (overall.signal.aborted && !(error instanceof DALError)) e = overall.classify(error, { what: `service ${task.id}` });
      report = { id: task.id, ok: false, error: e, ms: Date.now() - started, started: true };
    } finally {
      own.dispose();
    }
    reports[index] = report;
    options.onReport?.(report as FanoutReport<unknown>);
  };

  const worker = async (): Promise<void> => {
    while (next < tasks.length) await runOne(next++);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  } finally {
    overall.dispose();
  }
  return reports;
}
