"""Public functions: validation once, then finite differences, complex step, sympy or autodiff."""

from __future__ import annotations

import math
import sys
import warnings

import numpy as np

from .._validation import check_choice, result_float_dtype
from . import _engine
from ._errors import ArgumentTypeError, check_integer, plain, shown
from ._evaluate import Evaluator
from ._result import DifferentiationWarning, DiffResult

_METHODS = frozenset({"auto", "central", "forward", "backward", "complex", "sympy", "jax", "torch"})
_FD_METHODS = frozenset({"central", "forward", "backward"})
_EPS = float(np.finfo(np.float64).eps)
# Default first step per derivative order (times max(1, eps**0.25 |x|)): rounding error
# grows like 1 / h**d, so higher derivatives start from a larger step.
_DEFAULT_STEP = {1: 0.125, 2: 0.5, 3: 0.5, 4: 0.5}
_COMPLEX_STEP = 1e-20


# --------------------------------------------------------------------------------------
# argument parsing
# --------------------------------------------------------------------------------------
def _is_sympy(obj) -> bool:
    if "sympy" not in sys.modules:
        return False
    import sympy

    return isinstance(obj, (sympy.Basic, sympy.MatrixBase))


def _detect_autodiff(f):
    """'jax' for jax-transformed callables (jax.jit, ...), 'torch' for torch modules."""
    mod = type(f).__module__ or ""
    if mod.startswith(("jax", "jaxlib")):
        return "jax"
    if "torch" in sys.modules:
        import torch

        if isinstance(f, torch.nn.Module):
            return "torch"
    return None


def _as_real_array(x, name="x", allow_bool=True):
    """``x`` as a numeric array (booleans promote, as numpy does), or raise naming it."""

    def bad():
        return ArgumentTypeError(f"`{name}` must be array_like of real numbers; got {shown(x)}.")

    if x is None or isinstance(x, (str, bytes, dict, set)):
        raise bad()
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError):  # ragged nested sequences
        raise bad() from None
    if arr.dtype == object:
        if any(v is None or isinstance(v, (str, bytes)) for v in arr.flat):
            raise bad()
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise bad() from None
    if arr.dtype.kind == "c":
        raise ArgumentTypeError(
            f"`{name}` must be real; got complex values (dtype {arr.dtype}). Use "
            "`method='complex'` for the complex step; it adds the imaginary part itself."
        )
    if arr.dtype.kind not in ("biuf" if allow_bool else "iuf"):
        raise bad()
    return arr


def _parse_points(kind, x, vectorized):
    """Return (points (P, n) float64, batch_shape, mode, n, result dtype)."""
    if kind == "derivative":
        arr = _as_real_array(x)
        if arr.size == 0:
            raise ValueError(f"`x` is empty (shape {arr.shape}); nothing to differentiate.")
        dtype = result_float_dtype(arr.dtype)
        pts = arr.astype(np.float64).reshape(-1, 1)
        return pts, arr.shape, "scalar", 1, dtype
    if isinstance(x, tuple):
        if len(x) == 0:
            raise ValueError("`x` is empty (an empty tuple); nothing to differentiate.")
        comps = [_as_real_array(c, "x") for c in x]
        try:
            comps_b = np.broadcast_arrays(*comps)
        except ValueError:
            raise ValueError(
                "the entries of the tuple `x` must broadcast together; got shapes "
                f"{[c.shape for c in comps]}."
            ) from None
        dtype = result_float_dtype(np.result_type(*[c.dtype for c in comps]))
        stacked = np.stack([c.astype(np.float64) for c in comps_b], axis=-1)
        if stacked.size == 0:
            raise ValueError("`x` is empty; nothing to differentiate.")
        n = len(x)
        return stacked.reshape(-1, n), stacked.shape[:-1], "args", n, dtype
    arr = _as_real_array(x)
    if arr.ndim == 0:
        raise ValueError(
            "`x` must have shape (n,) or (..., n); got a scalar. Use "
            "`gradkit.numdiff.derivative` for functions of one scalar, or pass `x` as a "
            "tuple of scalars for a function of several scalar arguments."
        )
    if arr.size == 0:
        raise ValueError(f"`x` is empty (shape {arr.shape}); nothing to differentiate.")
    dtype = result_float_dtype(arr.dtype)
    n = arr.shape[-1]
    return arr.astype(np.float64).reshape(-1, n), arr.shape[:-1], "array", n, dtype


def _parse_bounds(bounds, pts, batch_shape, kind):
    if bounds is None:
        return None
    if isinstance(bounds, np.ndarray) and bounds.ndim >= 1:
        bounds = tuple(bounds)  # (2, ...) array: lower, upper
    if not (isinstance(bounds, (tuple, list)) and len(bounds) == 2):
        raise ValueError(
            f"`bounds` must be a pair (lower, upper) of scalars or arrays; got {shown(bounds)}."
        )
    P, n = pts.shape
    shape = batch_shape if kind == "derivative" else tuple(batch_shape) + (n,)
    out = []
    for b, default in zip(bounds, (-np.inf, np.inf), strict=True):
        b = default if b is None else b
        arr = _as_real_array(b, "bounds").astype(np.float64)
        try:
            arr = np.broadcast_to(arr, shape)
        except ValueError:
            raise ValueError(
                f"`bounds` entries must broadcast to shape {shape}; got shape {arr.shape}."
            ) from None
        if np.isnan(arr).any():
            raise ValueError("`bounds` must not contain NaN.")
        out.append(arr.reshape(P, n))
    lo, hi = out
    if (lo >= hi).any():
        i = np.argwhere(lo >= hi)[0]
        raise ValueError(
            "`bounds` must satisfy lower < upper for every variable; got lower "
            f"{float(lo[i[0], i[1]])!r} and upper {float(hi[i[0], i[1]])!r}."
        )
    if ((pts < lo) | (pts > hi)).any():
        i = np.argwhere((pts < lo) | (pts > hi))[0]
        raise ValueError(
            f"`x` must lie within `bounds`; got {float(pts[i[0], i[1]])!r} outside "
            f"[{float(lo[i[0], i[1]])!r}, {float(hi[i[0], i[1]])!r}]."
        )
    return lo, hi


def _check_tolerance(value, name, default):
    if value is None:
        return default
    if isinstance(value, (bool, np.bool_, str, bytes)) or np.ndim(value) != 0:
        raise ArgumentTypeError(f"`{name}` must be a non-negative float; got {shown(value)}.")
    try:
        v = float(value)
    except (TypeError, ValueError):
        msg = f"`{name}` must be a non-negative float; got {shown(value)}."
        raise ArgumentTypeError(msg) from None
    if not (v >= 0 and math.isfinite(v)):
        raise ValueError(f"`{name}` must be a non-negative finite float; got {shown(value)}.")
    return v


def _initial_steps(initial_step, pts, directions, n, d):
    """Base step per entry (P, K): default ``c_d * max(1, eps**(1/4) * |x|)`` per variable."""
    if initial_step is None:
        per_var = _DEFAULT_STEP[d] * np.maximum(1.0, _EPS**0.25 * np.abs(pts))  # (P, n)
    else:
        s = _as_real_array(initial_step, "initial_step", allow_bool=False).astype(np.float64)
        if not (np.all(np.isfinite(s)) and np.all(s > 0)):
            raise ValueError(
                f"`initial_step` must be positive and finite; got {shown(initial_step)}."
            )
        try:
            per_var = np.broadcast_to(s, pts.shape) if s.ndim <= 1 else None
        except ValueError:
            per_var = None
        if per_var is None:
            raise ValueError(
                f"`initial_step` must be a scalar or have one entry per variable ({n}); "
                f"got shape {s.shape}."
            )
    support = directions != 0  # (K, n)
    if (support.sum(axis=1) == 1).all():  # unit directions: one variable each
        return np.asarray(per_var)[:, np.argmax(support, axis=1)]
    big = np.where(support[None, :, :], per_var[:, None, :], np.inf)
    return big.min(axis=2)  # (P, K)


def _sides_and_steps(method, h0, pts, directions, bnds):
    P, K = h0.shape
    side0 = {"central": 0, "forward": 1, "backward": -1}[method]
    side = np.full((P, K), side0, dtype=np.int64)
    if bnds is None:
        return side, h0
    lo, hi = bnds
    V = directions[None, :, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        up = np.where(V > 0, (hi - pts)[:, None, :] / V, np.inf)
        up = np.minimum(up, np.where(V < 0, (pts - lo)[:, None, :] / -V, np.inf))
        dn = np.where(V > 0, (pts - lo)[:, None, :] / V, np.inf)
        dn = np.minimum(dn, np.where(V < 0, (hi - pts)[:, None, :] / -V, np.inf))
    room_up = up.min(axis=2)
    room_dn = dn.min(axis=2)
    h = h0.copy()
    if side0 == 0:
        both = np.minimum(room_up, room_dn)
        central = both >= h0 / 8.0
        h = np.where(central, np.minimum(h0, both), h)
        fwd = ~central & (room_up >= room_dn)
        bwd = ~central & ~fwd
        side[fwd] = 1
        side[bwd] = -1
        h = np.where(fwd, np.minimum(h0, room_up), h)
        h = np.where(bwd, np.minimum(h0, room_dn), h)
    else:
        room = room_up if side0 == 1 else room_dn
        if (room <= 0).any():
            word = "upper" if side0 == 1 else "lower"
            raise ValueError(
                f"`method={method!r}` needs room above/below `x`, but `x` is at the {word} "
                "bound for some variable; use `method='auto'` to pick the side automatically."
            )
        h = np.minimum(h0, room)
    if (h <= 0).any():
        raise ValueError("`bounds` leave no room to step away from `x`.")
    return side, h


# --------------------------------------------------------------------------------------
# the common driver
# --------------------------------------------------------------------------------------
def _differentiate(
    kind,
    f,
    x,
    *,
    order,
    method,
    accuracy,
    initial_step,
    bounds,
    rtol,
    atol,
    maxiter,
    vectorized,
    args,
    variables,
    return_error,
):
    method = check_choice(plain(method), "method", _METHODS)
    if kind == "derivative":
        order = check_integer(order, "n", minimum=1, maximum=4)
    accuracy = check_integer(accuracy, "accuracy", minimum=2, maximum=16, even=True)
    maxiter = check_integer(maxiter, "maxiter", minimum=1, maximum=100)
    if not isinstance(vectorized, (bool, np.bool_)):
        raise TypeError(f"`vectorized` must be True or False; got {shown(vectorized)}.")
    if not isinstance(return_error, (bool, np.bool_)):
        raise TypeError(f"`return_error` must be True or False; got {shown(return_error)}.")
    if not isinstance(args, tuple):
        args = (args,)
    rtol = _check_tolerance(rtol, "rtol", _EPS ** (2.0 / 3.0))
    atol = _check_tolerance(atol, "atol", float(np.finfo(np.float64).tiny))

    symbolic = _is_sympy(f)
    if method == "sympy" or (method == "auto" and symbolic):
        if not symbolic:
            raise TypeError(f"`method='sympy'` needs a sympy expression for `f`; got {shown(f)}.")
        from ._symbolic import differentiate_sympy

        if bounds is not None:
            raise ValueError("`bounds` does not apply to `method='sympy'` (exact derivatives).")

        pts, batch, mode, n, dtype = _parse_points(kind, x, vectorized)
        val, jump, vshape = differentiate_sympy(kind, f, pts, order, variables, mode)
        return _exact_result(
            kind, val, jump, pts.shape[0], batch, dtype, 0, 0, "sympy", return_error, vshape
        )
    if symbolic:
        raise TypeError(
            f"`f` is a sympy expression; use `method='sympy'` or 'auto', not {method!r}."
        )
    if not callable(f):
        raise ArgumentTypeError(f"`f` must be callable (or a sympy expression); got {shown(f)}.")
    if variables is not None:
        raise ValueError("`variables` applies only to sympy expressions.")

    pts, batch, mode, n, dtype = _parse_points(kind, x, vectorized)
    if not np.isfinite(pts).all():
        bad = pts[~np.isfinite(pts).all(axis=1)][0]
        text = np.array2string(bad) if n > 1 else repr(float(bad[0]))
        raise ValueError(f"`x` must be finite; got {text}.")

    if method == "auto":
        method = _detect_autodiff(f) or "auto"
    if method in ("jax", "torch"):
        from ._autodiff import differentiate_autodiff

        if bounds is not None:
            raise ValueError(f"`bounds` does not apply to `method={method!r}`.")
        val, vshape, nfev, ncalls = differentiate_autodiff(
            method, kind, f, pts, mode, order, vectorized, args
        )
        return _exact_result(
            kind, val, None, pts.shape[0], batch, dtype, nfev, ncalls, method, return_error, vshape
        )

    bnds = _parse_bounds(bounds, pts, batch, kind)
    ev = Evaluator(f, mode, n, vectorized, args)
    # (Fortran order, as the stencil batches: a vectorised f reading X[:, i] streams)
    f0 = ev(np.asfortranarray(pts) if vectorized else pts)
    if kind in ("derivative", "gradient", "hessian") and ev.value_shape != ():
        what = {
            "derivative": "a scalar for each element of `x`",
            "gradient": "a scalar (use `jacobian` for vector-valued functions)",
            "hessian": "a scalar",
        }[kind]
        raise ValueError(f"`f` must return {what}; got values of shape {ev.value_shape}.")
    if not np.isfinite(f0).all():
        i = np.flatnonzero(~np.isfinite(f0).all(axis=1))[0]
        xi = np.array2string(pts[i]) if n > 1 else repr(float(pts[i, 0]))
        fi = np.array2string(f0[i]) if f0.shape[1] > 1 else repr(float(f0[i, 0]))
        raise ValueError(
            f"`f` returned a non-finite value {fi} at x = {xi}; derivatives need a finite "
            "value at `x`."
        )
    eps = max(_EPS, float(np.finfo(ev.out_dtype).eps))
    if kind == "hessian":
        directions, pairs = _hessian_directions(n)
        d = 2
    else:
        directions = np.eye(n)
        pairs = None
        d = order if kind == "derivative" else 1

    if method == "complex":
        if d != 1:
            raise ValueError(
                "`method='complex'` (complex step) computes first derivatives only; got "
                f"derivative order {d}. Use 'central' for higher derivatives."
            )
        with np.errstate(all="ignore"):
            val, err, success = _complex_step(ev, pts, f0, directions, eps, bnds)
        used = "complex"
    else:
        fd_method = "central" if method == "auto" else method
        h0 = _initial_steps(initial_step, pts, directions, n, d)
        side, h = _sides_and_steps(fd_method, h0, pts, directions, bnds)
        pb = _engine.Problem(
            evaluate=ev,
            x=pts,
            f0=f0,
            directions=directions,
            d=d,
            h0=h,
            side=side,
            accuracy=accuracy,
            rtol=rtol,
            atol=atol,
            maxiter=maxiter,
            eps=eps,
        )
        # (inf - inf in windows that met f's singularities: handled, not warned about)
        with np.errstate(all="ignore"):
            res = _engine.run(pb)
        val, err, success = res.value, res.error, res.success
        used = fd_method if (side == 0).all() or fd_method != "central" else "central/one-sided"

    if kind == "hessian":
        val, err, success = _assemble_hessian(val, err, success, pairs, n)
    nbad = int((~success).sum())
    if nbad and method != "complex":  # the complex step warns about its own check
        warnings.warn(
            f"{nbad} of {success.size} derivatives did not reach the tolerance "
            f"(rtol={rtol:.3g}, atol={atol:.3g}); the function may vary faster than the "
            "smallest step resolves, be noisy, or not be differentiable there. Their error "
            "estimates (return_error=True) are large or infinite.",
            DifferentiationWarning,
            stacklevel=3,
        )
    return _package(
        kind,
        val,
        err,
        pts.shape[0],
        batch,
        dtype,
        ev.nfev,
        ev.ncalls,
        used,
        return_error,
        success,
        value_shape=ev.value_shape,
    )


def _rounding_error(val):
    return 4.0 * _EPS * np.abs(val)


def _exact_result(kind, val, jump, P, batch, dtype, nfev, ncalls, method, return_error, vshape):
    """Package sympy or autodiff values (engine layout): the rounding level as the error,
    plus ``jump`` (half the one-sided disagreement at a kink; sympy only). Non-finite
    values and kinks are failures, with a warning."""
    val = np.asarray(val, dtype=np.float64)
    bad = ~np.isfinite(val)
    err = _rounding_error(val)
    if jump is not None:
        bad |= jump > 0
        err = err + jump
    err = np.where(np.isfinite(val), err, np.inf)
    # success per entry of the engine layout's directions (as _package expects)
    if kind == "derivative":
        success = ~bad
    elif kind in ("gradient", "jacobian"):
        success = ~bad.any(axis=2)  # (P, n, m) -> (P, n)
    else:
        success = ~bad.any(axis=1)  # (P, m, n, n) -> (P, n, n)
    nbad = int(bad.sum())
    if nbad:
        warnings.warn(
            f"{nbad} of {bad.size} derivatives from `method={method!r}` are not finite or "
            "jump at `x` (one-sided derivatives disagree: Abs, Piecewise, Max, ...); their "
            "success is False and their error (return_error=True) large or infinite.",
            DifferentiationWarning,
            stacklevel=4,
        )
    return _package(
        kind, val, err, P, batch, dtype, nfev, ncalls, method, return_error, success, vshape
    )


def _hessian_directions(n):
    dirs = [np.eye(n)[i] for i in range(n)]
    pairs = []
    for i in range(n):
        for j in range(i + 1, n):
            v = np.zeros(n)
            v[i] = v[j] = 1.0
            dirs.append(v)
            pairs.append((i, j))
    return np.array(dirs), pairs


def _assemble_hessian(S, E, ok, pairs, n):
    """Second directional derivatives (P, K, m) along e_i and e_i + e_j -> (P, m, n, n)."""
    P, K, m = S.shape
    H = np.empty((P, m, n, n))
    He = np.empty((P, m, n, n))
    Hs = np.empty((P, n, n), dtype=bool)
    for i in range(n):
        H[:, :, i, i] = S[:, i]
        He[:, :, i, i] = E[:, i]
        Hs[:, i, i] = ok[:, i]
    for k, (i, j) in enumerate(pairs, start=n):
        hij = 0.5 * (S[:, k] - S[:, i] - S[:, j])
        eij = 0.5 * (E[:, k] + E[:, i] + E[:, j])
        H[:, :, i, j] = H[:, :, j, i] = hij
        He[:, :, i, j] = He[:, :, j, i] = eij
        Hs[:, i, j] = Hs[:, j, i] = ok[:, k] & ok[:, i] & ok[:, j]
    return H, He, Hs


def _complex_step(ev, pts, f0, directions, eps, bnds=None):
    """Im f(x + i h v) / h, checked against a central difference (Squire & Trapp 1998)."""
    P, n = pts.shape
    K = directions.shape[0]
    m = f0.shape[1]
    # No cancellation, so the step can be tiny; relative to |x| (near a singularity at 0
    # the function's scale is |x|), and 1e-20 at x = 0.
    # (below |x| = 1e-270 a relative step of 1e-20 would be subnormal: 1e-9 |x| instead,
    # never larger than |x| itself)
    ax = np.abs(pts)
    h = np.where(ax == 0, _COMPLEX_STEP, np.where(ax >= 1e-270, _COMPLEX_STEP, 1e-9) * ax)
    X = pts[:, None, :] + 1j * h[:, None, :] * directions[None, :, :]
    ev.allow_complex = True
    fc = ev(X.reshape(-1, n).astype(np.complex128)).reshape(P, K, -1)
    ev.allow_complex = False
    if fc.dtype.kind != "c":
        raise ValueError(
            "`method='complex'` needs `f` to propagate complex input, but it returned real "
            "values for complex `x` (abs(), np.real(), a float cast, or math functions "
            "discard the imaginary part). Use `method='central'`."
        )
    hk = (h[:, None, :] * directions[None]).sum(axis=2)  # (P, K)
    cs = fc.imag / hk[:, :, None]
    real_dev = np.abs(fc.real - f0[:, None, :])
    # Consistency check: one central difference per direction (2 evaluations); within
    # `bounds`, a one-sided difference where the central one would cross them.
    # (relative to |x| also below 1: near a singularity at 0 the function's scale is |x|)
    hc = _EPS ** (1.0 / 3.0) * np.where(pts != 0, np.abs(pts), 1.0)
    hck = (hc[:, None, :] * directions[None]).sum(axis=2)
    side, hck = _sides_and_steps("central", hck, pts, directions, bnds)
    sp = np.where(side == -1, 0.0, 1.0)[:, :, None]  # upper point: x + h or x itself
    sm = np.where(side == 1, 0.0, 1.0)[:, :, None]  # lower point: x - h or x itself
    Xp = pts[:, None, :] + sp * hck[:, :, None] * directions[None]
    Xm = pts[:, None, :] - sm * hck[:, :, None] * directions[None]
    both = np.concatenate([Xp.reshape(-1, n), Xm.reshape(-1, n)])
    fv = ev(both)
    fp, fm = fv[: P * K].reshape(P, K, m), fv[P * K :].reshape(P, K, m)
    width = np.where(side == 0, 2.0, 1.0)[:, :, None] * hck[:, :, None]
    fd = (fp - fm) / width
    fd_noise = eps * (np.abs(fp) + np.abs(fm)) / width
    # a one-sided difference is only first-order accurate: a looser (still 1e-3) match
    rel = np.where(side == 0, 1e-5, 1e-3)[:, :, None]
    tol = rel * (np.abs(cs) + np.abs(fd)) + 100.0 * fd_noise + 1e-300
    mismatch = (np.abs(cs - fd) > tol) | (real_dev > 1e-6 * (np.abs(f0[:, None, :]) + 1e-300))
    # On a mismatch the central difference is the better estimate: |cs - exact| is at most
    # |cs - fd| + |fd - exact|; doubling covers the latter generously.
    mismatch |= ~(np.isfinite(fd) & np.isfinite(cs))
    err = np.where(mismatch, 2.0 * np.abs(cs - fd) + real_dev, 4.0 * eps * np.abs(cs))
    err = np.where(np.isnan(err), np.inf, err)
    if mismatch.any():
        warnings.warn(
            "the complex step disagrees with a central-difference check for "
            f"{int(mismatch.sum())} derivative(s): `f` is probably not analytic in `x` "
            "(abs, conj, real/imag parts, comparisons or branches on x); use "
            "`method='central'`. The error estimates report the disagreement.",
            DifferentiationWarning,
            stacklevel=4,
        )
    success = ~mismatch.any(axis=2)
    return cs, err, success


def _package(
    kind, val, err, P, batch, dtype, nfev, ncalls, method, return_error, success, value_shape=()
):
    """Reshape engine output (P, K, m) / (P, m, n, n) to the public shapes."""
    batch = tuple(batch)
    if kind == "derivative":
        shape = batch
        val = np.asarray(val).reshape(shape)
        err = np.asarray(err).reshape(shape)
        suc = None if success is None else np.asarray(success).reshape(shape)
    elif kind in ("gradient", "jacobian"):
        val = np.asarray(val)
        if val.ndim == 3:  # (P, K=n, m) from the engine -> (P, m, n)
            val = np.swapaxes(val, 1, 2)
            err = np.swapaxes(np.asarray(err), 1, 2)
            if success is not None:
                success = np.broadcast_to(np.asarray(success)[:, None, :], val.shape)
        n = val.shape[-1]
        shape = batch + tuple(value_shape) + (n,)
        val = val.reshape(shape)
        err = np.asarray(err).reshape(shape)
        suc = None if success is None else np.asarray(success).reshape(shape)
    else:  # hessian: (P, m, n, n)
        n = val.shape[-1]
        shape = batch + tuple(value_shape) + (n, n)
        val = np.asarray(val).reshape(shape)
        err = np.asarray(err).reshape(shape)
        suc = None
        if success is not None:
            s = np.asarray(success)
            m = int(np.prod(value_shape, dtype=np.int64))
            suc = np.broadcast_to(s[:, None], (P, m, n, n)).reshape(shape)
    val = val.astype(dtype, copy=False)
    if not return_error:
        return val
    if suc is None:
        suc = np.isfinite(val)
    return DiffResult(
        value=val,
        error=np.asarray(err, dtype=np.float64),
        nfev=int(nfev),
        ncalls=int(ncalls),
        success=np.array(suc, dtype=bool),
        method=method,
    )


# --------------------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------------------
_COMMON_PARAMS = """method : str, default 'auto'
        One of 'auto', 'central', 'forward', 'backward', 'complex', 'sympy', 'jax', 'torch'.
        ``'auto'`` (default) differentiates a sympy expression exactly, uses jax for a
        jax-transformed callable (``jax.jit(f)``) and torch for a ``torch.nn.Module``, and
        otherwise adaptive central differences, switching to one-sided stencils for
        variables whose central stencil would cross `bounds`. A plain Python function
        written with jax.numpy or torch needs ``method='jax'``/``'torch'`` explicitly.
        ``'forward'``/``'backward'`` use one-sided stencils throughout. ``'complex'`` is
        the complex step (first derivatives of analytic functions; checked against one
        central difference).
        ``'jax'``/``'torch'`` use automatic differentiation (`f` written with jax.numpy or
        torch; the package must be installed).
    accuracy : even int, default 8
        Order of accuracy of the central stencil (2 to 16); the Richardson extrapolation
        depth. One-sided stencils use ``min(accuracy, 6)`` for first derivatives and
        ``min(accuracy, 4)`` for higher ones (higher orders are too ill-conditioned).
    initial_step : float or (n,) array_like, optional
        Largest (first) step. Default ``c * max(1, eps**0.25 * |x_i|)`` per variable with
        ``c = 0.125`` for first and ``c = 0.5`` for higher derivatives; the step then
        halves each iteration until the estimate converges.
    bounds : (lower, upper), optional
        Where `f` is defined: scalars or arrays broadcastable to `x`; ``None`` for no bound.
        No point outside ``[lower, upper]`` is evaluated.
    rtol, atol : float, optional
        Stop when the error estimate is below ``atol + rtol * |value|``. Defaults
        ``eps**(2/3)`` (about 3.7e-11) and the smallest normal float.
    maxiter : int, default 40
        Maximum number of step halvings per derivative (each costs two evaluations).
    args : tuple, optional
        Extra arguments: ``f(x, *args)``.
    variables : sequence of sympy symbols, optional
        For a sympy expression: the symbols matching the entries of `x`, in order. May be
        omitted when the expression has exactly one free symbol.
    return_error : bool, default False
        Return a :class:`DiffResult` (``value``, ``error``, ``nfev``, ``ncalls``,
        ``success``, ``method``) instead of the bare array."""

_COMMON_NOTES = """The finite-difference estimate for each derivative uses the nested stencil
    ``x + h * 2**-m`` (``m = 0, 1, ...``; ratio ``sqrt(2)`` for one-sided stencils) whose
    weights equal Richardson extrapolation of the plain difference quotients to order
    `accuracy` [1]_. After the first window the step halves each iteration at a cost of two
    evaluations. The error estimate is, for the first window, the difference between the
    two estimates of order ``accuracy - 2`` on its outer and inner points, afterwards the
    change between successive iterations, plus the rounding error
    ``16 eps sum |w_j f_j| / h**d`` of the stencil (which assumes `f` accurate to a few
    units in the last place of its value: an `f` that loses more to cancellation inside,
    such as a polynomial evaluated near a root, with terms much larger than its value, can
    have an error a few times the estimate); iteration stops when it is below the
    tolerance or at the rounding floor, and the estimate with the smallest error estimate
    is returned. Every derivative that converges is then checked once off the dyadic
    lattice of the stencils: the lowest-order formula on the innermost offsets scaled by an
    irrational ratio must agree with the converged value as well as it does on the lattice
    (one extra evaluation per first derivative, two per second derivative; a gradient's or
    Jacobian's first derivatives at one point, three or more, are checked together along
    the sum of their steps, for two evaluations per point, and one each only where that
    fails). This catches aliasing, where a function oscillating faster than the steps looks
    smooth on the lattice and converges to a wrong value; such a derivative resumes its
    descent with smaller steps, and if it never passes it is reported as failed. A central
    estimate uses only the odd (first, third derivatives) or even part of `f` around `x`;
    the other part must then look smooth, with no one-sided derivatives that disagree:
    ``|x|`` at 0 (central estimate 0) is reported as failed with an error of at least 1,
    half the disagreement of its one-sided slopes (no extra evaluations). Entries
    that fail (aliasing, a function oscillating faster than the smallest step, noise, a
    kink) emit a :class:`DifferentiationWarning` and carry a large error estimate: at least
    the spread of all estimates seen. With ``maxiter=1`` the
    error is only the first window's indicator (and a warning is emitted).

    The complex step [2]_ ``Im f(x + i h) / h`` with ``h = 1e-20 |x|`` (``1e-20`` at 0) is
    exact to rounding for analytic `f`; gradkit checks it against one central difference and warns
    when they disagree (abs, conj, real parts or branches in `f`). Functions returning real
    values for complex input raise ``ValueError``.

    Sympy expressions are differentiated exactly and lambdified with common subexpressions
    shared (``sympy.lambdify(..., cse=True)``); the error then reports the rounding level
    ``4 * eps * |value|``, as for jax and torch."""

_REFERENCES = """.. [1] L. F. Richardson, "The approximate arithmetical solution by finite
       differences of physical problems", Phil. Trans. R. Soc. A 210 (1911) 307-357; B. Fornberg,
       "Generation of finite difference formulas on arbitrarily spaced grids",
       Math. Comp. 51 (1988) 699-706.
    .. [2] W. Squire and G. Trapp, "Using complex variables to estimate derivatives of real
       functions", SIAM Review 40 (1998) 110-112."""


def derivative(
    f,
    x,
    *,
    n=1,
    method="auto",
    accuracy=8,
    initial_step=None,
    bounds=None,
    rtol=None,
    atol=None,
    maxiter=40,
    vectorized=True,
    args=(),
    variables=None,
    return_error=False,
):
    return _differentiate(
        "derivative",
        f,
        x,
        order=n,
        method=method,
        accuracy=accuracy,
        initial_step=initial_step,
        bounds=bounds,
        rtol=rtol,
        atol=atol,
        maxiter=maxiter,
        vectorized=vectorized,
        args=args,
        variables=variables,
        return_error=return_error,
    )


def gradient(
    f,
    x,
    *,
    method="auto",
    accuracy=8,
    initial_step=None,
    bounds=None,
    rtol=None,
    atol=None,
    maxiter=40,
    vectorized=False,
    args=(),
    variables=None,
    return_error=False,
):
    return _differentiate(
        "gradient",
        f,
        x,
        order=1,
        method=method,
        accuracy=accuracy,
        initial_step=initial_step,
        bounds=bounds,
        rtol=rtol,
        atol=atol,
        maxiter=maxiter,
        vectorized=vectorized,
        args=args,
        variables=variables,
        return_error=return_error,
    )


def jacobian(
    f,
    x,
    *,
    method="auto",
    accuracy=8,
    initial_step=None,
    bounds=None,
    rtol=None,
    atol=None,
    maxiter=40,
    vectorized=False,
    args=(),
    variables=None,
    return_error=False,
):
    return _differentiate(
        "jacobian",
        f,
        x,
        order=1,
        method=method,
        accuracy=accuracy,
        initial_step=initial_step,
        bounds=bounds,
        rtol=rtol,
        atol=atol,
        maxiter=maxiter,
        vectorized=vectorized,
        args=args,
        variables=variables,
        return_error=return_error,
    )


def hessian(
    f,
    x,
    *,
    method="auto",
    accuracy=8,
    initial_step=None,
    bounds=None,
    rtol=None,
    atol=None,
    maxiter=40,
    vectorized=False,
    args=(),
    variables=None,
    return_error=False,
):
    return _differentiate(
        "hessian",
        f,
        x,
        order=2,
        method=method,
        accuracy=accuracy,
        initial_step=initial_step,
        bounds=bounds,
        rtol=rtol,
        atol=atol,
        maxiter=maxiter,
        vectorized=vectorized,
        args=args,
        variables=variables,
        return_error=return_error,
    )


derivative.__doc__ = f"""Derivative of order `n` of a scalar function, elementwise over `x`.

    Parameters
    ----------
    f : callable or sympy expression
        ``f(t, *args)``. With ``vectorized=True`` (default) `f` is called with a 1-D array
        of many abscissae and must act elementwise (``np.sin`` does); with
        ``vectorized=False`` it is called with one float at a time.
    x : array_like
        Points at which to differentiate, any shape.
    n : int, default 1
        Derivative order, 1 to 4.
    {_COMMON_PARAMS}
    vectorized : bool, default True
        Whether `f` accepts an array of abscissae (one call per iteration for all points;
        batches above 2**18 values go in a few equal chunks).

    Returns
    -------
    ndarray or DiffResult
        The derivative, with the shape of `x` (float32 for float32 `x`, else float64).

    Raises
    ------
    ValueError
        Non-finite or empty `x`, `n` or `accuracy` out of range, `f` non-finite at `x`,
        `f` returning the wrong shape.
    TypeError
        Arguments of the wrong type; `f`'s signature not fitting how it is called (the
        message says how: a tuple `x` for ``f(q, chi, delta)``, or ``args=``). Where
        scipy.differentiate raises ``ValueError`` for the same input (a non-callable `f`,
        text or complex `x`, `f` returning complex values or non-numbers, a non-integer
        `maxiter` or `accuracy`, a tolerance that is no number) the error is both a
        ``TypeError`` and a ``ValueError``.

    See Also
    --------
    gradient, jacobian, hessian, scipy.differentiate.derivative

    Notes
    -----
    {_COMMON_NOTES}

    References
    ----------
    {_REFERENCES}

    Examples
    --------
    >>> import numpy as np
    >>> from gradkit.numdiff import derivative
    >>> x = np.array([0.0, 0.5, 1.0])
    >>> bool(np.allclose(derivative(np.exp, x), np.exp(x), rtol=1e-12, atol=0))
    True
    >>> res = derivative(np.sin, 1.0, n=2, return_error=True)
    >>> bool(abs(res.value + np.sin(1.0)) <= res.error), res.nfev < 30
    (True, True)
    """

_XDOC = """x : (n,) or (..., n) array_like, or tuple of n scalars / arrays
        The point(s). A tuple means `f` takes the variables as separate arguments,
        ``f(x_0, x_1, ..., *args)`` (like ``func(q, chi, delta)``). Several points
        ``(..., n)`` are differentiated together (with ``vectorized=False`` one at a time)."""

_VECDOC = """vectorized : bool, default False
        Whether `f` accepts many points at once: ``f(X)`` with ``X`` of shape ``(N, n)``
        returning ``(N,) + value_shape`` (or, for a tuple `x`, ``f(x_0, ...)`` with arrays of
        shape ``(N,)``). Then every iteration is one call for all points and stencils
        (batches of more than 2**18 coordinates, e.g. 26,214 points of 10 variables, are
        split into a few equal calls so that the temporaries of `f` stay in cache)."""

gradient.__doc__ = f"""Gradient of a scalar function of ``n`` variables.

    Parameters
    ----------
    f : callable or sympy expression
        ``f(x, *args)`` with ``x`` of shape ``(n,)`` returning a scalar; or
        ``f(x_0, ..., x_{{n-1}}, *args)`` when `x` is a tuple.
    {_XDOC}
    {_COMMON_PARAMS}
    {_VECDOC}

    Returns
    -------
    ndarray or DiffResult
        Shape ``(..., n)``: the derivative index is last.

    Raises
    ------
    ValueError
        Non-finite or empty `x`, `f` non-finite at `x`, `f` not scalar-valued, bad options.
    TypeError
        Arguments of the wrong type; `f`'s signature not fitting how it is called (the
        message says how: a tuple `x` for ``f(q, chi, delta)``, or ``args=``). Where
        scipy.differentiate raises ``ValueError`` for the same input (a non-callable `f`,
        text or complex `x`, `f` returning complex values or non-numbers, a non-integer
        `maxiter` or `accuracy`, a tolerance that is no number) the error is both a
        ``TypeError`` and a ``ValueError``.

    See Also
    --------
    jacobian, hessian, derivative, scipy.optimize.approx_fprime

    Notes
    -----
    {_COMMON_NOTES}

    References
    ----------
    {_REFERENCES}

    Examples
    --------
    The gradient of ``func(q, chi, delta) = q * chi * delta``:

    >>> from gradkit.numdiff import gradient
    >>> def func(q, chi, delta):
    ...     return q * chi * delta
    >>> res = gradient(func, (2.0, 3.0, 5.0), return_error=True)
    >>> res.value.round(12).tolist(), bool((res.error < 1e-9).all())
    ([15.0, 10.0, 6.0], True)
    """

jacobian.__doc__ = f"""Jacobian of a function of ``n`` variables with any output shape.

    Parameters
    ----------
    f : callable or sympy expression / Matrix
        ``f(x, *args)`` returning an array of shape ``value_shape``.
    {_XDOC}
    {_COMMON_PARAMS}
    {_VECDOC}

    Returns
    -------
    ndarray or DiffResult
        Shape ``(...) + value_shape + (n,)``.

    Raises
    ------
    ValueError
        Non-finite or empty `x`, `f` non-finite at `x`, output shape changing with `x`.
    TypeError
        Arguments of the wrong type; `f`'s signature not fitting how it is called (the
        message says how: a tuple `x` for ``f(q, chi, delta)``, or ``args=``). Where
        scipy.differentiate raises ``ValueError`` for the same input (a non-callable `f`,
        text or complex `x`, `f` returning complex values or non-numbers, a non-integer
        `maxiter` or `accuracy`, a tolerance that is no number) the error is both a
        ``TypeError`` and a ``ValueError``.

    See Also
    --------
    gradient, hessian, scipy.differentiate.jacobian

    Notes
    -----
    {_COMMON_NOTES}

    References
    ----------
    {_REFERENCES}

    Examples
    --------
    >>> import numpy as np
    >>> from gradkit.numdiff import jacobian
    >>> def polar(p):
    ...     r, t = p
    ...     return np.array([r * np.cos(t), r * np.sin(t)])
    >>> J = jacobian(polar, [2.0, 0.0])
    >>> bool(np.allclose(J, [[1.0, 0.0], [0.0, 2.0]], atol=1e-10))
    True
    """

hessian.__doc__ = f"""Hessian of a scalar (or array-valued) function of ``n`` variables.

    Parameters
    ----------
    f : callable or sympy expression
        ``f(x, *args)`` returning a scalar (or an array of shape ``value_shape``).
    {_XDOC}
    {_COMMON_PARAMS}
    {_VECDOC}

    Returns
    -------
    ndarray or DiffResult
        Shape ``(...) + value_shape + (n, n)``, symmetric.

    Raises
    ------
    ValueError
        As for :func:`gradient`; ``method='complex'`` (first derivatives only).
    TypeError
        Arguments of the wrong type; `f`'s signature not fitting how it is called (the
        message says how: a tuple `x` for ``f(q, chi, delta)``, or ``args=``). Where
        scipy.differentiate raises ``ValueError`` for the same input (a non-callable `f`,
        text or complex `x`, `f` returning complex values or non-numbers, a non-integer
        `maxiter` or `accuracy`, a tolerance that is no number) the error is both a
        ``TypeError`` and a ``ValueError``.

    See Also
    --------
    gradient, jacobian, numdifftools.Hessian, scipy.differentiate.hessian

    Notes
    -----
    The Hessian uses second directional derivatives along ``e_i`` and ``e_i + e_j``
    (``n (n + 1) / 2`` directions, two new evaluations per direction and iteration):
    ``H_ij = (D2[e_i + e_j] - D2[e_i] - D2[e_j]) / 2``, with errors added. That is half the
    evaluations of the four-point mixed-difference formula.

    {_COMMON_NOTES}

    References
    ----------
    {_REFERENCES}

    Examples
    --------
    >>> import numpy as np
    >>> from gradkit.numdiff import hessian
    >>> def rosen(x):
    ...     return 100.0 * (x[1] - x[0] ** 2) ** 2 + (1.0 - x[0]) ** 2
    >>> H = hessian(rosen, [1.0, 1.0])
    >>> bool(np.allclose(H, [[802.0, -400.0], [-400.0, 200.0]], rtol=1e-9))
    True
    """
