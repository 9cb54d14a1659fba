"""numba kernels for kernel (RBF) interpolation.

Everything here is plain arithmetic on arrays that the public layer has already validated:
no checks, no Python objects, no allocation per point (work space is allocated once per
block of rows).  Radial functions are written as functions of the *squared* scaled distance
``s2 = |eps*x - eps*y|**2`` so that kernels that do not need ``sqrt`` (Gaussian, inverse
quadratic, ...) never take one.

For a radial function ``phi(s)`` of ``z = eps*(x - y)``, ``s = |z|``, the derivatives are

    grad_z phi = g1(s) z,                 g1 = phi'(s)/s
    hess_z phi = g1(s) I + g2(s) z z^T,   g2 = (phi''(s) - phi'(s)/s)/s**2 = g1'(s)/s

and ``grad_x = eps * grad_z``, ``hess_x = eps**2 * hess_z``.  ``_phi_derivs`` returns
``(phi, g1, g2)`` in closed forms that are finite wherever the limit exists.  At ``s = 0``
the conventions documented in ``_rbfinterp.py`` apply: ``g1 = g2 = 0`` for ``linear``,
``exponential`` and ``thin_plate_spline`` (the centre's own term then contributes nothing to
the gradient and Hessian), ``g2 = 0`` where ``g2 z z^T -> 0``.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import prange

from .._parallel import parallel_kernel

# kernel codes (keep in sync with _rbfinterp._KERNEL_CODES)
LINEAR = 0
TPS = 1
CUBIC = 2
QUINTIC = 3
MQ = 4
IMQ = 5
IQ = 6
GAUSSIAN = 7
EXPONENTIAL = 8
MATERN32 = 9
MATERN52 = 10

_SQRT3 = math.sqrt(3.0)
_SQRT5 = math.sqrt(5.0)

_ROWS_PER_BLOCK = 32

# exp(x) for x <= 0, written so LLVM can vectorise it (libm's exp is a scalar call):
# Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, degree-13 Taylor polynomial, and 2**n
# from a table.  Accurate to 1 ulp (tested against numpy.exp); NaN propagates.
_LOG2E = 1.4426950408889634
_LN2_HI = 0.6931471803691238
_LN2_LO = 1.9082149292705877e-10
_EXP2_TABLE = np.array([2.0**k for k in range(-1074, 1)])
_C = [1.0 / math.factorial(k) for k in range(14)]
_C0, _C1, _C2, _C3, _C4, _C5, _C6, _C7, _C8, _C9, _C10, _C11, _C12, _C13 = _C


@numba.njit(cache=True)
def vexp(x):
    """exp(x) for x <= 0 (1 ulp); vectorisable."""
    if x < -746.0:  # exp(-746) rounds to 0
        x = -746.0
    nf = math.floor(x * _LOG2E + 0.5)
    if not nf >= -1074.0:  # also catches NaN: keep the table index in range
        nf = -1074.0
    if nf > 0.0:
        nf = 0.0
    r = (x - nf * _LN2_HI) - nf * _LN2_LO
    p = _C13
    p = p * r + _C12
    p = p * r + _C11
    p = p * r + _C10
    p = p * r + _C9
    p = p * r + _C8
    p = p * r + _C7
    p = p * r + _C6
    p = p * r + _C5
    p = p * r + _C4
    p = p * r + _C3
    p = p * r + _C2
    p = p * r + _C1
    p = p * r + _C0
    return p * _EXP2_TABLE[int(nf) + 1074]


@numba.njit(cache=True)
def vexp_values(x, out):
    """Vectorised ``vexp`` (used by tests)."""
    for i in range(x.shape[0]):
        out[i] = vexp(x[i])


@numba.njit(cache=True)
def _phi(kind, s2):
    """Radial function of the squared scaled distance ``s2``."""
    if kind == GAUSSIAN:
        return vexp(-s2)
    elif kind == TPS:
        if s2 == 0.0:
            return 0.0
        return 0.5 * s2 * math.log(s2)
    elif kind == LINEAR:
        return -math.sqrt(s2)
    elif kind == CUBIC:
        return s2 * math.sqrt(s2)
    elif kind == QUINTIC:
        return -s2 * s2 * math.sqrt(s2)
    elif kind == MQ:
        return -math.sqrt(s2 + 1.0)
    elif kind == IMQ:
        return 1.0 / math.sqrt(s2 + 1.0)
    elif kind == IQ:
        return 1.0 / (s2 + 1.0)
    elif kind == EXPONENTIAL:
        return vexp(-math.sqrt(s2))
    elif kind == MATERN32:
        s = _SQRT3 * math.sqrt(s2)
        return (1.0 + s) * vexp(-s)
    else:  # MATERN52
        s = _SQRT5 * math.sqrt(s2)
        return (1.0 + s + s * s / 3.0) * vexp(-s)


@numba.njit(cache=True)
def _phi_derivs(kind, s2):
    """Return ``(phi, g1, g2)`` at the squared scaled distance ``s2`` (see module doc)."""
    if kind == GAUSSIAN:
        e = vexp(-s2)
        return e, -2.0 * e, 4.0 * e
    elif kind == TPS:
        if s2 == 0.0:
            return 0.0, 0.0, 0.0
        ls = 0.5 * math.log(s2)
        return s2 * ls, 2.0 * ls + 1.0, 2.0 / s2
    elif kind == LINEAR:
        if s2 == 0.0:
            return 0.0, 0.0, 0.0
        s = math.sqrt(s2)
        return -s, -1.0 / s, 1.0 / (s * s2)
    elif kind == CUBIC:
        s = math.sqrt(s2)
        if s2 == 0.0:
            return 0.0, 0.0, 0.0
        return s2 * s, 3.0 * s, 3.0 / s
    elif kind == QUINTIC:
        s = math.sqrt(s2)
        return -s2 * s2 * s, -5.0 * s2 * s, -15.0 * s
    elif kind == MQ:
        q = s2 + 1.0
        sq = math.sqrt(q)
        return -sq, -1.0 / sq, 1.0 / (q * sq)
    elif kind == IMQ:
        q = s2 + 1.0
        sq = math.sqrt(q)
        return 1.0 / sq, -1.0 / (q * sq), 3.0 / (q * q * sq)
    elif kind == IQ:
        q = 1.0 / (s2 + 1.0)
        return q, -2.0 * q * q, 8.0 * q * q * q
    elif kind == EXPONENTIAL:
        if s2 == 0.0:
            return 1.0, 0.0, 0.0
        s = math.sqrt(s2)
        e = vexp(-s)
        return e, -e / s, e * (1.0 + s) / (s2 * s)
    elif kind == MATERN32:
        s = math.sqrt(s2)
        e = vexp(-_SQRT3 * s)
        if s2 == 0.0:
            return 1.0, -3.0, 0.0
        return (1.0 + _SQRT3 * s) * e, -3.0 * e, 3.0 * _SQRT3 * e / s
    else:  # MATERN52
        sa = _SQRT5 * math.sqrt(s2)
        e = vexp(-sa)
        return (
            (1.0 + sa + sa * sa / 3.0) * e,
            -(5.0 / 3.0) * (1.0 + sa) * e,
            (25.0 / 3.0) * e,
        )


@numba.njit(cache=True)
def phi_values(kind, s2, out):
    """Vectorised ``phi`` (used by tests)."""
    for i in range(s2.shape[0]):
        out[i] = _phi(kind, s2[i])


@numba.njit(cache=True)
def phi_derivs_values(kind, s2, out):
    """Vectorised ``(phi, g1, g2)`` into ``out[:, 0:3]`` (used by tests)."""
    for i in range(s2.shape[0]):
        p, g1, g2 = _phi_derivs(kind, s2[i])
        out[i, 0] = p
        out[i, 1] = g1
        out[i, 2] = g2


@numba.njit(cache=True, inline="always")
def _mono(xhat, powers, k, a, b):
    """Monomial ``k`` at ``xhat``, differentiated w.r.t. ``xhat[a]`` and ``xhat[b]``.

    ``a``/``b`` equal to -1 mean no derivative.  Exponents follow scipy's convention
    ``prod(xhat**powers[k])``.
    """
    val = 1.0
    for t in range(powers.shape[1]):
        p = powers[k, t]
        red = 0
        if t == a:
            red += 1
        if t == b:
            red += 1
        if p < red:
            return 0.0
        for r in range(red):
            val *= p - r
        e = p - red
        if e > 0:
            val *= xhat[t] ** e
    return val


@parallel_kernel()
def build_system(yeps, yhat, smoothing, kind, powers, lhs):
    """Fill ``lhs`` with ``[[K + diag(smoothing), P], [P^T, 0]]``."""
    n, nd = yeps.shape
    m = powers.shape[0]
    for i in prange(n):
        for j in range(n):
            s2 = 0.0
            for t in range(nd):
                dz = yeps[i, t] - yeps[j, t]
                s2 += dz * dz
            lhs[i, j] = _phi(kind, s2)
        lhs[i, i] += smoothing[i]
        for k in range(m):
            v = _mono(yhat[i], powers, k, -1, -1)
            lhs[i, n + k] = v
            lhs[n + k, i] = v
    for k in range(m):
        for k2 in range(m):
            lhs[n + k, n + k2] = 0.0


@parallel_kernel()
def polynomial_matrix(xhat, powers, out):
    """``out[i, k] = prod(xhat[i]**powers[k])``."""
    for i in prange(xhat.shape[0]):
        for k in range(powers.shape[0]):
            out[i, k] = _mono(xhat[i], powers, k, -1, -1)


@parallel_kernel()
def kernel_cross(xeps, yeps, kind, out):
    """``out[i, j] = phi(|xeps[i] - yeps[j]|)`` (a block of the kernel matrix)."""
    nx, nd = xeps.shape
    ny = yeps.shape[0]
    for i in prange(nx):
        for j in range(ny):
            s2 = 0.0
            for t in range(nd):
                dz = xeps[i, t] - yeps[j, t]
                s2 += dz * dz
            out[i, j] = _phi(kind, s2)


# reassociate sums so reductions vectorise; NaN and inf keep their IEEE meaning
_FM = {"reassoc", "contract", "nsz", "arcp"}


@numba.njit(cache=True, fastmath=_FM)
def _fast_sum(kind, xi, yeps_t, wt, c):
    """Fused, vectorised ``sum_j phi(|xi - yeps_j|) wt[c, j]`` for the Gaussian and
    exponential kernels in 1-3 dimensions (the caller checks ``has_fast_path``)."""
    nd, n = yeps_t.shape
    acc = 0.0
    if kind == GAUSSIAN:
        if nd == 1:
            x0 = xi[0]
            for j in range(n):
                d0 = x0 - yeps_t[0, j]
                acc += vexp(-(d0 * d0)) * wt[c, j]
        elif nd == 2:
            x0 = xi[0]
            x1 = xi[1]
            for j in range(n):
                d0 = x0 - yeps_t[0, j]
                d1 = x1 - yeps_t[1, j]
                acc += vexp(-(d0 * d0 + d1 * d1)) * wt[c, j]
        else:
            x0 = xi[0]
            x1 = xi[1]
            x2 = xi[2]
            for j in range(n):
                d0 = x0 - yeps_t[0, j]
                d1 = x1 - yeps_t[1, j]
                d2 = x2 - yeps_t[2, j]
                acc += vexp(-(d0 * d0 + d1 * d1 + d2 * d2)) * wt[c, j]
    else:  # EXPONENTIAL
        if nd == 1:
            x0 = xi[0]
            for j in range(n):
                d0 = x0 - yeps_t[0, j]
                acc += vexp(-math.sqrt(d0 * d0)) * wt[c, j]
        elif nd == 2:
            x0 = xi[0]
            x1 = xi[1]
            for j in range(n):
                d0 = x0 - yeps_t[0, j]
                d1 = x1 - yeps_t[1, j]
                acc += vexp(-math.sqrt(d0 * d0 + d1 * d1)) * wt[c, j]
        else:
            x0 = xi[0]
            x1 = xi[1]
            x2 = xi[2]
            for j in range(n):
                d0 = x0 - yeps_t[0, j]
                d1 = x1 - yeps_t[1, j]
                d2 = x2 - yeps_t[2, j]
                acc += vexp(-math.sqrt(d0 * d0 + d1 * d1 + d2 * d2)) * wt[c, j]
    return acc


@numba.njit(cache=True, fastmath=_FM)
def _fast_grad(kind, xi, yeps_t, wt, g):
    """Fused value and ``g[t] = sum_j w_j g1_j z_jt`` (one column) for the Gaussian and
    exponential kernels in 1-3 dimensions."""
    nd, n = yeps_t.shape
    acc = 0.0
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    x0 = xi[0]
    x1 = xi[1] if nd > 1 else 0.0
    x2 = xi[2] if nd > 2 else 0.0
    for j in range(n):
        d0 = x0 - yeps_t[0, j]
        d1 = x1 - yeps_t[1, j] if nd > 1 else 0.0
        d2 = x2 - yeps_t[2, j] if nd > 2 else 0.0
        s2 = d0 * d0 + d1 * d1 + d2 * d2
        w = wt[0, j]
        if kind == GAUSSIAN:
            e = vexp(-s2)
            wg = -2.0 * e * w
        else:
            s = math.sqrt(s2)
            e = vexp(-s)
            wg = 0.0 if s2 == 0.0 else -e * w / s  # NaN s2 (a NaN query) stays NaN
        acc += e * w
        a0 += wg * d0
        a1 += wg * d1
        a2 += wg * d2
    g[0] = a0
    if nd > 1:
        g[1] = a1
    if nd > 2:
        g[2] = a2
    return acc


@numba.njit(cache=True, inline="always")
def has_fast_path(kind, nd):
    return (kind == GAUSSIAN or kind == EXPONENTIAL) and nd <= 3


@parallel_kernel()
def kernel_matvec(yeps_t, kind, vt, out):
    """``out = K v`` with ``K[i, j] = phi(|yeps[i] - yeps[j]|)``, never storing ``K``.

    ``yeps_t`` is the (ndim, n) transpose of the scaled centres and ``vt`` the (nrhs, n)
    transpose of ``v``; ``out`` is (n, nrhs).  Parallel over blocks of rows; one fused
    loop over the centres per row (vectorised for the Gaussian and exponential kernels).
    """
    nd, n = yeps_t.shape
    ns = vt.shape[0]
    fast = has_fast_path(kind, nd)
    nblocks = (n + _ROWS_PER_BLOCK - 1) // _ROWS_PER_BLOCK
    for blk in prange(nblocks):
        i0 = blk * _ROWS_PER_BLOCK
        i1 = min(n, i0 + _ROWS_PER_BLOCK)
        xi = np.empty(nd)
        for i in range(i0, i1):
            for t in range(nd):
                xi[t] = yeps_t[t, i]
            for c in range(ns):
                if fast:
                    out[i, c] = _fast_sum(kind, xi, yeps_t, vt, c)
                else:
                    a0 = 0.0
                    for j in range(n):
                        s2 = 0.0
                        for t in range(nd):
                            dz = xi[t] - yeps_t[t, j]
                            s2 += dz * dz
                        a0 += _phi(kind, s2) * vt[c, j]
                    out[i, c] = a0


@parallel_kernel()
def evaluate(
    x, yeps_t, eps, kind, powers, shift, scale, coeffs, coeffs_t, nderiv, out_v, out_g, out_h
):
    """Evaluate ``f(x) = sum_j a_j phi(|eps x - eps y_j|) + sum_k b_k P_k((x - shift)/scale)``.

    ``coeffs`` is (n + m, ns): kernel weights then monomial weights.  Writes values to
    ``out_v`` (nq, ns); if ``nderiv >= 1`` gradients to ``out_g`` (nq, ns, nd); if
    ``nderiv >= 2`` Hessians to ``out_h`` (nq, ns, nd, nd).  Unused outputs may be dummies.
    ``coeffs_t`` is the (ns, n) transpose of the kernel weights (for the fused loops).
    """
    nq = x.shape[0]
    nd, n = yeps_t.shape
    m = powers.shape[0]
    ns = coeffs.shape[1]
    fast = has_fast_path(kind, nd)
    nblocks = (nq + _ROWS_PER_BLOCK - 1) // _ROWS_PER_BLOCK
    for blk in prange(nblocks):
        q0 = blk * _ROWS_PER_BLOCK
        q1 = min(nq, q0 + _ROWS_PER_BLOCK)
        xe = np.empty(nd)
        xh = np.empty(nd)
        z = np.empty(nd)
        accv = np.empty(ns)
        accg = np.empty((ns, nd))
        acch = np.empty((ns, nd, nd))
        for q in range(q0, q1):
            for t in range(nd):
                xe[t] = x[q, t] * eps
                xh[t] = (x[q, t] - shift[t]) / scale[t]
            for c in range(ns):
                accv[c] = 0.0
            if fast and nderiv == 0:
                for c in range(ns):
                    accv[c] = _fast_sum(kind, xe, yeps_t, coeffs_t, c)
            elif fast and nderiv == 1 and ns == 1:
                accv[0] = _fast_grad(kind, xe, yeps_t, coeffs_t, accg[0])
            elif nderiv == 0:
                if ns == 1:
                    a0 = 0.0
                    for j in range(n):
                        s2 = 0.0
                        for t in range(nd):
                            dz = xe[t] - yeps_t[t, j]
                            s2 += dz * dz
                        a0 += _phi(kind, s2) * coeffs[j, 0]
                    accv[0] = a0
                else:
                    for j in range(n):
                        s2 = 0.0
                        for t in range(nd):
                            dz = xe[t] - yeps_t[t, j]
                            s2 += dz * dz
                        ph = _phi(kind, s2)
                        for c in range(ns):
                            accv[c] += ph * coeffs[j, c]
            else:
                for c in range(ns):
                    for t in range(nd):
                        accg[c, t] = 0.0
                        if nderiv >= 2:
                            for u in range(nd):
                                acch[c, t, u] = 0.0
                for j in range(n):
                    s2 = 0.0
                    for t in range(nd):
                        dz = xe[t] - yeps_t[t, j]
                        z[t] = dz
                        s2 += dz * dz
                    ph, g1, g2 = _phi_derivs(kind, s2)
                    for c in range(ns):
                        w = coeffs[j, c]
                        accv[c] += ph * w
                        wg1 = w * g1
                        for t in range(nd):
                            accg[c, t] += wg1 * z[t]
                        if nderiv >= 2:
                            wg2 = w * g2
                            for t in range(nd):
                                acch[c, t, t] += wg1
                                for u in range(nd):
                                    acch[c, t, u] += wg2 * z[t] * z[u]
            # polynomial tail
            for k in range(m):
                pv = _mono(xh, powers, k, -1, -1)
                for c in range(ns):
                    accv[c] += pv * coeffs[n + k, c]
            for c in range(ns):
                out_v[q, c] = accv[c]
            if nderiv >= 1:
                for c in range(ns):
                    for t in range(nd):
                        gsum = 0.0
                        for k in range(m):
                            gsum += _mono(xh, powers, k, t, -1) * coeffs[n + k, c]
                        out_g[q, c, t] = eps * accg[c, t] + gsum / scale[t]
            if nderiv >= 2:
                for c in range(ns):
                    for t in range(nd):
                        for u in range(nd):
                            hsum = 0.0
                            for k in range(m):
                                hsum += _mono(xh, powers, k, t, u) * coeffs[n + k, c]
                            out_h[q, c, t, u] = eps * eps * acch[c, t, u] + hsum / (
                                scale[t] * scale[u]
                            )


@numba.njit(cache=True, inline="always")
def _lu_solve_inplace(a, b, nn):
    """Solve ``a[:nn, :nn] x = b[:nn]`` by Gaussian elimination with partial pivoting.

    Overwrites ``a`` and ``b`` (solution in ``b``).  Returns False on an exactly zero pivot
    (what LAPACK's ``dgesv`` reports as a singular matrix).
    """
    ns = b.shape[1]
    for col in range(nn):
        piv = col
        best = abs(a[col, col])
        for r in range(col + 1, nn):
            v = abs(a[r, col])
            if v > best:
                best = v
                piv = r
        if best == 0.0:
            return False
        if piv != col:
            for cc in range(nn):
                tmp = a[col, cc]
                a[col, cc] = a[piv, cc]
                a[piv, cc] = tmp
            for cc in range(ns):
                tmp = b[col, cc]
                b[col, cc] = b[piv, cc]
                b[piv, cc] = tmp
        inv = 1.0 / a[col, col]
        for r in range(col + 1, nn):
            f = a[r, col] * inv
            if f != 0.0:
                for cc in range(col + 1, nn):
                    a[r, cc] -= f * a[col, cc]
                for cc in range(ns):
                    b[r, cc] -= f * b[col, cc]
    for col in range(nn - 1, -1, -1):
        inv = 1.0 / a[col, col]
        for cc in range(ns):
            s = b[col, cc]
            for r in range(col + 1, nn):
                s -= a[col, r] * b[r, cc]
            b[col, cc] = s * inv
    return True


_RANK_TOL = 10.0 * 2.220446049250313e-16


@numba.njit(cache=True, inline="always")
def _poly_rank_deficient(a, k, m, w):
    """Whether the polynomial block ``a[:k, k:k + m]`` is numerically rank deficient.

    Modified Gram-Schmidt with column pivoting (each projection done twice) on the copy
    ``w``; deficient when a pivot norm is at most ``10 max(k, m) eps`` times the first
    (the tolerance of ``numpy.linalg.matrix_rank``, up to the factor 10).
    """
    for i in range(k):
        for j in range(m):
            w[i, j] = a[i, k + j]
    tol = _RANK_TOL * max(k, m)
    first = 0.0
    for j in range(m):
        best = -1.0
        piv = j
        for c in range(j, m):
            nrm = 0.0
            for i in range(k):
                nrm += w[i, c] * w[i, c]
            if nrm > best:
                best = nrm
                piv = c
        if piv != j:
            for i in range(k):
                tmp = w[i, j]
                w[i, j] = w[i, piv]
                w[i, piv] = tmp
        nrm = math.sqrt(best)
        if j == 0:
            first = nrm
        if not nrm > tol * first:  # also a zero first column
            return True
        for i in range(k):
            w[i, j] /= nrm
        for c in range(j + 1, m):
            for _ in range(2):
                dot = 0.0
                for i in range(k):
                    dot += w[i, j] * w[i, c]
                for i in range(k):
                    w[i, c] -= dot * w[i, j]
    return False


@parallel_kernel()
def local_solve_evaluate(
    x, idx, y, d, smoothing, eps, kind, powers, nderiv, out_v, out_g, out_h, status
):
    """Local RBF interpolation: one small solve per query point, then evaluation.

    ``idx`` (nq, k) holds each query's neighbours (sorted).  The polynomial is shifted and
    scaled on each neighbourhood as scipy does.  ``status[q]`` is set to 1 when the
    neighbourhood system is exactly singular and to 2 when the neighbourhood's polynomial
    matrix is numerically rank deficient (outputs for that point are then NaN).
    """
    nq, nd = x.shape
    k = idx.shape[1]
    m = powers.shape[0]
    ns = d.shape[1]
    nn = k + m
    nblocks = (nq + _ROWS_PER_BLOCK - 1) // _ROWS_PER_BLOCK
    for blk in prange(nblocks):
        q0 = blk * _ROWS_PER_BLOCK
        q1 = min(nq, q0 + _ROWS_PER_BLOCK)
        a = np.empty((nn, nn))
        b = np.empty((nn, ns))
        ye = np.empty((k, nd))
        yh = np.empty(nd)
        shift = np.empty(nd)
        scale = np.empty(nd)
        xe = np.empty(nd)
        xh = np.empty(nd)
        z = np.empty(nd)
        accv = np.empty(ns)
        accg = np.empty((ns, nd))
        acch = np.empty((ns, nd, nd))
        work = np.empty((k, m))
        for q in range(q0, q1):
            # shift and scale of the polynomial domain on this neighbourhood
            for t in range(nd):
                lo = y[idx[q, 0], t]
                hi = lo
                for i in range(1, k):
                    v = y[idx[q, i], t]
                    if v < lo:
                        lo = v
                    if v > hi:
                        hi = v
                shift[t] = (hi + lo) / 2.0
                sc = (hi - lo) / 2.0
                scale[t] = 1.0 if sc == 0.0 else sc
            for i in range(k):
                for t in range(nd):
                    ye[i, t] = y[idx[q, i], t] * eps
            for i in range(k):
                for j in range(i + 1):
                    s2 = 0.0
                    for t in range(nd):
                        dz = ye[i, t] - ye[j, t]
                        s2 += dz * dz
                    ph = _phi(kind, s2)
                    a[i, j] = ph
                    a[j, i] = ph
                a[i, i] += smoothing[idx[q, i]]
                for t in range(nd):
                    yh[t] = (y[idx[q, i], t] - shift[t]) / scale[t]
                for kk in range(m):
                    pv = _mono(yh, powers, kk, -1, -1)
                    a[i, k + kk] = pv
                    a[k + kk, i] = pv
                for c in range(ns):
                    b[i, c] = d[idx[q, i], c]
            for kk in range(m):
                for k2 in range(m):
                    a[k + kk, k + k2] = 0.0
                for c in range(ns):
                    b[k + kk, c] = 0.0
            if m > 0 and _poly_rank_deficient(a, k, m, work):
                status[q] = 2
                ok = False
            else:
                status[q] = 1
                ok = _lu_solve_inplace(a, b, nn)
            if not ok:
                for c in range(ns):
                    out_v[q, c] = np.nan
                    if nderiv >= 1:
                        for t in range(nd):
                            out_g[q, c, t] = np.nan
                            if nderiv >= 2:
                                for u in range(nd):
                                    out_h[q, c, t, u] = np.nan
                continue
            status[q] = 0
            # evaluate at x[q]
            for t in range(nd):
                xe[t] = x[q, t] * eps
                xh[t] = (x[q, t] - shift[t]) / scale[t]
            for c in range(ns):
                accv[c] = 0.0
                for t in range(nd):
                    accg[c, t] = 0.0
                    for u in range(nd):
                        acch[c, t, u] = 0.0
            for j in range(k):
                s2 = 0.0
                for t in range(nd):
                    dz = xe[t] - ye[j, t]
                    z[t] = dz
                    s2 += dz * dz
                if nderiv == 0:
                    ph = _phi(kind, s2)
                    for c in range(ns):
                        accv[c] += ph * b[j, c]
                else:
                    ph, g1, g2 = _phi_derivs(kind, s2)
                    for c in range(ns):
                        w = b[j, c]
                        accv[c] += ph * w
                        wg1 = w * g1
                        for t in range(nd):
                            accg[c, t] += wg1 * z[t]
                        if nderiv >= 2:
                            wg2 = w * g2
                            for t in range(nd):
                                acch[c, t, t] += wg1
                                for u in range(nd):
                                    acch[c, t, u] += wg2 * z[t] * z[u]
            for kk in range(m):
                pv = _mono(xh, powers, kk, -1, -1)
                for c in range(ns):
                    accv[c] += pv * b[k + kk, c]
            for c in range(ns):
                out_v[q, c] = accv[c]
            if nderiv >= 1:
                for c in range(ns):
                    for t in range(nd):
                        gsum = 0.0
                        for kk in range(m):
                            gsum += _mono(xh, powers, kk, t, -1) * b[k + kk, c]
                        out_g[q, c, t] = eps * accg[c, t] + gsum / scale[t]
            if nderiv >= 2:
                for c in range(ns):
                    for t in range(nd):
                        for u in range(nd):
                            hsum = 0.0
                            for kk in range(m):
                                hsum += _mono(xh, powers, kk, t, u) * b[k + kk, c]
                            out_h[q, c, t, u] = eps * eps * acch[c, t, u] + hsum / (
                                scale[t] * scale[u]
                            )
