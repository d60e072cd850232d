#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self samples per function, the top N,
// so a slow phase can be named precisely ("xml-scanner.ts:120 scanText 41%"). Samples are
// counted rather than their time deltas summed: on a loaded machine a descheduled process
// charges the wait to whatever ran last, while the sample count follows CPU use.
//
//   node packages/votable/bench/profile-summary.mjs FILE.cpuprofile [--top 25]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' } }, allowPositionals: true });
if (positionals.length !== 1) {
  console.error('usage: profile-summary.mjs FILE.cpuprofile [--top N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]);
  const cf = node.callFrame;
  const file = cf.url ? cf.url.replace(/^.*\/(packages|apps)\//, '$1/') : '';
  const key = `${cf.functionName || '(anonymous)'}  ${file}${file ? `:${cf.lineNumber + 1}` : ''}`;
  self.set(key, (self.get(key) ?? 0) + 1);
}
const total = profile.samples.length;
const wall = (profile.endTime - profile.startTime) / 1000;
console.log(`${total} samples over ${wall.toFixed(0)} ms of wall time`);
for (const [key, n] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${String(n).padStart(6)}  ${key}`);
}
