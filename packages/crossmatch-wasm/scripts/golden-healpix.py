#!/usr/bin/python3
"""healpy oracle for @vokit/crossmatch-wasm's HEALPix.

Two modes (run with Debian's /usr/bin/python3 and python3-healpy; healpy supports nside = 2**29):

  golden-healpix.py --golden OUT.json
      writes a small golden file (committed as test/golden/healpix.json) of exact healpy results
      for hand-picked edge cases: poles, RA 0/360, the z = ±2/3 transition, face corners, every
      order 0..29; per order up to 40 pixel corners/edge points whose pixel changes when theta
      moves by one ulp (the C library's rounding of cos(theta) decides them); and this libm's
      cos/sin on 3800 theta in [0, pi] (glibc's, as healpy uses them).

  golden-healpix.py --serve
      answers a stream of requests on stdin with binary results on stdout, so that the test can
      check 1e5 points per order for every order (too big to commit) generated at test time.
      Each request is one JSON line followed by its little-endian arrays; each answer is the
      concatenation of little-endian arrays, in the order listed below.

      ang2pix   {order, n} + lon f64[n] + lat f64[n] (degrees)
                -> nest i64[n], ring i64[n], z f64[n], sth f64[n]
                   (z = cos(theta), sth = sin(theta) computed by this machine's libm exactly as
                   Healpix C++ does inside ang2pix; sth is NaN where Healpix does not use it)
      ang2pixr  {order, n} + theta f64[n] + phi f64[n] (radians)
                -> nest i64[n], ring i64[n], z f64[n], sth f64[n]
      vec2pix   {order, n} + x, y, z f64[n] -> nest i64[n], ring i64[n], phi f64[n] (libm atan2)
      pix       {order, n} + pix i64[n]
                -> theta_nest, phi_nest, theta_ring, phi_ring f64[n], nest2ring i64[n],
                   ring2nest i64[n], x_nest, y_nest, z_nest f64[n]
      neighbours {order, n} + pix i64[n] -> nest i64[8n], ring i64[8n] (healpy's (8, n) layout)
      boundaries {order, n, step} + pix i64[n] -> nest f64[n*12*step], ring f64[n*12*step]
      disc      {order, nest, inclusive, fact} + vec f64[3] + radius f64[1] -> count i64, pix i64[count]
      polygon   {order, nest, inclusive, fact, nv} + vertices f64[3nv] -> count i64, pix i64[count]
"""
import json
import math
import sys

import healpy as hp
import numpy as np


def read_array(stream, dtype, count):
    size = np.dtype(dtype).itemsize * count
    data = stream.read(size)
    if len(data) != size:
        raise EOFError(f"expected {size} bytes, got {len(data)}")
    return np.frombuffer(data, dtype=dtype)


def libm_z_sth(theta):
    # Healpix C++ T_Healpix_Base::ang2pix: cos(theta) always, sin(theta) only near the poles.
    z = np.array([math.cos(t) for t in theta], dtype="<f8")
    sth = np.array([math.sin(t) if (t < 0.01 or t > 3.14159 - 0.01) else math.nan for t in theta], dtype="<f8")
    return z, sth


def serve():
    stdin = sys.stdin.buffer
    stdout = sys.stdout.buffer
    while True:
        line = stdin.readline()
        if not line:
            break
        req = json.loads(line)
        op = req["op"]
        nside = 1 << req["order"]
        out = []
        if op == "ang2pix":
            n = req["n"]
            lon = read_array(stdin, "<f8", n)
            lat = read_array(stdin, "<f8", n)
            out.append(hp.ang2pix(nside, lon, lat, nest=True, lonlat=True).astype("<i8"))
            out.append(hp.ang2pix(nside, lon, lat, nest=False, lonlat=True).astype("<i8"))
            theta, _ = hp.pixelfunc.lonlat2thetaphi(lon, lat)
            out.extend(libm_z_sth(theta))
        elif op == "ang2pixr":
            n = req["n"]
            theta = read_array(stdin, "<f8", n)
            phi = read_array(stdin, "<f8", n)
            out.append(hp.ang2pix(nside, theta, phi, nest=True).astype("<i8"))
            out.append(hp.ang2pix(nside, theta, phi, nest=False).astype("<i8"))
            out.extend(libm_z_sth(theta))
        elif op == "vec2pix":
            n = req["n"]
            x = read_array(stdin, "<f8", n)
            y = read_array(stdin, "<f8", n)
            z = read_array(stdin, "<f8", n)
            out.append(hp.vec2pix(nside, x, y, z, nest=True).astype("<i8"))
            out.append(hp.vec2pix(nside, x, y, z, nest=False).astype("<i8"))
            out.append(np.array([0.0 if (a == 0 and b == 0) else math.atan2(b, a) for a, b in zip(x, y)], dtype="<f8"))
        elif op == "pix":
            n = req["n"]
            pix = read_array(stdin, "<i8", n)
            tn, pn = hp.pix2ang(nside, pix, nest=True)
            tr, pr = hp.pix2ang(nside, pix, nest=False)
            out += [tn.astype("<f8"), pn.astype("<f8"), tr.astype("<f8"), pr.astype("<f8")]
            out.append(hp.nest2ring(nside, pix).astype("<i8"))
            out.append(hp.ring2nest(nside, pix).astype("<i8"))
            out += [c.astype("<f8") for c in hp.pix2vec(nside, pix, nest=True)]
        elif op == "neighbours":
            n = req["n"]
            pix = read_array(stdin, "<i8", n)
            out.append(np.asarray(hp.get_all_neighbours(nside, pix, nest=True), dtype="<i8").reshape(-1))
            out.append(np.asarray(hp.get_all_neighbours(nside, pix, nest=False), dtype="<i8").reshape(-1))
        elif op == "boundaries":
            n, step = req["n"], req["step"]
            pix = read_array(stdin, "<i8", n)
            for nest in (True, False):
                b = hp.boundaries(nside, pix, step=step, nest=nest)  # (n, 3, 4 step)
                out.append(np.asarray(b, dtype="<f8").reshape(-1))
        elif op in ("disc", "polygon"):
            if op == "disc":
                vec = read_array(stdin, "<f8", 3)
                radius = read_array(stdin, "<f8", 1)[0]
                pix = hp.query_disc(nside, vec, radius, inclusive=req["inclusive"], fact=req["fact"], nest=req["nest"])
            else:
                vertices = read_array(stdin, "<f8", 3 * req["nv"]).reshape(-1, 3)
                pix = hp.query_polygon(nside, vertices, inclusive=req["inclusive"], fact=req["fact"], nest=req["nest"])
            pix = np.sort(np.asarray(pix, dtype="<i8"))
            out.append(np.array([len(pix)], dtype="<i8"))
            out.append(pix)
        else:
            raise ValueError(f"unknown op {op}")
        for array in out:
            stdout.write(np.ascontiguousarray(array).tobytes())
        stdout.flush()


def last_bit_edge_points(order, rng, wanted):
    """Pixel corners and edge points whose pixel changes when theta moves by one ulp: there the
    last bit of cos(theta), i.e. the C library's rounding, decides the pixel."""
    nside = 1 << order
    npix = 12 * nside * nside
    lon, lat = [], []
    for attempt in range(400):
        if len(lon) >= wanted:
            break
        if attempt % 4 == 3:
            # pixels of the rings nearest a pole, where theta crosses 0.01 at high orders
            rings = min(nside, max(1, int(math.ceil(0.02 * nside))))
            p = int(rng.integers(0, 2 * rings * (rings + 1)))
            pix = np.array([p if rng.random() < 0.5 else npix - 1 - p])
            b = hp.boundaries(nside, pix, step=2, nest=False)
        else:
            pix = rng.integers(0, npix, size=1)
            b = hp.boundaries(nside, pix, step=int(rng.choice([2, 5])), nest=True)
        b = np.asarray(b).reshape(3, -1)
        plon, plat = hp.vec2ang(b.T, lonlat=True)
        theta, phi = hp.pixelfunc.lonlat2thetaphi(plon, plat)
        ring0 = hp.ang2pix(nside, theta, phi)
        nest0 = hp.ang2pix(nside, theta, phi, nest=True)
        for t in (np.nextafter(theta, 0.0), np.nextafter(theta, 4.0)):
            t = np.clip(t, 0.0, np.pi)
            moved = (hp.ang2pix(nside, t, phi) != ring0) | (hp.ang2pix(nside, t, phi, nest=True) != nest0)
            for i in np.nonzero(moved)[0]:
                if len(lon) < wanted and float(plon[i]) not in lon:
                    lon.append(float(plon[i]))
                    lat.append(float(plat[i]))
    return lon, lat


def golden(path):
    """Edge cases worth pinning in a committed file (about 300 KB)."""
    lon = [0.0, 360.0, -0.0, 359.99999999999994, 45.0, 90.0, 135.0, 180.0, 270.0, 10.68470833, 83.63308333, 266.41681662]
    lat = [90.0, -90.0, 0.0, 41.8103149234482, -41.8103149234482, 89.99999999, -89.99999999, 41.26875, 22.0145, -29.00782497, 45.0, -45.0]
    points = [(a, b) for a in lon for b in lat]
    cases = []
    all_lon = [p[0] for p in points]
    all_lat = [p[1] for p in points]
    for order in range(30):
        nside = 1 << order
        lo = np.array([p[0] for p in points])
        la = np.array([p[1] for p in points])
        nest = hp.ang2pix(nside, lo, la, nest=True, lonlat=True)
        ring = hp.ang2pix(nside, lo, la, nest=False, lonlat=True)
        last = 12 * nside * nside - 1
        pix = np.array(sorted({0, 1, 2, 3, nside * nside - 1, 4 * nside * nside, last // 2, last - 1, last}), dtype=np.int64)
        rng = np.random.default_rng(7000 + order)
        elon, elat = last_bit_edge_points(order, rng, 40)
        cases.append({
            "order": order,
            "edgeLon": elon,
            "edgeLat": elat,
            "edgeNest": [str(v) for v in hp.ang2pix(nside, np.array(elon), np.array(elat), nest=True, lonlat=True)] if elon else [],
            "edgeRing": [str(v) for v in hp.ang2pix(nside, np.array(elon), np.array(elat), nest=False, lonlat=True)] if elon else [],
            "nest": [str(v) for v in nest],
            "ring": [str(v) for v in ring],
            "pix": [str(v) for v in pix],
            "nest2ring": [str(v) for v in hp.nest2ring(nside, pix)],
            "ring2nest": [str(v) for v in hp.ring2nest(nside, pix)],
            "neighboursNest": [[str(v) for v in row] for row in np.asarray(hp.get_all_neighbours(nside, pix, nest=True)).T],
            "neighboursRing": [[str(v) for v in row] for row in np.asarray(hp.get_all_neighbours(nside, pix, nest=False)).T],
        })
    # glibc's cos and sin (which healpy uses) on theta in [0, pi]: uniform, the branch points of
    # glibc's implementation (2^-27, 2^-26, 0.126, 0.855469, 2.426265) and the poles' 0.01
    rng = np.random.default_rng(8000)
    theta = list(rng.random(3000) * math.pi)
    for c in (2.0**-27, 2.0**-26, 0.126, 0.85546875, 2.4262638092041016, 0.01, math.pi - 0.01, math.pi / 2):
        theta += list(np.clip(c + (rng.random(100) - 0.5) * 0.01 * c, 0.0, math.pi))
    theta += [0.0, 5e-324, 1e-300, math.pi, math.nextafter(math.pi, 0.0)]
    libm = {"theta": theta, "cos": [math.cos(t) for t in theta], "sin": [math.sin(t) for t in theta]}
    with open(path, "w") as f:
        json.dump({"generator": "scripts/golden-healpix.py --golden", "healpy": hp.__version__, "lon": all_lon, "lat": all_lat, "cases": cases, "libm": libm}, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--serve":
        serve()
    elif len(sys.argv) >= 3 and sys.argv[1] == "--golden":
        golden(sys.argv[2])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
