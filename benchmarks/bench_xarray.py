"""The xarray accessor against xarray's own ``differentiate`` (and MetPy on the sphere).

Ratios of medians over interleaved rounds, JIT warm-up excluded (the first call of each
contestant is not timed). Run: ``python benchmarks/bench_xarray.py [--n 256] [--rounds 5]``.
Writes nothing; paste the table into benchmarks/results_xarray.md.

- ``differentiate`` on an ``n**3`` float64 DataArray in memory, along each dimension, with
  xarray's defaults (numpy.gradient's formulas, the same values) and with ``accuracy=4``;
- the same on a dask-backed DataArray (chunks of 64 along every dimension), computed;
- on the sphere: eastward/northward gradient of a spherical harmonic at 1 and 0.5 degrees,
  gradkit at accuracy 2/4/6 against MetPy's ``geospatial_gradient`` when MetPy is
  installed (error and time side by side).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import gradkit.xarray  # noqa: F401
import xarray as xr


def race(contestants: dict, rounds: int) -> dict:
    """Median seconds per contestant, rounds interleaved, order rotated each round."""
    for f in contestants.values():
        f()
    times = {k: [] for k in contestants}
    names = list(contestants)
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for k in order:
            t = time.perf_counter()
            contestants[k]()
            times[k].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in times.items()}


def cube(n: int) -> xr.DataArray:
    rs = np.random.default_rng(0)
    return xr.DataArray(
        rs.standard_normal((n, n, n)),
        dims=("z", "y", "x"),
        coords={"z": np.linspace(0, 1, n), "y": np.linspace(0, 2, n), "x": np.linspace(0, 3, n)},
        name="f",
    )


def bench_differentiate(n: int, rounds: int) -> list[str]:
    rows = []
    da = cube(n)
    lazy = da.chunk(64)
    for dim in da.dims:
        got = da.gradkit.differentiate(dim)
        ref = da.differentiate(dim)
        assert np.allclose(got.values, ref.values, rtol=1e-12, atol=0)
        t = race(
            {
                "xarray": lambda dim=dim: da.differentiate(dim),
                "gradkit": lambda dim=dim: da.gradkit.differentiate(dim),
                "gradkit accuracy=4": lambda dim=dim: da.gradkit.differentiate(dim, accuracy=4),
            },
            rounds,
        )
        rows.append(
            f"| {n}^3 in memory | {dim} | {t['xarray']:.3f} | {t['gradkit']:.3f} | "
            f"{t['xarray'] / t['gradkit']:.2f}x | {t['gradkit accuracy=4']:.3f} |"
        )
        t = race(
            {
                "xarray": lambda dim=dim: lazy.differentiate(dim).compute(),
                "gradkit": lambda dim=dim: lazy.gradkit.differentiate(dim).compute(),
                "gradkit accuracy=4": lambda dim=dim: lazy.gradkit.differentiate(
                    dim, accuracy=4
                ).compute(),
            },
            max(3, rounds // 2),
        )
        rows.append(
            f"| {n}^3 dask (64^3 chunks) | {dim} | {t['xarray']:.3f} | {t['gradkit']:.3f} | "
            f"{t['xarray'] / t['gradkit']:.2f}x | {t['gradkit accuracy=4']:.3f} |"
        )
    return rows


def sphere_field(step: float):
    lat = np.arange(-90 + step / 2, 90, step)
    lon = np.arange(0, 360, step)
    phi, lam = np.deg2rad(lat)[:, None], np.deg2rad(lon)[None, :]
    f = np.cos(phi) ** 3 * np.sin(phi) * np.cos(3 * lam)
    east = -3 * np.cos(phi) ** 2 * np.sin(phi) * np.sin(3 * lam) / 6.371e6
    north = (np.cos(phi) ** 4 - 3 * np.cos(phi) ** 2 * np.sin(phi) ** 2) * np.cos(3 * lam)
    da = xr.DataArray(
        f,
        coords={
            "lat": ("lat", lat, {"units": "degrees_north"}),
            "lon": ("lon", lon, {"units": "degrees_east"}),
        },
        name="h",
    )
    return da, east, north / 6.371e6


def bench_sphere(rounds: int) -> list[str]:
    try:
        import pyproj
        from metpy.calc import geospatial_gradient

        # MetPy measures distances on its CRS's ellipsoid (WGS84 by default); give it the
        # same sphere as gradkit so that the errors compare the differences only
        sphere = pyproj.CRS.from_proj4("+proj=longlat +R=6371000 +no_defs")
    except ImportError:
        geospatial_gradient = None
    rows = []
    for step in (1.0, 0.5):
        da, east, north = sphere_field(step)
        contestants, results = {}, {}
        for p in (2, 4, 6):

            def run(p=p, da=da):
                return da.gradkit.gradient(("lat", "lon"), metric="sphere", accuracy=p)

            contestants[f"gradkit accuracy={p}"] = run
            g = run()
            results[f"gradkit accuracy={p}"] = (g["dh_dlon"].values, g["dh_dlat"].values)
        if geospatial_gradient is not None:

            def metpy(da=da):
                return geospatial_gradient(da, latitude=da.lat, longitude=da.lon, crs=sphere)

            contestants["MetPy geospatial_gradient"] = metpy
            dx, dy = metpy()
            results["MetPy geospatial_gradient"] = (np.asarray(dx), np.asarray(dy))
        t = race(contestants, rounds)
        for k, (e, n) in results.items():
            err_e = np.nanmax(np.abs(e - east)) / np.abs(east).max()
            err_n = np.nanmax(np.abs(n - north)) / np.abs(north).max()
            rows.append(f"| {step} deg | {k} | {err_e:.1e} | {err_n:.1e} | {t[k] * 1e3:.1f} |")
    if geospatial_gradient is None:
        rows.append("| | MetPy not installed | | | |")
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print("| array | dim | xarray (s) | gradkit (s) | ratio | gradkit accuracy=4 (s) |")
    print("|---|---|---|---|---|---|")
    for row in bench_differentiate(args.n, args.rounds):
        print(row, flush=True)
    print()
    print("| grid | method | eastward max rel. error | northward max rel. error | ms |")
    print("|---|---|---|---|---|")
    for row in bench_sphere(args.rounds):
        print(row, flush=True)


if __name__ == "__main__":
    main()
