"""The numba point-building kernel agrees with the numpy path."""

import numpy as np
import pytest

from gradkit.numdiff import _engine, gradient, hessian

pytestmark = pytest.mark.kernels


@pytest.mark.parametrize("kind", ["gradient", "hessian"])
def test_kernel_matches_numpy_path(monkeypatch, kind):
    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, (7, 4))

    def f(X):
        return np.sin(X[:, 0]) * np.exp(X[:, 1]) + X[:, 2] * np.cos(X[:, 3])

    fn = gradient if kind == "gradient" else hessian
    monkeypatch.setattr(_engine, "KERNEL_THRESHOLD", 10**12)
    a = fn(f, X, vectorized=True, return_error=True)
    monkeypatch.setattr(_engine, "KERNEL_THRESHOLD", 0)
    b = fn(f, X, vectorized=True, return_error=True)
    np.testing.assert_array_equal(a.value, b.value)
    np.testing.assert_array_equal(a.error, b.error)
    assert a.nfev == b.nfev


def test_fill_points_direct():
    from gradkit.numdiff._kernels import fill_points

    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    dirs = np.array([[1.0, 0.0], [1.0, 1.0]])
    prow = np.array([0, 1])
    krow = np.array([1, 0])
    h = np.array([0.5, 0.25])
    offs = np.array([1.0, -1.0])
    out = np.full((5, 2), -7.0, order="F")
    fill_points(x, dirs, prow, krow, h, offs, out, 1)
    expect = [[-7, -7], [1.5, 2.5], [0.5, 1.5], [3.25, 4.0], [2.75, 4.0]]
    np.testing.assert_array_equal(out, expect)
