import { describe, expect, it } from 'vitest';
import {
  DALAbortError,
  DALError,
  DALFormatError,
  DALNetworkError,
  DALOptionsError,
  DALOverflowWarning,
  DALQueryError,
  DALServiceError,
  DALTimeoutError,
  MAX_SERVER_MESSAGE,
  truncateMessage,
  UWSError,
} from '../src/index.js';

const cases: [string, () => DALError, string, string][] = [
  ['DALServiceError', () => new DALServiceError('service error', { url: 'http://x/q', status: 503, serverMessage: 'down for maintenance' }), 'DAL_SERVICE', 'service error (HTTP 503) from http://x/q: down for maintenance'],
  ['DALQueryError', () => new DALQueryError({ url: 'http://x/q', status: 400, serverMessage: 'Column foo not found' }), 'DAL_QUERY', 'query failed (HTTP 400) from http://x/q: Column foo not found'],
  ['DALFormatError', () => new DALFormatError('not a VOTable', { url: 'http://x/q' }), 'DAL_FORMAT', 'not a VOTable from http://x/q'],
  ['DALNetworkError', () => new DALNetworkError('fetch failed (ECONNRESET)', { url: 'http://x/q' }), 'DAL_NETWORK', 'fetch failed (ECONNRESET) from http://x/q'],
  ['DALTimeoutError', () => new DALTimeoutError(500, { url: 'http://x/q' }), 'DAL_TIMEOUT', 'request timed out after 500 ms from http://x/q'],
  ['DALTimeoutError with phase', () => new DALTimeoutError(500, { url: 'http://x/j', phase: 'EXECUTING', what: 'waiting for the job' }), 'DAL_TIMEOUT', 'waiting for the job timed out after 500 ms (job phase EXECUTING) from http://x/j'],
  ['DALAbortError', () => new DALAbortError({ url: 'http://x/q' }), 'DAL_ABORTED', 'request aborted from http://x/q'],
  ['UWSError', () => new UWSError('the job failed', { url: 'http://x/j', phase: 'ERROR', errorSummary: 'We have problem' }), 'DAL_UWS', 'the job failed (phase ERROR) from http://x/j: We have problem'],
  ['DALOptionsError', () => new DALOptionsError('maxrec must be a non-negative integer, got -1'), 'DAL_OPTIONS', 'maxrec must be a non-negative integer, got -1'],
];

describe('errors', () => {
  it.each(cases)('%s has a stable code and says where and what', (name, make, code, message) => {
    const error = make();
    expect(error).toBeInstanceOf(DALError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.name).toBe(name.split(' ')[0]);
  });

  it('recognises errors from another copy of the package through the Symbol.for brand', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('vokit.dal.error')]: true });
    expect(foreign instanceof DALError).toBe(true);
    expect(new Error('y') instanceof DALError).toBe(false);
    expect(new DALQueryError({ serverMessage: 'm' }) instanceof DALServiceError).toBe(false);
  });

  it('truncates server messages and keeps the cause', () => {
    const cause = new Error('socket hang up');
    const error = new DALServiceError('service error', { status: 500, serverMessage: 'x'.repeat(5000), cause });
    expect(error.serverMessage).toHaveLength(MAX_SERVER_MESSAGE);
    expect(error.serverMessage?.endsWith('…')).toBe(true);
    expect(error.cause).toBe(cause);
    expect(truncateMessage('  a \n\n b  ')).toBe('a b');
  });

  it('the overflow warning names the row count', () => {
    const w = new DALOverflowWarning(17, 'http://x/q');
    expect(w.message).toBe('result truncated by the service at 17 rows (OVERFLOW) from http://x/q');
    expect(w.code).toBe('DAL_OVERFLOW');
    expect(w.name).toBe('DALOverflowWarning');
  });
});
