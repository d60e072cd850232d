import { describe, expect, it } from 'vitest';
import { formatFloat32, formatFloat64 } from '../src/formats/number-text.js';

describe('float text', () => {
  it('finds the shortest float32 text for every bit pattern it samples', () => {
    // Seeded xorshift over raw float32 bits; each text must read back to the same float32 and
    // no shorter precision may.
    const f = new Float32Array(1);
    const bits = new Uint32Array(f.buffer);
    let state = 0x9e3779b9;
    let checked = 0;
    for (let i = 0; i < 20000; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      bits[0] = state >>> 0;
      const v = f[0];
      if (!Number.isFinite(v) || v === 0) continue;
      const text = formatFloat32(v);
      expect(Math.fround(Number(text))).toBe(v);
      const digits = text.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length;
      if (digits > 1) expect(Math.fround(Number(v.toPrecision(digits - 1)))).not.toBe(v);
      checked++;
    }
    expect(checked).toBeGreaterThan(19000);
  });

  it('spells zeros and non-finite values', () => {
    expect([0, -0, NaN, Infinity, -Infinity].map(formatFloat32)).toEqual(['0', '-0', 'NaN', 'Infinity', '-Infinity']);
    expect([0, -0, NaN, Infinity, -Infinity].map(formatFloat64)).toEqual(['0', '-0', 'NaN', 'Infinity', '-Infinity']);
  });

  it('prints doubles as JavaScript does', () => {
    expect([0.1 + 0.2, 1e-7, 123456789012345680000].map(formatFloat64)).toEqual(['0.30000000000000004', '1e-7', '123456789012345680000']);
  });
});
