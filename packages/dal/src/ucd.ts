/**
 * UCD utilities (IVOA UCD 1.5, UCD1+ vocabulary): parse a UCD into words, match columns by
 * UCD with wildcards, and turn `em.*` words and spectral units into wavelengths, so that a
 * catalogue's magnitude columns can be placed on an SED without a per-catalogue table.
 */
import type { Field } from '@vokit/votable';

/** One word of a UCD: `phot.mag` → `{ namespace: undefined, word: 'phot.mag', atoms: ['phot','mag'] }`. */
export interface UcdWord {
  /** `ivoa` or a custom namespace from `ns:word`, else undefined. */
  namespace?: string;
  /** The word, lowercased (UCDs are case-insensitive, UCD 1.5 §3). */
  word: string;
  /** The word split at dots. */
  atoms: string[];
}

/** Splits a UCD string into its words (`;`-separated), lowercased and trimmed. */
export function parseUcd(ucd: string): UcdWord[] {
  return ucd
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const colon = part.indexOf(':');
      const namespace = colon > 0 ? part.slice(0, colon).toLowerCase() : undefined;
      const word = (colon > 0 ? part.slice(colon + 1) : part).toLowerCase();
      return { namespace, word, atoms: word.split('.') };
    });
}

function wordMatches(actual: string, pattern: string): boolean {
  if (!pattern.includes('*')) return actual === pattern;
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(actual);
}

/**
 * True when `ucd` matches `pattern`: case-insensitive, word by word from the start, each
 * pattern word may contain `*`; the UCD may have more words than the pattern.
 * `ucdMatches('phot.mag;em.IR.J', 'phot.mag;em.IR.*') === true`,
 * `ucdMatches('pos.eq.ra;meta.main', 'pos.eq.ra') === true`. A pattern with a namespace
 * (`VOX:Image_AccessReference`) is compared as written, case-insensitively.
 */
export function ucdMatches(ucd: string, pattern: string): boolean {
  const have = ucd.split(';').map((s) => s.trim().toLowerCase());
  const want = pattern.split(';').map((s) => s.trim().toLowerCase());
  if (want.length > have.length) return false;
  return want.every((w, i) => wordMatches(have[i], w));
}

/** Fields whose UCD matches `pattern` (see {@link ucdMatches}). */
export function findFieldsByUcd(fields: readonly Field[], pattern: string): Field[] {
  return fields.filter((f) => f.ucd !== undefined && ucdMatches(f.ucd, pattern));
}

/**
 * Representative wavelengths in metres for `em.*` words (UCD1+ list; photometric bands use
 * the usual effective wavelengths of Johnson/Cousins, 2MASS and WISE-like systems; ranges use
 * the vocabulary's limits).
 */
export const EM_WAVELENGTHS: Readonly<{ [word: string]: { min: number; max: number; centre: number } }> = {
  'em.gamma': { min: 0, max: 1e-11, centre: 1e-12 },
  'em.x-ray': { min: 1e-11, max: 1e-8, centre: 1e-9 },
  'em.uv': { min: 1e-8, max: 3e-7, centre: 2e-7 },
  'em.uv.10-50nm': { min: 1e-8, max: 5e-8, centre: 3e-8 },
  'em.uv.50-100nm': { min: 5e-8, max: 1e-7, centre: 7.5e-8 },
  'em.uv.100-200nm': { min: 1e-7, max: 2e-7, centre: 1.5e-7 },
  'em.uv.200-300nm': { min: 2e-7, max: 3e-7, centre: 2.5e-7 },
  'em.opt': { min: 3e-7, max: 1e-6, centre: 5.5e-7 },
  'em.opt.u': { min: 3e-7, max: 4e-7, centre: 3.65e-7 },
  'em.opt.b': { min: 4e-7, max: 5e-7, centre: 4.45e-7 },
  'em.opt.v': { min: 5e-7, max: 6e-7, centre: 5.51e-7 },
  'em.opt.r': { min: 6e-7, max: 7.5e-7, centre: 6.58e-7 },
  'em.opt.i': { min: 7.5e-7, max: 1e-6, centre: 8.06e-7 },
  'em.ir': { min: 1e-6, max: 1e-3, centre: 1e-5 },
  'em.ir.nir': { min: 1e-6, max: 5e-6, centre: 2e-6 },
  'em.ir.j': { min: 1.0e-6, max: 1.5e-6, centre: 1.235e-6 },
  'em.ir.h': { min: 1.5e-6, max: 2e-6, centre: 1.662e-6 },
  'em.ir.k': { min: 2e-6, max: 3e-6, centre: 2.159e-6 },
  'em.ir.3-4um': { min: 3e-6, max: 4e-6, centre: 3.4e-6 },
  'em.ir.4-8um': { min: 4e-6, max: 8e-6, centre: 4.6e-6 },
  'em.ir.8-15um': { min: 8e-6, max: 1.5e-5, centre: 1.2e-5 },
  'em.ir.15-30um': { min: 1.5e-5, max: 3e-5, centre: 2.2e-5 },
  'em.ir.30-60um': { min: 3e-5, max: 6e-5, centre: 4.5e-5 },
  'em.ir.60-100um': { min: 6e-5, max: 1e-4, centre: 8e-5 },
  'em.ir.mir': { min: 5e-6, max: 3e-5, centre: 1e-5 },
  'em.ir.fir': { min: 3e-5, max: 1e-3, centre: 1e-4 },
  'em.mm': { min: 1e-3, max: 1e-1, centre: 3e-3 },
  'em.radio': { min: 1e-1, max: Infinity, centre: 0.21 },
};

/**
 * The wavelength (metres) an `em.*` word in `ucd` stands for: the most specific known word
 * (`em.IR.J` before `em.IR`), or undefined when the UCD names no band.
 * `ucdToWavelength('phot.mag;em.IR.J')` → `{ min: 1e-6, max: 1.5e-6, centre: 1.235e-6 }`.
 */
export function ucdToWavelength(ucd: string): { min: number; max: number; centre: number } | undefined {
  for (const { word } of parseUcd(ucd)) {
    if (!word.startsWith('em.')) continue;
    const atoms = word.split('.');
    for (let n = atoms.length; n >= 2; n--) {
      const known = EM_WAVELENGTHS[atoms.slice(0, n).join('.')];
      if (known) return known;
    }
  }
  return undefined;
}

const SPEED_OF_LIGHT = 299_792_458; // m/s
const PLANCK_EV = 4.135667696e-15; // eV s

/** Length units to metres. */
const LENGTH: { [unit: string]: number } = {
  m: 1, cm: 1e-2, mm: 1e-3, um: 1e-6, µm: 1e-6, micron: 1e-6, nm: 1e-9, angstrom: 1e-10, å: 1e-10, a: 1e-10, aa: 1e-10, '0.1nm': 1e-10,
};
/** Frequency units to Hz. */
const FREQUENCY: { [unit: string]: number } = { hz: 1, khz: 1e3, mhz: 1e6, ghz: 1e9, thz: 1e12 };
/** Energy units to eV. */
const ENERGY: { [unit: string]: number } = { ev: 1, kev: 1e3, mev: 1e6, gev: 1e9, j: 1 / 1.602176634e-19 };

/**
 * Converts a spectral coordinate `value` in `unit` (length, frequency or photon energy; VOUnit
 * or common spellings like `Angstrom`, `um`, `GHz`, `keV`) to a wavelength in metres.
 * Throws RangeError for a unit it does not know.
 */
export function spectralToWavelength(value: number, unit: string): number {
  const u = unit.trim().toLowerCase();
  if (u in LENGTH) return value * LENGTH[u];
  if (u in FREQUENCY) return SPEED_OF_LIGHT / (value * FREQUENCY[u]);
  if (u in ENERGY) return (PLANCK_EV * SPEED_OF_LIGHT) / (value * ENERGY[u]);
  throw new RangeError(`unknown spectral unit "${unit}": use a length (m, nm, um, Angstrom), frequency (Hz..THz) or energy (eV..GeV, J)`);
}

/** A photometry column placed on the spectrum, for SEDs. */
export interface SedColumn {
  field: Field;
  /** `mag` for `phot.mag`, `flux` for `phot.flux*` (densities included). */
  kind: 'mag' | 'flux';
  /** The band's wavelength range and centre in metres (from the UCD's `em.*` word). */
  wavelength: { min: number; max: number; centre: number };
}

/**
 * The columns of a table that measure brightness in a known band: first UCD word `phot.mag`
 * or `phot.flux...`, an `em.*` word naming the band; errors (`stat.error;...`) and columns
 * without a band are left out. Sorted by wavelength: ready to plot as an SED.
 */
export function sedColumns(fields: readonly Field[]): SedColumn[] {
  const out: SedColumn[] = [];
  for (const field of fields) {
    if (!field.ucd) continue;
    const [first] = parseUcd(field.ucd);
    if (!first) continue;
    const kind = first.word === 'phot.mag' ? 'mag' : first.word.startsWith('phot.flux') ? 'flux' : undefined;
    const wavelength = kind && ucdToWavelength(field.ucd);
    if (kind && wavelength) out.push({ field, kind, wavelength });
  }
  return out.sort((a, b) => a.wavelength.centre - b.wavelength.centre);
}
