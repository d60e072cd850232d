#!/usr/bin/env node
// The installed entry point: everything lives in the built dist/ (run `pnpm build` first).
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
