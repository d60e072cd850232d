/**
 * The parse options every reading command passes: BINARY and BINARY2 streams go through the
 * WebAssembly decoder of @vokit/crossmatch-wasm (about 3× less CPU than the TypeScript one on
 * a 1e6-row catalogue; see that package's README), which falls back to votable's TypeScript
 * decoder by itself where WebAssembly cannot be loaded. `VOKIT_BINARY_DECODER=typescript`
 * forces the TypeScript decoder (for comparisons, or to rule the WebAssembly one out).
 */

// The decoder's own entry point: the package's index would also load HEALPix and the
// crossmatch (about 25 ms of module loading that `vokit count` does not need).
import { wasmBinaryDecoderFactory } from '@vokit/crossmatch-wasm/binary-decoder';
import type { BinaryDecoderFactory, ParseOptions } from '@vokit/votable';

/** Environment variable choosing the BINARY decoder: `wasm` (default) or `typescript`. */
export const BINARY_DECODER_ENV = 'VOKIT_BINARY_DECODER';

/** What a command asks of the decoder besides the environment's choice. */
export interface DecoderRequest {
  /**
   * Count the rows of BINARY/BINARY2 tables without building columns (`vokit count`): every row
   * is still walked and checked, with the same errors (votable's `countOnly` decoder option).
   * Default false.
   */
  countOnly?: boolean;
}

/** ParseOptions selecting the BINARY/BINARY2 decoder (see the file comment). */
export function decoderOptions(env: Record<string, string | undefined> = process.env, request: DecoderRequest = {}): ParseOptions {
  const choice = env[BINARY_DECODER_ENV];
  const typescript = choice === 'typescript' || choice === 'ts';
  if (!request.countOnly) return typescript ? {} : { binaryDecoderFactory: wasmBinaryDecoderFactory };
  const countOnly: BinaryDecoderFactory = typescript
    ? (options, host) => host.createBinaryDecoder({ ...options, countOnly: true })
    : (options, host) => wasmBinaryDecoderFactory({ ...options, countOnly: true }, host);
  return { binaryDecoderFactory: countOnly };
}
