/**
 * Local files as uploads, in Node: `fs.openAsBlob` gives a Blob backed by the file, read while
 * the request is sent, with no copy made beforehand. The default Node fetch (fetch-node.ts)
 * streams such large bodies with backpressure (a 96 MiB file: 11 MiB of live buffers at most);
 * an injected fetch may not (undici's and Node's own keep what they sent, nodejs/undici#4058).
 * Browsers resolve `#upload-file` to `upload-file-default.ts` instead (package.json `imports`
 * conditions).
 */
import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DALOptionsError } from './errors.js';

/** Short words for the errno codes a user can act on. */
function describeFileError(error: unknown): string {
  switch ((error as { code?: string }).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Opens the local file `source` (a path, or a `file:` URL) as a Blob for the upload `name`.
 * Throws {@link DALOptionsError} naming the upload and the path when the file cannot be read.
 */
export async function openUploadFile(name: string, source: string | URL): Promise<Blob> {
  let path: string;
  try {
    path = source instanceof URL || source.startsWith('file:') ? fileURLToPath(source) : source;
  } catch (error) {
    throw new DALOptionsError(`upload "${name}": ${String(source)} is not a usable file URL (${(error as Error).message})`, { cause: error });
  }
  try {
    // openAsBlob follows the path lazily; stat first so a directory fails here, not mid-request
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return await openAsBlob(path, { type: 'application/x-votable+xml' });
  } catch (error) {
    throw new DALOptionsError(`upload "${name}": cannot read ${path}: ${describeFileError(error)}`, { cause: error });
  }
}
