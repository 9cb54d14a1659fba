"""The ``gradkit`` accessor on xarray DataArrays and Datasets."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import numpy as np
import xarray as xr

from .. import fd
from .._validation import short_repr
from ._coords import Axis, axis_of, derived_units, resolve_boundaries, to_numeric_data
from ._sphere import (
    EARTH_RADIUS,
    across_poles,
    check_metric,
    check_radius,
    inverse_cos,
    pole_rows,
    sphere_axes,
    tangent,
    to_radians,
)

__all__ = ["DataArrayAccessor", "DatasetAccessor"]

_ORDINALS = {1: "", 2: "second ", 3: "third ", 4: "fourth "}


# ----------------------------------------------------------------------------------------
# shared machinery


def _label(name) -> str:
    return "f" if name is None else str(name)


def _what(da: xr.DataArray) -> str:
    long_name = da.attrs.get("long_name")
    return long_name if isinstance(long_name, str) else _label(da.name)


def _stencil_width(order: int, accuracy, edge_order, boundary: str) -> int:
    """Points of the widest stencil (the rule that chunks must not be smaller than)."""
    if accuracy is None:
        return (edge_order or 1) + 1 if boundary == "one-sided" else 3
    if boundary == "periodic":
        return 2 * ((order + 1) // 2) - 1 + accuracy
    return order + accuracy


def _check_chunks(data, axis: int, a: Axis, width: int, dask_rule: bool) -> None:
    chunks = getattr(data, "chunks", None)
    if not isinstance(chunks, tuple) or not chunks or not isinstance(chunks[0], tuple):
        return
    along = chunks[axis]
    small = min(along)
    if dask_rule:  # xarray's differentiate hands dask arrays to dask.array.gradient
        if small < width:
            raise ValueError(
                "Chunk size must be larger than edge_order + 1. "
                f"Minimum chunk for axis {axis} is {small}. Rechunk to proceed."
            )
    elif len(along) > 1 and small < width:
        raise ValueError(
            f"`chunks` of the data along {a.dim!r} must hold at least {width} points (the "
            f"stencil's width) each; the smallest has {small}. Rechunk, e.g. "
            f".chunk({{{a.dim!r}: {max(width, max(along))}}})."
        )


def _diff(data, dims, axes, orders, bounds, accuracy, edge_order=None, dask_rule=False):
    """gradkit's derivative of the array ``data`` (dimensions ``dims``) along ``axes``."""
    nums = [dims.index(a.dim) for a in axes]
    for n, a, m, (b, _) in zip(nums, axes, orders, bounds):
        _check_chunks(data, n, a, _stencil_width(m, accuracy, edge_order, b), dask_rule)
    if len(axes) == 1 and orders[0] == 1:
        (a,), ((b, p),) = axes, bounds
        return fd.gradient(
            data,
            a.values,
            axis=nums[0],
            edge_order=edge_order,
            accuracy=accuracy,
            boundary=b,
            period=p,
        )
    return fd.derivative(
        data,
        *[a.values for a in axes],
        axis=tuple(nums),
        order=tuple(orders),
        accuracy=2 if accuracy is None else accuracy,
        boundary=[b for b, _ in bounds],
        period=[p for _, p in bounds],
    )


def _along(da: xr.DataArray, axes, orders, bounds, accuracy, edge_order=None) -> xr.DataArray:
    """A derivative of ``da`` as a DataArray of its dims and coords, without name/attrs."""
    data = _diff(da.data, list(da.dims), axes, orders, bounds, accuracy, edge_order)
    return xr.DataArray(data, dims=da.dims, coords=da.coords)


def _along_lat(da, sphere, bounds, m, accuracy, edge_order=None) -> xr.DataArray:
    """A latitude derivative on the sphere; on a global grid the stencils continue across
    the poles (see :func:`~gradkit.xarray._sphere.pole_rows`), so they stay centred."""
    lat, lon, lat_i, lon_i = sphere
    b_lat = bounds[lat_i]
    k = (accuracy or 2) + 2
    rows = pole_rows(lat.values, lon.values, bounds[lon_i][0] == "periodic", k)
    if rows is None:
        return _along(da, [lat], [m], [b_lat], accuracy, edge_order)
    first, last, values = rows
    dims = list(da.dims)
    axis = dims.index(lat.dim)
    ext = across_poles(da.data, axis, dims.index(lon.dim), first, last)
    d = _diff(ext, dims, [replace(lat, values=values)], [m], [b_lat], accuracy, edge_order)
    index = [slice(None)] * d.ndim
    index[axis] = slice(first.size, first.size + lat.values.size)
    return xr.DataArray(d[tuple(index)], dims=da.dims, coords=da.coords)


def _as_given(bounds, sphere):
    """(latitude, longitude) boundaries back in the order the coordinates were given."""
    out = [None, None]
    out[sphere[2]], out[sphere[3]] = bounds
    return out


def _finish(result: xr.DataArray, name, units, long_name) -> xr.DataArray:
    result = result.rename(name)
    result.attrs = {}
    if units is not None:
        result.attrs["units"] = units
    result.attrs["long_name"] = long_name
    return result


def _resolve(ds: xr.Dataset, names, argument, datetime_unit) -> list[Axis]:
    if names is None:
        names = list(ds.dims)
    elif isinstance(names, str) or not isinstance(names, (list, tuple)):
        names = [names]
    if not names:
        raise ValueError(f"`{argument}` must name at least one coordinate; got {names!r}.")
    axes = [axis_of(ds, n, datetime_unit, argument) for n in names]
    seen = {}
    for a in axes:
        if a.dim in seen:
            raise ValueError(
                f"`{argument}` names {seen[a.dim]!r} and {a.name!r}, which both lie along "
                f"dimension {a.dim!r}."
            )
        seen[a.dim] = a.name
    return axes


def _check_accuracy_kw(accuracy):
    if accuracy is not None:
        fd._prepare.check_accuracy(accuracy)  # the message names `accuracy`


def _suffix(a: Axis, m: int) -> str:
    return f"d{a.name}" + (str(m) if m > 1 else "")


# ----------------------------------------------------------------------------------------
# the operators, on one DataArray (``ds`` resolves coordinate names)


def _differentiate_dataset(ds, coord, edge_order, datetime_unit, accuracy, boundary, period):
    """``Dataset.differentiate``'s loop, with gradkit's gradient for numpy's/dask's."""
    a = axis_of(ds, coord, datetime_unit, "coord")
    datetime_unit = a.datetime_unit  # set from a datetime coordinate, as xarray does
    _check_accuracy_kw(accuracy)
    if accuracy is not None and edge_order not in (1, accuracy):
        raise ValueError(
            f"`edge_order`={short_repr(edge_order)} contradicts `accuracy`={accuracy}: with "
            f"`accuracy` the boundaries are order {accuracy} too; leave `edge_order` at 1."
        )
    ((b, p),) = resolve_boundaries([a], boundary, period, infer=False)
    if accuracy is not None and edge_order == 1:
        edge_order = None  # the default: with `accuracy` the boundaries take its order
    dask_rule = accuracy is None and b == "one-sided"
    variables = {}
    for k, v in ds.variables.items():
        if k in ds.data_vars and a.dim in v.dims and k not in ds.coords:
            v = to_numeric_data(v, datetime_unit)
            grad = _diff(v.data, list(v.dims), [a], [1], [(b, p)], accuracy, edge_order, dask_rule)
            variables[k] = xr.Variable(v.dims, grad)
        else:
            variables[k] = v
    return ds._replace(variables)


class _Operators:
    """Operators on one DataArray ``da``; ``ds`` is where coordinate names resolve."""

    def __init__(self, ds, datetime_unit):
        self.ds = ds
        self.datetime_unit = datetime_unit

    def axes(self, names, argument):
        return _resolve(self.ds, names, argument, self.datetime_unit)

    def gradient(self, da, axes, bounds, accuracy, edge_order, metric, radius, sphere):
        name = _label(da.name)
        out = {}
        if metric == "sphere":
            lat, lon, lat_i, lon_i = sphere
            b_lon = bounds[lon_i]
            units = derived_units(da.attrs.get("units"), [("m", 1)])
            d_lon = _along(da, [lon], [1], [b_lon], accuracy, edge_order)
            d_lat = _along_lat(da, sphere, bounds, 1, accuracy, edge_order)
            inv = xr.DataArray(inverse_cos(lat.values) / radius, dims=lat.dim)
            parts = {
                lon_i: (lon, d_lon * inv, "eastward derivative"),
                lat_i: (lat, d_lat / radius, "northward derivative"),
            }
            for i in sorted(parts):
                a, value, what = parts[i]
                key = f"d{name}_d{a.name}"
                out[key] = _finish(value, key, units, f"{what} of {_what(da)} (metric: sphere)")
            return out
        for a, bp in zip(axes, bounds):
            if a.dim not in da.dims:
                continue
            key = f"d{name}_d{a.name}"
            units = derived_units(da.attrs.get("units"), [(a.units, 1)])
            value = _along(da, [a], [1], [bp], accuracy, edge_order)
            out[key] = _finish(value, key, units, f"derivative of {_what(da)} along {a.name}")
        return out

    def derivative(self, da, axes, orders, bounds, accuracy):
        total = sum(orders)
        name = f"d{total if total > 1 else ''}{_label(da.name)}_" + "".join(
            _suffix(a, m) for a, m in zip(axes, orders)
        )
        units = derived_units(da.attrs.get("units"), [(a.units, m) for a, m in zip(axes, orders)])
        if len(axes) == 1:
            what = f"{_ORDINALS[orders[0]]}derivative of {_what(da)} along {axes[0].name}"
        else:
            along = ", ".join(f"{a.name} ({m})" for a, m in zip(axes, orders))
            what = f"mixed derivative of {_what(da)} along {along}"
        value = _along(da, axes, orders, bounds, accuracy)
        return _finish(value, name, units, what)

    def laplacian(self, da, axes, bounds, accuracy, metric, radius, sphere):
        name = f"laplacian_{_label(da.name)}"
        if metric == "sphere":
            lat, lon, lat_i, lon_i = sphere
            b_lon = bounds[lon_i]
            inv = xr.DataArray(inverse_cos(lat.values), dims=lat.dim)
            tan = xr.DataArray(tangent(lat.values), dims=lat.dim)
            d2_lon = _along(da, [lon], [2], [b_lon], accuracy)
            d2_lat = _along_lat(da, sphere, bounds, 2, accuracy)
            d1_lat = _along_lat(da, sphere, bounds, 1, accuracy)
            value = (d2_lon * inv**2 + d2_lat - tan * d1_lat) / radius**2
            units = derived_units(da.attrs.get("units"), [("m", 2)])
            return _finish(value, name, units, f"Laplacian of {_what(da)} (metric: sphere)")
        value = None
        unit_set = set()
        for a, bp in zip(axes, bounds):
            term = _along(da, [a], [2], [bp], accuracy)
            value = term if value is None else value + term
            unit_set.add(derived_units(da.attrs.get("units"), [(a.units, 2)]))
        units = unit_set.pop() if len(unit_set) == 1 else None
        return _finish(value, name, units, f"Laplacian of {_what(da)}")


def _check_dims_present(da, axes, argument):
    missing = [a.dim for a in axes if a.dim not in da.dims]
    if missing:
        raise ValueError(
            f"`{argument}` names dimensions {short_repr(missing)} that {_label(da.name)!r} "
            f"(dims {short_repr(list(da.dims))}) does not have."
        )


def _plan(ds, names, argument, boundary, period, metric, radius, datetime_unit, infer=True):
    """Axes, (boundary, period) per axis, and for the sphere the radian axes."""
    metric = check_metric(metric)
    axes = _resolve(ds, names, argument, datetime_unit)
    sphere = None
    if metric == "sphere":
        radius = check_radius(radius)
        lat, lon, lat_i, lon_i = sphere_axes(axes, argument)
        bounds = resolve_boundaries(axes, boundary, period, infer=infer)
        if bounds[lat_i][0] == "periodic":
            raise ValueError(
                f"`boundary` for the latitude {axes[lat_i].name!r} must be 'one-sided' on the "
                f"sphere; got 'periodic'."
            )
        bounds = [(b, to_radians(axes[i], p)) for i, (b, p) in enumerate(bounds)]
        sphere = (lat, lon, lat_i, lon_i)
        axes = [lat if i == lat_i else lon for i in range(2)]
    else:
        bounds = resolve_boundaries(axes, boundary, period, infer=infer)
    return metric, radius, axes, bounds, sphere


def _check_vector(ds, components, argument):
    if not isinstance(components, dict) or not components:
        raise TypeError(
            f"`{argument}` must be a dict {{coordinate: variable name}}; got "
            f"{short_repr(components)}."
        )
    for k, var in components.items():
        if var not in ds.data_vars:
            raise ValueError(
                f"`{argument}` names variable {var!r} (for {k!r}), which is not a data "
                f"variable of the Dataset ({short_repr(list(ds.data_vars))})."
            )
    return list(components), [ds[v] for v in components.values()]


# ----------------------------------------------------------------------------------------
# the accessors

_OPTIONS_DOC = """
    boundary : {"one-sided", "periodic"} or dict, optional
        One name for every coordinate, or ``{coordinate: name}``. Default (None): periodic
        for a longitude in degrees (or radians) whose uniform spacing closes the circle,
        one-sided otherwise.
    period : float or dict, optional
        Period of periodic coordinates, in the coordinate's units (default: ``n * step``
        for uniform ones; required for non-uniform ones), checked against the coordinate.
"""


class _Accessor:
    def __init__(self, obj):
        self._obj = obj


class DataArrayAccessor(_Accessor):
    """``da.gradkit``: gradkit's derivatives of a DataArray along its coordinates."""

    def _ds(self):
        return self._obj._to_temp_dataset()

    def differentiate(
        self,
        coord,
        edge_order=1,
        datetime_unit=None,
        *,
        accuracy=None,
        boundary=None,
        period=None,
    ):
        """Differentiate along a coordinate: ``DataArray.differentiate`` and more.

        With the defaults this is xarray's ``DataArray.differentiate`` (numpy.gradient's
        second-order formulas): the same values, coordinates, attributes (the result has
        none, as in xarray), datetime64 and cftime coordinates, lazy dask data, and the
        same errors where xarray raises them.

        Parameters
        ----------
        coord : hashable
            A 1-D coordinate, or a dimension (unit spacing without a coordinate).
        edge_order : {1, 2}, optional
            Order of the one-sided differences at the ends (numpy's formulas). With
            ``accuracy`` it must be 1 (the default, then ignored) or equal ``accuracy``.
        datetime_unit : str, optional
            Unit of a datetime64 or cftime coordinate ("D", "h", "s", ...); default the
            datetime64 unit, or seconds for cftime (xarray's defaults).
        accuracy : {2, 4, 6, 8, 10}, optional
            Order of accuracy of every difference, boundaries included.
        boundary : {"one-sided", "periodic"}, optional
            Treatment of the ends (default one-sided, as in xarray: nothing is inferred
            here, so that the defaults stay xarray's).
        period : float, optional
            Period of a periodic coordinate (default ``n * step`` for uniform spacing;
            required otherwise); checked against the coordinate.

        Returns
        -------
        DataArray
            Of the input's dims and coordinates, without attributes.

        Raises
        ------
        ValueError
            An unknown or multi-dimensional ``coord`` (xarray's messages); a coordinate
            that is not finite or not strictly monotonic (xarray returns NaN or wrong
            values there); a ``period`` that contradicts the coordinate; dask chunks
            smaller than the stencil (dask's message with the defaults).
        TypeError
            A non-numeric coordinate or data.

        Examples
        --------
        >>> import numpy as np, xarray as xr
        >>> import gradkit.xarray
        >>> x = np.linspace(0, 1, 11)
        >>> da = xr.DataArray(x**3, coords={"x": x})
        >>> bool(np.allclose(da.gradkit.differentiate("x"), da.differentiate("x")))
        True
        >>> bool(np.allclose(da.gradkit.differentiate("x", accuracy=4), 3 * x**2))
        True
        """
        obj = self._obj
        ds = _differentiate_dataset(
            obj._to_temp_dataset(), coord, edge_order, datetime_unit, accuracy, boundary, period
        )
        return obj._from_temp_dataset(ds)

    def gradient(
        self,
        dims=None,
        *,
        accuracy=None,
        edge_order=None,
        boundary=None,
        period=None,
        datetime_unit=None,
        metric=None,
        radius=EARTH_RADIUS,
    ):
        """Return the derivatives along several coordinates, as a Dataset.

        Parameters
        ----------
        dims : hashable or sequence of hashable, optional
            Coordinates (or dimensions) to differentiate along; default every dimension.
        accuracy : {2, 4, 6, 8, 10}, optional
            Order of accuracy; default numpy.gradient's formulas (``differentiate``'s).
        edge_order : {1, 2}, optional
            As in ``differentiate``, without ``accuracy``.
        datetime_unit : str, optional
            Unit of datetime coordinates, as in ``differentiate``.
        metric : {None, "cartesian", "sphere"}, optional
            ``"sphere"``: ``dims`` are a latitude and a longitude (degrees, or radians when
            their ``units`` say so), and the components are the eastward
            :math:`\\frac{1}{R\\cos\\varphi}\\partial_\\lambda f` and the northward
            :math:`\\frac{1}{R}\\partial_\\varphi f`, per metre. At a pole
            (:math:`|\\varphi| = 90°`) the eastward component is NaN (the direction is
            undefined there); the northward one is the derivative along each meridian. On
            a global grid (periodic longitude, an even number of longitudes) the latitude
            stencils continue across the poles along the meridian half a circle away.
        radius : float, optional
            Sphere radius in metres (default Earth's mean radius, 6.371e6).
        %(options)s
        Returns
        -------
        Dataset
            Variables ``d{name}_d{coord}`` (``name`` "f" for an unnamed DataArray), with
            ``units`` derived from the data's and the coordinate's (``"K"`` over ``"m"``
            is ``"K m-1"``) and a ``long_name``.

        Examples
        --------
        >>> import numpy as np, xarray as xr
        >>> import gradkit.xarray
        >>> x = xr.DataArray(np.linspace(0, 1, 5), dims="x", attrs={"units": "m"})
        >>> T = xr.DataArray(np.arange(5.0) * 2, coords={"x": x}, name="T",
        ...                  attrs={"units": "K"})
        >>> g = T.gradkit.gradient()
        >>> g["dT_dx"].attrs["units"], float(g["dT_dx"][2])
        ('K m-1', 8.0)
        """
        da = self._obj
        ds = self._ds()
        metric, radius, axes, bounds, sphere = _plan(
            ds, dims, "dims", boundary, period, metric, radius, datetime_unit
        )
        _check_accuracy_kw(accuracy)
        ops = _Operators(ds, datetime_unit)
        out = ops.gradient(da, axes, bounds, accuracy, edge_order, metric, radius, sphere)
        return xr.Dataset(out)

    def derivative(
        self,
        dim,
        order=1,
        *,
        accuracy=2,
        boundary=None,
        period=None,
        datetime_unit=None,
    ):
        """Return a derivative of order 1-4 along one coordinate, or a mixed derivative.

        Parameters
        ----------
        dim : hashable or dict
            The coordinate (or dimension), or ``{coordinate: order}`` for a mixed
            derivative (then ``order`` must stay 1).
        order : int, optional
            Derivative order, 1 to 4.
        accuracy : {2, 4, 6, 8, 10}, optional
            Order of accuracy (default 2).
        datetime_unit : str, optional
            Unit of datetime coordinates.
        %(options)s
        Returns
        -------
        DataArray
            Named ``d{order}{name}_d{coord}{order}`` (``dT_dx``, ``d2T_dx2``,
            ``d2T_dxdy``), with derived ``units`` (``"K m-2"``) and a ``long_name``.

        Examples
        --------
        >>> import numpy as np, xarray as xr
        >>> import gradkit.xarray
        >>> x = np.linspace(0, 1, 21)
        >>> T = xr.DataArray(x**3, coords={"x": x}, name="T")
        >>> d2 = T.gradkit.derivative("x", order=2, accuracy=4)
        >>> d2.name, bool(np.allclose(d2, 6 * x))
        ('d2T_dx2', True)
        """
        da = self._obj
        names, orders = _orders(dim, order)
        ds = self._ds()
        _, _, axes, bounds, _ = _plan(ds, names, "dim", boundary, period, None, None, datetime_unit)
        _check_dims_present(da, axes, "dim")
        return _Operators(ds, datetime_unit).derivative(da, axes, orders, bounds, accuracy)

    def laplacian(
        self,
        dims=None,
        *,
        accuracy=2,
        boundary=None,
        period=None,
        datetime_unit=None,
        metric=None,
        radius=EARTH_RADIUS,
    ):
        """Return the Laplacian along ``dims`` (default every dimension).

        With ``metric="sphere"`` (``dims`` a latitude and a longitude) it is
        :math:`\\frac{1}{R^2\\cos^2\\varphi}\\partial_\\lambda^2 f + \\frac{1}{R^2}
        (\\partial_\\varphi^2 f - \\tan\\varphi\\,\\partial_\\varphi f)`, NaN at the poles.
        Away from the poles the error is of order ``accuracy``; on the rows next to a pole
        :math:`\\tan\\varphi \\sim 1/h` multiplies the error of the latitude differences,
        one order less there (the same holds for ``divergence`` and ``curl``).
        Other parameters are those of :meth:`gradient` (``accuracy`` default 2).

        Returns
        -------
        DataArray
            Named ``laplacian_{name}``, ``units`` over the coordinates' squared.
        """
        da = self._obj
        ds = self._ds()
        metric, radius, axes, bounds, sphere = _plan(
            ds, dims, "dims", boundary, period, metric, radius, datetime_unit
        )
        _check_dims_present(da, axes, "dims")
        ops = _Operators(ds, datetime_unit)
        return ops.laplacian(da, axes, bounds, accuracy, metric, radius, sphere)

    def interp(
        self,
        coords=None,
        method="linear",
        assume_sorted=False,
        kwargs=None,
        *,
        gradient=False,
        exact_fit=False,
        **coords_kwargs,
    ):
        """Interpolate at new coordinates (``DataArray.interp``), optionally with gradients.

        The values are xarray's (``DataArray.interp`` with the same arguments, to
        rounding), computed by :class:`gradkit.grid.RegularGridInterpolator`; with
        ``gradient=True`` the exact derivatives of the same interpolant along each
        interpolated dimension come from the same pass.

        Parameters
        ----------
        coords : dict, optional
            Dimension names to new coordinates, as in xarray: scalars (the dimension is
            dropped and kept as a scalar coordinate), 1-D arrays (orthogonal indexing:
            the new values along the dimension), or DataArrays (their dims become the
            result's; several indexers sharing a new dimension interpolate pointwise).
        method : {"linear", "nearest", "slinear", "cubic", "quintic", "pchip"}, optional
            Interpolation method (scipy's interpolants, as xarray uses them).
        assume_sorted : bool, optional
            False (default): unsorted coordinates are sorted first, as xarray does. True:
            a coordinate that is not strictly monotonic is an error (xarray would return
            wrong values). Descending coordinates are accepted either way.
        kwargs : dict, optional
            scipy's options outside the grid, as xarray passes them: ``bounds_error``
            (default False), ``fill_value`` (default NaN; None or ``"extrapolate"``
            continue the edge polynomial), ``extrapolate`` (pchip's: True extrapolates).
        gradient : bool, optional
            gradkit extension: return a Dataset with the values and ``d{name}_d{dim}``
            for each interpolated dim (``name`` "f" for an unnamed DataArray).
        exact_fit : bool, optional
            gradkit extension for ``"cubic"`` and ``"quintic"`` along several dims at
            once, where xarray calls scipy's ``interpn``, whose spline coefficients come
            from an iterative solve (``gcrotmk``; about 1e-5 relative error, and no exact
            reproduction of polynomials). False (default): the same solve, xarray's values.
            True: the exact tensor-product fit (gradkit's banded solves), faster.
        **coords_kwargs
            The ``coords`` as keyword arguments.

        Returns
        -------
        DataArray or Dataset
            The interpolated DataArray (xarray's coordinates and attributes); with
            ``gradient=True`` a Dataset of it and its derivatives (``units`` derived from
            the data's and the coordinate's, a ``long_name``).

        Raises
        ------
        ValueError
            An unknown dimension or method, a coordinate with repeated, non-finite or (with
            ``assume_sorted``) non-monotonic values, queries outside the grid with
            ``bounds_error=True``, indexers along dimensions that are not interpolated.
        TypeError
            Datetime, cftime or other non-numeric coordinates along an interpolated
            dimension (convert them to numbers first: a derivative needs a unit), unknown
            ``kwargs``.

        Notes
        -----
        Derivatives are those of :meth:`gradkit.grid.RegularGridInterpolator.gradient`:
        exact derivatives of the piecewise polynomial (the linear method's on a grid line
        are those of the cell on the right, the nearest method's are zero). Dask-backed
        data is loaded into memory.

        Examples
        --------
        >>> import numpy as np, xarray as xr
        >>> import gradkit.xarray
        >>> x = np.linspace(0, 2, 5)
        >>> da = xr.DataArray(x**2, coords={"x": x}, name="T")
        >>> out = da.gradkit.interp(x=[0.25, 1.0], method="cubic", gradient=True)
        >>> out["T"].values.round(6), out["dT_dx"].values.round(6)
        (array([0.0625, 1.    ]), array([0.5, 2. ]))
        """
        from ._interp import interp

        obj = self._obj
        return interp(
            obj, coords, method, assume_sorted, kwargs, gradient, exact_fit, coords_kwargs
        )


def _orders(dim, order):
    if isinstance(dim, dict):
        if order != 1:
            raise ValueError(
                f"`order` must stay 1 when `dim` is a dict of orders; got order={order!r}."
            )
        if not dim:
            raise ValueError("`dim` must name at least one coordinate; got an empty dict.")
        return list(dim), [fd._prepare.check_order(m) for m in dim.values()]
    return [dim], [fd._prepare.check_order(order)]


class DatasetAccessor(_Accessor):
    """``ds.gradkit``: gradkit's derivatives of a Dataset's variables."""

    def differentiate(
        self,
        coord,
        edge_order=1,
        datetime_unit=None,
        *,
        accuracy=None,
        boundary=None,
        period=None,
    ):
        """``Dataset.differentiate`` and more; see :meth:`DataArrayAccessor.differentiate`.

        Every data variable along ``coord``'s dimension is differentiated; the others,
        and the coordinates, are kept as they are (xarray's policy).
        """
        return _differentiate_dataset(
            self._obj, coord, edge_order, datetime_unit, accuracy, boundary, period
        )

    def _each(self, axes):
        for k, v in self._obj.data_vars.items():
            if all(a.dim in v.dims for a in axes):
                yield k, v

    def gradient(
        self,
        dims=None,
        *,
        accuracy=None,
        edge_order=None,
        boundary=None,
        period=None,
        datetime_unit=None,
        metric=None,
        radius=EARTH_RADIUS,
    ):
        """The gradient of every data variable (see :meth:`DataArrayAccessor.gradient`):
        ``d{var}_d{coord}`` for each variable along each of ``dims`` it has."""
        ds = self._obj
        metric, radius, axes, bounds, sphere = _plan(
            ds, dims, "dims", boundary, period, metric, radius, datetime_unit
        )
        _check_accuracy_kw(accuracy)
        ops = _Operators(ds, datetime_unit)
        out = {}
        for v in ds.data_vars.values():
            if metric == "sphere" and not all(a.dim in v.dims for a in axes):
                continue
            out.update(ops.gradient(v, axes, bounds, accuracy, edge_order, metric, radius, sphere))
        return xr.Dataset(out, attrs=ds.attrs)

    def derivative(
        self, dim, order=1, *, accuracy=2, boundary=None, period=None, datetime_unit=None
    ):
        """The derivative (see :meth:`DataArrayAccessor.derivative`) of every data variable
        that has all the dimensions of ``dim``, as a Dataset."""
        ds = self._obj
        names, orders = _orders(dim, order)
        _, _, axes, bounds, _ = _plan(ds, names, "dim", boundary, period, None, None, datetime_unit)
        ops = _Operators(ds, datetime_unit)
        out = {}
        for _, v in self._each(axes):
            r = ops.derivative(v, axes, orders, bounds, accuracy)
            out[r.name] = r
        return xr.Dataset(out, attrs=ds.attrs)

    def laplacian(
        self,
        dims=None,
        *,
        accuracy=2,
        boundary=None,
        period=None,
        datetime_unit=None,
        metric=None,
        radius=EARTH_RADIUS,
    ):
        """The Laplacian (see :meth:`DataArrayAccessor.laplacian`) of every data variable
        that has all of ``dims``, as a Dataset."""
        ds = self._obj
        metric, radius, axes, bounds, sphere = _plan(
            ds, dims, "dims", boundary, period, metric, radius, datetime_unit
        )
        ops = _Operators(ds, datetime_unit)
        out = {}
        for _, v in self._each(axes):
            r = ops.laplacian(v, axes, bounds, accuracy, metric, radius, sphere)
            out[r.name] = r
        return xr.Dataset(out, attrs=ds.attrs)

    def _vector(self, components, boundary, period, metric, radius, datetime_unit):
        ds = self._obj
        names, fields = _check_vector(ds, components, "components")
        metric, radius, axes, bounds, sphere = _plan(
            ds, names, "components", boundary, period, metric, radius, datetime_unit
        )
        if metric == "sphere":
            _, _, lat_i, lon_i = sphere
            order = [lat_i, lon_i]
            fields = [fields[i] for i in order]  # (northward, eastward)
            bounds = [bounds[i] for i in order]
        for f in fields:
            _check_dims_present(f, axes, "components")
        return ds, metric, radius, axes, bounds, sphere, fields

    def divergence(
        self,
        components,
        *,
        accuracy=None,
        boundary=None,
        period=None,
        datetime_unit=None,
        metric=None,
        radius=EARTH_RADIUS,
    ):
        """Return the divergence of a vector field stored as variables.

        Parameters
        ----------
        components : dict
            ``{coordinate: variable name}``: the component of the field along each
            coordinate. With ``metric="sphere"``, a latitude and a longitude (northward
            and eastward components).
        accuracy : {2, 4, 6, 8, 10}, optional
            Order of accuracy; default numpy.gradient's formulas.
        boundary, period, datetime_unit, metric, radius
            As for :meth:`DataArrayAccessor.gradient`.

        Returns
        -------
        DataArray
            ``"divergence"``: :math:`\\sum_i \\partial_i v_i`; on the sphere
            :math:`\\frac{1}{R\\cos\\varphi}(\\partial_\\lambda u + \\partial_\\varphi
            (v\\cos\\varphi))`, NaN at the poles.
        """
        ds, metric, radius, axes, bounds, sphere, fields = self._vector(
            components, boundary, period, metric, radius, datetime_unit
        )
        label = ", ".join(str(v) for v in components.values())
        if metric == "sphere":
            (lat, lon, _, _), (v, u) = sphere, fields
            cos = xr.DataArray(np.cos(lat.values), dims=lat.dim)
            inv = xr.DataArray(inverse_cos(lat.values), dims=lat.dim)
            du = _along(u, [lon], [1], [bounds[1]], accuracy)
            dv = _along_lat(v * cos, sphere, _as_given(bounds, sphere), 1, accuracy)
            value = (du + dv) * inv / radius
            units = {derived_units(f.attrs.get("units"), [("m", 1)]) for f in fields}
            what = f"divergence of ({label}) (metric: sphere)"
        else:
            value = None
            units = set()
            for a, bp, f in zip(axes, bounds, fields):
                term = _along(f, [a], [1], [bp], accuracy)
                value = term if value is None else value + term
                units.add(derived_units(f.attrs.get("units"), [(a.units, 1)]))
            what = f"divergence of ({label})"
        return _finish(value, "divergence", units.pop() if len(units) == 1 else None, what)

    def curl(
        self,
        components,
        *,
        accuracy=None,
        boundary=None,
        period=None,
        datetime_unit=None,
        metric=None,
        radius=EARTH_RADIUS,
    ):
        """Return the curl of a 2-D or 3-D vector field stored as variables.

        Parameters
        ----------
        components : dict
            ``{coordinate: variable name}`` in right-handed order (x, y) or (x, y, z). With
            ``metric="sphere"`` a latitude and a longitude, in any order: the result is the
            relative vorticity.
        accuracy, boundary, period, datetime_unit, metric, radius
            As for :meth:`divergence`.

        Returns
        -------
        DataArray or Dataset
            2-D: ``"curl"``, :math:`\\partial_x v - \\partial_y u`; on the sphere
            ``"vorticity"``, :math:`\\frac{1}{R\\cos\\varphi}(\\partial_\\lambda v -
            \\partial_\\varphi (u\\cos\\varphi))` (NaN at the poles). 3-D: a Dataset of
            ``curl_{coord}`` for each coordinate.
        """
        ds, metric, radius, axes, bounds, sphere, fields = self._vector(
            components, boundary, period, metric, radius, datetime_unit
        )
        label = ", ".join(str(v) for v in components.values())
        if metric == "sphere":
            (lat, lon, _, _), (v, u) = sphere, fields
            cos = xr.DataArray(np.cos(lat.values), dims=lat.dim)
            inv = xr.DataArray(inverse_cos(lat.values), dims=lat.dim)
            dv = _along(v, [lon], [1], [bounds[1]], accuracy)
            du = _along_lat(u * cos, sphere, _as_given(bounds, sphere), 1, accuracy)
            value = (dv - du) * inv / radius
            units = {derived_units(f.attrs.get("units"), [("m", 1)]) for f in fields}
            what = f"relative vorticity of ({label}) (metric: sphere)"
            return _finish(value, "vorticity", units.pop() if len(units) == 1 else None, what)
        n = len(axes)
        if n not in (2, 3):
            raise ValueError(
                f"`components` must give a 2-D or 3-D vector field for `curl`; got {n} components."
            )

        def d(i, j):  # derivative of component i along axis j
            return _along(fields[i], [axes[j]], [1], [bounds[j]], accuracy), derived_units(
                fields[i].attrs.get("units"), [(axes[j].units, 1)]
            )

        def pair(i, j):  # d_i v_j - d_j v_i
            (a, ua), (b, ub) = d(j, i), d(i, j)
            return a - b, ua if ua == ub else None

        if n == 2:
            value, units = pair(0, 1)
            return _finish(value, "curl", units, f"curl of ({label})")
        out = {}
        for k, (i, j) in enumerate([(1, 2), (2, 0), (0, 1)]):
            value, units = pair(i, j)
            key = f"curl_{axes[k].name}"
            out[key] = _finish(value, key, units, f"{axes[k].name} component of curl of ({label})")
        return xr.Dataset(out, attrs=ds.attrs)


_OPTIONS = textwrap.indent(textwrap.dedent(_OPTIONS_DOC).strip("\n"), " " * 8)
for _cls in (DataArrayAccessor, DatasetAccessor):
    for _meth in ("gradient", "derivative", "laplacian"):
        _f = getattr(_cls, _meth)
        if _f.__doc__ and "%(options)s" in _f.__doc__:
            _f.__doc__ = _f.__doc__.replace("        %(options)s", _OPTIONS + "\n")
