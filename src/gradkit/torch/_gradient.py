"""``gradkit.torch.gradient``: torch.gradient's signature and results, plus gradkit's options.

The stencils are gradkit's plans (``gradkit.fd``): numpy.gradient's formulas, which are
torch.gradient's, with the defaults; order-``accuracy`` Fornberg stencils otherwise. They
are built from the concrete spacing in numpy and applied in torch operations
(:func:`gradkit.fd._xp.apply_plan`), on the input's device and differentiable by
autograd with respect to ``input``.
"""

from __future__ import annotations

import functools
import numbers
import operator

import numpy as np
import torch

from ..fd._plan import numpy_plan
from ..fd._spacing import check_period_use, parse_boundaries, parse_periods
from ..fd._xp import Ops, apply_plan, gradient_plans

__all__ = ["gradient"]

_NUMPY = {
    torch.float16: np.float16,
    torch.float32: np.float32,
    torch.float64: np.float64,
    torch.complex64: np.complex64,
    torch.complex128: np.complex128,
    torch.bool: np.bool_,
    torch.int8: np.int8,
    torch.int16: np.int16,
    torch.int32: np.int32,
    torch.int64: np.int64,
}


def _np_dtype(dtype: torch.dtype) -> np.dtype:
    """The numpy dtype of the same kind and precision (bfloat16 and others: float32)."""
    return np.dtype(_NUMPY.get(dtype, np.float32))


def _is_number(value) -> bool:
    if isinstance(value, torch.Tensor):
        return value.dim() == 0
    return isinstance(value, (numbers.Number, np.number)) and not isinstance(value, np.ndarray)


def _dims(dim, ndim: int) -> list[int] | None:
    """``dim`` as a list of non-negative dims (None: all), with torch's exception types."""
    if dim is None:
        return None
    entries = [dim] if not isinstance(dim, (list, tuple)) else list(dim)
    for d in entries:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
            raise TypeError(
                f"`dim` must be None, an int or a sequence of ints (torch.gradient's "
                f"signature); got {dim!r}."
            )
    out = []
    lo, hi = (-ndim, ndim - 1) if ndim else (-1, 0)
    for d in entries:
        if not lo <= d <= hi:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got "
                f"{d}): `dim` {dim!r}."
            )
        out.append(int(d) % max(ndim, 1))
    seen = set()
    for d in out:
        if d in seen:
            raise RuntimeError(
                f"dim {d} appears multiple times in the list of dims: `dim` {dim!r}."
            )
        seen.add(d)
    return out


def _spacing(spacing):
    """``spacing`` as ``("scalar", [value])``, ``("scalars", values)`` or
    ``("tensors", coordinates)``, with torch's TypeErrors for other forms."""
    if spacing is None:
        return "scalar", [1.0]
    if _is_number(spacing):
        return "scalar", [spacing.item() if isinstance(spacing, torch.Tensor) else spacing]
    if isinstance(spacing, (list, tuple)):
        items = list(spacing)
        if items and all(isinstance(s, torch.Tensor) for s in items):
            return "tensors", items
        if all(_is_number(s) and not isinstance(s, torch.Tensor) for s in items):
            return "scalars", items
        kinds = ", ".join(type(s).__name__ for s in items)
        raise TypeError(
            f"`spacing` must be a number, a sequence of numbers or a sequence of 1-D tensors "
            f"(torch.gradient's forms), not a mix; got elements of types ({kinds})."
        )
    raise TypeError(
        f"`spacing` must be a number, a sequence of numbers or a sequence of 1-D tensors "
        f"(torch.gradient's forms); got {type(spacing).__name__}"
        + (f" of shape {tuple(spacing.shape)}" if isinstance(spacing, torch.Tensor) else "")
        + "."
    )


def _edge_order(edge_order) -> int:
    if isinstance(edge_order, bool) or not isinstance(edge_order, (int, np.integer)):
        raise TypeError(
            f"`edge_order` must be an int (torch.gradient's signature); got {edge_order!r}."
        )
    edge_order = operator.index(edge_order)
    if edge_order not in (1, 2):
        raise RuntimeError(
            f"torch.gradient only supports edge_order=1 and edge_order=2. (`edge_order` is "
            f"{edge_order}.)"
        )
    return edge_order


def _torch_checks(input, kind, values, dims, edge_order):
    """torch.gradient's own checks, in its order and with its exception types and wording.
    Returns the differentiated dims and one spacing value (a number or a tensor) per dim."""
    if input.dtype == torch.uint8:
        raise RuntimeError("torch.gradient does not support uint8 input.")
    ndim = input.dim()
    if kind != "scalar":
        if dims is None and len(values) != ndim:
            raise RuntimeError(
                f"torch.gradient expected spacing to be unspecified, a scalar, or a list of "
                f"length equal to 'self.dim() = {ndim}', since dim argument was not given, "
                f"but got a list of length {len(values)}"
            )
        if dims is not None and len(values) != len(dims):
            raise RuntimeError(
                f"torch.gradient expected spacing to be unspecified, a scalar or it's spacing "
                f"and dim arguments to have the same length, but got a spacing argument of "
                f"length {len(values)} and a dim argument of length {len(dims)}."
            )
    edge = _edge_order(edge_order)
    dims = list(range(ndim)) if dims is None else dims
    if kind == "scalar":
        values = values * len(dims)
    return dims, values, edge


def _size_checks(input, dims, edge):
    for d in dims:
        if input.shape[d] < edge + 1:
            raise RuntimeError(
                "torch.gradient expected each dimension size to be at least edge_order+1 "
                f"(dim {d} has size {input.shape[d]}, `edge_order` is {edge})."
            )


def _coordinates(input, values, dims):
    """Coordinate tensors as float numpy arrays (after torch's device and shape checks)."""
    coords = []
    for i, (c, d) in enumerate(zip(values, dims)):
        if c.device != input.device:
            raise RuntimeError(
                f"torch.gradient expected each tensor to be on the same device, but got "
                f"devices {input.device} and {c.device}! (`spacing[{i}]`)"
            )
        if c.dim() != 1:
            raise RuntimeError(
                f"torch.gradient expected each element of spacing to have one dimension, but "
                f"got an element with {c.dim()} dimensions! (`spacing[{i}]`)"
            )
        if c.requires_grad:
            raise ValueError(
                f"`spacing[{i}]` requires grad, but gradkit.torch.gradient builds its stencils "
                f"from the values of the coordinates and does not differentiate with respect "
                f"to them; pass `spacing[{i}].detach()`."
            )
        if c.shape[0] != input.shape[d]:
            raise ValueError(
                f"`spacing[{i}]` has {c.shape[0]} coordinates, but `input` has "
                f"{input.shape[d]} points along dim {d}."
            )
        coords.append(c.detach().cpu().numpy())
    return coords


def _result_dtype(input, value) -> torch.dtype:
    """torch.gradient's result dtype along one dim: the input's for floating input and a
    number spacing, the default dtype for integer input; with coordinates, the promotion
    of the input's dtype and the coordinates' (the default dtype for integer ones)."""
    if isinstance(value, torch.Tensor):
        wdt = value.dtype if value.is_floating_point() else torch.get_default_dtype()
        return torch.promote_types(input.dtype, wdt)
    if input.is_floating_point() or input.is_complex():
        if isinstance(value, complex) and not input.is_complex():
            return torch.complex128 if input.dtype == torch.float64 else torch.complex64
        return input.dtype
    if isinstance(value, complex):
        return torch.complex64
    return torch.get_default_dtype()


def _ops(dtype: torch.dtype, device) -> Ops:
    real = dtype.to_real() if dtype.is_complex else dtype
    return Ops(
        concat=lambda arrays, axis: torch.cat(arrays, dim=axis),
        const=lambda a: torch.as_tensor(a, dtype=real, device=device),
        axpy=lambda acc, w, t: torch.add(acc, t, alpha=w),
    )


def gradient(
    input,
    *,
    spacing=1,
    dim=None,
    edge_order=1,
    accuracy=None,
    boundary="one-sided",
    period=None,
):
    """Estimate the gradient of a function sampled on a grid, as :func:`torch.gradient`.

    With the defaults this is :func:`torch.gradient` (numpy.gradient's formulas: central
    differences inside, one-sided ones of order ``edge_order`` at the ends), returning the
    same values (to rounding), dtypes and tuple of tensors, and raising its exception
    types. ``accuracy`` raises the order everywhere and ``boundary="periodic"`` wraps the
    stencils around, as in :func:`gradkit.gradient`.

    Parameters
    ----------
    input : torch.Tensor
        Samples of a function on a rectilinear grid, on any device; the results are
        differentiable with respect to it (autograd, double backward included).
    spacing : number, sequence of numbers, or sequence of 1-D tensors, optional
        Unit spacing 1 (default); one spacing for every dim; one spacing per dim; or one
        tensor of coordinates per dim (on ``input``'s device, of the dim's length). With
        ``accuracy`` or a periodic ``boundary``, coordinates must be finite and strictly
        monotonic.
    dim : int or sequence of ints, optional
        Dims to differentiate (default: all).
    edge_order : {1, 2}, optional
        Order of the one-sided differences at the ends when ``accuracy`` is None (default
        1). With ``accuracy`` it must be left at 1 or equal ``accuracy``.
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy of every difference, interior and boundary (see
        :func:`gradkit.gradient`). None (default): torch.gradient's formulas.
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends, for all differentiated dims or one per dim.
    period : float or sequence of float, optional
        Period of periodic dims given by non-uniform coordinates.

    Returns
    -------
    tuple of torch.Tensor
        One tensor per differentiated dim, of ``input``'s shape, on its device.

    Raises
    ------
    TypeError
        ``input`` not a tensor; a ``spacing``, ``dim`` or ``edge_order`` of a form
        torch.gradient does not take.
    RuntimeError
        As torch.gradient: uint8 or boolean input (boolean: without ``accuracy``), a
        ``spacing`` of the wrong length, ``edge_order`` outside {1, 2}, a repeated dim, a
        dim too short for ``edge_order``, coordinates on another device or not 1-D.
    IndexError
        A dim out of range.
    ValueError
        Coordinates of the wrong length (torch broadcasts some of them silently) or
        requiring grad (gradients with respect to ``spacing`` are not computed), and
        gradkit's errors for ``accuracy``, ``boundary`` and ``period``.

    Examples
    --------
    >>> import torch
    >>> import gradkit.torch
    >>> t = torch.tensor([4.0, 1.0, 1.0, 16.0])
    >>> gradkit.torch.gradient(t)
    (tensor([-3.0000, -1.5000,  7.5000, 15.0000]),)
    >>> x = torch.linspace(0, 1, 11, dtype=torch.float64)
    >>> (g,) = gradkit.torch.gradient(x**3, spacing=[x], accuracy=4)
    >>> bool(torch.allclose(g, 3 * x**2))
    True
    """
    if not isinstance(input, torch.Tensor):
        raise TypeError(
            f"`input` must be a torch.Tensor (torch.gradient's signature); got "
            f"{type(input).__name__}."
        )
    kind, values = _spacing(spacing)
    dims = _dims(dim, input.dim())
    dims, values, edge = _torch_checks(input, kind, values, dims, edge_order)
    if not dims:
        return ()
    boundaries = parse_boundaries(boundary, len(dims))
    torch_mode = accuracy is None and all(b == "one-sided" for b in boundaries)
    if torch_mode:
        check_period_use(parse_periods(period, len(dims)), boundaries)
        _size_checks(input, dims, edge)
        if input.dtype == torch.bool:
            raise RuntimeError(
                "Subtraction, the `-` operator, with two bool tensors is not supported (torch."
                "gradient's formulas on boolean `input`); convert with input.float(), or pass "
                "`accuracy`."
            )
    if kind == "tensors":
        varargs = _coordinates(input, values, dims)
    else:
        varargs = [v.item() if isinstance(v, np.generic) else v for v in values]
    dtypes = [_result_dtype(input, v) for v in values]
    if torch_mode:
        # numpy.gradient's formulas are torch.gradient's; torch takes coordinates in any
        # order (not only monotonic ones), so the plan is built from their differences
        plans = [
            numpy_plan(input.shape[d], np.diff(raw) if np.ndim(raw) else raw, edge, _np_dtype(t))
            for d, raw, t in zip(dims, varargs, dtypes)
        ]
    else:
        compute = _np_dtype(functools.reduce(torch.promote_types, dtypes))
        _, plans = gradient_plans(
            tuple(input.shape),
            _np_dtype(input.dtype),
            compute,
            varargs,
            tuple(dims),
            None if edge == 1 else edge,
            accuracy,
            boundary,
            period,
        )
    results = []
    cast = {}
    for d, plan, dtype in zip(dims, plans, dtypes):
        if dtype not in cast:
            cast[dtype] = input.to(dtype)
        results.append(apply_plan(cast[dtype], d, plan, _ops(dtype, input.device)))
    return tuple(results)
