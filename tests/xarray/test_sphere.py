"""metric="sphere": gradient, divergence, vorticity and Laplacian on longitude/latitude."""

import numpy as np
import pytest
import xarray as xr

import gradkit.xarray  # noqa: F401

R = 6.371e6


def grid(step, *, radians=False, poles=False):
    """A global lat/lon grid of ``step`` degrees: cell centres in latitude (or including
    the poles), longitudes 0 .. 360 - step."""
    if poles:
        lat = np.linspace(-90, 90, int(round(180 / step)) + 1)
    else:
        lat = np.arange(-90 + step / 2, 90, step)
    lon = np.arange(0, 360, step)
    units = ("radians", "radians") if radians else ("degrees_north", "degrees_east")
    conv = np.deg2rad if radians else (lambda a: a)
    return (
        xr.DataArray(conv(lat), dims="lat", attrs={"units": units[0]}),
        xr.DataArray(conv(lon), dims="lon", attrs={"units": units[1]}),
        np.deg2rad(lat)[:, None],
        np.deg2rad(lon)[None, :],
    )


def y43(phi, lam):
    """The real spherical harmonic Y_4^3 (unnormalised) and its exact derivatives."""
    f = np.cos(phi) ** 3 * np.sin(phi) * np.cos(3 * lam)
    d_lam = -3 * np.cos(phi) ** 3 * np.sin(phi) * np.sin(3 * lam)
    d_phi = (np.cos(phi) ** 4 - 3 * np.cos(phi) ** 2 * np.sin(phi) ** 2) * np.cos(3 * lam)
    return f, d_lam, d_phi


def field(step, **kw):
    lat, lon, phi, lam = grid(step, **kw)
    f, d_lam, d_phi = y43(phi, lam)
    da = xr.DataArray(f, coords={"lat": lat, "lon": lon}, name="h", attrs={"units": "m"})
    with np.errstate(divide="ignore", invalid="ignore"):
        east = d_lam / (R * np.cos(phi))
    return da, east, d_phi / R, -20 * f / R**2


def test_gradient_names_units_and_values():
    da, east, north, _ = field(4)
    g = da.gradkit.gradient(("lat", "lon"), metric="sphere", radius=R, accuracy=4)
    assert list(g.data_vars) == ["dh_dlat", "dh_dlon"]
    assert g["dh_dlon"].attrs == {
        "units": "1",
        "long_name": "eastward derivative of h (metric: sphere)",
    }
    assert g["dh_dlat"].attrs["long_name"] == "northward derivative of h (metric: sphere)"
    np.testing.assert_allclose(g["dh_dlon"], east, rtol=0, atol=1e-3 * np.abs(east).max())
    np.testing.assert_allclose(g["dh_dlat"], north, rtol=0, atol=1e-3 * np.abs(north).max())
    # the order of `dims` does not matter; the metadata says which is which
    swapped = da.gradkit.gradient(("lon", "lat"), metric="sphere", accuracy=4)
    assert list(swapped.data_vars) == ["dh_dlon", "dh_dlat"]
    np.testing.assert_array_equal(swapped["dh_dlon"].values, g["dh_dlon"].values)


def test_radians_equal_degrees():
    deg, *_ = field(5)
    rad, *_ = field(5, radians=True)
    for acc in (None, 4):
        a = deg.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=acc)
        b = rad.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=acc)
        for k in a.data_vars:
            np.testing.assert_allclose(a[k].values, b[k].values, rtol=1e-10, atol=1e-22)
    la = deg.gradkit.laplacian(("lat", "lon"), metric="sphere")
    lb = rad.gradkit.laplacian(("lat", "lon"), metric="sphere")
    np.testing.assert_allclose(la.values, lb.values, rtol=1e-10, atol=1e-28)


def _slope(steps, errors):
    return np.polyfit(np.log(steps), np.log(errors), 1)[0]


@pytest.mark.parametrize("accuracy", [2, 4, 6])
def test_convergence_orders(accuracy):
    """Orders of the eastward and northward components over the whole globe, and of the
    Laplacian, divergence and vorticity between 60S and 60N: next to the poles their
    1/cos(lat) ~ 1/h multiplies the O(h^p) error of the latitude differences, one order
    less on the first rows. Second derivatives at accuracy 6 reach float64's rounding floor
    (about 1e-11 relative) at 0.5 degrees, so their order is fitted from 4 to 1 degrees."""
    steps = [4.0, 2.0, 1.0, 0.5]
    err = {"east": [], "north": [], "lap": [], "div": [], "vort": []}
    for step in steps:
        da, east, north, lap = field(step)
        g = da.gradkit.gradient(("lat", "lon"), metric="sphere", radius=R, accuracy=accuracy)
        err["east"].append(np.abs(g["dh_dlon"] - east).max() / np.abs(east).max())
        err["north"].append(np.abs(g["dh_dlat"] - north).max() / np.abs(north).max())
        L = da.gradkit.laplacian(("lat", "lon"), metric="sphere", radius=R, accuracy=accuracy)
        band = np.abs(da.lat) <= 60
        err["lap"].append(np.abs(L - lap).where(band).max() / np.abs(lap).max())
        # the exact gradient as a vector field: its divergence is the Laplacian; turned by
        # 90 degrees, its vorticity is the Laplacian too
        ds = xr.Dataset(
            {"u": da.copy(data=east), "v": da.copy(data=north), "nu": da.copy(data=-north)}
        )
        div = ds.gradkit.divergence({"lon": "u", "lat": "v"}, metric="sphere", accuracy=accuracy)
        vort = ds.gradkit.curl({"lon": "nu", "lat": "u"}, metric="sphere", accuracy=accuracy)
        err["div"].append(np.abs(div - lap).where(band).max() / np.abs(lap).max())
        err["vort"].append(np.abs(vort - lap).where(band).max() / np.abs(lap).max())
    for name, e in err.items():
        e = [float(v) for v in e]
        n = 3 if (accuracy == 6 and name != "east" and name != "north") else 4
        slope = _slope(steps[:n], e[:n])
        assert abs(slope - accuracy) <= 0.35, (name, slope, e)


def test_poles():
    """On a grid that includes the poles, the eastward component (and every quantity with
    1/cos(lat)) is NaN on the pole rows and finite elsewhere; the northward component is
    the derivative along each meridian, finite everywhere."""
    da, east, north, lap = field(10, poles=True)
    g = da.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=4)
    pole = np.abs(da.lat.values) == 90
    assert np.isnan(g["dh_dlon"].values[pole]).all()
    assert np.isfinite(g["dh_dlon"].values[~pole]).all()
    assert np.isfinite(g["dh_dlat"].values).all()
    np.testing.assert_allclose(g["dh_dlat"], north, atol=1e-2 * np.abs(north).max())
    L = da.gradkit.laplacian(("lat", "lon"), metric="sphere", accuracy=4)
    assert np.isnan(L.values[pole]).all() and np.isfinite(L.values[~pole]).all()
    ds = xr.Dataset({"u": da, "v": da})
    div = ds.gradkit.divergence({"lon": "u", "lat": "v"}, metric="sphere")
    vort = ds.gradkit.curl({"lon": "u", "lat": "v"}, metric="sphere")
    for out in (div, vort):
        assert np.isnan(out.values[pole]).all() and np.isfinite(out.values[~pole]).all()
    # next to a pole: large but finite (1 / cos(80 deg) ~ 5.8)
    assert np.isfinite(g["dh_dlon"].sel(lat=80.0)).all()


def test_regional_grid_is_one_sided_and_dask_lazy():
    da, east, north, _ = field(2)
    part = da.sel(lon=slice(0, 90))
    g = part.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=4)
    np.testing.assert_allclose(
        g["dh_dlon"], east[:, : part.sizes["lon"]], atol=1e-4 * np.abs(east).max()
    )
    lazy = da.chunk({"lon": 45, "lat": 30})
    gl = lazy.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=4)
    assert all(hasattr(v.data, "dask") for v in gl.data_vars.values())
    ge = da.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=4)
    for k in ge.data_vars:
        np.testing.assert_allclose(gl[k].values, ge[k].values, rtol=1e-13, atol=1e-25)


def test_bad_input():
    da, *_ = field(10)
    bad_lat = da.assign_coords(lat=da.lat * 2)
    with pytest.raises(ValueError, match=r"`dims`: metric='sphere' needs latitudes within"):
        bad_lat.gradkit.gradient(("lat", "lon"), metric="sphere")
    wide = da.assign_coords(lon=da.lon * 3)
    with pytest.raises(ValueError, match=r"needs longitudes spanning less than a full circle"):
        wide.gradkit.gradient(("lat", "lon"), metric="sphere")
    with pytest.raises(ValueError, match=r"`dims` must name a latitude and a longitude"):
        da.gradkit.gradient("lat", metric="sphere")
    with pytest.raises(ValueError, match=r"`radius` must be a positive, finite number"):
        da.gradkit.gradient(("lat", "lon"), metric="sphere", radius=-1)
    with pytest.raises(TypeError, match=r"`radius` must be a positive number"):
        da.gradkit.gradient(("lat", "lon"), metric="sphere", radius="earth")
    with pytest.raises(ValueError, match=r"`boundary` for the latitude 'lat' must be"):
        da.gradkit.gradient(("lat", "lon"), metric="sphere", boundary="periodic")
    with pytest.raises(ValueError, match=r"`period`=180.* contradicts coordinate 'lon'"):
        da.gradkit.gradient(("lat", "lon"), metric="sphere", period={"lon": 180})


def test_latitude_stencils_cross_the_poles_on_a_global_grid():
    """A global grid continues each meridian across the pole (lon + 180), so northward
    derivatives near the poles are as accurate as elsewhere; a decreasing latitude (as in
    reanalyses) gives the same numbers, and so does a grid that includes the poles."""
    da, east, north, _ = field(2)
    g = da.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=4)
    err = np.abs(g["dh_dlat"].values - north)
    assert err[:3].max() <= 2 * err[3:-3].max()  # rows next to the poles: no worse
    flipped = da.isel(lat=slice(None, None, -1))
    gf = flipped.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=4)
    for k in g.data_vars:
        np.testing.assert_allclose(
            gf[k].values[::-1], g[k].values, rtol=1e-12, atol=1e-12 * np.abs(g[k]).max()
        )
    lap = da.gradkit.laplacian(("lat", "lon"), metric="sphere", accuracy=4)
    lapf = flipped.gradkit.laplacian(("lat", "lon"), metric="sphere", accuracy=4)
    np.testing.assert_allclose(lapf.values[::-1], lap.values, rtol=1e-10, atol=1e-22)
    with_poles, _, north_p, _ = field(10, poles=True)
    gp = with_poles.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=4)
    ep = np.abs(gp["dh_dlat"].values - north_p)
    assert ep[:3].max() <= 2 * ep[3:-3].max()
