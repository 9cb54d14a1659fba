"""Exact derivatives of sympy expressions, lambdified with common subexpressions shared."""

from __future__ import annotations

import numpy as np

from ._errors import ArgumentTypeError, shown


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
    if isinstance(variables, (set, frozenset, dict)) or not hasattr(variables, "__iter__"):
        raise TypeError(
            "`variables` must be a sympy symbol or an ordered sequence of them (one per "
            f"entry of `x`); got {shown(variables)}."
        )
    variables = list(variables)
    if not all(isinstance(v, sympy.Symbol) for v in variables):
        raise TypeError(f"`variables` must be sympy symbols; got {shown(variables)}.")
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
        raise TypeError(
            f"`f` must be a sympy expression or matrix; got the sympy object {shown(expr)}."
        )
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
    left = [e for e in exprs if e.has(sympy.Derivative)]
    if left:
        raise ValueError(
            f"`f`: sympy cannot differentiate the expression: it leaves {shown(left[0])} "
            "unevaluated (a function it does not differentiate, such as floor; an undefined "
            "function; or Abs of a symbol not declared real: use sympy.Symbol(name, "
            "real=True))."
        )
    # DiracDelta (from differentiating sign, Heaviside, Abs twice, ...): 0 away from its
    # root; at it the derivative is no function, and the entry fails (see below)
    deltas = [[d.args[0] for d in e.atoms(sympy.DiracDelta)] for e in exprs]
    exprs = [e.replace(sympy.DiracDelta, lambda *_: sympy.Integer(0)) for e in exprs]
    try:
        fn = sympy.lambdify(variables, exprs, modules="numpy", cse=True)
    except Exception as exc:  # e.g. DiracDelta: no numpy printer
        raise ValueError(
            f"`f`: the derivative of the sympy expression cannot be evaluated with numpy: {exc}"
        ) from None

    def evaluate(points):
        with np.errstate(all="ignore"):
            try:
                raw = fn(*[points[:, i] for i in range(n)])
            except (NameError, TypeError, AttributeError) as exc:  # no numpy equivalent
                raise ValueError(
                    "`f`: the derivative of the sympy expression cannot be evaluated with "
                    f"numpy: {exc}"
                ) from None
        cols = []
        for r in raw:
            a = np.asarray(r)
            if a.dtype.kind == "c":
                raise ArgumentTypeError(
                    "`f`: the derivative of the sympy expression is complex at some point of `x` "
                    f"(dtype {a.dtype}); a real result is expected."
                )
            cols.append(np.broadcast_to(a.astype(np.float64), (points.shape[0],)))
        return np.stack(cols, axis=1) if cols else np.empty((points.shape[0], 0))

    vals = evaluate(pts)
    # which variables each derivative is taken along (for the one-sided check)
    if kind == "derivative":
        along = [(0,)]
    elif kind in ("gradient", "jacobian"):
        along = [(v,) for v in range(n) for _ in comps]
    else:
        along = [(i, j) for _ in comps for i, j in idx]
    jump = np.zeros_like(vals)
    if any(c.has(*_non_smooth()) for c in comps):
        jump = _one_sided_jumps(evaluate, pts, vals, along)
    for k, roots in enumerate(deltas):
        if roots:
            at_root = sympy.lambdify(variables, roots, modules="numpy")
            with np.errstate(all="ignore"):
                r = np.stack(
                    [
                        np.broadcast_to(np.asarray(v, dtype=float), (P,))
                        for v in at_root(*[pts[:, i] for i in range(n)])
                    ]
                )
            jump[(r == 0).any(axis=0), k] = np.inf
    m = len(comps)
    if kind == "derivative":
        return vals[:, 0], jump[:, 0], vshape
    if kind in ("gradient", "jacobian"):
        return vals.reshape(P, n, m), jump.reshape(P, n, m), vshape
    H = np.empty((P, m, n, n))
    J = np.empty((P, m, n, n))
    k = 0
    for c in range(m):
        for i, j in idx:
            H[:, c, i, j] = H[:, c, j, i] = vals[:, k]
            J[:, c, i, j] = J[:, c, j, i] = jump[:, k]
            k += 1
    return H, J, vshape


def _non_smooth():
    import sympy

    return (
        sympy.Piecewise,
        sympy.Abs,
        sympy.sign,
        sympy.Heaviside,
        sympy.Max,
        sympy.Min,
        sympy.floor,
        sympy.ceiling,
        sympy.frac,
        sympy.Mod,
    )


def _one_sided_jumps(evaluate, pts, vals, along):
    """Half the one-sided disagreement of each exact derivative where it jumps at ``x``.

    An exact derivative of ``Abs``, ``Piecewise``, ``Max``, ... evaluated at a kink picks
    one branch (``d|a|/da`` at 0 is ``sign(0) = 0``; a Piecewise its first true branch).
    Each derivative is evaluated at ``x +- delta e_i`` and ``x +- delta / 2 e_i`` (``delta
    = 2**-30 max(1, |x_i|)``) along every variable ``i`` it is taken along: a smooth one
    changes by half as much across the smaller interval, a jump by as much. Returns
    ``|J| / 2`` (``J`` the change across the smaller interval) where it jumps, else 0.
    """
    P, n = pts.shape
    jump = np.zeros_like(vals)
    for i in range(n):
        cols = [k for k, a in enumerate(along) if i in a]
        if not cols:
            continue
        delta = 2.0**-30 * np.maximum(1.0, np.abs(pts[:, i]))
        shifted = []
        for t in (1.0, -1.0, 0.5, -0.5):
            q = pts.copy()
            q[:, i] += t * delta
            shifted.append(q)
        D = evaluate(np.concatenate(shifted)).reshape(4, P, -1)[:, :, cols]
        with np.errstate(all="ignore"):
            wide, narrow = D[0] - D[1], D[2] - D[3]
            noise = 1e3 * np.finfo(np.float64).eps * (np.abs(D[2]) + np.abs(D[3]))
            jumps = (np.abs(narrow) > 0.75 * np.abs(wide)) & (np.abs(narrow) > noise)
            jumps |= ~np.isfinite(narrow) & np.isfinite(vals[:, cols])
        half = np.where(jumps, np.where(np.isfinite(narrow), 0.5 * np.abs(narrow), np.inf), 0.0)
        jump[:, cols] = np.maximum(jump[:, cols], half)
    return jump
