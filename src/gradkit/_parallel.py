"""gradkit's parallel runtime: serial GIL-free numba kernels run by gradkit's own threads.

No kernel of gradkit is compiled with numba's ``parallel=True``. A parallel kernel is a
*chunk kernel*: a serial numba function, compiled with ``nogil=True``, whose first two
arguments ``lo, hi`` are the range of chunk indices it computes. :func:`run_chunks` hands
ranges of chunks to the calling thread and to a small pool of Python threads, which run the
compiled code concurrently because it releases the GIL. This design

- makes a process abort impossible by construction: numba's threading layers (including
  ``workqueue``, which terminates the interpreter when two threads launch parallel kernels at
  once) are never used;
- compiles each kernel in a fraction of the time (no parfor lowering), and only the
  specialisation a call needs;
- chooses the number of threads from the work of each call (:func:`threads_for`), so small
  and medium inputs run on the calling thread alone, and hands chunks out dynamically, so a
  thread whose core is busy with another process takes fewer of them.

The thread count is capped by :func:`set_num_threads`, else by the environment variable
``GRADKIT_NUM_THREADS``, else by ``NUMBA_NUM_THREADS``, else by the CPUs this process may
run on.

Small inputs take plain numpy paths that never import numba; :func:`small_inputs_enabled`
tells them whether they may (tests of the kernels, and ``GRADKIT_SMALL_INPUTS=0``, turn them
off so that every call reaches the kernels).

numba is imported when a kernel module is, never by ``import gradkit``.
"""

from __future__ import annotations

import itertools
import logging
import operator
import os
import threading
import time

__all__ = [
    "chunk_kernel",
    "get_num_threads",
    "run_chunks",
    "set_num_threads",
    "small_inputs_enabled",
    "threads_for",
]

logger = logging.getLogger("gradkit")

MIN_WORK_PER_THREAD = 200_000
"""Element operations (outputs x stencil width, points x corners, ...) a thread must get
before a call is split across threads: below it, waking a thread costs more than it saves."""

PIECES_PER_THREAD = 4
"""Chunk ranges handed out per thread; more pieces let a thread on a busy core take fewer."""

# ---------------------------------------------------------------------------------------
# thread count
# ---------------------------------------------------------------------------------------

_num_threads: int | None = None  # set by set_num_threads


def _positive_int_from_env(name: str) -> int | None:
    text = os.environ.get(name)
    if text is None or not text.strip():
        return None
    try:
        value = int(text)
    except ValueError:
        raise ValueError(
            f"The environment variable `{name}` must be a positive integer, got {text!r}."
        ) from None
    if value < 1:
        raise ValueError(
            f"The environment variable `{name}` must be a positive integer, got {text!r}."
        )
    return value


_cpus = (None, 0)  # (pid, CPUs this process may run on), asked once per process


def _available_cpus() -> int:
    global _cpus
    pid, count = _cpus
    if pid != os.getpid():
        try:
            count = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            count = os.cpu_count() or 1
        _cpus = (os.getpid(), count)
    return count


def get_num_threads() -> int:
    """The most threads a gradkit kernel call may use.

    Returns
    -------
    int
        The value given to :func:`set_num_threads`; otherwise the environment variable
        ``GRADKIT_NUM_THREADS``, else ``NUMBA_NUM_THREADS``, else the number of CPUs this
        process may run on.

    Examples
    --------
    >>> import gradkit
    >>> gradkit.get_num_threads() >= 1
    True
    """
    if _num_threads is not None:
        return _num_threads
    for name in ("GRADKIT_NUM_THREADS", "NUMBA_NUM_THREADS"):
        value = _positive_int_from_env(name)
        if value is not None:
            return value
    return _available_cpus()


def set_num_threads(n: int | None) -> int:
    """Cap the threads of every later gradkit kernel call; ``None`` restores the default.

    Each call still uses fewer threads when its work is too small to share
    (about 200,000 element operations per thread).

    Parameters
    ----------
    n : int or None
        The new cap (a positive integer), or ``None`` for the default of
        :func:`get_num_threads`.

    Returns
    -------
    int
        The cap in effect before the call, so that it can be restored.

    Examples
    --------
    >>> import gradkit
    >>> previous = gradkit.set_num_threads(1)
    >>> gradkit.get_num_threads()
    1
    >>> _ = gradkit.set_num_threads(previous)
    """
    global _num_threads
    previous = get_num_threads()
    if n is not None:
        if isinstance(n, bool):
            raise TypeError(f"`n` must be a positive integer or None, got {n!r}.")
        try:
            n = operator.index(n)
        except TypeError:
            raise TypeError(f"`n` must be a positive integer or None, got {n!r}.") from None
        if n < 1:
            raise ValueError(f"`n` must be a positive integer or None, got {n}.")
    _num_threads = n
    return previous


def threads_for(work: int, nchunks: int) -> int:
    """Threads for a call of ``work`` element operations split into ``nchunks`` chunks."""
    by_work = int(work) // MIN_WORK_PER_THREAD
    return max(1, min(get_num_threads(), nchunks, by_work))


# ---------------------------------------------------------------------------------------
# the pool and the launch
# ---------------------------------------------------------------------------------------

_pool_lock = threading.Lock()
_pool = None
_pool_owner = (None, 0)  # (pid, workers) of the pool in _pool


def _worker_pool(workers: int):
    """The shared executor with at least ``workers`` threads (re-created after a fork)."""
    global _pool, _pool_owner
    with _pool_lock:
        pid, size = _pool_owner
        if _pool is None or pid != os.getpid() or size < workers:
            from concurrent.futures import ThreadPoolExecutor

            old = _pool if pid == os.getpid() else None
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gradkit")
            _pool_owner = (os.getpid(), workers)
            if old is not None:
                old.shutdown(wait=False)
        return _pool


class _Launch:
    """One call of a chunk kernel, its chunk ranges claimed one at a time by any thread.

    The calling thread claims ranges too and waits only for ranges another thread has
    claimed, never for a pool task that has not started: a saturated pool (or one lost in a
    fork) cannot stall a call.
    """

    def __init__(self, kernel, bounds, args):
        self.kernel = kernel
        self.bounds = bounds
        self.args = args
        self.pieces = len(bounds) - 1
        self.claims = itertools.count()  # next() is atomic under the GIL
        self.lock = threading.Lock()
        self.unfinished = self.pieces
        self.finished = threading.Event()
        self.error = None

    def drain(self):
        while True:
            i = next(self.claims)
            if i >= self.pieces:
                return
            try:
                self.kernel(self.bounds[i], self.bounds[i + 1], *self.args)
            except BaseException as error:  # re-raised in the calling thread
                self.error = self.error or error
            with self.lock:
                self.unfinished -= 1
                if self.unfinished == 0:
                    self.finished.set()


def run_chunks(kernel, nchunks: int, work: int, *args) -> None:
    """Run ``kernel(lo, hi, *args)`` over ranges covering ``range(nchunks)``, in parallel.

    Parameters
    ----------
    kernel : numba dispatcher
        A chunk kernel (see :func:`chunk_kernel`); it computes chunks ``lo`` to ``hi - 1``
        and writes its results into output arrays among ``args``.
    nchunks : int
        The number of chunks the kernel divides its work into.
    work : int
        An estimate of the call's work in element operations; it sets the thread count
        (:func:`threads_for`).
    *args
        The kernel's remaining arguments.
    """
    threads = threads_for(work, nchunks)
    if threads == 1:
        kernel(0, nchunks, *args)
        return
    pieces = min(nchunks, threads * PIECES_PER_THREAD)
    bounds = [nchunks * i // pieces for i in range(pieces + 1)]
    launch = _Launch(kernel, bounds, args)
    pool = _worker_pool(get_num_threads() - 1)
    for _ in range(threads - 1):
        pool.submit(launch.drain)
    launch.drain()
    launch.finished.wait()
    if launch.error is not None:
        raise launch.error


# ---------------------------------------------------------------------------------------
# compilation: the decorator, and one message when a call compiles for long
# ---------------------------------------------------------------------------------------

COMPILE_NOTICE_AFTER = 1.0
"""Seconds a compilation may take before gradkit says, once per process, what is going on."""


class _CompileNotice:
    """A numba event listener that logs gradkit's compilations.

    When a compilation of a gradkit function is still running after
    :data:`COMPILE_NOTICE_AFTER` seconds, a warning says so once per process (with the way to
    compile ahead of time); every compilation is logged at INFO level with its duration when
    it ends.
    """

    def __init__(self):
        self.local = threading.local()
        self.announced = False

    @staticmethod
    def _name(event):
        dispatcher = event.data["dispatcher"]
        function = dispatcher.py_func
        return f"{function.__module__}.{function.__qualname__}"

    def _announce(self, name):
        if self.announced or not _announce_compilations:
            return
        self.announced = True
        logger.warning(
            "gradkit is compiling its kernels for this call (%s, ...): the first use of each "
            "kind of call on this machine takes a few seconds, later ones load from the disk "
            "cache. `gradkit precompile` builds the cache ahead of time.",
            name,
        )

    def notify(self, event):
        if not self._name(event).startswith("gradkit."):
            return
        depth = getattr(self.local, "depth", 0)
        if event.is_start:
            self.local.depth = depth + 1
            if depth == 0:
                self.local.start = time.perf_counter()
                self.local.timer = None
                if not self.announced:
                    timer = threading.Timer(
                        COMPILE_NOTICE_AFTER, self._announce, args=(self._name(event),)
                    )
                    timer.daemon = True
                    timer.start()
                    self.local.timer = timer
        else:
            self.local.depth = depth - 1
            if depth == 1:
                if self.local.timer is not None:
                    self.local.timer.cancel()
                logger.info(
                    "compiled %s in %.1f s",
                    self._name(event),
                    time.perf_counter() - self.local.start,
                )


_notice_installed = False
_announce_compilations = True  # False while `gradkit precompile` runs: it is the remedy


def set_compile_notice(enabled: bool) -> bool:
    """Turn the once-per-process notice of a long compilation on or off; returns the previous."""
    global _announce_compilations
    previous = _announce_compilations
    _announce_compilations = bool(enabled)
    return previous


def _install_compile_notice():
    global _notice_installed
    if _notice_installed:
        return
    from numba.core import event

    listener = _CompileNotice()

    class Listener(event.Listener):
        def on_start(self, ev):
            listener.notify(ev)

        def on_end(self, ev):
            listener.notify(ev)

    event.register("numba:compile", Listener())
    _notice_installed = True


def chunk_kernel(**options):
    """``numba.njit(nogil=True, cache=True, error_model="numpy", **options)`` for a kernel
    run by :func:`run_chunks`.

    The kernel's first two parameters are ``lo, hi``: it computes chunks ``lo`` to
    ``hi - 1`` of its work, serially; :func:`run_chunks` runs ranges on several threads.
    The error model is numpy's (a division by zero gives inf or NaN), as it was for the
    ``parallel=True`` kernels these replace.
    """
    options.setdefault("error_model", "numpy")

    def decorate(function):
        import numba

        _install_compile_notice()
        return numba.njit(nogil=True, cache=True, **options)(function)

    return decorate


# ---------------------------------------------------------------------------------------
# small inputs
# ---------------------------------------------------------------------------------------

_small_inputs = os.environ.get("GRADKIT_SMALL_INPUTS", "1").strip() != "0"


def small_inputs_enabled() -> bool:
    """Whether small inputs may take the plain-numpy paths (they do unless turned off)."""
    return _small_inputs


def set_small_inputs(enabled: bool) -> bool:
    """Turn the plain-numpy small-input paths on or off; returns the previous setting."""
    global _small_inputs
    previous = _small_inputs
    _small_inputs = bool(enabled)
    return previous
