"""Numba kernels for large batches (imported lazily; nothing here runs at import time)."""

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


def warm_up():
    """Compile (or load from the cache) every kernel once."""
    x = np.zeros((1, 1))
    out = np.empty((1, 1), order="F")
    fill_points(
        x,
        np.ones((1, 1)),
        np.zeros(1, np.int64),
        np.zeros(1, np.int64),
        np.ones(1),
        np.ones(1),
        out,
        0,
    )
