"""Gradients, divergence and vorticity on the globe from a CF-style netCDF file.

Writes a small global field to ``example_in.nc``, opens it dask-backed, takes the
horizontal gradient of the geopotential height on the sphere (periodic longitude
inferred), the divergence and relative vorticity of the wind, and writes them to
``example_out.nc`` (in a temporary folder) with derived ``units`` and ``long_name`` attributes.

Run: ``python examples/xarray_sphere.py`` (needs xarray, dask and h5netcdf with h5py).
"""

import os
import tempfile

import numpy as np

import gradkit.xarray  # noqa: F401  (registers the ``gradkit`` accessor)
import xarray as xr

R = 6.371e6
OMEGA = 7.292e-5


def make_dataset(step=2.0):
    lat = np.arange(-90 + step / 2, 90, step)
    lon = np.arange(0, 360, step)
    phi, lam = np.deg2rad(lat)[:, None], np.deg2rad(lon)[None, :]
    # a Rossby-Haurwitz-like height field and the wind in geostrophic balance with it
    z = 5500 + 100 * np.cos(phi) ** 4 * np.sin(phi) * np.cos(4 * lam)
    coords = {
        "lat": ("lat", lat, {"units": "degrees_north", "standard_name": "latitude"}),
        "lon": ("lon", lon, {"units": "degrees_east", "standard_name": "longitude"}),
    }
    ds = xr.Dataset(
        {"zg": (("lat", "lon"), z, {"units": "m", "long_name": "geopotential height"})},
        coords=coords,
        attrs={"Conventions": "CF-1.8"},
    )
    g = ds.gradkit.gradient(("lat", "lon"), metric="sphere", radius=R, accuracy=4)
    f = 2 * OMEGA * np.sin(phi)
    ds["ua"] = (("lat", "lon"), -9.81 / f * g["dzg_dlat"].values, {"units": "m s-1"})
    ds["va"] = (("lat", "lon"), 9.81 / f * g["dzg_dlon"].values, {"units": "m s-1"})
    return ds


def main():
    with tempfile.TemporaryDirectory() as folder:
        run(folder)


def run(folder):
    path_in = os.path.join(folder, "example_in.nc")
    path_out = os.path.join(folder, "example_out.nc")
    make_dataset().to_netcdf(path_in, engine="h5netcdf")
    with xr.open_dataset(path_in, engine="h5netcdf", chunks={"lat": 45}) as ds:
        out = ds.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=4)[
            ["dzg_dlon", "dzg_dlat"]
        ]
        out["divergence"] = ds.gradkit.divergence(
            {"lon": "ua", "lat": "va"}, metric="sphere", accuracy=4
        )
        out["vorticity"] = ds.gradkit.curl({"lon": "ua", "lat": "va"}, metric="sphere", accuracy=4)
        out.to_netcdf(path_out, engine="h5netcdf")
    with xr.open_dataset(path_out, engine="h5netcdf") as back:
        for name, var in back.data_vars.items():
            print(f"{name:12s} {var.attrs.get('units', ''):8s} {var.attrs['long_name']}")


if __name__ == "__main__":
    main()
