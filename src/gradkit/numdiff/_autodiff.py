"""Automatic differentiation through jax or torch (imported only when asked for)."""

from __future__ import annotations

import warnings

import numpy as np

from ._errors import ArgumentTypeError


def _missing(name):
    return ModuleNotFoundError(
        f"`method={name!r}` needs {name}, which is not installed (pip install {name})."
    )


def _not_traceable(method, exc):
    """``f`` turned a traced value into a numpy array (it computes with numpy)."""
    lib = "jax.numpy" if method == "jax" else "torch"
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return TypeError(
        f"`method={method!r}` differentiates `f` by tracing it with {method}, so `f` must "
        f"compute with {lib} operations, not numpy ones (or use finite differences, "
        f"`method='auto'`); {method} reported: {first}"
    )


def _trace(kind, f, g, args, order, X, grad, vmap, jac, hessian):
    """The derivatives of ``kind`` at the points ``X`` through one framework's transforms.

    ``g`` is ``f`` of one point (see :func:`_point_function`); a derivative differentiates
    ``f(t, *args)`` ``order`` times, vectorised over ``X[:, 0]``.
    """
    if kind == "derivative":
        D = lambda t: f(t, *args)  # noqa: E731
        for _ in range(order):
            D = grad(D)
        return vmap(D)(X[:, 0])
    if kind == "gradient":
        return vmap(grad(g))(X)
    if kind == "jacobian":
        return vmap(jac(g))(X)
    return vmap(hessian(g))(X)


def _point_function(f, mode, n, args):
    if mode == "array":
        return lambda x: f(x, *args)
    if mode == "args":
        return lambda x: f(*[x[i] for i in range(n)], *args)
    return lambda x: f(x[0], *args)


def _layout(kind, out, P, n, vshape):
    """Autodiff output -> the engine layout used by ``_api._package``."""
    m = int(np.prod(vshape, dtype=np.int64))
    out = np.asarray(out, dtype=np.float64)
    if kind == "derivative":
        return out.reshape(P)
    if kind in ("gradient", "jacobian"):
        return np.swapaxes(out.reshape(P, m, n), 1, 2)
    return out.reshape(P, m, n, n)


def _check_value(v, kind):
    if np.iscomplexobj(v):
        raise ArgumentTypeError(
            f"`f` returned complex values (dtype {v.dtype}) for real `x`; a real result "
            "is expected."
        )
    if kind in ("derivative", "gradient", "hessian") and np.shape(v) != ():
        raise ValueError(f"`f` must return a scalar for `{kind}`; got shape {np.shape(v)}.")


def differentiate_autodiff(method, kind, f, pts, mode, order, vectorized, args):
    """Return (values in engine layout, value_shape, nfev, ncalls)."""
    P, n = pts.shape
    # f(q, chi, delta) given a list, and the like: the same hint as for finite differences
    from ._evaluate import Evaluator

    hint = Evaluator(f, mode, n, vectorized, args).binding_hint(
        Evaluator(f, mode, n, False, args).point_args(pts[0])
    )
    if hint is not None:
        raise TypeError(f"`f` cannot be called with the arguments `x` and `args` give. {hint}")
    g = _point_function(f, mode, n, args)
    if method == "jax":
        try:
            import jax
        except ImportError:
            raise _missing("jax") from None
        jnp = jax.numpy
        untraceable = (jax.errors.TracerArrayConversionError, jax.errors.ConcretizationTypeError)
        with jax.enable_x64(True):
            X = jnp.asarray(pts, dtype=jnp.float64)
            v0 = np.asarray(g(X[0]))
            _check_value(v0, kind)
            try:
                transforms = (jax.grad, jax.vmap, jax.jacfwd, jax.hessian)
                out = _trace(kind, f, g, args, order, X, *transforms)
            except untraceable as exc:
                raise _not_traceable(method, exc) from exc
            out = np.asarray(out)
    else:
        try:
            import torch
        except ImportError:
            raise _missing("torch") from None
        tf = torch.func
        X = torch.as_tensor(pts, dtype=torch.float64)
        with torch.no_grad(), warnings.catch_warnings():
            # numpy on a tensor (f written with numpy) warns that torch's __array_wrap__
            # lacks numpy 2's arguments (a torch matter); the trace below then says why
            # such an f cannot be differentiated
            warnings.filterwarnings("ignore", "__array_wrap__", DeprecationWarning)
            v0 = g(X[0])
        v0 = v0.detach().numpy() if isinstance(v0, torch.Tensor) else np.asarray(v0)
        _check_value(v0, kind)
        with warnings.catch_warnings():
            # torch.func's forward-mode decompositions import torch.jit.script, which
            # warns about its own deprecation (a torch-internal matter).
            warnings.filterwarnings("ignore", category=DeprecationWarning, module="torch")
            try:
                out = _trace(kind, f, g, args, order, X, tf.grad, tf.vmap, tf.jacrev, tf.hessian)
            except RuntimeError as exc:
                # (torch's message when f calls numpy on a tensor it differentiates)
                if "numpy()" not in str(exc):
                    raise
                raise _not_traceable(method, exc) from exc
        out = out.detach().numpy()
    vshape = tuple(np.shape(v0))
    return _layout(kind, out, P, n, vshape), vshape, P + 1, 2
