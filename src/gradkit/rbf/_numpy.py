"""Plain-numpy numerics of the global RBF interpolant, for small problems.

A fresh process pays about a second to import numba and load its first kernel, more than a
small fit and evaluation cost in numpy; below the sizes here (chosen by measurement, see
``benchmarks/results_rbf.md``) the public layer uses these functions and never imports
numba.  They evaluate the same radial formulas (:mod:`._radial`) in the same order of
operations as the kernels, so the two paths agree to rounding (numpy's ``exp`` in place of
the kernels' 1-ulp one, and the order of the final sums); the tests compare them across
the thresholds.  The polynomial matrix is always computed here (it is cheap in numpy at
every size).
"""

from __future__ import annotations

import numpy as np

from .._parallel import small_inputs_enabled
from ._radial import FORMULAS

__all__ = ["build_system", "evaluate", "polynomial_matrix", "use_for_evaluation", "use_for_fit"]

#: a dense fit builds its matrix in numpy up to this many points
FIT_MAX_POINTS = 400
#: evaluation runs in numpy while (queries x centres) is at most this
EVALUATION_MAX_PAIRS = 16_384

_BLOCK_ROWS = 4096  # rows of the polynomial matrix per numpy temporary


def use_for_fit(n):
    """Whether a dense fit of ``n`` points builds its system here."""
    return n <= FIT_MAX_POINTS and small_inputs_enabled()


def use_for_evaluation(nq, n):
    """Whether ``nq`` queries of an interpolant on ``n`` centres are evaluated here."""
    return nq * n <= EVALUATION_MAX_PAIRS and small_inputs_enabled()


def polynomial_matrix(xhat, powers, a=-1, b=-1):
    """``out[i, k] = prod(xhat[i]**powers[k])``, differentiated w.r.t. ``xhat[:, a]`` and
    ``xhat[:, b]`` (``-1``: no derivative).

    Parameters
    ----------
    xhat : (n, ndim) ndarray
        Scaled points.
    powers : (m, ndim) ndarray of int
        Monomial exponents (scipy's order).
    a, b : int, optional
        Coordinates to differentiate by.

    Returns
    -------
    (n, m) ndarray
    """
    n, nd = xhat.shape
    m = powers.shape[0]
    reduce = np.zeros(nd, dtype=np.int64)
    for axis in (a, b):
        if axis >= 0:
            reduce[axis] += 1
    coef = np.ones(m)
    for t in range(nd):
        for r in range(reduce[t]):
            coef *= powers[:, t] - r  # 0 where the derivative removes the monomial
    live = np.flatnonzero(coef)
    expo = np.maximum(powers[live] - reduce, 0)
    out = np.zeros((n, m))
    for i0 in range(0, n, _BLOCK_ROWS):
        x = xhat[i0 : i0 + _BLOCK_ROWS]
        out[i0 : i0 + x.shape[0], live] = coef[live] * np.prod(x[:, None, :] ** expo[None], axis=-1)
    return out


def _squared_distances(xeps, yeps):
    s2 = np.zeros((xeps.shape[0], yeps.shape[0]))
    for t in range(xeps.shape[1]):
        dz = xeps[:, t, None] - yeps[None, :, t]
        s2 += dz * dz
    return s2


def build_system(yeps, yhat, smoothing, kind, powers):
    """``[[K + diag(smoothing), P], [P^T, 0]]`` (as ``_kernels.build_system``)."""
    n = yeps.shape[0]
    m = powers.shape[0]
    lhs = np.empty((n + m, n + m))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        lhs[:n, :n] = FORMULAS[kind](_squared_distances(yeps, yeps))[0]
    lhs[np.arange(n), np.arange(n)] += smoothing
    pmat = polynomial_matrix(yhat, powers)
    lhs[:n, n:] = pmat
    lhs[n:, :n] = pmat.T
    lhs[n:, n:] = 0.0
    return lhs


def evaluate(x, yeps, eps, kind, powers, shift, scale, coeffs, nderiv):
    """Values (nq, ns) and, up to ``nderiv``, gradients (nq, ns, nd) and Hessians
    (nq, ns, nd, nd) of the interpolant with weights ``coeffs`` (n + m, ns) at ``x``.

    The same sums as ``_kernels.evaluate``, as matrix products over the centres.
    """
    n, nd = yeps.shape
    w = coeffs[:n]
    tail = coeffs[n:]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        xe = x * eps
        xh = (x - shift) / scale
        z = [xe[:, t, None] - yeps[None, :, t] for t in range(nd)]
        s2 = np.zeros((x.shape[0], n))
        for dz in z:
            s2 += dz * dz
        phi, g1, g2 = FORMULAS[kind](s2)
        values = phi @ w + polynomial_matrix(xh, powers) @ tail
        if nderiv == 0:
            return (values,)
        grad = np.empty(values.shape + (nd,))
        for t in range(nd):
            grad[:, :, t] = (
                eps * ((g1 * z[t]) @ w) + (polynomial_matrix(xh, powers, t) @ tail) / scale[t]
            )
        if nderiv == 1:
            return values, grad
        hess = np.empty(values.shape + (nd, nd))
        g1w = g1 @ w
        for t in range(nd):
            for u in range(t + 1):
                kern = (g2 * z[t] * z[u]) @ w
                if t == u:
                    kern += g1w
                h = eps * eps * kern + (polynomial_matrix(xh, powers, t, u) @ tail) / (
                    scale[t] * scale[u]
                )
                hess[:, :, t, u] = h
                hess[:, :, u, t] = h
    return values, grad, hess
