"""gradkit inside PyTorch: finite-difference stencils written in torch operations.

``gradkit.torch.gradient`` is a drop-in superset of :func:`torch.gradient` (its signature,
results, tuple of tensors and errors) with gradkit's ``accuracy``, ``boundary`` and
``period``; ``derivative``, ``hessian``, ``laplacian``, ``divergence`` and ``curl`` are
gradkit's operators with torch.gradient's ``spacing`` forms. All run on any device and are
differentiable by autograd. Importing this
module needs torch (``pip install "gradkit[torch]"``).
"""

try:
    import torch as _torch  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess without torch
    raise ImportError(
        "gradkit.torch needs PyTorch, which is not installed; install it with "
        '`pip install "gradkit[torch]"` (or `pip install torch`).'
    ) from exc

from ._gradient import gradient as gradient
from ._operators import curl as curl
from ._operators import derivative as derivative
from ._operators import divergence as divergence
from ._operators import hessian as hessian
from ._operators import laplacian as laplacian

__all__ = ["curl", "derivative", "divergence", "gradient", "hessian", "laplacian"]
