// The sine and cosine of degrees behind every unit vector (src/sky-geometry.ts, twin
// assembly/sky-vectors.ts): within 1 ulp of the correctly rounded values (mpmath golden file),
// close to Math.sin/Math.cos, and the same bits from the TypeScript reference and each build.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getSkyMatchKernel, loadWasm, skyMatchReference, WASM_VARIANTS } from '../src/index.js';
import { writeUnitVectorsInKernel } from '../src/sky-index.js';
import { sinCosDegrees, writeUnitVectors } from '../src/sky-geometry.js';
import { prng } from './backends.js';

const golden = JSON.parse(readFileSync(new URL('./golden/sincos-degrees.json', import.meta.url), 'utf8')) as {
  rows: [string, string, string][];
};

const scratch = new DataView(new ArrayBuffer(8));
/** Position of a double on the line of all doubles (monotonic, +0 and -0 both 0). */
function ordinal(x: number): bigint {
  scratch.setFloat64(0, x);
  const bits = scratch.getBigInt64(0);
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}
/** Distance in ulps (doubles in between, plus one) of two doubles. */
function ulps(x: number, y: number): number {
  const d = ordinal(x) - ordinal(y);
  return Number(d < 0n ? -d : d);
}

const KERNELS = [
  ...WASM_VARIANTS.map((variant) => ({ name: variant, kernel: getSkyMatchKernel(loadWasm({ variant })) })),
  { name: 'reference', kernel: skyMatchReference() },
];

describe('sinCosDegrees', () => {
  it(`is within 1 ulp of mpmath on ${golden.rows.length} angles, exact at multiples of 90°`, () => {
    let worst = 0;
    let exact = 0;
    for (const [text, sinText, cosText] of golden.rows) {
      const [s, c] = sinCosDegrees(Number(text));
      const e = Math.max(ulps(s, Number(sinText)), ulps(c, Number(cosText)));
      worst = Math.max(worst, e);
      if (e === 0) exact++;
    }
    expect(worst).toBe(1);
    // most results are the correctly rounded ones (measured: 4274 of 4839 angles, 88 %)
    expect(exact).toBeGreaterThanOrEqual(4274);
  });

  it('gives exact values at multiples of 90° and NaN for non-finite angles', () => {
    expect(sinCosDegrees(0)).toEqual([0, 1]);
    expect(sinCosDegrees(90)).toEqual([1, -0]);
    expect(sinCosDegrees(-90)).toEqual([-1, 0]);
    expect(sinCosDegrees(180)).toEqual([-0, -1]);
    expect(sinCosDegrees(360)).toEqual([0, 1]);
    expect(sinCosDegrees(-720)).toEqual([0, 1]);
    expect(sinCosDegrees(1e20)).toEqual(sinCosDegrees(1e20 % 360));
    expect(sinCosDegrees(NaN)).toEqual([NaN, NaN]);
    expect(sinCosDegrees(Infinity)).toEqual([NaN, NaN]);
  });

  it('is within 2 ulps of Math.sin/Math.cos of radians on |x| ≤ 45°', () => {
    // beyond, the rounding of x·π/180 alone moves Math's results by many ulps near the zeros
    // (cos 120° = -0.4999999999999998), which the exact reduction in degrees does not have
    const rnd = prng(7);
    let worst = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = (rnd() - 0.5) * 90 * 10 ** -Math.floor(rnd() * 8);
      const [s, c] = sinCosDegrees(x);
      const t = (x * Math.PI) / 180;
      worst = Math.max(worst, ulps(s, Math.sin(t)), ulps(c, Math.cos(t)));
    }
    expect(worst).toBeLessThanOrEqual(2);
    expect(worst).toBeGreaterThan(0);
  });
});

describe('unit vectors', () => {
  const rnd = prng(11);
  const n = 20_001; // odd: the SIMD build's scalar tail runs too
  const ra = new Float64Array(n);
  const dec = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ra[i] = rnd() * 360;
    dec[i] = Math.asin(2 * rnd() - 1) * (180 / Math.PI);
  }
  const special = [0, -0, 90, -90, 180, 360, -45, 1e-300, 5e-324, 1e15, 2 ** 50 + 2, 1e20, -1e300, NaN, Infinity, -Infinity];
  for (let i = 0; i < special.length; i++) {
    ra[100 + 2 * i] = special[i];
    dec[101 + 2 * i] = special[special.length - 1 - i];
    ra[2000 + i] = special[i];
    dec[2000 + i] = special[i];
  }
  const expected = new Float64Array(3 * n);
  const expectedIds = new Int32Array(n);
  const count = writeUnitVectors(ra, dec, null, 0, n, expected, 0, expectedIds, 0);

  it('skips exactly the rows with a non-finite ra or dec', () => {
    let finite = 0;
    for (let i = 0; i < n; i++) if (Number.isFinite(ra[i]) && Number.isFinite(dec[i])) finite++;
    expect(count).toBe(finite);
    expect(count).toBeLessThan(n - 6);
  });

  for (const { name, kernel } of KERNELS) {
    it(`are the same bits on ${name} (columns staged in pieces, any start row)`, () => {
      const start = 3;
      kernel.reserve(16 * 65536 + 28 * n + 64);
      const stage = kernel.base;
      const coords = stage + 16 * 65536;
      const ids = coords + 24 * n;
      const k = writeUnitVectorsInKernel(kernel, ra, dec, start, n, stage, coords, ids);
      const skipped = [0, 1, 2].filter((i) => Number.isFinite(ra[i]) && Number.isFinite(dec[i])).length;
      expect(k).toBe(count - skipped);
      const got = new Float64Array(kernel.memory(), coords, 3 * k);
      const gotIds = new Int32Array(kernel.memory(), ids, k);
      expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(
        Buffer.from(expected.buffer, 24 * skipped, 24 * k),
      )).toBe(true);
      expect(Array.from(gotIds)).toEqual(Array.from(expectedIds.subarray(skipped, skipped + k)));
    });
  }

  it('reads plain arrays and Float32Array columns as their numbers', () => {
    const kernel = KERNELS[2].kernel;
    const rows = [0, 1, 2, 3, 4];
    const r32 = new Float32Array([10.5, 200.25, NaN, 359.75, 0.125]);
    const d32 = new Float32Array([-89.5, 45, 3, 0.25, 12]);
    kernel.reserve(16 * 5 + 28 * 5 + 64);
    const stage = kernel.base;
    const coords = stage + 80;
    const ids = coords + 120;
    const k = writeUnitVectorsInKernel(kernel, Array.from(r32), d32, 0, 5, stage, coords, ids);
    const out = new Float64Array(12);
    const outIds = new Int32Array(4);
    expect(writeUnitVectors(r32, d32, null, 0, 5, out, 0, outIds, 0)).toBe(k);
    expect(Array.from(new Float64Array(kernel.memory(), coords, 3 * k))).toEqual(Array.from(out));
    expect(Array.from(new Int32Array(kernel.memory(), ids, k))).toEqual(rows.filter((i) => i !== 2));
  });
});
