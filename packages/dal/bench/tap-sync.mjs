// TAP sync of 10k and 100k rows from the testbed, vokit vs pyvo in the same run
// (STYLE.md §22). Needs the testbed (testbed/up.sh) and a build (pnpm build).
//   node bench/tap-sync.mjs [repeat=5]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TAPService } from '@vokit/dal';

const repeat = Number(process.argv[2] ?? 5);
const envFile = process.env.VOKIT_TESTBED_ENV ?? fileURLToPath(new URL('../../../.testbed/endpoints.env', import.meta.url));
const tapUrl = /^VOKIT_TESTBED_TAP=(.*)$/m.exec(readFileSync(envFile, 'utf8'))[1];
const tap = new TAPService(tapUrl);
const pyvoScript = fileURLToPath(new URL('./pyvo_tap_sync.py', import.meta.url));

// 100k rows: the catalogue crossed with the 24 lines gives 240k candidates
const cases = [
  { rows: 10_000, query: 'SELECT source_id, ra, dec, pmra, pmdec, jmag, hmag, kmag, sptype FROM vokit.sources' },
  {
    rows: 100_000,
    query: 'SELECT TOP 100000 s.source_id, s.ra, s.dec, s.pmra, s.pmdec, s.jmag, s.hmag, s.kmag, s.sptype FROM vokit.sources AS s CROSS JOIN vokit.lines AS l',
  },
];
const stats = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
};

console.log(`TAP sync from ${tapUrl}, Node ${process.version}, ${repeat} runs each (min / median seconds)`);
console.log('| rows | format | vokit min | vokit median | pyvo min | pyvo median | pyvo/vokit (median) |');
console.log('|---|---|---|---|---|---|---|');
for (const c of cases) {
  for (const format of ['votable', 'votable/b2']) {
    const times = [];
    let n = 0;
    for (let i = 0; i < repeat; i++) {
      const t0 = performance.now();
      const r = await tap.runSync(c.query, { maxrec: c.rows, format });
      // touch every column so lazy work, if any, is counted
      for (const col of r.table.columns) col.get(col.length - 1);
      times.push((performance.now() - t0) / 1000);
      n = r.length;
    }
    if (n !== c.rows) throw new Error(`vokit got ${n} rows, expected ${c.rows}`);
    const py = JSON.parse(execFileSync('/usr/bin/python3', [pyvoScript, tapUrl, c.query, String(c.rows), format, String(repeat)], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    if (py.rows !== c.rows) throw new Error(`pyvo got ${py.rows} rows, expected ${c.rows}`);
    const v = stats(times);
    const p = stats(py.times);
    console.log(`| ${c.rows} | ${format} | ${v.min.toFixed(3)} | ${v.median.toFixed(3)} | ${p.min.toFixed(3)} | ${p.median.toFixed(3)} | ${(p.median / v.median).toFixed(2)} |`);
  }
}
