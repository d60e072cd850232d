/**
 * {@link HealpixKernel} over a {@link WasmCore}: batches are copied through the scratch area in
 * chunks of {@link CHUNK} elements, so scratch memory stays small however long the input is.
 */
import { LIBM_FUNCTIONS, type HealpixKernel } from './healpix-kernel.js';
import type { WasmCore } from './wasm.js';
import { HealpixError } from './errors.js';
import { MAX_RANGES } from './reference/healpix.js';

function tooLarge(count: number): never {
  throw new HealpixError(`the coverage has more than ${MAX_RANGES} ranges (${count} found so far); query at a lower order`);
}

/**
 * Elements per call into WebAssembly: 16 KiB per array, so that the two inputs and the output of
 * ang2pix (48 KiB) stay in L1/L2 between the copy in, the loop and the copy out. (4096 measured
 * ~5 % slower on ang2pix, 1024 no faster than 2048.)
 */
const CHUNK = 2048;
/**
 * Scratch layout, in chunk-sized slots from heapBase: inputs and outputs of batched calls use
 * slots 0–8 (neighbours writes 8 slots from slot 1); queries put their inputs and then their
 * results from slot 10 on.
 */
const SLOTS = 10;

/** Makes a kernel running on the given core. */
export function wasmHealpixKernel(core: WasmCore): HealpixKernel {
  const x = core.exports;
  const base = core.heapBase;
  const slot = (k: number) => base + k * CHUNK * 8; // byte offset of the k-th chunk-sized array
  const at = (k: number) => slot(k) / 8; // the same as an f64/i64 index
  core.reserve(SLOTS * CHUNK * 8);

  /** Runs fn over [0, n) in chunks; fn(start, count). */
  const chunked = (n: number, fn: (start: number, count: number) => void) => {
    for (let start = 0; start < n; start += CHUNK) fn(start, Math.min(CHUNK, n - start));
  };

  // Query results (16 bytes per range) after `inputBytes` of query inputs from slot SLOTS on,
  // grown on demand.
  const query = (inputBytes: number, run: (out: number, cap: number) => number): BigInt64Array | null => {
    const resultsAt = slot(SLOTS) + Math.ceil(inputBytes / 16) * 16;
    let cap = 4096;
    for (;;) {
      core.reserve(resultsAt - base + cap * 16);
      const count = run(resultsAt, cap);
      if (count < 0) return null;
      if (count > MAX_RANGES) return tooLarge(count);
      if (count <= cap) return core.i64.slice(resultsAt / 8, resultsAt / 8 + 2 * count);
      cap = count;
    }
  };

  const scalarAt = x.scalarOut() / 8;

  return {
    name: core.variant,
    ang2pixOne(order, nest, lonlat, a, b) {
      return x.ang2pixOne(order, +nest, +lonlat, a, b);
    },
    vec2pixOne(order, nest, vx, vy, vz) {
      return x.vec2pixOne(order, +nest, vx, vy, vz);
    },
    pix2angOne(order, nest, lonlat, pix) {
      x.pix2angOne(order, +nest, +lonlat, pix);
      const f = core.f64;
      return [f[scalarAt], f[scalarAt + 1]];
    },
    pix2vecOne(order, nest, pix) {
      x.pix2vecOne(order, +nest, pix);
      const f = core.f64;
      return [f[scalarAt], f[scalarAt + 1], f[scalarAt + 2]];
    },
    convertOne(toRing, order, pix) {
      return toRing ? x.nest2ringOne(order, pix) : x.ring2nestOne(order, pix);
    },
    ang2pix(order, nest, lonlat, a, b, out) {
      chunked(a.length, (s, c) => {
        core.f64.set(a.subarray(s, s + c), at(0));
        core.f64.set(b.subarray(s, s + c), at(1));
        x.ang2pixBatch(order, +nest, +lonlat, slot(0), slot(1), slot(2), c);
        out.set(core.i64.subarray(at(2), at(2) + c), s);
      });
    },
    loc2pix(order, nest, z, phi, sth, out) {
      chunked(z.length, (s, c) => {
        core.f64.set(z.subarray(s, s + c), at(0));
        core.f64.set(phi.subarray(s, s + c), at(1));
        core.f64.set(sth.subarray(s, s + c), at(2));
        x.loc2pixBatch(order, +nest, slot(0), slot(1), slot(2), slot(3), c);
        out.set(core.i64.subarray(at(3), at(3) + c), s);
      });
    },
    vec2pix(order, nest, vx, vy, vz, out) {
      chunked(vx.length, (s, c) => {
        core.f64.set(vx.subarray(s, s + c), at(0));
        core.f64.set(vy.subarray(s, s + c), at(1));
        core.f64.set(vz.subarray(s, s + c), at(2));
        x.vec2pixBatch(order, +nest, slot(0), slot(1), slot(2), slot(3), c);
        out.set(core.i64.subarray(at(3), at(3) + c), s);
      });
    },
    pix2ang(order, nest, lonlat, pix, outA, outB) {
      chunked(pix.length, (s, c) => {
        core.i64.set(pix.subarray(s, s + c), at(0));
        x.pix2angBatch(order, +nest, +lonlat, slot(0), slot(1), slot(2), c);
        outA.set(core.f64.subarray(at(1), at(1) + c), s);
        outB.set(core.f64.subarray(at(2), at(2) + c), s);
      });
    },
    pix2vec(order, nest, pix, ox, oy, oz) {
      chunked(pix.length, (s, c) => {
        core.i64.set(pix.subarray(s, s + c), at(0));
        x.pix2vecBatch(order, +nest, slot(0), slot(1), slot(2), slot(3), c);
        ox.set(core.f64.subarray(at(1), at(1) + c), s);
        oy.set(core.f64.subarray(at(2), at(2) + c), s);
        oz.set(core.f64.subarray(at(3), at(3) + c), s);
      });
    },
    nest2ring(order, pix, out) {
      chunked(pix.length, (s, c) => {
        core.i64.set(pix.subarray(s, s + c), at(0));
        x.nest2ringBatch(order, slot(0), slot(1), c);
        out.set(core.i64.subarray(at(1), at(1) + c), s);
      });
    },
    ring2nest(order, pix, out) {
      chunked(pix.length, (s, c) => {
        core.i64.set(pix.subarray(s, s + c), at(0));
        x.ring2nestBatch(order, slot(0), slot(1), c);
        out.set(core.i64.subarray(at(1), at(1) + c), s);
      });
    },
    neighbours(order, nest, pix, out) {
      const n = pix.length;
      // (8, n) layout: each chunk yields an (8, c) block that is scattered into the 8 rows.
      chunked(n, (s, c) => {
        core.i64.set(pix.subarray(s, s + c), at(0));
        x.neighboursBatch(order, +nest, slot(0), slot(1), c);
        const i64 = core.i64;
        for (let k = 0; k < 8; k++) out.set(i64.subarray(at(1) + k * c, at(1) + (k + 1) * c), k * n + s);
      });
    },
    pix2uniq(order, pix, out) {
      chunked(pix.length, (s, c) => {
        core.i64.set(pix.subarray(s, s + c), at(0));
        x.pix2uniqBatch(order, slot(0), slot(1), c);
        out.set(core.i64.subarray(at(1), at(1) + c), s);
      });
    },
    uniq2pix(uniq, orders, pix) {
      chunked(uniq.length, (s, c) => {
        core.i64.set(uniq.subarray(s, s + c), at(0));
        x.uniq2pixBatch(slot(0), slot(1), slot(2), c);
        orders.set(new Int32Array(core.i64.buffer, slot(1), c), s);
        pix.set(core.i64.subarray(at(2), at(2) + c), s);
      });
    },
    boundaries(order, nest, pix, step, out) {
      const m = 12 * step;
      core.reserve(SLOTS * CHUNK * 8 + m * 8); // results at slot SLOTS
      x.boundaries(order, +nest, pix, step, slot(SLOTS));
      out.set(core.f64.subarray(at(SLOTS), at(SLOTS) + m));
    },
    queryDiscNest(order, inclusive, fact, theta, phi, radius) {
      return query(0, (out, cap) => x.queryDiscNest(order, +inclusive, fact, theta, phi, radius, out, cap));
    },
    polygonCircles(vertices, inclusive) {
      const nv = vertices.length / 3;
      // vertices (3 f64 each), then up to nv + 1 circles (4 f64 each), from slot SLOTS on
      const at0 = slot(SLOTS);
      const circlesAt = at0 + 24 * nv;
      core.reserve(circlesAt - base + 32 * (nv + 1));
      core.f64.set(vertices, at0 / 8);
      const count = x.polygonCircles(at0, nv, +inclusive, circlesAt);
      if (count < 0) return count;
      return core.f64.slice(circlesAt / 8, circlesAt / 8 + 4 * count);
    },
    queryMultidiscNest(order, inclusive, fact, circles) {
      const count = circles.length / 4;
      // circles (4 f64 each), then the limits (30 orders × count × 3 f64), then the results
      const circlesAt = slot(SLOTS);
      const workAt = circlesAt + 32 * count;
      const inputBytes = 32 * count + 30 * 3 * 8 * count;
      core.reserve(circlesAt - base + inputBytes);
      core.f64.set(circles, circlesAt / 8);
      return query(inputBytes, (out, cap) => x.queryMultidiscNest(order, +inclusive, fact, circlesAt, count, workAt, out, cap));
    },
    libm(fn, a, b, out) {
      const code = LIBM_FUNCTIONS.indexOf(fn);
      chunked(a.length, (s, c) => {
        core.f64.set(a.subarray(s, s + c), at(0));
        if (b) core.f64.set(b.subarray(s, s + c), at(1));
        x.libmBatch(code, slot(0), slot(1), slot(2), c);
        out.set(core.f64.subarray(at(2), at(2) + c), s);
      });
    },
    maxPixrad(order) {
      return x.maxPixrad(order);
    },
  };
}
