"""Spacing arguments (numpy.gradient's ``*varargs``) and boundary names, checked once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_choice, short_repr

__all__ = [
    "AxisSpacing",
    "BOUNDARIES",
    "check_period_use",
    "parse_boundaries",
    "parse_periods",
    "parse_spacing",
]

BOUNDARIES = frozenset({"one-sided", "periodic"})


@dataclass(frozen=True)
class AxisSpacing:
    """The spacing of one axis.

    ``raw`` is exactly what numpy.gradient differentiates with: the scalar the user gave, or
    ``np.diff`` of the coordinates (reduced to its first element when all are equal).
    ``coords`` is the float64 coordinate array, or None for a scalar spacing (or for
    coordinates of a dtype only numpy.gradient's formulas handle). ``name`` is the argument
    it came from, for messages.
    """

    raw: object
    coords: np.ndarray | None
    name: str = "varargs"

    @property
    def uniform(self) -> bool:
        return np.ndim(self.raw) == 0

    def step_or_coords(self):
        """A float step (uniform) or float64 coordinates, for order-``accuracy`` stencils."""
        if self.uniform:
            value = np.asarray(self.raw)
            if value.dtype.kind not in "iuf":
                raise TypeError(
                    f"`{self.name}` must be a real spacing for `accuracy`/`boundary` stencils; "
                    f"got {short_repr(self.raw)}."
                )
            h = float(value)
            if not np.isfinite(h) or h == 0:
                raise ValueError(
                    f"`{self.name}` must be a finite, non-zero spacing; got {short_repr(h)}."
                )
            return h
        if self.coords is None:
            raise TypeError(
                f"`{self.name}` must hold real coordinates for `accuracy`/`boundary` stencils; "
                f"got dtype {np.asarray(self.raw).dtype}."
            )
        return self.coords


_NON_NUMERIC_KINDS = "bSUV"


def _native(a: np.ndarray) -> np.ndarray:
    """``a`` in native byte order (numba kernels and some numpy paths need it)."""
    if not a.dtype.isnative:
        a = a.astype(a.dtype.newbyteorder("="))
    return a


def _scalar_spacing(value, name: str) -> AxisSpacing:
    """A checked scalar spacing: a number; finite and non-zero when real."""
    arr = np.asarray(value)
    if arr.dtype.kind in _NON_NUMERIC_KINDS[1:] or (
        arr.dtype.kind == "O" and not isinstance(value, (int, float, complex, np.number))
    ):
        raise TypeError(
            f"`{name}` must be a number (a uniform spacing) or 1-D coordinates; "
            f"got {short_repr(value)}."
        )
    if arr.dtype.kind in "fiu":
        if not np.isfinite(arr) or arr == 0:
            raise ValueError(
                f"`{name}` must be a finite, non-zero spacing; got {short_repr(value)}."
            )
    if isinstance(value, np.ndarray) and not value.dtype.isnative:
        value = _native(value)
    return AxisSpacing(value, None, name)


def parse_spacing(varargs, shape, axes) -> list[AxisSpacing]:
    """Interpret numpy.gradient's spacing arguments for the differentiated ``axes``.

    Accepts what numpy accepts (nothing, one scalar, or one scalar or 1-D coordinate array
    per axis) and raises the same exception types. Coordinates must also be strictly
    monotonic (increasing or decreasing) and finite, and scalar spacings finite and
    non-zero, which numpy does not check.
    """
    n = len(varargs)
    if n == 0:
        return [AxisSpacing(1.0, None) for _ in axes]
    if n == 1 and np.ndim(varargs[0]) == 0:
        spacing = _scalar_spacing(varargs[0], "varargs[0]")
        return [spacing for _ in axes]
    if n != len(axes):
        raise TypeError(
            f"`varargs` must hold no spacing, one scalar, or one spacing per differentiated "
            f"axis ({len(axes)}); got {n} spacing arguments."
        )
    result = []
    for i, (ax, distances) in enumerate(zip(axes, varargs)):
        name = f"varargs[{i}]"
        if callable(distances) and not isinstance(distances, np.ndarray):
            raise TypeError(
                f"`{name}` must be a number (a uniform spacing) or 1-D coordinates; "
                f"got {short_repr(distances)}."
            )
        try:
            raw = np.asanyarray(distances)
        except (ValueError, TypeError) as exc:
            raise type(exc)(
                f"`{name}` must be a number or 1-D coordinates; numpy cannot make an array "
                f"of {short_repr(distances)}: {exc}"
            ) from None
        if raw.ndim == 0:
            result.append(_scalar_spacing(distances, name))
            continue
        if raw.ndim != 1:
            raise ValueError(
                f"`{name}` (spacing of axis {ax}) must be a scalar or 1-D coordinates "
                f"(spacings must be scalars or 1d arrays); got an array of shape {raw.shape}."
            )
        if raw.dtype.kind in _NON_NUMERIC_KINDS:
            raise TypeError(
                f"`{name}` (coordinates of axis {ax}) must hold numbers; got dtype {raw.dtype}."
            )
        if len(raw) != shape[ax]:
            raise ValueError(
                f"`{name}` has {len(raw)} coordinates, but `f` has {shape[ax]} points "
                f"along axis {ax}."
            )
        raw = _native(np.asarray(raw))
        if np.issubdtype(raw.dtype, np.integer):
            raw = raw.astype(np.float64)
        if raw.dtype.kind == "f" and not np.isfinite(raw).all():
            bad = int(np.argmin(np.isfinite(raw)))
            raise ValueError(
                f"`{name}` (coordinates of axis {ax}) must be finite; entry {bad} is "
                f"{short_repr(raw[bad])}."
            )
        diffx = np.diff(raw)
        if raw.dtype.kind == "f" and len(diffx):
            if not (np.all(diffx > 0) or np.all(diffx < 0)):
                bad = _first_bad_step(diffx)
                raise ValueError(
                    f"`{name}` (coordinates of axis {ax}) must be finite and strictly "
                    f"increasing or strictly decreasing; step {bad} goes from "
                    f"{short_repr(raw[bad])} to {short_repr(raw[bad + 1])}."
                )
        coords = raw.astype(np.float64) if raw.dtype.kind == "f" else None
        if len(diffx) and (diffx == diffx[0]).all():
            diffx = diffx[0]
        result.append(AxisSpacing(diffx, coords, name))
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
    if period is None or isinstance(period, str) or np.ndim(period) == 0:
        periods = (period,) * naxes
    else:
        try:
            periods = tuple(period) if np.ndim(period) == 1 else None
        except TypeError:
            periods = None
        if periods is None:
            raise TypeError(
                f"`period` must be a number or a sequence of numbers, one per differentiated "
                f"axis; got {short_repr(period)}."
            )
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
        kind = np.asarray(p).dtype.kind if not isinstance(p, str) else "U"
        if kind not in "iuf" or np.ndim(p) != 0:
            raise TypeError(f"`period` must be a positive number; got {short_repr(p)}.")
        value = float(p)
        if not np.isfinite(value) or value <= 0:
            raise ValueError(f"`period` must be a positive, finite number; got {short_repr(p)}.")
        out.append(value)
    return tuple(out)


def check_period_use(periods, boundaries) -> None:
    """A ``period`` given for an axis that is not periodic would be silently ignored."""
    for i, (p, b) in enumerate(zip(periods, boundaries)):
        if p is not None and b != "periodic":
            which = "" if len(boundaries) == 1 else f" (entry {i}, for a {b!r} axis)"
            raise ValueError(
                f"`period` applies only to periodic axes, but `boundary` is {b!r}{which}; "
                f"pass boundary='periodic' or drop `period`; got period={short_repr(p)}."
            )
