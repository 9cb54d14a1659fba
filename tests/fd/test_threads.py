"""The fd kernels split across threads give the single-thread results, bit for bit."""

import threading

import numpy as np
import pytest

import gradkit
from gradkit import _parallel

pytestmark = pytest.mark.kernels


@pytest.fixture
def many_threads(monkeypatch):
    """Every call shares its chunks among 3 threads, however small its work."""
    monkeypatch.setattr(_parallel, "MIN_WORK_PER_THREAD", 1)
    previous = gradkit.set_num_threads(3)
    yield
    gradkit.set_num_threads(previous)


CASES = [
    ((40, 30, 20), {}),
    ((40, 30, 20), {"edge_order": 2}),
    ((40, 30, 20), {"accuracy": 6}),
    ((25, 31), {"accuracy": 4, "boundary": "periodic", "period": (100.0, 31.0)}),
    ((7, 9, 5, 6), {"accuracy": 4}),
    ((5000,), {"accuracy": 8}),
]


@pytest.mark.parametrize(("shape", "options"), CASES)
def test_threaded_kernels_match_one_thread(many_threads, shape, options):
    f = np.random.default_rng(3).standard_normal(shape)
    x = np.cumsum(np.random.default_rng(4).uniform(0.5, 1.5, shape[0]))
    threaded = gradkit.gradient(f, x, *([1.0] * (len(shape) - 1)), **options)
    gradkit.set_num_threads(1)
    single = gradkit.gradient(f, x, *([1.0] * (len(shape) - 1)), **options)
    for a, b in zip(np.atleast_1d(threaded), np.atleast_1d(single)):
        np.testing.assert_array_equal(a, b)
    if not options:
        for a, b in zip(threaded, np.gradient(f, x, *([1.0] * (len(shape) - 1)))):
            np.testing.assert_array_equal(a, b)


def test_concurrent_calls_from_python_threads(many_threads):
    f = np.random.default_rng(5).standard_normal((30, 40, 50))
    expected = gradkit.gradient(f, accuracy=4)
    results = [None] * 4

    def work(i):
        results[i] = gradkit.gradient(f, accuracy=4)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        for a, b in zip(r, expected):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "options", [{}, {"edge_order": 2}, {"accuracy": 6}, {"boundary": "periodic"}]
)
def test_long_lines_split_across_threads(many_threads, options):
    f = np.random.default_rng(6).standard_normal(70_001)
    threaded = gradkit.gradient(f, 0.1, **options)
    gradkit.set_num_threads(1)
    np.testing.assert_array_equal(threaded, gradkit.gradient(f, 0.1, **options))
    if "accuracy" not in options and "boundary" not in options:
        np.testing.assert_array_equal(threaded, np.gradient(f, 0.1, **options))
