"""CF-style netCDF (h5netcdf) and zarr stores: open lazily, differentiate, write back."""

import numpy as np
import pytest
import xarray as xr

import gradkit.xarray  # noqa: F401


def cf_dataset():
    lat = np.arange(-87.5, 90, 5.0)
    lon = np.arange(0, 360, 5.0)
    time = xr.date_range("2000-01-01", periods=4, freq="D", calendar="noleap", use_cftime=True)
    phi, lam = np.deg2rad(lat)[:, None], np.deg2rad(lon)[None, :]
    base = 280 + 10 * np.cos(phi) ** 2 * np.cos(2 * lam)
    t = np.stack([base + k for k in range(time.size)]).astype(np.float32)
    ds = xr.Dataset(
        {
            "tas": (
                ("time", "lat", "lon"),
                t,
                {"units": "K", "long_name": "air temperature", "standard_name": "air_temperature"},
            )
        },
        coords={
            "time": ("time", time, {"standard_name": "time"}),
            "lat": ("lat", lat, {"units": "degrees_north", "standard_name": "latitude"}),
            "lon": ("lon", lon, {"units": "degrees_east", "standard_name": "longitude"}),
        },
        attrs={"Conventions": "CF-1.8", "title": "test field"},
    )
    return ds


def check_round_trip(path_in, path_out, engine):
    # zarr format 3 has no consolidated metadata (xarray warns when asked for it)
    kw = {"engine": engine} if engine != "zarr" else {"engine": "zarr", "consolidated": False}
    opened = xr.open_dataset(path_in, chunks={"lat": 18}, **kw)
    try:
        assert hasattr(opened["tas"].data, "dask")
        grad = opened.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=4)
        tend = opened.gradkit.differentiate("time", datetime_unit="D", accuracy=2)
        assert all(hasattr(v.data, "dask") for v in grad.data_vars.values())
        assert hasattr(tend["tas"].data, "dask")
        out = grad.assign(dtas_dtime=tend["tas"])
        if engine == "zarr":
            out.to_zarr(path_out, consolidated=False)
        else:
            out.to_netcdf(path_out, engine=engine)
        eager = cf_dataset().gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=4)
    finally:
        opened.close()
    with xr.open_dataset(path_out, **kw) as back:
        assert back.attrs["Conventions"] == "CF-1.8" and back.attrs["title"] == "test field"
        assert back["lat"].attrs["units"] == "degrees_north"
        assert back["lon"].attrs["standard_name"] == "longitude"
        assert back["dtas_dlon"].attrs["units"] == "K m-1"
        assert back["dtas_dlat"].attrs["long_name"].startswith("northward derivative of air")
        assert back["time"].dtype == object  # cftime noleap dates, as written
        for k in eager.data_vars:
            np.testing.assert_allclose(back[k].values, eager[k].values, rtol=1e-6, atol=1e-12)
        np.testing.assert_allclose(back["dtas_dtime"].values, 1.0, rtol=1e-4)  # float32 data


def test_netcdf_h5netcdf(tmp_path):
    pytest.importorskip("h5py", reason="h5netcdf writes through h5py")
    cf_dataset().to_netcdf(tmp_path / "in.nc", engine="h5netcdf")
    check_round_trip(tmp_path / "in.nc", tmp_path / "out.nc", "h5netcdf")


def test_zarr(tmp_path):
    cf_dataset().chunk({"lat": 18}).to_zarr(tmp_path / "in.zarr", consolidated=False)
    check_round_trip(tmp_path / "in.zarr", tmp_path / "out.zarr", "zarr")


@pytest.mark.distributed
def test_local_cluster_stays_lazy(tmp_path):
    distributed = pytest.importorskip("distributed")
    ds = cf_dataset().chunk({"time": 1, "lon": 36})
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        grad = ds.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=6)
        lap = ds.gradkit.laplacian(("lat", "lon"), metric="sphere")
        assert all(hasattr(v.data, "dask") for v in grad.data_vars.values())
        futures = client.compute([grad, lap])
        got_grad, got_lap = client.gather(futures)
    eager = cf_dataset()
    ref = eager.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=6)
    for k in ref.data_vars:
        np.testing.assert_allclose(got_grad[k].values, ref[k].values, rtol=1e-6, atol=1e-12)
    ref_lap = eager.gradkit.laplacian(("lat", "lon"), metric="sphere")
    np.testing.assert_allclose(
        got_lap["laplacian_tas"].values, ref_lap["laplacian_tas"].values, rtol=1e-6, atol=1e-18
    )
