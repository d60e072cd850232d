/**
 * What the DAL commands (`tap`, `scs`, `sia`, `ssa`) share around the query itself: where the
 * result goes (`--out FILE`, its format from the extension as `vokit convert` decides, else a
 * VOTable on standard output), progress on stderr (bytes received, async job phases, a summary
 * line), the truncation notice that is printed whatever `--quiet` says, Ctrl-C, and service
 * failures as one line in the server's own words.
 */

import { DALError, truncateMessage, type DALResults } from '@vokit/dal';
import type { Serialization } from '@vokit/votable';
import type { OptionSpec, ParsedArgs } from './args.js';
import type { CommandContext } from './command.js';
import { chooseFormat, OUTPUT_FORMATS, TEXT_WRITERS, VOTABLE_SERIALIZATIONS, writeVOTableAs, type OutputFormat } from './commands/convert.js';
import { CliError, InputError, InterruptedError, UsageError } from './errors.js';
import { BrokenPipe, openOutput, type OutputSink } from './output.js';
import { renderProgress } from './progress.js';
import { writeTable } from './write-table.js';

/** The options every DAL query command takes, for their specs. */
export const DAL_OUTPUT_OPTIONS: Record<string, OptionSpec> = {
  out: {
    type: 'string',
    short: 'o',
    valueName: '<file>',
    description: 'write the result to <file>, in the format its extension says (.vot .xml .csv .jsonl); default: VOTable on stdout',
  },
  'out-format': {
    type: 'string',
    valueName: '<format>',
    description: `output format instead of the extension's: ${OUTPUT_FORMATS.join(', ')}`,
  },
  timeout: {
    type: 'string',
    valueName: '<seconds>',
    description: 'give up after this long, waiting for an async job included (default: no limit)',
  },
  quiet: {
    type: 'boolean',
    short: 'q',
    description: 'no progress on stderr (a truncated result and errors are still reported)',
  },
};

/** Where the result goes and in which format. */
export interface DalOutputChoice {
  /** A path, or `-` for standard output. */
  target: string;
  format: OutputFormat;
}

/**
 * The output of `--out` / `--out-format`: the format `vokit convert` would pick for the file,
 * and a TABLEDATA VOTable on standard output when there is no `--out`.
 */
export function chooseDalOutput(command: string, args: ParsedArgs): DalOutputChoice {
  const out = args.options.out as string | undefined;
  const format = args.options['out-format'] as string | undefined;
  const target = out === undefined || out === '' ? '-' : out;
  if (target === '-' && format === undefined) return { target, format: 'votable' };
  try {
    return { target, format: chooseFormat(target, format) };
  } catch (error) {
    // convert's messages name convert and its --format; say it in this command's words
    if (error instanceof UsageError) {
      throw new UsageError(error.message.replace(/^convert:/, `${command}:`).replace(/--format/g, '--out-format'), { cause: error });
    }
    throw error;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/**
 * Messages of one DAL command on stderr, each line `vokit: <command>: …`. Bytes received are
 * redrawn on one line when stderr is a terminal and summed up once at the end otherwise, so
 * logs get one line per event, not one per chunk.
 */
export class DalProgress {
  private received = 0;
  private lastDraw = 0;
  private drawn = false;
  private lastPhase?: string;
  private readonly started = performance.now();

  constructor(
    private readonly stderr: NodeJS.WriteStream,
    private readonly command: string,
    private readonly quiet: boolean,
  ) {}

  /** A line of progress (dropped with `--quiet`). */
  note(text: string): void {
    if (this.quiet) return;
    this.clear();
    this.stderr.write(`vokit: ${this.command}: ${text}\n`);
  }

  /** A line printed even with `--quiet` (truncated results). */
  warn(text: string): void {
    this.clear();
    this.stderr.write(`vokit: ${this.command}: ${text}\n`);
  }

  /** An async job's phase, printed when it changes (the job is polled repeatedly). */
  readonly phase = (phase: string): void => {
    if (phase === this.lastPhase) return;
    this.lastPhase = phase;
    this.note(`job phase ${phase}`);
  };

  /** The running total of result bytes (the `onProgress` of @vokit/dal). */
  readonly bytes = (total: number): void => {
    this.received = total;
    if (this.quiet || !this.stderr.isTTY) return;
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.drawn = true;
    const width = (this.stderr.columns || 80) - 1;
    this.stderr.write(`\r${renderProgress(`${this.command}: receiving`, total, undefined, (now - this.started) / 1000, width)}\x1b[K`);
  };

  /** Erases the redrawn byte counter, if any. */
  clear(): void {
    if (!this.drawn) return;
    this.drawn = false;
    this.stderr.write('\r\x1b[K');
  }

  /** The closing line: rows, bytes received and time taken. */
  summary(rows: number): void {
    const seconds = (performance.now() - this.started) / 1000;
    const bytes = this.received > 0 ? `, ${formatBytes(this.received)} received` : '';
    this.note(`${rows} row${rows === 1 ? '' : 's'}${bytes} in ${seconds.toFixed(2)} s`);
  }
}

/**
 * Turns a failure into the one line `main` prints: a DAL error keeps the server's message
 * whole (up to the 500 characters @vokit/dal keeps; its own message quotes only 200).
 */
export function describeDalFailure(command: string, error: unknown): Error {
  if (error instanceof CliError || error instanceof BrokenPipe) return error;
  if (error instanceof DALError) {
    let message = error.message;
    const full = error.serverMessage;
    if (full && full.length > 200) message = message.replace(truncateMessage(full, 200), full);
    return new InputError(`${command}: ${message}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** What a DAL command's query function gets: progress callbacks and the abort signal. */
export interface DalRun {
  /** Aborted on Ctrl-C. Pass it to every @vokit/dal call. */
  signal: AbortSignal;
  /** `--timeout` in milliseconds, or undefined. */
  timeout?: number;
  progress: DalProgress;
}

/** How the truncation notice reads for a command. */
export interface TruncationHint {
  /** The MAXREC the user asked for, if any. */
  maxrec?: number;
  /** What to suggest when the service's own limit cut the result (e.g. `raise it with --maxrec`). */
  advice?: string;
}

/**
 * Runs one DAL query command: opens the output first (a query is not sent when the output
 * cannot be written), runs `query`, writes the result, reports truncation (always) and a
 * summary (unless `--quiet`). Ctrl-C aborts the query and exits with status 130.
 */
export async function runDalQuery(
  command: string,
  args: ParsedArgs,
  context: CommandContext,
  timeout: number | undefined,
  hint: TruncationHint,
  query: (run: DalRun) => Promise<DALResults>,
): Promise<void> {
  const choice = chooseDalOutput(command, args);
  const progress = new DalProgress(context.stderr, command, args.options.quiet === true);
  const output = await openOutput(choice.target, context.stdout);
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new InterruptedError(`${command}: interrupted`));
  process.once('SIGINT', onSigint);
  let results: DALResults;
  try {
    results = await query({ signal: interrupt.signal, timeout, progress });
  } catch (error) {
    progress.clear();
    await output.abort();
    if (interrupt.signal.aborted) throw interrupt.signal.reason as Error;
    throw describeDalFailure(command, error);
  } finally {
    process.off('SIGINT', onSigint);
  }
  progress.clear();
  try {
    await writeResults(results, output, choice.format);
    await output.close();
  } catch (error) {
    await output.abort();
    if (error instanceof BrokenPipe) return;
    throw error;
  }
  progress.summary(results.length);
  if (results.overflow) {
    const why = hint.maxrec !== undefined ? `MAXREC was ${hint.maxrec}` : hint.advice;
    progress.warn(`result truncated by the service at ${results.length} rows (OVERFLOW)${why ? `; ${why}` : ''}`);
  }
}

/** Writes the results table (CSV, JSON Lines) or the whole response document (VOTable). */
export async function writeResults(results: DALResults, output: OutputSink, format: OutputFormat): Promise<void> {
  if (TEXT_WRITERS[format]) {
    await writeTable(results.table, output, format);
    return;
  }
  await writeVOTableAs(results.votable, output, VOTABLE_SERIALIZATIONS[format] as Serialization);
}
