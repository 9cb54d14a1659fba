"""Exact derivatives of sympy expressions through the same calls."""

import numpy as np
import pytest

from gradkit.numdiff import derivative, gradient, hessian, jacobian

sp = pytest.importorskip("sympy")


def test_sympy_expression_of_three_symbols():
    q, chi, delta = sp.symbols("q chi delta")
    res = gradient(q * chi * delta, (2.0, 3.0, 5.0), variables=(q, chi, delta), return_error=True)
    np.testing.assert_array_equal(res.value, [15.0, 10.0, 6.0])
    assert res.method == "sympy" and res.nfev == 0


def test_sympy_matches_finite_differences():
    x, y = sp.symbols("x y")
    expr = sp.exp(x) * sp.sin(y) + sp.log(1 + x**2 * y**2)
    f = sp.lambdify((x, y), expr, "numpy")
    pts = np.array([[0.3, 0.8], [1.1, -0.4]])
    gs = gradient(expr, pts, variables=(x, y))
    gf = gradient(lambda p: f(p[0], p[1]), pts)
    np.testing.assert_allclose(gs, gf, rtol=1e-11)
    Hs = hessian(expr, pts, variables=(x, y))
    Hf = hessian(lambda p: f(p[0], p[1]), pts)
    assert Hs.shape == (2, 2, 2)
    np.testing.assert_allclose(Hs, Hf, rtol=1e-8, atol=1e-9)


def test_sympy_uses_cse(monkeypatch):
    seen = {}
    orig = sp.lambdify

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return orig(*args, **kwargs)

    monkeypatch.setattr(sp, "lambdify", spy)
    x, y = sp.symbols("x y")
    gradient(sp.exp(x * y) * sp.sin(x * y), [0.5, 0.2], variables=(x, y))
    assert seen.get("cse") is True


def test_sympy_derivative_orders_and_jacobian():
    t = sp.Symbol("t")
    xs = np.array([0.1, 0.7])
    np.testing.assert_allclose(derivative(sp.sin(t), xs, n=3), -np.cos(xs), rtol=1e-15)
    a, b = sp.symbols("a b")
    J = jacobian(sp.Matrix([a * b, sp.sin(a), b**2]), [1.0, 2.0], variables=(a, b))
    np.testing.assert_allclose(J, [[2.0, 1.0], [np.cos(1.0), 0.0], [0.0, 4.0]])


def test_sympy_constant_derivative_broadcasts():
    x, y = sp.symbols("x y")
    g = gradient(x + 2 * y, np.ones((3, 2)), variables=(x, y))
    np.testing.assert_array_equal(g, np.tile([1.0, 2.0], (3, 1)))


def test_sympy_variables_errors():
    x, y, z = sp.symbols("x y z")
    with pytest.raises(ValueError, match=r"`variables` is required for a sympy expression"):
        gradient(x * y, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"`variables` has 1 symbols but `x` has 2"):
        gradient(x * y, [1.0, 2.0], variables=(x,))
    with pytest.raises(ValueError, match=r"free symbols \[z\] that are not in `variables`"):
        gradient(x * y * z, [1.0, 2.0], variables=(x, y))
    with pytest.raises(TypeError, match=r"`f` is a sympy expression; use `method='sympy'`"):
        gradient(x * y, [1.0, 2.0], variables=(x, y), method="central")
    with pytest.raises(ValueError, match=r"`gradient` needs a scalar expression"):
        gradient(sp.Matrix([x, y]), [1.0, 2.0], variables=(x, y))
