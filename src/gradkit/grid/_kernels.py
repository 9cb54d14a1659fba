"""Numba kernels for grid interpolants: values, gradients and Hessians in one pass.

Every kernel works on a flattened problem:

- ``xi``: (m, d) float64 query points (C order);
- per-axis grid metadata: ``gflat`` (all grid coordinates concatenated, followed by
  the inverse cell widths ``1 / (g[i+1] - g[i])`` in the same layout, so the second
  half starts at ``gflat.shape[0] // 2``; kernels multiply, never divide), ``goff``
  (offsets), ``gn`` (lengths), ``guni`` (1 if the axis is uniform), ``gx0``/``ginvh``
  (first point and inverse spacing of uniform axes, used only as a first guess);
- extrapolation modes per axis and side (``mlo``/``mhi``): 0 continue the edge
  polynomial, 1 clamp (nearest), 2 periodic.  Fill values and errors are handled by the
  caller;
- data or coefficients as a (N, nv) float64 array with per-axis strides ``vstr``;
- outputs allocated by the caller: values (m, nv), gradient (m, nv, d), Hessian
  (m, nv, d, d); ``order`` says how many of them to fill (0, 1 or 2);
- ``oob`` (the linear 2-D/3-D and cubic 2-D/3-D kernels only): an (nchunks, d, 2) int8
  array, zeroed by the caller, in which the kernel records queries below / above the grid
  per chunk, axis and side, so that the caller's bounds check needs no second pass.

The two-pass kernels locate a block of points first and then gather their data; pass 1
prefetches each point's data (`_prefetch`, a hint that never faults) as soon as it is
located.

The grid cell of a coordinate is the one scipy's ``find_indices`` picks: the largest
``i`` in ``[0, n - 2]`` with ``g[i] <= x`` (a point on an interior grid line belongs to
the cell on its right; the last grid point belongs to the last cell).

Kernels are chunk kernels (`gradkit._parallel`): serial, GIL-free, over a range of chunk
indices, run on gradkit's threads by `run_chunks`; scratch arrays are allocated once per
chunk, never per point.  No kernel validates its input.
"""

from __future__ import annotations

import numba as nb
import numpy as np
from llvmlite import ir
from numba.core import cgutils, types
from numba.extending import intrinsic

from .._parallel import chunk_kernel

MODE_EXTRAPOLATE = 0
MODE_CLAMP = 1
MODE_PERIODIC = 2
_BLK = 64  # points per locate/gather block in the two-pass kernels
_BLK_CUBIC = 32  # the same for tricubic blocks (32 prefetched lines per point)


@intrinsic
def _prefetch(typingctx, arr, idx):
    """Hint the CPU to start loading ``arr[idx]`` into cache (LLVM's ``prefetch``).

    A hint, not a load: it never faults and never changes a result.  The two-pass kernels
    issue it for the data of each point as soon as pass 1 knows its cell, so that the
    loads of many points are in flight while pass 1 works on the next ones.
    """
    sig = types.void(arr, idx)

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [args[1]], wraparound=False)
        i8p = builder.bitcast(ptr, ir.IntType(8).as_pointer())
        opaque = getattr(i8p.type, "is_opaque", False)
        i32 = ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [i8p.type, i32, i32, i32])
        name = "llvm.prefetch.p0" if opaque else "llvm.prefetch.p0i8"
        fn = cgutils.get_or_insert_function(builder.module, fnty, name)
        # read access, high temporal locality, data cache
        builder.call(fn, [i8p, ir.Constant(i32, 0), ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return sig, codegen


@nb.njit(cache=True, inline="always")
def _locate(gflat, off, n, uni, x0, invh, x):
    """Cell index ``i`` in ``[0, n - 2]`` with ``g[i] <= x < g[i + 1]`` (clamped)."""
    if uni:
        f = (x - x0) * invh
        if f <= 0.0:
            i = 0
        elif f >= n - 2:
            i = n - 2
        else:
            i = int(f)
        while i < n - 2 and x >= gflat[off + i + 1]:
            i += 1
        while i > 0 and x < gflat[off + i]:
            i -= 1
        return i
    lo = 0
    hi = n - 2
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if gflat[off + mid] <= x:
            lo = mid
        else:
            hi = mid - 1
    return lo


@nb.njit(cache=True, inline="always")
def _map_coord(x, lo, hi, mlo, mhi):
    """Apply the extrapolation mode; return the mapped coordinate and d(mapped)/dx."""
    if x < lo:
        if mlo == 1:
            return lo, 0.0
        if mlo == 2:
            y = lo + (x - lo) % (hi - lo)
            return y, 1.0
    elif x > hi:
        if mhi == 1:
            return hi, 0.0
        if mhi == 2:
            y = lo + (x - lo) % (hi - lo)
            return y, 1.0
    return x, 1.0


@nb.njit(cache=True, inline="always")
def _note_oob(oob, ch, a, x, lo, hi):
    """Record in ``oob[ch, a, side]`` that ``x`` lies below ``lo`` / above ``hi`` (the
    bounds check of ``bounds_error=True`` and fill values, fused into the kernels that
    take an ``oob`` array; NaN never counts)."""
    if x < lo:
        oob[ch, a, 0] = 1
    elif x > hi:
        oob[ch, a, 1] = 1


@nb.njit(cache=True, inline="always")
def _has_nan(xi, p, d):
    for a in range(d):
        if xi[p, a] != xi[p, a]:
            return True
    return False


@nb.njit(cache=True, inline="always")
def _fill_nan(out_v, out_g, out_h, p, order):
    nv = out_v.shape[1]
    d = out_g.shape[2]
    for c in range(nv):
        out_v[p, c] = np.nan
        if order >= 1:
            for a in range(d):
                out_g[p, c, a] = np.nan
        if order >= 2:
            for a in range(d):
                for b in range(d):
                    out_h[p, c, a, b] = np.nan


# ---------------------------------------------------------------------------------
# tensor contraction shared by the multilinear and B-spline kernels
# ---------------------------------------------------------------------------------
#
# The interpolant near a point is sum_{i_0..i_{d-1}} c[i] * prod_a B_a[i_a] with
# per-axis basis tables B[a, r, i] (r = derivative order 0..2).  The sum is contracted
# axis by axis, last axis fastest, with accumulators acc[level, pattern, component]:
# level a holds partial sums over axes a..d-1 for every derivative pattern that only
# involves those axes (pattern 0: value; 1 + j: d/dx_j; 1 + d + j*d + l: d2/dx_j dx_l,
# j <= l).  Folding level a+1 into level a costs O(patterns on axes >= a), so a point
# costs about 3 * prod(rad) flops for the value and gradient -- no per-corner products.


@nb.njit(cache=True, inline="always")
def _fold(acc, lev, a, bi, B, order, d, nv):
    """acc[lev] (axes a..d-1) += basis(a, bi) x acc[lev + 1] (axes a+1..d-1)."""
    b0 = B[a, 0, bi]
    for c in range(nv):
        acc[lev, 0, c] += b0 * acc[lev + 1, 0, c]
    if order >= 1:
        b1 = B[a, 1, bi]
        for c in range(nv):
            acc[lev, 1 + a, c] += b1 * acc[lev + 1, 0, c]
        for j in range(a + 1, d):
            for c in range(nv):
                acc[lev, 1 + j, c] += b0 * acc[lev + 1, 1 + j, c]
        if order >= 2:
            b2 = B[a, 2, bi]
            q = 1 + d + a * d + a
            for c in range(nv):
                acc[lev, q, c] += b2 * acc[lev + 1, 0, c]
            for l in range(a + 1, d):
                q = 1 + d + a * d + l
                for c in range(nv):
                    acc[lev, q, c] += b1 * acc[lev + 1, 1 + l, c]
            for j in range(a + 1, d):
                for l in range(j, d):
                    q = 1 + d + j * d + l
                    for c in range(nv):
                        acc[lev, q, c] += b0 * acc[lev + 1, q, c]


@nb.njit(cache=True, inline="always")
def _clear(acc, lev, a, order, d, nv):
    for c in range(nv):
        acc[lev, 0, c] = 0.0
    if order >= 1:
        for j in range(a, d):
            for c in range(nv):
                acc[lev, 1 + j, c] = 0.0
        if order >= 2:
            for j in range(a, d):
                for l in range(j, d):
                    for c in range(nv):
                        acc[lev, 1 + d + j * d + l, c] = 0.0


@nb.njit(cache=True, inline="always")
def _contract(p, B, rad, cbase, vstr, coef, order, acc, cnt, fac, d, out_v, out_g, out_h):
    nv = coef.shape[1]
    last = d - 1
    for a in range(d):
        cnt[a] = 0
        _clear(acc, a, a, order, d, nv)
    nfib = 1
    for a in range(last):
        nfib *= rad[a]
    idx = 0
    for a in range(d):
        idx += cbase[a]
    rl = rad[last]
    sl = vstr[last]
    qh = 1 + d + last * d + last
    for _fib in range(nfib):
        # the last axis is contracted directly into level d-1
        for c in range(nv):
            z0 = 0.0
            z1 = 0.0
            z2 = 0.0
            for q in range(rl):
                cc = coef[idx + q * sl, c]
                z0 += cc * B[last, 0, q]
                if order >= 1:
                    z1 += cc * B[last, 1, q]
                    if order >= 2:
                        z2 += cc * B[last, 2, q]
            acc[last, 0, c] = z0
            if order >= 1:
                acc[last, 1 + last, c] = z1
                if order >= 2:
                    acc[last, qh, c] = z2
        if last == 0:
            break
        _fold(acc, last - 1, last - 1, cnt[last - 1], B, order, d, nv)
        # advance the counter over axes 0..d-2; fold finished levels upwards
        a = last - 1
        while a >= 0:
            cnt[a] += 1
            idx += vstr[a]
            if cnt[a] < rad[a]:
                break
            idx -= rad[a] * vstr[a]
            cnt[a] = 0
            if a > 0:
                _fold(acc, a - 1, a - 1, cnt[a - 1], B, order, d, nv)
                _clear(acc, a, a, order, d, nv)
            a -= 1
    for c in range(nv):
        out_v[p, c] = acc[0, 0, c]
    if order >= 1:
        for j in range(d):
            for c in range(nv):
                out_g[p, c, j] = acc[0, 1 + j, c] * fac[j]
    if order >= 2:
        for j in range(d):
            for l in range(j, d):
                for c in range(nv):
                    hv = acc[0, 1 + d + j * d + l, c] * fac[j] * fac[l]
                    out_h[p, c, j, l] = hv
                    out_h[p, c, l, j] = hv


@nb.njit(cache=True, inline="always")
def _fill_nan_vg(out_v, out_g, p, order):
    for c in range(out_v.shape[1]):
        out_v[p, c] = np.nan
        if order >= 1:
            for a in range(out_g.shape[2]):
                out_g[p, c, a] = np.nan


@nb.njit(cache=True, inline="always")
def _reduce_vg(p, B, R, cbase, vstr, coef, order, buf, G, cnt, fac, d, out_v, out_g):
    """Value (+ gradient) by gathering the R**d neighbourhood and halving it axis by
    axis (last axis first) in place; gradient buffers ride along.  Same radix R on
    every axis."""
    nv = coef.shape[1]
    ntot = 1
    for _a in range(d):
        ntot *= R
    for c in range(nv):
        # gather in C order (last axis fastest), incremental index
        idx = 0
        for a in range(d):
            idx += cbase[a]
        for a in range(d):
            cnt[a] = 0
        sl = vstr[d - 1]
        w = 0
        while True:
            for q in range(R):
                buf[w + q] = coef[idx + q * sl, c]
            w += R
            a = d - 2
            while a >= 0:
                cnt[a] += 1
                idx += vstr[a]
                if cnt[a] < R:
                    break
                cnt[a] = 0
                idx -= R * vstr[a]
                a -= 1
            if a < 0:
                break
        size = ntot
        for a in range(d - 1, -1, -1):
            nsize = size // R
            for kk in range(nsize):
                b = kk * R
                s0 = 0.0
                s1 = 0.0
                for q in range(R):
                    vv = buf[b + q]
                    s0 += B[a, 0, q] * vv
                    if order >= 1:
                        s1 += B[a, 1, q] * vv
                if order >= 1:
                    for j in range(a + 1, d):
                        g = 0.0
                        for q in range(R):
                            g += B[a, 0, q] * G[j, b + q]
                        G[j, kk] = g
                    G[a, kk] = s1
                buf[kk] = s0
            size = nsize
        out_v[p, c] = buf[0]
        if order >= 1:
            for j in range(d):
                out_g[p, c, j] = G[j, 0] * fac[j]


@chunk_kernel(error_model="numpy")
def linear_eval_vg(
    ch0,
    ch1,
    xi,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    vals,
    vstr,
    order,
    out_v,
    out_g,
    nchunks,
):
    """Multilinear value (+ gradient), any ndim, every axis with >= 2 points."""
    m, d = xi.shape
    chunk = (m + nchunks - 1) // nchunks
    ntot = 1 << d
    for ch in range(ch0, ch1):
        B = np.zeros((d, 3, 2))
        cbase = np.empty(d, np.int64)
        fac = np.empty(d)
        buf = np.empty(ntot)
        G = np.empty((d, ntot))
        cnt = np.empty(d, np.int64)
        start = ch * chunk
        stop = min(m, start + chunk)
        for p in range(start, stop):
            if _has_nan(xi, p, d):
                _fill_nan_vg(out_v, out_g, p, order)
                continue
            half = gflat.shape[0] >> 1
            for a in range(d):
                n = gn[a]
                off = goff[a]
                x, f = _map_coord(xi[p, a], gflat[off], gflat[off + n - 1], mlo[a], mhi[a])
                i = _locate(gflat, off, n, guni[a], gx0[a], ginvh[a], x)
                inv = gflat[half + off + i]
                t = (x - gflat[off + i]) * inv
                B[a, 0, 0] = 1.0 - t
                B[a, 0, 1] = t
                B[a, 1, 0] = -inv
                B[a, 1, 1] = inv
                fac[a] = f
                cbase[a] = i * vstr[a]
            _reduce_vg(p, B, 2, cbase, vstr, vals, order, buf, G, cnt, fac, d, out_v, out_g)


@chunk_kernel(error_model="numpy")
def spline_eval_vg(
    ch0,
    ch1,
    xi,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    tflat,
    toff,
    ncoef,
    k,
    coef,
    vstr,
    order,
    out_v,
    out_g,
    nchunks,
):
    """Tensor-product B-spline value (+ gradient), any ndim."""
    m, d = xi.shape
    chunk = (m + nchunks - 1) // nchunks
    kp1 = k + 1
    ntot = kp1**d
    for ch in range(ch0, ch1):
        B = np.zeros((d, 3, kp1))
        fac = np.empty(d)
        cbase = np.empty(d, np.int64)
        ndu = np.empty((kp1, kp1))
        aa = np.empty((2, kp1))
        left = np.empty(kp1)
        right = np.empty(kp1)
        buf = np.empty(ntot)
        G = np.empty((d, ntot))
        cnt = np.empty(d, np.int64)
        start = ch * chunk
        stop = min(m, start + chunk)
        for p in range(start, stop):
            if _has_nan(xi, p, d):
                _fill_nan_vg(out_v, out_g, p, order)
                continue
            _spline_setup(
                xi,
                p,
                d,
                gflat,
                goff,
                gn,
                guni,
                gx0,
                ginvh,
                mlo,
                mhi,
                tflat,
                toff,
                ncoef,
                k,
                order,
                B,
                fac,
                cbase,
                ndu,
                aa,
                left,
                right,
                vstr,
            )
            _reduce_vg(p, B, kp1, cbase, vstr, coef, order, buf, G, cnt, fac, d, out_v, out_g)


# ---------------------------------------------------------------------------------
# multilinear
# ---------------------------------------------------------------------------------


@chunk_kernel(error_model="numpy")
def linear_eval(
    ch0,
    ch1,
    xi,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    vals,
    vstr,
    order,
    out_v,
    out_g,
    out_h,
    nchunks,
):
    """Multilinear value (+ gradient, + Hessian) for any number of dimensions."""
    m, d = xi.shape
    nv = vals.shape[1]
    chunk = (m + nchunks - 1) // nchunks
    npat = 1 + d + d * d
    for ch in range(ch0, ch1):
        B = np.zeros((d, 3, 2))
        rad = np.empty(d, np.int64)
        cbase = np.empty(d, np.int64)
        cnt = np.empty(d, np.int64)
        fac = np.empty(d)
        acc = np.empty((d + 1, npat, nv))
        start = ch * chunk
        stop = min(m, start + chunk)
        for p in range(start, stop):
            if _has_nan(xi, p, d):
                _fill_nan(out_v, out_g, out_h, p, order)
                continue
            for a in range(d):
                n = gn[a]
                off = goff[a]
                if n == 1:
                    rad[a] = 1
                    cbase[a] = 0
                    B[a, 0, 0] = 1.0
                    B[a, 1, 0] = 0.0
                    fac[a] = 0.0
                    continue
                lo = gflat[off]
                hi = gflat[off + n - 1]
                x, f = _map_coord(xi[p, a], lo, hi, mlo[a], mhi[a])
                i = _locate(gflat, off, n, guni[a], gx0[a], ginvh[a], x)
                g0 = gflat[off + i]
                inv = gflat[(gflat.shape[0] >> 1) + off + i]
                t = (x - g0) * inv
                B[a, 0, 0] = 1.0 - t
                B[a, 0, 1] = t
                B[a, 1, 0] = -inv
                B[a, 1, 1] = inv
                rad[a] = 2
                fac[a] = f
                cbase[a] = i * vstr[a]
            _contract(p, B, rad, cbase, vstr, vals, order, acc, cnt, fac, d, out_v, out_g, out_h)


@nb.njit(cache=True, inline="always")
def _locate_fast(gflat, off, n, uni, x0, invh, x):
    """Same cell as `_locate`; on uniform axes the first guess is checked against its
    two neighbouring grid points once, and the correction loops only run when the guess
    is off (never, to rounding, on an equispaced axis).  Keeping the common path free of
    loops lets the compiler keep several points' memory loads in flight."""
    if uni:
        f = (x - x0) * invh
        i = 0
        if f >= n - 2:
            i = n - 2
        elif f > 0.0:
            i = int(f)
        if i < n - 2 and x >= gflat[off + i + 1]:
            i += 1
            while i < n - 2 and x >= gflat[off + i + 1]:
                i += 1
        elif i > 0 and x < gflat[off + i]:
            i -= 1
            while i > 0 and x < gflat[off + i]:
                i -= 1
        return i
    lo = 0
    hi = n - 2
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if gflat[off + mid] <= x:
            lo = mid
        else:
            hi = mid - 1
    return lo


@nb.njit(cache=True, inline="always")
def _cell1(x, gflat, half, off, n, uni, x0, invh, ml, mh):
    """Mapped coordinate -> (cell, local t in [0, 1], 1 / cell width, d(mapped)/dx)."""
    x, f = _map_coord(x, gflat[off], gflat[off + n - 1], ml, mh)
    i = _locate_fast(gflat, off, n, uni, x0, invh, x)
    h = gflat[half + off + i]
    t = (x - gflat[off + i]) * h
    return i, t, h, f


@chunk_kernel(error_model="numpy")
def linear_eval_3d(
    ch0,
    ch1,
    xi,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    vals,
    vstr,
    order,
    out_v,
    out_g,
    nchunks,
    oob,
):
    """Trilinear value (+ gradient); every axis has at least 2 points.

    Values and outputs are addressed through flat views, with one loop over points per
    (order, nv == 1) case, so the hot loops carry no inner component loop and no
    per-point branch on ``order``.  Out-of-bounds queries are recorded in ``oob``
    (``(nchunks, 3, 2)``, see `_note_oob`).
    """
    m = xi.shape[0]
    nv = vals.shape[1]
    n0 = gn[0]
    n1 = gn[1]
    n2 = gn[2]
    o0 = goff[0]
    o1 = goff[1]
    o2 = goff[2]
    u0 = guni[0]
    u1 = guni[1]
    u2 = guni[2]
    x00 = gx0[0]
    x01 = gx0[1]
    x02 = gx0[2]
    ih0 = ginvh[0]
    ih1 = ginvh[1]
    ih2 = ginvh[2]
    ml0 = mlo[0]
    ml1 = mlo[1]
    ml2 = mlo[2]
    mh0 = mhi[0]
    mh1 = mhi[1]
    mh2 = mhi[2]
    lo0 = gflat[o0]
    lo1 = gflat[o1]
    lo2 = gflat[o2]
    hi0 = gflat[o0 + n0 - 1]
    hi1 = gflat[o1 + n1 - 1]
    hi2 = gflat[o2 + n2 - 1]
    half = gflat.shape[0] >> 1
    s0 = vstr[0] * nv
    s1 = vstr[1] * nv
    s2 = vstr[2] * nv
    vf = vals.reshape(vals.size)
    ov = out_v.reshape(out_v.size)
    og = out_g.reshape(out_g.size)
    chunk = (m + nchunks - 1) // nchunks
    if nv == 1:
        # two passes per block of points: locate (branchy, long) then gather and
        # blend (short, loads only); the short second loop lets the CPU keep the
        # corner loads of many points in flight instead of one point's
        for ch in range(ch0, ch1):
            bb = np.empty(_BLK, np.int64)
            tt = np.empty((3, _BLK))
            hh = np.empty((3, _BLK))
            start = ch * chunk
            stop = min(m, start + chunk)
            for p0 in range(start, stop, _BLK):
                nb_ = min(_BLK, stop - p0)
                for r in range(nb_):
                    p = p0 + r
                    xa = xi[p, 0]
                    ya = xi[p, 1]
                    za = xi[p, 2]
                    if xa != xa or ya != ya or za != za:
                        bb[r] = -1
                        continue
                    _note_oob(oob, ch, 0, xa, lo0, hi0)
                    _note_oob(oob, ch, 1, ya, lo1, hi1)
                    _note_oob(oob, ch, 2, za, lo2, hi2)
                    i, tx, hx, fx = _cell1(xa, gflat, half, o0, n0, u0, x00, ih0, ml0, mh0)
                    j, ty, hy, fy = _cell1(ya, gflat, half, o1, n1, u1, x01, ih1, ml1, mh1)
                    k, tz, hz, fz = _cell1(za, gflat, half, o2, n2, u2, x02, ih2, ml2, mh2)
                    b = i * s0 + j * s1 + k * s2
                    bb[r] = b
                    _prefetch(vf, b)  # the 8 corners: 4 pairs along the last axis
                    _prefetch(vf, b + s1)
                    _prefetch(vf, b + s0)
                    _prefetch(vf, b + s0 + s1)
                    tt[0, r] = tx
                    tt[1, r] = ty
                    tt[2, r] = tz
                    hh[0, r] = hx * fx
                    hh[1, r] = hy * fy
                    hh[2, r] = hz * fz
                if order == 0:
                    for r in range(nb_):
                        b = bb[r]
                        if b < 0:
                            ov[p0 + r] = np.nan
                            continue
                        tx = tt[0, r]
                        ty = tt[1, r]
                        tz = tt[2, r]
                        uz = 1.0 - tz
                        uy = 1.0 - ty
                        a00 = vf[b] * uz + vf[b + s2] * tz
                        a01 = vf[b + s1] * uz + vf[b + s1 + s2] * tz
                        a10 = vf[b + s0] * uz + vf[b + s0 + s2] * tz
                        a11 = vf[b + s0 + s1] * uz + vf[b + s0 + s1 + s2] * tz
                        b0 = a00 * uy + a01 * ty
                        b1 = a10 * uy + a11 * ty
                        ov[p0 + r] = b0 * (1.0 - tx) + b1 * tx
                else:
                    for r in range(nb_):
                        b = bb[r]
                        q = 3 * (p0 + r)
                        if b < 0:
                            ov[p0 + r] = np.nan
                            og[q] = np.nan
                            og[q + 1] = np.nan
                            og[q + 2] = np.nan
                            continue
                        tx = tt[0, r]
                        ty = tt[1, r]
                        tz = tt[2, r]
                        ux = 1.0 - tx
                        uy = 1.0 - ty
                        uz = 1.0 - tz
                        v000 = vf[b]
                        v001 = vf[b + s2]
                        v010 = vf[b + s1]
                        v011 = vf[b + s1 + s2]
                        v100 = vf[b + s0]
                        v101 = vf[b + s0 + s2]
                        v110 = vf[b + s0 + s1]
                        v111 = vf[b + s0 + s1 + s2]
                        a00 = v000 * uz + v001 * tz
                        a01 = v010 * uz + v011 * tz
                        a10 = v100 * uz + v101 * tz
                        a11 = v110 * uz + v111 * tz
                        b0 = a00 * uy + a01 * ty
                        b1 = a10 * uy + a11 * ty
                        ov[p0 + r] = b0 * ux + b1 * tx
                        og[q] = (b1 - b0) * hh[0, r]
                        og[q + 1] = ((a01 - a00) * ux + (a11 - a10) * tx) * hh[1, r]
                        d00 = v001 - v000
                        d01 = v011 - v010
                        d10 = v101 - v100
                        d11 = v111 - v110
                        og[q + 2] = ((d00 * uy + d01 * ty) * ux + (d10 * uy + d11 * ty) * tx) * hh[
                            2, r
                        ]
        return
    for ch in range(ch0, ch1):
        start = ch * chunk
        stop = min(m, start + chunk)
        for p in range(start, stop):
            xa = xi[p, 0]
            ya = xi[p, 1]
            za = xi[p, 2]
            if xa != xa or ya != ya or za != za:
                for c in range(nv):
                    out_v[p, c] = np.nan
                    if order >= 1:
                        out_g[p, c, 0] = np.nan
                        out_g[p, c, 1] = np.nan
                        out_g[p, c, 2] = np.nan
                continue
            _note_oob(oob, ch, 0, xa, lo0, hi0)
            _note_oob(oob, ch, 1, ya, lo1, hi1)
            _note_oob(oob, ch, 2, za, lo2, hi2)
            i, tx, hx, fx = _cell1(xa, gflat, half, o0, n0, u0, x00, ih0, ml0, mh0)
            j, ty, hy, fy = _cell1(ya, gflat, half, o1, n1, u1, x01, ih1, ml1, mh1)
            k, tz, hz, fz = _cell1(za, gflat, half, o2, n2, u2, x02, ih2, ml2, mh2)
            b = i * s0 + j * s1 + k * s2
            ux = 1.0 - tx
            uy = 1.0 - ty
            uz = 1.0 - tz
            for c in range(nv):
                bc = b + c
                v000 = vf[bc]
                v001 = vf[bc + s2]
                v010 = vf[bc + s1]
                v011 = vf[bc + s1 + s2]
                v100 = vf[bc + s0]
                v101 = vf[bc + s0 + s2]
                v110 = vf[bc + s0 + s1]
                v111 = vf[bc + s0 + s1 + s2]
                a00 = v000 * uz + v001 * tz
                a01 = v010 * uz + v011 * tz
                a10 = v100 * uz + v101 * tz
                a11 = v110 * uz + v111 * tz
                b0 = a00 * uy + a01 * ty
                b1 = a10 * uy + a11 * ty
                out_v[p, c] = b0 * ux + b1 * tx
                if order >= 1:
                    out_g[p, c, 0] = (b1 - b0) * hx * fx
                    out_g[p, c, 1] = ((a01 - a00) * ux + (a11 - a10) * tx) * hy * fy
                    d00 = v001 - v000
                    d01 = v011 - v010
                    d10 = v101 - v100
                    d11 = v111 - v110
                    out_g[p, c, 2] = (
                        ((d00 * uy + d01 * ty) * ux + (d10 * uy + d11 * ty) * tx) * hz * fz
                    )


@chunk_kernel(error_model="numpy")
def linear_eval_2d(
    ch0,
    ch1,
    xi,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    vals,
    vstr,
    order,
    out_v,
    out_g,
    nchunks,
    oob,
):
    """Bilinear value (+ gradient); both axes have at least 2 points.

    Single-component data take a two-pass path per block of points (locate, then
    gather and blend), as in `linear_eval_3d`.  Out-of-bounds queries are recorded in
    ``oob`` (see `_note_oob`).
    """
    m = xi.shape[0]
    nv = vals.shape[1]
    chunk = (m + nchunks - 1) // nchunks
    n0 = gn[0]
    n1 = gn[1]
    o0 = goff[0]
    o1 = goff[1]
    s0 = vstr[0]
    s1 = vstr[1]
    lo0 = gflat[o0]
    lo1 = gflat[o1]
    hi0 = gflat[o0 + n0 - 1]
    hi1 = gflat[o1 + n1 - 1]
    if nv == 1:
        half = gflat.shape[0] >> 1
        u0 = guni[0]
        u1 = guni[1]
        x00 = gx0[0]
        x01 = gx0[1]
        ih0 = ginvh[0]
        ih1 = ginvh[1]
        ml0 = mlo[0]
        ml1 = mlo[1]
        mh0 = mhi[0]
        mh1 = mhi[1]
        vf = vals.reshape(vals.size)
        ov = out_v.reshape(out_v.size)
        og = out_g.reshape(out_g.size)
        for ch in range(ch0, ch1):
            bb = np.empty(_BLK, np.int64)
            tt = np.empty((2, _BLK))
            hh = np.empty((2, _BLK))
            start = ch * chunk
            stop = min(m, start + chunk)
            for p0 in range(start, stop, _BLK):
                nb_ = min(_BLK, stop - p0)
                for r in range(nb_):
                    p = p0 + r
                    xa = xi[p, 0]
                    ya = xi[p, 1]
                    if xa != xa or ya != ya:
                        bb[r] = -1
                        continue
                    _note_oob(oob, ch, 0, xa, lo0, hi0)
                    _note_oob(oob, ch, 1, ya, lo1, hi1)
                    i, tx, hx, fx = _cell1(xa, gflat, half, o0, n0, u0, x00, ih0, ml0, mh0)
                    j, ty, hy, fy = _cell1(ya, gflat, half, o1, n1, u1, x01, ih1, ml1, mh1)
                    b = i * s0 + j * s1
                    bb[r] = b
                    _prefetch(vf, b)  # the 4 corners: 2 pairs along the last axis
                    _prefetch(vf, b + s0)
                    tt[0, r] = tx
                    tt[1, r] = ty
                    hh[0, r] = hx * fx
                    hh[1, r] = hy * fy
                if order == 0:
                    for r in range(nb_):
                        b = bb[r]
                        if b < 0:
                            ov[p0 + r] = np.nan
                            continue
                        tx = tt[0, r]
                        ty = tt[1, r]
                        uy = 1.0 - ty
                        a0 = vf[b] * uy + vf[b + s1] * ty
                        a1 = vf[b + s0] * uy + vf[b + s0 + s1] * ty
                        ov[p0 + r] = a0 * (1.0 - tx) + a1 * tx
                else:
                    for r in range(nb_):
                        b = bb[r]
                        q = 2 * (p0 + r)
                        if b < 0:
                            ov[p0 + r] = np.nan
                            og[q] = np.nan
                            og[q + 1] = np.nan
                            continue
                        tx = tt[0, r]
                        ty = tt[1, r]
                        ux = 1.0 - tx
                        uy = 1.0 - ty
                        v00 = vf[b]
                        v01 = vf[b + s1]
                        v10 = vf[b + s0]
                        v11 = vf[b + s0 + s1]
                        a0 = v00 * uy + v01 * ty
                        a1 = v10 * uy + v11 * ty
                        ov[p0 + r] = a0 * ux + a1 * tx
                        og[q] = (a1 - a0) * hh[0, r]
                        og[q + 1] = ((v01 - v00) * ux + (v11 - v10) * tx) * hh[1, r]
        return
    for ch in range(ch0, ch1):
        start = ch * chunk
        stop = min(m, start + chunk)
        for p in range(start, stop):
            xa = xi[p, 0]
            ya = xi[p, 1]
            if xa != xa or ya != ya:
                for c in range(nv):
                    out_v[p, c] = np.nan
                    if order >= 1:
                        out_g[p, c, 0] = np.nan
                        out_g[p, c, 1] = np.nan
                continue
            _note_oob(oob, ch, 0, xa, lo0, hi0)
            _note_oob(oob, ch, 1, ya, lo1, hi1)
            x, fx = _map_coord(xa, lo0, hi0, mlo[0], mhi[0])
            y, fy = _map_coord(ya, lo1, hi1, mlo[1], mhi[1])
            i = _locate(gflat, o0, n0, guni[0], gx0[0], ginvh[0], x)
            j = _locate(gflat, o1, n1, guni[1], gx0[1], ginvh[1], y)
            gx = gflat[o0 + i]
            half = gflat.shape[0] >> 1
            hx = gflat[half + o0 + i]
            tx = (x - gx) * hx
            gy = gflat[o1 + j]
            hy = gflat[half + o1 + j]
            ty = (y - gy) * hy
            b = i * s0 + j * s1
            ux = 1.0 - tx
            uy = 1.0 - ty
            for c in range(nv):
                v00 = vals[b, c]
                v01 = vals[b + s1, c]
                v10 = vals[b + s0, c]
                v11 = vals[b + s0 + s1, c]
                a0 = v00 * uy + v01 * ty
                a1 = v10 * uy + v11 * ty
                out_v[p, c] = a0 * ux + a1 * tx
                if order >= 1:
                    out_g[p, c, 0] = (a1 - a0) * hx * fx
                    out_g[p, c, 1] = ((v01 - v00) * ux + (v11 - v10) * tx) * hy * fy


@chunk_kernel(fastmath={"contract"}, error_model="numpy")
def cubic_vg_2d(
    ch0,
    ch1,
    xi,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    tflat,
    toff,
    ncoef,
    coef,
    vstr,
    order,
    out_v,
    out_g,
    nchunks,
    oob,
):
    """Bicubic B-spline value (+ gradient when ``order`` is 1), in two passes per block of
    points as in `cubic_vg_3d`: `_cubic_locate_block`, then gather the 4x4 coefficients
    and contract (fused multiply-adds where the CPU has FMA).  Out-of-bounds queries are
    recorded in ``oob`` (see `_note_oob`).
    """
    m = xi.shape[0]
    nv = coef.shape[1]
    chunk = (m + nchunks - 1) // nchunks
    s0 = vstr[0]
    s1 = vstr[1]
    cf = coef.reshape(coef.size)
    for ch in range(ch0, ch1):
        W = np.empty((2, 4, _BLK_CUBIC))
        D = np.empty((2, 4, _BLK_CUBIC))
        F = np.empty((2, _BLK_CUBIC))
        bb = np.empty(_BLK_CUBIC, np.int64)
        start = ch * chunk
        stop = min(m, start + chunk)
        for p0 in range(start, stop, _BLK_CUBIC):
            nb_ = min(_BLK_CUBIC, stop - p0)
            _cubic_locate_block(
                xi,
                p0,
                nb_,
                2,
                gflat,
                goff,
                gn,
                guni,
                gx0,
                ginvh,
                mlo,
                mhi,
                tflat,
                toff,
                ncoef,
                vstr,
                W,
                D,
                F,
                bb,
                oob,
                ch,
                cf,
                nv,
            )
            for r in range(nb_):
                p = p0 + r
                b00 = bb[r]
                if b00 < 0:
                    for c in range(nv):
                        out_v[p, c] = np.nan
                        if order >= 1:
                            out_g[p, c, 0] = np.nan
                            out_g[p, c, 1] = np.nan
                    continue
                by0 = W[1, 0, r]
                by1 = W[1, 1, r]
                by2 = W[1, 2, r]
                by3 = W[1, 3, r]
                dy0 = D[1, 0, r]
                dy1 = D[1, 1, r]
                dy2 = D[1, 2, r]
                dy3 = D[1, 3, r]
                for c in range(nv):
                    v = 0.0
                    gx = 0.0
                    gy = 0.0
                    for i in range(4):
                        base = b00 + i * s0
                        c0 = coef[base, c]
                        c1 = coef[base + s1, c]
                        c2 = coef[base + 2 * s1, c]
                        c3 = coef[base + 3 * s1, c]
                        z0 = c0 * by0 + c1 * by1 + c2 * by2 + c3 * by3
                        v += W[0, i, r] * z0
                        if order >= 1:
                            z1 = c0 * dy0 + c1 * dy1 + c2 * dy2 + c3 * dy3
                            gx += D[0, i, r] * z0
                            gy += W[0, i, r] * z1
                    out_v[p, c] = v
                    if order >= 1:
                        out_g[p, c, 0] = gx * F[0, r]
                        out_g[p, c, 1] = gy * F[1, r]


# ---------------------------------------------------------------------------------
# nearest
# ---------------------------------------------------------------------------------


@chunk_kernel(error_model="numpy")
def nearest_eval(
    ch0,
    ch1,
    xi,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    vals,
    vstr,
    order,
    out_v,
    out_g,
    out_h,
    nchunks,
):
    """Nearest-neighbour value; gradient and Hessian are zero (NaN for NaN input)."""
    m, d = xi.shape
    nv = vals.shape[1]
    chunk = (m + nchunks - 1) // nchunks
    for ch in range(ch0, ch1):
        start = ch * chunk
        stop = min(m, start + chunk)
        for p in range(start, stop):
            if _has_nan(xi, p, d):
                _fill_nan(out_v, out_g, out_h, p, order)
                continue
            idx = 0
            for a in range(d):
                n = gn[a]
                off = goff[a]
                if n == 1:
                    continue
                lo = gflat[off]
                hi = gflat[off + n - 1]
                x, f = _map_coord(xi[p, a], lo, hi, mlo[a], mhi[a])
                i = _locate(gflat, off, n, guni[a], gx0[a], ginvh[a], x)
                g0 = gflat[off + i]
                tt = (x - g0) / (gflat[off + i + 1] - g0)
                if tt > 0.5:
                    i += 1
                idx += i * vstr[a]
            for c in range(nv):
                out_v[p, c] = vals[idx, c]
                if order >= 1:
                    for a in range(d):
                        out_g[p, c, a] = 0.0
                if order >= 2:
                    for a in range(d):
                        for b in range(d):
                            out_h[p, c, a, b] = 0.0


# ---------------------------------------------------------------------------------
# tensor-product B-splines (slinear, cubic, quintic)
# ---------------------------------------------------------------------------------


@nb.njit(cache=True, inline="always")
def _bspline_ders(t, toff, span, k, x, nder, ders, ndu, aa, left, right):
    """Values and derivatives up to ``nder`` of the ``k + 1`` B-splines nonzero on
    knot interval ``span`` at ``x`` (Piegl & Tiller, The NURBS Book, A2.3).

    ``ders[r, j]`` receives the r-th derivative of B_{span-k+j}.  Valid for ``x``
    outside the interval too (the polynomial piece of ``span`` is continued).
    """
    ndu[0, 0] = 1.0
    for j in range(1, k + 1):
        left[j] = x - t[toff + span + 1 - j]
        right[j] = t[toff + span + j] - x
        saved = 0.0
        for r in range(j):
            ndu[j, r] = right[r + 1] + left[j - r]
            temp = ndu[r, j - 1] / ndu[j, r]
            ndu[r, j] = saved + right[r + 1] * temp
            saved = left[j - r] * temp
        ndu[j, j] = saved
    for j in range(k + 1):
        ders[0, j] = ndu[j, k]
    nd = min(nder, k)
    for r in range(k + 1):
        s1 = 0
        s2 = 1
        aa[0, 0] = 1.0
        for q in range(1, nd + 1):
            dd = 0.0
            rk = r - q
            pk = k - q
            if r >= q:
                aa[s2, 0] = aa[s1, 0] / ndu[pk + 1, rk]
                dd = aa[s2, 0] * ndu[rk, pk]
            j1 = 1 if rk >= -1 else -rk
            j2 = q - 1 if r - 1 <= pk else k - r
            for j in range(j1, j2 + 1):
                aa[s2, j] = (aa[s1, j] - aa[s1, j - 1]) / ndu[pk + 1, rk + j]
                dd += aa[s2, j] * ndu[rk + j, pk]
            if r <= pk:
                aa[s2, q] = -aa[s1, q - 1] / ndu[pk + 1, r]
                dd += aa[s2, q] * ndu[r, pk]
            ders[q, r] = dd
            s1, s2 = s2, s1
    fac = float(k)
    for q in range(1, nd + 1):
        for j in range(k + 1):
            ders[q, j] *= fac
        fac *= k - q
    for q in range(nd + 1, nder + 1):
        for j in range(k + 1):
            ders[q, j] = 0.0


@nb.njit(cache=True, inline="always")
def _cubic_uniform(t, to, span, x, nder, B, a):
    """Uniform cubic B-spline basis on an interior span whose knots are equispaced."""
    h = t[to + span + 1] - t[to + span]
    u = (x - t[to + span]) / h
    w = 1.0 - u
    u2 = u * u
    u3 = u2 * u
    B[a, 0, 0] = w * w * w / 6.0
    B[a, 0, 1] = (3.0 * u3 - 6.0 * u2 + 4.0) / 6.0
    B[a, 0, 2] = (-3.0 * u3 + 3.0 * u2 + 3.0 * u + 1.0) / 6.0
    B[a, 0, 3] = u3 / 6.0
    if nder >= 1:
        ih = 1.0 / h
        B[a, 1, 0] = -0.5 * w * w * ih
        B[a, 1, 1] = (1.5 * u2 - 2.0 * u) * ih
        B[a, 1, 2] = (-1.5 * u2 + u + 0.5) * ih
        B[a, 1, 3] = 0.5 * u2 * ih
        if nder >= 2:
            ih2 = ih * ih
            B[a, 2, 0] = w * ih2
            B[a, 2, 1] = (3.0 * u - 2.0) * ih2
            B[a, 2, 2] = (1.0 - 3.0 * u) * ih2
            B[a, 2, 3] = u * ih2
        for r in range(3, nder + 1):
            for j in range(4):
                B[a, r, j] = 0.0
            if r == 3:
                ih3 = ih * ih * ih
                B[a, 3, 0] = -ih3
                B[a, 3, 1] = 3.0 * ih3
                B[a, 3, 2] = -3.0 * ih3
                B[a, 3, 3] = ih3


@nb.njit(cache=True, inline="always")
def _spline_setup(
    xi,
    p,
    d,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    tflat,
    toff,
    ncoef,
    k,
    nder,
    B,
    fac,
    cbase,
    ndu,
    aa,
    left,
    right,
    vstr,
):
    """Locate the knot span on every axis and fill the basis derivative table ``B``."""
    half = (k + 1) // 2
    for a in range(d):
        n = gn[a]
        off = goff[a]
        lo = gflat[off]
        hi = gflat[off + n - 1]
        x, f = _map_coord(xi[p, a], lo, hi, mlo[a], mhi[a])
        i = _locate(gflat, off, n, guni[a], gx0[a], ginvh[a], x)
        span = i + k - half + 1
        if span < k:
            span = k
        if span > ncoef[a] - 1:
            span = ncoef[a] - 1
        to = toff[a]
        if k == 3 and guni[a] == 2 and span >= 6 and span <= ncoef[a] - 4:
            _cubic_uniform(tflat, to, span, x, nder, B, a)
        else:
            _bspline_ders(tflat, to, span, k, x, nder, B[a], ndu, aa, left, right)
        fac[a] = f
        cbase[a] = (span - k) * vstr[a]


@chunk_kernel(error_model="numpy")
def spline_eval(
    ch0,
    ch1,
    xi,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    tflat,
    toff,
    ncoef,
    k,
    coef,
    vstr,
    order,
    out_v,
    out_g,
    out_h,
    nchunks,
):
    """Tensor-product B-spline value (+ gradient, + Hessian) in one pass."""
    m, d = xi.shape
    nv = coef.shape[1]
    chunk = (m + nchunks - 1) // nchunks
    kp1 = k + 1
    npat = 1 + d + d * d
    for ch in range(ch0, ch1):
        B = np.zeros((d, 3, kp1))
        fac = np.empty(d)
        cbase = np.empty(d, np.int64)
        cnt = np.empty(d, np.int64)
        rad = np.full(d, kp1, np.int64)
        acc = np.empty((d + 1, npat, nv))
        ndu = np.empty((kp1, kp1))
        aa = np.empty((2, kp1))
        left = np.empty(kp1)
        right = np.empty(kp1)
        start = ch * chunk
        stop = min(m, start + chunk)
        for p in range(start, stop):
            if _has_nan(xi, p, d):
                _fill_nan(out_v, out_g, out_h, p, order)
                continue
            _spline_setup(
                xi,
                p,
                d,
                gflat,
                goff,
                gn,
                guni,
                gx0,
                ginvh,
                mlo,
                mhi,
                tflat,
                toff,
                ncoef,
                k,
                order,
                B,
                fac,
                cbase,
                ndu,
                aa,
                left,
                right,
                vstr,
            )
            _contract(p, B, rad, cbase, vstr, coef, order, acc, cnt, fac, d, out_v, out_g, out_h)


@chunk_kernel(error_model="numpy")
def spline_eval_3d(
    ch0,
    ch1,
    xi,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    tflat,
    toff,
    ncoef,
    k,
    coef,
    vstr,
    order,
    out_v,
    out_g,
    nchunks,
):
    """Tensor-product B-spline value (+ gradient) in 3-D, contracted axis by axis."""
    m, d = xi.shape
    nv = coef.shape[1]
    chunk = (m + nchunks - 1) // nchunks
    kp1 = k + 1
    s0 = vstr[0]
    s1 = vstr[1]
    s2 = vstr[2]
    for ch in range(ch0, ch1):
        B = np.zeros((3, 3, kp1))
        fac = np.empty(3)
        cbase = np.empty(3, np.int64)
        ndu = np.empty((kp1, kp1))
        aa = np.empty((2, kp1))
        left = np.empty(kp1)
        right = np.empty(kp1)
        start = ch * chunk
        stop = min(m, start + chunk)
        for p in range(start, stop):
            if _has_nan(xi, p, 3):
                for c in range(nv):
                    out_v[p, c] = np.nan
                    if order >= 1:
                        for a in range(3):
                            out_g[p, c, a] = np.nan
                continue
            _spline_setup(
                xi,
                p,
                3,
                gflat,
                goff,
                gn,
                guni,
                gx0,
                ginvh,
                mlo,
                mhi,
                tflat,
                toff,
                ncoef,
                k,
                order,
                B,
                fac,
                cbase,
                ndu,
                aa,
                left,
                right,
                vstr,
            )
            b00 = cbase[0] + cbase[1] + cbase[2]
            for c in range(nv):
                v = 0.0
                gx = 0.0
                gy = 0.0
                gz = 0.0
                for i in range(kp1):
                    a00 = 0.0
                    a10 = 0.0
                    a01 = 0.0
                    for j in range(kp1):
                        base = b00 + i * s0 + j * s1
                        z0 = 0.0
                        z1 = 0.0
                        if order >= 1:
                            for q in range(kp1):
                                cc = coef[base + q * s2, c]
                                z0 += cc * B[2, 0, q]
                                z1 += cc * B[2, 1, q]
                            a10 += B[1, 1, j] * z0
                            a01 += B[1, 0, j] * z1
                        else:
                            for q in range(kp1):
                                z0 += coef[base + q * s2, c] * B[2, 0, q]
                        a00 += B[1, 0, j] * z0
                    v += B[0, 0, i] * a00
                    if order >= 1:
                        gx += B[0, 1, i] * a00
                        gy += B[0, 0, i] * a10
                        gz += B[0, 0, i] * a01
                out_v[p, c] = v
                if order >= 1:
                    out_g[p, c, 0] = gx * fac[0]
                    out_g[p, c, 1] = gy * fac[1]
                    out_g[p, c, 2] = gz * fac[2]


@nb.njit(cache=True, inline="always")
def _cubic_basis_vd(t, to, span, x, W, D, a, r):
    """Cubic B-spline values ``W[a, :, r]`` and first derivatives ``D[a, :, r]`` on knot
    span ``span`` of any knot vector (de Boor's recursion, unrolled for degree 3)."""
    l1 = x - t[to + span]
    l2 = x - t[to + span - 1]
    l3 = x - t[to + span - 2]
    r1 = t[to + span + 1] - x
    r2 = t[to + span + 2] - x
    r3 = t[to + span + 3] - x
    tmp = 1.0 / (r1 + l1)
    a0 = r1 * tmp
    a1 = l1 * tmp
    tmp = a0 / (r1 + l2)
    b0 = r1 * tmp
    saved = l2 * tmp
    tmp = a1 / (r2 + l1)
    b1 = saved + r2 * tmp
    b2 = l1 * tmp
    q0 = b0 / (r1 + l3)
    q1 = b1 / (r2 + l2)
    q2 = b2 / (r3 + l1)
    W[a, 0, r] = r1 * q0
    W[a, 1, r] = l3 * q0 + r2 * q1
    W[a, 2, r] = l2 * q1 + r3 * q2
    W[a, 3, r] = l1 * q2
    D[a, 0, r] = -3.0 * q0
    D[a, 1, r] = 3.0 * (q0 - q1)
    D[a, 2, r] = 3.0 * (q1 - q2)
    D[a, 3, r] = 3.0 * q2


@nb.njit(cache=True, inline="always")
def _cubic_locate_block(
    xi,
    p0,
    nb_,
    d,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    tflat,
    toff,
    ncoef,
    vstr,
    W,
    D,
    F,
    bb,
    oob,
    ch,
    cf,
    nv,
):
    """Pass 1 of the two-pass cubic kernels, for the points ``p0 .. p0 + nb_ - 1``.

    Axis by axis (the axis data stay in registers): locate the knot span, record
    out-of-bounds queries in ``oob``, and store the four basis values ``W[a, :, r]``, their
    derivatives ``D[a, :, r]`` (closed form on equispaced interior spans, the unrolled
    recursion elsewhere), the extrapolation factor ``F[a, r]`` and the flat index of the
    first coefficient in ``bb[r]`` (negative for a NaN query).  Once the last axis is
    located, the point's coefficient rows (4 along the last axis each) are prefetched.
    """
    sixth = 1.0 / 6.0
    s0 = vstr[0]
    s1 = vstr[1]
    sl = vstr[d - 1]
    for r in range(nb_):
        bb[r] = 0
    for a in range(d):
        n = gn[a]
        off = goff[a]
        uni = guni[a]
        x0 = gx0[a]
        ih = ginvh[a]
        lo = gflat[off]
        hi = gflat[off + n - 1]
        ml = mlo[a]
        mh = mhi[a]
        to = toff[a]
        nc = ncoef[a]
        st = vstr[a]
        for r in range(nb_):
            xa = xi[p0 + r, a]
            if xa != xa:
                bb[r] = -(1 << 62)  # stays negative: marks a NaN query
                xa = lo
            _note_oob(oob, ch, a, xa, lo, hi)
            x, f = _map_coord(xa, lo, hi, ml, mh)
            i = _locate_fast(gflat, off, n, uni, x0, ih, x)
            span = i + 2
            if span < 3:
                span = 3
            if span > nc - 1:
                span = nc - 1
            if uni == 2 and span >= 6 and span <= nc - 4:
                # interior span of an equispaced axis: knot spacing = grid spacing
                u = (x - tflat[to + span]) * ih
                w = 1.0 - u
                u2 = u * u
                u3 = u2 * u
                W[a, 0, r] = w * w * w * sixth
                W[a, 1, r] = (0.5 * u3 - u2) + 4.0 * sixth
                W[a, 2, r] = (-0.5 * u3 + 0.5 * (u2 + u)) + sixth
                W[a, 3, r] = u3 * sixth
                D[a, 0, r] = -0.5 * w * w * ih
                D[a, 1, r] = (1.5 * u2 - 2.0 * u) * ih
                D[a, 2, r] = (-1.5 * u2 + u + 0.5) * ih
                D[a, 3, r] = 0.5 * u2 * ih
            else:
                _cubic_basis_vd(tflat, to, span, x, W, D, a, r)
            F[a, r] = f
            bb[r] += (span - 3) * st
            bq = bb[r]
            if a == d - 1 and bq >= 0 and nv == 1:
                # all axes located: request the point's rows of 4 coefficients (both ends
                # of each row, which may straddle two cache lines)
                if d == 2:
                    for ii in range(4):
                        q = bq + ii * s0
                        _prefetch(cf, q)
                        _prefetch(cf, q + 3 * sl)
                else:
                    for ii in range(4):
                        for jj in range(4):
                            q = bq + ii * s0 + jj * s1
                            _prefetch(cf, q)
                            _prefetch(cf, q + 3 * sl)


@chunk_kernel(fastmath={"contract"}, error_model="numpy")
def cubic_vg_3d(
    ch0,
    ch1,
    xi,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    tflat,
    toff,
    ncoef,
    coef,
    vstr,
    out_v,
    out_g,
    nchunks,
    oob,
):
    """Tricubic B-spline value and gradient, in two passes per block of points.

    Pass 1 (`_cubic_locate_block`) locates every point and forms its basis weights; pass 2
    gathers the 4x4x4 coefficients and contracts (fixed trip counts, so the loops
    unroll), with multiply-adds fused where the CPU has FMA (``fastmath={"contract"}``:
    one rounding instead of two, no other reordering).  Out-of-bounds queries are
    recorded in ``oob`` (see `_note_oob`).
    """
    m = xi.shape[0]
    nv = coef.shape[1]
    chunk = (m + nchunks - 1) // nchunks
    s0 = vstr[0]
    s1 = vstr[1]
    s2 = vstr[2]
    cf = coef.reshape(coef.size)
    for ch in range(ch0, ch1):
        W = np.empty((3, 4, _BLK_CUBIC))
        D = np.empty((3, 4, _BLK_CUBIC))
        F = np.empty((3, _BLK_CUBIC))
        bb = np.empty(_BLK_CUBIC, np.int64)
        start = ch * chunk
        stop = min(m, start + chunk)
        for p0 in range(start, stop, _BLK_CUBIC):
            nb_ = min(_BLK_CUBIC, stop - p0)
            _cubic_locate_block(
                xi,
                p0,
                nb_,
                3,
                gflat,
                goff,
                gn,
                guni,
                gx0,
                ginvh,
                mlo,
                mhi,
                tflat,
                toff,
                ncoef,
                vstr,
                W,
                D,
                F,
                bb,
                oob,
                ch,
                cf,
                nv,
            )
            for r in range(nb_):
                p = p0 + r
                b00 = bb[r]
                if b00 < 0:
                    for c in range(nv):
                        out_v[p, c] = np.nan
                        out_g[p, c, 0] = np.nan
                        out_g[p, c, 1] = np.nan
                        out_g[p, c, 2] = np.nan
                    continue
                bz0 = W[2, 0, r]
                bz1 = W[2, 1, r]
                bz2 = W[2, 2, r]
                bz3 = W[2, 3, r]
                dz0 = D[2, 0, r]
                dz1 = D[2, 1, r]
                dz2 = D[2, 2, r]
                dz3 = D[2, 3, r]
                for c in range(nv):
                    v = 0.0
                    gx = 0.0
                    gy = 0.0
                    gz = 0.0
                    for i in range(4):
                        a00 = 0.0
                        a10 = 0.0
                        a01 = 0.0
                        for j in range(4):
                            base = b00 + i * s0 + j * s1
                            c0 = coef[base, c]
                            c1 = coef[base + s2, c]
                            c2 = coef[base + 2 * s2, c]
                            c3 = coef[base + 3 * s2, c]
                            z0 = c0 * bz0 + c1 * bz1 + c2 * bz2 + c3 * bz3
                            z1 = c0 * dz0 + c1 * dz1 + c2 * dz2 + c3 * dz3
                            wy = W[1, j, r]
                            a00 += wy * z0
                            a10 += D[1, j, r] * z0
                            a01 += wy * z1
                        wx = W[0, i, r]
                        v += wx * a00
                        gx += D[0, i, r] * a00
                        gy += wx * a10
                        gz += wx * a01
                    out_v[p, c] = v
                    out_g[p, c, 0] = gx * F[0, r]
                    out_g[p, c, 1] = gy * F[1, r]
                    out_g[p, c, 2] = gz * F[2, r]


@chunk_kernel(error_model="numpy")
def spline_eval_nu(
    ch0,
    ch1,
    xi,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    tflat,
    toff,
    ncoef,
    k,
    coef,
    vstr,
    nu,
    out_v,
    nchunks,
):
    """One mixed partial derivative of orders ``nu`` (scipy's ``nu=``) per point."""
    m, d = xi.shape
    nv = coef.shape[1]
    chunk = (m + nchunks - 1) // nchunks
    kp1 = k + 1
    ncorner = kp1**d
    nder = 0
    for a in range(d):
        nder = max(nder, nu[a])
    for ch in range(ch0, ch1):
        B = np.empty((d, nder + 1, kp1))
        fac = np.empty(d)
        cbase = np.empty(d, np.int64)
        cnt = np.empty(d, np.int64)
        ndu = np.empty((kp1, kp1))
        aa = np.empty((2, kp1))
        left = np.empty(kp1)
        right = np.empty(kp1)
        start = ch * chunk
        stop = min(m, start + chunk)
        for p in range(start, stop):
            if _has_nan(xi, p, d):
                for c in range(nv):
                    out_v[p, c] = np.nan
                continue
            _spline_setup(
                xi,
                p,
                d,
                gflat,
                goff,
                gn,
                guni,
                gx0,
                ginvh,
                mlo,
                mhi,
                tflat,
                toff,
                ncoef,
                k,
                nder,
                B,
                fac,
                cbase,
                ndu,
                aa,
                left,
                right,
                vstr,
            )
            scale = 1.0
            for a in range(d):
                for _r in range(nu[a]):
                    scale *= fac[a]
            for c in range(nv):
                out_v[p, c] = 0.0
            for a in range(d):
                cnt[a] = 0
            for _corner in range(ncorner):
                idx = 0
                w = scale
                for a in range(d):
                    idx += cbase[a] + cnt[a] * vstr[a]
                    w *= B[a, nu[a], cnt[a]]
                for c in range(nv):
                    out_v[p, c] += w * coef[idx, c]
                a = d - 1
                while a >= 0:
                    cnt[a] += 1
                    if cnt[a] < kp1:
                        break
                    cnt[a] = 0
                    a -= 1


# ---------------------------------------------------------------------------------
# pchip: scipy's recursive 1-D PchipInterpolator passes, differentiated in forward mode
# ---------------------------------------------------------------------------------
#
# A "jet" is a row of length L = 1 + d + d*d: value, gradient (d) and Hessian (d*d)
# with respect to the query coordinates.  scipy evaluates pchip along the last axis
# first, then folds each earlier axis; the values folded along axis a depend on
# x[a+1:], so the slopes computed on them (harmonic means of secants) are nonlinear
# functions of those coordinates.  Carrying jets through the same sequence of
# operations gives the exact first and second derivatives of scipy's value.


@nb.njit(cache=True, inline="always")
def _jet_lin2(out, o, A, ia, ca, Bj, ib, cb, L):
    for q in range(L):
        out[o, q] = ca * A[ia, q] + cb * Bj[ib, q]


@nb.njit(cache=True, inline="always")
def _jet_scale(out, o, A, ia, ca, L):
    for q in range(L):
        out[o, q] = ca * A[ia, q]


@nb.njit(cache=True, inline="always")
def _jet_harmonic(out, o, M, i0, i1, w1, w2, d, order):
    """out = (w1 + w2) / (w1 / m0 + w2 / m1) with first and second derivatives."""
    m0 = M[i0, 0]
    m1 = M[i1, 0]
    whmean = (w1 / m0 + w2 / m1) / (w1 + w2)
    out[o, 0] = 1.0 / whmean
    if order == 0:
        return
    W = w1 + w2
    qq = w1 / m0 + w2 / m1
    p0 = W * w1 / (m0 * m0 * qq * qq)
    p1 = W * w2 / (m1 * m1 * qq * qq)
    for a in range(d):
        out[o, 1 + a] = p0 * M[i0, 1 + a] + p1 * M[i1, 1 + a]
    if order < 2:
        return
    q3 = qq * qq * qq
    p00 = W * w1 * (2.0 * w1 / (q3 * m0**4) - 2.0 / (qq * qq * m0**3))
    p11 = W * w2 * (2.0 * w2 / (q3 * m1**4) - 2.0 / (qq * qq * m1**3))
    p01 = 2.0 * W * w1 * w2 / (q3 * m0 * m0 * m1 * m1)
    for a in range(d):
        ga0 = M[i0, 1 + a]
        ga1 = M[i1, 1 + a]
        for b in range(d):
            gb0 = M[i0, 1 + b]
            gb1 = M[i1, 1 + b]
            q = 1 + d + a * d + b
            out[o, q] = (
                p0 * M[i0, q]
                + p1 * M[i1, q]
                + p00 * ga0 * gb0
                + p11 * ga1 * gb1
                + p01 * (ga0 * gb1 + ga1 * gb0)
            )


@nb.njit(cache=True, inline="always")
def _jet_zero(out, o, L):
    for q in range(L):
        out[o, q] = 0.0


@nb.njit(cache=True, inline="always")
def _pchip_slope(out, o, M, node, nwin, hh, at_lo, at_hi, d, order, L, tmp):
    """Slope at window node ``node`` (0..3) from secant jets ``M`` (3 rows)."""
    if node == 0 and at_lo or node == nwin - 1 and at_hi:
        # scipy's one-sided three-point estimate (PchipInterpolator._edge_case)
        if node == 0:
            h0 = hh[0]
            h1 = hh[1]
            i0 = 0
            i1 = 1
        else:
            h0 = hh[nwin - 2]
            h1 = hh[nwin - 3]
            i0 = nwin - 2
            i1 = nwin - 3
        c0 = (2.0 * h0 + h1) / (h0 + h1)
        c1 = -h0 / (h0 + h1)
        m0 = M[i0, 0]
        m1 = M[i1, 0]
        dv = ((2.0 * h0 + h1) * m0 - h0 * m1) / (h0 + h1)
        if np.sign(dv) != np.sign(m0):
            _jet_zero(out, o, L)
        elif np.sign(m0) != np.sign(m1) and abs(dv) > 3.0 * abs(m0):
            _jet_scale(out, o, M, i0, 3.0, L)
        else:
            _jet_lin2(out, o, M, i0, c0, M, i1, c1, L)
            out[o, 0] = dv
        return
    # interior node: secants on both sides are M[node-1] and M[node]
    mp = M[node - 1, 0]
    mn = M[node, 0]
    if np.sign(mn) != np.sign(mp) or mn == 0.0 or mp == 0.0:
        _jet_zero(out, o, L)
        return
    hp = hh[node - 1]
    hn = hh[node]
    w1 = 2.0 * hn + hp
    w2 = hn + 2.0 * hp
    _jet_harmonic(out, o, M, node - 1, node, w1, w2, d, order)


@chunk_kernel(error_model="numpy")
def pchip_eval(
    ch0,
    ch1,
    xi,
    gflat,
    goff,
    gn,
    guni,
    gx0,
    ginvh,
    mlo,
    mhi,
    vals,
    vstr,
    order,
    out_v,
    out_g,
    out_h,
    nchunks,
):
    """scipy's RegularGridInterpolator pchip value (+ gradient, + Hessian)."""
    m, d = xi.shape
    nv = vals.shape[1]
    chunk = (m + nchunks - 1) // nchunks
    L = 1 + d + d * d
    nfull = 4**d
    for ch in range(ch0, ch1):
        J = np.empty((nfull, L))  # current jets, window index in C order over axes
        M = np.empty((3, L))
        S = np.empty((2, L))
        C = np.empty((4, L))
        tmp = np.empty((1, L))
        hh = np.empty(3)
        xs = np.empty(4)
        wstart = np.empty(d, np.int64)
        cell = np.empty(d, np.int64)
        xm = np.empty(d)
        fac = np.empty(d)
        cnt = np.empty(d, np.int64)
        start = ch * chunk
        stop = min(m, start + chunk)
        for p in range(start, stop):
            if _has_nan(xi, p, d):
                _fill_nan(out_v, out_g, out_h, p, order)
                continue
            for a in range(d):
                n = gn[a]
                off = goff[a]
                lo = gflat[off]
                hi = gflat[off + n - 1]
                x, f = _map_coord(xi[p, a], lo, hi, mlo[a], mhi[a])
                i = _locate(gflat, off, n, guni[a], gx0[a], ginvh[a], x)
                s = i - 1
                if s < 0:
                    s = 0
                if s > n - 4:
                    s = n - 4
                wstart[a] = s
                cell[a] = i - s
                xm[a] = x
                fac[a] = f
            for c in range(nv):
                # gather the 4**d window values as constant jets
                for a in range(d):
                    cnt[a] = 0
                for w in range(nfull):
                    idx = 0
                    for a in range(d):
                        idx += (wstart[a] + cnt[a]) * vstr[a]
                    J[w, 0] = vals[idx, c]
                    for q in range(1, L):
                        J[w, q] = 0.0
                    a = d - 1
                    while a >= 0:
                        cnt[a] += 1
                        if cnt[a] < 4:
                            break
                        cnt[a] = 0
                        a -= 1
                # fold axes from the last to the first
                nrem = nfull
                for ax in range(d - 1, -1, -1):
                    nrem //= 4
                    off = goff[ax]
                    n = gn[ax]
                    s = wstart[ax]
                    for r in range(4):
                        xs[r] = gflat[off + s + r]
                    for r in range(3):
                        hh[r] = xs[r + 1] - xs[r]
                    at_lo = s == 0
                    at_hi = s + 3 == n - 1
                    r0 = cell[ax]
                    u = xm[ax] - xs[r0]
                    h = hh[r0]
                    for fib in range(nrem):
                        b0 = fib * 4
                        for r in range(3):
                            _jet_lin2(M, r, J, b0 + r + 1, 1.0 / hh[r], J, b0 + r, -1.0 / hh[r], L)
                            M[r, 0] = (J[b0 + r + 1, 0] - J[b0 + r, 0]) / hh[r]
                        _pchip_slope(S, 0, M, r0, 4, hh, at_lo, at_hi, d, order, L, tmp)
                        _pchip_slope(S, 1, M, r0 + 1, 4, hh, at_lo, at_hi, d, order, L, tmp)
                        # CubicHermiteSpline coefficients, as scipy forms them
                        # slope = M[r0]; t = (d0 + d1 - 2 slope) / h
                        for q in range(L):
                            sl = M[r0, q]
                            tt = (S[0, q] + S[1, q] - 2.0 * sl) / h
                            C[0, q] = tt / h
                            C[1, q] = (sl - S[0, q]) / h - tt
                            C[2, q] = S[0, q]
                            C[3, q] = J[b0 + r0, q]
                        # value: ((c0 u + c1) u + c2) u + c3, u depends on x[ax] only
                        dst = fib
                        J[dst, 0] = ((C[0, 0] * u + C[1, 0]) * u + C[2, 0]) * u + C[3, 0]
                        if order >= 1:
                            du = (3.0 * C[0, 0] * u + 2.0 * C[1, 0]) * u + C[2, 0]
                            dcols = (3.0 * u * u, 2.0 * u, u)
                            for a in range(d):
                                if a == ax:
                                    J[dst, 1 + a] = du
                                else:
                                    J[dst, 1 + a] = (
                                        (C[0, 1 + a] * u + C[1, 1 + a]) * u + C[2, 1 + a]
                                    ) * u + C[3, 1 + a]
                            if order >= 2:
                                duu = 6.0 * C[0, 0] * u + 2.0 * C[1, 0]
                                for a in range(d):
                                    for b in range(d):
                                        q = 1 + d + a * d + b
                                        if a == ax and b == ax:
                                            J[dst, q] = duu
                                        elif a == ax:
                                            J[dst, q] = (
                                                dcols[0] * C[0, 1 + b]
                                                + dcols[1] * C[1, 1 + b]
                                                + C[2, 1 + b]
                                            )
                                        elif b == ax:
                                            J[dst, q] = (
                                                dcols[0] * C[0, 1 + a]
                                                + dcols[1] * C[1, 1 + a]
                                                + C[2, 1 + a]
                                            )
                                        else:
                                            J[dst, q] = (
                                                (C[0, q] * u + C[1, q]) * u + C[2, q]
                                            ) * u + C[3, q]
                out_v[p, c] = J[0, 0]
                if order >= 1:
                    for a in range(d):
                        out_g[p, c, a] = J[0, 1 + a] * fac[a]
                if order >= 2:
                    for a in range(d):
                        for b in range(d):
                            out_h[p, c, a, b] = J[0, 1 + d + a * d + b] * fac[a] * fac[b]


# ---------------------------------------------------------------------------------
# bounds scan
# ---------------------------------------------------------------------------------


@nb.njit(cache=True)
def oob_scan(xi, lo, hi, nchunks):
    """Per chunk, axis and side: does any query fall below ``lo`` / above ``hi``?

    Returns an (nchunks, d, 2) int8 array; NaN never counts as out of bounds.  Serial on
    purpose: one streaming pass is memory-bound, and a parallel region's wake-up cost
    dominates on a busy machine.
    """
    m, d = xi.shape
    chunk = (m + nchunks - 1) // nchunks
    flags = np.zeros((nchunks, d, 2), np.int8)
    for ch in range(nchunks):
        start = ch * chunk
        stop = min(m, start + chunk)
        for p in range(start, stop):
            for a in range(d):
                x = xi[p, a]
                if x < lo[a]:
                    flags[ch, a, 0] = 1
                elif x > hi[a]:
                    flags[ch, a, 1] = 1
    return flags
