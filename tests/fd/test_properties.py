"""Property tests: numpy agreement on random inputs, polynomial reproduction, scale laws."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gradkit
from gradkit.fd._weights import boundary_width, interior_width

pytestmark = pytest.mark.kernels

shapes = hnp.array_shapes(min_dims=1, max_dims=4, min_side=3, max_side=7)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, edge_order=st.sampled_from([1, 2]))
def test_random_arrays_match_numpy_bitwise(data, shape, edge_order):
    f = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-1e6, 1e6)))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    uniform = data.draw(st.booleans())
    if uniform:
        spacing = data.draw(st.floats(1e-3, 1e3))
    else:
        steps = data.draw(hnp.arrays(np.float64, shape[axis] - 1, elements=st.floats(0.01, 10)))
        spacing = np.concatenate([[0.0], np.cumsum(steps)])
        if not np.all(np.diff(spacing) > 0):
            return
    ours = gradkit.gradient(f, spacing, axis=axis, edge_order=edge_order)
    theirs = np.gradient(f, spacing, axis=axis, edge_order=edge_order)
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(12, 30),
    accuracy=st.sampled_from([2, 4, 6]),
    order=st.integers(1, 3),
    seed=st.integers(0, 2**31),
)
def test_polynomials_of_degree_up_to_accuracy_are_exact(n, accuracy, order, seed):
    rng = np.random.default_rng(seed)
    x = np.cumsum(rng.uniform(0.5, 1.5, n))
    x = (x - x[0]) / (x[-1] - x[0])
    # every stencil (centred and one-sided) reproduces polynomials below its point count
    degree = min(interior_width(order, accuracy), boundary_width(order, accuracy)) - 1
    coeffs = rng.standard_normal(degree + 1)
    p = np.polynomial.Polynomial(coeffs)
    d = gradkit.derivative(p(x), x, order=order, accuracy=accuracy)
    want = p.deriv(order)(x)
    np.testing.assert_allclose(d, want, atol=1e-6 * np.abs(coeffs).sum() * 10**order)


@settings(max_examples=20, deadline=None)
@given(scale=st.floats(1e-3, 1e3), accuracy=st.sampled_from([2, 4, 8]))
def test_spacing_scale_law(scale, accuracy):
    f = np.sin(np.linspace(0, 3, 25))
    g1 = gradkit.gradient(f, 1.0, accuracy=accuracy)
    gs = gradkit.gradient(f, scale, accuracy=accuracy)
    np.testing.assert_allclose(gs * scale, g1, rtol=1e-12, atol=1e-12)
