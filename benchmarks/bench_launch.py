"""The price of launching a chunk kernel through ``gradkit._parallel.run_chunks``.

Every parallel kernel of gradkit is a serial GIL-free numba function over a range of chunks,
launched by ``run_chunks``: on the calling thread alone when the call's work is below
``MIN_WORK_PER_THREAD`` per thread, else on the calling thread plus gradkit's pool. This
times, in one process, interleaved, over many rounds, a kernel on a tiny input (10 values)
called directly, through ``run_chunks`` on one thread, and through ``run_chunks`` forced onto
two threads — the fixed cost of waking the pool, which sets the work threshold — beside
numpy.gradient's cost on a 10-point array.

Run: ``python benchmarks/bench_launch.py`` (writes ``benchmarks/results_launch.md``).
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

import numba
import numpy as np

import gradkit
from gradkit._parallel import MIN_WORK_PER_THREAD, chunk_kernel, run_chunks

HERE = Path(__file__).resolve().parent


@chunk_kernel()
def _twice(lo, hi, x, out, nchunks):
    m = x.shape[0]
    chunk = (m + nchunks - 1) // nchunks
    for ch in range(lo, hi):
        for p in range(ch * chunk, min(m, (ch + 1) * chunk)):
            out[p] = 2.0 * x[p]


def per_call(fn, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def main() -> None:
    gradkit.set_num_threads(2)
    x = np.random.default_rng(0).standard_normal(10)
    out = np.empty_like(x)
    contestants = {
        "kernel called directly": lambda: _twice(0, 2, x, out, 2),
        "run_chunks, one thread (small work)": lambda: run_chunks(_twice, 2, 10, x, out, 2),
        "run_chunks, two threads (work forced)": lambda: run_chunks(
            _twice, 2, 10 * MIN_WORK_PER_THREAD, x, out, 2
        ),
        "numpy.gradient (10 points)": lambda: np.gradient(x),
    }
    for fn in contestants.values():  # compile and warm
        fn()
    rounds, calls = 41, 2000
    times = {name: [] for name in contestants}
    names = list(contestants)
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            times[name].append(per_call(contestants[name], calls))
    med = {name: statistics.median(t) for name, t in times.items()}
    best = {name: min(t) for name, t in times.items()}
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, numba {numba.__version__}, "
        f"numpy {np.__version__}, load average {os.getloadavg()[0]:.1f}; {rounds} interleaved "
        f"rounds of {calls} calls. On a busy machine the medians carry its load; the best rounds "
        "show the cost itself.",
        "",
        "| call | time per call, median | time per call, best round |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {med[name] * 1e6:.2f} us | {best[name] * 1e6:.2f} us |" for name in med]
    one = best["run_chunks, one thread (small work)"] - best["kernel called directly"]
    two = best["run_chunks, two threads (work forced)"] - best["kernel called directly"]
    lines += [
        "",
        f"run_chunks on one thread costs {one * 1e6:.2f} us per launch (best rounds); waking the "
        f"pool for a second thread costs {two * 1e6:.1f} us, the time of about "
        f"{MIN_WORK_PER_THREAD:,} element operations at a few per nanosecond, hence "
        "`MIN_WORK_PER_THREAD`.",
    ]
    text = "\n".join(lines)
    (HERE / "results_launch.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
