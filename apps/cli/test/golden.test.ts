// `vokit convert --format jsonl` against astropy and numpy (scripts/golden-jsonl.py): the same
// values, floats at the shortest text numpy finds for their own precision.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, FIXTURES, runVokit } from './run-vokit.js';

const CASES: Record<string, string> = {
  'rosat-scs': 'pyvo/dal/scs/result.xml',
};

beforeAll(() => assertBuilt());

describe('JSON Lines against astropy', () => {
  it.each(Object.entries(CASES))('matches %s', async (name, path) => {
    const expected = readFileSync(new URL(`./golden/${name}.expected.jsonl`, import.meta.url), 'utf8').trimEnd().split('\n');
    const result = await runVokit(['convert', join(FIXTURES, path), '-', '--format', 'jsonl']);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n').slice(0, expected.length);
    expect(lines.length).toBe(expected.length);
    // A float32 value compares equal only when our text is numpy's shortest decimal: the double
    // expansion (0.15000000596046448 for 0.15) parses to a different number.
    for (let i = 0; i < expected.length; i++) expect(JSON.parse(lines[i]), `row ${i}`).toEqual(JSON.parse(expected[i]));
  });
});
