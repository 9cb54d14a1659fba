"""Parallel numba kernels that no threading layer can abort the process with.

numba's ``workqueue`` threading layer (the one numba falls back to where neither TBB nor
OpenMP is available, e.g. a stock macOS Python) is not thread-safe: a parallel kernel
launched from a second Python thread while another runs terminates the interpreter
("Concurrent access has been detected"). Every parallel kernel of gradkit is made with
:func:`parallel_kernel`, whose Python-level call takes one process-wide lock while the
active layer is ``workqueue`` (or not yet chosen: the first launch chooses it). Under TBB
and OpenMP, which are thread-safe, no lock is taken and threads run kernels concurrently.

The parallel kernels are entry points called from Python, never from other kernels, so the
wrapper sees every launch. numba is imported when a kernel module is, never by
``import gradkit``.
"""

from __future__ import annotations

import functools
import threading

__all__ = ["parallel_kernel"]

_LAUNCH_LOCK = threading.Lock()
_layer_is_thread_safe = False  # set once the active layer is known to be TBB or OpenMP


def _thread_safe_layer() -> bool:
    """True when the active numba threading layer runs concurrent launches safely."""
    global _layer_is_thread_safe
    if _layer_is_thread_safe:
        return True
    import numba

    try:
        layer = numba.threading_layer()
    except ValueError:  # no parallel kernel has run yet: the layer is not chosen
        return False
    _layer_is_thread_safe = layer != "workqueue"
    return _layer_is_thread_safe


def parallel_kernel(**options):
    """``numba.njit(parallel=True, cache=True, **options)``, safe to call from any thread.

    The returned function calls the compiled dispatcher (``.dispatcher``), holding a
    process-wide lock when the threading layer is ``workqueue``.
    """

    def decorate(function):
        import numba

        dispatcher = numba.njit(parallel=True, cache=True, **options)(function)

        @functools.wraps(function)
        def launch(*args, **kwargs):
            if _thread_safe_layer():
                return dispatcher(*args, **kwargs)
            with _LAUNCH_LOCK:
                return dispatcher(*args, **kwargs)

        launch.dispatcher = dispatcher
        return launch

    return decorate
