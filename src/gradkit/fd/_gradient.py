"""``gradient``: a drop-in for numpy.gradient with higher accuracy and periodic boundaries."""

from __future__ import annotations

import operator

import numpy as np

from .._validation import normalize_axes, short_repr
from ._engine import apply_plans, is_dask_array
from ._plan import numpy_plan
from ._prepare import check_accuracy, prepare_field
from ._spacing import parse_boundaries, parse_spacing

__all__ = ["gradient"]


def gradient(
    f,
    *varargs,
    axis=None,
    edge_order=None,
    accuracy=None,
    boundary="one-sided",
    period=None,
    return_error=False,
    out=None,
):
    """Return the gradient of an N-dimensional array of samples.

    With the defaults this is :func:`numpy.gradient`: second-order central differences in
    the interior and first- or second-order (``edge_order``) one-sided differences at the
    ends, with numpy's result values (bit for bit), dtypes and errors. ``accuracy`` raises
    the order everywhere, boundaries included, on uniform and non-uniform grids;
    ``boundary="periodic"`` wraps the stencils around.

    Parameters
    ----------
    f : array_like or dask array
        Samples of a function on a rectilinear grid.
    *varargs : scalars or 1-D arrays, optional
        Spacing, as in numpy.gradient: nothing (unit spacing), one scalar for every axis,
        or one scalar or coordinate array per differentiated axis (forms may be mixed).
        Coordinates must be strictly monotonic.
    axis : None or int or tuple of ints, optional
        Axes to differentiate along (default: all). Negative axes count from the end.
    edge_order : {1, 2}, optional
        Order of the one-sided differences at the ends when ``accuracy`` is None
        (default 1, numpy's default). With ``accuracy`` it may only repeat that order.
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy of every difference, interior and boundary: centred stencils of
        ``accuracy + 1`` points inside, one-sided stencils of ``accuracy + 1`` points within
        ``accuracy / 2`` points of an end. None (default) gives numpy.gradient's formulas,
        or order 2 on periodic axes.
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends, for all axes or one name per differentiated axis.
    period : float or sequence of float, optional
        Length after which a periodic axis repeats. Inferred as ``n * spacing`` for uniform
        spacing; required for periodic axes given non-uniform coordinates, where it must
        exceed the span of the coordinates (the last point is then followed by
        ``x[0] + period``).
    return_error : bool, optional
        Also return an error estimate for each derivative: the absolute difference between
        the result and the same derivative at two orders higher. It estimates the error of
        the result where the function is resolved by the grid.
    out : ndarray or sequence of ndarray, optional
        C-contiguous arrays of ``f``'s shape and the result dtype to write the derivatives
        into (one per differentiated axis), saving the allocation.

    Returns
    -------
    gradient : ndarray or tuple of ndarray
        One array per differentiated axis, of ``f``'s shape; a single array when one axis is
        differentiated. Float results keep float32/float16/complex dtypes; integers give
        float64; datetime64 gives timedelta64 (numpy's rules). Dask input gives lazy dask
        arrays.
    error : ndarray or tuple of ndarray
        Only with ``return_error=True``: the error estimates, in the same structure.

    Raises
    ------
    TypeError
        Wrong number of spacing arguments, or a non-numeric ``f`` with ``accuracy``.
    ValueError
        Coordinates of the wrong length, shape or monotonicity; too few points for the
        stencils; an ``accuracy`` that is odd or outside 2-10; an unknown ``boundary``; an
        ``edge_order`` outside {1, 2} or contradicting ``accuracy``; a missing ``period``.
    numpy.exceptions.AxisError
        An axis out of range.

    See Also
    --------
    derivative : any order along one axis, mixed derivatives.
    numpy.gradient : the reference for ``accuracy=None``.

    Notes
    -----
    For samples :math:`f_j` on points :math:`x_j`, the order-:math:`p` stencil at
    :math:`x_j` is :math:`f'(x_j) \\approx \\sum_s w_{js} f_{j+s}`, with weights exact for
    polynomials of degree :math:`p` (Fornberg's algorithm), so the error is
    :math:`O(h^p)` for smooth :math:`f`. A NaN in ``f`` spoils only outputs whose stencils
    read it.

    References
    ----------
    B. Fornberg, "Generation of finite difference formulas on arbitrarily spaced grids",
    Math. Comp. 51 (1988), 699-706.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit
    >>> f = np.array([49.0, 36, 36, 9, 4, 49])
    >>> gradkit.gradient(f)
    array([-13. ,  -6.5, -13.5, -16. ,  20. ,  45. ])
    >>> gradkit.gradient(f, edge_order=2)
    array([-19.5,  -6.5, -13.5, -16. ,  20. ,  70. ])
    >>> x = np.linspace(0, 1, 11)
    >>> g = gradkit.gradient(x**3, x, accuracy=4)
    >>> bool(np.allclose(g, 3 * x**2))
    True
    """
    dask_in = is_dask_array(f)
    if not dask_in:
        f = np.asanyarray(f)
    axes = normalize_axes(axis, f.ndim)
    edge = _check_edge_order(edge_order)
    if accuracy is not None:
        accuracy = check_accuracy(accuracy)
        if edge_order is not None and edge != accuracy:
            raise ValueError(
                f"`edge_order`={edge_order!r} contradicts `accuracy`={accuracy}: with "
                f"`accuracy` the boundaries are order {accuracy} too; drop `edge_order`."
            )
    boundaries = parse_boundaries(boundary, len(axes))
    if not isinstance(return_error, (bool, np.bool_)):
        raise TypeError(f"`return_error` must be True or False; got {short_repr(return_error)}.")
    numpy_mode = accuracy is None and all(b == "one-sided" for b in boundaries)
    outs = _check_out(out, f, axes)

    if numpy_mode:
        result = _numpy_gradient(f, varargs, axes, edge, outs)
        if not return_error:
            return result[0] if len(axes) == 1 else tuple(result)
        field = prepare_field(f, varargs, axes, boundaries, period)
        errors = [
            _abs_diff(r, field.finish(field.derivative(a, 1, 4))) for r, a in zip(result, axes)
        ]
    else:
        p = 2 if accuracy is None else accuracy
        field = prepare_field(f, varargs, axes, boundaries, period)
        direct = [_direct_out(o, field) for o in outs]
        result = [_into(field.finish(r), o) for r, o in zip(field.gradient(axes, p, direct), outs)]
        if return_error:
            errors = [
                _abs_diff(r, field.finish(field.derivative(a, 1, p + 2)))
                for r, a in zip(result, axes)
            ]
    if len(axes) == 1:
        return (result[0], errors[0]) if return_error else result[0]
    return (tuple(result), tuple(errors)) if return_error else tuple(result)


def _check_edge_order(edge_order) -> int:
    if edge_order is None:
        return 1
    try:
        edge = operator.index(edge_order)
    except TypeError:
        raise TypeError(f"`edge_order` must be 1 or 2; got {short_repr(edge_order)}.") from None
    if edge not in (1, 2):
        raise ValueError(f"`edge_order` must be 1 or 2; got {short_repr(edge_order)}.")
    return edge


def _numpy_gradient(f, varargs, axes, edge, outs):
    """numpy.gradient's result: by the kernels where the input allows, by numpy otherwise."""
    spacings = parse_spacing(varargs, f.shape, axes)
    for ax in axes:
        if f.shape[ax] < edge + 1:
            raise ValueError(
                f"`f` has {f.shape[ax]} points along axis {ax}; `edge_order`={edge} needs "
                f"at least {edge + 1}."
            )
    dask_in = is_dask_array(f)
    fast = (dask_in or type(f) is np.ndarray) and f.dtype.kind in "fiu" and f.dtype != np.float16
    fast = fast and all(np.asarray(s.raw).dtype.kind in "fiu" for s in spacings)
    if not fast:
        kwargs = {"axis": axes, "edge_order": edge}
        result = np.gradient(f, *varargs, **kwargs)
        result = [result] if len(axes) == 1 else list(result)
        return [_into(r, o) for r, o in zip(result, outs)]
    fdt = f.dtype if f.dtype.kind == "f" else np.dtype(np.float64)
    # integers are differenced in float64, as numpy does (one compiled kernel for all of them)
    data = f.astype(fdt, copy=False) if dask_in else np.ascontiguousarray(f, dtype=fdt)
    plans = [numpy_plan(f.shape[ax], s.raw, edge, fdt) for ax, s in zip(axes, spacings)]
    direct = [
        o if (o is not None and o.flags.c_contiguous and o.dtype == fdt) else None for o in outs
    ]
    result = apply_plans(data, axes, plans, fdt, direct)
    return [_into(r, o) for r, o in zip(result, outs)]


def _check_out(out, f, axes):
    if out is None:
        return [None] * len(axes)
    if is_dask_array(f):
        raise TypeError("`out` is not supported for dask arrays; got an `out` argument.")
    outs = [out] if isinstance(out, np.ndarray) else list(out)
    if len(outs) != len(axes):
        raise ValueError(
            f"`out` must hold one array per differentiated axis ({len(axes)}); got {len(outs)}."
        )
    for i, o in enumerate(outs):
        if not isinstance(o, np.ndarray) or o.shape != f.shape:
            raise ValueError(
                f"`out[{i}]` must be an ndarray of shape {f.shape}; got {short_repr(o)}."
            )
    return outs


def _direct_out(o, field):
    """``o`` when the kernels can write into it directly."""
    if o is not None and o.flags.c_contiguous and o.dtype == field.data.dtype:
        return o
    return None


def _into(result, o):
    if o is None or result is o:
        return result
    np.copyto(o, result, casting="same_kind")
    return o


def _abs_diff(a, b):
    if is_dask_array(a) or is_dask_array(b):
        return abs(a - b)
    return np.abs(np.subtract(a, b, dtype=np.result_type(a, b)))
