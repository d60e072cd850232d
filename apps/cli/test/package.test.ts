import { describe, expect, it } from 'vitest';
import { accessSync, constants, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkManifest, readManifest } from '../../../test-support/manifest.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('package.json', () => {
  it('follows the workspace manifest rules for an app', () => {
    checkManifest(root, { app: true });
  });

  it('installs an executable vokit bin that runs the built main', () => {
    expect(readManifest(root).bin).toEqual({ vokit: './bin/vokit.js' });
    accessSync(new URL('../bin/vokit.js', import.meta.url), constants.X_OK);
    const bin = readFileSync(new URL('../bin/vokit.js', import.meta.url), 'utf8');
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(bin).toContain("from '../dist/main.js'");
  });
});
