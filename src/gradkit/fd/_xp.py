"""Stencil plans checked by gradkit and applied with any array library's operations.

This module is framework-free (it imports numpy and gradkit's ``fd`` layer only): the
``gradkit.jax`` and ``gradkit.torch`` adapters pass it the shape and dtype of their data
and an :class:`Ops` of two functions, and get back their data differentiated by the plans
of ``gradkit.fd`` (:func:`~gradkit.fd._plan.numpy_plan`, :func:`~gradkit.fd._plan.
stencil_plan`), built from concrete spacing by gradkit's own argument checks.

A plan is applied as framework operations on whole slices: the interior :class:`Block` as
a sum of shifted slices times weights, each :class:`RowGroup` as a sum of gathered rows
times weights, the pieces joined along the axis in position order. Sums run left to right
over the stencil, as in gradkit's kernels, so plans that mirror numpy's formulas give
numpy's formulas.

It lives in ``gradkit.fd`` (and imports no framework), so each adapter imports it without
the other framework installed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .._validation import normalize_axes, short_repr
from ._gradient import _check_edge_order, _check_numpy_dtype
from ._operators import _axis_entry, _components, _orders
from ._plan import AxisPlan, numpy_plan
from ._prepare import (
    check_accuracy,
    check_has_dimensions,
    check_numeric,
    prepare_field,
)
from ._spacing import check_period_use, parse_boundaries, parse_periods, parse_spacing

__all__ = [
    "Ops",
    "apply_plan",
    "component_plans",
    "derivative_plans",
    "gradient_plans",
    "operator_plans",
]


class Ops(NamedTuple):
    """The operations :func:`apply_plan` needs besides indexing and arithmetic.

    ``concat(arrays, axis)`` joins arrays along ``axis``; ``const(a)`` turns a real numpy
    array of weights into an array of the framework (the data's real dtype, its device).
    ``axpy(acc, w, t)``, if given, is ``acc + w * t`` for a scalar ``w`` in one operation
    (torch's ``add(..., alpha=w)``: one pass over memory instead of two when the framework
    runs operations one by one).
    """

    concat: Callable
    const: Callable
    axpy: Callable | None = None


def _proxy(shape, dtype) -> np.ndarray:
    """An uninitialised numpy array of ``shape`` for gradkit's checks, which read only its
    shape and dtype (the pages of a large one are never touched)."""
    return np.empty(shape, dtype=dtype)


def _dtype_probe(dtype) -> np.ndarray:
    """An empty array of ``dtype``, for checks that read only the dtype."""
    return np.empty(0, dtype=dtype)


def gradient_plans(
    shape, dtype, compute, varargs, axis, edge_order, accuracy, boundary, period
) -> tuple[tuple[int, ...], list[AxisPlan]]:
    """The axes and per-axis plans of ``gradkit.gradient(f, *varargs, ...)`` for ``f`` of
    ``shape`` and numpy ``dtype``, computed in numpy dtype ``compute``.

    Every argument is checked by gradkit's own functions, so messages and exception types
    are ``gradkit.gradient``'s. ``varargs`` must be concrete (numpy arrays or scalars).
    """
    ndim = len(shape)
    axes = normalize_axes(axis, ndim)
    edge = _check_edge_order(edge_order)
    if accuracy is not None:
        accuracy = check_accuracy(accuracy)
        if edge_order is not None and edge != accuracy:
            raise ValueError(
                f"`edge_order`={short_repr(edge_order)} contradicts `accuracy`={accuracy}: "
                f"with `accuracy` the boundaries are order {accuracy} too; drop `edge_order`."
            )
    boundaries = parse_boundaries(boundary, len(axes))
    check_period_use(parse_periods(period, len(axes)), boundaries)
    numpy_mode = accuracy is None and all(b == "one-sided" for b in boundaries)
    if not len(axes):
        return axes, []
    if numpy_mode:
        _check_numpy_dtype(_dtype_probe(dtype))
        spacings = parse_spacing(varargs, shape, axes)
        for ax in axes:
            if shape[ax] < edge + 1:
                raise ValueError(
                    f"`f` has {shape[ax]} points along axis {ax}; `edge_order`={edge} needs "
                    f"at least {edge + 1}."
                )
        for s in spacings:
            kind = np.asarray(s.raw).dtype.kind
            if kind == "c" and np.dtype(dtype).kind != "c":
                raise TypeError(
                    f"`{s.name}` is complex, but `f` is real (dtype {dtype}): the "
                    f"imaginary part would be discarded; give real spacings or coordinates."
                )
            if kind not in "fiuc":
                raise TypeError(
                    f"`{s.name}` must hold real or complex numbers for gradkit's stencils; "
                    f"got dtype {np.asarray(s.raw).dtype}."
                )
        plans = [numpy_plan(shape[ax], s.raw, edge, compute) for ax, s in zip(axes, spacings)]
        return axes, plans
    check_numeric(
        _dtype_probe(dtype),
        "f",
        " for `accuracy`/`boundary` stencils (numpy.gradient's formulas, "
        "accuracy=None, take other dtypes)",
    )
    p = 2 if accuracy is None else accuracy
    field = prepare_field(_proxy(shape, compute), varargs, axes, boundaries, period)
    return axes, [field.plan(a, 1, p) for a in axes]


def derivative_plans(
    shape, dtype, compute, varargs, axis, order, accuracy, boundary, period
) -> tuple[list[int], list[AxisPlan]]:
    """The axes and plans, applied in turn, of ``gradkit.derivative(f, *varargs, ...)``."""
    check_numeric(_dtype_probe(dtype), "f")
    proxy = _proxy(shape, compute)
    check_has_dimensions(proxy, "f", "derivative")
    ndim = len(shape)
    if isinstance(axis, (tuple, list)):
        if not len(axis):
            raise ValueError("`axis` must name at least one axis; got an empty sequence.")
        axes_list = [normalize_axes(_axis_entry(a, axis), ndim)[0] for a in axis]
    else:
        axes_list = list(normalize_axes(axis, ndim))
    if len(set(axes_list)) != len(axes_list):
        raise ValueError(
            f"`axis` must not repeat an axis (raise `order` instead); got {short_repr(axis)}."
        )
    orders = _orders(order, len(axes_list))
    accuracy = check_accuracy(accuracy)
    field = prepare_field(proxy, varargs, axes_list, boundary, period)
    return axes_list, [field.plan(a, m, accuracy) for a, m in zip(axes_list, orders)]


def operator_plans(shape, dtype, compute, varargs, accuracy, boundary, period, function):
    """Plans of the first and second derivative along every axis, as ``gradkit.hessian`` and
    ``gradkit.laplacian`` check them: ``(first, second)``, lists indexed by axis (``first``
    is computed lazily by the caller's choice: both are returned)."""
    check_numeric(_dtype_probe(dtype), "f")
    proxy = _proxy(shape, compute)
    check_has_dimensions(proxy, "f", function)
    accuracy = check_accuracy(accuracy)
    axes = tuple(range(len(shape)))
    field = prepare_field(proxy, varargs, axes, boundary, period)
    first = [field.plan(a, 1, accuracy) for a in axes] if function == "hessian" else None
    second = [field.plan(a, 2, accuracy) for a in axes]
    return first, second


def component_plans(spec, computes, varargs, accuracy, boundary, period, function):
    """Check a vector field as ``gradkit.divergence`` and ``gradkit.curl`` check theirs and
    return, per component, the first-derivative plans along every axis.

    ``spec`` is ``(shape, dtype)`` of a single array of shape ``(ndim,) + shape``, or a
    list of ``(shape, dtype)``, one per component; ``computes`` the compute dtype of each
    component."""
    if isinstance(spec, list):
        probes = [_proxy(s, d) for s, d in spec]
    else:
        probes = _proxy(*spec)
    allowed = (2, 3) if function == "curl" else None
    components = _components(probes, allowed, function)
    accuracy = check_accuracy(accuracy)
    axes = tuple(range(len(components)))
    plans = []
    for comp, compute in zip(components, computes):
        field = prepare_field(
            _proxy(comp.shape, compute), varargs, axes, boundary, period, name="v"
        )
        plans.append([field.plan(a, 1, accuracy) for a in axes])
    return plans


def _scalar(value):
    """A numpy weight as a Python number (real when its imaginary part is zero), so that
    frameworks apply it in the data's own dtype (a weak scalar)."""
    value = np.asarray(value).item()
    if isinstance(value, complex) and value.imag == 0:
        value = value.real
    return value


def _real(a) -> np.ndarray:
    a = np.asarray(a)
    return a.real if a.dtype.kind == "c" and not np.any(a.imag) else a


def _weighted_sum(terms, weights, along, axpy=None):
    """``sum_s weights[s] * terms[s]`` left to right; a weight is a scalar or a 1-D numpy
    array (one per position). Weights of +-1 become additions and subtractions, which give
    the same bits (``-t0 + t1`` is ``t1 - t0``)."""
    w = [_scalar(x) if np.ndim(x) == 0 else x for x in weights]
    acc = None
    start = 0
    if len(terms) >= 2 and _is(w[0], -1) and _is(w[1], 1):
        acc = terms[1] - terms[0]
        start = 2
    for ws, t in zip(w[start:], terms[start:]):
        if _is(ws, -1):
            acc = -t if acc is None else acc - t
            continue
        if acc is not None and axpy is not None and np.ndim(ws) == 0 and not _is(ws, 1):
            acc = axpy(acc, ws, t)
            continue
        term = t if _is(ws, 1) else (ws * t if np.ndim(ws) == 0 else along(ws) * t)
        acc = term if acc is None else acc + term
    return acc


def _is(w, value) -> bool:
    return np.ndim(w) == 0 and w == value


def _constant(column: np.ndarray):
    """The common value of a column of weights (or divisors), or the column itself."""
    column = _real(column)
    if column.size and np.all(column == column.flat[0]):
        return column.flat[0]
    return column


def _divide(acc, d, along):
    if np.ndim(d) == 0:
        d = _scalar(d)
        return acc if d == 1 else acc / d
    return acc / along(d)


def _selector(idx: np.ndarray):
    """A slice when ``idx`` is a run of consecutive indices, else the index array."""
    if len(idx) and np.array_equal(idx, np.arange(idx[0], idx[0] + len(idx))):
        return slice(int(idx[0]), int(idx[0]) + len(idx))
    return idx


def apply_plan(f, axis: int, plan: AxisPlan, ns: Ops):
    """``f`` differentiated along ``axis`` by ``plan``, in framework operations.

    ``f`` is an array of the framework in its compute dtype (``plan.n`` points along
    ``axis``); the result has ``f``'s shape and dtype.
    """
    lead = (slice(None),) * axis
    trail = (1,) * (f.ndim - axis - 1)

    def take(sel):
        return f[lead + (sel,)]

    def along(w):
        return ns.const(np.ascontiguousarray(_real(w)).reshape((-1,) + trail))

    pieces = []  # (first position, array)
    block = plan.block
    if block is not None and block.hi > block.lo:
        lo, hi = block.lo, block.hi
        terms = [take(slice(lo + int(o), hi + int(o))) for o in block.offsets]
        if block.uniform:  # the same weights at every position: one scalar per term
            weights = [block.weights[s, lo] for s in range(len(block.offsets))]
        else:
            weights = [_constant(block.weights[s, lo:hi]) for s in range(len(block.offsets))]
        acc = _weighted_sum(terms, weights, along, ns.axpy)
        pieces.append((lo, _divide(acc, block.divisor, along)))
    for g in plan.groups:
        index = g.index % plan.n if plan.periodic else g.index
        order = np.argsort(g.positions, kind="stable")
        pos = g.positions[order]
        # one piece per run of consecutive positions
        breaks = np.flatnonzero(np.diff(pos) != 1) + 1
        for run in np.split(np.arange(len(pos)), breaks):
            rows = order[run]
            terms = [take(_selector(index[rows, s])) for s in range(index.shape[1])]
            weights = [_constant(g.weights[rows, s]) for s in range(index.shape[1])]
            acc = _weighted_sum(terms, weights, along, ns.axpy)
            pieces.append((int(pos[run[0]]), _divide(acc, _constant(g.divisor[rows]), along)))
    pieces.sort(key=lambda p: p[0])
    if len(pieces) == 1:
        return pieces[0][1]
    return ns.concat([p for _, p in pieces], axis)
