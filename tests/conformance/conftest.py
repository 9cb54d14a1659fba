"""The fixture the peers' suites expect, and the documented exceptions.

The peers' suites run under scipy's own ``xp`` fixture (numpy backend); their markers are
registered in pyproject.toml (they must be known before this directory is collected). Every
test that is expected to fail against gradkit is listed in ``EXPECTED_FAILURES`` with its
reason and marked as a strict xfail: if it starts passing, the run fails and the entry must
go.
"""

import os

import pytest
from hypothesis import settings
from scipy.conftest import xp  # noqa: F401 - the fixture scipy's suites are written for

# importing scipy's conftest loads scipy's hypothesis profile for the whole run; put back
# the profile of gradkit's own suite (tests/conftest.py)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# node-id substring -> why the test cannot pass against gradkit
EXPECTED_FAILURES = {
    "test_scipy_rgi.py::TestRegularGridInterpolator::test_concurrency": (
        "reads scipy's private `_spline` attribute; gradkit keeps its plans elsewhere, and "
        "tests/grid/test_concurrency.py checks that calls from many threads with another "
        "method leave the object unchanged"
    ),
    "test_scipy_rbf.py::TestRBFInterpolatorNeighborsNone::test_chunking": (
        "monkeypatches scipy's private `_chunk_evaluator(..., memory_budget=)`; gradkit "
        "chunks its evaluation inside the kernels and has no such method"
    ),
    "test_scipy_rbf.py::TestRBFInterpolatorNeighbors20::test_chunking": (
        "monkeypatches scipy's private `_chunk_evaluator(..., memory_budget=)`"
    ),
    "test_scipy_rbf.py::TestRBFInterpolatorNeighborsInf::test_chunking": (
        "monkeypatches scipy's private `_chunk_evaluator(..., memory_budget=)`"
    ),
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        for key, reason in EXPECTED_FAILURES.items():
            if key in item.nodeid:
                item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
