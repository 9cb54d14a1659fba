"""Assemble BENCHMARKS.md from the per-capability result files the benchmark scripts write.

Run each ``benchmarks/bench_*.py`` first (each writes ``benchmarks/results_<name>.md``), then
``python benchmarks/collect.py``.
"""

from __future__ import annotations

import datetime
import os
import platform
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECTIONS = [
    ("startup", "First contact: the first call in a fresh process", "bench_startup.py"),
    ("fd", "Derivatives of sampled arrays (`gradkit.gradient`)", "bench_fd.py"),
    ("grid", "Grid interpolants (`gradkit.RegularGridInterpolator`, `interpn`)", "bench_grid.py"),
    ("rbf", "Kernel interpolation (`gradkit.RBFInterpolator`)", "bench_rbf.py"),
    ("numdiff", "Derivatives of callables (`gradkit.numdiff`)", "bench_numdiff.py"),
    ("launch", "The launch of a chunk kernel (`gradkit._parallel.run_chunks`)", "bench_launch.py"),
    ("xarray", "Labelled data (`gradkit.xarray`)", "bench_xarray.py"),
    (
        "frameworks",
        "Stencils in JAX and PyTorch (`gradkit.jax`, `gradkit.torch`)",
        "bench_frameworks.py",
    ),
]


def main() -> None:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    parts = [
        "# Benchmarks",
        "",
        "Every figure is a ratio against a named peer, timed in one process on the same inputs,",
        "repetitions interleaved, JIT warm-up excluded, medians reported. Each section is the",
        "output of the script named in its heading; rerun it to refresh the section, then",
        "`python benchmarks/collect.py`.",
        "",
        f"Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}. Assembled {datetime.date.today().isoformat()}.",
        "Each section names its own date and the machine's load average; sections measured",
        "while other jobs shared the two cores say so, and their ratios are noisier.",
    ]
    for name, title, script in SECTIONS:
        path = HERE / f"results_{name}.md"
        if path.exists():
            parts += ["", f"## {title} — `benchmarks/{script}`", "", path.read_text().strip()]
    (HERE.parent / "BENCHMARKS.md").write_text("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
