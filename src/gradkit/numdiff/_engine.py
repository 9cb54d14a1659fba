"""Adaptive directional finite differences with Richardson extrapolation.

Every public function reduces to one problem: for points ``x_p`` (shape ``(P, n)``) and
directions ``v_k`` (shape ``(K, n)``), the ``d``-th derivative of ``g(t) = f(x_p + t v_k)``
at ``t = 0``, for each entry ``e = (p, k)`` and every output component of ``f``.

Each entry runs its own iteration on a sliding window of a nested stencil
(:mod:`._stencils`): iteration 0 evaluates the whole window at base step ``h0``, every
further iteration halves the step and costs two evaluations. The estimate after each
iteration has error indicators

- ``|D_0 - L_0|`` in the first iteration: change against the estimate of accuracy
  ``p - 2`` on the same window (its two largest offsets dropped); reported when
  ``maxiter=1`` but never trusted for stopping (it is small whenever the outermost weights
  are, converged or not),
- ``|D_k - D_{k-1}|`` afterwards: change between successive iterations,
- ``R_k = 2 eps sum_j |w_j f_j| / h**d``: the rounding error of the formula,

and the reported error is the truncation indicator plus ``R_k`` (in the asymptotic regime
each indicator bounds the error of a *less* accurate estimate than ``D_k``, by a factor of
about ``2**p``). An entry stops when every component meets ``atol + rtol * |D|``, when the
truncation indicators fall to the rounding level (smaller steps cannot help), when the
error grew tenfold past a good estimate, or at ``maxiter``; the estimate with the smallest
error estimate seen is returned. All entries still running are evaluated together, so a
vectorised ``f`` costs one call per iteration.
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


def one_sided_accuracy(d: int, accuracy: int) -> int:
    """One-sided geometric stencils are ill-conditioned at high order: cap the accuracy."""
    return min(accuracy, 6 if d == 1 else 4)


# Above this many coordinates per batch the numba kernel builds the stencil points.
KERNEL_THRESHOLD = 200_000


def _points(x, directions, pidx, kidx, blocks, unit):
    """Stencil points ``x_p + t v_k`` for all blocks, as one Fortran-ordered (N, n) array.

    Fortran order keeps every variable's column contiguous, so a vectorised ``f`` that
    reads ``X[:, i]`` (or ``X.T[i]``) streams through memory.
    """
    n = x.shape[1]
    N = sum(rows.size * c for rows, c, _, _ in blocks)
    out = np.empty((N, n), order="F")
    if N * n >= KERNEL_THRESHOLD:
        from ._kernels import fill_points

        start = 0
        for rows, c, _, (hr, offs) in blocks:
            fill_points(x, directions, pidx[rows], kidx[rows], hr, offs, out, start)
            start += rows.size * c
        return out
    start = 0
    for rows, c, t, _ in blocks:
        stop = start + rows.size * c
        prow = pidx[rows]
        for j in range(n):
            out[start:stop, j] = np.repeat(x[prow, j], c)
        if unit:
            k = np.repeat(np.argmax(directions[kidx[rows]] != 0, axis=1), c)
            flat = out.T.reshape(-1)  # a view: out is Fortran-ordered
            flat[k * N + np.arange(start, stop)] += t
        else:
            V = directions[kidx[rows]]
            for j in range(n):
                vj = np.repeat(V[:, j], c)
                nz = vj != 0
                if nz.any():
                    out[start:stop, j][nz] += t[nz] * vj[nz]
        start = stop
    return out


def run(pb: Problem) -> EngineResult:
    P, n = pb.x.shape
    K = pb.directions.shape[0]
    m = pb.f0.shape[1]
    E = P * K
    pidx = np.repeat(np.arange(P), K)
    kidx = np.tile(np.arange(K), P)
    side = pb.side.reshape(E).astype(np.int64)
    h = pb.h0.reshape(E).astype(np.float64).copy()
    f0 = pb.f0[pidx]  # (E, m)

    sides_present = np.unique(side)
    stencils = {}
    for s in sides_present:
        acc = pb.accuracy if s == 0 else one_sided_accuracy(pb.d, pb.accuracy)
        stencils[int(s)] = stencil(pb.d, acc, int(s))

    value = np.full((E, m), np.nan)
    error = np.full((E, m), np.inf)
    prev = np.full((E, m), np.nan)
    status = np.full(E, 2, dtype=np.int64)
    done = np.zeros(E, dtype=bool)
    restarts = np.zeros(E, dtype=np.int64)
    best_seen = np.full((E, m), np.inf)  # best error estimate so far (for divergence)
    provisional = np.zeros(E, dtype=bool)  # value/error come from the first window only
    lo_seen = np.full((E, m), np.nan)  # range of all estimates (honest error on failure)
    hi_seen = np.full((E, m), np.nan)

    # Window buffers, one per side (widths differ).
    windows = {s: None for s in stencils}
    wrows = {s: np.flatnonzero(side == s) for s in stencils}
    for s in stencils:
        windows[s] = np.full((len(wrows[s]), len(stencils[s].offsets), m), np.nan)
    pos_in = np.empty(E, dtype=np.int64)
    for s in stencils:
        pos_in[wrows[s]] = np.arange(len(wrows[s]))
    fresh = np.ones(E, dtype=bool)  # needs a whole window at its current h
    dirs = pb.directions
    unit = bool(((dirs != 0).sum(axis=1) == 1).all() and (dirs[dirs != 0] == 1).all())
    it = np.zeros(E, dtype=np.int64)  # iterations done (since last restart)

    for _ in range(pb.maxiter + _MAX_RESTARTS):
        active = np.flatnonzero(~done)
        if active.size == 0:
            break
        # Assemble all points to evaluate this round.
        blocks = []
        plan = []  # (side, rows, offsets-slice, count)
        for s, st in stencils.items():
            rows_s = active[side[active] == s]
            if rows_s.size == 0:
                continue
            W = len(st.offsets)
            full = rows_s[fresh[rows_s]]
            part = rows_s[~fresh[rows_s]]
            for rows, offs in ((full, st.offsets), (part, st.offsets[-2:])):
                if rows.size == 0:
                    continue
                hr = h[rows]
                t = (hr[:, None] * offs[None, :]).ravel()  # (R * c,)
                blocks.append((rows, len(offs), t, (hr, np.ascontiguousarray(offs))))
                plan.append((s, rows, len(offs), W))
        allpts = _points(pb.x, pb.directions, pidx, kidx, blocks, unit)
        fv = pb.evaluate(allpts)  # (N, m)
        start = 0
        for s, rows, c, W in plan:
            vals = fv[start : start + rows.size * c].reshape(rows.size, c, m)
            start += rows.size * c
            buf = windows[s]
            wpos = pos_in[rows]
            if c == W:
                buf[wpos] = vals
            else:
                buf[wpos, :-2] = buf[wpos, 2:]
                buf[wpos, -2:] = vals
        # Update estimates for every active entry.
        for s, st in stencils.items():
            rows = active[side[active] == s]
            if rows.size == 0:
                continue
            F = windows[s][pos_in[rows]]  # (R, W, m)
            fc = f0[rows]
            hd = h[rows, None] ** pb.d
            finite = np.isfinite(F).all(axis=(1, 2))
            est = (np.einsum("j,rjm->rm", st.weights, F) + st.center * fc) / hd
            rnd = pb.eps * (
                np.einsum("j,rjm->rm", np.abs(st.weights), np.abs(F)) + abs(st.center) * np.abs(fc)
            ) / hd
            # f itself carries rounding error of a few ulps: count it twice.
            rnd = 2.0 * rnd
            if st.low_weights is not None:
                low = (np.einsum("j,rjm->rm", st.low_weights, F) + st.low_center * fc) / hd
                d_low = np.abs(est - low)
            else:
                d_low = np.full_like(est, np.inf)
            first = it[rows] == 0
            d_prev = np.where(first[:, None], np.inf, np.abs(est - prev[rows]))
            trunc = np.where(first[:, None], d_low, d_prev)
            err = trunc + rnd

            # Non-finite values: restart a first window with a smaller step, otherwise stop.
            bad = ~finite
            restart = bad & first & (restarts[rows] < _MAX_RESTARTS)
            stop_bad = bad & ~restart
            ok = ~bad
            # Keep the best estimate per component.
            # The first window's indicator is provisional: any later estimate replaces it.
            cmp = np.where(provisional[rows][:, None], np.inf, error[rows])
            better = ok[:, None] & ((err < cmp) | np.isnan(value[rows]))
            value[rows] = np.where(better, est, value[rows])
            error[rows] = np.where(better, err, error[rows])
            provisional[rows] = np.where(ok, first, provisional[rows])
            seen = np.where((ok & ~first)[:, None], err, np.inf)
            best_seen[rows] = np.minimum(best_seen[rows], seen)
            prev[rows] = np.where(ok[:, None], est, prev[rows])
            lo_seen[rows] = np.where(ok[:, None], np.fmin(lo_seen[rows], est), lo_seen[rows])
            hi_seen[rows] = np.where(ok[:, None], np.fmax(hi_seen[rows], est), hi_seen[rows])

            tol = pb.atol + pb.rtol * np.abs(est)
            # Never stop on the first window: its indicator |D_0 - L_0| is small whenever the
            # outermost weights are, converged or not.
            conv = ok & ~first & (err <= tol).all(axis=1)
            floor = ok & ~first & (trunc <= 2.0 * rnd).all(axis=1)
            good_before = (best_seen[rows] <= 1e-6 * np.abs(value[rows]) + pb.atol).all(axis=1)
            diverge = ok & ~first & good_before & (err > 10.0 * error[rows]).any(axis=1)
            it[rows] += ok
            out_of_iters = it[rows] >= pb.maxiter

            st_rows = np.full(rows.size, -1)
            st_rows[out_of_iters] = 2
            st_rows[diverge] = 4
            st_rows[floor] = 1
            st_rows[conv] = 0
            st_rows[stop_bad] = 3
            stopping = st_rows >= 0
            status[rows[stopping]] = st_rows[stopping]
            done[rows[stopping]] = True
            # Restart entries whose first window hit a non-finite value.
            rr = rows[restart]
            restarts[rr] += 1
            h[rr] /= 8.0
            fresh[rows] = False
            fresh[rr] = True
            cont = rows[~stopping & ~restart]
            h[cont] /= 2.0
    # Converged, or at the rounding floor (the error estimate is then the rounding error).
    # An error that grew tenfold after a good estimate (status 4) is *not* success: the
    # good estimate may have been a coincidence (noise, aliasing); the best one is kept.
    success = np.isin(status, (0, 1)) & np.isfinite(value).all(axis=1)
    # On failure the best estimate's error is unknown: report at least the spread of all
    # the estimates seen, so that the error does not look confident.
    spread = np.fmax(np.abs(hi_seen - value), np.abs(value - lo_seen))
    error = np.where(success[:, None], error, np.fmax(error, spread))
    return EngineResult(
        value=value.reshape(P, K, m),
        error=error.reshape(P, K, m),
        success=success.reshape(P, K),
        status=status.reshape(P, K),
    )
