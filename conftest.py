"""Doctest collection of the optional adapters only where their framework is installed.

``--doctest-modules`` imports every module under ``src/gradkit``; ``gradkit.jax``,
``gradkit.torch`` and ``gradkit.xarray`` raise ImportError (naming their extra) without
jax, torch or xarray, so they are left out of collection there instead of erroring.
"""

import importlib.util

collect_ignore_glob = [
    f"src/gradkit/{name}/*"
    for name in ("jax", "torch", "xarray")
    if importlib.util.find_spec(name) is None
]
