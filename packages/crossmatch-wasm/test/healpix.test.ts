// HEALPix behaviour on every backend: the committed golden file (healpy edge cases for every
// order), round trips, batched/Into twins, NUNIQ, coverage edge cases, and input errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  HealpixError,
  healpixReference,
  npix,
  nside2order,
  OptionsError,
  order2nside,
  pix2uniq,
  pixelsToRanges,
  rangesToPixels,
  uniq2pix,
} from '../src/index.js';
import { BACKENDS, prng } from './backends.js';

interface GoldenCase {
  order: number;
  /** Pixel corners and edge points whose pixel one ulp of θ changes (lon, lat degrees). */
  edgeLon: number[];
  edgeLat: number[];
  edgeNest: string[];
  edgeRing: string[];
  nest: string[];
  ring: string[];
  pix: string[];
  nest2ring: string[];
  ring2nest: string[];
  neighboursNest: string[][];
  neighboursRing: string[][];
}
const golden = JSON.parse(readFileSync(new URL('./golden/healpix.json', import.meta.url), 'utf8')) as {
  lon: number[];
  lat: number[];
  cases: GoldenCase[];
  /** glibc's cos and sin of θ (as healpy computes them). */
  libm: { theta: number[]; cos: number[]; sin: number[] };
};
const big = (values: string[]) => BigInt64Array.from(values, (v) => BigInt(v));

function randomPixels(order: number, count: number, seed: number): BigInt64Array {
  const rnd = prng(seed);
  const n = npix(order);
  return BigInt64Array.from({ length: count }, () => ((BigInt(Math.floor(rnd() * 2 ** 32)) << 32n) | BigInt(Math.floor(rnd() * 2 ** 32))) % n);
}

describe.each(BACKENDS)('HEALPix: $name', ({ healpix }) => {
  const lon = Float64Array.from(golden.lon);
  const lat = Float64Array.from(golden.lat);

  it.each(golden.cases.map((c) => [c.order, c] as const))('reproduces the golden healpy edge cases at order %i', (order, c) => {
    expect(Array.from(healpix.ang2pix(order, lon, lat, { nest: true, lonlat: true }))).toEqual(Array.from(big(c.nest)));
    expect(Array.from(healpix.ang2pix(order, lon, lat, { lonlat: true }))).toEqual(Array.from(big(c.ring)));
    const pix = big(c.pix);
    expect(Array.from(healpix.nest2ring(order, pix))).toEqual(Array.from(big(c.nest2ring)));
    expect(Array.from(healpix.ring2nest(order, pix))).toEqual(Array.from(big(c.ring2nest)));
    pix.forEach((p, i) => {
      expect(Array.from(healpix.neighbours(order, p, { nest: true }))).toEqual(Array.from(big(c.neighboursNest[i])));
      expect(Array.from(healpix.neighbours(order, p))).toEqual(Array.from(big(c.neighboursRing[i])));
    });
  });

  it.each(golden.cases.map((c) => [c.order, c] as const))('reproduces healpy on points whose pixel depends on the last bit of cos θ at order %i', (order, c) => {
    const edgeLon = Float64Array.from(c.edgeLon);
    const edgeLat = Float64Array.from(c.edgeLat);
    expect(edgeLon.length).toBeGreaterThan(order === 0 ? 10 : 30);
    expect(Array.from(healpix.ang2pix(order, edgeLon, edgeLat, { nest: true, lonlat: true }))).toEqual(Array.from(big(c.edgeNest)));
    expect(Array.from(healpix.ang2pix(order, edgeLon, edgeLat, { lonlat: true }))).toEqual(Array.from(big(c.edgeRing)));
    c.edgeLon.forEach((lonValue, i) => {
      expect(healpix.ang2pix(order, lonValue, c.edgeLat[i], { nest: true, lonlat: true })).toBe(BigInt(c.edgeNest[i]));
    });
  });

  it("computes cos θ and sin θ on [0, π] exactly as glibc (healpy's libm) does", () => {
    const theta = Float64Array.from(golden.libm.theta);
    const cos = new Float64Array(theta.length);
    const sin = new Float64Array(theta.length);
    healpix.kernel.libm('cos-glibc', theta, null, cos);
    healpix.kernel.libm('sin-glibc', theta, null, sin);
    expect(Array.from(cos)).toEqual(golden.libm.cos);
    expect(Array.from(sin)).toEqual(golden.libm.sin);
  });

  it("has a fast cos within 3·2^-53 of glibc's on [0.01, π − 0.01] (ang2pix's edge margins assume 8)", () => {
    const theta = Float64Array.from(golden.libm.theta.filter((t) => t >= 0.01 && t <= 3.14159 - 0.01));
    const fast = new Float64Array(theta.length);
    healpix.kernel.libm('cos-fast', theta, null, fast);
    let worst = 0;
    theta.forEach((_, i) => (worst = Math.max(worst, Math.abs(fast[i] - golden.libm.cos[golden.libm.theta.indexOf(theta[i])]) / 2 ** -53)));
    expect(theta.length).toBeGreaterThan(3000);
    expect(worst).toBeLessThanOrEqual(3);
  });

  it('gives healpy values for single positions (RA 0 = RA 360, last pixel centre)', () => {
    expect(healpix.ang2pix(29, 360, 0, { nest: true, lonlat: true })).toBe(1369094286720630784n);
    expect(healpix.ang2pix(29, 0, 0, { nest: true, lonlat: true })).toBe(1369094286720630784n);
    expect(healpix.ang2pix(29, 359.99999999999994, -0, { nest: true, lonlat: true })).toBe(1273017494670060202n);
    expect(healpix.pix2ang(29, 12n * 4n ** 29n - 1n, { nest: true, lonlat: true })).toEqual([315, -7.114780942174548e-8]);
    expect(healpix.pix2ang(0, 4, { lonlat: true })).toEqual([0, 0]);
    expect(healpix.ang2pix(4, Math.PI / 2, 0)).toBe(1440n);
    expect(healpix.ang2pix(4, 0, 0)).toBe(0n);
    expect(healpix.ang2pix(4, Math.PI, 0)).toBe(3068n);
  });

  it('matches healpy max_pixrad', () => {
    expect(healpix.maxPixrad(0)).toBe(0.8410686705679302);
    expect(healpix.maxPixrad(1)).toBe(0.48146047147606696);
    expect(healpix.maxPixrad(10)).toBe(0.0010437213083341575);
    expect(healpix.maxPixrad(29)).toBe(1.9911098427693513e-9);
  });

  it.each([0, 1, 5, 13, 20, 28, 29])('maps every pixel centre back to its pixel at order %i', (order) => {
    const pix = randomPixels(order, 2000, 7 + order);
    for (const nest of [true, false]) {
      const [theta, phi] = healpix.pix2ang(order, pix, { nest });
      expect(Array.from(healpix.ang2pix(order, theta, phi, { nest }))).toEqual(Array.from(pix));
      const [x, y, z] = healpix.pix2vec(order, pix, { nest });
      expect(Array.from(healpix.vec2pix(order, x, y, z, { nest }))).toEqual(Array.from(pix));
    }
    expect(Array.from(healpix.ring2nest(order, healpix.nest2ring(order, pix)))).toEqual(Array.from(pix));
  });

  it.each([0, 3, 17, 29])('finds neighbours that are mutual at order %i', (order) => {
    const pix = randomPixels(order, 300, 99 + order);
    const nb = healpix.neighbours(order, pix, { nest: true });
    for (let i = 0; i < pix.length; i++) {
      for (let k = 0; k < 8; k++) {
        const q = nb[k * pix.length + i];
        if (q < 0n) continue;
        expect(Array.from(healpix.neighbours(order, q, { nest: true }))).toContain(pix[i]);
      }
    }
  });

  it('gives the same answers one value at a time as in batches', () => {
    const rnd = prng(77);
    const n = 300;
    const lon = Float64Array.from({ length: n }, () => rnd() * 400 - 20);
    const lat = Float64Array.from({ length: n }, () => Math.asin(2 * rnd() - 1) * (180 / Math.PI));
    for (const order of [0, 11, 29]) {
      for (const nest of [true, false]) {
        const batch = healpix.ang2pix(order, lon, lat, { nest, lonlat: true });
        const pix = randomPixels(order, n, order + 5);
        const [a, b] = healpix.pix2ang(order, pix, { nest, lonlat: true });
        const [x, y, z] = healpix.pix2vec(order, pix, { nest });
        const ring = healpix.nest2ring(order, pix);
        const vec = healpix.vec2pix(order, x, y, z, { nest });
        for (let i = 0; i < n; i++) {
          expect(healpix.ang2pix(order, lon[i], lat[i], { nest, lonlat: true })).toBe(batch[i]);
          expect(healpix.pix2ang(order, pix[i], { nest, lonlat: true })).toEqual([a[i], b[i]]);
          expect(healpix.pix2vec(order, pix[i], { nest })).toEqual([x[i], y[i], z[i]]);
          expect(healpix.vec2pix(order, x[i], y[i], z[i], { nest })).toBe(vec[i]);
          expect(healpix.nest2ring(order, pix[i])).toBe(ring[i]);
          expect(healpix.ring2nest(order, ring[i])).toBe(pix[i]);
        }
      }
    }
  });

  it('writes batches into caller arrays and reports counts', () => {
    const theta = Float64Array.of(0.1, 1, 2, 3);
    const phi = Float64Array.of(0, 1, 2, 3);
    const out = new BigInt64Array(6).fill(-7n);
    expect(healpix.ang2pixInto(10, theta, phi, out, { nest: true })).toBe(4);
    expect(Array.from(out.subarray(0, 4))).toEqual(Array.from(healpix.ang2pix(10, theta, phi, { nest: true })));
    expect(out[4]).toBe(-7n);
    expect(() => healpix.ang2pixInto(10, theta, phi, new BigInt64Array(3))).toThrow(OptionsError);
    expect(() => healpix.ang2pixInto(10, theta, Float64Array.of(1), out)).toThrow(/differ in length/);
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    expect(healpix.pix2angInto(10, out.subarray(0, 4), a, b, { nest: true })).toBe(4);
    expect(healpix.neighboursInto(10, out.subarray(0, 2), new BigInt64Array(16), { nest: true })).toBe(2);
  });

  it('processes batches longer than one WebAssembly chunk', () => {
    const n = 40_000; // > 2 chunks of 16384
    const rnd = prng(5);
    const ra = Float64Array.from({ length: n }, () => rnd() * 360);
    const dec = Float64Array.from({ length: n }, () => Math.asin(2 * rnd() - 1) * (180 / Math.PI));
    const pix = healpix.ang2pix(12, ra, dec, { nest: true, lonlat: true });
    const one = Array.from({ length: n }, (_, i) => (i % 997 === 0 ? healpix.ang2pix(12, ra[i], dec[i], { nest: true, lonlat: true }) : pix[i]));
    expect(Array.from(pix)).toEqual(one);
    const nb = healpix.neighbours(12, pix, { nest: true });
    expect(nb[3 * n + 20_000]).toBe(healpix.neighbours(12, pix[20_000], { nest: true })[3]);
  });

  it('marks invalid batch elements and rejects invalid scalars', () => {
    const out = healpix.ang2pix(5, Float64Array.of(10, 10, NaN, 10), Float64Array.of(0, 91, 0, -90.5), { lonlat: true });
    expect(Array.from(out)).toEqual([healpix.ang2pix(5, 10, 0, { lonlat: true }), -1n, -1n, -1n]);
    expect(() => healpix.ang2pix(5, 10, 91, { lonlat: true })).toThrow(HealpixError);
    expect(() => healpix.ang2pix(5, -0.1, 0)).toThrow(/theta must be within/);
    expect(() => healpix.ang2pix(30, 0, 0)).toThrow(/order must be an integer from 0 to 29, got 30/);
    expect(() => healpix.pix2ang(1, 48n)).toThrow(/pixel 48 is outside 0..47 at order 1/);
    expect(Array.from(healpix.nest2ring(1, BigInt64Array.of(-1n, 48n, 47n)))).toEqual([-1n, -1n, 35n]);
    const [t] = healpix.pix2ang(1, BigInt64Array.of(48n));
    expect(Number.isNaN(t[0])).toBe(true);
    expect(() => healpix.vec2pix(3, 0, 0, 0)).toThrow(HealpixError);
    expect(() => healpix.boundaries(3, 0n, 0)).toThrow(OptionsError);
  });

  it('converts NUNIQ in batches into caller arrays', () => {
    const pix = BigInt64Array.of(0n, 5n, 191n, 192n, -1n);
    const uniq = new BigInt64Array(5);
    expect(healpix.pix2uniqInto(2, pix, uniq)).toBe(5);
    expect(Array.from(uniq)).toEqual([64n, 69n, 255n, -1n, -1n]);
    const orders = new Int32Array(5);
    const back = new BigInt64Array(5);
    expect(healpix.uniq2pixInto(BigInt64Array.of(64n, 69n, 255n, 3n, 2n ** 62n - 1n), orders, back)).toBe(5);
    expect(Array.from(orders)).toEqual([2, 2, 2, -1, 29]);
    expect(Array.from(back)).toEqual([0n, 5n, 191n, -1n, 12n * 4n ** 29n - 1n]);
    const { orders: o2, pix: p2 } = healpix.uniq2pix(healpix.pix2uniq(29, BigInt64Array.of(0n, 12n * 4n ** 29n - 1n)));
    expect(Array.from(o2)).toEqual([29, 29]);
    expect(Array.from(p2)).toEqual([0n, 12n * 4n ** 29n - 1n]);
    expect(Array.from(healpix.uniq2pix(BigInt64Array.of(2n ** 62n, -5n)).orders)).toEqual([-1, -1]);
  });

  it('returns pixel boundaries as healpy (3, 4·step) arrays', () => {
    // the 4 corners of NEST pixel 0 at order 0 (face 0): north pole, then counter-clockwise
    const b = healpix.boundaries(0, 0n, 1, { nest: true });
    expect(b.length).toBe(12);
    expect(b[8]).toBe(1); // z of the north corner
    expect(b[10]).toBe(0); // z of the south corner, on the equator
    expect(b[9]).toBeCloseTo(2 / 3, 15);
    expect(healpix.boundaries(3, 100n, 4).length).toBe(48);
    const out = new Float64Array(50);
    expect(healpix.boundariesInto(3, 100n, 4, out)).toBe(16);
    expect(Array.from(out.subarray(0, 48))).toEqual(Array.from(healpix.boundaries(3, 100n, 4)));
    expect(() => healpix.boundariesInto(3, 100n, 5, out)).toThrow(/out has 50 elements, needs 60/);
  });

  it('covers the whole sphere for a disc of radius π and nothing outside small discs', () => {
    expect(Array.from(healpix.queryDisc(3, [0, 0, 1], Math.PI, { nest: true }))).toEqual([0n, 768n]);
    expect(Array.from(healpix.queryDisc(3, [0, 0, 1], Math.PI))).toEqual([0n, 768n]);
    const ranges = healpix.queryDisc(8, [0.3, -0.2, 0.5], 0.05, { nest: true });
    for (let i = 0; i + 2 < ranges.length; i += 2) expect(ranges[i + 1] < ranges[i + 2]).toBe(true);
    const pix = rangesToPixels(ranges);
    const [x, y, z] = healpix.pix2vec(8, pix, { nest: true });
    const c = [0.3, -0.2, 0.5].map((v) => v / Math.hypot(0.3, -0.2, 0.5));
    for (let i = 0; i < pix.length; i++) expect(x[i] * c[0] + y[i] * c[1] + z[i] * c[2]).toBeGreaterThanOrEqual(Math.cos(0.05));
    expect(Array.from(pixelsToRanges(pix))).toEqual(Array.from(ranges));
  });

  it('handles polygons with many vertices like the reference', () => {
    // a regular 600-gon of radius 5° around (lon 30°, lat 20°): convex, many circles
    const c = [Math.cos(20 * (Math.PI / 180)) * Math.cos(Math.PI / 6), Math.cos(20 * (Math.PI / 180)) * Math.sin(Math.PI / 6), Math.sin(20 * (Math.PI / 180))];
    const e1 = [-c[1], c[0], 0].map((v) => v / Math.hypot(c[0], c[1]));
    const e2 = [c[1] * e1[2] - c[2] * e1[1], c[2] * e1[0] - c[0] * e1[2], c[0] * e1[1] - c[1] * e1[0]];
    const r = Math.tan(5 * (Math.PI / 180));
    const vertices = Array.from({ length: 600 }, (_, k) => {
      const a = (2 * Math.PI * k) / 600;
      return [0, 1, 2].map((d) => c[d] + r * (Math.cos(a) * e1[d] + Math.sin(a) * e2[d]));
    });
    for (const inclusive of [false, true]) {
      const ours = healpix.queryPolygon(9, vertices, { nest: true, inclusive });
      expect(Array.from(ours)).toEqual(Array.from(healpixReference.queryPolygon(9, vertices, { nest: true, inclusive })));
      expect(rangesToPixels(ours).length).toBeGreaterThan(inclusive ? 6000 : 5900); // π·(5°)² ≈ 5980 pixels of order 9
    }
  });

  it('rejects polygons that are not convex or degenerate, and bad oversampling', () => {
    const square = [
      [1, 0, 0.2],
      [0, 1, 0.2],
      [-1, 0, 0.2],
      [0, -1, 0.2],
    ];
    // a dart: the fourth vertex lies inside the triangle of the first three
    expect(() => healpix.queryPolygon(3, [[0.1, 0, 1], [0, 0.1, 1], [-0.1, 0, 1], [0, 0.02, 1]])).toThrow(/not convex/);
    expect(() => healpix.queryPolygon(3, [[1, 0, 0], [0, 1, 0], [-1, 0, 0]])).toThrow(/degenerate corner/);
    expect(healpix.queryPolygon(3, square, { nest: true }).length).toBeGreaterThan(0);
    expect(() => healpix.queryDisc(28, [1, 0, 0], 1e-6, { inclusive: true, fact: 4 })).toThrow(OptionsError);
    expect(() => healpix.queryDisc(10, [1, 0, 0], 1e-3, { inclusive: true, fact: 3 })).toThrow(/power of two/);
    expect(() => healpix.queryDisc(10, [0, 0, 0], 1e-3)).toThrow(/no direction/);
  });
});

describe('NUNIQ and order helpers', () => {
  it('converts between (order, pixel) and NUNIQ both ways', () => {
    expect(pix2uniq(0, 0n)).toBe(4n);
    expect(pix2uniq(29, 12n * 4n ** 29n - 1n)).toBe(2n ** 62n - 1n);
    expect(uniq2pix(4n)).toEqual({ order: 0, pix: 0n });
    expect(uniq2pix(2n ** 62n - 1n)).toEqual({ order: 29, pix: 12n * 4n ** 29n - 1n });
    expect(uniq2pix(pix2uniq(17, 123456789n))).toEqual({ order: 17, pix: 123456789n });
    expect(() => uniq2pix(3n)).toThrow(HealpixError);
    expect(() => pix2uniq(1, 48n)).toThrow(HealpixError);
  });

  it('converts orders, nsides and pixel counts', () => {
    expect(order2nside(29)).toBe(536870912);
    expect(nside2order(536870912)).toBe(29);
    expect(npix(29)).toBe(3458764513820540928n);
    expect(() => nside2order(3)).toThrow(HealpixError);
    expect(() => order2nside(-1)).toThrow(HealpixError);
  });
});
