"""Evaluation plans: grid metadata, coefficients and the kernel dispatch.

A plan is computed once per (interpolator, method) and holds everything the numba
kernels need as flat float64/int64 arrays.  It pickles (plain numpy arrays), so an
interpolator ships to dask workers as is.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._parallel import run_chunks
from ._small import SMALL_AXIS, interp_spline_axis

__all__ = [
    "EXTRAPOLATE_CHOICES",
    "GridPlan",
    "build_simple_plan",
    "build_pchip_plan",
    "build_spline_plan",
    "resolve_extrapolate",
]

EXTRAPOLATE_CHOICES = frozenset({"linear", "nearest", "periodic", "fill", "raise"})
_MODE_CODE = {"linear": 0, "nearest": 1, "periodic": 2, "fill": 0, "raise": 0}

# below this many coefficient reads per call, a kernel runs as one chunk on the calling
# thread (0 forces the chunked, multi-threaded path: tests)
_SERIAL_WORK = 400_000


def _check_mode(value, name):
    if not isinstance(value, str) or value not in EXTRAPOLATE_CHOICES:
        raise ValueError(
            f"`{name}` must be one of {', '.join(repr(c) for c in sorted(EXTRAPOLATE_CHOICES))}"
            f"; got {value!r}."
        )
    return value


def resolve_extrapolate(extrapolate, ndim, bounds_error, fill_value):
    """Per-axis ``(left, right)`` extrapolation modes."""
    if extrapolate is None:
        if bounds_error:
            mode = "raise"
        elif fill_value is None:
            mode = "linear"
        else:
            mode = "fill"
        return tuple((mode, mode) for _ in range(ndim))
    if isinstance(extrapolate, str):
        _check_mode(extrapolate, "extrapolate")
        modes = [(extrapolate, extrapolate)] * ndim
    elif isinstance(extrapolate, Sequence):
        if len(extrapolate) != ndim:
            raise ValueError(
                f"`extrapolate` must be a mode or a sequence of {ndim} entries (one per "
                f"axis); got {len(extrapolate)} entries."
            )
        modes = []
        for i, entry in enumerate(extrapolate):
            if isinstance(entry, str):
                _check_mode(entry, f"extrapolate[{i}]")
                modes.append((entry, entry))
            elif isinstance(entry, Sequence) and len(entry) == 2:
                left = _check_mode(entry[0], f"extrapolate[{i}][0]")
                right = _check_mode(entry[1], f"extrapolate[{i}][1]")
                modes.append((left, right))
            else:
                raise ValueError(
                    f"`extrapolate[{i}]` must be a mode or a (left, right) pair of modes; "
                    f"got {entry!r}."
                )
    else:
        raise TypeError(f"`extrapolate` must be None, a string or a sequence; got {extrapolate!r}.")
    for i, (left, right) in enumerate(modes):
        if (left == "periodic") != (right == "periodic"):
            raise ValueError(
                f"`extrapolate[{i}]` must be periodic on both sides or on neither; got "
                f"({left!r}, {right!r})."
            )
        if "fill" in (left, right) and fill_value is None:
            raise ValueError(
                f"`extrapolate` mode 'fill' on axis {i} needs a `fill_value`; got None."
            )
    return tuple(modes)


def _grid_meta(grid):
    gn = np.array([len(g) for g in grid], dtype=np.int64)
    goff = np.zeros(len(grid), dtype=np.int64)
    goff[1:] = np.cumsum(gn)[:-1]
    # grid coordinates, then the inverse cell widths in the same layout (last entry 0)
    with np.errstate(divide="ignore", invalid="ignore"):  # infinite grid points
        inv = [np.append(1.0 / np.diff(g), 0.0) for g in grid]
    gflat = np.ascontiguousarray(np.concatenate(list(grid) + inv), dtype=np.float64)
    guni = np.zeros(len(grid), dtype=np.int64)
    gx0 = np.zeros(len(grid))
    ginvh = np.zeros(len(grid))
    for a, g in enumerate(grid):
        n = len(g)
        if n >= 2 and np.isfinite(g).all():
            h = (g[-1] - g[0]) / (n - 1)
            dev = np.max(np.abs(np.diff(g) - h))
            if dev <= 1e-9 * abs(h):
                # 2: equispaced to rounding (closed-form uniform B-spline basis is exact)
                guni[a] = 2 if dev <= 1e-13 * abs(h) else 1
                gx0[a] = g[0]
                ginvh[a] = 1.0 / h
    return gflat, goff, gn, guni, gx0, ginvh


def _flat_parts(arr, ndim):
    """(N, nv) float64 C-contiguous real parts (two for complex data)."""
    shape = arr.shape
    n = int(np.prod(shape[:ndim], dtype=np.int64))
    nv = int(np.prod(shape[ndim:], dtype=np.int64))
    if np.iscomplexobj(arr):
        parts = [
            np.ascontiguousarray(arr.real, dtype=np.float64).reshape(n, nv),
            np.ascontiguousarray(arr.imag, dtype=np.float64).reshape(n, nv),
        ]
    else:
        parts = [np.ascontiguousarray(arr, dtype=np.float64).reshape(n, nv)]
    strides = np.ones(ndim, dtype=np.int64)
    for a in range(ndim - 2, -1, -1):
        strides[a] = strides[a + 1] * shape[a + 1]
    return parts, strides, nv


class GridPlan:
    """Precomputed data for one method on one grid."""

    def __init__(self, kind, grid, parts, vstr, nv, complex_, *, knots=None, k=0):
        self.kind = kind
        self.grid = grid
        self.meta = _grid_meta(grid)
        self.parts = parts
        self.vstr = vstr
        self.nv = nv
        self.complex = complex_
        self.k = k
        # exact power-of-two rescalings (None: none): the kernel sees xi * xscale and
        # data / vscale; outputs are scaled back (see `_power_of_two_scales`)
        self.xscale = None
        self.vscale = None
        if knots is not None:
            self.tflat = np.ascontiguousarray(np.concatenate(knots), dtype=np.float64)
            tn = np.array([len(t) for t in knots], dtype=np.int64)
            self.toff = np.zeros(len(knots), dtype=np.int64)
            self.toff[1:] = np.cumsum(tn)[:-1]
            self.ncoef = tn - k - 1

    def out_dtype(self, values_dtype, method=None):
        if self.kind in ("nearest", "pchip"):
            return np.dtype(values_dtype)
        return np.result_type(values_dtype, np.float64)

    def _kernel_call(self, xi, data, order, mlo, mhi, nu):
        from . import _kernels as K

        m, d = xi.shape
        nv = data.shape[1]
        out_v = np.empty((m, nv))
        out_g = np.empty((m, nv, d)) if order >= 1 else np.empty((1, 1, 1))
        out_h = np.empty((m, nv, d, d)) if order >= 2 else np.empty((1, 1, 1, 1))
        if m == 0:
            return out_v, out_g, out_h, None
        width = {"linear": 2, "nearest": 1, "pchip": 4}.get(self.kind, self.k + 1)
        work = m * width**d
        if work < _SERIAL_WORK:
            nchunks = 1  # one chunk on the calling thread
        else:
            # enough chunks for the threads to balance (a thread on a busy core takes
            # fewer), each big enough to amortise its scratch arrays
            nchunks = max(1, min(m, 64, (m + 255) // 256))
            if _SERIAL_WORK == 0:  # forced parallel path (tests)
                work = max(work, 1 << 40)
        gflat, goff, gn, guni, gx0, ginvh = self.meta
        common = (xi, gflat, goff, gn, guni, gx0, ginvh, mlo, mhi)
        oob = np.zeros((nchunks, d, 2), np.int8)

        def launch(kernel, *args):
            run_chunks(kernel, nchunks, work, *args)

        fused = self._dispatch(
            K, launch, common, data, order, nu, d, gn, out_v, out_g, out_h, nchunks, oob
        )
        return out_v, out_g, out_h, (oob.any(axis=0) if fused else None)

    def _dispatch(
        self, K, launch, common, data, order, nu, d, gn, out_v, out_g, out_h, nchunks, oob
    ):
        """Run the kernel for this case; True when it also filled ``oob`` (bounds check
        fused into the evaluation pass), False when the caller must scan ``xi``."""
        if self.kind == "linear":
            if d == 2 and order <= 1 and np.all(gn >= 2):
                launch(
                    K.linear_eval_2d, *common, data, self.vstr, order, out_v, out_g, nchunks, oob
                )
                return True
            if d == 3 and order <= 1 and np.all(gn >= 2):
                launch(
                    K.linear_eval_3d, *common, data, self.vstr, order, out_v, out_g, nchunks, oob
                )
                return True
            if order <= 1 and np.all(gn >= 2):
                launch(K.linear_eval_vg, *common, data, self.vstr, order, out_v, out_g, nchunks)
            else:
                launch(K.linear_eval, *common, data, self.vstr, order, out_v, out_g, out_h, nchunks)
        elif self.kind == "nearest":
            launch(K.nearest_eval, *common, data, self.vstr, order, out_v, out_g, out_h, nchunks)
        elif self.kind == "pchip":
            launch(K.pchip_eval, *common, data, self.vstr, order, out_v, out_g, out_h, nchunks)
        elif nu is not None:
            launch(
                K.spline_eval_nu,
                *common,
                self.tflat,
                self.toff,
                self.ncoef,
                self.k,
                data,
                self.vstr,
                np.ascontiguousarray(nu, dtype=np.int64),
                out_v,
                nchunks,
            )
        elif d == 2 and order <= 1 and self.k == 3:
            launch(
                K.cubic_vg_2d,
                *common,
                self.tflat,
                self.toff,
                self.ncoef,
                data,
                self.vstr,
                order,
                out_v,
                out_g,
                nchunks,
                oob,
            )
            return True
        elif d == 3 and order == 1 and self.k == 3:
            launch(
                K.cubic_vg_3d,
                *common,
                self.tflat,
                self.toff,
                self.ncoef,
                data,
                self.vstr,
                out_v,
                out_g,
                nchunks,
                oob,
            )
            return True
        elif order <= 1:
            kernel = K.spline_eval_3d if d == 3 else K.spline_eval_vg
            launch(
                kernel,
                *common,
                self.tflat,
                self.toff,
                self.ncoef,
                self.k,
                data,
                self.vstr,
                order,
                out_v,
                out_g,
                nchunks,
            )
        else:
            launch(
                K.spline_eval,
                *common,
                self.tflat,
                self.toff,
                self.ncoef,
                self.k,
                data,
                self.vstr,
                order,
                out_v,
                out_g,
                out_h,
                nchunks,
            )
        return False

    def _unscale(self, results, order, nu, vscale, xscale, d):
        """Undo the power-of-two rescalings on the kernel outputs (exact: a power of two
        times a float is exact unless it over- or underflows)."""
        vs = np.ones(self.nv) if vscale is None else vscale
        xs = np.ones(d) if xscale is None else xscale
        with np.errstate(over="ignore", under="ignore"):  # inf/0 are the IEEE results
            self._unscale_parts(results, order, nu, vs, xs)

    @staticmethod
    def _unscale_parts(results, order, nu, vs, xs):
        for res in results:
            if nu is not None:
                res[0][...] *= vs * np.prod(xs ** np.asarray(nu))
                continue
            res[0][...] *= vs
            if order >= 1:
                res[1][...] *= vs[:, None] * xs[None, :]
            if order >= 2:
                res[2][...] *= vs[:, None, None] * (xs[:, None] * xs[None, :])[None]

    def evaluate(self, xi, modes, order, fill_value, nu=None):
        """Evaluate at (m, d) points; returns [values, gradient, hessian][:order + 1]."""
        m, d = xi.shape
        mlo = np.array([_MODE_CODE[lo] for lo, _ in modes], dtype=np.int64)
        mhi = np.array([_MODE_CODE[hi] for _, hi in modes], dtype=np.int64)
        fill_mask = None
        sides = [
            (a, side, mode)
            for a, pair in enumerate(modes)
            for side, mode in zip((0, 1), pair, strict=True)
            if mode in ("raise", "fill")
        ]
        xscale = getattr(self, "xscale", None)
        if xscale is not None:
            xi = np.ascontiguousarray(xi * xscale)
        results = [self._kernel_call(xi, part, order, mlo, mhi, nu) for part in self.parts]
        vscale = getattr(self, "vscale", None)
        if vscale is not None or xscale is not None:
            self._unscale(results, order, nu, vscale, xscale, d)
        if sides and m:
            # checked after the evaluation: the linear 2-D/3-D and cubic 2-D/3-D value
            # (+gradient) kernels record out-of-bounds queries while they run (one pass
            # over xi); for the other kernels, scan xi now
            lo = np.array([g[0] for g in self.grid])
            hi = np.array([g[-1] for g in self.grid])
            flags = results[0][3]
            if flags is None:
                from . import _kernels as K

                nchunks = max(1, min(m, 64, (m + 4095) // 4096))
                flags = K.oob_scan(xi, lo, hi, nchunks).any(axis=0)
            raising = sorted({a for a, _, mode in sides if mode == "raise"})
            nan_axes = np.isnan(xi[:, raising]).any(axis=0) if raising else ()
            # scipy's bounds_error=True check: the first axis with a query outside the
            # grid or NaN (NaN is never inside), in scipy's words
            for a, has_nan in zip(raising, nan_axes, strict=True):
                lo_raise, hi_raise = (mode == "raise" for mode in modes[a])
                if has_nan or (lo_raise and flags[a, 0]) or (hi_raise and flags[a, 1]):
                    raise ValueError(f"One of the requested xi is out of bounds in dimension {a}")
            for a, side, mode in sides:
                if mode == "fill" and flags[a, side]:
                    bad = xi[:, a] < lo[a] if side == 0 else xi[:, a] > hi[a]
                    fill_mask = bad if fill_mask is None else fill_mask | bad
        dtype = self.out_dtype(self._values_dtype)
        outs = []
        for j in range(order + 1):
            if self.complex:
                arr = results[0][j] + 1j * results[1][j]
            else:
                arr = results[0][j]
            arr = arr.astype(dtype, copy=False)
            if fill_mask is not None and np.any(fill_mask):
                # fill_value: a scalar or an array broadcasting to the value shape;
                # derivatives of a filled point are 0 * fill_value (NaN for NaN)
                fill = np.broadcast_to(np.asarray(fill_value), self.vshape).reshape(self.nv)
                arr[fill_mask] = fill[(...,) + (None,) * j] * (1 if j == 0 else 0)
            outs.append(arr)
        return outs


def build_simple_plan(grid, values, method):
    ndim = len(grid)
    parts, vstr, nv = _flat_parts(values, ndim)
    plan = GridPlan(method, grid, parts, vstr, nv, np.iscomplexobj(values))
    plan._values_dtype = values.dtype
    plan.vshape = values.shape[ndim:]
    return plan


# rescale by powers of two only beyond this factor (inside it the kernels are accurate,
# and results are bit-identical either way: power-of-two scaling is exact)
_RESCALE_EXPONENT = 32


def _power_of_two_scales(magnitudes):
    """Powers of two ``2**-e`` bringing each magnitude into [0.5, 1); None if every
    ``|e|`` is within `_RESCALE_EXPONENT` (no rescaling needed)."""
    magnitudes = np.asarray(magnitudes, dtype=np.float64)
    finite = np.isfinite(magnitudes) & (magnitudes > 0)
    exps = np.where(finite, np.frexp(np.where(finite, magnitudes, 1.0))[1], 0)
    if np.all(np.abs(exps) <= _RESCALE_EXPONENT):
        return None
    return np.ldexp(1.0, -exps)


def _column_magnitudes(arr, ndim):
    axes = tuple(range(ndim))
    mags = np.max(np.abs(arr), axis=axes) if arr.size else np.zeros(arr.shape[ndim:])
    return np.asarray(mags, dtype=np.float64).reshape(-1)


def build_pchip_plan(grid, values):
    """PCHIP data on the grid.  PCHIP commutes with scaling each axis and each value
    component by a positive factor; the kernel's derivative jets (slopes, their
    harmonic means and derivatives) overflow or underflow for spacings or values far
    from 1, so axes and components far from unit scale are rescaled by exact powers of
    two and the outputs scaled back."""
    ndim = len(grid)
    values_dtype = values.dtype
    xscale = _power_of_two_scales([g[-1] - g[0] for g in grid])
    if xscale is not None:
        grid = tuple(g * s for g, s in zip(grid, xscale, strict=True))
    data_scale = _power_of_two_scales(_column_magnitudes(values, ndim))
    if data_scale is not None:
        values = values * data_scale.reshape(values.shape[ndim:])
    plan = build_simple_plan(grid, values, "pchip")
    plan._values_dtype = values_dtype
    plan.xscale = xscale
    plan.vscale = None if data_scale is None else 1.0 / data_scale
    return plan


def build_spline_plan(grid, values, k, solver, solver_args):
    """Tensor-product not-a-knot B-spline coefficients (scipy's make_ndbspl result)."""
    ndim = len(grid)
    if solver is None:
        coef = np.asarray(values)
        if not np.iscomplexobj(coef):
            coef = coef.astype(np.float64, copy=False)
        # values far from unit scale: solved on exactly rescaled data (the
        # collocation solves overflow near the largest floats), outputs scaled back
        data_scale = _power_of_two_scales(_column_magnitudes(coef, ndim))
        if data_scale is not None:
            coef = coef * data_scale.reshape(coef.shape[ndim:])
        knots = []
        for a in range(ndim):
            if len(grid[a]) <= SMALL_AXIS:  # numpy's dense LU: no scipy.interpolate import
                t, c = interp_spline_axis(grid[a], coef, k, a)
            else:
                from scipy.interpolate import make_interp_spline

                spl = make_interp_spline(grid[a], coef, k=k, axis=a)
                t, c = spl.t, spl.c
            knots.append(np.asarray(t, dtype=np.float64))
            coef = np.moveaxis(c, 0, a)
    else:
        data_scale = None
        from scipy.interpolate._ndbspline import make_ndbspl

        spl = make_ndbspl(grid, values, k, solver=solver, **dict(solver_args))
        knots = [np.asarray(t, dtype=np.float64) for t in spl.t]
        coef = spl.c
    parts, vstr, nv = _flat_parts(np.asarray(coef), ndim)
    plan = GridPlan("spline", grid, parts, vstr, nv, np.iscomplexobj(coef), knots=knots, k=k)
    plan._values_dtype = values.dtype
    plan.vshape = values.shape[ndim:]
    plan.vscale = None if data_scale is None else 1.0 / data_scale
    return plan
