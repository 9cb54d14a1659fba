"""The plain-numpy path for few query points (grid/_small.py) against the kernels.

Every comparison evaluates the same interpolator twice, once with the small-input path
and once with it turned off (`gradkit._parallel.set_small_inputs`), and asks for equal
dtypes, shapes and NaN patterns and values equal to rounding.
"""

import contextlib
import os
import subprocess
import sys

import numpy as np
import pytest

from gradkit._parallel import set_small_inputs, small_inputs_enabled
from gradkit.grid import RegularGridInterpolator, _small, interpn

pytestmark = pytest.mark.kernels

METHODS = ["linear", "nearest", "slinear", "cubic", "quintic"]
MODES = [
    None,
    "linear",
    "nearest",
    "periodic",
    "fill",
    [("nearest", "linear"), "periodic", ("fill", "nearest")],
]


@contextlib.contextmanager
def small_inputs(enabled):
    previous = set_small_inputs(enabled)
    try:
        yield
    finally:
        set_small_inputs(previous)


def both_paths(call):
    """``call()`` with the numpy path, then with the kernels."""
    with small_inputs(True):
        small = call()
    with small_inputs(False):
        kernel = call()
    return small, kernel


def assert_same(small, kernel, rtol=1e-13):
    small = small if isinstance(small, (tuple, list)) else [small]
    kernel = kernel if isinstance(kernel, (tuple, list)) else [kernel]
    assert len(small) == len(kernel)
    for a, b in zip(small, kernel, strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
        finite = np.isfinite(b)
        infinite = np.isinf(b)
        np.testing.assert_array_equal(a[infinite], b[infinite])
        scale = max(1.0, float(np.max(np.abs(b[finite]), initial=0.0)))
        np.testing.assert_allclose(a[finite], b[finite], rtol=0, atol=rtol * scale)


def grid3(rng):
    return (
        np.sort(rng.uniform(0.0, 1.0, 7)),
        np.linspace(-1.0, 2.0, 8),
        np.linspace(0.0, 3.0, 9),
    )


def queries(rng, grid, m=25):
    """Points inside and outside the grid, on grid lines, at the corners, and NaN."""
    lo = np.array([g[0] for g in grid])
    hi = np.array([g[-1] for g in grid])
    span = hi - lo
    xi = rng.uniform(lo - 0.7 * span, hi + 0.7 * span, (m, len(grid)))
    xi[1] = [g[min(2, len(g) - 1)] for g in grid]  # interior grid lines
    xi[2] = hi
    xi[3] = lo
    xi[4, 0] = np.nan
    xi[5] = rng.uniform(lo, hi)
    return xi


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("ext", range(len(MODES)))
def test_every_mode_and_order_equals_the_kernels(method, ext, rng):
    grid = grid3(rng)
    values = rng.standard_normal(tuple(len(g) for g in grid))
    interp = RegularGridInterpolator(
        grid, values, method=method, bounds_error=False, fill_value=2.5, extrapolate=MODES[ext]
    )
    corners = {"nearest": 1, "linear": 8}.get(method, (_small._DEGREE.get(method, 0) + 1) ** 3)
    xi = queries(rng, grid, m=min(25, (_small.SMALL_WORK - 1) // corners))
    with small_inputs(True):
        assert _small.wanted(method, len(xi), 3)
    for call in (interp, interp.value_and_gradient, interp.value_gradient_hessian):
        assert_same(*both_paths(lambda call=call: call(xi)))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype", [np.float32, np.complex128, np.complex64])
def test_dtypes_and_vector_values(method, dtype, rng):
    grid = grid3(rng)[:2]
    shape = tuple(len(g) for g in grid) + (2, 3)
    values = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        values = values + 1j * rng.standard_normal(shape)
    values = values.astype(dtype)
    interp = RegularGridInterpolator(grid, values, method=method, bounds_error=False)
    xi = queries(rng, grid)
    rtol = 1e-6 if dtype in (np.float32, np.complex64) and method == "nearest" else 1e-13
    assert_same(*both_paths(lambda: interp.value_gradient_hessian(xi)), rtol=rtol)
    assert_same(*both_paths(lambda: interp(xi)), rtol=rtol)


@pytest.mark.parametrize("method", ["slinear", "cubic", "quintic"])
@pytest.mark.parametrize("nu", [(1, 0, 2), (0, 3, 1), (6, 0, 0), (0, 0, 0)])
def test_nu(method, nu, rng):
    grid = grid3(rng)
    values = rng.standard_normal(tuple(len(g) for g in grid) + (2,))
    xi = queries(rng, grid, m=9)  # below the threshold for quintic splines in 3-D
    for ext in ("nearest", "fill", "linear"):
        interp = RegularGridInterpolator(
            grid, values, method=method, bounds_error=False, fill_value=1.5, extrapolate=ext
        )
        assert_same(*both_paths(lambda interp=interp: interp(xi, nu=nu)), rtol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_fill_value_per_component_and_nan_fill(method, rng):
    grid = grid3(rng)[:2]
    values = rng.standard_normal(tuple(len(g) for g in grid) + (3,))
    xi = queries(rng, grid)
    for fill in (np.array([1.0, -2.0, np.nan]), np.nan, 0):
        interp = RegularGridInterpolator(
            grid, values, method=method, bounds_error=False, fill_value=fill
        )
        assert_same(*both_paths(lambda interp=interp: interp.value_gradient_hessian(xi)))


@pytest.mark.parametrize("method", METHODS)
def test_bounds_error_raises_as_the_kernels(method, rng):
    grid = grid3(rng)
    values = rng.standard_normal(tuple(len(g) for g in grid))
    interp = RegularGridInterpolator(grid, values, method=method)
    inside = np.array([[0.5, 0.5, 0.5]])
    assert_same(*both_paths(lambda: interp.value_and_gradient(inside)))
    for bad, axis in (([0.5, 2.5, 0.5], 1), ([0.5, 0.5, np.nan], 2), ([-1.0, 9.0, 0.5], 0)):
        for enabled in (True, False):
            with small_inputs(enabled):
                with pytest.raises(ValueError, match=f"out of bounds in dimension {axis}"):
                    interp(np.array([bad]))


def test_linear_non_finite_data_and_length_one_axes(rng):
    grid = (np.array([0.0, 1.0, 2.5]), np.array([3.0]), np.linspace(0, 1, 4))
    values = rng.standard_normal((3, 1, 4))
    values[1, 0, 2] = np.inf
    values[2, 0, 3] = np.nan
    interp = RegularGridInterpolator(grid, values, bounds_error=False, fill_value=None)
    xi = queries(rng, grid)
    xi[6] = [1.0, 3.0, 2 / 3]  # on the grid point holding inf
    assert_same(*both_paths(lambda: interp.value_gradient_hessian(xi)))
    near = RegularGridInterpolator(grid, values, method="nearest", bounds_error=False)
    assert_same(*both_paths(lambda: near.value_and_gradient(xi)))


@pytest.mark.parametrize("method", METHODS)
def test_descending_axes_and_interpn(method, rng):
    grid = grid3(rng)
    values = rng.standard_normal(tuple(len(g) for g in grid))
    flipped = (grid[0][::-1], grid[1], grid[2][::-1])
    data = values[::-1, :, ::-1]
    xi = rng.uniform(0.1, 0.9, (7, 3))
    small, kernel = both_paths(lambda: interpn(flipped, data, xi, method=method, hessian=True))
    assert_same(small, kernel)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("d", [1, 2, 4])
def test_results_agree_across_the_threshold(method, d, rng):
    grid = tuple(np.sort(rng.uniform(-1.0, 1.0, 7 + a)) for a in range(d))
    values = rng.standard_normal(tuple(len(g) for g in grid))
    interp = RegularGridInterpolator(grid, values, method=method, bounds_error=False)
    k = {"linear": 1, "nearest": 0}.get(method, _small._DEGREE.get(method, 0))
    corners = 1 if method == "nearest" else (k + 1) ** d
    m_small = (_small.SMALL_WORK - 1) // corners
    xi = rng.uniform(-1.2, 1.2, (m_small + 1, d))
    with small_inputs(True):
        assert _small.wanted(method, m_small, d)
        assert not _small.wanted(method, m_small + 1, d)
        many = interp.value_gradient_hessian(xi)  # above the threshold: kernels
        few = interp.value_gradient_hessian(xi[:m_small])  # below: numpy
    assert_same([f for f in few], [f[:m_small] for f in many])


def test_threshold_below_precompile_sizes():
    # `gradkit precompile` calls the public functions on >= 100_000 points
    for method in METHODS:
        for d in range(1, 6):
            assert not _small.wanted(method, 100_000, d)
    with small_inputs(False):
        assert not small_inputs_enabled()
        assert not _small.wanted("linear", 1, 3)


def test_pchip_stays_on_the_kernels():
    assert not _small.wanted("pchip", 1, 2)


def test_spline_tables_reproduce_the_basis(rng):
    # basis polynomials per span: partition of unity and scipy's B-spline values
    from scipy.interpolate import BSpline

    t = np.r_[[0.0] * 4, np.sort(rng.uniform(0.1, 0.9, 5)), [1.0] * 4]
    sp = _small._SplineTables([t], 3)
    x = np.sort(rng.uniform(0.0, 1.0, 40))
    span = np.clip(np.searchsorted(t, x, side="right") - 1, 3, len(t) - 5)
    u = (x - sp.left[span - 3]) * sp.invh[span - 3]
    basis = np.einsum("mqjr,mr->mqj", sp.table[span - 3], u[:, None] ** np.arange(4))
    np.testing.assert_allclose(basis[:, 0].sum(axis=1), 1.0, rtol=1e-14)
    for q in range(3):
        for j in range(4):
            coef = np.zeros(len(t) - 4)
            ref = []
            for xv, s in zip(x, span, strict=True):
                coef[:] = 0.0
                coef[s - 3 + j] = 1.0
                ref.append(BSpline(t, coef, 3)(xv, nu=q))
            np.testing.assert_allclose(basis[:, q, j], ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("k", [1, 3, 5])
@pytest.mark.parametrize("n", [2, 4, 6, 7, 30])
def test_spline_coefficients_equal_scipy(k, n, rng):
    from scipy.interpolate import make_interp_spline

    if n <= k:
        pytest.skip("needs n > k")
    x = np.linspace(-1.0, 2.0, n)
    x[1:-1] += rng.uniform(-0.2, 0.2, n - 2) * 3.0 / (n - 1)
    y = rng.standard_normal((3, n, 2)) + 1j * rng.standard_normal((3, n, 2))
    ref = make_interp_spline(x, y, k=k, axis=1)
    t, c = _small.interp_spline_axis(x, y, k, 1)
    np.testing.assert_array_equal(t, ref.t)
    assert c.shape == ref.c.shape and c.dtype == ref.c.dtype
    np.testing.assert_allclose(c, ref.c, rtol=0, atol=1e-12 * np.abs(ref.c).max())
    t, c = _small.interp_spline_axis(x, y.real, k, 1)
    assert c.dtype == np.float64
    np.testing.assert_allclose(c, ref.c.real, rtol=0, atol=1e-12 * np.abs(ref.c).max())


def test_small_calls_never_import_numba():
    code = (
        "import sys, numpy as np, gradkit\n"
        "g = [np.linspace(0, 1, n) for n in (12, 15, 20)]\n"
        "v = np.random.default_rng(0).random((12, 15, 20))\n"
        "r = gradkit.RegularGridInterpolator(g, v)\n"
        "r(np.full((1, 3), 0.3)); r.value_and_gradient(np.full((10, 3), 0.3))\n"
        "r.value_gradient_hessian(np.full((3, 3), 0.3), method='nearest')\n"
        "gradkit.interpn(g, v, np.full((2, 3), 0.2), gradient=True)\n"
        "c = gradkit.RegularGridInterpolator(g, v, method='cubic')\n"
        "c.value_and_gradient(np.full((1, 3), 0.3)); c(np.full((1, 3), 0.3), nu=(1, 0, 2))\n"
        "print('numba' in sys.modules)\n"
    )
    env = dict(os.environ, GRADKIT_SMALL_INPUTS="1")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "False"
