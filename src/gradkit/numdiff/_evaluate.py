"""Calling the user's function the way it was written, and checking what comes back."""

from __future__ import annotations

import numpy as np

from .._validation import short_repr

# A vectorised `f` receives at most this many coordinates (points times variables) per
# call: 2**18, e.g. 26,214 points of 10 variables (2 MiB of float64).
CHUNK_COORDS = 2**18


class Evaluator:
    """Evaluate ``f`` at a batch of points ``(N, n)``, returning ``(N, m)`` float64.

    Modes
    -----
    ``"array"``: ``f(x, *args)`` with ``x`` of shape ``(n,)`` (or ``(N, n)`` if vectorised).
    ``"args"``: ``f(x_0, ..., x_{n-1}, *args)`` with scalars (or ``(N,)`` arrays).
    ``"scalar"``: ``f(t, *args)`` with a float (or an ``(N,)`` array, elementwise).
    """

    def __init__(self, f, mode: str, n: int, vectorized: bool, args: tuple):
        self.f = f
        self.mode = mode
        self.n = n
        self.vectorized = vectorized
        self.args = args
        self.value_shape = None  # set by the first call
        self.out_dtype = np.dtype(np.float64)
        self.nfev = 0
        self.ncalls = 0
        self.allow_complex = False

    # -- single calls -------------------------------------------------------------------
    def _call_one(self, point):
        if self.mode == "array":
            return self.f(point, *self.args)
        if self.mode == "args":
            return self.f(*[point[i] for i in range(self.n)], *self.args)
        return self.f(point[0], *self.args)

    def _call_many(self, pts):
        if self.mode == "array":
            return self.f(pts, *self.args)
        if self.mode == "args":
            return self.f(*[pts[:, i] for i in range(self.n)], *self.args)
        return self.f(pts[:, 0], *self.args)

    def _check(self, out, expect_batch):
        try:
            arr = np.asarray(out)
        except Exception as exc:  # pragma: no cover - exotic return types
            raise TypeError(f"`f` must return numbers; got {short_repr(out)}.") from exc
        if arr.dtype.kind not in "biufc":
            raise TypeError(
                f"`f` must return real numbers; got {short_repr(out)} (dtype {arr.dtype})."
            )
        if arr.dtype.kind == "c" and not self.allow_complex:
            raise TypeError(
                "`f` returned complex values (dtype "
                f"{arr.dtype}) for real `x`; a real result is expected. Return the real "
                "part explicitly if that is what you mean."
            )
        if expect_batch is not None:
            if arr.shape[:1] != (expect_batch,):
                raise ValueError(
                    f"`f` was called with {expect_batch} points at once (vectorized=True) "
                    f"and must return an array whose first axis has length {expect_batch}; "
                    f"got shape {arr.shape}. Pass `vectorized=False` if `f` takes one point."
                )
            vshape = arr.shape[1:]
        else:
            vshape = arr.shape
        if self.value_shape is None:
            self.value_shape = vshape
            if arr.dtype.kind == "f" and arr.dtype.itemsize < 8:
                self.out_dtype = arr.dtype
        elif vshape != self.value_shape:
            raise ValueError(
                f"`f` returned values of shape {vshape} at one point and {self.value_shape} "
                "at another; the output shape must not depend on `x`."
            )
        return arr

    def _call_batch(self, pts):
        self.ncalls += 1
        try:
            out = self._call_many(pts)
        except Exception as exc:
            exc.add_note(
                "gradkit.numdiff called `f` with many points at once (vectorized=True); "
                "pass `vectorized=False` if `f` accepts a single point."
            )
            raise
        return self._check(out, pts.shape[0])

    def __call__(self, pts: np.ndarray) -> np.ndarray:
        # Stencil points may leave the domain of `f`; the resulting NaN/inf are handled
        # (smaller steps, or a clear error at `x` itself), so numpy's floating-point
        # warnings inside `f` are silenced here.
        with np.errstate(all="ignore"):
            return self._evaluate(pts)

    def _evaluate(self, pts: np.ndarray) -> np.ndarray:
        N = pts.shape[0]
        if self.vectorized:
            # Large batches go to `f` in a few equal chunks of at most CHUNK_COORDS
            # coordinates: the temporaries `f` allocates then stay in cache instead of
            # costing fresh memory (about 1.5x faster for transcendental functions).
            k = -(-N * max(self.n, 1) // CHUNK_COORDS)
            if k > 1:
                cuts = np.linspace(0, N, k + 1).astype(np.int64)
                arr = np.concatenate(
                    [self._call_batch(pts[a:b]) for a, b in zip(cuts[:-1], cuts[1:])]
                )
            else:
                arr = self._call_batch(pts)
        else:
            outs = []
            for i in range(N):
                self.ncalls += 1
                outs.append(self._check(self._call_one(pts[i]), None))
            if outs:
                arr = np.stack([np.asarray(o) for o in outs])
            else:
                arr = np.empty((0,) + (self.value_shape or ()))
        self.nfev += N
        dtype = np.complex128 if (self.allow_complex and arr.dtype.kind == "c") else np.float64
        return np.asarray(arr, dtype=dtype).reshape(N, -1)
