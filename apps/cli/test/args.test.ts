import { describe, expect, it } from 'vitest';
import { formatHelp, parseCommandLine, type CommandSpec } from '../src/args.js';
import { UsageError } from '../src/errors.js';

const spec: CommandSpec = {
  name: 'convert',
  summary: 'Convert.',
  positionals: ['<in>', '<out>'],
  options: { format: { type: 'string', short: 'f', valueName: '<format>', description: 'output format' } },
};

function usageMessage(argv: string[]): string {
  try {
    parseCommandLine(spec, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('parseCommandLine', () => {
  it('reads positionals and options in any order, - as a positional', () => {
    expect(parseCommandLine(spec, ['-f', 'csv', 'a.vot', '-'])).toEqual({ positionals: ['a.vot', '-'], options: { format: 'csv' }, help: false });
    expect(parseCommandLine(spec, ['a.vot', 'b', '--format=jsonl']).options.format).toBe('jsonl');
  });

  it('accepts --help without the positionals', () => {
    expect(parseCommandLine(spec, ['--help']).help).toBe(true);
  });

  it('says what is wrong in one line', () => {
    expect(usageMessage(['--frmat', 'csv', 'a', 'b'])).toBe('convert: unknown option --frmat (see `vokit convert --help`)');
    expect(usageMessage(['a', 'b', '--format'])).toBe('convert: option --format needs a value (see `vokit convert --help`)');
    expect(usageMessage(['a'])).toBe('convert: missing <out> (usage: vokit convert [options] <in> <out>)');
    expect(usageMessage(['a', 'b', 'c'])).toBe('convert: unexpected argument "c" (usage: vokit convert [options] <in> <out>)');
  });

  it('formats help with aligned options', () => {
    expect(formatHelp(spec)).toBe(
      'Convert.\n\nUsage: vokit convert [options] <in> <out>\n\nOptions:\n  -f, --format <format>  output format\n  -h, --help             print this help\n',
    );
  });
});
