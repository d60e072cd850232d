import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { checkManifest } from '../../../test-support/manifest.js';

describe('@vokit/dal package.json', () => {
  it('follows the workspace manifest rules and the dependency rule', () => {
    checkManifest(fileURLToPath(new URL('..', import.meta.url)));
  });
});
