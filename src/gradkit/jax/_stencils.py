"""gradkit's finite-difference operators written in ``jax.numpy``.

The stencils are gradkit's own plans (``gradkit.fd``), built from concrete spacing when
the function is called or traced; only their application is expressed in ``jax.numpy``
(:func:`gradkit.fd._xp.apply_plan`), so the operators run on any device and under every
JAX transformation. The data may be traced; the spacing, coordinates and options must be
concrete (the stencil weights are computed from them in numpy).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from ..fd._xp import (
    Ops,
    apply_plan,
    component_plans,
    derivative_plans,
    gradient_plans,
    operator_plans,
)

__all__ = ["curl", "derivative", "divergence", "gradient", "hessian", "laplacian"]


def _concrete(value, name: str):
    """``value`` with concrete JAX arrays made numpy arrays; a traced one raises."""
    if isinstance(value, jax.core.Tracer):
        raise TypeError(
            f"`{name}` is a traced JAX array ({value.aval.str_short()}), but gradkit.jax "
            f"builds its stencil weights from concrete spacing and coordinates; pass "
            f"`{name}` as a numpy array or Python number (close over it, or mark it "
            f"static under jax.jit) rather than as a traced argument."
        )
    if isinstance(value, jax.Array):
        return np.asarray(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_concrete(v, f"{name}[{i}]") for i, v in enumerate(value))
    return value


def _varargs(varargs):
    return tuple(_concrete(v, f"varargs[{i}]") for i, v in enumerate(varargs))


def _data(f, function: str, name: str = "f"):
    """``f`` as a JAX array, with its numpy dtype (for gradkit's checks), its compute dtype
    and its result dtype.

    JAX's dtype rules: integers and booleans become the default float (float64 with
    ``jax_enable_x64``, else float32); float16 and bfloat16 are computed in float32 and
    returned in their own dtype."""
    if callable(f) and not isinstance(f, jax.Array):
        from ..fd._prepare import reject_callable

        reject_callable(f, function, name)
    try:
        f = jnp.asarray(f)
    except TypeError as exc:
        raise TypeError(f"`{name}` must be array_like holding numbers: {exc}") from None
    dtype = np.dtype(f.dtype)
    probe = dtype if dtype.kind in "biufc" else np.dtype(np.float32)
    if jnp.issubdtype(dtype, jnp.complexfloating):
        compute = result = dtype
    elif jnp.issubdtype(dtype, jnp.floating):
        result = dtype
        compute = dtype if dtype.itemsize >= 4 else np.dtype(np.float32)
    else:
        compute = result = np.dtype(jnp.result_type(float))
    return f, probe, compute, result


def _ops(compute) -> Ops:
    real = jnp.finfo(compute).dtype
    return Ops(
        concat=lambda arrays, axis: jnp.concatenate(arrays, axis=axis),
        const=lambda a: jnp.asarray(a, dtype=real),
    )


def _apply_chain(f, axes, plans, ops):
    for ax, plan in zip(axes, plans):
        f = apply_plan(f, ax, plan, ops)
    return f


def gradient(
    f, *varargs, axis=None, edge_order=None, accuracy=None, boundary="one-sided", period=None
):
    """Return the gradient of an N-dimensional array of samples, in ``jax.numpy``.

    :func:`gradkit.gradient` (numpy.gradient's signature plus ``accuracy``, ``boundary``,
    ``period``) for JAX arrays: jit-able, vmap-able and differentiable with respect to
    ``f``. With the defaults it gives :func:`jax.numpy.gradient`'s values (to rounding).

    Parameters
    ----------
    f : array_like or jax.Array
        Samples on a rectilinear grid (may be traced).
    *varargs : scalars or 1-D arrays, optional
        Spacing, as in numpy.gradient: nothing, one scalar, or one scalar or coordinate
        array per differentiated axis. Must be concrete (numpy arrays, Python numbers or
        concrete JAX arrays): the stencil weights are computed from them.
    axis : None or int or tuple of ints, optional
        Axes to differentiate along (default: all).
    edge_order : {1, 2}, optional
        Order of the one-sided differences at the ends when ``accuracy`` is None
        (default 1); unlike :func:`jax.numpy.gradient`, 2 is supported.
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy of every difference, boundaries included (see
        :func:`gradkit.gradient`).
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends, for all axes or one per differentiated axis.
    period : float or sequence of float, optional
        Period of periodic axes given by non-uniform coordinates.

    Returns
    -------
    jax.Array or tuple of jax.Array
        One array per differentiated axis, of ``f``'s shape; a single array for one axis.
        Integer input gives JAX's default float dtype.

    Raises
    ------
    TypeError
        A traced spacing or coordinate array (the message names it), and the type errors
        of :func:`gradkit.gradient`.
    ValueError
        As :func:`gradkit.gradient`.

    Examples
    --------
    >>> import jax, jax.numpy as jnp
    >>> import gradkit.jax
    >>> x = jnp.linspace(0.0, 1.0, 11)
    >>> g = jax.jit(lambda f: gradkit.jax.gradient(f, 0.1, accuracy=4))(x**3)
    >>> bool(jnp.allclose(g, 3 * x**2, atol=1e-5))
    True
    """
    f, probe, compute, result = _data(f, "gradient")
    varargs = _varargs(varargs)
    period = _concrete(period, "period")
    axes, plans = gradient_plans(
        f.shape, probe, compute, varargs, axis, edge_order, accuracy, boundary, period
    )
    data = f.astype(compute)
    ops = _ops(compute)
    out = tuple(apply_plan(data, a, p, ops).astype(result) for a, p in zip(axes, plans))
    return out[0] if len(axes) == 1 else out


def derivative(f, *varargs, axis=0, order=1, accuracy=2, boundary="one-sided", period=None):
    """Return a derivative of any order (1-4) of sampled data, in ``jax.numpy``.

    The arguments and results of :func:`gradkit.derivative` (without ``return_error``);
    ``varargs`` and ``period`` must be concrete.

    Parameters
    ----------
    f : array_like or jax.Array
        Samples on a rectilinear grid.
    *varargs : scalars or 1-D arrays, optional
        Spacing of the axes in ``axis``.
    axis : int or tuple of ints, optional
        Axis (default 0), or axes differentiated in turn (a mixed derivative).
    order : int or tuple of ints, optional
        Derivative order from 1 to 4, for all axes or one per axis.
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy (default 2).
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends.
    period : float or sequence of float, optional
        Period of non-uniform periodic axes.

    Returns
    -------
    jax.Array
        The derivative, of ``f``'s shape.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import gradkit.jax
    >>> x = jnp.linspace(0.0, 2 * jnp.pi, 64, endpoint=False)
    >>> d2 = gradkit.jax.derivative(jnp.sin(x), float(x[1] - x[0]), order=2, accuracy=6,
    ...                             boundary="periodic")
    >>> bool(jnp.allclose(d2, -jnp.sin(x), atol=1e-4))
    True
    """
    f, probe, compute, result = _data(f, "derivative")
    axes, plans = derivative_plans(
        f.shape,
        probe,
        compute,
        _varargs(varargs),
        axis,
        order,
        accuracy,
        boundary,
        _concrete(period, "period"),
    )
    return _apply_chain(f.astype(compute), axes, plans, _ops(compute)).astype(result)


def hessian(f, *varargs, accuracy=2, boundary="one-sided", period=None):
    """Return all second derivatives, shape ``(ndim, ndim) + f.shape``, in ``jax.numpy``.

    The arguments and results of :func:`gradkit.hessian`: diagonal entries by
    second-derivative stencils, off-diagonal ones by two first-derivative stencils.

    Parameters
    ----------
    f : array_like or jax.Array
        Samples on a rectilinear grid.
    *varargs : scalars or 1-D arrays, optional
        Spacing of every axis (concrete).
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy (default 2).
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends.
    period : float or sequence of float, optional
        Period of non-uniform periodic axes.

    Returns
    -------
    jax.Array
        ``H[i, j]``, the derivative along axis ``i`` of the derivative along axis ``j``.
    """
    f, probe, compute, result = _data(f, "hessian")
    first, second = operator_plans(
        f.shape,
        probe,
        compute,
        _varargs(varargs),
        accuracy,
        boundary,
        _concrete(period, "period"),
        "hessian",
    )
    data = f.astype(compute)
    ops = _ops(compute)
    ndim = f.ndim
    d1 = [apply_plan(data, a, first[a], ops) for a in range(ndim)]
    entries = {}
    for i in range(ndim):
        entries[i, i] = apply_plan(data, i, second[i], ops)
        for j in range(i + 1, ndim):
            entries[i, j] = entries[j, i] = apply_plan(d1[j], i, first[i], ops)
    rows = [jnp.stack([entries[i, j] for j in range(ndim)]) for i in range(ndim)]
    return jnp.stack(rows).astype(result)


def laplacian(f, *varargs, accuracy=2, boundary="one-sided", period=None):
    """Return the Laplacian of sampled data, in ``jax.numpy``.

    The arguments and results of :func:`gradkit.laplacian` (those of :func:`hessian`).

    Parameters
    ----------
    f : array_like or jax.Array
        Samples on a rectilinear grid.
    *varargs : scalars or 1-D arrays, optional
        Spacing of every axis (concrete).
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy (default 2).
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends.
    period : float or sequence of float, optional
        Period of non-uniform periodic axes.

    Returns
    -------
    jax.Array
        The sum of the second derivatives along every axis, of ``f``'s shape.
    """
    f, probe, compute, result = _data(f, "laplacian")
    _, second = operator_plans(
        f.shape,
        probe,
        compute,
        _varargs(varargs),
        accuracy,
        boundary,
        _concrete(period, "period"),
        "laplacian",
    )
    data = f.astype(compute)
    ops = _ops(compute)
    total = apply_plan(data, 0, second[0], ops)
    for a in range(1, f.ndim):
        total = total + apply_plan(data, a, second[a], ops)
    return total.astype(result)


def _vector(v, function):
    """Components of a vector field (an array of shape ``(ndim,) + shape`` or a sequence of
    arrays) as JAX arrays, with the per-component plans of first derivatives."""
    if isinstance(v, (list, tuple)):
        parts = [_data(c, function, f"v[{i}]") for i, c in enumerate(v)]
        spec = [(c.shape, probe) for c, probe, _, _ in parts]
    else:
        whole = _data(v, function, "v")
        spec = (whole[0].shape, whole[1])
        parts = (
            [(whole[0][i],) + whole[1:] for i in range(whole[0].shape[0])] if whole[0].ndim else []
        )
    return parts, spec


def divergence(v, *varargs, accuracy=2, boundary="one-sided", period=None):
    """Return the divergence of a sampled vector field, in ``jax.numpy``.

    The arguments and results of :func:`gradkit.divergence`.

    Parameters
    ----------
    v : (ndim,) + shape array_like, or sequence of ndim arrays of one shape
        Component ``i`` is the field's component along axis ``i``.
    *varargs : scalars or 1-D arrays, optional
        Spacing of every axis (concrete).
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy (default 2).
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends.
    period : float or sequence of float, optional
        Period of non-uniform periodic axes.

    Returns
    -------
    jax.Array
        :math:`\\sum_i \\partial v_i / \\partial x_i`, of the components' shape.
    """
    parts, spec = _vector(v, "divergence")
    plans = component_plans(
        spec,
        [p[2] for p in parts],
        _varargs(varargs),
        accuracy,
        boundary,
        _concrete(period, "period"),
        "divergence",
    )
    total = None
    for i, ((comp, _, compute, result), comp_plans) in enumerate(zip(parts, plans)):
        term = apply_plan(comp.astype(compute), i, comp_plans[i], _ops(compute)).astype(result)
        total = term if total is None else total + term
    return total


def curl(v, *varargs, accuracy=2, boundary="one-sided", period=None):
    """Return the curl of a sampled 2-D or 3-D vector field, in ``jax.numpy``.

    The arguments and results of :func:`gradkit.curl`.

    Parameters
    ----------
    v : (ndim,) + shape array_like, or sequence of ndim arrays of one shape
        ``ndim`` is 2 or 3; component ``i`` lies along axis ``i``.
    *varargs : scalars or 1-D arrays, optional
        Spacing of every axis (concrete).
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy (default 2).
    boundary : {"one-sided", "periodic"} or sequence of them, optional
        Treatment of the ends.
    period : float or sequence of float, optional
        Period of non-uniform periodic axes.

    Returns
    -------
    jax.Array
        In 2-D the scalar :math:`\\partial_0 v_1 - \\partial_1 v_0`; in 3-D the vector of
        shape ``(3,) + shape``.
    """
    parts, spec = _vector(v, "curl")
    plans = component_plans(
        spec,
        [p[2] for p in parts],
        _varargs(varargs),
        accuracy,
        boundary,
        _concrete(period, "period"),
        "curl",
    )

    def d(c, axis):
        comp, _, compute, result = parts[c]
        return apply_plan(comp.astype(compute), axis, plans[c][axis], _ops(compute)).astype(result)

    if len(parts) == 2:
        return d(1, 0) - d(0, 1)
    return jnp.stack([d(2, 1) - d(1, 2), d(0, 2) - d(2, 0), d(1, 0) - d(0, 1)])
