import { describe, expect, it } from 'vitest';
import { safeFilename, suggestedFilename } from '../src/index.js';

describe('safe file names', () => {
  it.each([
    ['f1_J.fits', 'f1_J.fits'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\win.ini', 'win.ini'],
    ['..', 'dataset'],
    ['.', 'dataset'],
    ['', 'dataset'],
    ['/', 'dataset'],
    ['.hidden', 'hidden'],
    ['a\u0000b\nc', 'a_b_c'],
    ['what?<>:"|*.fits', 'what_______.fits'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['spectrum.fits.', 'spectrum.fits'],
  ])('%j becomes %j', (name, safe) => {
    expect(safeFilename(name)).toBe(safe);
  });

  it('keeps names within 200 bytes of UTF-8', () => {
    const name = safeFilename('é'.repeat(300));
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(200);
    expect(name).toBe('é'.repeat(100));
  });

  it('suggests names from Content-Disposition, the URL path, or a datalink ID', () => {
    expect(suggestedFilename({ url: 'http://x/getproduct/a/b.fits', dispositionName: '../../x.fits' })).toBe('x.fits');
    expect(suggestedFilename({ url: 'http://x/getproduct/vokit/data/images/f1_J.fits' })).toBe('f1_J.fits');
    expect(suggestedFilename({ url: 'http://x/q/sdl/dlget?ID=ivo%3A%2F%2Fv%2F~%3Fvokit%2Fdata%2Fspec1.fits' })).toBe('spec1.fits');
  });
});
