"""Linear solvers for the RBF interpolation system.

``solve_direct`` builds the dense ``(N + m) x (N + m)`` system and factors it with LAPACK's
``dgesv`` exactly as scipy does.  ``solve_iterative`` never stores the kernel matrix: it runs
a (block) preconditioned conjugate gradient method on

- ``(K + S) a = d`` when there is no polynomial tail (positive-definite kernels), or
- the projected system ``Z (K + S) Z a = Z d``, ``Z = I - Q Q^T`` the projector onto the
  null space of ``P^T`` (``P = Q R``), when there is one.  Conditionally positive-definite
  kernels of order ``<= degree + 1`` make ``Z (K + S) Z`` positive definite on that space,
  so CG applies; the monomial weights follow from ``R b = Q^T (d - (K + S) a)``.

Matrix-vector products with ``K`` are blocked numba loops parallel over rows
(``_kernels.kernel_matvec``), costing ``O(N**2)`` time and ``O(N)`` memory.  The default
preconditioner for positive-definite kernels is a Nystrom approximation
``K ~ F F^T`` (``F = K[:, L] K[L, L]^{-1/2}`` on ``rank`` random landmarks ``L``), applied
through the Woodbury identity to ``F F^T + S``.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from numpy.linalg import LinAlgError

__all__ = ["ConvergenceError", "solve_direct", "solve_iterative"]

#: seconds after which an iterative fit starts printing progress to stderr
PROGRESS_AFTER = 2.0


class ConvergenceError(RuntimeError):
    """An iterative RBF solve did not reach the requested tolerance."""


def _rank_message(yhat, powers, degree=None, where=""):
    """scipy's message for a polynomial matrix without full column rank (None if it has
    full rank), followed by what it means for `y` and `degree`."""
    from ._numpy import polynomial_matrix

    nmonos = powers.shape[0]
    pmat = polynomial_matrix(yhat, powers)
    rank = np.linalg.matrix_rank(pmat)
    if rank < nmonos:
        if degree is None:
            degree = int(powers.sum(axis=1).max())
        return (
            "Singular matrix. The matrix of monomials evaluated at "
            "the data point coordinates does not have full column "
            f"rank ({rank}/{nmonos}): the points of `y`{where} do not determine a "
            f"polynomial of `degree` {degree} in {yhat.shape[1]} dimension"
            f"{'s' if yhat.shape[1] != 1 else ''} (they lie on a lower-dimensional set, "
            "e.g. a line in 2-D, or there are too few distinct points). Use a lower "
            "`degree` (-1 for no polynomial), or points that span every dimension."
        )
    return None


def check_polynomial_rank(yhat, powers, degree):
    """Raise scipy's ``LinAlgError`` if the polynomial matrix of the scaled sites `yhat`
    does not have full column rank (scipy checks only after LAPACK reports a zero pivot,
    so it can accept such a system and return an interpolant of garbage)."""
    msg = _rank_message(yhat, powers, degree)
    if msg is not None:
        raise LinAlgError(msg)


_ILL_CONDITIONED = (
    "The kernel matrix is numerically singular (ill-conditioned) for `epsilon` = {eps:g} "
    "with the '{kernel}' kernel: its entries are nearly equal because the points are "
    "close together on the scale 1/`epsilon`. Use a larger `epsilon`, `smoothing` > 0, "
    "or fewer points{dense}."
)


def ill_conditioned_message(epsilon, kernel, dense=True):
    """The explanation of a breakdown that is not caused by the polynomial tail."""
    return _ILL_CONDITIONED.format(
        eps=epsilon, kernel=kernel, dense=", or `solver='direct'`" if dense else ""
    )


def solve_direct(yeps, yhat, d, smoothing, kind, powers, singular_hint=""):
    """Dense solve of the full system with LAPACK's ``dgesv`` (scipy's method).

    Small systems are built in numpy and solved by ``numpy.linalg.solve`` (the same
    ``dgesv``, without importing scipy.linalg or numba).  ``singular_hint`` is appended to
    scipy's "Singular matrix." when the polynomial matrix has full rank (the kernel block
    is then what is singular)."""
    from . import _numpy

    n = yeps.shape[0]
    m = powers.shape[0]
    rhs = np.zeros((n + m, d.shape[1]))
    rhs[:n] = d
    if _numpy.use_for_fit(n):
        lhs = _numpy.build_system(yeps, yhat, smoothing, kind, powers)
        try:
            coeffs = np.linalg.solve(lhs, rhs)
            info = 0
        except LinAlgError:  # an exactly zero pivot, as dgesv's info > 0
            info = 1
    else:
        from scipy.linalg.lapack import dgesv

        from . import _kernels

        lhs = np.empty((n + m, n + m))
        _kernels.build_system(yeps, yhat, smoothing, kind, powers, lhs)
        _, _, coeffs, info = dgesv(lhs, rhs, overwrite_a=True, overwrite_b=True)
    if info < 0:  # pragma: no cover - cannot happen with the arrays built above
        raise ValueError(f"The {-info}-th argument had an illegal value.")
    elif info > 0:
        msg = None
        if m > 0:
            msg = _rank_message(yhat, powers)
        if msg is None:
            msg = f"Singular matrix. {singular_hint}".rstrip()
        raise LinAlgError(msg)
    return coeffs


class _Nystrom:
    """Woodbury inverse of ``K[:, L] K[L, L]^{-1} K[L, :] + diag(D)``.

    ``(C K_LL^{-1} C^T + D)^{-1} = D^{-1} - D^{-1} C (K_LL + C^T D^{-1} C)^{-1} C^T D^{-1}``
    with ``C = K[:, L]`` on ``rank`` random landmarks: only ``C`` (N x rank) and one
    rank x rank Cholesky factor are stored, and no eigendecomposition is needed.
    """

    def __init__(self, yeps, kind, diag, rank, seed=0):
        import scipy.linalg as sl

        from . import _kernels

        n = yeps.shape[0]
        rank = int(min(rank, n))
        rng = np.random.default_rng(seed)
        landmarks = np.sort(rng.choice(n, size=rank, replace=False))
        yl = np.ascontiguousarray(yeps[landmarks])
        c = np.empty((n, rank))
        _kernels.kernel_cross(yeps, yl, kind, c)
        self.dinv = 1.0 / diag
        sq = np.sqrt(self.dinv)
        small = np.ascontiguousarray(c[landmarks])  # K_LL
        block = max(1, min(n, (16 << 20) // (8 * rank)))
        for i0 in range(0, n, block):
            b = c[i0 : i0 + block] * sq[i0 : i0 + block, None]
            small += b.T @ b
        jitter = 0.0
        for _ in range(8):
            try:
                self.cho = sl.cho_factor(
                    small + jitter * np.eye(rank), lower=True, check_finite=False
                )
                break
            except np.linalg.LinAlgError:
                jitter = max(jitter * 100.0, 1e-12 * np.trace(small) / rank)
        else:  # pragma: no cover - K_LL + C^T D^-1 C is positive definite in practice
            raise LinAlgError("The Nystrom preconditioner could not be factored.")
        self.c = c
        self.rank = rank
        self._cho_solve = sl.cho_solve

    def __call__(self, r):
        dr = self.dinv[:, None] * r
        t = self._cho_solve(self.cho, self.c.T @ dr, check_finite=False)
        return dr - self.dinv[:, None] * (self.c @ t)


class _Progress:
    """Plain-text progress line on stderr, shown once a fit has run PROGRESS_AFTER s."""

    def __init__(self, enabled, maxiter, tol):
        self.enabled = enabled
        self.maxiter = maxiter
        self.tol = tol
        self.t0 = time.perf_counter()
        self.last = -1.0
        self.shown = False

    def update(self, it, res):
        if self.enabled is False:
            return
        now = time.perf_counter()
        elapsed = now - self.t0
        if (self.enabled is True or elapsed > PROGRESS_AFTER) and now - self.last > 0.5:
            self.last = now
            frac = min(1.0, it / self.maxiter)
            bar = "#" * int(20 * frac)
            sys.stderr.write(
                f"\rRBFInterpolator fit: [{bar:<20}] iteration {it}, "
                f"residual {res:.2e} (tol {self.tol:.0e}), {elapsed:.1f} s"
            )
            sys.stderr.flush()
            self.shown = True

    def close(self):
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()


def solve_iterative(
    yeps,
    yhat,
    d,
    smoothing,
    kind,
    powers,
    *,
    positive_definite,
    tol,
    maxiter,
    preconditioner,
    preconditioner_rank,
    progress,
    breakdown_hint="",
):
    """Matrix-free preconditioned CG (projected onto null(P^T) when there is a tail).

    ``breakdown_hint`` explains a breakdown (``p^T A p <= 0``) to the user.
    Returns ``(coeffs, info)`` with ``info`` a dict of ``iterations``, ``residual`` (the
    largest relative residual norm over the right-hand-side columns) and
    ``preconditioner``.
    """
    from . import _kernels, _radial
    from ._numpy import polynomial_matrix

    n, nd = yeps.shape
    m = powers.shape[0]
    ns = d.shape[1]
    yeps_t = np.ascontiguousarray(yeps.T)
    s = smoothing

    def apply_a(v):
        out = np.empty_like(v)
        _kernels.kernel_matvec(yeps_t, kind, np.ascontiguousarray(v.T), out)
        out += s[:, None] * v
        return out

    if m > 0:
        pmat = polynomial_matrix(yhat, powers)
        qmat, rmat = np.linalg.qr(pmat)
        rdiag = np.abs(np.diag(rmat))
        if rdiag.min() <= 1e-12 * max(rdiag.max(), 1e-300) or np.linalg.matrix_rank(pmat) < m:
            raise LinAlgError(_rank_message(yhat, powers) or "Singular matrix.")

        def proj(v):
            return v - qmat @ (qmat.T @ v)

    else:

        def proj(v):
            return v

    if preconditioner == "auto":
        preconditioner = "nystrom" if positive_definite else None
    if preconditioner == "nystrom":
        diag = np.maximum(s, 1e-8)
        rank = preconditioner_rank
        if rank is None:
            # 600 landmarks, fewer when C = K[:, L] would exceed 256 MiB
            rank = int(min(n, 600, max(50, (256 << 20) // (8 * n))))
        minv = _Nystrom(yeps, kind, diag, rank)
        pname = f"nystrom (rank {minv.rank})"
    elif preconditioner == "jacobi":
        diag = _radial.FORMULAS[kind](np.zeros(1))[0][0] + s
        inv = 1.0 / diag

        def minv(r):
            return inv[:, None] * r

        pname = "jacobi"
    else:
        minv = None
        pname = "none"

    b = proj(d)
    # residuals are relative to the data, not to its projection (which is ~0 when the
    # data already lie in the span of the polynomial tail)
    bnorm = np.linalg.norm(d, axis=0)
    bnorm_safe = np.where(bnorm == 0.0, 1.0, bnorm)
    x = np.zeros((n, ns))
    r = b.copy()
    z = proj(minv(r)) if minv is not None else r.copy()
    p = z.copy()
    rz = np.einsum("ij,ij->j", r, z)
    res = np.linalg.norm(r, axis=0) / bnorm_safe
    it = 0
    bar = _Progress(progress, maxiter, tol)
    try:
        while np.any(res > tol):
            if it >= maxiter:
                raise ConvergenceError(
                    f"The iterative RBF solve did not converge: relative residual "
                    f"{res.max():.3e} after {it} iterations (`tol` = {tol:g}, "
                    f"`maxiter` = {maxiter}). Increase `maxiter` or `smoothing`, loosen "
                    f"`tol`, or use `solver='direct'`."
                )
            active = res > tol
            ap = proj(apply_a(p))
            pap = np.einsum("ij,ij->j", p, ap)
            if np.any(pap[active] <= 0.0):
                raise ConvergenceError(
                    "The iterative RBF solve broke down: the system is not positive "
                    "definite on the space of admissible weights in floating point. "
                    + breakdown_hint
                )
            alpha = np.where(active, rz / np.where(pap == 0.0, 1.0, pap), 0.0)
            x += alpha * p
            r -= alpha * ap
            it += 1
            res = np.linalg.norm(r, axis=0) / bnorm_safe
            bar.update(it, float(res.max()))
            if not np.any(res > tol):
                # converged, or a kernel that overflows made the residual NaN: the
                # weights are then NaN, as scipy's dense solve gives
                break
            z = proj(minv(r)) if minv is not None else r
            rz_new = np.einsum("ij,ij->j", r, z)
            beta = np.where(active, rz_new / np.where(rz == 0.0, 1.0, rz), 0.0)
            p = proj(z + beta * p) if m > 0 else z + beta * p
            rz = rz_new
    finally:
        bar.close()

    coeffs = np.empty((n + m, ns))
    coeffs[:n] = x
    if m > 0:
        full = d - apply_a(x)
        coeffs[n:] = np.linalg.solve(rmat, qmat.T @ full)
        res = np.linalg.norm(proj(full), axis=0) / bnorm_safe
    info = {
        "iterations": it,
        "residual": float(res.max()) if ns else 0.0,
        "preconditioner": pname,
    }
    return coeffs, info
