"""``da.gradkit.differentiate`` against xarray's own ``differentiate`` (the reference)."""

import re

import dask
import dask.array as dsa
import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

import gradkit.xarray  # noqa: F401  (registers the accessor)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:cftime")


def _no_compute(*args, **kwargs):
    raise AssertionError("the dask graph was computed, but the result should stay lazy")


def same(actual, expected):
    """Same type, dims, coordinates, name and attributes; values to rtol 1e-12."""
    assert type(actual) is type(expected)
    if isinstance(expected, xr.Dataset):
        assert list(actual.data_vars) == list(expected.data_vars)
        assert actual.attrs == expected.attrs
        xr.testing.assert_identical(actual.coords.to_dataset(), expected.coords.to_dataset())
        for k in expected.data_vars:
            same(actual[k], expected[k])
        return
    assert actual.dims == expected.dims
    assert actual.name == expected.name
    assert actual.attrs == expected.attrs
    assert actual.dtype == expected.dtype
    assert dsa.Array is type(actual.data) if isinstance(expected.data, dsa.Array) else True
    xr.testing.assert_identical(actual.coords.to_dataset(), expected.coords.to_dataset())
    a, e = np.asarray(actual.values), np.asarray(expected.values)
    if e.dtype.kind == "m":
        np.testing.assert_array_equal(a, e)
    else:
        scale = np.nanmax(np.abs(e)) if e.size and np.isfinite(e).any() else 1.0
        np.testing.assert_allclose(a, e, rtol=1e-12, atol=1e-13 * scale)


@pytest.fixture(params=[False, True], ids=["numpy", "dask"])
def use_dask(request):
    return request.param


# ----------------------------------------------------------------------------------------
# the cases of xarray's own tests/test_dataset.py (test_differentiate*), restated


@pytest.mark.parametrize("edge_order", [1, 2])
def test_xarray_case_nonuniform(use_dask, edge_order):
    rs = np.random.default_rng(42)
    coord = [0.2, 0.35, 0.4, 0.6, 0.7, 0.75, 0.76, 0.8]
    da = xr.DataArray(
        rs.random((8, 6)),
        dims=["x", "y"],
        coords={"x": coord, "z": 3, "x2d": (("x", "y"), rs.random((8, 6)))},
    )
    if use_dask:
        da = da.chunk({"x": 4})
    ds = xr.Dataset({"var": da})
    for dim in ("x", "y"):
        actual = da.gradkit.differentiate(dim, edge_order)
        same(actual, da.differentiate(dim, edge_order))
        axis = da.get_axis_num(dim)
        np.testing.assert_array_equal(
            actual.values,
            np.gradient(da.values, da[dim].values, axis=axis, edge_order=edge_order),
        )
        same(
            ds.gradkit.differentiate(dim, edge_order=edge_order),
            ds.differentiate(dim, edge_order=edge_order),
        )
        xr.testing.assert_identical(da[dim], actual[dim])  # coordinates unchanged
    with pytest.raises(ValueError) as theirs:
        da.differentiate("x2d")
    with pytest.raises(ValueError, match=re.escape(str(theirs.value))):
        da.gradkit.differentiate("x2d")


def test_xarray_case_datetime(use_dask):
    rs = np.random.default_rng(42)
    coord = np.array(
        [
            "2004-07-13",
            "2006-01-13",
            "2010-08-13",
            "2010-09-13",
            "2010-10-11",
            "2010-12-13",
            "2011-02-13",
            "2012-08-13",
        ],
        dtype="datetime64",
    )
    da = xr.DataArray(
        rs.random((8, 6)),
        dims=["x", "y"],
        coords={"x": coord, "z": 3, "x2d": (("x", "y"), rs.random((8, 6)))},
    )
    if use_dask:
        da = da.chunk({"x": 4})
    for unit in ("D", "h", None):
        same(
            da.gradkit.differentiate("x", edge_order=1, datetime_unit=unit),
            da.differentiate("x", edge_order=1, datetime_unit=unit),
        )
    days = da.gradkit.differentiate("x", datetime_unit="D")
    hours = da.gradkit.differentiate("x", datetime_unit="h")
    np.testing.assert_allclose(days, hours * 24, rtol=1e-12)
    # the datetimes themselves, differentiated along themselves
    own = da["x"].gradkit.differentiate("x", datetime_unit="D")
    same(own, da["x"].differentiate("x", datetime_unit="D"))
    np.testing.assert_allclose(own, 1.0)
    ms = xr.DataArray(coord.astype("datetime64[ms]"), dims=["x"], coords={"x": coord})
    same(ms.gradkit.differentiate("x"), ms.differentiate("x"))
    np.testing.assert_allclose(ms.gradkit.differentiate("x"), 1.0)


def test_xarray_case_cftime(use_dask):
    rs = np.random.default_rng(42)
    coord = xr.date_range("2000", periods=8, freq="2ME", use_cftime=True)
    da = xr.DataArray(
        rs.random((8, 6)),
        coords={"time": coord, "z": 3, "t2d": (("time", "y"), rs.random((8, 6)))},
        dims=["time", "y"],
    )
    if use_dask:
        da = da.chunk({"time": 4})
    for unit in ("D", "h", None):
        same(
            da.gradkit.differentiate("time", datetime_unit=unit),
            da.differentiate("time", datetime_unit=unit),
        )
    own = da["time"].gradkit.differentiate("time", datetime_unit="D")
    same(own, da["time"].differentiate("time", datetime_unit="D"))
    np.testing.assert_allclose(own, 1.0)


# ----------------------------------------------------------------------------------------
# many inputs


@st.composite
def cases(draw):
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(3, 7)) for _ in range(ndim))
    dims = [f"d{i}" for i in range(ndim)]
    seed = draw(st.integers(0, 2**16))
    rs = np.random.default_rng(seed)
    dtype = draw(st.sampled_from(["float64", "float32", "int64"]))
    values = (rs.standard_normal(shape) * 10).astype(dtype)
    coords = {}
    for d, n in zip(dims, shape):
        kind = draw(st.sampled_from(["none", "uniform", "sorted", "decreasing", "int"]))
        if kind == "uniform":
            coords[d] = np.linspace(-1, 2, n)
        elif kind == "sorted":
            coords[d] = np.cumsum(rs.uniform(0.1, 1.0, n))
        elif kind == "decreasing":
            coords[d] = -np.cumsum(rs.uniform(0.1, 1.0, n))
        elif kind == "int":
            coords[d] = np.arange(n) * 3
    attrs = {"units": "K"} if draw(st.booleans()) else {}
    da = xr.DataArray(values, dims=dims, coords=coords, name="v", attrs=attrs)
    chunks = draw(st.sampled_from([None, 3]))
    dim = draw(st.sampled_from(dims))
    edge_order = draw(st.sampled_from([1, 2]))
    return da, dim, edge_order, chunks


@settings(max_examples=60, deadline=None)
@given(cases())
def test_matches_xarray_on_many_inputs(case):
    da, dim, edge_order, chunks = case
    if chunks:
        da = da.chunk(chunks)
    agree(
        lambda: da.gradkit.differentiate(dim, edge_order), lambda: da.differentiate(dim, edge_order)
    )
    ds = xr.Dataset({"v": da, "w": da * 2, "flat": ("extra", np.arange(3.0))}, attrs={"a": 1})
    ds["v"].attrs["units"] = "m"
    agree(
        lambda: ds.gradkit.differentiate(dim, edge_order), lambda: ds.differentiate(dim, edge_order)
    )


def agree(ours, theirs):
    """The same result, or the same exception type and message."""
    try:
        expected = theirs()
    except Exception as exc:  # xarray raises: gradkit raises the same
        with pytest.raises(type(exc), match=re.escape(str(exc))):
            ours()
        return
    same(ours(), expected)


def test_datetime_data_variables_and_kept_variables():
    t = np.arange("2001-01-01", "2001-01-09", dtype="datetime64[D]")
    ds = xr.Dataset(
        {
            "stamp": ("x", t),
            "v": ("x", np.arange(8.0) ** 2, {"units": "K"}),
            "other": ("y", np.arange(3.0), {"kept": True}),
        },
        coords={"x": np.linspace(0, 1, 8), "c": ("x", np.arange(8))},
        attrs={"title": "t"},
    )
    same(ds.gradkit.differentiate("x"), ds.differentiate("x"))
    # a non-index 1-D coordinate (and a data variable) can be the coordinate too
    same(ds.gradkit.differentiate("c"), ds.differentiate("c"))
    same(ds.gradkit.differentiate("v"), ds.differentiate("v"))


def test_stays_lazy():
    da = xr.DataArray(np.random.default_rng(1).random((12, 5)), dims=("x", "y"))
    da = da.assign_coords(x=np.linspace(0, 1, 12)).chunk({"x": 6})
    with dask.config.set(scheduler=_no_compute):
        for kw in ({}, {"accuracy": 4}, {"boundary": "periodic"}):
            out = da.gradkit.differentiate("x", **kw)
            assert isinstance(out.data, dsa.Array)
    same(da.gradkit.differentiate("x"), da.differentiate("x"))


# ----------------------------------------------------------------------------------------
# gradkit's options


def test_accuracy_is_exact_on_polynomials():
    rs = np.random.default_rng(3)
    x = np.sort(rs.uniform(0, 2, 15))
    for p in (2, 4, 6):
        da = xr.DataArray(x**p, coords={"x": x})
        np.testing.assert_allclose(
            da.gradkit.differentiate("x", accuracy=p), p * x ** (p - 1), rtol=1e-9, atol=1e-9
        )
        np.testing.assert_allclose(
            da.chunk({"x": 8}).gradkit.differentiate("x", accuracy=p).values,
            da.gradkit.differentiate("x", accuracy=p).values,
            rtol=1e-13,
        )


def test_periodic_boundary():
    x = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    da = xr.DataArray(np.sin(x), coords={"x": x})
    d = da.gradkit.differentiate("x", accuracy=6, boundary="periodic")
    np.testing.assert_allclose(d, np.cos(x), atol=1e-6)
    same(d, da.gradkit.differentiate("x", accuracy=6, boundary="periodic", period=2 * np.pi))


# ----------------------------------------------------------------------------------------
# errors


def _their_error(func):
    with pytest.raises(Exception) as info:
        func()
    return info


def test_errors_match_xarray_where_xarray_raises():
    da = xr.DataArray(np.ones((4, 3)), dims=("x", "y"), coords={"x": [0.0, 1, 2, 3]})
    theirs = _their_error(lambda: da.differentiate("nope"))
    with pytest.raises(theirs.type, match=r"Coordinate 'nope' not found in variables"):
        da.gradkit.differentiate("nope")
    # dask chunks smaller than edge_order + 1: dask's message, as xarray gives it
    lazy = da.chunk({"x": (1, 3)})
    theirs = _their_error(lambda: lazy.differentiate("x"))
    with pytest.raises(theirs.type, match=re.escape(str(theirs.value))):
        lazy.gradkit.differentiate("x")
    # edge_order out of range: the same exception type
    theirs = _their_error(lambda: da.differentiate("x", edge_order=3))
    with pytest.raises(theirs.type, match="`edge_order`"):
        da.gradkit.differentiate("x", edge_order=3)
    # strings: xarray/numpy raise a TypeError too
    s = xr.DataArray(np.ones(3), dims="x", coords={"x": ["a", "b", "c"]})
    theirs = _their_error(lambda: s.differentiate("x"))
    assert issubclass(theirs.type, TypeError)
    with pytest.raises(TypeError, match=r"`coord` 'x' must be a numeric.*dtype <U1"):
        s.gradkit.differentiate("x")


def test_bad_input_names_the_argument():
    da = xr.DataArray(np.ones(5), dims="x", coords={"x": [0.0, 1, 3, 2, 4]})
    with pytest.raises(ValueError, match=r"`coord` 'x' must be strictly monotonic.*3\.0 to 2\.0"):
        da.gradkit.differentiate("x")
    nan = xr.DataArray(np.ones(3), dims="x", coords={"x": [0.0, np.nan, 2]})
    with pytest.raises(ValueError, match=r"`coord` 'x' must hold finite values"):
        nan.gradkit.differentiate("x")
    u = xr.DataArray(np.ones(8), dims="x", coords={"x": np.arange(8.0)})
    with pytest.raises(ValueError, match=r"`period`=5.*contradicts coordinate 'x'.*after 8"):
        u.gradkit.differentiate("x", boundary="periodic", period=5)
    nu = xr.DataArray(np.ones(4), dims="x", coords={"x": [0.0, 1, 3, 4]})
    with pytest.raises(ValueError, match=r"`period`=3.* must exceed the coordinate's span 4"):
        nu.gradkit.differentiate("x", boundary="periodic", period=3)
    with pytest.raises(ValueError, match=r"`period` is needed .* 'x'"):
        nu.gradkit.differentiate("x", boundary="periodic")
    with pytest.raises(ValueError, match=r"`period` applies only to periodic"):
        u.gradkit.differentiate("x", period=8)
    with pytest.raises(ValueError, match=r"`boundary` for 'x' must be one of"):
        u.gradkit.differentiate("x", boundary="wrap")
    with pytest.raises(ValueError, match=r"`edge_order`=2 contradicts `accuracy`=4"):
        u.gradkit.differentiate("x", 2, accuracy=4)
    with pytest.raises(ValueError, match=r"`accuracy`"):
        u.gradkit.differentiate("x", accuracy=3)
    lazy = xr.DataArray(np.ones(20), dims="x", coords={"x": np.arange(20.0)}).chunk({"x": 3})
    with pytest.raises(ValueError, match=r"`chunks` .* along 'x' must hold at least 5 points"):
        lazy.gradkit.differentiate("x", accuracy=4)
    with pytest.raises(TypeError, match=r"`coord` must be a coordinate or dimension name"):
        u.gradkit.differentiate(["x"])
