"""Radial functions and their derivative factors, checked against sympy."""

import numpy as np
import pytest
import sympy as sp
from numpy.testing import assert_allclose
from scipy.stats.qmc import Halton

from gradkit.rbf import _kernels
from gradkit.rbf._rbfinterp import _KERNEL_CODES

pytestmark = pytest.mark.kernels

_s = sp.symbols("s", positive=True)
_EXPR = {
    "linear": -_s,
    "thin_plate_spline": _s**2 * sp.log(_s),
    "cubic": _s**3,
    "quintic": -(_s**5),
    "multiquadric": -sp.sqrt(1 + _s**2),
    "inverse_multiquadric": 1 / sp.sqrt(1 + _s**2),
    "inverse_quadratic": 1 / (1 + _s**2),
    "gaussian": sp.exp(-(_s**2)),
    "exponential": sp.exp(-_s),
    "matern32": (1 + sp.sqrt(3) * _s) * sp.exp(-sp.sqrt(3) * _s),
    "matern52": (1 + sp.sqrt(5) * _s + 5 * _s**2 / 3) * sp.exp(-sp.sqrt(5) * _s),
}


@pytest.mark.parametrize("kernel", sorted(_EXPR))
def test_phi_and_derivative_factors_match_sympy(kernel):
    phi = _EXPR[kernel]
    d1 = sp.diff(phi, _s)
    d2 = sp.diff(phi, _s, 2)
    # evaluated in 50-digit arithmetic: (phi'' - phi'/s)/s**2 cancels badly near 0
    exprs = [phi, d1 / _s, (d2 - d1 / _s) / _s**2]
    s = np.array([1e-3, 0.1, 0.5, 1.0, 1.7, 3.0, 6.0])
    code = _KERNEL_CODES[kernel]
    out = np.empty((s.size, 3))
    _kernels.phi_derivs_values(code, s**2, out)
    vals = np.empty(s.size)
    _kernels.phi_values(code, s**2, vals)
    expect = np.array(
        [[float(e.subs(_s, sp.Float(repr(float(v)), 50)).evalf(50)) for e in exprs] for v in s]
    )
    assert_allclose(out, expect, rtol=1e-11, atol=1e-300)
    assert_allclose(vals, expect[:, 0], rtol=1e-12, atol=1e-300)


# value, g1 and g2 at s = 0 (documented conventions: 0 where the limit does not exist)
_AT_ZERO = {
    "linear": (0.0, 0.0, 0.0),
    "thin_plate_spline": (0.0, 0.0, 0.0),
    "cubic": (0.0, 0.0, 0.0),
    "quintic": (0.0, 0.0, 0.0),
    "multiquadric": (-1.0, -1.0, 1.0),
    "inverse_multiquadric": (1.0, -1.0, 3.0),
    "inverse_quadratic": (1.0, -2.0, 8.0),
    "gaussian": (1.0, -2.0, 4.0),
    "exponential": (1.0, 0.0, 0.0),
    "matern32": (1.0, -3.0, 0.0),
    "matern52": (1.0, -5.0 / 3.0, 25.0 / 3.0),
}


@pytest.mark.parametrize("kernel", sorted(_AT_ZERO))
def test_conventions_at_zero(kernel):
    out = np.empty((1, 3))
    _kernels.phi_derivs_values(_KERNEL_CODES[kernel], np.zeros(1), out)
    assert np.all(np.isfinite(out))
    assert_allclose(out[0], _AT_ZERO[kernel], rtol=1e-15, atol=0)


@pytest.mark.parametrize("kernel", ["exponential", "matern32", "matern52"])
def test_new_kernels_are_positive_definite(kernel):
    # minimum degree -1: the kernel matrix itself is positive definite (Cholesky works)
    for ndim in [1, 2, 3, 4, 5]:
        seq = Halton(ndim, scramble=False, seed=np.random.RandomState(0))
        for _ in range(10):
            x = 2 * seq.random(10) - 1
            k = np.empty((10, 10))
            _kernels.kernel_cross(x * 3.0, x * 3.0, _KERNEL_CODES[kernel], k)
            np.linalg.cholesky(k)


@pytest.mark.parametrize("ndim", [1, 2, 3, 5])
def test_matvec_matches_dense(ndim):
    rng = np.random.default_rng(0)
    y = rng.random((70, ndim))
    v = rng.standard_normal((70, 2))
    for code in range(11):
        k = np.empty((70, 70))
        _kernels.kernel_cross(y, y, code, k)
        out = np.empty((70, 2))
        _kernels.kernel_matvec(np.ascontiguousarray(y.T), code, np.ascontiguousarray(v.T), out)
        assert_allclose(out, k @ v, rtol=1e-12, atol=1e-12)
        out1 = np.empty((70, 1))
        _kernels.kernel_matvec(np.ascontiguousarray(y.T), code, v[:, :1].T.copy(), out1)
        assert_allclose(out1, k @ v[:, :1], rtol=1e-12, atol=1e-12)


def test_vexp_is_accurate_and_propagates_nan():
    x = -np.concatenate([np.linspace(0, 50, 10001), np.linspace(50, 744, 1001), [1e-300]])
    out = np.empty_like(x)
    _kernels.vexp_values(x, out)
    ref = np.exp(x)
    big = ref > 1e-300
    assert np.all(np.abs(out[big] - ref[big]) <= 1.0 * np.spacing(ref[big]))
    assert np.all(out[~big] < 1e-300)
    special = np.array([np.nan, -np.inf, -800.0, 0.0])
    out = np.empty(4)
    _kernels.vexp_values(special, out)
    assert np.isnan(out[0]) and out[1] == 0.0 and out[2] == 0.0 and out[3] == 1.0
