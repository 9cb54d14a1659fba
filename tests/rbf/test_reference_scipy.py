"""scipy's own RBFInterpolator test suite, run against gradkit, plus side-by-side checks.

``_TestRBFInterpolator`` mirrors ``scipy/interpolate/tests/test_rbfinterp.py``: one
abstract suite with a ``build()`` hook, subclassed per configuration (global direct,
global iterative, local with 20 neighbours, ``neighbors=inf``).
"""

import pickle
import threading

import numpy as np
import pytest
from numpy.linalg import LinAlgError
from numpy.testing import assert_allclose
from scipy.interpolate import RBFInterpolator as ScipyRBF
from scipy.spatial import cKDTree
from scipy.stats.qmc import Halton

from gradkit.rbf import RBFInterpolator
from gradkit.rbf._rbfinterp import (
    _AVAILABLE,
    _NAME_TO_MIN_DEGREE,
    _SCALE_INVARIANT,
    _SCIPY_KERNELS,
    _monomial_powers,
)

pytestmark = pytest.mark.kernels


def _vandermonde(x, degree):
    powers = _monomial_powers(x.shape[1], degree)
    return np.prod(x[:, None, :] ** powers, axis=-1)


def _1d_test_function(x):
    x = x[:, 0]
    return 4.26 * (np.exp(-x) - 4 * np.exp(-2 * x) + 3 * np.exp(-3 * x))


def _2d_test_function(x):
    x1, x2 = x[:, 0], x[:, 1]
    term1 = 0.75 * np.exp(-((9 * x1 - 2) ** 2) / 4 - (9 * x2 - 2) ** 2 / 4)
    term2 = 0.75 * np.exp(-((9 * x1 + 1) ** 2) / 49 - (9 * x2 + 1) / 10)
    term3 = 0.5 * np.exp(-((9 * x1 - 7) ** 2) / 4 - (9 * x2 - 3) ** 2 / 4)
    term4 = -0.2 * np.exp(-((9 * x1 - 4) ** 2) - (9 * x2 - 7) ** 2)
    return term1 + term2 + term3 + term4


def _seq(ndim, seed=0):
    return Halton(ndim, scramble=False, seed=np.random.RandomState(seed))


class _TestRBFInterpolator:
    def build(self, *args, **kwargs):  # pragma: no cover - overridden
        raise NotImplementedError

    @pytest.mark.parametrize("kernel", sorted(_SCALE_INVARIANT))
    def test_scale_invariance_1d(self, kernel):
        seq = _seq(1)
        x = 3 * seq.random(50)
        y = _1d_test_function(x)
        xitp = 3 * seq.random(50)
        yitp1 = self.build(x, y, epsilon=1.0, kernel=kernel)(xitp)
        yitp2 = self.build(x, y, epsilon=2.0, kernel=kernel)(xitp)
        assert_allclose(yitp1, yitp2, atol=1e-8)

    @pytest.mark.parametrize("kernel", sorted(_SCALE_INVARIANT))
    def test_scale_invariance_2d(self, kernel):
        seq = _seq(2)
        x = seq.random(100)
        y = _2d_test_function(x)
        xitp = seq.random(100)
        yitp1 = self.build(x, y, epsilon=1.0, kernel=kernel)(xitp)
        yitp2 = self.build(x, y, epsilon=2.0, kernel=kernel)(xitp)
        assert_allclose(yitp1, yitp2, atol=1e-8)

    @pytest.mark.parametrize("kernel", sorted(_AVAILABLE))
    def test_extreme_domains(self, kernel):
        seq = _seq(2)
        scale = 1e50
        shift = 1e55
        x = seq.random(100)
        y = _2d_test_function(x)
        xitp = seq.random(100)
        if kernel in _SCALE_INVARIANT:
            yitp1 = self.build(x, y, kernel=kernel)(xitp)
            yitp2 = self.build(x * scale + shift, y, kernel=kernel)(xitp * scale + shift)
        else:
            yitp1 = self.build(x, y, epsilon=5.0, kernel=kernel)(xitp)
            yitp2 = self.build(x * scale + shift, y, epsilon=5.0 / scale, kernel=kernel)(
                xitp * scale + shift
            )
        assert_allclose(yitp1, yitp2, atol=1e-8)

    def test_polynomial_reproduction(self):
        rng = np.random.RandomState(0)
        seq = Halton(2, scramble=False, seed=rng)
        degree = 3
        x = seq.random(50)
        xitp = seq.random(50)
        P = _vandermonde(x, degree)
        Pitp = _vandermonde(xitp, degree)
        poly_coeffs = rng.normal(0.0, 1.0, P.shape[1])
        y = P.dot(poly_coeffs)
        yitp1 = Pitp.dot(poly_coeffs)
        yitp2 = self.build(x, y, degree=degree)(xitp)
        assert_allclose(yitp1, yitp2, atol=1e-8)

    def test_vector_data(self):
        seq = _seq(2)
        x = seq.random(100)
        xitp = seq.random(100)
        y = np.array([_2d_test_function(x), _2d_test_function(x[:, ::-1])]).T
        yitp1 = self.build(x, y)(xitp)
        yitp2 = self.build(x, y[:, 0])(xitp)
        yitp3 = self.build(x, y[:, 1])(xitp)
        assert_allclose(yitp1[:, 0], yitp2)
        assert_allclose(yitp1[:, 1], yitp3)

    def test_complex_data(self):
        seq = _seq(2)
        x = seq.random(100)
        xitp = seq.random(100)
        y = _2d_test_function(x) + 1j * _2d_test_function(x[:, ::-1])
        yitp1 = self.build(x, y)(xitp)
        yitp2 = self.build(x, y.real)(xitp)
        yitp3 = self.build(x, y.imag)(xitp)
        assert_allclose(yitp1.real, yitp2)
        assert_allclose(yitp1.imag, yitp3)

    @pytest.mark.parametrize("kernel", sorted(_SCIPY_KERNELS))
    def test_interpolation_misfit_1d(self, kernel):
        seq = _seq(1)
        x = 3 * seq.random(50)
        xitp = 3 * seq.random(50)
        y = _1d_test_function(x)
        ytrue = _1d_test_function(xitp)
        yitp = self.build(x, y, epsilon=5.0, kernel=kernel)(xitp)
        mse = np.mean((yitp - ytrue) ** 2)
        assert mse < 1.0e-4

    @pytest.mark.parametrize("kernel", sorted(_SCIPY_KERNELS))
    def test_interpolation_misfit_2d(self, kernel):
        seq = _seq(2)
        x = seq.random(100)
        xitp = seq.random(100)
        y = _2d_test_function(x)
        ytrue = _2d_test_function(xitp)
        yitp = self.build(x, y, epsilon=5.0, kernel=kernel)(xitp)
        mse = np.mean((yitp - ytrue) ** 2)
        assert mse < 2.0e-4

    @pytest.mark.parametrize("kernel", sorted(_AVAILABLE))
    def test_smoothing_misfit(self, kernel):
        rng = np.random.RandomState(0)
        seq = Halton(1, scramble=False, seed=rng)
        noise = 0.2
        rmse_tol = 0.1
        smoothing_range = 10 ** np.linspace(-4, 1, 20)
        x = 3 * seq.random(100)
        y = _1d_test_function(x) + rng.normal(0.0, noise, (100,))
        ytrue = _1d_test_function(x)
        rmse_within_tol = False
        for smoothing in smoothing_range:
            ysmooth = self.build(x, y, epsilon=1.0, smoothing=smoothing, kernel=kernel)(x)
            rmse = np.sqrt(np.mean((ysmooth - ytrue) ** 2))
            if rmse < rmse_tol:
                rmse_within_tol = True
                break
        assert rmse_within_tol

    def test_array_smoothing(self):
        rng = np.random.RandomState(0)
        seq = Halton(1, scramble=False, seed=rng)
        degree = 2
        x = seq.random(50)
        P = _vandermonde(x, degree)
        poly_coeffs = rng.normal(0.0, 1.0, P.shape[1])
        y = P.dot(poly_coeffs)
        y_with_outlier = np.copy(y)
        y_with_outlier[10] += 1.0
        smoothing = np.zeros((50,))
        smoothing[10] = 1000.0
        yitp = self.build(x, y_with_outlier, smoothing=smoothing)(x)
        assert_allclose(yitp, y, atol=1e-4)

    def test_inconsistent_x_dimensions_error(self):
        y = _seq(2).random(10)
        d = _2d_test_function(y)
        x = _seq(1).random(10)
        with pytest.raises(ValueError, match="Expected the second axis of `x`"):
            self.build(y, d)(x)

    def test_inconsistent_d_length_error(self):
        y = np.linspace(0, 1, 5)[:, None]
        d = np.zeros(1)
        with pytest.raises(ValueError, match="Expected the first axis of `d`"):
            self.build(y, d)

    def test_y_not_2d_error(self):
        y = np.linspace(0, 1, 5)
        d = np.zeros(5)
        with pytest.raises(ValueError, match="`y` must be a 2-dimensional array."):
            self.build(y, d)

    def test_inconsistent_smoothing_length_error(self):
        y = np.linspace(0, 1, 5)[:, None]
        d = np.zeros(5)
        smoothing = np.ones(1)
        with pytest.raises(ValueError, match="Expected `smoothing` to be"):
            self.build(y, d, smoothing=smoothing)

    def test_invalid_kernel_name_error(self):
        y = np.linspace(0, 1, 5)[:, None]
        d = np.zeros(5)
        with pytest.raises(ValueError, match="`kernel` must be one of"):
            self.build(y, d, kernel="test")

    def test_epsilon_not_specified_error(self):
        y = np.linspace(0, 1, 5)[:, None]
        d = np.zeros(5)
        for kernel in _AVAILABLE:
            if kernel in _SCALE_INVARIANT:
                continue
            with pytest.raises(ValueError, match="`epsilon` must be specified"):
                self.build(y, d, kernel=kernel)

    def test_x_not_2d_error(self):
        y = np.linspace(0, 1, 5)[:, None]
        x = np.linspace(0, 1, 5)
        d = np.zeros(5)
        with pytest.raises(ValueError, match="`x` must be a 2-dimensional array."):
            self.build(y, d)(x)

    def test_not_enough_observations_error(self):
        y = np.linspace(0, 1, 1)[:, None]
        d = np.zeros(1)
        with pytest.raises(ValueError, match="At least 2 data points are required"):
            self.build(y, d, kernel="thin_plate_spline")

    def test_degree_warning(self):
        y = np.linspace(0, 1, 5)[:, None]
        d = np.zeros(5)
        for kernel, deg in _NAME_TO_MIN_DEGREE.items():
            if deg >= 1:
                with pytest.warns(Warning, match=f"`degree` should not be below {deg}"):
                    self.build(y, d, epsilon=1.0, kernel=kernel, degree=deg - 1)

    def test_minus_one_degree(self):
        y = np.linspace(0, 1, 5)[:, None]
        d = np.zeros(5)
        for kernel in _NAME_TO_MIN_DEGREE:
            self.build(y, d, epsilon=1.0, kernel=kernel, degree=-1)

    def test_rank_error(self):
        y = np.array([[2.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
        d = np.array([0.0, 0.0, 0.0])
        with pytest.raises(LinAlgError, match="does not have full column rank"):
            self.build(y, d, kernel="thin_plate_spline")(y)

    def test_single_point(self):
        for dim in [1, 2, 3]:
            y = np.zeros((1, dim))
            d = np.ones((1,))
            f = self.build(y, d, kernel="linear")(y)
            assert_allclose(f, d)

    def test_pickleable(self):
        seq = _seq(1, 2305982309)
        x = 3 * seq.random(50)
        xitp = 3 * seq.random(50)
        y = _1d_test_function(x)
        interp = self.build(x, y)
        yitp1 = interp(xitp)
        yitp2 = pickle.loads(pickle.dumps(interp))(xitp)
        assert_allclose(yitp1, yitp2, atol=1e-16)
        g1 = interp.value_and_gradient(xitp)[1]
        g2 = pickle.loads(pickle.dumps(interp)).value_and_gradient(xitp)[1]
        assert_allclose(g1, g2, atol=1e-16)

    # gradkit: the same values as scipy, side by side
    @pytest.mark.parametrize("kernel", sorted(_SCIPY_KERNELS))
    def test_matches_scipy(self, kernel):
        seq = _seq(2, 7)
        x = seq.random(80)
        xitp = seq.random(40)
        d = np.stack([_2d_test_function(x), x[:, 0] - x[:, 1] ** 2], axis=1)
        kw = {"kernel": kernel, "epsilon": 3.0, "smoothing": 1e-3}
        ours = self.build(x, d, **kw)(xitp)
        ref = self.scipy_build(x, d, **kw)(xitp)
        assert ours.dtype == ref.dtype and ours.shape == ref.shape
        assert_allclose(ours, ref, rtol=1e-7, atol=1e-9)


class TestRBFInterpolatorNeighborsNone(_TestRBFInterpolator):
    def build(self, *args, **kwargs):
        return RBFInterpolator(*args, **kwargs)

    def scipy_build(self, *args, **kwargs):
        return ScipyRBF(*args, **kwargs)

    def test_smoothing_limit_1d(self):
        seq = _seq(1)
        degree = 3
        smoothing = 1e8
        x = 3 * seq.random(50)
        xitp = 3 * seq.random(50)
        y = _1d_test_function(x)
        yitp1 = self.build(x, y, degree=degree, smoothing=smoothing)(xitp)
        P = _vandermonde(x, degree)
        Pitp = _vandermonde(xitp, degree)
        yitp2 = Pitp.dot(np.linalg.lstsq(P, y, rcond=None)[0])
        assert_allclose(yitp1, yitp2, atol=1e-8)

    def test_smoothing_limit_2d(self):
        seq = _seq(2)
        degree = 3
        smoothing = 1e8
        x = seq.random(100)
        xitp = seq.random(100)
        y = _2d_test_function(x)
        yitp1 = self.build(x, y, degree=degree, smoothing=smoothing)(xitp)
        P = _vandermonde(x, degree)
        Pitp = _vandermonde(xitp, degree)
        yitp2 = Pitp.dot(np.linalg.lstsq(P, y, rcond=None)[0])
        assert_allclose(yitp1, yitp2, atol=1e-8)

    @pytest.mark.parametrize("kernel", sorted(_SCIPY_KERNELS))
    def test_same_values_default_degree_no_smoothing(self, kernel):
        seq = _seq(3, 3)
        x = seq.random(60)
        xitp = seq.random(30)
        d = np.sin(x.sum(axis=1))
        ours = self.build(x, d, kernel=kernel, epsilon=2.0)(xitp)
        ref = self.scipy_build(x, d, kernel=kernel, epsilon=2.0)(xitp)
        assert_allclose(ours, ref, rtol=1e-6, atol=1e-8)


class TestRBFInterpolatorIterative(TestRBFInterpolatorNeighborsNone):
    # the matrix-free solver; a tight tolerance makes it agree with the dense solve
    def build(self, *args, **kwargs):
        return RBFInterpolator(*args, **kwargs, solver="iterative", tol=1e-10, maxiter=5000)

    def test_rank_error(self):
        y = np.array([[2.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
        d = np.array([0.0, 0.0, 0.0])
        with pytest.raises(LinAlgError, match="does not have full column rank"):
            self.build(y, d, kernel="thin_plate_spline")

    def test_minus_one_degree(self):
        # degree -1 with a conditionally positive-definite kernel is an indefinite
        # system: CG cannot solve it and says so (the direct solver can).
        from gradkit.rbf import ConvergenceError

        y = np.linspace(0, 1, 5)[:, None]
        d = np.linspace(1, 2, 5)
        for kernel in _NAME_TO_MIN_DEGREE:
            with pytest.raises(ConvergenceError, match="not positive definite"):
                self.build(y, d, epsilon=1.0, kernel=kernel, degree=-1)


class TestRBFInterpolatorNeighbors20(_TestRBFInterpolator):
    def build(self, *args, **kwargs):
        return RBFInterpolator(*args, **kwargs, neighbors=20)

    def scipy_build(self, *args, **kwargs):
        return ScipyRBF(*args, **kwargs, neighbors=20)

    def test_equivalent_to_rbf_interpolator(self):
        seq = _seq(2)
        x = seq.random(100)
        xitp = seq.random(100)
        y = _2d_test_function(x)
        yitp1 = self.build(x, y)(xitp)
        yitp2 = []
        tree = cKDTree(x)
        for xi in xitp:
            _, nbr = tree.query(xi, 20)
            yitp2.append(RBFInterpolator(x[nbr], y[nbr])(xi[None])[0])
        assert_allclose(yitp1, yitp2, atol=1e-8)

    def test_concurrency(self):
        seq = _seq(2)
        x = seq.random(100)
        xitp = seq.random(100)
        y = _2d_test_function(x)
        interp = self.build(x, y)
        expected = interp(xitp)
        results = [None] * 6
        barrier = threading.Barrier(6)

        def worker(i):
            barrier.wait()
            results[i] = interp.value_and_gradient(xitp)[0]

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for r in results:
            assert_allclose(r, expected, rtol=0, atol=0)


class TestRBFInterpolatorNeighborsInf(TestRBFInterpolatorNeighborsNone):
    def build(self, *args, **kwargs):
        return RBFInterpolator(*args, **kwargs, neighbors=np.inf)

    def scipy_build(self, *args, **kwargs):
        return ScipyRBF(*args, **kwargs, neighbors=np.inf)

    def test_equivalent_to_rbf_interpolator(self):
        seq = _seq(1)
        x = 3 * seq.random(50)
        xitp = 3 * seq.random(50)
        y = _1d_test_function(x)
        yitp1 = self.build(x, y)(xitp)
        yitp2 = RBFInterpolator(x, y)(xitp)
        assert_allclose(yitp1, yitp2, atol=1e-8)
