"""``da.gradkit.interp``: xarray's ``DataArray.interp`` values and coordinates, exact
gradients (analytic on polynomials, finite differences of xarray's interp), errors."""

import os
import subprocess
import sys

import numpy as np
import pytest

xr = pytest.importorskip("xarray")
pytest.importorskip("scipy")
import gradkit.xarray  # noqa: E402, F401

METHODS = ["linear", "nearest", "slinear", "cubic", "quintic", "pchip"]


def _field(rng):
    x = np.linspace(0.0, 2.0, 9)
    y = np.linspace(-1.0, 1.0, 8)
    t = np.arange(3.0)
    f = np.sin(x)[:, None, None] * np.cos(2 * y)[None, :, None] * (1 + t) + 0.1 * t
    return xr.DataArray(
        f,
        dims=("x", "y", "t"),
        coords={
            "x": ("x", x, {"units": "m"}),
            "y": ("y", y, {"units": "s"}),
            "t": t,
            "c2": (("x", "y"), rng.random((9, 8))),
            "label": ("t", ["a", "b", "c"]),
        },
        name="T",
        attrs={"units": "K", "long_name": "temperature"},
    )


@pytest.fixture
def da():
    return _field(np.random.default_rng(0))


def _pointwise():
    p = {"p": [10, 20, 30, 40]}
    return {
        "x": xr.DataArray([0.1, 0.55, 1.9, 1.3], dims="p", coords=p),
        "y": xr.DataArray([0.0, -0.5, 0.9, -0.99], dims="p", coords=p),
    }


INDEXERS = {
    "1d": {"x": [0.3, 1.1, 1.8]},
    # the midpoints of the y grid (as rounded): ties for "nearest", which xarray's
    # interp1d breaks towards the lower value and interpn by the rounded distance
    "1d-ties": {"y": (lambda y: (y[1:] + y[:-1]) / 2)(np.linspace(-1.0, 1.0, 8))},
    "orthogonal": {"x": [0.3, 1.1], "y": [0.2, -0.5, 0.7]},
    "scalar": {"x": 0.4},
    "scalar+1d": {"x": 0.4, "y": [0.1, -0.3]},
    "pointwise": _pointwise(),
    "new-dim": {"x": xr.DataArray([[0.2, 0.4], [1.0, 1.5]], dims=("a", "b"))},
}


def _assert_like_xarray(got, ref):
    assert got.dims == ref.dims
    assert got.name == ref.name
    assert got.attrs == ref.attrs
    assert set(got.coords) == set(ref.coords)
    for k in ref.coords:
        assert got.coords[k].dims == ref.coords[k].dims
        if ref.coords[k].dtype.kind in "fiu":
            np.testing.assert_allclose(got.coords[k], ref.coords[k], rtol=1e-10, atol=1e-14)
        else:
            assert (got.coords[k].values == ref.coords[k].values).all()
    np.testing.assert_allclose(got.values, ref.values, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", sorted(INDEXERS))
def test_values_and_coords_equal_xarray(da, method, case):
    idx = INDEXERS[case]
    ref = da.interp(idx, method=method)
    _assert_like_xarray(da.gradkit.interp(idx, method=method), ref)
    _assert_like_xarray(da.gradkit.interp(method=method, **idx), ref)
    ds = da.gradkit.interp(idx, method=method, gradient=True)
    _assert_like_xarray(ds["T"], ref)
    assert sorted(ds.data_vars) == sorted(["T"] + [f"dT_d{d}" for d in idx])
    for d in idx:
        assert ds[f"dT_d{d}"].dims == ref.dims


@pytest.mark.parametrize("method", METHODS)
def test_outside_and_kwargs_as_xarray(da, method):
    x = [-0.5, 0.3, 2.4]
    for kwargs in [None, {"fill_value": 7.5}, {"bounds_error": False, "fill_value": None}]:
        for idx in ({"x": x}, {"x": x, "y": [0.1, 1.3]}):
            if method == "pchip" and kwargs is not None and len(idx) == 1:
                continue  # xarray's 1-D pchip takes only `extrapolate` (checked below)
            ref = da.interp(idx, method=method, kwargs=kwargs)
            _assert_like_xarray(da.gradkit.interp(idx, method=method, kwargs=kwargs), ref)
    if method == "pchip":
        ref = da.interp(x=x, method="pchip", kwargs={"extrapolate": True})
        got = da.gradkit.interp(x=x, method="pchip", kwargs={"extrapolate": True})
        _assert_like_xarray(got, ref)
    elif method != "nearest":  # interp1d's "extrapolate" (nearest: interp1d clamps)
        ref = da.interp(x=x, method=method, kwargs={"fill_value": "extrapolate"})
        got = da.gradkit.interp(x=x, method=method, kwargs={"fill_value": "extrapolate"})
        _assert_like_xarray(got, ref)
    with pytest.raises(ValueError, match=r"`coords\['x'\]`: -0.5 is out of bounds"):
        da.gradkit.interp(x=x, method=method, kwargs={"bounds_error": True})
    with pytest.raises(ValueError, match=r"`coords\['y'\]`: 1.3 is out of bounds"):
        da.gradkit.interp(x=0.2, y=[0.1, 1.3], method=method, kwargs={"bounds_error": True})


def test_unsorted_descending_and_coordless_dims(da):
    perm = np.random.default_rng(1).permutation(da.sizes["x"])
    shuffled = da.isel(x=perm)
    for method in ["linear", "cubic", "pchip"]:
        ref = shuffled.interp(x=[0.3, 1.7], y=[0.2], method=method)
        got = shuffled.gradkit.interp(x=[0.3, 1.7], y=[0.2], method=method)
        _assert_like_xarray(got, ref)
        flipped = da.isel(y=slice(None, None, -1))
        ref = flipped.interp(y=[-0.2, 0.45], method=method)
        _assert_like_xarray(flipped.gradkit.interp(y=[-0.2, 0.45], method=method), ref)
    bare = xr.DataArray(np.arange(20.0).reshape(4, 5) ** 2, dims=("i", "j"))
    ref = bare.interp(i=[0.5, 2.25], j=1.5, method="cubic")
    _assert_like_xarray(bare.gradkit.interp(i=[0.5, 2.25], j=1.5, method="cubic"), ref)
    ds = bare.gradkit.interp(i=[0.5, 2.25], j=1.5, method="cubic", gradient=True)
    assert sorted(ds.data_vars) == ["df_di", "df_dj", "f"]


@pytest.mark.parametrize("method", ["linear", "slinear", "cubic", "quintic"])
def test_gradient_exact_on_polynomials(method):
    """Splines of degree k reproduce polynomials of degree <= k exactly (and so their
    derivatives); linear ones reproduce the bilinear field."""
    k = {"linear": 1, "slinear": 1, "cubic": 3, "quintic": 5}[method]
    x = np.linspace(-1.0, 2.0, 9)
    y = np.linspace(0.0, 1.0, 8)
    z = np.array([1.0, 2.0])

    def f(x, y):
        return 1 + 2 * x + x**k * y**k - 3 * y

    def fx(x, y):
        return 2 + k * x ** (k - 1) * y**k

    def fy(x, y):
        return k * x**k * y ** (k - 1) - 3

    X, Y = np.meshgrid(x, y, indexing="ij")
    da = xr.DataArray(
        f(X, Y)[..., None] * z, dims=("x", "y", "z"), coords={"x": x, "y": y}, name="u"
    )
    qx, qy = np.array([-0.8, 0.33, 1.55]), np.array([0.05, 0.61])
    ds = da.gradkit.interp(x=qx, y=qy, method=method, gradient=True, exact_fit=True)
    QX, QY = np.meshgrid(qx, qy, indexing="ij")
    np.testing.assert_allclose(ds["u"], f(QX, QY)[..., None] * z, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(ds["du_dx"], fx(QX, QY)[..., None] * z, rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(ds["du_dy"], fy(QX, QY)[..., None] * z, rtol=1e-4, atol=1e-7)
    # pointwise queries give the same numbers at the same points
    px = xr.DataArray(QX.ravel(), dims="p")
    py = xr.DataArray(QY.ravel(), dims="p")
    pw = da.gradkit.interp(x=px, y=py, method=method, gradient=True, exact_fit=True)
    for v in ["u", "du_dx", "du_dy"]:
        np.testing.assert_allclose(
            pw[v].values, ds[v].values.reshape(-1, 2), rtol=1e-12, atol=1e-12
        )


@pytest.mark.parametrize("method", ["linear", "slinear", "cubic", "quintic", "pchip"])
@pytest.mark.parametrize("case", ["1d", "orthogonal", "pointwise"])
def test_gradient_matches_finite_differences_of_xarray(da, method, case):
    idx = INDEXERS[case]
    ds = da.gradkit.interp(idx, method=method, gradient=True)
    h = 1e-6
    for d in idx:
        shift = idx[d] if isinstance(idx[d], xr.DataArray) else np.asarray(idx[d])
        up = {**idx, d: shift + h}
        dn = {**idx, d: shift - h}
        fd = (da.interp(up, method=method).values - da.interp(dn, method=method).values) / (2 * h)
        np.testing.assert_allclose(ds[f"dT_d{d}"].values, fd, rtol=1e-5, atol=1e-6)


def test_attributes_and_names(da):
    ds = da.gradkit.interp(x=[0.5], y=[0.25], method="cubic", gradient=True)
    assert ds["T"].attrs == da.attrs
    assert ds["dT_dx"].attrs["units"] == "K m-1"
    assert ds["dT_dy"].attrs["units"] == "K s-1"
    assert "temperature" in ds["dT_dx"].attrs["long_name"]
    assert ds["dT_dx"].name == "dT_dx"
    nearest = da.gradkit.interp(x=[0.5, 1.2], method="nearest", gradient=True)
    assert (nearest["dT_dx"] == 0).all()


def test_nan_in_query_spoils_only_its_point(da):
    ds = da.gradkit.interp(x=[0.5, np.nan, 1.0], method="cubic", gradient=True)
    assert np.isnan(ds["T"][1]).all() and np.isnan(ds["dT_dx"][1]).all()
    assert np.isfinite(ds["T"][[0, 2]]).all() and np.isfinite(ds["dT_dx"][[0, 2]]).all()


def test_errors(da):
    with pytest.raises(ValueError, match=r"dimensions \['z'\] do not exist"):
        da.gradkit.interp(z=1.0)
    with pytest.raises(ValueError, match="`method` must be one of"):
        da.gradkit.interp(x=0.5, method="akima")
    with pytest.raises(TypeError, match="`kwargs` accepts only"):
        da.gradkit.interp(x=0.5, kwargs={"kind": "linear"})
    with pytest.raises(ValueError, match="both keyword and positional"):
        da.gradkit.interp({"x": 0.5}, y=0.5)
    with pytest.raises(ValueError, match="no dimension"):
        da.gradkit.interp()
    with pytest.raises(TypeError, match="`gradient` must be a bool"):
        da.gradkit.interp(x=0.5, gradient="yes")
    shuffled = da.isel(x=[0, 2, 1, 3, 4, 5, 6, 7, 8])
    with pytest.raises(ValueError, match="not strictly monotonic.*`assume_sorted`"):
        shuffled.gradkit.interp(x=0.5, assume_sorted=True)
    dup = da.assign_coords(x=np.r_[0.0, 0.0, np.linspace(0.5, 2, 7)])
    with pytest.raises(ValueError, match="repeated values"):
        dup.gradkit.interp(x=0.7)
    nonfinite = da.assign_coords(x=np.r_[np.nan, np.linspace(0.25, 2, 8)])
    with pytest.raises(ValueError, match="finite"):
        nonfinite.gradkit.interp(x=0.7)
    times = da.assign_coords(t=np.array(["2020-01-01", "2020-01-02", "2020-01-03"], "M8[ns]"))
    with pytest.raises(TypeError, match="coordinate 't' holds datetime64"):
        times.gradkit.interp(t=np.datetime64("2020-01-01T12", "ns"))
    with pytest.raises(TypeError, match=r"`coords\['x'\]` must hold numbers"):
        da.gradkit.interp(x=["a"])
    with pytest.raises(ValueError, match="without dimension names"):
        da.gradkit.interp(x=np.zeros((2, 2)))
    with pytest.raises(ValueError, match="not interpolated"):
        da.gradkit.interp(x=xr.DataArray([0.5, 0.6, 0.7], dims="t"))
    with pytest.raises(ValueError, match="`kwargs\\['fill_value'\\]`"):
        da.gradkit.interp(x=0.5, kwargs={"fill_value": "edge"})


def test_dask_backed_data_is_loaded():
    dask = pytest.importorskip("dask")  # noqa: F841
    da = _field(np.random.default_rng(2))
    lazy = da.chunk({"t": 1})
    ref = da.interp(x=[0.3, 1.2], y=0.1, method="cubic")
    got = lazy.gradkit.interp(x=[0.3, 1.2], y=0.1, method="cubic", gradient=True)
    _assert_like_xarray(got["T"], ref)


def test_small_calls_never_import_numba():
    code = (
        "import sys, numpy as np, xarray as xr, gradkit.xarray\n"
        "x = np.linspace(0, 1, 12)\n"
        "da = xr.DataArray(np.random.default_rng(0).random((12, 12, 3)), dims=('x', 'y', 't'),"
        " coords={'x': x, 'y': x})\n"
        "for m in ('linear', 'nearest', 'slinear', 'cubic', 'quintic'):\n"
        "    da.gradkit.interp(x=[0.2, 0.5], y=0.3, method=m, gradient=True)\n"
        "    da.gradkit.interp(x=0.2, method=m, gradient=True)\n"
        "print('numba' in sys.modules)\n"
    )
    env = dict(os.environ, GRADKIT_SMALL_INPUTS="1")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "False"
