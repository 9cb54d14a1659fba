"""Gradients and Hessians: analytic, finite differences of the values, convergence."""

import numpy as np
import pytest

from gradkit.grid import RegularGridInterpolator, interpn

pytestmark = pytest.mark.kernels

METHODS = ["linear", "nearest", "slinear", "cubic", "quintic", "pchip"]


def _grid(rng, shape, make_grid):
    return tuple(make_grid(n, -1.0, 1.5, rng) for n in shape)


def _fd(interp, xi, h=1e-6):
    d = xi.shape[-1]
    cols = []
    for j in range(d):
        e = np.zeros(d)
        e[j] = h
        cols.append((interp(xi + e) - interp(xi - e)) / (2 * h))
    return np.stack(cols, axis=-1)


@pytest.mark.parametrize("method", ["slinear", "cubic", "quintic"])
def test_polynomial_reproduction_exact_derivatives(method, rng, make_grid):
    """A spline of degree k reproduces tensor polynomials of degree <= k per axis."""
    k = {"slinear": 1, "cubic": 3, "quintic": 5}[method]
    pts = _grid(rng, (9, 8, 10), make_grid)
    X, Y, Z = np.meshgrid(*pts, indexing="ij")

    def f(x, y, z):
        return x**k * y + 2 * y ** min(k, 2) * z - z**k + 0.5 * x * y * z

    def grad(x, y, z):
        return np.stack(
            [
                k * x ** (k - 1) * y + 0.5 * y * z,
                x**k + 2 * min(k, 2) * y ** (min(k, 2) - 1) * z + 0.5 * x * z,
                2 * y ** min(k, 2) - k * z ** (k - 1) + 0.5 * x * y,
            ],
            axis=-1,
        )

    interp = RegularGridInterpolator(
        pts, f(X, Y, Z), method=method, bounds_error=False, fill_value=None
    )
    xi = rng.uniform(-1.2, 1.7, (50, 3))
    v, g, h = interp.value_gradient_hessian(xi)
    np.testing.assert_allclose(v, f(*xi.T), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(g, grad(*xi.T), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(h, np.swapaxes(h, -1, -2), atol=1e-9)


def test_linear_gradient_is_cell_gradient(rng, make_grid):
    pts = _grid(rng, (5, 6), make_grid)
    values = rng.standard_normal((5, 6))
    interp = RegularGridInterpolator(pts, values)
    x0, x1 = pts[0][1], pts[0][2]
    y0, y1 = pts[1][3], pts[1][4]
    tx, ty = 0.3, 0.6
    xi = np.array([[x0 + tx * (x1 - x0), y0 + ty * (y1 - y0)]])
    v00, v01, v10, v11 = values[1, 3], values[1, 4], values[2, 3], values[2, 4]
    gx = ((v10 - v00) * (1 - ty) + (v11 - v01) * ty) / (x1 - x0)
    gy = ((v01 - v00) * (1 - tx) + (v11 - v10) * tx) / (y1 - y0)
    hxy = (v11 - v10 - v01 + v00) / ((x1 - x0) * (y1 - y0))
    v, g, h = interp.value_gradient_hessian(xi)
    np.testing.assert_allclose(g[0], [gx, gy], rtol=1e-13)
    np.testing.assert_allclose(h[0], [[0, hxy], [hxy, 0]], rtol=1e-13, atol=1e-15)


def test_linear_face_convention_cell_on_the_right():
    x = np.array([0.0, 1.0, 3.0, 4.0])
    values = np.array([0.0, 1.0, 5.0, 4.0])
    interp = RegularGridInterpolator((x,), values)
    g = interp.gradient(np.array([[0.0], [1.0], [3.0], [4.0]]))[:, 0]
    # nodes 0, 1, 3 take the cell to their right; the last node the last cell
    np.testing.assert_allclose(g, [1.0, 2.0, -1.0, -1.0])


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("vshape", [(), (2,)])
def test_gradient_matches_finite_differences(method, vshape, rng, make_grid):
    pts = _grid(rng, (7, 8, 6), make_grid)
    values = rng.standard_normal((7, 8, 6) + vshape)
    interp = RegularGridInterpolator(
        pts, values, method=method, bounds_error=False, fill_value=None
    )
    xi = rng.uniform(-1.3, 1.8, (40, 3))
    v, g, h = interp.value_gradient_hessian(xi)
    np.testing.assert_allclose(v, interp(xi), rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(g, _fd(interp, xi), rtol=1e-6, atol=1e-6)
    gfd = np.stack(
        [(interp.gradient(xi + e) - interp.gradient(xi - e)) / 2e-6 for e in np.eye(3) * 1e-6],
        axis=-1,
    )
    if method == "nearest":
        assert not np.any(g) and not np.any(h)
    else:
        np.testing.assert_allclose(h, gfd, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(h, np.swapaxes(h, -1, -2), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("method", METHODS)
def test_shorthands_equal_one_pass(method, rng, make_grid):
    pts = _grid(rng, (6, 7), make_grid)
    interp = RegularGridInterpolator(pts, rng.standard_normal((6, 7, 3)), method=method)
    xi = rng.uniform(-1.0, 1.5, (4, 5, 2))
    v, g, h = interp.value_gradient_hessian(xi)
    v1, g1 = interp.value_and_gradient(xi)
    # the shorthands run the same kernels as the one-pass calls: bit-identical
    np.testing.assert_array_equal(g1, interp.gradient(xi))
    np.testing.assert_array_equal(h, interp.hessian(xi))
    np.testing.assert_array_equal(v1, interp(xi))
    # value+gradient may use a specialised 2-D/3-D kernel (other summation order)
    np.testing.assert_allclose(v, v1, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(g, g1, rtol=1e-13, atol=1e-12)
    assert g.shape == (4, 5, 3, 2) and h.shape == (4, 5, 3, 2, 2)


def test_complex_gradient(rng, make_grid):
    pts = _grid(rng, (6, 7), make_grid)
    re, im = rng.standard_normal((2, 6, 7))
    xi = rng.uniform(-1.0, 1.5, (10, 2))
    for method in ["linear", "cubic"]:
        gc = RegularGridInterpolator(pts, re + 1j * im, method=method).gradient(xi)
        gr = RegularGridInterpolator(pts, re, method=method).gradient(xi)
        gi = RegularGridInterpolator(pts, im, method=method).gradient(xi)
        assert gc.dtype == np.complex128
        np.testing.assert_allclose(gc, gr + 1j * gi, rtol=1e-14)


def test_pchip_gradient_is_monotone_cubic_in_1d():
    from scipy.interpolate import PchipInterpolator

    x = np.array([0.0, 0.5, 1.3, 2.0, 3.1, 4.0])
    y = np.array([0.0, 1.0, 1.1, 3.0, 2.5, 2.4])
    xi = np.linspace(-0.5, 4.5, 101)[:, None]
    interp = RegularGridInterpolator((x,), y, method="pchip", bounds_error=False, fill_value=None)
    v, g, h = interp.value_gradient_hessian(xi)
    ref = PchipInterpolator(x, y)
    np.testing.assert_allclose(v, ref(xi[:, 0]), rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(g[:, 0], ref(xi[:, 0], 1), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(h[:, 0, 0], ref(xi[:, 0], 2), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("method", "order"), [("linear", 1), ("cubic", 3), ("quintic", 5), ("pchip", 2)]
)
def test_gradient_convergence_order(method, order):
    """Error of the interpolant's gradient against the true gradient: O(h^order)."""

    # monotone in both variables: pchip's limiter (slope 0 at extrema) stays inactive
    def f(x, y):
        return np.exp(0.7 * x + 0.4 * y) + x * y

    def g(x, y):
        e = np.exp(0.7 * x + 0.4 * y)
        return np.stack([0.7 * e + y, 0.4 * e + x], -1)

    rng = np.random.default_rng(0)
    xi = rng.uniform(0.2, 0.8, (200, 2))
    hs, errs = [], []
    for n in [11, 21, 41, 81]:
        x = np.linspace(0, 1, n)
        interp = RegularGridInterpolator(
            (x, x), f(*np.meshgrid(x, x, indexing="ij")), method=method
        )
        errs.append(np.max(np.abs(interp.gradient(xi) - g(*xi.T))))
        hs.append(1.0 / (n - 1))
    slope = np.polyfit(np.log(hs), np.log(errs), 1)[0]
    assert slope > order - 0.3


def test_interpn_gradient_and_hessian(rng, make_grid):
    pts = _grid(rng, (6, 7), make_grid)
    values = rng.standard_normal((6, 7))
    xi = rng.uniform(-1.0, 1.5, (5, 2))
    interp = RegularGridInterpolator(pts, values, method="cubic")
    v, g = interpn(pts, values, xi, method="cubic", gradient=True)
    v2, g2, h2 = interpn(pts, values, xi, method="cubic", hessian=True)
    # the functional forms run exactly the method forms' computations
    ev, eg = interp.value_and_gradient(xi)
    np.testing.assert_array_equal(v, ev)
    np.testing.assert_array_equal(g, eg)
    ev2, eg2, eh = interp.value_gradient_hessian(xi)
    np.testing.assert_array_equal(v2, ev2)
    np.testing.assert_array_equal(g2, eg2)
    np.testing.assert_array_equal(h2, eh)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("ndim", [1, 2, 4, 5])
def test_value_gradient_kernels_agree_with_hessian_kernels(method, ndim, rng, make_grid):
    """value_and_gradient runs the gather-and-halve kernels (any ndim); the Hessian path
    the axis-by-axis contraction: two independent implementations."""
    pts = _grid(rng, (6, 7, 6, 6, 6)[:ndim], make_grid)
    interp = RegularGridInterpolator(
        pts,
        rng.standard_normal(tuple(len(p) for p in pts) + (2,)),
        method=method,
        bounds_error=False,
        fill_value=None,
    )
    xi = rng.uniform(-1.2, 1.7, (50, ndim))
    xi[3] = [p[2] for p in pts]
    v, g = interp.value_and_gradient(xi)
    v2, g2, _ = interp.value_gradient_hessian(xi)
    np.testing.assert_allclose(v, v2, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(g, g2, rtol=1e-11, atol=1e-11)
    off_lines = np.arange(len(xi)) != 3  # central differences straddle the grid line
    np.testing.assert_allclose(g[off_lines], _fd(interp, xi)[off_lines], rtol=1e-5, atol=1e-5)
