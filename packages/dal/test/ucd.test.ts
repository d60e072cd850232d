import { describe, expect, it } from 'vitest';
import type { Field } from '@vokit/votable';
import { findFieldsByUcd, parseUcd, spectralToWavelength, ucdMatches, ucdToWavelength } from '../src/index.js';

describe('UCDs', () => {
  it('parses words, namespaces and atoms, lowercased', () => {
    expect(parseUcd('phot.mag;em.IR.J')).toEqual([
      { namespace: undefined, word: 'phot.mag', atoms: ['phot', 'mag'] },
      { namespace: undefined, word: 'em.ir.j', atoms: ['em', 'ir', 'j'] },
    ]);
    expect(parseUcd(' ivoa:meta.id ; ')).toEqual([{ namespace: 'ivoa', word: 'meta.id', atoms: ['meta', 'id'] }]);
  });

  it('matches word by word from the start, with wildcards, case-insensitively', () => {
    expect(ucdMatches('pos.eq.ra;meta.main', 'pos.eq.ra')).toBe(true);
    expect(ucdMatches('pos.eq.ra;meta.main', 'POS.EQ.RA;META.MAIN')).toBe(true);
    expect(ucdMatches('pos.eq.ra', 'pos.eq.ra;meta.main')).toBe(false);
    expect(ucdMatches('phot.mag;em.IR.K', 'phot.mag;em.IR.*')).toBe(true);
    expect(ucdMatches('phot.mag;em.opt.V', 'phot.mag;em.IR.*')).toBe(false);
    expect(ucdMatches('stat.error;phot.mag;em.IR.J', 'phot.mag')).toBe(false);
    expect(ucdMatches('VOX:Image_AccessReference', 'vox:image_accessreference')).toBe(true);
  });

  it('finds fields by UCD', () => {
    const field = (name: string, ucd?: string) => ({ name, ucd, datatype: 'float', attributes: {}, links: [] }) as Field;
    const fields = [field('j', 'phot.mag;em.IR.J'), field('e_j', 'stat.error;phot.mag;em.IR.J'), field('v', 'phot.mag;em.opt.V'), field('x')];
    expect(findFieldsByUcd(fields, 'phot.mag').map((f) => f.name)).toEqual(['j', 'v']);
  });

  it('maps em words to wavelengths, most specific first', () => {
    expect(ucdToWavelength('phot.mag;em.IR.J')).toEqual({ min: 1e-6, max: 1.5e-6, centre: 1.235e-6 });
    expect(ucdToWavelength('phot.mag;em.opt.V')?.centre).toBe(5.51e-7);
    expect(ucdToWavelength('phot.flux;em.IR.Q')).toEqual({ min: 1e-6, max: 1e-3, centre: 1e-5 });
    expect(ucdToWavelength('phot.mag')).toBeUndefined();
  });

  it('converts spectral values in length, frequency and energy units to metres', () => {
    expect(spectralToWavelength(6563, 'Angstrom')).toBeCloseTo(6.563e-7, 15);
    expect(spectralToWavelength(2.2, 'um')).toBeCloseTo(2.2e-6, 15);
    expect(spectralToWavelength(1.4204057517, 'GHz')).toBeCloseTo(0.2110611405, 9);
    expect(spectralToWavelength(1, 'keV')).toBeCloseTo(1.2398419843e-9, 18);
    expect(() => spectralToWavelength(1, 'furlong')).toThrow('unknown spectral unit "furlong"');
  });
});
