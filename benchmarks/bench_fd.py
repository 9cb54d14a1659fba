"""Time gradkit.gradient against numpy.gradient and findiff on a 256^3 float64 array.

Run: ``python benchmarks/bench_fd.py [--n 256] [--repeats 7]``. Every contestant runs in this
one process on the same inputs; repetitions are interleaved (each round runs every
contestant once), JIT compilation and warm-up happen before timing, and medians are
reported. Results go to stdout and ``benchmarks/results_fd.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import gradkit


def interleaved(contestants: dict, repeats: int) -> dict:
    """Median seconds per contestant; each round runs every contestant once."""
    for fn in contestants.values():  # warm-up: JIT compile, page in
        fn()
    times = {name: [] for name in contestants}
    for _ in range(repeats):
        for name, fn in contestants.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def copy_bandwidth(nbytes: int, repeats: int) -> float:
    """Measured copy bandwidth in bytes/s (bytes read + bytes written per second)."""
    src = np.random.default_rng(0).random(nbytes // 8)
    dst = np.empty_like(src)
    t = interleaved({"copy": lambda: np.copyto(dst, src)}, repeats)["copy"]
    return 2 * src.nbytes / t


def import_times() -> tuple[float, float]:
    """Seconds for ``import gradkit`` and for the first call after it (disk cache warm)."""
    code = (
        "import time; t0 = time.perf_counter(); import gradkit; t1 = time.perf_counter();"
        "import numpy as np; f = np.random.rand(20, 20, 20);"
        "t2 = time.perf_counter(); gradkit.gradient(f); t3 = time.perf_counter();"
        "print(t1 - t0, t3 - t2)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)  # warm cache
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.split()
        for _ in range(5)
    ]
    imp = float(np.median([float(r[0]) for r in runs]))
    first = float(np.median([float(r[1]) for r in runs]))
    return imp, first


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    import findiff
    import numba

    n, repeats = args.n, args.repeats
    rng = np.random.default_rng(1)
    f = rng.standard_normal((n, n, n))
    h = 0.01
    x = np.cumsum(rng.uniform(0.5, 1.5, n)) * h  # non-uniform coordinates
    rows = []

    # 1. numpy's defaults, uniform spacing
    t = interleaved(
        {
            "numpy": lambda: np.gradient(f, h),
            "gradkit": lambda: gradkit.gradient(f, h),
        },
        repeats,
    )
    same = all(np.array_equal(a, b) for a, b in zip(gradkit.gradient(f, h), np.gradient(f, h)))
    rows.append(
        (
            "uniform, numpy defaults",
            "numpy.gradient",
            t["numpy"],
            t["gradkit"],
            ">= 3.5x",
            f"identical: {same}",
        )
    )

    # 2. coordinate arrays
    t = interleaved(
        {
            "numpy": lambda: np.gradient(f, x, x, x),
            "gradkit": lambda: gradkit.gradient(f, x, x, x),
        },
        repeats,
    )
    same = all(
        np.array_equal(a, b) for a, b in zip(gradkit.gradient(f, x, x, x), np.gradient(f, x, x, x))
    )
    rows.append(
        (
            "coordinate arrays",
            "numpy.gradient",
            t["numpy"],
            t["gradkit"],
            ">= 6x",
            f"identical: {same}",
        )
    )

    # 3. accuracy 4 against findiff acc=4
    diffs = [findiff.Diff(a, h, acc=4) for a in range(3)]
    t = interleaved(
        {
            "findiff": lambda: [d(f) for d in diffs],
            "gradkit": lambda: gradkit.gradient(f, h, accuracy=4),
        },
        repeats,
    )
    # Both are order 4 everywhere; they differ only in the stencils one point in from each
    # end (findiff: forward stencil starting there; gradkit: the same width flush with the
    # end), so compare the values away from those rows.
    inner = (slice(2, -2),) * 3
    dev = max(
        float(np.abs(a[inner] - d(f)[inner]).max() / np.abs(a[inner]).max())
        for a, d in zip(gradkit.gradient(f, h, accuracy=4), diffs)
    )
    rows.append(
        (
            "accuracy 4",
            "findiff acc=4",
            t["findiff"],
            t["gradkit"],
            ">= 8x",
            f"max rel. difference away from the ends: {dev:.1e}",
        )
    )

    # 4. preallocated outputs against the copy-bandwidth floor
    outs = [np.empty_like(f) for _ in range(3)]
    bw = copy_bandwidth(f.nbytes, repeats)
    floor = 4 * f.nbytes / bw  # read f once, write three outputs
    t = interleaved({"gradkit": lambda: gradkit.gradient(f, h, out=outs)}, repeats)
    t4 = interleaved({"gradkit": lambda: gradkit.gradient(f, h, accuracy=4, out=outs)}, repeats)

    imp, first = import_times()
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, numba threads "
        f"{numba.get_num_threads()}, Python {platform.python_version()}, numpy "
        f"{np.__version__}, findiff {findiff.__version__}, numba {numba.__version__}.",
        f"Array: {n}^3 float64 ({f.nbytes / 1e6:.0f} MB), all three axes; medians of "
        f"{repeats} interleaved runs, warm-up excluded.",
        "",
        "| case | peer | peer time | gradkit time | speed-up | target | check |",
        "|---|---|---|---|---|---|---|",
    ]
    for case, peer, tp, tg, target, check in rows:
        lines.append(
            f"| {case} | {peer} | {tp * 1e3:.0f} ms | {tg * 1e3:.0f} ms | "
            f"{tp / tg:.2f}x | {target} | {check} |"
        )
    lines += [
        "",
        f"Copy bandwidth (read + write): {bw / 1e9:.1f} GB/s. Floor for reading f once and "
        f"writing 3 outputs: {floor * 1e3:.0f} ms.",
        "",
        "| preallocated `out=` | time | time / floor | target |",
        "|---|---|---|---|",
        f"| numpy defaults | {t['gradkit'] * 1e3:.0f} ms | {t['gradkit'] / floor:.2f} | <= 1.5 |",
        f"| accuracy=4 | {t4['gradkit'] * 1e3:.0f} ms | {t4['gradkit'] / floor:.2f} | - |",
        "",
        f"`import gradkit`: {imp * 1e3:.0f} ms (target < 500 ms); first call after a fresh "
        f"import with the disk cache warm: {first * 1e3:.0f} ms (target < 1000 ms).",
    ]
    text = "\n".join(lines)
    print(text)
    Path(__file__).with_name("results_fd.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
