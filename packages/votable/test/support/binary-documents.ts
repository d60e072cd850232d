// Every fixture that parses, rewritten as BINARY and as BINARY2 by the writer: the common corpus
// of the binary decoders' oracle tests (count-only mode here, the WebAssembly decoder in
// @vokit/crossmatch-wasm, which imports this file).
import { readFileSync } from 'node:fs';
import { parseVOTableSync, writeVOTableBytes, type VOTableDocument } from '@vokit/votable';
import { FIXTURES, listVOTableFixtures } from './fixtures.js';

/** [name, document bytes] of each fixture that parses, as BINARY and as BINARY2 where the writer can. */
export function binaryDocuments(): Array<[name: string, bytes: Uint8Array]> {
  const out: Array<[string, Uint8Array]> = [];
  for (const file of listVOTableFixtures()) {
    let doc: VOTableDocument;
    try {
      doc = parseVOTableSync(readFileSync(file));
    } catch {
      continue; // fixtures of broken documents
    }
    for (const serialization of ['BINARY', 'BINARY2'] as const) {
      try {
        out.push([`${file.slice(FIXTURES.length)} as ${serialization}`, writeVOTableBytes(doc, { serialization })]);
      } catch {
        // not expressible in this serialization
      }
    }
  }
  return out;
}
