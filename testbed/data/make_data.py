#!/usr/bin/python3
"""Write the vokit testbed's synthetic collection into a DaCHS resource directory.

    /usr/bin/python3 make_data.py RESDIR

Everything is derived from one seed, so two runs produce byte-identical catalogues and the
integration tests can assert exact values. Needs Debian's python3-numpy, -astropy and
-matplotlib (all pulled in by gavodachs2-server). Output, about 3 MB:

    data/sources.csv       10,000 stars: a dense patch (RA 150..160, Dec 0..10) plus an
                           all-sky sprinkle with fixed edge cases (RA 0/360, both poles,
                           64-bit ids above 2**53, NULLs, awkward text)
    data/lines.csv         a few dozen spectral lines for SLAP
    data/images/*.fits     7 frames, 200x200 float32, TAN WCS (two fields in J/H/Ks and one
                           frame centred on RA 0)
    data/cube/*.fits       one 48x48x32 cube with a WAVE axis (600..631 nm)
    data/spectra/*.fits    5 1D spectra (linear WCS in Angstrom)
    previews/<flat name>   PNG previews of the spectra, named as DaCHS expects
"""
import base64
import csv
import datetime
import os
import sys

import numpy as np
from astropy.io import fits
from astropy.wcs import WCS

SEED = 20251125
N_PATCH = 9000
N_SKY = 1000
# 2**53 + 1 is the first integer a float64 cannot hold: every id is past it.
ID_BASE = 2**53 + 1
ID_STEP = 7919
PIX = 200
PIX_DEG = 0.0025                      # 9 arcsec per pixel: a frame is 0.5 deg wide
FIELDS = [("f1", 152.5, 2.5), ("f2", 157.5, 7.5)]
WRAP_FIELD = ("wrap", 0.0, -30.0)     # centred on RA 0: half the frame has RA near 360
BANDS = [("J", "2MASS J", "jmag"), ("H", "2MASS H", "hmag"), ("Ks", "2MASS Ks", "kmag")]
SPTYPES = ["O9V", "B3V", "A0V", "A7V", "F3V", "F9V", "G2V", "G8V", "K1V", "K6V",
           "M1V", "M4V", "K3III", "G8III", "M4III"]

# Fixed all-sky stars (ra, dec, remark): the first rows of the all-sky part.
EDGE_STARS = [
    (0.0, -30.0, "RA exactly 0"),
    (359.99995, -30.0, "RA just below 360"),
    (0.0004, -30.0003, "wrap pair east"),
    (359.9996, -29.9997, "wrap pair west"),
    (0.05, -29.97, None),
    (359.95, -30.04, None),
    (123.4, 90.0, "north pole"),
    (10.0, 89.999, "near north pole"),
    (250.0, -90.0, "south pole"),
    (300.0, -89.999, "near south pole"),
    (180.0, 0.0, "quote ' double \" amp & lt < gt >"),
    (45.0, 45.0, "unicode: \u03a9 Cen, \u03b1 Lyr, \u00c5ngstr\u00f6m"),
]


def designation(ra, dec):
    hours = ra / 15.0
    h = int(hours)
    m = int((hours - h) * 60)
    s = ((hours - h) * 60 - m) * 60
    sign = "-" if dec < 0 else "+"
    d = abs(dec)
    dd = int(d)
    dm = int((d - dd) * 60)
    ds = ((d - dd) * 60 - dm) * 60
    return "VKT J%02d%02d%05.2f%s%02d%02d%04.1f" % (h, m, min(s, 59.99), sign, dd, dm, min(ds, 59.9))


def make_sources(rng):
    ra = np.concatenate([rng.uniform(150, 160, N_PATCH), rng.uniform(0, 360, N_SKY)])
    # uniform on the sphere: sin(dec) uniform
    dec = np.concatenate([
        np.degrees(np.arcsin(rng.uniform(0, np.sin(np.radians(10)), N_PATCH))),
        np.degrees(np.arcsin(rng.uniform(-1, 1, N_SKY))),
    ])
    remarks = [None] * len(ra)
    for k, (r, d, remark) in enumerate(EDGE_STARS):
        ra[N_PATCH + k], dec[N_PATCH + k], remarks[N_PATCH + k] = r, d, remark
    n = len(ra)
    kmag = np.clip(15.5 - rng.exponential(1.5, n), 5.0, 15.5)
    hmag = kmag + rng.uniform(0.02, 0.3, n)
    jmag = hmag + rng.uniform(0.15, 0.8, n)
    vmag = jmag + rng.uniform(0.5, 3.0, n)
    bmag = vmag + rng.uniform(-0.2, 1.6, n)
    pmra = rng.normal(-2.5, 11.0, n)
    pmdec = rng.normal(-1.0, 9.0, n)
    parallax = np.abs(rng.normal(1.2, 1.0, n)) + 0.04
    no_astrometry = rng.random(n) < 0.08
    no_qual = rng.random(n) < 0.03
    no_sptype = rng.random(n) < 0.05
    has_parent = rng.random(n) < 0.2
    qual = rng.integers(0, 4, n)
    variable = rng.random(n) < 0.05
    sptype = rng.choice(SPTYPES, n)
    epoch = datetime.datetime(2016, 1, 1)
    days = rng.uniform(0, 3200, n)

    def err(m):
        return 0.008 + 0.025 * np.exp((m - 14.0) / 1.3)

    rows = []
    for i in range(n):
        astrometry = not no_astrometry[i]
        rows.append({
            "source_id": ID_BASE + i * ID_STEP,
            # a second 64-bit column with NULLs (the parent's id, for 20% of the stars)
            "parent_id": ID_BASE + ((i * 31) % n) * ID_STEP if has_parent[i] else "",
            "name": designation(ra[i], dec[i]),
            "ra": "%.8f" % ra[i],
            "dec": "%.8f" % dec[i],
            "pmra": "%.3f" % pmra[i] if astrometry else "",
            "pmdec": "%.3f" % pmdec[i] if astrometry else "",
            "parallax": "%.4f" % parallax[i] if astrometry else "",
            "bmag": "%.3f" % bmag[i],
            "vmag": "%.3f" % vmag[i],
            "jmag": "%.3f" % jmag[i],
            "e_jmag": "%.3f" % err(jmag[i]),
            "hmag": "%.3f" % hmag[i],
            "e_hmag": "%.3f" % err(hmag[i]),
            "kmag": "%.3f" % kmag[i],
            "e_kmag": "%.3f" % err(kmag[i]),
            "sptype": "" if no_sptype[i] else sptype[i],
            "qual": "" if no_qual[i] else str(qual[i]),
            "variable": "True" if variable[i] else "False",
            "obs_time": (epoch + datetime.timedelta(days=float(days[i]))).strftime("%Y-%m-%dT%H:%M:%S"),
            "remark": remarks[i] or "",
        })
    return rows


def tan_wcs(ra, dec, npix=PIX, scale=PIX_DEG):
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [ra, dec]
    w.wcs.crpix = [(npix + 1) / 2.0, (npix + 1) / 2.0]
    w.wcs.cdelt = [-scale, scale]
    w.wcs.cunit = ["deg", "deg"]
    w.wcs.radesys = "ICRS"
    w.wcs.equinox = 2000.0
    return w


def render(rng, w, stars, mag_key):
    image = rng.normal(120.0, 4.0, (PIX, PIX)).astype(np.float32)
    ra = np.array([float(s["ra"]) for s in stars])
    dec = np.array([float(s["dec"]) for s in stars])
    mag = np.array([float(s[mag_key]) for s in stars])
    x, y = w.all_world2pix(ra, dec, 0)
    ok = np.isfinite(x) & np.isfinite(y) & (x > -6) & (x < PIX + 6) & (y > -6) & (y < PIX + 6)
    yy, xx = np.mgrid[0:PIX, 0:PIX]
    for xs, ys, m in zip(x[ok], y[ok], mag[ok]):
        flux = 10 ** (-0.4 * (m - 20.0))
        x0, x1 = max(0, int(xs) - 6), min(PIX, int(xs) + 7)
        y0, y1 = max(0, int(ys) - 6), min(PIX, int(ys) + 7)
        if x0 >= x1 or y0 >= y1:
            continue
        r2 = (xx[y0:y1, x0:x1] - xs) ** 2 + (yy[y0:y1, x0:x1] - ys) ** 2
        image[y0:y1, x0:x1] += (flux / (2 * np.pi * 1.2**2) * np.exp(-r2 / (2 * 1.2**2))).astype(np.float32)
    return image


def write_images(rng, stars, folder):
    os.makedirs(folder, exist_ok=True)
    start = datetime.datetime(2022, 2, 1, 1, 0, 0)
    frames = [(f, b) for f in FIELDS for b in BANDS] + [(WRAP_FIELD, BANDS[2])]
    for k, ((field, ra, dec), (short, filt, mag_key)) in enumerate(frames):
        w = tan_wcs(ra, dec)
        header = w.to_header()
        header["OBJECT"] = "field %s" % field
        header["FILTER"] = filt
        header["TELESCOP"] = "vokit 1m"
        header["INSTRUME"] = "vokitcam"
        header["DATE-OBS"] = (start + datetime.timedelta(hours=1.25 * k)).strftime("%Y-%m-%dT%H:%M:%S")
        header["EXPTIME"] = (30.0 * (1 + k % 3), "[s]")
        header["BUNIT"] = "adu"
        header["ORIGIN"] = "vokit testbed (synthetic)"
        data = render(rng, w, stars, mag_key)
        fits.PrimaryHDU(data, header=header).writeto(
            os.path.join(folder, "%s_%s.fits" % (field, short)), overwrite=True)


def write_cube(rng, folder):
    os.makedirs(folder, exist_ok=True)
    n, nz = 48, 32
    w = WCS(naxis=3)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN", "WAVE"]
    w.wcs.crval = [155.0, 5.0, 6.0e-7]
    w.wcs.crpix = [(n + 1) / 2.0, (n + 1) / 2.0, 1]
    w.wcs.cdelt = [-0.002, 0.002, 1e-9]
    w.wcs.cunit = ["deg", "deg", "m"]
    w.wcs.radesys = "ICRS"
    w.wcs.equinox = 2000.0
    cube = rng.normal(5.0, 0.5, (nz, n, n)).astype(np.float32)
    line = np.exp(-0.5 * ((np.arange(nz) - 16) / 2.5) ** 2)
    yy, xx = np.mgrid[0:n, 0:n]
    blob = np.exp(-((xx - 24) ** 2 + (yy - 24) ** 2) / (2 * 5.0**2))
    cube += (40 * line[:, None, None] * blob[None, :, :]).astype(np.float32)
    header = w.to_header()
    header["OBJECT"] = "cube field"
    header["TELESCOP"] = "vokit 1m"
    header["INSTRUME"] = "vokitifu"
    header["DATE-OBS"] = "2022-03-03T03:03:03"
    header["EXPTIME"] = (1200.0, "[s]")
    header["BUNIT"] = "adu"
    fits.PrimaryHDU(cube, header=header).writeto(os.path.join(folder, "cube1.fits"), overwrite=True)


def blackbody(wavelength_m, temperature):
    h, c, k = 6.62607e-34, 2.99792e8, 1.380649e-23
    return 1.0 / wavelength_m**5 / np.expm1(h * c / (wavelength_m * k * temperature))


def write_spectra(rng, stars, folder, preview_folder, resdir_name):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    os.makedirs(folder, exist_ok=True)
    os.makedirs(preview_folder, exist_ok=True)
    targets = [s for s in stars[:N_PATCH] if float(s["kmag"]) < 10.5][:5]
    temperatures = [10500, 7500, 6000, 4800, 3500]
    npts, start, step = 1000, 4000.0, 3.0
    wl = start + step * np.arange(npts)
    absorption = [4101.7, 4340.5, 4861.3, 5175.3, 5891.6, 6562.8]
    for k, (star, temperature) in enumerate(zip(targets, temperatures)):
        continuum = blackbody(wl * 1e-10, temperature)
        continuum = continuum / continuum.max() * 1e-13 * 10 ** (-0.4 * (float(star["kmag"]) - 8.0))
        flux = continuum.copy()
        for centre in absorption:
            flux *= 1 - 0.35 * np.exp(-0.5 * ((wl - centre) / 5.0) ** 2)
        flux = (flux + rng.normal(0, 0.008 * continuum.max(), npts)).astype(np.float32)
        header = fits.Header()
        header["OBJECT"] = star["name"]
        header["RA"] = (float(star["ra"]), "[deg] ICRS")
        header["DEC"] = (float(star["dec"]), "[deg] ICRS")
        header["SRCID"] = (str(star["source_id"]), "source_id in vokit.sources")
        header["SPTYPE"] = star["sptype"] or "unknown"
        header["CRVAL1"] = start
        header["CDELT1"] = step
        header["CRPIX1"] = 1.0
        header["CTYPE1"] = "WAVE"
        header["CUNIT1"] = "Angstrom"
        header["BUNIT"] = "erg/(s cm2 Angstrom)"
        header["DATE-OBS"] = "2023-0%d-0%dT21:00:00" % (k + 1, k + 2)
        header["EXPTIME"] = (600.0 + 150 * k, "[s]")
        header["SPECRES"] = (2 * step, "[Angstrom] FWHM")
        header["TELESCOP"] = "vokit 1m"
        header["INSTRUME"] = "vokitspec"
        name = "spec%d.fits" % (k + 1)
        fits.PrimaryHDU(flux, header=header).writeto(os.path.join(folder, name), overwrite=True)
        # DaCHS finds previews by the "flat name" of the accref: base64 with altchars "$!"
        accref = "%s/data/spectra/%s" % (resdir_name, name)
        flat = base64.b64encode(accref.encode("utf-8"), b"$!").decode("ascii")
        figure = Figure(figsize=(4, 2))
        FigureCanvasAgg(figure)
        axes = figure.add_axes([0, 0, 1, 1], frameon=False)
        axes.plot(wl, flux, color="black", linewidth=0.6)
        axes.set_xticks([])
        axes.set_yticks([])
        figure.savefig(os.path.join(preview_folder, flat), format="png", dpi=40)


# (name, element, wavelength in Angstrom (air), initial level, final level)
LINES = [
    ("H alpha", "H", 6562.80, "n=3", "n=2"), ("H beta", "H", 4861.33, "n=4", "n=2"),
    ("H gamma", "H", 4340.47, "n=5", "n=2"), ("H delta", "H", 4101.74, "n=6", "n=2"),
    ("Ly alpha", "H", 1215.67, "n=2", "n=1"), ("Pa alpha", "H", 18751.0, "n=4", "n=3"),
    ("Br gamma", "H", 21655.0, "n=7", "n=4"), ("He I 5876", "He", 5875.62, "3d 3D", "2p 3P"),
    ("He II 4686", "He", 4685.71, "n=4", "n=3"), ("[O III] 5007", "O", 5006.84, "2p2 1D2", "2p2 3P2"),
    ("[O III] 4959", "O", 4958.91, "2p2 1D2", "2p2 3P1"), ("[O II] 3727", "O", 3727.09, "2p3 2D", "2p3 4S"),
    ("[N II] 6584", "N", 6583.45, "2p2 1D2", "2p2 3P2"), ("[N II] 6548", "N", 6548.05, "2p2 1D2", "2p2 3P1"),
    ("[S II] 6716", "S", 6716.44, "3p3 2D5/2", "3p3 4S3/2"), ("[S II] 6731", "S", 6730.82, "3p3 2D3/2", "3p3 4S3/2"),
    ("Na D2", "Na", 5889.95, "3p 2P3/2", "3s 2S1/2"), ("Na D1", "Na", 5895.92, "3p 2P1/2", "3s 2S1/2"),
    ("Mg b", "Mg", 5183.60, "4s 3S1", "3p 3P2"), ("Ca K", "Ca", 3933.66, "4p 2P3/2", "4s 2S1/2"),
    ("Ca H", "Ca", 3968.47, "4p 2P1/2", "4s 2S1/2"), ("Ca II 8542", "Ca", 8542.09, "4p 2P3/2", "3d 2D5/2"),
    ("Fe I 5270", "Fe", 5269.54, "z5D", "a5F"), ("[Ne III] 3869", "Ne", 3868.76, "2p4 1D2", "2p4 3P2"),
]


def write_lines(path):
    # SLAP wants wavelengths in metres; energies follow from E = hc / lambda (in J)
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["linename", "chemical_element", "wavelength", "initial_name", "final_name", "energy"])
        for name, element, angstrom, initial, final in LINES:
            metres = angstrom * 1e-10
            out.writerow([name, element, "%.6e" % metres, initial, final, "%.6e" % (6.62607015e-34 * 299792458.0 / metres)])


def main():
    resdir = os.path.abspath(sys.argv[1])
    rng = np.random.default_rng(SEED)
    stars = make_sources(rng)
    os.makedirs(os.path.join(resdir, "data"), exist_ok=True)
    with open(os.path.join(resdir, "data", "sources.csv"), "w", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(stars[0]))
        out.writeheader()
        out.writerows(stars)
    write_lines(os.path.join(resdir, "data", "lines.csv"))
    write_images(rng, stars, os.path.join(resdir, "data", "images"))
    write_cube(rng, os.path.join(resdir, "data", "cube"))
    write_spectra(rng, stars, os.path.join(resdir, "data", "spectra"),
                  os.path.join(resdir, "previews"), os.path.basename(resdir.rstrip("/")))


if __name__ == "__main__":
    main()
