"""gradient, derivative, laplacian, divergence, curl: names, units, values and errors."""

import dask
import dask.array as dsa
import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

import gradkit
import gradkit.xarray  # noqa: F401
from gradkit.xarray._coords import derived_units


def _no_compute(*args, **kwargs):
    raise AssertionError("the dask graph was computed, but the result should stay lazy")


@pytest.fixture
def field():
    rs = np.random.default_rng(7)
    x = np.linspace(0, 2, 12)
    y = np.cumsum(rs.uniform(0.5, 1.5, 9))
    t = np.arange(4)
    data = rs.standard_normal((4, 12, 9))
    return xr.DataArray(
        data,
        dims=("t", "x", "y"),
        coords={
            "t": t,
            "x": ("x", x, {"units": "m"}),
            "y": ("y", y, {"units": "km"}),
        },
        name="T",
        attrs={"units": "K", "long_name": "temperature", "source": "model"},
    )


@pytest.mark.parametrize(
    ("units", "den", "expected"),
    [
        ("K", [("m", 1)], "K m-1"),
        ("K", [("m", 2)], "K m-2"),
        ("K", [("m", 1), ("s", 1)], "K m-1 s-1"),
        ("m s-1", [("m", 1)], "s-1"),
        ("m s-1", [("s", 1)], "m s-2"),
        ("kg m-2", [("m", 2)], "kg m-4"),
        ("m", [("m", 1)], "1"),
        ("m^2", [("m", 1)], "m"),
        ("K", [(None, 1)], None),
        (None, [("m", 1)], None),
        ("kg/m2", [("m", 1)], None),
    ],
)
def test_derived_units(units, den, expected):
    assert derived_units(units, den) == expected


def test_gradient_names_units_values(field):
    g = field.gradkit.gradient()
    assert list(g.data_vars) == ["dT_dt", "dT_dx", "dT_dy"]
    assert g["dT_dx"].attrs == {"units": "K m-1", "long_name": "derivative of temperature along x"}
    assert g["dT_dy"].attrs["units"] == "K km-1"
    assert "units" not in g["dT_dt"].attrs  # the coordinate has no units
    for dim in ("t", "x", "y"):
        np.testing.assert_array_equal(
            g[f"dT_d{dim}"].values, field.differentiate(dim).values
        )  # numpy.gradient's formulas by default
        xr.testing.assert_identical(g[f"dT_d{dim}"].coords.to_dataset(), field.coords.to_dataset())
    g4 = field.gradkit.gradient(("x", "y"), accuracy=4)
    assert list(g4.data_vars) == ["dT_dx", "dT_dy"]
    expected = gradkit.gradient(
        field.values, field.x.values, field.y.values, axis=(1, 2), accuracy=4
    )
    np.testing.assert_array_equal(g4["dT_dx"].values, expected[0])
    np.testing.assert_array_equal(g4["dT_dy"].values, expected[1])
    unnamed = field.rename(None).gradkit.gradient("x")
    assert list(unnamed.data_vars) == ["df_dx"]


def test_derivative_orders_and_mixed(field):
    d2 = field.gradkit.derivative("x", order=2, accuracy=4)
    assert d2.name == "d2T_dx2"
    assert d2.attrs == {"units": "K m-2", "long_name": "second derivative of temperature along x"}
    np.testing.assert_array_equal(
        d2.values, gradkit.derivative(field.values, field.x.values, axis=1, order=2, accuracy=4)
    )
    mixed = field.gradkit.derivative({"x": 1, "y": 2})
    assert mixed.name == "d3T_dxdy2"
    assert mixed.attrs["units"] == "K m-1 km-2"
    np.testing.assert_array_equal(
        mixed.values,
        gradkit.derivative(field.values, field.x.values, field.y.values, axis=(1, 2), order=(1, 2)),
    )
    assert field.gradkit.derivative("x").name == "dT_dx"
    ds = field.to_dataset().assign(q=field * 2, flat=("x", np.ones(12)))
    out = ds.gradkit.derivative("y", order=3)
    assert list(out.data_vars) == ["d3T_dy3", "d3q_dy3"]


def test_laplacian(field):
    x = np.linspace(-1, 1, 21)
    da = xr.DataArray(
        np.add.outer(x**2, 3 * x**2),
        coords={"a": ("a", x, {"units": "m"}), "b": ("b", x, {"units": "m"})},
        name="p",
        attrs={"units": "Pa"},
    )
    lap = da.gradkit.laplacian()
    assert lap.name == "laplacian_p"
    assert lap.attrs == {"units": "Pa m-2", "long_name": "Laplacian of p"}
    np.testing.assert_allclose(lap, 8.0, rtol=1e-9)
    np.testing.assert_array_equal(lap.values, gradkit.laplacian(da.values, x, x))
    assert "units" not in field.gradkit.laplacian(("x", "y")).attrs  # m and km differ


def test_divergence_and_curl_cartesian():
    x = np.linspace(-1, 1, 11)
    y = np.linspace(0, 2, 13)
    z = np.linspace(0, 1, 7)
    X, Y, Z = np.meshgrid(x, y, z, indexing="ij")
    m = {"units": "m"}
    ds = xr.Dataset(
        {
            "u": (("x", "y", "z"), X * Y, {"units": "m s-1"}),
            "v": (("x", "y", "z"), Y * Z, {"units": "m s-1"}),
            "w": (("x", "y", "z"), Z * X, {"units": "m s-1"}),
        },
        coords={"x": ("x", x, m), "y": ("y", y, m), "z": ("z", z, m)},
    )
    div = ds.gradkit.divergence({"x": "u", "y": "v", "z": "w"})
    assert div.name == "divergence" and div.attrs["units"] == "s-1"
    np.testing.assert_allclose(div, Y + Z + X, atol=1e-12)
    np.testing.assert_allclose(
        div.values,
        gradkit.divergence([ds.u.values, ds.v.values, ds.w.values], x, y, z),
        rtol=1e-14,
        atol=1e-14,
    )
    c3 = ds.gradkit.curl({"x": "u", "y": "v", "z": "w"})
    assert list(c3.data_vars) == ["curl_x", "curl_y", "curl_z"]
    ref = gradkit.curl([ds.u.values, ds.v.values, ds.w.values], x, y, z)
    for i, k in enumerate(c3.data_vars):
        np.testing.assert_allclose(c3[k].values, ref[i], rtol=1e-14, atol=1e-14)
    flat = ds.isel(z=0)
    c2 = flat.gradkit.curl({"x": "u", "y": "v"}, accuracy=4)
    assert c2.name == "curl" and c2.attrs["units"] == "s-1"
    np.testing.assert_allclose(
        c2.values, gradkit.curl([flat.u.values, flat.v.values], x, y, accuracy=4), rtol=1e-14
    )


def test_periodic_longitude_is_inferred():
    lon = np.arange(0, 360, 10.0)
    lat = np.array([-30.0, 0, 30])
    da = xr.DataArray(
        np.sin(np.deg2rad(lon))[None, :] * np.ones((3, 1)),
        coords={"lat": lat, "lon": ("lon", lon, {"units": "degrees_east"})},
        name="f",
        attrs={"units": "K"},
    )
    g = da.gradkit.gradient("lon", accuracy=6)
    np.testing.assert_allclose(
        g["df_dlon"],
        np.deg2rad(1) * np.cos(np.deg2rad(lon)) * np.ones((3, 1)),
        rtol=1e-6,
        atol=1e-9,
    )
    explicit = da.gradkit.gradient("lon", accuracy=6, boundary="periodic")
    np.testing.assert_array_equal(g["df_dlon"].values, explicit["df_dlon"].values)
    assert g["df_dlon"].attrs["units"] == "K degrees_east-1"
    # a regional longitude (not the full circle) stays one-sided
    part = da.isel(lon=slice(0, 20))
    one = part.gradkit.gradient("lon", accuracy=6)
    same = part.gradkit.gradient("lon", accuracy=6, boundary="one-sided")
    np.testing.assert_array_equal(one["df_dlon"].values, same["df_dlon"].values)
    # differentiate keeps xarray's defaults: nothing inferred
    np.testing.assert_array_equal(
        da.gradkit.differentiate("lon").values, da.differentiate("lon").values
    )
    # a per-coordinate period, in the coordinate's units
    d = da.gradkit.gradient("lon", boundary={"lon": "periodic"}, period={"lon": 360})
    p2 = da.gradkit.gradient("lon", boundary="periodic")
    np.testing.assert_array_equal(d["df_dlon"].values, p2["df_dlon"].values)
    with pytest.raises(ValueError, match=r"`period`=6.28.* contradicts coordinate 'lon'"):
        da.gradkit.gradient("lon", boundary="periodic", period=6.283)


def test_dask_stays_lazy_and_equal(field):
    lazy = field.chunk({"x": 6})
    ds = lazy.to_dataset().assign(u=lazy * 2)
    with dask.config.set(scheduler=_no_compute):
        g = lazy.gradkit.gradient(("x", "y"), accuracy=4)
        d = ds.gradkit.derivative({"x": 1, "y": 1})
        lap = lazy.gradkit.laplacian(("x", "y"))
        div = ds.gradkit.divergence({"x": "T", "y": "u"})
        for out in (*g.data_vars.values(), *d.data_vars.values(), lap, div):
            assert isinstance(out.data, dsa.Array)
    eager = field.gradkit.gradient(("x", "y"), accuracy=4)
    for k in eager.data_vars:
        np.testing.assert_allclose(g[k].values, eager[k].values, rtol=1e-13, atol=1e-13)


def test_bad_input(field):
    with pytest.raises(ValueError, match=r"Coordinate 'nope' not found"):
        field.gradkit.gradient("nope")
    with pytest.raises(ValueError, match=r"`dims` names 'x' and 'xx', which both lie along"):
        field.assign_coords(xx=("x", np.arange(12.0))).gradkit.gradient(("x", "xx"))
    with pytest.raises(ValueError, match=r"`boundary` names \['q'\]"):
        field.gradkit.gradient("x", boundary={"q": "periodic"})
    with pytest.raises(ValueError, match=r"`order` must stay 1 when `dim` is a dict"):
        field.gradkit.derivative({"x": 1}, order=2)
    with pytest.raises(ValueError, match=r"`order`"):
        field.gradkit.derivative("x", order=7)
    with pytest.raises(ValueError, match=r"`metric` must be one of \['cartesian', 'sphere'\]"):
        field.gradkit.gradient(metric="torus")
    ds = field.to_dataset()
    with pytest.raises(ValueError, match=r"`components` names variable 'nope'"):
        ds.gradkit.divergence({"x": "T", "y": "nope"})
    with pytest.raises(TypeError, match=r"`components` must be a dict"):
        ds.gradkit.divergence(["T"])
    with pytest.raises(ValueError, match=r"2-D or 3-D vector field"):
        ds.gradkit.curl({"x": "T"})
    lazy = field.chunk({"x": 1})
    with pytest.raises(ValueError, match=r"`chunks` of the data along 'x' must hold at least 2"):
        lazy.gradkit.gradient("x")
    with pytest.raises(TypeError, match=r"`dims` 'c' must be a numeric"):
        field.assign_coords(c=("x", list("abcdefghijkl"))).gradkit.gradient("c")


def test_nan_spoils_only_the_stencils_that_read_it():
    x = np.linspace(0, 1, 30)
    data = np.outer(np.sin(3 * x), np.cos(2 * x))
    data[15, 10] = np.nan
    da = xr.DataArray(data, coords={"a": x, "b": x}, name="f")
    for p in (2, 4):
        g = da.gradkit.gradient(accuracy=p)
        bad_a = np.isnan(g["df_da"].values)
        assert bad_a[:, 10].sum() == p + 1 and bad_a.sum() == p + 1  # the centred stencils
        bad_b = np.isnan(g["df_db"].values)
        assert bad_b[15].sum() == p + 1 and bad_b.sum() == p + 1


def test_datetime_coordinates_in_gradient_and_derivative():
    t = np.arange("2001-01-01", "2001-01-11", dtype="datetime64[D]")
    da = xr.DataArray(np.arange(10.0) ** 2, coords={"time": t}, name="T", attrs={"units": "K"})
    g = da.gradkit.gradient("time", accuracy=2, datetime_unit="D")
    assert g["dT_dtime"].attrs["units"] == "K d-1"
    default = da.gradkit.gradient("time")  # the datetime64 unit, as in differentiate
    unit = {"s": "s", "ns": "ns", "D": "d"}[np.datetime_data(da.time.dtype)[0]]
    assert default["dT_dtime"].attrs["units"] == f"K {unit}-1"
    np.testing.assert_allclose(g["dT_dtime"], 2 * np.arange(10.0), rtol=1e-12, atol=1e-12)
    h = da.gradkit.gradient("time", accuracy=2, datetime_unit="h")
    assert h["dT_dtime"].attrs["units"] == "K h-1"
    np.testing.assert_allclose(h["dT_dtime"] * 24, g["dT_dtime"], rtol=1e-12)
    d2 = da.gradkit.derivative("time", order=2, datetime_unit="D")
    assert d2.attrs["units"] == "K d-2"
    np.testing.assert_allclose(d2, 2.0, rtol=1e-9)


@st.composite
def operator_cases(draw):
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(8, 14)) for _ in range(ndim))
    rs = np.random.default_rng(draw(st.integers(0, 2**16)))
    dims = [f"d{i}" for i in range(ndim)]
    coords = {}
    for d, n in zip(dims, shape):
        if draw(st.booleans()):
            coords[d] = np.cumsum(rs.uniform(0.5, 1.5, n)) * draw(st.sampled_from([1, -1]))
    da = xr.DataArray(rs.standard_normal(shape), dims=dims, coords=coords, name="g")
    k = draw(st.integers(1, ndim))
    chosen = draw(st.permutations(dims))[:k]
    orders = [draw(st.integers(1, 2)) for _ in chosen]
    accuracy = draw(st.sampled_from([2, 4]))
    periodic = draw(st.booleans())
    chunked = draw(st.booleans())
    return da, chosen, orders, accuracy, periodic, chunked


@settings(max_examples=40, deadline=None)
@given(operator_cases())
def test_operators_equal_gradkits_array_functions(case):
    da, chosen, orders, accuracy, periodic, chunked = case
    axes = [da.get_axis_num(d) for d in chosen]
    xs = [da[d].values for d in chosen]
    periods = [  # n * step for a dimension without coordinate; beyond the span otherwise
        len(x) if d not in da.coords else abs(x[-1] - x[0]) * len(x) / (len(x) - 1) + 0.7
        for d, x in zip(chosen, xs)
    ]
    kw = {"boundary": "periodic", "period": dict(zip(chosen, periods))} if periodic else {}
    akw = {"boundary": "periodic", "period": periods} if periodic else {}
    # two chunks where each holds the widest stencil (6 points), one chunk otherwise
    src = da.chunk({d: (6, n - 6) if n >= 12 else n for d, n in da.sizes.items()})
    src = src if chunked else da
    mixed = src.gradkit.derivative(dict(zip(chosen, orders)), accuracy=accuracy, **kw)
    ref = gradkit.derivative(
        da.values, *xs, axis=tuple(axes), order=tuple(orders), accuracy=accuracy, **akw
    )
    np.testing.assert_allclose(mixed.values, ref, rtol=1e-12, atol=1e-10)
    g = src.gradkit.gradient(list(chosen), accuracy=accuracy, **kw)
    for d, ax, x, per in zip(chosen, axes, xs, periods):
        one = {"boundary": "periodic", "period": per} if periodic else {}
        ref = gradkit.gradient(da.values, x, axis=ax, accuracy=accuracy, **one)
        np.testing.assert_allclose(g[f"dg_d{d}"].values, ref, rtol=1e-12, atol=1e-10)
