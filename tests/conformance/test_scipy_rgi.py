"""scipy's own ``test_rgi.py`` (from the installed wheel) run against gradkit's
``RegularGridInterpolator`` and ``interpn``."""

import scipy.interpolate

import gradkit

from ._peer import load_peer_tests, share_capabilities

share_capabilities(scipy.interpolate.RegularGridInterpolator, gradkit.RegularGridInterpolator)
share_capabilities(scipy.interpolate.interpn, gradkit.interpn)
load_peer_tests(
    "scipy.interpolate.tests.test_rgi", ("RegularGridInterpolator", "interpn"), globals()
)
