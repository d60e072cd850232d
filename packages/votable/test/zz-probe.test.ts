import { it } from 'vitest';
import { runFuzz } from './support/fuzz-harness.js';
it('probe', async () => {
  for (const seed of [1, 2, 3]) {
  const r = await runFuzz({ seed, cases: 10000, workers: 2 });
  const groups = new Map<string, { n: number; ex: string }>();
  for (const f of r.findings) {
    if (f.fixture.endsWith('.gz')) continue;
    const key = f.outcome + ' ' + f.detail.split('\n')[0].replace(/\d+/g, 'N').slice(0, 100) + ' @' + (f.detail.split('\n').find(l => l.includes('/vokit-fuzz/')) ?? '').trim().replace(/.*\/vokit-fuzz\/[^/]*\//, '');
    const g = groups.get(key) ?? { n: 0, ex: '' };
    g.n++; if (!g.ex) g.ex = `case ${f.index} ${f.fixture}: ${f.what.join('; ')} ${f.replay}`;
    groups.set(key, g);
  }
  for (const [k, g] of groups) console.log(seed, g.n, k, '\n   ', g.ex);
  console.log(seed, JSON.stringify(r.codes), r.ok, r.typed, Math.round(r.elapsedMs), r.slowestMs);
  }
}, 600000);
