"""``da.gradkit.interp``: xarray's ``DataArray.interp`` with exact gradients.

The values come from :class:`gradkit.grid.RegularGridInterpolator` (scipy's interpolants,
so xarray's: xarray calls ``scipy.interpolate.interpn`` for several dimensions and scipy's
1-D interpolants of the same methods for one); the coordinates of the result come from
xarray's own ``Dataset.interp`` applied to the coordinates alone, so that they are
xarray's (interpolated non-index coordinates, the indexers' coordinates, scalar
coordinates for scalar indexers).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from .._validation import short_repr
from ._coords import derived_units

__all__ = ["interp"]

_METHODS = frozenset({"linear", "nearest", "slinear", "cubic", "quintic", "pchip"})
_KWARGS = frozenset({"bounds_error", "fill_value", "extrapolate"})
_DECOMPOSED = frozenset({"linear", "nearest", "slinear"})  # xarray: one dim at a time


def _label(name) -> str:
    return "f" if name is None else str(name)


def _check_method(method):
    if not isinstance(method, str) or method not in _METHODS:
        raise ValueError(
            f"`method` must be one of {', '.join(repr(m) for m in sorted(_METHODS))}; "
            f"got {short_repr(method)}."
        )
    return str(method)


def _check_kwargs(kwargs, method):
    """xarray's ``kwargs`` (those of scipy's interpolants) as gradkit's outside rule.

    Returns ``bounds_error``, ``fill_value`` (a number, or None as given) and whether to
    extrapolate along every axis (``fill_value="extrapolate"``, pchip's
    ``extrapolate=True``).
    """
    if kwargs is None:
        kwargs = {}
    if not isinstance(kwargs, Mapping):
        raise TypeError(f"`kwargs` must be a dict or None; got {short_repr(kwargs)}.")
    unknown = sorted(str(k) for k in kwargs if k not in _KWARGS)
    if unknown:
        raise TypeError(
            f"`kwargs` accepts only {sorted(_KWARGS)} (scipy's outside-the-grid options); "
            f"got {unknown}."
        )
    bounds_error = kwargs.get("bounds_error", False)
    if bounds_error is None:  # interp1d's default: False unless extrapolating
        bounds_error = False
    if not isinstance(bounds_error, bool | np.bool_):
        raise TypeError(f"`kwargs['bounds_error']` must be a bool; got {short_repr(bounds_error)}.")
    fill_value = kwargs.get("fill_value", np.nan)
    everywhere = False  # extrapolate along every axis ("extrapolate", pchip's True)
    if isinstance(fill_value, str):
        if fill_value != "extrapolate":
            raise ValueError(
                "`kwargs['fill_value']` must be a number, None or 'extrapolate'; got "
                f"{fill_value!r}."
            )
        fill_value, everywhere = None, True
    if "extrapolate" in kwargs:  # PchipInterpolator's option (xarray's 1-D pchip)
        extrapolate = kwargs["extrapolate"]
        if not isinstance(extrapolate, bool | np.bool_):
            raise TypeError(
                f"`kwargs['extrapolate']` must be a bool; got {short_repr(extrapolate)}."
            )
        if extrapolate:
            fill_value, everywhere = None, True
    return bool(bounds_error), fill_value, everywhere


def _indexers(da, coords, coords_kwargs):
    if coords is not None and coords_kwargs:
        raise ValueError("cannot specify both keyword and positional arguments to .interp")
    indexers = dict(coords_kwargs if coords is None else coords)
    if not indexers:
        raise ValueError("`coords`: no dimension to interpolate along was given.")
    missing = [k for k in indexers if k not in da.dims]
    if missing:
        raise ValueError(
            f"`coords`: dimensions {missing} do not exist; `{_label(da.name)}` has "
            f"dimensions {list(da.dims)}."
        )
    return indexers


def _grid_axis(da, dim, assume_sorted):
    """The coordinate of ``dim`` as floats (0, 1, ... without one), and the sort order."""
    if dim in da.coords:
        coord = da.coords[dim].variable
        if coord.ndim != 1:
            raise ValueError(f"Coordinate {dim!r} must be 1-dimensional to interpolate along.")
        values = np.asarray(coord.values)
    else:
        values = np.arange(da.sizes[dim], dtype=np.float64)
    if values.dtype.kind in "mMO":
        raise TypeError(
            f"`coords`: coordinate {dim!r} holds {values.dtype} values; gradkit interpolates "
            "along numeric coordinates only (derivatives need a unit): convert it to numbers "
            "first (for datetimes, e.g. `(t - t[0]) / np.timedelta64(1, 's')`)."
        )
    if values.dtype.kind not in "biuf":
        raise TypeError(
            f"`coords`: coordinate {dim!r} must be numeric to interpolate along; got dtype "
            f"{values.dtype}."
        )
    values = values.astype(np.float64)
    if not np.all(np.isfinite(values)):
        raise ValueError(
            f"`coords`: coordinate {dim!r} must hold finite values; got {short_repr(values)}."
        )
    order = None
    d = np.diff(values)
    if not (np.all(d > 0) or np.all(d < 0)):
        if assume_sorted:
            i = int(np.argmax(d <= 0) if d.size and d[0] > 0 else np.argmax(d >= 0))
            raise ValueError(
                f"`coords`: coordinate {dim!r} is not strictly monotonic (values "
                f"{short_repr(values[i])} then {short_repr(values[i + 1])} at position "
                f"{i + 1}), but `assume_sorted` is True."
            )
        order = np.argsort(values, kind="stable")
        values = values[order]
        if np.any(np.diff(values) == 0):
            raise ValueError(
                f"`coords`: coordinate {dim!r} has repeated values; interpolation needs "
                "distinct coordinate values."
            )
    return values, order


def _destination(dim, value) -> xr.Variable:
    """An indexer as a Variable, as xarray reads it (a bare 1-D array lies along ``dim``)."""
    if isinstance(value, xr.DataArray):
        v = value.variable
    elif isinstance(value, xr.Variable):
        v = value
    else:
        arr = np.asarray(value)
        if arr.ndim == 0:
            v = xr.Variable((), arr)
        elif arr.ndim == 1:
            v = xr.Variable((dim,), arr)
        else:
            raise ValueError(
                f"`coords[{dim!r}]` is a {arr.ndim}-D array without dimension names: pass a "
                "DataArray to interpolate at points along named dimensions."
            )
    if v.dtype.kind not in "biuf":
        raise TypeError(
            f"`coords[{dim!r}]` must hold numbers to interpolate at; got dtype {v.dtype}."
        )
    return v


def _alone(dims, dest):
    """Whether xarray interpolates each dim by itself (``decompose_interp``: its indexer
    shares no dimension with another's) for the methods it decomposes."""
    own = [set(dest[d].dims) or {d} for d in dims]
    return [not any(own[k] & own[j] for j in range(len(dims)) if j != k) for k in range(len(dims))]


def _nearest_as_xarray(xi, grid, alone):
    """Snap queries along dims that xarray interpolates alone onto interp1d's choice.

    xarray splits orthogonal ``"nearest"`` indexers into 1-D ``interp1d`` calls, which
    break a tie (a query halfway between two grid values, after rounding) towards the
    lower value; ``interpn`` (pointwise indexers) decides from the rounded normalised
    distance. Snapped queries lie on grid values, so the interpolant returns that value.
    """
    xi = xi.copy()
    for k, g in enumerate(grid):
        if not alone[k] or g.size < 2:
            continue
        asc = g if g[0] < g[-1] else g[::-1]
        q = xi[..., k]
        idx = np.clip(np.searchsorted((asc[1:] + asc[:-1]) / 2, q, side="left"), 0, g.size - 1)
        inside = (q >= asc[0]) & (q <= asc[-1])
        xi[..., k] = np.where(inside, asc[idx], q)
    return xi


def _coordinates(da, indexers, method, assume_sorted, kwargs):
    """xarray's coordinates of ``da.interp(indexers)``, computed on the coordinates alone."""
    proxy = xr.Dataset(coords=da.coords)
    for d in da.dims:  # carry dims without a coordinate (cheap 1-D stand-ins)
        if d not in proxy.dims:
            proxy[f"__gradkit_dim_{d}"] = ((d,), np.zeros(da.sizes[d]))
    out = proxy.interp(indexers, method=method, assume_sorted=assume_sorted, kwargs=kwargs)
    # without an index, xarray leaves the indexer as a data variable (a DataArray makes
    # it a coordinate)
    dummies = [k for k in out.data_vars if str(k).startswith("__gradkit_dim_")]
    return out.drop_vars(dummies).set_coords(list(set(out.data_vars) - set(dummies))).coords


def interp(da, coords, method, assume_sorted, kwargs, gradient, exact_fit, coords_kwargs):
    """Implement ``DataArrayAccessor.interp`` (see its docstring)."""
    from ..grid import RegularGridInterpolator

    method = _check_method(method)
    if not isinstance(gradient, bool | np.bool_):
        raise TypeError(f"`gradient` must be a bool; got {short_repr(gradient)}.")
    if not isinstance(exact_fit, bool | np.bool_):
        raise TypeError(f"`exact_fit` must be a bool; got {short_repr(exact_fit)}.")
    bounds_error, fill_value, everywhere = _check_kwargs(kwargs, method)
    indexers = _indexers(da, coords, coords_kwargs)
    dims = list(indexers)
    if da.dtype.kind not in "biufc":
        raise TypeError(f"`{_label(da.name)}` must hold numbers; got dtype {da.dtype}.")
    grid, orders = zip(*(_grid_axis(da, d, assume_sorted) for d in dims), strict=True)
    dest = {d: _destination(d, indexers[d]) for d in dims}
    others = [d for d in da.dims if d not in indexers]
    clash = sorted({str(e) for v in dest.values() for e in v.dims if e in others}, key=str)
    if clash:
        raise ValueError(
            f"`coords`: indexers along dimensions {clash} of the data that are not "
            "interpolated (xarray's vectorised case) are not supported; interpolate those "
            "dimensions too, or loop over them."
        )

    # output dims in xarray's order: each interpolated dim replaced by its indexer's dims
    out_dims: list = []
    for d in da.dims:
        for e in dest[d].dims if d in dest else (d,):
            if e not in out_dims:
                out_dims.append(e)
    query = xr.broadcast(*(xr.DataArray(v) for v in dest.values()))
    qdims = [e for e in out_dims if e in query[0].dims]
    xi = np.stack(
        [np.asarray(q.transpose(*qdims).values, dtype=np.float64) for q in query], axis=-1
    )

    values = np.asarray(da.transpose(*dims, *others).values)
    for i, order in enumerate(orders):
        if order is not None:
            values = np.take(values, order, axis=i)
    solver = None
    if method in ("cubic", "quintic") and len(dims) > 1 and not exact_fit:
        # xarray interpolates these along several dims at once with scipy's interpn,
        # whose spline coefficients come from scipy's iterative solve (gcrotmk, about
        # 1e-5 from the exact fit): the same solve gives xarray's values
        from scipy.sparse.linalg import gcrotmk as solver
    # xarray's 1-D calls (interp1d, PchipInterpolator) read `fill_value=None` as NaN;
    # its interpn calls as extrapolation
    alone = _alone(dims, dest)
    one_d = [len(dims) == 1 or (method in _DECOMPOSED and a) for a in alone]
    if method == "nearest":
        xi = _nearest_as_xarray(xi, grid, [a and method in _DECOMPOSED for a in alone])
    extrapolate = None
    if bounds_error:  # name the coordinate (scipy's message gives an axis number)
        for k, (d, g) in enumerate(zip(dims, grid, strict=True)):
            q = xi[..., k]
            bad = ~((q >= g.min()) & (q <= g.max()))
            if bad.any():
                raise ValueError(
                    f"`coords[{d!r}]`: {short_repr(q[bad].ravel()[0])} is out of bounds of "
                    f"coordinate {d!r} ({float(g.min())} to {float(g.max())}) and "
                    "`kwargs['bounds_error']` is True."
                )
    elif everywhere:
        extrapolate = ["linear"] * len(dims)
    elif fill_value is None:
        extrapolate = ["fill" if o else "linear" for o in one_d]
    else:
        extrapolate = ["fill"] * len(dims)
    rgi = RegularGridInterpolator(
        grid,
        values,
        method=method,
        bounds_error=bounds_error,
        fill_value=np.nan if fill_value is None else fill_value,
        solver=solver,
        extrapolate=extrapolate,
    )
    result_dims = [*qdims, *others]
    qshape, vshape = xi.shape[:-1], values.shape[len(dims) :]
    flat = xi.reshape(-1, len(dims))  # a lone point: (1, ndim), not a 1-D xi
    if gradient:
        v, g = rgi.value_and_gradient(flat)
        g = g.reshape(qshape + vshape + (len(dims),))
    else:
        v = rgi(flat)
    v = v.reshape(qshape + vshape)
    new_coords = _coordinates(da, indexers, method, assume_sorted, kwargs)

    def wrap(data, name, attrs):
        arr = xr.DataArray(data, dims=result_dims).transpose(*out_dims)
        keep = {k: c for k, c in new_coords.items() if set(c.dims) <= set(out_dims)}
        return xr.DataArray(arr.variable, coords=keep, name=name, attrs=attrs)

    value = wrap(v, da.name, dict(da.attrs))
    if not gradient:
        return value
    name = _label(da.name)
    out = {name: value.rename(name)}
    what = da.attrs.get("long_name")
    what = what if isinstance(what, str) else name
    for k, d in enumerate(dims):
        cunits = da.coords[d].attrs.get("units") if d in da.coords else None
        units = derived_units(da.attrs.get("units"), [(cunits, 1)])
        attrs = {"units": units} if units is not None else {}
        attrs["long_name"] = f"derivative of {what} along {d} ({method} interpolant)"
        key = f"d{name}_d{d}"
        out[key] = wrap(g[..., k], key, attrs)
    return xr.Dataset(out)
