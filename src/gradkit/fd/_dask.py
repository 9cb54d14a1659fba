"""dask adapter: stencils applied block by block with ghost cells, lazily.

Each block is extended by the plan's reach along the differentiated axis
(``dask.array.overlap.overlap``: wrapped on periodic axes, nothing added at the outer
ends otherwise), and each output block is computed from the *global* plan restricted to its
positions, so the result equals the in-memory one, boundaries included.
"""

from __future__ import annotations

import math

import numpy as np

from ._engine import run_plan
from ._plan import AxisPlan

__all__ = ["apply_plan_dask"]


def apply_plan_dask(x, axis: int, plan: AxisPlan, out_dtype):
    """Lazily differentiate the dask array ``x`` along ``axis`` with ``plan``."""
    import dask.array as da

    reach = plan.reach
    chunks = x.chunks[axis]
    if reach and min(chunks) < reach:
        x = x.rechunk({axis: _chunks_at_least(x.shape[axis], max(chunks), reach)})
        chunks = x.chunks[axis]
    starts = np.concatenate([[0], np.cumsum(chunks)]).astype(int)
    if reach:
        boundary = "periodic" if plan.periodic else "none"
        depth = {a: (reach if a == axis else 0) for a in range(x.ndim)}
        bounds = {a: boundary for a in range(x.ndim)}
        ghosted = da.overlap.overlap(x, depth=depth, boundary=bounds)
    else:
        ghosted = x

    def block(fb, block_id=None):
        loc = block_id[axis]
        start, stop = int(starts[loc]), int(starts[loc + 1])
        left = reach if (plan.periodic or start > 0) else 0
        pre = math.prod(fb.shape[:axis])
        post = math.prod(fb.shape[axis + 1 :])
        out_shape = fb.shape[:axis] + (stop - start,) + fb.shape[axis + 1 :]
        out = np.empty(out_shape, dtype=out_dtype)
        if out.size:
            f3 = np.ascontiguousarray(fb).reshape(pre, fb.shape[axis], post)
            run_plan(f3, out.reshape(pre, stop - start, post), plan, (start, stop), start - left)
        return out

    if ghosted.numblocks != x.numblocks:  # pragma: no cover - dask rechunked behind our back
        raise RuntimeError("dask's overlap changed the block structure; please report this.")
    return da.map_blocks(
        block,
        ghosted,
        chunks=x.chunks,
        dtype=out_dtype,
        meta=np.empty((0,) * x.ndim, dtype=out_dtype),
    )


def _chunks_at_least(n: int, size: int, minimum: int) -> tuple[int, ...]:
    """Chunks of about ``size`` along an axis of ``n``, none shorter than ``minimum``
    (overlap needs every chunk at least as long as the ghost region)."""
    size = max(size, minimum)
    chunks = [size] * (n // size)
    rest = n - size * len(chunks)
    if rest:
        if chunks and rest < minimum:
            chunks[-1] += rest
        else:
            chunks.append(rest)
    return tuple(chunks)
