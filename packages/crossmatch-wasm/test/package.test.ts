import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkManifest, readManifest } from '../../../test-support/manifest.js';

describe('package.json', () => {
  it('follows the workspace manifest rules', () => {
    checkManifest(fileURLToPath(new URL('..', import.meta.url)));
  });

  it('has no runtime dependencies', () => {
    const manifest = readManifest(fileURLToPath(new URL('..', import.meta.url)));
    expect(manifest.dependencies ?? {}).toEqual({});
  });
});
