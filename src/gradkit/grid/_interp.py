"""RegularGridInterpolator and interpn: scipy drop-ins with one-pass gradients.

Validation and orchestration only; the numerics live in ``_kernels.py`` (numba), in
``_small.py`` (plain numpy, for few query points) and the coefficient set-up in ``_plan.py``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .._validation import short_repr
from . import _small
from ._plan import (
    EXTRAPOLATE_CHOICES,
    GridPlan,
    build_pchip_plan,
    build_simple_plan,
    build_spline_plan,
    resolve_extrapolate,
)

__all__ = ["RegularGridInterpolator", "interpn"]

_METHODS = frozenset({"linear", "nearest", "slinear", "cubic", "quintic", "pchip"})
_LEGACY = {"slinear_legacy": "slinear", "cubic_legacy": "cubic", "quintic_legacy": "quintic"}
_ALL_METHODS = _METHODS | frozenset(_LEGACY)
_SPLINE_K = {"slinear": 1, "cubic": 3, "quintic": 5, "pchip": 3}
_NDBSPL = frozenset({"slinear", "cubic", "quintic"})


def _is_dask(obj) -> bool:
    return type(obj).__module__.split(".")[0] == "dask"


class GridShapeError(ValueError, IndexError):
    """A malformed shape where scipy raises ``IndexError`` (a 0-d query, a bare array of
    points, an empty axis): also a ``ValueError``, as numpy's ``AxisError`` is, so that
    code written against either peer type catches it and the message names the argument."""


def _shown(value) -> str:
    """``short_repr`` of ``value`` with numpy scalars shown as Python values (``1.0``,
    not ``np.float64(1.0)``)."""
    if isinstance(value, np.generic):
        value = value.item()
    elif isinstance(value, (tuple, list)) and len(value) <= 8:
        value = type(value)(v.item() if isinstance(v, np.generic) else v for v in value)
    return short_repr(value)


def _float_array(value, name):
    """``value`` as a real float64 array; complex, text and object entries that do not
    convert raise naming ``name`` (the peer raises the same types without a name)."""
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"`{name}` must be an array of real numbers; {exc}") from exc
    if arr.dtype.kind == "c":
        raise TypeError(
            f"`{name}` must be real; got an array of dtype {arr.dtype} (scipy would drop the "
            "imaginary part with a ComplexWarning)."
        )
    try:
        return arr.astype(np.float64, copy=False)
    except (ValueError, TypeError) as exc:
        raise type(exc)(
            f"`{name}` must be an array of real numbers; got dtype {arr.dtype}: {exc}"
        ) from exc


def _ndim_coords_from_arrays(points, ndim):
    """scipy.interpolate._interpnd._ndim_coords_from_arrays: the same shapes, with the
    conversion errors naming `xi`."""
    if isinstance(points, tuple) and len(points) == 1:
        points = points[0]
    if isinstance(points, tuple):
        arrays = [_float_array(p, f"xi[{j}]") for j, p in enumerate(points)]
        try:
            parts = np.broadcast_arrays(*arrays)
        except ValueError as exc:
            raise ValueError(
                f"The arrays of `xi` (a tuple of coordinate arrays) must broadcast together; "
                f"got shapes {', '.join(str(a.shape) for a in arrays)}: {exc}"
            ) from exc
        out = np.empty(parts[0].shape + (len(points),), dtype=float)
        for j, item in enumerate(parts):
            out[..., j] = item
        return out
    if points is None:
        raise GridShapeError(
            f"`xi` must be an array of query points of shape (..., {ndim}); got None."
        )
    try:
        is_scalar = np.ndim(points) == 0
    except ValueError:  # ragged nested sequences: reported by the conversion below
        is_scalar = False
    if is_scalar:
        raise GridShapeError(
            f"`xi` must be an array of query points of shape (..., {ndim}); got the "
            f"0-d value {_shown(points)} (write [[x]] for one point of a 1-D grid)."
        )
    coords = _float_array(points, "xi")
    if coords.ndim == 1:
        if coords.size % ndim:
            raise ValueError(
                f"`xi` is 1-D with {coords.size} entries, which is not a whole number of "
                f"points of dimension {ndim}: `xi` must have shape (..., {ndim})."
            )
        coords = coords.reshape(-1, ndim)
    return coords


def _check_points(points):
    if isinstance(points, np.ndarray) and points.ndim < 2:
        raise GridShapeError(
            "`points` must be a tuple of 1-D arrays, one per axis; got a single array of "
            f"shape {points.shape} (write `(x,)` for a 1-D grid)."
        )
    try:
        axes = list(points)
    except TypeError:
        raise TypeError(
            f"`points` must be a tuple of 1-D arrays, one per axis; got {_shown(points)}."
        ) from None
    if not axes:
        raise ValueError("`points` must hold at least one axis; got an empty sequence.")
    grid = []
    descending = []
    for i, p in enumerate(axes):
        p = _float_array(p, f"points[{i}]")
        if p.ndim == 0:
            raise GridShapeError(
                f"The points in dimension {i} must be 1-dimensional: `points[{i}]` is the "
                f"scalar {_shown(p[()])} (`points` is a tuple of 1-D arrays, one per axis)."
            )
        if p.ndim != 1:
            raise ValueError(
                f"The points in dimension {i} must be 1-dimensional: `points[{i}]` has "
                f"shape {p.shape}."
            )
        if p.size == 0:
            raise GridShapeError(
                f"`points[{i}]` is empty: every axis needs at least one grid point."
            )
        if not np.all(p[1:] > p[:-1]):
            if np.all(p[1:] < p[:-1]):
                descending.append(i)
                p = np.flip(p)
            else:
                raise ValueError(
                    f"The points in dimension {i} must be strictly ascending or "
                    f"descending: `points[{i}]` is neither"
                    + (" (it holds NaN)." if np.isnan(p).any() else ".")
                )
        with np.errstate(over="ignore", divide="ignore"):
            widths = np.diff(p)
            if np.isfinite(widths).all() and not np.isfinite(1.0 / widths).all():
                raise ValueError(
                    f"`points[{i}]` has a grid spacing of {_shown(widths.min())}, whose "
                    "reciprocal overflows: rescale the coordinates."
                )
        grid.append(np.ascontiguousarray(p))
    return tuple(grid), tuple(descending)


def _gather_duck_values(values, ndim):
    """Read an array-like that numpy cannot convert (it has ``ndim``, ``shape`` and
    ``__getitem__`` but no usable ``__array__``) the way scipy's linear and nearest
    methods read it: by indexing with integer arrays along the grid axes."""
    try:
        shape = tuple(int(n) for n in values.shape)
        index = np.ix_(*[np.arange(n) for n in shape[:ndim]])
        data = np.asarray(values[index])
    except Exception as exc:
        raise TypeError(
            f"`values` must be an array-like; got {_shown(values)}, which numpy cannot "
            f"convert and which cannot be indexed by integer arrays ({exc})."
        ) from exc
    if data.shape != shape:
        raise TypeError(
            f"`values` claims shape {shape} but indexing it gave an array of shape {data.shape}."
        )
    return data


def _check_values(values, ndim):
    """``values`` as a numpy array (scipy's conversion: inexact dtypes kept, anything
    else converted to float64), or an error naming `values`."""
    if isinstance(values, np.ndarray):
        arr = np.asarray(values)  # np.matrix and other subclasses: plain arrays
    elif hasattr(values, "ndim"):
        try:
            arr = np.asarray(values)
        except Exception:
            if not isinstance(values.ndim, int) or values.ndim < ndim:
                _check_ndim(ndim, values.ndim)
            arr = _gather_duck_values(values, ndim)
    else:
        try:
            arr = np.asarray(values)
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"`values` must be an array of numbers; {exc}") from exc
    if not np.issubdtype(arr.dtype, np.inexact):
        try:
            arr = arr.astype(float)
        except (ValueError, TypeError) as exc:
            raise type(exc)(
                f"`values` must be an array of numbers; got dtype {arr.dtype}: {exc}"
            ) from exc
    return arr


def _check_ndim(npoints, ndim):
    if npoints > ndim:
        raise ValueError(
            f"There are {npoints} point arrays, but values has {ndim} "
            f"dimensions: `values` must have at least {npoints} dimensions."
        )


def _check_dimensionality(grid, values):
    _check_ndim(len(grid), values.ndim)
    for i, p in enumerate(grid):
        if values.shape[i] != len(p):
            raise ValueError(
                f"There are {len(p)} points and {values.shape[i]} values in dimension "
                f"{i}: `values.shape[{i}]` must equal `len(points[{i}])`."
            )


def _validate_grid_dimensions(grid, method):
    k = _SPLINE_K[method]
    for i, p in enumerate(grid):
        n = len(p)
        if n <= k:
            raise ValueError(
                f"There are {n} points in dimension {i}, but method {method} requires at "
                f"least {k + 1} points per dimension (`points[{i}]` is too short)."
            )
        if not np.isfinite(p).all():
            raise ValueError(
                f"`points[{i}]` must be finite for method {method!r}; got "
                f"{_shown(p[~np.isfinite(p)][0])}."
            )


def _require_finite_values(values, method):
    """scipy's spline and pchip fits reject NaN and inf in the data (ValueError)."""
    finite = np.isfinite(values)
    if not finite.all():
        where = tuple(int(i) for i in np.argwhere(~finite)[0])
        raise ValueError(
            f"`values` must be finite for method {method!r} (its fit reads every value); "
            f"got {_shown(values[where])} at index {where}. Only 'linear' and 'nearest' "
            "accept NaN and inf."
        )


def _check_method(method):
    if not isinstance(method, str) or method not in _ALL_METHODS:
        raise ValueError(
            f"Method {_shown(method)} is not defined: `method` must be one of "
            f"{', '.join(repr(m) for m in sorted(_METHODS))}."
        )
    method = str(method)  # a numpy string shows as 'cubic' in messages, not np.str_(...)
    return _LEGACY.get(method, method)


def _check_bounds_error(bounds_error):
    if isinstance(bounds_error, (bool, np.bool_)):
        return bool(bounds_error)
    if isinstance(bounds_error, (int, np.integer)) and bounds_error in (0, 1):
        return bool(bounds_error)
    raise TypeError(f"`bounds_error` must be True or False; got {_shown(bounds_error)}.")


def _check_fill_value(values, fill_value):
    """scipy's rule (a dtype that casts to the values' dtype, same kind), plus a shape
    that broadcasts to the value shape."""
    if fill_value is None:
        return None
    try:
        fill = np.asarray(fill_value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"`fill_value` must be None or a number; {exc}") from exc
    if fill.dtype.kind not in "biufc" or not np.can_cast(
        fill.dtype, values.dtype, casting="same_kind"
    ):
        raise ValueError(
            "fill_value must be either 'None' or of a type compatible with values: "
            f"`fill_value` has dtype {fill.dtype} (got {_shown(fill_value)}) and `values` "
            f"{values.dtype}."
        )
    return fill


def _check_bool(value, name):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"`{name}` must be True or False; got {_shown(value)}.")


def _check_nu(nu, ndim):
    """``nu`` as an int64 array of ``ndim`` non-negative orders (scipy converts with
    ``np.asarray(nu, dtype=np.int64)``; gradkit also refuses non-integral floats)."""
    try:
        arr = np.asarray(nu)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"`nu` must be a sequence of {ndim} integers; {exc}") from exc
    kind = arr.dtype.kind
    if kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
        arr = arr.astype(np.int64)
    elif kind in "biu":
        arr = arr.astype(np.int64)
    elif kind in "USf":
        raise ValueError(
            f"`nu` must be a sequence of {ndim} non-negative integers; got {_shown(nu)}."
        )
    else:
        raise TypeError(
            f"`nu` must be a sequence of {ndim} non-negative integers; got {_shown(nu)}."
        )
    if arr.shape != (ndim,) or np.any(arr < 0):
        raise ValueError(
            f"`nu` must be a sequence of {ndim} non-negative integers; got {_shown(nu)}."
        )
    return arr


class RegularGridInterpolator:
    """Interpolator on a rectilinear grid with values, gradients and Hessians in one pass.

    A drop-in for :class:`scipy.interpolate.RegularGridInterpolator` (same signature,
    defaults, values, shapes, dtypes and errors) that adds :meth:`value_and_gradient`,
    :meth:`value_gradient_hessian`, :meth:`gradient` and :meth:`hessian` for every
    method, and per-axis, per-side extrapolation.

    Parameters
    ----------
    points : tuple of (m_i,) array_like
        Grid coordinates along each of the ``ndim`` axes, strictly ascending or strictly
        descending.
    values : (m_1, ..., m_ndim, ...) array_like
        Data on the grid; trailing dimensions are value dimensions (vector-valued
        interpolation).  Complex data is accepted except for ``"pchip"``.
    method : {"linear", "nearest", "slinear", "cubic", "quintic", "pchip"}, optional
        Interpolation method; default ``"linear"``.
    bounds_error : bool, optional
        Raise ``ValueError`` for queries outside the grid (default True).
    fill_value : number or None, optional
        Value returned outside the grid when ``bounds_error`` is False; ``None``
        extrapolates (continues the edge cell's polynomial).  Default ``nan``.
    solver : callable, optional
        Only for ``"slinear"``, ``"cubic"``, ``"quintic"``: a ``scipy.sparse.linalg``
        solver used, as scipy does, on the full collocation system.  By default gradkit
        solves the tensor-product system exactly, one axis at a time (banded solves),
        which is faster than and at least as accurate as scipy's default iterative solve.
    solver_args : dict, optional
        Extra arguments for ``solver``; without ``solver`` they go to scipy's default
        solver, ``scipy.sparse.linalg.gcrotmk``, and the coefficients are scipy's.
    extrapolate : str or sequence, optional
        gradkit extension overriding ``bounds_error``/``fill_value`` outside the grid:
        one of ``"linear"`` (continue the edge polynomial, scipy's ``fill_value=None``),
        ``"nearest"`` (clamp to the edge), ``"periodic"`` (period ``points[i][-1] -
        points[i][0]``), ``"fill"`` (``fill_value``) or ``"raise"``; or a sequence with
        one entry per axis, each a mode or a ``(left, right)`` pair of modes.

    Notes
    -----
    Derivatives are exact derivatives of the interpolant, including outside the grid
    (the gradient of a clamped axis is 0 there, of a filled point ``0 * fill_value``):

    - spline methods: derivatives of the tensor-product B-spline (de Boor), equal to
      scipy's ``nu=`` results;
    - ``"linear"``: the piecewise-multilinear derivative of the cell that scipy's
      ``find_indices`` selects -- the cell ``[g[i], g[i+1])`` with ``g[i] <= x``, so on
      an interior grid line the derivative of the cell on the right (higher index) is
      returned, and on the last grid line that of the last cell.  Its Hessian has zero
      diagonal and the cell's mixed derivatives off the diagonal;
    - ``"nearest"``: zero;
    - ``"pchip"``: scipy evaluates 1-D PCHIP interpolants along the last axis, then
      folds each earlier axis with PCHIP slopes computed from the folded values, which
      is *not* a fixed tensor product (the slopes are nonlinear in the data).  gradkit
      carries first and second derivatives through exactly that sequence (forward
      mode), so the gradient is the derivative of scipy's value; it is continuous along
      each axis but may jump across cell faces in the other axes, where scipy's slope
      limiter switches branches.

    Queries: with ``bounds_error=True`` (or an axis side in mode ``"raise"``) a query
    outside the grid *or NaN* raises scipy's ``ValueError`` ("One of the requested xi is
    out of bounds in dimension i", scipy's exact words); otherwise NaN in a query gives
    NaN value and derivatives for that point only.  ``bounds_error`` and ``fill_value``
    are read at every call, as in scipy (assigning them takes effect); ``values`` and
    ``grid`` are read-only, as in scipy.

    Data: ``"linear"`` and ``"nearest"`` accept NaN and inf in ``values`` (they spoil
    the cells that read them); the fits (spline methods, ``"pchip"``) raise
    ``ValueError`` naming ``values``, as scipy's fits do.  ``values`` may be any object
    numpy converts, or one with ``ndim``, ``shape`` and integer-array indexing (read by
    indexing, as scipy's linear and nearest methods read it).

    Errors: where scipy raises ``IndexError`` for a malformed shape (a 0-d query, a bare
    array as ``points``, an empty axis) gradkit raises ``GridShapeError``, both an
    ``IndexError`` and a ``ValueError``.  Complex ``points`` or ``xi`` raise ``TypeError``
    (scipy drops the imaginary part with a warning); ``bounds_error`` must be a bool
    (scipy takes any object's truth value); a grid spacing whose reciprocal overflows
    (below about 5e-309) is refused.

    References
    ----------
    C. de Boor, *A Practical Guide to Splines*, Springer, 1978.
    F. N. Fritsch and J. Butland, "A method for constructing local monotone piecewise
    cubic interpolants", SIAM J. Sci. Stat. Comput. 5 (1984) 300-304.

    Examples
    --------
    >>> import numpy as np
    >>> from gradkit.grid import RegularGridInterpolator
    >>> x = np.linspace(0, 1, 5)
    >>> y = np.linspace(0, 2, 7)
    >>> values = 2 * x[:, None] + 3 * y[None, :] ** 2
    >>> interp = RegularGridInterpolator((x, y), values)
    >>> v, g = interp.value_and_gradient([0.3, 0.5])
    >>> v.round(6), g.round(6)
    (array([1.433333]), array([[2., 3.]]))

    On a grid line the linear method returns the derivative of the cell on the right
    (scipy's cell rule); ``y = 1`` is a grid line, the cell ``[1, 4/3]`` has slope 7:

    >>> interp.gradient([0.3, 1.0]).round(6)
    array([[2., 7.]])
    """

    # scipy's class attribute, in scipy's order (its test suite parametrizes over it)
    _ALL_METHODS = ["linear", "nearest", "slinear", "cubic", "quintic", "pchip", *_LEGACY]

    def __init__(
        self,
        points,
        values,
        method="linear",
        bounds_error=True,
        fill_value=np.nan,
        *,
        solver=None,
        solver_args=None,
        extrapolate=None,
    ):
        name = method
        method = _check_method(method)
        grid, descending = _check_points(points)
        if method in _SPLINE_K:
            _validate_grid_dimensions(grid, method)
        self.method = name  # scipy keeps the name given (e.g. "cubic_legacy")
        self.bounds_error = _check_bounds_error(bounds_error)
        vals = _check_values(values, len(grid))
        _check_dimensionality(grid, vals)
        self._fill = _check_fill_value(vals, fill_value)
        self._check_fill_shape(vals.shape[len(grid) :], self._fill)
        self._fill_source = fill_value
        self.fill_value = fill_value
        if descending:
            vals = np.flip(vals, axis=descending)
        if method == "pchip" and np.iscomplexobj(vals):
            raise ValueError(
                "`PchipInterpolator` only works with real values: `values` has dtype "
                f"{vals.dtype}; use `np.real` on the array for its real part."
            )
        if method in _SPLINE_K:
            _require_finite_values(vals, str(name))
        self._grid = grid
        self._descending_dimensions = descending
        self._values = vals
        self._extrapolate_arg = extrapolate
        # checked now (errors at construction), resolved again at each call from the
        # current `bounds_error` and `fill_value` attributes, which scipy lets users set
        resolve_extrapolate(extrapolate, len(grid), self.bounds_error, fill_value)
        if method in _NDBSPL:
            solver, args = self._check_solver(solver, solver_args)
            self._solver = solver
            self._solver_args = args
            self._plans = {method: self._spline_plan(method, solver, args)}
        else:
            if solver is not None or solver_args:
                raise ValueError(
                    f"method = {name!r} does not accept the `solver` argument; got "
                    f"solver = {_shown(solver)} and solver_args = {_shown(solver_args)}."
                )
            self._solver = None
            self._solver_args = {}
            self._plans = {method: self._simple_plan(method)}

    @staticmethod
    def _check_solver(solver, solver_args):
        if solver_args is not None and not isinstance(solver_args, Mapping):
            raise TypeError(
                f"`solver_args` must be a dict of keyword arguments for `solver`; got "
                f"{_shown(solver_args)}."
            )
        if solver is not None and not callable(solver):
            raise TypeError(
                f"`solver` must be a callable solver(A, b, **solver_args) such as "
                f"scipy.sparse.linalg.spsolve; got {_shown(solver)}."
            )
        args = dict(solver_args) if solver_args else {}
        if args and solver is None:
            # scipy passes `solver_args` to its default solver, gcrotmk
            from scipy.sparse.linalg import gcrotmk

            solver = gcrotmk
        return solver, args

    def _spline_plan(self, method, solver, args):
        if solver is None:
            return build_spline_plan(self._grid, self._values, _SPLINE_K[method], None, {})
        try:
            return build_spline_plan(self._grid, self._values, _SPLINE_K[method], solver, args)
        except TypeError as exc:
            label = getattr(solver, "__name__", None) or _shown(solver)
            raise TypeError(
                f"`solver` {label} failed when called as solver(A, b, **solver_args) with "
                f"`solver_args` = {_shown(args)}: {exc}"
            ) from exc

    @staticmethod
    def _check_fill_shape(vshape, fill):
        if fill is not None and fill.ndim:
            try:
                np.broadcast_to(fill, vshape)
            except ValueError:
                raise ValueError(
                    f"`fill_value` must be a number or broadcast to the value shape "
                    f"{vshape}; got an array of shape {fill.shape}."
                ) from None

    def __getstate__(self):
        # plans of linear/nearest/pchip are views of ``values``: rebuilt on first use
        # after unpickling, so a pickle (e.g. shipped to dask workers) carries the data
        # once; spline plans carry their coefficients.
        state = self.__dict__.copy()
        state["_plans"] = {
            k: v for k, v in self._plans.items() if k not in ("linear", "nearest", "pchip")
        }
        return state

    # -- scipy attributes -----------------------------------------------------------
    @property
    def grid(self):
        """The grid points, ascending (a tuple of arrays; read-only, as in scipy)."""
        return self._grid

    @property
    def values(self):
        """The data on the grid, flipped along descending axes (read-only, as in scipy)."""
        return self._values

    @property
    def ndim(self) -> int:
        """Number of grid dimensions."""
        return len(self._grid)

    def _simple_plan(self, method):
        if method == "pchip":
            return build_pchip_plan(self._grid, self._values)
        return build_simple_plan(self._grid, self._values, method)

    def _plan(self, method) -> GridPlan:
        plan = self._plans.get(method)
        if plan is None:
            if method in _SPLINE_K:
                _validate_grid_dimensions(self._grid, method)
            if method == "pchip" and np.iscomplexobj(self._values):
                raise ValueError(
                    "`PchipInterpolator` only works with real values: `values` has dtype "
                    f"{self._values.dtype}; use `np.real` on the array for its real part."
                )
            if method in _SPLINE_K:
                _require_finite_values(self._values, method)
            if method in _NDBSPL:
                plan = self._spline_plan(method, None, {})
            else:
                plan = self._simple_plan(method)
            # dict assignment is atomic; two threads may both build, both get equal plans
            self._plans[method] = plan
        return plan

    def _outside(self):
        """Extrapolation modes and the fill array from the current `bounds_error` and
        `fill_value` attributes (scipy reads them at every call)."""
        bounds_error = _check_bounds_error(self.bounds_error)
        fill_value = self.fill_value
        if fill_value is getattr(self, "_fill_source", None) and fill_value is not None:
            fill = self._fill
        else:
            fill = _check_fill_value(self._values, fill_value)
            self._check_fill_shape(self._values.shape[len(self._grid) :], fill)
        modes = resolve_extrapolate(self._extrapolate_arg, len(self._grid), bounds_error, fill)
        return modes, fill

    # -- evaluation -----------------------------------------------------------------
    def _prepare_xi(self, xi):
        ndim = len(self._grid)
        xi = _ndim_coords_from_arrays(xi, ndim=ndim)
        if xi.shape[-1] != ndim:
            raise ValueError(
                f"The requested sample points xi have dimension {xi.shape[-1]} but this "
                f"RegularGridInterpolator has dimension {ndim}: `xi.shape[-1]` must be "
                f"{ndim}."
            )
        xi_shape = xi.shape
        xi = np.ascontiguousarray(np.asarray(xi, dtype=float).reshape(-1, ndim))
        return xi, xi_shape

    def _run(self, xi, method, order, nu=None):
        method = _check_method(self.method if method is None else method)
        if nu is not None and method not in _NDBSPL:
            raise ValueError(
                f"Can only compute derivatives for methods {sorted(_NDBSPL)}, got "
                f"method = {method!r}: `nu` needs a spline method."
            )
        modes, fill = self._outside()
        if _is_dask(xi):
            return self._run_dask(xi, method, order, nu)
        plan = self._plan(method)
        xi2, xi_shape = self._prepare_xi(xi)
        if nu is not None:
            nu = _check_nu(nu, len(self._grid))
        if _small.wanted(method, xi2.shape[0], len(self._grid)):
            outs = _small.evaluate(
                method, self._grid, self._values, plan, xi2, modes, order, fill, nu
            )
        else:
            outs = plan.evaluate(xi2, modes, order, fill, nu=nu)
        lead = xi_shape[:-1]
        vshape = self._values.shape[len(self._grid) :]
        d = len(self._grid)
        shaped = [outs[0].reshape(lead + vshape)]
        if order >= 1:
            shaped.append(outs[1].reshape(lead + vshape + (d,)))
        if order >= 2:
            shaped.append(outs[2].reshape(lead + vshape + (d, d)))
        return shaped

    def _run_dask(self, xi, method, order, nu):
        import dask.array as da

        d = len(self._grid)
        if xi.ndim == 0:
            raise GridShapeError(
                f"`xi` must be an array of query points of shape (..., {d}); got a 0-d dask array."
            )
        if xi.dtype.kind not in "biuf":
            raise TypeError(f"`xi` must be an array of real numbers; got dtype {xi.dtype}.")
        if xi.ndim == 1:
            if xi.shape[0] % d:
                raise ValueError(
                    f"`xi` is 1-D with {xi.shape[0]} entries, which is not a whole number "
                    f"of points of dimension {d}: `xi` must have shape (..., {d})."
                )
            xi = xi.reshape(-1, d)
        if xi.shape[-1] != d:
            raise ValueError(
                f"The requested sample points xi have dimension {xi.shape[-1]} but this "
                f"RegularGridInterpolator has dimension {d}: `xi.shape[-1]` must be {d}."
            )
        if nu is not None:
            nu = _check_nu(nu, d)
        xi = xi.rechunk({xi.ndim - 1: -1})
        vshape = self._values.shape[d:]
        nv = int(np.prod(vshape, dtype=np.int64))
        sizes = [nv, nv * d, nv * d * d][: order + 1]
        total = sum(sizes)
        dtype = self._plan(method).out_dtype(self._values.dtype, method)

        def block(b):
            outs = self._run(b, method, order, nu)
            flat = [o.reshape(b.shape[:-1] + (-1,)) for o in outs]
            return np.concatenate(flat, axis=-1)

        packed = da.map_blocks(block, xi, dtype=dtype, chunks=xi.chunks[:-1] + ((total,),))
        lead = xi.shape[:-1]
        result = []
        start = 0
        tails = [vshape, vshape + (d,), vshape + (d, d)]
        for size, tail in zip(sizes, tails, strict=False):
            part = packed[..., start : start + size]
            result.append(part.reshape(lead + tail) if tail != (size,) else part)
            start += size
        return result

    def __call__(self, xi, method=None, *, nu=None):
        """Interpolate at ``xi`` (scipy's signature).

        Parameters
        ----------
        xi : (..., ndim) array_like or tuple of ndim arrays
            Query points.
        method : str, optional
            Method for this call; default the one given at construction.
        nu : sequence of ndim ints, optional
            Orders of the partial derivatives (spline methods only), as in scipy.

        Returns
        -------
        values : ndarray, shape ``xi.shape[:-1] + values.shape[ndim:]``

        Examples
        --------
        >>> import numpy as np
        >>> from gradkit.grid import RegularGridInterpolator
        >>> x = np.array([0.0, 1.0, 2.0])
        >>> interp = RegularGridInterpolator((x,), x**2)
        >>> interp([[0.5], [1.5]])
        array([0.5, 2.5])
        """
        return self._run(xi, method, 0, nu)[0]

    def value_and_gradient(self, xi, method=None):
        """Values and gradient at ``xi`` in one pass.

        Parameters
        ----------
        xi : (..., ndim) array_like or tuple of ndim arrays
            Query points.
        method : str, optional
            Method for this call; default the one given at construction.

        Returns
        -------
        values : ndarray, shape ``xi.shape[:-1] + value_shape``
        gradient : ndarray, shape ``xi.shape[:-1] + value_shape + (ndim,)``

        Examples
        --------
        >>> import numpy as np
        >>> from gradkit.grid import RegularGridInterpolator
        >>> x = np.linspace(0, 3, 4)
        >>> interp = RegularGridInterpolator((x, x), x[:, None] * x[None, :])
        >>> v, g = interp.value_and_gradient([[1.5, 2.0]])
        >>> v, g
        (array([3.]), array([[2. , 1.5]]))
        """
        v, g = self._run(xi, method, 1)
        return v, g

    def value_gradient_hessian(self, xi, method=None):
        """Values, gradient and Hessian at ``xi`` in one pass.

        Parameters
        ----------
        xi : (..., ndim) array_like or tuple of ndim arrays
            Query points.
        method : str, optional
            Method for this call; default the one given at construction.

        Returns
        -------
        values : ndarray, shape ``xi.shape[:-1] + value_shape``
        gradient : ndarray, shape ``xi.shape[:-1] + value_shape + (ndim,)``
        hessian : ndarray, shape ``xi.shape[:-1] + value_shape + (ndim, ndim)``

        Examples
        --------
        >>> import numpy as np
        >>> from gradkit.grid import RegularGridInterpolator
        >>> x = np.linspace(0, 3, 7)
        >>> interp = RegularGridInterpolator((x, x), x[:, None] ** 2 * x[None, :],
        ...                                  method="cubic")
        >>> v, g, h = interp.value_gradient_hessian([1.0, 2.0])
        >>> np.round(h, 8) + 0.0
        array([[[4., 2.],
                [2., 0.]]])
        """
        v, g, h = self._run(xi, method, 2)
        return v, g, h

    def gradient(self, xi, method=None):
        """Gradient at ``xi``: shape ``xi.shape[:-1] + value_shape + (ndim,)``.

        Examples
        --------
        >>> import numpy as np
        >>> from gradkit.grid import RegularGridInterpolator
        >>> x = np.linspace(0, 1, 3)
        >>> RegularGridInterpolator((x,), 4 * x).gradient([[0.2]])
        array([[4.]])
        """
        return self._run(xi, method, 1)[1]

    def hessian(self, xi, method=None):
        """Hessian at ``xi``: shape ``xi.shape[:-1] + value_shape + (ndim, ndim)``.

        Examples
        --------
        >>> import numpy as np
        >>> from gradkit.grid import RegularGridInterpolator
        >>> x = np.linspace(0, 1, 6)
        >>> interp = RegularGridInterpolator((x,), x**3, method="cubic")
        >>> np.round(interp.hessian([[0.5]]), 10)
        array([[[3.]]])
        """
        return self._run(xi, method, 2)[2]

    def __repr__(self):
        shape = "x".join(str(len(g)) for g in self._grid)
        return (
            f"RegularGridInterpolator(grid {shape}, method={self.method!r}, "
            f"dtype={self._values.dtype})"
        )


def interpn(
    points,
    values,
    xi,
    method="linear",
    bounds_error=True,
    fill_value=np.nan,
    *,
    gradient=False,
    hessian=False,
    extrapolate=None,
):
    """Interpolation on a rectilinear grid (scipy's ``interpn``), optionally with
    gradient and Hessian from the same pass.

    Parameters
    ----------
    points : tuple of (m_i,) array_like
        Grid coordinates, strictly ascending or descending.
    values : (m_1, ..., m_ndim, ...) array_like
        Data on the grid.
    xi : (..., ndim) array_like
        Query points.
    method : str, optional
        ``"linear"``, ``"nearest"``, ``"slinear"``, ``"cubic"``, ``"quintic"``,
        ``"pchip"`` or ``"splinef2d"`` (delegated to scipy, values only).
    bounds_error, fill_value
        As in scipy.
    gradient, hessian : bool, optional
        gradkit extension: also return the gradient (and Hessian).
    extrapolate : str or sequence, optional
        See :class:`RegularGridInterpolator`.

    Returns
    -------
    values : ndarray
        ``xi.shape[:-1] + values.shape[ndim:]``.  With ``gradient=True`` a tuple
        ``(values, gradient)``; with ``hessian=True`` ``(values, gradient, hessian)``.

    Examples
    --------
    >>> import numpy as np
    >>> from gradkit.grid import interpn
    >>> x = np.linspace(0, 4, 5)
    >>> vals = 2 * x[:, None] + 3 * x[None, :]
    >>> interpn((x, x), vals, [2.5, 1.25], gradient=True)
    (array([8.75]), array([[2., 3.]]))
    """
    if not isinstance(method, str) or method not in (_ALL_METHODS | {"splinef2d"}):
        raise ValueError(
            "interpn only understands the methods 'linear', 'nearest', 'slinear', "
            f"'cubic', 'quintic', 'pchip', and 'splinef2d'. You provided {_shown(method)}: "
            "`method` must be one of these."
        )
    gradient = _check_bool(gradient, "gradient")
    hessian = _check_bool(hessian, "hessian")
    if method == "splinef2d":
        if gradient or hessian or extrapolate is not None:
            raise ValueError(
                "`method` 'splinef2d' is delegated to scipy and supports neither "
                "`gradient`, `hessian` nor `extrapolate`."
            )
        return _splinef2d(points, values, xi, bounds_error, fill_value)
    grid, _ = _check_points(points)
    values = _check_values(values, len(grid))
    _check_dimensionality(grid, values)
    if not _is_dask(xi):
        xi = _ndim_coords_from_arrays(xi, ndim=len(grid))
        if xi.shape[-1] != len(grid):
            raise ValueError(
                f"The requested sample points xi have dimension {xi.shape[-1]}, but this "
                f"RegularGridInterpolator has dimension {len(grid)}: `xi.shape[-1]` must "
                f"be {len(grid)}."
            )
    interp = RegularGridInterpolator(
        points,
        values,
        method=method,
        bounds_error=bounds_error,
        fill_value=fill_value,
        extrapolate=extrapolate,
    )
    if hessian:
        return interp.value_gradient_hessian(xi)
    if gradient:
        return interp.value_and_gradient(xi)
    return interp(xi)


def _splinef2d(points, values, xi, bounds_error, fill_value):
    """scipy's ``interpn(..., method="splinef2d")`` after gradkit's checks (scipy's own
    checks leak IndexError for 0-d queries and return NaN everywhere for one NaN)."""
    grid, descending = _check_points(points)
    values = _check_values(values, len(grid))
    if len(grid) != 2 or values.ndim != 2:
        raise ValueError(
            "The method splinef2d can only be used for 2-dimensional input data: `points` "
            f"has {len(grid)} axes and `values` {values.ndim} dimensions."
        )
    _check_dimensionality(grid, values)
    bounds_error = _check_bounds_error(bounds_error)
    if not bounds_error and fill_value is None:
        raise ValueError(
            "The method splinef2d does not support extrapolation: `fill_value` must not be "
            "None when `bounds_error` is False."
        )
    _check_fill_value(values, fill_value)
    # complex values: scipy fits the real part with a ComplexWarning (its suite checks it)
    for i, g in enumerate(grid):
        if len(g) < 4:
            raise ValueError(
                f"There are {len(g)} points in dimension {i}, but method splinef2d requires "
                f"at least 4 points per dimension (`points[{i}]` is too short)."
            )
        if not np.isfinite(g).all():
            raise ValueError(f"`points[{i}]` must be finite for method 'splinef2d'.")
    _require_finite_values(values, "splinef2d")
    xi = _ndim_coords_from_arrays(xi, ndim=2)
    if xi.shape[-1] != 2:
        raise ValueError(
            f"The requested sample points xi have dimension {xi.shape[-1]}, but this "
            "RegularGridInterpolator has dimension 2: `xi.shape[-1]` must be 2."
        )
    if descending:
        values = np.flip(values, axis=descending)
    from scipy.interpolate import interpn as scipy_interpn

    return scipy_interpn(
        grid, values, xi, method="splinef2d", bounds_error=bounds_error, fill_value=fill_value
    )


# keep the option set quotable in messages
EXTRAPOLATE_MODES = EXTRAPOLATE_CHOICES
