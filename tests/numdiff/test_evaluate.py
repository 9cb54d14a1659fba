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


@pytest.mark.parametrize("chunk", [7, 50, 333])
def test_chunked_hessian_and_bounds_match_one_call(monkeypatch, chunk):
    # non-unit directions (Hessian) and one-sided windows of another size (bounds) are
    # split at entry boundaries into pieces; results must not change.
    from gradkit.numdiff import hessian

    def f(X):
        return np.log1p(X[:, 0]) * np.cos(X[:, 1]) + X[:, 0] * X[:, 1] ** 3

    X = np.random.default_rng(8).uniform(0.0, 1.0, (25, 2))
    X[:5, 0] = 0.0  # on the lower bound of x_0: one-sided stencils
    out = {}
    for c in (10**9, chunk):
        monkeypatch.setattr(_evaluate, "CHUNK_COORDS", c)
        out[c] = (
            gradient(f, X, vectorized=True, bounds=([0.0, -np.inf], np.inf), return_error=True),
            hessian(f, X[5:], vectorized=True, return_error=True),
        )
    for a, b in zip(out[10**9], out[chunk]):
        np.testing.assert_array_equal(a.value, b.value)
        np.testing.assert_array_equal(a.error, b.error)
        assert a.nfev == b.nfev
