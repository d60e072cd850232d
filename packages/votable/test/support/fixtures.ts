// The real VOTable fixtures (test/fixtures/**), listed once for every test that loops over them.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of test/fixtures/, with a trailing slash. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Every `.xml`, `.vot` and `.xml.gz` file below `dir` (default: all fixtures), sorted by path. */
export function listVOTableFixtures(dir: string = FIXTURES): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listVOTableFixtures(path);
      return /\.(xml|vot|xml\.gz)$/.test(name) ? [path] : [];
    });
}
