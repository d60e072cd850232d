/**
 * XML-RPC over HTTP, server side, for Node: reads a bounded POST body, decodes the
 * `<methodCall>`, runs the dispatcher and answers with a `<methodResponse>` or `<fault>`.
 * Used by the hub (both profiles) and by the callable client's callback server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SampError } from './errors.js';
import { decodeMethodCall, encodeFault, encodeMethodResponse, XMLRPC_MAX_LENGTH, type XmlRpcValue } from './xmlrpc.js';

/** Runs one XML-RPC method. Return `undefined` for "void": it is sent as an empty string. */
export type XmlRpcDispatcher = (method: string, params: XmlRpcValue[], request: IncomingMessage) => unknown | Promise<unknown>;

/** Fault code used for every error the dispatcher throws (SAMP gives fault codes no meaning). */
export const SAMP_FAULT_CODE = 1;

/** Reads a request body up to `maxBytes`; resolves `undefined` when it is larger (the socket is then drained). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      req.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function faultText(error: unknown): string {
  if (error instanceof SampError) return error.message.replace(/^samp: /, '');
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Sends an XML body with status 200, keeping any headers already set (CORS). */
function sendXml(res: ServerResponse, xml: string): void {
  const body = Buffer.from(xml, 'utf8');
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/xml; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/**
 * Answers one XML-RPC POST: decodes it, dispatches it, and writes the response or fault.
 * `maxBodyBytes` defaults to 64 MiB; a larger request gets HTTP 413.
 */
export async function serveXmlRpc(
  req: IncomingMessage,
  res: ServerResponse,
  dispatch: XmlRpcDispatcher,
  options: { maxBodyBytes?: number } = {},
): Promise<void> {
  const maxBytes = options.maxBodyBytes ?? XMLRPC_MAX_LENGTH;
  let body: Buffer | undefined;
  try {
    body = await readBody(req, maxBytes);
  } catch {
    res.destroy();
    return;
  }
  if (body === undefined) {
    res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' }).end(`XML-RPC request exceeds ${maxBytes} bytes\n`);
    return;
  }
  let xml: string;
  try {
    const call = decodeMethodCall(body.toString('utf8'), { maxLength: maxBytes });
    const result = await dispatch(call.methodName, call.params, req);
    xml = encodeMethodResponse(result === undefined ? '' : result);
  } catch (error) {
    xml = encodeFault(SAMP_FAULT_CODE, faultText(error));
  }
  if (!res.destroyed) sendXml(res, xml);
}
