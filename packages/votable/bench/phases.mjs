#!/usr/bin/env node
// Where the time of a VOTable parse goes, phase by phase, in CPU time of this process
// (process.cpuUsage), which stays meaningful on a shared, loaded machine where wall clocks and
// sampling profilers do not:
//   read      the file in 1 MiB chunks (readSync, what `vokit count` does)
//   scan      XmlScanner over every chunk, tokens only (finds the STREAM text)
//   base64    the STREAM text decoded by the package's Base64Decoder, and by Node's native
//             Buffer.from(…, 'base64') for comparison
//   rows      createBinaryDecoder().pushBytes(raw) + takeColumns every 65536 rows
//   (scan, base64 and rows only for BINARY/BINARY2)
//   parse     the whole streamVOTable, as `vokit count` runs it
//
//   node packages/votable/bench/phases.mjs FILE.vot [--runs 3]

import { closeSync, openSync, readSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Base64Decoder, createBinaryDecoder, maxDecodedLength, streamVOTable, XmlScanner } from '@vokit/votable';

const { values, positionals } = parseArgs({ options: { runs: { type: 'string', default: '3' } }, allowPositionals: true });
if (positionals.length !== 1) {
  console.error('usage: phases.mjs FILE.vot [--runs N]');
  process.exit(2);
}
const file = positionals[0];
const runs = Number(values.runs);
const CHUNK = 1 << 20;

function* chunks() {
  const fd = openSync(file, 'r');
  try {
    for (;;) {
      const chunk = new Uint8Array(CHUNK);
      const n = readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) return;
      yield n === CHUNK ? chunk : chunk.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

function cpu(fn) {
  const before = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(before);
  return { seconds: (used.user + used.system) / 1e6, result };
}

async function cpuAsync(fn) {
  const before = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(before);
  return { seconds: (used.user + used.system) / 1e6, result };
}

// Setup, untimed: the base64 text of the (single) STREAM, the decoded bytes, and the FIELDs.
let base64Parts = [];
let fields;
let serialization;
for await (const event of streamVOTable((function* () { yield* chunks(); })())) {
  if (event.type === 'table') {
    fields = event.table.fields;
    serialization = event.table.data?.serialization;
    break;
  }
}
{
  const scanner = new XmlScanner();
  let inStream = false;
  for (const chunk of chunks()) {
    scanner.push(chunk);
    for (let token = scanner.next(); token; token = scanner.next()) {
      if (token.kind === 'start' && token.local === 'STREAM' && !token.selfClosing) inStream = true;
      else if (token.kind === 'end' && token.local === 'STREAM') inStream = false;
      else if (inStream && token.kind === 'text') base64Parts.push(token.bytes.slice(token.start, token.end));
    }
  }
  scanner.end();
}
const base64Bytes = Buffer.concat(base64Parts);
base64Parts = [];
const raw = Buffer.from(base64Bytes.toString('latin1'), 'base64');
console.log(`${file}: ${serialization}, ${fields.length} fields, base64 ${(base64Bytes.length / 1e6).toFixed(1)} MB, raw ${(raw.length / 1e6).toFixed(1)} MB`);

const phases = {
  read: () => cpu(() => {
    let n = 0;
    for (const c of chunks()) n += c.length;
    return n;
  }),
  scan: () => cpu(() => {
    const scanner = new XmlScanner();
    let tokens = 0;
    for (const chunk of chunks()) {
      scanner.push(chunk);
      while (scanner.next()) tokens++;
    }
    scanner.end();
    return tokens;
  }),
  'base64 (vokit)': () => cpu(() => {
    const decoder = new Base64Decoder();
    const out = new Uint8Array(maxDecodedLength(base64Bytes.length));
    return decoder.decode(base64Bytes, 0, base64Bytes.length, 0, out).length;
  }),
  'base64 (Node native)': () => cpu(() => Buffer.from(base64Bytes.toString('latin1'), 'base64').length),
  rows: () => cpu(() => {
    const decoder = createBinaryDecoder({ fields, serialization });
    let rows = 0;
    for (let at = 0; at < raw.length; at += CHUNK) {
      decoder.pushBytes(raw.subarray(at, Math.min(raw.length, at + CHUNK)));
      if (decoder.pendingRows >= 65536) rows += decoder.takeColumns()[0]?.length ?? 0;
    }
    decoder.end();
    rows += decoder.takeColumns()[0]?.length ?? 0;
    return rows;
  }),
  parse: () => cpuAsync(async () => {
    let rows = 0;
    for await (const event of streamVOTable((function* () { yield* chunks(); })())) if (event.type === 'rows') rows += event.rowCount;
    return rows;
  }),
};

if (serialization !== 'BINARY' && serialization !== 'BINARY2') {
  delete phases['base64 (vokit)'];
  delete phases['base64 (Node native)'];
  delete phases.rows;
  // The parser reads TABLEDATA rows with its own byte loop, not through generic tokens.
  delete phases.scan;
}
const times = Object.fromEntries(Object.keys(phases).map((k) => [k, []]));
for (let run = 0; run < runs; run++) {
  for (const [name, phase] of Object.entries(phases)) {
    const { seconds } = await phase();
    times[name].push(seconds);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [name, list] of Object.entries(times)) {
  console.log(`${name.padEnd(22)} ${(median(list) * 1000).toFixed(0).padStart(6)} ms CPU (median of ${runs}, min ${(Math.min(...list) * 1000).toFixed(0)})`);
}
