"""Exact derivatives of sympy expressions, lambdified with common subexpressions shared."""

from __future__ import annotations

import numpy as np

from .._validation import short_repr
from ._errors import ArgumentTypeError


def _resolve_variables(expr, variables, n):
    import sympy

    free = sorted(expr.free_symbols, key=lambda s: s.name)
    if variables is None:
        if len(free) == n:
            if n == 1:
                return list(free)
            raise ValueError(
                f"`variables` is required for a sympy expression of {n} symbols (free symbols "
                f"{free}): give them in the order of the entries of `x`."
            )
        raise ValueError(
            f"`variables` is required: the expression has free symbols {free} but `x` has "
            f"{n} entr{'y' if n == 1 else 'ies'}."
        )
    if isinstance(variables, sympy.Symbol):
        variables = [variables]
    variables = list(variables)
    if not all(isinstance(v, sympy.Symbol) for v in variables):
        raise TypeError(f"`variables` must be sympy symbols; got {short_repr(variables)}.")
    if len(variables) != n:
        raise ValueError(
            f"`variables` has {len(variables)} symbols but `x` has {n} entries per point."
        )
    extra = set(free) - set(variables)
    if extra:
        raise ValueError(
            f"the expression has free symbols {sorted(extra, key=str)} that are not in "
            "`variables`; substitute values for them first (expr.subs(...))."
        )
    return variables


def differentiate_sympy(kind, expr, pts, order, variables, mode):
    """Return (values in the engine layout, value_shape); see ``_api._package``."""
    import sympy

    P, n = pts.shape
    if isinstance(expr, sympy.MatrixBase) or (
        hasattr(expr, "shape") and not isinstance(expr, sympy.Expr)
    ):
        if kind != "jacobian":
            raise ValueError(
                f"`f` is a sympy matrix of shape {expr.shape}; `{kind}` needs a scalar "
                "expression (use `jacobian`)."
            )
        comps = list(sympy.Matrix(expr))
        vshape = tuple(s for s in expr.shape)
        if len(vshape) == 2 and 1 in vshape:
            vshape = (max(vshape),) if vshape != (1, 1) else ()
    elif isinstance(expr, sympy.Expr):
        comps = [expr]
        vshape = ()
    else:
        raise TypeError(f"unsupported sympy object {short_repr(expr)}.")
    allfree = set().union(*[c.free_symbols for c in comps])
    variables = (
        _resolve_variables(sympy.Tuple(*comps) if len(comps) > 1 else comps[0], variables, n)
        if allfree or variables
        else None
    )
    if variables is None:  # constant expression
        variables = list(sympy.symbols(f"_x0:{n}"))
    if kind == "derivative":
        exprs = [sympy.diff(comps[0], variables[0], order)]
    elif kind in ("gradient", "jacobian"):
        exprs = [sympy.diff(c, v) for v in variables for c in comps]  # (n, m) order
    else:
        idx = [(i, j) for i in range(n) for j in range(i, n)]
        exprs = [sympy.diff(c, variables[i], variables[j]) for c in comps for i, j in idx]
    fn = sympy.lambdify(variables, exprs, modules="numpy", cse=True)
    with np.errstate(all="ignore"):
        raw = fn(*[pts[:, i] for i in range(n)])
    cols = []
    for r in raw:
        a = np.asarray(r)
        if a.dtype.kind == "c":
            raise ArgumentTypeError(
                "the derivative of the sympy expression is complex at some point of `x` "
                f"(dtype {a.dtype}); a real result is expected."
            )
        cols.append(np.broadcast_to(a.astype(np.float64), (P,)))
    vals = np.stack(cols, axis=1) if cols else np.empty((P, 0))
    m = len(comps)
    if kind == "derivative":
        return vals[:, 0], vshape
    if kind in ("gradient", "jacobian"):
        return vals.reshape(P, n, m), vshape
    H = np.empty((P, m, n, n))
    k = 0
    for c in range(m):
        for i, j in idx:
            H[:, c, i, j] = H[:, c, j, i] = vals[:, k]
            k += 1
    return H, vshape
