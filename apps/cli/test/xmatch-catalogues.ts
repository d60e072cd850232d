// Seeded catalogues for the xmatch tests against STILTS: a dense field (many conflicts, so
// find=all|best|best1|best2 differ), rows near both poles and near RA 0 and 360 on their own
// side (STILTS 3.4.7 misses pairs across RA 0/360: packages/crossmatch-wasm/README.md), and
// scattered rows; B repeats a share of A's rows moved by under 1.2″, plus rows of its own.
// A's columns cover every kind of metadata and value a join has to carry.
import { documentFromTables, tableFromArrays, writeVOTableBytes, type Serialization, type Table } from '@vokit/votable';

/** Park–Miller, as the other CLI tests. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

export interface SkyRows {
  ra: Float64Array;
  dec: Float64Array;
}

/** Positions of A: a dense 0.05° field, both poles, both sides of RA 0, scattered rows. */
export function positionsA(n: number, random: () => number): SkyRows {
  const ra = new Float64Array(n);
  const dec = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = random();
    if (u < 0.5) [ra[i], dec[i]] = [150 + random() * 0.05, 2 + random() * 0.05];
    // within 36″ of a pole, RA kept within 100–200° so that no pair crosses RA 0 there either
    else if (u < 0.6) [ra[i], dec[i]] = [100 + random() * 100, (u < 0.55 ? 1 : -1) * (90 - random() * 0.01)];
    else if (u < 0.7) [ra[i], dec[i]] = [u < 0.65 ? 0.001 + random() * 0.005 : 359.993 + random() * 0.005, -1 + random() * 0.01];
    else [ra[i], dec[i]] = [random() * 360, Math.asin(2 * random() - 1) * (180 / Math.PI)];
  }
  return { ra, dec };
}

/** Positions of B: two thirds are A rows moved by up to ±0.6″ per axis (never across RA 0), the rest in the field or scattered. */
export function positionsB(a: SkyRows, n: number, random: () => number): SkyRows {
  const ra = new Float64Array(n);
  const dec = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (random() < 0.67) {
      const j = Math.floor(random() * a.ra.length);
      // the RA step is at most 0.6″ of RA (less on the sky), and never takes a row across RA 0
      ra[i] = Math.min(359.9999, Math.max(0.0001, a.ra[j] + ((random() - 0.5) * 1.2) / 3600));
      // A step past a pole is mirrored back rather than clamped: rows clamped to dec ±90 would all
      // be the pole itself, and exact ties between them have no right answer (STILTS breaks
      // them by rounding noise, vokit by the lower row).
      const d = a.dec[j] + ((random() - 0.5) * 1.2) / 3600;
      dec[i] = d > 90 ? 180 - d : d < -90 ? -180 - d : d;
    } else if (random() < 0.5) {
      [ra[i], dec[i]] = [150 + random() * 0.05, 2 + random() * 0.05];
    } else {
      [ra[i], dec[i]] = [random() * 360, Math.asin(2 * random() - 1) * (180 / Math.PI)];
    }
  }
  return { ra, dec };
}

/**
 * Table A: 64-bit ids above 2^53, positions with UCDs, a float with nulls, a string, an int
 * with a VALUES null, a fixed float array, booleans, and a `ra_1` column that makes the join
 * rename A's `ra` to `ra_1a` (STILTS's rule).
 */
export function tableA(p: SkyRows, random: () => number): Table {
  const n = p.ra.length;
  return tableFromArrays({
    name: 'A',
    columns: {
      source_id: { values: BigInt64Array.from({ length: n }, (_, i) => 6917529027641081856n + BigInt(i) * 7919n), ucd: 'meta.id;meta.main', description: 'Gaia-like id beyond 2^53' },
      ra: { values: p.ra, unit: 'deg', ucd: 'pos.eq.ra;meta.main' },
      dec: { values: p.dec, unit: 'deg', ucd: 'pos.eq.dec;meta.main' },
      ra_1: { values: Float64Array.from(p.ra, (x) => x + 1), unit: 'deg' },
      phot_g_mean_mag: {
        values: Float32Array.from({ length: n }, () => 12 + random() * 8),
        nulls: Array.from({ length: n }, (_, i) => i % 17 === 0),
        unit: 'mag',
        ucd: 'phot.mag;em.opt.G',
        utype: 'test:mag',
        description: 'G magnitude',
      },
      name: { values: Array.from({ length: n }, (_, i) => (i % 23 === 0 ? null : `A ${i} "q", é`)), datatype: 'unicodeChar', arraysize: '*' },
      quality: { values: Int32Array.from({ length: n }, (_, i) => (i % 13 === 0 ? -1 : i % 5)), nullValue: -1, description: 'quality flag, -1 for none' },
      pm: { values: Float32Array.from({ length: 2 * n }, () => (random() - 0.5) * 10), arraysize: '2', unit: 'mas/yr' },
      good: Array.from({ length: n }, (_, i) => i % 3 === 0),
    },
  });
}

/** Table B: int ids, positions found by name only, a double, a `Separation` column of its own. */
export function tableB(p: SkyRows): Table {
  const n = p.ra.length;
  return tableFromArrays({
    name: 'B',
    columns: {
      id: Int32Array.from({ length: n }, (_, i) => 100000 + i),
      ra: { values: p.ra, unit: 'deg' },
      dec: { values: p.dec, unit: 'deg' },
      name: Array.from({ length: n }, (_, i) => `B${i}`),
      Separation: Int16Array.from({ length: n }, (_, i) => i % 300),
      jmag: { values: Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? NaN : 10 + (i % 97) / 10)), unit: 'mag', ucd: 'phot.mag;em.IR.J' },
    },
  });
}

export function votableBytes(table: Table, serialization: Serialization): Uint8Array {
  return writeVOTableBytes(documentFromTables([table]), { serialization: serialization as 'TABLEDATA' | 'BINARY' | 'BINARY2' });
}
