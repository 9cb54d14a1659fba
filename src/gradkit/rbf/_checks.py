"""Argument checks of ``RBFInterpolator`` (plain Python; run once, in the constructor and
at the top of each evaluation method).

Where scipy raises for an argument, the error here is an instance of scipy's exception
type; where scipy's type is an accident of its implementation (``AttributeError`` from
``kernel.lower()``, ``IndexError`` from ``d.shape[0]``, ``OverflowError`` from
``int(inf)``), the error is also an instance of the type the rule calls for, as numpy's
``AxisError`` is both a ``ValueError`` and an ``IndexError``.
"""

from __future__ import annotations

import math
import operator
import warnings

import numpy as np
from numpy.linalg import LinAlgError

from .._validation import short_repr

__all__ = [
    "ArgumentTypeError",
    "ArgumentShapeError",
    "ArgumentOverflowError",
    "SequenceShapeError",
    "as_real_array",
    "as_values_array",
    "check_degree",
    "check_epsilon",
    "check_kernel",
    "check_neighbors",
    "check_smoothing",
]


class ArgumentTypeError(TypeError, AttributeError):
    """An argument of the wrong type (scipy raises ``AttributeError`` for these)."""


class ArgumentShapeError(ValueError, IndexError):
    """An argument of the wrong shape (scipy raises ``IndexError`` for these)."""


class SequenceShapeError(ValueError, AttributeError):
    """A list or tuple of the wrong shape (scipy needs ``.shape`` and raises
    ``AttributeError`` for any sequence)."""


class ArgumentOverflowError(ValueError, OverflowError):
    """An infinite count (scipy raises ``OverflowError`` for these)."""


def _convert(value, name, dtype, shape_rule=None):
    """``np.asarray(value, dtype)``, naming ``name`` when the conversion fails.

    ``shape_rule(shape)`` returns the message of scipy's shape error for that shape, or
    None: complex input of a wrong shape raises that ``ValueError`` (scipy discards the
    imaginary part, then checks the shape).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", np.exceptions.ComplexWarning)
            return np.asarray(value, dtype=dtype)
    except np.exceptions.ComplexWarning:
        message = None if shape_rule is None else shape_rule(np.shape(value))
        if message is not None:
            raise ValueError(message) from None
        raise TypeError(
            f"`{name}` must be real; got complex values ({short_repr(value)})."
        ) from None
    except ValueError as exc:
        raise ValueError(
            f"`{name}` must be an array of numbers; got {short_repr(value)} ({exc})."
        ) from None
    except TypeError as exc:
        try:
            complex_values = np.iscomplexobj(np.asarray(value))
        except (TypeError, ValueError):
            complex_values = False
        if complex_values:
            raise TypeError(
                f"`{name}` must be real; got complex values ({short_repr(value)})."
            ) from None
        raise TypeError(
            f"`{name}` must be an array of numbers; got {short_repr(value)} ({exc})."
        ) from None


def _own(arr):
    """A C-contiguous, writeable, native-endian float array (numba compiles one
    specialisation for it, not one more for read-only views)."""
    arr = np.asarray(arr, order="C")
    if not arr.flags.writeable:
        arr = arr.copy()
    return arr


def as_real_array(value, name, shape_rule=None):
    """``value`` as a C-contiguous float64 array; complex values are an error (see
    ``_convert`` for ``shape_rule``)."""
    return _own(_convert(value, name, np.float64, shape_rule))


def as_values_array(value, name="d"):
    """``value`` as a C-contiguous float64 or complex128 array (scipy's dtype rule)."""
    if value is None:
        raise ArgumentShapeError(
            f"`{name}` must be an array of data values with one entry per point; got None."
        )
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise type(exc)(
            f"`{name}` must be an array of numbers; got {short_repr(value)} ({exc})."
        ) from None
    dtype = np.complex128 if np.iscomplexobj(arr) else np.float64
    if arr.dtype.kind == "O" and any(
        isinstance(v, (complex, np.complexfloating)) for v in arr.flat
    ):
        dtype = np.complex128  # complex numbers held as objects stay complex
    return _own(_convert(arr, name, dtype))


def _count(value, name, str_error=ValueError, array_error=TypeError):
    """An integral count given as an int, an integral float, or inf (returned as inf).

    A string raises ``str_error`` and an array of several entries ``array_error``
    (scipy's types: ``int('a')`` is a ``ValueError``, ``min('5', n)`` a ``TypeError``,
    ``int(array)`` a ``TypeError``, ``min(array, n)`` a ``ValueError``)."""
    if isinstance(value, (str, bytes)):
        raise str_error(f"`{name}` must be an integer; got {short_repr(value)}.")
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            raise ValueError(f"`{name}` must be an integer; got nan.")
        if math.isinf(value):
            return float(value)
        if value != int(value):
            # a ValueError, as scipy's for `neighbors=0.5` (scipy truncates 5.5 to 5)
            raise ValueError(f"`{name}` must be an integer; got {float(value)!r}.")
        return int(value)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return _count(value[()], name, str_error, array_error)
    if isinstance(value, np.ndarray) and value.size > 1:
        raise array_error(f"`{name}` must be an integer; got {short_repr(value)}.")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"`{name}` must be an integer; got {short_repr(value)}.") from None


def check_neighbors(neighbors, ny):
    """Return the neighbourhood size (at most ``ny``), or None for a global fit."""
    if neighbors is None:
        return None
    count = _count(neighbors, "neighbors", TypeError, ValueError)
    if count == -math.inf:
        raise ArgumentOverflowError(f"`neighbors` must be at least 1; got {count}.")
    if count < 1:
        raise ValueError(f"`neighbors` must be at least 1; got {count}.")
    return int(min(count, ny))


def check_degree(degree):
    """Return ``degree`` as an int (at least -1 is checked by the caller, as scipy)."""
    value = _count(degree, "degree")
    if isinstance(value, float):  # +-inf
        raise ArgumentOverflowError(f"`degree` must be a finite integer; got {value}.")
    return value


def check_kernel(kernel, available):
    """Return the lower-cased kernel name."""
    if isinstance(kernel, bytes):  # scipy: b"...".lower() is not one of its names
        raise ValueError(
            f"`kernel` must be one of {', '.join(repr(k) for k in sorted(available))}; "
            f"got {short_repr(kernel)} (bytes, not a string)."
        )
    if not isinstance(kernel, str):
        raise ArgumentTypeError(f"`kernel` must be a string; got {short_repr(kernel)}.")
    name = kernel.lower()
    if name not in available:
        raise ValueError(
            f"`kernel` must be one of {', '.join(repr(k) for k in sorted(available))}; "
            f"got {kernel!r}."
        )
    return name


def check_epsilon(epsilon):
    """Return ``epsilon`` as a finite float (scipy would accept nan and inf)."""
    try:
        value = float(epsilon)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"`epsilon` must be a real number; got {short_repr(epsilon)}.") from None
    if not math.isfinite(value):
        raise ValueError(f"`epsilon` must be finite; got {value}.")
    return value


def check_smoothing(smoothing, ny):
    """Return ``smoothing`` as a float64 array of shape ``(ny,)``."""
    if isinstance(smoothing, (bool, int, float, np.integer, np.floating, np.bool_)):
        arr = np.full(ny, float(smoothing))
    elif smoothing is None or isinstance(smoothing, (str, bytes, complex)):
        raise ArgumentTypeError(
            f"`smoothing` must be a number or an array of shape ({ny},); got "
            f"{short_repr(smoothing)}."
        )
    else:
        if hasattr(smoothing, "shape"):
            arr = as_real_array(smoothing, "smoothing")
        else:
            # a list or other sequence (scipy: AttributeError, it needs `.shape`)
            try:
                arr = as_real_array(smoothing, "smoothing")
            except (TypeError, ValueError) as exc:
                raise ArgumentTypeError(str(exc)) from None
        if arr.shape == ():
            arr = np.full(ny, float(arr))
        elif arr.shape != (ny,):
            error = ValueError if hasattr(smoothing, "shape") else SequenceShapeError
            raise error(
                f"Expected `smoothing` to be a scalar or have shape ({ny},); got shape {arr.shape}."
            )
    if not np.all(np.isfinite(arr)):
        bad = int(np.count_nonzero(~np.isfinite(arr)))
        # scipy's dense solve finds an infinite diagonal singular: its LinAlgError (a
        # ValueError) for inf, a ValueError for NaN (which scipy turns into NaN output)
        error = ValueError if np.isnan(arr).any() else LinAlgError
        raise error(
            f"`smoothing` must contain only finite values; got {bad} NaN or "
            f"infinite entr{'y' if bad == 1 else 'ies'}."
        )
    return arr
