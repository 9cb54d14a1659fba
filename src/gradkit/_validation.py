"""Argument checks and the dtype policy shared by every gradkit capability.

Validation happens once, in the public function; kernels never check their inputs.
Every message names the argument in backticks, states the rule, and shows the value
received, e.g. ``"`accuracy` must be an even integer from 2 to 10; got 3."``

dtype policy
------------
- float64 by default; float32 in, float32 out; float16 is computed in float32 and
  returned as float16 (as numpy returns float16 for float16 input).
- Integers and booleans promote to float64, as numpy does for floating results.
- complex64/complex128 stay complex wherever the peer supports complex values.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable

import numpy as np

__all__ = [
    "check_bool",
    "check_choice",
    "check_int",
    "normalize_axes",
    "result_float_dtype",
    "compute_float_dtype",
    "short_repr",
]


def _plain(value):
    """``value`` with numpy scalars (also inside lists and tuples) made Python scalars, so
    that messages show ``1.0`` rather than ``np.float64(1.0)``."""
    if isinstance(value, np.generic) and value.dtype.kind in "biufc":
        return value.item()
    if isinstance(value, (list, tuple)) and len(value) <= 20:
        items = [_plain(v) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    return value


def short_repr(value, limit: int = 60) -> str:
    """Return ``repr(value)`` shortened to at most ``limit`` characters for messages.

    numpy scalars print as plain values:

    >>> short_repr(np.float64(1.5)), short_repr((np.int64(2), 3))
    ('1.5', '(2, 3)')
    """
    if isinstance(value, np.ndarray):
        text = f"array of shape {value.shape} and dtype {value.dtype}"
    else:
        try:
            text = repr(_plain(value))
        except Exception:  # a broken __repr__ must not hide the real error
            text = f"<{type(value).__name__} object>"
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def check_int(value, name: str, *, minimum=None, maximum=None, even: bool = False) -> int:
    """Return ``value`` as a Python int, or raise naming ``name`` and the rule.

    Booleans are rejected: ``True`` is not an accuracy order.
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be an integer; got {short_repr(value)}.")
    try:
        ivalue = operator.index(value)
    except TypeError:
        raise TypeError(f"`{name}` must be an integer; got {short_repr(value)}.") from None
    rule = []
    if even:
        rule.append("an even integer")
    else:
        rule.append("an integer")
    if minimum is not None and maximum is not None:
        rule.append(f"from {minimum} to {maximum}")
    elif minimum is not None:
        rule.append(f">= {minimum}")
    elif maximum is not None:
        rule.append(f"<= {maximum}")
    bad = (
        (minimum is not None and ivalue < minimum)
        or (maximum is not None and ivalue > maximum)
        or (even and ivalue % 2)
    )
    if bad:
        raise ValueError(f"`{name}` must be {' '.join(rule)}; got {short_repr(value)}.")
    return ivalue


def check_bool(value, name: str) -> bool:
    """Return ``value`` as a bool if it is ``True`` or ``False`` (numpy's too), else raise
    ``TypeError`` naming ``name``: ``"no"`` is not a flag."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be True or False; got {short_repr(value)}.")
    return bool(value)


def check_choice(value, name: str, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``; raise naming the options otherwise."""
    options = sorted(choices)
    if not isinstance(value, str) or value not in options:
        raise ValueError(
            f"`{name}` must be one of {', '.join(repr(c) for c in options)}; "
            f"got {short_repr(value)}."
        )
    return value


def normalize_axes(axis, ndim: int, name: str = "axis") -> tuple[int, ...]:
    """Normalise ``axis`` (None, int or tuple of ints) to a tuple of non-negative axes.

    Raises numpy's ``AxisError`` (a ``ValueError`` and ``IndexError``) for an axis out of
    range and ``ValueError`` for a repeated axis, as numpy does.
    """
    if axis is None:
        return tuple(range(ndim))
    from numpy.lib.array_utils import normalize_axis_tuple

    entries = axis if isinstance(axis, (tuple, list)) else [axis]
    for entry in entries:
        if isinstance(entry, (bool, np.bool_)) or not isinstance(entry, (int, np.integer)):
            raise TypeError(
                f"`{name}` must be None, an integer or a tuple of integers; got {short_repr(axis)}."
            )
        if not -ndim <= entry < ndim:
            raise np.exceptions.AxisError(
                f"`{name}` {short_repr(axis)} is out of range for an array of dimension {ndim}."
            )
    try:
        return normalize_axis_tuple(axis, ndim, argname=name)
    except np.exceptions.AxisError as exc:
        raise np.exceptions.AxisError(
            f"`{name}` {short_repr(axis)} is out of range for an array of dimension {ndim}."
        ) from exc
    except ValueError as exc:
        raise ValueError(f"`{name}` must not repeat an axis; got {short_repr(axis)}.") from exc
    except TypeError:
        raise TypeError(
            f"`{name}` must be None, an integer or a tuple of integers; got {short_repr(axis)}."
        ) from None


def result_float_dtype(dtype) -> np.dtype:
    """The dtype a floating result has for input of ``dtype`` (the package's dtype policy).

    >>> result_float_dtype(np.int32), result_float_dtype(np.float32)
    (dtype('float64'), dtype('float32'))
    """
    dtype = np.dtype(dtype)
    if dtype.kind in "fc":
        return dtype
    if dtype.kind in "biu":
        return np.dtype(np.float64)
    raise TypeError(f"expected a numeric dtype; got {dtype}.")


def compute_float_dtype(dtype) -> np.dtype:
    """The dtype kernels compute in for input of ``dtype``: float16 widens to float32."""
    dtype = result_float_dtype(dtype)
    if dtype == np.float16:
        return np.dtype(np.float32)
    return dtype
