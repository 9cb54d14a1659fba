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
