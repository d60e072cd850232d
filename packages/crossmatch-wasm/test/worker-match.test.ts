// Worker-thread matching gives exactly the single-thread result in every mode, with and
// without error radii, for several worker counts. Needs the built worker entry (pnpm build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossmatch, crossmatchParallel, MATCH_FINDS, OptionsError } from '../src/index.js';
import { prng } from './backends.js';
import { expectSame } from './match-assert.js';

/**
 * A thin band around the equator (|dec| < 0.02°), so that every zone boundary cuts through
 * dense data and many pairs straddle one; B holds jittered copies (±3″), exact copies and
 * random rows.
 */
function band(seed: number, n: number) {
  const random = prng(seed);
  const a = { ra: Float64Array.from({ length: n }, () => random() * 360), dec: Float64Array.from({ length: n }, () => (random() - 0.5) * 0.04) };
  const b = { ra: new Float64Array(n), dec: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const j = Math.floor(random() * n);
    const u = random();
    b.ra[i] = u < 0.6 ? a.ra[j] + ((random() - 0.5) * 6) / 3600 : u < 0.7 ? a.ra[j] : random() * 360;
    b.dec[i] = u < 0.6 ? a.dec[j] + ((random() - 0.5) * 6) / 3600 : u < 0.7 ? a.dec[j] : (random() - 0.5) * 0.04;
  }
  return { a, b };
}

const { a, b } = band(31337, 20000);

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL('../dist/worker-match-thread.js', import.meta.url)))) {
    throw new Error('packages/crossmatch-wasm is not built: run `pnpm exec turbo run build --filter=@vokit/crossmatch-wasm` first');
  }
});

describe('crossmatchParallel', () => {
  for (const find of MATCH_FINDS) {
    it(`equals the single-thread result with find=${find}`, async () => {
      const expected = crossmatch(a, b, { radius: 4, find });
      expect(expected.aIndex.length).toBeGreaterThan(10000);
      for (const workers of [2, 3, 5]) {
        expectSame(await crossmatchParallel(a, b, { radius: 4, find, workers, minRows: 0 }), expected);
      }
    });
  }

  it('equals the single-thread result with per-row error radii', async () => {
    const random = prng(9);
    const errorA = Float64Array.from(a.ra, () => random() * 3);
    const errorB = Float64Array.from(b.ra, () => random() * 3);
    for (const find of ['all', 'best', 'nearest'] as const) {
      const expected = crossmatch(a, b, { radius: 1, errorA, errorB, find });
      expectSame(await crossmatchParallel(a, b, { radius: 1, errorA, errorB, find, workers: 2, minRows: 0 }), expected);
    }
  });

  it('runs small inputs on the calling thread and rejects bad worker counts', async () => {
    const expected = crossmatch(a, b, { radius: 5, find: 'all' });
    expectSame(await crossmatchParallel(a, b, { radius: 5, find: 'all', workers: 2 }), expected); // below minRows
    await expect(crossmatchParallel(a, b, { radius: 5, workers: 0 })).rejects.toThrow(OptionsError);
  });
});
