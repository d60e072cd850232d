/**
 * The command-line grammar of every vokit command: `node:util` `parseArgs` underneath, with
 * its errors turned into one-line UsageErrors that say which `--help` to read, and a fixed
 * number of positional arguments checked by name.
 */

import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** One option of a command. */
export interface OptionSpec {
  /** `boolean` for a flag, `string` for an option taking a value. */
  type: 'boolean' | 'string';
  /** One-letter alias, e.g. `f` for `--format`. */
  short?: string;
  /** Placeholder shown in help, e.g. `<name>`. */
  valueName?: string;
  /** One line for the help text. */
  description: string;
  /** A string option that may be given more than once (`--upload a=x --upload b=y`): its value is an array. */
  multiple?: boolean;
}

/** The grammar of one command. */
export interface CommandSpec {
  /** Command name as typed, e.g. `convert`. */
  name: string;
  /** One line for `vokit --help`. */
  summary: string;
  /** Positional arguments in order, e.g. `['<in>', '<out>']`; all required. */
  positionals: string[];
  /** When set, any number of further positional arguments may follow; shown in usage, e.g. `[<c> …]`. */
  morePositionals?: string;
  /** Options besides `--help`. */
  options: Record<string, OptionSpec>;
  /** Paragraphs after the option list: details and examples. */
  details?: string;
}

/** What `parseCommandLine` returns. */
export interface ParsedArgs {
  /** Positional arguments: as many as the spec names, or more with `morePositionals`. */
  positionals: string[];
  /** Option values by long name (`true` for given flags, strings for options with values, arrays for `multiple` ones). */
  options: Record<string, string | boolean | string[] | undefined>;
  /** True when `--help` or `-h` was given: print help and do nothing else. */
  help: boolean;
}

/**
 * Parses `argv` (the words after the command name) against `spec`. Throws UsageError for an
 * unknown option, a missing value, or the wrong number of positional arguments.
 */
export function parseCommandLine(spec: CommandSpec, argv: string[]): ParsedArgs {
  const config: Record<string, { type: 'boolean' | 'string'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, option] of Object.entries(spec.options)) {
    config[name] = option.short ? { type: option.type, short: option.short } : { type: option.type };
    if (option.multiple) config[name].multiple = true;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: config, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${spec.name}: ${describeParseError(error)} (see \`vokit ${spec.name} --help\`)`);
  }
  const options = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const help = options.help === true;
  delete options.help;
  const positionals = parsed.positionals;
  if (!help) {
    if (positionals.length < spec.positionals.length) {
      const missing = spec.positionals.slice(positionals.length).join(' ');
      throw new UsageError(`${spec.name}: missing ${missing} (usage: ${usageLine(spec)})`);
    }
    if (positionals.length > spec.positionals.length && spec.morePositionals === undefined) {
      const extra = positionals.slice(spec.positionals.length).join(' ');
      throw new UsageError(`${spec.name}: unexpected argument ${JSON.stringify(extra)} (usage: ${usageLine(spec)})`);
    }
  }
  return { positionals, options, help };
}

// parseArgs throws TypeErrors whose messages run over several sentences and mention
// `allowPositionals`, which means nothing to a user; keep the part that names the option.
function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  // "Option '-f, --format <value>' argument missing": name the long form.
  const option = /'(?:-\w, )?(-[^' ]*)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return option && message.includes('argument missing')
        ? `option ${option} needs a value`
        : (message.split('\n')[0] ?? message);
    default:
      return message.split('\n')[0] ?? message;
  }
}

/** `vokit <name> [options] <a> <b>`. */
export function usageLine(spec: CommandSpec): string {
  return ['vokit', spec.name, '[options]', ...spec.positionals, ...(spec.morePositionals ? [spec.morePositionals] : [])].join(' ');
}

/** The full `--help` text of a command. */
export function formatHelp(spec: CommandSpec): string {
  const rows: [string, string][] = [];
  for (const [name, option] of Object.entries(spec.options)) {
    const flag = (option.short ? `-${option.short}, ` : '    ') + `--${name}` + (option.type === 'string' ? ` ${option.valueName ?? '<value>'}` : '');
    rows.push([flag, option.description]);
  }
  rows.push(['-h, --help', 'print this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const lines = [
    `${spec.summary}`,
    '',
    `Usage: ${usageLine(spec)}`,
    '',
    'Options:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
  ];
  if (spec.details) lines.push('', spec.details.trimEnd());
  return lines.join('\n') + '\n';
}
