"""First contact: the cost of the first call in a fresh process, import included.

Each row runs in a fresh interpreter: once with an empty numba cache (a fresh machine),
then several times with the cache that run left behind (every later process). The time is
measured inside the process from before ``import gradkit`` to the end of the first call
(interpreter start-up, ~20 ms, excluded). The peer's first call is timed the same way.
Rows with small inputs reach gradkit's plain-numpy paths; the "large" rows reach the numba
kernels and so show what compiling costs.

Run: ``python benchmarks/bench_startup.py [--repeat 3] [--demo]``; it prints a markdown
table (and writes ``benchmarks/results_startup.md``).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

SETUP = {
    "rgi": (
        "import numpy as np\n"
        "g = [np.linspace(0, 1, n) for n in (20, 21, 22)]\n"
        "v = np.random.default_rng(0).random((20, 21, 22))\n"
    ),
    "rbf": (
        "import numpy as np\n"
        "rng = np.random.default_rng(0)\n"
        "y = rng.random((200, 2)); d = np.sin(y[:, 0]) + y[:, 1]; x = rng.random((50, 2))\n"
    ),
}

# (name, setup, gradkit's first call, the peer's first call or None, issue target warm/empty)
ROWS = [
    (
        "RegularGridInterpolator linear 3-D, `__call__` on one point",
        "rgi",
        "import gradkit; gradkit.RegularGridInterpolator(g, v)(np.array([0.3, 0.4, 0.5]))",
        "from scipy.interpolate import RegularGridInterpolator as R; "
        "R(g, v)(np.array([0.3, 0.4, 0.5]))",
    ),
    (
        "same, `value_and_gradient`",
        "rgi",
        "import gradkit; "
        "gradkit.RegularGridInterpolator(g, v).value_and_gradient(np.array([0.3, 0.4, 0.5]))",
        None,
    ),
    (
        "cubic 3-D `value_and_gradient` on one point",
        "rgi",
        "import gradkit; gradkit.RegularGridInterpolator(g, v, method='cubic')"
        ".value_and_gradient(np.array([0.3, 0.4, 0.5]))",
        "from scipy.interpolate import RegularGridInterpolator as R; "
        "R(g, v, method='cubic')(np.array([0.3, 0.4, 0.5]))",
    ),
    (
        "`gradient` 1-D, 100 points",
        None,
        "import numpy as np, gradkit; gradkit.gradient(np.sin(np.arange(100.0)))",
        "import numpy as np; np.gradient(np.sin(np.arange(100.0)))",
    ),
    (
        "`gradient` 3-D 20^3",
        None,
        "import numpy as np, gradkit; gradkit.gradient(np.random.rand(20, 20, 20))",
        "import numpy as np; np.gradient(np.random.rand(20, 20, 20))",
    ),
    (
        "RBFInterpolator 200 points, fit + `value_and_gradient` (50 queries)",
        "rbf",
        "import gradkit; gradkit.RBFInterpolator(y, d).value_and_gradient(x)",
        "from scipy.interpolate import RBFInterpolator as R; R(y, d)(x)",
    ),
    (
        "large: `gradient` 3-D 128^3 (kernels)",
        None,
        "import numpy as np, gradkit; gradkit.gradient(np.random.rand(128, 128, 128))",
        "import numpy as np; np.gradient(np.random.rand(128, 128, 128))",
    ),
    (
        "large: RegularGridInterpolator linear 3-D, `value_and_gradient` on 1e5 points",
        "rgi",
        "import gradkit; gradkit.RegularGridInterpolator(g, v)"
        ".value_and_gradient(np.random.rand(100000, 3))",
        "from scipy.interpolate import RegularGridInterpolator as R; "
        "R(g, v)(np.random.rand(100000, 3))",
    ),
    (
        "large: RBFInterpolator 5000 points, neighbors=30, `value_and_gradient` on 1e4",
        "rbf",
        "import gradkit; y5 = np.random.default_rng(1).random((5000, 2)); "
        "gradkit.RBFInterpolator(y5, np.sin(y5[:, 0]), neighbors=30)"
        ".value_and_gradient(np.random.rand(10000, 2))",
        "from scipy.interpolate import RBFInterpolator as R; "
        "y5 = np.random.default_rng(1).random((5000, 2)); "
        "R(y5, np.sin(y5[:, 0]), neighbors=30)(np.random.rand(10000, 2))",
    ),
]

TIMED = (
    "import time\n"
    "{setup}"
    "_t0 = time.perf_counter()\n"
    "{call}\n"
    "print(repr(time.perf_counter() - _t0))\n"
    "import sys; print('numba' in sys.modules)\n"
)


def _first_call(setup, call, cache):
    code = TIMED.format(setup=SETUP.get(setup, "") if setup else "", call=call)
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=1800
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    seconds, numba_loaded = done.stdout.split()[-2:]
    return float(seconds), numba_loaded == "True"


def _demo_seconds(cache):
    out = Path(tempfile.mkdtemp(prefix="gradkit-demo-"))
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "gradkit", "demo", "--outdir", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    elapsed = time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return elapsed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="warm-cache runs per row")
    parser.add_argument("--demo", action="store_true", help="also time `gradkit demo`")
    parser.add_argument("--rows", type=int, nargs="*", help="only these row numbers (0-based)")
    args = parser.parse_args(argv)

    load = os.getloadavg()[0]
    lines = [
        "Fresh interpreter per measurement; time from before `import gradkit` to the end of "
        "the first call. Empty cache: one run in a new NUMBA_CACHE_DIR. Warm: median of "
        f"{args.repeat} later runs on that cache. Peer: median of {args.repeat} runs.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load average at start {load:.1f}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "| first call in a fresh process | empty cache | cache warm | numba imported "
        "| peer | issue target (empty / warm) |",
        "|---|---:|---:|---|---:|---|",
    ]
    chosen = range(len(ROWS)) if not args.rows else args.rows
    for index in chosen:
        name, setup, call, peer = ROWS[index]
        with tempfile.TemporaryDirectory(prefix="gradkit-cache-") as cache:
            empty, loaded = _first_call(setup, call, cache)
            warm = statistics.median(_first_call(setup, call, cache)[0] for _ in range(args.repeat))
        peer_time = (
            statistics.median(
                _first_call(setup, peer, tempfile.gettempdir())[0] for _ in range(args.repeat)
            )
            if peer
            else None
        )
        target = "-" if name.startswith("large") else "<= 2 s / <= 0.4 s"
        peer_text = f"{peer_time * 1e3:.0f} ms" if peer_time is not None else "-"
        lines.append(
            f"| {name} | {empty:.2f} s | {warm:.2f} s | {'yes' if loaded else 'no'} "
            f"| {peer_text} | {target} |"
        )
        print(lines[-1], flush=True)
    if args.demo:
        with tempfile.TemporaryDirectory(prefix="gradkit-cache-") as cache:
            empty = _demo_seconds(cache)
            warm = _demo_seconds(cache)
        lines += [
            "",
            f"`gradkit demo` in total: {empty:.1f} s on an empty cache (target <= 25 s), "
            f"{warm:.1f} s warm.",
        ]
    lines.append("")
    lines.append(f"Load average at end {os.getloadavg()[0]:.1f}.")
    text = "\n".join(lines) + "\n"
    if not args.rows:
        (HERE / "results_startup.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
