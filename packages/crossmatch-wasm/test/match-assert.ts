import { expect } from 'vitest';
import type { MatchResult } from '../src/index.js';

/** Exact equality of two results, fast on large arrays (vitest's deep equality is slow there). */
export function expectSame(actual: MatchResult, expected: MatchResult): void {
  const bytes = (x: ArrayBufferView) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  expect(actual.aIndex.length).toBe(expected.aIndex.length);
  const same = (['aIndex', 'bIndex', 'separation'] as const).every((k) => bytes(actual[k]).equals(bytes(expected[k])));
  if (!same) expect(actual).toEqual(expected); // shows the difference
}
