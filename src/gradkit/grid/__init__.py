"""Grid interpolants with values, gradients and Hessians in one call.

Drop-ins for :class:`scipy.interpolate.RegularGridInterpolator` and
:func:`scipy.interpolate.interpn`, adding ``value_and_gradient``,
``value_gradient_hessian``, ``gradient`` and ``hessian`` for every method and
per-axis, per-side extrapolation.
"""

from ._interp import RegularGridInterpolator as RegularGridInterpolator
from ._interp import interpn as interpn

__all__ = ["RegularGridInterpolator", "interpn"]
