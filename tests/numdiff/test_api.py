"""Calling conventions, shapes, dtypes, the result object and evaluation counts."""

import numpy as np

from gradkit.numdiff import DiffResult, derivative, gradient, hessian, jacobian


class Counter:
    def __init__(self, f):
        self.f = f
        self.calls = 0

    def __call__(self, *a):
        self.calls += 1
        return self.f(*a)


def func(q, chi, delta):
    return q * chi * delta


def test_gradient_of_a_function_of_three_scalars_given_a_tuple():
    res = gradient(func, (2.0, 3.0, 5.0), return_error=True)
    assert isinstance(res, DiffResult)
    np.testing.assert_allclose(res.value, [15.0, 10.0, 6.0], rtol=1e-13)
    assert (np.abs(res.value - [15.0, 10.0, 6.0]) <= res.error).all()
    assert res.success.all() and res.method == "central"
    assert res.nfev == res.ncalls > 0


def test_array_function_equals_tuple_function():
    g1 = gradient(lambda x: x[0] * x[1] * x[2], [2.0, 3.0, 5.0])
    g2 = gradient(func, (2.0, 3.0, 5.0))
    np.testing.assert_allclose(g1, g2, rtol=1e-14)


def test_vectorized_one_call_per_iteration():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (50, 4))
    f = Counter(lambda X: np.sin(X).sum(axis=-1) + X[..., 0] * X[..., 1])
    res = gradient(f, X, vectorized=True, return_error=True)
    expect = np.cos(X)
    expect[:, 0] += X[:, 1]
    expect[:, 1] += X[:, 0]
    assert res.value.shape == (50, 4)
    np.testing.assert_allclose(res.value, expect, rtol=1e-11, atol=1e-13)
    assert f.calls == res.ncalls <= 25  # one call per iteration, not per point
    assert res.nfev > 50 * 4 * 8


def test_vectorized_tuple_args_batch():
    q = np.array([1.0, 2.0])
    res = gradient(func, (q, 3.0, 5.0), vectorized=True)
    np.testing.assert_allclose(res, [[15.0, 5.0, 3.0], [15.0, 10.0, 6.0]], rtol=1e-12)


def test_non_vectorized_batch_loops_over_points():
    X = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
    f = Counter(lambda x: np.exp(x[0]) * np.cos(x[1]))
    res = gradient(f, X, return_error=True)
    assert res.value.shape == (3, 2)
    assert f.calls == res.nfev == res.ncalls
    np.testing.assert_allclose(res.value[:, 0], np.exp(X[:, 0]) * np.cos(X[:, 1]), rtol=1e-12)


def test_derivative_elementwise_shapes_and_orders():
    x = np.linspace(0.1, 2.0, 12).reshape(3, 4)
    exact = [np.cos(x), -np.sin(x), -np.cos(x), np.sin(x)]
    for n in (1, 2, 3, 4):
        res = derivative(np.sin, x, n=n, return_error=True)
        assert res.value.shape == x.shape
        tol = [1e-12, 1e-10, 1e-8, 1e-6][n - 1]
        np.testing.assert_allclose(res.value, exact[n - 1], atol=tol)
        assert (np.abs(res.value - exact[n - 1]) <= res.error).all()


def test_derivative_scalar_and_non_vectorized():
    import math

    d = derivative(math.exp, 1.0, vectorized=False)
    assert d.shape == ()
    assert abs(d - math.e) < 1e-13


def test_derivative_args():
    d = derivative(lambda x, a: np.exp(a * x), [0.0, 1.0], args=(2.0,))
    np.testing.assert_allclose(d, 2.0 * np.exp([0.0, 2.0]), rtol=1e-12)


def test_jacobian_shapes():
    def f(x):
        return np.array([[x[0] * x[1], np.sin(x[0])], [np.exp(x[1]), x[0] ** 2]])

    J = jacobian(f, [1.0, 2.0])
    assert J.shape == (2, 2, 2)
    np.testing.assert_allclose(J[0, 0], [2.0, 1.0], rtol=1e-12)
    np.testing.assert_allclose(J[1, 0], [0.0, np.exp(2.0)], rtol=1e-12, atol=1e-12)

    def fv(X):  # (N, 2) -> (N, 3)
        return np.stack([X[:, 0] * X[:, 1], np.sin(X[:, 0]), np.exp(X[:, 1])], axis=-1)

    X = np.array([[1.0, 2.0], [0.5, -1.0]])
    Jv = jacobian(fv, X, vectorized=True)
    assert Jv.shape == (2, 3, 2)
    np.testing.assert_allclose(Jv[1, 1], [np.cos(0.5), 0.0], atol=1e-12)


def test_hessian_shapes_and_values():
    def f(x):
        return np.exp(x[0]) * np.sin(x[1]) + x[0] * x[2] ** 2

    x = np.array([0.3, 0.7, -0.4])
    res = hessian(f, x, return_error=True)
    e0 = np.exp(0.3)
    H = np.array(
        [
            [e0 * np.sin(0.7), e0 * np.cos(0.7), 2 * -0.4],
            [e0 * np.cos(0.7), -e0 * np.sin(0.7), 0.0],
            [2 * -0.4, 0.0, 2 * 0.3],
        ]
    )
    assert res.value.shape == (3, 3)
    np.testing.assert_allclose(res.value, H, atol=1e-9)
    assert (np.abs(res.value - H) <= res.error).all()
    np.testing.assert_array_equal(res.value, res.value.T)


def test_hessian_vectorized_batch():
    X = np.array([[0.1, 0.2], [0.3, -0.5], [1.0, 1.0]])
    H = hessian(lambda X: np.sin(X[..., 0]) * np.cos(X[..., 1]), X, vectorized=True)
    assert H.shape == (3, 2, 2)
    s0, c0 = np.sin(X[:, 0]), np.cos(X[:, 0])
    s1, c1 = np.sin(X[:, 1]), np.cos(X[:, 1])
    np.testing.assert_allclose(H[:, 0, 0], -s0 * c1, atol=1e-9)
    np.testing.assert_allclose(H[:, 0, 1], -c0 * s1, atol=1e-9)
    np.testing.assert_allclose(H[:, 1, 1], -s0 * c1, atol=1e-9)


def test_dtype_policy():
    x32 = np.array([0.5, 1.0], dtype=np.float32)
    g = gradient(lambda x: np.sum(np.sin(x)), x32)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, np.cos(x32.astype(float)), rtol=1e-6)
    gi = gradient(lambda x: np.sum(x.astype(float) ** 3), np.array([1, 2]))
    assert gi.dtype == np.float64
    np.testing.assert_allclose(gi, [3.0, 12.0], rtol=1e-12)


def test_bounds_one_sided_never_leave_domain():
    seen = []

    def f(x):
        seen.append(float(x))
        return np.sqrt(x)  # undefined below 0

    res = derivative(f, [1e-3, 0.5, 1.0], bounds=(0.0, None), vectorized=False, return_error=True)
    assert min(seen) >= 0.0
    exact = 0.5 / np.sqrt([1e-3, 0.5, 1.0])
    np.testing.assert_allclose(res.value, exact, rtol=1e-9)
    assert (np.abs(res.value - exact) <= res.error).all()
    assert res.method == "central/one-sided"


def test_bounds_log_at_edge_of_domain():
    # log(x0) near 0 and sqrt(1.5 - x1) near 1.5: one-sided stencils pointing inwards
    def f(x):
        assert x[0] >= 0.0 and x[1] <= 1.5
        return np.log(x[0]) + np.sqrt(1.5 - x[1])

    res = gradient(f, [1e-4, 1.4999], bounds=([0.0, -np.inf], [np.inf, 1.5]), return_error=True)
    exact = [1e4, -0.5 / np.sqrt(1e-4)]
    np.testing.assert_allclose(res.value, exact, rtol=1e-8)
    assert (np.abs(res.value - exact) <= res.error).all()


def test_forward_and_backward_methods():
    for method in ("forward", "backward"):
        res = derivative(np.exp, 1.0, method=method, return_error=True)
        assert res.method == method
        assert abs(res.value - np.e) <= res.error
        assert abs(res.value - np.e) < 1e-9


def test_complex_step():
    def f(x):
        return np.exp(x[0]) * np.sin(x[1]) / (1 + x[0] ** 2)

    x = np.array([0.4, 1.2])
    res = gradient(f, x, method="complex", return_error=True)
    g = np.array(
        [
            np.exp(0.4) * np.sin(1.2) * ((1 + 0.16) - 0.8) / (1 + 0.16) ** 2,
            np.exp(0.4) * np.cos(1.2) / (1 + 0.16),
        ]
    )
    np.testing.assert_allclose(res.value, g, rtol=1e-15)
    assert res.nfev == 1 + 3 * 2  # f(x), one complex step and a 2-point check per variable
    assert res.method == "complex"


def test_result_repr_and_fields():
    res = derivative(np.exp, [0.0, 1.0], return_error=True)
    text = repr(res)
    assert text.startswith("DiffResult(value=") and "nfev=" in text
    assert res.error.dtype == np.float64 and res.success.dtype == bool


def test_frugal_on_smooth_function():
    # scipy.differentiate.derivative needs 11 evaluations here; gradkit no more.
    res = derivative(np.exp, 0.7, return_error=True)
    assert res.nfev <= 11
    assert abs(res.value - np.exp(0.7)) < 1e-14 * np.exp(0.7)  # relative


def test_complex_step_near_singularity_with_bounds():
    x = np.array([1e-30, 1e-12, 1e-3, 2.0])
    res = derivative(np.log, x, method="complex", bounds=(0.0, None), return_error=True)
    np.testing.assert_allclose(res.value, 1.0 / x, rtol=1e-14)
    assert res.success.all()
    assert (np.abs(res.value - 1.0 / x) <= res.error).all()


def test_complex_step_vectorized_jacobian():
    def f(X):
        return np.stack([X[:, 0] * X[:, 1], np.exp(X[:, 0])], axis=-1)

    res = jacobian(
        f, [[1.0, 2.0], [0.0, 1.0]], method="complex", vectorized=True, return_error=True
    )
    expect = [[[2.0, 1.0], [np.e, 0.0]], [[1.0, 0.0], [1.0, 0.0]]]
    np.testing.assert_allclose(res.value, expect, rtol=1e-15)
    assert res.ncalls == 3  # f(x), the complex steps, the checks
