"""Whole-process astropy crossmatch, the counterpart of `vokit xmatch A B --radius R --find nearest --count`.

Reads two VOTables with astropy.io.votable, matches every row of A to its nearest row of B with
SkyCoord.match_to_catalog_sky and prints how many are within the radius (arcsec). Used by
bench/crossmatch.mjs: run with /usr/bin/python3 (Debian python3-astropy, python3-scipy).
"""
import sys

import astropy.units as u
from astropy.coordinates import SkyCoord
from astropy.io.votable import parse_single_table


def coords(path):
    table = parse_single_table(path).to_table()
    return SkyCoord(table['ra'], table['dec'], unit='deg')


def main():
    a_path, b_path, radius = sys.argv[1], sys.argv[2], float(sys.argv[3])
    a, b = coords(a_path), coords(b_path)
    _, sep, _ = a.match_to_catalog_sky(b)
    print(int((sep <= radius * u.arcsec).sum()))


if __name__ == '__main__':
    main()
