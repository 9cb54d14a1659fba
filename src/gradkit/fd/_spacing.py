"""Spacing arguments (numpy.gradient's ``*varargs``) and boundary names, checked once."""

from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np

from .._validation import check_choice, short_repr

__all__ = ["AxisSpacing", "BOUNDARIES", "parse_boundaries", "parse_periods", "parse_spacing"]

BOUNDARIES = frozenset({"one-sided", "periodic"})


@dataclass(frozen=True)
class AxisSpacing:
    """The spacing of one axis.

    ``raw`` is exactly what numpy.gradient differentiates with: the scalar the user gave, or
    ``np.diff`` of the coordinates (reduced to its first element when all are equal).
    ``coords`` is the float64 coordinate array, or None for a scalar spacing.
    """

    raw: object
    coords: np.ndarray | None

    @property
    def uniform(self) -> bool:
        return np.ndim(self.raw) == 0

    def step_or_coords(self, name: str):
        """A float step (uniform) or float64 coordinates, for order-``accuracy`` stencils."""
        if self.uniform:
            try:
                h = complex(self.raw)
            except TypeError:
                raise TypeError(
                    f"`{name}` must be a real number or coordinates; got {short_repr(self.raw)}."
                ) from None
            if h.imag != 0 or not np.isfinite(h.real) or h.real == 0:
                raise ValueError(
                    f"`{name}` must be a finite, non-zero real spacing; got {short_repr(self.raw)}."
                )
            return h.real
        return self.coords


def parse_spacing(varargs, shape, axes) -> list[AxisSpacing]:
    """Interpret numpy.gradient's spacing arguments for the differentiated ``axes``.

    Accepts what numpy accepts (nothing, one scalar, or one scalar or 1-D coordinate array
    per axis) and raises the same exception types. Coordinates must also be strictly
    monotonic (increasing or decreasing) and finite, which numpy does not check.
    """
    n = len(varargs)
    if n == 0:
        return [AxisSpacing(1.0, None) for _ in axes]
    if n == 1 and np.ndim(varargs[0]) == 0:
        return [AxisSpacing(varargs[0], None) for _ in axes]
    if n != len(axes):
        raise TypeError(
            f"`varargs` must hold no spacing, one scalar, or one spacing per differentiated "
            f"axis ({len(axes)}); got {n} spacing arguments."
        )
    result = []
    for i, (ax, distances) in enumerate(zip(axes, varargs)):
        raw = np.asanyarray(distances)
        if raw.ndim == 0:
            result.append(AxisSpacing(distances, None))
            continue
        if raw.ndim != 1:
            raise ValueError(
                f"`varargs[{i}]` (spacing of axis {ax}) must be a scalar or 1-D coordinates; "
                f"got an array of shape {raw.shape}."
            )
        if len(raw) != shape[ax]:
            raise ValueError(
                f"`varargs[{i}]` has {len(raw)} coordinates, but `f` has {shape[ax]} points "
                f"along axis {ax}."
            )
        if np.issubdtype(raw.dtype, np.integer):
            raw = raw.astype(np.float64)
        diffx = np.diff(raw)
        if raw.dtype.kind in "fiu" and len(diffx):
            if not (np.all(diffx > 0) or np.all(diffx < 0)):
                bad = _first_bad_step(diffx)
                raise ValueError(
                    f"`varargs[{i}]` (coordinates of axis {ax}) must be finite and strictly "
                    f"increasing or strictly decreasing; step {bad} goes from "
                    f"{raw[bad]!r} to {raw[bad + 1]!r}."
                )
        coords = raw.astype(np.float64) if raw.dtype.kind in "fiu" else None
        if len(diffx) and (diffx == diffx[0]).all():
            diffx = diffx[0]
        result.append(AxisSpacing(diffx, coords))
    return result


def _first_bad_step(diffx) -> int:
    sign = np.sign(diffx[np.isfinite(diffx)][:1])
    ok = (np.sign(diffx) == sign) & np.isfinite(diffx) & (diffx != 0)
    return int(np.argmin(ok))


def parse_boundaries(boundary, naxes: int) -> tuple[str, ...]:
    """One boundary name per differentiated axis, from a name or a sequence of names."""
    if isinstance(boundary, str):
        check_choice(boundary, "boundary", BOUNDARIES)
        return (boundary,) * naxes
    try:
        names = tuple(boundary)
    except TypeError:
        raise TypeError(
            f"`boundary` must be a name or a sequence of names, one per axis; "
            f"got {short_repr(boundary)}."
        ) from None
    if len(names) != naxes:
        raise ValueError(
            f"`boundary` must name one boundary per differentiated axis ({naxes}); "
            f"got {len(names)}: {short_repr(boundary)}."
        )
    for i, name in enumerate(names):
        check_choice(name, f"boundary[{i}]", BOUNDARIES)
    return names


def parse_periods(period, naxes: int) -> tuple[float | None, ...]:
    """One period (or None) per differentiated axis."""
    if period is None or np.ndim(period) == 0:
        periods = (period,) * naxes
    else:
        periods = tuple(period)
        if len(periods) != naxes:
            raise ValueError(
                f"`period` must be one number or one per differentiated axis ({naxes}); "
                f"got {len(periods)}."
            )
    out = []
    for p in periods:
        if p is None:
            out.append(None)
            continue
        try:
            value = float(operator.index(p)) if isinstance(p, (int, np.integer)) else float(p)
        except (TypeError, ValueError):
            raise TypeError(f"`period` must be a positive number; got {short_repr(p)}.") from None
        if not np.isfinite(value) or value <= 0:
            raise ValueError(f"`period` must be a positive, finite number; got {short_repr(p)}.")
        out.append(value)
    return tuple(out)
