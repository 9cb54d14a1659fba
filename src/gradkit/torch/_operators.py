"""gradkit's higher, mixed and vector-calculus derivatives in torch operations.

The arguments are gradkit's (``accuracy``, ``boundary``, ``period``, ``order``), with
torch.gradient's ``spacing`` forms: a number for every axis, or one number or 1-D tensor of
coordinates per axis. The plans are gradkit's, checked by gradkit's functions; their
application is torch operations on the input's device, differentiable by autograd.
"""

from __future__ import annotations

import numpy as np
import torch

from ..fd._xp import apply_plan, component_plans, derivative_plans, operator_plans
from ._gradient import _coordinates, _np_dtype, _ops, _spacing

__all__ = ["curl", "derivative", "divergence", "hessian", "laplacian"]


def _tensor(value, name: str) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"`{name}` must be a torch.Tensor; got {type(value).__name__}.")
    return value


def _dtype(t: torch.Tensor) -> torch.dtype:
    """The result dtype: the input's for floating and complex input, else the default."""
    if t.is_floating_point() or t.is_complex():
        return t.dtype
    return torch.get_default_dtype()


def _varargs(spacing, input, dims):
    """``spacing`` as gradkit's ``*varargs`` for ``dims``: a number for every dim, or one
    number or 1-D coordinate tensor per dim (numbers and tensors may be mixed, as gradkit's
    ``varargs`` may)."""
    if not isinstance(spacing, (list, tuple)):
        _, (value,) = _spacing(spacing)
        return (value.item() if isinstance(value, np.generic) else value,)
    dims = list(dims)
    if len(spacing) != len(dims):
        raise ValueError(
            f"`spacing` must hold one number or coordinate tensor per differentiated dim "
            f"({len(dims)}); got {len(spacing)}."
        )
    out = []
    for s, d in zip(spacing, dims):
        if isinstance(s, torch.Tensor) and s.dim() == 1:
            (coords,) = _coordinates(input, [s], [d])
            out.append(coords)
        else:
            _, (value,) = _spacing(s)
            out.append(value.item() if isinstance(value, np.generic) else value)
    return tuple(out)


def _apply(data, axis, plan):
    return apply_plan(data, axis, plan, _ops(data.dtype, data.device))


def derivative(input, *, spacing=1, dim=0, order=1, accuracy=2, boundary="one-sided", period=None):
    """Return a derivative of any order (1-4) of sampled data, mixed ones included.

    :func:`gradkit.derivative` for tensors, with torch.gradient's ``spacing`` forms.

    Parameters
    ----------
    input : torch.Tensor
        Samples on a rectilinear grid, on any device.
    spacing : number, sequence of numbers, or sequence of 1-D tensors, optional
        One spacing for every dim in ``dim``, or one spacing or coordinate tensor per dim.
    dim : int or tuple of ints, optional
        Dim to differentiate (default 0); a tuple differentiates along each in turn.
    order : int or tuple of ints, optional
        Derivative order from 1 to 4, for all dims or one per dim.
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy (default 2).
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends.
    period : float or sequence of float, optional
        Period of non-uniform periodic dims.

    Returns
    -------
    torch.Tensor
        The derivative, of ``input``'s shape.

    Examples
    --------
    >>> import torch
    >>> import gradkit.torch
    >>> x = torch.linspace(0, 1, 21, dtype=torch.float64)
    >>> d2 = gradkit.torch.derivative(x**3, spacing=0.05, order=2, accuracy=4)
    >>> bool(torch.allclose(d2, 6 * x))
    True
    """
    input = _tensor(input, "input")
    dtype = _dtype(input)
    dims = list(dim) if isinstance(dim, (list, tuple)) else [dim]
    dims = [d % input.dim() if isinstance(d, int) and input.dim() else d for d in dims]
    axes, plans = derivative_plans(
        tuple(input.shape),
        _np_dtype(input.dtype),
        _np_dtype(dtype),
        _varargs(spacing, input, dims),
        dim,
        order,
        accuracy,
        boundary,
        period,
    )
    data = input.to(dtype)
    for ax, plan in zip(axes, plans):
        data = _apply(data, ax, plan)
    return data


def hessian(input, *, spacing=1, accuracy=2, boundary="one-sided", period=None):
    """Return all second derivatives, shape ``(ndim, ndim) + input.shape``.

    :func:`gradkit.hessian` for tensors (``spacing`` in torch.gradient's forms, one entry
    per dim).

    Parameters
    ----------
    input : torch.Tensor
        Samples on a rectilinear grid.
    spacing : number, sequence of numbers, or sequence of 1-D tensors, optional
        Spacing of every dim.
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy (default 2).
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends.
    period : float or sequence of float, optional
        Period of non-uniform periodic dims.

    Returns
    -------
    torch.Tensor
        ``H[i, j]``, the derivative along dim ``i`` of the derivative along dim ``j``.
    """
    input = _tensor(input, "input")
    dtype = _dtype(input)
    ndim = input.dim()
    first, second = operator_plans(
        tuple(input.shape),
        _np_dtype(input.dtype),
        _np_dtype(dtype),
        _varargs(spacing, input, range(ndim)),
        accuracy,
        boundary,
        period,
        "hessian",
    )
    data = input.to(dtype)
    d1 = [_apply(data, a, first[a]) for a in range(ndim)]
    entries = {}
    for i in range(ndim):
        entries[i, i] = _apply(data, i, second[i])
        for j in range(i + 1, ndim):
            entries[i, j] = entries[j, i] = _apply(d1[j], i, first[i])
    return torch.stack([torch.stack([entries[i, j] for j in range(ndim)]) for i in range(ndim)])


def laplacian(input, *, spacing=1, accuracy=2, boundary="one-sided", period=None):
    """Return the Laplacian (the sum of second derivatives along every dim).

    :func:`gradkit.laplacian` for tensors; the parameters are those of :func:`hessian`.

    Parameters
    ----------
    input : torch.Tensor
        Samples on a rectilinear grid.
    spacing : number, sequence of numbers, or sequence of 1-D tensors, optional
        Spacing of every dim.
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy (default 2).
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends.
    period : float or sequence of float, optional
        Period of non-uniform periodic dims.

    Returns
    -------
    torch.Tensor
        The Laplacian, of ``input``'s shape.
    """
    input = _tensor(input, "input")
    dtype = _dtype(input)
    _, second = operator_plans(
        tuple(input.shape),
        _np_dtype(input.dtype),
        _np_dtype(dtype),
        _varargs(spacing, input, range(input.dim())),
        accuracy,
        boundary,
        period,
        "laplacian",
    )
    data = input.to(dtype)
    total = _apply(data, 0, second[0])
    for a in range(1, input.dim()):
        total = total + _apply(data, a, second[a])
    return total


def _vector(v, spacing, accuracy, boundary, period, function):
    if isinstance(v, (list, tuple)):
        comps = [_tensor(c, f"v[{i}]") for i, c in enumerate(v)]
        spec = [(tuple(c.shape), _np_dtype(c.dtype)) for c in comps]
    else:
        v = _tensor(v, "v")
        comps = list(v) if v.dim() else []
        spec = (tuple(v.shape), _np_dtype(v.dtype))
    ref = comps[0] if comps else v
    plans = component_plans(
        spec,
        [_np_dtype(_dtype(c)) for c in comps],
        _varargs(spacing, ref, range(ref.dim())),
        accuracy,
        boundary,
        period,
        function,
    )
    return [c.to(_dtype(c)) for c in comps], plans


def divergence(v, *, spacing=1, accuracy=2, boundary="one-sided", period=None):
    """Return the divergence of a sampled vector field.

    :func:`gradkit.divergence` for tensors.

    Parameters
    ----------
    v : torch.Tensor of shape (ndim,) + shape, or sequence of ndim tensors of one shape
        Component ``i`` is the field's component along dim ``i``.
    spacing : number, sequence of numbers, or sequence of 1-D tensors, optional
        Spacing of every dim.
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy (default 2).
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends.
    period : float or sequence of float, optional
        Period of non-uniform periodic dims.

    Returns
    -------
    torch.Tensor
        :math:`\\sum_i \\partial v_i / \\partial x_i`, of the components' shape.
    """
    comps, plans = _vector(v, spacing, accuracy, boundary, period, "divergence")
    total = None
    for i, (c, p) in enumerate(zip(comps, plans)):
        term = _apply(c, i, p[i])
        total = term if total is None else total + term
    return total


def curl(v, *, spacing=1, accuracy=2, boundary="one-sided", period=None):
    """Return the curl of a sampled 2-D or 3-D vector field.

    :func:`gradkit.curl` for tensors.

    Parameters
    ----------
    v : torch.Tensor of shape (ndim,) + shape, or sequence of ndim tensors of one shape
        ``ndim`` is 2 or 3; component ``i`` lies along dim ``i``.
    spacing : number, sequence of numbers, or sequence of 1-D tensors, optional
        Spacing of every dim.
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy (default 2).
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends.
    period : float or sequence of float, optional
        Period of non-uniform periodic dims.

    Returns
    -------
    torch.Tensor
        In 2-D the scalar :math:`\\partial_0 v_1 - \\partial_1 v_0`; in 3-D the vector of
        shape ``(3,) + shape``.
    """
    comps, plans = _vector(v, spacing, accuracy, boundary, period, "curl")

    def d(c, axis):
        return _apply(comps[c], axis, plans[c][axis])

    if len(comps) == 2:
        return d(1, 0) - d(0, 1)
    return torch.stack([d(2, 1) - d(1, 2), d(0, 2) - d(2, 0), d(1, 0) - d(0, 1)])
