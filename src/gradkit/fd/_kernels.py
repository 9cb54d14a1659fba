"""numba kernels that apply a stencil plan along the middle axis of a (pre, n, post) array.

No validation happens here: the public functions have checked every argument and the plan
guarantees that every (wrapped) index lies in ``[0, n)``. Sums run left to right over the
stencil with no reassociation or fused multiply-add, so plans that mirror numpy's formulas
give numpy's bits.

Each kernel is a serial chunk kernel (:func:`gradkit._parallel.chunk_kernel`): chunk ``t``
is one output line (a row of a group, or a line of the fused block pass), so chunks need no
arithmetic of their own, and :func:`~gradkit._parallel.run_chunks` spreads ranges of them
over as many threads as the call's work (outputs x stencil width) pays for.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .._parallel import chunk_kernel, run_chunks

__all__ = ["apply_blocks3", "apply_line", "apply_rows"]


@chunk_kernel()
def _rows(lo, hi, f, out, positions, index, weights, divisor):
    # chunk t: row t % rows of the group, in line t // rows of the (pre, n, post) array
    post = f.shape[2]
    rows, width = index.shape
    for t in range(lo, hi):
        i = t // rows
        q = t - i * rows
        j = positions[q]
        d = divisor[q]
        for k in range(post):
            acc = weights[q, 0] * f[i, index[q, 0], k]
            for s in range(1, width):
                acc = acc + weights[q, s] * f[i, index[q, s], k]
            out[i, j, k] = acc / d


@nb.njit(cache=True, inline="always")
def _contiguous_axis(fr, orow, lo, hi, off, w, d, inplace):
    # One row along the contiguous axis. Summing over the stencil inside the loop over k
    # does not vectorise (the shifted loads defeat LLVM), so with ``inplace`` (the output
    # dtype is the arithmetic dtype) the sum runs term by term over whole row slices: the
    # same left-to-right order, vectorised. Otherwise, one register sum per output.
    m = hi - lo
    width = len(w)
    if inplace and width >= 2:
        out = orow[lo:hi]
        fa = fr[lo + off[0] : hi + off[0]]
        fb = fr[lo + off[1] : hi + off[1]]
        wa = w[0][lo:hi]
        wb = w[1][lo:hi]
        if width == 2:
            for k in range(m):
                out[k] = (wa[k] * fa[k] + wb[k] * fb[k]) / d
            return
        for k in range(m):
            out[k] = wa[k] * fa[k] + wb[k] * fb[k]
        for s in range(2, width - 1):
            fs = fr[lo + off[s] : hi + off[s]]
            ws = w[s][lo:hi]
            for k in range(m):
                out[k] = out[k] + ws[k] * fs[k]
        fs = fr[lo + off[width - 1] : hi + off[width - 1]]
        ws = w[width - 1][lo:hi]
        for k in range(m):
            out[k] = (out[k] + ws[k] * fs[k]) / d
        return
    for k in range(lo, hi):
        acc = w[0][k] * fr[k + off[0]]
        for s in range(1, width):
            acc = acc + w[s][k] * fr[k + off[s]]
        orow[k] = acc / d


@chunk_kernel()
def _blocks3(
    lo,
    hi,
    f,
    o0,
    o1,
    o2,
    lo0,
    hi0,
    off0,
    w0,
    d0,
    lo1,
    hi1,
    off1,
    w1,
    d1,
    lo2,
    hi2,
    off2,
    w2,
    d2,
    inplace2,
):
    # Up to three axes of a 3-D array in one pass over f: out_a[p] = sum_s w_a[s][p_a] f[p +
    # off_a[s] along axis a] / d_a for lo_a <= p_a < hi_a. Offsets and weight columns come as
    # tuples, so the stencil width is a compile-time constant and the sums unroll; an
    # inactive axis has lo == hi. Chunk t is the line f[t // n1, t % n1, :].
    n1, n2 = f.shape[1], f.shape[2]
    for t in range(lo, hi):
        i = t // n1
        j = t - i * n1
        if lo0 <= i < hi0:
            for k in range(n2):
                acc0 = w0[0][i] * f[i + off0[0], j, k]
                for s in range(1, len(w0)):
                    acc0 = acc0 + w0[s][i] * f[i + off0[s], j, k]
                o0[i, j, k] = acc0 / d0
        if lo1 <= j < hi1:
            for k in range(n2):
                acc1 = w1[0][j] * f[i, j + off1[0], k]
                for s in range(1, len(w1)):
                    acc1 = acc1 + w1[s][j] * f[i, j + off1[s], k]
                o1[i, j, k] = acc1 / d1
        if hi2 > lo2:
            _contiguous_axis(f[i, j], o2[i, j], lo2, hi2, off2, w2, d2, inplace2)


@chunk_kernel()
def _rows_last(lo, hi, f, out, positions, index, weights, divisor):
    # Per-row stencils along the contiguous axis (post == 1); chunk i is the line f[i, :, 0].
    rows, width = index.shape
    for i in range(lo, hi):
        for q in range(rows):
            acc = weights[q, 0] * f[i, index[q, 0], 0]
            for s in range(1, width):
                acc = acc + weights[q, s] * f[i, index[q, s], 0]
            out[i, positions[q], 0] = acc / divisor[q]


LINE_CHUNK = 16_384
"""Outputs per chunk of :func:`apply_line`."""


@chunk_kernel()
def _line(lo, hi, f, out, start, stop, off, w, d, inplace):
    # A uniform block along one line: out[j] = sum_s w[s] f[j + off[s]] / d for start <= j
    # < stop, with scalar weights; chunk c is positions start + c * LINE_CHUNK onwards.
    # As in _contiguous_axis, with ``inplace`` the sum runs term by term over the chunk
    # (vectorised; the same left-to-right order), else in a register per output.
    width = len(w)
    for c in range(lo, hi):
        first = start + c * LINE_CHUNK
        last = min(stop, first + LINE_CHUNK)
        m = last - first
        if inplace and width >= 2:
            o = out[first:last]
            fa = f[first + off[0] : last + off[0]]
            fb = f[first + off[1] : last + off[1]]
            wa = w[0]
            wb = w[1]
            if width == 2:
                for k in range(m):
                    o[k] = (wa * fa[k] + wb * fb[k]) / d
                continue
            for k in range(m):
                o[k] = wa * fa[k] + wb * fb[k]
            for s in range(2, width - 1):
                fs = f[first + off[s] : last + off[s]]
                ws = w[s]
                for k in range(m):
                    o[k] = o[k] + ws * fs[k]
            fs = f[first + off[width - 1] : last + off[width - 1]]
            ws = w[width - 1]
            for k in range(m):
                o[k] = (o[k] + ws * fs[k]) / d
            continue
        for j in range(first, last):
            acc = w[0] * f[j + off[0]]
            for s in range(1, width):
                acc = acc + w[s] * f[j + off[s]]
            out[j] = acc / d


def apply_line(f, out, block):
    """Apply the uniform ``block`` to the 1-D array ``f`` (positions ``lo`` to ``hi``)."""
    count = block.hi - block.lo
    if count <= 0:
        return
    off, w, d = block.uniform_args
    inplace = np.result_type(w[0].dtype, f.dtype, d.dtype) == out.dtype
    nchunks = (count + LINE_CHUNK - 1) // LINE_CHUNK
    work = count * len(off)
    run_chunks(_line, nchunks, work, f, out, block.lo, block.hi, off, w, d, inplace)


def apply_rows(f3, out3, positions, index, weights, divisor):
    """Write ``out3[:, positions, :]`` from per-row stencils (indices already in range)."""
    pre, _, post = f3.shape
    rows, width = index.shape
    work = pre * rows * post * width
    if post == 1:
        run_chunks(_rows_last, pre, work, f3, out3, positions, index, weights, divisor)
    else:
        run_chunks(_rows, pre * rows, work, f3, out3, positions, index, weights, divisor)


def apply_blocks3(f3, outs, blocks):
    """Apply up to three blocks, one per axis of the 3-D array ``f3``, in one pass.

    ``outs[a]`` receives axis ``a``'s block; ``blocks[a]`` is None for an axis left alone.
    Blocks of one stencil width share a pass; an inactive axis gets arguments of the active
    ones' types and width (with an empty range), so each width compiles one version only.
    """
    active = [a for a in range(3) if blocks[a] is not None and blocks[a].hi > blocks[a].lo]
    widths = {len(blocks[a].offsets) for a in active}
    for width in sorted(widths):
        axes = [a for a in active if len(blocks[a].offsets) == width]
        first = blocks[axes[0]]
        dummy = (np.empty((0, 0, 0), dtype=outs[axes[0]].dtype), 0, 0, *first.kernel_args)
        dummy = dummy[:3] + ((0,) * width,) + dummy[4:]
        args = []
        for a in range(3):
            if a in axes:
                b = blocks[a]
                args += (outs[a], b.lo, b.hi, *b.kernel_args)
            else:
                args += dummy
        (o0, lo0, hi0, off0, w0, d0, o1, lo1, hi1, off1, w1, d1, o2, lo2, hi2, off2, w2, d2) = args
        arithmetic = np.result_type(w2[0].dtype, f3.dtype, d2.dtype)
        n0, n1 = f3.shape[:2]
        size = f3.size
        # outputs x stencil width, over the axes of this pass
        work = width * sum(size // f3.shape[a] * (blocks[a].hi - blocks[a].lo) for a in axes)
        run_chunks(
            _blocks3,
            n0 * n1,
            work,
            f3,
            o0,
            o1,
            o2,
            lo0,
            hi0,
            off0,
            w0,
            d0,
            lo1,
            hi1,
            off1,
            w1,
            d1,
            lo2,
            hi2,
            off2,
            w2,
            d2,
            arithmetic == o2.dtype,
        )
