"""Finite-difference weights on arbitrary points (Fornberg's algorithm), vectorised over rows."""

from __future__ import annotations

import numpy as np

__all__ = ["boundary_width", "fornberg_weights", "interior_width", "split_scale"]


def fornberg_weights(z, x, order: int, scale: float = 1.0) -> np.ndarray:
    """Weights of the ``order``-th derivative at ``z`` from samples at ``x``.

    Parameters
    ----------
    z : (rows,) array_like
        Evaluation points, one per row.
    x : (rows, width) array_like
        Sample points of each row's stencil (distinct within a row).
    order : int
        Derivative order, ``0 <= order < width``.
    scale : float, optional
        Length unit of the result (default 1): the weights returned are those of the
        derivative in coordinates divided by ``scale``, so that
        ``sum(w[r] * f(x[r])) / scale**order ≈ f^(order)(z[r])``. A ``scale`` near the
        spacing keeps the weights of order one at any spacing, where ``1 / h**order`` would
        overflow or underflow.

    Returns
    -------
    (rows, width) ndarray
        ``w`` with ``sum(w[r] * f(x[r])) ≈ scale**order * f^(order)(z[r])``, exact for
        polynomials of degree ``< width``.

    Notes
    -----
    Fornberg's recursion builds the weights of every derivative up to ``order`` for the
    first ``i`` points from those for ``i - 1`` points, in O(width² · order) operations
    per row. All arithmetic is done on whole columns, so many rows cost one pass. Each row
    is computed in its own coordinates ``(x - z) / u``, with ``u`` a power of two within a
    factor 2 of the row's mean point distance (an exact scaling; the points of a row are
    taken to be in increasing or decreasing order, as in every stencil), so the products
    of distances in the recursion stay of order one whatever the spacing (1e-300 or
    1e300); the weights are then converted to the unit ``scale``.

    References
    ----------
    B. Fornberg, "Generation of finite difference formulas on arbitrarily spaced grids",
    Math. Comp. 51 (1988), 699-706.

    Examples
    --------
    >>> fornberg_weights([0.0], [[-1.0, 0.0, 1.0]], 1)
    array([[-0.5,  0. ,  0.5]])
    >>> tiny = 2.0**-1000  # 1 / tiny**2 would overflow in the unscaled recursion
    >>> fornberg_weights([0.0], [[-tiny, 0.0, tiny]], 1, scale=tiny)
    array([[-0.5,  0. ,  0.5]])
    """
    z = np.asarray(z, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    rows, width = x.shape
    d = x - z[:, None]
    with np.errstate(all="ignore"):
        # stencil points come in increasing or decreasing order: first to last is the span
        mean_gap = np.abs(d[:, -1] - d[:, 0]) / max(width - 1, 1)
        usable = np.isfinite(mean_gap) & (mean_gap > 0)
        _, exponent = np.frexp(np.where(usable, mean_gap, 1.0))
        unit = np.where(usable, np.ldexp(1.0, exponent - 1), 1.0)
    w = _fornberg_unit(d / unit[:, None], order)
    if order == 0:
        return w
    with np.errstate(over="ignore", under="ignore"):
        return w * ((scale / unit) ** order)[:, None]


def _fornberg_unit(t, order: int) -> np.ndarray:
    """Fornberg's recursion for the derivative at 0 from points ``t`` (rows, width).

    The recursion runs on the transposed, (width, rows) layout, so every column operation
    reads and writes contiguous memory; the result is returned as a (rows, width) view.
    """
    rows, width = t.shape
    tt = np.ascontiguousarray(t.T)
    c = np.zeros((order + 1, width, rows))
    c[0, 0] = 1.0
    c1 = np.ones(rows)
    c4 = tt[0]
    for i in range(1, width):
        mn = min(i, order)
        c2 = np.ones(rows)
        c5 = c4
        c4 = tt[i]
        for j in range(i):
            c3 = tt[i] - tt[j]
            c2 = c2 * c3
            if j == i - 1:
                for k in range(mn, 0, -1):
                    c[k, i] = c1 * (k * c[k - 1, i - 1] - c5 * c[k, i - 1]) / c2
                c[0, i] = -c1 * c5 * c[0, i - 1] / c2
            for k in range(mn, 0, -1):
                c[k, j] = (c4 * c[k, j] - k * c[k - 1, j]) / c3
            c[0, j] = c4 * c[0, j] / c3
        c1 = c2
    return c[order].T


def split_scale(w, h: float, order: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    """Weights and a divisor, in ``dtype``, that apply ``w / h**order`` to samples.

    All of ``h**-order`` goes into the weights where that is representable in ``dtype``
    (then the divisor is 1, as for ordinary spacings); otherwise as much of it as fits
    (``h**-a`` for the largest ``a``) and the rest, ``h**(order - a)``, becomes the divisor
    that kernels divide the weighted sum by. So a derivative is computed correctly wherever
    it is representable, at spacings from 1e-300 to 1e300.
    """
    dtype = np.dtype(dtype)
    info = np.finfo(dtype)
    w = np.asarray(w, dtype=np.float64)
    nonzero = w != 0
    h = np.float64(h)
    if not nonzero.any():
        return w.astype(dtype), np.ones((), dtype=dtype)
    with np.errstate(all="ignore"):
        for a in range(order, -1, -1):
            scaled = w / h**a if a else w
            divisor = h ** (order - a)
            mags = np.abs(scaled)
            largest = mags.max()
            smallest = np.min(mags, where=nonzero, initial=np.inf)
            fits = largest <= info.max and smallest >= info.tiny  # False for NaN and inf
            if fits and info.tiny <= abs(divisor) <= info.max:
                return scaled.astype(dtype), np.asarray(divisor, dtype=dtype)
        return (w / h**order).astype(dtype), np.ones((), dtype=dtype)


def interior_width(order: int, accuracy: int) -> int:
    """Points in the centred stencil of derivative ``order`` with error O(h^accuracy)."""
    return 2 * ((order + 1) // 2) - 1 + accuracy


def boundary_width(order: int, accuracy: int) -> int:
    """Points in the one-sided stencil of derivative ``order`` with error O(h^accuracy)."""
    return order + accuracy
