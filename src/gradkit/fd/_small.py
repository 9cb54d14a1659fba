"""Plain-numpy answers for small arrays, where the compiled kernels cannot win.

In a fresh process, importing numba and loading a dispatcher costs most of a second, and
even warm, a kernel launch and the plan of numpy's formulas cost more than the arithmetic
of a few thousand samples. Below the sizes here (measured against the warm kernels by
``benchmarks/bench_fd.py --small``) the derivatives are computed by a few whole-array
numpy operations, and numba is never imported: numpy.gradient's formulas on arrays of any
dimension, stencil plans on 1-D arrays (on more dimensions the kernels win at every size).

Two routines:

- :func:`numpy_formulas` is numpy.gradient's own arithmetic along one axis (the same
  expressions on the same operands, so the same bits, dtypes of every intermediate
  included);
- :func:`run_plan_numpy` applies any :class:`~gradkit.fd._plan.AxisPlan` with the kernels'
  order of operations (``w[0] f[0] + w[1] f[1] + ...`` left to right, then ``/ divisor``),
  so its results are the kernels' to rounding (bit for bit where numpy's elementwise
  arithmetic rounds as the compiled loop does, which is everywhere for real data).

Both are used only when :func:`gradkit._parallel.small_inputs_enabled` is true (tests of
the kernels turn it off).
"""

from __future__ import annotations

import math

import numpy as np

from .._parallel import small_inputs_enabled

__all__ = [
    "SMALL_FORMULAS",
    "SMALL_PLANS",
    "fast_gradient",
    "numpy_formulas",
    "run_plan_numpy",
    "use_formulas",
    "use_plans",
]

SMALL_FORMULAS = 32_768
"""Elements of ``f`` up to which numpy.gradient's formulas (``accuracy=None``) run in numpy:
numpy's own arithmetic without its parsing, 0.8-0.9x numpy.gradient's time per call, and
below the warm kernels' time up to about 64k elements (``bench_fd.py --small``)."""

SMALL_PLANS = 16_384
"""Points of a 1-D ``f`` (a single line of samples) up to which stencil plans
(``accuracy``, periodic, the other operators, error estimates, dask blocks) are applied in
numpy, at 0.95-1.1x the warm kernels' time. On arrays of two or more dimensions the
kernels' single fused pass costs half of the numpy path's per-axis passes at every size
measured (512 to 64k elements), so plans there always run on the kernels."""

_FAST_KINDS = frozenset("fiu")


def use_formulas(size: int) -> bool:
    """Whether numpy.gradient's formulas on ``size`` elements run in numpy."""
    return size <= SMALL_FORMULAS and small_inputs_enabled()


def use_plans(shape3) -> bool:
    """Whether a plan applied to a (pre, n, post) array runs in numpy: a single line
    (``pre == post == 1``) of at most `SMALL_PLANS` points."""
    pre, n, post = shape3
    return pre == 1 and post == 1 and n <= SMALL_PLANS and small_inputs_enabled()


def numpy_formulas(f, axis: int, ax_dx, edge_order: int, out=None):
    """numpy.gradient's derivative of ``f`` along ``axis``, operation for operation.

    Parameters
    ----------
    f : ndarray
        C-contiguous samples in the dtype numpy differences them in (a float dtype).
    axis : int
        The axis, ``0 <= axis < f.ndim``; ``f`` has at least ``edge_order + 1`` points on it.
    ax_dx : scalar or (n - 1,) ndarray
        What numpy.gradient uses as the spacing: the scalar given, or the coordinate
        differences (see :class:`~gradkit.fd._spacing.AxisSpacing`).
    edge_order : {1, 2}
        Order of the one-sided differences at the ends.
    out : ndarray, optional
        A C-contiguous array of ``f``'s shape and dtype to write into.

    Returns
    -------
    ndarray
        The derivative, in ``f``'s dtype.
    """
    if out is None:
        out = np.empty(f.shape, dtype=f.dtype)
    if f.ndim == 1:
        at = _one_axis
    else:
        head = (slice(None),) * axis
        tail = (slice(None),) * (f.ndim - axis - 1)

        def at(s):
            return (*head, s, *tail)

    # numpy.gradient tests np.ndim(ax_dx) == 0; spacings here are numbers, 0-d arrays
    # or 1-D arrays of differences, and np.ndim costs more than the arithmetic of 10 points
    uniform = not (isinstance(ax_dx, np.ndarray) and ax_dx.ndim)
    inner, lower, upper = at(_INNER), at(_LOWER), at(_UPPER)
    if uniform:
        out[inner] = (f[upper] - f[lower]) / (2.0 * ax_dx)
    else:
        dx1 = ax_dx[0:-1]
        dx2 = ax_dx[1:]
        shape = [1] * f.ndim
        shape[axis] = -1
        a = (-(dx2) / (dx1 * (dx1 + dx2))).reshape(shape)
        b = ((dx2 - dx1) / (dx1 * dx2)).reshape(shape)
        c = (dx1 / (dx2 * (dx1 + dx2))).reshape(shape)
        out[inner] = a * f[lower] + b * f[inner] + c * f[upper]
    first, second, last, second_last = at(0), at(1), at(-1), at(-2)
    if edge_order == 1:
        dx_0 = ax_dx if uniform else ax_dx[0]
        dx_n = ax_dx if uniform else ax_dx[-1]
        out[first] = (f[second] - f[first]) / dx_0
        out[last] = (f[last] - f[second_last]) / dx_n
        return out
    if uniform:
        a, b, c = -1.5 / ax_dx, 2.0 / ax_dx, -0.5 / ax_dx
    else:
        dx1, dx2 = ax_dx[0], ax_dx[1]
        a = -(2.0 * dx1 + dx2) / (dx1 * (dx1 + dx2))
        b = (dx1 + dx2) / (dx1 * dx2)
        c = -dx1 / (dx2 * (dx1 + dx2))
    out[first] = a * f[first] + b * f[second] + c * f[at(2)]
    if uniform:
        a, b, c = 0.5 / ax_dx, -2.0 / ax_dx, 1.5 / ax_dx
    else:
        dx1, dx2 = ax_dx[-2], ax_dx[-1]
        a = (dx2) / (dx1 * (dx1 + dx2))
        b = -(dx2 + dx1) / (dx1 * dx2)
        c = (2.0 * dx2 + dx1) / (dx2 * (dx1 + dx2))
    out[last] = a * f[at(-3)] + b * f[second_last] + c * f[last]
    return out


_INNER, _LOWER, _UPPER = slice(1, -1), slice(None, -2), slice(2, None)


def _one_axis(s):
    return s


def _scalar_spacing(h) -> bool:
    """A Python float or int that is a finite, non-zero spacing (the common case)."""
    kind = type(h)
    if kind is float:
        return h != 0 and math.isfinite(h)
    return kind is int and 0 < abs(h) <= 2**53


def fast_gradient(f, varargs, axis, edge_order):
    """numpy.gradient's result for the commonest small calls, with the least checking.

    Handles a native float32/float64/integer ndarray of at most `SMALL_FORMULAS`
    elements, ``axis`` None or an int, ``edge_order`` None, 1 or 2, and no spacing or
    Python-number spacings; returns None for anything else (or anything that would raise),
    which the full path then answers.
    """
    dtype = f.dtype
    ndim = f.ndim
    if (
        f.size > SMALL_FORMULAS
        or not ndim
        or dtype.kind not in _FAST_KINDS
        or dtype.itemsize < 4
        and dtype.kind == "f"
        or not dtype.isnative
        or not small_inputs_enabled()
    ):
        return None
    if axis is None:
        axes = range(ndim)
    elif type(axis) is int and -ndim <= axis < ndim:
        axes = (axis % ndim,)
    else:
        return None
    if edge_order is None:
        edge_order = 1
    elif type(edge_order) is not int or edge_order not in (1, 2):
        return None
    if not varargs:
        steps = (1.0,) * len(axes)
    elif len(varargs) == 1 and _scalar_spacing(varargs[0]):
        steps = varargs * len(axes)
    elif len(varargs) == len(axes) and all(_scalar_spacing(h) for h in varargs):
        steps = varargs
    else:
        return None
    shape = f.shape
    for ax in axes:
        if shape[ax] <= edge_order:
            return None
    if dtype.kind != "f":
        f = f.astype(np.float64)
    elif not f.flags.c_contiguous:
        f = np.ascontiguousarray(f)
    if len(axes) == 1:
        return numpy_formulas(f, axes[0], steps[0], edge_order)
    return tuple(numpy_formulas(f, ax, h, edge_order) for ax, h in zip(axes, steps))


def _weighted_sum(terms, divisor, out) -> None:
    """``out[...] = (w0 * f0 + w1 * f1 + ...) / divisor`` for ``terms`` of (w, f) pairs,
    summed left to right in the dtype of ``w * f`` (in ``out`` itself when that is its
    dtype); a divisor of 1 is exact and skipped."""
    w, f = terms[0]
    dtype = np.result_type(w, f)
    acc = out if out.dtype == dtype else np.empty(out.shape, dtype)
    np.multiply(w, f, out=acc)
    for w, f in terms[1:]:
        acc += w * f
    if divisor != 1:
        np.divide(acc, divisor, out=out, casting="unsafe")
    elif acc is not out:
        out[...] = acc


def _block_numpy(f3, out3, block) -> None:
    """``out3[:, lo:hi, :]`` from a block, in the kernels' order of operations."""
    lo, hi = block.lo, block.hi
    if hi <= lo:
        return
    last = f3.shape[2] == 1  # the contiguous axis: work on (pre, n) views
    f = f3[:, :, 0] if last else f3
    out = out3[:, lo:hi, 0] if last else out3[:, lo:hi, :]
    if block.uniform:
        # numpy scalars of the weights' dtype, which promote as the weight columns do
        weights = [block.weights[s, lo] for s in range(len(block.offsets))]
    elif last:
        weights = [block.weights[s, lo:hi] for s in range(len(block.offsets))]
    else:
        weights = [block.weights[s, lo:hi, None] for s in range(len(block.offsets))]
    terms = [(w, f[:, lo + int(o) : hi + int(o)]) for w, o in zip(weights, block.offsets)]
    _weighted_sum(terms, block.divisor[()], out)


def _rows_numpy(f3, out3, positions, index, weights, divisor) -> None:
    """``out3[:, positions, :]`` from per-row stencils, in the kernels' order of operations."""
    if f3.shape[2] == 1:  # the contiguous axis: (pre, n) views
        samples = f3[:, :, 0][:, index]  # (pre, rows, width), one gather
        terms = [(weights[:, s], samples[:, :, s]) for s in range(index.shape[1])]
        result = np.empty(samples.shape[:2], np.result_type(*terms[0]))
        _weighted_sum(terms, 1, result)
        out3[:, positions, 0] = result / divisor
        return
    samples = f3[:, index, :]  # (pre, rows, width, post), one gather
    terms = [(weights[:, s, None], samples[:, :, s, :]) for s in range(index.shape[1])]
    result = np.empty(samples.shape[:2] + samples.shape[3:], np.result_type(*terms[0]))
    _weighted_sum(terms, 1, result)
    out3[:, positions, :] = result / divisor[:, None]


def run_plan_numpy(
    f3, out3, plan, positions_range=None, shift: int = 0, skip_block: bool = False
) -> None:
    """:func:`gradkit.fd._engine.run_plan` in numpy (same arguments, same results)."""
    if positions_range is None:
        if plan.block is not None and not skip_block:
            _block_numpy(f3, out3, plan.block)
        for g in plan.edge_rows:
            _rows_numpy(f3, out3, g.positions, g.index, g.weights, g.divisor)
        return
    start, stop = positions_range
    for g in plan.all_rows():
        sel = (g.positions >= start) & (g.positions < stop)
        if sel.any():
            positions = g.positions[sel] - start
            index = g.index[sel] - shift
            _rows_numpy(f3, out3, positions, index, g.weights[sel], g.divisor[sel])
