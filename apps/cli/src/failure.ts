/**
 * Turns an error met while reading an input into one line that names the input:
 * `catalogue.vot: votable row 17 field "mag": need 4 bytes, have 1`.
 */

import { CliError, InputError } from './errors.js';

/** Wraps `error` so its message starts with the input's name; CliErrors pass unchanged. */
export function describeInputFailure(name: string, error: unknown): Error {
  if (error instanceof CliError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new InputError(`${name}: ${message}`, { cause: error });
}
