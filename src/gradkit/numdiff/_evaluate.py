"""Calling the user's function the way it was written, and checking what comes back."""

from __future__ import annotations

import inspect

import numpy as np

from ._errors import ArgumentTypeError, shown

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
    def point_args(self, point):
        """The arguments of ``f`` for one point ``(n,)`` (or many, ``(N, n)``)."""
        if self.mode == "array":
            return (point, *self.args)
        cols = point if point.ndim == 1 else point.T  # scalars, or (N,) columns
        if self.mode == "args":
            return (*[cols[i] for i in range(self.n)], *self.args)
        return (cols[0], *self.args)

    def _call_one(self, point):
        return self._call(self.point_args(point))

    def _call_many(self, pts):
        return self._call(self.point_args(pts))

    def _call(self, call_args):
        try:
            return self.f(*call_args)
        except TypeError as exc:
            tb = exc.__traceback__
            if tb is not None and tb.tb_next is not None:
                raise  # raised inside f (or deeper)
            hint = self.binding_hint(call_args)
            if hint is None:
                raise
            new = TypeError(f"{exc}. {hint}")
            new.gradkit_signature = True  # (no vectorized=False note in _call_batch)
            raise new from exc

    def binding_hint(self, call_args):
        """How to call ``f`` when its signature cannot take ``call_args``; else ``None``.

        Only inspects ``f`` (no call); ``None`` also when ``f`` has no signature to read.
        """
        if isinstance(self.f, np.ufunc):
            if len(call_args) == self.f.nin:
                return None
            required = [f"x{i + 1}" for i in range(self.f.nin)]
        else:
            try:
                sig = inspect.signature(self.f)
            except (TypeError, ValueError):  # builtins without a signature
                return None
            try:
                sig.bind(*call_args)
            except TypeError:
                pass
            else:
                return None  # the arguments bind: the error came from f's own code
            required = [
                p.name
                for p in sig.parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
            ]
        n, extra = self.n, len(self.args)
        takes = f"`f` takes {len(required)} required positional argument" + (
            "" if len(required) == 1 else "s"
        )
        if required:
            takes += f" ({', '.join(required)})"
        if self.mode == "array":
            shape = np.shape(call_args[0])
            called = (
                f"gradkit.numdiff calls `f(x{', *args' if extra else ''})` with `x` one "
                f"array of shape {shape}"
            )
            if len(required) == n + extra and n > 1:
                return (
                    f"{takes}; {called}. Pass `x` as a tuple of {n} scalars to call "
                    f"`f` with one scalar per argument, or wrap it: `lambda v: f(*v)` (if the "
                    "other arguments are parameters, pass them with `args=(...)`)."
                )
        elif self.mode == "args":
            called = (
                f"`x` is a tuple, so gradkit.numdiff calls `f` with {n} separate "
                f"argument{'' if n == 1 else 's'}, one per entry of `x`"
                + (f", then the {extra} of `args`" if extra else "")
            )
            if len(required) == 1 + extra:
                return (
                    f"{takes}; {called}. Pass `x` as a list or array to call `f(x)` with "
                    "one array, or wrap it: `lambda *v: f(np.array(v))`."
                )
        else:
            called = (
                "gradkit.numdiff calls `f(t"
                + (", *args" if extra else "")
                + ")` with one abscissa `t` (an array of them when vectorized)"
            )
        if extra:
            called += f"; `args` adds {extra} argument{'' if extra == 1 else 's'}"
        given = {"array": 1, "args": n, "scalar": 1}[self.mode] + extra
        if len(required) > given:
            return f"{takes}; {called}. Pass the other arguments with `args=(...)`."
        return f"{takes}; {called}."

    def _check(self, out, expect_batch):
        try:
            arr = np.asarray(out)
        except Exception as exc:  # pragma: no cover - exotic return types
            raise ArgumentTypeError(f"`f` must return numbers; got {shown(out)}.") from exc
        if arr.dtype == object and not any(v is None or isinstance(v, str) for v in arr.flat):
            try:  # Fraction, Decimal, mpmath numbers, ...
                arr = arr.astype(np.float64)
            except (TypeError, ValueError):
                pass
        if arr.dtype.kind not in "biufc":
            raise ArgumentTypeError(
                f"`f` must return real numbers; got {shown(out)} (dtype {arr.dtype})."
            )
        if arr.dtype.kind == "c" and not self.allow_complex:
            raise ArgumentTypeError(
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
            if getattr(exc, "gradkit_signature", False):
                raise
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
