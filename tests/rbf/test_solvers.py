"""The matrix-free iterative solver and the automatic choice of solver."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.stats.qmc import Halton

from gradkit.rbf import ConvergenceError, RBFInterpolator, _rbfinterp

pytestmark = pytest.mark.kernels


@pytest.fixture(scope="module")
def ring():
    # the KeOps tutorial's 2-D problem, small
    rng = np.random.default_rng(0)
    y = rng.random((400, 2))
    r = np.linalg.norm(y - 0.5, axis=1)
    d = ((r > 0.3) & (r < 0.4)).astype(float) + 0.05 * rng.standard_normal(400)
    x = rng.random((50, 2))
    return y, d, x


@pytest.mark.parametrize("preconditioner", ["nystrom", "jacobi", "none"])
def test_iterative_matches_direct_gaussian_ridge(ring, preconditioner):
    y, d, x = ring
    kw = {"kernel": "gaussian", "epsilon": 1 / (0.1 * np.sqrt(2)), "smoothing": 1.0, "degree": -1}
    ref = RBFInterpolator(y, d, solver="direct", **kw)
    it = RBFInterpolator(y, d, solver="iterative", tol=1e-10, preconditioner=preconditioner, **kw)
    assert it.solver == "iterative" and ref.solver == "direct"
    assert it.n_iterations > 0 and it.residual <= 1e-10
    assert it.preconditioner.startswith(preconditioner)
    v0, g0, h0 = ref.value_gradient_hessian(x)
    v1, g1, h1 = it.value_gradient_hessian(x)
    assert_allclose(v1, v0, rtol=1e-8, atol=1e-9)
    assert_allclose(g1, g0, rtol=1e-7, atol=1e-7)
    assert_allclose(h1, h0, rtol=1e-6, atol=1e-5)


def test_nystrom_needs_fewer_iterations(ring):
    y, d, _ = ring
    kw = {"kernel": "gaussian", "epsilon": 7.0, "smoothing": 0.1, "degree": -1}
    n_pre = RBFInterpolator(y, d, solver="iterative", **kw).n_iterations
    n_none = RBFInterpolator(y, d, solver="iterative", preconditioner="none", **kw).n_iterations
    assert n_pre < n_none / 3


@pytest.mark.parametrize(
    ("kernel", "degree"),
    [
        ("thin_plate_spline", 1),
        ("cubic", 2),
        ("multiquadric", 0),
        ("gaussian", 0),
        ("matern52", 1),
        ("exponential", -1),
    ],
)
def test_iterative_with_polynomial_tail(ring, kernel, degree):
    y, d, x = ring
    d2 = np.stack([d, y[:, 0] ** 2], axis=1)
    kw = {"kernel": kernel, "epsilon": 3.0, "smoothing": 1e-2, "degree": degree}
    ref = RBFInterpolator(y, d2, **kw)
    it = RBFInterpolator(y, d2, solver="iterative", tol=1e-11, **kw)
    assert_allclose(it(x), ref(x), rtol=1e-7, atol=1e-8)
    assert_allclose(it.value_and_gradient(x)[1], ref.value_and_gradient(x)[1], atol=1e-6)


def test_not_converging_raises(ring):
    y, d, _ = ring
    with pytest.raises(ConvergenceError, match=r"did not converge: relative residual .* after 2"):
        RBFInterpolator(
            y,
            d,
            kernel="gaussian",
            epsilon=7.0,
            degree=-1,
            smoothing=1e-3,
            solver="iterative",
            preconditioner="none",
            maxiter=2,
        )


def test_progress_bar(ring, capsys):
    y, d, _ = ring
    kw = {"kernel": "gaussian", "epsilon": 7.0, "degree": -1, "smoothing": 1.0}
    RBFInterpolator(y, d, solver="iterative", progress=True, **kw)
    err = capsys.readouterr().err
    assert "RBFInterpolator fit:" in err and "residual" in err
    RBFInterpolator(y, d, solver="iterative", progress=False, **kw)
    assert capsys.readouterr().err == ""


def test_auto_solver_choice(ring, monkeypatch):
    y, d, _ = ring
    kw = {"kernel": "gaussian", "epsilon": 7.0, "degree": -1}
    assert RBFInterpolator(y, d, smoothing=1.0, **kw).solver == "direct"
    monkeypatch.setattr(_rbfinterp, "_AUTO_DIRECT_MAX_N", 100)
    assert RBFInterpolator(y, d, smoothing=1.0, **kw).solver == "iterative"
    # interpolation (no smoothing) stays dense while the matrix fits the budget
    assert RBFInterpolator(y, d, **kw).solver == "direct"
    f = RBFInterpolator(y, d, memory_budget=1000, maxiter=3000)  # thin-plate spline
    assert f.solver == "iterative"
    # below the minimum degree only the dense solver applies
    with pytest.warns(UserWarning, match="`degree` should not be below 1"):
        f = RBFInterpolator(y, d, degree=0, smoothing=1.0, memory_budget=1000)
    assert f.solver == "direct"
    assert RBFInterpolator(y, d, neighbors=10).solver == "local"
    # conditionally positive-definite kernels (no preconditioner) stay dense while they fit
    assert RBFInterpolator(y, d, smoothing=1.0).solver == "direct"


def test_auto_falls_back_to_direct_when_cg_stalls(ring, monkeypatch):
    y, d, x = ring
    monkeypatch.setattr(_rbfinterp, "_AUTO_DIRECT_MAX_N", 100)
    kw = {"kernel": "gaussian", "epsilon": 7.0, "degree": -1, "smoothing": 1e-6}
    f = RBFInterpolator(y, d, maxiter=2, **kw)
    assert f.solver == "direct" and f.n_iterations == 0
    assert_allclose(f(x), RBFInterpolator(y, d, solver="direct", **kw)(x), rtol=0, atol=0)
    with pytest.raises(ConvergenceError, match="did not converge"):
        RBFInterpolator(y, d, maxiter=2, solver="iterative", **kw)


def test_iterative_interpolation_no_smoothing():
    seq = Halton(2, scramble=False, seed=np.random.RandomState(0))
    y = seq.random(200)
    d = np.sin(4 * y[:, 0]) * y[:, 1]
    x = seq.random(20)
    ref = RBFInterpolator(y, d)
    it = RBFInterpolator(y, d, solver="iterative", tol=1e-12, maxiter=3000)
    assert_allclose(it(x), ref(x), atol=1e-7)
