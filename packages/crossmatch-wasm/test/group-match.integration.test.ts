// groupMatch against STILTS `tmatchn multimode=group matcher=sky` on seeded catalogues with
// chains (rows linked only through rows of other catalogues, often two rows of one catalogue in
// a group), isolated pairs, exact duplicates, singletons, a dense field and both poles (RA kept
// within 100–200° there: STILTS 3.4.7 misses pairs across RA 0/360, see the README). STILTS
// writes one row per group with one row of each catalogue; `perCatalog: 'first'` must give the
// same rows in the same order, and `'all'` the same groups with every member. Needs `stilts`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getSkyMatchKernel, groupMatch, loadWasm, skyMatchReference, type GroupMatchResult } from '../src/index.js';
import { prng } from './backends.js';

const RADIUS = 2; // arcsec
const dir = mkdtempSync(join(tmpdir(), 'vokit-group-stilts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Catalogue {
  ra: number[];
  dec: number[];
}

/** `count` catalogues; every structure places its rows in catalogues chosen at random. */
function catalogues(seed: number, count: number, structures: number): Catalogue[] {
  const random = prng(seed);
  const cats: Catalogue[] = Array.from({ length: count }, () => ({ ra: [], dec: [] }));
  const put = (c: number, ra: number, dec: number) => {
    cats[c].ra.push(ra);
    cats[c].dec.push(dec);
  };
  const pick = () => Math.floor(random() * count);
  const start = (): [number, number] => {
    const u = random();
    if (u < 0.15) return [100 + random() * 100, (u < 0.075 ? 1 : -1) * (90 - random() * 0.02)]; // poles
    if (u < 0.4) return [45 + random() * 0.05, -30 + random() * 0.05]; // dense field
    return [1 + random() * 358, (Math.asin(2 * random() - 1) * 180) / Math.PI];
  };
  for (let s = 0; s < structures; s++) {
    const [ra, dec] = start();
    const kind = random();
    if (kind < 0.35) {
      // a chain: each step 0.6–0.95 of the radius, so neighbours link and the ends need not
      const length = 2 + Math.floor(random() * 5);
      const angle = random() * 2 * Math.PI;
      let [r, d] = [ra, dec];
      for (let k = 0; k < length; k++) {
        put(pick(), r, d);
        const step = ((0.6 + 0.35 * random()) * RADIUS) / 3600;
        d = Math.max(-90, Math.min(90, d + step * Math.sin(angle)));
        r += (step * Math.cos(angle)) / Math.max(0.01, Math.cos((d * Math.PI) / 180));
      }
    } else if (kind < 0.6) {
      // a pair within the radius, sometimes an exact duplicate
      put(pick(), ra, dec);
      const offset = random() < 0.2 ? 0 : (random() * RADIUS * 0.7) / 3600;
      put(pick(), ra + offset, Math.max(-90, dec - offset));
    } else {
      put(pick(), ra, dec); // a singleton (unless the dense field gives it company)
    }
  }
  return cats;
}

function writeCsv(path: string, c: Catalogue): void {
  // String(x) reads back as the same double in Java as in JavaScript
  const lines = ['id,ra,dec'];
  for (let i = 0; i < c.ra.length; i++) lines.push(`${i},${c.ra[i]},${c.dec[i]}`);
  writeFileSync(path, lines.join('\n') + '\n');
}

/** STILTS's groups, one "catalog:row …" string per output row, in its order. */
function stiltsGroups(name: string, cats: Catalogue[]): string[] {
  const args = ['tmatchn', 'multimode=group', `nin=${cats.length}`, 'matcher=sky', `params=${RADIUS}`];
  cats.forEach((c, i) => {
    const path = join(dir, `${name}-${i + 1}.csv`);
    writeCsv(path, c);
    args.push(`in${i + 1}=${path}`, `ifmt${i + 1}=csv`, `values${i + 1}=ra dec`);
  });
  const out = join(dir, `${name}-out.csv`);
  execFileSync('stilts', [...args, `out=${out}`, 'ofmt=csv'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const [header, ...rows] = readFileSync(out, 'utf8').trim().split('\n');
  const columns = header.split(',');
  const idColumns = cats.map((_, i) => columns.indexOf(`id_${i + 1}`));
  return rows.map((line) => {
    const cells = line.split(',');
    return idColumns.flatMap((at, c) => (cells[at] === '' ? [] : [`${c}:${cells[at]}`])).join(' ');
  });
}

function groupStrings(r: GroupMatchResult): string[] {
  return Array.from({ length: r.offsets.length - 1 }, (_, g) =>
    Array.from({ length: r.offsets[g + 1] - r.offsets[g] }, (_, k) => `${r.catalog[r.offsets[g] + k]}:${r.row[r.offsets[g] + k]}`).join(' '),
  );
}

const KERNELS = [
  { name: 'release-simd', kernel: getSkyMatchKernel(loadWasm({ variant: 'release-simd' })) },
  { name: 'reference', kernel: skyMatchReference() },
];

describe.each([
  { name: 'three catalogues', count: 3, seed: 31, structures: 2500 },
  { name: 'four catalogues', count: 4, seed: 47, structures: 2500 },
])('groupMatch and STILTS tmatchn multimode=group on $name', ({ name, count, seed, structures }) => {
  const cats = catalogues(seed, count, structures);
  const sky = cats.map((c) => ({ ra: Float64Array.from(c.ra), dec: Float64Array.from(c.dec) }));
  let expected: string[] | undefined;
  const stilts = () => (expected ??= stiltsGroups(name.replace(/ /g, '-'), cats));

  it.each(KERNELS)("gives STILTS's rows, in its order, with perCatalog 'first' on $name", ({ kernel }) => {
    const ours = groupStrings(groupMatch(sky, { radius: RADIUS, perCatalog: 'first', kernel }));
    expect(stilts().length).toBeGreaterThan(800);
    expect(ours).toEqual(stilts());
  });

  it("gives the same groups with every member with perCatalog 'all'", () => {
    const all = groupStrings(groupMatch(sky, { radius: RADIUS }));
    expect(all.length).toBe(stilts().length);
    let larger = 0;
    all.forEach((group, g) => {
      const members = new Set(group.split(' '));
      for (const member of stilts()[g].split(' ')) expect(members.has(member)).toBe(true);
      if (members.size > stilts()[g].split(' ').length) larger++;
    });
    // chains put two rows of one catalogue in a group often enough to exercise the choice
    expect(larger).toBeGreaterThan(50);
  });
});
