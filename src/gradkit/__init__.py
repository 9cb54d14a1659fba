"""gradkit: gradients of sampled data, of interpolants, and of functions.

Importing gradkit compiles nothing: numba kernels are imported and compiled (or loaded
from the on-disk cache) on first use.
"""

__version__ = "0.1.0"

from . import numdiff as numdiff
from ._parallel import get_num_threads as get_num_threads
from ._parallel import set_num_threads as set_num_threads
from ._precompile import precompile as precompile
from .fd import curl as curl
from .fd import derivative as derivative
from .fd import divergence as divergence
from .fd import gradient as gradient
from .fd import hessian as hessian
from .fd import laplacian as laplacian
from .grid import RegularGridInterpolator as RegularGridInterpolator
from .grid import interpn as interpn
from .rbf import RBFInterpolator as RBFInterpolator

__all__ = [
    "RBFInterpolator",
    "RegularGridInterpolator",
    "__version__",
    "curl",
    "derivative",
    "divergence",
    "get_num_threads",
    "gradient",
    "hessian",
    "interpn",
    "laplacian",
    "numdiff",
    "precompile",
    "set_num_threads",
]
