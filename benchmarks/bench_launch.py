"""The price of launching a parallel kernel through ``gradkit._parallel.parallel_kernel``.

Every parallel kernel is called through a Python wrapper that takes a process-wide lock
under numba's ``workqueue`` layer and none under OpenMP/TBB. This times, in one process,
interleaved, over many rounds, the same kernel on a tiny input called through the
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
    names = list(contestants)
    for r in range(rounds):
        # the order rotates: the first parallel launch after numpy's call wakes the threads
        for name in names[r % len(names) :] + names[: r % len(names)]:
            times[name].append(per_call(contestants[name], calls))
    med = {name: statistics.median(t) for name, t in times.items()}
    best = {name: min(t) for name, t in times.items()}
    lines = [
        f"Machine: {platform.machine()}, numba {numba.__version__} "
        f"(layer {numba.threading_layer()}, {numba.get_num_threads()} threads), "
        f"numpy {np.__version__}; {rounds} interleaved rounds of {calls} calls. A parallel "
        "launch waits for the other core, so on a busy machine the medians carry its load; "
        "the best rounds show the cost itself.",
        "",
        "| call | time per call, median | time per call, best round |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {med[name] * 1e6:.2f} us | {best[name] * 1e6:.2f} us |" for name in med]
    overhead = best["wrapper"] - best["dispatcher"]
    lines += [
        "",
        f"Wrapper cost per launch (best rounds): {overhead * 1e6:.2f} us, "
        f"{overhead / best['numpy.gradient (10 points)']:.1%} of numpy.gradient's best time on "
        "10 points.",
    ]
    text = "\n".join(lines)
    (HERE / "results_launch.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
