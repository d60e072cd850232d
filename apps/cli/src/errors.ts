/**
 * Every error the vokit command reports itself. Each has a stable `code` and the exit status
 * the process ends with; `main.ts` prints the message as one line, `vokit: <message>`.
 * Errors from the packages (VOTableError and friends) are printed the same way with status 1.
 *
 * `instanceof` works across two copies of the module through a `Symbol.for` brand (undici
 * `lib/core/errors.js`).
 */

const BRAND = Symbol.for('vokit.cli.error');

/** Exit status for a command line that cannot work (unknown option, missing argument). */
export const EXIT_USAGE = 2;
/** Exit status for everything else that fails (unreadable input, bad VOTable, HTTP error). */
export const EXIT_FAILURE = 1;

/** Base class of the command's own errors. */
export class CliError extends Error {
  /** Stable machine-readable code. */
  readonly code: string = 'CLI_ERROR';
  /** Status the process exits with. */
  readonly exitCode: number = EXIT_FAILURE;

  get [BRAND](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === CliError) {
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
    }
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** The command line is wrong; the message says what to type instead. Exit status 2. */
export class UsageError extends CliError {
  override readonly code = 'CLI_USAGE';
  override readonly exitCode = EXIT_USAGE;
}

/** An input file or URL cannot be read (missing file, HTTP status, network failure). */
export class InputError extends CliError {
  override readonly code = 'CLI_INPUT';
}

/** The output cannot be written (directory missing, disk full, permission). */
export class OutputError extends CliError {
  override readonly code = 'CLI_OUTPUT';
}

/** The input is a VOTable but not one the command can work on (e.g. it has no TABLE). */
export class NoTableError extends CliError {
  override readonly code = 'CLI_NO_TABLE';
}

/**
 * A SAMP exchange did not work out: no hub to talk to, no client to send to, or a recipient
 * that refused or never replied. The message names the clients involved.
 */
export class SampCommandError extends CliError {
  override readonly code = 'CLI_SAMP';
}

/** Exit status after Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/**
 * The user pressed Ctrl-C while a DAL command ran; the request was aborted (and an async TAP
 * job deleted) before exiting. Exit status 130.
 */
export class InterruptedError extends CliError {
  override readonly code = 'CLI_INTERRUPTED';
  override readonly exitCode = EXIT_INTERRUPTED;
}

/** A file's content is not what the command can handle (`samp send`: neither VOTable nor FITS). */
export class UnknownContentError extends CliError {
  override readonly code = 'CLI_UNKNOWN_CONTENT';
}
