"""gradkit inside JAX: finite-difference stencils written in ``jax.numpy``.

``gradkit.jax.gradient``, ``derivative``, ``hessian``, ``laplacian``, ``divergence`` and
``curl`` take the arguments of their gradkit namesakes and return the same values (to
rounding), computed by ``jax.numpy`` operations: they run on any JAX device and under
``jax.jit``, ``jax.vmap`` and ``jax.grad``. Importing this module needs jax
(``pip install "gradkit[jax]"``).
"""

try:
    import jax as _jax  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess without jax
    raise ImportError(
        "gradkit.jax needs jax, which is not installed; install it with "
        '`pip install "gradkit[jax]"` (or `pip install jax`).'
    ) from exc

from ._stencils import curl as curl
from ._stencils import derivative as derivative
from ._stencils import divergence as divergence
from ._stencils import gradient as gradient
from ._stencils import hessian as hessian
from ._stencils import laplacian as laplacian

__all__ = ["curl", "derivative", "divergence", "gradient", "hessian", "laplacian"]
