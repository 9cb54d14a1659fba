"""Malformed calls of the six sampled-array functions get a clear error naming the argument.

``BAD_CALLS`` is a table of distinct malformed calls (function, positional arguments,
keyword arguments, expected exception type, a regex that must match and that names the
argument in backticks); ``test_table_is_distinct_and_large`` counts them. The hypothesis
tests then draw calls mixing valid and malformed arguments for each entry point and accept
only a clear error (ValueError/TypeError/AxisError whose message holds a backticked
argument name) or a correct result (the analytic derivatives of a linear field, which every
stencil reproduces), never anything else: in particular never a numba error, a KeyError or
an IndexError that is not an AxisError.
"""

import importlib.util
import re

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import gradkit

pytestmark = pytest.mark.kernels

AxisError = np.exceptions.AxisError
HAVE_DASK = importlib.util.find_spec("dask") is not None

F = np.arange(24.0).reshape(4, 6) ** 1.5  # a 2-D field, 4 x 6
V = np.stack([F, 2 * F])  # a 2-D vector field
F1 = np.arange(8.0) ** 2


def _read_only(shape):
    a = np.zeros(shape)
    a.setflags(write=False)
    return a


def _unknown_chunks():
    import dask.array as da

    x = da.from_array(np.arange(10.0), chunks=3)
    return x[x > 2]


SCALAR_FUNCTIONS = ["gradient", "derivative", "hessian", "laplacian"]
VECTOR_FUNCTIONS = ["divergence", "curl"]
ALL = SCALAR_FUNCTIONS + VECTOR_FUNCTIONS


def _base(name):
    return V if name in VECTOR_FUNCTIONS else F


def _arg(name):
    return "v" if name in VECTOR_FUNCTIONS else "f"


def _two_axes(name):
    """Keyword arguments that make every function differentiate both axes of F."""
    return {"axis": (0, 1)} if name == "derivative" else {}


BAD_CALLS = []


def _add(name, args, kwargs, exc, match):
    BAD_CALLS.append((name, args, kwargs, exc, match))


# --- arguments shared by all six functions -------------------------------------------------
for name in ALL:
    base = (_base(name),)
    two = _two_axes(name)
    for bad in (3, 12, 0, -2, 11):
        _add(
            name, base, {**two, "accuracy": bad}, ValueError, r"`accuracy` must be an even integer"
        )
    for bad in (2.0, "4", True, [4], 4j):
        _add(name, base, {**two, "accuracy": bad}, TypeError, r"`accuracy` must be an integer")
    _add(name, base, {**two, "boundary": "wrap"}, ValueError, r"`boundary` must be one of")
    _add(
        name, base, {**two, "boundary": None}, TypeError, r"`boundary` must be a name or a sequence"
    )
    _add(name, base, {**two, "boundary": 3}, TypeError, r"`boundary` must be a name or a sequence")
    _add(name, base, {**two, "boundary": ["periodic"]}, ValueError, r"`boundary` must name one")
    _add(
        name,
        base,
        {**two, "boundary": ("periodic", "x")},
        ValueError,
        r"`boundary\[1\]` must be one",
    )
    _add(
        name,
        base,
        {**two, "period": 3.0},
        ValueError,
        r"`period` applies only to periodic.*`boundary`",
    )
    periodic = {**two, "boundary": "periodic"}
    _add(name, base, {**periodic, "period": -1.0}, ValueError, r"`period` must be a positive")
    _add(name, base, {**periodic, "period": np.nan}, ValueError, r"`period` must be a positive")
    _add(name, base, {**periodic, "period": "4"}, TypeError, r"`period` must be a positive number")
    _add(name, base, {**periodic, "period": True}, TypeError, r"`period` must be a positive number")
    _add(name, base, {**periodic, "period": np.ones((2, 2))}, TypeError, r"`period` must be a")
    _add(name, base, {**periodic, "period": [1.0]}, ValueError, r"`period` must be one number")
    _add(name, base, {**periodic, "period": 5.0}, ValueError, r"`period` 5.0 of axis 0 disagrees")
    # f / v itself
    arg = _arg(name)
    _add(name, (lambda x: x**2,), {}, TypeError, rf"`{arg}` must be an array of samples.*numdiff")
    _add(name, (np.sin, 0.1), {}, TypeError, rf"`{arg}` must be an array of samples.*numdiff")
    _add(name, (np.array([["a"] * 6] * 4),), {}, TypeError, rf"`{arg}` must hold numbers")
    if HAVE_DASK:
        _add(name, (_unknown_chunks(),), {}, ValueError, rf"`{arg}` .*unknown chunk sizes")
    # spacing
    spacing_errors = [
        ((1.0, 2.0, 3.0), TypeError, r"`varargs` must hold no spacing, one scalar, or one"),
        ((np.arange(3.0), 1.0), ValueError, r"`varargs\[0\]` has 3 coordinates"),
        ((1.0, np.arange(5.0)), ValueError, r"`varargs\[1\]` has 5 coordinates"),
        ((np.ones((4, 1)), 1.0), ValueError, r"`varargs\[0\]`.*scalars or 1d"),
        ((np.array([0.0, 2, 1, 3]), 1.0), ValueError, r"`varargs\[0\]`.*strictly increasing"),
        ((np.array([0.0, 1, 1, 3]), 1.0), ValueError, r"`varargs\[0\]`.*from 1.0 to 1.0"),
        ((np.array([0.0, 1, 2, np.inf]), 1.0), ValueError, r"`varargs\[0\]`.*must be finite"),
        ((1.0, np.array([0.0, 1, np.nan, 3, 4, 5])), ValueError, r"`varargs\[1\]`.*finite"),
        ((0.0,), ValueError, r"`varargs\[0\]` must be a finite, non-zero spacing"),
        ((np.inf,), ValueError, r"`varargs\[0\]` must be a finite, non-zero spacing"),
        (("a",), TypeError, r"`varargs\[0\]` must be a number"),
        ((None,), TypeError, r"`varargs\[0\]` must be a number"),
        ((np.array(list("abcd")), 1.0), TypeError, r"`varargs\[0\]`.*must hold numbers"),
        ((np.sin, 1.0), TypeError, r"`varargs\[0\]` must be a number"),
        (([[1, 2], [3]], 1.0), ValueError, r"`varargs\[0\]` must be a number or 1-D"),
    ]
    for spacing, exc, match in spacing_errors:
        _add(name, (_base(name), *spacing), two, exc, match)

# --- the operators other than gradient -------------------------------------------------
for name in ("derivative", "hessian", "laplacian"):
    _add(name, (np.float64(1.0),), {}, ValueError, r"`f` must have at least one dimension")
    _add(name, (np.ones(5, dtype="datetime64[s]"),), {}, TypeError, r"`f` must hold numbers")
    _add(name, ([[1.0, 2.0], [3.0]],), {}, ValueError, r"`f` must be array_like")
    _add(name, (np.ones((0, 3)),), {}, ValueError, r"`f` has 0 points along axis 0")
    _add(name, (np.ones(2),), {}, ValueError, r"`f` has 2 points along axis 0")
    _add(name, (np.ones(8),), {"accuracy": 10}, ValueError, r"`f` has 8 points.*`accuracy`=10")
    _add(name, (np.array([1, 2, 3], dtype=object),), {}, TypeError, r"`f` must hold numbers")

# --- gradient ---------------------------------------------------------------------------
G = "gradient"
for bad in (3, 0, -1):
    _add(G, (F,), {"edge_order": bad}, ValueError, r"`edge_order` must be 1 or 2")
for bad in (1.5, True, "1", [1]):
    _add(G, (F,), {"edge_order": bad}, TypeError, r"`edge_order` must be 1 or 2")
_add(G, (F,), {"edge_order": 1, "accuracy": 4}, ValueError, r"`edge_order`=1 contradicts")
_add(G, (F,), {"axis": 2}, AxisError, r"`axis` 2 is out of range")
_add(G, (F,), {"axis": -3}, AxisError, r"`axis` -3 is out of range")
_add(G, (F,), {"axis": 2**70}, AxisError, r"`axis` .* is out of range")
_add(G, (F,), {"axis": (0, 0)}, ValueError, r"`axis` must not repeat an axis")
_add(G, (F,), {"axis": [1, -1]}, ValueError, r"`axis` must not repeat an axis")
for bad in (1.0, True, "0", {}, (0, "1")):
    _add(G, (F,), {"axis": bad}, TypeError, r"`axis` must be None, an integer or a tuple")
for bad in ("yes", 1, None, np.array([True])):
    _add(G, (F,), {"return_error": bad}, TypeError, r"`return_error` must be True or False")
_add(G, (F1,), {"out": np.empty(8, np.int64)}, TypeError, r"`out` has dtype int64.*safely")
_add(G, (F1,), {"out": np.empty(8, np.float32)}, TypeError, r"`out` has dtype float32.*safely")
_add(G, (F1.astype(np.complex128),), {"out": np.empty(8)}, TypeError, r"`out` has dtype")
_add(G, (F1,), {"out": _read_only(8)}, ValueError, r"`out` must be writeable")
_add(G, (F1,), {"out": np.empty(7)}, ValueError, r"`out` must be an ndarray of shape \(8,\)")
_add(G, (F1,), {"out": 5}, TypeError, r"`out` must be an ndarray or a sequence")
_add(G, (F,), {"out": [np.empty((4, 6))]}, ValueError, r"`out` must hold one array per")
_add(G, (F,), {"out": [np.empty((4, 6)), [0.0] * 6]}, ValueError, r"`out\[1\]` must be an")
_add(G, (F,), {"out": [np.empty((4, 6)), _read_only((4, 6))]}, ValueError, r"`out\[1\]` must be w")
_add(G, (F,), {"out": [np.empty((4, 6)), np.empty((4, 6), np.int8)]}, TypeError, r"`out\[1\]` has")
_same = np.empty((4, 6))
_add(G, (F,), {"out": [_same, _same]}, ValueError, r"`out\[0\]` and `out\[1\]` share memory")
_big = np.arange(28.0).reshape(4, 7)
_add(G, (F,), {"out": [_big[:, :6], _big[:, 1:]]}, ValueError, r"`out\[0\]` and `out\[1\]` share")
_add(G, (np.array([True, False, True]),), {}, TypeError, r"`f` must hold numbers, not booleans")
_add(G, (np.array(["a", "b", "c"]),), {}, TypeError, r"`f` must hold numbers; got dtype <U1")
_add(G, (np.zeros(4, dtype=[("a", float)]),), {}, TypeError, r"`f` must hold numbers")
_add(G, (np.array(["a", 1, 2], dtype=object),), {}, TypeError, r"`f` \(dtype object\) holds")
_add(G, (np.ones(5, "M8[s]"),), {"accuracy": 2}, TypeError, r"`f` must hold numbers for `acc")
_add(G, (F1, np.arange(8) * 1j), {}, TypeError, r"`varargs\[0\]` is complex, but `f` is real")
_add(G, (F1, 1j), {}, TypeError, r"`varargs\[0\]` is complex, but `f` is real")
_add(G, (F1 * 1j, 1j), {"accuracy": 2}, TypeError, r"`varargs\[0\]` must be a real spacing")
_add(G, (F1, np.timedelta64(1, "s")), {}, TypeError, r"cannot combine `f`.*`varargs`")
_add(G, (np.arange(6.0),), {"accuracy": 4, "return_error": True}, ValueError, r"`return_error`")
_add(G, (np.ones(1),), {}, ValueError, r"`f` has 1 points along axis 0")
_add(G, (np.ones(2),), {"edge_order": 2}, ValueError, r"`f` has 2 points.*`edge_order`=2")
_add(G, ([[1.0, 2.0], [3.0]],), {}, ValueError, r"`f` must be array_like")
_add(G, (F1,), {"boundary": "periodic", "accuracy": 8}, ValueError, r"`f` has 8 points.*period")

# --- derivative -------------------------------------------------------------------------
D = "derivative"
for bad in (0, 5, -1):
    _add(D, (F,), {"order": bad}, ValueError, r"`order` must be an integer from 1 to 4")
for bad in (1.0, True, "2", np.array([1])):
    _add(D, (F,), {"order": bad}, TypeError, r"`order` must be an integer")
_add(D, (F,), {"axis": (0, 1), "order": (1, 2, 1)}, ValueError, r"`order` must give one order")
_add(D, (F,), {"order": ()}, ValueError, r"`order` must give one order per axis")
_add(D, (F,), {"axis": (1, 1)}, ValueError, r"`axis` must not repeat an axis")
_add(D, (F,), {"axis": (1, -1)}, ValueError, r"`axis` must not repeat an axis")
_add(D, (F,), {"axis": ()}, ValueError, r"`axis` must name at least one axis")
_add(D, (F,), {"axis": 5}, AxisError, r"`axis` 5 is out of range")
_add(D, (F,), {"axis": (0, 7)}, AxisError, r"`axis` 7 is out of range")
_add(D, (F,), {"axis": ("a",)}, TypeError, r"`axis` must be an integer or a tuple")
_add(D, (F,), {"axis": 0.0}, TypeError, r"`axis` must be None, an integer or a tuple")
_add(D, (F,), {"axis": {}}, TypeError, r"`axis` must be None, an integer or a tuple")
for bad in ("no", 0, None):
    _add(D, (F,), {"return_error": bad}, TypeError, r"`return_error` must be True or False")
_add(D, (F, 1.0, 2.0), {}, TypeError, r"`varargs` must hold no spacing, one scalar, or one")

# --- divergence and curl ----------------------------------------------------------------
for name in VECTOR_FUNCTIONS:
    _add(name, (np.float64(1.0),), {}, ValueError, r"`v` must be an array of shape")
    _add(name, ([F, np.ones((4, 5))],), {}, ValueError, r"`v` must hold components of one shape")
    _add(name, ([],), {}, ValueError, r"`v` must hold components of one shape")
    _add(name, ([F, np.array([["a"] * 6] * 4)],), {}, TypeError, r"`v\[1\]` must hold numbers")
    _add(name, ([F, np.sin],), {}, TypeError, r"`v\[1\]` must be an array of samples")
    _add(name, ("abc",), {}, TypeError, r"`v` must hold numbers")
    _add(name, (np.ones((3, 4, 6)),), {}, ValueError, r"`v` must have one component per axis")
_add("divergence", (np.ones((2, 4, 4, 4)),), {}, ValueError, r"`v` must have one component")
_add("curl", (np.ones((4, 3, 3, 3, 3)),), {}, ValueError, r"`v` must be a 2-D or 3-D vector")
_add("curl", ([np.arange(5.0)],), {}, ValueError, r"`v` must be a 2-D or 3-D vector field")


def _call_key(row):
    name, args, kwargs, _, _ = row
    return (name, _key(args), _key(kwargs))


def _key(value):
    """A hashable description of an argument, exact for arrays (dtype, shape, values,
    writeability), so that two rows count as distinct only if their calls differ."""
    if isinstance(value, dict):
        return tuple(sorted((k, _key(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__,) + tuple(_key(v) for v in value)
    if isinstance(value, np.ndarray):
        return ("ndarray", str(value.dtype), value.shape, value.tobytes(), value.flags.writeable)
    if callable(value):
        return ("callable", getattr(value, "__name__", repr(value)))
    if type(value).__module__.startswith("dask"):
        return ("dask", value.name)
    return (type(value).__name__, repr(value))


def test_table_is_distinct_and_large():
    keys = [_call_key(row) for row in BAD_CALLS]
    assert len(set(keys)) == len(keys), "duplicate rows in BAD_CALLS"
    assert len(keys) >= 150
    for _, _, _, _, match in BAD_CALLS:
        assert re.search(r"`[^`]+`", match), match  # every regex names an argument


def _ids():
    return [f"{i}-{row[0]}" for i, row in enumerate(BAD_CALLS)]


@pytest.mark.parametrize("name,args,kwargs,exc,match", BAD_CALLS, ids=_ids())
def test_bad_call(name, args, kwargs, exc, match):
    with pytest.raises(exc, match=match) as info:
        getattr(gradkit, name)(*args, **kwargs)
    assert "np.float64(" not in str(info.value) and "np.int64(" not in str(info.value)


# --- hypothesis: valid and malformed arguments mixed ---------------------------------------

N0, N1 = 12, 11


def _numba_error():
    from numba.core.errors import NumbaError

    return NumbaError


def _outcome(call, check):
    """Run ``call``: a clear error passes, a result must pass ``check``; anything else fails."""
    try:
        result = call()
    except _numba_error() as exc:  # pragma: no cover - the failure this test guards against
        raise AssertionError(f"numba error leaked: {exc}") from exc
    except AxisError as exc:
        assert re.search(r"`[^`]+`", str(exc)), str(exc)
        return "error"
    except (KeyError, IndexError) as exc:  # pragma: no cover
        raise AssertionError(f"{type(exc).__name__} leaked: {exc}") from exc
    except (ValueError, TypeError) as exc:
        message = str(exc)
        assert re.search(r"`[^`]+`", message), message
        assert "np.float64(" not in message, message
        event("clear error")
        return "error"
    check(result)
    event("correct result")
    return "result"


def _grid(data):
    """Coordinates of both axes and the spacing arguments that describe them (or a malformed
    spacing argument and None coordinates)."""
    form = data.draw(st.sampled_from(["scalar", "coords", "none", "mixed", "coords", "bad"]))
    if form == "none":
        return (), (np.arange(N0, dtype=float), np.arange(N1, dtype=float))
    if form == "scalar":
        h = data.draw(st.sampled_from([0.5, 2.0, 1e-3, 3]))
        return (h,), (h * np.arange(N0), h * np.arange(N1))
    if form in ("coords", "mixed"):
        seed = data.draw(st.integers(0, 1000))
        rng = np.random.default_rng(seed)
        x0 = np.cumsum(rng.uniform(0.5, 1.5, N0))
        if data.draw(st.booleans()):
            x0 = x0[::-1].copy()
        x1 = np.cumsum(rng.uniform(0.5, 1.5, N1))
        if form == "mixed":
            return (x0, 0.25), (x0, 0.25 * np.arange(N1))
        return (list(x0), x1.astype(">f8")), (x0, x1)
    bad = data.draw(
        st.sampled_from(
            [
                (1.0, 2.0, 3.0),
                (0.0,),
                (np.nan,),
                ("a",),
                (None,),
                (np.arange(3.0), 1.0),
                (np.ones((N0, 2)), 1.0),
                (np.r_[0.0, np.ones(N0 - 1)], 1.0),
                (np.r_[np.arange(N0 - 1.0), np.inf], 1.0),
                (np.sin, 1.0),
            ]
        )
    )
    return bad, None


_bad_accuracy = st.sampled_from([3, 12, 0, 2.0, "4", True, [4], -2])
_bad_boundary = st.sampled_from(["wrap", None, 3, ["periodic"] * 3, ("one-sided", "x")])
_bad_period = st.sampled_from([3.0, -1.0, "4", np.nan])
_bad_flag = st.sampled_from(["no", 1, 0, None, np.array([True])])
_bad_f = st.sampled_from(
    [
        lambda x: x,
        np.array([["a"] * N1] * N0),
        np.array([[1, "a"]] * 3, dtype=object),
        [[1.0, 2.0], [3.0]],
        np.float64(1.0),
    ]
)


def _maybe(data, valid, bad, name, kwargs):
    """Set ``kwargs[name]`` to a valid value (or leave it out) or, sometimes, a bad one."""
    choice = data.draw(st.sampled_from(["valid", "default", "valid", "default", "bad"]))
    if choice == "valid":
        kwargs[name] = data.draw(valid)
    elif choice == "bad":
        kwargs[name] = data.draw(bad)


def _field(data, coords, components=1):
    """A linear field (every stencil differentiates it exactly) and its slopes, or a
    malformed ``f``."""
    if coords is None or data.draw(st.integers(0, 7)) == 7:
        return data.draw(_bad_f), None
    X, Y = np.meshgrid(coords[0], coords[1], indexing="ij")
    slopes = np.array(data.draw(st.lists(st.floats(-3, 3), min_size=2, max_size=2)))
    dtype = data.draw(st.sampled_from([np.float64, np.float64, np.float32, ">f8"]))
    fields, all_slopes = [], []
    for c in range(components):
        s = slopes * (c + 1) + c
        fields.append((s[0] * X + s[1] * Y + 1.0).astype(dtype))
        all_slopes.append(s)
    f = fields[0] if components == 1 else np.stack(fields)
    if HAVE_DASK and data.draw(st.integers(0, 7)) == 7:
        import dask.array as da

        f = da.from_array(f, chunks=data.draw(st.sampled_from([1, 2, 5])))
    return f, np.array(all_slopes)


def _close(result, want, f, coords, order):
    """``result`` equals ``want`` up to the rounding of an order-``order`` difference of
    ``f`` on ``coords``: about ``eps * max|f| / h**order`` times the stencil's weights."""
    result = np.asarray(result.compute() if hasattr(result, "compute") else result)
    h = min(np.abs(np.diff(c)).min() for c in coords)
    eps = np.finfo(result.dtype).eps
    size = np.abs(np.asarray(f.compute() if hasattr(f, "compute") else f, float)).max()
    tol = 1e3 * eps * (1 + size) / h**order
    np.testing.assert_allclose(result.astype(float), want, rtol=0, atol=tol)


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_gradient_malformed_or_correct(data):
    spacing, coords = _grid(data)
    f, slopes = _field(data, coords)
    kwargs = {}
    _maybe(data, st.sampled_from([2, 4, 6]), _bad_accuracy, "accuracy", kwargs)
    if "accuracy" not in kwargs:
        _maybe(
            data, st.sampled_from([1, 2]), st.sampled_from([0, 3, 1.5, True]), "edge_order", kwargs
        )
    _maybe(data, st.just("one-sided"), _bad_boundary, "boundary", kwargs)
    _maybe(data, st.none(), _bad_period, "period", kwargs)
    _maybe(data, st.booleans(), _bad_flag, "return_error", kwargs)
    _maybe(
        data,
        st.sampled_from([0, 1, -1, (0, 1)]),
        st.sampled_from([2, -3, (0, 0), 1.0, True]),
        "axis",
        kwargs,
    )
    if data.draw(st.integers(0, 7)) == 7:
        kwargs["out"] = data.draw(
            st.sampled_from(
                [
                    np.empty((N0, N1), np.int64),
                    np.empty((N0, N1), np.float16),
                    _read_only((N0, N1)),
                    5,
                ]
            )
        )

    def check(result):
        assert slopes is not None, "a malformed f was accepted"
        axis = kwargs.get("axis")
        axes = [0, 1] if axis is None else ([axis] if isinstance(axis, int) else list(axis))
        axes = [a % 2 for a in axes]
        values = result[0] if kwargs.get("return_error") else result
        values = [values] if len(axes) == 1 else list(values)
        assert len(values) == len(axes)
        for a, v in zip(axes, values):
            _close(v, np.full((N0, N1), slopes[0][a]), f, coords, 1)

    _outcome(lambda: gradkit.gradient(f, *spacing, **kwargs), check)


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_derivative_malformed_or_correct(data):
    spacing, coords = _grid(data)
    f, slopes = _field(data, coords)
    kwargs = {"axis": (0, 1)}
    _maybe(data, st.sampled_from([2, 4, 6]), _bad_accuracy, "accuracy", kwargs)
    _maybe(
        data,
        st.sampled_from([1, 2, 3, (1, 1), (2, 1)]),
        st.sampled_from([0, 5, 1.0, True, (1, 2, 3)]),
        "order",
        kwargs,
    )
    _maybe(data, st.just("one-sided"), _bad_boundary, "boundary", kwargs)
    _maybe(data, st.none(), _bad_period, "period", kwargs)
    _maybe(data, st.booleans(), _bad_flag, "return_error", kwargs)
    if data.draw(st.booleans()):
        kwargs["axis"] = data.draw(st.sampled_from([(0, 1), (1, 1), (), (0, 5), ("a",)]))

    def check(result):
        assert slopes is not None, "a malformed f was accepted"
        values = result[0] if kwargs.get("return_error") else result
        order = kwargs.get("order", 1)
        total = sum(order) if isinstance(order, tuple) else 2 * order
        # mixed or higher derivatives of a linear field vanish
        _close(values, np.zeros((N0, N1)), f, coords, total)

    _outcome(lambda: gradkit.derivative(f, *spacing, **kwargs), check)


@settings(max_examples=50, deadline=None)
@given(data=st.data(), name=st.sampled_from(["hessian", "laplacian"]))
def test_hessian_and_laplacian_malformed_or_correct(data, name):
    spacing, coords = _grid(data)
    f, slopes = _field(data, coords)
    kwargs = {}
    _maybe(data, st.sampled_from([2, 4]), _bad_accuracy, "accuracy", kwargs)
    _maybe(data, st.just("one-sided"), _bad_boundary, "boundary", kwargs)
    _maybe(data, st.none(), _bad_period, "period", kwargs)

    def check(result):
        assert slopes is not None, "a malformed f was accepted"
        shape = (2, 2, N0, N1) if name == "hessian" else (N0, N1)
        _close(result, np.zeros(shape), f, coords, 2)

    _outcome(lambda: getattr(gradkit, name)(f, *spacing, **kwargs), check)


@settings(max_examples=50, deadline=None)
@given(data=st.data(), name=st.sampled_from(["divergence", "curl"]))
def test_divergence_and_curl_malformed_or_correct(data, name):
    spacing, coords = _grid(data)
    v, slopes = _field(data, coords, components=2)
    if slopes is not None and data.draw(st.booleans()):
        v = [v[0], v[1]]  # a sequence of components
    kwargs = {}
    _maybe(data, st.sampled_from([2, 4]), _bad_accuracy, "accuracy", kwargs)
    _maybe(data, st.just("one-sided"), _bad_boundary, "boundary", kwargs)
    _maybe(data, st.none(), _bad_period, "period", kwargs)

    def check(result):
        assert slopes is not None, "a malformed v was accepted"
        # v_i = s_i0 x + s_i1 y + 1: div = s_00 + s_11, curl = s_10 - s_01
        want = slopes[0][0] + slopes[1][1] if name == "divergence" else slopes[1][0] - slopes[0][1]
        _close(result, np.full((N0, N1), want), v if not isinstance(v, list) else v[0], coords, 1)

    _outcome(lambda: getattr(gradkit, name)(v, *spacing, **kwargs), check)
