"""Property tests (hypothesis): reproduction of polynomials and scale invariance."""

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gradkit.grid import RegularGridInterpolator  # noqa: E402

pytestmark = pytest.mark.kernels

METHOD_K = {"linear": 1, "slinear": 1, "cubic": 3, "quintic": 5}


def _grid(seed, ndim, n):
    rng = np.random.default_rng(seed)
    pts = []
    for _ in range(ndim):
        h = rng.uniform(0.5, 1.5, n - 1)
        pts.append(np.concatenate([[0.0], np.cumsum(h)]) + rng.uniform(-3, 3))
    return tuple(pts), rng


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1), ndim=st.integers(1, 3), method=st.sampled_from(sorted(METHOD_K))
)
def test_reproduces_tensor_polynomials_with_exact_gradient(seed, ndim, method):
    k = METHOD_K[method]
    pts, rng = _grid(seed, ndim, 8)
    coef = rng.standard_normal((ndim, k + 1))

    def f(x):  # sum over axes of a degree-k polynomial in that coordinate
        return sum(np.polyval(coef[a], x[..., a]) for a in range(ndim))

    def grad(x):
        return np.stack([np.polyval(np.polyder(coef[a]), x[..., a]) for a in range(ndim)], axis=-1)

    mesh = np.stack(np.meshgrid(*pts, indexing="ij"), axis=-1)
    interp = RegularGridInterpolator(pts, f(mesh), method=method)
    xi = np.column_stack([rng.uniform(p[0], p[-1], 20) for p in pts])
    v, g = interp.value_and_gradient(xi)
    scale = 1 + np.max(np.abs(f(mesh)))
    np.testing.assert_allclose(v, f(xi), atol=1e-9 * scale)
    np.testing.assert_allclose(g, grad(xi), atol=1e-7 * scale)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    s=st.floats(0.01, 100.0),
    method=st.sampled_from(["linear", "cubic", "pchip"]),
)
def test_scaling_coordinates_scales_the_gradient(seed, s, method):
    pts, rng = _grid(seed, 2, 7)
    values = rng.standard_normal((7, 7))
    xi = np.column_stack([rng.uniform(p[0], p[-1], 15) for p in pts])
    v1, g1 = RegularGridInterpolator(pts, values, method=method).value_and_gradient(xi)
    pts_s = tuple(p * s for p in pts)
    v2, g2 = RegularGridInterpolator(pts_s, values, method=method).value_and_gradient(xi * s)
    np.testing.assert_allclose(v2, v1, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(g2 * s, g1, rtol=1e-7, atol=1e-7)
