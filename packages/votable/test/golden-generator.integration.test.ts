// The committed goldens are exactly what the committed generator writes today: runs
// scripts/golden.py --check with Debian's astropy (and STILTS for its second opinions), both
// installed by scripts/setup.sh. A failure lists the stale goldens: rerun the script.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../scripts/golden.py', import.meta.url));

describe('golden generator', () => {
  it('reproduces every committed golden (scripts/golden.py --check)', () => {
    let output = '';
    let status = 0;
    try {
      output = execFileSync('/usr/bin/python3', [SCRIPT, '--check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    } catch (error) {
      const e = error as { status?: number; stdout?: string; stderr?: string };
      status = e.status ?? -1;
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    expect(output.trim(), 'stale goldens: run /usr/bin/python3 packages/votable/scripts/golden.py').toBe('');
    expect(status).toBe(0);
  }, 150_000);
});
