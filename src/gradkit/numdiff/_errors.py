"""The exception for a wrong type where scipy.differentiate raises ValueError."""

from __future__ import annotations

import numpy as np

from .._validation import check_int, short_repr


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong type: a ``TypeError`` as Python has it, and a
    ``ValueError`` as scipy.differentiate raises for the same input (a non-callable `f`,
    complex or text `x`, a non-integer `maxiter`, a tolerance that is no number, `f`
    returning complex values or non-numbers), so that either ``except`` catches it.
    """


def plain(value):
    """A numpy scalar as the Python value it holds (messages show ``1.0``, not
    ``np.float64(1.0)``); anything else unchanged."""
    return value.item() if isinstance(value, np.generic) else value


def shown(value):
    """``short_repr`` of :func:`plain` ``value``, for messages."""
    return short_repr(plain(value))


def check_integer(value, name, **rules):
    """``check_int`` with its ``TypeError`` as :class:`ArgumentTypeError`."""
    try:
        return check_int(plain(value), name, **rules)
    except ValueError:
        raise
    except TypeError as exc:
        raise ArgumentTypeError(str(exc)) from None
