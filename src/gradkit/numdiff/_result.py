"""The result object returned with ``return_error=True``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class DifferentiationWarning(RuntimeWarning):
    """A derivative could not be computed to the requested tolerance.

    The corresponding entries of ``DiffResult.error`` are large (or infinite) and
    ``DiffResult.success`` is False there; the value is the best estimate found.
    """


@dataclass(frozen=True)
class DiffResult:
    """Derivative values with error estimates and evaluation counts.

    Attributes
    ----------
    value : ndarray
        The derivative (same shape as the plain return value).
    error : ndarray
        An estimate of ``|value - exact|`` for every entry of ``value``. For finite
        differences it is the larger of two truncation indicators plus the rounding error of
        the stencil (see Notes of :func:`gradient`); for the complex step, sympy and
        autodiff it is the rounding level, ``4 * eps * |value|``, unless a consistency check
        failed. ``inf`` where no estimate could be formed.
    nfev : int
        Number of points at which ``f`` was evaluated (``f(x)`` included). 0 for sympy.
    ncalls : int
        Number of calls to ``f``: equal to ``nfev`` unless ``vectorized=True``, where one
        call evaluates a whole batch of points.
    success : ndarray of bool
        Whether each derivative met the tolerance (same shape as ``value``).
    method : str
        The method actually used (``"central"``, ``"complex"``, ``"sympy"``, ...).
    """

    value: np.ndarray
    error: np.ndarray
    nfev: int
    ncalls: int
    success: np.ndarray
    method: str

    def __repr__(self) -> str:
        with np.printoptions(precision=6, threshold=20, edgeitems=3):
            return (
                f"DiffResult(value={self.value!r}, error={self.error!r}, nfev={self.nfev}, "
                f"ncalls={self.ncalls}, success={self.success!r}, method={self.method!r})"
            )
