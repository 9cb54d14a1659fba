"""numdifftools as the reference for accuracy and evaluation counts."""

import numpy as np
import pytest

from gradkit.numdiff import derivative, gradient, hessian

from .functions import FUNCTIONS, HESSIAN_FUNCTIONS

nd = pytest.importorskip("numdifftools")


class Count:
    def __init__(self, f):
        self.f = f
        self.n = 0

    def __call__(self, x):
        self.n += 1
        return self.f(x)


@pytest.mark.parametrize("t", FUNCTIONS, ids=lambda t: t.name)
def test_gradient_vs_numdifftools(t):
    exact = t.grad(t.x0)
    scale = np.abs(exact).max()
    c_nd = Count(t.f)
    ref = np.atleast_1d(nd.Gradient(c_nd)(t.x0))
    c_gk = Count(t.f)
    g = gradient(c_gk, t.x0)
    assert np.abs(g - exact).max() <= 10 * max(np.abs(ref - exact).max(), 1e-15 * scale)
    assert c_gk.n < c_nd.n


@pytest.mark.parametrize("t", HESSIAN_FUNCTIONS, ids=lambda t: t.name)
def test_hessian_fewer_evaluations_at_equal_accuracy(t):
    exact = t.hess(t.x0)
    c_nd = Count(t.f)
    ref = nd.Hessian(c_nd)(t.x0)
    c_gk = Count(t.f)
    H = hessian(c_gk, t.x0)
    assert np.abs(H - exact).max() <= np.abs(ref - exact).max()
    assert c_gk.n < c_nd.n / 2


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_derivative_orders_vs_numdifftools(n):
    x = 0.7
    ref = nd.Derivative(np.exp, n=n)(x)
    d = derivative(np.exp, x, n=n)
    exact = np.exp(x)
    assert abs(d - exact) <= 10 * max(abs(ref - exact), 1e-15 * exact)
