"""Accuracy on the shared test set, honest error estimates, convergence orders, failures."""

import warnings

import numpy as np
import pytest

from gradkit.numdiff import DifferentiationWarning, derivative, gradient, hessian

from .functions import FUNCTIONS, HESSIAN_FUNCTIONS


@pytest.mark.parametrize("t", FUNCTIONS, ids=lambda t: t.name)
def test_gradient_accurate_and_error_covers(t):
    g = t.grad(t.x0)
    res = gradient(t.f, t.x0, return_error=True)
    scale = np.abs(g).max()
    assert np.abs(res.value - g).max() <= 1e-12 * scale
    assert (np.abs(res.value - g) <= res.error).all()
    assert res.success.all()
    assert res.nfev <= 20 * t.n + 1


@pytest.mark.parametrize("t", [t for t in FUNCTIONS if t.n >= 3], ids=lambda t: t.name)
def test_gradient_vectorized_batch(t):
    X = t.x0 + np.random.default_rng(1).uniform(-0.2, 0.2, (6, t.n))
    res = gradient(lambda X: t.f(X.T), X, vectorized=True, return_error=True)
    G = t.grad(X.T).T
    assert res.value.shape == X.shape
    assert (np.abs(res.value - G) <= res.error).all()
    np.testing.assert_allclose(res.value, G, atol=1e-11 * np.abs(G).max())


@pytest.mark.parametrize("t", HESSIAN_FUNCTIONS, ids=lambda t: t.name)
def test_hessian_accurate_and_error_covers(t):
    H = t.hess(t.x0)
    res = hessian(t.f, t.x0, return_error=True)
    assert np.abs(res.value - H).max() <= 1e-10 * np.abs(H).max()
    assert (np.abs(res.value - H) <= res.error).all()
    # n (n + 1) / 2 directions, 8 + 2k evaluations each: far below the 4-point formula
    assert res.nfev < 7 * t.n * (t.n + 1)


@pytest.mark.parametrize(
    ("method", "accuracy", "steps"),
    [
        ("central", 2, [0.2, 0.1, 0.05, 0.025]),
        ("central", 4, [0.4, 0.2, 0.1, 0.05]),
        ("central", 6, [0.8, 0.4, 0.2, 0.1]),
        ("forward", 2, [0.1, 0.05, 0.025, 0.0125]),
        ("forward", 4, [0.4, 0.2, 0.1, 0.05]),
    ],
)
def test_convergence_order(method, accuracy, steps):
    # One window (maxiter=1) at a fixed step: the error must fall like h**accuracy.
    errors = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DifferentiationWarning)
        for h in steps:
            d = derivative(np.exp, 0.3, method=method, accuracy=accuracy, initial_step=h, maxiter=1)
            errors.append(abs(d - np.exp(0.3)))
    slope = np.polyfit(np.log(steps), np.log(errors), 1)[0]
    assert abs(slope - accuracy) < 0.35, slope


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_higher_derivatives_error_covers(n):
    x = np.linspace(-1.0, 1.5, 7)
    f = lambda t: np.exp(0.5 * t) * np.cos(t)  # noqa: E731
    z = (0.5 + 1j) ** n
    exact = (np.exp(0.5 * x) * (z * np.exp(1j * x))).real
    res = derivative(f, x, n=n, return_error=True)
    assert (np.abs(res.value - exact) <= res.error).all()
    assert np.abs(res.value - exact).max() < [1e-12, 1e-10, 1e-8, 1e-6][n - 1]


def test_step_shrinks_after_leaving_domain():
    # sqrt at 0.01 without bounds: the first stencil reaches negative x (NaN) and restarts
    res = derivative(np.sqrt, 0.01, return_error=True)
    assert abs(res.value - 5.0) <= res.error
    assert abs(res.value - 5.0) < 1e-9


@pytest.mark.parametrize("w", [1e6, 1e8, 1e12])
def test_oscillation_faster_than_steps_is_not_confident(w):
    # sin(w x) for large w. Either the step sequence resolves it and the answer is right
    # within its error estimate, or gradkit warns and the error estimate is large: never a
    # confident wrong answer.
    exact = w * np.cos(w * 1.0)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        res = derivative(lambda x: np.sin(w * x), 1.0, return_error=True)
    warned = any(issubclass(r.category, DifferentiationWarning) for r in rec)
    if res.success:
        assert not warned
        assert abs(res.value - exact) <= res.error
    else:
        assert warned
        assert res.error > 1e-3 * abs(res.value) or abs(res.value - exact) <= res.error


def test_aliasing_sweep_never_confident_and_wrong():
    # Dyadic step sequences alias fast oscillations into smooth-looking patterns (e.g.
    # sin(1e9 x) sampled at x + 0.125 * 2**-k looks like a slow sine). The off-lattice check
    # must catch every one of them.
    xs = np.random.default_rng(0).uniform(0.2, 3.0, 20)
    resolvable = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DifferentiationWarning)
        for w in (1e2, 1e3, 1e4, 1e5, 3e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e12):
            res = derivative(lambda x, w=w: np.sin(w * x), xs, return_error=True)
            exact = w * np.cos(w * xs)
            assert not (res.success & (np.abs(res.value - exact) > res.error)).any(), w
            assert (np.abs(res.value - exact) <= res.error).all() or (~res.success).any()
            if w <= 1e5:
                resolvable += res.success.sum()
    assert resolvable == 4 * xs.size


def test_noisy_function_warns_or_covers():
    rng = np.random.default_rng(0)

    def f(x):
        return np.sin(x) + 1e-9 * rng.standard_normal(np.shape(x))

    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        res = derivative(f, 0.5, return_error=True)
    covered = abs(res.value - np.cos(0.5)) <= res.error
    assert covered or any(issubclass(r.category, DifferentiationWarning) for r in rec)


@pytest.mark.parametrize("t", [t for t in FUNCTIONS if t.n >= 3], ids=lambda t: t.name)
def test_screen_saves_evaluations_and_agrees_with_per_entry_checks(monkeypatch, t):
    from gradkit.numdiff import _engine

    X = t.x0 + np.random.default_rng(4).uniform(-0.3, 0.3, (20, t.n))
    exact = t.grad(X.T).T
    screened = gradient(lambda X: t.f(X.T), X, vectorized=True, return_error=True)
    monkeypatch.setattr(_engine, "SCREEN_MIN", 10**9)
    per_entry = gradient(lambda X: t.f(X.T), X, vectorized=True, return_error=True)
    assert screened.success.all() and per_entry.success.all()
    assert (np.abs(screened.value - exact) <= screened.error).all()
    assert (np.abs(screened.value - per_entry.value) <= screened.error + per_entry.error).all()
    # one evaluation per entry becomes two per point (unless a screen fails)
    assert screened.nfev <= per_entry.nfev - 20 * (t.n - 2)
