#!/usr/bin/python3
"""astropy as the reference matcher for @vokit/crossmatch-wasm (run with /usr/bin/python3,
Debian python3-astropy and python3-scipy).

    oracle-astropy.py A.f64 B.f64 RADIUS_ARCSEC [--runs N]

A.f64 and B.f64 hold little-endian float64 ra values then dec values (degrees), n of each.
Prints one JSON object on stdout:

- ``search_around_sky``: ``idx1``, ``idx2`` of every pair within the radius
  (``astropy.coordinates.search_around_sky``);
- ``nearest``: for every A row, ``idx`` of its nearest B row and ``sep`` in arcsec
  (``SkyCoord.match_to_catalog_sky``); ``within`` counts the rows with ``sep <= radius``;
- with ``--runs N``: ``seconds`` = {``coords``: SkyCoord construction, ``match``: the median of N
  runs of ``match_to_catalog_sky`` (its kd-tree build included), ``around``: one
  ``search_around_sky``}, timed in-process with ``time.perf_counter``.
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
from astropy import units as u
from astropy.coordinates import SkyCoord, match_coordinates_sky, search_around_sky


def load(path):
    values = np.fromfile(path, dtype="<f8")
    n = values.size // 2
    return values[:n], values[n:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("radius", type=float)
    parser.add_argument("--runs", type=int, default=0)
    parser.add_argument("--no-pairs", action="store_true", help="omit the pair lists (benchmarks)")
    args = parser.parse_args()

    ra1, dec1 = load(args.a)
    ra2, dec2 = load(args.b)
    t0 = time.perf_counter()
    c1 = SkyCoord(ra=ra1 * u.deg, dec=dec1 * u.deg)
    c2 = SkyCoord(ra=ra2 * u.deg, dec=dec2 * u.deg)
    coords_s = time.perf_counter() - t0
    radius = args.radius * u.arcsec

    match_times = []
    for _ in range(max(1, args.runs)):
        # storekdtree=False: every run builds its tree, as a first call in a fresh process does
        t0 = time.perf_counter()
        idx, sep, _ = match_coordinates_sky(c1, c2, storekdtree=False)
        match_times.append(time.perf_counter() - t0)
    sep_arcsec = sep.to_value(u.arcsec)

    t0 = time.perf_counter()
    idx1, idx2, _, _ = search_around_sky(c1, c2, radius, storekdtree=False)
    around_s = time.perf_counter() - t0

    out = {
        "astropy": __import__("astropy").__version__,
        "pairs": int(idx1.size),
        "within": int(np.count_nonzero(sep_arcsec <= args.radius)),
    }
    if not args.no_pairs:
        out["search_around_sky"] = {"idx1": idx1.tolist(), "idx2": idx2.tolist()}
        out["nearest"] = {"idx": idx.tolist(), "sep": sep_arcsec.tolist()}
    if args.runs:
        out["seconds"] = {"coords": coords_s, "match": statistics.median(match_times), "match_runs": match_times, "around": around_s}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
