import { describe, expect, it } from 'vitest';
import {
  HubRunningError,
  LockfileError,
  NoHubError,
  NotRegisteredError,
  SampAuthError,
  SampError,
  SampHttpError,
  SampOptionsError,
  SampProtocolError,
  SampResponseError,
  SampTimeoutError,
  XmlRpcEncodeError,
  XmlRpcFaultError,
  XmlRpcParseError,
} from '../src/index.js';

describe('errors', () => {
  it.each([
    [new SampError('x'), 'SAMP_ERROR', 'samp: x'],
    [new XmlRpcParseError('bad', 12), 'SAMP_XMLRPC_PARSE', 'samp: XML-RPC at offset 12: bad'],
    [new XmlRpcEncodeError('no null', 'params[1]'), 'SAMP_XMLRPC_ENCODE', 'samp: XML-RPC encode params[1]: no null'],
    [new XmlRpcFaultError(3, 'nope', 'samp.hub.notify'), 'SAMP_XMLRPC_FAULT', 'samp: samp.hub.notify failed: nope (fault 3)'],
    [new SampHttpError('refused', 'http://h/x', 404, 'missing'), 'SAMP_HTTP', 'samp: http://h/x: refused (HTTP 404): missing'],
    [new NoHubError('no hub'), 'SAMP_NO_HUB', 'samp: no hub'],
    [new LockfileError('no secret', '/tmp/samp'), 'SAMP_LOCKFILE', 'samp: /tmp/samp: no secret'],
    [new HubRunningError('running'), 'SAMP_HUB_RUNNING', 'samp: running'],
    [new SampTimeoutError('slow', 1500), 'SAMP_TIMEOUT', 'samp: slow (after 1500 ms)'],
    [new SampProtocolError('bad message'), 'SAMP_PROTOCOL', 'samp: bad message'],
    [new SampAuthError('wrong secret'), 'SAMP_AUTH', 'samp: wrong secret'],
    [new SampResponseError('c3', { 'samp.status': 'samp.error', 'samp.error': { 'samp.errortxt': 'bad row' } }), 'SAMP_RESPONSE_ERROR', 'samp: client c3 answered samp.error: bad row'],
    [new NotRegisteredError('register first'), 'SAMP_NOT_REGISTERED', 'samp: register first'],
    [new SampOptionsError('use X'), 'SAMP_OPTIONS', 'samp: use X'],
  ])('%s has a stable code and message', (error, code, message) => {
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error).toBeInstanceOf(SampError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(error.constructor.name);
  });

  it('recognises errors of another copy of the package by brand', () => {
    const foreign = { [Symbol.for('vokit.samp.error')]: true, message: 'x' };
    expect(foreign).toBeInstanceOf(SampError);
    expect(foreign).not.toBeInstanceOf(SampTimeoutError);
    expect(new Error('plain')).not.toBeInstanceOf(SampError);
  });

  it('keeps the cause and truncates long server text', () => {
    const cause = new Error('ECONNREFUSED');
    expect(new SampHttpError('request failed', 'http://h', undefined, undefined, { cause }).cause).toBe(cause);
    expect(new XmlRpcFaultError(0, 'y'.repeat(1000)).message).toBe(`samp: XML-RPC call failed: ${'y'.repeat(300)}…`);
  });
});
