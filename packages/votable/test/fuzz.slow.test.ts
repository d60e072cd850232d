// Slow lane of the mutation fuzzer (issue 3: at least 10k cases), also run in CI by
// scripts/test-all.sh. Its seed differs from the fast lane's; set VOKIT_FUZZ_SEED to explore
// other cases (a finding prints its seed and case number, and saves its input to replay).
import { describe, expect, it } from 'vitest';
import { describeFindings, runFuzz } from './support/fuzz-harness.js';

const SEED = Number(process.env.VOKIT_FUZZ_SEED ?? 20261125);
const CASES = 10_000;

describe('fuzz (slow lane)', () => {
  it(`sees only typed errors on ${CASES} mutated fixtures (seed ${SEED})`, async () => {
    const report = await runFuzz({ seed: SEED, cases: CASES, caseTimeoutMs: 5000, workers: 2 });
    expect(report.cases).toBe(CASES);
    expect(describeFindings(report), `${report.findings.length} findings`).toEqual([]);
    expect(report.ok).toBeGreaterThan(CASES / 20);
    expect(report.typed).toBeGreaterThan(CASES / 5);
  }, 180_000);
});
