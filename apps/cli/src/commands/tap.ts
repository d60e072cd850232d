/**
 * `vokit tap <url> "<adql>"`: runs a query on a TAP service, synchronously or as an async
 * (UWS) job, with uploads and MAXREC, and writes the result as `--out` says. `vokit tap
 * tables` and `vokit tap capabilities` are its subcommands (files tap-tables.ts and
 * tap-capabilities.ts).
 */

import { DALError, Deadline, TAPService, type TAPQueryOptions, type TAPResults, type UploadSource } from '@vokit/dal';
import type { Command } from '../command.js';
import { paramsFromPairs, parseKeyValues, parseMaxrec, parseSeconds, parseTimeout } from '../dal-args.js';
import { DAL_OUTPUT_OPTIONS, describeDalFailure, runDalQuery, type DalRun } from '../dal-output.js';
import { InputError, UsageError } from '../errors.js';
import { tapCapabilitiesCommand } from './tap-capabilities.js';
import { tapTablesCommand } from './tap-tables.js';

/** `--upload name=file` pairs as @vokit/dal uploads (paths are read by @vokit/dal, URLs fetched by the service). */
function uploadsFromPairs(pairs: readonly [string, string][]): { [name: string]: UploadSource } | undefined {
  if (pairs.length === 0) return undefined;
  const uploads: { [name: string]: UploadSource } = {};
  for (const [name, source] of pairs) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      throw new UsageError(`tap: --upload name "${name}" must be an ADQL identifier (letters, digits, _; a letter first)`);
    }
    if (name in uploads) throw new UsageError(`tap: --upload ${name} is given twice`);
    if (source === '') throw new UsageError(`tap: --upload ${name}= needs a file or URL after the =`);
    uploads[name] = source;
  }
  return uploads;
}

/**
 * Runs `query` as an async job, showing the job URL and its phases; the job is deleted at
 * the end whatever happens (also on Ctrl-C and on timeout). `timeout` bounds everything.
 */
async function runAsyncJob(tap: TAPService, query: string, options: TAPQueryOptions, run: DalRun, executionDuration: number | undefined): Promise<TAPResults> {
  const deadline = new Deadline(run.timeout, run.signal);
  const inner = { ...options, timeout: undefined, signal: deadline.signal };
  let job: Awaited<ReturnType<TAPService['submitJob']>> | undefined;
  try {
    job = await tap.submitJob(query, inner);
    run.progress.note(`job ${job.url} created`);
    if (executionDuration !== undefined) await job.setExecutionDuration(executionDuration, inner);
    await job.run(inner);
    await job.wait({ signal: deadline.signal, onPhase: run.progress.phase });
    return await job.fetchResult({ ...inner, maxrec: options.maxrec });
  } catch (error) {
    throw deadline.classify(error, { url: job?.url ?? `${tap.baseurl}/async`, phase: job?.job?.phase, what: 'async query' });
  } finally {
    deadline.dispose();
    if (job) {
      const url = job.url;
      // a deadline of its own: the clean-up must not hang a command that already failed
      await job.delete({ timeout: 10_000 }).then(
        () => run.progress.note(`job ${url} deleted`),
        (error: Error) => run.progress.warn(`could not delete job ${url}: ${error.message}`),
      );
    }
  }
}

/** `vokit tap`, with `tap tables` and `tap capabilities` as subcommands. */
export const tapCommand: Command = {
  spec: {
    name: 'tap',
    summary: 'Query a TAP service in ADQL (sync or async, with uploads); list its tables or capabilities.',
    positionals: ['<url>', '<adql>'],
    options: {
      async: { type: 'boolean', short: 'a', description: 'run the query as an async (UWS) job, deleted afterwards' },
      'execution-duration': {
        type: 'string',
        valueName: '<seconds>',
        description: 'with --async: run time the service may give the job (EXECUTIONDURATION; DaCHS stops the query there)',
      },
      upload: {
        type: 'string',
        short: 'u',
        multiple: true,
        valueName: '<name=file>',
        description: 'upload a VOTable file (or http URL) as TAP_UPLOAD.<name>; repeatable',
      },
      maxrec: { type: 'string', short: 'm', valueName: '<rows>', description: 'row limit (MAXREC); default the service\'s' },
      lang: { type: 'string', valueName: '<language>', description: 'query language (LANG), default ADQL' },
      responseformat: {
        type: 'string',
        valueName: '<mime>',
        description: 'RESPONSEFORMAT to ask for (a VOTable one, e.g. votable/b2); default the service\'s',
      },
      param: { type: 'string', short: 'p', multiple: true, valueName: '<key=value>', description: 'extra request parameter; repeatable' },
      ...DAL_OUTPUT_OPTIONS,
    },
    details: [
      'Subcommands:',
      '  vokit tap tables <url> [--table <name>]   the tables (or one table\'s columns)',
      '  vokit tap capabilities <url>             languages, formats, upload methods, limits',
      '',
      '<url> is the TAP base URL (the one with /sync, /async, /tables under it).',
      'Progress goes to stderr: the async job\'s URL and phases, and a closing line with rows,',
      'bytes and time (--quiet drops it). A result the service truncated (OVERFLOW) is always',
      'reported on stderr; a query the service rejects prints its message and exits with 1.',
      '',
      'Examples:',
      '  vokit tap http://dc.g-vo.org/tap "SELECT TOP 10 * FROM ivoa.obscore" -o obscore.csv',
      '  vokit tap $TAP "SELECT m.*, s.ra FROM TAP_UPLOAD.mine AS m JOIN gaia.dr3lite AS s ON s.source_id = m.id" \\',
      '      --upload mine=ids.vot --async --out matched.vot',
    ].join('\n'),
  },
  subcommands: [tapTablesCommand, tapCapabilitiesCommand],
  async run(args, context) {
    const [url, query] = args.positionals;
    if (query.trim() === '') throw new UsageError('tap: the query is empty');
    const maxrec = parseMaxrec('tap', args.options.maxrec as string | undefined);
    const timeout = parseTimeout('tap', args.options.timeout as string | undefined);
    const uploads = uploadsFromPairs(parseKeyValues('tap', 'upload', args.options.upload));
    const params = paramsFromPairs(parseKeyValues('tap', 'param', args.options.param));
    const tap = new TAPService(url, { fetch: context.fetch });
    const useAsync = args.options.async === true;
    const executionDuration = parseSeconds('tap', 'execution-duration', args.options['execution-duration'] as string | undefined);
    if (executionDuration !== undefined && !useAsync) throw new UsageError('tap: --execution-duration needs --async');
    await runDalQuery('tap', args, context, timeout, { maxrec, advice: 'the service\'s default limit; raise it with --maxrec' }, (run) => {
      const options: TAPQueryOptions = {
        uploads,
        maxrec,
        params,
        language: args.options.lang as string | undefined,
        format: args.options.responseformat as string | undefined,
        onProgress: run.progress.bytes,
        // the overflow is reported from the results' flag, worded for the command line
        onWarning: () => undefined,
      };
      if (useAsync) return runAsyncJob(tap, query, options, run, executionDuration);
      return tap.runSync(query, { ...options, signal: run.signal, timeout: run.timeout }).catch((error: unknown) => {
        // services take far less on /sync than on /async (DaCHS: 500 kB and 20 MB): say so
        if (uploads && error instanceof DALError && error.status === 413) {
          throw new InputError(`${describeDalFailure('tap', error).message} (larger uploads may work with --async)`, { cause: error });
        }
        throw error;
      });
    });
  },
};
