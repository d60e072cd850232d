/**
 * Correctly rounded decimal → double for significands of up to 18 digits and decimal exponents
 * within ±22, without strings: the case of doubles printed with 16–17 significant digits
 * (Python `repr`, Java `Double.toString`), which Clinger's one-operation fast path cannot take
 * because the significand is above 2^53.
 *
 * The significand M = a·10^8 + b is held exactly as a double-double (Knuth's TwoSum); the
 * product or quotient with 10^k (an exact double for k ≤ 22) is computed with Dekker's exact
 * TwoProduct, which leaves a correction term far smaller than one ulp whose own error is below
 * 2^-48 ulp. The rounded result is accepted only when the exact value is not within 2^-20 ulp
 * of a rounding midpoint, and at binade boundaries it is never accepted, so every accepted
 * result equals `Number(text)` bit for bit; otherwise NaN tells the caller to use `Number`.
 * (The same structure as the Eisel–Lemire fast path with its fallback, Lemire 2021,
 * "Number parsing at a gigabyte per second", with double-doubles instead of 128-bit products.)
 */

/** 10^k for k = 0..22, all exact doubles. */
const POW10: Float64Array = new Float64Array(23);
for (let k = 0; k <= 22; k++) POW10[k] = Number(`1e${k}`);

/** Dekker's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134217729;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Second output of `twoProduct`: the exact error of the product. */
let productError = 0;

/** a·b = result + productError exactly (Dekker 1971), for finite a, b without overflow. */
function twoProduct(a: number, b: number): number {
  const p = a * b;
  let c = SPLITTER * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLITTER * b;
  const bh = c - (c - b);
  const bl = b - bh;
  productError = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

/**
 * One unit in the last place of a positive normal double `f`, or 0 when `f` is a power of two
 * (where the ulp below differs from the one above; the caller falls back then).
 */
function ulpOf(f: number): number {
  f64[0] = f;
  const hi = u32[HIGH];
  const lo = u32[1 - HIGH];
  if ((hi & 0xfffff) === 0 && lo === 0) return 0;
  const exponent = (hi >>> 20) & 0x7ff;
  if (exponent <= 52 || exponent === 0x7ff) return 0;
  // 2^(E − 1075) has biased exponent E − 52 and a zero fraction.
  u32[HIGH] = (exponent - 52) << 20;
  u32[1 - HIGH] = 0;
  return f64[0];
}

/**
 * The double nearest to (a·10^8 + b)·10^exp, for integers 0 ≤ a < 10^10, 0 ≤ b < 10^8 and
 * −22 ≤ exp ≤ 22; NaN when the result cannot be certified (then use `Number(text)`).
 */
export function decimalToDouble(a: number, b: number, exp: number): number {
  // M = s + t exactly: a·10^8 is exact because a·5^8 < 2^53.
  const x = a * 1e8;
  const s = x + b;
  const bv = s - x;
  const t = x - (s - bv) + (b - bv);
  let approx: number;
  let correction: number;
  if (exp < 0) {
    const p = POW10[-exp];
    const q = s / p;
    const p1 = twoProduct(q, p);
    // s - p1 is exact (Sterbenz: p1 is within one ulp of s); what is left is below one ulp.
    const residual = s - p1 - productError + t;
    approx = q;
    correction = residual / p;
  } else {
    const p = POW10[exp];
    approx = twoProduct(s, p);
    correction = productError + t * p;
  }
  const f = approx + correction;
  // Distance from f to the exact value, and the rounding midpoint half an ulp away.
  const d = approx - f + correction;
  const u = ulpOf(f);
  if (u === 0) return NaN;
  const half = u * 0.5;
  const ad = d < 0 ? -d : d;
  if (ad >= half || half - ad < u * 9.5367431640625e-7) return NaN;
  return f;
}
