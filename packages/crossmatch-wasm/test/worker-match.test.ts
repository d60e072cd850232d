// Worker-thread matching gives exactly the single-thread result in every mode, with and
// without error radii, for several worker counts. Needs the built worker entry (pnpm build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossmatch, crossmatchParallel, MATCH_FINDS, OptionsError } from '../src/index.js';
import { prng } from './backends.js';
import { expectSame } from './match-assert.js';
import { awkwardCatalogues } from './sky-catalogues.js';

const { a, b } = awkwardCatalogues(31337, 20000, 30);

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL('../dist/worker-match-thread.js', import.meta.url)))) {
    throw new Error('packages/crossmatch-wasm is not built: run `pnpm exec turbo run build --filter=@vokit/crossmatch-wasm` first');
  }
});

describe('crossmatchParallel', () => {
  for (const find of MATCH_FINDS) {
    it(`equals the single-thread result with find=${find}`, async () => {
      const expected = crossmatch(a, b, { radius: 40, find });
      expect(expected.aIndex.length).toBeGreaterThan(5000);
      for (const workers of [2, 3]) {
        expectSame(await crossmatchParallel(a, b, { radius: 40, find, workers, minRows: 0 }), expected);
      }
    });
  }

  it('equals the single-thread result with per-row error radii', async () => {
    const random = prng(9);
    const errorA = Float64Array.from(a.ra, () => random() * 20);
    const errorB = Float64Array.from(b.ra, () => random() * 20);
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
