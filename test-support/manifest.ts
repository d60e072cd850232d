// Checks a workspace package's manifest against the rules of the root README ("Packages and
// the dependency rule"): exports with `types` first and the private source condition, files,
// engines, sideEffects, and only the runtime dependencies the rule allows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Runtime dependencies each package may have (the dependency rule, written down once). */
export const ALLOWED_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  '@vokit/votable': [],
  '@vokit/crossmatch-wasm': [],
  '@vokit/dal': ['@vokit/votable', 'fast-xml-parser', 'undici'],
  '@vokit/registry': ['@vokit/dal', '@vokit/votable'],
  '@vokit/datalink': ['@vokit/dal', '@vokit/votable'],
  '@vokit/samp': ['@vokit/votable', 'fast-xml-parser'],
  '@vokit/cli': [
    '@vokit/votable',
    '@vokit/crossmatch-wasm',
    '@vokit/dal',
    '@vokit/registry',
    '@vokit/datalink',
    '@vokit/samp',
  ],
};

export function readManifest(packageDir: string): Record<string, any> {
  return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
}

/** Asserts the manifest rules for the package in `packageDir`. */
export function checkManifest(packageDir: string, options: { app?: boolean } = {}): void {
  const manifest = readManifest(packageDir);
  const allowed = ALLOWED_DEPENDENCIES[manifest.name];
  expect(allowed, `${manifest.name} is listed in ALLOWED_DEPENDENCIES`).toBeDefined();
  expect(manifest.type).toBe('module');
  expect(manifest.engines?.node).toBe('>=20');
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    expect(allowed, `${manifest.name} may not depend on ${dep}`).toContain(dep);
  }
  for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
    if (dep.startsWith('@vokit/')) expect(range).toBe('workspace:^');
  }
  if (options.app) {
    expect(manifest.private).toBe(true);
    return;
  }
  expect(manifest.sideEffects).toBe(false);
  expect(manifest.files).toEqual(expect.arrayContaining(['dist']));
  const exportsMap = manifest.exports as Record<string, unknown>;
  for (const [subpath, target] of Object.entries(exportsMap)) {
    if (typeof target === 'string') continue; // e.g. "./package.json"
    const conditions = Object.keys(target as object);
    expect(conditions[0], `exports["${subpath}"] lists types first`).toBe('types');
    expect(conditions, `exports["${subpath}"] has the private source condition`).toContain('@vokit/source');
    expect(conditions[conditions.length - 1], `exports["${subpath}"] ends with default`).toBe('default');
  }
}
