/**
 * The vokit command: dispatches `vokit <command> …` to the command files, prints `--help`,
 * and turns every failure into one line on stderr, `vokit: <message>`, with exit status 2 for
 * a wrong command line and 1 for anything else. `VOKIT_DEBUG=1` adds the stack.
 */

import { readFileSync } from 'node:fs';
import { formatHelp, parseCommandLine } from './args.js';
import type { Command, CommandContext } from './command.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE, UsageError } from './errors.js';
import { BrokenPipe } from './output.js';

/**
 * A command by name, its module imported only when it runs: the DAL commands pull in an HTTP
 * client and the SAMP ones an XML-RPC stack, about 150 ms of module loading that `vokit count`
 * should not pay. `summary` is what `vokit --help` lists; a test checks it against the
 * loaded command's own.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/**
 * Every command, in the order `vokit --help` lists them. To add one, add an entry whose
 * `load` imports its module dynamically (a static import here would load it for every run).
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'info',
    summary: 'Describe a VOTable: tables, columns, PARAMs, INFOs and row counts.',
    load: async () => (await import('./commands/info.js')).infoCommand,
  },
  {
    name: 'count',
    summary: 'Print the number of rows of the first table of a VOTable.',
    load: async () => (await import('./commands/count.js')).countCommand,
  },
  {
    name: 'convert',
    summary: 'Convert a VOTable to another serialization, CSV or JSON Lines.',
    load: async () => (await import('./commands/convert.js')).convertCommand,
  },
  {
    name: 'tap',
    summary: 'Query a TAP service in ADQL (sync or async, with uploads); list its tables or capabilities.',
    load: async () => (await import('./commands/tap.js')).tapCommand,
  },
  {
    name: 'scs',
    summary: 'Simple Cone Search: the objects within a radius of a position.',
    load: async () => (await import('./commands/scs.js')).scsCommand,
  },
  {
    name: 'sia',
    summary: 'Simple Image Access (1.0 or 2.0): images covering a region.',
    load: async () => (await import('./commands/sia.js')).siaCommand,
  },
  {
    name: 'ssa',
    summary: 'Simple Spectral Access: spectra around a position, by band and time.',
    load: async () => (await import('./commands/ssa.js')).ssaCommand,
  },
  {
    name: 'xmatch',
    summary: 'Crossmatch VOTables on the sky: the joined table of STILTS tskymatch2 (two) or tmatchn (three or more).',
    load: async () => (await import('./commands/xmatch.js')).xmatchCommand,
  },
  {
    name: 'samp',
    summary: 'Talk SAMP: run a hub, send files to TOPCAT & co, listen, list clients.',
    load: async () => (await import('./commands/samp.js')).sampCommand,
  },
];

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/** The text of `vokit --help`. */
export function formatMainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'vokit: Virtual Observatory tables from the command line.',
    '',
    'Usage: vokit <command> [options] <arguments>',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Inputs are files, - for standard input, or http(s) URLs; gzip is detected.',
    'Run `vokit <command> --help` for a command\'s options.',
    '',
    'Options:',
    '  -h, --help     print this help',
    '  -v, --version  print the version',
    '',
  ].join('\n');
}

/** One line for any error: newlines folded, so stderr always gets exactly one line. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, ' ').trim() || (error instanceof Error ? error.name : 'unknown error');
}

/**
 * A reader that closes stdout early (`vokit info big.vot | head`) makes the next write fail
 * with EPIPE, emitted as an 'error' event that would otherwise crash with a stack trace:
 * stop quietly instead, as Unix filters do. Other stdout errors get the usual one line.
 */
function guardStandardOutput(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream): void {
  if (stdout.listenerCount('error') > 0) return;
  stdout.on('error', (error: Error & { code?: string }) => {
    if (error.code !== 'EPIPE') stderr.write(`vokit: stdout: ${oneLine(error)}\n`);
    process.exit(error.code === 'EPIPE' ? 0 : EXIT_FAILURE);
  });
}

/**
 * Runs the command line `argv` (without `node` and the script) and resolves to the exit
 * status. Never rejects: failures are printed on `context.stderr`.
 */
export async function main(
  argv: string[],
  context: CommandContext = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  if (context.stdout === process.stdout) guardStandardOutput(context.stdout, context.stderr);
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      context.stderr.write(formatMainHelp());
      return EXIT_USAGE;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      context.stdout.write(topic ? formatHelp((await topic.load()).spec) : formatMainHelp());
      return 0;
    }
    if (name === '--version' || name === '-v') {
      context.stdout.write(`${version()}\n`);
      return 0;
    }
    const entry = COMMANDS.find((c) => c.name === name);
    if (!entry) {
      const names = COMMANDS.map((c) => c.name).join(', ');
      throw new UsageError(
        name.startsWith('-') ? `unknown option ${name} (see \`vokit --help\`)` : `unknown command "${name}" (commands: ${names}; see \`vokit --help\`)`,
      );
    }
    let command = await entry.load();
    // A command group: `vokit samp hub ...` runs the `samp hub` subcommand.
    const subcommand = command.subcommands?.find((c) => c.spec.name === `${name} ${rest[0]}`);
    if (subcommand) command = subcommand;
    const args = parseCommandLine(command.spec, subcommand ? rest.slice(1) : rest);
    if (args.help) {
      context.stdout.write(formatHelp(command.spec));
      return 0;
    }
    await command.run(args, context);
    return 0;
  } catch (error) {
    if (error instanceof BrokenPipe) return 0;
    context.stderr.write(`vokit: ${oneLine(error)}\n`);
    if (process.env.VOKIT_DEBUG && error instanceof Error && error.stack) context.stderr.write(`${error.stack}\n`);
    return error instanceof CliError ? error.exitCode : EXIT_FAILURE;
  }
}
