"""scipy.differentiate and scipy.optimize.approx_fprime as references."""

import numpy as np
import pytest
from scipy import differentiate, optimize

from gradkit.numdiff import derivative, gradient, hessian, jacobian

from .functions import FUNCTIONS, HESSIAN_FUNCTIONS


@pytest.mark.parametrize("t", FUNCTIONS, ids=lambda t: t.name)
def test_gradient_agrees_with_scipy_jacobian(t):
    ref = differentiate.jacobian(t.f, t.x0)
    g = gradient(t.f, t.x0)
    exact = t.grad(t.x0)
    scale = np.abs(exact).max()
    # both agree with each other to scipy's own accuracy ...
    np.testing.assert_allclose(g, ref.df, atol=10 * ref.error.max() + 1e-12 * scale)
    # ... and gradkit is never less accurate than scipy by more than 10x
    assert np.abs(g - exact).max() <= 10 * max(np.abs(ref.df - exact).max(), 1e-15 * scale)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_derivative_agrees_with_scipy_derivative(dtype):
    x = np.linspace(0.2, 2.0, 9).astype(dtype)
    ref = differentiate.derivative(np.log1p, x.astype(float))
    d = derivative(np.log1p, x)
    assert d.dtype == dtype
    exact = 1.0 / (1.0 + x.astype(float))
    if dtype == np.float32:
        np.testing.assert_allclose(d, exact, rtol=1e-6)
    else:
        # within scipy's own error estimate of scipy's value, and at least as accurate
        assert (np.abs(d - ref.df) <= ref.error + 1e-15).all()
        assert np.abs(d - exact).max() <= np.abs(ref.df - exact).max()


def test_vectorized_jacobian_agrees_with_scipy():
    def fs(x):  # scipy convention: variables first
        return np.stack([x[0] * np.sin(x[1]), np.exp(x[0] - x[1]), x[0] ** 2 * x[1]])

    X = np.random.default_rng(2).uniform(0.1, 1.0, (5, 2))
    ref = differentiate.jacobian(fs, X.T).df  # (3, 2, 5)
    J = jacobian(lambda X: fs(X.T).T, X, vectorized=True)  # (5, 3, 2)
    np.testing.assert_allclose(J, np.moveaxis(ref, -1, 0), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("t", HESSIAN_FUNCTIONS, ids=lambda t: t.name)
def test_hessian_agrees_with_scipy_hessian(t):
    ref = differentiate.hessian(t.f, t.x0)
    H = hessian(t.f, t.x0)
    scale = np.abs(t.hess(t.x0)).max()
    np.testing.assert_allclose(H, ref.ddf, atol=1e-9 * scale)


def test_better_than_approx_fprime():
    def func(p):
        q, chi, delta = p
        return np.exp(q) * chi * np.sin(delta)

    x = np.array([0.3, 2.0, 1.1])
    exact = np.array(
        [np.exp(0.3) * 2 * np.sin(1.1), np.exp(0.3) * np.sin(1.1), np.exp(0.3) * 2 * np.cos(1.1)]
    )
    ref = optimize.approx_fprime(x, func)
    g = gradient(func, x)
    assert np.abs(g - exact).max() < 1e-3 * np.abs(ref - exact).max()
