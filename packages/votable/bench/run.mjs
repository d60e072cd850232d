#!/usr/bin/env node
// VOTable read benchmark: @vokit/votable against astropy and STILTS on the same deterministic
// catalogues, in one run, competitors interleaved, medians of several runs (STYLE.md §22).
//
//   node packages/votable/bench/run.mjs [--sizes 1e6] [--formats binary2,binary,tabledata]
//        [--runs 3] [--astropy-runs N] [--quick] [--no-astropy] [--no-stilts] [--no-inprocess]
//        [--data DIR] [--profile]
//
// astropy takes ~30 s per 1e6-row parse: --astropy-runs 1 times it once per file, --quick
// times it once on the 1e5-row file and scales the parse to 1e6 rows.
//
// Needs the built packages (`pnpm build`), /usr/bin/python3 with astropy (Debian
// python3-astropy) and `stilts` on PATH. The catalogues come from the shared generator
// `../shared/bench/gen.py` next to this repository (A_<N>.<format>.vot, 9 columns, nulls),
// run once and cached in the git-ignored `bench/data/` at the repository root.
//
// Three measurements per file:
// - in-process: `parseVOTable` of the file's bytes, read included (every column decoded) vs astropy
//   `votable.parse(f).get_first_table()` timed inside Python (imports excluded);
// - whole process, wall clock: `vokit count F` vs `stilts tpipe in=F ifmt=votable omode=count`
//   vs a Python process running the astropy parse (imports included);
// - peak RSS of `vokit count`, from the kernel's rusage of the child (ru_maxrss), set against
//   the decoded column bytes and the input size;
// plus CPU seconds of both whole processes, steadier than wall time on a shared machine.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { getFirstTable, parseVOTable } from '@vokit/votable';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const PYTHON = '/usr/bin/python3';
const CLI = join(repo, 'apps/cli/bin/vokit.js');
const GENERATOR = process.env.VOKIT_BENCH_GEN ?? resolve(repo, '../shared/bench/gen.py');

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1e6' },
    formats: { type: 'string', default: 'binary2,binary,tabledata' },
    runs: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    'astropy-runs': { type: 'string' },
    'no-astropy': { type: 'boolean', default: false },
    'no-stilts': { type: 'boolean', default: false },
    'no-inprocess': { type: 'boolean', default: false },
    data: { type: 'string' },
    profile: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 24).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}

const sizes = opts.sizes.split(',').map((s) => Number(s));
const formats = opts.formats.split(',');
const runs = Math.max(1, Number(opts.runs));
const astropyRuns = opts['astropy-runs'] !== undefined ? Number(opts['astropy-runs']) : opts.quick ? 1 : runs;
const useAstropy = !opts['no-astropy'];
const useStilts = !opts['no-stilts'];

function label(n) {
  const e = Math.floor(Math.log10(n));
  return `${n / 10 ** e}e${e}`;
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------- data

function manifestHas(dir, names) {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return false;
  const files = JSON.parse(readFileSync(path, 'utf8')).files ?? {};
  return names.every((name) => files[name] && existsSync(join(dir, name)) && statSync(join(dir, name)).size === files[name].bytes);
}

function findData() {
  const neededSizes = new Set(sizes);
  if (useAstropy && opts.quick) neededSizes.add(1e5);
  const names = [...neededSizes].flatMap((n) => formats.map((f) => `A_${label(n)}.${f}.vot`));
  const candidates = opts.data ? [resolve(opts.data)] : [join(repo, 'bench/data'), '/tmp/bench-data'];
  for (const dir of candidates) if (manifestHas(dir, names)) return dir;
  const dir = candidates[0];
  if (!existsSync(GENERATOR)) {
    fail(
      `the catalogue generator ${GENERATOR} is missing. It lives in the vokit shared data next to this ` +
        `repository (../shared/bench/gen.py); set VOKIT_BENCH_GEN=/path/to/gen.py, or --data DIR with ` +
        `files ${names.join(', ')} and their manifest.json.`,
    );
  }
  mkdirSync(dir, { recursive: true });
  const args = [GENERATOR, '--out', dir, '--sizes', [...neededSizes].map(label).join(','), '--formats', formats.join(','), '--no-b'];
  console.error(`bench: generating catalogues (a few minutes): ${PYTHON} ${args.join(' ')}`);
  const result = spawnSync(PYTHON, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) fail(`the generator failed (status ${result.status})`);
  if (!manifestHas(dir, names)) fail(`the generator did not produce ${names.join(', ')} in ${dir}`);
  return dir;
}

// ---------------------------------------------------------------- measuring

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Runs a command in a child of a small Python wrapper that reports wall time and the child's
// peak RSS (getrusage(RUSAGE_CHILDREN) after the only child exits), without needing GNU time.
const RUNNER = `
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "maxrss_kb": ru.ru_maxrss, "status": p.returncode,
                  "stdout": p.stdout.decode(errors="replace")[-400:], "stderr": p.stderr.decode(errors="replace")[-400:]}))
`;

function runProcess(command) {
  const result = spawnSync(PYTHON, ['-c', RUNNER, ...command], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) fail(`runner failed: ${result.stderr}`);
  const report = JSON.parse(result.stdout);
  if (report.status !== 0) fail(`${command.join(' ')} exited ${report.status}: ${report.stderr.trim()}`);
  return report;
}

const ASTROPY_PARSE = `
import json, sys, time, warnings
warnings.simplefilter("ignore")
from astropy.io import votable
t0 = time.perf_counter()
table = votable.parse(sys.argv[1]).get_first_table()
rows = len(table.array)
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": rows}))
`;

function astropyInProcess(file) {
  const result = spawnSync(PYTHON, ['-c', ASTROPY_PARSE, file], { encoding: 'utf8' });
  if (result.status !== 0) fail(`astropy failed on ${file}: ${result.stderr.trim().split('\n').pop()}`);
  return JSON.parse(result.stdout);
}

function columnBytes(table) {
  let bytes = 0;
  for (const c of table.columns) {
    bytes += c.values.byteLength + (c.validity?.byteLength ?? 0) + (c.offsets?.byteLength ?? 0) + (c.stringOffsets?.byteLength ?? 0);
  }
  return bytes;
}

async function vokitInProcess(file) {
  const t0 = performance.now();
  // Reading the file is inside the timing, as it is for astropy.
  const document = await parseVOTable(readFileSync(file));
  const table = getFirstTable(document);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, rows: table.rowCount, columnBytes: columnBytes(table) };
}

function expectRows(what, got, want) {
  if (got !== want) fail(`${what} counted ${got} rows, expected ${want}`);
}

// ---------------------------------------------------------------- main

if (!existsSync(join(CLI, '../../dist/main.js'))) fail('apps/cli is not built: run `pnpm build` first');
const dataDir = findData();
const files = [];
for (const n of sizes) {
  for (const format of formats) {
    const file = join(dataDir, `A_${label(n)}.${format}.vot`);
    const astropyFile = opts.quick ? join(dataDir, `A_1e5.${format}.vot`) : file;
    files.push({ n, format, file, bytes: statSync(file).size, astropyFile, astropyRows: opts.quick ? 1e5 : n });
  }
}

const stiltsVersion = useStilts ? (spawnSync('stilts', ['-version'], { encoding: 'utf8' }).stdout.match(/STILTS version (\S+)/)?.[1] ?? '?') : '';
const astropyVersion = useAstropy ? spawnSync(PYTHON, ['-c', 'import astropy; print(astropy.__version__)'], { encoding: 'utf8' }).stdout.trim() : '';
console.log(
  `# machine: ${os.cpus()[0]?.model} x${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ` +
    `astropy ${astropyVersion || '-'}; STILTS ${stiltsVersion || '-'}; data ${dataDir}; runs ${runs}${opts.quick ? ' (quick: astropy on 1e5 rows, once)' : astropyRuns !== runs ? ` (astropy ${astropyRuns})` : ''}; ` +
    `load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`,
);

const results = new Map(files.map((f) => [f, { vokitIn: [], astropyIn: [], vokitCount: [], vokitCountCpu: [], stilts: [], stiltsCpu: [], astropyProc: [], rss: [], columnBytes: 0 }]));

for (let run = 0; run < runs; run++) {
  for (const f of files) {
    const r = results.get(f);
    console.error(`bench: run ${run + 1}/${runs} ${label(f.n)} ${f.format}`);
    // Whole processes first (cold-ish page cache effects are shared by all three).
    const count = runProcess([process.execPath, CLI, 'count', f.file]);
    expectRows('vokit count', Number(count.stdout.trim()), f.n);
    r.vokitCount.push(count.wall);
    r.vokitCountCpu.push(count.cpu);
    r.rss.push(count.maxrss_kb * 1024);
    if (useStilts) {
      const stilts = runProcess(['stilts', 'tpipe', `in=${f.file}`, 'ifmt=votable', 'omode=count']);
      expectRows('stilts', Number(/rows:\s*(\d+)/.exec(stilts.stdout)?.[1]), f.n);
      r.stilts.push(stilts.wall);
      r.stiltsCpu.push(stilts.cpu);
    }
    if (useAstropy && run < astropyRuns) {
      const proc = runProcess([PYTHON, '-c', ASTROPY_PARSE, f.astropyFile]);
      const inside = JSON.parse(proc.stdout);
      expectRows('astropy', inside.rows, f.astropyRows);
      // Quick mode ran the 1e5 file: scale only the parse, not Python's start and imports.
      r.astropyProc.push(proc.wall + inside.seconds * (f.n / f.astropyRows - 1));
    }
    if (!opts['no-inprocess']) {
      const vokit = await vokitInProcess(f.file);
      expectRows('parseVOTable', vokit.rows, f.n);
      r.vokitIn.push(vokit.seconds);
      r.columnBytes = vokit.columnBytes;
      if (useAstropy && run < astropyRuns) {
        const astropy = astropyInProcess(f.astropyFile);
        expectRows('astropy', astropy.rows, f.astropyRows);
        r.astropyIn.push(astropy.seconds);
      }
    }
  }
}

// ---------------------------------------------------------------- report

console.log(`# load average after the runs: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);

const fmtRate = (rows, seconds) => (seconds ? `${(rows / seconds / 1e6).toFixed(2)} M rows/s` : '-');
const fmtS = (s) => (s === undefined ? '-' : `${s.toFixed(2)} s`);
const fmtMB = (b) => `${(b / 1e6).toFixed(0)} MB`;

console.log('\n## In-process parse (median, rows/s; min in brackets)\n');
console.log('| file | MB | vokit parseVOTable | astropy parse+get_first_table | vokit / astropy |');
console.log('|---|---|---|---|---|');
for (const f of files) {
  const r = results.get(f);
  if (!r.vokitIn.length) continue;
  const v = median(r.vokitIn);
  const a = r.astropyIn.length ? median(r.astropyIn) * (f.n / f.astropyRows) : undefined;
  console.log(
    `| A_${label(f.n)} ${f.format} | ${(f.bytes / 1e6).toFixed(1)} | ${fmtRate(f.n, v)} (${fmtS(v)}, min ${fmtS(Math.min(...r.vokitIn))}) | ` +
      `${a ? `${fmtRate(f.n, a)} (${fmtS(a)}${opts.quick ? ' scaled from 1e5' : ''})` : '-'} | ${a ? `${(a / v).toFixed(1)}×` : '-'} |`,
  );
}

console.log('\n## Whole process, wall clock (median; rows/s)\n');
console.log('| file | `vokit count` | `stilts tpipe omode=count` | astropy process | STILTS / vokit | astropy / vokit |');
console.log('|---|---|---|---|---|---|');
for (const f of files) {
  const r = results.get(f);
  const v = median(r.vokitCount);
  const s = r.stilts.length ? median(r.stilts) : undefined;
  const a = r.astropyProc.length ? median(r.astropyProc) : undefined;
  console.log(
    `| A_${label(f.n)} ${f.format} | ${fmtS(v)} (${fmtRate(f.n, v)}) | ${s ? `${fmtS(s)} (${fmtRate(f.n, s)})` : '-'} | ` +
      `${a ? `${fmtS(a)}${opts.quick ? ' (parse scaled from 1e5)' : ''}` : '-'} | ${s ? `${(s / v).toFixed(2)}×` : '-'} | ${a ? `${(a / v).toFixed(1)}×` : '-'} |`,
  );
}

// CPU seconds (user + system, all threads) are steadier than wall time on a shared machine;
// the JVM spends some of STILTS's on JIT and GC threads that run beside the parse.
console.log('\n## Whole process, CPU time (median, user + system)\n');
console.log('| file | `vokit count` | `stilts tpipe omode=count` | STILTS / vokit |');
console.log('|---|---|---|---|');
for (const f of files) {
  const r = results.get(f);
  const v = median(r.vokitCountCpu);
  const s = r.stiltsCpu.length ? median(r.stiltsCpu) : undefined;
  console.log(`| A_${label(f.n)} ${f.format} | ${fmtS(v)} | ${s ? fmtS(s) : '-'} | ${s ? `${(s / v).toFixed(2)}×` : '-'} |`);
}

console.log('\n## Peak RSS of `vokit count` (max over runs)\n');
console.log('| file | input | decoded columns | peak RSS | bound 2×columns + input | within |');
console.log('|---|---|---|---|---|---|');
let floorOk = true;
for (const f of files) {
  const r = results.get(f);
  const rss = Math.max(...r.rss);
  const bound = r.columnBytes ? 2 * r.columnBytes + f.bytes : undefined;
  const ok = bound === undefined ? undefined : rss <= bound;
  if (ok === false) floorOk = false;
  console.log(`| A_${label(f.n)} ${f.format} | ${fmtMB(f.bytes)} | ${r.columnBytes ? fmtMB(r.columnBytes) : '-'} | ${fmtMB(rss)} | ${bound ? fmtMB(bound) : '-'} | ${ok === undefined ? '-' : ok ? 'yes' : 'NO'} |`);
}

// The issue's floor: whole-process count >= 3x faster than STILTS on BINARY2 and TABLEDATA at 1e6.
console.log('');
for (const f of files) {
  const r = results.get(f);
  if (f.n !== 1e6 || !r.stilts.length || !['binary2', 'tabledata'].includes(f.format)) continue;
  const ratio = median(r.stilts) / median(r.vokitCount);
  if (ratio < 3) floorOk = false;
  console.log(`floor: ${f.format} 1e6 vokit count is ${ratio.toFixed(2)}× faster than STILTS (need ≥ 3×): ${ratio >= 3 ? 'met' : 'NOT met'}`);
}
if (files.every((f) => results.get(f).columnBytes > 0)) {
  const within = files.every((f) => Math.max(...results.get(f).rss) <= 2 * results.get(f).columnBytes + f.bytes);
  console.log(`floor: peak RSS of vokit count within 2× decoded columns + input: ${within ? 'met' : 'NOT met'}`);
}

if (opts.profile) {
  const dir = join(repo, 'bench/data/profiles');
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=count-${label(f.n)}-${f.format}.cpuprofile`, CLI, 'count', f.file], { stdio: 'ignore' });
  }
  console.log(`\nCPU profiles of vokit count in ${dir} (open in Chrome DevTools, or summarise with: node packages/votable/bench/profile-summary.mjs FILE)`);
}
process.exitCode = floorOk ? 0 : 3;
