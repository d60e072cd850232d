import { readFileSync } from 'node:fs';
import { BINARY_DECODER_HOST } from '@vokit/votable';
import { createWasmBinaryDecoder } from '@vokit/crossmatch-wasm';
const bytes = readFileSync('/tmp/bench-data/A_1e6.binary2.vot');
const head = bytes.subarray(0, 1<<16).toString('latin1');
const open = /<STREAM[^>]*>/.exec(head);
const start = open.index + open[0].length;
const end = bytes.lastIndexOf('</STREAM>');
const fields = [...head.slice(0, start).matchAll(/<FIELD\b([^>]*)>/g)].map((m) => {
  const attr = (name) => new RegExp(`\\b${name}="([^"]*)"`).exec(m[1])?.[1];
  return { name: attr('name'), datatype: attr('datatype'), arraysize: attr('arraysize'), attributes: {}, links: [] };
});
const cpus=[];
for (let round=0; round<12; round++) {
  const c0=process.cpuUsage();
  const d = createWasmBinaryDecoder({ fields, serialization:'BINARY2', variant: 'release-simd' }, BINARY_DECODER_HOST);
  d.pushBase64(bytes, start, end, start); d.end(); d.takeColumns();
  const c=process.cpuUsage(c0); cpus.push((c.user+c.system)/1000);
}
cpus.sort((a,b)=>a-b); console.log(process.argv[2]??'', 'min', cpus[0].toFixed(0), 'q1', cpus[3].toFixed(0), 'med', cpus[6].toFixed(0));
