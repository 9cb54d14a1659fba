"""gradkit's parallel runtime: chunk kernels, the thread count, the compile notice."""

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import gradkit
from gradkit import _parallel
from gradkit._parallel import chunk_kernel, run_chunks, threads_for

pytestmark = pytest.mark.kernels


@chunk_kernel()
def _square_chunks(lo, hi, x, out, seen, nchunks):
    m = x.shape[0]
    chunk = (m + nchunks - 1) // nchunks
    for ch in range(lo, hi):
        seen[ch] += 1
        for p in range(ch * chunk, min(m, (ch + 1) * chunk)):
            out[p] = x[p] * x[p]


@pytest.fixture
def threads():
    previous = gradkit.set_num_threads(None)
    yield
    gradkit.set_num_threads(previous)


@pytest.mark.parametrize("cap", [1, 2, 3, 8])
@pytest.mark.parametrize("nchunks", [1, 2, 7, 64])
def test_every_chunk_runs_exactly_once(threads, cap, nchunks):
    gradkit.set_num_threads(cap)
    x = np.arange(10_001, dtype=float)
    out = np.full_like(x, np.nan)
    seen = np.zeros(nchunks, np.int64)
    run_chunks(_square_chunks, nchunks, 10**9, x, out, seen, nchunks)
    np.testing.assert_array_equal(seen, 1)
    np.testing.assert_array_equal(out, x * x)


def test_the_thread_count_follows_the_work(threads):
    gradkit.set_num_threads(4)
    per = _parallel.MIN_WORK_PER_THREAD
    assert threads_for(0, 100) == 1
    assert threads_for(per - 1, 100) == 1
    assert threads_for(2 * per, 100) == 2
    assert threads_for(100 * per, 100) == 4
    assert threads_for(100 * per, 3) == 3  # never more threads than chunks


def test_threads_run_calls_concurrently_with_identical_results(threads):
    gradkit.set_num_threads(3)
    x = np.random.default_rng(0).random(50_000)
    expected = x * x
    results, errors = [], []

    def call():
        try:
            for _ in range(20):
                out = np.empty_like(x)
                run_chunks(_square_chunks, 16, 10**9, x, out, np.zeros(16, np.int64), 16)
                results.append(out)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    workers = [threading.Thread(target=call) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert len(results) == 120
    for out in results:
        np.testing.assert_array_equal(out, expected)


def test_a_kernel_error_reaches_the_caller(threads):
    gradkit.set_num_threads(2)

    calls = []

    def failing(lo, hi):
        calls.append((lo, hi))
        if lo == 0:
            raise ZeroDivisionError("chunk 0")

    with pytest.raises(ZeroDivisionError, match="chunk 0"):
        run_chunks(failing, 8, 10**9)
    assert sorted(calls)[0][0] == 0 and sorted(calls)[-1][1] == 8


def test_set_num_threads_checks_and_returns_the_previous_cap(threads):
    default = gradkit.get_num_threads()
    assert gradkit.set_num_threads(2) == default
    assert gradkit.get_num_threads() == 2
    assert gradkit.set_num_threads(None) == 2
    assert gradkit.get_num_threads() == default
    with pytest.raises(ValueError, match=r"`n` must be a positive integer or None, got 0"):
        gradkit.set_num_threads(0)
    with pytest.raises(TypeError, match=r"`n` must be a positive integer or None, got 1.5"):
        gradkit.set_num_threads(1.5)
    with pytest.raises(TypeError, match=r"got True"):
        gradkit.set_num_threads(True)
    assert gradkit.set_num_threads(np.int64(3)) == default
    assert gradkit.get_num_threads() == 3


def test_the_environment_caps_the_threads(threads, monkeypatch):
    monkeypatch.setenv("GRADKIT_NUM_THREADS", "3")
    monkeypatch.setenv("NUMBA_NUM_THREADS", "5")
    assert gradkit.get_num_threads() == 3
    monkeypatch.delenv("GRADKIT_NUM_THREADS")
    assert gradkit.get_num_threads() == 5
    monkeypatch.setenv("GRADKIT_NUM_THREADS", "zero")
    with pytest.raises(ValueError, match=r"`GRADKIT_NUM_THREADS` must be a positive integer"):
        gradkit.get_num_threads()


def test_a_forked_child_runs_kernels(threads):
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    gradkit.set_num_threads(2)
    x = np.arange(1000, dtype=float)
    out = np.empty_like(x)
    run_chunks(_square_chunks, 8, 10**9, x, out, np.zeros(8, np.int64), 8)  # pool started
    code = (
        "import multiprocessing as mp, numpy as np, gradkit\n"
        "from tests.test_parallel import _square_chunks\n"
        "from gradkit._parallel import run_chunks\n"
        "def child(q):\n"
        "    x = np.arange(1000.0); out = np.empty_like(x)\n"
        "    run_chunks(_square_chunks, 8, 10**9, x, out, np.zeros(8, np.int64), 8)\n"
        "    q.put(bool((out == x * x).all()))\n"
        "if __name__ == '__main__':\n"
        "    gradkit.set_num_threads(2)\n"
        "    x = np.arange(1000.0); out = np.empty_like(x)\n"
        "    run_chunks(_square_chunks, 8, 10**9, x, out, np.zeros(8, np.int64), 8)\n"
        "    ctx = mp.get_context('fork'); q = ctx.Queue()\n"
        "    p = ctx.Process(target=child, args=(q,)); p.start()\n"
        "    print(q.get(timeout=120)); p.join(120)\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


def test_a_long_compilation_is_announced_once_through_logging(tmp_path):
    code = (
        "import numpy as np, gradkit\n"
        "from gradkit import _parallel\n"
        "_parallel.COMPILE_NOTICE_AFTER = 0.0\n"
        "_parallel.set_small_inputs(False)\n"
        "gradkit.gradient(np.arange(50.0) ** 2)\n"
        "gradkit.gradient(np.arange(50.0).reshape(5, 10) ** 2)\n"
    )
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("gradkit is compiling its kernels") == 1, done.stderr
    assert "gradkit precompile" in done.stderr
