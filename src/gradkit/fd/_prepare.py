"""Shared set-up of the order-``accuracy`` operators: checked inputs and per-axis plans."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_int, compute_float_dtype, result_float_dtype, short_repr
from ._engine import apply_plan, apply_plans, is_dask_array
from ._plan import stencil_plan
from ._spacing import check_period_use, parse_boundaries, parse_periods, parse_spacing
from ._weights import boundary_width, interior_width

__all__ = ["Field", "as_array", "as_samples", "check_accuracy", "check_order", "prepare_field"]

MAX_ORDER = 4

# where the derivatives of a callable are computed instead, per sampled-array function
_CALLABLE_PEERS = {
    "gradient": "`gradkit.numdiff.gradient`",
    "derivative": "`gradkit.numdiff.derivative`",
    "hessian": "`gradkit.numdiff.hessian`",
    "laplacian": "`gradkit.numdiff.hessian` (the Laplacian is its trace)",
    "divergence": "`gradkit.numdiff.jacobian` (the divergence is its trace)",
    "curl": "`gradkit.numdiff.jacobian`",
}


def reject_callable(f, function: str, name: str = "f") -> None:
    """A function passed where samples belong gets a TypeError pointing to numdiff."""
    if callable(f) and not isinstance(f, np.ndarray) and not is_dask_array(f):
        raise TypeError(
            f"`{name}` must be an array of samples, not a callable ({short_repr(f)}); "
            f"`gradkit.{function}` differentiates sampled data. Derivatives of callables "
            f"are computed by {_CALLABLE_PEERS[function]}."
        )


def as_array(value, name: str):
    """``np.asanyarray(value)``, with numpy's complaints about ragged nesting naming ``name``."""
    try:
        return np.asanyarray(value)
    except (ValueError, TypeError) as exc:
        raise type(exc)(
            f"`{name}` must be array_like (a rectangular nesting of numbers); numpy cannot "
            f"make an array of {short_repr(value)}: {exc}"
        ) from None


def as_samples(f, function: str, name: str = "f"):
    """``f`` as an ndarray (subclasses kept) or dask array in native byte order.

    Callables are rejected (they belong to ``gradkit.numdiff``); dask arrays of unknown
    chunk sizes too (the stencils need the block boundaries).
    """
    reject_callable(f, function, name)
    if is_dask_array(f):
        if any(np.isnan(c) for chunks in f.chunks for c in chunks):
            raise ValueError(
                f"`{name}` is a dask array with unknown chunk sizes {f.chunks}; call "
                f"`{name}.compute_chunk_sizes()` first."
            )
    else:
        f = as_array(f, name)
    if not f.dtype.isnative:
        f = f.astype(f.dtype.newbyteorder("="))
    return f


def check_numeric(f, name: str, context: str = "") -> None:
    """``f`` must hold numbers (booleans count: they promote to float64)."""
    if np.dtype(f.dtype).kind not in "biufc":
        raise TypeError(f"`{name}` must hold numbers{context}; got dtype {f.dtype}.")


def check_has_dimensions(f, name: str, function: str) -> None:
    """The operators other than ``gradient`` need at least one axis."""
    if f.ndim == 0:
        raise ValueError(
            f"`{name}` must have at least one dimension for `{function}`; got a 0-d array "
            f"({short_repr(f[()] if not is_dask_array(f) else f)})."
        )


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
        step = self.spacing[axis].step_or_coords()
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
                    f"`period` {short_repr(given)} of axis {axis} disagrees with {n} points "
                    f"spaced {short_repr(step)} (period {short_repr(abs(step) * n)}); give "
                    f"coordinates for a non-uniform periodic axis."
                )
            return None
        x = step
        span = float(abs(x[-1] - x[0]))
        if given is None:
            raise ValueError(
                f"`period` is needed for the periodic axis {axis}, whose coordinates are not "
                f"uniform; got None."
            )
        if given <= span:
            raise ValueError(
                f"`period` {short_repr(given)} of axis {axis} must exceed the span of its "
                f"coordinates ({short_repr(span)})."
            )
        return given if x[-1] > x[0] else -given

    def finish_error(self, estimate):
        """Cast an error estimate (real, in the compute precision) to the real dtype of the
        output (float16 for float16, float32 for complex64) and re-mask masked input."""
        real = np.dtype(self.out_dtype.char.lower()) if self.out_dtype.kind == "c" else None
        real = np.finfo(self.out_dtype).dtype if real is None else np.finfo(real).dtype
        if estimate.dtype != real:
            estimate = estimate.astype(real)
        if self.masked:
            estimate = np.ma.masked_invalid(estimate)
        return estimate

    def finish(self, result):
        """Cast a kernel result to the output dtype (float16) and re-mask masked input."""
        if result.dtype != self.out_dtype:
            result = result.astype(self.out_dtype)
        if self.masked:
            result = np.ma.masked_invalid(result)
        return result


def prepare_field(f, varargs, axes, boundary, period, name="f", context="") -> Field:
    """Check ``f`` (already through :func:`as_samples`) and its spacing for the
    order-``accuracy`` operators. ``name`` and ``context`` word the messages."""
    dask_in = is_dask_array(f)
    check_numeric(f, name, context)
    dtype = np.dtype(f.dtype)
    spacings = parse_spacing(varargs, f.shape, axes)
    boundaries = parse_boundaries(boundary, len(axes))
    periods = parse_periods(period, len(axes))
    check_period_use(periods, boundaries)
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
