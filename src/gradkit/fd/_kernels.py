"""numba kernels that apply a stencil plan along the middle axis of a (pre, n, post) array.

No validation happens here: the public functions have checked every argument and the plan
guarantees that every (wrapped) index lies in ``[0, n)``. Sums run left to right over the
stencil with no reassociation or fused multiply-add, so plans that mirror numpy's formulas
give numpy's bits.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["apply_block", "apply_rows"]


@nb.njit(parallel=True, cache=True)
def _rows(f, out, positions, index, weights, divisor):
    pre, _, post = f.shape
    rows, width = index.shape
    for t in nb.prange(pre * rows):
        i = t // rows
        q = t - i * rows
        j = positions[q]
        d = divisor[q]
        for k in range(post):
            acc = weights[q, 0] * f[i, index[q, 0], k]
            for s in range(1, width):
                acc = acc + weights[q, s] * f[i, index[q, s], k]
            out[i, j, k] = acc / d


@nb.njit(parallel=True, cache=True)
def _block_inner(f, out, lo, hi, offsets, weights, divisor):
    # out and the arithmetic share one dtype: accumulate in place, vectorised along k.
    pre, _, post = f.shape
    m = hi - lo
    width = offsets.shape[0]
    for t in nb.prange(pre * m):
        i = t // m
        j = lo + t - i * m
        w0 = weights[0]
        j0 = j + offsets[0]
        for k in range(post):
            out[i, j, k] = w0 * f[i, j0, k]
        for s in range(1, width):
            ws = weights[s]
            js = j + offsets[s]
            for k in range(post):
                out[i, j, k] = out[i, j, k] + ws * f[i, js, k]
        if divisor != 1:
            for k in range(post):
                out[i, j, k] = out[i, j, k] / divisor


@nb.njit(parallel=True, cache=True)
def _block_last(f, out, lo, hi, offsets, weights, divisor):
    # Stencil along the contiguous axis (post == 1): one register sum per output.
    pre = f.shape[0]
    width = offsets.shape[0]
    for i in nb.prange(pre):
        for j in range(lo, hi):
            acc = weights[0] * f[i, j + offsets[0], 0]
            for s in range(1, width):
                acc = acc + weights[s] * f[i, j + offsets[s], 0]
            out[i, j, 0] = acc / divisor


@nb.njit(parallel=True, cache=True)
def _rows_last(f, out, positions, index, weights, divisor):
    # Per-row stencils along the contiguous axis (post == 1).
    pre = f.shape[0]
    rows, width = index.shape
    for i in nb.prange(pre):
        for q in range(rows):
            acc = weights[q, 0] * f[i, index[q, 0], 0]
            for s in range(1, width):
                acc = acc + weights[q, s] * f[i, index[q, s], 0]
            out[i, positions[q], 0] = acc / divisor[q]


@nb.njit(parallel=True, cache=True)
def _block_elementwise(f, out, lo, hi, offsets, weights, divisor):
    # Arithmetic in a wider dtype than out (numpy's promotions for float32 data): round once.
    pre, _, post = f.shape
    m = hi - lo
    width = offsets.shape[0]
    for t in nb.prange(pre * m):
        i = t // m
        j = lo + t - i * m
        for k in range(post):
            acc = weights[0] * f[i, j + offsets[0], k]
            for s in range(1, width):
                acc = acc + weights[s] * f[i, j + offsets[s], k]
            out[i, j, k] = acc / divisor


def apply_rows(f3, out3, positions, index, weights, divisor):
    """Write ``out3[:, positions, :]`` from per-row stencils (indices already in range)."""
    if f3.shape[2] == 1:
        _rows_last(f3, out3, positions, index, weights, divisor)
    else:
        _rows(f3, out3, positions, index, weights, divisor)


def apply_block(f3, out3, lo, hi, offsets, weights, divisor):
    """Write ``out3[:, lo:hi, :]`` with one stencil shifted along the middle axis."""
    if hi <= lo:
        return
    divisor = divisor[()]
    compute = np.result_type(weights.dtype, f3.dtype, divisor.dtype)
    if f3.shape[2] == 1:
        _block_last(f3, out3, lo, hi, offsets, weights, divisor)
    elif compute != out3.dtype:
        _block_elementwise(f3, out3, lo, hi, offsets, weights, divisor)
    else:
        _block_inner(f3, out3, lo, hi, offsets, weights, divisor)
