// Oracle: Python's xmlrpc.client (the stdlib of /usr/bin/python3) encodes and decodes the same
// random SAMP values as our codec, both ways.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodeMethodCall, decodeMethodResponse, encodeMethodCall, encodeMethodResponse } from '../src/index.js';

const PY = `
import json, sys, xmlrpc.client as x
mode = sys.argv[1]
data = sys.stdin.read()
if mode == "encode":
    values = json.loads(data)
    out = [x.dumps((v,), methodname="samp.test") for v in values] + [x.dumps((v,), methodresponse=True) for v in values]
    print(json.dumps(out))
else:
    docs = json.loads(data)
    out = []
    for d in docs:
        params, method = x.loads(d)
        out.append([method, params[0]])
    print(json.dumps(out))
`;

function python(mode: string, input: unknown): unknown {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY, mode], { input: JSON.stringify(input), encoding: 'utf8' }));
}

function randomValues(count: number): unknown[] {
  let seed = 4242;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const alphabet = [...'\t\n !"&\'<>]]>abc XYZ 09 \u00e9\u00df\u4e2d\u{1F600}'];
  const string = () => Array.from({ length: Math.floor(random() * 10) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const value = (depth: number): unknown => {
    const kind = depth === 0 ? 0 : Math.floor(random() * 3);
    if (kind === 0) return string();
    if (kind === 1) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth - 1));
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [string() || 'k', value(depth - 1)]));
  };
  return Array.from({ length: count }, () => value(4));
}

describe('XML-RPC codec vs Python xmlrpc.client', () => {
  const values = randomValues(150);

  it('decodes what Python encodes', () => {
    const docs = python('encode', values) as string[];
    const calls = docs.slice(0, values.length).map((d) => decodeMethodCall(d));
    const responses = docs.slice(values.length).map((d) => decodeMethodResponse(d));
    expect(calls.map((c) => c.methodName)).toEqual(values.map(() => 'samp.test'));
    expect(calls.map((c) => c.params[0])).toEqual(values);
    expect(responses).toEqual(values);
  });

  it('encodes what Python decodes', () => {
    const docs = [...values.map((v) => encodeMethodCall('samp.test', [v])), ...values.map((v) => encodeMethodResponse(v))];
    const decoded = python('decode', docs) as Array<[string | null, unknown]>;
    expect(decoded.slice(0, values.length)).toEqual(values.map((v) => ['samp.test', v]));
    expect(decoded.slice(values.length)).toEqual(values.map((v) => [null, v]));
  });
});
