#!/usr/bin/env node
// Batched ang2pix (NEST, lon/lat degrees) through the public ang2pixInto, in points per second:
// our WebAssembly variants and the TypeScript reference against healpy (Debian python3-healpy,
// C++ inside) and @hscmap/healpix (pure JS, numbers: exact only to order ~24), on the same
// seeded points in the same run, competitors interleaved round by round. Prints min and median
// per competitor (wall and CPU time) and the ratio to healpy, plus how often each agrees with
// healpy.
//
//   pnpm --filter @vokit/crossmatch-wasm build && node bench/healpix.mjs [points=1000000] [rounds=7]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHealpix, healpixReference, loadWasm } from '@vokit/crossmatch-wasm';

const N = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 7);
const ORDERS = [29, 12];
const PYTHON = '/usr/bin/python3';

// mulberry32, seed 42, two draws per double: 53 random bits, so that the points are generic (one
// 32-bit draw would put longitudes on a k·360/2^32 grid, aligned with order-29 pixel columns).
// Points on pixel edges take ang2pix's slower exact path; see README "Exactness".
let seed = 42;
const rnd32 = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
};
const rnd = () => ((rnd32() >>> 5) * 67108864 + (rnd32() >>> 6)) / 9007199254740992;
const ra = new Float64Array(N);
const dec = new Float64Array(N);
for (let i = 0; i < N; i++) {
  ra[i] = rnd() * 360;
  dec[i] = (Math.asin(2 * rnd() - 1) * 180) / Math.PI;
}

const dir = mkdtempSync(join(tmpdir(), 'vokit-healpix-bench-'));
writeFileSync(join(dir, 'ra.f64'), ra);
writeFileSync(join(dir, 'dec.f64'), dec);
const HEALPY = `
import sys, time, numpy as np, healpy as hp
d = sys.argv[1]; order = int(sys.argv[2]); reps = int(sys.argv[3])
ra = np.fromfile(d + '/ra.f64'); dec = np.fromfile(d + '/dec.f64')
best = 1e9
for _ in range(reps):
    t = time.perf_counter(); pix = hp.ang2pix(1 << order, ra, dec, nest=True, lonlat=True); best = min(best, time.perf_counter() - t)
pix.astype('<i8').tofile(d + '/healpy-%d.i64' % order)
print(best * 1000)
`;
const healpyAvailable = spawnSync(PYTHON, ['-c', 'import healpy'], { stdio: 'ignore' }).status === 0;

let hscmap = null;
try {
  hscmap = await import('@hscmap/healpix');
} catch {
  console.log('# @hscmap/healpix not installed: skipped');
}

const out = new BigInt64Array(N);
const competitors = [];
for (const variant of ['release-simd', 'release', 'debug']) {
  const healpix = getHealpix(loadWasm({ variant }));
  competitors.push({
    name: `vokit wasm ${variant}`,
    points: N,
    run: (order) => healpix.ang2pixInto(order, ra, dec, out, { nest: true, lonlat: true }),
    result: () => out,
  });
}
const small = Math.min(N, 100_000);
const refOut = new BigInt64Array(small);
competitors.push({
  name: 'vokit TypeScript reference',
  points: small,
  run: (order) => healpixReference.ang2pixInto(order, ra.subarray(0, small), dec.subarray(0, small), refOut, { nest: true, lonlat: true }),
  result: () => refOut,
});
if (hscmap) {
  const hOut = new Float64Array(N);
  competitors.push({
    name: '@hscmap/healpix (JS numbers)',
    points: N,
    orders: [12],
    run: (order) => {
      const nside = 2 ** order;
      const k = Math.PI / 180;
      for (let i = 0; i < N; i++) hOut[i] = hscmap.ang2pix_nest(nside, Math.PI / 2 - dec[i] * k, ra[i] * k);
    },
    result: () => BigInt64Array.from(hOut, (v) => BigInt(v)),
  });
}
if (healpyAvailable) {
  competitors.push({
    name: 'healpy (C++, in its process)',
    points: N,
    external: true,
    run: (order) => {
      const r = spawnSync(PYTHON, ['-c', HEALPY, dir, String(order), '3'], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      return Number(r.stdout.trim());
    },
  });
} else console.log('# healpy not available (/usr/bin/python3 -c "import healpy" failed): skipped');

const times = new Map();
// CPU time of this process as well as wall time: on a shared, loaded machine wall time mostly
// measures the other processes. (healpy's figure is its own best wall time, from perf_counter.)
const cpuTimes = new Map();
for (let round = 0; round < ROUNDS; round++) {
  for (const order of ORDERS) {
    for (const c of competitors) {
      if (c.orders && !c.orders.includes(order)) continue;
      const key = `${c.name}|${order}`;
      let ms;
      let cpuMs;
      if (c.external) ms = cpuMs = c.run(order);
      else {
        const cpu = process.cpuUsage();
        const t = performance.now();
        c.run(order);
        ms = performance.now() - t;
        const used = process.cpuUsage(cpu);
        cpuMs = (used.user + used.system) / 1000;
      }
      if (!times.has(key)) times.set(key, []);
      times.get(key).push(ms);
      if (!cpuTimes.has(key)) cpuTimes.set(key, []);
      cpuTimes.get(key).push(cpuMs);
    }
  }
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`# ang2pix NEST, lon/lat degrees, ${N} uniform points, ${ROUNDS} rounds; Node ${process.version}, ${process.arch}`);
console.log('| implementation | order | min ms | median ms | M points/s (median) | M points/s (min CPU time) | vs healpy | agrees with healpy |');
console.log('|---|---|---|---|---|---|---|---|');
for (const order of ORDERS) {
  const healpyTimes = times.get(`healpy (C++, in its process)|${order}`);
  const healpyRate = healpyTimes ? N / median(healpyTimes) / 1000 : undefined;
  let healpyPix;
  if (healpyAvailable) healpyPix = new BigInt64Array(readFileSync(join(dir, `healpy-${order}.i64`)).buffer.slice(0));
  for (const c of competitors) {
    const t = times.get(`${c.name}|${order}`);
    if (!t) continue;
    const rate = c.points / median(t) / 1000;
    let agree = '';
    if (healpyPix && c.result) {
      c.run(order);
      const r = c.result();
      let same = 0;
      for (let i = 0; i < r.length; i++) if (r[i] === healpyPix[i]) same++;
      agree = `${((100 * same) / r.length).toFixed(4)} %`;
    }
    const ratio = healpyRate ? `${(rate / healpyRate).toFixed(2)}×` : '';
    const cpuRate = c.points / Math.min(...cpuTimes.get(`${c.name}|${order}`)) / 1000;
    console.log(`| ${c.name} | ${order} | ${Math.min(...t).toFixed(1)} | ${median(t).toFixed(1)} | ${rate.toFixed(1)} | ${cpuRate.toFixed(1)} | ${ratio} | ${agree} |`);
  }
}
rmSync(dir, { recursive: true, force: true });
