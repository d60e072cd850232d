#!/usr/bin/env python3
# Prints the coefficients of sinCosDegrees (src/sky-geometry.ts, assembly/sky-vectors.ts): for r
# in degrees, |r| <= 45, sin r = r*(pi/180) + r*r^2*S(r^2) and cos r = 1 + C2*r^2 + r^4*C(r^2),
# with S and C of degree 5 in w = r^2 fitted by mpmath's chebyfit (near-minimax) at 200 bits to
# (sin - r*pi/180)/r^3 and (cos - 1 - C2*r^2)/r^4, C2 = -(pi/180)^2/2 as rounded to binary64 (so
# that C absorbs its rounding); also pi/180 split as DEG_HI (27 bits) + DEG_LO.
#   /usr/bin/python3 scripts/sincos-fit.py
import math
from mpmath import mp, mpf, sin, cos, pi, sqrt, chebyfit

mp.prec = 200
d = pi / 180
W = mpf(45.001) ** 2  # a little beyond 45 degrees: the quadrant estimate may round either way
C2 = float(-d * d / 2)


def s_rest(w):
    if w == 0:
        return -d ** 3 / 6
    x = sqrt(w) * d
    return (sin(x) - x) / x ** 3 * d ** 3


def c_rest(w):
    if w == 0:
        return d ** 4 / 24
    return (cos(sqrt(w) * d) - 1 - mpf(C2) * w) / (w * w)


m, e = math.frexp(float(d))
hi = math.ldexp(round(math.ldexp(float(d), 27 - e)), e - 27)
print('DEG_HI', repr(hi), 'DEG_LO', repr(float(d - mpf(hi))))
print('C2', repr(C2))
for name, f, first in (('S', s_rest, 3), ('C', c_rest, 4)):
    coefficients, error = chebyfit(f, [0, W], 6, error=True)
    for k, c in enumerate(reversed(coefficients)):
        print(f'{name}{first + 2 * k}', repr(float(c)))
    print(f'  fit error {float(error):.3g}')
