"""numba kernels for kernel (RBF) interpolation.

Everything here is plain arithmetic on arrays that the public layer has already validated:
no checks, no Python objects, no allocation per point (work space is allocated once per
range of chunks).  The radial functions are those of :mod:`._radial`, compiled here with a
vectorisable exponential; each kernel is made by a memoised factory whose closure holds only
the radial function's integer code (and the derivative order), so numba compiles -- and
caches on disk -- one specialisation per kernel and order, with every branch on the kernel
folded away and one fused loop for all of them.

Parallel kernels are chunk kernels run by :func:`gradkit._parallel.run_chunks`; the
functions without a leading underscore are the Python entry points that launch them.
"""

from __future__ import annotations

import functools
import math
import types

import numba
import numpy as np
from numba.np.linalg import _LAPACK, ensure_lapack

from .._parallel import chunk_kernel, run_chunks
from . import _radial
from ._numpy import polynomial_matrix

ensure_lapack()  # LAPACK through scipy, for numba's dgesv (local mode)

_ROWS_PER_CHUNK = 32
_TILE = 256  # centres per pass of the fused loops (the scratch stays in L1)

# reassociate sums so reductions vectorise; NaN and inf keep their IEEE meaning
_FM = {"reassoc", "contract", "nsz"}

# exp(x) for x <= 0, written so LLVM can vectorise it (libm's exp is a scalar call):
# Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, degree-13 Taylor polynomial, and 2**n
# from a table.  Accurate to 1 ulp (tested against numpy.exp); NaN propagates.
_LOG2E = 1.4426950408889634
_LN2_HI = 0.6931471803691238
_LN2_LO = 1.9082149292705877e-10
_EXP2_TABLE = np.array([2.0**k for k in range(-1074, 1)])
_C = [1.0 / math.factorial(k) for k in range(14)]
_C0, _C1, _C2, _C3, _C4, _C5, _C6, _C7, _C8, _C9, _C10, _C11, _C12, _C13 = _C


# fastmath=False explicitly: numba compiles a callee with its first caller's fastmath flags
# when the callee sets none, and a reassociating caller merges the two halves of ln 2 in the
# reduction below (errors of ~100 ulps near exp(-700); tests/rbf/test_regressions.py)
@numba.njit(cache=True, fastmath=False)
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


def _scalar(formula):
    """``formula`` of :mod:`._radial` compiled with scalar ``exp``/``sqrt``/``log``."""
    env = dict(formula.__globals__, exp=vexp, sqrt=math.sqrt, log=math.log)
    function = types.FunctionType(formula.__code__, env, formula.__name__)
    return numba.njit(inline="always")(function)


_SCALAR = tuple(map(_scalar, _radial.FORMULAS))

# The kernels below are templates: `_specialise` compiles each for one radial function and
# derivative order, bound to these two globals (numba freezes globals as constants).
RADIAL = _SCALAR[0]
NDERIV = 0


def _specialise(template, kind, nderiv=0, **options):
    """``template`` as a chunk kernel with ``RADIAL`` the radial function ``kind`` and
    ``NDERIV`` = ``nderiv``.

    Its name carries both, so numba's disk cache keeps one entry per specialisation.
    """
    env = dict(template.__globals__, RADIAL=_SCALAR[kind], NDERIV=nderiv)
    function = types.FunctionType(template.__code__, env, template.__name__)
    function.__qualname__ = f"{template.__name__}_{_radial.NAMES[kind]}_{nderiv}"
    function.__doc__ = template.__doc__
    return chunk_kernel(**options)(function)


def _phi_rows(lo, hi, s2, out):
    """``out[i] = (phi, g1, g2)`` at ``s2[i]`` (used by tests)."""
    for i in range(lo, hi):
        p, g1, g2 = RADIAL(s2[i])
        out[i, 0] = p
        out[i, 1] = g1
        out[i, 2] = g2


@functools.cache
def _phi_kernel(kind):
    return _specialise(_phi_rows, kind)


def phi_derivs_values(kind, s2, out):
    """``(phi, g1, g2)`` of radial function ``kind`` at ``s2`` into ``out[:, 0:3]``."""
    _phi_kernel(kind)(0, s2.shape[0], s2, out)


def phi_values(kind, s2, out):
    """``phi`` of radial function ``kind`` at ``s2`` into ``out``."""
    full = np.empty((s2.shape[0], 3))
    phi_derivs_values(kind, s2, full)
    out[:] = full[:, 0]


@numba.njit(inline="always")
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


@numba.njit(inline="always")
def _accumulate(radial, nderiv, xe, yt, n, wt, s2, f0, f1, f2, av, ag, ah):
    """The kernel part of the interpolant at the scaled point ``xe``, one fused pass.

    ``yt`` (nd, >= n) holds the scaled centres by coordinate, ``wt`` (ns, >= n) their
    weights.  Sets ``av[c] = sum_j w_cj phi_j``, and for ``nderiv >= 1``
    ``ag[c, t] = sum_j w_cj g1_j z_jt``, for ``nderiv >= 2`` the lower triangle of
    ``ah[c] = sum_j w_cj (g1_j I + g2_j z_j z_j^T)`` (``z_j = xe - y_j``).  Centres go in
    tiles: squared distances and radial factors of a tile into the scratch ``s2, f0, f1,
    f2`` (length ``_TILE``), then one reduction per output; every loop runs over centres,
    so all of them vectorise, in any dimension.
    """
    nd = xe.shape[0]
    ns = wt.shape[0]
    for c in range(ns):
        av[c] = 0.0
        for t in range(nd):
            ag[c, t] = 0.0
            for u in range(nd):
                ah[c, t, u] = 0.0
    for a in range(0, n, _TILE):
        w = min(n, a + _TILE) - a
        for j in range(w):
            s2[j] = 0.0
        for t in range(nd):
            xt = xe[t]
            for j in range(w):
                dz = xt - yt[t, a + j]
                s2[j] += dz * dz
        for j in range(w):
            p, q1, q2 = radial(s2[j])
            f0[j] = p
            if nderiv >= 1:
                f1[j] = q1
            if nderiv >= 2:
                f2[j] = q2
        for c in range(ns):
            acc = 0.0
            for j in range(w):
                acc += f0[j] * wt[c, a + j]
            av[c] += acc
            if nderiv >= 1:
                for t in range(nd):
                    xt = xe[t]
                    acc = 0.0
                    for j in range(w):
                        acc += f1[j] * wt[c, a + j] * (xt - yt[t, a + j])
                    ag[c, t] += acc
            if nderiv >= 2:
                acc = 0.0
                for j in range(w):
                    acc += f1[j] * wt[c, a + j]
                for t in range(nd):
                    ah[c, t, t] += acc
                for t in range(nd):
                    xt = xe[t]
                    for u in range(t + 1):
                        xu = xe[u]
                        acc = 0.0
                        for j in range(w):
                            acc += f2[j] * wt[c, a + j] * (xt - yt[t, a + j]) * (xu - yt[u, a + j])
                        ah[c, t, u] += acc


@numba.njit(inline="always")
def _finish(nderiv, q, xh, powers, wt, n, eps, scale, av, ag, ah, out_v, out_g, out_h):
    """Add the polynomial tail (weights ``wt[:, n:]``) to the kernel sums ``av, ag, ah`` of
    :func:`_accumulate` and write point ``q``'s value, gradient and Hessian."""
    m = powers.shape[0]
    ns, nd = ag.shape
    for k in range(m):
        pv = _mono(xh, powers, k, -1, -1)
        for c in range(ns):
            av[c] += pv * wt[c, n + k]
    for c in range(ns):
        out_v[q, c] = av[c]
    if nderiv >= 1:
        for c in range(ns):
            for t in range(nd):
                gsum = 0.0
                for k in range(m):
                    gsum += _mono(xh, powers, k, t, -1) * wt[c, n + k]
                out_g[q, c, t] = eps * ag[c, t] + gsum / scale[t]
    if nderiv >= 2:
        for c in range(ns):
            for t in range(nd):
                for u in range(t + 1):
                    hsum = 0.0
                    for k in range(m):
                        hsum += _mono(xh, powers, k, t, u) * wt[c, n + k]
                    h = eps * eps * ah[c, t, u] + hsum / (scale[t] * scale[u])
                    out_h[q, c, t, u] = h
                    out_h[q, c, u, t] = h


@numba.njit(inline="always")
def _scratch(ns, nd):
    """Work space of :func:`_interpolate` (allocated once per range of chunks)."""
    tiles = (np.empty(_TILE), np.empty(_TILE), np.empty(_TILE), np.empty(_TILE))
    return tiles + (
        np.empty(nd),
        np.empty(nd),
        np.empty(ns),
        np.empty((ns, nd)),
        np.empty((ns, nd, nd)),
    )


@numba.njit(inline="always")
def _interpolate(radial, nderiv, q, x, eps, shift, scale, yt, n, wt, powers, work, outs):
    """Value (and derivatives up to ``nderiv``) at ``x[q]`` of the interpolant on the
    centres ``yt[:, :n]`` with weights ``wt`` (polynomial domain ``shift``, ``scale``)
    into ``outs = (out_v, out_g, out_h)``."""
    s2, f0, f1, f2, xe, xh, av, ag, ah = work
    for t in range(xe.shape[0]):
        xe[t] = x[q, t] * eps
        xh[t] = (x[q, t] - shift[t]) / scale[t]
    _accumulate(radial, nderiv, xe, yt, n, wt, s2, f0, f1, f2, av, ag, ah)
    _finish(nderiv, q, xh, powers, wt, n, eps, scale, av, ag, ah, outs[0], outs[1], outs[2])


def _chunks(rows):
    return (rows + _ROWS_PER_CHUNK - 1) // _ROWS_PER_CHUNK


# ------------------------------------------------------------------------ kernel matrices
def _pairs_rows(lo, hi, xt, yt, out):
    """``out[i, j] = phi(|x_i - y_j|)`` for the ``j < ny`` of rows ``i`` of the chunks."""
    nd, nx = xt.shape
    ny = yt.shape[1]
    for i in range(lo * _ROWS_PER_CHUNK, min(nx, hi * _ROWS_PER_CHUNK)):
        row = out[i]
        for j in range(ny):
            row[j] = 0.0
        for t in range(nd):
            xv = xt[t, i]
            for j in range(ny):
                dz = xv - yt[t, j]
                row[j] += dz * dz
        for j in range(ny):
            row[j] = RADIAL(row[j])[0]


@functools.cache
def _pairs(kind):
    return _specialise(_pairs_rows, kind, 0)


def _kernel_rows(xeps, yeps, kind, out):
    xt = np.ascontiguousarray(xeps.T)
    yt = xt if yeps is xeps else np.ascontiguousarray(yeps.T)
    nx, nd = xeps.shape
    run_chunks(_pairs(kind), _chunks(nx), nx * yeps.shape[0] * (nd + 4), xt, yt, out)


def kernel_cross(xeps, yeps, kind, out):
    """``out[i, j] = phi(|xeps[i] - yeps[j]|)`` (a block of the kernel matrix)."""
    _kernel_rows(xeps, yeps, kind, out)


def build_system(yeps, yhat, smoothing, kind, powers, lhs):
    """Fill ``lhs`` with ``[[K + diag(smoothing), P], [P^T, 0]]``."""
    n = yeps.shape[0]
    _kernel_rows(yeps, yeps, kind, lhs)
    lhs[np.arange(n), np.arange(n)] += smoothing
    if powers.shape[0]:
        pmat = polynomial_matrix(yhat, powers)
        lhs[:n, n:] = pmat
        lhs[n:, :n] = pmat.T
        lhs[n:, n:] = 0.0


# ---------------------------------------------------------------- matrix-free products
def _matvec_rows(lo, hi, yt, vt, out):
    """``out[i] = sum_j phi(|y_i - y_j|) v_j`` for the rows of the chunks."""
    nd, n = yt.shape
    ns = vt.shape[0]
    s2 = np.empty(_TILE)
    f0 = np.empty(_TILE)
    xe = np.empty(nd)
    av = np.empty(ns)
    ag = np.empty((ns, nd))
    ah = np.empty((ns, nd, nd))
    for i in range(lo * _ROWS_PER_CHUNK, min(n, hi * _ROWS_PER_CHUNK)):
        for t in range(nd):
            xe[t] = yt[t, i]
        _accumulate(RADIAL, 0, xe, yt, n, vt, s2, f0, f0, f0, av, ag, ah)
        for c in range(ns):
            out[i, c] = av[c]


@functools.cache
def _matvec(kind):
    return _specialise(_matvec_rows, kind, 0, fastmath=_FM)


def kernel_matvec(yeps_t, kind, vt, out):
    """``out = K v`` with ``K[i, j] = phi(|yeps[i] - yeps[j]|)``, never storing ``K``.

    ``yeps_t`` is the (ndim, n) transpose of the scaled centres and ``vt`` the (nrhs, n)
    transpose of ``v``; ``out`` is (n, nrhs).
    """
    nd, n = yeps_t.shape
    work = n * n * vt.shape[0] * (nd + 4)
    run_chunks(_matvec(kind), _chunks(n), work, yeps_t, vt, out)


# ------------------------------------------------------------------------- evaluation
def _evaluate_rows(lo, hi, x, yt, wt, eps, powers, shift, scale, out_v, out_g, out_h):
    """Values (and derivatives up to ``NDERIV``) at the rows of ``x`` of the chunks."""
    work = _scratch(wt.shape[0], x.shape[1])
    outs = (out_v, out_g, out_h)
    for q in range(lo * _ROWS_PER_CHUNK, min(x.shape[0], hi * _ROWS_PER_CHUNK)):
        _interpolate(
            RADIAL, NDERIV, q, x, eps, shift, scale, yt, yt.shape[1], wt, powers, work, outs
        )


@functools.cache
def _evaluator(kind, nderiv):
    return _specialise(_evaluate_rows, kind, nderiv, fastmath=_FM)


def evaluate(x, yeps_t, eps, kind, powers, shift, scale, coeffs_t, nderiv, out_v, out_g, out_h):
    """Evaluate ``f(x) = sum_j a_j phi(|eps x - eps y_j|) + sum_k b_k P_k((x - shift)/scale)``.

    ``coeffs_t`` is the (ns, n + m) transpose of the weights (kernel weights, then monomial
    weights).  Writes values to ``out_v`` (nq, ns); if ``nderiv >= 1`` gradients to
    ``out_g`` (nq, ns, nd); if ``nderiv >= 2`` Hessians to ``out_h`` (nq, ns, nd, nd).
    Unused outputs may be dummies.
    """
    nq, nd = x.shape
    n = yeps_t.shape[1]
    work = nq * n * coeffs_t.shape[0] * (nd + 4) * (1 + nderiv)
    args = (x, yeps_t, coeffs_t, float(eps), powers, shift, scale, out_v, out_g, out_h)
    run_chunks(_evaluator(kind, nderiv), _chunks(nq), work, *args)


# ------------------------------------------------------------------------- local mode
_xgesv = _LAPACK().numba_xgesv(numba.types.float64)  # LAPACK dgesv through numba
_DOUBLE = ord("d")
_RANK_TOL = 10.0 * 2.220446049250313e-16


@numba.njit(inline="always")
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


def _local_rows(lo, hi, x, idx, y, d, smoothing, eps, powers, out_v, out_g, out_h, status):
    """One neighbourhood solve (LAPACK ``dgesv``) and evaluation per query of the chunks."""
    nq, nd = x.shape
    k = idx.shape[1]
    m = powers.shape[0]
    ns = d.shape[1]
    nn = k + m
    a = np.empty((nn, nn))  # symmetric, so its C order is LAPACK's column order
    bt = np.empty((ns, nn))  # the right-hand sides, then the weights, by column
    ipiv = np.empty(nn, dtype=np.int32)
    yt = np.empty((nd, k))
    yh = np.empty(nd)
    shift = np.empty(nd)
    scale = np.empty(nd)
    scratch = _scratch(ns, nd)
    outs = (out_v, out_g, out_h)
    work = np.empty((k, m))
    for q in range(lo * _ROWS_PER_CHUNK, min(nq, hi * _ROWS_PER_CHUNK)):
        # shift and scale of the polynomial domain on this neighbourhood
        for t in range(nd):
            lo_t = y[idx[q, 0], t]
            hi_t = lo_t
            for i in range(1, k):
                v = y[idx[q, i], t]
                lo_t = min(lo_t, v)
                hi_t = max(hi_t, v)
            shift[t] = (hi_t + lo_t) / 2.0
            sc = (hi_t - lo_t) / 2.0
            scale[t] = 1.0 if sc == 0.0 else sc
        for i in range(k):
            for t in range(nd):
                yt[t, i] = y[idx[q, i], t] * eps
        # kernel block: squared distances of the lower triangle, then phi, mirrored
        for i in range(k):
            row = a[i]
            for j in range(i + 1):
                row[j] = 0.0
            for t in range(nd):
                yv = yt[t, i]
                for j in range(i + 1):
                    dz = yv - yt[t, j]
                    row[j] += dz * dz
            for j in range(i + 1):
                row[j] = RADIAL(row[j])[0]
            for j in range(i):
                a[j, i] = row[j]
            row[i] += smoothing[idx[q, i]]
            for t in range(nd):
                yh[t] = (y[idx[q, i], t] - shift[t]) / scale[t]
            for kk in range(m):
                pv = _mono(yh, powers, kk, -1, -1)
                row[k + kk] = pv
                a[k + kk, i] = pv
            for c in range(ns):
                bt[c, i] = d[idx[q, i], c]
        for kk in range(m):
            for k2 in range(m):
                a[k + kk, k + k2] = 0.0
            for c in range(ns):
                bt[c, k + kk] = 0.0
        if m > 0 and _poly_rank_deficient(a, k, m, work):
            status[q] = 2
        elif _xgesv(_DOUBLE, nn, ns, a.ctypes, nn, ipiv.ctypes, bt.ctypes, nn) != 0:
            status[q] = 1  # an exactly zero pivot: a singular system
        else:
            status[q] = 0
        if status[q] != 0:
            for c in range(ns):
                out_v[q, c] = np.nan
                if NDERIV >= 1:
                    for t in range(nd):
                        out_g[q, c, t] = np.nan
                        if NDERIV >= 2:
                            for u in range(nd):
                                out_h[q, c, t, u] = np.nan
            continue
        _interpolate(RADIAL, NDERIV, q, x, eps, shift, scale, yt, k, bt, powers, scratch, outs)


@functools.cache
def _local_solver(kind, nderiv):
    return _specialise(_local_rows, kind, nderiv, fastmath=_FM)


def local_solve_evaluate(
    x, idx, y, d, smoothing, eps, kind, powers, nderiv, out_v, out_g, out_h, status
):
    """Local RBF interpolation: one small solve per query point, then evaluation.

    ``idx`` (nq, k) holds each query's neighbours (sorted).  The polynomial is shifted and
    scaled on each neighbourhood as scipy does.  ``status[q]`` is set to 1 when the
    neighbourhood system is exactly singular (LAPACK's ``dgesv`` meets a zero pivot) and to
    2 when the neighbourhood's polynomial matrix is numerically rank deficient (outputs for
    that point are then NaN).
    """
    nq = x.shape[0]
    nn = idx.shape[1] + powers.shape[0]
    work = nq * nn * nn * (nn // 3 + x.shape[1] + 4)
    args = (x, idx, y, d, smoothing, float(eps), powers, out_v, out_g, out_h, status)
    run_chunks(_local_solver(kind, nderiv), _chunks(nq), work, *args)
