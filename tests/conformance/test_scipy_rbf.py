"""scipy's own ``test_rbfinterp.py`` (from the installed wheel) run against gradkit's
``RBFInterpolator``."""

import scipy.interpolate

import gradkit

from ._peer import load_peer_tests, share_capabilities

share_capabilities(scipy.interpolate.RBFInterpolator, gradkit.RBFInterpolator)
load_peer_tests("scipy.interpolate.tests.test_rbfinterp", ("RBFInterpolator",), globals())
