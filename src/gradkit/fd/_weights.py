"""Finite-difference weights on arbitrary points (Fornberg's algorithm), vectorised over rows."""

from __future__ import annotations

import numpy as np

__all__ = ["fornberg_weights", "interior_width", "boundary_width"]


def fornberg_weights(z, x, order: int) -> np.ndarray:
    """Weights of the ``order``-th derivative at ``z`` from samples at ``x``.

    Parameters
    ----------
    z : (rows,) array_like
        Evaluation points, one per row.
    x : (rows, width) array_like
        Sample points of each row's stencil (distinct within a row).
    order : int
        Derivative order, ``0 <= order < width``.

    Returns
    -------
    (rows, width) ndarray
        ``w`` with ``sum(w[r] * f(x[r])) ≈ f^(order)(z[r])``, exact for polynomials of
        degree ``< width``.

    Notes
    -----
    Fornberg's recursion builds the weights of every derivative up to ``order`` for the
    first ``i`` points from those for ``i - 1`` points, in O(width² · order) operations
    per row. All arithmetic is done on whole columns, so many rows cost one pass.

    References
    ----------
    B. Fornberg, "Generation of finite difference formulas on arbitrarily spaced grids",
    Math. Comp. 51 (1988), 699-706.

    Examples
    --------
    >>> fornberg_weights([0.0], [[-1.0, 0.0, 1.0]], 1)
    array([[-0.5,  0. ,  0.5]])
    """
    z = np.asarray(z, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    rows, width = x.shape
    c = np.zeros((order + 1, rows, width))
    c[0, :, 0] = 1.0
    c1 = np.ones(rows)
    c4 = x[:, 0] - z
    for i in range(1, width):
        mn = min(i, order)
        c2 = np.ones(rows)
        c5 = c4
        c4 = x[:, i] - z
        for j in range(i):
            c3 = x[:, i] - x[:, j]
            c2 = c2 * c3
            if j == i - 1:
                for k in range(mn, 0, -1):
                    c[k, :, i] = c1 * (k * c[k - 1, :, i - 1] - c5 * c[k, :, i - 1]) / c2
                c[0, :, i] = -c1 * c5 * c[0, :, i - 1] / c2
            for k in range(mn, 0, -1):
                c[k, :, j] = (c4 * c[k, :, j] - k * c[k - 1, :, j]) / c3
            c[0, :, j] = c4 * c[0, :, j] / c3
        c1 = c2
    return c[order]


def interior_width(order: int, accuracy: int) -> int:
    """Points in the centred stencil of derivative ``order`` with error O(h^accuracy)."""
    return 2 * ((order + 1) // 2) - 1 + accuracy


def boundary_width(order: int, accuracy: int) -> int:
    """Points in the one-sided stencil of derivative ``order`` with error O(h^accuracy)."""
    return order + accuracy
