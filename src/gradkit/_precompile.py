"""Ahead-of-time compilation: ``gradkit precompile`` and :func:`gradkit.precompile`.

gradkit compiles each numba kernel the first time a call needs it and keeps it in numba's
on-disk cache. :func:`precompile` makes those first calls ahead of time for the common
kinds of call, so that a container image or a CI cache starts warm. Each job calls the
public functions with the small-input paths turned off, so that every kernel a call of that
kind reaches on large inputs is compiled (the kernels' types do not depend on the size).
"""

from __future__ import annotations

import sys
import time

import numpy as np

__all__ = ["CAPABILITIES", "precompile"]


def _fd_jobs(dtype):
    import gradkit

    rng = np.random.default_rng(0)
    x = np.cumsum(rng.uniform(0.5, 1.5, 16))
    for ndim in (1, 2, 3):
        f = rng.random((8,) * ndim).astype(dtype)
        yield f"gradient {ndim}-D, numpy's defaults", lambda f=f: gradkit.gradient(f)
        yield f"gradient {ndim}-D, accuracy=4", lambda f=f: gradkit.gradient(f, accuracy=4)
    f1 = rng.random(16).astype(dtype)
    yield "gradient 1-D, coordinate array", lambda: gradkit.gradient(f1, x.astype(dtype))
    yield "gradient, periodic", lambda: gradkit.gradient(f1, boundary="periodic", accuracy=4)
    f2 = rng.random((8, 8)).astype(dtype)
    yield "derivative 2-D, order 2", lambda: gradkit.derivative(f2, axis=0, order=2)
    yield "laplacian 2-D", lambda: gradkit.laplacian(f2)


def _grid_jobs(dtype):
    import gradkit

    rng = np.random.default_rng(0)
    for ndim in (1, 2, 3, 4):
        points = [np.linspace(0.0, 1.0, 7) for _ in range(ndim)]
        values = rng.random((7,) * ndim).astype(dtype)
        xi = rng.random((5, ndim)).astype(dtype)
        for method in ("linear", "nearest", "cubic"):
            interp = gradkit.RegularGridInterpolator(points, values, method=method)
            yield f"grid {method} {ndim}-D, values", lambda r=interp, xi=xi: r(xi)
            yield (
                f"grid {method} {ndim}-D, value_and_gradient",
                lambda r=interp, xi=xi: r.value_and_gradient(xi),
            )
            if method != "nearest":
                yield (
                    f"grid {method} {ndim}-D, value_gradient_hessian",
                    lambda r=interp, xi=xi: r.value_gradient_hessian(xi),
                )


def _rbf_jobs(dtype):
    import gradkit

    rng = np.random.default_rng(0)
    for ndim in (1, 2, 3):
        y = rng.random((60, ndim)).astype(dtype)
        d = rng.random(60).astype(dtype)
        x = rng.random((5, ndim)).astype(dtype)
        for options in ({}, {"kernel": "gaussian", "epsilon": 2.0}, {"neighbors": 20}):
            label = ", ".join(f"{k}={v}" for k, v in options.items()) or "defaults"
            yield (
                f"rbf {ndim}-D {label}, fit + value_and_gradient",
                lambda y=y, d=d, x=x, o=options: gradkit.RBFInterpolator(
                    y, d, **o
                ).value_and_gradient(x),
            )


# gradkit.numdiff has no compiled kernels: it evaluates the user's function with numpy.
CAPABILITIES = {"fd": _fd_jobs, "grid": _grid_jobs, "rbf": _rbf_jobs}
_DTYPES = ("float64", "float32")


def _progress(stream, done, total, label, start):
    width = 24
    filled = width * done // total
    bar = "#" * filled + "." * (width - filled)
    text = f"[{bar}] {done}/{total}  {time.perf_counter() - start:5.1f} s  {label}"
    if stream.isatty():
        stream.write("\r" + text[:100].ljust(100))
        if done == total:
            stream.write("\n")
    else:
        stream.write(text + "\n")
    stream.flush()


def precompile(capabilities=None, *, dtypes=("float64",), progress=True):
    """Compile gradkit's kernels for the common kinds of call into numba's disk cache.

    Later processes load them from the cache instead of compiling: run it once when
    building a container image or a CI cache, or after installing gradkit.

    Parameters
    ----------
    capabilities : sequence of str, optional
        Any of ``"fd"`` (sampled arrays), ``"grid"`` (grid interpolants), ``"rbf"``
        (kernel interpolation); default: all. (``gradkit.numdiff`` compiles nothing.)
    dtypes : sequence of str, optional
        ``"float64"`` and/or ``"float32"`` (default: ``("float64",)``).
    progress : bool, optional
        Draw a progress bar on stderr (default True).

    Returns
    -------
    int
        The number of kinds of call compiled (or loaded from the cache).

    Examples
    --------
    >>> import gradkit
    >>> gradkit.precompile(["fd"], progress=False) > 0
    True
    """
    names = list(CAPABILITIES) if capabilities is None else list(capabilities)
    for name in names:
        if name not in CAPABILITIES:
            raise ValueError(
                f"`capabilities` must hold names among {sorted(CAPABILITIES)}, got {name!r}."
            )
    dtypes = list(dtypes)
    for dtype in dtypes:
        if dtype not in _DTYPES:
            raise ValueError(f"`dtypes` must hold names among {list(_DTYPES)}, got {dtype!r}.")
    from ._parallel import set_compile_notice, set_small_inputs

    jobs = [
        (f"{label} [{dtype}]", call)
        for name in names
        for dtype in dtypes
        for label, call in CAPABILITIES[name](dtype)
    ]
    stream = sys.stderr
    start = time.perf_counter()
    previous = set_small_inputs(False), set_compile_notice(False)
    try:
        for done, (label, call) in enumerate(jobs):
            if progress:
                _progress(stream, done, len(jobs), label, start)
            call()
        if progress:
            _progress(stream, len(jobs), len(jobs), "done", start)
    finally:
        set_small_inputs(previous[0])
        set_compile_notice(previous[1])
    return len(jobs)
