"""gradkit.gradient with accuracy=None is numpy.gradient: same values, dtypes, shapes, errors."""

import numpy as np
import pytest

import gradkit

pytestmark = pytest.mark.kernels


def _assert_same(ours, theirs):
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _assert_same(a, b)
        return
    assert type(ours) is type(theirs)
    if isinstance(theirs, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(theirs)
        np.testing.assert_array_equal(np.ma.getmaskarray(ours), mask)
        ours, theirs = ours.data[~mask], theirs.data[~mask]  # data under the mask is undefined
    assert ours.dtype == theirs.dtype
    assert ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)
    if ours.dtype.kind in "fc":
        # bit-identical, signed zeros aside
        same = (ours == theirs) | (np.isnan(ours) & np.isnan(theirs))
        assert same.all()


SHAPES = [(2,), (3,), (7,), (5, 4), (3, 6, 5), (2, 3, 4, 3)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("edge_order", [1, 2])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int8, np.uint16])
def test_default_spacing(shape, edge_order, dtype, rng):
    if min(shape) < edge_order + 1:
        pytest.skip("numpy needs edge_order + 1 points")
    f = (rng.standard_normal(shape) * 50).astype(dtype)
    _assert_same(gradkit.gradient(f, edge_order=edge_order), np.gradient(f, edge_order=edge_order))


SPACINGS = [
    lambda n: 0.3,
    lambda n: 2,
    lambda n: np.float64(0.7),
    lambda n: np.float32(0.7),
    lambda n: np.array(1.5),
    lambda n: np.linspace(0.0, 2.0, n),  # uniform coordinates: numpy reduces to a scalar
    lambda n: np.cumsum(np.arange(1, n + 1) ** 1.3),  # non-uniform
    lambda n: np.arange(n) ** 2,  # integer coordinates
    lambda n: -np.cumsum(np.linspace(1, 2, n)),  # decreasing
    lambda n: np.cumsum(np.linspace(1, 2, n)).astype(np.float32),
]


@pytest.mark.parametrize("spacing", range(len(SPACINGS)))
@pytest.mark.parametrize("edge_order", [1, 2])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
def test_spacing_forms_one_axis(spacing, edge_order, dtype, rng):
    f = (rng.standard_normal((6, 9, 4)) * 10).astype(dtype)
    for axis in (0, 1, 2, -1):
        dx = SPACINGS[spacing](f.shape[axis])
        _assert_same(
            gradkit.gradient(f, dx, axis=axis, edge_order=edge_order),
            np.gradient(f, dx, axis=axis, edge_order=edge_order),
        )


@pytest.mark.parametrize("edge_order", [1, 2])
def test_mixed_spacing_forms(edge_order, rng):
    f = rng.standard_normal((5, 8, 6))
    x = np.cumsum(rng.uniform(0.5, 1.5, 5))
    z = np.linspace(-1, 1, 6)
    args = (x, 0.25, z)
    _assert_same(
        gradkit.gradient(f, *args, edge_order=edge_order),
        np.gradient(f, *args, edge_order=edge_order),
    )
    _assert_same(
        gradkit.gradient(f, x, z, axis=(0, 2), edge_order=edge_order),
        np.gradient(f, x, z, axis=(0, 2), edge_order=edge_order),
    )
    _assert_same(gradkit.gradient(f, 0.5, axis=(-1, 0)), np.gradient(f, 0.5, axis=(-1, 0)))


@pytest.mark.parametrize(
    "f",
    [
        np.array([1.5, -2, 3.25, 4], dtype=np.float16),
        np.array([1 + 2j, 3 - 1j, -2 + 0.5j, 4j]),
        np.array([1 + 2j, 3 - 1j, -2 + 0.5j, 4j], dtype=np.complex64),
        np.array(["2020-01-01", "2020-01-03", "2020-01-08", "2020-01-09"], dtype="datetime64[D]"),
        np.array([1, 5, 2, 8], dtype="timedelta64[s]"),
        np.ma.masked_array([1.0, 4.0, 9.0, 16.0, 25.0], mask=[0, 0, 1, 0, 0]),
        np.array([[1, 2, 4], [3, 9, 27], [2**63, 5, 1]], dtype=np.uint64),
        np.array([3.0, 1.0, np.nan, 4.0, 1.0, 5.0]),
        np.array([1.0, np.inf, 2.0, 3.0]),
    ],
    ids=[
        "float16",
        "complex128",
        "complex64",
        "datetime64",
        "timedelta64",
        "masked",
        "uint64",
        "nan",
        "inf",
    ],
)
@pytest.mark.parametrize("edge_order", [1, 2])
def test_other_dtypes(f, edge_order):
    _assert_same(gradkit.gradient(f, edge_order=edge_order), np.gradient(f, edge_order=edge_order))
    if f.ndim == 1 and f.dtype.kind not in "mM":
        x = np.cumsum(np.arange(1, f.shape[0] + 1) ** 1.5)
        _assert_same(
            gradkit.gradient(f, x, edge_order=edge_order), np.gradient(f, x, edge_order=edge_order)
        )


def test_numpy_documented_edge_values():
    # numpy.gradient's edge values for f = [49, 36, 36, 9, 4, 49] with edge_order 1 and 2
    f = np.array([49, 36, 36, 9, 4, 49])
    np.testing.assert_array_equal(gradkit.gradient(f), [-13, -6.5, -13.5, -16, 20, 45])
    np.testing.assert_array_equal(
        gradkit.gradient(f, edge_order=2), [-19.5, -6.5, -13.5, -16, 20, 70]
    )


def test_non_contiguous_and_fortran_input(rng):
    f = rng.standard_normal((8, 10, 6))
    for view in (f[::2, :, 1:], f.transpose(2, 0, 1), np.asfortranarray(f)):
        _assert_same(
            gradkit.gradient(view, 0.5, edge_order=2), np.gradient(view, 0.5, edge_order=2)
        )


def test_empty_axes_and_zero_size(rng):
    f = rng.standard_normal((4, 0, 3))
    _assert_same(gradkit.gradient(f, axis=(0, 2)), np.gradient(f, axis=(0, 2)))
    _assert_same(gradkit.gradient(f, axis=()), np.gradient(f, axis=()))


BAD_INPUTS = [
    ((np.ones((3, 4)), 1.0, 2.0, 3.0), {}),  # too many spacings
    ((np.ones((3, 4)), np.ones(3), np.ones(5)), {}),  # wrong coordinate length
    ((np.ones((3, 4)), np.ones((3, 1)), 1.0), {}),  # 2-D coordinates
    ((np.ones((3, 4)),), {"axis": 2}),  # axis out of range
    ((np.ones((3, 4)),), {"axis": -3}),
    ((np.ones((3, 4)),), {"axis": (0, 0)}),  # repeated axis
    ((np.ones((3, 4)),), {"edge_order": 3}),
    ((np.ones((2, 4)),), {"edge_order": 2}),  # too few points
    ((np.ones(1),), {}),
    ((np.array([True, False, True]),), {}),  # numpy refuses boolean subtraction
]


@pytest.mark.parametrize("args,kwargs", BAD_INPUTS)
def test_same_errors_as_numpy(args, kwargs):
    with pytest.raises(Exception) as theirs:
        np.gradient(*args, **kwargs)
    with pytest.raises(type(theirs.value)):
        gradkit.gradient(*args, **kwargs)
