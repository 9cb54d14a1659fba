"""Regressions, named after what broke."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradkit.numdiff import DifferentiationWarning, derivative, gradient, hessian, jacobian


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


# --- kinks: one-sided derivatives that disagree at the point -----------------------------
# gradient(abs, [0.0]) returned 0 with success=True and an error of 7e-15: the central
# stencil sees only the odd part of f around x, which is 0 for |x|. (scipy.differentiate
# and numdifftools also report 0 with a zero error there.) The error must cover half the
# one-sided derivatives' disagreement, and success must be False.
_KINKS = [
    # (name, f, x, lower bound for the error: half the one-sided disagreement)
    ("abs", np.abs, 0.0, 1.0),
    ("relu", lambda x: np.maximum(x, 0.0), 0.0, 0.5),
    ("shifted_abs", lambda x: 3.0 * np.abs(x - 1.5) + x, 1.5, 3.0),
    ("sqrt_abs", lambda x: np.abs(x) ** 0.5, 0.0, 1.0),  # infinite one-sided slopes
    ("sign", np.sign, 0.0, 1.0),  # a jump
    ("floor", np.floor, 1.0, 1.0),  # a jump
    ("smooth_plus_small_kink", lambda x: np.exp(x) + 1e-6 * np.abs(x), 0.0, 1e-6),
]


def _warns_not_success(call):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        res = call()
    assert any(issubclass(r.category, DifferentiationWarning) for r in rec)
    return res


@pytest.mark.parametrize(("name", "f", "x", "half_jump"), _KINKS, ids=[k[0] for k in _KINKS])
def test_kink_is_not_a_confident_derivative(name, f, x, half_jump):
    for res in (
        _warns_not_success(lambda: derivative(f, x, return_error=True)),
        _warns_not_success(lambda: gradient(lambda v: f(v[0]), [x], return_error=True)),
        _warns_not_success(
            lambda: jacobian(lambda v: np.array([f(v[0]), v[1]]), [x, 2.0], return_error=True)
        ),
    ):
        assert not res.success.ravel()[0]
        assert res.error.ravel()[0] >= half_jump


def test_kink_abs_at_zero_costs_no_extra_evaluations():
    # (gradient(abs, [0.0]) itself raises: abs of a (1,) array has shape (1,), not scalar)
    res = _warns_not_success(lambda: gradient(lambda v: abs(v[0]), [0.0], return_error=True))
    assert res.value[0] == 0.0 and res.error[0] >= 1.0 and not res.success[0]
    smooth = gradient(lambda v: np.cos(v[0]), [0.3], return_error=True)
    assert smooth.success[0]
    assert res.nfev <= smooth.nfev


def test_kink_only_at_the_point():
    # beside the kink, and in the other variables, derivatives stay confident and right
    res = _warns_not_success(
        lambda: gradient(lambda v: np.abs(v[0]) + np.sin(v[1]), [0.0, 0.4], return_error=True)
    )
    np.testing.assert_array_equal(res.success, [False, True])
    assert abs(res.value[1] - np.cos(0.4)) <= res.error[1] < 1e-9
    ok = derivative(np.abs, [-0.7, 0.5, 2.0], return_error=True)
    assert ok.success.all()
    np.testing.assert_allclose(ok.value, [-1.0, 1.0, 1.0], rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("f", "x", "bad", "half_jump"),
    [
        # f'' jumps from -2 to 2 (x|x| is odd: the central second difference is exactly 0)
        (lambda v: v[0] * np.abs(v[0]) + v[1] ** 2, [0.0, 0.3], (0, 0), 2.0),
        # a jump in f: sign is odd, so the central second difference is 0 as well
        (lambda v: np.sign(v[0]) + v[1] ** 2, [0.0, 0.3], (0, 0), 1.0),
        # a kink only in the mixed derivative: d2/dxdy of x |y| is sign(y)
        (lambda v: v[0] * np.abs(v[1]), [0.0, 0.0], (0, 1), 1.0),
    ],
)
def test_kink_in_hessian(f, x, bad, half_jump):
    res = _warns_not_success(lambda: hessian(f, x, return_error=True))
    assert not res.success[bad]
    assert res.error[bad] >= half_jump
    assert res.success[1, 1]


@pytest.mark.parametrize(("n", "accuracy"), [(2, 8), (3, 8), (4, 10)])
def test_kink_in_higher_derivatives(n, accuracy):
    # |x| x**(n-1) has a jump in its n-th derivative at 0 (one-sided values +-n!), and
    # its odd or even central stencil sees exactly 0 there. (A fourth derivative's own
    # jump needs accuracy >= 10: the default window has too few levels to fit it.)
    res = _warns_not_success(
        lambda: derivative(
            lambda t: np.abs(t) * t ** (n - 1), 0.0, n=n, accuracy=accuracy, return_error=True
        )
    )
    assert not res.success
    assert res.error >= math.factorial(n)


@settings(max_examples=30, deadline=None)
@given(
    st.floats(-3, 3),
    st.floats(0.01, 100) | st.floats(-100, -0.01),
    st.floats(-5, 5),
)
def test_kink_of_any_size_and_place_is_caught(c, a, b):
    # f(x) = a max(x - c, 0) + b x at x = c: one-sided slopes b and a + b
    res = _warns_not_success(
        lambda: derivative(lambda x: a * np.maximum(x - c, 0.0) + b * x, c, return_error=True)
    )
    assert not res.success
    assert res.error >= 0.5 * abs(a) * (1 - 1e-6)


# --- calling conventions -------------------------------------------------------------------
def _func(q, chi, delta):
    return q * chi * delta


def test_function_of_scalars_given_a_list_gets_a_hint():
    # gradient(func(q, chi, delta), [2., 3., 5.]) gave Python's bare "missing 2 required
    # positional arguments": numdiff calls f(x) with one array unless x is a tuple.
    with pytest.raises(
        TypeError,
        match=r"missing 2 required positional arguments: 'chi' and 'delta'\. `f` takes 3 "
        r"required positional arguments \(q, chi, delta\); .*`f\(x\)` with `x` one array of "
        r"shape \(3,\)\. Pass `x` as a tuple of 3 scalars .*`lambda v: f\(\*v\)`",
    ) as info:
        gradient(_func, [2.0, 3.0, 5.0])
    assert isinstance(info.value.__cause__, TypeError)  # the original error is kept
    np.testing.assert_allclose(gradient(_func, (2.0, 3.0, 5.0)), [15.0, 10.0, 6.0], rtol=1e-12)
    np.testing.assert_allclose(
        gradient(lambda v: _func(*v), [2.0, 3.0, 5.0]), [15.0, 10.0, 6.0], rtol=1e-12
    )


def test_function_of_one_array_given_a_tuple_gets_a_hint():
    with pytest.raises(
        TypeError, match=r"takes 1 positional argument but 2 were given\. .*`x` is a tuple.*list"
    ):
        gradient(lambda x: x[0] * x[1], (2.0, 3.0))
    with pytest.raises(TypeError, match=r"missing 1 required positional argument: 'b'.*`args="):
        derivative(lambda a, b: a * b, 1.0)


def test_type_error_inside_f_is_not_rewritten():
    def f(x):
        return len(3)  # a TypeError of f's own

    with pytest.raises(TypeError, match=r"^object of type 'int' has no len\(\)$"):
        gradient(f, [1.0, 2.0])


# --- results without a significant digit ------------------------------------------------
@pytest.mark.parametrize("x", [1e16, 9.2e18, 1e20, 1e300, 1e308])
def test_sin_at_huge_x_is_not_confident(x):
    # Floats near 9.2e18 are 2048 apart: sin is unresolved at every step. The descent
    # stopped "at the rounding floor" with -1.4e-4 +- 5.7e-5 (success) for cos(x) = 0.89;
    # at 1e308 the steps fell below one ulp (every point rounded to x) and gave 0 +- 8e-306.
    res = _warns_not_success(lambda: derivative(np.sin, x, return_error=True))
    assert not res.success


def test_values_too_large_for_their_differences_are_not_confident():
    # 1e15 + x: the values carry 0.125 of rounding; the estimate had an error of 384
    res = _warns_not_success(lambda: derivative(lambda x: 1e15 + x, 0.0, return_error=True))
    assert not res.success and res.error >= 1.0


def test_resolvable_large_x_and_constants_stay_confident():
    res = derivative(np.sin, [1e8, 1e12], return_error=True)
    assert res.success.all()
    assert (np.abs(res.value - np.cos([1e8, 1e12])) <= res.error).all()
    const = gradient(lambda v: 5.0 + 0.0 * v[0], [1.0, 2.0], return_error=True)
    assert const.success.all() and (const.value == 0).all()


def test_bounds_that_leave_no_room_are_not_confident():
    # bounds 1e-12 either side of x: one-sided steps of 1e-12 gave 0.533 +- 1.04 (success)
    # for cos(1) = 0.540
    res = _warns_not_success(
        lambda: derivative(np.sin, 1.0, bounds=(1.0 - 1e-12, 1.0 + 1e-12), return_error=True)
    )
    assert not res.success
    ok = derivative(np.sin, 1.0, bounds=(1.0 - 1e-5, 1.0 + 1e-5), return_error=True)
    assert ok.success and abs(ok.value - np.cos(1.0)) <= ok.error < 1e-6


# --- the sympy bridge and the complex step ----------------------------------------------
def test_sympy_kinks_are_not_confident():
    sp = pytest.importorskip("sympy")
    # exact derivatives of Abs, Piecewise, Max pick one branch at a kink: d|a|/da at 0 was
    # sign(0) = 0 with a rounding-level error
    a, b = sp.symbols("a b", real=True)
    res = _warns_not_success(lambda: derivative(sp.Abs(a), [0.0, 1.0, -2.0], return_error=True))
    np.testing.assert_array_equal(res.success, [False, True, True])
    assert res.error[0] >= 1.0
    np.testing.assert_array_equal(res.value[1:], [1.0, -1.0])
    pw = sp.Piecewise((a, a > 0), (-a, True))
    res = _warns_not_success(lambda: derivative(pw, 0.0, return_error=True))
    assert not res.success and res.error >= 1.0
    res = _warns_not_success(
        lambda: gradient(sp.Max(a, 0) + b**2, [0.0, 1.0], variables=[a, b], return_error=True)
    )
    np.testing.assert_array_equal(res.success, [False, True])
    assert res.error[0] >= 0.5
    # the second derivative of |a| is a Dirac delta: at 0 no function value
    res = _warns_not_success(
        lambda: hessian(sp.Abs(a) + b**2, [0.0, 1.0], variables=[a, b], return_error=True)
    )
    assert not res.success[0, 0] and res.success[1, 1]
    smooth = hessian(sp.Abs(a) + b**2, [0.5, 1.0], variables=[a, b], return_error=True)
    assert smooth.success.all()


def test_sympy_bad_symbols_and_unevaluated_derivatives():
    sp = pytest.importorskip("sympy")
    a, b = sp.symbols("a b")
    # a set has no order: the gradient came back with its entries swapped
    with pytest.raises(TypeError, match=r"`variables` must be a sympy symbol or an ordered"):
        gradient(a * sp.sin(b), [1.0, 2.0], variables={a, b})
    with pytest.raises(TypeError, match=r"`variables` must be a sympy symbol or an ordered"):
        gradient(a * b, [1.0, 2.0], variables=3)  # was: 'int' object is not iterable
    # Abs of a complex symbol, an undefined function: was sympy's PrintMethodNotImplementedError
    with pytest.raises(ValueError, match=r"sympy cannot differentiate the expression"):
        derivative(sp.Abs(a), 1.0)
    with pytest.raises(ValueError, match=r"sympy cannot differentiate the expression"):
        derivative(sp.Function("g")(a), 1.0)


def test_sympy_non_finite_derivative_warns():
    sp = pytest.importorskip("sympy")
    a = sp.Symbol("a")
    res = _warns_not_success(lambda: derivative(1 / a, [0.0, 1.0], return_error=True))
    np.testing.assert_array_equal(res.success, [False, True])
    assert res.error[0] == np.inf


def test_complex_step_at_tiny_x():
    # h = 1e-20 max(|x|, 1e-250) was far larger than x = 1e-300: 1.57e270 for 1e300
    res = derivative(np.log, 1e-300, method="complex", return_error=True)
    assert res.success and abs(res.value - 1e300) <= res.error
    # sqrt at 0: the central check is NaN there; the error was NaN
    res = _warns_not_success(lambda: derivative(np.sqrt, 0.0, method="complex", return_error=True))
    assert not res.success and res.error == np.inf


def test_infinite_values_beside_x_raise_no_numpy_warning():
    # f = 1 at x and inf above it: the window's inf - inf emitted numpy's RuntimeWarning
    # ("invalid value encountered in accumulate") besides the DifferentiationWarning
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        res = derivative(lambda x: np.where(x > 1.0, np.inf, 1.0), 1.0, return_error=True)
    assert all(issubclass(r.category, DifferentiationWarning) for r in rec), rec
    assert not res.success


def test_large_problems_never_import_numba():
    # A gradient at 1,000 points of 10 variables and a Hessian at 200 points ran their
    # per-entry arithmetic in numba kernels: 2-5 s for the first call with a warm numba cache,
    # 10-20 s with an empty one. numdiff is numpy only now (see its README).
    import subprocess
    import sys

    code = (
        "import sys; import numpy as np; from gradkit.numdiff import gradient, hessian; "
        "X = np.random.default_rng(0).uniform(-1, 1, (1000, 10)); "
        "g = gradient(lambda X: np.exp(0.3 * X @ np.linspace(0.1, 1, 10)), X, vectorized=True); "
        "h = hessian(lambda X: np.sin(X[:, 0] * X[:, 1]) * X[:, 2:].sum(axis=1), X[:200], "
        "vectorized=True); "
        "assert g.shape == (1000, 10) and h.shape == (200, 10, 10); "
        "print('numba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]
