"""RBFInterpolator: a drop-in for scipy.interpolate.RBFInterpolator, with derivatives.

This module validates and orchestrates; the numerics live in ``_radial.py`` (the radial
functions), ``_kernels.py`` (numba), ``_numpy.py`` (small inputs, without numba) and
``_solvers.py`` (dense LAPACK solve and the matrix-free conjugate-gradient solver).
"""

from __future__ import annotations

import warnings
from math import comb
from types import GenericAlias

import numpy as np
from numpy.linalg import LinAlgError

from .._validation import check_choice, check_int, short_repr
from . import _radial
from ._checks import (
    ArgumentShapeError,
    as_real_array,
    as_values_array,
    check_degree,
    check_epsilon,
    check_kernel,
    check_neighbors,
    check_smoothing,
)

__all__ = ["RBFInterpolator"]

# scipy's kernels
_SCIPY_KERNELS = frozenset(
    {
        "linear",
        "thin_plate_spline",
        "cubic",
        "quintic",
        "multiquadric",
        "inverse_multiquadric",
        "inverse_quadratic",
        "gaussian",
    }
)
#: every kernel gradkit implements (scipy's eight and three more)
_AVAILABLE = _SCIPY_KERNELS | {"exponential", "matern32", "matern52"}

#: kernels whose shape parameter may be omitted (it only rescales `smoothing`)
_SCALE_INVARIANT = frozenset({"linear", "thin_plate_spline", "cubic", "quintic"})

#: minimum polynomial degree of conditionally positive-definite kernels (Fasshauer, ch. 8);
#: kernels not listed are positive definite (minimum degree -1).  The exponential
#: (Laplacian) and Matern kernels are positive definite in every dimension.
_NAME_TO_MIN_DEGREE = {
    "multiquadric": 0,
    "linear": 0,
    "thin_plate_spline": 1,
    "cubic": 1,
    "quintic": 2,
}

#: integer codes of the radial functions (the kernels' compile-time key)
_KERNEL_CODES = dict(_radial.CODES)

_SOLVERS = frozenset({"auto", "direct", "iterative"})
_PRECONDITIONERS = frozenset({"auto", "nystrom", "jacobi", "none"})

#: "auto" uses the dense solver up to this many points
_AUTO_DIRECT_MAX_N = 4096
_DEFAULT_MEMORY_BUDGET = 1 << 30


def _monomial_powers(ndim, degree):
    """Exponents of the monomials spanning polynomials of ``degree`` (scipy's order)."""
    from itertools import combinations_with_replacement

    nmonos = comb(degree + ndim, ndim)
    out = np.zeros((nmonos, ndim), dtype=np.int64)
    count = 0
    for deg in range(degree + 1):
        for mono in combinations_with_replacement(range(ndim), deg):
            for var in mono:
                out[count, var] += 1
            count += 1
    return out


def _shift_scale(y):
    mins = y.min(axis=0)
    maxs = y.max(axis=0)
    shift = (maxs + mins) / 2
    scale = (maxs - mins) / 2
    scale = np.where(scale == 0.0, 1.0, scale)
    return shift, scale


def _y_shape_error(shape):
    return None if len(shape) == 2 else "`y` must be a 2-dimensional array."


def _is_dask(x):
    return type(x).__module__.startswith("dask.") and hasattr(x, "map_blocks")


class RBFInterpolator:
    """Radial basis function interpolator in N >= 1 dimensions, with derivatives.

    A drop-in for :class:`scipy.interpolate.RBFInterpolator` (same arguments, defaults,
    values to rounding, warnings and errors) that adds exact gradients and Hessians of the
    interpolant (``gradient``, ``hessian``, ``value_and_gradient``,
    ``value_gradient_hessian``), three more kernels, a matrix-free iterative solver with
    linear memory for large ``N``, a fast local (``neighbors``) mode and lazy evaluation
    of dask arrays.

    Parameters
    ----------
    y : (npoints, ndims) array_like
        2-D array of data point coordinates.
    d : (npoints, ...) array_like
        N-D array of data values at `y` (real or complex).
    neighbors : int, optional
        If given, the interpolant at each evaluation point uses only this many nearest
        data points (one small solve per evaluation point). All points by default.
    smoothing : float or (npoints,) array_like, optional
        Smoothing parameter ``lambda`` added to the diagonal of the kernel matrix; 0 (the
        default) interpolates. ``smoothing=alpha`` with ``degree=-1`` is the ridge / kernel
        regression problem ``(alpha I + K) a = d``.
    kernel : str, optional
        Radial function of ``r = epsilon * |x - c|``: ``'linear'`` (``-r``),
        ``'thin_plate_spline'`` (``r**2 log r``, default), ``'cubic'`` (``r**3``),
        ``'quintic'`` (``-r**5``), ``'multiquadric'`` (``-sqrt(1 + r**2)``),
        ``'inverse_multiquadric'`` (``1/sqrt(1 + r**2)``), ``'inverse_quadratic'``
        (``1/(1 + r**2)``), ``'gaussian'`` (``exp(-r**2)``), and gradkit's
        ``'exponential'`` (``exp(-r)``, the Laplacian kernel), ``'matern32'``
        (``(1 + sqrt(3) r) exp(-sqrt(3) r)``) and ``'matern52'``
        (``(1 + sqrt(5) r + 5 r**2/3) exp(-sqrt(5) r)``).
    epsilon : float, optional
        Shape parameter. Defaults to 1 for the scale-invariant kernels ``'linear'``,
        ``'thin_plate_spline'``, ``'cubic'`` and ``'quintic'``; required otherwise.
    degree : int, optional
        Degree of the added polynomial; -1 for none. Default: the kernel's minimum degree
        (``multiquadric`` and ``linear`` 0, ``thin_plate_spline`` and ``cubic`` 1,
        ``quintic`` 2) or 0 for positive-definite kernels (including the three new ones).
    solver : {'auto', 'direct', 'iterative'}, optional
        How the global system is solved (ignored when `neighbors` is given).
        ``'direct'`` builds the dense matrix and calls LAPACK ``dgesv`` as scipy does.
        ``'iterative'`` never stores the kernel matrix: preconditioned conjugate
        gradients on ``(K + S) a = d`` (projected onto the null space of ``P^T`` when
        there is a polynomial tail). ``'auto'`` (default) is ``'direct'`` up to 4096
        points, and beyond that while the dense matrix fits `memory_budget` unless the
        kernel is positive definite (Nystrom-preconditioned) and every point is smoothed;
        ``'iterative'`` otherwise. If an automatically chosen iterative solve does not
        converge and the dense matrix fits, ``'auto'`` falls back to ``'direct'``.
    tol : float, optional
        Relative residual ``|r| / |d|`` at which the iterative solver stops. Default 1e-8.
    maxiter : int, optional
        Iteration limit of the iterative solver (default 1000); exceeding it raises
        :class:`~gradkit.rbf.ConvergenceError`.
    preconditioner : {'auto', 'nystrom', 'jacobi', 'none'}, optional
        Preconditioner of the iterative solver. ``'auto'``: a Nystrom preconditioner
        for positive-definite kernels, none for the conditionally positive-definite ones.
    preconditioner_rank : int, optional
        Number of landmarks of the Nystrom preconditioner (default ``min(N, 600)``, fewer
        when the N x rank landmark block would exceed 256 MiB).
    memory_budget : int, optional
        Bytes the ``'auto'`` solver may spend on a dense matrix (default 1 GiB).
    progress : bool, optional
        Show a progress line on stderr during an iterative fit: ``None`` (default) once
        the fit has taken more than 2 seconds, ``True`` always, ``False`` never.

    Attributes
    ----------
    solver : str
        The solver used: ``'direct'``, ``'iterative'`` or ``'local'``.
    n_iterations : int
        Conjugate-gradient iterations of the fit (0 unless iterative).
    residual : float or None
        Final relative residual of an iterative fit (None otherwise).

    Notes
    -----
    The interpolant is ``f(x) = sum_j a_j phi(epsilon |x - y_j|) + sum_k b_k p_k(xhat)``
    with monomials ``p_k`` of ``xhat = (x - shift) / scale`` (shift and scale map the data's
    bounding box to ``[-1, 1]``, as scipy does), and ``(K + diag(smoothing)) a + P b = d``,
    ``P^T a = 0`` [1]_.

    Derivatives are exact: for ``z = epsilon (x - y_j)``, ``s = |z|``,
    ``grad phi = epsilon phi'(s) z / s`` and ``hess phi = epsilon**2 (phi'(s)/s I +
    (phi''(s) - phi'(s)/s) z z^T / s**2)``. Where a kernel is not differentiable at
    ``r = 0`` the term centred at the evaluation point contributes **zero** to the
    gradient and the Hessian: for ``'linear'`` and ``'exponential'`` that is the average
    of the one-sided derivatives (the gradient) and a finite stand-in for an unbounded
    Hessian; for ``'thin_plate_spline'`` the gradient is the exact limit (0) and the
    Hessian, which diverges like ``log r``, is taken as 0. All other kernels are twice
    differentiable at 0 and their exact limits are used (``cubic`` and ``quintic`` 0,
    ``matern32`` ``-3 epsilon**2 I``).

    NaN and inf in the data behave as in scipy: in a global fit, a non-finite entry of `y`
    makes every output NaN and a non-finite entry of a column of `d` makes that column's
    outputs NaN (the other columns are fitted as if it were absent); in local mode
    (`neighbors`) a non-finite `d` spoils the neighbourhoods that hold it, and `y` must be
    finite (scipy's KD-tree requires it). A NaN coordinate of a query makes all of that
    query's outputs (values, gradient, Hessian) NaN, in every mode.

    Differences from scipy, all for input scipy accepts but cannot fit meaningfully
    (gradkit raises where scipy returns NaN or garbage, or silently truncates):

    - a non-finite `epsilon` raises ``ValueError`` (scipy returns NaN everywhere);
    - a polynomial tail that the points of `y` do not determine (e.g. collinear points in
      2-D with ``degree >= 1``) raises scipy's ``LinAlgError`` "... does not have full
      column rank" in every solver; scipy checks only when LAPACK meets an exactly zero
      pivot, which rounding usually prevents in a global fit;
    - a non-finite `smoothing` raises (``ValueError`` for NaN; scipy's ``LinAlgError``
      for inf);
    - a non-integral `degree` or `neighbors` (1.5) or a string `degree` raises
      ``ValueError`` (scipy truncates to an integer); integral floats and
      ``neighbors=inf`` are accepted as in scipy;
    - complex `y`, `x` or `smoothing` raise ``TypeError`` (numpy would discard the
      imaginary part with a ``ComplexWarning``);
    - coincident points with no smoothing are fitted once if their values agree and
      raise ``LinAlgError`` naming `smoothing` if they differ (scipy solves a singular
      system).

    Errors name the argument; where scipy's exception type is an accident of its code
    (``AttributeError`` for ``kernel=3`` or ``smoothing='a'``, ``IndexError`` for
    ``d=None``, ``OverflowError`` for ``degree=inf``) gradkit's error is an instance of
    scipy's type and of ``TypeError``/``ValueError``.

    References
    ----------
    .. [1] Fasshauer, G., 2007. Meshfree Approximation Methods with Matlab. World
       Scientific Publishing Co.
    .. [2] Frangella, Z., Tropp, J. A., Udell, M., 2023. Randomized Nystrom
       preconditioning. SIAM J. Matrix Anal. Appl. 44(2).

    Examples
    --------
    >>> import numpy as np
    >>> from gradkit.rbf import RBFInterpolator
    >>> rng = np.random.default_rng(0)
    >>> y = rng.random((50, 2))
    >>> d = np.sin(3 * y[:, 0]) + y[:, 1] ** 2
    >>> f = RBFInterpolator(y, d)
    >>> x = np.array([[0.5, 0.5]])
    >>> value, grad = f.value_and_gradient(x)
    >>> value.shape, grad.shape
    ((1,), (1, 2))
    >>> bool(np.allclose(grad, [[3 * np.cos(1.5), 1.0]], atol=0.05))
    True
    """

    # generic type compatibility with scipy-stubs, as scipy's class
    __class_getitem__ = classmethod(GenericAlias)

    def __init__(
        self,
        y,
        d,
        neighbors=None,
        smoothing=0.0,
        kernel="thin_plate_spline",
        epsilon=None,
        degree=None,
        *,
        solver="auto",
        tol=1e-8,
        maxiter=1000,
        preconditioner="auto",
        preconditioner_rank=None,
        memory_budget=None,
        progress=None,
    ):
        y = as_real_array(y, "y", _y_shape_error)
        if y.ndim != 2:
            raise ValueError(_y_shape_error(y.shape))
        ny, ndim = y.shape
        if ny == 0:
            raise ValueError(f"`y` must hold at least one data point; got shape (0, {ndim}).")
        if ndim == 0:
            # every point coincides in zero dimensions (scipy: a singular matrix)
            raise LinAlgError(f"`y` must have at least one coordinate column; got shape {y.shape}.")

        d = as_values_array(d, "d")
        d_dtype = d.dtype.type
        if d.ndim == 0:
            raise ArgumentShapeError(
                f"Expected the first axis of `d` to have length {ny}; got a scalar "
                f"({short_repr(d[()].item())})."
            )
        if d.shape[0] != ny:
            raise ValueError(f"Expected the first axis of `d` to have length {ny}.")
        d_shape = d.shape[1:]
        d = d.reshape((ny, -1))
        d = d.view(float)

        smoothing = check_smoothing(smoothing, ny)
        kernel = check_kernel(kernel, _AVAILABLE)

        if epsilon is None:
            if kernel in _SCALE_INVARIANT:
                epsilon = 1.0
            else:
                raise ValueError(
                    "`epsilon` must be specified if `kernel` is not one of "
                    f"{set(_SCALE_INVARIANT)}."
                )
        else:
            epsilon = check_epsilon(epsilon)

        min_degree = _NAME_TO_MIN_DEGREE.get(kernel, -1)
        if degree is None:
            degree = max(min_degree, 0)
        else:
            degree = check_degree(degree)
            if degree < -1:
                raise ValueError(f"`degree` must be at least -1; got {degree}.")
            elif -1 < degree < min_degree:
                warnings.warn(
                    f"`degree` should not be below {min_degree} except -1 "
                    f"when `kernel` is '{kernel}'."
                    f"The interpolant may not be uniquely "
                    f"solvable, and the smoothing parameter may have an "
                    f"unintuitive effect.",
                    UserWarning,
                    stacklevel=2,
                )

        neighbors = check_neighbors(neighbors, ny)
        nobs = ny if neighbors is None else neighbors

        nmonos = comb(degree + ndim, ndim) if degree >= 0 else 0
        if nmonos > nobs:
            raise ValueError(
                f"At least {nmonos} data points are required when "
                f"`degree` is {degree} and the number of dimensions is {ndim}."
                + ("" if neighbors is None else f" (`neighbors` is {neighbors}).")
            )
        powers = _monomial_powers(ndim, degree)

        # gradkit's extra checks: finite coordinates in local mode (scipy's KDTree
        # raises), solver options, repeated points.  NaN/inf in the global fit spoil
        # the outputs as in scipy: non-finite `y` every output, non-finite `d` its column.
        if neighbors is not None and not np.all(np.isfinite(y)):
            bad = int(np.count_nonzero(~np.isfinite(y)))
            raise ValueError(
                f"`y` must contain only finite values when `neighbors` is given; got {bad} "
                f"NaN or infinite entr{'y' if bad == 1 else 'ies'}."
            )
        check_choice(solver, "solver", _SOLVERS)
        if preconditioner is None:
            preconditioner = "none"
        check_choice(preconditioner, "preconditioner", _PRECONDITIONERS)
        if isinstance(tol, bool) or not (
            isinstance(tol, (int, float, np.integer, np.floating)) and 0 < tol < 1
        ):
            raise ValueError(f"`tol` must be a number between 0 and 1; got {short_repr(tol)}.")
        if isinstance(maxiter, bool) or not isinstance(maxiter, (int, np.integer)) or maxiter < 1:
            raise ValueError(f"`maxiter` must be a positive integer; got {short_repr(maxiter)}.")
        if preconditioner_rank is not None:
            preconditioner_rank = check_int(preconditioner_rank, "preconditioner_rank", minimum=1)
        if memory_budget is None:
            memory_budget = _DEFAULT_MEMORY_BUDGET
        memory_budget = check_int(memory_budget, "memory_budget", minimum=0)
        if progress is not None and not isinstance(progress, (bool, np.bool_)):
            raise TypeError(f"`progress` must be None, True or False; got {short_repr(progress)}.")
        y_finite = bool(np.all(np.isfinite(y)))
        finite_columns = np.all(np.isfinite(d), axis=0)
        keep = self._check_duplicates(y, d, smoothing, finite_columns) if y_finite else None

        self.y = y
        self.d = d
        self.d_shape = d_shape
        self.d_dtype = d_dtype
        self.neighbors = neighbors
        self.smoothing = smoothing
        self.kernel = kernel
        self.epsilon = epsilon
        self.powers = powers
        self.n_iterations = 0
        self.residual = None
        self.preconditioner = None

        if neighbors is None:
            from . import _solvers

            if y_finite:
                shift, scale = _shift_scale(y)
                with np.errstate(over="ignore"):
                    yeps = y * epsilon
                yhat = (y - shift) / scale
                # scaled coordinates that overflow make scipy's system NaN, as NaN `y`
                y_finite = bool(np.all(np.isfinite(yeps)))
            else:
                shift = scale = np.full(ndim, np.nan)
                yeps = yhat = None
            code = _KERNEL_CODES[kernel]
            m = powers.shape[0]
            iterative_ok = degree >= min_degree
            dense_fits = 8 * (ny + m) ** 2 <= memory_budget
            fallback = False
            if solver == "auto":
                preconditioned = min_degree < 0 and preconditioner in ("auto", "nystrom")
                if ny <= _AUTO_DIRECT_MAX_N or not iterative_ok:
                    solver = "direct"
                elif dense_fits and not (preconditioned and np.all(smoothing > 0)):
                    solver = "direct"
                else:
                    solver = "iterative"
                    fallback = dense_fits
            ns = d.shape[1]
            if not y_finite:
                # scipy's dense solve of a system with NaN entries: every weight is NaN
                coeffs = np.full((ny + m, ns), np.nan)
            else:
                if m > 0:
                    _solvers.check_polynomial_rank(yhat, powers, degree)
                coeffs = self._solve_global(
                    _solvers,
                    solver,
                    fallback,
                    keep,
                    (yeps, yhat, d, smoothing),
                    finite_columns,
                    code,
                    powers,
                    min_degree,
                    dict(
                        tol=float(tol),
                        maxiter=int(maxiter),
                        preconditioner=preconditioner,
                        preconditioner_rank=preconditioner_rank,
                        progress=progress,
                    ),
                )
                solver = self.solver
            self._shift = shift
            self._scale = scale
            self._coeffs = coeffs
            self.solver = solver
        else:
            from scipy.spatial import cKDTree

            # repeated points with equal values and no smoothing are used once
            self._local = None if keep is None else (y[keep], d[keep], smoothing[keep])
            # the tree sees the points scaled by a power of 2 (exact, so the same
            # neighbours) when their squared distances could overflow or underflow
            largest = float(np.max(np.abs(y))) if y.size else 0.0
            self._tree_scale = (
                1.0 if 1e-100 < largest < 1e100 else float(2.0 ** -np.frexp(largest)[1])
            )
            ytree = y if keep is None else y[keep]
            self._tree = cKDTree(ytree * self._tree_scale)
            self.solver = "local"

    def _solve_global(
        self,
        _solvers,
        solver,
        fallback,
        keep,
        system,
        finite_columns,
        code,
        powers,
        min_degree,
        options,
    ):
        """Solve for the weights of the finite columns of `d` (the others are NaN, as in
        scipy's solve); sets ``self.solver`` and the iteration statistics."""
        yeps, yhat, d, smoothing = system
        ny = yeps.shape[0]
        m = powers.shape[0]
        if keep is not None:
            # repeated points with equal values and no smoothing: solve on one copy
            # (the interpolant is the same; the dense system would be singular)
            yeps, yhat, d, smoothing = yeps[keep], yhat[keep], d[keep], smoothing[keep]
        all_finite = bool(finite_columns.all())
        rhs = d if all_finite else np.ascontiguousarray(d[:, finite_columns])
        if solver == "iterative":
            try:
                part, info = _solvers.solve_iterative(
                    yeps,
                    yhat,
                    rhs,
                    smoothing,
                    code,
                    powers,
                    positive_definite=min_degree < 0,
                    breakdown_hint=self._singular_hint(smoothing, dense=True),
                    **options,
                )
            except _solvers.ConvergenceError:
                if not fallback:
                    raise
                solver = "direct"  # "auto": the dense matrix fits, so solve it densely
            else:
                self.n_iterations = info["iterations"]
                self.residual = info["residual"]
                self.preconditioner = info["preconditioner"]
        if solver == "direct":
            part = _solvers.solve_direct(
                yeps,
                yhat,
                rhs,
                smoothing,
                code,
                powers,
                singular_hint=self._singular_hint(smoothing),
            )
        self.solver = solver
        if all_finite:
            coeffs = part
        else:
            coeffs = np.full((part.shape[0], d.shape[1]), np.nan)
            coeffs[:, finite_columns] = part
        if keep is not None:
            full = np.zeros((ny + m, coeffs.shape[1]))
            full[:ny][keep] = coeffs[: coeffs.shape[0] - m]
            full[ny:] = coeffs[coeffs.shape[0] - m :]
            coeffs = full
        return coeffs

    def _singular_hint(self, smoothing, dense=False):
        """Why a system whose polynomial matrix has full rank is singular (or not
        positive definite for the iterative solver), and what to do about it."""
        from ._solvers import ill_conditioned_message

        degree = int(self.powers.sum(axis=1).max()) if self.powers.shape[0] else -1
        min_degree = _NAME_TO_MIN_DEGREE.get(self.kernel, -1)
        if degree < min_degree:
            return (
                f"`degree` {degree} is below the minimum degree {min_degree} of the "
                f"'{self.kernel}' kernel, so the system need not be solvable; use "
                f"`degree` >= {min_degree}"
                + (" or `smoothing` > 0" if not np.all(smoothing > 0) else "")
                + (", or `solver='direct'`." if dense else ".")
            )
        if np.any(smoothing < 0):
            return (
                "Negative `smoothing` can make the system singular or indefinite; use "
                "`smoothing` >= 0."
            )
        return ill_conditioned_message(self.epsilon, self.kernel, dense=dense)

    # ------------------------------------------------------------------ checks
    @staticmethod
    def _check_duplicates(y, d, smoothing, finite_columns):
        """Raise if coincident points with no smoothing carry different values.

        Return None, or a mask that keeps one of each group of coincident points with
        equal values and no smoothing.  Coincidence is exact equality of the coordinates,
        found by sorting (no distances, so no overflow for coordinates near the largest
        float); columns of `d` with NaN or inf are left out of the comparison (their
        outputs are NaN whatever the weights).
        """
        unsmoothed = np.flatnonzero(smoothing == 0)
        if unsmoothed.size < 2:
            return None
        yu = y[unsmoothed]
        order = np.lexsort(yu.T[::-1])
        ys = yu[order]
        same = np.all(ys[1:] == ys[:-1], axis=1)
        if not same.any():
            return None
        first = unsmoothed[order[:-1][same]]
        second = unsmoothed[order[1:][same]]
        dc = d[:, finite_columns]
        differ = np.any(dc[first] != dc[second], axis=1)
        bad = np.flatnonzero(differ)
        if bad.size:
            a, b = int(first[bad[0]]), int(second[bad[0]])
            raise LinAlgError(
                f"`y` has {bad.size} pair(s) of coincident data points with different "
                f"values in `d` (e.g. points {min(a, b)} and {max(a, b)} at "
                f"{y[a].tolist()}), which no interpolant can fit; pass `smoothing` > 0 "
                f"to fit them in the least-squares sense, or remove the duplicates."
            )
        keep = np.ones(y.shape[0], dtype=bool)
        keep[second] = False
        return keep

    def _x_shape_error(self, shape, allow_nd):
        """The message of the error for queries of ``shape``, or None if it is valid."""
        nd = self.y.shape[1]
        if allow_nd:
            if len(shape) < 2:
                return (
                    f"`x` must have shape (..., {nd}) with at least 2 dimensions; got "
                    f"shape {shape} (use x[None] for one point)."
                )
            if shape[-1] != nd:
                return (
                    f"Expected the last axis of `x` to have length {nd} (the number of "
                    f"columns of `y`); got shape {shape}."
                )
        else:
            if len(shape) != 2:
                return "`x` must be a 2-dimensional array."
            if shape[1] != nd:
                return f"Expected the second axis of `x` to have length {nd}."
        return None

    def _check_x(self, x, allow_nd):
        def rule(shape):
            return self._x_shape_error(shape, allow_nd)

        x = as_real_array(x, "x", rule)
        message = rule(x.shape)
        if message is not None:
            raise ValueError(message)
        return x

    # -------------------------------------------------------------- pickling
    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_yeps_t_cache", None)
        state.pop("_coeffs_t_cache", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)

    # ------------------------------------------------------------ evaluation
    def _yeps_t(self):
        yt = self.__dict__.get("_yeps_t_cache")
        if yt is None:
            with np.errstate(invalid="ignore", over="ignore"):  # non-finite `y`: NaN out
                yt = np.ascontiguousarray((self.y * self.epsilon).T)
            self._yeps_t_cache = yt
        return yt

    def _coeffs_t(self):
        ct = self.__dict__.get("_coeffs_t_cache")
        if ct is None:
            ct = np.ascontiguousarray(self._coeffs.T)
            self._coeffs_t_cache = ct
        return ct

    def _local_data(self):
        local = self.__dict__.get("_local")
        if local is None:
            return self.y, self.d, self.smoothing
        return local

    def _eval2d(self, x, nderiv):
        """Evaluate at a validated (nq, ndim) float64 array; float columns."""
        nq, nd = x.shape
        ns = self.d.shape[1]
        out_v = np.empty((nq, ns))
        out_g = np.empty((nq, ns, nd)) if nderiv >= 1 else np.empty((1, 1, 1))
        out_h = np.empty((nq, ns, nd, nd)) if nderiv >= 2 else np.empty((1, 1, 1, 1))
        if nq == 0:
            return out_v, out_g, out_h
        code = _KERNEL_CODES[self.kernel]
        if self.neighbors is None:
            from . import _numpy

            if _numpy.use_for_evaluation(nq, self.y.shape[0]):
                outs = _numpy.evaluate(
                    x,
                    self._yeps_t().T,
                    self.epsilon,
                    code,
                    self.powers,
                    self._shift,
                    self._scale,
                    self._coeffs,
                    nderiv,
                )
                out_v, out_g, out_h = outs + (out_g, out_h)[len(outs) - 1 :]
            else:
                from . import _kernels

                _kernels.evaluate(
                    x,
                    self._yeps_t(),
                    self.epsilon,
                    code,
                    self.powers,
                    self._shift,
                    self._scale,
                    self._coeffs_t(),
                    nderiv,
                    out_v,
                    out_g,
                    out_h,
                )
            # a NaN coordinate spoils its query's every output (the kernels' conventions
            # at r = 0 and the polynomial's partial derivatives could leave some finite)
            nan_rows = np.isnan(x).any(axis=1)
            if nan_rows.any():
                out_v[nan_rows] = np.nan
                if nderiv >= 1:
                    out_g[nan_rows] = np.nan
                if nderiv >= 2:
                    out_h[nan_rows] = np.nan
        else:
            from . import _kernels

            finite = np.all(np.isfinite(x), axis=1)
            xq = x if finite.all() else np.where(finite[:, None], x, 0.0)
            tree_scale = self.__dict__.get("_tree_scale", 1.0)
            xtree = xq if tree_scale == 1.0 else xq * tree_scale
            _, idx = self._tree.query(xtree, self.neighbors, workers=-1)
            if self.neighbors == 1:
                idx = idx[:, None]
            idx = np.sort(idx, axis=1).astype(np.int64)
            status = np.zeros(nq, dtype=np.int8)
            yl, dl, sl = self._local_data()
            _kernels.local_solve_evaluate(
                xq,
                idx,
                yl,
                dl,
                sl,
                self.epsilon,
                code,
                self.powers,
                nderiv,
                out_v,
                out_g,
                out_h,
                status,
            )
            if status.any():
                q = int(np.flatnonzero(status)[0])
                ynbr = yl[idx[q]]
                msg = None
                if self.powers.shape[0] > 0:
                    from ._solvers import _rank_message

                    shift, scale = _shift_scale(ynbr)
                    msg = _rank_message(
                        (ynbr - shift) / scale,
                        self.powers,
                        where=f" in the neighbourhood of `x[{q}]` ({self.neighbors} points)",
                    )
                    if msg is None and status[q] == 2:
                        msg = (
                            "Singular matrix. The matrix of monomials evaluated at the "
                            f"{self.neighbors} points of `y` nearest to `x[{q}]` is "
                            "numerically rank deficient: those points do not determine a "
                            "polynomial of the interpolant's `degree`. Use a lower "
                            "`degree` or more `neighbors`."
                        )
                if msg is None:
                    msg = "Singular matrix. " + self._singular_hint(sl[idx[q]])
                raise LinAlgError(msg)
            if not finite.all():
                out_v[~finite] = np.nan
                if nderiv >= 1:
                    out_g[~finite] = np.nan
                if nderiv >= 2:
                    out_h[~finite] = np.nan
        return out_v, out_g, out_h

    def _to_user(self, arr, lead, nderiv):
        """Reshape float columns (nq, ns, [nd, [nd]]) to lead + d_shape + (nd,)*nderiv."""
        nd = self.y.shape[1]
        tail = (nd,) * nderiv
        if self.d_dtype == np.complex128:
            nq = arr.shape[0]
            ns2 = arr.shape[1]
            arr = arr.reshape((nq, ns2 // 2, 2) + tail)
            arr = arr[:, :, 0] + 1j * arr[:, :, 1]
        return arr.reshape(lead + self.d_shape + tail)

    def _evaluate(self, x, nderiv, allow_nd):
        if _is_dask(x):
            return self._evaluate_dask(x, nderiv)
        x = self._check_x(x, allow_nd)
        lead = x.shape[:-1]
        x2 = x.reshape((-1, x.shape[-1]))
        outs = self._eval2d(x2, nderiv)
        return tuple(self._to_user(outs[k], lead, k) for k in range(nderiv + 1))

    def _evaluate_dask(self, x, nderiv):

        nd = self.y.shape[1]
        if x.ndim < 2 or x.shape[-1] != nd:
            raise ValueError(
                f"Expected the last axis of `x` to have length {nd} (the number of "
                f"columns of `y`); got shape {x.shape}."
            )
        if x.dtype.kind not in "biuf":
            what = "complex values" if x.dtype.kind == "c" else f"dtype {x.dtype}"
            raise TypeError(f"`x` must be real numbers; got a dask array of {what}.")
        x = x.astype(np.float64).rechunk({x.ndim - 1: -1})
        out_dtype = np.dtype(self.d_dtype)
        nval = int(np.prod(self.d_shape, dtype=np.int64))
        per = [nval * nd**k for k in range(nderiv + 1)]
        total = sum(per)

        def block(xb):
            outs = self._evaluate(xb, nderiv, True)
            lead = xb.shape[:-1]
            return np.concatenate([o.reshape(lead + (-1,)) for o in outs], axis=-1)

        packed = x.map_blocks(
            block,
            dtype=out_dtype,
            chunks=x.chunks[:-1] + ((total,),),
        )
        results = []
        start = 0
        for k in range(nderiv + 1):
            part = packed[..., start : start + per[k]]
            start += per[k]
            results.append(part.reshape(x.shape[:-1] + self.d_shape + (nd,) * k))
        return tuple(results)

    def __call__(self, x):
        """Evaluate the interpolant at `x`.

        Parameters
        ----------
        x : (npts, ndim) array_like
            Evaluation point coordinates (a dask array gives a lazy dask array).

        Returns
        -------
        (npts, ...) ndarray
            Values of the interpolant at `x`.
        """
        return self._evaluate(x, 0, False)[0]

    def value_and_gradient(self, x):
        """Values and exact gradients of the interpolant at `x`, in one pass.

        Parameters
        ----------
        x : (..., ndim) array_like
            Evaluation points (a dask array gives lazy dask arrays).

        Returns
        -------
        value : (...) + d.shape[1:] ndarray
        gradient : (...) + d.shape[1:] + (ndim,) ndarray
            ``gradient[..., i]`` is the derivative with respect to ``x[..., i]``.

        Examples
        --------
        >>> import numpy as np
        >>> from gradkit.rbf import RBFInterpolator
        >>> y = np.linspace(0, 1, 11)[:, None]
        >>> f = RBFInterpolator(y, y[:, 0] ** 2, kernel="quintic", degree=2)
        >>> v, g = f.value_and_gradient([[0.5]])
        >>> round(float(v[0]), 12), round(float(g[0, 0]), 6)
        (0.25, 1.0)
        """
        return self._evaluate(x, 1, True)

    def value_gradient_hessian(self, x):
        """Values, gradients and Hessians of the interpolant at `x`, in one pass.

        Parameters
        ----------
        x : (..., ndim) array_like
            Evaluation points (a dask array gives lazy dask arrays).

        Returns
        -------
        value : (...) + d.shape[1:] ndarray
        gradient : (...) + d.shape[1:] + (ndim,) ndarray
        hessian : (...) + d.shape[1:] + (ndim, ndim) ndarray

        Examples
        --------
        >>> import numpy as np
        >>> from gradkit.rbf import RBFInterpolator
        >>> rng = np.random.default_rng(1)
        >>> y = rng.random((30, 2))
        >>> f = RBFInterpolator(y, y[:, 0] * y[:, 1], kernel="cubic", degree=2)
        >>> v, g, h = f.value_gradient_hessian([[0.3, 0.6]])
        >>> np.round(h[0], 6) + 0.0
        array([[0., 1.],
               [1., 0.]])
        """
        return self._evaluate(x, 2, True)

    def gradient(self, x):
        """Exact gradient of the interpolant at `x`.

        Parameters
        ----------
        x : (..., ndim) array_like
            Evaluation points (a dask array gives a lazy dask array).

        Returns
        -------
        (...) + d.shape[1:] + (ndim,) ndarray
            ``gradient(x)[..., i]`` is the derivative with respect to ``x[..., i]``; the
            same as ``value_and_gradient(x)[1]``.

        Examples
        --------
        >>> import numpy as np
        >>> from gradkit.rbf import RBFInterpolator
        >>> y = np.linspace(0, 1, 11)[:, None]
        >>> f = RBFInterpolator(y, 3 * y[:, 0] ** 2, kernel="quintic", degree=2)
        >>> g = f.gradient([[0.5], [1.0]])
        >>> g.shape
        (2, 1)
        >>> np.round(g[:, 0], 6) + 0.0
        array([3., 6.])
        """
        return self._evaluate(x, 1, True)[1]

    def hessian(self, x):
        """Exact Hessian of the interpolant at `x`.

        Parameters
        ----------
        x : (..., ndim) array_like
            Evaluation points (a dask array gives a lazy dask array).

        Returns
        -------
        (...) + d.shape[1:] + (ndim, ndim) ndarray
            ``hessian(x)[..., i, j]`` is the second derivative with respect to
            ``x[..., i]`` and ``x[..., j]``; the same as ``value_gradient_hessian(x)[2]``.

        Examples
        --------
        >>> import numpy as np
        >>> from gradkit.rbf import RBFInterpolator
        >>> rng = np.random.default_rng(1)
        >>> y = rng.random((30, 2))
        >>> f = RBFInterpolator(y, y[:, 0] ** 2 + y[:, 0] * y[:, 1], kernel="cubic", degree=2)
        >>> h = f.hessian([[0.3, 0.6]])
        >>> h.shape
        (1, 2, 2)
        >>> np.round(h[0], 6) + 0.0
        array([[2., 1.],
               [1., 0.]])
        """
        return self._evaluate(x, 2, True)[2]

    def __repr__(self):
        """A one-line summary: size, kernel, shape parameter, tail, solver, values."""
        ny, ndim = self.y.shape
        smoothing = self.smoothing
        if smoothing.size and np.all(smoothing == smoothing[0]):
            smooth = f"{float(smoothing[0])!r}"
        else:
            smooth = f"array of {smoothing.size}"
        degree = int(self.powers.sum(axis=1).max()) if self.powers.shape[0] else -1
        return (
            f"RBFInterpolator(N={ny}, ndim={ndim}, kernel={self.kernel!r}, "
            f"epsilon={float(self.epsilon)!r}, degree={degree}, "
            f"neighbors={self.neighbors}, smoothing={smooth}, solver={self.solver!r}, "
            f"values={self.d_shape}, dtype={np.dtype(self.d_dtype)})"
        )
