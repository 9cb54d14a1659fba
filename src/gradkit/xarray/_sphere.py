"""The sphere's metric for longitude/latitude coordinates: which axis is which, radians,
range checks, and the factors 1/(R cos phi) and tan(phi) that the operators multiply by."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .._validation import short_repr
from ._coords import Axis, in_radians, is_latitude, is_longitude

__all__ = [
    "EARTH_RADIUS",
    "METRICS",
    "across_poles",
    "check_metric",
    "check_radius",
    "pole_rows",
    "sphere_axes",
]

EARTH_RADIUS = 6.371e6
METRICS = frozenset({"cartesian", "sphere"})


def check_metric(metric) -> str:
    """``None`` is the cartesian metric (derivatives along the coordinates themselves)."""
    if metric is None:
        return "cartesian"
    if not isinstance(metric, str) or metric not in METRICS:
        raise ValueError(f"`metric` must be one of {sorted(METRICS)}; got {short_repr(metric)}.")
    return metric


def check_radius(radius) -> float:
    if isinstance(radius, (bool, np.bool_)) or np.asarray(radius).dtype.kind not in "iuf":
        raise TypeError(f"`radius` must be a positive number (metres); got {short_repr(radius)}.")
    if np.ndim(radius) != 0:
        raise TypeError(f"`radius` must be a scalar; got {short_repr(radius)}.")
    r = float(radius)
    if not np.isfinite(r) or r <= 0:
        raise ValueError(f"`radius` must be a positive, finite number; got {short_repr(radius)}.")
    return r


def sphere_axes(axes: list[Axis], argument: str = "dims"):
    """``(lat, lon)`` from two axes, by their CF metadata or names (else in the order
    given: latitude first), checked to be in range, values converted to radians.

    Returns the two axes with radian values and the positions of latitude and longitude
    in ``axes``.
    """
    if len(axes) != 2:
        raise ValueError(
            f"`{argument}` must name a latitude and a longitude coordinate for "
            f"metric='sphere'; got {short_repr([a.name for a in axes])}."
        )
    lat_i = next((i for i, a in enumerate(axes) if is_latitude(a)), None)
    lon_i = next((i for i, a in enumerate(axes) if is_longitude(a)), None)
    if lat_i is None and lon_i is None:
        lat_i, lon_i = 0, 1
    elif lat_i is None:
        lat_i = 1 - lon_i
    elif lon_i is None or lon_i == lat_i:
        lon_i = 1 - lat_i
    lat, lon = axes[lat_i], axes[lon_i]
    if lat.dim == lon.dim:
        raise ValueError(
            f"`{argument}`: latitude {lat.name!r} and longitude {lon.name!r} lie along the "
            f"same dimension {lat.dim!r}; metric='sphere' needs one dimension each."
        )
    lat_r = _radians(lat)
    lon_r = _radians(lon)
    unit = "radians" if in_radians(lat) else "degrees"
    if np.any(np.abs(lat_r) > np.pi / 2 * (1 + 1e-12)):
        bound = "pi/2" if unit == "radians" else "90"
        raise ValueError(
            f"`{argument}`: metric='sphere' needs latitudes within [-{bound}, {bound}] "
            f"{unit}; coordinate {lat.name!r} goes from {short_repr(lat.values.min())} to "
            f"{short_repr(lat.values.max())}."
        )
    span = float(lon_r.max() - lon_r.min())
    if span >= 2 * np.pi * (1 + 1e-12):
        unit = "radians" if in_radians(lon) else "degrees"
        raise ValueError(
            f"`{argument}`: metric='sphere' needs longitudes spanning less than a full "
            f"circle; coordinate {lon.name!r} ({unit}) goes from "
            f"{short_repr(lon.values.min())} to {short_repr(lon.values.max())}."
        )
    return replace(lat, values=lat_r), replace(lon, values=lon_r), lat_i, lon_i


def _radians(a: Axis) -> np.ndarray:
    x = np.asarray(a.values, dtype=np.float64)
    return x if in_radians(a) else np.deg2rad(x)


def to_radians(a: Axis, period):
    """A period given in the coordinate's units, in radians."""
    if period is None or in_radians(a):
        return period
    return float(np.deg2rad(period))


def poles(lat_r: np.ndarray) -> np.ndarray:
    """Where a latitude is a pole (within 1e-12 radians of +-pi/2)."""
    return np.abs(np.abs(lat_r) - np.pi / 2) <= 1e-12


def inverse_cos(lat_r: np.ndarray) -> np.ndarray:
    """1 / cos(phi), NaN at the poles (where the eastward direction is undefined)."""
    c = np.cos(lat_r)
    with np.errstate(divide="ignore"):
        out = 1.0 / c
    out[poles(lat_r)] = np.nan
    return out


def tangent(lat_r: np.ndarray) -> np.ndarray:
    """tan(phi), NaN at the poles."""
    t = np.tan(lat_r)
    t[poles(lat_r)] = np.nan
    return t


def pole_rows(lat_r: np.ndarray, lon_r: np.ndarray, lon_periodic: bool, k: int):
    """Rows to carry across the poles, or None where the grid does not allow it.

    On a global grid (periodic, uniform longitude with an even count) the meridian through
    ``lambda`` continues across a pole as the meridian through ``lambda + pi``: the point at
    latitude ``phi_j`` on the far side sits at ``2 P - phi_j`` (``P`` = +-pi/2) on this
    one. Carrying ``k`` such rows past an end of the latitudes that lies within one spacing
    of a pole lets the latitude stencils stay centred there. Returns ``(first, last,
    values)``: the source rows mirrored before the first and after the last latitude (each
    in the order they are placed) and the extended latitudes.
    """
    n = lat_r.size
    m = lon_r.size
    if not lon_periodic or m % 2 or n < 3:
        return None
    step = np.diff(lon_r)
    if not np.allclose(step, step[0], rtol=1e-9, atol=0) or not np.isclose(
        abs(step[0]) * m, 2 * np.pi, rtol=1e-9
    ):
        return None

    def end(i, j):  # rows mirrored past the end at index i (j: its neighbour), in place order
        pole = np.copysign(np.pi / 2, lat_r[i])
        gap = abs(pole - lat_r[i])
        if gap > abs(lat_r[j] - lat_r[i]) * (1 + 1e-9):
            return np.empty(0, dtype=int), pole
        start = 1 if gap <= 1e-12 else 0  # a pole point is not repeated
        away = np.arange(start, min(start + k, n))  # moving away from the pole
        return (away[::-1], pole) if i == 0 else (n - 1 - away, pole)

    first, p0 = end(0, 1)
    last, p1 = end(n - 1, n - 2)
    if not first.size and not last.size:
        return None
    values = np.concatenate([2 * p0 - lat_r[first], lat_r, 2 * p1 - lat_r[last]])
    return first, last, values


def across_poles(data, lat_axis: int, lon_axis: int, first, last):
    """``data`` extended along ``lat_axis`` by the rows ``first`` and ``last``, each turned
    half a circle in longitude (numpy or dask; dask pads join the neighbouring chunk)."""
    lazy = hasattr(data, "dask")
    if lazy:
        import dask.array as xp
    else:
        xp = np
    half = data.shape[lon_axis] // 2

    def rows(idx):
        index = [slice(None)] * data.ndim
        index[lat_axis] = idx
        return xp.roll(data[tuple(index)], half, axis=lon_axis)

    parts = ([rows(first)] if first.size else []) + [data] + ([rows(last)] if last.size else [])
    ext = xp.concatenate(parts, axis=lat_axis)
    if lazy:
        chunks = list(data.chunks[lat_axis])
        chunks[0] += first.size
        chunks[-1] += last.size
        ext = ext.rechunk({lat_axis: tuple(chunks)})
    return ext
