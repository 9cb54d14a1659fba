"""Regressions, named after what broke."""

import warnings

import numpy as np

from gradkit.numdiff import DifferentiationWarning, derivative, gradient


def test_first_window_estimate_not_kept_over_better_later_one():
    # log(c + s**2) near a complex singularity: the first window's same-window indicator
    # |D0 - L0| was 1.6e-12 while D0 was 1.9e-9 off, and D0 was returned as "best".
    x = np.array(
        [
            -0.10428328,
            -0.18677431,
            -0.38698556,
            -0.53725485,
            0.30153267,
            -0.470628,
            0.72455104,
            -0.45870321,
            0.34671926,
            0.13636828,
        ]
    )
    res = gradient(lambda x: np.log1p((x**2).sum()), x, return_error=True)
    exact = 2 * x / (1 + (x**2).sum())
    assert (np.abs(res.value - exact) <= res.error).all()
    assert np.abs(res.value - exact).max() < 1e-11


def test_dyadic_aliasing_of_sin_1e9x():
    # sin(1e9 x) sampled at x + 0.125 * 2**-m looks like a slow sine (1e9 * 0.125 = 2**6 *
    # 5**9 and 5**9 is close to a multiple of 2 pi): the estimates converged to ~2.07 with
    # an error estimate of 2e-12; the true derivative is ~ -3.6e8.
    xs = np.random.default_rng(0).uniform(0.2, 3, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DifferentiationWarning)
        res = derivative(lambda x: np.sin(1e9 * x), xs, return_error=True)
    exact = 1e9 * np.cos(1e9 * xs)
    assert not (res.success & (np.abs(res.value - exact) > res.error)).any()


def test_aliased_plateau_not_kept_after_true_convergence():
    # sin(1e7 x) at 1 with a first step of 0.13: an aliased plateau near -2342.75 came
    # first, the true value -9072703.86 later; the rounding-floor stop returned the former.
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        res = derivative(lambda x: np.sin(1e7 * x), 1.0, initial_step=0.13, return_error=True)
    exact = 1e7 * np.cos(1e7)
    if res.success:
        assert abs(res.value - exact) <= res.error
    else:
        assert any(issubclass(r.category, DifferentiationWarning) for r in rec)


def test_zero_derivative_components_are_success():
    # Outputs that do not depend on a variable gave exactly 0 with a rounding-level error,
    # which the first version flagged as "did not converge".
    J = gradient(lambda x: np.sin(x[0]), [0.5, 2.0], return_error=True)
    assert J.success.all()
    assert J.value[1] == 0.0


def test_underflowing_values_keep_a_nonzero_error():
    # hypothesis: f(x) = 5e-324 x; every f value underflows to 0, the estimate is 0 and the
    # error estimate was exactly 0 although the true derivative is 5e-324.
    res = derivative(lambda x: 5e-324 * x, 0.0, return_error=True)
    assert abs(res.value - 5e-324) <= res.error


def test_aliasing_in_one_gradient_component_is_caught_by_the_screen():
    # Gradients check each point's central first derivatives together (one screen along
    # w = sum_r h_r e_r, two evaluations). sin(1e9 x_2) aliases on the dyadic lattice: a
    # screen that always passed would leave 47 of these 50 components confidently wrong.
    rng = np.random.default_rng(0)
    X = rng.uniform(0.2, 3, (50, 5))
    a = np.linspace(0.6, 1.4, 5)
    exact = -np.sin(X @ a)[:, None] * a
    exact[:, 2] += 1e9 * np.cos(1e9 * X[:, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DifferentiationWarning)
        res = gradient(
            lambda X: np.sin(1e9 * X[:, 2]) + np.cos(X @ a), X, vectorized=True, return_error=True
        )
    assert not (res.success & (np.abs(res.value - exact) > res.error)).any()
    assert res.success[:, [0, 1, 3, 4]].all()


def test_screen_and_per_entry_checks_mixed():
    # Point 1's third component fails (sqrt of negative numbers), leaving two successful
    # entries there: fewer than SCREEN_MIN, so they get per-entry checks while point 0
    # is screened. sin(1e9 x_0) aliases on the lattice: both routes must catch it.
    from gradkit.numdiff import _engine

    X = np.array([[0.3, 0.5, 0.7], [0.3, 0.5, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DifferentiationWarning)
        res = gradient(
            lambda X: np.sin(1e9 * X[:, 0]) + X[:, 1] ** 2 + np.sqrt(X[:, 2]),
            X,
            vectorized=True,
            return_error=True,
        )
    assert _engine.SCREEN_MIN == 3
    exact = np.stack([1e9 * np.cos(1e9 * X[:, 0]), 2 * X[:, 1], [0.5 / np.sqrt(0.7), 0]], axis=1)
    np.testing.assert_array_equal(res.success[:, 1:], [[True, True], [True, False]])
    assert not (res.success & (np.abs(res.value - exact) > res.error)).any()


def test_screen_covers_jacobians_and_mixed_sides():
    # The screen checks each output component of a Jacobian along w = sum_r h_r e_r; with
    # bounds, an entry next to a bound is one-sided and gets its own check while its
    # point's central entries are screened. sin(1e9 x_1) in the second output aliases.
    from gradkit.numdiff import jacobian

    rng = np.random.default_rng(3)
    X = rng.uniform(0.2, 0.8, (30, 4))
    X[::3, 0] = 1e-3  # next to the lower bound 0 of x_0: one-sided there

    def f(X):
        return np.stack(
            [np.exp(X @ [0.3, -0.2, 0.5, 0.1]), np.sin(1e9 * X[:, 1]) + np.sqrt(X[:, 0])],
            axis=1,
        )

    e = np.exp(X @ [0.3, -0.2, 0.5, 0.1])
    exact = np.zeros((30, 2, 4))
    exact[:, 0] = e[:, None] * [0.3, -0.2, 0.5, 0.1]
    exact[:, 1, 0] = 0.5 / np.sqrt(X[:, 0])
    exact[:, 1, 1] = 1e9 * np.cos(1e9 * X[:, 1])
    bounds = ([0.0, -np.inf, -np.inf, -np.inf], np.inf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DifferentiationWarning)
        res = jacobian(f, X, vectorized=True, bounds=bounds, return_error=True)
    assert not (res.success & (np.abs(res.value - exact) > res.error)).any()
    # success is per direction (for all outputs at once): x_2, x_3 are smooth everywhere,
    # x_0 away from the bound; x_1 aliases and never gets a confident answer
    assert res.success[:, :, 2:].all()
    interior = np.arange(30) % 3 != 0
    assert res.success[interior, :, 0].all()
    assert not res.success[:, :, 1].any()
