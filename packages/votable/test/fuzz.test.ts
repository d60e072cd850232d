// Fast lane of the mutation fuzzer (support/fuzz-harness.ts): 500 cases from a fixed seed.
// The slow lane (fuzz.slow.test.ts) runs 10,000 more. Any error other than a VOTableError,
// any hang past the per-case deadline, any crashed worker or inconsistent column is a finding.
import { describe, expect, it } from 'vitest';
import { describeFindings, generateCases, loadFixtures, runFuzz } from './support/fuzz-harness.js';

describe('fuzz (fast lane)', () => {
  it('sees only typed errors on 500 mutated fixtures', async () => {
    const report = await runFuzz({ seed: 0x5eed, cases: 500, caseTimeoutMs: 5000 });
    expect(report.cases).toBe(500);
    expect(describeFindings(report), `${report.findings.length} findings`).toEqual([]);
    // The harness really reaches the parser both ways: some mutants parse, most fail typed.
    expect(report.ok).toBeGreaterThan(25);
    expect(report.typed).toBeGreaterThan(100);
    expect(report.slowestMs).toBeLessThan(5000);
  }, 120_000);
});

describe('fuzz harness', () => {
  it('generates the same cases from the same seed, and different ones from another', () => {
    const fixtures = loadFixtures();
    const describeCase = (c: { fixture: string; what: string[]; bytes: Uint8Array }): string =>
      `${c.fixture} ${c.what.join('; ')} ${c.bytes.length}`;
    const a = [...generateCases(7, 40, fixtures)].map(describeCase);
    const b = [...generateCases(7, 40, fixtures)].map(describeCase);
    const c = [...generateCases(8, 40, fixtures)].map(describeCase);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a).size).toBe(40);
  });

  it('reports untyped errors from a parser that throws them', async () => {
    const entry = new URL('./support/fuzz-fake-parser.mjs', import.meta.url).href;
    const report = await runFuzz({ seed: 1, cases: 40, entry });
    expect(report.cases).toBe(40);
    expect(report.typed + report.findings.length).toBe(40);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.outcome === 'untyped' && f.detail.startsWith('TypeError: fake: untyped'))).toBe(true);
  }, 60_000);

  it('ends a parser that hangs at the deadline and carries on with a fresh worker', async () => {
    const entry = new URL('./support/fuzz-hanging-parser.mjs', import.meta.url).href;
    const started = performance.now();
    const report = await runFuzz({ seed: 1, cases: 2, caseTimeoutMs: 300, entry });
    expect(report.findings.map((f) => f.outcome)).toEqual(['hang', 'hang']);
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 60_000);
});
