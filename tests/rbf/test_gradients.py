"""Exact gradients and Hessians of the interpolant: finite differences, polynomials,
shapes, local mode and the conventions at data points."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.stats.qmc import Halton

from gradkit.rbf import RBFInterpolator
from gradkit.rbf._rbfinterp import _AVAILABLE, _monomial_powers

pytestmark = pytest.mark.kernels


def _fd_grad(fun, x, h=1e-5):
    cols = []
    for e in np.eye(x.shape[-1]):
        cols.append((fun(x + h * e) - fun(x - h * e)) / (2 * h))
    return np.stack(cols, axis=-1)


@pytest.fixture(scope="module")
def data3d():
    seq = Halton(3, scramble=False, seed=np.random.RandomState(0))
    y = seq.random(60)
    d = np.stack([np.sin(3 * y[:, 0]) + y[:, 1] ** 2, y[:, 2] * y[:, 0]], axis=1)
    x = seq.random(9) * 0.8 + 0.1
    return y, d, x


@pytest.mark.parametrize("neighbors", [None, 25])
@pytest.mark.parametrize("kernel", sorted(_AVAILABLE))
def test_gradient_and_hessian_match_finite_differences(data3d, kernel, neighbors):
    y, d, x = data3d
    f = RBFInterpolator(y, d, kernel=kernel, epsilon=2.0, degree=2, neighbors=neighbors)
    v, g, h = f.value_gradient_hessian(x)
    v1, g1 = f.value_and_gradient(x)
    assert v.shape == (9, 2) and g.shape == (9, 2, 3) and h.shape == (9, 2, 3, 3)
    assert_allclose(v, f(x), rtol=1e-13, atol=1e-14)
    assert_allclose(v1, v, rtol=1e-13, atol=1e-14)
    assert_allclose(g1, g, rtol=1e-13, atol=1e-14)
    scale = np.abs(g).max()
    assert_allclose(g, _fd_grad(f, x), atol=1e-7 * scale)
    hscale = np.abs(h).max()
    assert_allclose(h, _fd_grad(lambda z: f.value_and_gradient(z)[1], x), atol=1e-6 * hscale)
    assert_allclose(h, np.swapaxes(h, -1, -2), atol=1e-12 * hscale)


@pytest.mark.parametrize("kernel", ["thin_plate_spline", "cubic", "quintic"])
def test_polynomial_reproduction_of_derivatives(kernel):
    # data from a cubic polynomial: the interpolant is that polynomial, derivatives too
    rng = np.random.default_rng(3)
    seq = Halton(2, scramble=False, seed=np.random.RandomState(1))
    y = seq.random(60) * 4 - 1
    x = seq.random(15) * 4 - 1
    powers = _monomial_powers(2, 3)
    c = rng.standard_normal(powers.shape[0])

    def poly(z):
        return np.prod(z[:, None, :] ** powers, axis=-1) @ c

    def poly_grad(z):
        g = np.zeros(z.shape)
        for k, p in enumerate(powers):
            for i in range(2):
                if p[i]:
                    q = p.copy()
                    q[i] -= 1
                    g[:, i] += c[k] * p[i] * np.prod(z**q, axis=-1)
        return g

    f = RBFInterpolator(y, poly(y), kernel=kernel, degree=3)
    v, g, h = f.value_gradient_hessian(x)
    assert_allclose(v, poly(x), atol=1e-8)
    assert_allclose(g, poly_grad(x), atol=1e-7)
    hx = _fd_grad(poly_grad, x, 1e-6)
    assert_allclose(h, hx, atol=1e-5)


def test_shapes_nd_queries_and_vector_values():
    rng = np.random.default_rng(0)
    y = rng.random((40, 2))
    d = rng.random((40, 3, 4))
    f = RBFInterpolator(y, d)
    x = rng.random((5, 6, 2))
    v, g, h = f.value_gradient_hessian(x)
    assert v.shape == (5, 6, 3, 4)
    assert g.shape == (5, 6, 3, 4, 2)
    assert h.shape == (5, 6, 3, 4, 2, 2)
    flat = f.value_gradient_hessian(x.reshape(30, 2))
    assert_allclose(g.reshape(30, 3, 4, 2), flat[1])
    assert_allclose(v.reshape(30, 3, 4), f(x.reshape(30, 2)))


def test_complex_values():
    rng = np.random.default_rng(1)
    y = rng.random((40, 2))
    d = np.sin(y[:, 0]) + 1j * np.cos(3 * y[:, 1])
    x = rng.random((7, 2))
    f = RBFInterpolator(y, d)
    v, g = f.value_and_gradient(x)
    assert v.dtype == np.complex128 and g.dtype == np.complex128
    gr = RBFInterpolator(y, d.real).value_and_gradient(x)[1]
    gi = RBFInterpolator(y, d.imag).value_and_gradient(x)[1]
    assert_allclose(g, gr + 1j * gi, rtol=1e-12, atol=1e-14)


def test_local_mode_gradient_equals_global_on_the_neighbourhood():
    from scipy.spatial import cKDTree

    seq = Halton(2, scramble=False, seed=np.random.RandomState(4))
    y = seq.random(120)
    d = np.cos(4 * y[:, 0]) * y[:, 1]
    x = seq.random(10)
    f = RBFInterpolator(y, d, neighbors=15, kernel="cubic")
    v, g, h = f.value_gradient_hessian(x)
    _, nbr = cKDTree(y).query(x, 15)
    for i in range(10):
        ref = RBFInterpolator(y[nbr[i]], d[nbr[i]], kernel="cubic")
        vr, gr, hr = ref.value_gradient_hessian(x[i : i + 1])
        assert_allclose(v[i], vr[0], atol=1e-10)
        assert_allclose(g[i], gr[0], atol=1e-8)
        assert_allclose(h[i], hr[0], atol=1e-6)


@pytest.mark.parametrize("kernel", ["linear", "exponential"])
def test_convention_at_data_points_kinked_kernels(kernel):
    # At a data point the kinked centre term contributes 0: the gradient is the average
    # of the one-sided derivatives (= central difference), the Hessian is the sum over
    # the other centres.
    rng = np.random.default_rng(5)
    y = rng.random((30, 2))
    d = np.sin(3 * y[:, 0]) + y[:, 1]
    f = RBFInterpolator(y, d, kernel=kernel, epsilon=2.0)
    x = y[:4]
    v, g, h = f.value_gradient_hessian(x)
    assert np.all(np.isfinite(g)) and np.all(np.isfinite(h))
    assert_allclose(v, d[:4], atol=1e-10)
    assert_allclose(g, _fd_grad(f, x, 1e-7), atol=1e-5)
    a = f._coeffs[:30, 0]
    eps = 2.0
    for i in range(4):
        z = eps * (x[i] - y)
        s = np.linalg.norm(z, axis=1)
        mask = s > 0
        if kernel == "linear":
            g1 = -1 / s[mask]
            g2 = 1 / s[mask] ** 3
        else:
            e = np.exp(-s[mask])
            g1 = -e / s[mask]
            g2 = e * (1 + s[mask]) / s[mask] ** 3
        zz = z[mask]
        hess = eps**2 * (
            np.sum(a[mask] * g1) * np.eye(2) + np.einsum("j,j,ja,jb->ab", a[mask], g2, zz, zz)
        )
        assert_allclose(h[i], hess, rtol=1e-10, atol=1e-10)


def test_thin_plate_gradient_at_data_point_is_the_limit():
    rng = np.random.default_rng(6)
    y = rng.random((30, 2))
    d = np.sin(3 * y[:, 0]) * y[:, 1]
    f = RBFInterpolator(y, d)
    g_at = f.value_and_gradient(y[:3])[1]
    g_near = f.value_and_gradient(y[:3] + 1e-9)[1]
    assert_allclose(g_at, g_near, atol=1e-6)


def test_gradient_convergence_order_1d():
    # cubic kernel + linear tail in 1-D is the natural cubic spline; away from the ends
    # its derivative converges like h**3 (fit of the log-log slope).
    errs, hs = [], []
    xq = np.linspace(0.3, 0.7, 41)[:, None]
    for n in [11, 21, 41, 81]:
        y = np.linspace(0, 1, n)[:, None]
        f = RBFInterpolator(y, np.sin(2 * np.pi * y[:, 0]), kernel="cubic")
        g = f.value_and_gradient(xq)[1][:, 0]
        errs.append(np.abs(g - 2 * np.pi * np.cos(2 * np.pi * xq[:, 0])).max())
        hs.append(1 / (n - 1))
    slope = np.polyfit(np.log(hs), np.log(errs), 1)[0]
    assert 2.7 < slope < 3.5
