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
