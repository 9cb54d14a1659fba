"""Malformed calls to every public numdiff entry point: a clear error naming the argument.

``BAD_CALLS`` is a table of distinct malformed calls (the call, the exception type, a
regex naming the argument); one parametrized test runs them all. Where
scipy.differentiate has the same argument and raises ``ValueError`` for a wrong type (a
non-callable `f`, text or complex `x`, a non-integer `maxiter`, a tolerance that is no
number, `f` returning non-numbers), gradkit raises an error that is both a ``TypeError``
and a ``ValueError``; rows marked ``ValueError`` there check the scipy-compatible type.
The hypothesis tests then draw malformed values for each argument of each entry point
and require a clear error or a result whose failures are flagged: never a numba error, a
``KeyError``, an ``IndexError`` or another bare Python error.
"""

import importlib.util
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradkit.numdiff import DifferentiationWarning, derivative, gradient, hessian, jacobian

sympy = pytest.importorskip("sympy")

A, B, C = sympy.symbols("a b c")
X2 = [1.0, 2.0]


def f2(x):
    return np.sin(x[0]) * x[1]


def func3(q, chi, delta):
    return q * chi * delta


def shape_changing():
    calls = []

    def f(x):
        calls.append(1)
        return np.zeros(len(calls) % 2 + 1)

    return f


def d(**kw):
    return derivative(np.sin, 1.0, **kw)


def g(**kw):
    return gradient(f2, X2, **kw)


def row(id_, call, exc, pattern):
    return pytest.param(call, exc, pattern, id=id_)


_NO_JAX = importlib.util.find_spec("jax") is None
_NO_TORCH = importlib.util.find_spec("torch") is None

BAD_CALLS = [
    # ---- f -----------------------------------------------------------------------------
    row("f-None", lambda: gradient(None, X2), TypeError, r"`f` must be callable"),
    row("f-str", lambda: gradient("abc", X2), TypeError, r"`f` must be callable.*'abc'"),
    row("f-list", lambda: gradient([1], X2), TypeError, r"`f` must be callable.*\[1\]"),
    row("f-float-scipy-type", lambda: derivative(3.0, 1.0), ValueError, r"`f` must be callable"),
    row("f-object-jacobian", lambda: jacobian(object(), X2), TypeError, r"`f` must be callable"),
    row("f-array-hessian", lambda: hessian(np.ones(2), X2), TypeError, r"`f` must be callable"),
    row("f-returns-None", lambda: gradient(lambda x: None, X2), TypeError, r"`f` must return"),
    row("f-returns-str", lambda: derivative(lambda x: "a", 1.0), ValueError, r"`f` must return"),
    row("f-returns-dict", lambda: gradient(lambda x: {"a": 1}, X2), TypeError, r"`f` must return"),
    row(
        "f-returns-ragged",
        lambda: jacobian(lambda x: [x[0], [x[1], 1]], X2),
        TypeError,
        r"`f` must return numbers",
    ),
    row(
        "f-returns-generator",
        lambda: gradient(lambda x: (v for v in x), X2),
        TypeError,
        r"`f` must return real numbers",
    ),
    row(
        "f-returns-str-array",
        lambda: gradient(lambda x: np.array(["a"]), X2),
        TypeError,
        r"`f` must return real numbers",
    ),
    row(
        "f-returns-complex",
        lambda: derivative(lambda x: x + 1j, 1.0),
        TypeError,
        r"`f` returned complex values",
    ),
    row(
        "f-vector-for-gradient",
        lambda: gradient(lambda x: x, X2),
        ValueError,
        r"`f` must return a scalar .*shape \(2,\)",
    ),
    row(
        "f-vector-for-hessian",
        lambda: hessian(lambda x: x, X2),
        ValueError,
        r"`f` must return a scalar; got values of shape \(2,\)",
    ),
    row(
        "f-vector-for-derivative",
        lambda: derivative(lambda x: np.zeros((len(x), 2)), X2),
        ValueError,
        r"`f` must return a scalar for each element of `x`",
    ),
    row(
        "f-list-for-scalar-derivative",
        lambda: derivative(lambda t: [t], 1.0, vectorized=False),
        ValueError,
        r"`f` must return a scalar for each element",
    ),
    row(
        "f-scalar-when-vectorized",
        lambda: derivative(lambda x: 1.0, X2),
        ValueError,
        r"`f` was called with 2 points at once",
    ),
    row(
        "f-transposed-when-vectorized",
        lambda: jacobian(lambda X: X.T, np.ones((3, 2)), vectorized=True),
        ValueError,
        r"`f` was called with 3 points at once .*shape \(2, 3\)",
    ),
    row(
        "f-scalar-vectorized-tuple",
        lambda: gradient(lambda a, b: 1.0, (np.ones(3), np.ones(3)), vectorized=True),
        ValueError,
        r"`f` was called with 3 points at once",
    ),
    row(
        "f-shape-changes",
        lambda: jacobian(shape_changing(), X2),
        ValueError,
        r"`f` returned values of shape .* at one point",
    ),
    row(
        "f-nan-at-x",
        lambda: derivative(np.log, [1.0, -1.0]),
        ValueError,
        r"`f` returned a non-finite value nan at x = -1\.0",
    ),
    row(
        "f-inf-at-x",
        lambda: gradient(lambda x: 1.0 / x[0], [0.0, 1.0]),
        ValueError,
        r"`f` returned a non-finite value inf",
    ),
    row(
        "f-of-three-scalars-given-a-list",
        lambda: gradient(func3, [2.0, 3.0, 5.0]),
        TypeError,
        r"`f` takes 3 required positional arguments \(q, chi, delta\).*tuple",
    ),
    row(
        "f-of-an-array-given-a-tuple",
        lambda: gradient(lambda x: x[0] * x[1], (2.0, 3.0)),
        TypeError,
        r"`f` takes 1 required positional argument.*`x` is a tuple",
    ),
    row(
        "f-needs-args",
        lambda: derivative(lambda a, b: a * b, 1.0),
        TypeError,
        r"`f` takes 2 required positional arguments.*`args=",
    ),
    row(
        "f-too-many-args",
        lambda: derivative(lambda x, a: a * x, 1.0, args=(1, 2)),
        TypeError,
        r"`f` takes 2 .*`args` adds 2 arguments",
    ),
    row(
        "f-ufunc-of-two",
        lambda: derivative(np.arctan2, 1.0),
        TypeError,
        r"`f` takes 2 required positional arguments \(x1, x2\)",
    ),
    row(
        "f-real-for-complex-step",
        lambda: gradient(lambda x: float(x[0].real), X2, method="complex"),
        ValueError,
        r"`method='complex'` needs `f` to propagate complex input",
    ),
    # ---- x -----------------------------------------------------------------------------
    row("x-None", lambda: gradient(f2, None), TypeError, r"`x` must be array_like.*None"),
    row("x-None-derivative", lambda: derivative(np.sin, None), TypeError, r"`x` must be"),
    row("x-None-inside", lambda: derivative(np.sin, [1.0, None]), TypeError, r"`x` must be"),
    row("x-str-scipy-type", lambda: gradient(f2, "ab"), ValueError, r"`x` must be.*'ab'"),
    row("x-str-derivative", lambda: derivative(np.sin, "1"), TypeError, r"`x` must be.*'1'"),
    row("x-bytes", lambda: derivative(np.sin, b"1"), TypeError, r"`x` must be array_like"),
    row("x-ragged", lambda: gradient(f2, [[1.0, 2.0], [3.0]]), TypeError, r"`x` must be"),
    row("x-dict", lambda: gradient(f2, {"a": 1}), TypeError, r"`x` must be array_like"),
    row(
        "x-object-array",
        lambda: gradient(f2, np.array([1, "a"], dtype=object)),
        TypeError,
        r"`x` must be array_like of real numbers; got array of shape \(2,\)",
    ),
    row(
        "x-datetime",
        lambda: derivative(np.sin, np.datetime64("2020-01-01")),
        TypeError,
        r"`x` must be array_like",
    ),
    row("x-complex-scipy-type", lambda: derivative(np.sin, 1j), ValueError, r"`x` must be real"),
    row("x-complex-entry", lambda: gradient(f2, [1j, 1.0]), TypeError, r"`x` must be real"),
    row("x-nan", lambda: gradient(f2, [np.nan, 1.0]), ValueError, r"`x` must be finite; got"),
    row("x-inf", lambda: derivative(np.sin, np.inf), ValueError, r"`x` must be finite; got inf"),
    row("x-minus-inf", lambda: derivative(np.sin, [0.0, -np.inf]), ValueError, r"`x` must be"),
    row("x-inf-hessian", lambda: hessian(f2, [np.inf, 1.0]), ValueError, r"`x` must be finite"),
    row("x-empty", lambda: derivative(np.sin, []), ValueError, r"`x` is empty \(shape \(0,\)\)"),
    row("x-empty-tuple", lambda: gradient(f2, ()), ValueError, r"`x` is empty \(an empty tuple"),
    row("x-no-variables", lambda: gradient(f2, np.zeros((3, 0))), ValueError, r"`x` is empty"),
    row("x-no-points", lambda: gradient(f2, np.zeros((0, 2))), ValueError, r"`x` is empty"),
    row("x-scalar-gradient", lambda: gradient(f2, 1.0), ValueError, r"`x` must have shape \(n,\)"),
    row("x-scalar-hessian", lambda: hessian(f2, 1.0), ValueError, r"`x` must have shape \(n,\)"),
    row(
        "x-numpy-scalar-jacobian",
        lambda: jacobian(f2, np.float64(1.0)),
        ValueError,
        r"`x` must have shape \(n,\)",
    ),
    row(
        "x-tuple-of-str",
        lambda: gradient(lambda a, b: a * b, ("a", "b")),
        TypeError,
        r"`x` must be array_like of real numbers; got 'a'",
    ),
    row(
        "x-tuple-of-None",
        lambda: gradient(lambda a, b: a * b, (None, 3.0)),
        TypeError,
        r"`x` must be array_like",
    ),
    row(
        "x-tuple-shapes",
        lambda: gradient(lambda a, b: a * b, ([1.0, 2.0], [1.0, 2.0, 3.0])),
        ValueError,
        r"the entries of the tuple `x` must broadcast together",
    ),
    row(
        "x-tuple-empty-entries",
        lambda: gradient(lambda a, b: a * b, ([], [])),
        ValueError,
        r"`x` is empty",
    ),
    row(
        "x-tuple-nan",
        lambda: gradient(lambda a, b: a * b, (np.nan, 3.0)),
        ValueError,
        r"`x` must be finite",
    ),
    # ---- n -----------------------------------------------------------------------------
    row("n-0", lambda: d(n=0), ValueError, r"`n` must be an integer from 1 to 4; got 0"),
    row("n-negative", lambda: d(n=-1), ValueError, r"`n` must be an integer from 1 to 4"),
    row("n-5", lambda: d(n=5), ValueError, r"`n` must be an integer from 1 to 4; got 5"),
    row("n-float", lambda: d(n=1.5), TypeError, r"`n` must be an integer; got 1\.5"),
    row("n-integral-float", lambda: d(n=2.0), TypeError, r"`n` must be an integer; got 2\.0"),
    row("n-str", lambda: d(n="1"), TypeError, r"`n` must be an integer; got '1'"),
    row("n-bool", lambda: d(n=True), TypeError, r"`n` must be an integer; got True"),
    row("n-None", lambda: d(n=None), TypeError, r"`n` must be an integer; got None"),
    # ---- method ------------------------------------------------------------------------
    row("method-unknown", lambda: d(method="spline"), ValueError, r"`method` must be one of"),
    row("method-None", lambda: d(method=None), ValueError, r"`method` must be one of.*None"),
    row("method-int", lambda: d(method=1), ValueError, r"`method` must be one of.*got 1"),
    row("method-case", lambda: d(method="CENTRAL"), ValueError, r"`method` must be one of"),
    row("method-list", lambda: d(method=["central"]), ValueError, r"`method` must be one of"),
    row(
        "method-complex-hessian",
        lambda: hessian(f2, X2, method="complex"),
        ValueError,
        r"`method='complex'` \(complex step\) computes first derivatives only",
    ),
    row(
        "method-complex-second-derivative",
        lambda: d(method="complex", n=2),
        ValueError,
        r"`method='complex'`.*derivative order 2",
    ),
    row(
        "method-complex-abs",
        lambda: derivative(np.abs, 1.0, method="complex"),
        ValueError,
        r"`method='complex'` needs `f` to propagate",
    ),
    row(
        "method-sympy-for-a-callable",
        lambda: d(method="sympy"),
        TypeError,
        r"`method='sympy'` needs a sympy expression for `f`",
    ),
    row(
        "method-central-for-sympy",
        lambda: gradient(A * B, X2, variables=[A, B], method="central"),
        TypeError,
        r"`f` is a sympy expression; use `method='sympy'`",
    ),
    # ---- accuracy ----------------------------------------------------------------------
    row("accuracy-odd", lambda: d(accuracy=3), ValueError, r"`accuracy` must be an even integer"),
    row("accuracy-0", lambda: d(accuracy=0), ValueError, r"`accuracy` must be .* from 2 to 16"),
    row("accuracy-18", lambda: d(accuracy=18), ValueError, r"`accuracy` must be .*got 18"),
    row("accuracy-float", lambda: d(accuracy=8.0), TypeError, r"`accuracy` must be an integer"),
    row(
        "accuracy-str-scipy-type",
        lambda: d(accuracy="8"),
        ValueError,
        r"`accuracy` must be an integer; got '8'",
    ),
    row("accuracy-bool", lambda: d(accuracy=True), TypeError, r"`accuracy` must be an integer"),
    row("accuracy-None", lambda: d(accuracy=None), TypeError, r"`accuracy` must be an integer"),
    row(
        "accuracy-numpy-odd",
        lambda: d(accuracy=np.int32(3)),
        ValueError,
        r"`accuracy` must be an even integer from 2 to 16; got 3\.",
    ),
    # ---- initial_step ------------------------------------------------------------------
    row("step-negative", lambda: d(initial_step=-1.0), ValueError, r"`initial_step` must be"),
    row("step-0", lambda: d(initial_step=0.0), ValueError, r"`initial_step` must be positive"),
    row("step-nan", lambda: d(initial_step=np.nan), ValueError, r"`initial_step` must be"),
    row("step-inf", lambda: d(initial_step=np.inf), ValueError, r"`initial_step` must be"),
    row(
        "step-numpy-negative",
        lambda: d(initial_step=np.float64(-1.0)),
        ValueError,
        r"`initial_step` must be positive and finite; got -1\.0\.",
    ),
    row("step-str", lambda: d(initial_step="a"), ValueError, r"`initial_step` must be array_like"),
    row("step-complex", lambda: d(initial_step=1j), TypeError, r"`initial_step` must be real"),
    row("step-bool", lambda: d(initial_step=True), TypeError, r"`initial_step` must be array_like"),
    row(
        "step-None-entry",
        lambda: g(initial_step=[None, 0.1]),
        TypeError,
        r"`initial_step` must be array_like",
    ),
    row("step-empty", lambda: d(initial_step=[]), ValueError, r"`initial_step` must be a scalar"),
    row(
        "step-too-many",
        lambda: g(initial_step=[0.1, 0.2, 0.3]),
        ValueError,
        r"`initial_step` must be a scalar or have one entry per variable \(2\); got shape \(3,\)",
    ),
    row(
        "step-2d",
        lambda: g(initial_step=[[0.1, 0.2]]),
        ValueError,
        r"`initial_step` must be a scalar or have one entry per variable",
    ),
    # ---- rtol / atol -------------------------------------------------------------------
    row("rtol-negative", lambda: d(rtol=-1), ValueError, r"`rtol` must be a non-negative finite"),
    row("rtol-nan", lambda: d(rtol=np.nan), ValueError, r"`rtol` must be a non-negative finite"),
    row("rtol-inf", lambda: d(rtol=np.inf), ValueError, r"`rtol` must be a non-negative finite"),
    row("rtol-str-scipy-type", lambda: d(rtol="x"), ValueError, r"`rtol` must be a non-negative"),
    row("rtol-bool", lambda: d(rtol=True), TypeError, r"`rtol` must be a non-negative float"),
    row("rtol-list", lambda: d(rtol=[1e-3, 1e-3]), TypeError, r"`rtol` must be a non-negative"),
    row("atol-negative", lambda: d(atol=-1.0), ValueError, r"`atol` must be a non-negative finite"),
    row("atol-complex", lambda: d(atol=1j), TypeError, r"`atol` must be a non-negative float"),
    row("atol-one-element-list", lambda: d(atol=[1e-3]), TypeError, r"`atol` must be"),
    # ---- maxiter -----------------------------------------------------------------------
    row("maxiter-0", lambda: d(maxiter=0), ValueError, r"`maxiter` must be an integer from 1"),
    row("maxiter-101", lambda: d(maxiter=101), ValueError, r"`maxiter` must be .*got 101"),
    row("maxiter-negative", lambda: d(maxiter=-1), ValueError, r"`maxiter` must be an integer"),
    row("maxiter-float-scipy-type", lambda: d(maxiter=1.5), ValueError, r"`maxiter` must be"),
    row("maxiter-str", lambda: d(maxiter="3"), TypeError, r"`maxiter` must be an integer; got '3'"),
    row("maxiter-bool", lambda: d(maxiter=True), TypeError, r"`maxiter` must be an integer"),
    row("maxiter-None", lambda: d(maxiter=None), TypeError, r"`maxiter` must be an integer"),
    # ---- vectorized / return_error -----------------------------------------------------
    row("vectorized-str", lambda: d(vectorized="yes"), TypeError, r"`vectorized` must be True"),
    row("vectorized-int", lambda: d(vectorized=1), TypeError, r"`vectorized` must be True or"),
    row("vectorized-None", lambda: g(vectorized=None), TypeError, r"`vectorized` must be True"),
    row("return_error-str", lambda: d(return_error="yes"), TypeError, r"`return_error` must be"),
    row("return_error-None", lambda: g(return_error=None), TypeError, r"`return_error` must be"),
    row("return_error-int", lambda: d(return_error=1), TypeError, r"`return_error` must be True"),
    # ---- bounds ------------------------------------------------------------------------
    row("bounds-scalar", lambda: d(bounds=0.0), ValueError, r"`bounds` must be a pair"),
    row("bounds-triple", lambda: d(bounds=(0, 1, 2)), ValueError, r"`bounds` must be a pair"),
    row("bounds-one", lambda: d(bounds=(None,)), ValueError, r"`bounds` must be a pair"),
    row("bounds-str", lambda: d(bounds=""), ValueError, r"`bounds` must be a pair"),
    row("bounds-dict", lambda: d(bounds={"a": 1}), ValueError, r"`bounds` must be a pair"),
    row(
        "bounds-reversed",
        lambda: d(bounds=(2.0, 0.0)),
        ValueError,
        r"`bounds` must satisfy lower < upper .*got lower 2\.0 and upper 0\.0",
    ),
    row("bounds-equal", lambda: d(bounds=(1.0, 1.0)), ValueError, r"`bounds` must satisfy"),
    row("bounds-both-inf", lambda: d(bounds=(np.inf, np.inf)), ValueError, r"`bounds` must"),
    row("bounds-nan", lambda: d(bounds=(np.nan, 2.0)), ValueError, r"`bounds` must not contain"),
    row("bounds-text", lambda: d(bounds=("a", 2.0)), TypeError, r"`bounds` must be array_like"),
    row("bounds-complex", lambda: d(bounds=(0.0, 2j)), TypeError, r"`bounds` must be real"),
    row(
        "bounds-exclude-x",
        lambda: d(bounds=(2.0, 3.0)),
        ValueError,
        r"`x` must lie within `bounds`; got 1\.0 outside \[2\.0, 3\.0\]",
    ),
    row(
        "bounds-shape",
        lambda: g(bounds=([0.0, 0.0, 0.0], None)),
        ValueError,
        r"`bounds` entries must broadcast to shape \(2,\); got shape \(3,\)",
    ),
    row(
        "bounds-no-room-forward",
        lambda: d(bounds=(0.0, 1.0), method="forward"),
        ValueError,
        r"`method='forward'` needs room above/below `x`",
    ),
    row(
        "bounds-no-room-backward",
        lambda: d(bounds=(1.0, 2.0), method="backward"),
        ValueError,
        r"`method='backward'` needs room .*lower bound",
    ),
    row(
        "bounds-with-sympy",
        lambda: derivative(sympy.sin(A), 1.0, bounds=(0.0, 2.0)),
        ValueError,
        r"`bounds` does not apply to `method='sympy'`",
    ),
    row(
        "bounds-with-jax",
        lambda: d(method="jax", bounds=(0.0, 2.0)),
        ValueError,
        r"`bounds` does not apply to `method='jax'`",
    ),
    # ---- variables and the sympy bridge ------------------------------------------------
    row(
        "variables-without-sympy",
        lambda: g(variables=["a"]),
        ValueError,
        r"`variables` applies only to sympy",
    ),
    row(
        "variables-missing",
        lambda: gradient(A * sympy.sin(B), X2),
        ValueError,
        r"`variables` is required",
    ),
    row(
        "variables-missing-derivative",
        lambda: derivative(A * B, 1.0),
        ValueError,
        r"`variables` is required: the expression has free symbols \[a, b\]",
    ),
    row(
        "variables-too-few",
        lambda: gradient(A * B, X2, variables=[A]),
        ValueError,
        r"`variables` has 1 symbols but `x` has 2",
    ),
    row(
        "variables-x-too-long",
        lambda: gradient(A * B, [1.0, 2.0, 3.0], variables=[A, B]),
        ValueError,
        r"`variables` has 2 symbols but `x` has 3",
    ),
    row(
        "variables-str",
        lambda: gradient(A * B, X2, variables=["a", "b"]),
        TypeError,
        r"`variables` must be sympy symbols",
    ),
    row(
        "variables-expression",
        lambda: gradient(A * B, X2, variables=[A + B, B]),
        TypeError,
        r"`variables` must be sympy symbols",
    ),
    row(
        "variables-int",
        lambda: gradient(A * B, X2, variables=3),
        TypeError,
        r"`variables` must be a sympy symbol or an ordered sequence",
    ),
    row(
        "variables-set",
        lambda: gradient(A * B, X2, variables={A, B}),
        TypeError,
        r"`variables` must be a sympy symbol or an ordered sequence",
    ),
    row(
        "variables-repeated",
        lambda: gradient(A * B, X2, variables=[A, A]),
        ValueError,
        r"free symbols \[b\] that are not in `variables`",
    ),
    row(
        "variables-extra-symbol",
        lambda: gradient(A * B + C, X2, variables=[A, B]),
        ValueError,
        r"free symbols \[c\] that are not in `variables`",
    ),
    row(
        "sympy-matrix-for-gradient",
        lambda: gradient(sympy.Matrix([A, B]), X2, variables=[A, B]),
        ValueError,
        r"`f` is a sympy matrix of shape \(2, 1\); `gradient` needs a scalar",
    ),
    row(
        "sympy-matrix-for-hessian",
        lambda: hessian(sympy.ImmutableMatrix([A]), [1.0], variables=[A]),
        ValueError,
        r"`f` is a sympy matrix of shape \(1, 1\); `hessian`",
    ),
    row(
        "sympy-relational",
        lambda: gradient(sympy.Eq(A, B), X2, variables=[A, B]),
        TypeError,
        r"`f` must be a sympy expression or matrix; got the sympy object Eq\(a, b\)",
    ),
    row(
        "sympy-unevaluated-derivative",
        lambda: derivative(sympy.Function("g")(A), 1.0),
        ValueError,
        r"`f`: sympy cannot differentiate the expression",
    ),
    row(
        "sympy-x-complex",
        lambda: derivative(sympy.sin(A), 1j),
        TypeError,
        r"`x` must be real",
    ),
    row(
        "sympy-x-scalar-gradient",
        lambda: gradient(A * B, 1.0, variables=[A, B]),
        ValueError,
        r"`x` must have shape \(n,\)",
    ),
    # ---- numpy scalars: shown as the plain values they hold ----------------------------
    row(
        "method-numpy-str",
        lambda: d(method=np.str_("spline")),
        ValueError,
        r"`method` must be one of .*; got 'spline'\.$",
    ),
    row(
        "x-numpy-str",
        lambda: derivative(np.sin, np.str_("a")),
        TypeError,
        r"`x` must be array_like of real numbers; got 'a'\.$",
    ),
    row("n-numpy-str", lambda: d(n=np.str_("1")), TypeError, r"`n` must be an integer; got '1'\.$"),
    row(
        "maxiter-numpy-float",
        lambda: d(maxiter=np.float64(2.5)),
        TypeError,
        r"`maxiter` must be an integer; got 2\.5\.$",
    ),
    row(
        "rtol-numpy-str",
        lambda: d(rtol=np.str_("x")),
        TypeError,
        r"`rtol` must be a non-negative float; got 'x'\.$",
    ),
    # ---- the jax / torch bridges (when the package is missing) -------------------------
    pytest.param(
        lambda: d(method="jax"),
        ModuleNotFoundError,
        r"`method='jax'` needs jax",
        id="method-jax-missing",
        marks=pytest.mark.skipif(not _NO_JAX, reason="jax is installed"),
    ),
    pytest.param(
        lambda: g(method="torch"),
        ModuleNotFoundError,
        r"`method='torch'` needs torch",
        id="method-torch-missing",
        marks=pytest.mark.skipif(not _NO_TORCH, reason="torch is installed"),
    ),
]


@pytest.mark.parametrize(("call", "exc", "pattern"), BAD_CALLS)
def test_bad_call_raises_a_clear_error(call, exc, pattern):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DifferentiationWarning)
        with pytest.raises(exc, match=pattern) as info:
            call()
    message = str(info.value)
    assert re.search(r"`[a-z_]+", message), message  # names an argument in backticks
    assert "np.float64(" not in message and "np.int64(" not in message, message


def test_the_table_holds_distinct_calls():
    ids = [p.id for p in BAD_CALLS]
    assert len(ids) == len(set(ids)) >= 80


def test_scipy_value_error_types_are_type_errors_too():
    # both except clauses catch them
    for call in (lambda: derivative(3.0, 1.0), lambda: d(maxiter=1.5), lambda: d(rtol="x")):
        with pytest.raises(TypeError):
            call()
        with pytest.raises(ValueError):
            call()


# --------------------------------------------------------------------------------------
# hypothesis: malformed values for every argument of every entry point
# --------------------------------------------------------------------------------------
class UserError(Exception):
    """Raised on purpose by a drawn `f`: it must reach the caller unchanged."""


def _raises(x):
    raise UserError("from f")


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e300, 1e300),
    st.complex_numbers(max_magnitude=10),
    st.text(max_size=3),
    st.binary(max_size=2),
    st.lists(st.one_of(st.floats(-5, 5), st.just(np.nan)), max_size=4),
    st.lists(st.one_of(st.none(), st.integers(-2, 2), st.text(max_size=1)), max_size=3),
    st.tuples(st.floats(-5, 5), st.floats(-5, 5)),
    st.tuples(st.none(), st.floats(-5, 5)),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.just(object()),
    st.sampled_from(
        [
            np.zeros(0),
            np.zeros((2, 0)),
            np.ones((2, 3, 2)),
            np.array([1, "a"], dtype=object),
            np.array([np.nan, 1.0]),
            np.float64(1.0),
            np.int64(4),
            np.array(["x", "y"]),
            np.array([1 + 1j, 2.0]),
        ]
    ),
)

_BAD_FUNCTIONS = st.sampled_from(
    [
        lambda x: None,
        lambda x: "a",
        lambda x: {"a": 1},
        lambda x: np.asarray(x) + 1j,
        lambda x: [np.asarray(x), 1.0],
        lambda x: np.full(np.shape(x) + (2,), 1.0),
        lambda x: np.nan * np.asarray(x, dtype=float),
        lambda x: np.where(np.asarray(x) > 1.0, np.inf, 1.0),
        lambda x: np.zeros(0),
        lambda x: object(),
        lambda a, b: a,
        lambda: 1.0,
        _raises,
    ]
)

_SMOOTH = {
    "derivative": (np.sin, 1.0),
    "gradient": (lambda x: np.sin(x[0]) * x[1], [1.0, 2.0]),
    "jacobian": (lambda x: np.array([x[0] * x[1], np.exp(x[1])]), [1.0, 2.0]),
    "hessian": (lambda x: np.sin(x[0]) * x[1] ** 2, [1.0, 2.0]),
}
_ENTRY = {"derivative": derivative, "gradient": gradient, "jacobian": jacobian, "hessian": hessian}
_OPTIONS = ["method", "accuracy", "initial_step", "bounds", "rtol", "atol", "maxiter"]
_OPTIONS += ["vectorized", "args", "variables"]


def _check_outcome(call):
    """A clear error naming an argument, or a result whose failures are flagged."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DifferentiationWarning)
            res = call()
    except UserError:
        return  # f's own exception reaches the caller
    except (TypeError, ValueError, ModuleNotFoundError) as exc:
        message = str(exc)
        assert "numba" not in type(exc).__module__ and "Typing" not in type(exc).__name__
        assert re.search(r"`[a-z_]+", message), f"{type(exc).__name__}: {message}"
        assert "np.float64(" not in message, message
        return
    except Exception as exc:
        # f's own error when called with many points at once carries gradkit's hint
        notes = " ".join(getattr(exc, "__notes__", []))
        if "vectorized=False" not in notes:
            raise
        return
    value = np.asarray(res.value)
    assert value.shape == np.shape(res.error) == np.shape(res.success)
    # every entry that claims success is finite, with a finite error
    assert np.isfinite(value[res.success]).all()
    assert np.isfinite(np.asarray(res.error)[res.success]).all()


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(_ENTRY)), st.one_of(_BAD_FUNCTIONS, _JUNK), st.booleans())
def test_malformed_f_gives_a_clear_error(kind, f, vectorized):
    _, x = _SMOOTH[kind]
    _check_outcome(lambda: _ENTRY[kind](f, x, vectorized=vectorized, return_error=True))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(_ENTRY)), _JUNK)
def test_malformed_x_gives_a_clear_error(kind, x):
    f, _ = _SMOOTH[kind]
    if kind == "derivative":
        f = np.sin
    elif kind == "gradient":
        f = lambda v: np.sum(np.sin(v))  # noqa: E731  (any number of variables)
    elif kind == "jacobian":
        f = lambda v: np.stack([np.sum(v), np.prod(v)])  # noqa: E731
    else:
        f = lambda v: np.sum(v**2)  # noqa: E731
    _check_outcome(lambda: _ENTRY[kind](f, x, return_error=True))


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(sorted(_ENTRY)), st.sampled_from(_OPTIONS), _JUNK)
def test_malformed_option_gives_a_clear_error(kind, name, value):
    f, x = _SMOOTH[kind]
    if name == "args":
        # extra arguments that f does not take: a clear signature error
        _check_outcome(lambda: _ENTRY[kind](f, x, args=value, return_error=True))
        return
    _check_outcome(lambda: _ENTRY[kind](f, x, return_error=True, **{name: value}))


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(sorted(_ENTRY)),
    st.sampled_from(
        [A * sympy.sin(B), sympy.Abs(A) + B, sympy.Matrix([A * B, B]), sympy.Eq(A, B), A / B]
    ),
    st.one_of(st.none(), _JUNK, st.just([A, B]), st.just([B, A]), st.just([A])),
    st.one_of(_JUNK, st.just([1.0, 2.0]), st.just([[0.0, 1.0], [1.0, 0.0]])),
)
def test_malformed_sympy_calls_give_a_clear_error(kind, expr, variables, x):
    _check_outcome(lambda: _ENTRY[kind](expr, x, variables=variables, return_error=True))


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(sorted(_ENTRY)), st.sampled_from(["jax", "torch"]), _JUNK)
def test_autodiff_bridges_give_a_clear_error(kind, method, x):
    f, x0 = _SMOOTH[kind]
    _check_outcome(lambda: _ENTRY[kind](f, x, method=method, return_error=True))
    _check_outcome(lambda: _ENTRY[kind](f, x0, method=method, return_error=True))
