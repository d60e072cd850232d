/**
 * Decimal text for float values that reads back to the same bits: doubles through JavaScript's
 * shortest round-trip `String(x)` (ECMA-262 Number::toString), float32 values through the
 * shortest decimal that rounds back to the same float32, so a float column printed from
 * VOTable `float` shows `0.1`, not the double expansion `0.10000000149011612`.
 */

/**
 * Text of a double: the shortest decimal that parses back to `value`; `NaN`, `Infinity`,
 * `-Infinity` for the non-finite values, `-0` for negative zero (kept so the sign survives).
 */
export function formatFloat64(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  return String(value);
}

/**
 * Text of a float32 value (given as the double it widens to): the decimal with the fewest
 * significant digits that `Math.fround` maps back to `value`. Same spellings as
 * `formatFloat64` for zero and the non-finite values.
 */
export function formatFloat32(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  if (!Number.isFinite(value)) return String(value);
  // Nine significant digits always round-trip a float32 (IEEE 754-2019 §5.12.2), and more
  // digits only bring the decimal closer to the value, so "round-trips at p digits" is monotone
  // in p. Most float32 data needs 8 or 9 digits (values computed in binary) or at most 7 (values
  // that started as short decimals): probe 8, then 7, and search below 7 only when 7 works.
  const eight = Number(value.toPrecision(8));
  if (Math.fround(eight) !== value) return String(Number(value.toPrecision(9)));
  const seven = Number(value.toPrecision(7));
  if (Math.fround(seven) !== value) return String(eight);
  let low = 1;
  let high = 7;
  let best = seven;
  while (low < high) {
    const mid = (low + high) >> 1;
    const candidate = Number(value.toPrecision(mid));
    if (Math.fround(candidate) === value) {
      high = mid;
      best = candidate;
    } else {
      low = mid + 1;
    }
  }
  // String() of the parsed decimal drops the zeros and exponent forms toPrecision writes
  // ("1.0e+2") and has at most that many digits, since that decimal itself round-trips.
  return String(best);
}
