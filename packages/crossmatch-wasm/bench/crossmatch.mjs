#!/usr/bin/env node
// Crossmatch benchmark: @vokit/crossmatch-wasm against astropy match_to_catalog_sky and STILTS
// tskymatch2 on the shared generator's A_1e6 × B_1e6 at 1″, in one run (STYLE.md §22).
//
//   node packages/crossmatch-wasm/bench/crossmatch.mjs [--data /tmp/bench-data] [--runs 3]
//        [--radius 1] [--no-astropy] [--no-stilts]
//
// Needs the built packages (`pnpm build`), the catalogues A_1e6.binary2.vot and B_1e6.binary2.vot
// made by ../shared/bench/gen.py (`/usr/bin/python3 gen.py --out /tmp/bench-data --sizes 1e6
// --formats binary2`), /usr/bin/python3 with astropy and scipy, and `stilts` on PATH.
//
// Measured, all in-process and match only (catalogues already in memory):
// - vokit: SkyIndex.build of B alone; crossmatch() per mode, index build included; wall and CPU
//   time (this process's, so that other jobs on a shared machine count less), min and median;
//   crossmatchParallel() on one worker thread per CPU;
// - astropy: match_coordinates_sky (= SkyCoord.match_to_catalog_sky, its kd-tree build
//   included) timed in Python, median of the runs; SkyCoord construction reported apart;
// - STILTS: tmatch2 matcher=sky find=best progress=time, the sum of the stage times it logs
//   (range, count, bin, scan, eliminate: its match only; reading the files excluded), plus the
//   whole tskymatch2 process for reference.
// Memory, against the coordinate bytes (ra and dec of both catalogues as float64): what the
// match holds afterwards (WebAssembly memory, result arrays), and the peak RSS a match adds to a
// process (transient arrays and garbage-collector slack included).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { crossmatch, crossmatchParallel, getSkyMatchKernel, initSync, SkyIndex } from '@vokit/crossmatch-wasm';
import { getColumn, getFirstTable, parseVOTable } from '@vokit/votable';

const here = dirname(fileURLToPath(import.meta.url));

const { values: opts } = parseArgs({
  options: {
    data: { type: 'string', default: '/tmp/bench-data' },
    runs: { type: 'string', default: '3' },
    radius: { type: 'string', default: '1' },
    'no-astropy': { type: 'boolean', default: false },
    'no-stilts': { type: 'boolean', default: false },
  },
});
const RUNS = Number(opts.runs);
const RADIUS = Number(opts.radius);
const EXPECTED = { all: 669102, nearest: 669100, best: 669099 };

const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
const fmt = (s) => `${s.toFixed(3)} s`;

async function load(name) {
  const path = join(opts.data, name);
  const doc = await parseVOTable(readFileSync(path));
  const table = getFirstTable(doc);
  return { path, ra: getColumn(table, 'ra').values, dec: getColumn(table, 'dec').values };
}

console.log(`crossmatch bench: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, radius ${RADIUS}″, ${RUNS} runs`);
const a = await load('A_1e6.binary2.vot');
const b = await load('B_1e6.binary2.vot');
console.log(`A ${a.ra.length} rows, B ${b.ra.length} rows`);

const core = initSync();
const kernel = getSkyMatchKernel(core);
const results = {};
{
  const wall = [];
  const cpu = [];
  let size = 0;
  for (let run = 0; run < RUNS; run++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    size = SkyIndex.build(b.ra, b.dec, { kernel }).size;
    wall.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  console.log(`vokit ${core.variant} SkyIndex.build(B)    ${String(size).padStart(8)} rows   wall min ${fmt(Math.min(...wall))} median ${fmt(median(wall))}  cpu min ${fmt(Math.min(...cpu))} median ${fmt(median(cpu))}`);
}
for (const find of ['nearest', 'all', 'best', 'best1', 'best2']) {
  const wall = [];
  const cpu = [];
  let count = 0;
  for (let run = 0; run < RUNS; run++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = crossmatch(a, b, { radius: RADIUS, find, kernel });
    wall.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
    count = r.aIndex.length;
    results[find] = r;
  }
  const expected = RADIUS === 1 ? EXPECTED[find] : undefined;
  if (expected !== undefined && count !== expected) throw new Error(`find=${find}: ${count} pairs, expected ${expected}`);
  console.log(`vokit ${core.variant} find=${find.padEnd(7)} ${String(count).padStart(8)} pairs  wall min ${fmt(Math.min(...wall))} median ${fmt(median(wall))}  cpu min ${fmt(Math.min(...cpu))} median ${fmt(median(cpu))}`);
  results[`${find}:wall`] = median(wall);
  results[`${find}:cpu`] = median(cpu);
}
for (const find of ['nearest', 'best']) {
  const wall = [];
  let count = 0;
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    const r = await crossmatchParallel(a, b, { radius: RADIUS, find, workers: cpus().length });
    wall.push((performance.now() - t0) / 1000);
    count = r.aIndex.length;
  }
  if (count !== results[find].aIndex.length) throw new Error(`crossmatchParallel find=${find}: ${count} pairs`);
  console.log(`vokit ${cpus().length} worker threads find=${find.padEnd(7)} ${String(count).padStart(8)} pairs  wall min ${fmt(Math.min(...wall))} median ${fmt(median(wall))}`);
}
const coordinateBytes = 16 * (a.ra.length + b.ra.length);
const wasmBytes = core.exports.memory.buffer.byteLength;
const resultBytes = 16 * results.all.aIndex.length;
console.log(
  `memory held after the match: WebAssembly ${(wasmBytes / 1e6).toFixed(1)} MB + results (all) ${(resultBytes / 1e6).toFixed(1)} MB = ${((wasmBytes + resultBytes) / coordinateBytes).toFixed(2)} × the ${(coordinateBytes / 1e6).toFixed(0)} MB of coordinates`,
);

const work = mkdtempSync(join(tmpdir(), 'vokit-xmatch-bench-'));
try {
  const f64 = (c, name) => {
    const all = new Float64Array(2 * c.ra.length);
    all.set(c.ra);
    all.set(c.dec, c.ra.length);
    writeFileSync(join(work, name), new Uint8Array(all.buffer));
    return join(work, name);
  };
  // Peak memory of a whole match, measured from outside: peak RSS of a process that loads the
  // coordinates and runs one crossmatch, minus that of the same process without the match.
  {
    const [fa, fb] = [f64(a, 'a.f64'), f64(b, 'b.f64')];
    const child = `
      import { readFileSync } from 'node:fs';
      import { crossmatch, initSync } from '@vokit/crossmatch-wasm';
      const load = (f) => { const x = new Float64Array(new Uint8Array(readFileSync(f)).buffer); const n = x.length / 2; return { ra: x.subarray(0, n), dec: x.subarray(n) }; };
      const a = load(${JSON.stringify(fa)}), b = load(${JSON.stringify(fb)});
      initSync();
      if (process.argv[1]) crossmatch(a, b, { radius: ${RADIUS}, find: process.argv[1] });`;
    const peak = (find) => {
      const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, '--input-type=module', '-e', child, find], { cwd: here });
      if (r.status !== 0) throw new Error(`memory probe failed: ${r.stderr}`);
      return Number(r.stderr.toString().trim().split('\n').pop()) * 1024;
    };
    const base = peak('');
    const line = ['nearest', 'all', 'best'].map((find) => {
      const extra = peak(find) - base;
      return `${find} +${(extra / 1e6).toFixed(0)} MB = ${(extra / coordinateBytes).toFixed(2)}×`;
    });
    console.log(`memory, peak RSS of a match process over the same process without the match: ${line.join(', ')} the coordinate bytes`);
  }
  if (!opts['no-astropy']) {
    const script = join(here, '../scripts/oracle-astropy.py');
    const run = spawnSync('/usr/bin/python3', [script, f64(a, 'a.f64'), f64(b, 'b.f64'), String(RADIUS), '--runs', String(RUNS), '--no-pairs'], {
      maxBuffer: 1 << 26,
    });
    if (run.status !== 0) throw new Error(`astropy failed: ${run.stderr}`);
    const out = JSON.parse(run.stdout.toString());
    console.log(
      `astropy ${out.astropy} match_to_catalog_sky median ${fmt(out.seconds.match)} (runs ${out.seconds.match_runs.map((s) => s.toFixed(2)).join(', ')}; SkyCoord ${fmt(out.seconds.coords)}) within ${RADIUS}″: ${out.within}; search_around_sky ${fmt(out.seconds.around)}: ${out.pairs}`,
    );
    console.log(`  ratio astropy match_to_catalog_sky / vokit nearest: ${(out.seconds.match / results['nearest:wall']).toFixed(1)}× (wall), ${(out.seconds.match / results['nearest:cpu']).toFixed(1)}× (vokit CPU time)`);
    if (RADIUS === 1 && (out.within !== EXPECTED.nearest || out.pairs !== EXPECTED.all)) throw new Error('astropy counts differ from the reference counts');
  }
  if (!opts['no-stilts']) {
    const t0 = performance.now();
    const run = spawnSync('stilts', [
      'tmatch2', `in1=${a.path}`, `in2=${b.path}`, 'matcher=sky', 'values1=ra dec', 'values2=ra dec', `params=${RADIUS}`,
      'find=best', 'join=1and2', 'omode=count', 'progress=time',
    ], { maxBuffer: 1 << 26 });
    const whole = (performance.now() - t0) / 1000;
    const log = run.stderr.toString();
    const stages = [...log.matchAll(/^Time: ([\d.]+)s$/gm)].map((m) => Number(m[1]));
    const populate = stages.pop(); // "Populate index maps" comes after the match
    const match = stages.reduce((s, x) => s + x, 0);
    const rows = /rows: (\d+)/.exec(run.stdout.toString())?.[1];
    console.log(
      `STILTS tmatch2 find=best: match stages ${fmt(match)} (${stages.join(' + ')} s; then ${populate} s), "Elapsed time for match: ${/Elapsed time for match: (\d+)/.exec(log)?.[1]} s", whole process ${fmt(whole)}, rows ${rows}`,
    );
    console.log(`  ratio STILTS match / vokit best: ${(match / results['best:wall']).toFixed(1)}× (wall), ${(match / results['best:cpu']).toFixed(1)}× (vokit CPU time)`);
    if (RADIUS === 1 && Number(rows) !== EXPECTED.best) throw new Error(`STILTS best gave ${rows} rows`);
    results['stilts:whole'] = whole;
  }
  // Whole processes: `vokit xmatch --count` (read both files, match, print) against STILTS above.
  const cli = join(here, '../../../apps/cli/bin/vokit.js');
  const wholes = [];
  let rss = 0;
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    const child = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'xmatch', a.path, b.path, '--radius', `${RADIUS}arcsec`, '--find', 'best', '--count']);
    wholes.push((performance.now() - t0) / 1000);
    if (child.status !== 0) throw new Error(`vokit xmatch failed: ${child.stderr}`);
    if (RADIUS === 1 && Number(child.stdout.toString()) !== EXPECTED.best) throw new Error(`vokit xmatch printed ${child.stdout}`);
    rss = Math.max(rss, Number(child.stderr.toString().trim().split('\n').pop()) * 1024);
  }
  console.log(
    `whole process: vokit xmatch --find best --count median ${fmt(median(wholes))} (peak RSS ${(rss / 1e6).toFixed(0)} MB)` +
      (results['stilts:whole'] ? `; STILTS ${fmt(results['stilts:whole'])} = ${(results['stilts:whole'] / median(wholes)).toFixed(1)}× slower` : ''),
  );
  // astropy as a whole process too (read both VOTables, SkyCoord, match_to_catalog_sky, count):
  // one run, it takes about a minute; against `vokit xmatch --find nearest --count`.
  if (!opts['no-astropy']) {
    const script = join(here, '../scripts/astropy-xmatch-process.py');
    const t0 = performance.now();
    const py = spawnSync('/usr/bin/python3', [script, a.path, b.path, String(RADIUS)], { maxBuffer: 1 << 20 });
    const astropyWhole = (performance.now() - t0) / 1000;
    if (py.status !== 0) throw new Error(`astropy process failed: ${py.stderr}`);
    if (RADIUS === 1 && Number(py.stdout.toString()) !== EXPECTED.nearest) throw new Error(`astropy process printed ${py.stdout}`);
    const nearestWholes = [];
    for (let run = 0; run < RUNS; run++) {
      const t1 = performance.now();
      const child = spawnSync(process.execPath, [cli, 'xmatch', a.path, b.path, '--radius', `${RADIUS}arcsec`, '--find', 'nearest', '--count']);
      nearestWholes.push((performance.now() - t1) / 1000);
      if (child.status !== 0) throw new Error(`vokit xmatch failed: ${child.stderr}`);
      if (RADIUS === 1 && Number(child.stdout.toString()) !== EXPECTED.nearest) throw new Error(`vokit xmatch printed ${child.stdout}`);
    }
    console.log(
      `whole process: vokit xmatch --find nearest --count median ${fmt(median(nearestWholes))}; astropy (read, SkyCoord, match_to_catalog_sky) ${fmt(astropyWhole)} = ${(astropyWhole / median(nearestWholes)).toFixed(1)}× slower`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
