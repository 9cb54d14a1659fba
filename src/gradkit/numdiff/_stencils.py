"""Nested finite-difference stencils on a geometric step sequence.

A *window* is a fixed pattern of offsets ``u_j`` (in units of the current base step ``h``)
plus the centre point ``0``. After each iteration the base step halves and the window
slides: its two largest offsets are dropped and two new, smaller ones are appended, so
every iteration costs two new function evaluations and reuses all the others.

- central, derivative order ``d``, accuracy ``p``: offsets ``+-2**-m`` for
  ``m = 0 .. M-1`` with ``M = p/2 + (d-1)//2``, ordered ``[+1, -1, +1/2, -1/2, ...]``.
- one-sided (direction ``s = +-1``): offsets ``s * 2**(-m/2)`` for ``m = 0 .. M-1`` with
  ``M = d + p - 1`` (ratio sqrt(2) between points, so halving ``h`` slides by two points).

The weights of the interpolating polynomial's ``d``-th derivative on these nodes equal the
Richardson extrapolation of the plain differences over the step sequence (Richardson 1911;
the nested-stencil form is the one scipy.differentiate.derivative uses). The *low* weights
use the window without its two largest offsets and the *outer* weights the window without
its two smallest: two estimates of accuracy ``p - 2`` at successive steps, whose difference
is the first window's error indicator (what the next iteration's indicator would be for a
scheme of accuracy ``p - 2``, and so a bound on the full estimate's error).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np


@dataclass(frozen=True)
class Stencil:
    """Offsets and weights of one sliding window (see module docstring)."""

    offsets: np.ndarray  # (W,) in units of the base step, largest first
    weights: np.ndarray  # (W,) derivative = (weights @ f(x + h*offsets) + wc*f(x)) / h**d
    center: float
    low_weights: np.ndarray | None  # (W,), zero on the two largest offsets
    low_center: float
    outer_weights: np.ndarray | None  # (W,), zero on the two smallest offsets
    outer_center: float
    abs_weight_sum: float  # sum |w| incl. centre: rounding-error amplification
    d: int = 1
    side: int = 0


def _solve_weights(nodes: np.ndarray, d: int) -> np.ndarray:
    """Weights ``w`` with ``sum w_j p(nodes_j) = p^(d)(0)`` for polynomials of degree < len."""
    k = len(nodes)
    # Solve in extended precision when available; nodes are in [-1, 1] and k <= 20.
    a = np.vander(nodes.astype(np.longdouble), k, increasing=True).T
    b = np.zeros(k, dtype=np.longdouble)
    b[d] = math.factorial(d)
    try:
        w = np.linalg.solve(a.astype(np.float64), b.astype(np.float64))
    except np.linalg.LinAlgError:  # pragma: no cover - nodes are distinct by construction
        raise
    # One step of iterative refinement in long double.
    r = b - a @ w.astype(np.longdouble)
    w = w + np.linalg.solve(a.astype(np.float64), r.astype(np.float64))
    return np.asarray(w, dtype=np.float64)


@lru_cache(maxsize=64)
def stencil(d: int, accuracy: int, side: int) -> Stencil:
    """The sliding window for derivative order ``d``; ``side`` 0 central, +1/-1 one-sided."""
    if side == 0:
        m_count = accuracy // 2 + (d - 1) // 2
        mags = 2.0 ** -np.arange(m_count)
        offsets = np.empty(2 * m_count)
        offsets[0::2] = mags
        offsets[1::2] = -mags
    else:
        m_count = d + accuracy - 1
        offsets = side * 2.0 ** (-np.arange(m_count) / 2.0)

    def weights_for(offs):
        nodes = np.concatenate(([0.0], offs))
        w = _solve_weights(nodes, d)
        wc, wj = w[0], w[1:]
        if side == 0:
            # Enforce the exact (anti)symmetry of central weights.
            sign = -1.0 if d % 2 else 1.0
            pos, neg = wj[0::2], wj[1::2]
            avg = 0.5 * (pos + sign * neg)
            wj = wj.copy()
            wj[0::2] = avg
            wj[1::2] = sign * avg
            if d % 2:
                wc = 0.0
            else:
                wc = -2.0 * avg.sum()
        else:
            wc = -wj.sum() if d > 0 else wc
        return wj, float(wc)

    w, wc = weights_for(offsets)
    for arr in (offsets, w):
        arr.setflags(write=False)  # shared through the cache: read-only
    low_w, low_c, out_w, out_c = None, 0.0, None, 0.0
    # The low-order estimates need enough nodes for derivative order d.
    if len(offsets) - 2 + 1 > d and (side != 0 or accuracy > 2):
        lw, low_c = weights_for(offsets[2:])
        low_w = np.concatenate(([0.0, 0.0], lw))
        ow, out_c = weights_for(offsets[:-2])
        out_w = np.concatenate((ow, [0.0, 0.0]))
        low_w.setflags(write=False)
        out_w.setflags(write=False)
    return Stencil(
        offsets=offsets,
        weights=w,
        center=wc,
        low_weights=low_w,
        low_center=low_c,
        outer_weights=out_w,
        outer_center=out_c,
        abs_weight_sum=float(np.abs(w).sum() + abs(wc)),
        d=d,
        side=side,
    )
