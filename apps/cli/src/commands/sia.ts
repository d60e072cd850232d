/**
 * `vokit sia <url> --pos RA,DEC --size DEG [--version 1|2]`: images around a position, by
 * Simple Image Access 1.0 (`SIZE` is the width of the region) or 2.0 (a `CIRCLE` of that
 * diameter, plus `--band` and `--time` constraints).
 */

import { SIA2Service, SIAService, type SIA2Interval, type SIA2Time } from '@vokit/dal';
import type { Command } from '../command.js';
import { paramsFromPairs, parseDegrees, parseKeyValues, parseMaxrec, parsePosition, parseRange, parseTimeout } from '../dal-args.js';
import { DAL_OUTPUT_OPTIONS, runDalQuery } from '../dal-output.js';
import { UsageError } from '../errors.js';

const INTERSECTS = ['COVERS', 'ENCLOSED', 'CENTER', 'OVERLAPS'] as const;

/** `--time` for SIA 2: MJD numbers or ISO 8601 dates, an interval or one instant. */
function parseSia2Time(text: string | undefined): SIA2Time | undefined {
  const range = parseRange('sia', 'time', text, false);
  if (!range) return undefined;
  const one = (value: string | undefined): Date | number | undefined => {
    if (value === undefined) return undefined;
    if (/^[+-]?\d+(\.\d+)?$/.test(value)) return Number(value);
    const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) || !value.includes('T') ? value : `${value}Z`);
    if (Number.isNaN(date.getTime())) throw new UsageError(`sia: --time needs MJDs or ISO 8601 dates (got "${value}")`);
    return date;
  };
  return range.single !== undefined ? (one(range.single) as Date | number) : [one(range.lo), one(range.hi)];
}

function parseSia2Band(text: string | undefined): SIA2Interval | undefined {
  const range = parseRange('sia', 'band', text, true);
  if (!range) return undefined;
  if (range.single !== undefined) return Number(range.single);
  return [range.lo === undefined ? undefined : Number(range.lo), range.hi === undefined ? undefined : Number(range.hi)];
}

/** `vokit sia`. */
export const siaCommand: Command = {
  spec: {
    name: 'sia',
    summary: 'Simple Image Access (1.0 or 2.0): images covering a region.',
    positionals: ['<url>'],
    options: {
      pos: { type: 'string', valueName: '<ra,dec>', description: 'centre in degrees (ICRS), e.g. 152.5,2.5; a negative RA as --pos=-10,5' },
      size: { type: 'string', short: 's', valueName: '<deg>', description: 'width of the region in degrees (SIA 1 SIZE; SIA 2: CIRCLE of this diameter)' },
      version: { type: 'string', valueName: '<1|2>', description: 'protocol version, default 1; for 2, <url> is the query endpoint' },
      format: { type: 'string', valueName: '<mime>', description: 'SIA 1 FORMAT, e.g. image/fits, ALL, GRAPHIC' },
      intersect: { type: 'string', valueName: '<mode>', description: `SIA 1 INTERSECT: ${INTERSECTS.join(', ')}` },
      band: { type: 'string', valueName: '<lo/hi>', description: 'SIA 2 BAND: wavelengths in metres, an interval (an end may be empty) or one value' },
      time: { type: 'string', valueName: '<start/end>', description: 'SIA 2 TIME: MJDs or ISO 8601 dates, an interval or one instant' },
      maxrec: { type: 'string', short: 'm', valueName: '<rows>', description: 'row limit (MAXREC); default the service\'s' },
      param: { type: 'string', short: 'p', multiple: true, valueName: '<key=value>', description: 'extra request parameter; repeatable' },
      ...DAL_OUTPUT_OPTIONS,
    },
    details: [
      'Examples:',
      '  vokit sia http://127.0.0.1:8080/vokit/q/siap/siap.xml --pos 152.5,2.5 --size 0.1',
      '  vokit sia http://127.0.0.1:8080/__system__/siap2/sitewide/siap2.xml --version 2 --pos 152.5,2.5 --size 0.2 --band 1e-6/3e-6',
    ].join('\n'),
  },
  async run(args, context) {
    const [url] = args.positionals;
    const version = (args.options.version as string | undefined) ?? '1';
    if (version !== '1' && version !== '2') throw new UsageError(`sia: --version must be 1 or 2 (got "${version}")`);
    const pos = parsePosition('sia', args.options.pos as string | undefined);
    const size = parseDegrees('sia', 'size', args.options.size as string | undefined) as number;
    const maxrec = parseMaxrec('sia', args.options.maxrec as string | undefined);
    const params = paramsFromPairs(parseKeyValues('sia', 'param', args.options.param));
    const timeout = parseTimeout('sia', args.options.timeout as string | undefined);
    const intersect = (args.options.intersect as string | undefined)?.toUpperCase();
    if (intersect !== undefined && !(INTERSECTS as readonly string[]).includes(intersect)) {
      throw new UsageError(`sia: --intersect must be one of ${INTERSECTS.join(', ')} (got "${args.options.intersect}")`);
    }
    const only = (option: string, wanted: '1' | '2') => {
      if (args.options[option] !== undefined && version !== wanted) throw new UsageError(`sia: --${option} is an SIA ${wanted} option; add --version ${wanted}`);
    };
    only('format', '1');
    only('intersect', '1');
    only('band', '2');
    only('time', '2');
    const band = parseSia2Band(args.options.band as string | undefined);
    const time = parseSia2Time(args.options.time as string | undefined);
    const hint = { maxrec, advice: 'the service\'s default limit; raise it with --maxrec' };
    await runDalQuery('sia', args, context, timeout, hint, (run) => {
      const common = { signal: run.signal, timeout: run.timeout, onProgress: run.progress.bytes, onWarning: () => undefined, maxrec, params };
      if (version === '2') {
        return new SIA2Service(url, { fetch: context.fetch }).search({ ...common, pos: { circle: [pos[0], pos[1], size / 2] }, band, time });
      }
      return new SIAService(url, { fetch: context.fetch }).search(pos, size, {
        ...common,
        format: args.options.format as string | undefined,
        intersect: intersect as (typeof INTERSECTS)[number] | undefined,
      });
    });
  },
};
