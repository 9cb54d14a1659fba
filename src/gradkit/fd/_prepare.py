"""Shared set-up of the order-``accuracy`` operators: checked inputs and per-axis plans."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_int, compute_float_dtype, result_float_dtype
from ._engine import apply_plan, apply_plans, is_dask_array
from ._plan import stencil_plan
from ._spacing import parse_boundaries, parse_periods, parse_spacing
from ._weights import boundary_width, interior_width

__all__ = ["Field", "check_accuracy", "check_order", "prepare_field"]

MAX_ORDER = 4


def check_accuracy(accuracy) -> int:
    """``accuracy`` as an int: even, from 2 to 10."""
    return check_int(accuracy, "accuracy", minimum=2, maximum=10, even=True)


@dataclass
class Field:
    """An array ready for the kernels, with the spacing and boundary of each of its axes."""

    data: object  # C-contiguous ndarray in the compute dtype, or a dask array
    out_dtype: np.dtype
    weight_dtype: np.dtype
    spacing: dict  # axis -> AxisSpacing
    boundary: dict  # axis -> "one-sided" | "periodic"
    period: dict  # axis -> float | None
    masked: bool

    def derivative(self, axis: int, order: int, accuracy: int, out=None, data=None):
        """The ``order``-th derivative along ``axis`` (of ``data``, default the field's own
        samples) with error O(h^accuracy), in the compute dtype."""
        data = self.data if data is None else data
        plan = self.plan(axis, order, accuracy)
        return apply_plan(data, axis, plan, self.data.dtype, out=out)

    def gradient(self, axes, accuracy: int, outs):
        """First derivatives along each of ``axes`` (in one pass where possible)."""
        plans = [self.plan(a, 1, accuracy) for a in axes]
        return apply_plans(self.data, axes, plans, self.data.dtype, outs)

    def plan(self, axis: int, order: int, accuracy: int):
        n = self.data.shape[axis]
        periodic = self.boundary[axis] == "periodic"
        name = f"spacing of axis {axis}"
        step = self.spacing[axis].step_or_coords(name)
        needed = interior_width(order, accuracy)
        if not periodic:
            needed = max(needed, boundary_width(order, accuracy))
        if n < needed:
            raise ValueError(
                f"`f` has {n} points along axis {axis}, but derivative order {order} at "
                f"`accuracy`={accuracy} with {self.boundary[axis]} boundaries needs at least "
                f"{needed}."
            )
        period = None
        if periodic:
            period = self._period(axis, step)
        return stencil_plan(n, step, order, accuracy, periodic, self.weight_dtype, period)

    def _period(self, axis, step):
        n = self.data.shape[axis]
        given = self.period[axis]
        if np.ndim(step) == 0:
            if given is not None and not np.isclose(given, abs(step) * n, rtol=1e-9, atol=0):
                raise ValueError(
                    f"`period` {given!r} of axis {axis} disagrees with {n} points spaced "
                    f"{step!r} (period {abs(step) * n!r}); give coordinates for a non-uniform "
                    f"periodic axis."
                )
            return None
        x = step
        span = abs(x[-1] - x[0])
        if given is None:
            raise ValueError(
                f"`period` is needed for the periodic axis {axis}, whose coordinates are not "
                f"uniform; got None."
            )
        if given <= span:
            raise ValueError(
                f"`period` {given!r} of axis {axis} must exceed the span of its coordinates "
                f"({span!r})."
            )
        return given if x[-1] > x[0] else -given

    def finish(self, result):
        """Cast a kernel result to the output dtype (float16) and re-mask masked input."""
        if result.dtype != self.out_dtype:
            result = result.astype(self.out_dtype)
        if self.masked:
            result = np.ma.masked_invalid(result)
        return result


def prepare_field(f, varargs, axes, boundary, period) -> Field:
    """Check ``f`` and its spacing for the order-``accuracy`` operators."""
    dask_in = is_dask_array(f)
    if not dask_in:
        f = np.asanyarray(f)
    dtype = np.dtype(f.dtype)
    if dtype.kind not in "biufc":
        raise TypeError(
            f"`f` must hold numbers for `accuracy`/`boundary` stencils; got dtype {dtype} "
            f"(numpy.gradient's behaviour for it is available with accuracy=None)."
        )
    spacings = parse_spacing(varargs, f.shape, axes)
    boundaries = parse_boundaries(boundary, len(axes))
    periods = parse_periods(period, len(axes))
    out_dtype = result_float_dtype(dtype)
    compute = compute_float_dtype(dtype)
    weight_dtype = (
        np.dtype(np.float32) if compute in (np.float32, np.complex64) else np.dtype(np.float64)
    )
    masked = isinstance(f, np.ma.MaskedArray)
    if masked:
        f = np.ma.filled(f.astype(compute), np.nan)
    if dask_in:
        data = f.astype(compute)
    else:
        data = (
            np.ascontiguousarray(f, dtype=compute)
            if dtype.kind in "fc"
            else f.astype(compute, order="C")
        )
    return Field(
        data,
        out_dtype,
        weight_dtype,
        dict(zip(axes, spacings)),
        dict(zip(axes, boundaries)),
        dict(zip(axes, periods)),
        masked,
    )


def check_order(order, name="order") -> int:
    """Derivative order as an int from 1 to 4."""
    return check_int(order, name, minimum=1, maximum=MAX_ORDER)
