"""The plain-numpy small-input path: the same numbers as the kernels, and no numba."""

import os
import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose

from gradkit._parallel import set_small_inputs
from gradkit.rbf import RBFInterpolator, _kernels, _numpy, _radial
from gradkit.rbf._rbfinterp import _AVAILABLE, _KERNEL_CODES, _NAME_TO_MIN_DEGREE, _monomial_powers


@pytest.fixture
def small_inputs():
    """Small inputs take the numpy path unless a test turns it off (and it is restored)."""
    previous = set_small_inputs(True)
    yield set_small_inputs
    set_small_inputs(previous)


@pytest.mark.parametrize("kernel", sorted(_AVAILABLE))
def test_radial_formulas_are_the_same_in_numpy_and_numba(kernel):
    s2 = np.array([0.0, 1e-300, 1e-12, 1e-3, 0.25, 1.0, 2.0, 9.0, 50.0, 700.0, np.nan, np.inf])
    code = _KERNEL_CODES[kernel]
    out = np.empty((s2.size, 3))
    _kernels.phi_derivs_values(code, s2, out)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ref = np.stack(_radial.FORMULAS[code](s2), axis=1)
    # numpy's exp against the kernels' 1-ulp exp: a few ulps after the products
    assert_allclose(out, ref, rtol=1e-14, atol=0, equal_nan=True)


def _problem(ndim, kernel, n=40, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.random((n, ndim))
    eps = 1.0 if kernel in ("linear", "thin_plate_spline", "cubic", "quintic") else 2.5
    degree = max(_NAME_TO_MIN_DEGREE.get(kernel, 0), 0)
    return rng, y, eps, _monomial_powers(ndim, degree)


@pytest.mark.parametrize("ndim", [1, 2, 3])
@pytest.mark.parametrize("kernel", sorted(_AVAILABLE))
def test_numpy_system_matches_the_kernels(kernel, ndim):
    rng, y, eps, powers = _problem(ndim, kernel)
    shift = (y.max(0) + y.min(0)) / 2
    scale = (y.max(0) - y.min(0)) / 2
    yhat = (y - shift) / scale
    smoothing = rng.random(y.shape[0])
    code = _KERNEL_CODES[kernel]
    m = powers.shape[0]
    ours = _numpy.build_system(y * eps, yhat, smoothing, code, powers)
    theirs = np.empty((y.shape[0] + m, y.shape[0] + m))
    _kernels.build_system(y * eps, yhat, smoothing, code, powers, theirs)
    assert_allclose(ours, theirs, rtol=1e-14, atol=1e-15 * np.abs(theirs).max())


@pytest.mark.parametrize("ndim", [1, 2, 3])
@pytest.mark.parametrize("kernel", sorted(_AVAILABLE))
def test_numpy_evaluation_matches_the_kernels(kernel, ndim):
    rng, y, eps, powers = _problem(ndim, kernel)
    n, m, ns = y.shape[0], powers.shape[0], 2
    coeffs = rng.standard_normal((n + m, ns))
    shift = rng.standard_normal(ndim)
    scale = 0.5 + rng.random(ndim)
    x = rng.random((9, ndim))
    x[0] = y[3]  # the centre's own term (the conventions at r = 0)
    x[1, 0] = np.nan
    code = _KERNEL_CODES[kernel]
    ours = _numpy.evaluate(x, y * eps, eps, code, powers, shift, scale, coeffs, 2)
    theirs = (np.empty((9, ns)), np.empty((9, ns, ndim)), np.empty((9, ns, ndim, ndim)))
    yt = np.ascontiguousarray((y * eps).T)
    ct = np.ascontiguousarray(coeffs.T)
    _kernels.evaluate(x, yt, eps, code, powers, shift, scale, ct, 2, *theirs)
    # the size of the summed terms (the outputs can be sums that cancel to ~0)
    ok = ~np.isnan(x).any(axis=1)
    s2 = (((x[ok, None, :] - y[None]) * eps) ** 2).sum(axis=-1)
    phi, g1, g2 = (np.abs(f) for f in _radial.FORMULAS[code](s2))
    w = np.abs(coeffs[:n]).sum(axis=1)
    terms = [phi @ w, eps * (g1 * np.sqrt(s2)) @ w, eps**2 * (g1 + g2 * s2) @ w]
    for a, b, size in zip(ours, theirs, terms, strict=True):
        assert np.all(np.isnan(a[1])) and np.all(np.isnan(b[1]))
        atol = 1e-13 * (size.max() + 100 * np.abs(coeffs[n:]).sum())
        assert_allclose(a[ok], b[ok], rtol=1e-11, atol=atol)


def test_public_calls_agree_across_the_thresholds(small_inputs):
    rng = np.random.default_rng(3)
    for n in (_numpy.FIT_MAX_POINTS, _numpy.FIT_MAX_POINTS + 1):
        y = rng.random((n, 2))
        d = np.sin(3 * y[:, 0]) + y[:, 1] ** 2
        x = rng.random((5, 2))
        results = []
        for enabled in (True, False):
            small_inputs(enabled)
            f = RBFInterpolator(y, d, kernel="cubic")
            results.append(f.value_gradient_hessian(x))
        small_inputs(True)
        # two solves of a system with condition number ~1e9 (numpy's and scipy's dgesv)
        for a, b in zip(*results, strict=True):
            assert_allclose(a, b, rtol=1e-8, atol=1e-9 * np.abs(b).max())
    # evaluation: the first rows of a call above the threshold and of one below it
    y = rng.random((64, 3))
    f = RBFInterpolator(y, np.cos(y).sum(axis=1), kernel="gaussian", epsilon=2.0)
    rows = _numpy.EVALUATION_MAX_PAIRS // 64
    x = rng.random((rows + 1, 3))
    assert _numpy.use_for_evaluation(rows, 64) and not _numpy.use_for_evaluation(rows + 1, 64)
    below = f.value_gradient_hessian(x[:rows])
    above = f.value_gradient_hessian(x)
    for a, b in zip(below, above, strict=True):
        assert_allclose(a, b[:rows], rtol=1e-12, atol=1e-13)


def test_kernel_tests_turn_the_numpy_path_off(small_inputs):
    small_inputs(False)
    assert not _numpy.use_for_fit(10) and not _numpy.use_for_evaluation(1, 10)
    small_inputs(True)
    assert _numpy.use_for_fit(200) and _numpy.use_for_evaluation(50, 200)


def test_a_small_fit_and_evaluation_never_import_numba():
    code = (
        "import sys, numpy as np\n"
        "from gradkit.rbf import RBFInterpolator\n"
        "rng = np.random.default_rng(0)\n"
        "y = rng.random((200, 2))\n"
        "f = RBFInterpolator(y, np.sin(3 * y[:, 0]) + y[:, 1] ** 2)\n"
        "v, g = f.value_and_gradient(rng.random((50, 2)))\n"
        "assert v.shape == (50,) and g.shape == (50, 2)\n"
        "print('numba' in sys.modules, 'scipy.linalg' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GRADKIT_SMALL_INPUTS"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == ["False", "False"]
