import { describe, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkManifest } from '../../../test-support/manifest.js';

describe('package.json', () => {
  it('follows the workspace manifest rules', () => {
    checkManifest(fileURLToPath(new URL('..', import.meta.url)));
  });
});
