"""Derivatives of sampled arrays: numpy.gradient and beyond (accuracy 2-10, periodic)."""

from ._gradient import gradient as gradient
from ._operators import curl as curl
from ._operators import derivative as derivative
from ._operators import divergence as divergence
from ._operators import hessian as hessian
from ._operators import laplacian as laplacian

__all__ = ["curl", "derivative", "divergence", "gradient", "hessian", "laplacian"]
