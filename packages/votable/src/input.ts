/**
 * Every input the parser accepts, turned into one shape: an async sequence of byte chunks.
 * Also the whole-document gzip sniff (RFC 1952 magic bytes `1f 8b`), decompressed as a stream
 * with the web-standard DecompressionStream (Node ≥ 18, browsers, Deno), so memory stays bounded.
 */

import { OptionsError, StreamReferenceError, TruncatedError, VOTableError } from './errors.js';

/** What `parseVOTable` and `streamVOTable` read. Strings are the document text. */
export type VOTableInput =
  | Uint8Array
  | ArrayBuffer
  | string
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array>
  | NodeJS.ReadableStream;

/** Largest piece a single in-memory input is fed to the parser in while streaming (bytes). */
export const STREAM_SLICE_BYTES = 1 << 20;

const encoder = new TextEncoder();

/** True when `bytes` starts with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return encoder.encode(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new OptionsError(`input chunk of type ${typeof chunk} is not bytes or a string (pass Uint8Array or string chunks)`);
}

/**
 * The input as one Uint8Array when it is already in memory (bytes, ArrayBuffer, string), else
 * null.
 */
export function inMemoryBytes(input: unknown): Uint8Array | null {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (typeof input === 'string') return encoder.encode(input);
  if (ArrayBuffer.isView(input)) return toBytes(input);
  return null;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');
}

/** The raw chunks of any VOTableInput, in order (no decompression). */
export async function* rawChunks(input: VOTableInput, signal?: AbortSignal, sliceBytes = STREAM_SLICE_BYTES): AsyncGenerator<Uint8Array> {
  const bytes = inMemoryBytes(input);
  if (bytes) {
    for (let at = 0; at < bytes.length; at += sliceBytes) {
      throwIfAborted(signal);
      yield bytes.subarray(at, Math.min(bytes.length, at + sliceBytes));
    }
    return;
  }
  const source = input as unknown as Record<string | symbol, unknown>;
  if (source && typeof source.getReader === 'function') {
    const reader = (input as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        throwIfAborted(signal);
        const { done, value } = await reader.read();
        if (done) return;
        yield toBytes(value);
      }
    } finally {
      reader.releaseLock();
    }
  }
  if (source && typeof source[Symbol.asyncIterator] === 'function') {
    for await (const chunk of input as AsyncIterable<unknown>) {
      throwIfAborted(signal);
      yield toBytes(chunk);
    }
    return;
  }
  if (source && typeof source[Symbol.iterator] === 'function') {
    for (const chunk of input as Iterable<unknown>) {
      throwIfAborted(signal);
      yield toBytes(chunk);
    }
    return;
  }
  throw new OptionsError(
    'input is not a VOTable source: pass a Uint8Array, ArrayBuffer, string, ReadableStream, async iterable or Node stream',
  );
}

/**
 * The typed error for a gzip stream that does not decompress: TruncatedError when it simply
 * ends early, StreamReferenceError (the class for compression failures) otherwise.
 */
export function gzipError(cause: unknown): VOTableError {
  if (cause instanceof VOTableError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (/unexpected end|premature|truncated/i.test(message)) {
    return new TruncatedError(`the gzip-compressed input ends early (${message})`, {}, { cause });
  }
  return new StreamReferenceError(`the gzip-compressed input does not decompress: ${message}`, {}, { cause });
}

/** Gunzips a chunk sequence with DecompressionStream. */
async function* gunzipChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let failure: unknown = null;
  const pump = (async () => {
    try {
      for await (const chunk of chunks) await writer.write(chunk as Uint8Array<ArrayBuffer>);
      await writer.close();
    } catch (e) {
      failure = e;
      await writer.abort(e).catch(() => undefined);
    }
  })();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
  } catch (e) {
    throw gzipError(failure ?? e);
  } finally {
    reader.releaseLock();
  }
  await pump;
  if (failure) throw gzipError(failure);
}

/**
 * The document bytes of any input, gunzipped when the first bytes are the gzip magic number.
 */
export async function* documentChunks(input: VOTableInput, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const raw = rawChunks(input, signal);
  let first = await raw.next();
  while (!first.done && first.value.length < 2) {
    // Sniffing needs two bytes; merge tiny leading chunks.
    const next = await raw.next();
    if (next.done) break;
    const merged = new Uint8Array(first.value.length + next.value.length);
    merged.set(first.value);
    merged.set(next.value, first.value.length);
    first = { done: false, value: merged };
  }
  if (first.done) return;
  const head = first.value;
  async function* all(): AsyncGenerator<Uint8Array> {
    yield head;
    yield* raw;
  }
  if (!isGzip(head)) {
    yield* all();
    return;
  }
  for await (const chunk of gunzipChunks(all())) {
    throwIfAborted(signal);
    yield chunk;
  }
}
