// One vitest preset for every package: in-repo sources through the "@vokit/source" export
// condition (no rebuild loop), a JSON report per package that scripts/sum-results.mjs totals,
// and the lanes of STYLE.md §20 (external and browser lanes have their own commands).
import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

export const SOURCE_CONDITIONS = ['@vokit/source', 'import', 'module', 'node', 'default'];

export function defineVokitConfig(overrides: ViteUserConfig = {}): ViteUserConfig {
  return mergeConfig(
    defineConfig({
      resolve: { conditions: SOURCE_CONDITIONS },
      ssr: { resolve: { conditions: SOURCE_CONDITIONS, externalConditions: ['@vokit/source'] } },
      test: {
        include: ['test/**/*.test.ts'],
        exclude: ['**/node_modules/**', '**/*.external.test.ts', '**/*.browser.test.ts'],
        reporters: ['default', ['json', { outputFile: '.vitest-result.json' }]],
        testTimeout: 60_000,
        hookTimeout: 120_000,
        pool: 'forks',
        maxWorkers: 2,
      },
    }),
    overrides,
  );
}
