#!/usr/bin/python3
"""Writes the FITS golden expectations of @vokit/votable's fits.test.ts.

Run from packages/votable with Debian's python3-astropy (not pyenv's python):

    /usr/bin/python3 scripts/golden-fits.py

1. Writes test/fixtures/fits/all-types.fits: one BINTABLE with every TFORM code (L X B I J K A
   E D C M), the unsigned and signed-byte TZERO conventions, TNULL, TSCAL/TZERO scaling, TDIM
   (numbers and strings) and heap arrays (P and Q descriptors), 3 rows.
2. Reads it and the two copied fixtures (astropy tb.fits, pyvo dal/mimetype/test.fits) with
   astropy.io.fits and writes test/fixtures/fits/golden.json: per file, per BINTABLE HDU, each
   column's name, TFORM and values as astropy returns them (scaling applied).

JSON encoding of values: null for a raw integer equal to TNULL; NaN and infinities as the strings
"NaN", "Infinity", "-Infinity"; 64-bit integers (K, and J read as unsigned) as decimal strings;
complex as [re, im]; arrays flat in FITS order (first index fastest).
"""

import json
import math
import os

import numpy as np
from astropy.io import fits

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'test', 'fixtures')


def write_all_types(path):
    rows = 3
    cols = [
        fits.Column('l', 'L', array=np.array([True, False, True])),
        fits.Column('x', '10X', array=np.array([[i % 3 == r for i in range(10)] for r in range(rows)])),
        fits.Column('b', 'B', array=np.array([0, 255, 7], dtype=np.uint8)),
        # Raw 0, 255, 128; TZERO = -128 (the signed-byte convention) is patched in below,
        # giving -128, 127, 0.
        fits.Column('sb', 'B', array=np.array([0, 255, 128], dtype=np.uint8)),
        fits.Column('i', 'I', array=np.array([-32768, 32767, 1], dtype=np.int16)),
        fits.Column('ui', 'I', bzero=32768, array=np.array([0, 65535, 40000], dtype=np.uint16)),
        fits.Column('j', 'J', null=-1, array=np.array([-1, 2147483647, -2147483648], dtype=np.int32)),
        fits.Column('uj', 'J', bzero=2147483648, array=np.array([0, 4294967295, 3000000000], dtype=np.uint32)),
        fits.Column('k', 'K', null=0, array=np.array([-(2**63), 2**62 + 1, 0], dtype=np.int64)),
        fits.Column('a', '8A', array=np.array(['abc', 'defghijk', ''])),
        fits.Column('a2', '8A', dim='(4,2)', array=np.array([['ab', 'cd'], ['efgh', 'ij'], ['', 'x']])),
        fits.Column('e', 'E', unit='mag', array=np.array([1.5, np.nan, -0.1], dtype=np.float32)),
        fits.Column('d', 'D', array=np.array([math.pi, -np.inf, 1e-300])),
        fits.Column('c', 'C', array=np.array([1 + 2j, -1.5j, 0], dtype=np.complex64)),
        fits.Column('m', 'M', array=np.array([1 + 2j, -1.5j, 0.1 + 0.2j])),
        fits.Column('es', 'E', bscale=2.0, bzero=0.5, array=np.array([0.5, 2.5, -7.5], dtype=np.float32)),
        # Raw 0, 1, -1000; TSCAL/TZERO are patched in below (astropy 5.2 cannot scale back a
        # float array into J), giving 10.0, 10.25, -240.0.
        fits.Column('js', 'J', array=np.array([0, 1, -1000], dtype=np.int32)),
        fits.Column('e23', '6E', dim='(3,2)', array=np.arange(18, dtype=np.float32).reshape(3, 2, 3)),
        fits.Column('pj', 'PJ()', array=np.array([np.array([1, 2, 3], dtype=np.int32), np.array([], dtype=np.int32), np.array([-5], dtype=np.int32)], dtype=object)),
        fits.Column('pe', 'PE()', array=np.array([np.array([0.5], dtype=np.float32), np.array([1, 2], dtype=np.float32), np.array([], dtype=np.float32)], dtype=object)),
        fits.Column('pa', 'PA()', array=np.array(['hello', '', 'variable text'], dtype=object)),
        fits.Column('qd', 'QD()', array=np.array([np.array([], dtype=np.float64), np.array([1e100], dtype=np.float64), np.array([-1.0, 2.0, 3.5], dtype=np.float64)], dtype=object)),
    ]
    hdu = fits.BinTableHDU.from_columns(cols, name='ALLTYPES')
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(path, overwrite=True)
    names = [c.name for c in cols]
    js = names.index('js') + 1
    sb = names.index('sb') + 1
    add_cards(path, 1, [f'TSCAL{js}', f'TZERO{js}', f'TZERO{sb}'], ['0.25', '10.0', '-128'])


def add_cards(path, hdu_index, keys, values):
    """Inserts cards just before END of HDU `hdu_index`, in the header block's free space."""
    with fits.open(path) as hdus:
        info = hdus.fileinfo(hdu_index)
        header_start, data_start = info['hdrLoc'], info['datLoc']
    data = bytearray(open(path, 'rb').read())
    end_card = header_start
    while data[end_card:end_card + 8] != b'END     ':
        end_card += 80
    cards = b''.join(f'{k:<8}= {v:>20}'.ljust(80).encode('ascii') for k, v in zip(keys, values))
    if end_card + 80 + len(cards) > data_start:
        raise SystemExit('no room for extra cards in the header block')
    data[end_card:end_card + 80 + len(cards)] = cards + b'END'.ljust(80)
    open(path, 'wb').write(bytes(data))


def encode(value, code):
    """One element as JSON."""
    if isinstance(value, (bytes, np.bytes_)):
        value = value.decode('ascii')
    if isinstance(value, str):
        return value.rstrip(' ')
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (complex, np.complexfloating)):
        return [encode(value.real, 'E'), encode(value.imag, 'E')]
    if isinstance(value, (np.integer, int)):
        v = int(value)
        return str(v) if code in ('K',) or abs(v) > 2**53 else v
    v = float(value)
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    return v


def cell(value, code):
    if isinstance(value, np.ndarray) or (hasattr(value, '__len__') and not isinstance(value, (str, bytes, np.bytes_, np.str_))):
        return [encode(x, code) for x in np.asarray(value).flatten()]
    return encode(value, code)


def describe(path):
    out = []
    with fits.open(path) as hdus:
        for extnum, hdu in enumerate(hdus):
            if not isinstance(hdu, fits.BinTableHDU):
                continue
            columns = []
            for col in hdu.columns:
                code = col.format.format if hasattr(col.format, 'format') else str(col.format)[-1]
                code = str(col.format).lstrip('0123456789')[:1]
                if code in ('P', 'Q'):
                    code = str(col.format).lstrip('0123456789')[1:2]
                data = hdu.data[col.name]
                null = col.null if col.null not in (None, '') else None
                scaled = col.bscale not in (None, 1) or col.bzero not in (None, 0)
                unsigned = (code, col.bzero) in (('I', 32768), ('J', 2147483648))
                values = []
                for r in range(len(data)):
                    v = data[r]
                    if null is not None and not scaled and not isinstance(v, np.ndarray) and int(v) == int(null):
                        values.append(None)
                    elif code == 'A' and str(col.format)[:1] in ('P', 'Q'):
                        # A heap string comes back as an array of characters.
                        chars = [x.decode('ascii') if isinstance(x, bytes) else str(x) for x in np.asarray(v).flatten()]
                        values.append(''.join(chars).split('\0')[0].rstrip(' '))
                    elif unsigned:
                        values.append(str(int(v)) if code == 'J' else int(v))
                    else:
                        values.append(cell(v, code))
                columns.append({'name': col.name, 'tform': str(col.format), 'values': values})
            out.append({'extnum': extnum, 'rows': len(hdu.data), 'columns': columns})
    return out


def main():
    all_types = os.path.join(FIXTURES, 'fits', 'all-types.fits')
    write_all_types(all_types)
    files = {
        'fits/all-types.fits': all_types,
        'astropy/tb.fits': os.path.join(FIXTURES, 'astropy', 'tb.fits'),
        'pyvo/dal/mimetype/test.fits': os.path.join(FIXTURES, 'pyvo', 'dal', 'mimetype', 'test.fits'),
    }
    golden = {name: describe(path) for name, path in files.items()}
    import astropy
    golden = {'generator': f'scripts/golden-fits.py with astropy {astropy.__version__}', 'files': golden}
    with open(os.path.join(FIXTURES, 'fits', 'golden.json'), 'w') as f:
        json.dump(golden, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
