// Crossmatch on every kernel (three WebAssembly builds and the TypeScript twin) against the
// brute-force oracle on seeded awkward catalogues: identical pair sets, row numbers and
// separations, in every mode, with and without per-row error radii.
import { describe, expect, it } from 'vitest';
import {
  bruteForceCrossmatch,
  bruteForceMatchToCatalog,
  crossmatch,
  getSkyMatchKernel,
  loadWasm,
  MATCH_FINDS,
  matchToCatalogSky,
  matchToCatalogSkyInto,
  OptionsError,
  skyMatchReference,
  WASM_VARIANTS,
  type SkyMatchKernel,
} from '../src/index.js';
import { prng } from './backends.js';
import { expectSame } from './match-assert.js';
import { awkwardCatalogues } from './sky-catalogues.js';

const KERNELS: Array<{ name: string; kernel: SkyMatchKernel }> = [
  ...WASM_VARIANTS.map((variant) => ({ name: variant, kernel: getSkyMatchKernel(loadWasm({ variant })) })),
  { name: 'reference', kernel: skyMatchReference() },
];

const { a, b } = awkwardCatalogues(20261125, 1500);

describe.each(KERNELS)('crossmatch on $name', ({ kernel }) => {
  for (const find of MATCH_FINDS) {
    it(`finds the brute-force pairs with find=${find}`, () => {
      const expected = bruteForceCrossmatch(a, b, { radius: 25, find });
      const actual = crossmatch(a, b, { radius: 25, find, kernel, nodeSize: 8 });
      expect(expected.aIndex.length).toBeGreaterThan(find === 'all' ? 1000 : 500);
      expectSame(actual, expected);
    });
  }

  it('gives the same pairs whatever the leaf size', () => {
    const expected = bruteForceCrossmatch(a, b, { radius: 60, find: 'all' });
    for (const nodeSize of [2, 3, 16, 100, 5000]) {
      expectSame(crossmatch(a, b, { radius: 60, find: 'all', kernel, nodeSize }), expected);
    }
  });

  it('matches exact duplicates at radius 0, lower row first', () => {
    const expected = bruteForceCrossmatch(a, b, { radius: 0, find: 'all' });
    const actual = crossmatch(a, b, { radius: 0, find: 'all', kernel });
    expectSame(actual, expected);
    expect(actual.aIndex.length).toBeGreaterThan(100);
    expect(Array.from(actual.separation).every((s) => s === 0)).toBe(true);
    // B holds duplicated rows: nearest must take the lower B row of each tie
    const nearest = crossmatch(a, b, { radius: 0, find: 'nearest', kernel });
    expect(nearest).toEqual(bruteForceCrossmatch(a, b, { radius: 0, find: 'nearest' }));
  });

  for (const find of MATCH_FINDS) {
    it(`applies per-row error radii of A and B with find=${find}`, () => {
      const random = prng(7);
      const errorA = Float64Array.from(a.ra, () => random() * 15);
      const errorB = Float64Array.from(b.ra, () => (random() < 0.05 ? NaN : random() * 15));
      for (const options of [{ errorA }, { errorB }, { errorA, errorB, radius: 2 }]) {
        const expected = bruteForceCrossmatch(a, b, { ...options, find });
        expectSame(crossmatch(a, b, { ...options, find, kernel }), expected);
      }
    });
  }

  it('returns empty results for empty catalogues', () => {
    const empty = { ra: new Float64Array(0), dec: new Float64Array(0) };
    for (const find of MATCH_FINDS) {
      for (const [x, y] of [[empty, b], [a, empty], [empty, empty]] as const) {
        const r = crossmatch(x, y, { radius: 10, find, kernel });
        expect(r.aIndex.length).toBe(0);
        expect(r.bIndex.length).toBe(0);
        expect(r.separation.length).toBe(0);
      }
    }
  });

  it('grows the pair buffer when one row has more pairs than it holds', () => {
    // 70 000 B rows within 0.5″ of one A row: more than one call's 65 536-pair output
    const random = prng(3);
    const many = {
      ra: Float64Array.from({ length: 70000 }, () => 200 + (random() - 0.5) / 7200),
      dec: Float64Array.from({ length: 70000 }, () => 30 + (random() - 0.5) / 7200),
    };
    const one = { ra: Float64Array.of(1, 200, 3), dec: Float64Array.of(0, 30, 0) };
    const r = crossmatch(one, many, { radius: 2, find: 'all', kernel });
    expect(r.aIndex.length).toBe(70000);
    expect(Array.from(r.bIndex.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(r.aIndex).size).toBe(1);
  });

  it('finds the pairs where a search crosses the edges and corners of the cube faces', () => {
    // the index buckets rows by cube face: put rows around edges (ra 45°, dec 0; ra 0, dec 45°)
    // and corners (ra 45°, dec ±35.26°), where one search spans two or three faces
    const random = prng(11);
    const centres = [[45, 0], [135, 0], [0, 45], [90, -45], [45, 35.2643897], [225, -35.2643897], [315, 35.2643897]];
    const scatter = (n: number, spread: number) => {
      const ra = new Float64Array(n);
      const dec = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const [r, d] = centres[i % centres.length];
        ra[i] = r + (random() - 0.5) * spread;
        dec[i] = d + (random() - 0.5) * spread;
      }
      return { ra, dec };
    };
    const p = scatter(700, 0.2);
    const q = scatter(900, 0.2);
    for (const radius of [30, 400, 7200]) {
      for (const find of MATCH_FINDS) {
        expectSame(crossmatch(p, q, { radius, find, kernel }), bruteForceCrossmatch(p, q, { radius, find }));
      }
    }
    expect(crossmatch(p, q, { radius: 400, find: 'all', kernel }).aIndex.length).toBeGreaterThan(2000);
    expect(matchToCatalogSky(p, q, { kernel })).toEqual(bruteForceMatchToCatalog(p, q));
  });

  it('finds the pairs at radii of tens of degrees', () => {
    const small = { ra: a.ra.subarray(0, 300), dec: a.dec.subarray(0, 300) };
    for (const radius of [36000, 324000, 648000]) {
      expectSame(crossmatch(small, b, { radius, find: 'all', kernel }), bruteForceCrossmatch(small, b, { radius, find: 'all' }));
      expectSame(crossmatch(small, b, { radius, find: 'best', kernel }), bruteForceCrossmatch(small, b, { radius, find: 'best' }));
    }
  });

  it('finds the nearest row without a limit, as match_to_catalog_sky', () => {
    const expected = bruteForceMatchToCatalog(a, b);
    const actual = matchToCatalogSky(a, b, { kernel });
    expect(actual).toEqual(expected);
    expect(Array.from(actual.index).filter((i) => i < 0).length).toBe(3); // the 3 non-finite A rows
    const limited = matchToCatalogSky(a, b, { kernel, radius: 5 });
    expect(limited).toEqual(bruteForceMatchToCatalog(a, b, 5));
    const index = new Int32Array(a.ra.length + 2).fill(7);
    const separation = new Float64Array(a.ra.length + 2);
    const count = matchToCatalogSkyInto(a, b, index, separation, { kernel, radius: 5 });
    expect(count).toBe(Array.from(limited.index).filter((i) => i >= 0).length);
    expect(index.subarray(0, a.ra.length)).toEqual(limited.index);
    expect(Array.from(index.subarray(a.ra.length))).toEqual([7, 7]); // beyond A: untouched
  });
});

describe('crossmatch semantics', () => {
  const kernel = KERNELS[1].kernel;

  it('counts a pair at the RA seam and across the pole', () => {
    const p = { ra: Float64Array.of(359.9999, 10), dec: Float64Array.of(0, 89.9999) };
    const q = { ra: Float64Array.of(0.0001, 190), dec: Float64Array.of(0, 89.9999) };
    const r = crossmatch(p, q, { radius: 1, find: 'all', kernel });
    expect(Array.from(r.aIndex)).toEqual([0, 1]);
    expect(Array.from(r.bIndex)).toEqual([0, 1]);
    // 0.0002° on the equator, up to the inputs' rounding: 359.9999 is 359.99990000000002510…,
    // so the exact separation of these doubles is 0.71999999990963…″, found to 1e-15″
    expect(r.separation[0]).toBeCloseTo(0.7199999999096326, 15);
    expect(r.separation[1]).toBeCloseTo(0.72, 6); // 2 × 0.0001° through the pole
  });

  it('resolves conflicts as STILTS best, best1 and best2 do', () => {
    // A0 and A1 both want B0 (A0 nearer); A1's second choice is B1.
    const p = { ra: Float64Array.of(0, 0.0002), dec: Float64Array.of(0, 0) };
    const q = { ra: Float64Array.of(0.00009, 0.0006), dec: Float64Array.of(0, 0) };
    const pairs = (find: (typeof MATCH_FINDS)[number]) => {
      const r = crossmatch(p, q, { radius: 2, find, kernel });
      return Array.from(r.aIndex, (x, i) => `${x}-${r.bIndex[i]}`);
    };
    expect(pairs('all')).toEqual(['0-0', '1-0', '1-1']);
    expect(pairs('best1')).toEqual(['0-0', '1-0']);
    expect(pairs('nearest')).toEqual(['0-0', '1-0']);
    expect(pairs('best2')).toEqual(['0-0', '1-1']);
    // STILTS best: A rows keep their best pair (equal sizes: A is scanned); A1's best, B0, is
    // taken by the better pair A0–B0 and A1 does not fall back to B1
    expect(pairs('best')).toEqual(['0-0']);
  });

  it('rejects options that cannot work and says what to use', () => {
    expect(() => crossmatch(a, b, { kernel })).toThrow(/radius \(arcsec\) is required/);
    expect(() => crossmatch(a, b, { radius: -1, kernel })).toThrow(OptionsError);
    expect(() => crossmatch(a, b, { radius: 1, find: 'first' as never, kernel })).toThrow(
      /find must be one of all, nearest, best, best1, best2, got "first"/,
    );
    expect(() => crossmatch({ ra: [1, 2], dec: [1] }, b, { radius: 1, kernel })).toThrow(/ra has 2 rows but dec has 1/);
    expect(() => crossmatch(a, b, { radius: 1, errorA: [1], kernel })).toThrow(/errorA must have one error radius/);
    expect(() => crossmatch(a, b, { radius: 1, errorB: Float64Array.from(b.ra, () => -1), kernel })).toThrow(
      /errorB\[0\] = -1: error radii must be finite and ≥ 0/,
    );
    expect(() => crossmatch(a, b, { radius: 1, nodeSize: 1, kernel })).toThrow(/nodeSize must be an integer from 2 to 65535/);
  });

  it('reports progress per chunk of A rows', () => {
    const calls: Array<[number, number]> = [];
    crossmatch(a, b, { radius: 1, kernel, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([[a.ra.length - 3, a.ra.length - 3]]);
  });
});
