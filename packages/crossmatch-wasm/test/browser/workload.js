// What the browser test computes, shared by the page, its workers and the Node side of
// test/browser.integration.test.ts, so that both run literally the same calls. Plain JavaScript
// because the browser loads it as is; types in workload.d.ts.

/** Match radius of the browser crossmatch, arcseconds. */
export const CROSSMATCH_RADIUS = 2;

/**
 * ang2pix cases: lon/lat in degrees (M31, the north pole, next to the south pole at RA ≈ 360,
 * the anticentre on the equator, the Crab, Sgr A*), at orders 0, 12 and 29, NEST and RING.
 */
export const HEALPIX_CASES = {
  points: [
    [10.68, 41.27],
    [0, 90],
    [359.9999, -89.99],
    [180, 0],
    [83.6331, 22.0145],
    [266.4168, -29.0078],
  ],
  orders: [0, 12, 29],
};

/**
 * Runs every case through the scalar `ang2pix` and the batched `ang2pixInto`; pixels as
 * decimal strings (JSON has no bigint), keyed `"<order> nest|ring"`.
 */
export function runHealpix(healpix, cases) {
  const out = {};
  const lon = Float64Array.from(cases.points, (p) => p[0]);
  const lat = Float64Array.from(cases.points, (p) => p[1]);
  for (const order of cases.orders) {
    for (const nest of [true, false]) {
      const options = { nest, lonlat: true };
      const scalar = cases.points.map(([l, b]) => String(healpix.ang2pix(order, l, b, options)));
      const pixels = new BigInt64Array(lon.length);
      const count = healpix.ang2pixInto(order, lon, lat, pixels, options);
      out[`${order} ${nest ? 'nest' : 'ring'}`] = { scalar, batch: Array.from(pixels, String), count };
    }
  }
  return out;
}

/** Packs catalogues A and B into one buffer: [rows A, rows B, A ra, A dec, B ra, B dec] as float64. */
export function writeCatalogues(a, b) {
  const na = a.ra.length;
  const nb = b.ra.length;
  const f64 = new Float64Array(2 + 2 * na + 2 * nb);
  f64[0] = na;
  f64[1] = nb;
  f64.set(a.ra, 2);
  f64.set(a.dec, 2 + na);
  f64.set(b.ra, 2 + 2 * na);
  f64.set(b.dec, 2 + 2 * na + nb);
  return f64.buffer;
}

/** The opposite of {@link writeCatalogues}: views over the buffer, no copy. */
export function readCatalogues(buffer) {
  const f64 = new Float64Array(buffer);
  const na = f64[0];
  const nb = f64[1];
  return {
    a: { ra: f64.subarray(2, 2 + na), dec: f64.subarray(2 + na, 2 + 2 * na) },
    b: { ra: f64.subarray(2 + 2 * na, 2 + 2 * na + nb), dec: f64.subarray(2 + 2 * na + nb, 2 + 2 * na + 2 * nb) },
  };
}

/** A match result as plain arrays (JSON keeps every float64 exactly). */
export function matchToJson(result) {
  return { aIndex: Array.from(result.aIndex), bIndex: Array.from(result.bIndex), separation: Array.from(result.separation) };
}
