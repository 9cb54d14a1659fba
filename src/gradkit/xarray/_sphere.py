"""The sphere's metric for longitude/latitude coordinates: which axis is which, radians,
range checks, and the factors 1/(R cos phi) and tan(phi) that the operators multiply by."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .._validation import short_repr
from ._coords import Axis, in_radians, is_latitude, is_longitude

__all__ = ["EARTH_RADIUS", "METRICS", "check_metric", "check_radius", "sphere_axes"]

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
