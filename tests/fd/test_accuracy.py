"""Measured convergence orders of the order-p stencils, boundaries included."""

import numpy as np
import pytest

import gradkit

pytestmark = pytest.mark.kernels


def _slope(ns, errors):
    h = 1.0 / np.asarray(ns, dtype=float)
    return np.polyfit(np.log(h), np.log(errors), 1)[0]


def _stretched(n):
    """Smoothly stretched coordinates of [0, 1]."""
    t = np.linspace(0.0, 1.0, n)
    return t + 0.15 * np.sin(np.pi * t) ** 2 * (1 - t)


# grids coarse enough that rounding stays far below the truncation error at every order
SIZES = {2: [40, 80, 160], 4: [30, 45, 60], 6: [24, 32, 40], 8: [24, 28, 32], 10: [22, 25, 28]}


@pytest.mark.parametrize("accuracy", [2, 4, 6, 8, 10])
@pytest.mark.parametrize("grid", ["uniform", "stretched"])
def test_gradient_order_with_boundaries(accuracy, grid):
    def f(x):
        return np.sin(3 * x) + np.exp(x)

    def df(x):
        return 3 * np.cos(3 * x) + np.exp(x)

    interior, edge = [], []
    ns = SIZES[accuracy]
    for n in ns:
        x = np.linspace(0.0, 1.0, n) if grid == "uniform" else _stretched(n)
        spacing = x[1] - x[0] if grid == "uniform" else x
        err = np.abs(gradkit.gradient(f(x), spacing, accuracy=accuracy) - df(x))
        edge.append(max(err[0], err[-1]))
        interior.append(err.max())
    assert _slope(ns, interior) > accuracy - 0.3
    assert _slope(ns, edge) > accuracy - 0.3


@pytest.mark.parametrize("accuracy", [2, 4, 6, 8])
@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_derivative_orders(order, accuracy):
    # d^m/dx^m sin(3x) = 3^m sin(3x + m pi/2); a high frequency keeps truncation well above
    # rounding, which grows like eps / h^order
    ns = [24, 32, 48] if accuracy < 6 else [40, 48, 56]
    errors = []
    for n in ns:
        x = np.linspace(0.0, 2.0, n)
        d = gradkit.derivative(np.sin(3 * x), x[1] - x[0], order=order, accuracy=accuracy)
        errors.append(np.abs(d - 3.0**order * np.sin(3 * x + order * np.pi / 2)).max())
    assert _slope(ns, errors) > accuracy - 0.4


@pytest.mark.parametrize("accuracy", [2, 4, 6, 8, 10])
def test_periodic_uniform_and_nonuniform(accuracy):
    ns = [40, 56, 80]
    uniform, nonuniform = [], []
    for n in ns:
        t = np.arange(n) / n
        x = 2 * np.pi * t
        g = gradkit.gradient(np.sin(2 * x), x[1] - x[0], boundary="periodic", accuracy=accuracy)
        uniform.append(np.abs(g - 2 * np.cos(2 * x)).max())
        xs = 2 * np.pi * (t + 0.05 * np.sin(2 * np.pi * t))
        g = gradkit.gradient(
            np.sin(2 * xs), xs, boundary="periodic", accuracy=accuracy, period=2 * np.pi
        )
        nonuniform.append(np.abs(g - 2 * np.cos(2 * xs)).max())
    assert _slope(ns, uniform) > accuracy - 0.3
    assert _slope(ns, nonuniform) > accuracy - 0.3


def test_polynomial_reproduction_nonuniform(rng):
    x = np.sort(rng.uniform(0, 3, 15))
    for p in (2, 4, 6):
        f = x**p - 2 * x ** (p - 1)
        g = gradkit.gradient(f, x, accuracy=p)
        np.testing.assert_allclose(
            g, p * x ** (p - 1) - 2 * (p - 1) * x ** (p - 2), rtol=1e-8, atol=1e-8
        )


def test_accuracy_2_equals_numpy_edge_order_2(rng):
    f = rng.standard_normal((7, 9))
    x = np.cumsum(rng.uniform(0.5, 1.5, 9))
    ours = gradkit.gradient(f, 0.3, x, accuracy=2)
    theirs = np.gradient(f, 0.3, x, edge_order=2)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_error_estimate_covers_error():
    x = np.linspace(0, 1, 41)
    f = np.sin(5 * x)
    for p in (2, 4, 6):
        g, err = gradkit.gradient(f, x[1] - x[0], accuracy=p, return_error=True)
        true = np.abs(g - 5 * np.cos(5 * x))
        assert err.shape == g.shape
        # within a factor 2 of the true error, pointwise where the error is not tiny
        big = true > 1e-3 * true.max()
        assert np.all(err[big] > 0.5 * true[big])
        assert np.all(err[big] < 2.0 * true[big])
    # numpy mode: the estimate of numpy.gradient's own error
    g, err = gradkit.gradient(f, x[1] - x[0], return_error=True)
    np.testing.assert_array_equal(g, np.gradient(f, x[1] - x[0]))
    true = np.abs(g - 5 * np.cos(5 * x))
    assert np.all(err >= 0.5 * true)
