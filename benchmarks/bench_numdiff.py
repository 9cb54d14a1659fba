"""gradkit.numdiff against scipy.differentiate and numdifftools.

Run: ``PYTHONPATH=src python benchmarks/bench_numdiff.py [--quick]``

Sections
1. Accuracy and function evaluations on the shared test set (tests/numdiff/functions.py:
   26 smooth non-polynomial functions of 1 to 10 variables with analytic gradients).
2. Gradient of 10-variable functions at 1,000 points, vectorised: gradkit vs
   scipy.differentiate.jacobian (one vectorised call) and numdifftools.Gradient per point.
3. Hessian of 10-variable functions: evaluations and accuracy vs numdifftools.Hessian and
   scipy.differentiate.hessian.
4. First call in a fresh process, ``import gradkit`` included (numdiff is numpy only: no
   numba cache is involved, and numba is never imported).

Timings: same process, interleaved repetitions, medians; one warm-up call before timing.
Section 2 also times each library's calls back to back in a fresh process
(``--fresh-process``, run by the script itself), with glibc's default allocator and with
one that keeps freed memory, since page faults on memory the allocator gave back between
calls move the timings by milliseconds. Errors are max |estimate - exact| / max |exact|
over the components. The table printed is written to benchmarks/results_numdiff.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "numdiff"))

import numdifftools as nd
import scipy
from functions import FUNCTIONS, HESSIAN_FUNCTIONS
from scipy import differentiate

import gradkit
from gradkit.numdiff import gradient, hessian


class Count:
    """Count points at which ``f`` is evaluated (any batch layout, variables first)."""

    def __init__(self, f, variables_first=True):
        self.f = f
        self.points = 0
        self.variables_first = variables_first

    def __call__(self, x):
        x = np.asarray(x)
        if x.ndim > 1:
            shape = x.shape[1:] if self.variables_first else x.shape[:-1]
            self.points += int(np.prod(shape))
        else:
            self.points += 1
        return self.f(x)


def rel_err(est, exact):
    return float(np.abs(np.asarray(est) - exact).max() / np.abs(exact).max())


def section_accuracy(lines):
    lines.append("## 1. Accuracy and evaluations on the test set (gradient at one point)\n")
    lines.append(
        "Relative error max|est - exact| / max|exact|; evaluations = points at which f was "
        "evaluated. 'ratio' = gradkit error / better peer error (errors floored at 1e-16). "
        "'covered' = gradkit's error estimate >= its true error for every component.\n"
    )
    lines.append(
        "| function | n | gradkit err | scipy err | numdifftools err | ratio | covered "
        "| gradkit evals | scipy evals | numdifftools evals |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|:---:|---:|---:|---:|")
    tot = {"gk": 0, "sp": 0, "nd": 0}
    worst = 0.0
    all_covered = True
    for t in FUNCTIONS:
        exact = t.grad(t.x0)
        c = Count(t.f)
        r = gradient(c, t.x0, return_error=True)
        e_gk, n_gk = rel_err(r.value, exact), c.points
        covered = bool((np.abs(r.value - exact) <= r.error).all())
        all_covered &= covered
        c = Count(t.f)
        rs = differentiate.jacobian(c, t.x0)
        e_sp, n_sp = rel_err(rs.df, exact), c.points
        c = Count(t.f)
        rn = np.atleast_1d(nd.Gradient(c)(t.x0))
        e_nd, n_nd = rel_err(rn, exact), c.points
        tot["gk"] += n_gk
        tot["sp"] += n_sp
        tot["nd"] += n_nd
        ratio = max(e_gk, 1e-16) / max(min(e_sp, e_nd), 1e-16)
        worst = max(worst, ratio)
        lines.append(
            f"| {t.name} | {t.n} | {e_gk:.1e} | {e_sp:.1e} | {e_nd:.1e} | {ratio:.2f} | "
            f"{'yes' if covered else 'NO'} | {n_gk} | {n_sp} | {n_nd} |"
        )
    lines.append(
        f"| **total** | | | | | worst {worst:.2f} | {'all' if all_covered else 'NOT all'} "
        f"| **{tot['gk']}** | **{tot['sp']}** | **{tot['nd']}** |\n"
    )
    lines.append(
        f"Evaluations: gradkit / scipy.differentiate = {tot['gk'] / tot['sp']:.2f} "
        f"(target <= 1.5); gradkit / numdifftools = {tot['gk'] / tot['nd']:.2f}. "
        f"Worst error ratio to the better peer: {worst:.2f} (target <= 10).\n"
    )


def _median_times(funcs, reps):
    times = {k: [] for k in funcs}
    for _ in range(reps):
        for k, fn in funcs.items():  # interleaved
            t0 = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t0)
    return {k: float(np.median(v)) for k, v in times.items()}, {
        k: float(np.min(v)) for k, v in times.items()
    }


def _faults():
    """Minor page faults of this process so far (fresh memory touched)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _back_to_back(fn, reps):
    """Median time and page faults per call of ``reps`` calls in a row (a user's loop)."""
    fn()
    times, f0 = [], _faults()
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), (_faults() - f0) / reps


def _fresh_process(name, reps, keep_memory):
    """gradkit's, then scipy's calls back to back in a fresh process (a user's loop).

    ``keep_memory``: the allocator keeps freed memory (glibc: no trimming, no mmap), so
    that neither call faults pages in.
    """
    env = dict(os.environ)
    if keep_memory:
        env.update(MALLOC_TRIM_THRESHOLD_="4000000000", MALLOC_TOP_PAD_="268435456")
        env["MALLOC_MMAP_THRESHOLD_"] = "4000000000"
    cmd = [sys.executable, __file__, "--fresh-process", name, "--reps", str(reps)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _fresh_process_child(name, reps):
    t = next(t for t in FUNCTIONS if t.name == name)
    X = np.random.default_rng(0).uniform(-1.0, 1.0, (1000, 10))
    fv = lambda X: t.f(X.T)  # noqa: E731
    gradient(fv, X, vectorized=True)  # warm-up
    res = {}
    for key, fn in (
        ("gk", lambda: gradient(fv, X, vectorized=True)),
        ("sp", lambda: differentiate.jacobian(t.f, X.T)),
    ):
        res[key], res[key + "_faults"] = _back_to_back(fn, reps)
    print(json.dumps(res))


def section_vectorized(lines, reps, nd_points):
    lines.append("## 2. Gradient of a 10-variable function at 1,000 points (vectorised)\n")
    lines.append(
        "gradkit: `gradient(lambda X: f(X.T), X, vectorized=True)` with X (1000, 10); scipy: "
        "`differentiate.jacobian(f, X.T)` (one vectorised call per iteration; gradkit "
        "builds and evaluates a batch of more than 2**18 coordinates in a few nearly equal "
        "pieces, here 4 calls for the first iteration, which keeps the points and f's "
        "temporaries in cache); "
        f"numdifftools: `Gradient(f)` called per point (timed on {nd_points} points, scaled "
        "to 1,000). Median of interleaved runs.\n"
    )
    lines.append(
        "| function | gradkit ms | scipy ms | numdifftools ms (1,000 pts) | vs scipy (of mins) | "
        "vs numdifftools | gradkit evals | scipy evals | gradkit err | scipy err |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rng = np.random.default_rng(0)
    X = rng.uniform(-1.0, 1.0, (1000, 10))
    cases = [t for t in FUNCTIONS if t.n == 10]
    alone = []
    for t in cases:
        G = t.grad(X.T).T
        fv = lambda X, f=t.f: f(X.T)  # noqa: E731
        gradient(fv, X, vectorized=True)  # warm-up
        differentiate.jacobian(t.f, X[:50].T)
        ndg = nd.Gradient(t.f)
        ms, best = _median_times(
            {
                "gk": lambda fv=fv: gradient(fv, X, vectorized=True),
                "sp": lambda f=t.f: differentiate.jacobian(f, X.T),
            },
            reps,
        )
        nd_t = _median_times(
            {"nd": lambda ndg=ndg: [ndg(X[i]) for i in range(nd_points)]}, max(1, reps // 3)
        )[0]["nd"] * (1000 / nd_points)
        cg = Count(fv, variables_first=False)
        rg = gradient(cg, X, vectorized=True)
        cs = Count(t.f)
        rs = differentiate.jacobian(cs, X.T)
        lines.append(
            f"| {t.name} | {ms['gk'] * 1e3:.1f} | {ms['sp'] * 1e3:.1f} | {nd_t * 1e3:.0f} | "
            f"{ms['sp'] / ms['gk']:.2f}x ({best['sp'] / best['gk']:.2f}x) | "
            f"{nd_t / ms['gk']:.0f}x | {cg.points} | "
            f"{cs.points} | {rel_err(rg, G):.1e} | {rel_err(rs.df.T, G):.1e} |"
        )
        row = f"| {t.name} |"
        for keep in (False, True):
            r = _fresh_process(t.name, reps, keep)
            row += (
                f" {r['gk'] * 1e3:.1f} | {r['sp'] * 1e3:.1f} | {r['sp'] / r['gk']:.2f}x | "
                f"{r['gk_faults']:.0f} / {r['sp_faults']:.0f} |"
            )
        alone.append(row)
    lines.append("")
    lines.append(
        "The same calls in a fresh process each, back to back (gradkit's repetitions, then "
        "scipy's, as in a user's loop), with the minor page faults per call: memory that the "
        "allocator returned to the system after the previous call and that the call touches "
        "afresh (f's temporaries among it). In the interleaved runs above, gradkit's calls "
        "reuse memory that scipy's larger calls left and do not fault, while scipy's do. "
        "'default': glibc's default allocator; 'no faults': an allocator that keeps freed "
        "memory (MALLOC_TRIM_THRESHOLD_, MALLOC_MMAP_THRESHOLD_, MALLOC_TOP_PAD_), like for "
        "like.\n"
    )
    lines.append(
        "| function | gradkit ms, default | scipy ms, default | vs scipy | faults/call "
        "(gradkit / scipy) | gradkit ms, no faults | scipy ms, no faults | vs scipy | "
        "faults/call |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    lines.extend(alone)
    lines.append("")


def section_hessian(lines):
    lines.append("## 3. Hessian of 8- and 10-variable functions\n")
    lines.append(
        "| function | n | gradkit evals | numdifftools evals | scipy evals | gradkit err | "
        "numdifftools err | scipy err | evals vs numdifftools |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in HESSIAN_FUNCTIONS:
        H = t.hess(t.x0)
        c = Count(t.f)
        rg = hessian(c, t.x0)
        n_gk = c.points
        c = Count(t.f)
        rn = nd.Hessian(c)(t.x0)
        n_nd = c.points
        c = Count(t.f)
        rs = differentiate.hessian(c, t.x0)
        n_sp = c.points
        lines.append(
            f"| {t.name} | {t.n} | {n_gk} | {n_nd} | {n_sp} | {rel_err(rg, H):.1e} | "
            f"{rel_err(rn, H):.1e} | {rel_err(rs.ddf, H):.1e} | {n_gk / n_nd:.2f} |"
        )
    lines.append("")


_FIRST_CALLS = {
    "gradient of a 2-variable function at 1 point": (
        "gradient(lambda x: np.exp(x[0]) * np.sin(x[1]), [0.3, 0.7])"
    ),
    "derivative of sin at 2,000 points": "derivative(np.sin, np.linspace(0, 1, 2000))",
    "gradient of a 10-variable function at 1,000 points (vectorised)": (
        "gradient(lambda X: np.exp(X @ np.linspace(0.1, 1, 10) * 0.3), "
        "np.random.default_rng(0).uniform(-1, 1, (1000, 10)), vectorized=True)"
    ),
}


def section_first_call(lines, reps):
    lines.append("## 4. First call in a fresh process (import included)\n")
    lines.append(
        "`python -c 'import numpy as np; from gradkit.numdiff import ...; <call>'`, timed "
        f"inside the process from before the imports; median of {reps} processes.\n"
    )
    lines.append("| call | seconds | numba imported |")
    lines.append("|---|---:|:---:|")
    for name, call in _FIRST_CALLS.items():
        code = (
            "import time; t0 = time.perf_counter(); import sys; import numpy as np; "
            "from gradkit.numdiff import derivative, gradient; "
            f"{call}; print(time.perf_counter() - t0, 'numba' in sys.modules)"
        )
        runs = []
        for _ in range(reps):
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout.split()
            runs.append((float(out[0]), out[1] == "True"))
        numba = any(r[1] for r in runs)
        lines.append(
            f"| {name} | {np.median([r[0] for r in runs]):.2f} | {'yes' if numba else 'no'} |"
        )
    lines.append("")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--fresh-process", help=argparse.SUPPRESS)  # see _fresh_process
    parser.add_argument("--reps", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fresh_process:
        return _fresh_process_child(args.fresh_process, args.reps)
    reps = 3 if args.quick else 15
    nd_points = 10 if args.quick else 30
    warnings.simplefilter("ignore")
    lines = [
        "# gradkit.numdiff benchmarks\n",
        f"Machine: {platform.machine()} {platform.processor() or ''}, Python "
        f"{platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"numdifftools {nd.__version__}, gradkit {gradkit.__version__}. "
        "Shared 2-core machine: timings are medians of interleaved runs and still noisy "
        f"(load average {os.getloadavg()[0]:.1f} at the start).\n",
    ]
    section_accuracy(lines)
    section_vectorized(lines, reps, nd_points)
    section_hessian(lines)
    section_first_call(lines, 3 if args.quick else 5)
    text = "\n".join(lines)
    print(text)
    out = ROOT / "benchmarks" / "results_numdiff.md"
    out.write_text(text)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
