/**
 * XML-RPC over HTTP, client side (SAMP 1.3 §4.3 Standard Profile, §5.3 Web Profile): a
 * transport posts one XML document and returns the response text; {@link callXmlRpc} encodes
 * the call and decodes the answer. {@link createFetchTransport} works wherever `fetch` does
 * (browsers, Node); the Node entry adds a faster keep-alive `node:http` transport.
 */
import { SampHttpError, SampTimeoutError } from './errors.js';
import { decodeMethodResponse, encodeMethodCall, type XmlRpcValue } from './xmlrpc.js';

/** Options of one XML-RPC request. */
export interface XmlRpcRequestOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
  /** Gives up after this many milliseconds. Default: no limit (SAMP calls may legitimately wait). */
  timeoutMs?: number;
}

/** Posts an XML-RPC document (`text/xml`) to `url` and resolves to the response body text. */
export type XmlRpcTransport = (url: string, body: string, options: XmlRpcRequestOptions) => Promise<string>;

/** A transport built on `fetch` (default `globalThis.fetch`). */
export function createFetchTransport(fetchImpl: typeof fetch = globalThis.fetch): XmlRpcTransport {
  return async (url, body, options) => {
    const signals: AbortSignal[] = [];
    if (options.signal) signals.push(options.signal);
    if (options.timeoutMs !== undefined) signals.push(AbortSignal.timeout(options.timeoutMs));
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    let response: Response;
    try {
      response = await fetchImpl(url, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body, signal });
    } catch (cause) {
      if ((cause as Error)?.name === 'TimeoutError') throw new SampTimeoutError(`no answer from ${url}`, options.timeoutMs ?? 0);
      throw new SampHttpError(`request failed: ${(cause as Error)?.message ?? cause}`, url, undefined, undefined, { cause });
    }
    const text = await response.text();
    if (response.status !== 200) throw new SampHttpError('XML-RPC request refused', url, response.status, text);
    return text;
  };
}

/** Calls XML-RPC method `method` at `url` with `params` and returns the decoded result (faults throw). */
export async function callXmlRpc(
  transport: XmlRpcTransport,
  url: string,
  method: string,
  params: readonly unknown[],
  options: XmlRpcRequestOptions = {},
): Promise<XmlRpcValue> {
  const text = await transport(url, encodeMethodCall(method, params), options);
  return decodeMethodResponse(text, { method });
}
