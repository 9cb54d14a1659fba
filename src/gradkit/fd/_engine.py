"""Apply an axis plan to an in-memory array or, lazily, to a dask array."""

from __future__ import annotations

import math

import numpy as np

from ._plan import AxisPlan
from ._small import run_plan_numpy, use_plans

__all__ = ["apply_plan", "apply_plans", "is_dask_array"]


def is_dask_array(x) -> bool:
    """True for a dask array, without importing dask when it is not in use."""
    return type(x).__module__.startswith("dask.") and hasattr(x, "chunks")


def apply_plan(f, axis: int, plan: AxisPlan, out_dtype, out=None):
    """Differentiate ``f`` along ``axis`` with ``plan``.

    ``f`` is a C-contiguous ndarray (the caller made it so) or a dask array. ``out``, if
    given, is a C-contiguous ndarray of ``f``'s shape and ``out_dtype`` to write into.
    """
    if is_dask_array(f):
        from ._dask import apply_plan_dask

        return apply_plan_dask(f, axis, plan, out_dtype)
    if out is None:
        out = np.empty(f.shape, dtype=out_dtype)
    shape3 = (math.prod(f.shape[:axis]), f.shape[axis], math.prod(f.shape[axis + 1 :]))
    if 0 in shape3:
        return out
    run_plan(f.reshape(shape3), out.reshape(shape3), plan)
    return out


def apply_plans(f, axes, plans, out_dtype, outs):
    """Differentiate ``f`` along each of ``axes`` (one plan each) into ``outs`` (arrays or
    None). Arrays of up to three dimensions go through the uniform blocks of all axes in a
    single pass over ``f``; the rest axis by axis."""
    if is_dask_array(f) or f.ndim > 3 or f.size == 0 or len(axes) < 2:
        return [apply_plan(f, a, p, out_dtype, out=o) for a, p, o in zip(axes, plans, outs)]
    from . import _kernels

    outs = [np.empty(f.shape, dtype=out_dtype) if o is None else o for o in outs]
    lead = 3 - f.ndim
    shape3 = (1,) * lead + f.shape
    f3 = f.reshape(shape3)
    out3 = [None, None, None]
    blocks = [None, None, None]
    for a, p, o in zip(axes, plans, outs):
        out3[a + lead] = o.reshape(shape3)
        blocks[a + lead] = p.block
    _kernels.apply_blocks3(f3, out3, blocks)
    for a, p, o in zip(axes, plans, outs):
        pre = math.prod(f.shape[:a])
        post = math.prod(f.shape[a + 1 :])
        run_plan(
            f.reshape(pre, f.shape[a], post), o.reshape(pre, f.shape[a], post), p, skip_block=True
        )
    return outs


def run_plan(
    f3, out3, plan: AxisPlan, positions_range=None, shift: int = 0, skip_block: bool = False
) -> None:
    """Run ``plan`` on (pre, n, post) arrays.

    With ``positions_range=(start, stop)``, only those global positions are written, to
    ``out3[:, position - start, :]``, reading ``f3[:, index - shift, :]`` (a block with ghost
    cells, as in the dask adapter); indices are then not wrapped. ``skip_block`` leaves out
    the uniform block (already applied by a fused pass).
    """
    if use_plans(f3.shape):
        run_plan_numpy(f3, out3, plan, positions_range, shift, skip_block)
        return
    from . import _kernels

    if positions_range is None:
        if not skip_block and plan.block is not None:
            if f3.shape[0] == f3.shape[2] == 1 and plan.block.uniform:
                _kernels.apply_line(f3.reshape(-1), out3.reshape(-1), plan.block)
            elif f3.shape[2] == 1:  # the differentiated axis is the contiguous one
                shape = (1,) + f3.shape[:2]
                _kernels.apply_blocks3(
                    f3.reshape(shape), [None, None, out3.reshape(shape)], [None, None, plan.block]
                )
            else:
                _kernels.apply_blocks3(f3, [None, out3, None], [None, plan.block, None])
        for g in plan.edge_rows:
            _kernels.apply_rows(f3, out3, g.positions, g.index, g.weights, g.divisor)
        return
    start, stop = positions_range
    for g in plan.all_rows():
        sel = (g.positions >= start) & (g.positions < stop)
        if not sel.any():
            continue
        _kernels.apply_rows(
            f3,
            out3,
            g.positions[sel] - start,
            np.ascontiguousarray(g.index[sel] - shift),
            np.ascontiguousarray(g.weights[sel]),
            np.ascontiguousarray(g.divisor[sel]),
        )
