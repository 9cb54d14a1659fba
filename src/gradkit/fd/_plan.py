"""Stencil plans: which samples, with which weights, give each output along one axis.

A plan is computed once per axis (plain numpy, no numba) and then applied by the kernels in
``_kernels.py`` or, for dask arrays, block by block in ``_dask.py``.

Every output position ``j`` is ``sum_s weights[s] * f[index[s]] / divisor``, summed left to
right. The interior, where every position reads the same offsets ``j + offsets[s]`` (with
weights that may vary with ``j`` on non-uniform grids), forms a :class:`Block`; the
remaining positions near the ends are listed row by row in :class:`RowGroup` objects.
Indices are stored *unwrapped*: on a periodic axis they may fall outside ``[0, n)`` and are
taken modulo ``n``.

Two families of plans exist:

- :func:`numpy_plan` reproduces ``numpy.gradient`` operation for operation (same formulas,
  same dtypes of every intermediate), so results are bit-identical.
- :func:`stencil_plan` builds order-``accuracy`` Fornberg stencils for any derivative order
  on uniform or non-uniform coordinates, one-sided at boundaries or wrapped periodically.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ._weights import boundary_width, fornberg_weights, interior_width, split_scale

__all__ = [
    "AxisPlan",
    "Block",
    "RowGroup",
    "numpy_plan",
    "products_stay_normal",
    "stencil_plan",
    "typical_step",
]


@dataclass(frozen=True)
class RowGroup:
    """Output ``positions[q]`` is ``sum_s weights[q, s] * f[index[q, s]] / divisor[q]``."""

    positions: np.ndarray  # (rows,) int64
    index: np.ndarray  # (rows, width) int64, unwrapped
    weights: np.ndarray  # (rows, width)
    divisor: np.ndarray  # (rows,)


@dataclass(frozen=True)
class Block:
    """Positions ``lo <= j < hi`` are ``sum_s weights[s, j] * f[j + offsets[s]] / divisor``."""

    lo: int
    hi: int
    offsets: np.ndarray  # (width,) int64
    weights: np.ndarray  # (width, n); columns outside [lo, hi) are unused
    divisor: np.ndarray  # 0-d array
    uniform: bool = False  # the same weights at every position: a broadcast (width, n) view

    @property
    def kernel_args(self) -> tuple:
        """``(offsets, weight rows, divisor)`` as the kernels take them: the offsets and
        the weight rows (contiguous) as tuples, so the stencil width is a compile-time
        constant, and the divisor as a scalar. Kept on the block, except the rows a
        uniform block expands from its broadcast view beyond `CACHED_PLAN_POINTS`
        (cached plans then stay small)."""
        args = self.__dict__.get("_kernel_args")
        if args is None:
            rows = tuple(np.ascontiguousarray(row) for row in self.weights)
            args = tuple(int(o) for o in self.offsets), rows, self.divisor[()]
            if not self.uniform or self.weights.shape[1] <= CACHED_PLAN_POINTS:
                self.__dict__["_kernel_args"] = args
        return args

    @functools.cached_property
    def uniform_args(self) -> tuple:
        """``(offsets, weights, divisor)`` of a uniform block, the weights as a tuple of
        scalars of the weights' dtype."""
        column = self.weights[:, self.lo] if self.hi > self.lo else self.weights[:, 0]
        return tuple(int(o) for o in self.offsets), tuple(column), self.divisor[()]

    def as_rows(self) -> RowGroup:
        positions = np.arange(self.lo, self.hi, dtype=np.int64)
        return RowGroup(
            positions,
            positions[:, None] + self.offsets[None, :],
            np.ascontiguousarray(self.weights[:, self.lo : self.hi].T),
            np.broadcast_to(self.divisor, (len(positions),)),
        )


def _uniform_block(lo, hi, n, offsets, weights, divisor) -> Block:
    """A block whose weights are the same at every position."""
    weights = np.asarray(weights)
    table = np.broadcast_to(weights[:, None], (len(weights), n))  # no (width, n) copy
    offsets = np.asarray(offsets, dtype=np.int64)
    return Block(lo, max(lo, hi), offsets, table, np.asarray(divisor), uniform=True)


@dataclass(frozen=True)
class AxisPlan:
    """Everything needed to differentiate along one axis of length ``n``."""

    n: int
    periodic: bool
    block: Block | None
    groups: tuple[RowGroup, ...]

    @property
    def reach(self) -> int:
        """Largest distance between an output position and a sample it reads."""
        reach = 0
        if self.block is not None:
            reach = int(np.abs(self.block.offsets).max())
        for g in self.groups:
            reach = max(reach, int(np.abs(g.index - g.positions[:, None]).max()))
        return reach

    @functools.cached_property
    def edge_rows(self) -> tuple[RowGroup, ...]:
        """``groups`` merged into one group per stencil width, indices wrapped into
        ``[0, n)`` on a periodic axis: what the kernels apply besides the block. Computed
        once per plan."""
        merged = []
        for width in sorted({g.index.shape[1] for g in self.groups}):
            parts = [g for g in self.groups if g.index.shape[1] == width]
            index = np.concatenate([g.index for g in parts])
            merged.append(
                RowGroup(
                    np.concatenate([g.positions for g in parts]),
                    index % self.n if self.periodic else index,
                    np.ascontiguousarray(np.concatenate([g.weights for g in parts])),
                    np.concatenate([g.divisor for g in parts]),
                )
            )
        return tuple(merged)

    def all_rows(self) -> list[RowGroup]:
        """The plan as row groups only (the uniform block expanded)."""
        rows = list(self.groups)
        if self.block is not None and self.block.hi > self.block.lo:
            rows.append(self.block.as_rows())
        return rows


def _typed(value, fdt: np.dtype, op) -> np.ndarray:
    """``value`` cast to the dtype numpy gives ``op(f_array, value)`` for ``f`` of dtype ``fdt``.

    This reproduces numpy's promotion rules (NEP 50: a Python float is weak, a numpy
    scalar is not) for each intermediate of ``numpy.gradient``.
    """
    dtype = op(np.zeros(1, dtype=fdt), value).dtype
    return np.asarray(value).astype(dtype)


def _row_group(positions, index, weights, divisor) -> RowGroup:
    return RowGroup(
        np.asarray(positions, dtype=np.int64),
        np.asarray(index, dtype=np.int64),
        np.ascontiguousarray(weights),
        np.ascontiguousarray(divisor),
    )


def numpy_plan(n: int, ax_dx, edge_order: int, fdt: np.dtype) -> AxisPlan:
    """The plan of ``numpy.gradient`` along one axis, intermediate dtypes included.

    ``ax_dx`` is what numpy uses as the spacing: a scalar (uniform) or the array of
    coordinate differences. ``fdt`` is the dtype numpy differences ``f`` in (float64 for
    integer input).
    """
    if np.ndim(ax_dx) == 0:
        if n <= CACHED_UNIFORM_POINTS and (
            type(ax_dx) in (float, int) or isinstance(ax_dx, np.generic)
        ):
            # the type is part of the key: numpy promotes with 0.5 and np.float64(0.5) apart
            return _cached_numpy_uniform_plan(n, type(ax_dx), ax_dx, edge_order, np.dtype(fdt))
        return _numpy_uniform_plan(n, ax_dx, edge_order, fdt)
    return _numpy_nonuniform_plan(n, ax_dx, edge_order, fdt)


def _numpy_uniform_plan(n: int, ax_dx, edge_order: int, fdt) -> AxisPlan:
    """:func:`numpy_plan` for a scalar spacing ``ax_dx``."""
    div = np.divide
    mul = np.multiply
    one = np.ones(1, dtype=fdt)
    diff_weights = np.array([-1, 1], dtype=fdt)
    groups = []
    block = _uniform_block(1, n - 1, n, [-1, 1], diff_weights, _typed(2.0 * ax_dx, fdt, div))
    if edge_order == 1:
        d = _typed(ax_dx, fdt, div)
        groups.append(
            _row_group([0, n - 1], [[0, 1], [n - 2, n - 1]], [diff_weights, diff_weights], [d, d])
        )
    else:
        left = [-1.5 / ax_dx, 2.0 / ax_dx, -0.5 / ax_dx]
        right = [0.5 / ax_dx, -2.0 / ax_dx, 1.5 / ax_dx]
        for pos, idx, coeffs in ((0, [0, 1, 2], left), (n - 1, [n - 3, n - 2, n - 1], right)):
            w = np.array([_typed(c, fdt, mul) for c in coeffs])
            groups.append(_row_group([pos], [idx], w[None, :], one.astype(w.dtype)))
    return AxisPlan(n, False, block, tuple(groups))


@functools.lru_cache(maxsize=64)
def _cached_numpy_uniform_plan(n, kind, ax_dx, edge_order, fdt) -> AxisPlan:
    """:func:`_numpy_uniform_plan`, kept for repeated calls (``kind`` is ``type(ax_dx)``)."""
    return _numpy_uniform_plan(n, ax_dx, edge_order, fdt)


def _numpy_nonuniform_plan(n: int, ax_dx, edge_order: int, fdt) -> AxisPlan:
    """:func:`numpy_plan` for the coordinate differences ``ax_dx``."""
    ax_dx = np.asarray(ax_dx)
    plain = _numpy_nonuniform_weights(ax_dx, edge_order)
    unit = 1.0
    if not products_stay_normal(ax_dx):
        unit = power_of_two_near(np.median(np.abs(ax_dx)))
    if unit != 1.0:
        # numpy's formulas on coordinates in units of a power of two near the spacing are
        # exactly numpy's values times that power, unless numpy's products of spacings
        # left the floating-point range (spacings below ~1e-154 or above ~1e154): then
        # numpy's weights are inf, NaN, 0 or subnormal, and the scaled ones are used.
        unit_t = ax_dx.dtype.type(unit)
        scaled = _numpy_nonuniform_weights(ax_dx / unit_t, edge_order)
        with np.errstate(all="ignore"):
            exact = all(np.array_equal(p * unit_t, q) for p, q in zip(plain, scaled))
        if not exact:
            return _nonuniform_plan(n, ax_dx, scaled, edge_order, fdt, unit)
    return _nonuniform_plan(n, ax_dx, plain, edge_order, fdt, None)


def products_stay_normal(ax_dx) -> bool:
    """Whether every intermediate of numpy's non-uniform formulas is a normal float: true
    when all spacings lie within ``2**±(maxexp/2 - 12)`` (2**±500 in float64), so that
    products of two spacings and the weights (at least ``ulp(dx) / dx**2``) stay in range.
    A cheap test that skips the exact comparison with scaled formulas on ordinary grids."""
    if ax_dx.dtype.kind != "f" or not ax_dx.size:
        return True
    bound = 2.0 ** (np.finfo(ax_dx.dtype).maxexp // 2 - 12)
    mags = np.abs(ax_dx)
    return bool(mags.min() >= 1 / bound and mags.max() <= bound)


def _numpy_nonuniform_weights(ax_dx, edge_order):
    """numpy.gradient's interior weights (a, b, c) and, for ``edge_order=2``, its boundary
    coefficients, from the coordinate differences ``ax_dx``."""
    with np.errstate(all="ignore"):
        dx1 = ax_dx[0:-1]
        dx2 = ax_dx[1:]
        a = -(dx2) / (dx1 * (dx1 + dx2))
        b = (dx2 - dx1) / (dx1 * dx2)
        c = dx1 / (dx2 * (dx1 + dx2))
        if edge_order == 1:
            return a, b, c
        dx1, dx2 = ax_dx[0], ax_dx[1]
        left = np.array(
            [
                -(2.0 * dx1 + dx2) / (dx1 * (dx1 + dx2)),
                (dx1 + dx2) / (dx1 * dx2),
                -dx1 / (dx2 * (dx1 + dx2)),
            ]
        )
        dx1, dx2 = ax_dx[-2], ax_dx[-1]
        right = np.array(
            [
                dx2 / (dx1 * (dx1 + dx2)),
                -(dx2 + dx1) / (dx1 * dx2),
                (2.0 * dx2 + dx1) / (dx2 * (dx1 + dx2)),
            ]
        )
    return a, b, c, left, right


def _nonuniform_plan(n, ax_dx, weights, edge_order, fdt, unit) -> AxisPlan:
    """The non-uniform numpy plan from ``weights`` (numpy's, or with ``unit`` not None,
    numpy's formulas evaluated on ``ax_dx / unit``, to be divided by ``unit``)."""
    a, b, c = weights[:3]
    wdt = np.result_type(a.dtype, fdt)
    table = np.zeros((3, n), dtype=wdt)
    diff_weights = np.array([-1, 1], dtype=fdt)
    one = np.ones(1, dtype=fdt)
    groups = []
    if unit is None:
        table[:, 1 : n - 1] = np.stack([a, b, c])
        divisor = np.ones((), wdt)
    else:
        inner, divisor = split_scale(np.stack([a, b, c]), unit, 1, wdt)
        table[:, 1 : n - 1] = inner
    block = Block(1, n - 1, np.array([-1, 0, 1], dtype=np.int64), table, divisor)
    if edge_order == 1:
        for pos, idx, d in ((0, [0, 1], ax_dx[0]), (n - 1, [n - 2, n - 1], ax_dx[-1])):
            groups.append(
                _row_group([pos], [idx], diff_weights[None, :], _typed(d, fdt, np.divide)[None])
            )
        return AxisPlan(n, False, block, tuple(groups))
    for pos, idx, coeffs in (
        (0, [0, 1, 2], weights[3]),
        (n - 1, [n - 3, n - 2, n - 1], weights[4]),
    ):
        w = np.array([_typed(c, fdt, np.multiply) for c in coeffs])
        if unit is None:
            groups.append(_row_group([pos], [idx], w[None, :], one.astype(w.dtype)))
        else:
            w, d = split_scale(w, unit, 1, w.dtype)
            groups.append(_row_group([pos], [idx], w[None, :], d[None]))
    return AxisPlan(n, False, block, tuple(groups))


def power_of_two_near(length) -> float:
    """The power of two nearest ``length`` (1.0 for zero or non-finite lengths)."""
    length = float(length)
    if not np.isfinite(length) or length <= 0:
        return 1.0
    return float(np.exp2(np.round(np.log2(length))))


def typical_step(x) -> float:
    """The power of two nearest the median spacing of coordinates ``x`` (a length unit in
    which stencil weights are of order one)."""
    gaps = np.abs(np.diff(np.asarray(x, dtype=np.float64)))
    return power_of_two_near(np.median(gaps)) if len(gaps) else 1.0


def stencil_plan(
    n: int,
    spacing,
    order: int,
    accuracy: int,
    periodic: bool,
    wdt=np.float64,
    period: float | None = None,
) -> AxisPlan:
    """Order-``accuracy`` stencils of derivative ``order`` along an axis of ``n`` points.

    ``spacing`` is a float (uniform step) or an ``(n,)`` float64 array of strictly
    monotonic coordinates. On a periodic axis with coordinates, ``period`` is the length
    after which the coordinates repeat. ``wdt`` is the dtype of the weights. The caller has
    checked that ``n`` is large enough.

    Weights are computed in units of the step (uniform) or of a typical step (power of two,
    non-uniform) and scaled by :func:`split_scale`, so any spacing whose derivative is
    representable gives correct weights.
    """
    wdt = np.dtype(wdt)
    if np.ndim(spacing) == 0:
        h = float(spacing)
        if n <= CACHED_UNIFORM_POINTS:
            return _cached_uniform_plan(n, h, order, accuracy, periodic, wdt)
        return _uniform_plan(n, h, order, accuracy, periodic, wdt)
    half = (interior_width(order, accuracy) - 1) // 2
    x = np.asarray(spacing, dtype=np.float64)
    unit = typical_step(x)
    offsets = np.arange(-half, half + 1)
    positions = np.arange(n)
    index = positions[:, None] + offsets[None, :]
    if periodic:
        xs = x[index % n] + period * np.floor_divide(index, n)
        w, divisor = split_scale(fornberg_weights(x, xs, order, unit), unit, order, wdt)
    else:
        inside = slice(half, n - half)
        w64 = np.zeros((n, len(offsets)))
        w64[inside] = fornberg_weights(x[inside], x[index[inside]], order, unit)
        w, divisor = split_scale(w64, unit, order, wdt)
    block = Block(
        half, max(half, n - half), offsets.astype(np.int64), np.ascontiguousarray(w.T), divisor
    )
    if periodic:
        edge = np.unique(np.r_[np.arange(min(half, n)), np.arange(max(n - half, 0), n)])
        groups = [_row_group(edge, index[edge], w[edge], np.broadcast_to(divisor, (len(edge),)))]
    else:
        groups = _one_sided_groups(n, x, order, accuracy, half, wdt, unit, unit)
    return AxisPlan(n, periodic, block, tuple(groups))


def _uniform_plan(n, h, order, accuracy, periodic, wdt) -> AxisPlan:
    """:func:`stencil_plan` for the uniform step ``h``; the unit-step weights of the
    centred and one-sided stencils are computed once per process (:func:`_unit_weights`)."""
    half = (interior_width(order, accuracy) - 1) // 2
    offsets = np.arange(-half, half + 1)
    w = _unit_weights(order, accuracy, 0)
    keep = w != 0.0  # structural zeros, e.g. the centre of odd derivatives
    w, divisor = split_scale(w[keep], h, order, wdt)
    offsets = offsets[keep].astype(np.int64)
    block = _uniform_block(half, n - half, n, offsets, w, divisor)
    if periodic:
        # the first and last `half` positions read across the ends (indices unwrapped)
        edge = np.unique(np.r_[np.arange(min(half, n)), np.arange(max(n - half, 0), n)])
        groups = [
            _row_group(
                edge,
                edge[:, None] + offsets[None, :],
                np.broadcast_to(w, (len(edge), len(w))),
                np.broadcast_to(divisor, (len(edge),)),
            )
        ]
        return AxisPlan(n, periodic, block, tuple(groups))
    groups = []
    if half:
        width = boundary_width(order, accuracy)
        sign = 1 if h > 0 else -1
        ends = ((-1, np.arange(half), 0), (1, np.arange(n - half, n), n - width))
        for end, positions, start in ends:
            index = np.broadcast_to(np.arange(start, start + width), (half, width))
            w64 = _unit_weights(order, accuracy, end, sign)
            ws, divs = split_scale(w64, abs(h), order, wdt)
            groups.append(_row_group(positions, index, ws, np.broadcast_to(divs, (half,))))
    return AxisPlan(n, periodic, block, tuple(groups))


CACHED_UNIFORM_POINTS = 2**24
"""Uniform plans of axes up to this length are kept (64 per process, see
:func:`_cached_uniform_plan`), so repeated calls skip building them; such a plan holds
O(stencil width) numbers (its block's weights are a broadcast view)."""

CACHED_PLAN_POINTS = 4096
"""Longest axis whose uniform block keeps its expanded weight rows (``Block.kernel_args``)."""

_cached_uniform_plan = functools.lru_cache(maxsize=64)(_uniform_plan)


@functools.cache
def _unit_weights(order: int, accuracy: int, end: int, sign: int = 1) -> np.ndarray:
    """Weights of a uniform axis in units of its step, computed once per process.

    ``end`` 0: the centred stencil, shape (width,). ``end`` -1 or 1: the one-sided stencils
    of the first or last ``half`` positions of an axis whose coordinates are
    ``sign * arange(n)``, shape (half, width). Fornberg's recursion sees only the exact,
    integer distances between a position and its points, so these are the weights of every
    axis length ``n``; they are computed on the shortest axis (``n = width``).
    """
    half = (interior_width(order, accuracy) - 1) // 2
    if end == 0:
        offsets = np.arange(-half, half + 1, dtype=float)
        w = fornberg_weights([0.0], offsets[None, :], order)[0]
    else:
        width = boundary_width(order, accuracy)
        x = np.arange(width) * float(sign)
        positions = np.arange(half) if end < 0 else np.arange(width - half, width)
        w = fornberg_weights(x[positions], np.broadcast_to(x, (half, width)), order, 1.0)
    w.setflags(write=False)
    return w


def _one_sided_groups(n, x, order, accuracy, half, wdt, step, unit) -> list[RowGroup]:
    """Stencils of ``boundary_width`` points flush with each end, for the first and last
    ``half`` positions (where the centred stencil would leave the array).

    ``x`` are the coordinates in a length unit ``unit`` (fornberg's ``scale``); the weights
    are for the derivative in units where the typical step is ``step`` (scaled by
    :func:`split_scale`)."""
    if half == 0:
        return []
    width = boundary_width(order, accuracy)
    left = np.arange(half)
    right = np.arange(n - half, n)
    groups = []
    for positions, start in ((left, 0), (right, n - width)):
        index = np.broadcast_to(np.arange(start, start + width), (half, width))
        w64 = fornberg_weights(x[positions], x[index], order, unit)
        w, divisor = split_scale(w64, step, order, wdt)
        groups.append(_row_group(positions, index, w, np.broadcast_to(divisor, (half,))))
    return groups
