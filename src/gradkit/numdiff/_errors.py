"""The exception for a wrong type where scipy.differentiate raises ValueError."""

from __future__ import annotations

from .._validation import check_int


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong type: a ``TypeError`` as Python has it, and a
    ``ValueError`` as scipy.differentiate raises for the same input (a non-callable `f`,
    complex or text `x`, a non-integer `maxiter`, a tolerance that is no number, `f`
    returning complex values or non-numbers), so that either ``except`` catches it.
    """


def check_integer(value, name, **rules):
    """``check_int`` with its ``TypeError`` as :class:`ArgumentTypeError`."""
    try:
        return check_int(value, name, **rules)
    except ValueError:
        raise
    except TypeError as exc:
        raise ArgumentTypeError(str(exc)) from None
