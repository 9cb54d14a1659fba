"""RegularGridInterpolator and interpn: scipy drop-ins with one-pass gradients.

Validation and orchestration only; the numerics live in ``_kernels.py`` (numba) and the
coefficient set-up in ``_plan.py``.
"""

from __future__ import annotations

import numpy as np

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


def _ndim_coords_from_arrays(points, ndim):
    """scipy.interpolate._interpnd._ndim_coords_from_arrays, reproduced."""
    if isinstance(points, tuple) and len(points) == 1:
        points = points[0]
    if isinstance(points, tuple):
        p = np.broadcast_arrays(*points)
        for j in range(1, len(p)):
            if p[j].shape != p[0].shape:
                raise ValueError("coordinate arrays do not have the same shape")
        out = np.empty(p[0].shape + (len(points),), dtype=float)
        for j, item in enumerate(p):
            out[..., j] = item
        return out
    points = np.asanyarray(points)
    if points.ndim == 1:
        points = points.reshape(-1, ndim)
    return points


def _check_points(points):
    grid = []
    descending = []
    for i, p in enumerate(points):
        p = np.asarray(p, dtype=float)
        if p.ndim != 1:
            raise ValueError(
                f"The points in dimension {i} must be 1-dimensional: `points[{i}]` has "
                f"shape {p.shape}."
            )
        if not np.all(p[1:] > p[:-1]):
            if np.all(p[1:] < p[:-1]):
                descending.append(i)
                p = np.flip(p)
            else:
                raise ValueError(
                    f"The points in dimension {i} must be strictly ascending or "
                    f"descending: `points[{i}]` is neither."
                )
        grid.append(np.ascontiguousarray(p))
    return tuple(grid), tuple(descending)


def _check_values(values):
    if not hasattr(values, "ndim"):
        values = np.asarray(values)
    else:
        values = np.asarray(values)
    if not np.issubdtype(values.dtype, np.inexact):
        values = values.astype(float)
    return values


def _check_dimensionality(grid, values):
    if len(grid) > values.ndim:
        raise ValueError(
            f"There are {len(grid)} point arrays, but values has {values.ndim} "
            f"dimensions: `values` must have at least {len(grid)} dimensions."
        )
    for i, p in enumerate(grid):
        if values.shape[i] != len(p):
            raise ValueError(
                f"There are {len(p)} points and {values.shape[i]} values in dimension "
                f"{i}: `values.shape[{i}]` must equal `len(points[{i}])`."
            )


def _validate_grid_dimensions(grid, method):
    k = _SPLINE_K[method]
    for i, p in enumerate(grid):
        n = len(np.atleast_1d(p))
        if n <= k:
            raise ValueError(
                f"There are {n} points in dimension {i}, but method {method} requires at "
                f"least {k + 1} points per dimension (`points[{i}]` is too short)."
            )


def _check_method(method):
    if not isinstance(method, str) or method not in _ALL_METHODS:
        raise ValueError(
            f"Method {method!r} is not defined: `method` must be one of "
            f"{', '.join(repr(m) for m in sorted(_METHODS))}."
        )
    return _LEGACY.get(method, method)


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
        Extra arguments for ``solver``.
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

    NaN in a query gives NaN value and derivatives for that point only, whatever
    ``bounds_error`` is (scipy raises for NaN when ``bounds_error=True``).

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
        if method in _SPLINE_K:
            _validate_grid_dimensions(points, method)
        self.method = name  # scipy keeps the name given (e.g. "cubic_legacy")
        self.bounds_error = bounds_error
        grid, descending = _check_points(points)
        vals = _check_values(values)
        _check_dimensionality(grid, vals)
        self.fill_value = self._check_fill_value(vals, fill_value)
        if descending:
            vals = np.flip(vals, axis=descending)
        if method == "pchip" and np.iscomplexobj(vals):
            raise ValueError(
                "`PchipInterpolator` only works with real values: `values` has dtype "
                f"{vals.dtype}; use `np.real` on the array for its real part."
            )
        self._grid = grid
        self._descending_dimensions = descending
        self._values = vals
        self._extrapolate_arg = extrapolate
        self._modes = resolve_extrapolate(extrapolate, len(grid), bounds_error, fill_value)
        self._solver = solver
        self._solver_args = dict(solver_args) if solver_args else {}
        if method in _NDBSPL:
            self._plans = {
                method: build_spline_plan(grid, vals, _SPLINE_K[method], solver, self._solver_args)
            }
        else:
            if solver is not None or solver_args:
                raise ValueError(
                    f"method = {method!r} does not accept the `solver` argument; got "
                    f"solver = {solver!r} and solver_args = {solver_args!r}."
                )
            self._plans = {method: self._simple_plan(method)}

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
        """The grid points, ascending (a tuple of arrays)."""
        return self._grid

    @property
    def values(self):
        """The data on the grid (flipped along descending axes)."""
        return self._values

    @property
    def ndim(self) -> int:
        """Number of grid dimensions."""
        return len(self._grid)

    @staticmethod
    def _check_fill_value(values, fill_value):
        if fill_value is not None:
            fdt = np.asarray(fill_value).dtype
            if not np.can_cast(fdt, values.dtype, casting="same_kind"):
                raise ValueError(
                    "fill_value must be either 'None' or of a type compatible with "
                    f"values: `fill_value` has dtype {fdt} and `values` {values.dtype}."
                )
        return fill_value

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
            if method in _NDBSPL:
                plan = build_spline_plan(self._grid, self._values, _SPLINE_K[method], None, {})
            else:
                plan = self._simple_plan(method)
            # dict assignment is atomic; two threads may both build, both get equal plans
            self._plans[method] = plan
        return plan

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
        if _is_dask(xi):
            return self._run_dask(xi, method, order, nu)
        plan = self._plan(method)
        xi2, xi_shape = self._prepare_xi(xi)
        if nu is not None:
            nu = np.asarray(nu)
            if nu.shape != (len(self._grid),) or nu.dtype.kind not in "iu" or np.any(nu < 0):
                raise ValueError(
                    f"`nu` must be a sequence of {len(self._grid)} non-negative integers; "
                    f"got {nu!r}."
                )
        outs = plan.evaluate(xi2, self._modes, order, self.fill_value, nu=nu)
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
        if xi.ndim == 1:
            xi = xi.reshape(1, -1)
        if xi.shape[-1] != d:
            raise ValueError(
                f"The requested sample points xi have dimension {xi.shape[-1]} but this "
                f"RegularGridInterpolator has dimension {d}: `xi.shape[-1]` must be {d}."
            )
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
            f"'cubic', 'quintic', 'pchip', and 'splinef2d'. You provided {method}."
        )
    if method == "splinef2d":
        if gradient or hessian or extrapolate is not None:
            raise ValueError(
                "`method` 'splinef2d' is delegated to scipy and supports neither "
                "`gradient`, `hessian` nor `extrapolate`."
            )
        from scipy.interpolate import interpn as _scipy_interpn

        return _scipy_interpn(
            points, values, xi, method=method, bounds_error=bounds_error, fill_value=fill_value
        )
    if not hasattr(values, "ndim"):
        values = np.asarray(values)
    if len(points) > values.ndim:
        raise ValueError(
            f"There are {len(points)} point arrays, but values has {values.ndim} "
            f"dimensions: `values` must have at least {len(points)} dimensions."
        )
    grid, _ = _check_points(points)
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


# keep the option set quotable in messages
EXTRAPOLATE_MODES = EXTRAPOLATE_CHOICES
