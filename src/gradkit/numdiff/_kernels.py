"""Numba kernels for large batches (imported lazily; nothing here runs at import time).

The engine uses them when a problem's first batch has at least
``_engine.KERNEL_THRESHOLD`` coordinates; smaller problems stay in numpy and never import
numba.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def fill_points(x, directions, prow, krow, h, offs, out, start):  # pragma: no cover - jitted
    """``out[start + r*c + a, j] = x[prow[r], j] + h[r] * offs[a] * directions[krow[r], j]``.

    ``out`` is Fortran-ordered ``(N, n)``; the loop runs column by column so that writes
    are contiguous; a zero direction component is a plain copy of ``x``.
    """
    R = prow.shape[0]
    c = offs.shape[0]
    n = x.shape[1]
    for j in range(n):
        col = out[start : start + R * c, j]  # a contiguous view (no allocation)
        for r in range(R):
            base = x[prow[r], j]
            v = directions[krow[r], j]
            i0 = r * c
            if v == 0.0:
                # most entries of a unit direction: a plain copy, which vectorises
                for a in range(c):
                    col[i0 + a] = base
            else:
                hr = h[r] * v
                for a in range(c):
                    col[i0 + a] = base + hr * offs[a]


# The two kernels below are the large-batch form of ``_engine._update_windows_numpy`` and
# ``_engine._check_rows_numpy``: the same operations in the same order (sums over the
# window run in index order, no fused multiply-adds), so both give bit-identical results.


@numba.njit(cache=True, inline="always")
def _weighted_sum(F, r, k, w, j0):  # pragma: no cover - jitted
    """``sum_j F[r, k, j0 + j] * w[j]``, in index order."""
    s = F[r, k, j0] * w[0]
    for j in range(1, w.shape[0]):
        s += F[r, k, j0 + j] * w[j]
    return s


@numba.njit(cache=True, inline="always")
def _pair_sum(F, r, k, w, pairs):  # pragma: no cover - jitted
    """``_engine._pair_sum`` for row ``r``, output ``k``: central weights in exact pairs."""
    if pairs == 0:
        return _weighted_sum(F, r, k, w, 0)
    s = 0.0
    for i in range(0, w.shape[0], 2):
        if pairs < 0:
            t = (F[r, k, i] - F[r, k, i + 1]) * w[i]
        else:
            t = (F[r, k, i] + F[r, k, i + 1]) * w[i]
        s = t if i == 0 else s + t
    return s


@numba.njit(cache=True, inline="always")
def _nan_minimum(a, b):  # pragma: no cover - jitted
    """``np.minimum`` of two floats (a NaN in either gives NaN)."""
    if a != a or b != b:
        return np.nan
    return a if a <= b else b


@numba.njit(cache=True)
def update_windows(
    F,
    f0,
    h,
    hd,
    xs,
    any_xs,
    it,
    itmax,
    used,
    restarts,
    max_restarts,
    trusted_first,
    has_dfirst,
    pairs,
    weights,
    center,
    abs_w,
    w_over_u,
    abs_weight_sum,
    dfirst_w,
    dfirst_c,
    chk_w,
    chk_c,
    eps,
    tiny,
    atol,
    rtol,
    prov,
    value,
    error,
    best,
    lo,
    hi,
    prev,
    cur_err,
    d_in,
    code,
    restart,
):  # pragma: no cover - jitted
    """One iteration of every row (entry) of a group: estimates, indicators, decisions.

    ``F`` is ``(R, m, W)``; per-row state is updated in place exactly as
    ``_engine._update_windows_numpy`` does (see there for the meaning of each step).
    Writes the stop code (-1: continue), the restart flag and the off-lattice check's
    lattice estimate ``d_in`` of every row.
    """
    R, m, W = F.shape
    q = chk_w.shape[0]
    c16 = 16.0 * eps
    c16_center = 16.0 * eps * abs(center)
    floor16 = 16.0 * tiny * abs_weight_sum
    half_eps = 0.5 * eps
    est = np.empty(m)
    trunc = np.empty(m)
    rnd = np.empty(m)
    for r in range(R):
        first = it[r] == 0
        ok = True
        for k in range(m):
            fk0 = f0[r, k]
            a = abs(F[r, k, 0]) * abs_w[0]
            for j in range(1, W):
                a += abs(F[r, k, j]) * abs_w[j]
            est[k] = (_pair_sum(F, r, k, weights, pairs) + center * fk0) / hd[r]
            e = c16 * a
            if center != 0.0:
                e += c16_center * abs(fk0)
            e += floor16
            e /= hd[r]
            if any_xs:
                slope = abs(F[r, k, 0] - fk0) * w_over_u[0]
                for j in range(1, W):
                    slope += abs(F[r, k, j] - fk0) * w_over_u[j]
                e += half_eps * xs[r] * slope / (hd[r] * h[r])
            rnd[k] = e
            ok = ok and np.isfinite(e)
            if first:
                if has_dfirst:
                    trunc[k] = abs(_pair_sum(F, r, k, dfirst_w, pairs) + dfirst_c * fk0) / hd[r]
                else:
                    trunc[k] = np.inf
            else:
                trunc[k] = abs(est[k] - prev[r, k])
            d_in[r, k] = (_weighted_sum(F, r, k, chk_w, W - q) + chk_c * fk0) / hd[r]
        provisional_now = first and not trusted_first
        later = ok and not provisional_now
        conv = later
        floor = later
        if ok:
            for k in range(m):
                err = trunc[k] + rnd[k]
                cmp = np.inf if prov[r] else error[r, k]
                if err < cmp or value[r, k] != value[r, k]:
                    value[r, k] = est[k]
                    error[r, k] = err
                if not provisional_now:
                    best[r, k] = _nan_minimum(best[r, k], err)
                prev[r, k] = est[k]
                lo[r, k] = np.fmin(lo[r, k], est[k])
                hi[r, k] = np.fmax(hi[r, k], est[k])
                cur_err[r, k] = err
                conv = conv and err <= atol + rtol * abs(est[k])
                floor = floor and trunc[k] <= 2.0 * rnd[k]
            prov[r] = provisional_now
        good_before = True
        diverge = False
        for k in range(m):
            good_before = good_before and best[r, k] <= 1e-6 * abs(value[r, k]) + atol
            if later:
                diverge = diverge or (trunc[k] + rnd[k]) > 10.0 * error[r, k]
        diverge = diverge and later and good_before
        restart[r] = (not ok) and first and restarts[r] < max_restarts
        if ok:
            it[r] += 1
        used[r] += 1
        c = -1
        if it[r] >= itmax[r]:
            c = 2
        if diverge:
            c = 4
        if floor:
            c = 1
        if conv:
            c = 0
        if not ok and not restart[r]:
            c = 3
        code[r] = c


@numba.njit(cache=True)
def check_rows(
    Fc, f0, val, err, d_in, xs, hc, hd, chk_w, abs_chk_w, chk_w_over_u, chk_c, eps, bad, new_err
):  # pragma: no cover - jitted
    """The off-lattice check of every row: ``Fc`` is ``(R, q, m)`` (points, then outputs).

    Writes whether each row failed and, for components that failed, the enlarged error,
    as ``_engine._check_rows_numpy`` does.
    """
    R, q, m = Fc.shape
    c16 = 16.0 * eps
    abs_c = abs(chk_c)
    half_eps = 0.5 * eps
    for r in range(R):
        row_bad = False
        for k in range(m):
            fk0 = f0[r, k]
            s = Fc[r, 0, k] * chk_w[0]
            a = abs(Fc[r, 0, k]) * abs_chk_w[0]
            slope = abs(Fc[r, 0, k] - fk0) * chk_w_over_u[0]
            for j in range(1, q):
                s += Fc[r, j, k] * chk_w[j]
                a += abs(Fc[r, j, k]) * abs_chk_w[j]
                slope += abs(Fc[r, j, k] - fk0) * chk_w_over_u[j]
            d_c = (s + chk_c * fk0) / hd[r]
            noise = c16 * (a + abs_c * abs(fk0)) / hd[r]
            noise += half_eps * xs[r] * slope / (hd[r] * hc[r])
            dev = abs(d_c - val[r, k])
            dev_in = abs(d_in[r, k] - val[r, k])
            b = not np.isfinite(d_c) or dev > 1.5 * dev_in + 2.0 * err[r, k] + 2.0 * noise
            row_bad = row_bad or b
            e = 2.0 * dev + dev_in if np.isfinite(dev) else np.inf
            new_err[r, k] = np.fmax(err[r, k], e)
        bad[r] = row_bad
