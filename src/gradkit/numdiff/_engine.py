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
  for ``f`` itself being accurate to a few ulps, plus the error from rounding the
  abscissae ``x + u_j h v`` (each shifted by up to ``eps |x| / 2``, times the slope).

The reported error is the truncation indicator plus ``R_k``. (The tempting first-window
indicator ``|D_0 - L_0|``, against the lower-order estimate on the same window, is *not*
used: it is small whenever the outermost weights are, converged or not.) An entry stops
when every component meets ``atol + rtol * |D|``, when the truncation indicator falls to
the rounding level (smaller steps cannot help), when the error grew tenfold past a good
estimate, or at ``maxiter``; the estimate with the smallest error estimate seen is
returned; an estimate that converged again later and contradicts the best one replaces
it (the earlier plateau was aliased). Every successful entry then passes an off-lattice
check (:func:`_check`; a gradient's or Jacobian's entries at one point are first screened
together, for two evaluations per point), or resumes its descent from half its last step.
All entries still running are evaluated together, so a vectorised ``f`` costs one call per
iteration, plus one for the checks (two when some points are screened and others are
not), and one more for entries whose screen failed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import _evaluate
from ._stencils import _solve_weights, stencil


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
    check: bool = True


@dataclass
class EngineResult:
    value: np.ndarray  # (P, K, m)
    error: np.ndarray  # (P, K, m)
    success: np.ndarray  # (P, K) bool
    status: np.ndarray  # (P, K): 0 converged, 1 rounding floor, 2 maxiter, 3 non-finite,
    # 4 error grew tenfold after a good estimate, 5 failed the off-lattice check, 6 a kink
    # (one-sided derivatives disagree; see _kinks), 7 no significant digit (see _unresolved)


_MAX_RESTARTS = 6
_TINY = 2.0**-1074  # the smallest subnormal float64
# Trust the first window's outer-vs-inner indicator for stopping (see module docstring).
FIRST_WINDOW_STOP = True
# Off-lattice check: step ratio (irrational, so that the check points are off the dyadic
# lattice of the stencils).
CHECK_RATIO = 0.6180339887498949
# How many times an entry whose check failed resumes its descent.
_MAX_RECHECKS = 3


def one_sided_accuracy(d: int, accuracy: int) -> int:
    """One-sided geometric stencils are ill-conditioned at high order: cap the accuracy."""
    return min(accuracy, 6 if d == 1 else 4)


def _points(x, directions, dcol, blocks, unit):
    """Stencil points ``x_p + h * u_a * v_k`` for all blocks, one Fortran-ordered (N, n) array.

    ``blocks`` holds ``(prow, krow, h, offs)``: point and direction index and base step per
    entry, and the offsets to evaluate. Each block's points are ordered offset by offset
    (``(c, R)``: all entries at the first offset, then the second, ...). Fortran order keeps
    every variable's column contiguous, so a vectorised ``f`` that reads ``X[:, i]`` (or
    ``X.T[i]``) streams through memory, and so does the copy of ``x`` into it. Only the
    non-zero components of a direction are added (``x`` is copied exactly elsewhere, -0.0
    included).
    """
    n = x.shape[1]
    N = sum(prow.size * offs.size for prow, _, _, offs in blocks)
    out = np.empty((N, n), order="F")
    cols = out.T  # (n, N), C-contiguous: one row per variable
    flat = cols.reshape(-1)  # a view
    xT = np.ascontiguousarray(x.T)
    start = 0
    for prow, krow, h, offs in blocks:
        R, c = prow.size, offs.size
        pts = cols[:, start : start + c * R].reshape(n, c, R)  # a view
        t = offs[:, None] * h  # (c, R)
        if unit and n == 1:  # one variable (derivatives): x + t in one pass
            np.add(x[:, 0].take(prow), t, out=pts[0])
            start += c * R
            continue
        np.copyto(pts, xT.take(prow, axis=1)[:, None])
        if unit:
            at = (dcol.take(krow) * N + start + np.arange(R)) + (np.arange(c) * R)[:, None]
            flat[at] += t
        else:
            V = directions.take(krow, axis=0)
            for j in range(n):
                nz = np.flatnonzero(V[:, j])
                if nz.size:
                    at = (j * N + start + nz) + (np.arange(c) * R)[:, None]
                    flat[at] += t[:, nz] * V[nz, j]
        start += c * R
    return out


def _check_weights(st, q):
    """Centre weight and weights of the lowest-order formula on the innermost q offsets."""
    return _check_weights_cached(st.offsets.tobytes(), st.d, st.side, q)


def _evaluate_blocks(evaluate, x, dirs, dcol, blocks, unit):
    """``evaluate`` at all stencil points of ``blocks``: one ``(c, R, m)`` array per block
    (offsets, entries, outputs).

    A batch larger than one call of ``f`` takes (``_evaluate.CHUNK_COORDS``) is built and
    evaluated piece by piece, split at entry boundaries into nearly equal pieces: each
    piece's points then reuse the memory of the last instead of a large fresh array.
    """
    limit = max(1, _evaluate.CHUNK_COORDS // max(x.shape[1], 1))  # points per call
    total = sum(b[0].size * b[3].size for b in blocks)
    pieces, cur, cur_n = [], [], 0  # pieces: lists of (block number, sub-block)
    if total <= limit:
        pieces.append(list(enumerate(blocks)))
    else:
        k = -(-total // limit)
        target = -(-total // k)
        for i, (prow, krow, h, offs) in enumerate(blocks):
            c, R, r0 = offs.size, prow.size, 0
            while r0 < R:
                take = min(R - r0, max(1, (target - cur_n) // c))
                rows = slice(r0, r0 + take)
                cur.append((i, (prow[rows], krow[rows], h[rows], offs)))
                cur_n += take * c
                r0 += take
                if cur_n + c > target:
                    pieces.append(cur)
                    cur, cur_n = [], 0
        if cur:
            pieces.append(cur)
    out = [[] for _ in blocks]
    for piece in pieces:
        fv = evaluate(_points(x, dirs, dcol, [b for _, b in piece], unit))
        start = 0
        for i, (prow, _, _, offs) in piece:
            stop = start + offs.size * prow.size
            out[i].append(fv[start:stop].reshape(offs.size, prow.size, fv.shape[1]))
            start = stop
    return [a[0] if len(a) == 1 else np.concatenate(a, axis=1) for a in out]


@lru_cache(maxsize=64)
def _check_weights_cached(offsets, d, side, q):
    offs = np.frombuffer(offsets)
    w = _solve_weights(np.concatenate(([0.0], offs[offs.size - q :])), d)
    c, w = float(w[0]), w[1:]
    if side == 0 and d % 2 and q % 2 == 0:
        c = 0.0  # symmetric pairs: the centre weight is exactly zero
    w.setflags(write=False)  # shared through the cache: read-only
    return c, w


# Kink test (see _kinks): a tested coefficient is significant when it exceeds KINK_FACTOR
# times its indicated error plus rounding (KINK_FACTOR_HIGH for third and fourth
# derivatives, whose large steps let the fits of a smooth function agree on a spurious
# coefficient), or when it grows on the inner levels (by KINK_GROWTH_HIGH for d >= 3).
KINK_FACTOR = 8.0
# A successful estimate needs its innermost step at least this many units in the last place
# of x (see _unresolved).
MIN_STEP_ULPS = 64.0
KINK_FACTOR_HIGH = 1e4
KINK_GROWTH_HIGH = 4.0
# At most this many levels (the innermost) enter the fits: more would make the power
# basis too ill-conditioned.
_KINK_LEVELS = 6


@lru_cache(maxsize=64)
def _kink_weights(offsets, d):
    """Weights of the one-sided-disagreement coefficients of a central window.

    The window (offsets ``[+1, -1, +1/2, -1/2, ...]`` in units of ``h``) gives at each
    level ``u_j`` the part ``P_j`` of ``f(x +- u_j)`` that the central estimate of order
    ``d`` does not use: the symmetric part ``(f_+ + f_-) / 2 - f(x)`` for odd ``d``, the
    antisymmetric part ``(f_+ - f_-) / 2`` for even ``d``. For a smooth ``f`` it has only
    powers of ``u`` of the opposite parity to ``d`` (the *allowed* powers). The *tested*
    powers ``k <= d`` of the parity of ``d`` fit a kink (``k = d``: coefficient ``(D_+ -
    D_-) / (2 d!)`` with ``D_+-`` the one-sided d-th derivatives) or a jump in ``f`` or a
    lower derivative (``k < d``). Fitting tested plus allowed powers exactly through the
    levels, ``kappa_k = d! c_k h**(k - d)`` is, for ``k = d``, half the disagreement of the
    one-sided derivatives.

    Returns ``(tested, full, outer, inner)`` with ``full[i]`` of shape ``(W + 1,)`` (the
    last entry the weight of ``f(x)``): ``kappa_k h**d = full[i, :W] @ F + full[i, W] f(x)``
    for the i-th tested power ``k``, fitted on the innermost ``L`` levels; ``outer``/
    ``inner`` the same with one allowed power fewer on the outer/inner ``L - 1`` of them.
    ``None`` when the window has too few levels (every allowed power below ``d`` must be
    in the smaller fits: one left out leaks into the tested coefficients with a negative
    power of ``h``, which then grow on smaller steps like a cusp).
    """
    offs = np.frombuffer(offsets)
    W = offs.size
    M = W // 2
    odd = d % 2 == 1
    sign = 1.0 if odd else -1.0
    tested = list(range(d % 2, d + 1, 2))
    allowed = list(range(2 if odd else 1, 2 * M + 2, 2))
    below = [k for k in allowed if k < d]
    L = min(M, _KINK_LEVELS)
    while tested and L - 1 < len(tested) + len(below):
        tested.pop()  # too few levels: the highest tested powers are left out
    if not tested:
        return None
    powers_full = sorted(tested + allowed[: L - len(tested)])
    powers_sub = sorted(tested + allowed[: L - 1 - len(tested)])

    def weights(levels, powers):
        u = offs[2 * levels].astype(np.longdouble)
        V = u[:, None] ** np.array(powers)[None, :]
        G = np.linalg.inv(V.astype(np.float64))
        # one step of refinement of the inverse in long double (V is ill-conditioned)
        G = G + G @ (np.eye(len(powers)) - (V @ G).astype(np.float64))
        out = np.zeros((len(tested), W + 1))
        for i, k in enumerate(tested):
            g = math.factorial(d) * G[powers.index(k)]
            out[i, 2 * levels] = 0.5 * g
            out[i, 2 * levels + 1] = 0.5 * sign * g
            if odd:
                out[i, W] = -g.sum()
        return out

    levels = np.arange(M - L, M)
    full = weights(levels, powers_full)
    outer = weights(levels[:-1], powers_sub)
    inner = weights(levels[1:], powers_sub)
    for a in (full, outer, inner):
        a.setflags(write=False)
    return tuple(tested), full, outer, inner


@lru_cache(maxsize=64)
def _kink_matrices(offsets, d):
    """:func:`_kink_weights` as matrices for one product each (``None`` likewise):
    ``values`` ``(W, 3T)`` and ``centre`` ``(3T,)`` (full, outer, inner fits of the T
    tested powers), ``abs_full`` ``(W, T)`` and ``abs_centre`` ``(T,)`` for the rounding
    term, ``slope`` ``(W, T)`` = ``abs_full / |u|`` for the abscissa-rounding term."""
    kw = _kink_weights(offsets, d)
    if kw is None:
        return None
    _, full, outer, inner = kw
    W = full.shape[1] - 1
    stacked = np.concatenate([full, outer, inner])  # (3T, W + 1)
    values = np.ascontiguousarray(stacked[:, :W].T)
    centre = np.ascontiguousarray(stacked[:, W])
    abs_full = np.ascontiguousarray(np.abs(full[:, :W]).T)
    abs_centre = np.abs(full[:, W])
    slope = np.ascontiguousarray(abs_full / np.abs(np.frombuffer(offsets))[:, None])
    out = (values, centre, abs_full, abs_centre, slope)
    for a in out:
        a.setflags(write=False)
    return out


class _Group:
    """Still-running entries that share one stencil, stored compactly (rows = entries)."""

    _ARRAYS = (
        "gidx",
        "prow",
        "krow",
        "h",
        "f0",
        "xs",
        "F",
        "prev",
        "value",
        "error",
        "best",
        "lo",
        "hi",
        "cur_err",
        "prov",
        "it",
        "restarts",
        "fresh",
        "itmax",
        "used",
    )

    def __init__(self, st, gidx, prow, krow, h, f0, xs):
        R, m = f0.shape
        self.xs = xs  # |x| along the direction: rounding of x + t v perturbs the steps
        self.w_over_u = np.abs(st.weights) / np.abs(st.offsets)
        self.st = st
        self.W = len(st.offsets)
        self.offs = np.ascontiguousarray(st.offsets)
        self.last2 = np.ascontiguousarray(st.offsets[-2:])
        self.abs_w = np.abs(st.weights)
        # central weights (and the first-window indicator's) come in exact pairs: summed as
        # pairs (see _pair_values)
        self.pairs = 0 if st.side else (-1 if st.d % 2 else 1)
        # First-window indicator as one weight vector: I_0 - O_0 (lower-order minus outer
        # estimate), or D_0 - L_0 when the stencil has no outer sub-window.
        self.dfirst_trusted = FIRST_WINDOW_STOP and st.outer_weights is not None
        self.has_dfirst = st.low_weights is not None
        cols, centres = [st.weights], [st.center]
        if self.has_dfirst:
            if self.dfirst_trusted:
                cols.append(st.low_weights - st.outer_weights)
                centres.append(st.low_center - st.outer_center)
            else:
                cols.append(st.weights - st.low_weights)
                centres.append(st.center - st.low_center)
        # (W', 1 or 2): the estimate's and the indicator's weights, one per pair of values
        est_w = np.stack(cols, axis=1)
        self.est_w = np.ascontiguousarray(est_w[0::2] if self.pairs else est_w)
        self.est_c = np.array(centres, dtype=np.float64)
        self.gidx, self.prow, self.krow, self.h, self.f0 = gidx, prow, krow, h, f0
        self.F = np.empty((self.W, R, m))  # the windows, offset-major (as evaluated)
        self.prev = np.full((R, m), np.nan)
        self.value = np.full((R, m), np.nan)
        self.error = np.full((R, m), np.inf)
        self.best = np.full((R, m), np.inf)  # best non-provisional error (for divergence)
        self.lo = np.full((R, m), np.inf)  # range of all estimates (honest error on failure)
        self.hi = np.full((R, m), -np.inf)
        self.cur_err = np.full((R, m), np.inf)  # error indicator of the latest estimate
        # Off-lattice check (see _check): the innermost q offsets of the window and the
        # lowest-order weights on them.
        d = st.d
        # (a first derivative needs one point: the innermost offset's difference quotient)
        q = {1: 1, 2: 2}.get(d, 4) if st.side == 0 else d
        self.chk_idx = np.arange(self.W - q, self.W)
        self.chk_offs = np.ascontiguousarray(st.offsets[self.chk_idx])
        self.chk_c, self.chk_w = _check_weights(st, q)
        self.abs_chk_w = np.abs(self.chk_w)
        self.chk_w_over_u = self.abs_chk_w / np.abs(self.chk_offs)
        self.pending = []  # finished entries awaiting the off-lattice check
        # take() has already shifted every window by two (only the last two columns,
        # filled by the next store(), are stale; nothing reads them before that)
        self.slid = False
        self.prov = np.zeros(R, dtype=bool)  # value/error come from the first window only
        self.it = np.zeros(R, dtype=np.int64)  # iterations since the last (re)start
        self.restarts = np.zeros(R, dtype=np.int64)
        self.fresh = np.ones(R, dtype=bool)  # needs a whole window at its current h
        self.itmax = np.zeros(R, dtype=np.int64)  # iteration budget (set by the caller)
        self.used = np.zeros(R, dtype=np.int64)  # iterations done, restarts included

    @property
    def size(self):
        return self.gidx.size

    def take(self, keep):
        """Keep the rows ``keep`` (a slice, a boolean mask or indices) of every array."""
        if isinstance(keep, slice):
            for name in self._ARRAYS:
                a = getattr(self, name)
                setattr(self, name, a[:, keep] if name == "F" else a[keep])
            return
        # one integer index for all arrays (a boolean mask would be re-scanned per array)
        rows = np.flatnonzero(keep) if keep.dtype == bool else keep
        slide = not self.fresh.any()
        for name in self._ARRAYS:
            if name != "F":
                setattr(self, name, getattr(self, name).take(rows, axis=0))
            elif slide:
                # every kept window slides by two next: copy the part that stays, once
                F = np.empty((self.W, rows.size) + self.F.shape[2:])
                np.take(self.F[2:], rows, axis=1, out=F[:-2])
                self.F = F
                self.slid = True
            else:
                self.F = self.F.take(rows, axis=1)

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
        """Put new values (c, R_b, m) into the windows (full window or slide by two)."""
        if c == self.W:
            self.F[:, sel] = vals
        elif isinstance(sel, slice):
            if self.slid:  # take() already moved the windows
                self.F[-2:] = vals
                self.slid = False
                return
            # a new array: an in-place shift of overlapping memory goes through a temporary
            self.F = np.concatenate((self.F[2:], vals))
        else:
            self.F[:, sel] = np.concatenate((self.F[2:, sel], vals))


def run(pb: Problem) -> EngineResult:
    P, n = pb.x.shape
    K = pb.directions.shape[0]
    m = pb.f0.shape[1]
    E = P * K
    ctx = _Context(pb)
    ctx.pidx = np.repeat(np.arange(P), K)
    ctx.kidx = np.tile(np.arange(K), P)
    ctx.side = pb.side.reshape(E).astype(np.int64)
    if ctx.unit:
        ctx.xscale = np.abs(pb.x)[:, ctx.dcol].reshape(E)
    else:
        support = ctx.dirs != 0
        ctx.xscale = np.where(support[None], np.abs(pb.x)[:, None, :], 0.0).max(axis=2)
        ctx.xscale = ctx.xscale.reshape(E)
    ctx.value = np.full((E, m), np.nan)
    ctx.error = np.full((E, m), np.inf)
    ctx.status = np.full(E, 2, dtype=np.int64)
    ctx.success = np.zeros(E, dtype=bool)

    ent = np.arange(E)
    h0 = pb.h0.reshape(E).astype(np.float64)
    itmax = np.full(E, pb.maxiter, dtype=np.int64)
    for _ in range(_MAX_RECHECKS + 1):
        failed, h_fail, used = _run_entries(ctx, ent, h0, itmax)
        if failed.size == 0:
            break
        # An off-lattice check failed (aliasing): continue the descent from half the step
        # at which the entry stopped, with the iterations it has left.
        left = itmax[np.searchsorted(ent, failed)] - used
        keep = left >= 2
        ent, h0, itmax = failed[keep], h_fail[keep] / 2.0, left[keep]
        if ent.size == 0:
            break
    return EngineResult(
        value=ctx.value.reshape(P, K, m),
        error=ctx.error.reshape(P, K, m),
        success=ctx.success.reshape(P, K),
        status=ctx.status.reshape(P, K),
    )


class _Context:
    """Per-call constants and the output arrays (indexed by global entry)."""

    def __init__(self, pb):
        self.pb = pb
        self.dirs = np.ascontiguousarray(pb.directions, dtype=np.float64)
        d = self.dirs
        self.unit = bool(((d != 0).sum(axis=1) == 1).all() and (d[d != 0] == 1).all())
        self.dcol = np.argmax(d != 0, axis=1)


def _run_entries(ctx, ent, h0, itmax):
    """Iterate the entries ``ent`` (global ids, sorted) to the end; write the outputs.

    Returns the entries whose off-lattice check failed, the step at which each stopped,
    and the iterations each used.
    """
    pb = ctx.pb
    value, error, status, success = ctx.value, ctx.error, ctx.status, ctx.success
    side = ctx.side[ent]
    groups = []
    sides = (0,) if not side.any() else np.unique(side)
    for s in sides:
        acc = pb.accuracy if s == 0 else one_sided_accuracy(pb.d, pb.accuracy)
        loc = np.flatnonzero(side == s)
        g = ent[loc]
        grp = _Group(
            stencil(pb.d, acc, int(s)),
            g,
            ctx.pidx[g],
            ctx.kidx[g],
            h0[loc].copy(),
            pb.f0[ctx.pidx[g]],
            ctx.xscale[g],
        )
        grp.itmax = itmax[loc].copy()
        groups.append(grp)

    all_groups = list(groups)
    for _ in range(pb.maxiter + _MAX_RESTARTS):
        groups = [g for g in groups if g.size]
        if not groups:
            break
        plan = [(g, b) for g in groups for b in g.blocks()]
        fv = _evaluate_blocks(
            pb.evaluate, pb.x, ctx.dirs, ctx.dcol, [b[0] for _, b in plan], ctx.unit
        )
        for (g, (_, sel, c)), vals in zip(plan, fv):
            g.store(sel, c, vals)
        for g in groups:
            _update(g, pb, value, error, status, success)
    # Entries still running when the iterations ran out.
    for g in all_groups:
        if g.size:
            stopping, code = np.ones(g.size, dtype=bool), np.full(g.size, 2)
            _finish(g, pb, stopping, code, None, value, error, status, success)
    if not pb.check:
        return np.empty(0, np.int64), np.empty(0), np.empty(0, np.int64)
    return _check(all_groups, pb, ctx, value, error, status, success)


def _weighted_sum(F, w):
    """``sum_j w[j] * F[j]`` for windows ``F (W, ...)``: one matrix product.

    ``w`` is ``(W,)``, or ``(W, k)`` for ``k`` sums at once (then ``(k, ...)``).
    """
    return (w.T @ F.reshape(F.shape[0], -1)).reshape(w.shape[1:] + F.shape[1:])


def _pair_values(F, pairs):
    """The window values ``F (W, ...)`` that a stencil's estimate weighs.

    Central weights come in exact pairs, ``w[2i + 1] = pairs * w[2i]`` (``pairs`` -1 for
    odd, +1 for even derivatives): each pair is weighed as ``w[2i] * (F[2i] -/+ F[2i +
    1])``, one rounding fewer per pair, and the difference of close values is exact (a
    constant window gives exactly 0; see test_regressions). ``pairs`` 0 (one-sided
    stencils): ``F`` itself.
    """
    if not pairs:
        return F
    if pairs < 0:
        return F[0::2] - F[1::2]
    return F[0::2] + F[1::2]


def _update(g, pb, value, error, status, success):
    """One iteration of group ``g``: estimates and decisions, then write out stopped rows."""
    _, R, m = g.F.shape
    hd = g.h**pb.d
    d_in = np.empty((R, m))
    code = np.empty(R, dtype=np.int64)
    restart = np.empty(R, dtype=bool)
    _update_windows(g, pb, hd, d_in, code, restart)
    stopping = code >= 0
    if stopping.any():
        _finish(g, pb, stopping, code, d_in, value, error, status, success)
    # Restart entries whose first window hit a non-finite value with a smaller step;
    # every other running entry halves its step and slides its window.
    if restart.any():
        g.h = np.where(restart, g.h / 8.0, g.h / 2.0)
        g.restarts += restart
    else:
        g.h = g.h / 2.0
    g.fresh = restart
    if stopping.all():
        g.take(slice(0, 0))
    elif stopping.any():
        g.take(~stopping)


def _update_windows(g, pb, hd, d_in, code, restart):
    """One iteration of every row of ``g``: estimates, error indicators and decisions.

    Updates the per-row state in place and writes the stop code (-1: continue), the restart
    flag and the off-lattice check's lattice estimate ``d_in`` of every row.
    """
    st = g.st
    F, f0 = g.F, g.f0
    W = F.shape[0]
    hd = hd[:, None]
    first = g.it == 0
    # The estimate and the first-window indicator, |I_0 - O_0| (or |D_0 - L_0| without
    # the outer/inner pair), as one product.
    S = _weighted_sum(_pair_values(F, g.pairs), g.est_w) + g.est_c[:, None, None] * f0
    S /= hd
    est = S[0]
    # Rounding error of the formula; f itself carries a few ulps: count it twice.
    # (plus the absolute floor of float64: values that underflow lose up to 2**-1074)
    # x + t v is rounded, which perturbs each offset by up to eps |x| / 2: the error this
    # causes is eps |x| / 2 * sum_j |w_j| |f_j - f(x)| / (|u_j| h) / h**d (slope * shift).
    rnd = (16.0 * pb.eps) * _weighted_sum(np.abs(F), g.abs_w)
    if st.center:
        rnd += (16.0 * pb.eps * abs(st.center)) * np.abs(f0)
    rnd += 16.0 * _TINY * st.abs_weight_sum
    rnd /= hd
    if g.xs.any():
        slope = _weighted_sum(np.abs(F - f0), g.w_over_u)
        rnd += (0.5 * pb.eps) * g.xs[:, None] * slope / (hd * g.h[:, None])
    ok = np.isfinite(rnd).all(axis=1)  # every weight is non-zero: catches NaN/inf in F
    trusted_first = g.dfirst_trusted
    d_first = np.abs(S[1]) if g.has_dfirst else np.inf
    trunc = np.where(first[:, None], d_first, np.abs(est - g.prev))
    err = trunc + rnd
    q = g.chk_idx.size
    d_in[:] = (_weighted_sum(F[W - q :], g.chk_w) + g.chk_c * f0) / hd

    # Keep the best estimate per component. Without the outer/inner pair the first
    # window's indicator |D_0 - L_0| is provisional (it is small whenever the outermost
    # weights are), and any later estimate replaces it.
    ok2 = ok[:, None]
    cmp = np.where(g.prov[:, None], np.inf, g.error)
    better = ok2 & ((err < cmp) | np.isnan(g.value))
    np.copyto(g.value, est, where=better)
    np.copyto(g.error, err, where=better)
    provisional_now = first & (not trusted_first)
    g.prov[:] = np.where(ok, provisional_now, g.prov)
    np.minimum(g.best, err, out=g.best, where=ok2 & ~provisional_now[:, None])
    np.copyto(g.prev, est, where=ok2)
    np.fmin(g.lo, est, out=g.lo, where=ok2)
    np.fmax(g.hi, est, out=g.hi, where=ok2)
    np.copyto(g.cur_err, err, where=ok2)

    later = ok & ~provisional_now
    conv = later & (err <= pb.atol + pb.rtol * np.abs(est)).all(axis=1)
    floor = later & (trunc <= 2.0 * rnd).all(axis=1)
    good_before = (g.best <= 1e-6 * np.abs(g.value) + pb.atol).all(axis=1)
    diverge = later & good_before & (err > 10.0 * g.error).any(axis=1)
    restart[:] = ~ok & first & (g.restarts < _MAX_RESTARTS)
    stop_bad = ~ok & ~restart
    g.it += ok
    g.used += 1
    code[:] = -1
    code[g.it >= g.itmax] = 2
    code[diverge] = 4
    code[floor] = 1
    code[conv] = 0
    code[stop_bad] = 3


def _finish(g, pb, stopping, code, d_in, value, error, status, success):
    """Write stopped entries to the outputs.

    Success means converged, or at the rounding floor (the error estimate is then the
    rounding error). An error that grew tenfold after a good estimate (code 4) is *not*
    success: the good estimate may have been a coincidence (noise, aliasing). On failure
    the best estimate's error is unknown: report at least the spread of all estimates seen,
    so that the error does not look confident. Successful entries queue for the off-lattice
    check with ``d_in``, their window's lattice estimate (unused when none succeeded).
    """
    rows = _row_index(stopping)
    idx, val, err, c = (_rows(a, rows) for a in (g.gidx, g.value, g.error, code))
    cur, cur_err = _rows(g.prev, rows), _rows(g.cur_err, rows)
    # A converged latest estimate that contradicts the best one means two plateaus (the
    # earlier one aliased): keep the latest, which the off-lattice check then tests.
    contra = (c <= 1)[:, None] & (np.abs(cur - val) > cur_err + err)
    if contra.any():
        val = np.where(contra, cur, val)
        err = np.where(contra, cur_err, err)
    ok = (c <= 1) & np.isfinite(val).all(axis=1)
    win = None
    if ok.any():
        win = _Window(g, rows)
        blind = _unresolved(g, pb, win, val, err, c) & ok
        if blind.any():
            c = np.where(blind, 7, c)
            ok &= ~blind
    if g.st.side == 0 and ok.any():
        kink, kappa = _kinks(g, pb, win, val, ok)
        if kink.any():
            err = np.where(kink[:, None], err + kappa, err)
            c = np.where(kink, 6, c)
            ok &= ~kink
    if not ok.all():
        hi, lo = _rows(g.hi, rows), _rows(g.lo, rows)
        spread = np.fmax(np.abs(hi - val), np.abs(val - lo))
        spread = np.where(np.isfinite(spread), spread, np.inf)
        err = np.where(ok[:, None], err, np.fmax(err, spread))
    value[idx] = val
    error[idx] = err
    status[idx] = c
    success[idx] = ok
    if not ok.any():
        return
    if not ok.all():
        keep = np.flatnonzero(ok)
        rows = keep if isinstance(rows, slice) else rows[keep]
        idx, val, err = (a.take(keep, axis=0) for a in (idx, val, err))
    prow, krow, h, f0, d_in, xs, used = (
        _rows(a, rows) for a in (g.prow, g.krow, g.h, g.f0, d_in, g.xs, g.used)
    )
    g.pending.append((idx, prow, krow, h, f0, val, err, d_in, xs, used))


def _unresolved(g, pb, win, val, err, code):
    """Which stopped rows carry no information: an error not small against the signal.

    Every estimate is ``D = sum_j w_j (f_j - f(x)) / h**d`` (the weights sum to zero), so
    ``|D| <= S = sum_j |w_j| |f_j - f(x)| / h**d``. An error above ``S / 4``, or above
    half the value and a quarter of the largest plain quotient ``|f_j - f(x)| / |u_j
    h|**d`` (high-order weights make ``S`` loose), leaves less than one significant
    digit: the steps reached the resolution of the abscissae (``sin`` at ``x = 1e20``,
    where floats are 16384 apart; stencil points that round to ``x`` itself) or of the
    values (``1e15 + x``). Such rows fail instead of stopping "at the rounding floor". A
    window whose values all equal ``f(x)`` is a constant (``S = 0``).

    A row whose innermost step is below ``MIN_STEP_ULPS`` units in the last place of ``x``
    fails as well: a function whose derivative needs such steps (``sin(1e13 x)``) is
    known to a few digits at best, and every function reaches the rounding floor there
    (``sin`` at ``x = 9.2e18`` returned -1.4e-4 +- 5.7e-5 for ``cos(x) = 0.89``).
    """
    # the innermost offset within MIN_STEP_ULPS units in the last place of x: every
    # function stops "at the rounding floor" there, the unresolved ones too
    blind = win.h * np.abs(g.offs[-1]) < (MIN_STEP_ULPS * pb.eps) * win.xs
    # A converged row (code 0: err <= atol + rtol |D| with |D| <= S) is never weak: only
    # rows at the rounding floor need their window's signal.
    idx = np.flatnonzero(code == 1)
    if idx.size == 0:
        return blind
    F, f0, hd = win.rows(idx)
    err, val = err[idx], val[idx]
    with np.errstate(all="ignore"):
        dF = np.abs(F - f0)
        signal = _weighted_sum(dF, g.abs_w) / hd
        floor = pb.atol + (16.0 * _TINY) * g.st.abs_weight_sum / hd
        weak = (err > 0.25 * signal + floor) & (signal > 0)
        # (a bound that high-order weights make loose: also an error above half the value
        # and a quarter of the plain quotient |f_j - f(x)| / |u_j h|**d at the innermost
        # offsets, the most local ones)
        q1, q2 = (dF[j] * abs(g.offs[j]) ** -float(g.st.d) for j in (-2, -1))
        quotient = np.maximum(q1, q2) / hd
        weak |= (err > 0.5 * np.abs(val) + floor) & (err > 0.25 * quotient + floor) & (quotient > 0)
    blind[idx] |= weak.any(axis=1)
    return blind


class _Window:
    """The stopped rows' windows, for the checks of :func:`_finish` (views; subsets on
    demand)."""

    def __init__(self, g, rows):
        self.f0, self.h, self.xs = (_rows(a, rows) for a in (g.f0, g.h, g.xs))
        self.F = g.F[:, rows] if isinstance(rows, slice) else g.F.take(rows, axis=1)
        self.hd = (self.h**g.st.d)[:, None]

    def rows(self, idx):
        """``F (W, r, m)``, ``f(x) (r, m)`` and ``h**d (r, 1)`` of the rows ``idx``."""
        return self.F.take(idx, axis=1), self.f0.take(idx, axis=0), self.hd.take(idx, axis=0)


def _kinks(g, pb, win, val, ok):
    """Which stopped central rows sit on a kink, jump or cusp; costs no evaluations.

    The central estimate uses only one parity of the window's values, so ``|x|`` at 0
    gives 0 with a rounding-level error. The other part (see :func:`_kink_weights`) is
    fitted on the window's levels for the coefficients a smooth ``f`` cannot have. Such a
    coefficient ``kappa_k`` is significant when it exceeds ``KINK_FACTOR`` times the
    spread of its three fits (all levels, outer, inner) plus rounding, or when the inner
    fit's coefficient is no smaller than the outer one's (a cusp ``|u|**a`` with ``a <=
    1`` grows on smaller steps) and exceeds twice that spread. A row whose significant
    ``sum_k kappa_k`` exceeds the tolerance (for ``|x|`` at 0: half the one-sided slopes'
    disagreement, 1) fails, and that sum (each ``kappa_k`` plus its spread and rounding)
    is added to its error.

    Returns ``(kink (R,), kappa (R, m))`` for the rows of ``win`` (group ``g``).
    """
    R, m = val.shape
    kink = np.zeros(R, dtype=bool)
    kappa = np.zeros(val.shape)
    km = _kink_matrices(g.offs.tobytes(), g.st.d)
    if km is None:
        return kink, kappa
    values, centre, abs_full, abs_centre, slope_w = km
    T = abs_full.shape[1]
    low_order = g.st.d <= 2
    factor = KINK_FACTOR if low_order else KINK_FACTOR_HIGH
    growth = 1.0 if low_order else KINK_GROWTH_HIGH
    W = win.F.shape[0]
    N = R * m
    with np.errstate(all="ignore"):  # huge values may overflow: never significant then
        # (T, N) arrays, one row per tested power: contiguous rows, reductions over T
        hd = np.repeat(win.hd[:, 0], m) if m > 1 else win.hd[:, 0]
        fits = values.T @ win.F.reshape(W, N)  # (3T, N)
        fits += centre[:, None] * win.f0.reshape(N)
        fits /= hd
        k_full, k_out, k_in = fits[:T], fits[T : 2 * T], fits[2 * T :]
        kap = np.abs(k_full)
        spread = np.fmax(
            np.abs(k_out - k_in), np.fmax(np.abs(k_full - k_out), np.abs(k_full - k_in))
        )
        # both tests need kap > spread: the rest only for those rows
        cand = np.logical_or.reduce(kap > spread, axis=0).reshape(R, m)
        idx = np.flatnonzero(ok & cand.any(axis=1))
        if idx.size == 0:
            return kink, kappa
        F, f0, hdr = win.rows(idx)
        flat = (idx[:, None] * m + np.arange(m)).ravel()  # the rows' entries in N
        kap, spread, k_out, k_in = (a[:, flat] for a in (kap, spread, k_out, k_in))
        # rounding: 16 eps sum |w_j| |f_j| (with |f_j| <= |f(x)| + |f_j - f(x)|), and that
        # of x + u (up to eps |x| / 2 in u) times the slope |f(x + u) - f(x)| / |u|
        dF = np.abs(F - f0).reshape(W, -1)
        abs_f0 = np.abs(f0).reshape(-1)
        noise = abs_full.T @ dF + (abs_full.sum(axis=0) + abs_centre)[:, None] * abs_f0
        noise *= 16.0 * pb.eps
        shift = np.repeat((0.5 * pb.eps) * win.xs[idx] / win.h[idx], m)
        noise += shift * (slope_w.T @ dF)
        floor = 4.0 * noise / np.repeat(hdr[:, 0], m)
        sig = kap > factor * spread + floor
        sig |= (
            (k_out * k_in > 0)
            & (np.abs(k_in) >= growth * np.abs(k_out))
            & (kap > 2.0 * spread + floor)
        )
        # (the fitted coefficient plus what it may be off by)
        add = np.where(sig & np.isfinite(kap), kap + spread + floor, 0.0).sum(axis=0)
        kappa[idx] = add.reshape(idx.size, m)
        kink[idx] = (kappa[idx] > pb.atol + pb.rtol * np.abs(val[idx])).any(axis=1)
    return kink, kappa


def _row_index(mask):
    """The rows where ``mask`` holds: ``slice(None)`` when all do (views, no copies)."""
    return slice(None) if mask.all() else np.flatnonzero(mask)


def _rows(a, rows):
    """``a[rows]`` along the first axis: a view for a slice, else ``take`` (faster than
    fancy indexing on 2-D arrays)."""
    return a[rows] if isinstance(rows, slice) else a.take(rows, axis=0)


# A point with at least this many successful central first derivatives has them screened
# together by one check along their combined direction (see _check).
SCREEN_MIN = 3


def _pending_rows(p, mask):
    """The queued entries where ``mask`` holds, of the pending tuple ``p``."""
    rows = _row_index(mask)
    return tuple(_rows(a, rows) for a in p)


def _check(groups, pb, ctx, value, error, status, success):
    """Off-lattice check of every successful entry.

    All stencil points lie on the lattice ``x + h0 2**-k u`` (or ``2**(-k/2)``), and a
    function oscillating faster than the steps can alias into a smooth-looking pattern on
    it that converges to a wrong derivative. The check re-evaluates the lowest-order
    formula on the window's innermost offsets scaled by an irrational ratio rho: for a
    smooth function its deviation from the converged value shrinks (by ``rho**s``) from
    the same formula's deviation on the lattice, ``|D_c - D| <= 1.5 |D_in - D| + 2 err``
    up to rounding; for an aliased one it does not, and the entry is marked failed with
    the discrepancy in its error. Costs q = 1 (central, d = 1: a one-sided difference
    quotient), 2 (central, d = 2), 4 (central, d >= 3) or d (one-sided) evaluations per
    successful derivative.

    Central first derivatives along the unit directions at one point (a gradient's or a
    Jacobian's entries), when there are at least ``SCREEN_MIN`` of them, are first screened
    together, for two evaluations per point instead of one per entry: see :func:`_screen`.
    Entries of a point that fails the screen get the check above, in a second batch.
    """
    todo = []
    for g in groups:
        if g.pending:
            p = g.pending[0]
            if len(g.pending) > 1:
                p = tuple(np.concatenate(a) for a in zip(*g.pending))
            todo.append((g, p))
        g.pending = []
    screen = None
    if ctx.unit:
        for i, (g, p) in enumerate(todo):
            if g.st.d == 1 and g.st.side == 0:
                many = np.bincount(p[1])[p[1]] >= SCREEN_MIN
                if many.any():
                    screen, todo[i] = (g, _pending_rows(p, many)), (g, _pending_rows(p, ~many))
                break
    failed = []
    _check_entries(todo, pb, ctx, error, status, success, failed)
    if screen is not None:
        g, p = screen
        retry = _screen(g, p, pb, ctx.dcol)
        if retry.any():
            _check_entries([(g, _pending_rows(p, retry))], pb, ctx, error, status, success, failed)
    if not failed:
        return np.empty(0, np.int64), np.empty(0), np.empty(0, np.int64)
    failed, h_fail, used_fail = (np.concatenate(a) for a in zip(*failed))
    order = np.argsort(failed)
    return failed[order], h_fail[order], used_fail[order]


def _screen(g, p, pb, dcol):
    """Which pending entries of ``p`` need their own check after the screen of their point.

    For a point ``x_p`` and its entries ``r`` (unit directions ``e_r``, final steps
    ``h_r``), the screen is the check applied to ``g_p(t) = f(x_p + t w_p)`` with ``w_p =
    sum_r h_r e_r``. Its derivative is ``D_w = sum_r h_r D_r``, with error at most ``sum_r
    h_r err_r``; two evaluations, at the innermost offset ``t = u`` (on every entry's
    lattice) and at ``t = rho u`` (off it), give the difference quotients ``D_in`` and
    ``D_c``, which must satisfy ``|D_c - D_w| <= 1.5 |D_in - D_w| + 2 err_w`` up to
    rounding. An entry aliased on its lattice shifts ``D_w`` by ``h_r`` times its error,
    which the off-lattice quotient does not follow, exactly as in the per-entry check.
    The rounding term allows for ``f`` and for the rounded abscissae (``eps |x_i| / 2`` in
    every coordinate, times the slope ``|D_r|``).
    """
    _, prow, krow, h, _, val, err, _, xs, _ = p
    P, n = pb.x.shape
    m = val.shape[1]
    points = np.flatnonzero(np.bincount(prow, minlength=P))
    slot = np.empty(P, dtype=np.int64)
    slot[points] = np.arange(points.size)
    s = slot[prow]  # each entry's point, numbered 0 .. points.size - 1
    w = np.zeros((points.size, n))
    np.put(w, s * n + dcol.take(krow), h)  # w[s, dcol[krow]] = h: one per (point, direction)
    u = g.chk_offs[0]
    xp = pb.x.take(points, axis=0)
    pts = np.empty((2 * points.size, n), order="F")
    pts[0::2] = xp + u * w
    pts[1::2] = xp + (CHECK_RATIO * u) * w
    F = pb.evaluate(pts).reshape(points.size, 2, m)

    def per_point(a):
        return np.stack([np.bincount(s, a[:, k], points.size) for k in range(m)], axis=1)

    D_w = per_point(h[:, None] * val)
    err_w = per_point(h[:, None] * err)
    slope_w = per_point(xs[:, None] * np.abs(val))
    f0p = pb.f0.take(points, axis=0)
    c, wc = g.chk_c, g.chk_w[0]
    d_in = wc * F[:, 0] + c * f0p
    d_c = (wc * F[:, 1] + c * f0p) / CHECK_RATIO
    noise = (16.0 * pb.eps) * (abs(wc) * np.abs(F[:, 1]) + abs(c) * np.abs(f0p)) / CHECK_RATIO
    noise += (0.5 * pb.eps) * slope_w / (CHECK_RATIO * abs(u))
    dev = np.abs(d_c - D_w)
    bad = ~np.isfinite(d_c) | (dev > 1.5 * np.abs(d_in - D_w) + 2.0 * err_w + 2.0 * noise)
    return bad.any(axis=1)[s]


def _check_entries(todo, pb, ctx, error, status, success, failed):
    """The per-entry check of the pending rows in ``todo`` (``(group, pending)`` pairs),
    in one batch of evaluations; appends ``(entries, step at which each stopped,
    iterations used)`` of the entries that failed to ``failed``.
    """
    todo = [(g, p) for g, p in todo if p[0].size]
    if not todo:
        return
    blocks = [(p[1], p[2], p[3] * CHECK_RATIO, g.chk_offs) for g, p in todo]
    fv = _evaluate_blocks(pb.evaluate, pb.x, ctx.dirs, ctx.dcol, blocks, ctx.unit)
    for (g, (idx, _, _, h, f0, val, err, d_in, xs, used)), Fc in zip(todo, fv):
        hc = h * CHECK_RATIO
        bad, new_err = _check_rows(g, pb.eps, Fc, f0, val, err, d_in, xs, hc, hc**g.st.d)
        if bad.any():
            ib = idx[bad]
            error[ib] = new_err[bad]
            status[ib] = 5
            success[ib] = False
            failed.append((ib, h[bad], used[bad]))


def _check_rows(g, eps, Fc, f0, val, err, d_in, xs, hc, hd):
    """Which rows of group ``g`` fail the off-lattice check, and their enlarged errors.

    ``Fc`` holds the values at the check points, ``(q, R, m)``; ``hc`` the check's steps
    and ``hd`` their ``d``-th powers, ``(R,)``.
    """
    hd = hd[:, None]
    d_c = (_weighted_sum(Fc, g.chk_w) + g.chk_c * f0) / hd
    noise = _weighted_sum(np.abs(Fc), g.abs_chk_w) + abs(g.chk_c) * np.abs(f0)
    noise *= 16.0 * eps / hd
    slope = _weighted_sum(np.abs(Fc - f0), g.chk_w_over_u)
    noise += (0.5 * eps) * xs[:, None] * slope / (hd * hc[:, None])
    dev = np.abs(d_c - val)
    dev_in = np.abs(d_in - val)
    bad = (~np.isfinite(d_c) | (dev > 1.5 * dev_in + 2.0 * err + 2.0 * noise)).any(axis=1)
    return bad, np.fmax(err, np.where(np.isfinite(dev), 2.0 * dev + dev_in, np.inf))
