/**
 * Option values of the DAL commands (`tap`, `scs`, `sia`, `ssa`) read from the command line:
 * sky positions, sizes, ranges, `key=value` pairs and timeouts. Each parser throws a
 * UsageError that names the option, what it got and what it wants, before anything is sent.
 */

import type { ParamMap } from '@vokit/dal';
import { UsageError } from './errors.js';

/** A finite number from `text`, or undefined (rejects '', 'Infinity', '1e', '0x10'). */
function finiteNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * `--pos RA,DEC` in degrees (a comma or white space between): RA any finite value (the
 * services normalise it), Dec within [-90, 90].
 */
export function parsePosition(command: string, text: string | undefined): [number, number] {
  if (text === undefined) throw new UsageError(`${command}: --pos RA,DEC is required (degrees, e.g. --pos 155,5 or --pos=-10.5,-30)`);
  const parts = text.split(/\s*,\s*|\s+/).filter((p) => p !== '');
  const numbers = parts.map(finiteNumber);
  if (parts.length !== 2 || numbers.some((n) => n === undefined)) {
    throw new UsageError(`${command}: --pos needs RA,DEC in degrees, e.g. --pos 155,5 (got "${text}")`);
  }
  const [ra, dec] = numbers as [number, number];
  if (dec < -90 || dec > 90) throw new UsageError(`${command}: --pos Dec must be within [-90, 90] degrees (got ${dec})`);
  return [ra, dec];
}

/** A positive number of degrees for option `--name` (`--size`). */
export function parseDegrees(command: string, name: string, text: string | undefined, required = true): number | undefined {
  if (text === undefined) {
    if (required) throw new UsageError(`${command}: --${name} DEG is required (degrees, e.g. --${name} 0.1)`);
    return undefined;
  }
  const value = finiteNumber(text);
  if (value === undefined || value <= 0 || value > 180) {
    throw new UsageError(`${command}: --${name} needs a number of degrees in (0, 180] (got "${text}")`);
  }
  return value;
}

/** A non-negative integer for `--maxrec`, or undefined when absent. */
export function parseMaxrec(command: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${command}: --maxrec needs a whole number of rows, 0 or more (got "${text}")`);
  return Number(text.trim());
}

/** `--timeout SECONDS` as milliseconds, or undefined for no deadline. */
export function parseTimeout(command: string, text: string | undefined): number | undefined {
  const seconds = parseSeconds(command, 'timeout', text);
  return seconds === undefined ? undefined : Math.ceil(seconds * 1000);
}

/** A `--NAME SECONDS` option: a positive number of seconds, or undefined when not given. */
export function parseSeconds(command: string, name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = finiteNumber(text);
  if (seconds === undefined || seconds <= 0) throw new UsageError(`${command}: --${name} needs a positive number of seconds (got "${text}")`);
  return seconds;
}

/**
 * Repeated `--name key=value` options as pairs in the order given. `key` must be a plain
 * parameter or upload name (letters, digits, `_`, `-`, `.`; a letter first).
 */
export function parseKeyValues(command: string, name: string, values: string | boolean | string[] | undefined): [string, string][] {
  if (values === undefined || typeof values === 'boolean') return [];
  const list = Array.isArray(values) ? values : [values];
  return list.map((item) => {
    const at = item.indexOf('=');
    const key = at < 0 ? '' : item.slice(0, at);
    if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(key)) {
      throw new UsageError(`${command}: --${name} needs name=value, with a name made of letters, digits and _ (got "${item}")`);
    }
    return [key, item.slice(at + 1)];
  });
}

/**
 * A range `LO/HI` or `LO,HI` (either end may be empty for an open end), or a single value,
 * as the strings given; numbers are checked when `numeric` is set. For `--band` and `--time`.
 */
export function parseRange(
  command: string,
  name: string,
  text: string | undefined,
  numeric: boolean,
): { lo?: string; hi?: string; single?: string } | undefined {
  if (text === undefined) return undefined;
  const parts = text.includes('/') ? text.split('/') : text.includes(',') ? text.split(',') : [text];
  const check = (part: string): string | undefined => {
    const trimmed = part.trim();
    if (trimmed === '') return undefined;
    if (numeric && finiteNumber(trimmed) === undefined) {
      throw new UsageError(`${command}: --${name} needs numbers as LO/HI, LO/ or /HI, or one value (got "${text}")`);
    }
    return trimmed;
  };
  if (parts.length === 1) {
    const single = check(parts[0]);
    if (single === undefined) throw new UsageError(`${command}: --${name} is empty`);
    return { single };
  }
  if (parts.length !== 2) throw new UsageError(`${command}: --${name} needs LO/HI with one separator (got "${text}")`);
  const [lo, hi] = [check(parts[0]), check(parts[1])];
  if (lo === undefined && hi === undefined) throw new UsageError(`${command}: --${name} needs at least one end (got "${text}")`);
  if (numeric && lo !== undefined && hi !== undefined && Number(lo) > Number(hi)) {
    throw new UsageError(`${command}: --${name} has its low end above its high end (got "${text}")`);
  }
  return { lo, hi };
}

/** `--param key=value` pairs as request parameters; a repeated key is sent repeatedly. */
export function paramsFromPairs(pairs: readonly [string, string][]): ParamMap {
  const params: { [key: string]: string | string[] } = {};
  for (const [key, value] of pairs) {
    const seen = params[key];
    params[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return params;
}
