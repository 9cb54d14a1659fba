"""Numba kernels for large batches (imported lazily; nothing here runs at import time)."""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def fill_points(x, directions, prow, krow, h, offs, out, start):  # pragma: no cover - jitted
    """``out[start + r*c + a, j] = x[prow[r], j] + h[r] * offs[a] * directions[krow[r], j]``.

    ``out`` is Fortran-ordered ``(N, n)``; the loop runs column by column so that writes
    are contiguous, parallel over stencil rows.
    """
    R = prow.shape[0]
    c = offs.shape[0]
    n = x.shape[1]
    for j in range(n):
        for r in range(R):
            p = prow[r]
            v = directions[krow[r], j]
            base = x[p, j]
            hr = h[r] * v
            i0 = start + r * c
            for a in range(c):
                out[i0 + a, j] = base + hr * offs[a]


def warm_up():
    """Compile (or load from the cache) every kernel once."""
    x = np.zeros((1, 1))
    out = np.empty((1, 1), order="F")
    fill_points(x, np.ones((1, 1)), np.zeros(1, np.int64), np.zeros(1, np.int64),
                np.ones(1), np.ones(1), out, 0)
