/**
 * `vokit ssa <url> --pos RA,DEC --size DEG`: spectra around a position by Simple Spectral
 * Access 1.1, narrowed by `--band` (metres), `--time` (ISO 8601) and `--format`.
 */

import { SSAService } from '@vokit/dal';
import type { Command } from '../command.js';
import { paramsFromPairs, parseDegrees, parseKeyValues, parseMaxrec, parsePosition, parseRange, parseTimeout } from '../dal-args.js';
import { DAL_OUTPUT_OPTIONS, runDalQuery } from '../dal-output.js';

/** `vokit ssa`. */
export const ssaCommand: Command = {
  spec: {
    name: 'ssa',
    summary: 'Simple Spectral Access: spectra around a position, by band and time.',
    positionals: ['<url>'],
    options: {
      pos: { type: 'string', valueName: '<ra,dec>', description: 'centre in degrees (ICRS), e.g. 155,5; a negative RA as --pos=-10,5' },
      size: { type: 'string', short: 's', valueName: '<deg>', description: 'diameter of the search region in degrees (SIZE)' },
      band: { type: 'string', valueName: '<lo/hi>', description: 'BAND: wavelengths in metres, an interval (an end may be empty) or one value' },
      time: { type: 'string', valueName: '<start/end>', description: 'TIME: ISO 8601 dates, an interval (an end may be empty) or one instant' },
      format: { type: 'string', valueName: '<format>', description: 'FORMAT of the spectra: votable, fits, all, or a MIME type' },
      maxrec: { type: 'string', short: 'm', valueName: '<rows>', description: 'row limit (MAXREC); default the service\'s' },
      param: { type: 'string', short: 'p', multiple: true, valueName: '<key=value>', description: 'extra request parameter; repeatable' },
      ...DAL_OUTPUT_OPTIONS,
    },
    details: ['Example:', '  vokit ssa http://127.0.0.1:8080/vokit/q/ssa/ssap.xml --pos 155,5 --size 20 --band 5e-7/6e-7 -o spectra.csv'].join('\n'),
  },
  async run(args, context) {
    const [url] = args.positionals;
    const pos = parsePosition('ssa', args.options.pos as string | undefined);
    const diameter = parseDegrees('ssa', 'size', args.options.size as string | undefined) as number;
    const band = parseRange('ssa', 'band', args.options.band as string | undefined, true);
    const time = parseRange('ssa', 'time', args.options.time as string | undefined, false);
    const maxrec = parseMaxrec('ssa', args.options.maxrec as string | undefined);
    const params = paramsFromPairs(parseKeyValues('ssa', 'param', args.options.param));
    const timeout = parseTimeout('ssa', args.options.timeout as string | undefined);
    const ssa = new SSAService(url, { fetch: context.fetch });
    const hint = { maxrec, advice: 'the service\'s default limit; raise it with --maxrec' };
    await runDalQuery('ssa', args, context, timeout, hint, (run) =>
      ssa.search(pos, {
        diameter,
        // in metres; @vokit/dal writes the PQL range (SSA 1.1 §8.7.2), an open end left empty
        band: band === undefined ? undefined : band.single !== undefined ? Number(band.single) : [band.lo === undefined ? undefined : Number(band.lo), band.hi === undefined ? undefined : Number(band.hi)],
        time: time === undefined ? undefined : time.single ?? [time.lo, time.hi],
        format: args.options.format as string | undefined,
        maxrec,
        params,
        signal: run.signal,
        timeout: run.timeout,
        onProgress: run.progress.bytes,
        onWarning: () => undefined,
      }),
    );
  },
};
