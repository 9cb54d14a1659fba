"""The error estimate of ``return_error=True``, honest on grids that do not resolve ``f``.

For a derivative ``D_p`` of order of accuracy ``p`` the classic estimate is
``|D_p - D_{p+2}|``: on a grid that resolves the function, ``D_{p+2}`` is far more accurate
and the difference is the error of ``D_p``. Where the grid does not resolve the function
(a few points per wavelength), successive orders do not converge and that difference
under-reports the error (by 2-3x on ``sin`` sampled every 1-2 radians). So the convergence
of successive orders is checked locally:

- ``rho`` is the larger of the ratios ``|D_{p+2} - D_{p+4}| / |D_p - D_{p+2}|`` and
  ``|D_p - D_{p+2}| / |D_{p-2} - D_p|`` (the factor by which the error shrinks per two
  orders; differences below ``1000 eps max|D_p|``, rounding noise, count as zero), and its
  maximum over a window of ``p/2 + 1`` points on each side (the stencils' reach) is taken,
  so one accidental agreement of two orders does not hide a bad region.
- Resolved (``rho <= RESOLVED_RATIO``): the estimate is
  ``SAFETY * |D_p - D_{p+2}| / (1 - rho)``, the geometric-series bound on the error
  (``D_{p+2}`` is itself off by about ``rho`` times the error) with a 2% margin: between
  1.02 and 1.46 times the classic estimate.
- Not resolved (``rho > RESOLVED_RATIO``): the estimate is twice the largest of
  ``|D_p - D_{p+2}|`` and ``|D_p - D_{p-2}|`` over the point and its two neighbours, an
  order-of-magnitude statement that the result has not converged.

An axis too short for ``D_{p+4}`` uses the lower ratio only; one too short for any third
order gets ``2 |D_p - D_{p+2}|``.
"""

from __future__ import annotations

import numpy as np

from ._engine import is_dask_array

__all__ = ["NOISE", "RESOLVED_RATIO", "SAFETY", "error_estimate"]

RESOLVED_RATIO = 0.3
SAFETY = 1.02
NOISE = 1000  # differences below NOISE * eps * max|D_p| are rounding noise


def error_estimate(compute, p: int, result, axes, periodic):
    """The error estimate of ``result``, a derivative of order of accuracy ``p``.

    ``compute(q)`` returns the same derivative at order of accuracy ``q`` (in the compute
    dtype), raising ``ValueError`` when an axis is too short for it. ``axes`` are the
    differentiated axes and ``periodic`` maps each to whether it wraps.
    """
    mod = _module(result)
    mid = _plain(result)
    eps = np.finfo(mid.dtype).eps if mid.dtype.kind in "fc" else np.finfo(np.float64).eps
    floor = NOISE * eps * abs(mid).max() if mid.size else 0
    try:
        upper = compute(p + 2)
    except ValueError as exc:
        raise ValueError(
            f"`return_error`=True compares the result with the derivative two orders "
            f"higher (order of accuracy {p + 2}), and the axis is too short for it: {exc}"
        ) from None
    e_up = abs(mid - upper)
    ratios = []
    lower_pair = e_up
    if p >= 4:
        lower_pair = abs(compute(p - 2) - mid)
        ratios.append(_ratio(mod, e_up, lower_pair, floor))
    try:
        ratios.append(_ratio(mod, abs(upper - compute(p + 4)), e_up, floor))
    except ValueError:  # too few points for the order p + 4
        pass
    if not ratios:
        return 2 * e_up
    rho = ratios[0] if len(ratios) == 1 else mod.maximum(*ratios)
    rho = _window_max(rho, axes, p // 2 + 1, periodic)
    capped = mod.minimum(rho, RESOLVED_RATIO)
    resolved = SAFETY * e_up / (1 - capped)
    spread = _window_max(mod.maximum(e_up, lower_pair), axes, 1, periodic)
    unresolved = 2 * mod.maximum(e_up, spread)
    return mod.where(rho <= RESOLVED_RATIO, resolved, unresolved)


def _ratio(mod, later, earlier, floor):
    """``later / earlier`` with differences at rounding level (``<= floor``) as zero:
    0 when both are, inf when only ``earlier`` is."""
    later = mod.where(later > floor, later, 0)
    big = earlier > floor
    with np.errstate(divide="ignore", invalid="ignore"):
        quotient = later / mod.where(big, earlier, 1)
    return mod.where(big, quotient, mod.where(later > 0, np.inf, 0))


def _module(a):
    if is_dask_array(a):
        import dask.array as da

        return da
    return np


def _plain(a):
    """``a`` without a mask (masked results are re-masked by the caller)."""
    return np.ma.getdata(a) if isinstance(a, np.ma.MaskedArray) else a


def _window_max(a, axes, radius: int, periodic):
    """The maximum of ``a`` over ``radius`` points on each side along each of ``axes``,
    ignoring NaN (a NaN spoils only the points whose own values are NaN)."""
    mod = _module(a)
    for axis in axes:
        n = a.shape[axis]
        if n == 0 or radius == 0:
            continue
        r = min(radius, n - 1) if not periodic[axis] else radius
        if r <= 0:
            continue
        widths = [(r, r) if i == axis else (0, 0) for i in range(a.ndim)]
        padded = mod.pad(a, widths, mode="wrap" if periodic[axis] else "edge")
        out = a
        for s in range(2 * r + 1):
            index = [slice(None)] * a.ndim
            index[axis] = slice(s, s + n)
            out = mod.fmax(out, padded[tuple(index)])
        a = out
    return a
