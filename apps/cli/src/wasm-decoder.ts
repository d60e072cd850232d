/**
 * The parse options every reading command passes: BINARY and BINARY2 streams go through the
 * WebAssembly decoder of @vokit/crossmatch-wasm (about 3× less CPU than the TypeScript one on
 * a 1e6-row catalogue; see that package's README), which falls back to votable's TypeScript
 * decoder by itself where WebAssembly cannot be loaded. `VOKIT_BINARY_DECODER=typescript`
 * forces the TypeScript decoder (for comparisons, or to rule the WebAssembly one out).
 */

import { wasmBinaryDecoderFactory } from '@vokit/crossmatch-wasm';
import type { ParseOptions } from '@vokit/votable';

/** Environment variable choosing the BINARY decoder: `wasm` (default) or `typescript`. */
export const BINARY_DECODER_ENV = 'VOKIT_BINARY_DECODER';

/** ParseOptions selecting the BINARY/BINARY2 decoder (see the file comment). */
export function decoderOptions(env: Record<string, string | undefined> = process.env): ParseOptions {
  const choice = env[BINARY_DECODER_ENV];
  if (choice === 'typescript' || choice === 'ts') return {};
  return { binaryDecoderFactory: wasmBinaryDecoderFactory };
}
