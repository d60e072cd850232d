/**
 * The fetch used in Node when none is injected: undici 7's, which is newer than the copy
 * bundled with Node 20. Its fetch, like Node's, keeps a request body's chunks until the
 * request ends (nodejs/undici#4058), so an upload costs about its size in memory.
 */
import { fetch as undiciFetch } from 'undici';
import type { FetchLike } from './http.js';

/** undici's fetch typed as the DOM one (the shapes match at run time). */
export const defaultFetch: FetchLike = undiciFetch as unknown as FetchLike;
