"""Time gradkit.gradient against numpy.gradient and findiff.

Run: ``python benchmarks/bench_fd.py [--n 256] [--repeats 7]`` for the 256^3 table, and
with ``--small`` (per-call cost on small arrays, and the numpy path against the kernels
around the size thresholds of ``gradkit/fd/_small.py``), ``--load`` (every size from 1e3
to 256^3 elements, with and without a busy process on another core) or ``--startup``
(first call in a fresh process, import included, with a warm and an empty numba cache)
for the issue-10 tables. Every contestant runs in this one process on the same inputs;
repetitions are interleaved (each round runs every contestant once, in alternating
order), JIT compilation and warm-up happen before timing, and medians are reported.
Results go to stdout and ``benchmarks/results_fd.md`` (the selected sections).
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


def per_call(contestants: dict, rounds: int, budget: float = 2e-3) -> dict:
    """Seconds per call of each contestant, one entry per round: each round times a batch
    of calls (about ``budget`` seconds) of every contestant, in alternating order. Tables
    give the median and, on a machine shared with other work, the fastest round (the cost
    of the calls themselves)."""
    inner = {}
    for name, fn in contestants.items():
        fn()  # warm-up
        start = time.perf_counter()
        fn()
        inner[name] = max(1, int(budget / max(time.perf_counter() - start, 1e-7)))
    times = {name: [] for name in contestants}
    names = list(contestants)
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            fn, k = contestants[name], inner[name]
            start = time.perf_counter()
            for _ in range(k):
                fn()
            times[name].append((time.perf_counter() - start) / k)
    return {name: np.array(t) for name, t in times.items()}


def _ratio(a, b) -> str:
    """Ratio of the medians of two lists of times, and of their minima in brackets."""
    return f"{np.median(a) / np.median(b):.2f}x ({np.min(a) / np.min(b):.2f}x)"


def _us(t: float) -> str:
    return f"{t * 1e6:.1f} us" if t < 1e-3 else f"{t * 1e3:.2f} ms"


def small_section(rounds: int) -> list[str]:
    """Per-call cost on small arrays against numpy.gradient, and the crossover of the
    numpy path and the kernels around the thresholds."""
    from gradkit._parallel import set_small_inputs
    from gradkit.fd import _small

    rng = np.random.default_rng(2)
    lines = [
        "## Small arrays: per call, against numpy.gradient (target <= 1.2x with defaults)",
        "",
        "Times are medians over rounds; ratios are of medians and, in brackets, of the "
        "fastest rounds.",
        "",
        "| f | numpy.gradient | gradkit | ratio | gradkit accuracy=4 | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for label, shape in [
        ("1-D 10", (10,)),
        ("1-D 100", (100,)),
        ("1-D 1k", (1000,)),
        ("1-D 10k", (10_000,)),
        ("2-D 30x30", (30, 30)),
    ]:
        f = rng.standard_normal(shape)
        t = per_call(
            {
                "numpy": lambda f=f: np.gradient(f),
                "gradkit": lambda f=f: gradkit.gradient(f),
                "acc4": lambda f=f: gradkit.gradient(f, accuracy=4),
            },
            rounds,
        )
        lines.append(
            f"| {label} | {_us(np.median(t['numpy']))} | {_us(np.median(t['gradkit']))} | "
            f"{_ratio(t['gradkit'], t['numpy'])} | {_us(np.median(t['acc4']))} | "
            f"{_ratio(t['acc4'], t['numpy'])} |"
        )

    def on_kernels(call):
        def run():
            previous = set_small_inputs(False)
            try:
                call()
            finally:
                set_small_inputs(previous)

        return run

    lines += [
        "",
        f"## The numpy path against the kernels (thresholds: {_small.SMALL_FORMULAS} "
        f"elements for numpy's formulas, {_small.SMALL_PLANS} for stencil plans)",
        "",
        "| f | options | numpy path | kernels | numpy path / kernels (fastest rounds) |",
        "|---|---|---|---|---|",
    ]
    for shape in [(4096,), (32768,), (65536,), (16, 16, 16), (32, 32, 32), (40, 40, 40)]:
        f = rng.standard_normal(shape)
        for options in [{}, {"accuracy": 4}]:
            if options and f.size > 40_000:
                continue
            call = lambda f=f, o=options: gradkit.gradient(f, **o)  # noqa: E731
            t = per_call({"numpy path": call, "kernels": on_kernels(call)}, rounds)
            lines.append(
                f"| {'x'.join(map(str, shape))} | {options or 'defaults'} | "
                f"{_us(np.median(t['numpy path']))} | {_us(np.median(t['kernels']))} | "
                f"{_ratio(t['numpy path'], t['kernels'])} |"
            )
    for shape in [(256,), (1024,), (2048,), (8, 8, 8), (12, 12, 12), (16, 16, 16)]:
        f = rng.standard_normal(shape)
        call = lambda f=f: gradkit.gradient(f, accuracy=4)  # noqa: E731
        t = per_call({"numpy path": call, "kernels": on_kernels(call)}, rounds)
        lines.append(
            f"| {'x'.join(map(str, shape))} | accuracy=4 | {_us(np.median(t['numpy path']))} | "
            f"{_us(np.median(t['kernels']))} | {_ratio(t['numpy path'], t['kernels'])} |"
        )
    return lines


LOAD_SHAPES = [
    (1000,),
    (10_000,),
    (100_000,),
    (1_000_000,),
    (100, 100),
    (1000, 1000),
    (20, 20, 20),
    (100, 100, 100),
    (256, 256, 256),
]


def load_section(rounds: int) -> list[str]:
    """numpy.gradient and gradkit.gradient (defaults) at every size, without and with a
    busy process (one spinning Python interpreter) competing for the cores."""
    rng = np.random.default_rng(3)
    arrays = [rng.standard_normal(shape) for shape in LOAD_SHAPES]
    results = {}
    for loaded in (False, True):
        spinner = None
        if loaded:
            spinner = subprocess.Popen([sys.executable, "-c", "while 1: pass"])
            time.sleep(0.5)
        try:
            for f in arrays:
                t = per_call(
                    {
                        "numpy": lambda f=f: np.gradient(f),
                        "gradkit": lambda f=f: gradkit.gradient(f),
                    },
                    rounds,
                    budget=max(2e-3, f.size * 2e-9),
                )
                results[f.shape, loaded] = t
        finally:
            if spinner is not None:
                spinner.kill()
                spinner.wait()
    lines = [
        "## gradient (defaults) at every size, without and with a busy process",
        "",
        f"gradkit threads: up to {gradkit.get_num_threads()}. Busy process: "
        '`python -c "while 1: pass"` on the same machine.',
        "",
        "| f | elements | numpy | gradkit | ratio numpy/gradkit | numpy, busy | "
        "gradkit, busy | ratio, busy |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for f in arrays:
        a, b = results[f.shape, False], results[f.shape, True]
        lines.append(
            f"| {'x'.join(map(str, f.shape))} | {f.size:.0e} | {_us(np.median(a['numpy']))} | "
            f"{_us(np.median(a['gradkit']))} | {_ratio(a['numpy'], a['gradkit'])} | "
            f"{_us(np.median(b['numpy']))} | {_us(np.median(b['gradkit']))} | "
            f"{_ratio(b['numpy'], b['gradkit'])} |"
        )
    return lines


STARTUP_CALLS = {
    "gradient 1-D 100 points": "f = np.random.rand(100)",
    "gradient 3-D 20^3": "f = np.random.rand(20, 20, 20)",
}


def startup_section(runs: int = 5) -> list[str]:
    """Fresh-process first calls, import included: warm numba cache, and empty."""
    import tempfile

    lines = [
        "## First call in a fresh process, import of gradkit included (targets: <= 0.4 s "
        "warm cache, <= 2 s empty)",
        "",
        "| call | warm cache | empty cache | numba imported |",
        "|---|---|---|---|",
    ]
    for label, setup in STARTUP_CALLS.items():
        code = (
            f"import numpy as np, sys, time; {setup}; t0 = time.perf_counter(); "
            "import gradkit; gradkit.gradient(f); "
            "print(time.perf_counter() - t0, 'numba' in sys.modules)"
        )
        env = dict(os.environ)
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=env)
        warm = []
        empty = []
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
            ).stdout.split()
            warm.append(float(out[0]))
            numba_seen = out[1]
            with tempfile.TemporaryDirectory() as cache:
                out = subprocess.run(
                    [sys.executable, "-c", code],
                    check=True,
                    capture_output=True,
                    text=True,
                    env={**env, "NUMBA_CACHE_DIR": cache},
                ).stdout.split()
            empty.append(float(out[0]))
        lines.append(
            f"| {label} | {np.median(warm):.3f} s | {np.median(empty):.3f} s | {numba_seen} |"
        )
    return lines


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
    parser.add_argument("--small", action="store_true", help="small arrays, thresholds")
    parser.add_argument("--load", action="store_true", help="all sizes, with a busy process")
    parser.add_argument("--startup", action="store_true", help="fresh-process first calls")
    parser.add_argument("--rounds", type=int, default=15, help="rounds of the tables above")
    args = parser.parse_args(argv)
    sections = []
    if args.small:
        sections += small_section(args.rounds) + [""]
    if args.load:
        sections += load_section(args.rounds) + [""]
    if args.startup:
        sections += startup_section() + [""]
    if sections:
        text = "\n".join([_machine(), "", *sections])
        print(text)
        Path(__file__).with_name("results_fd.md").write_text(text)
        return
    import numba

    try:
        import findiff
    except ImportError:  # the accuracy-4 row needs it
        findiff = None

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

    # 3. accuracy 4 against findiff acc=4 (when installed)
    if findiff is not None:
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
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, gradkit threads "
        f"{gradkit.get_num_threads()}, Python {platform.python_version()}, numpy "
        f"{np.__version__}, findiff {findiff.__version__ if findiff else '(not installed)'}, "
        f"numba {numba.__version__}.",
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


def _machine() -> str:
    import numba

    return (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, gradkit threads "
        f"{gradkit.get_num_threads()}, Python {platform.python_version()}, numpy "
        f"{np.__version__}, numba {numba.__version__}; load average before the run "
        f"{os.getloadavg()[0]:.1f}."
    )


if __name__ == "__main__":
    main()
