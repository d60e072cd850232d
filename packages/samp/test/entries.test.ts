// The environment split of STYLE.md §3: the browser entry must not reach node:* modules.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Every module specifier reachable from `entry` through relative imports. */
function importGraph(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(`${SRC}${file}`, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\('([^']+)'\)/g)) {
      const spec = (m[1] ?? m[2])!;
      if (/^import\s+type\s/.test(m[0].trim())) continue;
      if (spec.startsWith('./')) visit(spec.slice(2).replace(/\.js$/, '.ts'));
      else external.add(spec);
    }
  };
  visit(entry);
  return { files, external };
}

describe('package entries', () => {
  it('keeps node:* and the Standard Profile out of the browser entry', () => {
    const { files, external } = importGraph('browser.ts');
    expect([...external]).toEqual([]);
    expect([...files].sort()).toEqual(['browser.ts', 'client-base.ts', 'errors.ts', 'message.ts', 'mtypes.ts', 'web-client.ts', 'xmlrpc-transport.ts', 'xmlrpc.ts']);
  });

  it('maps the browser condition to the browser entry', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(manifest.exports['.'].browser).toBe('./dist/browser.js');
    expect(manifest.exports['./web'].default).toBe('./dist/browser.js');
    expect(manifest.exports['.'].node).toBe('./dist/index.js');
  });

  it('the node entry reaches node:* only through the Standard Profile and hub modules', () => {
    const { external } = importGraph('index.ts');
    expect([...external].sort()).toEqual([
      '@vokit/votable',
      'node:crypto',
      'node:fs',
      'node:http',
      'node:https',
      'node:os',
      'node:path',
      'node:readline',
      'node:url',
    ]);
  });
});
