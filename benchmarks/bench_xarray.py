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
import xarray as xr

import gradkit.xarray  # noqa: F401


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


class PeakMemory:
    """Peak resident memory of this process and all its children, sampled every 50 ms."""

    def __init__(self):
        import threading

        import psutil

        self.peak = 0
        self._stop = threading.Event()
        self._me = psutil.Process()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self):
        total = 0
        for p in [self._me, *self._me.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except Exception:  # a worker that just ended
                pass
        self.peak = max(self.peak, total)

    def _run(self):
        while not self._stop.wait(0.05):
            self._sample()

    def __enter__(self):
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def bench_out_of_core(gib: float, folder: str | None) -> list[str]:
    """A float32 zarr store of ``gib`` GiB, its gradient along all three dimensions at
    ``accuracy=4`` streamed back to zarr on a LocalCluster of 2 workers x 1 GiB."""
    import os
    import shutil
    import tempfile

    import dask.array as dsa
    import distributed

    folder = tempfile.mkdtemp(dir=folder)
    nx = ny = 1024
    nz = max(32, int(round(gib * 2**30 / (4 * nx * ny))))
    chunks = (32, 256, 256)  # 8 MiB float32 chunks
    rows = []
    try:
        with PeakMemory() as mem:
            with (
                distributed.LocalCluster(
                    n_workers=2,
                    threads_per_worker=1,
                    memory_limit="1GiB",
                    dashboard_address=None,
                    processes=True,
                ) as cluster,
                distributed.Client(cluster),
            ):
                z = np.linspace(0, 1, nz)
                data = dsa.random.default_rng(0).standard_normal(
                    (nz, ny, nx), chunks=chunks, dtype=np.float32
                )
                src = xr.Dataset(
                    {"f": (("z", "y", "x"), data, {"units": "K"})},
                    coords={
                        "z": ("z", z, {"units": "m"}),
                        "y": ("y", np.linspace(0, 2, ny), {"units": "m"}),
                        "x": ("x", np.linspace(0, 3, nx), {"units": "m"}),
                    },
                )
                src.to_zarr(os.path.join(folder, "in.zarr"), consolidated=False)
                opened = xr.open_zarr(os.path.join(folder, "in.zarr"), consolidated=False)
                nbytes = opened["f"].nbytes
                t = time.perf_counter()
                copy = xr.Dataset({k: opened["f"] for k in ("a", "b", "c")})
                copy.to_zarr(os.path.join(folder, "copy.zarr"), consolidated=False)
                t_copy = time.perf_counter() - t
                shutil.rmtree(os.path.join(folder, "copy.zarr"))
                t = time.perf_counter()
                grad = opened.gradkit.gradient(accuracy=4)
                grad.to_zarr(os.path.join(folder, "out.zarr"), consolidated=False)
                t_grad = time.perf_counter() - t
        # the result equals the in-memory computation on a slab (interior rows along z)
        back = xr.open_zarr(os.path.join(folder, "out.zarr"), consolidated=False)
        z0 = nz // 2 - 16
        slab = opened.isel(z=slice(z0 - 8, z0 + 24)).load()
        ref = slab.gradkit.gradient(accuracy=4)
        for k in ref.data_vars:
            got = back[k].isel(z=slice(z0, z0 + 16)).values
            np.testing.assert_allclose(got, ref[k].values[8:24], rtol=1e-5, atol=1e-3)
        gb = nbytes / 2**30
        rows.append(
            f"| {gb:.2f} GiB float32 ({nz}x{ny}x{nx}) | {t_grad:.1f} s | "
            f"{gb * 4 / t_grad:.2f} GiB/s | {t_copy:.1f} s | {t_grad / t_copy:.2f} | "
            f"{mem.peak / 2**30:.2f} GiB |"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--out-of-core-gib", type=float, default=0, help="size of the zarr run (0: skip; 8)"
    )
    parser.add_argument("--only-out-of-core", action="store_true")
    parser.add_argument("--folder", default=None, help="where the zarr stores go")
    args = parser.parse_args()
    if args.out_of_core_gib:
        print(
            "| store | gradient to zarr | read+write throughput | copy of the same bytes | "
            "ratio to copy | peak RSS (all processes) |"
        )
        print("|---|---|---|---|---|---|")
        for row in bench_out_of_core(args.out_of_core_gib, args.folder):
            print(row, flush=True)
        if args.only_out_of_core:
            return
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
