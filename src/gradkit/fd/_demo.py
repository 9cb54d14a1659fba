"""``gradkit demo`` section: derivatives of sampled arrays against numpy.gradient."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np


def _field(n):
    x = np.linspace(0.0, 2.0, n)
    y = np.linspace(-1.0, 1.0, n)
    z = np.cumsum(np.linspace(1.0, 2.0, n))  # non-uniform
    z = (z - z[0]) / (z[-1] - z[0])
    X, Y, Z = np.meshgrid(x, y, z, indexing="ij", sparse=True)
    f = np.sin(2 * X) * np.cos(3 * Y) * np.exp(Z)
    dfdx = 2 * np.cos(2 * X) * np.cos(3 * Y) * np.exp(Z)
    return (x, y, z), f, dfdx


def _best_time(fn, repeats=5):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def run(outdir: Path) -> str:
    """Compare numpy.gradient with gradkit at accuracy 2/4/6; plot convergence orders."""
    import gradkit

    lines = ["== Derivatives of sampled arrays: gradkit.gradient vs numpy.gradient =="]
    lines.append("Question 3: numpy.gradient's edges. f = [49, 36, 36, 9, 4, 49], unit spacing:")
    f1 = np.array([49, 36, 36, 9, 4, 49])
    lines.append(f"  edge_order=1 -> {gradkit.gradient(f1).tolist()}   (identical to numpy)")
    lines.append(f"  edge_order=2 -> {gradkit.gradient(f1, edge_order=2).tolist()}")
    lines.append(
        f"  accuracy=4   -> {np.round(gradkit.gradient(f1, accuracy=4), 3).tolist()}"
        "   (order 4 everywhere, edges included)"
    )

    n = 96
    coords, f, dfdx = _field(n)
    f = np.ascontiguousarray(np.broadcast_to(f, (n, n, n)))
    exact = np.broadcast_to(dfdx, f.shape)
    runs = [
        ("numpy.gradient", lambda: np.gradient(f, *coords)),
        ("numpy.gradient, edge_order=2", lambda: np.gradient(f, *coords, edge_order=2)),
        ("gradkit.gradient (numpy's defaults)", lambda: gradkit.gradient(f, *coords)),
        ("gradkit.gradient, accuracy=2", lambda: gradkit.gradient(f, *coords, accuracy=2)),
        ("gradkit.gradient, accuracy=4", lambda: gradkit.gradient(f, *coords, accuracy=4)),
        ("gradkit.gradient, accuracy=6", lambda: gradkit.gradient(f, *coords, accuracy=6)),
    ]
    for _, fn in runs:  # compile and warm up once, outside the timings
        fn()
    base = None
    lines.append(f"\nf = sin(2x) cos(3y) exp(z) on a {n}^3 grid (z non-uniform), all three axes:")
    lines.append(f"  {'method':38s} {'max |error| of df/dx':>21s} {'time':>9s} {'vs numpy':>9s}")
    for name, fn in runs:
        err = float(np.abs(fn()[0] - exact).max())
        t = _best_time(fn)
        base = base or t
        lines.append(f"  {name:38s} {err:21.2e} {t * 1e3:7.1f}ms {base / t:8.1f}x")
    same = all(
        np.array_equal(a, b) for a, b in zip(gradkit.gradient(f, *coords), np.gradient(f, *coords))
    )
    lines.append(f"  gradkit with numpy's defaults returns numpy's values bit for bit: {same}")

    path = outdir / "gradkit_fd_convergence.png"
    _plot_convergence(path)
    lines.append(
        f"Figure written to {path}: max error vs grid size, edges included, for "
        "numpy.gradient and gradkit accuracy 2-8."
    )
    return "\n".join(lines)


def _plot_convergence(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import gradkit

    ns = np.array([12, 16, 24, 32, 48, 64, 96, 128])
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    curves = [
        ("numpy.gradient (edge_order=1)", lambda f, h: np.gradient(f, h)),
        ("numpy.gradient (edge_order=2)", lambda f, h: np.gradient(f, h, edge_order=2)),
    ]
    curves += [
        (f"gradkit accuracy={p}", lambda f, h, p=p: gradkit.gradient(f, h, accuracy=p))
        for p in (2, 4, 6, 8)
    ]
    for label, fn in curves:
        errors = []
        for n in ns:
            x = np.linspace(0.0, 1.0, n)
            errors.append(np.abs(fn(np.sin(4 * x), x[1] - x[0]) - 4 * np.cos(4 * x)).max())
        ax.loglog(ns, errors, "o-", label=label, ms=3)
    ax.set_xlabel("points n")
    ax.set_ylabel("max |error| of f' (edges included)")
    ax.set_title("d/dx sin(4x) on [0, 1]: measured convergence")
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
