import { defineVokitConfig } from '../../vitest.shared.js';

// The global setup compiles assembly/ into src/generated/ when it is missing or stale, so a clean
// clone can run `npx vitest run` without a prior build.
export default defineVokitConfig({ test: { globalSetup: ['./test/global-setup.ts'] } });
