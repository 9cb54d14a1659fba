"""gradkit.torch.gradient against torch.gradient (its cases and errors) and gradkit.gradient."""

import numpy as np
import pytest

import gradkit

torch = pytest.importorskip("torch")
gt = pytest.importorskip("gradkit.torch")

# torch's own sample cases for torch.gradient (OpInfo "gradient"): size, spacing, dim,
# edge_order; S = 5
S = 5
FLOAT_CASES = [
    ((S,), None, None, 1),
    ((S,), 2.0, None, 1),
    ((S, S), None, None, 2),
    ((S, S), [2.0, 2.1], None, 1),
    ((S, S), [2.0, 2.1], (0, 1), 1),
    ((4, 4, 4), [2.0, 1.0], (0, 1), 2),
]
# coordinates, not necessarily monotonic (torch takes any order)
TENSOR_CASES = [
    ((3, 3, 3), ((1.1, 2.0, 3.5), (4.0, 2, 6.0)), (0, -1), 1),
    ((3, 3, 3), ((1.0, 3.0, 2.0), (8.0, 6.0, 1.0)), (0, 1), 2),
]
DTYPES = [torch.float32, torch.float64, torch.complex64, torch.complex128]


def _close(got, want, tol=None):
    assert isinstance(got, tuple) and isinstance(want, tuple) and len(got) == len(want)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape and g.device == w.device
        if tol is None:
            tol = 1e-5 if w.dtype in (torch.float32, torch.complex64) else 1e-12
        scale = max(1.0, float(w.abs().max()))
        torch.testing.assert_close(g, w, rtol=0, atol=tol * scale)


def _sample(size, dtype, seed=0):
    gen = torch.Generator().manual_seed(seed)
    t = torch.randn(size, generator=gen, dtype=torch.float64) * 3
    if dtype.is_complex:
        t = t + 1j * torch.randn(size, generator=gen, dtype=torch.float64)
    return t.to(dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("case", FLOAT_CASES, ids=str)
def test_torch_sample_cases_float_spacing(case, dtype):
    size, spacing, dim, edge_order = case
    t = _sample(size, dtype)
    kw = dict(dim=dim, edge_order=edge_order)
    if spacing is not None:
        kw["spacing"] = spacing
    _close(gt.gradient(t, **kw), torch.gradient(t, **kw))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("case", TENSOR_CASES, ids=str)
def test_torch_sample_cases_coordinates(case, dtype):
    size, coordinates, dim, edge_order = case
    t = _sample(size, dtype)
    real = dtype.to_real() if dtype.is_complex else dtype
    coords = [torch.tensor(c, dtype=real) for c in coordinates]
    kw = dict(spacing=coords, dim=dim, edge_order=edge_order)
    _close(gt.gradient(t, **kw), torch.gradient(t, **kw))


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(dim=-1),
        dict(dim=[1]),
        dict(spacing=3),
        dict(spacing=torch.tensor(0.5)),
        dict(spacing=(2,), dim=[1]),
        dict(spacing=None, edge_order=2),
        dict(dim=[], spacing=[]),
    ],
    ids=str,
)
def test_signature_forms(kw):
    t = _sample((6, 7), torch.float64)
    _close(gt.gradient(t, **kw), torch.gradient(t, **kw))


@pytest.mark.parametrize(
    "dtype", [torch.int64, torch.int32, torch.float16, torch.bfloat16], ids=str
)
def test_dtypes_as_torch(dtype):
    t = (_sample((5, 6), torch.float64) * 10).to(dtype)
    for edge_order in (1, 2):
        got = gt.gradient(t, edge_order=edge_order, spacing=0.5)
        want = torch.gradient(t, edge_order=edge_order, spacing=0.5)
        for g, w in zip(got, want):
            assert g.dtype == w.dtype
            torch.testing.assert_close(g.double(), w.double(), rtol=1e-2, atol=1e-2)


def test_coordinate_dtypes_promote_as_torch():
    t = _sample((5, 4), torch.float32)
    coords = [torch.arange(5, dtype=torch.float64) ** 1.5, torch.arange(4)]
    # float64 results from float32 samples: torch differences the samples in float32 at
    # the ends, gradkit in float64, so they agree to float32's rounding
    _close(gt.gradient(t, spacing=coords), torch.gradient(t, spacing=coords), tol=1e-6)


@pytest.mark.parametrize("accuracy", [2, 4, 6, 8, 10])
@pytest.mark.parametrize("boundary", ["one-sided", "periodic"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=str)
def test_accuracy_matches_gradkit(accuracy, boundary, dtype):
    rng = np.random.default_rng(accuracy)
    f = rng.standard_normal((13, 12))
    x = np.cumsum(rng.uniform(0.5, 1.5, 12))
    period = [None, float(x[-1] - x[0]) + 1.0] if boundary == "periodic" else None
    t = torch.tensor(f, dtype=dtype)
    coords = [torch.arange(13, dtype=dtype) * 0.25, torch.tensor(x, dtype=dtype)]
    got = gt.gradient(t, spacing=coords, accuracy=accuracy, boundary=boundary, period=period)
    np_dtype = np.float32 if dtype == torch.float32 else np.float64
    want = gradkit.gradient(
        f.astype(np_dtype),
        np.arange(13) * 0.25,
        x.astype(np_dtype),
        accuracy=accuracy,
        boundary=boundary,
        period=period,
    )
    for g, w in zip(got, want):
        assert g.dtype == dtype
        eps = np.finfo(np_dtype).eps
        np.testing.assert_allclose(g.numpy(), w, rtol=0, atol=2e3 * eps * np.abs(w).max())
    one = gt.gradient(t, spacing=0.5, dim=0, accuracy=accuracy, boundary=boundary)
    np.testing.assert_allclose(
        one[0].numpy(),
        gradkit.gradient(f.astype(np_dtype), 0.5, axis=0, accuracy=accuracy, boundary=boundary),
        rtol=0,
        atol=2e3 * np.finfo(np_dtype).eps * 30,
    )


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(edge_order=2, spacing=[0.5, 2.0]),
        dict(accuracy=4),
        dict(accuracy=6, boundary="periodic"),
        dict(accuracy=4, boundary=["periodic", "one-sided"], spacing=[0.3, 0.4]),
    ],
    ids=str,
)
def test_gradcheck_and_gradgradcheck(kw):
    t = _sample((7, 8), torch.float64).requires_grad_()

    def fn(a):
        return gt.gradient(a, **kw)

    assert torch.autograd.gradcheck(fn, (t,))
    assert torch.autograd.gradgradcheck(fn, (t,))


def test_gradcheck_with_coordinates():
    t = _sample((6, 5), torch.float64).requires_grad_()
    coords = [torch.tensor([0.0, 1.0, 3.0, 2.5, 5.0, 9.0], dtype=torch.float64)]
    assert torch.autograd.gradcheck(lambda a: gt.gradient(a, spacing=coords, dim=0), (t,))


def _error_cases():
    # torch's own error inputs for torch.gradient (OpInfo), over its dtypes
    for dtype in [torch.long, torch.float32, torch.complex64]:
        t = torch.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]], dtype=dtype)
        yield t, dict(spacing=[0.1], dim=(1, 0)), RuntimeError, "expected spacing to be"
        yield t, dict(edge_order=3), RuntimeError, "only supports edge_order=1 and edge_order=2"
        yield t, dict(spacing=0.1, dim=(1, 1)), RuntimeError, "dim 1 appears multiple times"
        meta = [torch.tensor([1, 2, 4]), torch.tensor([1, 2, 4], device="meta")]
        yield t, dict(spacing=meta, dim=(0, 1)), RuntimeError, "to be on the same device"
        yield t, dict(dim=3), IndexError, "out of range"
        yield torch.tensor([[1], [2], [3]]), {}, RuntimeError, "at least edge_order\\+1"
        yield torch.tensor([[1, 2], [3, 4]]), dict(edge_order=2), RuntimeError, "at least"
    t = torch.ones(4, 5)
    yield t, dict(spacing=[1.0]), RuntimeError, "self.dim\\(\\) = 2"
    yield t, dict(spacing=[torch.tensor(2.0)], dim=0), RuntimeError, "one dimension"
    yield t, dict(spacing=[torch.ones(2, 2)], dim=0), RuntimeError, "one dimension"
    yield torch.zeros(4, dtype=torch.uint8), {}, RuntimeError, "uint8"
    yield torch.tensor([True, False, True]), {}, RuntimeError, "bool"
    yield t, dict(spacing=[torch.arange(4.0), 2.0]), TypeError, "`spacing`"
    yield t, dict(spacing=torch.arange(4.0)), TypeError, "`spacing`"
    yield t, dict(spacing="a"), TypeError, "`spacing`"
    yield t, dict(edge_order=2.0), TypeError, "`edge_order`"
    yield t, dict(edge_order=True), TypeError, "`edge_order`"
    yield t, dict(dim=1.0), TypeError, "`dim`"


@pytest.mark.parametrize("t, kw, exc, match", list(_error_cases()))
def test_errors_have_torchs_types(t, kw, exc, match):
    with pytest.raises(exc):
        torch.gradient(t, **kw)
    with pytest.raises(exc, match=match):
        gt.gradient(t, **kw)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: gt.gradient([1.0, 2.0, 3.0]), TypeError, "`input`"),
        (lambda: gt.gradient(torch.ones(5), accuracy=3), ValueError, "`accuracy`"),
        (lambda: gt.gradient(torch.ones(5), accuracy=4, edge_order=2), ValueError, "contradicts"),
        (lambda: gt.gradient(torch.ones(5), accuracy=6), ValueError, "needs at least"),
        (lambda: gt.gradient(torch.ones(5), boundary="wrap"), ValueError, "`boundary`"),
        (lambda: gt.gradient(torch.ones(5), period=3.0), ValueError, "`period`"),
        (
            lambda: gt.gradient(torch.ones(5), spacing=[torch.ones(5)], accuracy=2),
            ValueError,
            "strictly",
        ),
        (
            lambda: gt.gradient(torch.ones(5), spacing=[torch.arange(4.0)]),
            ValueError,
            "`spacing\\[0\\]` has 4 coordinates",
        ),
        (
            lambda: gt.gradient(torch.ones(5), spacing=[torch.arange(5.0, requires_grad=True)]),
            ValueError,
            "requires grad",
        ),
    ],
)
def test_gradkit_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_periodic_with_booleans_and_integers_as_gradkit():
    t = torch.tensor([0, 1, 4, 9, 16, 25, 36])
    (g,) = gt.gradient(t, accuracy=2, boundary="periodic")
    assert g.dtype == torch.get_default_dtype()
    np.testing.assert_allclose(
        g.numpy(), gradkit.gradient(t.numpy(), accuracy=2, boundary="periodic"), rtol=1e-6
    )
