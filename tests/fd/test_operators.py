"""derivative, hessian, laplacian, divergence and curl against analytic fields."""

import numpy as np
import pytest

import gradkit

pytestmark = pytest.mark.kernels


@pytest.fixture
def grid3():
    x = np.linspace(0, 1, 17)
    y = np.cumsum(np.linspace(1, 1.5, 19))
    y = (y - y[0]) / (y[-1] - y[0])
    z = np.linspace(-1, 0, 15)
    return x, y, z, np.meshgrid(x, y, z, indexing="ij")


def test_hessian_of_cubic_exact(grid3):
    x, y, z, (X, Y, Z) = grid3
    f = X**2 * Y + Y * Z**2 + X * Y * Z
    H = gradkit.hessian(f, x, y, z, accuracy=2)
    assert H.shape == (3, 3) + f.shape
    want = [
        [2 * Y, 2 * X + Z, Y],
        [2 * X + Z, 0 * X, 2 * Z + X],
        [Y, 2 * Z + X, 2 * Y],
    ]
    for i in range(3):
        for j in range(3):
            np.testing.assert_allclose(H[i, j], want[i][j], atol=1e-9)
    np.testing.assert_array_equal(H, H.transpose(1, 0, 2, 3, 4))


def test_mixed_derivative_matches_chained_gradient(grid3):
    x, y, z, (X, Y, Z) = grid3
    f = np.sin(X) * np.cos(2 * Y) * Z
    d = gradkit.derivative(f, x, y, axis=(0, 1), order=(1, 1), accuracy=4)
    chained = gradkit.gradient(gradkit.gradient(f, x, axis=0, accuracy=4), y, axis=1, accuracy=4)
    np.testing.assert_array_equal(d, chained)
    np.testing.assert_allclose(d, -2 * np.cos(X) * np.sin(2 * Y) * Z, atol=5e-4)
    d2 = gradkit.derivative(f, y, axis=1, order=2, accuracy=4)
    np.testing.assert_allclose(d2, -4 * np.sin(X) * np.cos(2 * Y) * Z, atol=1e-3)


def test_laplacian_divergence_curl(grid3):
    x, y, z, (X, Y, Z) = grid3
    f = X**2 + 3 * Y**2 - Z**2
    np.testing.assert_allclose(gradkit.laplacian(f, x, y, z), 2 + 6 - 2, atol=1e-9)
    v = np.stack([X * Y, Y * Z, Z * X])
    np.testing.assert_allclose(gradkit.divergence(v, x, y, z), Y + Z + X, atol=1e-9)
    np.testing.assert_allclose(gradkit.divergence(list(v), x, y, z), Y + Z + X, atol=1e-9)
    c = gradkit.curl(v, x, y, z)
    assert c.shape == (3,) + f.shape
    np.testing.assert_allclose(c[0], -Y, atol=1e-9)
    np.testing.assert_allclose(c[1], -Z, atol=1e-9)
    np.testing.assert_allclose(c[2], -X, atol=1e-9)
    # 2-D curl is a scalar field
    X2, Y2 = np.meshgrid(x, y, indexing="ij")
    np.testing.assert_allclose(
        gradkit.curl([-(Y2**2), X2**3], x, y, accuracy=4), 3 * X2**2 + 2 * Y2, atol=1e-9
    )


def test_periodic_laplacian_spectral_like():
    n = 32
    x = 2 * np.pi * np.arange(n) / n
    X, Y = np.meshgrid(x, x, indexing="ij")
    f = np.sin(X) * np.cos(2 * Y)
    lap = gradkit.laplacian(f, x[1] - x[0], boundary="periodic", accuracy=10)
    np.testing.assert_allclose(lap, -5 * f, atol=1e-7)


def test_per_axis_boundaries():
    n = 24
    x = 2 * np.pi * np.arange(n) / n
    y = np.linspace(0, 1, 20)
    X, Y = np.meshgrid(x, y, indexing="ij")
    f = np.sin(X) * Y**3
    gx, gy = gradkit.gradient(f, x[1] - x[0], y, accuracy=4, boundary=("periodic", "one-sided"))
    np.testing.assert_allclose(gx, np.cos(X) * Y**3, atol=2e-4)
    np.testing.assert_allclose(gy, 3 * np.sin(X) * Y**2, atol=1e-9)


@pytest.mark.parametrize(
    "dtype", [np.float32, np.float64, np.complex64, np.complex128, np.int16, np.float16]
)
def test_dtype_policy(dtype):
    x = np.linspace(0, 1, 12)
    f = (10 * x**2).astype(dtype) if np.dtype(dtype).kind != "c" else (x**2 + 1j * x).astype(dtype)
    g = gradkit.gradient(f, x, accuracy=4)
    expected = {np.int16: np.float64}.get(dtype, dtype)
    assert g.dtype == np.dtype(expected)
    assert gradkit.derivative(f, x, order=2).dtype == np.dtype(expected)
    assert gradkit.hessian(f, x).dtype == np.dtype(expected)


def test_nan_spoils_only_its_stencils():
    f = np.sin(np.linspace(0, 1, 30))
    f[14] = np.nan
    for p in (2, 4, 6):
        g = gradkit.gradient(f, 0.1, accuracy=p)
        bad = np.flatnonzero(np.isnan(g))
        half = p // 2
        assert set(bad) <= set(range(14 - half, 14 + half + 1))
        assert 14 - 1 in bad and 14 + 1 in bad
    # numpy mode: the centre sample is not read by the central difference
    g = gradkit.gradient(f)
    np.testing.assert_array_equal(np.flatnonzero(np.isnan(g)), [13, 15])


def test_masked_input_with_accuracy():
    f = np.ma.masked_array(np.arange(10.0) ** 2, mask=np.arange(10) == 5)
    g = gradkit.gradient(f, accuracy=2)
    assert isinstance(g, np.ma.MaskedArray)
    np.testing.assert_array_equal(np.flatnonzero(np.ma.getmaskarray(g)), [4, 6])
    np.testing.assert_allclose(g.compressed(), 2 * np.delete(np.arange(10.0), [4, 6]))


def test_out_argument(rng):
    f = rng.standard_normal((6, 7))
    outs = [np.empty_like(f), np.empty_like(f)]
    res = gradkit.gradient(f, 0.5, out=outs)
    assert res[0] is outs[0] and res[1] is outs[1]
    for a, b in zip(outs, np.gradient(f, 0.5)):
        np.testing.assert_array_equal(a, b)
    out = np.empty_like(f)
    res = gradkit.gradient(f, axis=1, accuracy=4, out=out)
    assert res is out
    np.testing.assert_array_equal(out, gradkit.gradient(f, axis=1, accuracy=4))
