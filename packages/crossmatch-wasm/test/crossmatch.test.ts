// Crossmatch against a brute-force matcher (haversine on RA/Dec, every pair compared) on random
// catalogues with the awkward cases: poles, RA wrap, duplicates, NaN rows, empty inputs, and
// per-row error radii. Pair sets must be identical.
import { describe, expect, it } from 'vitest';
import { crossmatch, OptionsError, SkyIndex, type CrossmatchFind, type CrossmatchResult } from '../src/index.js';
import { prng } from './backends.js';

const DEG = Math.PI / 180;
const ARCSEC = DEG / 3600;

function haversineArcsec(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const s1 = Math.sin(((dec2 - dec1) * DEG) / 2);
  const s2 = Math.sin(((ra2 - ra1) * DEG) / 2);
  const h = s1 * s1 + Math.cos(dec1 * DEG) * Math.cos(dec2 * DEG) * s2 * s2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(h)))) / ARCSEC;
}

interface Catalogue {
  ra: Float64Array;
  dec: Float64Array;
}

/** Brute force: every pair, then the mode's selection written out plainly. */
function bruteForce(a: Catalogue, b: Catalogue, radius: number, find: CrossmatchFind, errorA?: Float64Array, errorB?: Float64Array): Array<[number, number]> {
  const pairs: Array<[number, number, number]> = [];
  for (let i = 0; i < a.ra.length; i++) {
    for (let j = 0; j < b.ra.length; j++) {
      const sep = haversineArcsec(a.ra[i], a.dec[i], b.ra[j], b.dec[j]);
      if (sep <= radius + (errorA ? errorA[i] : 0) + (errorB ? errorB[j] : 0)) pairs.push([i, j, sep]);
    }
  }
  const bySep = (p: [number, number, number], q: [number, number, number]) => p[2] - q[2] || p[0] - q[0] || p[1] - q[1];
  if (find === 'all') return pairs.map(([i, j]) => [i, j]);
  if (find === 'nearest' || find === 'best1' || find === 'best2') {
    const key = find === 'best2' ? 1 : 0;
    const best = new Map<number, [number, number, number]>();
    for (const p of pairs) {
      const c = best.get(p[key]);
      if (!c || bySep(p, c) < 0) best.set(p[key], p);
    }
    return [...best.values()].map(([i, j]) => [i, j]);
  }
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const out: Array<[number, number]> = [];
  for (const [i, j] of [...pairs].sort(bySep)) {
    if (usedA.has(i) || usedB.has(j)) continue;
    usedA.add(i);
    usedB.add(j);
    out.push([i, j]);
  }
  return out;
}

const asPairs = (r: CrossmatchResult) => Array.from(r.a, (i, t) => [i, r.b[t]] as [number, number]);
const sorted = (p: Array<[number, number]>) => [...p].sort((x, y) => x[0] - y[0] || x[1] - y[1]);

/** A: uniform plus crowded patches at both poles and across RA 0/360, duplicates and NaN rows. */
function catalogues(seed: number, n: number, radius: number): { a: Catalogue; b: Catalogue } {
  const rnd = prng(seed);
  const ra: number[] = [];
  const dec: number[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 5;
    if (kind === 0) {
      ra.push(rnd() * 360);
      dec.push(Math.asin(2 * rnd() - 1) / DEG);
    } else if (kind === 1) {
      ra.push(rnd() * 360);
      dec.push(90 - rnd() * 0.01);
    } else if (kind === 2) {
      ra.push(rnd() * 360);
      dec.push(-90 + rnd() * 0.01);
    } else if (kind === 3) {
      ra.push((360 + (rnd() - 0.5) * 0.02) % 360);
      dec.push((rnd() - 0.5) * 0.02);
    } else {
      // duplicate an earlier row exactly
      const k = Math.floor(rnd() * i);
      ra.push(ra[k] ?? 10);
      dec.push(dec[k] ?? 10);
    }
  }
  ra.push(NaN, 12, 0, 180);
  dec.push(5, NaN, 90, -90); // exact poles
  const bRa: number[] = [];
  const bDec: number[] = [];
  for (let i = 0; i < ra.length; i++) {
    if (rnd() < 0.3) continue;
    // move by up to ~1.5 radius, wrapping RA
    const d = ((rnd() - 0.5) * 3 * radius) / 3600;
    const cosd = Math.max(1e-6, Math.cos(dec[i] * DEG));
    bRa.push((((ra[i] + ((rnd() - 0.5) * 3 * radius) / 3600 / cosd) % 360) + 360) % 360);
    // clamped short of the poles: several B rows exactly at a pole with different RA would be
    // one position, and their separations would tie up to rounding (either match is right)
    bDec.push(Math.max(-90 + 1e-7, Math.min(90 - 1e-7, dec[i] + d)));
    if (rnd() < 0.1) {
      bRa.push(bRa[bRa.length - 1]);
      bDec.push(bDec[bDec.length - 1]);
    }
  }
  bRa.push(123, 33);
  bDec.push(90, -90); // the same points as A's poles, written with another RA
  for (let i = 0; i < n / 4; i++) {
    bRa.push(rnd() * 360);
    bDec.push(Math.asin(2 * rnd() - 1) / DEG);
  }
  return { a: { ra: Float64Array.from(ra), dec: Float64Array.from(dec) }, b: { ra: Float64Array.from(bRa), dec: Float64Array.from(bDec) } };
}

describe('crossmatch vs brute force', () => {
  const FINDS: CrossmatchFind[] = ['all', 'nearest', 'best1', 'best2', 'best'];
  it.each([
    [1, 600, 2],
    [2, 600, 30],
    [3, 300, 600],
    [4, 50, 36000],
  ])('finds the same pairs in every mode (seed %i, %i rows, radius %f″)', (seed, n, radius) => {
    const { a, b } = catalogues(seed, n, radius);
    const index = SkyIndex.build(b.ra, b.dec, { leafSize: 4 });
    let total = 0;
    for (const find of FINDS) {
      const result = crossmatch(a, index, { radius, find });
      expect(sorted(asPairs(result))).toEqual(sorted(bruteForce(a, b, radius, find)));
      total += result.a.length;
      for (let t = 0; t < result.a.length; t++) {
        const i = result.a[t];
        const j = result.b[t];
        expect(result.separation[t]).toBeCloseTo(haversineArcsec(a.ra[i], a.dec[i], b.ra[j], b.dec[j]), 6);
      }
    }
    expect(total).toBeGreaterThan(0);
  });

  it('honours per-row error radii on both sides', () => {
    const { a, b } = catalogues(9, 400, 5);
    const rnd = prng(10);
    const errorA = Float64Array.from(a.ra, () => rnd() * 4);
    const errorB = Float64Array.from(b.ra, () => rnd() * 4);
    for (const find of FINDS) {
      const result = crossmatch(a, b, { radius: 0.5, errorA, errorB, find });
      expect(sorted(asPairs(result))).toEqual(sorted(bruteForce(a, b, 0.5, find, errorA, errorB)));
    }
  });

  it('returns nothing for empty catalogues', () => {
    const empty = { ra: new Float64Array(0), dec: new Float64Array(0) };
    const one = { ra: Float64Array.of(10), dec: Float64Array.of(20) };
    for (const find of FINDS) {
      expect(crossmatch(empty, one, { find }).a.length).toBe(0);
      expect(crossmatch(one, empty, { find }).a.length).toBe(0);
    }
  });

  it('orders "all" pairs by A row then separation', () => {
    const a = { ra: Float64Array.of(10, 10), dec: Float64Array.of(0, 1) };
    const b = { ra: Float64Array.of(10, 10 + 2 / 3600, 10 + 1 / 3600), dec: Float64Array.of(1, 0, 0) };
    const r = crossmatch(a, b, { radius: 3 });
    expect(Array.from(r.a)).toEqual([0, 0, 1]);
    expect(Array.from(r.b)).toEqual([2, 1, 0]);
    expect(r.separation[0]).toBeCloseTo(1, 9);
    expect(r.separation[1]).toBeCloseTo(2, 9);
    expect(r.separation[2]).toBe(0);
  });

  it('rejects bad options', () => {
    const c = { ra: Float64Array.of(1), dec: Float64Array.of(1) };
    expect(() => crossmatch(c, c, { find: 'closest' as never })).toThrow(/find "closest" is not one of/);
    expect(() => crossmatch(c, c, { radius: -1 })).toThrow(OptionsError);
    expect(() => crossmatch(c, c, { errorA: new Float64Array(2) })).toThrow(/errorA has 2 values for 1 rows/);
  });
});

describe('SkyIndex', () => {
  it('lives in one ArrayBuffer and is rebuilt by from(buffer) after a copy', () => {
    const { b } = catalogues(5, 500, 10);
    const index = SkyIndex.build(b.ra, b.dec);
    expect(index.buffer.byteLength).toBe(32 + 28 * index.count);
    const copy = SkyIndex.from(structuredClone(index.buffer));
    expect(copy.count).toBe(index.count);
    expect(copy.leafSize).toBe(16);
    const a = { ra: b.ra.slice(0, 50), dec: b.dec.slice(0, 50) };
    expect(crossmatch(a, copy, { radius: 20 })).toEqual(crossmatch(a, index, { radius: 20 }));
  });

  it('rejects buffers that are not an index', () => {
    expect(() => SkyIndex.from(new ArrayBuffer(64))).toThrow(/VXKD magic/);
    const index = SkyIndex.build(Float64Array.of(1, 2), Float64Array.of(3, 4));
    expect(() => SkyIndex.from(index.buffer.slice(0, 40))).toThrow(/need 88 bytes, the buffer has 40/);
    expect(() => SkyIndex.build(Float64Array.of(1), Float64Array.of(1, 2))).toThrow(OptionsError);
  });

  it('leaves out rows without a position', () => {
    const index = SkyIndex.build(Float64Array.of(1, NaN, 3), Float64Array.of(0, 0, Infinity));
    expect(index.count).toBe(1);
    expect(Array.from(index.rows)).toEqual([0]);
  });
});
