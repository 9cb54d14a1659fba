"""jax and torch through the same calls (skipped when not installed)."""

import numpy as np
import pytest

from gradkit.numdiff import derivative, gradient, hessian, jacobian


def func(q, chi, delta):
    return q * chi * delta


def test_missing_backend_message(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "jax", None)
    with pytest.raises(ModuleNotFoundError, match=r"`method='jax'` needs jax"):
        gradient(func, (2.0, 3.0, 5.0), method="jax")


class TestJax:
    @pytest.fixture(autouse=True)
    def _jnp(self):
        pytest.importorskip("jax")
        import jax.numpy as jnp

        self.jnp = jnp

    def test_function_of_three_scalars(self):
        res = gradient(func, (2.0, 3.0, 5.0), method="jax", return_error=True)
        np.testing.assert_array_equal(res.value, [15.0, 10.0, 6.0])
        assert res.method == "jax"

    def test_all_kinds_match_finite_differences(self):
        jnp = self.jnp

        def f(x):
            return jnp.exp(x[0]) * jnp.sin(x[1]) + x[0] * x[1] ** 2

        def fn(x):
            return np.exp(x[0]) * np.sin(x[1]) + x[0] * x[1] ** 2

        X = np.array([[0.3, 0.8], [1.0, -0.5]])
        np.testing.assert_allclose(gradient(f, X, method="jax"), gradient(fn, X), rtol=1e-11)
        np.testing.assert_allclose(hessian(f, X, method="jax"), hessian(fn, X), rtol=1e-8)
        J = jacobian(lambda x: jnp.stack([x[0] * x[1], jnp.sin(x[0])]), [1.0, 2.0], method="jax")
        np.testing.assert_allclose(J, [[2.0, 1.0], [np.cos(1.0), 0.0]], rtol=1e-15)
        d = derivative(jnp.sin, np.array([0.2, 0.4]), n=2, method="jax")
        np.testing.assert_allclose(d, -np.sin([0.2, 0.4]), rtol=1e-14)

    def test_jitted_function_detected(self):
        import jax

        res = gradient(jax.jit(lambda x: self.jnp.sum(x**3)), [1.0, 2.0], return_error=True)
        assert res.method == "jax"
        np.testing.assert_allclose(res.value, [3.0, 12.0], rtol=1e-15)

    def test_float64(self):
        g = gradient(lambda x: self.jnp.sum(x**3), [1.0 + 1e-9, 2.0], method="jax")
        assert g.dtype == np.float64
        assert abs(g[0] - 3.0 * (1.0 + 1e-9) ** 2) < 1e-14


class TestTorch:
    @pytest.fixture(autouse=True)
    def _torch(self):
        self.torch = pytest.importorskip("torch")

    def test_function_of_three_scalars(self):
        res = gradient(func, (2.0, 3.0, 5.0), method="torch", return_error=True)
        np.testing.assert_array_equal(res.value, [15.0, 10.0, 6.0])
        assert res.method == "torch"

    def test_all_kinds_match_finite_differences(self):
        torch = self.torch

        def f(x):
            return torch.exp(x[0]) * torch.sin(x[1]) + x[0] * x[1] ** 2

        def fn(x):
            return np.exp(x[0]) * np.sin(x[1]) + x[0] * x[1] ** 2

        X = np.array([[0.3, 0.8], [1.0, -0.5]])
        np.testing.assert_allclose(gradient(f, X, method="torch"), gradient(fn, X), rtol=1e-11)
        np.testing.assert_allclose(hessian(f, X, method="torch"), hessian(fn, X), rtol=1e-8)
        J = jacobian(
            lambda x: torch.stack([x[0] * x[1], torch.sin(x[0])]), [1.0, 2.0], method="torch"
        )
        np.testing.assert_allclose(J, [[2.0, 1.0], [np.cos(1.0), 0.0]], rtol=1e-15)
        d = derivative(torch.sin, np.array([0.2, 0.4]), n=2, method="torch")
        np.testing.assert_allclose(d, -np.sin([0.2, 0.4]), rtol=1e-14)

    def test_module_detected(self):
        torch = self.torch
        lin = torch.nn.Linear(2, 1, dtype=torch.float64)
        res = jacobian(lin, [1.0, 2.0], return_error=True)
        assert res.method == "torch"
        np.testing.assert_allclose(res.value, lin.weight.detach().numpy(), rtol=1e-15)

    def test_scalar_check(self):
        with pytest.raises(ValueError, match=r"`f` must return a scalar for `gradient`"):
            gradient(lambda x: x * 2, [1.0, 2.0], method="torch")


@pytest.mark.parametrize("method", ["jax", "torch"])
@pytest.mark.parametrize(
    "call",
    [
        lambda m: derivative(np.sin, 1.0, method=m),
        lambda m: gradient(lambda x: np.sin(x[0]) * x[1], [1.0, 2.0], method=m),
        lambda m: jacobian(lambda x: np.array([x[0] * x[1], np.exp(x[1])]), [1.0, 2.0], method=m),
        lambda m: hessian(lambda x: np.sin(x[0]) * x[1] ** 2, [1.0, 2.0], method=m),
    ],
)
def test_numpy_function_under_a_tracer_names_the_method(method, call):
    # A function written with numpy cannot be traced: the framework's own error
    # (jax's TracerArrayConversionError, torch's RuntimeError) became a TypeError that says so.
    pytest.importorskip(method)
    with pytest.raises(TypeError, match=rf"`method='{method}'` differentiates `f` by tracing"):
        call(method)
