"""Plain-numpy evaluation of grid interpolants on few query points.

For a handful of query points the compiled kernels cannot win: importing numba and
loading a dispatcher costs most of a second in a fresh process, and even warm, a kernel
launch costs more than the arithmetic of a few points.  This module evaluates the
``linear``, ``nearest`` and B-spline (``slinear``, ``cubic``, ``quintic``) interpolants
with a few vectorised numpy operations per call and never imports numba.  ``pchip``
stays on the kernel path (its folds are nonlinear in the data).

The results are those of the kernels to rounding, for every extrapolation mode, fill
value, NaN query, dtype, value shape and derivative order (``nu`` included):

- the cell of a coordinate is scipy's ``find_indices`` cell, the largest ``i`` in
  ``[0, n - 2]`` with ``g[i] <= x``, after the extrapolation mode has mapped the
  coordinate (clamp: the edge, with derivative 0; periodic: ``lo + (x - lo) % (hi - lo)``);
- the B-spline knot span is the kernels' ``i + k - (k + 1) // 2 + 1``, clipped to the
  coefficient range, and each span's ``k + 1`` basis functions are kept as polynomials in
  the local coordinate ``u = (x - t[span]) / (t[span + 1] - t[span])`` (de Boor's
  recursion carried out on polynomial coefficients, once per interpolator), so a query
  costs one power table and one small product per axis;
- the tensor product is contracted for all derivative patterns at once: per-axis basis
  rows (value, first or second derivative) multiplied into one weight array per pattern,
  then summed against the gathered corner data.

What this module reads from a :class:`~gradkit.grid._plan.GridPlan` is confined to
:func:`_spline_source` (knots, degree, coefficients, their power-of-two scale); the grid,
the values and their dtype come from the interpolator.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np

from .._parallel import small_inputs_enabled

__all__ = ["SMALL_WORK", "evaluate", "wanted"]

SMALL_WORK = 2048
"""Query points x corners (``2**d`` linear, ``(k + 1)**d`` B-spline, 1 nearest) below which
the numpy path answers.  Measured on 3-D grids against the warm kernels: below it both
cost about the same (the shared validation dominates; numpy 0.9-1.7x the kernels), above
it the specialised kernels pull ahead (3-10x at 300 linear or cubic points)."""

_KINDS = frozenset({"linear", "nearest", "slinear", "cubic", "quintic"})
_DEGREE = {"slinear": 1, "cubic": 3, "quintic": 5}

_tables: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_tables_lock = threading.Lock()


def wanted(method, m, d) -> bool:
    """Whether a call of ``method`` on ``m`` points of a ``d``-dimensional grid takes the
    numpy path: the method has one, small inputs are enabled, and ``m`` times the
    corners a point reads is below `SMALL_WORK`."""
    if method not in _KINDS or not small_inputs_enabled():
        return False
    if method == "nearest":
        corners = 1
    elif method == "linear":
        corners = 1 << d
    else:
        corners = (_DEGREE[method] + 1) ** d
    return m * corners < SMALL_WORK


# ---------------------------------------------------------------------------------------
# per-interpolator tables (built once, kept beside the plan)
# ---------------------------------------------------------------------------------------


def _spline_source(plan):
    """Knots per axis, degree, coefficient parts ((N, nv) float64 each: real, then imag
    for complex data) and the per-component scale of the coefficients (None: 1).

    The only place that reads a GridPlan's attributes."""
    k = int(plan.k)
    tflat, toff, ncoef = plan.tflat, plan.toff, plan.ncoef
    knots = [tflat[toff[a] : toff[a] + ncoef[a] + k + 1] for a in range(len(toff))]
    return knots, k, list(plan.parts), getattr(plan, "vscale", None)


def _data_parts(values, ndim):
    """(N, nv) float64 arrays of the data: the real part, and the imaginary part for
    complex values (as the kernels see them)."""
    n = int(np.prod(values.shape[:ndim], dtype=np.int64))
    nv = int(np.prod(values.shape[ndim:], dtype=np.int64))
    if np.iscomplexobj(values):
        return [
            np.ascontiguousarray(values.real, dtype=np.float64).reshape(n, nv),
            np.ascontiguousarray(values.imag, dtype=np.float64).reshape(n, nv),
        ]
    return [np.ascontiguousarray(values, dtype=np.float64).reshape(n, nv)]


def _basis_polynomials(t, k):
    """Coefficients ``P[s, j, r]`` of ``u**r`` in B-spline ``s + j`` (of degree ``k`` on
    knots ``t``) on the span ``[t[s + k], t[s + k + 1])``, as a polynomial in the local
    coordinate ``u = (x - t[s + k]) / h``; also the spans' left knots and ``1 / h``.

    De Boor's recursion (Cox-de Boor) on polynomial coefficients, for all spans at once:
    ``N_{i,p} = (x - t_i) / (t_{i+p} - t_i) N_{i,p-1}
    + (t_{i+p+1} - x) / (t_{i+p+1} - t_{i+1}) N_{i+1,p-1}`` with ``x = t_s + h u``."""
    ncoef = len(t) - k - 1
    spans = np.arange(k, ncoef)
    left = t[spans]
    h = t[spans + 1] - left
    ns = len(spans)
    # level p holds p + 1 polynomials (B_{s-p}, ..., B_s), each (ns, k + 1) coefficients
    level = [np.zeros((ns, k + 1))]
    level[0][:, 0] = 1.0
    for p in range(1, k + 1):
        nxt = []
        for j in range(p + 1):
            i = spans - p + j
            poly = np.zeros((ns, k + 1))
            if j >= 1:  # (x - t_i) / (t_{i+p} - t_i) * N_{i,p-1}
                prev = level[j - 1]
                den = t[i + p] - t[i]
                a0 = (left - t[i]) / den
                a1 = h / den
                poly += a0[:, None] * prev
                poly[:, 1:] += a1[:, None] * prev[:, :-1]
            if j <= p - 1:  # (t_{i+p+1} - x) / (t_{i+p+1} - t_{i+1}) * N_{i+1,p-1}
                prev = level[j]
                den = t[i + p + 1] - t[i + 1]
                b0 = (t[i + p + 1] - left) / den
                b1 = h / den
                poly += b0[:, None] * prev
                poly[:, 1:] -= b1[:, None] * prev[:, :-1]
            nxt.append(poly)
        level = nxt
    return np.stack(level, axis=1), left, 1.0 / h


class _SplineTables:
    """Per-axis basis polynomials of every derivative order, concatenated over axes."""

    def __init__(self, knots, k):
        self.k = k
        r = np.arange(k + 1)
        tabs, lefts, invs, offs = [], [], [], []
        start = 0
        for t in knots:
            # spacings near 1e-300 overflow (1 / h)**q in the derivative rows to inf (or
            # NaN for a zero coefficient), as the kernels' powers of 1 / h do
            with np.errstate(all="ignore"):
                poly, left, invh = _basis_polynomials(np.asarray(t, dtype=np.float64), k)
            # q-th derivative in x: coefficient of u**r is P[r + q] (r + q)! / r! / h**q
            table = np.zeros((len(left), k + 1, k + 1, k + 1))  # span, q, basis, power
            for q in range(k + 1):
                fall = np.ones(k + 1 - q)
                for s in range(q):
                    fall = fall * (r[q:] - s)
                with np.errstate(all="ignore"):
                    scale = invh**q
                    table[:, q, :, : k + 1 - q] = poly[:, :, q:] * fall * scale[:, None, None]
            tabs.append(table)
            lefts.append(left)
            invs.append(invh)
            offs.append(start)
            start += len(left)
        self.table = np.concatenate(tabs)
        # per highest order q: (span, (q + 1) (k + 1), power) rows for one gather
        self.rows = [
            np.ascontiguousarray(self.table[:, : q + 1].reshape(len(self.table), -1, k + 1))
            for q in range(k + 1)
        ]
        self.left = np.concatenate(lefts)
        self.invh = np.concatenate(invs)
        self.offset = np.array(offs, dtype=np.int64)
        self.nspan = np.array([len(x) for x in lefts], dtype=np.int64)
        self.powers = np.arange(k + 1)


class _Tables:
    """What the numpy path needs for one (interpolator, method), built on first use."""

    def __init__(self, method, grid, values, plan):
        d = len(grid)
        self.lo = np.array([g[0] for g in grid])
        self.hi = np.array([g[-1] for g in grid])
        self.n = np.array([len(g) for g in grid], dtype=np.int64)
        self.grid = grid
        with np.errstate(divide="ignore", invalid="ignore"):  # infinite grid points
            inv = [np.append(1.0 / np.diff(g), 0.0) for g in grid]
        # grid points and inverse cell widths of all axes, concatenated (cell i of axis a
        # at i + offset[a]; one spare entry so that i + 1 is always an index)
        self.gcat = np.concatenate(list(grid) + [np.zeros(1)])
        self.invcat = np.concatenate(inv + [np.zeros(1)])
        self.goff = np.cumsum([0] + [len(g) for g in grid[:-1]]).astype(np.int64)
        self.inner = [np.ascontiguousarray(g[1:-1]) for g in grid]  # cell = #inner <= x
        self.single = self.n == 1
        self.any_single = bool(self.single.any())
        self.axes = np.arange(d)
        self.modes = {}
        self.vshape = values.shape[d:]
        self.nv = int(np.prod(self.vshape, dtype=np.int64))
        self.values_dtype = values.dtype
        self.complex = np.iscomplexobj(values)
        if method in _DEGREE:
            knots, k, parts, vscale = _spline_source(plan)
            self.spline = _SplineTables(knots, k)
            self.vscale = None if vscale is None else np.asarray(vscale, dtype=np.float64)
            self.out_dtype = np.result_type(values.dtype, np.float64)
        else:
            self.spline = None
            parts = _data_parts(values, d)
            self.vscale = None
            if method == "nearest":
                self.out_dtype = np.dtype(values.dtype)
            else:
                self.out_dtype = np.result_type(values.dtype, np.float64)
        self.nparts = len(parts)
        self.data = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
        shape = (
            tuple(int(x) for x in self.n)
            if self.spline is None
            else tuple(int(x) for x in self.spline.nspan + self.spline.k)
        )
        strides = np.ones(d, dtype=np.int64)
        for a in range(d - 2, -1, -1):
            strides[a] = strides[a + 1] * shape[a + 1]
        self.strides = strides
        if self.spline is not None:
            radii = [self.spline.k + 1] * d
        else:
            radii = [2 if n >= 2 else 1 for n in self.n]
        self.radii = radii
        corners = np.zeros(1, dtype=np.int64)
        for a in range(d):
            corners = (corners[:, None] + np.arange(radii[a]) * strides[a]).ravel()
        self.corners = corners
        self.patterns = {}

    def pattern_table(self, order, nu, d):
        """Derivative orders per pattern and axis, ``(P, d)``: the value, then the first
        derivatives, then the second ones ``(j, l)``, ``j <= l`` (or the single ``nu``);
        and the highest order in it."""
        key = (order, None if nu is None else tuple(int(v) for v in nu))
        tab = self.patterns.get(key)
        if tab is None:
            if nu is not None:
                rows = [list(key[1])]
            else:
                rows = [[0] * d]
                if order >= 1:
                    rows += [[int(a == j) for a in range(d)] for j in range(d)]
                if order >= 2:
                    for j in range(d):
                        for l in range(j, d):
                            row = [0] * d
                            row[j] += 1
                            row[l] += 1
                            rows.append(row)
            tab = np.array(rows, dtype=np.int64).reshape(-1, d)
            tab = (tab, int(tab.max()) if tab.size else 0)
            self.patterns[key] = tab
        return tab

    def mode_table(self, modes):
        """Per-axis masks of the extrapolation modes (cached per ``modes``)."""
        info = self.modes.get(modes)
        if info is None:
            info = _Modes(modes)
            self.modes[modes] = info
        return info


class _Modes:
    """Boolean (d,) masks of one set of per-axis, per-side extrapolation modes."""

    def __init__(self, modes):
        lo = [mode for mode, _ in modes]
        hi = [mode for _, mode in modes]

        def mask(side, name):
            return np.array([mode == name for mode in side], dtype=bool)

        self.clamp_lo, self.clamp_hi = mask(lo, "nearest"), mask(hi, "nearest")
        self.periodic = mask(lo, "periodic")
        self.raise_lo, self.raise_hi = mask(lo, "raise"), mask(hi, "raise")
        self.raise_any = self.raise_lo | self.raise_hi
        self.fill_lo, self.fill_hi = mask(lo, "fill"), mask(hi, "fill")
        self.clamps = bool(self.clamp_lo.any() or self.clamp_hi.any())
        self.periodics = bool(self.periodic.any())
        self.raises = bool(self.raise_any.any())
        self.fills = bool(self.fill_lo.any() or self.fill_hi.any())


def _tables_for(method, grid, values, plan):
    tables = _tables.get(plan)
    if tables is None or tables.method != method:
        tables = _Tables(method, grid, values, plan)
        tables.method = method
        with _tables_lock:
            _tables[plan] = tables
    return tables


# ---------------------------------------------------------------------------------------
# evaluation
# ---------------------------------------------------------------------------------------


def evaluate(method, grid, values, plan, xi, modes, order, fill_value, nu=None):
    """Evaluate at ``(m, d)`` points ``xi``; returns ``[values, gradient, hessian]`` up to
    ``order`` (or ``[the nu-th derivative]``), shaped ``(m, nv)``, ``(m, nv, d)``,
    ``(m, nv, d, d)`` in the interpolator's output dtype, as ``GridPlan.evaluate`` does.

    Parameters
    ----------
    method : {"linear", "nearest", "slinear", "cubic", "quintic"}
        The interpolation method (legacy names already resolved).
    grid : tuple of (n_i,) ndarray
        Ascending grid coordinates.
    values : ndarray
        The interpolator's data (flipped along descending axes).
    plan : GridPlan
        The method's plan: B-spline coefficients are read from it (`_spline_source`);
        it also keys this module's tables.
    xi : (m, d) ndarray
        float64 query points.
    modes : tuple of (str, str)
        Extrapolation mode per axis and side.
    order : {0, 1, 2}
        Highest derivative order returned.
    fill_value : ndarray or None
        Value of points in a ``"fill"`` region.
    nu : (d,) ndarray of int, optional
        Orders of one mixed partial derivative (then ``order`` is 0).

    Returns
    -------
    list of ndarray

    Raises
    ------
    ValueError
        A query outside the grid or NaN on an axis side in mode ``"raise"`` (scipy's
        ``bounds_error`` message, naming the first such axis).
    """
    tabs = _tables_for(method, grid, values, plan)
    info = tabs.mode_table(modes)
    patterns, nder = tabs.pattern_table(order, nu, xi.shape[1])
    # IEEE results without numpy's warnings (inf - inf on infinite grid points, overflow
    # far outside the grid), as the kernels give them
    with np.errstate(all="ignore"):
        if ((xi >= tabs.lo) & (xi <= tabs.hi)).all():  # no NaN, nothing outside
            fill_mask = None
            raw = _raw(method, tabs, None, xi, None, None, patterns, nder)
        else:
            nan = np.isnan(xi)
            below = xi < tabs.lo
            above = xi > tabs.hi
            fill_mask = _check_bounds(info, nan, below, above)
            raw = _raw(method, tabs, info, xi, below, above, patterns, nder)
            nan_rows = nan.any(axis=1)
            if nan_rows.any():
                raw[nan_rows] = np.nan
        if tabs.vscale is not None:
            raw *= np.tile(tabs.vscale, tabs.nparts)[:, None]
    return _finish(tabs, raw, order, nu, fill_mask, fill_value)


def _check_bounds(info, nan, below, above):
    """scipy's ``bounds_error`` check (the first axis with a query outside or NaN, in
    scipy's words) and the mask of the points in a ``"fill"`` region (None: none)."""
    if info.raises:
        bad = (below & info.raise_lo) | (above & info.raise_hi) | (nan & info.raise_any)
        axes = bad.any(axis=0)
        if axes.any():
            a = int(np.argmax(axes))
            raise ValueError(f"One of the requested xi is out of bounds in dimension {a}")
    if info.fills:
        mask = ((below & info.fill_lo) | (above & info.fill_hi)).any(axis=1)
        return mask if mask.any() else None
    return None


def _raw(method, tabs, info, xi, below, above, patterns, nder):
    """``(m, C, P)``: every derivative pattern of every data column.

    The work arrays keep the point index last (contiguous), so every numpy operation
    runs over all points in its inner loop."""
    x = xi
    fac = None
    if info is not None and info.clamps:
        low = below & info.clamp_lo
        high = above & info.clamp_hi
        x = np.where(low, tabs.lo, np.where(high, tabs.hi, x))
        fac = (~(low | high)).astype(np.float64)  # d(mapped)/dx: 0 where clamped
    if info is not None and info.periodics:
        wrap = (below | above) & info.periodic
        if wrap.any():
            lo, hi = tabs.lo, tabs.hi
            x = np.where(wrap, lo + (x - lo) % (hi - lo), x)
    m, d = x.shape
    xt = np.ascontiguousarray(x.T)  # (d, m)
    cells = np.empty((d, m), dtype=np.int64)
    for a in range(d):
        cells[a] = np.searchsorted(tabs.inner[a], xt[a], side="right")
    if method == "nearest":
        raw = np.zeros((m, tabs.data.shape[1], len(patterns)))
        raw[:, :, 0] = _nearest(xt, cells, tabs)
        return raw
    if tabs.spline is not None:
        basis, first = _spline_basis(xt, cells, tabs, nder)
    else:
        basis, first = _linear_basis(xt, cells, tabs, nder), cells
    raw = _contract(basis, first, tabs, patterns)
    if fac is not None:
        # the derivative pattern times d(mapped)/dx per axis (0 on clamped axes)
        raw *= np.prod(fac[:, None, :] ** patterns[None], axis=2)[:, None, :]
    return raw


def _linear_basis(xt, cells, tabs, nder):
    """Basis rows of the multilinear interpolant: ``(d, nder + 1, 2, m)``, or a list of
    per-axis ``(nder + 1, radius, m)`` with radius 1 on length-1 axes."""
    gi = cells + tabs.goff[:, None]
    inv = tabs.invcat[gi]
    t = (xt - tabs.gcat[gi]) * inv
    d, m = xt.shape
    basis = np.zeros((d, nder + 1, 2, m))
    basis[:, 0, 0] = 1.0 - t
    basis[:, 0, 1] = t
    if nder >= 1:
        basis[:, 1, 0] = -inv
        basis[:, 1, 1] = inv
    if not tabs.any_single:
        return basis
    out = []
    for a in range(d):
        if tabs.single[a]:
            b = np.zeros((nder + 1, 1, m))
            b[0, 0] = 1.0
            out.append(b)
        else:
            out.append(basis[a])
    return out


def _spline_basis(xt, cells, tabs, nder):
    """Basis rows ``(d, nder + 1, k + 1, m)`` of the B-spline and the first coefficient
    index per axis and point."""
    sp = tabs.spline
    k = sp.k
    # the kernels' knot span of cell i, clipped to the spans k .. ncoef - 1
    first = np.minimum(np.maximum(cells + (1 - (k + 1) // 2), 0), sp.nspan[:, None] - 1)
    gs = first + sp.offset[:, None]  # index into the concatenated tables
    u = (xt - sp.left[gs]) * sp.invh[gs]  # (d, m)
    q = min(nder, k)
    d, m = xt.shape
    # basis[a, q, j, p] = sum_r table[gs[a, p], q, j, r] u[a, p]**r
    tab = sp.rows[q].take(gs.ravel(), axis=0)  # (d m, (q + 1)(k + 1), power)
    powers = (u.reshape(-1, 1) ** sp.powers)[:, :, None]  # (d m, power, 1)
    basis = np.matmul(tab, powers).reshape(d, m, q + 1, k + 1).transpose(0, 2, 3, 1)
    if nder > k:
        pad = np.zeros((basis.shape[0], nder - k) + basis.shape[2:])
        basis = np.concatenate([basis, pad], axis=1)
    return basis, first


def _contract(basis, first, tabs, patterns):
    """``(m, C, P)``: for every derivative pattern, the sum over the corners of the
    tensor-product weight times the corner data."""
    npat, d = patterns.shape
    if isinstance(basis, list):
        rows = [basis[a][patterns[:, a]] for a in range(d)]  # (P, r_a, m) each
    else:
        sel = basis[tabs.axes[None, :], patterns]  # (P, d, R, m)
        rows = [sel[:, a] for a in range(d)]
    m = first.shape[1]
    weights = rows[0]
    for a in range(1, d):
        size = weights.shape[1] * rows[a].shape[1]
        weights = (weights[:, :, None, :] * rows[a][:, None, :, :]).reshape(npat, size, m)
    gathered = tabs.data[tabs.corners[:, None] + tabs.strides @ first]  # (K, m, C)
    return np.einsum("pkm,kmc->mcp", weights, gathered)


def _nearest(xt, cells, tabs):
    """``(m, C)``: the data of the nearest grid point (ties to the lower one)."""
    gi = cells + tabs.goff[:, None]
    g0 = tabs.gcat[gi]
    tt = (xt - g0) / (tabs.gcat[gi + 1] - g0)
    step = tt > 0.5
    if tabs.any_single:
        step &= ~tabs.single[:, None]
    return tabs.data[tabs.strides @ (cells + step)]


def _finish(tabs, raw, order, nu, fill_mask, fill_value):
    """Values, gradient and Hessian of ``raw`` in the output dtype, fill values set."""
    m, _, npat = raw.shape
    nv = tabs.nv
    if tabs.complex:
        raw = raw[:, :nv] + 1j * raw[:, nv:]  # as the kernel path joins its two parts
    outs = [np.ascontiguousarray(raw[:, :, 0], dtype=tabs.out_dtype)]
    if nu is None and order >= 1:
        d = len(tabs.n)
        outs.append(np.ascontiguousarray(raw[:, :, 1 : 1 + d], dtype=tabs.out_dtype))
        if order >= 2:
            pair = np.empty((d, d), dtype=np.int64)
            q = 1 + d
            for j in range(d):
                for l in range(j, d):
                    pair[j, l] = pair[l, j] = q
                    q += 1
            outs.append(np.ascontiguousarray(raw[:, :, pair], dtype=tabs.out_dtype))
    if fill_mask is not None:
        # fill_value: a scalar or an array broadcasting to the value shape; derivatives
        # of a filled point are 0 * fill_value (NaN for NaN)
        fill = np.broadcast_to(np.asarray(fill_value), tabs.vshape).reshape(nv)
        for j, arr in enumerate(outs):
            arr[fill_mask] = fill[(...,) + (None,) * j] * (1 if j == 0 else 0)
    return outs


# ---------------------------------------------------------------------------------------
# spline coefficients without scipy.interpolate
# ---------------------------------------------------------------------------------------

SMALL_AXIS = 256
"""Grid points per axis up to which `interp_spline_axis` solves the collocation system
densely with numpy (an ``n x n`` LU, at most 0.5 MB); beyond it scipy's banded solver is
the better tool."""


def interp_spline_axis(x, y, k, axis):
    """Knots and coefficients of the not-a-knot interpolating spline of degree ``k``
    through ``y`` along ``axis`` at the sites ``x``: the ``t`` and ``c`` of
    ``scipy.interpolate.make_interp_spline(x, y, k=k, axis=axis)`` (``c`` with the
    interpolation axis first), to rounding, without importing scipy.

    Parameters
    ----------
    x : (n,) ndarray
        Strictly ascending, finite sites; ``n > k``.
    y : ndarray
        Data, ``y.shape[axis] == n``; real or complex.
    k : {1, 3, 5}
        Odd degree.
    axis : int
        Interpolation axis of ``y``.

    Returns
    -------
    t : (n + k + 1,) ndarray
        The knots: ``x[0]`` and ``x[-1]`` repeated ``k + 1`` times around
        ``x[(k + 1) // 2 : -((k + 1) // 2)]`` (de Boor's not-a-knot condition).
    c : ndarray
        Coefficients, shape ``(n,) + y.shape`` without ``axis``.

    Notes
    -----
    The collocation matrix ``A[i, j] = B_j(x[i])`` is assembled from the basis polynomials
    of `_basis_polynomials` and solved by LU with partial pivoting (``numpy.linalg.solve``);
    scipy solves the same banded system with LAPACK's ``gbsv``.  ``k = 1`` needs no solve
    (``c = y``), as in scipy.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y)
    dtype = np.complex128 if np.iscomplexobj(y) else np.float64
    y = np.moveaxis(y, axis, 0)
    if k == 1:
        return np.r_[x[0], x, x[-1]], np.ascontiguousarray(y, dtype=dtype)
    half = (k + 1) // 2
    t = np.r_[(x[0],) * (k + 1), x[half:-half], (x[-1],) * (k + 1)]
    n = len(x)
    poly, left, invh = _basis_polynomials(t, k)
    # span of each site: the last span starting at or before it (spans k .. n - 1)
    first = np.clip(np.searchsorted(t, x, side="right") - 1, k, n - 1) - k
    u = (x - left[first]) * invh[first]
    rows = np.einsum("ijr,ir->ij", poly[first], u[:, None] ** np.arange(k + 1))
    a = np.zeros((n, n))
    a[np.arange(n)[:, None], first[:, None] + np.arange(k + 1)] = rows
    c = np.linalg.solve(a, y.reshape(n, -1).astype(dtype, copy=False))
    return t, c.reshape(y.shape)
