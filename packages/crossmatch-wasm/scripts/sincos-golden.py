#!/usr/bin/env python3
# Writes test/golden/sincos-degrees.json: angles in degrees with sin and cos correctly rounded
# to binary64 (mpmath at 400 bits, exact degree reduction), the oracle of sinCosDegrees.
#   /usr/bin/python3 scripts/sincos-golden.py
import json, random, struct
from fractions import Fraction
from mpmath import mp, mpf, sin, cos, pi

mp.prec = 400
random.seed(20261125)

angles = [0.0, -0.0, 90.0, -90.0, 180.0, -180.0, 270.0, 360.0, -360.0, 45.0, -45.0, 135.0, 225.0, 315.0,
          30.0, 60.0, 1e-300, -1e-300, 5e-324, 1e-10, 1e-5, 0.5, 1.0, 89.99999999999999, 90.00000000000001,
          359.99999999999994, 1e6, 1e9, 123456789.123, 1e15, -1e15, 2.0**50, 2.0**50 + 2, 2.0**53, 1e20, -1e20, 1e300,
          1.7976931348623157e308, -1.7976931348623157e308]
for _ in range(3000):
    angles.append(random.uniform(-720, 720))
for _ in range(1000):
    angles.append(random.uniform(-90, 90))
for _ in range(500):  # near the quadrant boundaries and the reduction's ties
    angles.append(45.0 * random.randint(-16, 16) + random.choice([1, -1]) * 10.0 ** random.uniform(-14, -1))
for _ in range(300):
    angles.append(random.uniform(-1, 1) * 10.0 ** random.uniform(-300, 300))

def exact_sin_cos(x):
    # the remainder of an exact rational modulo 360 is exact, then converted at 400 bits
    r = Fraction(x) % 360
    if r % 90 == 0:  # exact zeros and ones (mpmath's π would leave 1e-120 for sin 180°)
        return [(0.0, 1.0), (1.0, 0.0), (0.0, -1.0), (-1.0, 0.0)][int(r // 90)]
    if r > 180:  # in (-180°, 180°], so that tiny negative angles keep their relative precision
        r -= 360
    t = mpf(r.numerator) / r.denominator * pi / 180
    return float(sin(t)), float(cos(t))

rows = []
for x in angles:
    s, c = exact_sin_cos(x)
    rows.append([repr(x), repr(s), repr(c)])
with open('test/golden/sincos-degrees.json', 'w') as f:
    json.dump({'source': 'mpmath %s, 400 bits, exact reduction modulo 360' % __import__('mpmath').__version__,
               'columns': ['degrees', 'sin', 'cos'], 'rows': rows}, f, separators=(',', ':'))
print(len(rows))
