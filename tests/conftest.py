import os

import numpy as np
import pytest
from hypothesis import settings

# The README's test command is reproducible: hypothesis draws the same examples on every
# run. HYPOTHESIS_PROFILE=explore searches afresh (a random seed per run); add what it
# finds as an @example.
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture(autouse=True)
def _kernel_tests_reach_the_kernels(request):
    """Tests marked `kernels` turn the plain-numpy small-input paths off, so that every
    call in them runs (and, under NUMBA_BOUNDSCHECK=1, bounds-checks) the numba kernels."""
    if request.node.get_closest_marker("kernels") is None:
        yield
        return
    from gradkit._parallel import set_small_inputs

    previous = set_small_inputs(False)
    try:
        yield
    finally:
        set_small_inputs(previous)
