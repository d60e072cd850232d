#!/usr/bin/env node
// BINARY2 decoding bench: the WebAssembly decoder against votable's TypeScript decoder, Node's
// native base64 decode and a plain memcpy of the same bytes, in one process and interleaved
// round by round (so the ratios hold on a busy machine); then whole-process `vokit count` with
// each decoder (count-only mode: rows walked and checked, no columns built) against
// `stilts tpipe omode=count`.
//
//   node bench/binary2.mjs [file] [rounds] [processRounds]
//
// file: a BINARY2 VOTable (default /tmp/bench-data/A_1e6.binary2.vot, made by
//   /usr/bin/python3 /work/shared/bench/gen.py --out /tmp/bench-data --sizes 1e6 --formats binary2 --no-b).
// Needs `pnpm build` first (imports the built packages). Wall and CPU times are both printed:
// on a shared machine wall time mostly measures the neighbours.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BINARY_DECODER_HOST, createBinaryDecoder } from '@vokit/votable';
import { createWasmBinaryDecoder } from '@vokit/crossmatch-wasm/binary-decoder';

const file = process.argv[2] ?? '/tmp/bench-data/A_1e6.binary2.vot';
const rounds = Number(process.argv[3] ?? 7);
const processRounds = Number(process.argv[4] ?? 3);
if (!existsSync(file)) {
  console.error(`${file} is missing; make it with:\n  /usr/bin/python3 /work/shared/bench/gen.py --out /tmp/bench-data --sizes 1e6 --formats binary2 --no-b`);
  process.exit(2);
}

const bytes = readFileSync(file);
const text = bytes.toString('latin1');
const open = /<STREAM[^>]*>/.exec(text.slice(0, 1 << 20));
const start = open.index + open[0].length;
const end = text.indexOf('</STREAM>', start);
const base64Bytes = end - start;
const base64String = text.slice(start, end);
const fields = [...text.slice(0, start).matchAll(/<FIELD\b([^>]*)>/g)].map((m) => {
  const attr = (name) => new RegExp(`\\b${name}="([^"]*)"`).exec(m[1])?.[1];
  return { name: attr('name'), datatype: attr('datatype'), arraysize: attr('arraysize'), attributes: {}, links: [] };
});
const serialization = /<BINARY2>/.test(text.slice(0, start)) ? 'BINARY2' : 'BINARY';

function decodeWith(make) {
  const d = make();
  d.pushBase64(bytes, start, end, start);
  d.end();
  const rows = d.pendingRows;
  const columns = d.takeColumns();
  // Every column whole (none in count-only mode).
  if (columns.reduce((n, c) => n + c.length, 0) !== rows * columns.length) throw new Error('short columns');
  return rows;
}

const memcpyTarget = new Uint8Array(base64Bytes);
const tasks = [
  { name: 'memcpy (Uint8Array.prototype.set) of the base64 text', run: () => (memcpyTarget.set(bytes.subarray(start, end)), 0) },
  { name: "Node native base64 decode (Buffer.from(s, 'base64'))", run: () => (Buffer.from(base64String, 'base64'), 0) },
  { name: 'vokit TypeScript decoder (votable)', run: () => decodeWith(() => createBinaryDecoder({ fields, serialization })) },
  ...['release', 'release-simd'].map((variant) => ({
    name: `vokit WebAssembly decoder, ${variant}`,
    run: () => decodeWith(() => createWasmBinaryDecoder({ fields, serialization, variant }, BINARY_DECODER_HOST)),
  })),
  {
    name: 'vokit WebAssembly decoder, release-simd, count-only (no columns)',
    run: () => decodeWith(() => createWasmBinaryDecoder({ fields, serialization, variant: 'release-simd', countOnly: true }, BINARY_DECODER_HOST)),
  },
];

const results = tasks.map(() => ({ wall: [], cpu: [], rows: 0 }));
for (let round = 0; round < rounds; round++) {
  tasks.forEach((task, k) => {
    globalThis.gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const rows = task.run();
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    results[k].wall.push(t1 - t0);
    results[k].cpu.push((c1.user + c1.system) / 1000);
    results[k].rows = rows;
  });
}

const min = (a) => Math.min(...a);
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const rowsInFile = Math.max(...results.map((r) => r.rows));
console.log(`file: ${file} (${(bytes.length / 1e6).toFixed(1)} MB, ${rowsInFile} rows, base64 ${(base64Bytes / 1e6).toFixed(1)} MB)`);
console.log(`node ${process.version}, ${rounds} rounds, load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
console.log('\n| in-process task | min wall ms | median wall ms | min CPU ms | GB/s base64 in (min CPU) | vs Node base64 (CPU) | M rows/s (min CPU) | M rows/s (min wall) |');
console.log('|---|---|---|---|---|---|---|---|');
const nodeBase64Cpu = min(results[1].cpu);
results.forEach((r, k) => {
  const cpu = min(r.cpu);
  const wall = min(r.wall);
  const rowsPerS = (t) => (r.rows ? ((rowsInFile / t) * 1e3) / 1e6 : NaN);
  console.log(
    `| ${tasks[k].name} | ${wall.toFixed(1)} | ${median(r.wall).toFixed(1)} | ${cpu.toFixed(1)} | ${(base64Bytes / cpu / 1e6).toFixed(2)} | ${(nodeBase64Cpu / cpu).toFixed(2)}× | ${r.rows ? rowsPerS(cpu).toFixed(1) : '—'} | ${r.rows ? rowsPerS(wall).toFixed(1) : '—'} |`,
  );
});

// ---- whole process ----
const here = dirname(fileURLToPath(import.meta.url));
const vokit = join(here, '..', '..', '..', 'apps', 'cli', 'bin', 'vokit.js');
const commands = [
  { name: 'vokit count (WebAssembly decoder, count-only)', argv: [process.execPath, vokit, 'count', file], env: { VOKIT_BINARY_DECODER: 'wasm' } },
  { name: 'vokit count (TypeScript decoder, count-only)', argv: [process.execPath, vokit, 'count', file], env: { VOKIT_BINARY_DECODER: 'typescript' } },
  { name: 'stilts tpipe omode=count', argv: ['stilts', 'tpipe', `in=${file}`, 'ifmt=votable', 'omode=count'], env: {} },
];
let stiltsAvailable = true;
try {
  execFileSync('which', ['stilts']);
} catch {
  stiltsAvailable = false;
}
const processResults = commands.map(() => ({ wall: [], cpu: [], out: '' }));
for (let round = 0; round < processRounds; round++) {
  commands.forEach((command, k) => {
    if (command.argv[0] === 'stilts' && !stiltsAvailable) return;
    const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S', ...command.argv], { env: { ...process.env, ...command.env }, encoding: 'utf8' });
    const timing = run.stderr.trim().split('\n').pop().split(' ').map(Number);
    processResults[k].wall.push(timing[0] * 1000);
    processResults[k].cpu.push((timing[1] + timing[2]) * 1000);
    processResults[k].out = run.stdout.trim().split('\n').pop();
  });
}
console.log(`\n| whole process (${processRounds} runs) | output | min wall s | min CPU s | vs stilts (wall) | vs stilts (CPU) |`);
console.log('|---|---|---|---|---|---|');
const stilts = processResults[2];
processResults.forEach((r, k) => {
  if (r.wall.length === 0) return;
  const wall = min(r.wall);
  const cpu = min(r.cpu);
  const ratio = (a, b) => (b.length ? `${(min(b) / a).toFixed(1)}×` : '—');
  console.log(`| ${commands[k].name} | ${r.out} | ${(wall / 1000).toFixed(2)} | ${(cpu / 1000).toFixed(2)} | ${ratio(wall, stilts.wall)} | ${ratio(cpu, stilts.cpu)} |`);
});
