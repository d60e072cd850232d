/**
 * The shape every command file exports: its grammar (for parsing and `--help`) and `run`.
 */

import type { CommandSpec, ParsedArgs } from './args.js';

/** What a command may touch besides its arguments (injectable for in-process tests). */
export interface CommandContext {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** The fetch used for URL inputs. Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** One vokit command. */
export interface Command {
  spec: CommandSpec;
  /** Does the work; resolves when all output is written. Throws CliError or package errors. */
  run(args: ParsedArgs, context: CommandContext): Promise<void>;
  /**
   * A command group (`vokit samp hub`): the word after the group's name picks one of these,
   * whose `spec.name` is `<group> <word>`. The group's own `run` gets the other cases.
   */
  subcommands?: readonly Command[];
}
