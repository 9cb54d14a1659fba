"""Property tests (hypothesis): polynomial reproduction, shift and scale behaviour."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gradkit.numdiff import derivative, gradient

coeffs = st.lists(st.floats(-3, 3), min_size=2, max_size=6)
points = st.floats(-2, 2)


@settings(max_examples=40, deadline=None)
@given(coeffs, points)
def test_polynomials_are_reproduced(c, x):
    # every stencil of accuracy >= degree differentiates a polynomial exactly (up to
    # rounding), and the error estimate covers what rounding leaves
    p = np.polynomial.Polynomial(c)
    res = derivative(p, x, return_error=True)
    exact = p.deriv()(x)
    assert abs(res.value - exact) <= res.error
    assert abs(res.value - exact) <= 1e-10 * (1 + np.abs(c).sum() * 2 ** len(c))


@settings(max_examples=30, deadline=None)
@given(st.floats(0.1, 10), st.floats(-1, 1), st.floats(-1, 1))
def test_gradient_scales_linearly(a, x0, x1):
    def f(x):
        return np.exp(0.5 * x[0]) * np.sin(x[1])

    g1 = gradient(f, [x0, x1])
    ga = gradient(lambda x: a * f(x), [x0, x1])
    np.testing.assert_allclose(ga, a * g1, rtol=1e-10, atol=1e-12 * a)


@settings(max_examples=30, deadline=None)
@given(st.floats(-50, 50))
def test_error_covers_for_shifted_arguments(s):
    x = s + 0.3
    res = derivative(lambda t: np.sin(t - s) * np.exp(0.1 * (t - s)), x, return_error=True)
    u = x - s  # the argument actually seen (0.3 up to rounding of s + 0.3)
    exact = (np.cos(u) + 0.1 * np.sin(u)) * np.exp(0.1 * u)
    assert abs(res.value - exact) <= res.error
