"""gradkit.grid against scipy.interpolate, side by side (values, shapes, dtypes, errors)."""

import numpy as np
import pytest
import scipy.interpolate as si
import scipy.sparse.linalg as ssl

from gradkit.grid import RegularGridInterpolator, interpn

pytestmark = pytest.mark.kernels

METHODS = ["linear", "nearest", "slinear", "cubic", "quintic", "pchip"]
SPLINES = ["slinear", "cubic", "quintic"]


def _scipy(points, values, method, **kw):
    if method in SPLINES:
        # scipy's default solver is iterative (gcrotmk, atol 1e-6); spsolve is exact
        kw.setdefault("solver", ssl.spsolve)
    return si.RegularGridInterpolator(points, values, method=method, **kw)


def _close(a, b, rtol=1e-12):
    a = np.asarray(a)
    b = np.asarray(b)
    assert a.shape == b.shape
    assert a.dtype == b.dtype
    scale = max(1.0, float(np.nanmax(np.abs(b))) if b.size else 1.0)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * scale)


def jittered(n, lo, hi, rng, frac=0.2):
    g = np.linspace(lo, hi, n)
    h = (hi - lo) / (n - 1)
    g[1:-1] += rng.uniform(-frac, frac, n - 2) * h
    return g


def _problem(rng, shape=(7, 8, 6), vshape=(), dtype=float, uniform=(False, True, False)):
    points = tuple(
        np.linspace(-1.0, 2.0, n) if u else jittered(n, -1.0, 2.0, rng)
        for n, u in zip(shape, uniform, strict=False)
    )
    values = rng.standard_normal(shape + vshape)
    if np.dtype(dtype).kind == "c":
        values = values + 1j * rng.standard_normal(shape + vshape)
    return points, values.astype(dtype)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("vshape", [(), (2,), (2, 3)])
def test_values_inside(method, vshape, rng):
    points, values = _problem(rng, vshape=vshape)
    xi = np.column_stack([rng.uniform(p[0], p[-1], 60) for p in points])
    xi[:3] = [p[0] for p in points]  # corners and grid nodes
    xi[3] = [p[-1] for p in points]
    xi[4] = [p[2] for p in points]
    ours = RegularGridInterpolator(points, values, method=method)
    ref = _scipy(points, values, method)
    _close(ours(xi), ref(xi))


@pytest.mark.parametrize("method", METHODS)
def test_extrapolation_fill_value_none(method, rng):
    points, values = _problem(rng)
    xi = np.column_stack([rng.uniform(p[0] - 0.7, p[-1] + 0.7, 80) for p in points])
    kw = dict(bounds_error=False, fill_value=None)
    _close(
        RegularGridInterpolator(points, values, method=method, **kw)(xi),
        _scipy(points, values, method, **kw)(xi),
        rtol=1e-11,
    )


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fill", [np.nan, -3.5, 7])
def test_fill_value(method, fill, rng):
    points, values = _problem(rng)
    xi = np.column_stack([rng.uniform(p[0] - 0.7, p[-1] + 0.7, 50) for p in points])
    kw = dict(bounds_error=False, fill_value=fill)
    _close(
        RegularGridInterpolator(points, values, method=method, **kw)(xi),
        _scipy(points, values, method, **kw)(xi),
    )


@pytest.mark.parametrize("method", ["linear", "nearest", "slinear", "cubic", "quintic"])
@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_complex_values(method, dtype, rng):
    points, values = _problem(rng, vshape=(2,), dtype=dtype)
    xi = np.column_stack([rng.uniform(p[0], p[-1], 30) for p in points])
    ours = RegularGridInterpolator(points, values, method=method)(xi)
    ref = _scipy(points, values, method)(xi)
    _close(ours, ref, rtol=1e-12 if dtype == np.complex128 else 1e-6)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.float64])
def test_dtypes(method, dtype, rng):
    points, values = _problem(rng)
    values = (values * 10).astype(dtype)
    xi = np.column_stack([rng.uniform(p[0], p[-1], 20) for p in points])
    ours = RegularGridInterpolator(points, values, method=method)(xi)
    ref = _scipy(points, values, method)(xi)
    _close(ours, ref, rtol=1e-12 if ours.dtype == np.float64 else 1e-5)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("xshape", [(3,), (1, 3), (4, 5, 3), (0, 3), (2, 1, 2, 3)])
def test_batch_shapes(method, xshape, rng):
    points, values = _problem(rng, vshape=(2,))
    lo = np.array([p[0] for p in points])
    hi = np.array([p[-1] for p in points])
    xi = lo + (hi - lo) * rng.random(xshape)
    ours = RegularGridInterpolator(points, values, method=method)
    ref = _scipy(points, values, method)
    _close(ours(xi), ref(xi))
    v, g, h = ours.value_gradient_hessian(xi)
    lead = ref(xi).shape
    assert v.shape == lead
    assert g.shape == lead + (3,)
    assert h.shape == lead + (3, 3)


@pytest.mark.parametrize("method", METHODS)
def test_tuple_of_coordinate_arrays(method, rng):
    points, values = _problem(rng)
    X, Y, Z = (rng.uniform(p[0], p[-1], (4, 5)) for p in points)
    _close(
        RegularGridInterpolator(points, values, method=method)((X, Y, Z)),
        _scipy(points, values, method)((X, Y, Z)),
    )


@pytest.mark.parametrize("method", METHODS)
def test_descending_points(method, rng):
    points, values = _problem(rng)
    points = (points[0][::-1], points[1], points[2][::-1])
    values = values[::-1, :, ::-1]
    xi = np.column_stack([rng.uniform(p.min(), p.max(), 30) for p in points])
    _close(
        RegularGridInterpolator(points, values, method=method)(xi),
        _scipy(points, values, method)(xi),
    )


@pytest.mark.parametrize("method", ["linear", "nearest"])
def test_length_one_axis(method, rng):
    points = (np.linspace(0, 1, 5), np.array([2.0]))
    values = rng.standard_normal((5, 1))
    xi = np.column_stack([rng.uniform(0, 1, 10), np.full(10, 2.0)])
    _close(
        RegularGridInterpolator(points, values, method=method)(xi),
        si.RegularGridInterpolator(points, values, method=method)(xi),
    )


@pytest.mark.parametrize("ndim", [1, 2, 4, 5])
@pytest.mark.parametrize("method", METHODS)
def test_other_dimensions(ndim, method, rng):
    shape = (6, 7, 6, 6, 6)[:ndim]
    points, values = _problem(rng, shape=shape, uniform=(True, False, True, False, True))
    xi = np.column_stack([rng.uniform(p[0] - 0.2, p[-1] + 0.2, 15) for p in points])
    kw = dict(bounds_error=False, fill_value=None)
    _close(
        RegularGridInterpolator(points, values, method=method, **kw)(xi),
        _scipy(points, values, method, **kw)(xi),
        rtol=1e-11,
    )


@pytest.mark.parametrize("method", SPLINES)
def test_nu_matches_scipy(method, rng):
    points, values = _problem(rng, vshape=(2,))
    xi = np.column_stack([rng.uniform(p[0] - 0.3, p[-1] + 0.3, 40) for p in points])
    kw = dict(bounds_error=False, fill_value=None)
    ours = RegularGridInterpolator(points, values, method=method, **kw)
    ref = _scipy(points, values, method, **kw)
    v, g, h = ours.value_gradient_hessian(xi)
    for nu in [(1, 0, 0), (0, 2, 1), (3, 0, 0), (0, 0, 6), (2, 0, 0), (1, 1, 0)]:
        _close(ours(xi, nu=nu), ref(xi, nu=nu), rtol=1e-10)
    for j in range(3):
        nu = [0, 0, 0]
        nu[j] = 1
        _close(g[..., j], ref(xi, nu=nu), rtol=1e-10)
        for k in range(3):
            nu2 = list(nu)
            nu2[k] += 1
            _close(h[..., j, k], ref(xi, nu=nu2), rtol=1e-10)


def test_default_solver_agrees_with_scipy_default(rng):
    """scipy's default iterative solve has atol 1e-6; gradkit's is exact."""
    points, values = _problem(rng)
    xi = np.column_stack([rng.uniform(p[0], p[-1], 40) for p in points])
    ours = RegularGridInterpolator(points, values, method="cubic")(xi)
    ref = si.RegularGridInterpolator(points, values, method="cubic")(xi)
    np.testing.assert_allclose(ours, ref, atol=1e-4)


def test_explicit_solver_is_used(rng):
    points, values = _problem(rng)
    xi = np.column_stack([rng.uniform(p[0], p[-1], 40) for p in points])
    kw = dict(solver=ssl.gmres, solver_args={"rtol": 1e-3, "atol": 1e-3})
    ours = RegularGridInterpolator(points, values, method="cubic", **kw)(xi)
    ref = si.RegularGridInterpolator(points, values, method="cubic", **kw)(xi)
    _close(ours, ref, rtol=1e-12)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("call_method", METHODS)
def test_method_override_at_call(method, call_method, rng):
    points, values = _problem(rng)
    xi = np.column_stack([rng.uniform(p[0], p[-1], 10) for p in points])
    ours = RegularGridInterpolator(points, values, method=method)
    ref = si.RegularGridInterpolator(points, values, method=method)
    got = ours(xi, method=call_method)
    exp = ref(xi, method=call_method)
    tol = 1e-12 if call_method not in SPLINES else 1e-4  # scipy rebuilds with gcrotmk
    np.testing.assert_allclose(got, exp, rtol=tol, atol=tol)


@pytest.mark.parametrize("legacy", ["slinear_legacy", "cubic_legacy", "quintic_legacy"])
def test_legacy_method_names(legacy, rng):
    points, values = _problem(rng)
    xi = np.column_stack([rng.uniform(p[0], p[-1], 10) for p in points])
    _close(
        RegularGridInterpolator(points, values, method=legacy)(xi),
        si.RegularGridInterpolator(points, values, method=legacy)(xi),
        rtol=1e-11,
    )


def test_nearest_half_point_rounds_down():
    x = np.array([0.0, 1.0, 2.0])
    values = np.array([10.0, 20.0, 30.0])
    xi = np.array([[0.5], [1.5], [1.5000001]])
    _close(
        RegularGridInterpolator((x,), values, method="nearest")(xi),
        si.RegularGridInterpolator((x,), values, method="nearest")(xi),
    )


@pytest.mark.parametrize("method", METHODS)
def test_interpn_matches(method, rng):
    points, values = _problem(rng, vshape=(2,))
    xi = np.column_stack([rng.uniform(p[0] - 0.1, p[-1] + 0.1, 20) for p in points])
    kw = dict(bounds_error=False, fill_value=None)
    if method in SPLINES:
        ref = _scipy(points, values, method, **kw)(xi)
    else:
        ref = si.interpn(points, values, xi, method=method, **kw)
    _close(interpn(points, values, xi, method=method, **kw), ref, rtol=1e-11)


def test_interpn_splinef2d_delegates(rng):
    points, values = _problem(rng, shape=(7, 8), uniform=(True, False))
    xi = np.column_stack([rng.uniform(p[0], p[-1], 20) for p in points])
    _close(
        interpn(points, values, xi, method="splinef2d"),
        si.interpn(points, values, xi, method="splinef2d"),
    )


def test_attributes(rng):
    points, values = _problem(rng)
    ours = RegularGridInterpolator(points, values, method="cubic", bounds_error=False)
    ref = si.RegularGridInterpolator(points, values, method="cubic", bounds_error=False)
    assert ours.method == ref.method
    assert ours.bounds_error == ref.bounds_error
    assert np.isnan(ours.fill_value) and np.isnan(ref.fill_value)
    for a, b in zip(ours.grid, ref.grid, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ours.values, ref.values)


# ---- errors: the same exception types as scipy for the same input -------------------

BAD_CASES = {
    "non_ascending": lambda p, v: ((np.array([0.0, 2.0, 1.0]),), np.zeros(3)),
    "repeated": lambda p, v: ((np.array([0.0, 1.0, 1.0]),), np.zeros(3)),
    "too_many_points": lambda p, v: ((p[0], p[1], p[2], p[2]), v),
    "shape_mismatch": lambda p, v: ((p[0], p[1][:-1], p[2]), v),
    "two_d_points": lambda p, v: ((p[0][:, None], p[1], p[2]), v),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_construction_errors_match_scipy(case, rng):
    points, values = _problem(rng)
    p, v = BAD_CASES[case](points, values)
    with pytest.raises(ValueError) as ref:
        si.RegularGridInterpolator(p, v)
    with pytest.raises(type(ref.value)):
        RegularGridInterpolator(p, v)


@pytest.mark.parametrize("method", ["cubic", "quintic", "pchip", "slinear"])
def test_too_few_points_match_scipy(method):
    n = {"slinear": 1, "cubic": 3, "quintic": 5, "pchip": 3}[method]
    points = (np.linspace(0, 1, n),)
    values = np.ones(n)
    with pytest.raises(ValueError, match="requires at least"):
        si.RegularGridInterpolator(points, values, method=method)
    with pytest.raises(ValueError, match=f"requires at least {n + 1} points"):
        RegularGridInterpolator(points, values, method=method)


def test_call_errors_match_scipy(rng):
    points, values = _problem(rng)
    ours = RegularGridInterpolator(points, values)
    ref = si.RegularGridInterpolator(points, values)
    for xi in (np.zeros((4, 2)), np.full((2, 3), 5.0), np.full((2, 3), -5.0)):
        with pytest.raises(ValueError) as exc:
            ref(xi)
        with pytest.raises(type(exc.value)):
            ours(xi)
    with pytest.raises(ValueError):
        ref(np.zeros((2, 3)), nu=(1, 0, 0))
    with pytest.raises(ValueError, match="`nu` needs a spline method"):
        ours(np.zeros((2, 3)), nu=(1, 0, 0))


@pytest.mark.parametrize("method", ["linear", "nearest", "slinear", "cubic", "quintic", "pchip"])
@pytest.mark.parametrize("uniform", [(True, True, True), (False, True, False)])
def test_fast_paths_3d_value_and_gradient(method, uniform, rng):
    """3-D value+gradient kernels (and the uniform cubic basis) against scipy and the
    general any-ndim kernel (value_gradient_hessian)."""
    points, values = _problem(rng, shape=(9, 10, 11), vshape=(2,), uniform=uniform)
    xi = np.column_stack([rng.uniform(p[0] - 0.4, p[-1] + 0.4, 300) for p in points])
    xi[:3] = [p[4] for p in points]  # on interior grid lines
    kw = dict(bounds_error=False, fill_value=None)
    ours = RegularGridInterpolator(points, values, method=method, **kw)
    v, g = ours.value_and_gradient(xi)
    v2, g2, _ = ours.value_gradient_hessian(xi)
    _close(v, v2, rtol=1e-13)
    _close(g, g2, rtol=1e-12)
    ref = _scipy(points, values, method, **kw)
    _close(v, ref(xi), rtol=1e-11)
    if method in SPLINES:
        for j in range(3):
            nu = [0, 0, 0]
            nu[j] = 1
            _close(g[..., j], ref(xi, nu=nu), rtol=1e-10)


def test_legacy_method_name_kept_as_attribute(rng):
    points, values = _problem(rng)
    ours = RegularGridInterpolator(points, values, method="cubic_legacy")
    ref = si.RegularGridInterpolator(points, values, method="cubic_legacy")
    assert ours.method == ref.method == "cubic_legacy"
