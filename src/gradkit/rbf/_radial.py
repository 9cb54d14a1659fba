"""Radial functions and their derivative factors, written once for numpy and numba.

Each function takes the *squared* scaled distance ``s2 = |eps*x - eps*y|**2`` (so that the
kernels that need no square root never take one) and returns ``(phi, g1, g2)``: for
``phi(s)`` of ``z = eps*(x - y)``, ``s = |z|``,

    grad_z phi = g1(s) z,                 g1 = phi'(s)/s
    hess_z phi = g1(s) I + g2(s) z z^T,   g2 = (phi''(s) - phi'(s)/s)/s**2 = g1'(s)/s

in closed forms that are finite wherever the limit exists.  At ``s = 0`` the conventions of
``_rbfinterp.py`` apply: ``g1 = g2 = 0`` for ``linear``, ``exponential`` and
``thin_plate_spline`` (the centre's own term then contributes nothing to the gradient and
Hessian), ``g2 = 0`` where ``g2 z z^T -> 0``.

The bodies are plain arithmetic without branches (a comparison enters as a 0/1 factor), so
the same function works on numpy arrays (the small-input path, :mod:`._numpy`) and, compiled
by numba with ``exp``, ``sqrt`` and ``log`` rebound to scalar versions, inside the kernels
(:mod:`._kernels`, where ``exp`` is a vectorisable 1-ulp exponential).
"""

from __future__ import annotations

import math

from numpy import exp, log, sqrt

__all__ = ["CODES", "FORMULAS", "NAMES"]

SQRT3 = math.sqrt(3.0)
SQRT5 = math.sqrt(5.0)


def linear(s2):
    """``phi = -r``."""
    r = sqrt(s2)
    nz = r != 0.0
    rs = r + (r == 0.0)  # r, or 1 where r = 0 (the factors are then multiplied by 0)
    return -r, nz * (-1.0 / rs), nz * (1.0 / (rs * (s2 + (s2 == 0.0))))


def thin_plate_spline(s2):
    """``phi = r**2 log r``."""
    nz = s2 != 0.0
    ls = 0.5 * log(s2 + (s2 == 0.0))
    return s2 * ls, nz * (2.0 * ls + 1.0), nz * (2.0 / (s2 + (s2 == 0.0)))


def cubic(s2):
    """``phi = r**3``."""
    r = sqrt(s2)
    return s2 * r, 3.0 * r, (r != 0.0) * (3.0 / (r + (r == 0.0)))


def quintic(s2):
    """``phi = -r**5``."""
    r = sqrt(s2)
    return -s2 * s2 * r, -5.0 * s2 * r, -15.0 * r


def multiquadric(s2):
    """``phi = -sqrt(1 + r**2)``."""
    q = s2 + 1.0
    sq = sqrt(q)
    return -sq, -1.0 / sq, 1.0 / (q * sq)


def inverse_multiquadric(s2):
    """``phi = 1 / sqrt(1 + r**2)``."""
    q = s2 + 1.0
    sq = sqrt(q)
    return 1.0 / sq, -1.0 / (q * sq), 3.0 / (q * q * sq)


def inverse_quadratic(s2):
    """``phi = 1 / (1 + r**2)``."""
    q = 1.0 / (s2 + 1.0)
    return q, -2.0 * q * q, 8.0 * q * q * q


def gaussian(s2):
    """``phi = exp(-r**2)``."""
    e = exp(-s2)
    return e, -2.0 * e, 4.0 * e


def exponential(s2):
    """``phi = exp(-r)`` (the Laplacian kernel)."""
    r = sqrt(s2)
    e = exp(-r)
    nz = r != 0.0  # NaN r (a NaN query) keeps NaN factors
    rs = r + (r == 0.0)
    return e, nz * (-e / rs), nz * (e * (1.0 + r) / ((s2 + (s2 == 0.0)) * rs))


def matern32(s2):
    """``phi = (1 + sqrt(3) r) exp(-sqrt(3) r)``."""
    r = sqrt(s2)
    e = exp(-SQRT3 * r)
    return (1.0 + SQRT3 * r) * e, -3.0 * e, (r != 0.0) * (3.0 * SQRT3 * e / (r + (r == 0.0)))


def matern52(s2):
    """``phi = (1 + sqrt(5) r + 5 r**2 / 3) exp(-sqrt(5) r)``."""
    sa = SQRT5 * sqrt(s2)
    e = exp(-sa)
    return (1.0 + sa + sa * sa / 3.0) * e, -(5.0 / 3.0) * (1.0 + sa) * e, (25.0 / 3.0) * e


#: the radial functions in the order of their integer codes (the kernels' compile-time key)
FORMULAS = (
    linear,
    thin_plate_spline,
    cubic,
    quintic,
    multiquadric,
    inverse_multiquadric,
    inverse_quadratic,
    gaussian,
    exponential,
    matern32,
    matern52,
)
NAMES = tuple(f.__name__ for f in FORMULAS)
CODES = {name: code for code, name in enumerate(NAMES)}
