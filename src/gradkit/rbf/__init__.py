"""Kernel (radial basis function) interpolation of scattered data, with derivatives.

``RBFInterpolator`` is a drop-in for :class:`scipy.interpolate.RBFInterpolator` that adds
``value_and_gradient`` / ``value_gradient_hessian``, the ``'exponential'``, ``'matern32'``
and ``'matern52'`` kernels, a matrix-free preconditioned iterative solver for large data
sets, a fast numba local (``neighbors``) mode and lazy dask evaluation.
"""

from ._rbfinterp import RBFInterpolator as RBFInterpolator
from ._solvers import ConvergenceError as ConvergenceError

__all__ = ["ConvergenceError", "RBFInterpolator"]
