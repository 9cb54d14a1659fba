"""Property tests (hypothesis): polynomial reproduction, shift and scale behaviour."""

from fractions import Fraction

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gradkit.numdiff import derivative, gradient

coeffs = st.lists(st.floats(-3, 3), min_size=2, max_size=6)
points = st.floats(-2, 2)


@settings(max_examples=40, deadline=None)
@given(coeffs, points)
@example(c=[2.5, 0.0, -2.0, 2.5, 0.0, -2.0356449099402436], x=-1.046875)
def test_polynomials_are_reproduced(c, x):
    # every stencil of accuracy >= degree differentiates a polynomial exactly (up to
    # rounding), and the error estimate covers what rounding leaves. The estimate assumes
    # f accurate to a few ulps of its value, so f and the exact derivative are rounded
    # once from exact rational arithmetic: Horner's rule near a root of p loses more
    # (c = [2.5, 0, -2, 2.5, 0, -2.0356449099402436] at x = -1.046875: terms near 3, value
    # 6e-4; the true error 1.2e-14 exceeded the estimate 5e-15).
    cs = [Fraction(ck) for ck in c]

    def p(t):  # elementwise (derivative() passes arrays of points)
        t = np.asarray(t, dtype=float)
        v = [float(sum(ck * Fraction(ti) ** k for k, ck in enumerate(cs))) for ti in t.flat]
        return np.array(v).reshape(t.shape)

    res = derivative(p, x, return_error=True)
    t = Fraction(x)
    exact = float(sum(k * ck * t ** (k - 1) for k, ck in enumerate(cs) if k))
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
