"""Benchmark gradkit.grid against scipy.interpolate and the `interpn` package (PyPI).

Run: ``PYTHONPATH=src python benchmarks/bench_grid.py [--quick]``

Every contender is timed in this process on the same inputs, in interleaved rounds,
after a warm-up call (numba JIT excluded); the median is reported.  gradkit is
interleaved with scipy in one group and with interpn in another (see `_paired_times`).
scipy's slow calls are timed on a subset of the points and scaled linearly to the full
count (marked "scaled" in the table).  gradkit runs on numba's threads (all cores),
interpn on its own thread pool (all cores), scipy on one core.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import scipy
import scipy.interpolate as si

import gradkit.grid as gg

try:
    import interpn as ip
except ImportError:  # pragma: no cover
    ip = None


def _median_times(funcs, rounds):
    """Interleaved rounds; returns {name: median seconds}."""
    for f in funcs.values():
        f()  # warm-up (JIT, caches)
    times = {k: [] for k in funcs}
    for _ in range(rounds):
        for k, f in funcs.items():
            t0 = time.perf_counter()
            f()
            times[k].append(time.perf_counter() - t0)
    out = {k: float(np.median(v)) for k, v in times.items()}
    out.update({k + "@best": float(np.min(v)) for k, v in times.items()})
    return out


def _paired_times(gradkit_funcs, scipy_funcs, interpn_funcs, rounds):
    """Time gradkit against each peer in its own interleaved group.

    A peer that follows a long single-threaded scipy call starts on a core that has gone
    idle (interpn measured 1.5-2x slower there), so interpn is interleaved with gradkit
    only, and scipy with gradkit only.  Keys of the interpn group's gradkit timings get
    the suffix ``:ip``.
    """
    t = _median_times({**gradkit_funcs, **scipy_funcs}, rounds)
    if interpn_funcs:
        ti = _median_times({**gradkit_funcs, **interpn_funcs}, rounds)
        t.update({k: v for k, v in ti.items() if k.split("@")[0] in interpn_funcs})
        t.update({k + ":ip": v for k, v in ti.items() if k.split("@")[0] in gradkit_funcs})
    return t


def _peak_mb(f):
    tracemalloc.start()
    tracemalloc.reset_peak()
    f()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def _copy_bandwidth():
    a = np.ones(2**24)
    b = np.empty_like(a)
    ts = []
    for _ in range(5):
        t0 = time.perf_counter()
        np.copyto(b, a)
        ts.append(time.perf_counter() - t0)
    return 2 * a.nbytes / min(ts)  # read + write bytes per second


def _problem(ndim, n, m, seed=0):
    rng = np.random.default_rng(seed)
    grid = [np.linspace(0.0, 1.0, n) for _ in range(ndim)]
    mesh = np.meshgrid(*grid, indexing="ij", sparse=True)
    values = sum(np.sin((a + 2) * x + a) for a, x in enumerate(mesh)) + mesh[0] * mesh[-1]
    values = np.ascontiguousarray(np.broadcast_to(values, (n,) * ndim), dtype=np.float64)
    xi = rng.uniform(0.0, 1.0, (m, ndim))
    return grid, values, xi


def bench_dimension(ndim, n, m, rounds, sub_linear, sub_cubic, rows, notes):
    grid, values, xi = _problem(ndim, n, m)
    obs = [np.ascontiguousarray(xi[:, j]) for j in range(ndim)]
    label = f"{ndim}-D {n}^{ndim}, {m:.0e} pts"
    h = 1e-6

    lin = gg.RegularGridInterpolator(grid, values)
    sp_lin = si.RegularGridInterpolator(grid, values)
    sub = xi[:sub_linear]
    scale_l = m / sub_linear

    def scipy_cd():
        v = sp_lin(sub)
        for j in range(ndim):
            e = np.zeros(ndim)
            e[j] = h
            # central differences, clipped to stay inside the grid
            sp_lin(np.clip(sub + e, 0, 1)) - sp_lin(np.clip(sub - e, 0, 1))
        return v

    gk_funcs = {
        "gk_lin_vg": lambda: lin.value_and_gradient(xi),
        "gk_lin_v": lambda: lin(xi),
    }
    sp_funcs = {"sp_lin_v": lambda: sp_lin(sub), "sp_lin_cd": scipy_cd}
    ip_funcs = {}
    if ip is not None:
        il = ip.MultilinearRegular.new(
            [n] * ndim, np.zeros(ndim), np.full(ndim, 1.0 / (n - 1)), values
        )
        ip_funcs["ip_lin_v"] = lambda: il.eval(obs)
    t = _paired_times(gk_funcs, sp_funcs, ip_funcs, rounds)
    for key in ("sp_lin_v", "sp_lin_cd", "sp_lin_v@best", "sp_lin_cd@best"):
        t[key] *= scale_l
    if ip is not None:
        rows.append(
            (
                label,
                "linear value+gradient vs interpn linear values",
                t["gk_lin_vg:ip"],
                t["ip_lin_v"],
                "speed-up >= 1.43x (time <= 0.7x)" if ndim == 3 else "",
                t["ip_lin_v@best"] / t["gk_lin_vg@best:ip"],
            )
        )
    rows.append(
        (
            label,
            "linear value+gradient vs scipy value + central differences",
            t["gk_lin_vg"],
            t["sp_lin_cd"],
            "speed-up >= 60x (scipy scaled)" if ndim == 3 else "(scipy scaled)",
            t["sp_lin_cd@best"] / t["gk_lin_vg@best"],
        )
    )
    rows.append(
        (
            label,
            "linear values vs scipy values",
            t["gk_lin_v"],
            t["sp_lin_v"],
            "speed-up >= 10x (scipy scaled)" if ndim == 3 else "(scipy scaled)",
            t["sp_lin_v@best"] / t["gk_lin_v@best"],
        )
    )

    # cubic
    t0 = time.perf_counter()
    cub = gg.RegularGridInterpolator(grid, values, method="cubic")
    t_gk_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    sp_cub = si.RegularGridInterpolator(grid, values, method="cubic")
    t_sp_build = time.perf_counter() - t0
    subc = xi[:sub_cubic]
    scale_c = m / sub_cubic

    def scipy_nu():
        v = sp_cub(subc)
        for j in range(ndim):
            nu = [0] * ndim
            nu[j] = 1
            sp_cub(subc, nu=nu)
        return v

    gk_funcs = {"gk_cub_vg": lambda: cub.value_and_gradient(xi), "gk_cub_v": lambda: cub(xi)}
    sp_funcs = {"sp_cub_nu": scipy_nu}
    ip_funcs = {}
    if ip is not None and n >= 4:
        ic = ip.MulticubicRegular.new(
            [n] * ndim, np.zeros(ndim), np.full(ndim, 1.0 / (n - 1)), values
        )
        ip_funcs["ip_cub_v"] = lambda: ic.eval(obs)
    t = _paired_times(gk_funcs, sp_funcs, ip_funcs, rounds)
    for key in ("sp_cub_nu", "sp_cub_nu@best"):
        t[key] *= scale_c
    if "ip_cub_v" in t:
        rows.append(
            (
                label,
                "cubic value+gradient vs interpn cubic values",
                t["gk_cub_vg:ip"],
                t["ip_cub_v"],
                "speed-up >= 1x (no slower)" if ndim == 3 else "",
                t["ip_cub_v@best"] / t["gk_cub_vg@best:ip"],
            )
        )
    rows.append(
        (
            label,
            f"cubic value+gradient vs scipy cubic + {ndim} nu calls",
            t["gk_cub_vg"],
            t["sp_cub_nu"],
            "speed-up >= 50x (scipy scaled)" if ndim == 3 else "(scipy scaled)",
            t["sp_cub_nu@best"] / t["gk_cub_vg@best"],
        )
    )
    rows.append(
        (
            label,
            "cubic construction vs scipy (default solver), 1 run",
            t_gk_build,
            t_sp_build,
            "speed-up >= 1x" if ndim == 3 else "",
        )
    )

    # memory during evaluation (numpy allocations seen by tracemalloc)
    mem_gk = _peak_mb(lambda: lin.value_and_gradient(xi))
    mem_sp = _peak_mb(scipy_cd) * scale_l
    out_mb = m * (1 + ndim) * 8 / 2**20
    notes.append(
        f"- {label}: peak memory of linear value+gradient {mem_gk:.0f} MiB (outputs alone "
        f"{out_mb:.0f} MiB) vs scipy value + central differences {mem_sp:.0f} MiB "
        f"(scaled from {sub_linear:.0e} points)."
    )
    mem_gk = _peak_mb(lambda: cub.value_and_gradient(xi))
    mem_sp = _peak_mb(scipy_nu) * scale_c
    notes.append(
        f"- {label}: peak memory of cubic value+gradient {mem_gk:.0f} MiB vs scipy cubic + "
        f"nu calls {mem_sp:.0f} MiB (scaled from {sub_cubic:.0e} points)."
    )
    return t


def bench_construction(n, rows):
    grid, values, _ = _problem(3, n, 1)
    label = f"3-D {n}^3"
    for method in ("cubic", "quintic"):
        t0 = time.perf_counter()
        gg.RegularGridInterpolator(grid, values, method=method)
        t_gk = time.perf_counter() - t0
        t0 = time.perf_counter()
        si.RegularGridInterpolator(grid, values, method=method)
        t_sp = time.perf_counter() - t0
        rows.append(
            (
                label,
                f"{method} construction vs scipy (default gcrotmk), 1 run",
                t_gk,
                t_sp,
                "speed-up >= 1x",
            )
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results_grid.md"))
    args = parser.parse_args(argv)
    m = 100_000 if args.quick else 1_000_000
    rounds = 3 if args.quick else 9
    rows, notes = [], []
    import numba

    load0 = os.getloadavg()
    bench_dimension(3, 100, m, rounds, min(m, 200_000), min(m, 50_000), rows, notes)
    bench_dimension(2, 300, m, rounds, min(m, 200_000), min(m, 50_000), rows, notes)
    bench_dimension(5, 10, m, rounds, min(m, 50_000), min(m, 5_000), rows, notes)
    bench_construction(100 if not args.quick else 40, rows)
    # last: its 256 MiB of fresh memory kept the kernel's memory tools busy for seconds,
    # slowing whatever section ran next
    bw = _copy_bandwidth()
    floor = m * 4 * 8 / bw
    notes.append(
        f"- Memory floor: measured copy bandwidth {bw / 1e9:.1f} GB/s; writing the 3-D "
        f"linear value+gradient outputs ({m * 4 * 8 / 2**20:.0f} MiB) alone takes "
        f"{floor * 1e3:.1f} ms at that rate."
    )

    lines = [
        "| case | comparison | gradkit (s) | peer (s) | speed-up (peer / gradkit), "
        "medians | speed-up, best rounds | issue target |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for label, what, t_gk, t_peer, target, *best in rows:
        best_txt = f"{best[0]:.1f}x" if best else "-"
        lines.append(
            f"| {label} | {what} | {t_gk:.4f} | {t_peer:.4f} | {t_peer / t_gk:.1f}x | "
            f"{best_txt} | {target} |"
        )
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    stamp += (
        f"; load average at start {load0[0]:.1f}, at end {os.getloadavg()[0]:.1f} "
        f"(other jobs share the {os.cpu_count()} CPUs)"
    )
    header = (
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, numba threads "
        f"{numba.get_num_threads()} ({numba.threading_layer()}), Python "
        f"{sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"interpn {getattr(ip, '__version__', None) or _ipversion()}; medians of "
        f"{rounds} interleaved rounds after warm-up; {stamp}."
    )
    table = "\n".join(lines)
    text = (
        "# gradkit.grid benchmarks\n\n" + header + "\n\n" + table + "\n\n" + "\n".join(notes) + "\n"
    )
    print(text)
    if not args.quick:
        args.out.write_text(text)
        print(f"written to {args.out}")


def _ipversion():
    try:
        from importlib.metadata import version

        return version("interpn")
    except Exception:  # pragma: no cover
        return "unknown"


if __name__ == "__main__":
    main()
