"""Benchmark gradkit.rbf.RBFInterpolator against scipy.interpolate.RBFInterpolator.

Run:  PYTHONPATH=src python benchmarks/bench_rbf.py [section ...]
Sections: keops10k (default), memory, local, big, big-none, keops, startup (all: all but
keops and startup).

- keops10k: the KeOps tutorial's 2-D problem (ring + noise, Gaussian sigma = 0.1 i.e.
  epsilon = 1/(sigma sqrt 2), ridge alpha = 1 = scipy's ``smoothing=1`` with ``degree=-1``)
  at N = 10,000: gradkit fit + value and gradient at 10,000 points vs scipy fit + values.
- memory: peak memory of the iterative fit at N = 10,000 (tracemalloc and sampled RSS,
  in a subprocess, above the baseline after imports and JIT warm-up).
- local: N = 100,000, neighbors = 50, 10,000 queries: gradkit value+gradient vs scipy values.
- big: N = 100,000 iterative with the Nystrom preconditioner (time, iterations, memory).
- big-none: the unpreconditioned solve, measured at N = 5,000 and N = 10,000 plus the
  cost of one iteration at N = 100,000, extrapolated to N = 100,000 (and said so).
- big-none-full: the unpreconditioned N = 100,000 solve itself (about 40 minutes here;
  capped at 700 iterations).
- startup: a fresh process (import included, empty numba cache) fitting 200 points in 2-D
  and calling ``value_and_gradient`` on 50, against scipy's fit + values in a fresh process.

Timings: interleaved repetitions, JIT warm-up excluded, medians.  Writes the markdown table
to benchmarks/results_rbf.md.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SIGMA = 0.1
EPS = 1.0 / (SIGMA * np.sqrt(2.0))


def ring_problem(n, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.random((n, 2))
    r = np.linalg.norm(y - 0.5, axis=1)
    d = ((r > 0.3) & (r < 0.4)).astype(float) + 0.05 * rng.standard_normal(n)
    x = rng.random((10_000, 2))
    return y, d, x


def warm_up():
    from gradkit.rbf import RBFInterpolator

    y, d, x = ring_problem(500)
    kw = {"kernel": "gaussian", "epsilon": EPS, "smoothing": 1.0, "degree": -1}
    f = RBFInterpolator(y, d, solver="iterative", progress=False, **kw)
    f(x[:10])
    f.value_and_gradient(x[:10])
    g = RBFInterpolator(y, d, neighbors=50)
    g.value_and_gradient(x[:10])
    g(x[:10])


def bench_keops10k(reps=3):
    from scipy.interpolate import RBFInterpolator as Scipy

    from gradkit.rbf import RBFInterpolator

    y, d, x = ring_problem(10_000)
    kw = {"kernel": "gaussian", "epsilon": EPS, "smoothing": 1.0, "degree": -1}
    t_s, t_g, t_gfit = [], [], []
    info = {}
    for _ in range(reps):
        t0 = time.perf_counter()
        vs = Scipy(y, d, **kw)(x)
        t_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        f = RBFInterpolator(y, d, solver="iterative", progress=False, **kw)
        t1 = time.perf_counter()
        vg, gg = f.value_and_gradient(x)
        t_g.append(time.perf_counter() - t0)
        t_gfit.append(t1 - t0)
        info = {"iterations": f.n_iterations, "residual": f.residual, "pre": f.preconditioner}
    rel = float(np.max(np.abs(vg - vs)) / np.max(np.abs(vs)))
    ts, tg = statistics.median(t_s), statistics.median(t_g)
    return {
        "scipy_fit_values_s": ts,
        "gradkit_fit_value_grad_s": tg,
        "gradkit_fit_s": statistics.median(t_gfit),
        "ratio": ts / tg,
        "max_rel_diff": rel,
        **info,
    }


_MEMORY_CHILD = r"""
import json, sys, threading, time, tracemalloc
import numpy as np
import psutil
sys.path.insert(0, {bench!r})
from bench_rbf import ring_problem, warm_up, EPS
from gradkit.rbf import RBFInterpolator
n = {n}
warm_up()
y, d, x = ring_problem(n)
proc = psutil.Process()
base = proc.memory_info().rss
peak = [base]
stop = [False]
def sample():
    while not stop[0]:
        peak[0] = max(peak[0], proc.memory_info().rss)
        time.sleep(0.005)
th = threading.Thread(target=sample); th.start()
tracemalloc.start()
t0 = time.perf_counter()
f = RBFInterpolator(y, d, kernel="gaussian", epsilon=EPS, smoothing=1.0, degree=-1,
                    solver="iterative", progress=False, preconditioner={pre!r})
t1 = time.perf_counter()
cur, tpeak = tracemalloc.get_traced_memory()
tracemalloc.stop()
stop[0] = True; th.join()
print(json.dumps({{"n": n, "tracemalloc_peak_mb": tpeak / 2**20,
                  "rss_peak_above_baseline_mb": (peak[0] - base) / 2**20,
                  "fit_s": t1 - t0, "iterations": f.n_iterations,
                  "residual": f.residual, "pre": f.preconditioner}}))
"""


def bench_memory(n=10_000, pre="auto"):
    code = _MEMORY_CHILD.format(bench=str(HERE), n=n, pre=pre)
    env = dict(os.environ)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_local(reps=3):
    from scipy.interpolate import RBFInterpolator as Scipy

    from gradkit.rbf import RBFInterpolator

    rng = np.random.default_rng(1)
    n = 100_000
    y = rng.random((n, 2))
    d = np.sin(6 * y[:, 0]) * np.cos(4 * y[:, 1]) + 0.01 * rng.standard_normal(n)
    x = rng.random((10_000, 2))
    t_s, t_g = [], []
    for _ in range(reps):
        s = Scipy(y, d, neighbors=50)
        t0 = time.perf_counter()
        vs = s(x)
        t_s.append(time.perf_counter() - t0)
        g = RBFInterpolator(y, d, neighbors=50)
        t0 = time.perf_counter()
        vg, gg = g.value_and_gradient(x)
        t_g.append(time.perf_counter() - t0)
    rel = float(np.max(np.abs(vg - vs)) / np.max(np.abs(vs)))
    ts, tg = statistics.median(t_s), statistics.median(t_g)
    return {"scipy_values_s": ts, "gradkit_value_grad_s": tg, "ratio": ts / tg, "max_rel_diff": rel}


def _unpreconditioned_fit(n, maxiter, progress):
    """The ring problem's Gaussian ridge fit at size ``n``, CG without a preconditioner."""
    from gradkit.rbf import RBFInterpolator

    y, d, _ = ring_problem(n)
    return RBFInterpolator(
        y,
        d,
        kernel="gaussian",
        epsilon=EPS,
        smoothing=1.0,
        degree=-1,
        solver="iterative",
        preconditioner="none",
        maxiter=maxiter,
        progress=progress,
    )


def bench_big_none():
    res = {}
    for n in (5_000, 10_000):
        t0 = time.perf_counter()
        f = _unpreconditioned_fit(n, maxiter=5000, progress=False)
        res[n] = {"fit_s": time.perf_counter() - t0, "iterations": f.n_iterations}
    # cost of one matrix-vector product at N = 100,000
    from gradkit.rbf import _kernels

    y, d, _ = ring_problem(100_000)
    yt = np.ascontiguousarray((y * EPS).T)
    out = np.empty((100_000, 1))
    t0 = time.perf_counter()
    _kernels.kernel_matvec(yt, 7, d[None, :].copy(), out)
    res["matvec_100k_s"] = time.perf_counter() - t0
    return res


def bench_big_none_full(maxiter=700):
    from gradkit.rbf import ConvergenceError

    t0 = time.perf_counter()
    try:
        # the live progress line shows iterations and residual
        f = _unpreconditioned_fit(100_000, maxiter=maxiter, progress=True)
        out = {"iterations": f.n_iterations, "residual": f.residual, "converged": True}
    except ConvergenceError as exc:
        out = {"converged": False, "message": str(exc)}
    out["fit_s"] = time.perf_counter() - t0
    return out


def bench_keops(reps=2):
    """pykeops' CPU solve of the same N = 10,000 problem (optional; skipped if missing)."""
    try:
        from pykeops.numpy import LazyTensor
    except ImportError:
        return {"skipped": "pykeops not importable"}
    y, d, _ = ring_problem(10_000)
    b = d[:, None].copy()

    def kernel(a, c):
        a_i = LazyTensor(a[:, None, :])
        c_j = LazyTensor(c[None, :, :])
        return (-((a_i - c_j) ** 2).sum(-1) / (2 * SIGMA**2)).exp()

    kernel(y[:200], y[:200]).solve(b[:200], alpha=1.0)  # compile
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        kernel(y, y).solve(b, alpha=1.0)
        times.append(time.perf_counter() - t0)
    return {"keops_solve_s": statistics.median(times)}


_STARTUP_CHILD = r"""
import time
t0 = time.perf_counter()
import sys
import numpy as np
if {peer!r} == "scipy":
    from scipy.interpolate import RBFInterpolator
else:
    from gradkit.rbf import RBFInterpolator
rng = np.random.default_rng(0)
y = rng.random((200, 2))
f = RBFInterpolator(y, np.sin(3 * y[:, 0]) + y[:, 1] ** 2)
x = rng.random((50, 2))
out = f(x) if {peer!r} == "scipy" else f.value_and_gradient(x)
print(time.perf_counter() - t0, "numba" in sys.modules)
"""


def bench_startup(reps=3):
    """First call in fresh processes (gradkit and scipy interleaved), empty numba cache."""
    import tempfile

    times = {"gradkit": [], "scipy": []}
    numba_loaded = False
    for _ in range(reps):
        for peer in ("gradkit", "scipy"):
            with tempfile.TemporaryDirectory() as cache:
                env = dict(os.environ, NUMBA_CACHE_DIR=cache)
                out = subprocess.run(
                    [sys.executable, "-c", _STARTUP_CHILD.format(peer=peer)],
                    capture_output=True,
                    text=True,
                    env=env,
                    check=True,
                )
            seconds, loaded = out.stdout.split()
            times[peer].append(float(seconds))
            numba_loaded |= peer == "gradkit" and loaded == "True"
    return {
        "gradkit_first_call_s": statistics.median(times["gradkit"]),
        "scipy_first_call_s": statistics.median(times["scipy"]),
        "gradkit_imported_numba": numba_loaded,
    }


def main(argv):
    sections = argv or ["keops10k"]
    if sections == ["all"]:
        sections = ["keops10k", "memory", "local", "big", "big-none"]
    warm_up()
    results = {}
    for sec in sections:
        print(f"running {sec} ...", file=sys.stderr, flush=True)
        if sec == "keops10k":
            results[sec] = bench_keops10k()
        elif sec == "memory":
            results[sec] = bench_memory()
        elif sec == "local":
            results[sec] = bench_local()
        elif sec == "big":
            results[sec] = bench_memory(100_000)
        elif sec == "big-none":
            results[sec] = bench_big_none()
        elif sec == "big-none-full":
            results[sec] = bench_big_none_full()
        elif sec == "keops":
            results[sec] = bench_keops()
        elif sec == "startup":
            results[sec] = bench_startup()
        print(json.dumps({sec: results[sec]}, default=float), flush=True)
    return results


if __name__ == "__main__":
    print(f"# machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    main(sys.argv[1:])
