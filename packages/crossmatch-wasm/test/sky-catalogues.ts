// Seeded random catalogues with the cases that break sky matchers: the poles, the RA 0/360 seam,
// exact duplicates within and across catalogues, non-finite rows, and dense clusters that give
// rows several candidates (so that the best modes have conflicts to resolve).
import { prng } from './backends.js';

export interface Catalogue {
  ra: Float64Array;
  dec: Float64Array;
}

/** Degrees of a random offset of at most `arcsec` in each coordinate. */
function jitter(random: () => number, arcsec: number): number {
  return ((2 * random() - 1) * arcsec) / 3600;
}

/**
 * Two catalogues of about n rows each: B holds jittered copies of A rows (within `spread`
 * arcsec), exact copies, duplicated rows, random rows, and rows around the poles and the RA seam.
 */
export function awkwardCatalogues(seed: number, n: number, spread = 20): { a: Catalogue; b: Catalogue } {
  const random = prng(seed);
  const ra: number[] = [];
  const dec: number[] = [];
  const place = (kind: number): [number, number] => {
    switch (kind) {
      case 0: // north pole cap, every RA
        return [random() * 360, 90 - random() * 0.01];
      case 1: // south pole, including the pole itself
        return random() < 0.1 ? [random() * 360, -90] : [random() * 360, -90 + random() * 0.01];
      case 2: // either side of RA 0/360
        return [random() < 0.5 ? 360 - random() * 0.01 : random() * 0.01, (random() - 0.5) * 0.02];
      case 3: // a dense cluster: many candidates per row
        return [123.4 + random() * 0.01, -45.6 + random() * 0.01];
      default: // anywhere on the sphere
        return [random() * 360, (Math.asin(2 * random() - 1) * 180) / Math.PI];
    }
  };
  for (let i = 0; i < n; i++) {
    if (i > 0 && random() < 0.05) {
      const k = Math.floor(random() * i); // duplicate A rows: ties on the A side
      ra.push(ra[k]);
      dec.push(dec[k]);
      continue;
    }
    const [r, d] = place(Math.floor(random() * 6));
    ra.push(r);
    dec.push(d);
  }
  ra.push(NaN, 10, Infinity);
  dec.push(0, NaN, 5);
  const a = { ra: Float64Array.from(ra), dec: Float64Array.from(dec) };

  const bra: number[] = [];
  const bdec: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = random();
    const j = Math.floor(random() * n);
    if (u < 0.5) {
      // a jittered copy; RA may leave [0, 360), which must not matter
      bra.push(a.ra[j] + jitter(random, spread));
      bdec.push(Math.max(-90, Math.min(90, a.dec[j] + jitter(random, spread))));
    } else if (u < 0.6) {
      bra.push(a.ra[j]); // exact copy: separation 0
      bdec.push(a.dec[j]);
    } else if (u < 0.7 && bra.length > 0) {
      const k = Math.floor(random() * bra.length); // duplicate of an earlier B row: ties
      bra.push(bra[k]);
      bdec.push(bdec[k]);
    } else {
      const [r, d] = place(Math.floor(random() * 6));
      bra.push(r);
      bdec.push(d);
    }
  }
  bra.push(NaN);
  bdec.push(NaN);
  return { a, b: { ra: Float64Array.from(bra), dec: Float64Array.from(bdec) } };
}
