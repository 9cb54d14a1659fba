"""Large vectorised batches reach `f` in bounded chunks, with identical results."""

import numpy as np
import pytest

from gradkit.numdiff import _evaluate, gradient


def _run(monkeypatch, chunk):
    monkeypatch.setattr(_evaluate, "CHUNK_COORDS", chunk)
    sizes = []

    def f(X):
        sizes.append(X.shape[0])
        return np.sin(X[:, 0]) * np.exp(X[:, 1] / 3.0) + X[:, 2] ** 2

    X = np.random.default_rng(5).uniform(-1.0, 1.0, (40, 3))
    res = gradient(f, X, vectorized=True, return_error=True)
    return res, sizes


def test_chunked_calls_match_one_call(monkeypatch):
    whole, sizes_whole = _run(monkeypatch, 10**9)
    chunked, sizes = _run(monkeypatch, 60)
    np.testing.assert_array_equal(whole.value, chunked.value)
    np.testing.assert_array_equal(whole.error, chunked.error)
    assert whole.nfev == chunked.nfev == sum(sizes) == sum(sizes_whole)
    assert max(sizes) <= 60 // 3
    assert chunked.ncalls == len(sizes) > whole.ncalls == len(sizes_whole)


def test_chunks_checked_for_shape(monkeypatch):
    monkeypatch.setattr(_evaluate, "CHUNK_COORDS", 8)  # 4 points of 2 variables per call
    with pytest.raises(ValueError, match=r"`f` was called with \d+ points at once"):
        gradient(lambda X: np.zeros(1), np.zeros((10, 2)), vectorized=True)
