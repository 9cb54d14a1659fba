"""numpy's own ``TestGradient`` (from the installed wheel) run against ``gradkit.gradient``."""

from ._peer import load_peer_tests

load_peer_tests(
    "numpy.lib.tests.test_function_base", ("gradient",), globals(), keep={"TestGradient"}
)
