// N-way grouping against a brute-force friends-of-friends over every pair of rows from
// different catalogues, on every kernel.
import { describe, expect, it } from 'vitest';
import { bruteForceCrossmatch, getSkyMatchKernel, groupMatch, loadWasm, OptionsError, skyMatchReference, WASM_VARIANTS } from '../src/index.js';
import { prng } from './backends.js';
import { awkwardCatalogues } from './sky-catalogues.js';

const KERNELS = [
  ...WASM_VARIANTS.map((variant) => ({ name: variant, kernel: getSkyMatchKernel(loadWasm({ variant })) })),
  { name: 'reference', kernel: skyMatchReference() },
];

const first = awkwardCatalogues(11, 800);
const second = awkwardCatalogues(12, 800);
const catalogues = [first.a, first.b, second.b];

/** Groups as sorted strings "c:r c:r …", by brute force over the pair lists of the oracle. */
function bruteGroups(radius: number): string[] {
  const members = new Map<string, Set<string>>();
  const link = (x: string, y: string) => {
    const sx = members.get(x) ?? new Set([x]);
    const sy = members.get(y) ?? new Set([y]);
    if (sx === sy) return;
    for (const m of sy) sx.add(m);
    for (const m of sx) members.set(m, sx);
  };
  for (let i = 0; i < catalogues.length; i++) {
    for (let j = i + 1; j < catalogues.length; j++) {
      const r = bruteForceCrossmatch(catalogues[i], catalogues[j], { radius, find: 'all' });
      r.aIndex.forEach((a, k) => link(`${i}:${a}`, `${j}:${r.bIndex[k]}`));
    }
  }
  const key = (m: string) => m.split(':').map(Number) as [number, number];
  const order = (p: string, q: string) => key(p)[0] - key(q)[0] || key(p)[1] - key(q)[1];
  return [...new Set(members.values())].map((s) => [...s].sort(order).join(' ')).sort((p, q) => order(p.split(' ')[0], q.split(' ')[0]));
}

describe.each(KERNELS)('groupMatch on $name', ({ kernel }) => {
  it('finds the connected groups of the pair links', () => {
    const expected = bruteGroups(20);
    const r = groupMatch(catalogues, { radius: 20, kernel });
    const actual = Array.from({ length: r.offsets.length - 1 }, (_, g) =>
      Array.from({ length: r.offsets[g + 1] - r.offsets[g] }, (_, k) => `${r.catalog[r.offsets[g] + k]}:${r.row[r.offsets[g] + k]}`).join(' '),
    );
    expect(expected.length).toBeGreaterThan(100);
    expect(actual).toEqual(expected);
  });
});

describe('groupMatch', () => {
  it('joins rows through a chain and keeps two rows of one catalogue in one group', () => {
    // A0 –0.9″– B0 –0.9″– C0: A0 and C0 are 1.8″ apart, beyond 1″, yet one group;
    // C1 is 0.5″ from B0 as well, so C0 and C1 share the group
    const step = 0.9 / 3600;
    const r = groupMatch(
      [
        { ra: [10, 50], dec: [0, 0] },
        { ra: [10 + step], dec: [0] },
        { ra: [10 + 2 * step, 10 + step], dec: [0, 0.5 / 3600] },
      ],
      { radius: 1 },
    );
    expect(Array.from(r.offsets)).toEqual([0, 4]);
    expect(Array.from(r.catalog)).toEqual([0, 1, 2, 2]);
    expect(Array.from(r.row)).toEqual([0, 0, 0, 1]);
  });

  it("keeps the lowest row of each catalogue with perCatalog 'first', as STILTS tmatchn", () => {
    // A1 and A0 both link to B0; C0 links only to A1, so dropping A1 leaves C0 in the group
    const step = 0.9 / 3600;
    const catalogues = [
      { ra: [20, 20 + step, 70], dec: [0, 0, 0] },
      { ra: [20 + 0.5 * step, 70 + step], dec: [0, 0] },
      { ra: [20 + 2 * step, 80], dec: [0, 0] },
    ];
    const all = groupMatch(catalogues, { radius: 1 });
    expect(Array.from(all.offsets)).toEqual([0, 4, 6]);
    expect(Array.from(all.catalog)).toEqual([0, 0, 1, 2, 0, 1]);
    expect(Array.from(all.row)).toEqual([0, 1, 0, 0, 2, 1]);
    const first = groupMatch(catalogues, { radius: 1, perCatalog: 'first' });
    expect(Array.from(first.offsets)).toEqual([0, 3, 5]);
    expect(Array.from(first.catalog)).toEqual([0, 1, 2, 0, 1]);
    expect(Array.from(first.row)).toEqual([0, 0, 0, 2, 1]);
  });

  it("gives the groups of 'all' reduced to one row per catalogue with perCatalog 'first'", () => {
    const all = groupMatch(catalogues, { radius: 20 });
    const first = groupMatch(catalogues, { radius: 20, perCatalog: 'first' });
    expect(first.offsets.length).toBe(all.offsets.length);
    for (let g = 0; g + 1 < all.offsets.length; g++) {
      const seen = new Set<number>();
      const expected: string[] = [];
      for (let k = all.offsets[g]; k < all.offsets[g + 1]; k++) {
        if (seen.has(all.catalog[k])) continue;
        seen.add(all.catalog[k]);
        expected.push(`${all.catalog[k]}:${all.row[k]}`);
      }
      const actual = Array.from({ length: first.offsets[g + 1] - first.offsets[g] }, (_, k) => `${first.catalog[first.offsets[g] + k]}:${first.row[first.offsets[g] + k]}`);
      expect(actual).toEqual(expected);
    }
  });

  it('uses per-row error radii', () => {
    const random = prng(5);
    const errors = catalogues.map((c) => Float64Array.from(c.ra, () => random() * 5));
    const r = groupMatch(catalogues, { errors });
    const none = groupMatch(catalogues, { radius: 0 });
    expect(r.catalog.length).toBeGreaterThan(none.catalog.length);
  });

  it('rejects fewer than two catalogues and mismatched errors', () => {
    expect(() => groupMatch([first.a], { radius: 1 })).toThrow(OptionsError);
    expect(() => groupMatch(catalogues, { radius: 1, errors: [undefined] })).toThrow(/errors has 1 entries for 3 catalogues/);
    expect(() => groupMatch(catalogues, { radius: 1, perCatalog: 'best' as 'first' })).toThrow(/perCatalog must be 'all' or 'first', got "best"/);
  });
});
