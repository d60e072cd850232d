/**
 * The fetch used when none is injected, for browsers, Deno, Bun and workers: the platform's
 * own. Node resolves `#fetch` to `fetch-node.ts` instead (package.json `imports` conditions).
 */
import type { FetchLike } from './http.js';

/** The platform fetch, looked up at call time so that test doubles installed later apply. */
export const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init);
