/**
 * Sky positions and sizes as the simple protocols take them: degrees, ICRS, validated before
 * anything goes on the wire (pyvo accepts astropy SkyCoord/Quantity; we take plain numbers).
 */
import { DALOptionsError } from './errors.js';

/** A position in degrees: `[ra, dec]` or `{ ra, dec }`. */
export type SkyPosition = readonly [number, number] | { readonly ra: number; readonly dec: number };

/** Validated `[ra, dec]` in degrees: RA finite (any value, normalised to [0, 360)), Dec in [-90, 90]. */
export function toRaDec(pos: SkyPosition, what = 'pos'): [number, number] {
  const [ra, dec] = Array.isArray(pos) ? pos : [(pos as { ra: number }).ra, (pos as { dec: number }).dec];
  if (typeof ra !== 'number' || !Number.isFinite(ra)) throw new DALOptionsError(`${what}: RA must be a finite number of degrees, got ${ra}`);
  if (typeof dec !== 'number' || !(dec >= -90 && dec <= 90)) throw new DALOptionsError(`${what}: Dec must be within [-90, 90] degrees, got ${dec}`);
  // wrap only when needed: (x % 360 + 360) % 360 would turn 152.6 into 152.60000000000002
  const wrapped = ra >= 0 && ra < 360 ? ra : ((ra % 360) + 360) % 360;
  return [wrapped, dec];
}

/** A non-negative finite size in degrees. */
export function toDegrees(value: number, what: string): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new DALOptionsError(`${what} must be a non-negative finite number of degrees, got ${value}`);
  }
  return value;
}
