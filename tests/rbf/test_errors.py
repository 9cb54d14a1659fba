"""Bad input: clear errors naming the argument (and scipy's errors where scipy has one)."""

import numpy as np
import pytest
from numpy.linalg import LinAlgError
from numpy.testing import assert_allclose
from scipy.interpolate import RBFInterpolator as ScipyRBF

from gradkit.rbf import RBFInterpolator

pytestmark = pytest.mark.kernels


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    y = rng.random((20, 2))
    return y, np.sin(y[:, 0]) + y[:, 1]


@pytest.mark.parametrize("name", ["y", "d", "smoothing"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input(data, name, bad):
    # `smoothing` must be finite; NaN/inf in `y` or `d` behave as in scipy (a global fit
    # spoils the outputs that depend on them; scipy's KDTree rejects non-finite `y` in
    # local mode)
    y, d = data
    kw = {"y": y.copy(), "d": d.copy(), "smoothing": np.zeros(20)}
    kw[name][3] = bad
    if name == "smoothing":
        with pytest.raises(
            ValueError, match=f"`{name}` must contain only finite values; got [12] NaN or infinite"
        ):
            RBFInterpolator(**kw)
        return
    x = np.random.default_rng(2).random((4, 2))
    assert_allclose(RBFInterpolator(**kw)(x), ScipyRBF(**kw)(x), equal_nan=True)
    assert np.all(np.isnan(RBFInterpolator(**kw)(x)))
    if name == "y":
        with pytest.raises(ValueError, match="`y` must contain only finite values when `nei"):
            RBFInterpolator(**kw, neighbors=5)


@pytest.mark.parametrize("neighbors", [None, 10])
def test_duplicate_points_with_different_values(data, neighbors):
    y, d = data
    y[5] = y[3]
    d[5] = d[3] + 1.0
    with pytest.raises(LinAlgError, match=r"coincident data points.*pass `smoothing` > 0"):
        RBFInterpolator(y, d, neighbors=neighbors)
    # smoothing makes the problem well posed: the fit averages the two values
    f = RBFInterpolator(y, d, smoothing=1e-3, neighbors=neighbors)
    assert np.all(np.isfinite(f(y)))
    # a smoothed pair is fine even if all others are interpolated
    s = np.zeros(20)
    s[5] = 1e-3
    RBFInterpolator(y, d, smoothing=s)


@pytest.mark.parametrize("neighbors", [None, 10])
def test_duplicate_points_with_equal_values_are_used_once(data, neighbors):
    # scipy accepts these but solves a singular system (values off by ~10%); gradkit
    # solves on one copy, which is the same interpolant, well conditioned.
    y, d = data
    y[5] = y[3]
    d[5] = d[3]
    x = np.random.default_rng(1).random((5, 2))
    keep = np.arange(20) != 5
    ref = ScipyRBF(y[keep], d[keep], neighbors=neighbors)(x)
    assert_allclose(RBFInterpolator(y, d, neighbors=neighbors)(x), ref, rtol=1e-10)
    it = RBFInterpolator(y, d, solver="iterative", tol=1e-12)
    assert_allclose(it(x), ScipyRBF(y[keep], d[keep])(x), rtol=1e-7)


def test_query_dimension_mismatch(data):
    y, d = data
    f = RBFInterpolator(y, d)
    with pytest.raises(ValueError, match=r"last axis of `x` to have length 2 .*columns of `y`"):
        f.value_and_gradient(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"`x` must have shape \(\.\.\., 2\)"):
        f.value_gradient_hessian(np.zeros(2))
    with pytest.raises(ValueError, match="Expected the second axis of `x` to have length 2"):
        f(np.zeros((4, 3)))


def test_d_length_mismatch(data):
    y, d = data
    with pytest.raises(ValueError, match="Expected the first axis of `d` to have length 20"):
        RBFInterpolator(y, d[:-1])
    with pytest.raises(ValueError, match="Expected the first axis of `d` to have length 20"):
        RBFInterpolator(y, 1.0)


def test_epsilon_missing_is_scipys_error(data):
    y, d = data
    for kernel in ["gaussian", "exponential", "matern32", "matern52", "multiquadric"]:
        with pytest.raises(ValueError, match="`epsilon` must be specified if `kernel`"):
            RBFInterpolator(y, d, kernel=kernel)


def test_degree_warning_text_is_scipys(data):
    y, d = data
    with pytest.warns(UserWarning) as ours:
        RBFInterpolator(y, d, kernel="thin_plate_spline", degree=0)
    with pytest.warns(UserWarning) as theirs:
        ScipyRBF(y, d, kernel="thin_plate_spline", degree=0)
    assert str(ours[0].message) == str(theirs[0].message)


def test_degree_below_minus_one(data):
    y, d = data
    with pytest.raises(ValueError, match="`degree` must be at least -1."):
        RBFInterpolator(y, d, degree=-2)


def test_kernel_type_and_name(data):
    y, d = data
    with pytest.raises(TypeError, match="`kernel` must be a string; got 3"):
        RBFInterpolator(y, d, kernel=3)
    with pytest.raises(ValueError, match="`kernel` must be one of .*'matern52'.*got 'foo'"):
        RBFInterpolator(y, d, kernel="foo")


def test_solver_options(data):
    y, d = data
    with pytest.raises(ValueError, match="`solver` must be one of 'auto', 'direct', 'iterative'"):
        RBFInterpolator(y, d, solver="cholesky")
    with pytest.raises(ValueError, match="`preconditioner` must be one of"):
        RBFInterpolator(y, d, preconditioner="ilu")
    with pytest.raises(ValueError, match="`tol` must be a number between 0 and 1; got 2"):
        RBFInterpolator(y, d, tol=2)
    with pytest.raises(ValueError, match="`maxiter` must be a positive integer; got 0"):
        RBFInterpolator(y, d, maxiter=0)
    with pytest.raises(ValueError, match="`preconditioner_rank` must be an integer >= 1; got 0"):
        RBFInterpolator(y, d, preconditioner_rank=0)
    with pytest.raises(TypeError, match="`memory_budget` must be an integer; got 1.5"):
        RBFInterpolator(y, d, memory_budget=1.5)
    RBFInterpolator(y, d, tol=np.float32(1e-6))


def test_neighbors_zero(data):
    y, d = data
    with pytest.raises(ValueError, match="`neighbors` must be at least 1; got 0"):
        RBFInterpolator(y, d, neighbors=0, degree=-1)


def test_nan_query_spoils_only_its_row(data):
    y, d = data
    x = np.array([[0.5, 0.5], [np.nan, 0.2], [0.1, 0.9]])
    for nb in [None, 8]:
        v, g = RBFInterpolator(y, d, neighbors=nb).value_and_gradient(x)
        assert np.isnan(v[1]) and np.all(np.isnan(g[1]))
        assert np.all(np.isfinite(v[[0, 2]])) and np.all(np.isfinite(g[[0, 2]]))


def test_local_singular_neighbourhood_is_scipys_error():
    y = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0], [0.0, 5.0]])
    d = np.arange(5.0)
    f = RBFInterpolator(y, d, neighbors=3)
    with pytest.raises(LinAlgError, match="does not have full column rank"):
        f(np.array([[1.0, 0.1]]))
