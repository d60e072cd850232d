/**
 * `vokit scs <url> --pos RA,DEC --size DEG`: a Simple Cone Search (SCS 1.03): the objects
 * within `--size` degrees (the search radius, SR) of a position.
 */

import { SCSService } from '@vokit/dal';
import type { Command } from '../command.js';
import { paramsFromPairs, parseDegrees, parseKeyValues, parseMaxrec, parsePosition, parseTimeout } from '../dal-args.js';
import { DAL_OUTPUT_OPTIONS, runDalQuery } from '../dal-output.js';
import { UsageError } from '../errors.js';

/** `vokit scs`. */
export const scsCommand: Command = {
  spec: {
    name: 'scs',
    summary: 'Simple Cone Search: the objects within a radius of a position.',
    positionals: ['<url>'],
    options: {
      pos: { type: 'string', valueName: '<ra,dec>', description: 'centre in degrees (ICRS), e.g. 155,5; a negative RA as --pos=-10,5' },
      size: { type: 'string', short: 's', valueName: '<deg>', description: 'search radius in degrees (SR)' },
      verb: { type: 'string', valueName: '<1|2|3>', description: 'verbosity: 1 = fewest columns, 3 = all (VERB); default the service\'s' },
      maxrec: { type: 'string', short: 'm', valueName: '<rows>', description: 'row limit (MAXREC), for services that accept it' },
      param: { type: 'string', short: 'p', multiple: true, valueName: '<key=value>', description: 'extra request parameter; repeatable' },
      ...DAL_OUTPUT_OPTIONS,
    },
    details: ['Example:', '  vokit scs http://127.0.0.1:8080/vokit/q/scs/scs.xml --pos 0,-30 --size 0.1 -o cone.csv'].join('\n'),
  },
  async run(args, context) {
    const [url] = args.positionals;
    const pos = parsePosition('scs', args.options.pos as string | undefined);
    const radius = parseDegrees('scs', 'size', args.options.size as string | undefined) as number;
    const verb = args.options.verb as string | undefined;
    if (verb !== undefined && !['1', '2', '3'].includes(verb)) throw new UsageError(`scs: --verb must be 1, 2 or 3 (got "${verb}")`);
    const maxrec = parseMaxrec('scs', args.options.maxrec as string | undefined);
    const params = { ...paramsFromPairs(parseKeyValues('scs', 'param', args.options.param)), ...(maxrec === undefined ? {} : { MAXREC: maxrec }) };
    const timeout = parseTimeout('scs', args.options.timeout as string | undefined);
    const scs = new SCSService(url, { fetch: context.fetch });
    await runDalQuery('scs', args, context, timeout, { maxrec, advice: 'the service\'s own limit' }, (run) =>
      scs.search(pos, radius, {
        verbosity: verb === undefined ? undefined : (Number(verb) as 1 | 2 | 3),
        params,
        signal: run.signal,
        timeout: run.timeout,
        onProgress: run.progress.bytes,
        onWarning: () => undefined,
      }),
    );
  },
};
