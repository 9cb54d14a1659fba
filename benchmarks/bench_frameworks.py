"""gradkit.jax.gradient and gradkit.torch.gradient against jnp.gradient and torch.gradient.

Same inputs (a 100^3 array, 1e6 elements, random values), same process, rounds interleaved
(each round times every contestant once, in rotated order), medians reported, warm-up
(jit compilation) excluded. "equal order": gradkit's defaults are numpy.gradient's
formulas, the peers' (order 2 inside, ``edge_order`` at the ends). The accuracy rows are
informational (the peers have no higher orders).

Run: ``python benchmarks/bench_frameworks.py [--rounds 15] [--threads N]``; prints a
markdown table (and writes ``benchmarks/results_frameworks.md``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def _rounds(contestants, rounds):
    """Median seconds per call of each contestant, interleaved and rotated."""
    names = list(contestants)
    times = {n: [] for n in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for n in order:
            fn = contestants[n]
            t0 = time.perf_counter()
            fn()
            times[n].append(time.perf_counter() - t0)
    return {n: statistics.median(v) for n, v in times.items()}


def bench_jax(rounds, dtype_name):
    import jax
    import jax.numpy as jnp

    import gradkit.jax as gj

    jax.config.update("jax_enable_x64", dtype_name == "float64")
    rng = np.random.default_rng(0)
    f = jnp.asarray(rng.standard_normal((100, 100, 100)), dtype=dtype_name)
    x = np.cumsum(rng.uniform(0.5, 1.5, 100))
    cases = [
        ("uniform spacing", (0.5, 1.0, 2.0), {}),
        ("coordinates on axis 2", (0.5, 1.0, x), {}),
    ]
    rows = []
    for label, spacing, kw in cases:
        peer = jax.jit(lambda a, s=spacing: jnp.gradient(a, *s))
        ours = jax.jit(lambda a, s=spacing, kw=kw: gj.gradient(a, *s, **kw))
        ours4 = jax.jit(lambda a, s=spacing: gj.gradient(a, *s, accuracy=4))
        contestants = {
            "jnp.gradient": lambda g=peer: jax.block_until_ready(g(f)),
            "gradkit.jax.gradient": lambda g=ours: jax.block_until_ready(g(f)),
            "gradkit.jax.gradient accuracy=4": lambda g=ours4: jax.block_until_ready(g(f)),
        }
        for fn in contestants.values():
            fn()
        med = _rounds(contestants, rounds)
        base = med["jnp.gradient"]
        for name, t in med.items():
            rows.append((f"jax {dtype_name}, jit, {label}", name, t, base / t))
    return rows


def bench_torch(rounds, dtype_name):
    import torch

    import gradkit.torch as gt

    dtype = getattr(torch, dtype_name)
    gen = torch.Generator().manual_seed(0)
    t = torch.randn((100, 100, 100), generator=gen, dtype=torch.float64).to(dtype)
    x = torch.cumsum(torch.rand(100, generator=gen, dtype=torch.float64) + 0.5, 0).to(dtype)
    coords = [torch.arange(100, dtype=dtype) * 0.5, torch.arange(100, dtype=dtype), x]
    rows = []
    for label, kw in [
        ("spacing 0.5", dict(spacing=0.5)),
        ("edge_order=2", dict(spacing=0.5, edge_order=2)),
        ("coordinates", dict(spacing=coords)),
    ]:
        contestants = {
            "torch.gradient": lambda kw=kw: torch.gradient(t, **kw),
            "gradkit.torch.gradient": lambda kw=kw: gt.gradient(t, **kw),
        }
        if label == "spacing 0.5":
            contestants["gradkit.torch.gradient accuracy=4"] = lambda: gt.gradient(
                t, spacing=0.5, accuracy=4
            )
        for fn in contestants.values():
            fn()
        med = _rounds(contestants, rounds)
        base = med["torch.gradient"]
        for name, tm in med.items():
            rows.append((f"torch {dtype_name}, {label}", name, tm, base / tm))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--threads", type=int, default=None, help="torch threads")
    args = parser.parse_args()
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    rows = []
    for dt in ("float64", "float32"):
        rows += bench_jax(args.rounds, dt)
        rows += bench_torch(args.rounds, dt)
    lines = [
        "# gradkit.jax / gradkit.torch stencils vs the frameworks' own gradient",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}; "
        f"torch threads {torch.get_num_threads()}; 100^3 inputs; medians of {args.rounds} "
        "interleaved rounds; speed-up = peer time / contestant time (>1: faster than the peer).",
        "",
        "| case | contestant | median ms | speed-up vs peer |",
        "|---|---|---:|---:|",
    ]
    for case, name, t, ratio in rows:
        lines.append(f"| {case} | {name} | {t * 1e3:.2f} | {ratio:.2f}x |")
    text = "\n".join(lines) + "\n"
    print(text)
    (HERE / "results_frameworks.md").write_text(text)


if __name__ == "__main__":
    main()
