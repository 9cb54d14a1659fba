"""Shared fixtures for the grid interpolant tests."""

import numpy as np
import pytest


def jittered(n, lo, hi, rng, frac=0.2):
    """A well-conditioned non-uniform grid: linspace with small jitter."""
    g = np.linspace(lo, hi, n)
    h = (hi - lo) / (n - 1)
    g[1:-1] += rng.uniform(-frac, frac, n - 2) * h
    return g


@pytest.fixture
def make_grid():
    return jittered


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
