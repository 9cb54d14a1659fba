"""``gradkit demo`` section: the gradient of ``func(q, chi, delta)`` answered three ways.

The case: a user has a Python function of three named scalar arguments, here
``q * chi * delta``, and wants its gradient: by finite differences with an error estimate,
exactly through sympy, or by automatic differentiation.
"""

from __future__ import annotations

import importlib.util
import pathlib
import warnings

import numpy as np


def func(q, chi, delta):
    """The demo's function of three named arguments: q * chi * delta."""
    return q * chi * delta


def smooth(q, chi, delta):
    """A non-polynomial companion, where step size matters: exp(q chi) sin(delta)."""
    return np.exp(q * chi) * np.sin(delta)


def run(outdir: pathlib.Path) -> str:
    """Print a comparison table and write ``numdiff_steps.png`` to ``outdir``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from scipy.optimize import approx_fprime

    from . import gradient

    x = (1.5, -2.0, 0.5)
    q, chi, delta = x
    exact = np.array([chi * delta, q * delta, q * chi])
    rows = []

    res = gradient(func, x, return_error=True)
    rows.append(("finite differences (gradkit)", res.value, res.error.max(), res.nfev))
    sympy_note = None
    if importlib.util.find_spec("sympy") is not None:
        import sympy

        sq, sc, sd = sympy.symbols("q chi delta")
        res_s = gradient(sq * sc * sd, x, variables=(sq, sc, sd), return_error=True)
        rows.append(("sympy, exact (gradkit)", res_s.value, res_s.error.max(), 0))
    else:
        sympy_note = "sympy: not installed (pip install sympy) for the exact answer."
    autodiff_note = None
    for name in ("jax", "torch"):
        if importlib.util.find_spec(name) is None:
            continue
        try:
            res_a = gradient(func, x, method=name, return_error=True)
        except Exception as exc:  # pragma: no cover - a broken optional install
            autodiff_note = f"autodiff via {name} failed: {exc}"
            continue
        rows.append((f"autodiff, {name} (gradkit)", res_a.value, res_a.error.max(), res_a.nfev))
        break
    else:
        autodiff_note = (
            "autodiff: neither jax nor torch is installed; method='jax' or method='torch' "
            "would give the same numbers (pip install jax or torch)."
        )
    nfev = [0]

    def counted(p):
        nfev[0] += 1
        return func(*p)

    ref = approx_fprime(np.array(x), counted)
    rows.append(("scipy.optimize.approx_fprime", ref, float("nan"), nfev[0]))

    lines = [
        "== Derivatives of Python functions: gradkit.numdiff ==",
        "gradient of func(q, chi, delta) = q*chi*delta at "
        f"(q, chi, delta) = {x}; exact = {exact.tolist()}",
        "",
        "| method | gradient | max abs error | error estimate | evaluations of f |",
        "|---|---|---:|---:|---:|",
    ]
    for name, val, est, n in rows:
        err = np.abs(np.asarray(val) - exact).max()
        est_s = "-" if np.isnan(est) else f"{est:.1e}"
        vals = "[" + ", ".join(f"{v:.10g}" for v in np.asarray(val)) + "]"
        lines.append(f"| {name} | {vals} | {err:.1e} | {est_s} | {n} |")
    notes = [note for note in (sympy_note, autodiff_note) if note]
    if notes:
        lines.append("")
        lines += notes
    # q*chi*delta is linear in each variable, so any difference quotient is exact up to
    # rounding; a non-polynomial companion shows what the adaptive scheme buys.
    g_exact = np.array(
        [
            chi * np.exp(q * chi) * np.sin(delta),
            q * np.exp(q * chi) * np.sin(delta),
            np.exp(q * chi) * np.cos(delta),
        ]
    )
    r2 = gradient(smooth, x, return_error=True)
    nfev_smooth = [0]

    def counted_smooth(p):
        nfev_smooth[0] += 1
        return smooth(*p)

    a2 = approx_fprime(np.array(x), counted_smooth)
    lines += [
        "",
        "The same for a non-polynomial companion, exp(q*chi)*sin(delta), where the step matters:",
        "",
        "| method | max abs error | error estimate | evaluations of f |",
        "|---|---:|---:|---:|",
        f"| finite differences (gradkit) | {np.abs(r2.value - g_exact).max():.1e} "
        f"| {r2.error.max():.1e} | {r2.nfev} |",
        f"| scipy.optimize.approx_fprime | {np.abs(a2 - g_exact).max():.1e} | - "
        f"| {nfev_smooth[0]} |",
    ]

    # Figure: forward-difference error against the step, and gradkit's adaptive result.
    hs = np.logspace(-14, -1, 60)
    floor = 1e-17  # where an error of exactly 0 is drawn on the log axis
    fig, ax = plt.subplots(figsize=(9.6, 4.4))
    for f, label, color in ((func, "q*chi*delta", "C0"), (smooth, "exp(q*chi)*sin(delta)", "C1")):
        f0 = f(*x)
        g_exact = gradient(f, x, method="complex") if f is smooth else exact
        errs = [abs((f(q + h, chi, delta) - f0) / h - g_exact[0]) for h in hs]
        ax.loglog(hs, np.maximum(errs, floor), color=color, label=f"forward difference, {label}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = gradient(f, x, return_error=True)
        e_true = abs(r.value[0] - g_exact[0])
        shown = f"{e_true:.0e}" if e_true > 0 else f"0 (drawn at {floor:.0e})"
        ax.axhline(
            max(e_true, floor),
            color=color,
            ls="--",
            label=f"gradkit, {label} ({r.nfev} evals): error {shown}",
        )
        ax.axhline(
            r.error[0],
            color=color,
            ls=":",
            label=f"gradkit's error estimate, {label}: {r.error[0]:.0e}",
        )
    ax.axvline(np.sqrt(np.finfo(float).eps), color="gray", lw=0.8)
    ax.text(
        np.sqrt(np.finfo(float).eps) * 1.3, 1e-5, "approx_fprime\nstep", color="gray", fontsize=8
    )
    ax.set_xlabel("step h of the forward difference")
    ax.set_ylabel("|error| of d/dq")
    ax.set_title("d/dq at (1.5, -2, 0.5): one forward difference vs gradkit", fontsize=10)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    fig.tight_layout()
    path = pathlib.Path(outdir) / "numdiff_steps.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    lines += ["", f"figure written to {path}"]
    return "\n".join(lines)
