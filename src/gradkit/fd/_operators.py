"""Higher, mixed and vector-calculus derivatives of sampled arrays."""

from __future__ import annotations

import numpy as np

from .._validation import check_bool, normalize_axes, short_repr
from ._engine import is_dask_array
from ._error import error_estimate
from ._prepare import (
    as_samples,
    check_accuracy,
    check_has_dimensions,
    check_numeric,
    check_order,
    prepare_field,
    reject_callable,
)

__all__ = ["curl", "derivative", "divergence", "hessian", "laplacian"]


def derivative(
    f,
    *varargs,
    axis=0,
    order=1,
    accuracy=2,
    boundary="one-sided",
    period=None,
    return_error=False,
):
    """Return a derivative of any order (1-4) of sampled data, mixed derivatives included.

    Parameters
    ----------
    f : array_like or dask array
        Samples on a rectilinear grid.
    *varargs : scalars or 1-D arrays, optional
        Spacing of the axes in ``axis``, in any of numpy.gradient's forms.
    axis : int or tuple of ints, optional
        Axis to differentiate along (default 0); a tuple differentiates along each in turn,
        giving a mixed derivative.
    order : int or tuple of ints, optional
        Derivative order from 1 to 4, one for all axes or one per axis in ``axis``.
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy, interior and boundaries alike (default 2).
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends, one name for all axes or one per axis in ``axis``.
    period : float or sequence of float, optional
        Period of periodic axes given by non-uniform coordinates (see :func:`gradient`).
    return_error : bool, optional
        Also return an estimate of the error: about ``1.25 |D_p f - D_{p+2} f|`` where the
        grid resolves ``f``, larger where successive orders do not converge (the rule is
        in the Notes of :func:`gradient`).

    Returns
    -------
    ndarray or dask array
        The derivative, of ``f``'s shape (and, with ``return_error``, its error estimate).

    Notes
    -----
    A stencil for the ``m``-th derivative with error :math:`O(h^p)` has
    :math:`2\\lfloor (m+1)/2 \\rfloor - 1 + p` points when centred and :math:`m + p` points when
    one-sided (Fornberg 1988). On non-uniform coordinates the order holds for smoothly
    varying spacing.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit
    >>> x = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    >>> d2 = gradkit.derivative(np.sin(x), x[1] - x[0], order=2, accuracy=6,
    ...                         boundary="periodic")
    >>> bool(np.allclose(d2, -np.sin(x), atol=1e-6))
    True
    """
    f = as_samples(f, "derivative")
    check_numeric(f, "f")
    check_has_dimensions(f, "f", "derivative")
    f_ndim = f.ndim
    if isinstance(axis, (tuple, list)):
        if not len(axis):
            raise ValueError("`axis` must name at least one axis; got an empty sequence.")
        axes_list = [normalize_axes(_axis_entry(a, axis), f_ndim)[0] for a in axis]
    else:
        axes_list = list(normalize_axes(axis, f_ndim))
    unique = list(dict.fromkeys(axes_list))
    if len(unique) != len(axes_list):
        raise ValueError(
            f"`axis` must not repeat an axis (raise `order` instead); got {short_repr(axis)}."
        )
    orders = _orders(order, len(axes_list))
    accuracy = check_accuracy(accuracy)
    return_error = check_bool(return_error, "return_error")
    field = prepare_field(f, varargs, axes_list, boundary, period)
    result = _chain(field, axes_list, orders, accuracy)
    if return_error:
        estimate = error_estimate(
            lambda q: _chain(field, axes_list, orders, q),
            accuracy,
            result,
            axes_list,
            {a: field.boundary[a] == "periodic" for a in axes_list},
        )
        return field.finish(result), field.finish_error(estimate)
    return field.finish(result)


def _axis_entry(a, axis):
    """One entry of a tuple ``axis``, which must itself be an integer."""
    if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
        raise TypeError(
            f"`axis` must be an integer or a tuple of integers; got {short_repr(axis)}."
        )
    return a


def _chain(field, axes, orders, accuracy):
    data = field.data
    for ax, m in zip(axes, orders):
        data = field.derivative(ax, m, accuracy, data=data)
    return data


def _orders(order, n):
    if isinstance(order, (tuple, list)):
        if len(order) != n or not n:
            raise ValueError(
                f"`order` must give one order per axis in `axis` ({n}); got {short_repr(order)}."
            )
        return [check_order(o) for o in order]
    return [check_order(order)] * n


def hessian(f, *varargs, accuracy=2, boundary="one-sided", period=None):
    """Return all second derivatives of sampled data, shape ``(ndim, ndim) + f.shape``.

    Parameters
    ----------
    f : array_like or dask array
        Samples on a rectilinear grid.
    *varargs : scalars or 1-D arrays, optional
        Spacing of every axis, in any of numpy.gradient's forms.
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy (default 2).
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends, for all axes or one per axis.
    period : float or sequence of float, optional
        Period of periodic axes given by non-uniform coordinates.

    Returns
    -------
    ndarray or dask array
        ``H[i, j]`` is the derivative along axis ``i`` of the derivative along axis ``j``;
        ``H`` is symmetric. Diagonal entries use second-derivative stencils, off-diagonal
        entries two first-derivative stencils in turn.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit
    >>> x = np.linspace(0, 1, 21)
    >>> X, Y = np.meshgrid(x, x, indexing="ij")
    >>> H = gradkit.hessian(X**2 * Y, x, x)
    >>> H.shape
    (2, 2, 21, 21)
    >>> bool(np.allclose(H[0, 1], 2 * X))
    True
    """
    f = as_samples(f, "hessian")
    check_numeric(f, "f")
    check_has_dimensions(f, "f", "hessian")
    accuracy = check_accuracy(accuracy)
    ndim = f.ndim
    axes = tuple(range(ndim))
    field = prepare_field(f, varargs, axes, boundary, period)
    first = [field.derivative(a, 1, accuracy) for a in axes]
    entries = {}
    for i in axes:
        entries[i, i] = field.derivative(i, 2, accuracy)
        for j in range(i + 1, ndim):
            entries[i, j] = entries[j, i] = field.derivative(i, 1, accuracy, data=first[j])
    if is_dask_array(field.data):
        import dask.array as da

        rows = [da.stack([entries[i, j] for j in axes]) for i in axes]
        return field.finish(da.stack(rows))
    H = np.empty((ndim, ndim) + field.data.shape, dtype=field.out_dtype)
    for (i, j), value in entries.items():
        H[i, j] = value
    return np.ma.masked_invalid(H) if field.masked else H


def laplacian(f, *varargs, accuracy=2, boundary="one-sided", period=None):
    """Return the Laplacian (sum of second derivatives along every axis) of sampled data.

    Parameters are those of :func:`hessian`.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit
    >>> x = np.linspace(-1, 1, 41)
    >>> X, Y = np.meshgrid(x, x, indexing="ij")
    >>> bool(np.allclose(gradkit.laplacian(X**2 + Y**2, x, x), 4.0))
    True
    """
    f = as_samples(f, "laplacian")
    check_numeric(f, "f")
    check_has_dimensions(f, "f", "laplacian")
    accuracy = check_accuracy(accuracy)
    axes = tuple(range(f.ndim))
    field = prepare_field(f, varargs, axes, boundary, period)
    total = field.derivative(0, 2, accuracy)
    for a in axes[1:]:
        total = total + field.derivative(a, 2, accuracy)
    return field.finish(total)


def divergence(v, *varargs, accuracy=2, boundary="one-sided", period=None):
    """Return the divergence of a sampled vector field.

    Parameters
    ----------
    v : (ndim,) + shape array_like, or sequence of ndim arrays of one shape
        Component ``i`` is the field's component along axis ``i``.
    *varargs, accuracy, boundary, period
        As for :func:`hessian`.

    Returns
    -------
    ndarray or dask array
        :math:`\\sum_i \\partial v_i / \\partial x_i`, of the components' shape.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit
    >>> x = np.linspace(0, 1, 11)
    >>> X, Y = np.meshgrid(x, x, indexing="ij")
    >>> bool(np.allclose(gradkit.divergence([X * Y, Y], x, x), Y + 1))
    True
    """
    components = _components(v, None, "divergence")
    accuracy = check_accuracy(accuracy)
    axes = tuple(range(len(components)))
    total = None
    for i, comp in enumerate(components):
        field = prepare_field(comp, varargs, axes, boundary, period, name="v")
        term = field.finish(field.derivative(i, 1, accuracy))
        total = term if total is None else total + term
    return total


def curl(v, *varargs, accuracy=2, boundary="one-sided", period=None):
    """Return the curl of a sampled 2-D or 3-D vector field.

    Parameters
    ----------
    v : (ndim,) + shape array_like, or sequence of ndim arrays of one shape
        ``ndim`` is 2 or 3; component ``i`` lies along axis ``i``.
    *varargs, accuracy, boundary, period
        As for :func:`hessian`.

    Returns
    -------
    ndarray or dask array
        In 2-D the scalar :math:`\\partial_0 v_1 - \\partial_1 v_0`; in 3-D the vector
        :math:`(\\partial_1 v_2 - \\partial_2 v_1, \\partial_2 v_0 - \\partial_0 v_2,
        \\partial_0 v_1 - \\partial_1 v_0)` with shape ``(3,) + shape``.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit
    >>> x = np.linspace(-1, 1, 11)
    >>> X, Y = np.meshgrid(x, x, indexing="ij")
    >>> bool(np.allclose(gradkit.curl([-Y, X], x, x), 2.0))
    True
    """
    components = _components(v, (2, 3), "curl")
    accuracy = check_accuracy(accuracy)
    ndim = len(components)
    axes = tuple(range(ndim))
    fields = [prepare_field(c, varargs, axes, boundary, period, name="v") for c in components]

    def d(comp, axis):
        return fields[comp].finish(fields[comp].derivative(axis, 1, accuracy))

    if ndim == 2:
        return d(1, 0) - d(0, 1)
    parts = [d(2, 1) - d(1, 2), d(0, 2) - d(2, 0), d(1, 0) - d(0, 1)]
    if any(is_dask_array(p) for p in parts):
        import dask.array as da

        return da.stack(parts)
    return np.stack(parts)


def _components(v, allowed, function):
    """Split a vector field into its components and check their count, dtype and shapes."""
    reject_callable(v, function, "v")
    if isinstance(v, str):
        raise TypeError(f"`v` must hold numbers; got a string {short_repr(v)}.")
    if not isinstance(v, (list, tuple)):
        v = as_samples(v, function, "v")
        check_numeric(v, "v")
        if v.ndim == 0:
            raise ValueError(
                f"`v` must be an array of shape (ndim,) + shape or a sequence of ndim "
                f"components for `{function}`; got a 0-d array ({short_repr(v)})."
            )
        comps = [v[i] for i in range(v.shape[0])]
    else:
        items = list(v)
        comps = []
        for i, c in enumerate(items):
            reject_callable(c, function, f"v[{i}]")
            c = as_samples(c, function, f"v[{i}]")
            check_numeric(c, f"v[{i}]")
            comps.append(c)
    n = len(comps)
    shapes = {tuple(c.shape) for c in comps}
    if n == 0 or len(shapes) != 1:
        raise ValueError(f"`v` must hold components of one shape; got shapes {sorted(shapes)}.")
    (shape,) = shapes
    if len(shape) != n:
        raise ValueError(
            f"`v` must have one component per axis: {n} components of {len(shape)}-D shape {shape}."
        )
    if allowed is not None and n not in allowed:
        raise ValueError(f"`v` must be a 2-D or 3-D vector field for `curl`; got {n}-D.")
    return comps
