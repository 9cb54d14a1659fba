"""Derivatives of Python callables: numerical, symbolic and automatic behind one call.

``derivative``, ``gradient``, ``jacobian`` and ``hessian`` take `f` as the user wrote it (a
function of an ``(n,)`` array, of several scalars, or vectorised over many points; or a
sympy expression) and return accurate derivatives with honest error estimates: adaptive
central/one-sided differences with Richardson extrapolation, the complex step, exact sympy
derivatives, or jax/torch automatic differentiation.
"""

from ._api import derivative as derivative
from ._api import gradient as gradient
from ._api import hessian as hessian
from ._api import jacobian as jacobian
from ._result import DifferentiationWarning as DifferentiationWarning
from ._result import DiffResult as DiffResult

__all__ = [
    "DiffResult",
    "DifferentiationWarning",
    "derivative",
    "gradient",
    "hessian",
    "jacobian",
]
