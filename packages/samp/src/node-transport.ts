/**
 * The Node XML-RPC transport: `node:http` with a keep-alive agent, so a hub delivering
 * thousands of callbacks reuses its connections (JSAMP and astropy clients keep them open).
 */
import { Agent, request } from 'node:http';
import { SampHttpError, SampTimeoutError } from './errors.js';
import { XMLRPC_MAX_LENGTH } from './xmlrpc.js';
import type { XmlRpcTransport } from './xmlrpc-transport.js';

/** A transport plus the agent to close when done. */
export interface NodeTransport {
  transport: XmlRpcTransport;
  /** Closes idle keep-alive sockets. */
  close(): void;
}

/**
 * Creates an `http:` XML-RPC transport. Responses longer than `maxResponseBytes`
 * (default 64 MiB) are refused.
 */
export function createNodeTransport(options: { maxResponseBytes?: number; userAgent?: string } = {}): NodeTransport {
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 1000, maxFreeSockets: 16, scheduling: 'lifo' });
  const maxBytes = options.maxResponseBytes ?? XMLRPC_MAX_LENGTH;
  const userAgent = options.userAgent ?? 'vokit-samp/0.1';
  const transport: XmlRpcTransport = (url, body, requestOptions) =>
    new Promise<string>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'http:') {
        reject(new SampHttpError(`only http: XML-RPC endpoints are supported, not ${target.protocol}`, url));
        return;
      }
      const payload = Buffer.from(body, 'utf8');
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          signal: requestOptions.signal,
          headers: { 'Content-Type': 'text/xml', 'Content-Length': payload.length, 'User-Agent': userAgent },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              req.destroy(new SampHttpError(`response exceeds ${maxBytes} bytes`, url, res.statusCode));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) reject(new SampHttpError('XML-RPC request refused', url, res.statusCode, text));
            else resolve(text);
          });
          res.on('error', (cause) => reject(new SampHttpError(`response failed: ${cause.message}`, url, res.statusCode, undefined, { cause })));
        },
      );
      let timer: NodeJS.Timeout | undefined;
      if (requestOptions.timeoutMs !== undefined) {
        timer = setTimeout(() => req.destroy(new SampTimeoutError(`no answer from ${url}`, requestOptions.timeoutMs!)), requestOptions.timeoutMs);
      }
      req.on('error', (cause) => {
        if (cause instanceof SampHttpError || cause instanceof SampTimeoutError) reject(cause);
        else reject(new SampHttpError(`request failed: ${cause.message}`, url, undefined, undefined, { cause }));
      });
      req.on('close', () => clearTimeout(timer));
      req.end(payload);
    });
  return { transport, close: () => agent.destroy() };
}
