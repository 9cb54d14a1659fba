"""The numba kernels (stencil points, per-entry update, off-lattice check) agree bit for bit
with the numpy path."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradkit.numdiff import DifferentiationWarning, _engine, derivative, gradient, hessian, jacobian

from .functions import FUNCTIONS

pytestmark = pytest.mark.kernels


def _both_paths(monkeypatch, call):
    """``call()`` with the numpy path, then with every kernel (threshold 0)."""
    monkeypatch.setattr(_engine, "KERNEL_THRESHOLD", 10**12)
    a = call()
    monkeypatch.setattr(_engine, "KERNEL_THRESHOLD", 0)
    b = call()
    return a, b


def _assert_identical(a, b):
    np.testing.assert_array_equal(a.value, b.value)
    np.testing.assert_array_equal(a.error, b.error)
    np.testing.assert_array_equal(a.success, b.success)
    assert (a.nfev, a.ncalls) == (b.nfev, b.ncalls)


@pytest.mark.parametrize("t", FUNCTIONS, ids=lambda t: t.name)
def test_kernels_bit_identical_on_the_test_set(monkeypatch, t):
    # 40 points around x0: first windows, later iterations, rounding floors and the
    # off-lattice check (some entries fail it and resume) all go through both paths.
    X = t.x0 + np.random.default_rng(5).uniform(-0.3, 0.3, (40, t.n))
    a, b = _both_paths(
        monkeypatch, lambda: gradient(lambda X: t.f(X.T), X, vectorized=True, return_error=True)
    )
    _assert_identical(a, b)
    assert np.isfinite(a.value).all()


def _silenced(call):
    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DifferentiationWarning)
            return call()

    return run


@pytest.mark.parametrize(
    "case",
    [
        # non-finite windows: restarts with a smaller step, and failures (status 3)
        lambda: derivative(lambda x: np.log(x), [1e-9, 1e-3, 0.5, 2.0], return_error=True),
        lambda: derivative(
            lambda x: np.where(x > 0.3, np.nan, np.sin(x)), [0.25, 0.0], return_error=True
        ),
        # aliasing: the off-lattice check fails and the descent resumes
        lambda: derivative(lambda x: np.sin(1e9 * x), [0.5, 1.0, 1.5], return_error=True),
        # maxiter and failure spreads; a noisy function
        lambda: derivative(
            lambda x: np.sin(x) + 1e-9 * np.cos(1e7 * x), [0.1, 0.2], maxiter=3, return_error=True
        ),
        # one-sided stencils at bounds; higher derivatives with a centre weight
        lambda: derivative(
            lambda x: np.sqrt(x), [0.0, 1e-3, 1.0], bounds=(0, None), return_error=True
        ),
        lambda: derivative(lambda x: np.exp(x), [-1.0, 0.0, 3.0], n=3, return_error=True),
        # several outputs (m > 1), and a Hessian (non-unit directions)
        lambda: jacobian(
            lambda X: np.stack([np.sin(X[:, 0] * X[:, 1]), np.exp(X[:, 1]), X[:, 0] ** 3], axis=1),
            np.random.default_rng(1).uniform(-1, 1, (6, 2)),
            vectorized=True,
            return_error=True,
        ),
        lambda: hessian(
            lambda X: np.cos(X[:, 0]) * np.exp(X[:, 1] * X[:, 2]),
            np.random.default_rng(2).uniform(-1, 1, (5, 3)),
            vectorized=True,
            return_error=True,
        ),
        # kinks and a jump: one-sided derivatives disagree (no evaluations of their own)
        lambda: derivative(
            lambda x: np.abs(x) + np.sign(x - 1.0), [0.0, 0.5, 1.0, -1.0], return_error=True
        ),
        lambda: hessian(
            lambda X: X[:, 0] * np.abs(X[:, 0]) + np.abs(X[:, 1]) * X[:, 2],
            np.array([[0.0, 0.0, 1.0], [0.3, 0.2, 0.1]]),
            vectorized=True,
            return_error=True,
        ),
        # a derivative that is exactly 0, and values that underflow
        lambda: gradient(lambda x: np.sin(x[0]), [0.5, 2.0], return_error=True),
        lambda: derivative(lambda x: 5e-324 * x, [0.0, 1.0], return_error=True),
    ],
)
def test_kernels_bit_identical_on_hard_cases(monkeypatch, case):
    a, b = _both_paths(monkeypatch, _silenced(case))
    _assert_identical(a, b)


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


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 4),
    st.sampled_from([2, 4, 6, 8, 10]),
    st.sampled_from(["central", "forward", "backward"]),
    st.floats(0.2, 5.0),
    st.lists(st.floats(-3, 3), min_size=3, max_size=12),
)
def test_kernels_bit_identical_random(order, accuracy, method, scale, xs):
    # Orders 1-4, accuracies, one-sided stencils, scales (rounding floors, later iterations)
    def f(x):
        return np.exp(np.sin(scale * x)) + np.cos(x) / (1.5 + np.sin(x))

    out = []
    for threshold in (10**12, 0):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(_engine, "KERNEL_THRESHOLD", threshold)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DifferentiationWarning)
                out.append(
                    derivative(f, xs, n=order, accuracy=accuracy, method=method, return_error=True)
                )
    _assert_identical(*out)
