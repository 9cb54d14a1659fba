"""gradkit inside PyTorch: finite-difference stencils written in torch operations.

``gradkit.torch.gradient`` is a drop-in superset of :func:`torch.gradient` (its signature,
results, tuple of tensors and errors) with gradkit's ``accuracy``, ``boundary`` and
``period``; it runs on any device and is differentiable by autograd. Importing this
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

__all__ = ["gradient"]
