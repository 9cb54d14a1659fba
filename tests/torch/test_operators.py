"""gradkit.torch's derivative, hessian, laplacian, divergence and curl against gradkit's."""

import numpy as np
import pytest

import gradkit

torch = pytest.importorskip("torch")
gt = pytest.importorskip("gradkit.torch")


def _close(got, want, dtype):
    eps = np.finfo(np.float32 if dtype == torch.float32 else np.float64).eps
    assert got.dtype == dtype and tuple(got.shape) == want.shape
    np.testing.assert_allclose(
        got.detach().numpy(), want, rtol=0, atol=2e3 * eps * max(1.0, np.abs(want).max())
    )


@pytest.mark.parametrize("accuracy", [2, 6])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=str)
def test_operators_match_gradkit(accuracy, dtype):
    rng = np.random.default_rng(accuracy)
    np_dtype = np.float32 if dtype == torch.float32 else np.float64
    f = rng.standard_normal((9, 10)).astype(np_dtype)
    x = np.cumsum(rng.uniform(0.5, 1.5, 10))
    t = torch.tensor(f)
    xt = torch.tensor(x)
    got = gt.derivative(t, spacing=[0.3, xt], dim=(0, 1), order=(2, 1), accuracy=accuracy)
    _close(got, gradkit.derivative(f, 0.3, x, axis=(0, 1), order=(2, 1), accuracy=accuracy), dtype)
    got = gt.derivative(t, spacing=0.5, dim=-1, order=3, accuracy=accuracy, boundary="periodic")
    want = gradkit.derivative(f, 0.5, axis=-1, order=3, accuracy=accuracy, boundary="periodic")
    _close(got, want, dtype)
    _close(
        gt.hessian(t, spacing=[0.3, xt], accuracy=accuracy),
        gradkit.hessian(f, 0.3, x, accuracy=accuracy),
        dtype,
    )
    _close(
        gt.laplacian(t, spacing=[0.3, 0.2], accuracy=accuracy, boundary="periodic"),
        gradkit.laplacian(f, 0.3, 0.2, accuracy=accuracy, boundary="periodic"),
        dtype,
    )
    v2 = np.stack([f, f[::-1] ** 2])
    v3 = rng.standard_normal((3, 7, 8, 9)).astype(np_dtype)
    for name, v in [("divergence", v2), ("curl", v2), ("curl", v3), ("divergence", v3)]:
        want = getattr(gradkit, name)(v, accuracy=accuracy)
        _close(getattr(gt, name)(torch.tensor(v), accuracy=accuracy), want, dtype)
        _close(getattr(gt, name)(list(torch.tensor(v)), accuracy=accuracy), want, dtype)


def test_gradcheck_operators():
    t = torch.randn(6, 7, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a: gt.hessian(a, spacing=0.5, accuracy=4), (t,))
    assert torch.autograd.gradgradcheck(lambda a: gt.laplacian(a, accuracy=2), (t,))
    v = torch.randn(2, 6, 7, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a: gt.curl(a, accuracy=4), (v,))


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: gt.derivative(np.ones(5)), TypeError, "`input`"),
        (lambda: gt.derivative(torch.ones(5), order=5), ValueError, "`order`"),
        (lambda: gt.derivative(torch.ones(5, 5), dim=(0, 0)), ValueError, "repeat"),
        (lambda: gt.hessian(torch.ones(5), accuracy=3), ValueError, "`accuracy`"),
        (lambda: gt.laplacian(torch.tensor(1.0)), ValueError, "at least one dimension"),
        (lambda: gt.curl(torch.ones(4, 5, 5, 5, 5)), ValueError, "2-D or 3-D"),
        (lambda: gt.divergence([torch.ones(5, 5), torch.ones(5, 4)]), ValueError, "one shape"),
        (
            lambda: gt.derivative(torch.ones(5), spacing=[torch.arange(4.0)]),
            ValueError,
            "4 coordinates",
        ),
    ],
)
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
