"""Extrapolation modes per axis and side, with consistent gradients; NaN handling."""

import numpy as np
import pytest

from gradkit.grid import RegularGridInterpolator

pytestmark = pytest.mark.kernels

METHODS = ["linear", "nearest", "slinear", "cubic", "quintic", "pchip"]


def _interp(method, rng, **kw):
    x = np.linspace(0.0, 2.0, 9)
    y = np.array([-1.0, -0.4, 0.1, 0.5, 1.2, 2.0, 2.1])
    values = rng.standard_normal((9, 7))
    return RegularGridInterpolator((x, y), values, method=method, **kw), (x, y), values


@pytest.mark.parametrize("method", METHODS)
def test_nearest_mode_clamps(method, rng):
    interp, (x, y), _ = _interp(method, rng, extrapolate="nearest")
    xi = rng.uniform(-3, 5, (60, 2))
    clamped = np.column_stack([np.clip(xi[:, 0], 0, 2), np.clip(xi[:, 1], -1, 2.1)])
    v, g = interp.value_and_gradient(xi)
    vc, gc = interp.value_and_gradient(clamped)
    np.testing.assert_allclose(v, vc, rtol=1e-14, atol=1e-14)
    out0 = (xi[:, 0] < 0) | (xi[:, 0] > 2)
    out1 = (xi[:, 1] < -1) | (xi[:, 1] > 2.1)
    assert np.all(g[out0, 0] == 0) and np.all(g[out1, 1] == 0)
    np.testing.assert_allclose(g[~out0, 0], gc[~out0, 0], rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("method", METHODS)
def test_periodic_mode(method, rng):
    interp, (x, y), _ = _interp(method, rng, extrapolate="periodic")
    xi = rng.uniform(0.01, 1.99, (30, 2))
    xi[:, 1] = rng.uniform(-0.99, 2.09, 30)
    shift = np.array([2.0 * 3, -3.1 * 2])
    v, g, h = interp.value_gradient_hessian(xi + shift)
    v0, g0, h0 = interp.value_gradient_hessian(xi)
    np.testing.assert_allclose(v, v0, rtol=1e-9, atol=1e-9)
    if method != "linear":  # cell faces may shift by rounding for linear
        np.testing.assert_allclose(g, g0, rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("method", METHODS)
def test_per_axis_and_side(method, rng):
    kw = dict(bounds_error=False, fill_value=-9.0)
    interp, _, _ = _interp(method, rng, extrapolate=[("nearest", "linear"), "fill"], **kw)
    lin, _, _ = _interp(method, np.random.default_rng(1234), bounds_error=False, fill_value=None)
    xi = np.array([[-1.0, 0.3], [3.0, 0.3], [1.0, -2.0], [1.0, 3.0], [1.0, 0.3]])
    v, g = interp.value_and_gradient(xi)
    vl, gl = lin.value_and_gradient(xi)
    vc, gc = lin.value_and_gradient(np.array([[0.0, 0.3]]))
    np.testing.assert_allclose(v[0], vc[0])
    assert g[0, 0] == 0
    np.testing.assert_allclose(v[1], vl[1], rtol=1e-13)
    np.testing.assert_allclose(g[1], gl[1], rtol=1e-13)
    assert np.all(v[2:4] == -9.0) and np.all(g[2:4] == 0)
    np.testing.assert_allclose(v[4], vl[4], rtol=1e-13)


def test_fill_gradient_is_nan_for_nan_fill(rng):
    interp, _, _ = _interp("cubic", rng, bounds_error=False)
    v, g, h = interp.value_gradient_hessian(np.array([[5.0, 0.0], [1.0, 0.0]]))
    assert np.isnan(v[0]) and np.all(np.isnan(g[0])) and np.all(np.isnan(h[0]))
    assert np.all(np.isfinite(g[1]))


def test_raise_mode_per_side(rng):
    interp, _, _ = _interp("linear", rng, extrapolate=[("raise", "linear"), "linear"])
    interp.value_and_gradient(np.array([[2.5, 0.0]]))
    with pytest.raises(ValueError, match="out of bounds in dimension 0"):
        interp.value_and_gradient(np.array([[-0.5, 0.0]]))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("bounds_error", [True, False])
def test_nan_spoils_only_its_point(method, bounds_error, rng):
    interp, _, _ = _interp(method, rng, bounds_error=bounds_error)
    xi = np.array([[0.5, 0.5], [np.nan, 0.5], [1.0, np.nan], [1.5, 1.0]])
    if bounds_error:
        # scipy's bounds check fails on NaN (it is never inside): the first axis holding
        # one is reported, as scipy reports it; the points without NaN evaluate
        import scipy.interpolate as si

        ref = si.RegularGridInterpolator(
            *_interp(method, np.random.default_rng(1234))[1:], method=method
        )
        for rows, axis in (([1], 0), ([2], 1), ([1, 2], 0)):
            with pytest.raises(ValueError, match=f"out of bounds in dimension {axis}$"):
                ref(xi[rows])
            with pytest.raises(ValueError, match=f"out of bounds in dimension {axis}$"):
                interp.value_gradient_hessian(xi[rows])
        v, g, h = interp.value_gradient_hessian(xi[[0, 3]])
        assert np.all(np.isfinite(v)) and np.all(np.isfinite(g)) and np.all(np.isfinite(h))
        return
    v, g, h = interp.value_gradient_hessian(xi)
    assert np.all(np.isnan(v[1:3])) and np.all(np.isnan(g[1:3])) and np.all(np.isnan(h[1:3]))
    assert np.all(np.isfinite(v[[0, 3]])) and np.all(np.isfinite(g[[0, 3]]))


@pytest.mark.parametrize(
    ("extrapolate", "match"),
    [
        ("wrap", "`extrapolate` must be one of"),
        (["linear"], "sequence of 2 entries"),
        ([("periodic", "linear"), "linear"], "periodic on both sides"),
        (["linear", ("linear",)], r"`extrapolate\[1\]` must be a mode or a"),
        ([("linear", "bad"), "linear"], r"`extrapolate\[0\]\[1\]` must be one of"),
    ],
)
def test_extrapolate_errors(extrapolate, match, rng):
    with pytest.raises(ValueError, match=match):
        _interp("linear", rng, extrapolate=extrapolate)


def test_extrapolate_type_error(rng):
    with pytest.raises(TypeError, match="`extrapolate` must be None, a string"):
        _interp("linear", rng, extrapolate=3)


def test_fill_needs_fill_value(rng):
    with pytest.raises(ValueError, match="needs a `fill_value`"):
        _interp("linear", rng, extrapolate="fill", fill_value=None)
