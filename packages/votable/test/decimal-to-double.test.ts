// The string-free decimal → double path of TABLEDATA (decimal-to-double.ts) must equal
// Number(text) bit for bit whenever it answers, and decline (NaN) when it cannot be sure.
import { describe, expect, it } from 'vitest';
import { getFirstTable, parseVOTableSync } from '@vokit/votable';

/** mulberry32, seeded: failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function parseDoubles(texts: string[]): number[] {
  const rows = texts.map((t) => `<TR><TD>${t}</TD></TR>`).join('');
  const xml = `<VOTABLE version="1.3"><RESOURCE><TABLE><FIELD name="x" datatype="double"/><DATA><TABLEDATA>${rows}</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>`;
  return getFirstTable(parseVOTableSync(xml)).columns[0].toArray() as number[];
}

describe('decimal to double', () => {
  it('equals Number() on 200k random 1- to 19-digit decimals with exponents -30..30', () => {
    const random = prng(20240601);
    const texts: string[] = [];
    for (let k = 0; k < 200_000; k++) {
      const n = 1 + Math.floor(random() * 19);
      let digits = String(1 + Math.floor(random() * 9));
      for (let d = 1; d < n; d++) digits += Math.floor(random() * 10);
      const point = Math.floor(random() * (n + 1));
      const exp = Math.floor(random() * 61) - 30;
      const sign = random() < 0.3 ? '-' : '';
      texts.push(`${sign}${digits.slice(0, point)}.${digits.slice(point)}${exp ? `e${exp}` : ''}`);
    }
    const got = parseDoubles(texts);
    const bad = texts.filter((t, k) => !Object.is(got[k], Number(t)));
    expect(bad).toEqual([]);
  });

  it('equals Number() on shortest round-trip representations of random doubles (16-17 digits)', () => {
    const random = prng(7);
    const texts: string[] = [];
    for (let k = 0; k < 100_000; k++) texts.push(String((random() - 0.5) * 10 ** Math.floor(random() * 12 - 4)));
    const got = parseDoubles(texts);
    expect(texts.filter((t, k) => !Object.is(got[k], Number(t)))).toEqual([]);
  });

  it('rounds exact midpoints to even, as Number() does', () => {
    const texts = ['9007199254740993', '9007199254740995', '9007199254740997', '18014398509481985', '1.00000000000000011102230246251565', '0.50000000000000005551115123125783'];
    expect(parseDoubles(texts)).toEqual(texts.map(Number));
  });
});
