"""Adaptive directional finite differences with Richardson extrapolation.

Every public function reduces to one problem: for points ``x_p`` (shape ``(P, n)``) and
directions ``v_k`` (shape ``(K, n)``), the ``d``-th derivative of ``g(t) = f(x_p + t v_k)``
at ``t = 0``, for each entry ``e = (p, k)`` and every output component of ``f``.

Each entry runs its own iteration on a sliding window of a nested stencil
(:mod:`._stencils`): iteration 0 evaluates the whole window at base step ``h0``, every
further iteration halves the step and costs two evaluations. The estimate ``D_k`` after
each iteration has the error indicators

- in the first iteration, ``|I_0 - O_0|``: the two estimates of accuracy ``p - 2`` on the
  window without its two smallest (``O``, outer) and without its two largest (``I``,
  inner) offsets. They are successive iterates of the accuracy ``p - 2`` scheme, each
  relying on points the other lacks, so their difference bounds the error of ``O_0`` and
  hence (generously) of ``D_0``;
- afterwards ``|D_k - D_{k-1}|``: the change between successive iterations, a bound on the
  error of ``D_{k-1}`` and so, by a factor of about ``2**p``, of ``D_k``;
- ``R_k = 16 eps sum_j |w_j f_j| / h**d``: the rounding error of the formula, allowing
  for ``f`` itself being accurate to a few ulps.

The reported error is the truncation indicator plus ``R_k``. (The tempting first-window
indicator ``|D_0 - L_0|``, against the lower-order estimate on the same window, is *not*
used: it is small whenever the outermost weights are, converged or not.) An entry stops
when every component meets ``atol + rtol * |D|``, when the truncation indicator falls to
the rounding level (smaller steps cannot help), when the error grew tenfold past a good
estimate, or at ``maxiter``; the estimate with the smallest error estimate seen is
returned. All entries still running are evaluated together, so a vectorised ``f`` costs
one call per iteration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._stencils import stencil


@dataclass
class Problem:
    """One batch of directional-derivative entries (built by the public functions)."""

    evaluate: object  # callable (N, n) float64 -> (N, m) float64; counts nfev itself
    x: np.ndarray  # (P, n)
    f0: np.ndarray  # (P, m) values at x
    directions: np.ndarray  # (K, n)
    d: int  # derivative order
    h0: np.ndarray  # (P, K) initial base steps (> 0)
    side: np.ndarray  # (P, K) int: 0 central, +1 forward, -1 backward
    accuracy: int
    rtol: float
    atol: float
    maxiter: int
    eps: float


@dataclass
class EngineResult:
    value: np.ndarray  # (P, K, m)
    error: np.ndarray  # (P, K, m)
    success: np.ndarray  # (P, K) bool
    status: np.ndarray  # (P, K): 0 converged, 1 rounding floor, 2 maxiter, 3 non-finite,
    # 4 error grew tenfold after a good estimate


_MAX_RESTARTS = 6
# Trust the first window's outer-vs-inner indicator for stopping (see module docstring).
FIRST_WINDOW_STOP = True


def one_sided_accuracy(d: int, accuracy: int) -> int:
    """One-sided geometric stencils are ill-conditioned at high order: cap the accuracy."""
    return min(accuracy, 6 if d == 1 else 4)


# Above this many coordinates per batch the numba kernel builds the stencil points.
KERNEL_THRESHOLD = 200_000


def _points(x, directions, dcol, blocks, unit):
    """Stencil points ``x_p + h * u_a * v_k`` for all blocks, one Fortran-ordered (N, n) array.

    ``blocks`` holds ``(prow, krow, h, offs)``: point and direction index and base step per
    entry, and the offsets to evaluate. Fortran order keeps every variable's column
    contiguous, so a vectorised ``f`` that reads ``X[:, i]`` (or ``X.T[i]``) streams
    through memory.
    """
    n = x.shape[1]
    N = sum(prow.size * offs.size for prow, _, _, offs in blocks)
    out = np.empty((N, n), order="F")
    if N * n >= KERNEL_THRESHOLD:
        from ._kernels import fill_points

        start = 0
        for prow, krow, h, offs in blocks:
            fill_points(x, directions, prow, krow, h, offs, out, start)
            start += prow.size * offs.size
        return out
    start = 0
    for prow, krow, h, offs in blocks:
        c = offs.size
        stop = start + prow.size * c
        for j in range(n):
            out[start:stop, j] = np.repeat(x[prow, j], c)
        t = (h[:, None] * offs[None, :]).ravel()
        if unit:
            k = np.repeat(dcol[krow], c)
            flat = out.T.reshape(-1)  # a view: out is Fortran-ordered
            flat[k * N + np.arange(start, stop)] += t
        else:
            V = directions[krow]
            for j in range(n):
                vj = np.repeat(V[:, j], c)
                nz = vj != 0
                if nz.any():
                    out[start:stop, j][nz] += t[nz] * vj[nz]
        start = stop
    return out


class _Group:
    """Still-running entries that share one stencil, stored compactly (rows = entries)."""

    _ARRAYS = ("gidx", "prow", "krow", "h", "f0", "F", "prev", "value", "error", "best",
               "lo", "hi", "prov", "it", "restarts", "fresh")

    def __init__(self, st, gidx, prow, krow, h, f0):
        R, m = f0.shape
        self.st = st
        self.W = len(st.offsets)
        self.offs = np.ascontiguousarray(st.offsets)
        self.last2 = np.ascontiguousarray(st.offsets[-2:])
        self.abs_w = np.abs(st.weights)
        self.gidx, self.prow, self.krow, self.h, self.f0 = gidx, prow, krow, h, f0
        self.F = np.empty((R, m, self.W))
        self.prev = np.full((R, m), np.nan)
        self.value = np.full((R, m), np.nan)
        self.error = np.full((R, m), np.inf)
        self.best = np.full((R, m), np.inf)  # best non-provisional error (for divergence)
        self.lo = np.full((R, m), np.inf)  # range of all estimates (honest error on failure)
        self.hi = np.full((R, m), -np.inf)
        self.prov = np.zeros(R, dtype=bool)  # value/error come from the first window only
        self.it = np.zeros(R, dtype=np.int64)  # iterations since the last (re)start
        self.restarts = np.zeros(R, dtype=np.int64)
        self.fresh = np.ones(R, dtype=bool)  # needs a whole window at its current h

    @property
    def size(self):
        return self.gidx.size

    def take(self, keep):
        for name in self._ARRAYS:
            setattr(self, name, getattr(self, name)[keep])

    def blocks(self):
        """(block tuple, selector, count) for the points this group needs now."""
        if self.fresh.all():
            return [((self.prow, self.krow, self.h, self.offs), slice(None), self.W)]
        if not self.fresh.any():
            return [((self.prow, self.krow, self.h, self.last2), slice(None), 2)]
        out = []
        for sel, offs in ((self.fresh, self.offs), (~self.fresh, self.last2)):
            idx = np.flatnonzero(sel)
            out.append(((self.prow[idx], self.krow[idx], self.h[idx], offs), idx, offs.size))
        return out

    def store(self, sel, c, vals):
        """Put new values (R_b, c, m) into the windows (full window or slide by two)."""
        vals = vals.transpose(0, 2, 1)
        if c == self.W:
            self.F[sel] = vals
        elif isinstance(sel, slice):
            self.F[:, :, :-2] = self.F[:, :, 2:]
            self.F[:, :, -2:] = vals
        else:
            Fs = self.F[sel]
            Fs[:, :, :-2] = Fs[:, :, 2:]
            Fs[:, :, -2:] = vals
            self.F[sel] = Fs


def run(pb: Problem) -> EngineResult:
    P, n = pb.x.shape
    K = pb.directions.shape[0]
    m = pb.f0.shape[1]
    E = P * K
    pidx = np.repeat(np.arange(P), K)
    kidx = np.tile(np.arange(K), P)
    side = pb.side.reshape(E).astype(np.int64)
    h0 = pb.h0.reshape(E).astype(np.float64)
    dirs = np.ascontiguousarray(pb.directions, dtype=np.float64)
    unit = bool(((dirs != 0).sum(axis=1) == 1).all() and (dirs[dirs != 0] == 1).all())
    dcol = np.argmax(dirs != 0, axis=1)

    value = np.full((E, m), np.nan)
    error = np.full((E, m), np.inf)
    status = np.full(E, 2, dtype=np.int64)
    success = np.zeros(E, dtype=bool)

    groups = []
    sides = (0,) if not side.any() else np.unique(side)
    for s in sides:
        acc = pb.accuracy if s == 0 else one_sided_accuracy(pb.d, pb.accuracy)
        g = np.flatnonzero(side == s)
        groups.append(_Group(stencil(pb.d, acc, int(s)), g, pidx[g], kidx[g], h0[g].copy(),
                             pb.f0[pidx[g]]))

    for _ in range(pb.maxiter + _MAX_RESTARTS):
        groups = [g for g in groups if g.size]
        if not groups:
            break
        plan = [(g, b) for g in groups for b in g.blocks()]
        allpts = _points(pb.x, dirs, dcol, [b[0] for _, b in plan], unit)
        fv = pb.evaluate(allpts)  # (N, m)
        start = 0
        for g, (blk, sel, c) in plan:
            R = blk[0].size
            g.store(sel, c, fv[start : start + R * c].reshape(R, c, m))
            start += R * c
        for g in groups:
            _update(g, pb, value, error, status, success)
    # Entries still running when the iterations ran out.
    for g in groups:
        if g.size:
            _finish(g, np.ones(g.size, dtype=bool), np.full(g.size, 2), value, error, status,
                    success)
    return EngineResult(
        value=value.reshape(P, K, m),
        error=error.reshape(P, K, m),
        success=success.reshape(P, K),
        status=status.reshape(P, K),
    )


def _update(g, pb, value, error, status, success):
    st = g.st
    R, m, W = g.F.shape
    F2 = g.F.reshape(R * m, W)
    hd = (g.h**pb.d)[:, None]
    est = ((F2 @ st.weights).reshape(R, m) + st.center * g.f0) / hd
    # Rounding error of the formula; f itself carries a few ulps: count it twice.
    rnd = (16.0 * pb.eps) * ((np.abs(F2) @ g.abs_w).reshape(R, m)
                            + abs(st.center) * np.abs(g.f0)) / hd
    ok = np.isfinite(rnd).all(axis=1)  # every weight is non-zero: catches NaN/inf in F
    first = g.it == 0
    trusted_first = FIRST_WINDOW_STOP and st.outer_weights is not None
    if st.low_weights is not None and first.any():
        low = ((F2 @ st.low_weights).reshape(R, m) + st.low_center * g.f0) / hd
        if trusted_first:
            outer = ((F2 @ st.outer_weights).reshape(R, m) + st.outer_center * g.f0) / hd
            d_first = np.abs(low - outer)
        else:
            d_first = np.abs(est - low)
    else:
        d_first = np.inf
    trunc = np.where(first[:, None], d_first, np.abs(est - g.prev))
    err = trunc + rnd

    # Keep the best estimate per component. Without the outer/inner pair the first
    # window's indicator |D_0 - L_0| is provisional (it is small whenever the outermost
    # weights are), and any later estimate replaces it.
    ok2 = ok[:, None]
    cmp = np.where(g.prov[:, None], np.inf, g.error)
    better = ok2 & ((err < cmp) | np.isnan(g.value))
    np.copyto(g.value, est, where=better)
    np.copyto(g.error, err, where=better)
    provisional_now = first & (not trusted_first)
    g.prov = np.where(ok, provisional_now, g.prov)
    np.minimum(g.best, err, out=g.best, where=ok2 & ~provisional_now[:, None])
    np.copyto(g.prev, est, where=ok2)
    np.fmin(g.lo, est, out=g.lo, where=ok2)
    np.fmax(g.hi, est, out=g.hi, where=ok2)

    later = ok & ~provisional_now
    conv = later & (err <= pb.atol + pb.rtol * np.abs(est)).all(axis=1)
    floor = later & (trunc <= 2.0 * rnd).all(axis=1)
    good_before = (g.best <= 1e-6 * np.abs(g.value) + pb.atol).all(axis=1)
    diverge = later & good_before & (err > 10.0 * g.error).any(axis=1)
    restart = ~ok & first & (g.restarts < _MAX_RESTARTS)
    stop_bad = ~ok & ~restart
    g.it += ok
    code = np.full(R, -1)
    code[g.it >= pb.maxiter] = 2
    code[diverge] = 4
    code[floor] = 1
    code[conv] = 0
    code[stop_bad] = 3
    stopping = code >= 0
    if stopping.any():
        _finish(g, stopping, code, value, error, status, success)
    # Restart entries whose first window hit a non-finite value with a smaller step;
    # every other running entry halves its step and slides its window.
    g.h = np.where(restart, g.h / 8.0, g.h / 2.0)
    g.restarts += restart
    g.fresh = restart
    if stopping.all():
        g.take(slice(0, 0))
    elif stopping.any():
        g.take(~stopping)


def _finish(g, stopping, code, value, error, status, success):
    """Write stopped entries to the outputs.

    Success means converged, or at the rounding floor (the error estimate is then the
    rounding error). An error that grew tenfold after a good estimate (code 4) is *not*
    success: the good estimate may have been a coincidence (noise, aliasing). On failure
    the best estimate's error is unknown: report at least the spread of all estimates seen,
    so that the error does not look confident.
    """
    if stopping.all():
        idx, val, err, c, hi, lo = g.gidx, g.value, g.error, code, g.hi, g.lo
    else:
        idx, val, err, c = g.gidx[stopping], g.value[stopping], g.error[stopping], code[stopping]
        hi, lo = g.hi[stopping], g.lo[stopping]
    ok = (c <= 1) & np.isfinite(val).all(axis=1)
    if not ok.all():
        spread = np.fmax(np.abs(hi - val), np.abs(val - lo))
        spread = np.where(np.isfinite(spread), spread, np.inf)
        err = np.where(ok[:, None], err, np.fmax(err, spread))
    value[idx] = val
    error[idx] = err
    status[idx] = c
    success[idx] = ok
