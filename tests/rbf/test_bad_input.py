"""Malformed calls of RBFInterpolator: a clear error naming the argument, of scipy's type.

``CALLS`` is a table of distinct malformed calls.  Each row gives the call, the exception
type (scipy's where scipy raises), a regex that names the argument, and what scipy does
with the same call: ``SAME`` (scipy raises that type too, which the test asserts),
``ACCEPTS`` (a documented difference: gradkit refuses what scipy accepts, usually
returning NaN or truncating; the test asserts that scipy does not raise), or ``NO_PEER``
(scipy has no such argument or method, or the call cannot be run on scipy).  The
hypothesis tests at the end draw malformed inputs and assert a clear error or the
correct result, never a numba error, ``KeyError`` or bare ``IndexError``.
"""

from __future__ import annotations

import warnings
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.linalg import LinAlgError
from numpy.testing import assert_allclose
from scipy.interpolate import RBFInterpolator as ScipyRBF

from gradkit.rbf import RBFInterpolator

pytestmark = pytest.mark.kernels

SAME, ACCEPTS, NO_PEER = "same", "accepts", "no peer"

_RNG = np.random.default_rng(0)
Y = _RNG.random((20, 2))
D = np.sin(3 * Y[:, 0]) + Y[:, 1]
X = _RNG.random((4, 2))

_SCIPY_ARGS = {"y", "d", "neighbors", "smoothing", "kernel", "epsilon", "degree"}
_METHODS = ("__call__", "value_and_gradient", "value_gradient_hessian", "gradient", "hessian")


class Call:
    """One malformed call: ``RBFInterpolator(**init)`` and, if ``method`` is given,
    ``interpolant.method(x)``."""

    def __init__(self, ident, exc, match, peer=SAME, method=None, x=None, **init):
        self.ident = ident
        self.exc = exc
        self.match = match
        self.peer = peer
        self.method = method
        self.x = x
        self.init = init

    def run(self, cls):
        kwargs = {"y": Y, "d": D, **self.init}
        if cls is ScipyRBF:
            kwargs = {k: v for k, v in kwargs.items() if k in _SCIPY_ARGS}
        if self.method is None:
            return cls(**kwargs)
        return getattr(cls(**kwargs), self.method)(self.x)


def _dup_y():
    y = Y.copy()
    y[7] = y[2]
    return y


def _collinear():
    g = np.linspace(0, 1, 20)
    return np.column_stack([g, 2 * g])


_STR_Y = np.array([["a", "b"]] * 20)
_OBJ_Y = np.array([[{}, 1.0]] * 20, dtype=object)
_RAGGED = [[0.0, 1.0], [2.0]]
_GAUSS = {"kernel": "gaussian", "epsilon": 2.0}

CALLS = [
    # ------------------------------------------------------------------ y
    Call("y-none", ValueError, "`y` must be a 2-dimensional array", y=None),
    Call("y-1d", ValueError, "`y` must be a 2-dimensional", y=np.linspace(0, 1, 20)),
    Call("y-3d", ValueError, "`y` must be a 2-dimensional", y=np.zeros((20, 2, 1))),
    Call("y-scalar", ValueError, "`y` must be a 2-dimensional", y=1.0),
    Call("y-list-1d", ValueError, "`y` must be a 2-dimensional", y=[0.0, 1.0, 2.0], d=D[:3]),
    Call("y-empty", ValueError, "`y` must hold at least one", y=np.zeros((0, 2)), d=[]),
    Call(
        "y-empty-degree-1",
        ValueError,
        "`y` must hold at least one",
        y=np.zeros((0, 2)),
        d=[],
        degree=-1,
        **_GAUSS,
    ),
    Call("y-no-columns", LinAlgError, "`y` must have at least one coordinate", y=np.zeros((20, 0))),
    Call("y-str", ValueError, "`y` must be an array of numbers", y=_STR_Y),
    Call("y-str-scalar", ValueError, "`y` must be an array of numbers", y="abc"),
    Call("y-obj-dict", TypeError, "`y` must be an array of numbers", y=_OBJ_Y),
    Call("y-ragged", ValueError, "`y` must be an array of numbers", y=_RAGGED, d=D[:2]),
    Call("y-complex", TypeError, "`y` must be real", ACCEPTS, y=Y + 1j),
    Call("y-complex64", TypeError, "`y` must be real", ACCEPTS, y=(Y + 1j).astype(np.complex64)),
    Call("y-1-point-tps", ValueError, "At least 3 .* `degree` is 1", y=Y[:1], d=D[:1]),
    Call("y-2-points-tps", ValueError, "At least 3 .* `degree` is 1", y=Y[:2], d=D[:2]),
    Call(
        "y-5-points-quintic",
        ValueError,
        "At least 6 .* `degree` is 2",
        y=Y[:5],
        d=D[:5],
        kernel="quintic",
    ),
    Call(
        "y-duplicate-different-d",
        LinAlgError,
        "`y` has 1 pair.* coincident",
        NO_PEER,  # scipy solves the singular system (LAPACK may or may not see it)
        y=_dup_y(),
    ),
    Call(
        "y-collinear-tps",
        LinAlgError,
        "full column rank.*`y`.*`degree` 1",
        ACCEPTS,
        y=_collinear(),
    ),
    Call(
        "y-collinear-cubic-iterative",
        LinAlgError,
        "full column rank.*`y`.*`degree` 1",
        NO_PEER,
        y=_collinear(),
        kernel="cubic",
        solver="iterative",
    ),
    Call(
        "y-collinear-local",
        LinAlgError,
        r"full column rank.*`y` in the neighbourhood of `x\[0\]`.*`degree` 1",
        method="__call__",
        x=X,
        y=_collinear(),
        neighbors=6,
    ),
    Call(
        "y-nan-local",
        ValueError,
        "`y` must contain only finite values when `neighbors`",
        y=np.where(np.arange(40).reshape(20, 2) == 5, np.nan, Y),
        neighbors=5,
    ),
    Call(
        "y-inf-local",
        ValueError,
        "`y` must contain only finite values when `neighbors`",
        y=np.where(np.arange(40).reshape(20, 2) == 5, np.inf, Y),
        neighbors=5,
    ),
    Call("y-complex-1d", ValueError, "`y` must be a 2-dimensional", y=np.ones(20) * 1j),
    # ------------------------------------------------------------------ d
    Call("d-none", IndexError, "`d` must be an array of data values", d=None),
    Call("d-scalar", IndexError, "first axis of `d` to have length 20; got a scalar", d=1.0),
    Call("d-0d-array", IndexError, "first axis of `d`.*scalar", d=np.array(2.0)),
    Call("d-short", ValueError, "first axis of `d` to have length 20", d=D[:-1]),
    Call("d-long", ValueError, "first axis of `d` to have length 20", d=np.zeros(21)),
    Call("d-2d-short", ValueError, "first axis of `d`", d=np.zeros((19, 2))),
    Call("d-transposed", ValueError, "first axis of `d`", d=np.zeros((2, 20))),
    Call("d-empty-list", ValueError, "first axis of `d`", d=[]),
    Call("d-empty-array", ValueError, "first axis of `d`", d=np.zeros(0)),
    Call("d-str", ValueError, "`d` must be an array of numbers", d=np.array(["a"] * 20)),
    Call("d-str-scalar", ValueError, "`d` must be an array of numbers", d="abc"),
    Call(
        "d-obj-dict",
        TypeError,
        "`d` must be an array of numbers",
        d=np.array([{}] * 20, dtype=object),
    ),
    Call("d-ragged", ValueError, "`d` must be an array of numbers", d=[[1.0, 2.0]] * 19 + [[1.0]]),
    Call(
        "d-duplicates-local",
        LinAlgError,
        "coincident data points.*`smoothing` > 0",
        NO_PEER,
        y=_dup_y(),
        neighbors=6,
    ),
    # ------------------------------------------------------------ smoothing
    Call(
        "smoothing-str", AttributeError, "`smoothing` must be a number or an array", smoothing="a"
    ),
    Call("smoothing-none", AttributeError, "`smoothing` must be a number", smoothing=None),
    Call("smoothing-complex", AttributeError, "`smoothing` must be a number", smoothing=1j),
    Call("smoothing-bytes", AttributeError, "`smoothing` must be a number", smoothing=b"1"),
    Call(
        "smoothing-list-str", AttributeError, "`smoothing` must be an array", smoothing=["a"] * 20
    ),
    Call("smoothing-dict", AttributeError, "`smoothing` must be an array", smoothing={}),
    Call(
        "smoothing-short", ValueError, "Expected `smoothing` to be a scalar", smoothing=np.ones(3)
    ),
    Call("smoothing-empty", ValueError, "Expected `smoothing` to be", smoothing=np.zeros(0)),
    Call("smoothing-column", ValueError, "Expected `smoothing` to be", smoothing=np.ones((20, 1))),
    Call("smoothing-long", ValueError, "Expected `smoothing` to be", smoothing=np.ones(21)),
    Call(
        "smoothing-str-array",
        ValueError,
        "`smoothing` must be an array of numbers",
        smoothing=np.array(["a"] * 20),
    ),
    Call(
        "smoothing-nan",
        ValueError,
        "`smoothing` must contain only finite",
        ACCEPTS,
        smoothing=np.nan,
    ),
    Call(
        "smoothing-inf",
        LinAlgError,
        "`smoothing` must contain only finite",
        smoothing=np.inf,
    ),
    Call(
        "smoothing-one-nan",
        ValueError,
        "`smoothing` must contain only finite values; got 1 NaN",
        ACCEPTS,
        smoothing=np.where(np.arange(20) == 3, np.nan, 0.0),
    ),
    Call(
        "smoothing-obj-none",
        ValueError,
        "`smoothing` must contain only finite",
        ACCEPTS,
        smoothing=np.array([None] * 20),
    ),
    Call(
        "smoothing-np-complex",
        TypeError,
        "`smoothing` must be a number",
        ACCEPTS,
        smoothing=np.complex128(1j),
    ),
    Call(
        "smoothing-complex-array",
        TypeError,
        "`smoothing` must be real",
        ACCEPTS,
        smoothing=np.ones(20) * 1j,
    ),
    Call("smoothing-short-list", AttributeError, "Expected `smoothing`", smoothing=[1.0, 2.0]),
    Call("smoothing-empty-tuple", AttributeError, "Expected `smoothing`", smoothing=()),
    # --------------------------------------------------------------- kernel
    Call("kernel-int", AttributeError, "`kernel` must be a string; got 3", kernel=3),
    Call("kernel-none", AttributeError, "`kernel` must be a string; got None", kernel=None),
    Call("kernel-list", AttributeError, "`kernel` must be a string", kernel=["gaussian"]),
    Call("kernel-unknown", ValueError, "`kernel` must be one of .*got 'foo'", kernel="foo"),
    Call("kernel-empty", ValueError, "`kernel` must be one of", kernel=""),
    Call("kernel-prefix", ValueError, "`kernel` must be one of .*'gauss'", kernel="gauss"),
    Call("kernel-spaces", ValueError, "`kernel` must be one of", kernel="thin plate spline"),
    Call("kernel-bytes", ValueError, "`kernel` must be one of .*bytes", kernel=b"gaussian"),
    Call("kernel-float", AttributeError, "`kernel` must be a string", kernel=1.5),
    # -------------------------------------------------------------- epsilon
    Call("epsilon-str", ValueError, "`epsilon` must be a real number; got 'a'", epsilon="a"),
    Call("epsilon-list", TypeError, "`epsilon` must be a real number", epsilon=[1, 2]),
    Call("epsilon-complex", TypeError, "`epsilon` must be a real number; got 1j", epsilon=1j),
    Call("epsilon-array", TypeError, "`epsilon` must be a real number", epsilon=np.array([1.0])),
    Call("epsilon-dict", TypeError, "`epsilon` must be a real number", epsilon={}),
    Call(
        "epsilon-nan", ValueError, r"`epsilon` must be finite; got nan\.", ACCEPTS, epsilon=np.nan
    ),
    Call(
        "epsilon-inf", ValueError, r"`epsilon` must be finite; got inf\.", ACCEPTS, epsilon=np.inf
    ),
    Call(
        "epsilon-neg-inf",
        ValueError,
        "`epsilon` must be finite; got -inf",
        ACCEPTS,
        epsilon=-np.inf,
    ),
    Call(
        "epsilon-nan-gaussian",
        ValueError,
        "`epsilon` must be finite",
        ACCEPTS,
        kernel="gaussian",
        epsilon=float("nan"),
    ),
    Call("epsilon-missing-gaussian", ValueError, "`epsilon` must be specified", kernel="gaussian"),
    Call("epsilon-missing-mq", ValueError, "`epsilon` must be specified", kernel="multiquadric"),
    Call(
        "epsilon-missing-iq", ValueError, "`epsilon` must be specified", kernel="inverse_quadratic"
    ),
    Call(
        "epsilon-missing-imq",
        ValueError,
        "`epsilon` must be specified",
        kernel="inverse_multiquadric",
    ),
    Call(
        "epsilon-missing-matern32",
        ValueError,
        "`epsilon` must be specified",
        NO_PEER,
        kernel="matern32",
    ),
    Call(
        "epsilon-missing-exponential",
        ValueError,
        "`epsilon` must be specified",
        NO_PEER,
        kernel="exponential",
    ),
    Call("epsilon-zero-tps", LinAlgError, r"Singular matrix\..*`epsilon` = 0", epsilon=0.0),
    Call(
        "epsilon-zero-gaussian",
        LinAlgError,
        r"Singular matrix\..*`epsilon` = 0",
        kernel="gaussian",
        epsilon=0,
    ),
    Call(
        "epsilon-tiny-gaussian",
        LinAlgError,
        r"Singular matrix\..*ill-conditioned.*`epsilon` = 1e-10",
        kernel="gaussian",
        epsilon=1e-10,
    ),
    Call(
        "epsilon-tiny-gaussian-iterative",
        RuntimeError,
        r"ill-conditioned\) for `epsilon` = 1e-10",
        NO_PEER,
        kernel="gaussian",
        epsilon=1e-10,
        solver="iterative",
    ),
    Call(
        "neighbors-1-tps-no-tail",
        LinAlgError,
        r"Singular matrix\. `degree` -1 is below the minimum degree 1 .*thin_plate_spline",
        method="__call__",
        x=X,
        neighbors=1,
        degree=-1,
    ),
    Call(
        "smoothing-negative-singular",
        LinAlgError,
        r"Singular matrix\. Negative `smoothing` can make the system singular",
        method="__call__",
        x=X,
        neighbors=1,
        smoothing=-1.0,
        degree=-1,
        **_GAUSS,
    ),
    # --------------------------------------------------------------- degree
    Call("degree-minus-2", ValueError, "`degree` must be at least -1", degree=-2),
    Call("degree-minus-10", ValueError, "`degree` must be at least -1; got -10", degree=-10),
    Call("degree-str", ValueError, "`degree` must be an integer; got 'a'", degree="a"),
    Call(
        "degree-numeric-str",
        ValueError,
        "`degree` must be an integer; got '1'",
        ACCEPTS,
        degree="1",
    ),
    Call("degree-half", ValueError, r"`degree` must be an integer; got 1\.5", ACCEPTS, degree=1.5),
    Call("degree-nan", ValueError, "`degree` must be an integer; got nan", degree=np.nan),
    Call("degree-inf", OverflowError, "`degree` must be a finite integer; got inf", degree=np.inf),
    Call("degree-neg-inf", OverflowError, "`degree` must be a finite integer", degree=-np.inf),
    Call("degree-list", TypeError, "`degree` must be an integer", degree=[1]),
    Call("degree-complex", TypeError, "`degree` must be an integer; got 1j", degree=1j),
    Call("degree-array", TypeError, "`degree` must be an integer", degree=np.array([1, 2])),
    Call("degree-too-large", ValueError, "At least 21 data points .* `degree` is 5", degree=5),
    Call("degree-100", ValueError, "At least 5151 data points .* `degree` is 100", degree=100),
    Call(
        "degree-huge",
        ValueError,
        "data points are required when `degree` is 1000000000",
        NO_PEER,  # scipy allocates the (huge) table of monomials before it checks
        degree=10**9,
    ),
    # ------------------------------------------------------------ neighbors
    Call("neighbors-zero", ValueError, "`neighbors` must be at least 1; got 0", neighbors=0),
    Call("neighbors-minus-1", ValueError, "`neighbors` must be at least 1; got -1", neighbors=-1),
    Call(
        "neighbors-zero-no-tail",
        ValueError,
        "`neighbors` must be at least 1",
        method="__call__",
        x=X,
        neighbors=0,
        degree=-1,
    ),
    Call("neighbors-half", ValueError, r"`neighbors` must be an integer; got 0\.5", neighbors=0.5),
    Call(
        "neighbors-float",
        ValueError,
        r"`neighbors` must be an integer; got 5\.5",
        ACCEPTS,
        neighbors=5.5,
    ),
    Call("neighbors-nan", ValueError, "`neighbors` must be an integer; got nan", neighbors=np.nan),
    Call("neighbors-neg-inf", OverflowError, "`neighbors` must be at least 1", neighbors=-np.inf),
    Call("neighbors-str", TypeError, "`neighbors` must be an integer; got '5'", neighbors="5"),
    Call("neighbors-list", TypeError, "`neighbors` must be an integer", neighbors=[5]),
    Call("neighbors-complex", TypeError, "`neighbors` must be an integer", neighbors=1j),
    Call(
        "neighbors-too-few-for-tail",
        ValueError,
        r"At least 3 data points .* `degree` is 1.*`neighbors` is 2",
        neighbors=2,
    ),
    Call(
        "neighbors-true",
        ValueError,
        r"At least 3 data points .*`neighbors` is 1",
        neighbors=True,
    ),
    Call("neighbors-array", ValueError, "`neighbors` must be an integer", neighbors=np.ones(20)),
    # ----------------------------------------------- gradkit's solver options
    Call("solver-unknown", ValueError, "`solver` must be one of", NO_PEER, solver="cholesky"),
    Call("solver-none", ValueError, "`solver` must be one of .*got None", NO_PEER, solver=None),
    Call("solver-int", ValueError, "`solver` must be one of", NO_PEER, solver=1),
    Call(
        "preconditioner-unknown",
        ValueError,
        "`preconditioner` must be one of",
        NO_PEER,
        preconditioner="ilu",
    ),
    Call(
        "preconditioner-int",
        ValueError,
        "`preconditioner` must be one of",
        NO_PEER,
        preconditioner=3,
    ),
    Call("tol-two", ValueError, "`tol` must be a number between 0 and 1; got 2", NO_PEER, tol=2),
    Call("tol-zero", ValueError, "`tol` must be a number between 0 and 1", NO_PEER, tol=0),
    Call("tol-negative", ValueError, "`tol` must be a number between 0 and 1", NO_PEER, tol=-1e-3),
    Call("tol-str", ValueError, "`tol` must be a number between 0 and 1", NO_PEER, tol="1e-6"),
    Call("tol-nan", ValueError, "`tol` must be a number between 0 and 1", NO_PEER, tol=np.nan),
    Call("tol-bool", ValueError, "`tol` must be a number between 0 and 1", NO_PEER, tol=True),
    Call("maxiter-zero", ValueError, "`maxiter` must be a positive integer", NO_PEER, maxiter=0),
    Call("maxiter-float", ValueError, "`maxiter` must be a positive integer", NO_PEER, maxiter=1.5),
    Call(
        "maxiter-negative", ValueError, "`maxiter` must be a positive integer", NO_PEER, maxiter=-3
    ),
    Call("maxiter-str", ValueError, "`maxiter` must be a positive integer", NO_PEER, maxiter="10"),
    Call(
        "rank-zero",
        ValueError,
        "`preconditioner_rank` must be an integer >= 1",
        NO_PEER,
        preconditioner_rank=0,
    ),
    Call(
        "rank-float",
        TypeError,
        "`preconditioner_rank` must be an integer",
        NO_PEER,
        preconditioner_rank=1.5,
    ),
    Call(
        "rank-negative",
        ValueError,
        "`preconditioner_rank` must be an integer >= 1",
        NO_PEER,
        preconditioner_rank=-1,
    ),
    Call(
        "budget-float",
        TypeError,
        "`memory_budget` must be an integer; got 1.5",
        NO_PEER,
        memory_budget=1.5,
    ),
    Call(
        "budget-negative",
        ValueError,
        "`memory_budget` must be an integer >= 0",
        NO_PEER,
        memory_budget=-1,
    ),
    Call(
        "budget-str", TypeError, "`memory_budget` must be an integer", NO_PEER, memory_budget="1GB"
    ),
    Call(
        "progress-str", TypeError, "`progress` must be None, True or False", NO_PEER, progress="yes"
    ),
    Call(
        "progress-int",
        TypeError,
        "`progress` must be None, True or False; got 2",
        NO_PEER,
        progress=2,
    ),
    # ------------------------------------------------------------ evaluation
    Call("x-none", ValueError, "`x` must be a 2-dimensional array", method="__call__", x=None),
    Call("x-1d", ValueError, "`x` must be a 2-dimensional", method="__call__", x=np.zeros(2)),
    Call("x-0d", ValueError, "`x` must be a 2-dimensional", method="__call__", x=0.5),
    Call(
        "x-3d", ValueError, "`x` must be a 2-dimensional", method="__call__", x=np.zeros((2, 2, 2))
    ),
    Call(
        "x-3-columns",
        ValueError,
        "second axis of `x` to have length 2",
        method="__call__",
        x=np.zeros((4, 3)),
    ),
    Call("x-1-column", ValueError, "second axis of `x`", method="__call__", x=np.zeros((4, 1))),
    Call("x-0-columns", ValueError, "second axis of `x`", method="__call__", x=np.zeros((4, 0))),
    Call("x-str", ValueError, "`x` must be an array of numbers", method="__call__", x=[["a", "b"]]),
    Call("x-str-scalar", ValueError, "`x` must be an array of numbers", method="__call__", x="ab"),
    Call(
        "x-ragged",
        ValueError,
        "`x` must be an array of numbers",
        method="__call__",
        x=[[0.1, 0.2], [0.3]],
    ),
    Call(
        "x-obj-dict",
        TypeError,
        "`x` must be an array of numbers",
        method="__call__",
        x=np.array([[{}, 1.0]], dtype=object),
    ),
    Call(
        "x-complex",
        TypeError,
        "`x` must be real",
        ACCEPTS,
        method="__call__",
        x=np.array([[1j, 0.5]]),
    ),
    Call(
        "x-complex-3-columns",
        ValueError,
        "second axis of `x` to have length 2",
        method="__call__",
        x=np.zeros((2, 3)) + 1j,
    ),
    Call(
        "x-3-columns-local",
        ValueError,
        "second axis of `x`",
        method="__call__",
        x=np.zeros((4, 3)),
        neighbors=6,
    ),
    Call(
        "x-1d-local",
        ValueError,
        "`x` must be a 2-dimensional",
        method="__call__",
        x=np.zeros(2),
        neighbors=6,
    ),
    Call(
        "vg-1d",
        ValueError,
        r"`x` must have shape \(\.\.\., 2\)",
        NO_PEER,
        method="value_and_gradient",
        x=np.zeros(2),
    ),
    Call(
        "vg-3-columns",
        ValueError,
        "last axis of `x` to have length 2",
        NO_PEER,
        method="value_and_gradient",
        x=np.zeros((4, 3)),
    ),
    Call(
        "vg-str",
        ValueError,
        "`x` must be an array of numbers",
        NO_PEER,
        method="value_and_gradient",
        x=[["a", "b"]],
    ),
    Call(
        "vg-local-1d",
        ValueError,
        r"`x` must have shape \(\.\.\., 2\)",
        NO_PEER,
        method="value_and_gradient",
        x=np.zeros(2),
        neighbors=6,
    ),
    Call(
        "vgh-0d",
        ValueError,
        r"`x` must have shape \(\.\.\., 2\)",
        NO_PEER,
        method="value_gradient_hessian",
        x=0.5,
    ),
    Call(
        "vgh-3d-3-columns",
        ValueError,
        "last axis of `x`",
        NO_PEER,
        method="value_gradient_hessian",
        x=np.zeros((2, 2, 3)),
    ),
    Call(
        "vgh-complex",
        TypeError,
        "`x` must be real",
        NO_PEER,
        method="value_gradient_hessian",
        x=[[1j, 0.0]],
    ),
    Call(
        "gradient-1d",
        ValueError,
        r"`x` must have shape \(\.\.\., 2\)",
        NO_PEER,
        method="gradient",
        x=np.zeros(2),
    ),
    Call(
        "gradient-none",
        ValueError,
        r"`x` must have shape \(\.\.\., 2\)",
        NO_PEER,
        method="gradient",
        x=None,
    ),
    Call(
        "gradient-str",
        ValueError,
        "`x` must be an array of numbers",
        NO_PEER,
        method="gradient",
        x=[["a", "b"]],
    ),
    Call(
        "hessian-1-column",
        ValueError,
        "last axis of `x`",
        NO_PEER,
        method="hessian",
        x=np.zeros((3, 1)),
    ),
    Call(
        "hessian-complex",
        TypeError,
        "`x` must be real",
        NO_PEER,
        method="hessian",
        x=np.array([[1j, 0.0]]),
    ),
    Call(
        "hessian-obj",
        TypeError,
        "`x` must be an array of numbers",
        NO_PEER,
        method="hessian",
        x=np.array([[None, {}]], dtype=object),
    ),
]

IDS = [c.ident for c in CALLS]


def test_the_table_holds_at_least_110_distinct_calls():
    assert len(set(IDS)) == len(CALLS) >= 110
    keys = {
        (repr(sorted((k, repr(v)) for k, v in c.init.items())), c.method, repr(c.x)) for c in CALLS
    }
    assert len(keys) == len(CALLS)


def _run_peer(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return call.run(ScipyRBF)


@pytest.mark.parametrize("call", CALLS, ids=IDS)
def test_malformed_call(call):
    with pytest.raises(call.exc, match=call.match):
        call.run(RBFInterpolator)
    if call.peer == SAME:
        with pytest.raises(call.exc):
            _run_peer(call)
    elif call.peer == ACCEPTS:
        _run_peer(call)


def test_dask_queries_of_the_wrong_shape():
    da = pytest.importorskip("dask.array")
    f = RBFInterpolator(Y, D)
    with pytest.raises(ValueError, match="last axis of `x` to have length 2"):
        f.value_and_gradient(da.zeros((4, 3), chunks=2))
    with pytest.raises(ValueError, match="last axis of `x`"):
        f.gradient(da.zeros(2, chunks=1))
    with pytest.raises(TypeError, match="`x` must be real numbers; got a dask array of complex"):
        f.hessian(da.zeros((4, 2), chunks=2) + 1j)
    with pytest.raises(TypeError, match="`x` must be real numbers; got a dask array of dtype"):
        f.value_and_gradient(da.from_array(np.array([["a", "b"]])))
    # dask `y` and `d` are read into memory, as numpy arrays
    x = X[:2]
    g = RBFInterpolator(da.from_array(Y, chunks=5), da.from_array(D, chunks=5))
    assert_allclose(g(x), ScipyRBF(Y, D)(x), rtol=1e-10)


# ------------------------------------------------------------------ hypothesis

_CLEAR = (ValueError, TypeError, LinAlgError)


def _assert_clear(exc):
    """A clear error: one of the documented types, its message naming an argument in
    backticks (scipy's own "Singular matrix." aside), never numba's or a bare lookup."""
    import numba.core.errors

    assert not isinstance(exc, numba.core.errors.NumbaError), exc
    assert type(exc) not in (KeyError, IndexError, AttributeError, OverflowError), exc
    assert isinstance(exc, _CLEAR), repr(exc)
    assert "`" in str(exc) or str(exc).startswith("Singular matrix"), str(exc)


_SCALARS = st.sampled_from(
    [None, "a", "", b"x", 1j, [1, 2], {}, np.nan, np.inf, -np.inf, -1, 0, 0.5, -2.5, 1e300]
    + [True, 1, 2, 3, 5, 0.1, 2.0]  # valid for some of the options
)


def _array(shape, kind, bad):
    seed = zlib.crc32(repr((shape, kind)).encode())
    arr = np.random.default_rng(seed).random(shape)
    if kind == "nan" and arr.size:
        arr.flat[arr.size // 2] = bad
    elif kind == "str":
        return arr.astype(str)
    elif kind == "complex":
        return arr + 1j
    elif kind == "float16":
        return arr.astype(np.float16)
    elif kind == "int":
        return (arr * 10).astype(np.int64)
    elif kind == "big-endian":
        return arr.astype(">f8")
    elif kind == "object":
        return arr.astype(object)
    elif kind == "read-only":
        arr.flags.writeable = False
    return arr


_KINDS = ["nan", "str", "complex", "float16", "int", "big-endian", "object", "read-only"]
_ARRAY_KINDS = st.sampled_from(["float"] * 4 + _KINDS)


def _scipy(call):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return call()


@settings(max_examples=80, deadline=None)
@given(
    n=st.sampled_from([0, 1, 2, 3, 5, 8, 8, 12, 12]),
    ndim=st.sampled_from([0, 1, 1, 2, 2, 2, 3]),
    y_kind=_ARRAY_KINDS,
    d_kind=_ARRAY_KINDS,
    d_len=st.sampled_from([0, 0, 0, 0, -1, 1]),
    option=st.sampled_from(["smoothing", "kernel", "epsilon", "degree", "neighbors"] + [None] * 3),
    value=_SCALARS,
    kernel=st.sampled_from(["thin_plate_spline", "gaussian", "linear", "cubic", "matern52"]),
)
def test_malformed_construction_is_a_clear_error_or_scipys_fit(
    n, ndim, y_kind, d_kind, d_len, option, value, kernel
):
    y = _array((n, ndim), y_kind, np.nan)
    d = _array((max(n + d_len, 0),), d_kind, np.inf)
    kwargs = {"kernel": kernel, "epsilon": 3.0}
    if option is not None:
        kwargs[option] = value
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # scipy's degree warning
            ours = RBFInterpolator(y, d, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the point is to inspect it
        _assert_clear(exc)
        return
    # accepted: agree with scipy wherever scipy accepts it too
    yf = np.asarray(y, dtype=float)
    if kernel == "matern52" or len(np.unique(yf, axis=0)) < n:
        return  # no peer; scipy solves a singular system for repeated points
    x = np.random.default_rng(1).random((3, ndim))
    try:
        expected = _scipy(lambda: ScipyRBF(y, d, **kwargs)(x))
    except Exception:  # noqa: BLE001 - scipy refuses some of what gradkit accepts
        return
    if not np.all(np.isfinite(expected)):
        assert_allclose(ours(x), expected, equal_nan=True)  # NaN input: NaN output
        return
    # two backward-stable solves differ by about cond * eps (relative to the data)
    cond = _condition_number(ours)
    if not cond < 1e12:
        return  # nothing to compare: any two solvers may disagree entirely
    scale = 1 + np.abs(ours.d[np.isfinite(ours.d)]).max(initial=0)
    tol = max(1e-7, 1e-14 * cond)
    assert_allclose(ours(x), expected, rtol=tol, atol=tol * scale)


def _condition_number(interp):
    """Condition number of the fit's full (kernel + polynomial) system, written out in
    numpy for the kernels the construction test compares with scipy."""
    y = interp.y * interp.epsilon
    r = np.sqrt(((y[:, None, :] - y[None, :, :]) ** 2).sum(-1))
    with np.errstate(all="ignore"):
        k = {
            "thin_plate_spline": np.where(r > 0, r**2 * np.log(np.where(r > 0, r, 1)), 0.0),
            "gaussian": np.exp(-(r**2)),
            "linear": -r,
            "cubic": r**3,
        }[interp.kernel] + np.diag(interp.smoothing)
    lo, hi = interp.y.min(0), interp.y.max(0)
    half = np.where(hi > lo, (hi - lo) / 2, 1.0)
    yhat = (interp.y - (hi + lo) / 2) / half
    p = np.prod(yhat[:, None, :] ** interp.powers[None], axis=-1)
    m = p.shape[1]
    full = np.block([[k, p], [p.T, np.zeros((m, m))]])
    return float(np.linalg.cond(full))


_VALUES = np.stack([D, D**2], axis=1)
_F = RBFInterpolator(Y, _VALUES)
_F_LOCAL = RBFInterpolator(Y, _VALUES, neighbors=7)
_S = ScipyRBF(Y, _VALUES)
_S_LOCAL = ScipyRBF(Y, _VALUES, neighbors=7)


@settings(max_examples=80, deadline=None)
@given(
    lead=st.lists(st.integers(0, 3), min_size=0, max_size=2),
    last=st.sampled_from([2, 2, 2, 1, 3, 0, None]),
    kind=st.sampled_from(["float"] * 3 + _KINDS + ["inf", "none", "list"]),
    method=st.sampled_from(_METHODS),
    local=st.booleans(),
)
def test_malformed_queries_are_a_clear_error_or_the_right_values(lead, last, kind, method, local):
    shape = tuple(lead) + (() if last is None else (last,))
    if kind == "none":
        x = None
    elif kind == "list":
        x = _array(shape, "float", 0.0).tolist()
    elif kind == "inf":
        x = _array(shape, "nan", np.inf)
    else:
        x = _array(shape, kind, np.nan)
    f = _F_LOCAL if local else _F
    try:
        out = getattr(f, method)(x)
    except Exception as exc:  # noqa: BLE001
        _assert_clear(exc)
        return
    outs = out if isinstance(out, tuple) else (out,)
    xf = np.asarray(x, dtype=float)
    assert xf.ndim >= 2 and xf.shape[-1] == 2
    flat = xf.reshape(-1, 2)
    rows = np.isfinite(flat).all(axis=1)
    nan_rows = np.isnan(flat).any(axis=1)
    # the same outputs as for the plain float64 array (dtype, byte order, read-only and
    # sequence inputs change nothing), NaN for NaN queries, scipy's values elsewhere
    ref = f.value_gradient_hessian(np.ascontiguousarray(flat))
    orders = {"__call__": (0,), "gradient": (1,), "hessian": (2,)}.get(method)
    orders = orders or tuple(range(len(outs)))
    for k, got in zip(orders, outs):
        assert got.shape == xf.shape[:-1] + (2,) + (2,) * k
        got = got.reshape((-1, 2) + (2,) * k)
        assert_allclose(got, ref[k], rtol=1e-12, atol=1e-12, equal_nan=True)
        assert np.all(np.isnan(got[nan_rows]))
        assert np.all(np.isfinite(got[rows]))
    expected = _scipy(lambda: (_S_LOCAL if local else _S)(flat[rows]))
    assert_allclose(ref[0][rows], expected, rtol=1e-8, atol=1e-10)
