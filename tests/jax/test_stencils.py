"""gradkit.jax's stencils against gradkit's own (numpy) results and jax.numpy.gradient."""

import numpy as np
import pytest

import gradkit

jax = pytest.importorskip("jax")
jnp = jax.numpy
gj = pytest.importorskip("gradkit.jax")
from jax.test_util import check_grads  # noqa: E402


@pytest.fixture(params=[True, False], ids=["x64", "x32"])
def x64(request):
    """Each test runs with jax_enable_x64 on and off (restored afterwards)."""
    with jax.enable_x64(request.param):
        yield request.param


def _field(rng, shape):
    return rng.standard_normal(shape)


def _coords(rng, n, scale=1.0):
    return scale * np.cumsum(rng.uniform(0.5, 1.5, n))


def _close(got, want, dtype):
    """Equal to rounding: a few ulps of the largest magnitude, times the stencil's sum of
    absolute weights (up to ~1e3 for accuracy 10 on a non-uniform grid)."""
    got = np.asarray(got)
    assert got.shape == np.shape(want)
    eps = np.finfo(dtype).eps
    scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
    np.testing.assert_allclose(got, want, rtol=0, atol=2e3 * eps * scale)


def _as_tuple(g):
    return g if isinstance(g, tuple) else (g,)


@pytest.mark.parametrize("accuracy", [None, 2, 6, 10])
@pytest.mark.parametrize("boundary", ["one-sided", "periodic"])
@pytest.mark.parametrize("uniform", [True, False], ids=["uniform", "coords"])
def test_gradient_matches_gradkit(rng, x64, accuracy, boundary, uniform):
    dtype = np.float64 if x64 else np.float32
    f = _field(rng, (12, 13)).astype(dtype)
    x = _coords(rng, 13)
    spacing = (0.3, 0.7) if uniform else (0.3, x)
    period = None
    if boundary == "periodic" and not uniform:
        period = [None, float(x[-1] - x[0]) + 1.0]
    kw = dict(accuracy=accuracy, boundary=boundary, period=period)
    want = gradkit.gradient(f, *spacing, **kw)
    got = jax.jit(lambda a: gj.gradient(a, *spacing, **kw))(f)
    assert isinstance(got, tuple) and len(got) == 2
    for g, w in zip(got, want):
        assert g.dtype == dtype
        _close(g, w, dtype)


@pytest.mark.parametrize("accuracy", [None, 4])
def test_eager_equals_jit(rng, accuracy):
    f = _field(rng, (7, 8))
    x = _coords(rng, 8)
    eager = gj.gradient(jnp.asarray(f), 0.3, x, accuracy=accuracy)
    jitted = jax.jit(lambda a: gj.gradient(a, 0.3, x, accuracy=accuracy))(f)
    for e, j, w in zip(eager, jitted, gradkit.gradient(f, 0.3, x, accuracy=accuracy)):
        _close(e, w, e.dtype)
        _close(j, w, j.dtype)


@pytest.mark.parametrize("edge_order", [None, 1, 2])
def test_defaults_match_jnp_gradient_and_numpy(rng, x64, edge_order):
    dtype = np.float64 if x64 else np.float32
    f = _field(rng, (6, 7, 8)).astype(dtype)
    x = _coords(rng, 7)
    want = np.gradient(f, 0.5, x, 2.0, edge_order=edge_order or 1)
    got = gj.gradient(f, 0.5, x, 2.0, edge_order=edge_order)
    for g, w in zip(got, want):
        _close(g, w, dtype)
    if edge_order is None:  # jnp.gradient has no edge_order
        peer = jnp.gradient(jnp.asarray(f), 0.5, jnp.asarray(x, dtype=dtype), 2.0)
        for g, p in zip(got, peer):
            _close(g, np.asarray(p), dtype)


def test_axis_and_single_output(rng, x64):
    f = _field(rng, (5, 6))
    g = gj.gradient(f, 2.0, axis=-1, accuracy=4)
    assert not isinstance(g, tuple)
    _close(g, gradkit.gradient(f, 2.0, axis=-1, accuracy=4), g.dtype)
    assert gj.gradient(np.float64(3.0)) == ()


def test_integer_and_float16_dtypes(x64):
    f = np.arange(12).reshape(3, 4) ** 2
    g = gj.gradient(f)
    assert g[0].dtype == (jnp.float64 if x64 else jnp.float32)
    _close(g[1], gradkit.gradient(f)[1], g[1].dtype)
    h = gj.gradient(jnp.asarray(f, dtype=jnp.float16), accuracy=2, axis=1)
    want = gradkit.gradient(f, axis=1, accuracy=2)
    assert h.dtype == jnp.float16
    np.testing.assert_allclose(np.asarray(h, dtype=float), want, rtol=1e-3)


def test_complex(rng, x64):
    f = _field(rng, (9,)) + 1j * _field(rng, (9,))
    dtype = np.complex128 if x64 else np.complex64
    g = gj.gradient(f.astype(dtype), accuracy=4)
    assert g.dtype == dtype
    _close(g, gradkit.gradient(f.astype(dtype), accuracy=4), np.finfo(dtype).dtype)


def test_vmap_and_concrete_jax_coordinates(rng, x64):
    f = _field(rng, (4, 10))
    x = jnp.asarray(_coords(rng, 10))  # a concrete JAX array is taken as coordinates
    got = jax.vmap(lambda row: gj.gradient(row, x, accuracy=6))(f)
    want = gradkit.gradient(f, np.asarray(x), axis=1, accuracy=6)
    _close(got, want, got.dtype)
    got = jax.jit(jax.vmap(lambda row: gj.derivative(row, 0.25, order=2, accuracy=4)))(f)
    _close(got, gradkit.derivative(f, 0.25, axis=1, order=2, accuracy=4), got.dtype)


@pytest.mark.parametrize(
    "kw, order",
    [(dict(edge_order=2), 2), (dict(accuracy=4, boundary="periodic"), 2), (dict(accuracy=4), 1)],
)
def test_check_grads(rng, kw, order):
    with jax.enable_x64(True):
        f = jnp.asarray(_field(rng, (9, 5)))
        x = _coords(rng, 5)

        @jax.jit
        def loss(a):
            g0, g1 = gj.gradient(a, 0.5, x if "accuracy" not in kw else 0.4, **kw)
            return jnp.sum(jnp.sin(g0) * g1)

        check_grads(loss, (f,), order=order, modes=("fwd", "rev"))


@pytest.mark.parametrize("accuracy", [2, 6])
def test_operators_match_gradkit(rng, x64, accuracy):
    dtype = np.float64 if x64 else np.float32
    f = _field(rng, (9, 10)).astype(dtype)
    x = _coords(rng, 10)
    cases = [
        ("derivative", (f, 0.3, x), dict(axis=(0, 1), order=(2, 1))),
        ("derivative", (f, x), dict(axis=1, order=3, boundary="periodic", period=x[-1] + 1)),
        ("hessian", (f, 0.3, x), {}),
        ("laplacian", (f, 0.3, x), dict(boundary=["periodic", "one-sided"])),
    ]
    for name, args, kw in cases:
        want = getattr(gradkit, name)(*args, accuracy=accuracy, **kw)
        fn = getattr(gj, name)
        got = jax.jit(lambda a, fn=fn, args=args, kw=kw: fn(a, *args[1:], accuracy=accuracy, **kw))(
            args[0]
        )
        assert got.dtype == dtype and got.shape == want.shape, name
        _close(got, want, dtype)
    v2 = np.stack([f, f[::-1] ** 2])
    v3 = rng.standard_normal((3, 7, 8, 9)).astype(dtype)
    v3l = list(v3)
    for name, v in [("divergence", v2), ("curl", v2), ("curl", v3l), ("divergence", v3)]:
        want = getattr(gradkit, name)(v, accuracy=accuracy)
        fn = getattr(gj, name)
        got = jax.jit(lambda w, fn=fn: fn(w, accuracy=accuracy))(v)
        assert got.shape == want.shape, name
        _close(got, want, dtype)


def test_traced_spacing_is_named():
    f = jnp.arange(6.0) ** 2
    with pytest.raises(TypeError, match=r"`varargs\[0\]` is a traced JAX array"):
        jax.jit(lambda a, x: gj.gradient(a, x))(f, jnp.arange(6.0))
    with pytest.raises(TypeError, match=r"`varargs\[1\]` is a traced JAX array"):
        jax.jit(lambda a, h: gj.derivative(a, 1.0, h, axis=(0, 1)))(jnp.ones((4, 4)), 2.0)
    with pytest.raises(TypeError, match=r"`period` is a traced JAX array"):
        jax.jit(lambda a, p: gj.gradient(a, boundary="periodic", period=p))(f, 6.0)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: gj.gradient(np.ones(5), accuracy=3), ValueError, "`accuracy`"),
        (lambda: gj.gradient(np.ones(5), accuracy=4, edge_order=1), ValueError, "contradicts"),
        (lambda: gj.gradient(np.ones(5), edge_order=3), ValueError, "`edge_order`"),
        (lambda: gj.gradient(np.ones(2), edge_order=2), ValueError, "at least 3"),
        (lambda: gj.gradient(np.ones(5), accuracy=6), ValueError, "needs at least"),
        (lambda: gj.gradient(np.ones(5), np.ones(5)), ValueError, "strictly"),
        (lambda: gj.gradient(np.ones(5), np.arange(4.0)), ValueError, "4 coordinates"),
        (lambda: gj.gradient(np.ones(5), boundary="wrap"), ValueError, "`boundary`"),
        (lambda: gj.gradient(np.ones(5), period=2.0), ValueError, "`period`"),
        (lambda: gj.gradient(np.ones((3, 3)), axis=2), np.exceptions.AxisError, "`axis`"),
        (lambda: gj.gradient(np.array([True, False])), TypeError, "booleans"),
        (lambda: gj.gradient(np.sin), TypeError, "numdiff"),
        (lambda: gj.derivative(np.ones(5), order=5), ValueError, "`order`"),
        (lambda: gj.derivative(np.ones((5, 5)), axis=(0, 0)), ValueError, "repeat"),
        (lambda: gj.hessian(np.float64(1.0)), ValueError, "at least one dimension"),
        (lambda: gj.curl(np.ones((4, 5, 5, 5, 5))), ValueError, "2-D or 3-D"),
        (lambda: gj.divergence([np.ones((5, 5)), np.ones((5, 4))]), ValueError, "one shape"),
    ],
)
def test_errors_are_gradkits(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
