"""Coordinates for the accessor: lookup, numeric values, boundaries, periods and units.

Everything here is bookkeeping that xarray's data model asks for; the derivatives
themselves are gradkit's public functions (:mod:`gradkit.xarray._accessor`).

A few private xarray helpers are used on purpose, so that the accessor's numbers and
structure are xarray's own: ``Variable._to_numeric`` (datetime64 and cftime coordinates
become floats exactly as ``Dataset.differentiate`` converts them) and
``common._contains_datetime_like_objects`` here; ``DataArray._to_temp_dataset`` /
``_from_temp_dataset`` and ``Dataset._replace`` in the accessor (the path of xarray's own
``differentiate``). The tests compare against xarray's method, so a change in them shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import xarray as xr
from xarray.core.common import _contains_datetime_like_objects

from .._validation import short_repr

__all__ = [
    "Axis",
    "BOUNDARIES",
    "axis_of",
    "derived_units",
    "is_latitude",
    "is_longitude",
    "resolve_boundaries",
    "to_numeric_data",
]

BOUNDARIES = frozenset({"one-sided", "periodic"})

_LON_UNITS = frozenset(
    {"degrees_east", "degree_east", "degree_e", "degrees_e", "degreee", "degreese"}
)
_LAT_UNITS = frozenset(
    {"degrees_north", "degree_north", "degree_n", "degrees_n", "degreen", "degreesn"}
)
_DEG_UNITS = frozenset({"degrees", "degree", "deg", "°"}) | _LON_UNITS | _LAT_UNITS
_RAD_UNITS = frozenset({"radians", "radian", "rad"})
_LON_NAMES = frozenset({"lon", "longitude", "long", "nav_lon"})
_LAT_NAMES = frozenset({"lat", "latitude", "nav_lat"})
# numpy's datetime units, spelt as UDUNITS understands them (for derived `units`)
_TIME_UNITS = {
    "W": "week",
    "D": "d",
    "h": "h",
    "m": "min",
    "s": "s",
    "ms": "ms",
    "us": "us",
    "ns": "ns",
    "ps": "ps",
    "fs": "fs",
    "as": "as",
}


@dataclass(frozen=True)
class Axis:
    """One coordinate to differentiate along.

    ``name`` is what the user gave (a coordinate or dimension name), ``dim`` the dimension
    it lies along, ``values`` its numeric values (float64, or the integers of a dimension
    without coordinate), ``units`` the units string of the derivative's denominator (or
    None) and ``attrs`` the coordinate's attributes.
    """

    name: object
    dim: object
    values: np.ndarray
    units: str | None
    attrs: dict
    datetime_unit: str | None = None

    @property
    def uniform_step(self) -> float | None:
        """The spacing when the coordinate is uniform (to 1e-9 relative), else None."""
        x = np.asarray(self.values, dtype=np.float64)
        if x.size < 2:
            return None
        d = np.diff(x)
        step = (x[-1] - x[0]) / (x.size - 1)
        if step != 0 and np.all(np.abs(d - step) <= 1e-9 * abs(step)):
            return float(step)
        return None


def _variables_and_dims(obj) -> tuple:
    return tuple(set(obj.variables.keys()).union(obj.dims))


def axis_of(ds: xr.Dataset, coord, datetime_unit, argument: str = "coord") -> Axis:
    """Resolve ``coord`` in ``ds`` as ``Dataset.differentiate`` does, with its errors.

    ``ds`` is a Dataset (a DataArray's temporary dataset). Datetime and cftime coordinates
    become floats in ``datetime_unit`` (default: the datetime64 unit, or seconds for cftime),
    by xarray's own conversion.
    """
    try:
        known = coord in ds.variables or coord in ds.dims
    except TypeError:  # an unhashable `coord`
        raise TypeError(
            f"`{argument}` must be a coordinate or dimension name; got {short_repr(coord)}."
        ) from None
    if not known:
        raise ValueError(
            f"Coordinate {coord!r} not found in variables or dimensions {_variables_and_dims(ds)}."
        )
    coord_var = ds[coord].variable
    if coord_var.ndim != 1:
        raise ValueError(
            f"Coordinate {coord} must be 1 dimensional but is {coord_var.ndim} dimensional"
        )
    dim = coord_var.dims[0]
    units = coord_var.attrs.get("units")
    if _contains_datetime_like_objects(coord_var):
        if coord_var.dtype.kind in "mM" and datetime_unit is None:
            datetime_unit = np.datetime_data(coord_var.dtype)[0]
        elif datetime_unit is None:
            datetime_unit = "s"  # xarray's default for cftime objects
        coord_var = coord_var._to_numeric(datetime_unit=datetime_unit)
        units = _TIME_UNITS.get(datetime_unit, datetime_unit)
    values = np.asarray(coord_var.values)
    if values.dtype.kind not in "iuf":
        raise TypeError(
            f"`{argument}` {coord!r} must be a numeric, datetime64 or cftime coordinate; "
            f"got dtype {values.dtype}."
        )
    if values.size > 1:
        d = np.diff(values.astype(np.float64))
        if not np.all(np.isfinite(values)):
            raise ValueError(
                f"`{argument}` {coord!r} must hold finite values; got {short_repr(values)}."
            )
        if not (np.all(d > 0) or np.all(d < 0)):
            i = int(np.argmax(d <= 0) if d[0] > 0 else np.argmax(d >= 0))
            raise ValueError(
                f"`{argument}` {coord!r} must be strictly monotonic; its values go from "
                f"{short_repr(values[i])} to {short_repr(values[i + 1])} at position {i + 1}."
            )
    units = units if isinstance(units, str) else None
    return Axis(coord, dim, values, units, coord_var.attrs, datetime_unit)


def to_numeric_data(v: xr.Variable, datetime_unit) -> xr.Variable:
    """A datetime-like data variable as floats (as ``Dataset.differentiate`` does)."""
    if _contains_datetime_like_objects(v):
        return v._to_numeric(datetime_unit=datetime_unit)
    return v


def _units(attrs) -> str:
    u = attrs.get("units", "")
    return u.strip().lower() if isinstance(u, str) else ""


def is_longitude(axis: Axis) -> bool:
    """Whether a coordinate is a longitude (by CF units, standard_name, axis or name)."""
    u = _units(axis.attrs)
    if u in _LON_UNITS:
        return True
    named = (
        axis.attrs.get("standard_name") == "longitude"
        or str(axis.name).lower() in _LON_NAMES
        or axis.attrs.get("axis") == "X"
        and u in _DEG_UNITS | _RAD_UNITS
    )
    return named and (u == "" or u in _DEG_UNITS or u in _RAD_UNITS)


def is_latitude(axis: Axis) -> bool:
    """Whether a coordinate is a latitude (by CF units, standard_name, axis or name)."""
    u = _units(axis.attrs)
    if u in _LAT_UNITS:
        return True
    named = (
        axis.attrs.get("standard_name") == "latitude"
        or str(axis.name).lower() in _LAT_NAMES
        or axis.attrs.get("axis") == "Y"
        and u in _DEG_UNITS | _RAD_UNITS
    )
    return named and (u == "" or u in _DEG_UNITS or u in _RAD_UNITS)


def in_radians(axis: Axis) -> bool:
    """Angles are in degrees unless the ``units`` attribute says radians (CF's rule)."""
    return _units(axis.attrs) in _RAD_UNITS


def full_circle(axis: Axis) -> float:
    return 2 * np.pi if in_radians(axis) else 360.0


def closes_circle(axis: Axis) -> bool:
    """A uniform longitude whose ``n * step`` is the full circle (to 1e-9 relative)."""
    step = axis.uniform_step
    if step is None:
        return False
    circle = full_circle(axis)
    return abs(abs(step) * axis.values.size - circle) <= 1e-9 * circle


def resolve_boundaries(axes, boundary, period, *, infer: bool):
    """One ``(boundary, period)`` per axis, from a name or ``{coord: name}`` and a number
    or ``{coord: number}``.

    With ``boundary=None`` an axis is periodic when ``infer`` is true and it is a longitude
    whose uniform spacing closes the circle (period 360 degrees or 2 pi radians), one-sided
    otherwise. The period of a periodic axis is checked against its coordinate: on a
    uniform one it must be ``n * step``, on a non-uniform one (where it is required) it
    must exceed the span.
    """
    names = [a.name for a in axes]
    bounds = _per_axis(boundary, names, "boundary")
    periods = _per_axis(period, names, "period")
    out = []
    for a, b, p in zip(axes, bounds, periods):
        if b is None:
            b = "periodic" if (infer and is_longitude(a) and closes_circle(a)) else "one-sided"
        elif not isinstance(b, str) or b not in BOUNDARIES:
            raise ValueError(
                f"`boundary` for {a.name!r} must be one of {sorted(BOUNDARIES)}; "
                f"got {short_repr(b)}."
            )
        if p is not None:
            if isinstance(p, (bool, np.bool_)) or np.asarray(p).dtype.kind not in "iuf":
                raise TypeError(
                    f"`period` for {a.name!r} must be a positive number; got {short_repr(p)}."
                )
            p = float(p)
            if not np.isfinite(p) or p <= 0:
                raise ValueError(
                    f"`period` for {a.name!r} must be a positive, finite number; "
                    f"got {short_repr(p)}."
                )
            if b != "periodic":
                raise ValueError(
                    f"`period` applies only to periodic coordinates, but `boundary` for "
                    f"{a.name!r} is {b!r}; pass boundary='periodic' or drop `period`."
                )
        if b == "periodic":
            p = _check_period(a, p)
        out.append((b, p))
    return out


def _check_period(a: Axis, p):
    n = a.values.size
    step = a.uniform_step
    if step is not None:
        expected = abs(step) * n
        if p is None:
            return expected
        if abs(p - expected) > 1e-6 * expected:
            raise ValueError(
                f"`period`={short_repr(p)} contradicts coordinate {a.name!r}: its {n} points "
                f"spaced {short_repr(abs(step))} repeat after {short_repr(expected)}."
            )
        return p
    span = abs(float(a.values[-1]) - float(a.values[0]))
    if p is None:
        raise ValueError(
            f"`period` is needed for the periodic coordinate {a.name!r}, whose spacing is not "
            f"uniform (span {short_repr(span)})."
        )
    if p <= span:
        raise ValueError(
            f"`period`={short_repr(p)} contradicts coordinate {a.name!r}: it must exceed "
            f"the coordinate's span {short_repr(span)}."
        )
    return p


def _per_axis(value, names, argument):
    if isinstance(value, dict):
        unknown = [k for k in value if k not in names]
        if unknown:
            raise ValueError(
                f"`{argument}` names {short_repr(unknown)}, which are not among the "
                f"coordinates differentiated along ({short_repr(names)})."
            )
        return [value.get(n) for n in names]
    return [value] * len(names)


_TERM = re.compile(r"^([A-Za-z_%°][A-Za-z_%°]*)(?:\^|\*\*)?(-?\d+)?$")


def _parse(units: str):
    """``"kg m-2 s-1"`` as ``[("kg", 1), ("m", -2), ("s", -1)]``; None if not that form."""
    terms = []
    for t in units.split():
        if t == "1":
            continue
        m = _TERM.match(t)
        if m is None:
            return None
        terms.append((m.group(1), int(m.group(2) or 1)))
    return terms


def derived_units(units, denominators) -> str | None:
    """Units of a derivative: ``units`` over each ``(coordinate units, order)``.

    ``"K"`` over ``[("m", 1)]`` gives ``"K m-1"``, over ``[("m", 2)]`` ``"K m-2"``; terms
    of one symbol combine (``"m s-1"`` over ``[("m", 1)]`` gives ``"s-1"``). None when a
    units string is missing or not a product of powers of symbols.
    """
    if not isinstance(units, str):
        return None
    num = _parse(units)
    if num is None:
        return None
    powers: dict[str, int] = {}
    for sym, e in num:
        powers[sym] = powers.get(sym, 0) + e
    for cu, order in denominators:
        if not isinstance(cu, str):
            return None
        den = _parse(cu)
        if den is None:
            return None
        for sym, e in den:
            powers[sym] = powers.get(sym, 0) - e * order
    terms = [s if e == 1 else f"{s}{e}" for s, e in powers.items() if e != 0]
    return " ".join(terms) if terms else "1"
