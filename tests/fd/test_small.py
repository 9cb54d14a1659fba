"""The plain-numpy path of small arrays: the kernels' results, numpy's bits, no numba.

These tests are not marked ``kernels``, so small inputs take the numpy path here; each
comparison runs the same call again with that path turned off (the kernels). The numpy
reference tests and the bad-input table are collected here a second time for the same
reason: there they run on the kernels, here on the small path.
"""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gradkit
from gradkit._parallel import set_small_inputs
from gradkit.fd import _small
from tests.fd import test_bad_input as _bad
from tests.fd import test_reference_numpy as _reference

# numpy.gradient's reference tests and the bad-input table, on the small path
test_reference_default_spacing = _reference.test_default_spacing
test_reference_spacing_forms_one_axis = _reference.test_spacing_forms_one_axis
test_reference_mixed_spacing_forms = _reference.test_mixed_spacing_forms
test_reference_other_dtypes = _reference.test_other_dtypes
test_reference_documented_edge_values = _reference.test_numpy_documented_edge_values
test_reference_non_contiguous_and_fortran_input = _reference.test_non_contiguous_and_fortran_input
test_reference_empty_axes_and_zero_size = _reference.test_empty_axes_and_zero_size
test_reference_same_errors_as_numpy = _reference.test_same_errors_as_numpy
test_bad_call_small = _bad.test_bad_call


def on_kernels(function, *args, **kwargs):
    """``function(*args, **kwargs)`` with the small-input path turned off."""
    previous = set_small_inputs(False)
    try:
        return function(*args, **kwargs)
    finally:
        set_small_inputs(previous)


def assert_identical(ours, kernels):
    ours, kernels = np.atleast_1d(ours), np.atleast_1d(kernels)
    if isinstance(ours, tuple) or isinstance(kernels, tuple):
        assert type(ours) is type(kernels) and len(ours) == len(kernels)
        for a, b in zip(ours, kernels):
            assert_identical(a, b)
        return
    assert ours.dtype == kernels.dtype and ours.shape == kernels.shape
    np.testing.assert_array_equal(ours, kernels)


def both(function, *args, **kwargs):
    """The small path's result, which must be identical to the kernels'."""
    ours = function(*args, **kwargs)
    assert_identical(ours, on_kernels(function, *args, **kwargs))
    return ours


@pytest.fixture
def no_kernels(monkeypatch):
    """Any call that reaches an fd kernel fails."""
    from gradkit.fd import _kernels

    def fail(*args, **kwargs):
        raise AssertionError("a small input reached the kernels")

    monkeypatch.setattr(_kernels, "apply_rows", fail)
    monkeypatch.setattr(_kernels, "apply_blocks3", fail)


def _lengths(limit, ndim):
    """Shapes of ``ndim`` axes whose sizes are just below, at and just above ``limit``."""
    if ndim == 1:
        return [(limit - 1,), (limit,), (limit + 1,)]
    side = round(limit ** (1 / ndim))
    base = (side,) * (ndim - 1)
    last = limit // side ** (ndim - 1)
    return [base + (last,), base + (last + 1,), base + (last + 2,)]


@pytest.mark.parametrize("ndim", [1, 2, 3])
@pytest.mark.parametrize("edge_order", [1, 2])
def test_numpy_formulas_across_the_threshold(ndim, edge_order, rng):
    for shape in _lengths(_small.SMALL_FORMULAS, ndim):
        f = rng.standard_normal(shape)
        x = np.cumsum(rng.uniform(0.5, 1.5, shape[0]))
        for args in [(), (0.3,), (x,) + (2.0,) * (ndim - 1)]:
            ours = both(gradkit.gradient, f, *args, edge_order=edge_order)
            assert_identical(ours, np.gradient(f, *args, edge_order=edge_order))


@pytest.mark.parametrize(
    "options",
    [{"accuracy": 4}, {"accuracy": 8}, {"boundary": "periodic"}, {"return_error": True}],
)
def test_stencil_plans_across_the_threshold(options, rng):
    # stencil plans take the numpy path on 1-D arrays only
    for shape in _lengths(_small.SMALL_PLANS, 1):
        f = rng.standard_normal(shape)
        both(gradkit.gradient, f, 0.1, **options)


def test_small_calls_never_reach_the_kernels(no_kernels, rng):
    f = rng.standard_normal((9, 8, 7))
    x = np.cumsum(rng.uniform(0.5, 1.5, 9))
    gradkit.gradient(f)
    gradkit.gradient(f, x, 1.0, 2.0, edge_order=2)
    line = f[:, 0, 0]
    gradkit.gradient(line, x, accuracy=6, return_error=True)
    gradkit.gradient(line, boundary="periodic")
    gradkit.gradient(line, return_error=True)
    gradkit.derivative(line, x, order=3, accuracy=4)
    gradkit.hessian(line)
    gradkit.laplacian(line, accuracy=4)
    gradkit.divergence([line])


DTYPES = [np.float64, np.float32, np.float16, np.complex128, np.complex64, np.int16, np.uint8]


@pytest.mark.parametrize("dtype", DTYPES)
def test_every_operator_equals_the_kernels_on_lines(dtype, rng):
    scale = 20 if np.dtype(dtype).kind in "iu" else 1
    f = (rng.standard_normal(40) * scale).astype(dtype)
    x = np.cumsum(rng.uniform(0.5, 1.5, 40))
    both(gradkit.gradient, f, x, accuracy=4)
    both(gradkit.gradient, f, 0.5, accuracy=6, return_error=True)
    both(gradkit.gradient, f, boundary="periodic")
    both(gradkit.derivative, f, x, order=2, accuracy=6)
    both(gradkit.derivative, f, 0.5, order=4, boundary="periodic")
    both(gradkit.hessian, f, accuracy=4)
    both(gradkit.laplacian, f, x, accuracy=2)
    both(gradkit.divergence, [f], accuracy=4)
    if dtype not in (np.complex128, np.complex64):
        ours = both(gradkit.gradient, f, x, edge_order=2)
        assert_identical(ours, np.gradient(f, x, edge_order=2))


@pytest.mark.parametrize("dtype", DTYPES)
def test_every_operator_equals_the_kernels(dtype, rng):
    scale = 20 if np.dtype(dtype).kind in "iu" else 1
    f = (rng.standard_normal((11, 10, 9)) * scale).astype(dtype)
    x = np.cumsum(rng.uniform(0.5, 1.5, 11))
    both(gradkit.gradient, f, x, 1.0, 0.5, accuracy=4)
    both(gradkit.gradient, f, x, 1.0, 0.5, accuracy=4, return_error=True)
    both(gradkit.gradient, f, boundary=("periodic", "one-sided", "periodic"))
    both(gradkit.derivative, f, x, 2.0, axis=(0, 2), order=(2, 3), accuracy=6)
    both(gradkit.derivative, f, 0.5, axis=1, order=4, boundary="periodic")
    both(gradkit.hessian, f, accuracy=4)
    both(gradkit.laplacian, f, x, 1.0, 1.0, accuracy=2)
    both(gradkit.divergence, [f, f, f], accuracy=4)
    both(gradkit.curl, [f, f, f], boundary="periodic")
    if dtype not in (np.complex128, np.complex64):
        ours = both(gradkit.gradient, f, x, 1.0, 0.5, edge_order=2)
        assert_identical(ours, np.gradient(f, x, 1.0, 0.5, edge_order=2))


def test_periodic_non_uniform_and_masked_input(rng):
    x = np.sort(rng.uniform(0, 10, 40))
    f = np.sin(x)
    both(gradkit.gradient, f, x, accuracy=6, boundary="periodic", period=10.0)
    masked = np.ma.masked_array(rng.standard_normal(30), mask=rng.random(30) < 0.2)
    ours = gradkit.gradient(masked, accuracy=4)
    kernels = on_kernels(gradkit.gradient, masked, accuracy=4)
    np.testing.assert_array_equal(np.ma.getmaskarray(ours), np.ma.getmaskarray(kernels))
    np.testing.assert_array_equal(ours.filled(0), kernels.filled(0))


def test_out_arguments(rng):
    f = rng.standard_normal((8, 9))
    for options in [{}, {"accuracy": 4}]:
        outs = [np.empty_like(f), np.empty((8, 9), np.complex128)]
        result = gradkit.gradient(f, out=outs, **options)
        assert result[0] is outs[0] and result[1] is outs[1]
        kernels = on_kernels(gradkit.gradient, f, **options)
        assert_identical(outs[0], kernels[0])
        np.testing.assert_array_equal(outs[1], kernels[1])
        g = f.copy()
        gradkit.gradient(g, axis=0, out=g, **options)
        assert_identical(g, on_kernels(gradkit.gradient, f, axis=0, **options))


def test_extreme_coordinates_keep_the_scaled_formulas(rng):
    # spacings near 1e-160: numpy's products of two spacings underflow, gradkit's plan
    # evaluates numpy's formulas in scaled coordinates (see gradient's Notes)
    x = np.cumsum(rng.uniform(0.5, 1.5, 12)) * 1e-160
    f = np.sin(np.arange(12.0))
    ours = both(gradkit.gradient, f, x, edge_order=2)
    assert np.isfinite(ours).all()


@pytest.mark.parametrize(
    "f",
    [
        np.arange(12.0).reshape(3, 4).T,  # Fortran order
        np.arange(30.0)[::3],  # strided
        np.arange(10, dtype=np.int8) ** 2,
        np.arange(10, dtype=np.uint64),
        np.linspace(0, 1, 7, dtype=np.float32) ** 2,
        np.arange(6.0).astype(">f8"),  # big-endian
    ],
)
@pytest.mark.parametrize(
    "args,kwargs",
    [
        ((), {}),
        ((2,), {}),
        ((0.5,), {"edge_order": 2}),
        ((), {"axis": -1}),
        ((), {"axis": 0, "edge_order": 2.0}),
        ((np.float32(0.5),), {}),
    ],
)
def test_the_fast_lane_is_numpy_gradient(f, args, kwargs):
    ours = both(gradkit.gradient, f, *args, **kwargs)
    theirs = np.gradient(f, *args, **kwargs)
    if f.ndim > 1 and "axis" not in kwargs:
        for a, b in zip(ours, theirs):
            np.testing.assert_array_equal(a, b)
            assert a.dtype == b.dtype.newbyteorder("=")
    else:
        np.testing.assert_array_equal(ours, theirs)
        assert ours.dtype == theirs.dtype.newbyteorder("=")


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=3, max_side=9),
    dtype=st.sampled_from([np.float64, np.float32, np.int32]),
)
def test_random_calls_equal_the_kernels(data, shape, dtype):
    f = data.draw(hnp.arrays(dtype, shape, elements=st.integers(-1000, 1000)))
    ndim = len(shape)
    axis = data.draw(st.sampled_from([None, *range(-ndim, ndim)]))
    naxes = ndim if axis is None else 1
    spacing = data.draw(st.sampled_from(["none", "scalar", "each"]))
    args = {"none": (), "scalar": (0.25,), "each": tuple(1.0 + k for k in range(naxes))}[spacing]
    accuracy = data.draw(st.sampled_from([None, 2, 4, 6]))
    boundary = data.draw(st.sampled_from(["one-sided", "periodic"]))
    if accuracy is not None and min(shape) < accuracy + 1:
        return
    options = {"axis": axis, "accuracy": accuracy, "boundary": boundary}
    ours = both(gradkit.gradient, f, *args, **options)
    if accuracy is None and boundary == "one-sided":
        theirs = np.gradient(f, *args, axis=axis)
        assert_identical(ours, theirs)


def test_small_calls_do_not_import_numba():
    code = (
        "import sys, numpy as np, gradkit\n"
        "f = np.random.default_rng(0).random((20, 20, 20))\n"
        "gradkit.gradient(np.arange(100.0) ** 2)\n"
        "gradkit.gradient(f)\n"
        "gradkit.gradient(f, 0.1, axis=1, edge_order=2)\n"
        "line = f[0, 0]\n"
        "gradkit.gradient(line, 0.1, accuracy=4, return_error=True)\n"
        "gradkit.derivative(line, order=2, accuracy=6, boundary='periodic')\n"
        "gradkit.hessian(line)\n"
        "gradkit.laplacian(line)\n"
        "print('numba' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_dask_blocks_take_the_small_path(rng):
    da = pytest.importorskip("dask.array")
    f = rng.standard_normal(300)
    x = da.from_array(f, chunks=70)
    for options in [{"accuracy": 4}, {"boundary": "periodic", "accuracy": 6}, {}]:
        ours = gradkit.gradient(x, 0.5, **options).compute()
        kernels = on_kernels(lambda o=options: gradkit.gradient(x, 0.5, **o).compute())
        assert_identical(ours, kernels)
        assert_identical(ours, gradkit.gradient(f, 0.5, **options))
