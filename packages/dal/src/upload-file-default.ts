/**
 * Local files as uploads outside Node: a page cannot open a path, so this refuses with the
 * alternative (a `File` from `<input type="file">` is a Blob and uploads as it is). Node
 * resolves `#upload-file` to `upload-file-node.ts` instead (package.json `imports` conditions).
 */
import { DALOptionsError } from './errors.js';

/**
 * Opens the local file `source` for the upload `name`. Here: always throws
 * {@link DALOptionsError}, as only Node can read local paths.
 */
export async function openUploadFile(name: string, source: string | URL): Promise<Blob> {
  throw new DALOptionsError(
    `upload "${name}": ${String(source)} is a local file, which only Node can read; pass its contents as a Blob or File (e.g. from <input type="file">)`,
  );
}
