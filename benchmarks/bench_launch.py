"""The price of launching a parallel kernel through ``gradkit._parallel.parallel_kernel``.

Every parallel kernel is called through a Python wrapper that takes a process-wide lock
under numba's ``workqueue`` layer and none under OpenMP/TBB. This times, in one process,
interleaved, medians of many rounds, the same kernel on a tiny input called through the
wrapper and called on its numba dispatcher directly, and reports the difference per call
beside numpy.gradient's cost on the same 10-point array (the smallest input that matters).

Run: ``python benchmarks/bench_launch.py`` (writes ``benchmarks/results_launch.md``).
"""

from __future__ import annotations

import platform
import statistics
import time
from pathlib import Path

import numba
import numpy as np

from gradkit.fd import _kernels

HERE = Path(__file__).resolve().parent


def per_call(fn, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def main() -> None:
    rng = np.random.default_rng(0)
    f = np.ascontiguousarray(rng.standard_normal((1, 10, 1)))
    out = np.empty_like(f)
    positions = np.arange(1, 9)
    index = np.stack([positions - 1, positions + 1], axis=1)
    weights = np.tile([-0.5, 0.5], (8, 1))
    divisor = np.ones(8)
    args = (f, out, positions, index, weights, divisor)
    wrapped = _kernels._rows_last
    direct = wrapped.dispatcher
    f1 = f.ravel()
    contestants = {
        "wrapper": lambda: wrapped(*args),
        "dispatcher": lambda: direct(*args),
        "numpy.gradient (10 points)": lambda: np.gradient(f1),
    }
    for fn in contestants.values():  # compile and warm
        fn()
    rounds, calls = 41, 2000
    times = {name: [] for name in contestants}
    for _ in range(rounds):
        for name, fn in contestants.items():
            times[name].append(per_call(fn, calls))
    med = {name: statistics.median(t) for name, t in times.items()}
    overhead = statistics.median(w - d for w, d in zip(times["wrapper"], times["dispatcher"]))
    lines = [
        f"Machine: {platform.machine()}, numba {numba.__version__} "
        f"(layer {numba.threading_layer()}, {numba.get_num_threads()} threads), "
        f"numpy {np.__version__}; medians of {rounds} interleaved rounds of {calls} calls.",
        "",
        "| call | time per call |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {t * 1e6:.2f} us |" for name, t in med.items()]
    lines += [
        "",
        f"Wrapper cost per launch (paired rounds): {overhead * 1e6:.2f} us, "
        f"{overhead / med['numpy.gradient (10 points)']:.1%} of numpy.gradient's time on "
        "10 points.",
    ]
    text = "\n".join(lines)
    (HERE / "results_launch.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
