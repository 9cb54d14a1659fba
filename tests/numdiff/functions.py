"""Smooth non-polynomial test functions of 1 to 10 variables with analytic gradients.

Shared by the tests and by ``benchmarks/bench_numdiff.py``. Every function is written with
the variable index FIRST, ``f(x)`` with ``x`` of shape ``(n, ...)`` and elementwise numpy
operations, so the same definition serves numdifftools (``x`` of shape ``(n,)``),
scipy.differentiate (``(n, ...)``) and gradkit (``(n,)`` per point, or ``X.T`` for a
vectorised call with ``X`` of shape ``(N, n)``). ``grad(x)`` returns shape ``(n, ...)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import special


@dataclass(frozen=True)
class TestFunction:
    name: str
    f: object
    grad: object
    x0: np.ndarray
    hess: object = field(default=None)

    @property
    def n(self) -> int:
        return self.x0.shape[0]


def _c(n, seed):
    return np.random.default_rng(seed).uniform(-0.5, 0.5, n)


def _a(n):
    return np.linspace(0.6, 1.4, n)


def _col(v, like):
    """Reshape a (n,) constant to broadcast against ``x`` of shape (n, ...)."""
    return np.asarray(v).reshape((-1,) + (1,) * (np.ndim(like) - 1))


FUNCTIONS: list[TestFunction] = []


def _add(name, f, grad, x0, hess=None):
    FUNCTIONS.append(TestFunction(name, f, grad, np.asarray(x0, dtype=float), hess))


# ---- 1 variable ------------------------------------------------------------------------
_add("exp", lambda x: np.exp(x[0]), lambda x: np.exp(x[:1]), [0.7])
_add("sin", lambda x: np.sin(x[0]), lambda x: np.cos(x[:1]), [1.3])
_add("log", lambda x: np.log(x[0]), lambda x: 1.0 / x[:1], [2.0])
_add("atan", lambda x: np.arctan(x[0]), lambda x: 1.0 / (1.0 + x[:1] ** 2), [0.4])
_add(
    "runge",
    lambda x: 1.0 / (1.0 + 25.0 * x[0] ** 2),
    lambda x: -50.0 * x[:1] / (1.0 + 25.0 * x[:1] ** 2) ** 2,
    [0.3],
)
_add("sqrt", lambda x: np.sqrt(x[0]), lambda x: 0.5 / np.sqrt(x[:1]), [1.5])
_add(
    "gauss_bump",
    lambda x: x[0] * np.exp(-(x[0] ** 2)),
    lambda x: (1.0 - 2.0 * x[:1] ** 2) * np.exp(-(x[:1] ** 2)),
    [0.3],
)
_add("tanh3", lambda x: np.tanh(3.0 * x[0]), lambda x: 3.0 / np.cosh(3.0 * x[:1]) ** 2, [0.2])
_add("gammaln", lambda x: special.gammaln(x[0]), lambda x: special.digamma(x[:1]), [2.5])
_add(
    "erf",
    lambda x: special.erf(x[0]),
    lambda x: 2.0 / np.sqrt(np.pi) * np.exp(-(x[:1] ** 2)),
    [0.5],
)

# ---- 2 to 4 variables --------------------------------------------------------------------
_add(
    "exp_sin",
    lambda x: np.exp(x[0]) * np.sin(x[1]),
    lambda x: np.stack([np.exp(x[0]) * np.sin(x[1]), np.exp(x[0]) * np.cos(x[1])]),
    [0.5, 1.1],
)
_add(
    "log1p_r2",
    lambda x: np.log(1.0 + x[0] ** 2 + x[1] ** 2),
    lambda x: 2.0 * x[:2] / (1.0 + x[0] ** 2 + x[1] ** 2),
    [0.8, -0.4],
)
_add(
    "sin_xy",
    lambda x: np.sin(x[0] * x[1]),
    lambda x: np.stack([x[1] * np.cos(x[0] * x[1]), x[0] * np.cos(x[0] * x[1])]),
    [1.2, 0.7],
)
_add(
    "exp_sin_cos",
    lambda x: np.exp(np.sin(x[0]) + np.cos(x[1])),
    lambda x: np.exp(np.sin(x[0]) + np.cos(x[1])) * np.stack([np.cos(x[0]), -np.sin(x[1])]),
    [0.3, 0.9],
)
_add(
    "inv_sqrt3",
    lambda x: 1.0 / np.sqrt(1.0 + x[0] ** 2 + x[1] ** 2 + x[2] ** 2),
    lambda x: -x[:3] * (1.0 + x[0] ** 2 + x[1] ** 2 + x[2] ** 2) ** -1.5,
    [0.3, -0.6, 0.9],
)
_add(
    "exp_lin3",
    lambda x: np.exp(0.5 * x[0] + x[1] - 0.3 * x[2]) * np.cos(x[2]),
    lambda x: (
        np.exp(0.5 * x[0] + x[1] - 0.3 * x[2])
        * np.stack([0.5 * np.cos(x[2]), np.cos(x[2]), -0.3 * np.cos(x[2]) - np.sin(x[2])])
    ),
    [0.2, 0.1, 0.7],
)


def _lse(x):
    return special.logsumexp(x[:4], axis=0)


def _lse_grad(x):
    return special.softmax(x[:4], axis=0)


_add("logsumexp4", _lse, _lse_grad, [0.3, -1.0, 0.5, 1.2])


def _sinsum(x):
    a = _col([1.0, -0.5, 0.8, 0.3], x)
    return np.sin((a * x[:4]).sum(axis=0)) * np.cos(x[0])


def _sinsum_grad(x):
    a = _col([1.0, -0.5, 0.8, 0.3], x)
    s = (a * x[:4]).sum(axis=0)
    g = a * np.cos(s) * np.cos(x[0])
    g[0] = g[0] - np.sin(s) * np.sin(x[0])
    return g


_add("sin_sum4", _sinsum, _sinsum_grad, [0.4, 0.2, -0.3, 0.8])

# ---- 5 to 10 variables ------------------------------------------------------------------
_add(
    "cos_prod5",
    lambda x: np.prod(np.cos(x[:5]), axis=0),
    lambda x: -np.tan(x[:5]) * np.prod(np.cos(x[:5]), axis=0),
    _c(5, 1),
)
_add(
    "softplus6",
    lambda x: np.log1p(np.exp(_col(_a(6), x) * x[:6])).sum(axis=0),
    lambda x: _col(_a(6), x) * special.expit(_col(_a(6), x) * x[:6]),
    _c(6, 2) * 2,
)


def _gauss(x):
    c = _col(_c(x.shape[0], 3), x)
    return np.exp(-0.5 * ((x - c) ** 2).sum(axis=0))


def _gauss_grad(x):
    c = _col(_c(x.shape[0], 3), x)
    return -(x - c) * _gauss(x)


def _gauss_hess(x):
    c = _c(x.shape[0], 3)
    d = x - c
    return _gauss(x) * (np.outer(d, d) - np.eye(x.shape[0]))


_add("gauss8", _gauss, _gauss_grad, _c(8, 4), _gauss_hess)


def _chain(x):
    return (np.sin(x[:-1]) * np.exp(x[1:] / 3.0)).sum(axis=0)


def _chain_grad(x):
    g = np.zeros_like(x)
    g[:-1] += np.cos(x[:-1]) * np.exp(x[1:] / 3.0)
    g[1:] += np.sin(x[:-1]) * np.exp(x[1:] / 3.0) / 3.0
    return g


def _chain_hess(x):
    n = x.shape[0]
    H = np.zeros((n, n))
    for i in range(n - 1):
        e = np.exp(x[i + 1] / 3.0)
        H[i, i] += -np.sin(x[i]) * e
        H[i + 1, i + 1] += np.sin(x[i]) * e / 9.0
        H[i, i + 1] += np.cos(x[i]) * e / 3.0
        H[i + 1, i] += np.cos(x[i]) * e / 3.0
    return H


_add("sin_exp_chain10", _chain, _chain_grad, _c(10, 5) * 2, _chain_hess)


def _log_r2(x):
    return np.log1p((x**2).sum(axis=0))


def _log_r2_grad(x):
    return 2.0 * x / (1.0 + (x**2).sum(axis=0))


def _log_r2_hess(x):
    s = 1.0 + (x**2).sum()
    return 2.0 * np.eye(x.shape[0]) / s - 4.0 * np.outer(x, x) / s**2


_add("log1p_r2_10", _log_r2, _log_r2_grad, _c(10, 6) * 3, _log_r2_hess)


def _rat(x):
    a = _col(_a(x.shape[0]), x)
    return 1.0 / (1.0 + (a * x**2).sum(axis=0))


def _rat_grad(x):
    a = _col(_a(x.shape[0]), x)
    return -2.0 * a * x * _rat(x) ** 2


_add("rational10", _rat, _rat_grad, _c(10, 7) * 2)


def _tanh_mix(x):
    w = _col(np.linspace(-1.0, 1.0, x.shape[0]), x)
    return np.tanh((w * x).sum(axis=0)) + 0.1 * (np.cos(x) ** 2).sum(axis=0)


def _tanh_mix_grad(x):
    w = _col(np.linspace(-1.0, 1.0, x.shape[0]), x)
    s = (w * x).sum(axis=0)
    return w / np.cosh(s) ** 2 - 0.2 * np.cos(x) * np.sin(x)


_add("tanh_mix7", _tanh_mix, _tanh_mix_grad, _c(7, 8) * 2)


def _exp_dot(x):
    a = _col(np.linspace(-0.5, 0.5, x.shape[0]), x)
    return np.exp((a * x).sum(axis=0))


def _exp_dot_grad(x):
    a = _col(np.linspace(-0.5, 0.5, x.shape[0]), x)
    return a * _exp_dot(x)


_add("exp_dot10", _exp_dot, _exp_dot_grad, _c(10, 9) * 2)

BY_NAME = {t.name: t for t in FUNCTIONS}
HESSIAN_FUNCTIONS = [t for t in FUNCTIONS if t.hess is not None]
