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
    lines.append("numpy.gradient at the edges, f = [49, 36, 36, 9, 4, 49] with unit spacing:")
    lines.append("")
    lines.append("| call | result | note |")
    lines.append("|---|---|---|")
    f1 = np.array([49, 36, 36, 9, 4, 49])
    order4 = np.round(gradkit.gradient(f1, accuracy=4), 3).tolist()
    lines += [
        f"| gradkit.gradient(f) | {gradkit.gradient(f1).tolist()} | identical to numpy |",
        f"| gradkit.gradient(f, edge_order=2) | {gradkit.gradient(f1, edge_order=2).tolist()} "
        "| identical to numpy |",
        f"| gradkit.gradient(f, accuracy=4) | {order4} | order 4 everywhere, edges included |",
    ]
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
    lines.append(f"\nf = sin(2x) cos(3y) exp(z) on a {n}^3 grid (z non-uniform), all three axes")
    lines.append("(times: median of 5 runs after a warm-up call, so numba compilation excluded):")
    lines.append("")
    lines.append("| method | max abs error of df/dx | time (ms) | speed vs numpy.gradient |")
    lines.append("|---|---:|---:|---:|")
    for name, fn in runs:
        err = float(np.abs(fn()[0] - exact).max())
        t = _best_time(fn)
        base = base or t
        lines.append(f"| {name} | {err:.2e} | {t * 1e3:.1f} | {base / t:.1f}x |")
    same = all(
        np.array_equal(a, b) for a, b in zip(gradkit.gradient(f, *coords), np.gradient(f, *coords))
    )
    lines.append("")
    lines.append(f"gradkit with numpy's defaults returns numpy's values bit for bit: {same}")

    path = outdir / "gradkit_fd_convergence.png"
    _plot_convergence(path)
    lines.append(
        f"\nfigure written to {path}: max error vs grid size, edges included, for "
        "numpy.gradient and gradkit accuracy 2-8."
    )
    return "\n".join(lines)


def _plot_convergence(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import gradkit

    ns = np.array([12, 16, 24, 32, 48, 64, 96, 128])
    fig, ax = plt.subplots(figsize=(8.4, 4.6))
    # numpy: hollow circles on solid lines; gradkit: filled dots on dashed lines, drawn on
    # top, so that curves that coincide (numpy edge_order=2 and gradkit accuracy=2) both show
    numpy_style = dict(marker="o", ms=8, mfc="none", ls="-", lw=1.5, zorder=2)
    gradkit_style = dict(marker=".", ms=7, ls="--", lw=1.2, zorder=3)
    curves = [
        ("numpy.gradient (edge_order=1)", lambda f, h: np.gradient(f, h), numpy_style),
        (
            "numpy.gradient (edge_order=2)",
            lambda f, h: np.gradient(f, h, edge_order=2),
            numpy_style,
        ),
    ]
    curves += [
        (
            f"gradkit accuracy={p}",
            lambda f, h, p=p: gradkit.gradient(f, h, accuracy=p),
            gradkit_style,
        )
        for p in (2, 4, 6, 8)
    ]
    for label, fn, style in curves:
        errors = []
        for n in ns:
            x = np.linspace(0.0, 1.0, n)
            errors.append(np.abs(fn(np.sin(4 * x), x[1] - x[0]) - 4 * np.cos(4 * x)).max())
        ax.loglog(ns, errors, label=label, **style)
    ax.set_xticks(ns, [str(n) for n in ns])
    ax.minorticks_off()
    ax.set_xlabel("grid points n on [0, 1] (uniform)")
    ax.set_ylabel("max |error| of f' over the grid (edges included)")
    ax.set_title("d/dx sin(4x) on [0, 1]: measured convergence")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
