/**
 * Pure TypeScript HEALPix kernel: the oracle for the WebAssembly build and the fallback where
 * WebAssembly is unavailable. Same steps and floating-point evaluation order as
 * assembly/healpix.ts (itself following Healpix C++ 3.x); pixel indices are bigint because
 * order-29 indices reach 3.5e18, beyond 2^53. Coordinates inside a face (< 2^32) stay numbers.
 * ang2pix takes cos θ from V8 and, near a pixel edge or a pole, from the glibc twin in
 * ./healpix-libm.ts (as the WebAssembly build does with its own fast cos). Written for clarity,
 * not speed.
 */
import { HealpixError } from '../errors.js';
import type { HealpixKernel } from '../healpix-kernel.js';
import { cosGlibc, sinGlibc } from './healpix-libm.js';

const PI = 3.141592653589793238462643383279502884197;
const HALFPI = 1.570796326794896619231321691639751442099;
const INV_HALFPI = 0.6366197723675813430755350534900574;
const TWOTHIRD = 2.0 / 3.0;
const DEG2RAD = PI / 180.0;
/** Coverage queries give up beyond this many ranges (1 GiB of BigInt64 pairs), as the WASM build. */
export const MAX_RANGES = 1 << 26;
const RAD2DEG = 180.0 / PI;

const JRLL = [2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4];
const JPLL = [1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7];
const NB_XOFFSET = [-1, -1, 0, 1, 1, 1, 0, -1];
const NB_YOFFSET = [0, 1, 1, 1, 0, -1, -1, -1];
// prettier-ignore
const NB_FACEARRAY = [
  [8, 9, 10, 11, -1, -1, -1, -1, 10, 11, 8, 9], // S
  [5, 6, 7, 4, 8, 9, 10, 11, 9, 10, 11, 8], // SE
  [-1, -1, -1, -1, 5, 6, 7, 4, -1, -1, -1, -1], // E
  [4, 5, 6, 7, 11, 8, 9, 10, 11, 8, 9, 10], // SW
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], // centre
  [1, 2, 3, 0, 0, 1, 2, 3, 5, 6, 7, 4], // NE
  [-1, -1, -1, -1, 7, 4, 5, 6, -1, -1, -1, -1], // W
  [3, 0, 1, 2, 3, 0, 1, 2, 4, 5, 6, 7], // NW
  [2, 3, 0, 1, -1, -1, -1, -1, 0, 1, 2, 3], // N
];
const NB_SWAPARRAY = [[0, 0, 3], [0, 0, 6], [0, 0, 0], [0, 0, 5], [0, 0, 0], [5, 0, 0], [0, 0, 0], [6, 0, 0], [3, 0, 0]];

/** Spreads the 16 low bits of v to even positions (result < 2^32, as an unsigned number). */
function spread16(v: number): number {
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

/** Gathers the even bits of a 32-bit word into 16 bits. */
function compress32(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

function spreadBits(v: number): bigint {
  return (BigInt(spread16(Math.floor(v / 65536))) << 32n) | BigInt(spread16(v % 65536));
}

function compressBits(v: bigint): number {
  return compress32(Number(v & 0xffffffffn)) + compress32(Number((v >> 32n) & 0xffffffffn)) * 65536;
}

function fmodulo(v1: number, v2: number): number {
  if (v1 >= 0) return v1 < v2 ? v1 : v1 % v2;
  const tmp = (v1 % v2) + v2;
  return tmp === v2 ? 0 : tmp;
}

function isqrt(arg: bigint): bigint {
  let res = BigInt(Math.floor(Math.sqrt(Number(arg) + 0.5)));
  while (res * res > arg) res -= 1n;
  while ((res + 1n) * (res + 1n) <= arg) res += 1n;
  return res;
}

function xyf2nest(order: number, ix: number, iy: number, face: number): bigint {
  return (BigInt(face) << BigInt(2 * order)) + spreadBits(ix) + (spreadBits(iy) << 1n);
}

interface Xyf {
  ix: number;
  iy: number;
  face: number;
}

function nest2xyf(order: number, pix: bigint): Xyf {
  const face = Number(pix >> BigInt(2 * order));
  const p = pix & ((1n << BigInt(2 * order)) - 1n);
  return { ix: compressBits(p), iy: compressBits(p >> 1n), face };
}

interface RingInfo {
  start: bigint;
  count: bigint;
  shifted: boolean;
}

function ringInfoSmall(order: number, ring: bigint): RingInfo {
  const nside = 1n << BigInt(order);
  if (ring < nside) return { shifted: true, count: 4n * ring, start: 2n * ring * (ring - 1n) };
  if (ring < 3n * nside) {
    const ncap = 2n * (nside * nside - nside);
    return { shifted: ((ring - nside) & 1n) === 0n, count: 4n * nside, start: ncap + (ring - nside) * 4n * nside };
  }
  const nr = 4n * nside - ring;
  return { shifted: true, count: 4n * nr, start: 12n * nside * nside - 2n * nr * (nr + 1n) };
}

function xyf2ring(order: number, ix: number, iy: number, face: number): bigint {
  const nside = 1n << BigInt(order);
  const jr = BigInt(JRLL[face]) * nside - BigInt(ix) - BigInt(iy) - 1n;
  const info = ringInfoSmall(order, jr);
  const nr = info.count >> 2n;
  const kshift = info.shifted ? 0n : 1n;
  let jp = (BigInt(JPLL[face]) * nr + BigInt(ix) - BigInt(iy) + 1n + kshift) / 2n;
  if (jp < 1n) jp += 4n * nside;
  return info.start + jp - 1n;
}

function ring2xyf(order: number, pix: bigint): Xyf {
  const nside = 1n << BigInt(order);
  const npix = 12n * nside * nside;
  const ncap = 2n * (nside * nside - nside);
  const nl2 = 2n * nside;
  let iring: bigint, iphi: bigint, kshift: bigint, nr: bigint, face: bigint;
  if (pix < ncap) {
    iring = (1n + isqrt(1n + 2n * pix)) >> 1n;
    iphi = pix + 1n - 2n * iring * (iring - 1n);
    kshift = 0n;
    nr = iring;
    face = (iphi - 1n) / nr;
  } else if (pix < npix - ncap) {
    const ip = pix - ncap;
    const tmp = ip >> BigInt(order + 2);
    iring = tmp + nside;
    iphi = ip - tmp * 4n * nside + 1n;
    kshift = (iring + nside) & 1n;
    nr = nside;
    const ire = iring - nside + 1n;
    const irm = nl2 + 2n - ire;
    const ifm = (iphi - ire / 2n + nside - 1n) >> BigInt(order);
    const ifp = (iphi - irm / 2n + nside - 1n) >> BigInt(order);
    face = ifp === ifm ? ifp | 4n : ifp < ifm ? ifp : ifm + 8n;
  } else {
    const ip = npix - pix;
    iring = (1n + isqrt(2n * ip - 1n)) >> 1n;
    iphi = 4n * iring + 1n - (ip - 2n * iring * (iring - 1n));
    kshift = 0n;
    nr = iring;
    iring = 2n * nl2 - iring;
    face = 8n + (iphi - 1n) / nr;
  }
  const f = Number(face);
  const irt = iring - BigInt(JRLL[f]) * nside + 1n;
  let ipt = 2n * iphi - BigInt(JPLL[f]) * nr - kshift - 1n;
  if (ipt >= nl2) ipt -= 8n * nside;
  return { ix: Number((ipt - irt) >> 1n), iy: Number((-ipt - irt) >> 1n), face: f };
}

/** Healpix loc2pix, see assembly/healpix.ts. */
export function loc2pix(order: number, nest: boolean, z: number, phi: number, sth: number, haveSth: boolean): bigint {
  const nsideN = 2 ** order;
  const nside = BigInt(nsideN);
  const za = Math.abs(z);
  const tt = fmodulo(phi * INV_HALFPI, 4.0);
  if (nest) {
    if (za <= TWOTHIRD) {
      const temp1 = nsideN * (0.5 + tt);
      const temp2 = nsideN * (z * 0.75);
      const jp = Math.trunc(temp1 - temp2);
      const jm = Math.trunc(temp1 + temp2);
      const ifp = Math.floor(jp / nsideN);
      const ifm = Math.floor(jm / nsideN);
      const face = ifp === ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
      const ix = jm % nsideN;
      const iy = nsideN - (jp % nsideN) - 1;
      return xyf2nest(order, ix, iy, face);
    }
    const ntt = Math.min(3, Math.trunc(tt));
    const tp = tt - ntt;
    const tmp = za < 0.99 || !haveSth ? nsideN * Math.sqrt(3 * (1 - za)) : (nsideN * sth) / Math.sqrt((1.0 + za) / 3.0);
    const jp = Math.min(Math.trunc(tp * tmp), nsideN - 1);
    const jm = Math.min(Math.trunc((1.0 - tp) * tmp), nsideN - 1);
    return z >= 0 ? xyf2nest(order, nsideN - jm - 1, nsideN - jp - 1, ntt) : xyf2nest(order, jp, jm, ntt + 8);
  }
  const npix = 12n * nside * nside;
  const ncap = 2n * (nside * nside - nside);
  if (za <= TWOTHIRD) {
    const nl4 = 4 * nsideN;
    const temp1 = nsideN * (0.5 + tt);
    const temp2 = nsideN * z * 0.75;
    const jp = Math.trunc(temp1 - temp2);
    const jm = Math.trunc(temp1 + temp2);
    const ir = nsideN + 1 + jp - jm;
    const kshift = 1 - (ir & 1);
    const t1 = jp + jm - nsideN + kshift + 1 + nl4 + nl4;
    const ip = Math.floor(t1 / 2) % nl4;
    return ncap + BigInt(ir - 1) * BigInt(nl4) + BigInt(ip);
  }
  const tp = tt - Math.trunc(tt);
  const tmp = za < 0.99 || !haveSth ? nsideN * Math.sqrt(3 * (1 - za)) : (nsideN * sth) / Math.sqrt((1.0 + za) / 3.0);
  const jp = Math.trunc(tp * tmp);
  const jm = Math.trunc((1.0 - tp) * tmp);
  const ir = BigInt(jp + jm + 1);
  const ip = BigInt(Math.trunc(tt * Number(ir)));
  return z > 0 ? 2n * ir * (ir - 1n) + ip : npix - 2n * ir * (ir + 1n) + ip;
}

// z = cos θ: V8's cos (< 1 ulp from the true value, glibc's < 0.52), and glibc's own rounding
// (./healpix-libm.ts) wherever one ulp could change the pixel; margins as assembly/healpix.ts.
const Z_SLACK = 2 ** -50;
const BELT_MARGIN = 2 ** -47;
const CAP_MARGIN = 2 ** -46;

function nearInteger(v: number, margin: number): boolean {
  const f = v - Math.floor(v);
  return f < margin || f > 1 - margin;
}

/** Whether a z within Z_SLACK of this one could give loc2pix another pixel (see assembly/healpix.ts). */
export function nearPixelEdge(order: number, z: number, phi: number): boolean {
  const fnside = 2 ** order;
  const za = Math.abs(z);
  if (Math.abs(za - TWOTHIRD) <= Z_SLACK) return true;
  const tt = fmodulo(phi * INV_HALFPI, 4.0);
  if (za <= TWOTHIRD) {
    const temp1 = fnside * (0.5 + tt);
    const temp2 = fnside * (z * 0.75);
    const m = fnside * BELT_MARGIN;
    return nearInteger(temp1 - temp2, m) || nearInteger(temp1 + temp2, m);
  }
  const tp = tt - Math.floor(tt);
  const s = Math.sqrt(3 * (1 - za));
  const tmp = fnside * s;
  const m = (fnside * CAP_MARGIN) / s;
  return nearInteger(tp * tmp, m) || nearInteger((1.0 - tp) * tmp, m);
}

function ang2pix(order: number, nest: boolean, theta: number, phi: number): bigint {
  if (!(theta >= 0 && theta <= PI) || !Number.isFinite(phi)) return -1n;
  // Healpix C++ uses sin θ near the poles; there glibc's cos and sin are used every time (rare).
  if (theta < 0.01 || theta > 3.14159 - 0.01) return loc2pix(order, nest, cosGlibc(theta), phi, sinGlibc(theta), true);
  let z = Math.cos(theta);
  if (nearPixelEdge(order, z, phi)) z = cosGlibc(theta);
  return loc2pix(order, nest, z, phi, 0, false);
}

function vec2pix(order: number, nest: boolean, x: number, y: number, z: number): bigint {
  const len = Math.sqrt(x * x + y * y + z * z);
  if (!(len > 0) || !Number.isFinite(len)) return -1n;
  const xl = 1.0 / len;
  const phi = x === 0 && y === 0 ? 0 : Math.atan2(y, x);
  const nz = z * xl;
  if (Math.abs(nz) > 0.99) return loc2pix(order, nest, nz, phi, Math.sqrt(x * x + y * y) * xl, true);
  return loc2pix(order, nest, nz, phi, 0, false);
}

/** Result of pix2loc / xyf2loc. */
export interface Loc {
  z: number;
  phi: number;
  sth: number;
  haveSth: boolean;
}

/** Healpix pix2loc. */
export function pix2loc(order: number, nest: boolean, pix: bigint): Loc {
  const nsideN = 2 ** order;
  const nside = BigInt(nsideN);
  const npface = nside * nside;
  const npix = 12n * npface;
  const fact2 = 4.0 / Number(npix);
  const fact1 = 2 * nsideN * fact2;
  const loc: Loc = { z: 0, phi: 0, sth: 0, haveSth: false };
  if (!nest) {
    const ncap = 2n * (npface - nside);
    if (pix < ncap) {
      const iring = (1n + isqrt(1n + 2n * pix)) >> 1n;
      const iphi = pix + 1n - 2n * iring * (iring - 1n);
      const tmp = Number(iring * iring) * fact2;
      loc.z = 1.0 - tmp;
      if (loc.z > 0.99) {
        loc.sth = Math.sqrt(tmp * (2.0 - tmp));
        loc.haveSth = true;
      }
      loc.phi = ((Number(iphi) - 0.5) * HALFPI) / Number(iring);
    } else if (pix < npix - ncap) {
      const ip = pix - ncap;
      const tmp = ip >> BigInt(order + 2);
      const iring = tmp + nside;
      const iphi = ip - 4n * nside * tmp + 1n;
      const fodd = ((iring + nside) & 1n) !== 0n ? 1.0 : 0.5;
      loc.z = Number(2n * nside - iring) * fact1;
      loc.phi = (Number(iphi) - fodd) * PI * 0.75 * fact1;
    } else {
      const ip = npix - pix;
      const iring = (1n + isqrt(2n * ip - 1n)) >> 1n;
      const iphi = 4n * iring + 1n - (ip - 2n * iring * (iring - 1n));
      const tmp = Number(iring * iring) * fact2;
      loc.z = tmp - 1.0;
      if (loc.z < -0.99) {
        loc.sth = Math.sqrt(tmp * (2.0 - tmp));
        loc.haveSth = true;
      }
      loc.phi = ((Number(iphi) - 0.5) * HALFPI) / Number(iring);
    }
    return loc;
  }
  const { ix, iy, face } = nest2xyf(order, pix);
  const jr = JRLL[face] * nsideN - ix - iy - 1; // < 2^32: exact as a number
  let nr: number;
  if (jr < nsideN) {
    nr = jr;
    const tmp = Number(BigInt(nr) * BigInt(nr)) * fact2;
    loc.z = 1 - tmp;
    if (loc.z > 0.99) {
      loc.sth = Math.sqrt(tmp * (2.0 - tmp));
      loc.haveSth = true;
    }
  } else if (jr > 3 * nsideN) {
    nr = nsideN * 4 - jr;
    const tmp = Number(BigInt(nr) * BigInt(nr)) * fact2;
    loc.z = tmp - 1;
    if (loc.z < -0.99) {
      loc.sth = Math.sqrt(tmp * (2.0 - tmp));
      loc.haveSth = true;
    }
  } else {
    nr = nsideN;
    loc.z = (2 * nsideN - jr) * fact1;
  }
  let tmp = JPLL[face] * nr + ix - iy;
  if (tmp < 0) tmp += 8 * nr;
  loc.phi = nr === nsideN ? 0.75 * HALFPI * tmp * fact1 : (0.5 * HALFPI * tmp) / nr;
  return loc;
}

function xyf2loc(x: number, y: number, face: number): Loc {
  const loc: Loc = { z: 0, phi: 0, sth: 0, haveSth: false };
  const jr = JRLL[face] - x - y;
  let nr: number;
  if (jr < 1) {
    nr = jr;
    const tmp = (nr * nr) / 3.0;
    loc.z = 1 - tmp;
    if (loc.z > 0.99) {
      loc.sth = Math.sqrt(tmp * (2.0 - tmp));
      loc.haveSth = true;
    }
  } else if (jr > 3) {
    nr = 4 - jr;
    const tmp = (nr * nr) / 3.0;
    loc.z = tmp - 1;
    if (loc.z < -0.99) {
      loc.sth = Math.sqrt(tmp * (2.0 - tmp));
      loc.haveSth = true;
    }
  } else {
    nr = 1;
    loc.z = ((2 - jr) * 2.0) / 3.0;
  }
  let tmp = JPLL[face] * nr + x - y;
  if (tmp < 0) tmp += 8;
  if (tmp >= 8) tmp -= 8;
  loc.phi = nr < 1e-15 ? 0 : (0.5 * HALFPI * tmp) / nr;
  return loc;
}

function locToVec(loc: Loc): [number, number, number] {
  if (loc.haveSth) return [loc.sth * Math.cos(loc.phi), loc.sth * Math.sin(loc.phi), loc.z];
  const sintheta = Math.sqrt((1.0 - loc.z) * (1.0 + loc.z));
  return [sintheta * Math.cos(loc.phi), sintheta * Math.sin(loc.phi), loc.z];
}

function locTheta(loc: Loc): number {
  return loc.haveSth ? Math.atan2(loc.sth, loc.z) : Math.acos(loc.z);
}

function nest2ring(order: number, pix: bigint): bigint {
  const { ix, iy, face } = nest2xyf(order, pix);
  return xyf2ring(order, ix, iy, face);
}

function ring2nest(order: number, pix: bigint): bigint {
  const { ix, iy, face } = ring2xyf(order, pix);
  return xyf2nest(order, ix, iy, face);
}

function neighbours(order: number, nest: boolean, pix: bigint): bigint[] {
  const nside = 2 ** order;
  const { ix, iy, face } = nest ? nest2xyf(order, pix) : ring2xyf(order, pix);
  const result: bigint[] = [];
  for (let i = 0; i < 8; i++) {
    let x = ix + NB_XOFFSET[i];
    let y = iy + NB_YOFFSET[i];
    let nbnum = 4;
    if (x < 0) {
      x += nside;
      nbnum -= 1;
    } else if (x >= nside) {
      x -= nside;
      nbnum += 1;
    }
    if (y < 0) {
      y += nside;
      nbnum -= 3;
    } else if (y >= nside) {
      y -= nside;
      nbnum += 3;
    }
    const f = NB_FACEARRAY[nbnum][face];
    if (f < 0) {
      result.push(-1n);
      continue;
    }
    const bits = NB_SWAPARRAY[nbnum][face >> 2];
    if (bits & 1) x = nside - x - 1;
    if (bits & 2) y = nside - y - 1;
    if (bits & 4) [x, y] = [y, x];
    result.push(nest ? xyf2nest(order, x, y, f) : xyf2ring(order, x, y, f));
  }
  return result;
}

/** Healpix max_pixrad (radians). */
export function maxPixrad(order: number): number {
  const nside = 2 ** order;
  const za = 2.0 / 3.0;
  const pa = PI / (4 * nside);
  const sa = Math.sqrt((1.0 - za) * (1.0 + za));
  const ax = sa * Math.cos(pa);
  const ay = sa * Math.sin(pa);
  let t1 = 1.0 - 1.0 / nside;
  t1 *= t1;
  const zb = 1 - t1 / 3;
  const bx = Math.sqrt((1.0 - zb) * (1.0 + zb));
  return vAngle(ax, ay, za, bx, 0, zb);
}

function vAngle(ax: number, ay: number, az: number, bx: number, by: number, bz: number): number {
  const cx = ay * bz - az * by;
  const cy = az * bx - ax * bz;
  const cz = ax * by - ay * bx;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), ax * bx + ay * by + az * bz);
}

function npixOf(order: number): bigint {
  return 12n << BigInt(2 * order);
}

// ---- coverage queries (see assembly/healpix-query.ts for the zone scheme) ----

class RangeWriter {
  readonly ranges: bigint[] = [];
  append(lo: bigint, hi: bigint): void {
    const n = this.ranges.length;
    if (n > 0 && lo <= this.ranges[n - 1]) {
      if (hi > this.ranges[n - 1]) this.ranges[n - 1] = hi;
    } else this.ranges.push(lo, hi);
  }
}

type ZoneOf = (order: number, pix: bigint) => number;

function descend(order: number, omax: number, inclusive: boolean, zoneOf: ZoneOf): BigInt64Array {
  const out = new RangeWriter();
  const stack: Array<[bigint, number]> = [];
  for (let i = 0; i < 12; i++) stack.push([BigInt(11 - i), 0]);
  let stackTop = 0;
  const pushChildren = (pix: bigint, o: number) => {
    for (let i = 0; i < 4; i++) stack.push([4n * pix + 3n - BigInt(i), o + 1]);
  };
  while (stack.length > 0 && out.ranges.length <= 2 * MAX_RANGES) {
    const [pix, o] = stack.pop()!;
    const zone = zoneOf(o, pix);
    if (zone === 0) continue;
    if (o < order) {
      if (zone >= 3) {
        const s = BigInt(2 * (order - o));
        out.append(pix << s, (pix + 1n) << s);
      } else pushChildren(pix, o);
    } else if (o > order) {
      if (zone >= 2 || o >= omax) {
        const parent = pix >> BigInt(2 * (o - order));
        out.append(parent, parent + 1n);
        stack.length = stackTop;
      } else pushChildren(pix, o);
    } else if (zone >= 2) out.append(pix, pix + 1n);
    else if (inclusive) {
      if (order < omax) {
        stackTop = stack.length;
        pushChildren(pix, o);
      } else out.append(pix, pix + 1n);
    }
  }
  if (out.ranges.length > 2 * MAX_RANGES) {
    throw new HealpixError(`the coverage has more than ${MAX_RANGES} ranges; query at a lower order`);
  }
  return BigInt64Array.from(out.ranges);
}

function oversampling(order: number, inclusive: boolean, fact: number): number {
  if (!inclusive) return order;
  if (!(fact > 0) || (fact & (fact - 1)) !== 0) return -1;
  const oplus = Math.log2(fact);
  return order + oplus > 29 ? -1 : order + oplus;
}

function queryDiscNest(order: number, inclusive: boolean, fact: number, theta: number, phi: number, radius: number): BigInt64Array | null {
  if (radius >= PI) return BigInt64Array.of(0n, npixOf(order));
  const omax = oversampling(order, inclusive, fact);
  if (omax < 0) return null;
  const z0 = Math.cos(theta);
  const cosrad = Math.cos(radius);
  const crpdr: number[] = [];
  const crmdr: number[] = [];
  for (let o = 0; o <= omax; o++) {
    const dr = maxPixrad(o);
    crpdr.push(radius + dr > PI ? -1 : Math.cos(radius + dr));
    crmdr.push(radius - dr < 0 ? 1 : Math.cos(radius - dr));
  }
  return descend(order, omax, inclusive, (o, pix) => {
    const loc = pix2loc(o, true, pix);
    const cang = z0 * loc.z + Math.cos(phi - loc.phi) * Math.sqrt((1.0 - z0 * z0) * (1.0 - loc.z * loc.z));
    if (!(cang > crpdr[o])) return 0;
    return cang < cosrad ? 1 : cang <= crmdr[o] ? 2 : 3;
  });
}

function queryMultidiscNest(order: number, inclusive: boolean, fact: number, circles: Float64Array): BigInt64Array | null {
  const omax = oversampling(order, inclusive, fact);
  if (omax < 0) return null;
  const count = circles.length / 4;
  const limits: number[][] = [];
  for (let o = 0; o <= omax; o++) {
    const dr = maxPixrad(o);
    const row: number[] = [];
    for (let i = 0; i < count; i++) {
      const rad = circles[4 * i + 3];
      row.push(rad + dr > PI ? -1 : Math.cos(rad + dr), Math.cos(rad), rad - dr < 0 ? 1 : Math.cos(rad - dr));
    }
    limits.push(row);
  }
  return descend(order, omax, inclusive, (o, pix) => {
    const [x, y, z] = locToVec(pix2loc(o, true, pix));
    let zone = 3;
    for (let i = 0; i < count && zone > 0; i++) {
      const crad = x * circles[4 * i] + y * circles[4 * i + 1] + z * circles[4 * i + 2];
      for (let iz = 0; iz < zone; iz++) {
        if (crad < limits[o][3 * i + iz]) {
          zone = iz;
          break;
        }
      }
    }
    return zone;
  });
}

type Vec = [number, number, number];
const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
function normalized(v: Vec): Vec {
  const l = 1.0 / Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  return [v[0] * l, v[1] * l, v[2] * l];
}

/** Smallest circle holding all points (Healpix geom_utils find_enclosing_circle). */
function enclosingCircle(p: Vec[]): { center: Vec; cosrad: number } {
  const sum = (a: Vec, b: Vec): Vec => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
  const diff = (a: Vec, b: Vec): Vec => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
  let center = normalized(sum(p[0], p[1]));
  let cosrad = dot(p[0], center);
  const circle2 = (q1: number, q2: number) => {
    center = normalized(sum(p[q1], p[q2]));
    cosrad = dot(p[q1], center);
    for (let i = 0; i < q1; i++) {
      if (dot(p[i], center) < cosrad) {
        center = normalized(cross(diff(p[q1], p[i]), diff(p[q2], p[i])));
        cosrad = dot(p[i], center);
        if (cosrad < 0) {
          center = [-center[0], -center[1], -center[2]];
          cosrad = -cosrad;
        }
      }
    }
  };
  const circle1 = (q: number) => {
    center = normalized(sum(p[0], p[q]));
    cosrad = dot(p[0], center);
    for (let i = 1; i < q; i++) if (dot(p[i], center) < cosrad) circle2(i, q);
  };
  for (let i = 2; i < p.length; i++) if (dot(p[i], center) < cosrad) circle1(i);
  return { center, cosrad };
}

function polygonCircles(vertices: Float64Array, inclusive: boolean): Float64Array | number {
  const nv = vertices.length / 3;
  const v: Vec[] = [];
  for (let i = 0; i < nv; i++) v.push([vertices[3 * i], vertices[3 * i + 1], vertices[3 * i + 2]]);
  const circles = new Float64Array(4 * (inclusive ? nv + 1 : nv));
  let flip = 0;
  for (let i = 0; i < nv; i++) {
    const n = cross(v[i], v[(i + 1) % nv]);
    const hnd = dot(n, v[(i + 2) % nv]);
    if (!(Math.abs(hnd) > 1e-10)) return -2;
    if (i === 0) flip = hnd < 0 ? -1 : 1;
    else if (!(flip * hnd > 0)) return -3;
    const f = flip / Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    circles.set([n[0] * f, n[1] * f, n[2] * f, HALFPI], 4 * i);
  }
  if (inclusive) {
    const { center, cosrad } = enclosingCircle(v);
    circles.set([center[0], center[1], center[2], Math.acos(cosrad)], 4 * nv);
  }
  return circles;
}

/** The TypeScript reference kernel. */
export const referenceKernel: HealpixKernel = {
  name: 'reference',
  ang2pixOne(order, nest, lonlat, a, b) {
    return lonlat ? ang2pix(order, nest, HALFPI - b * DEG2RAD, a * DEG2RAD) : ang2pix(order, nest, a, b);
  },
  vec2pixOne(order, nest, x, y, z) {
    return vec2pix(order, nest, x, y, z);
  },
  pix2angOne(order, nest, lonlat, pix) {
    const loc = pix2loc(order, nest, pix);
    const theta = locTheta(loc);
    return lonlat ? [loc.phi * RAD2DEG, 90.0 - theta * RAD2DEG] : [theta, loc.phi];
  },
  pix2vecOne(order, nest, pix) {
    return locToVec(pix2loc(order, nest, pix));
  },
  convertOne(toRing, order, pix) {
    return toRing ? nest2ring(order, pix) : ring2nest(order, pix);
  },
  ang2pix(order, nest, lonlat, a, b, out) {
    for (let i = 0; i < a.length; i++) {
      out[i] = lonlat ? ang2pix(order, nest, HALFPI - b[i] * DEG2RAD, a[i] * DEG2RAD) : ang2pix(order, nest, a[i], b[i]);
    }
  },
  loc2pix(order, nest, z, phi, sth, out) {
    for (let i = 0; i < z.length; i++) {
      const ok = z[i] >= -1 && z[i] <= 1 && Number.isFinite(phi[i]);
      out[i] = ok ? loc2pix(order, nest, z[i], phi[i], Number.isNaN(sth[i]) ? 0 : sth[i], !Number.isNaN(sth[i])) : -1n;
    }
  },
  vec2pix(order, nest, x, y, z, out) {
    for (let i = 0; i < x.length; i++) out[i] = vec2pix(order, nest, x[i], y[i], z[i]);
  },
  pix2ang(order, nest, lonlat, pix, outA, outB) {
    const npix = npixOf(order);
    for (let i = 0; i < pix.length; i++) {
      if (pix[i] < 0n || pix[i] >= npix) {
        outA[i] = outB[i] = NaN;
        continue;
      }
      const loc = pix2loc(order, nest, pix[i]);
      const theta = locTheta(loc);
      if (lonlat) {
        outA[i] = loc.phi * RAD2DEG;
        outB[i] = 90.0 - theta * RAD2DEG;
      } else {
        outA[i] = theta;
        outB[i] = loc.phi;
      }
    }
  },
  pix2vec(order, nest, pix, x, y, z) {
    const npix = npixOf(order);
    for (let i = 0; i < pix.length; i++) {
      if (pix[i] < 0n || pix[i] >= npix) {
        x[i] = y[i] = z[i] = NaN;
        continue;
      }
      [x[i], y[i], z[i]] = locToVec(pix2loc(order, nest, pix[i]));
    }
  },
  nest2ring(order, pix, out) {
    const npix = npixOf(order);
    for (let i = 0; i < pix.length; i++) out[i] = pix[i] < 0n || pix[i] >= npix ? -1n : nest2ring(order, pix[i]);
  },
  ring2nest(order, pix, out) {
    const npix = npixOf(order);
    for (let i = 0; i < pix.length; i++) out[i] = pix[i] < 0n || pix[i] >= npix ? -1n : ring2nest(order, pix[i]);
  },
  neighbours(order, nest, pix, out) {
    const n = pix.length;
    const npix = npixOf(order);
    for (let i = 0; i < n; i++) {
      const nb = pix[i] < 0n || pix[i] >= npix ? new Array<bigint>(8).fill(-1n) : neighbours(order, nest, pix[i]);
      for (let j = 0; j < 8; j++) out[j * n + i] = nb[j];
    }
  },
  pix2uniq(order, pix, out) {
    const base = 4n << BigInt(2 * order);
    const n = npixOf(order);
    for (let i = 0; i < pix.length; i++) out[i] = pix[i] < 0n || pix[i] >= n ? -1n : base + pix[i];
  },
  uniq2pix(uniq, orders, pix) {
    for (let i = 0; i < uniq.length; i++) {
      const u = uniq[i];
      // u in [4·4^o, 16·4^o): its binary form has 2·o + 3 or 2·o + 4 digits
      const o = u >= 4n ? ((u.toString(2).length - 1) >> 1) - 1 : -1;
      const ok = o >= 0 && o <= 29;
      orders[i] = ok ? o : -1;
      pix[i] = ok ? u - (4n << BigInt(2 * o)) : -1n;
    }
  },
  boundaries(order, nest, pix, step, out) {
    const { ix, iy, face } = nest ? nest2xyf(order, pix) : ring2xyf(order, pix);
    const nside = 2 ** order;
    const dc = 0.5 / nside;
    const xc = (ix + 0.5) / nside;
    const yc = (iy + 0.5) / nside;
    const d = 1.0 / (step * nside);
    const m = 4 * step;
    for (let j = 0; j < m; j++) {
      const edge = Math.floor(j / step);
      const i = j % step;
      const loc =
        edge === 0
          ? xyf2loc(xc + dc - i * d, yc + dc, face)
          : edge === 1
            ? xyf2loc(xc - dc, yc + dc - i * d, face)
            : edge === 2
              ? xyf2loc(xc - dc + i * d, yc - dc, face)
              : xyf2loc(xc + dc, yc - dc + i * d, face);
      const [x, y, z] = locToVec(loc);
      out[j] = x;
      out[m + j] = y;
      out[2 * m + j] = z;
    }
  },
  queryDiscNest: queryDiscNest,
  polygonCircles: polygonCircles,
  queryMultidiscNest: queryMultidiscNest,
  libm(fn, x, y, out) {
    const f: (a: number, b: number) => number =
      fn === 'cos' || fn === 'cos-fast'
        ? Math.cos
        : fn === 'sin'
          ? Math.sin
          : fn === 'acos'
            ? Math.acos
            : fn === 'atan2'
              ? Math.atan2
              : fn === 'cos-glibc'
                ? cosGlibc
                : sinGlibc;
    for (let i = 0; i < x.length; i++) out[i] = f(x[i], y ? y[i] : 0);
  },
  maxPixrad: maxPixrad,
};
