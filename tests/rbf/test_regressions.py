"""Regressions of RBFInterpolator, each named after what broke."""

import numpy as np
import pytest
from numpy.linalg import LinAlgError
from numpy.testing import assert_allclose
from scipy.interpolate import RBFInterpolator as ScipyRBF

from gradkit.rbf import ConvergenceError, RBFInterpolator
from gradkit.rbf._rbfinterp import _AVAILABLE, _NAME_TO_MIN_DEGREE, _SCALE_INVARIANT

pytestmark = pytest.mark.kernels


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    y = rng.random((30, 2))
    return y, np.sin(3 * y[:, 0]) + y[:, 1] ** 2


def _eps(kernel):
    return None if kernel in _SCALE_INVARIANT else 2.0


@pytest.mark.parametrize("epsilon", [np.nan, np.inf, -np.inf])
def test_non_finite_epsilon_was_accepted_and_gave_non_finite_values(data, epsilon):
    y, d = data
    # scipy accepts it and returns NaN (the documented difference)
    assert np.all(np.isnan(ScipyRBF(y, d, epsilon=epsilon)(y[:3])))
    with pytest.raises(ValueError, match=r"`epsilon` must be finite; got -?(nan|inf)\."):
        RBFInterpolator(y, d, epsilon=epsilon)
    with pytest.raises(ValueError, match="`epsilon` must be finite"):
        RBFInterpolator(y, d, epsilon=epsilon, kernel="gaussian", neighbors=5)


@pytest.mark.parametrize(
    "options",
    [{"solver": "direct"}, {"solver": "iterative"}, {"solver": "auto"}, {"neighbors": 8}],
)
def test_collinear_sites_were_accepted_with_a_degenerate_tail(options):
    g = np.linspace(0, 1, 20)
    y = np.column_stack([g, 2 * g])
    d = np.sin(g)
    match = r"does not have full column rank \(2/3\): the points of `y`.*`degree` 1"
    with pytest.raises(LinAlgError, match=match):
        RBFInterpolator(y, d, **options)(np.array([[0.5, 1.0]]))
    # scipy raises the same error in local mode (per neighbourhood)
    with pytest.raises(LinAlgError, match="does not have full column rank"):
        ScipyRBF(y, d, neighbors=8)(np.array([[0.5, 1.0]]))
    # without the tail (or with a constant one) the fit is well posed, and agrees
    x = np.array([[0.25, 0.5], [0.7, 1.3]])
    ours = RBFInterpolator(y, d, kernel="gaussian", epsilon=3.0, **options)(x)
    assert_allclose(
        ours,
        ScipyRBF(
            y,
            d,
            kernel="gaussian",
            epsilon=3.0,
            **{k: v for k, v in options.items() if k == "neighbors"},
        )(x),
        rtol=1e-6,
        atol=1e-9,
    )


def test_local_rank_check_is_per_neighbourhood():
    # the left half spans the plane, the right half is a line: only queries whose
    # neighbourhood lies on the line fail
    rng = np.random.default_rng(3)
    left = rng.random((10, 2)) * [0.4, 1.0]
    g = np.linspace(0.6, 1.0, 10)
    right = np.column_stack([g, np.full(10, 0.5)])
    y = np.vstack([left, right])
    d = y[:, 0] + y[:, 1]
    f = RBFInterpolator(y, d, neighbors=4)
    assert_allclose(f([[0.2, 0.5]]), ScipyRBF(y, d, neighbors=4)([[0.2, 0.5]]), rtol=1e-9)
    with pytest.raises(LinAlgError, match=r"neighbourhood of `x\[1\]` \(4 points\)"):
        f([[0.2, 0.5], [0.9, 0.5]])


def _nan_queries():
    return np.array([[0.4, 0.6], [np.nan, 0.5], [0.5, np.nan], [0.2, 0.3], [np.nan, np.nan]])


@pytest.mark.parametrize("kernel", sorted(_AVAILABLE))
@pytest.mark.parametrize("mode", ["direct", "iterative", "local"])
def test_nan_query_gave_finite_gradient_entries(data, kernel, mode):
    y, d = data
    options = {"neighbors": 12} if mode == "local" else {"solver": mode}
    degree = max(_NAME_TO_MIN_DEGREE.get(kernel, 0), 0)
    f = RBFInterpolator(y, d, kernel=kernel, epsilon=_eps(kernel), degree=degree, **options)
    x = _nan_queries()
    v, g, h = f.value_gradient_hessian(x)
    bad = np.isnan(x).any(axis=1)
    for out in (v, g, h):
        assert np.all(np.isnan(out[bad]))
        assert np.all(np.isfinite(out[~bad]))
    # the other rows are what they are without the NaN rows
    v2, g2, h2 = f.value_gradient_hessian(x[~bad])
    assert_allclose(v[~bad], v2, rtol=1e-12)
    assert_allclose(g[~bad], g2, rtol=1e-12)
    assert_allclose(h[~bad], h2, rtol=1e-12)
    # and the value and gradient-only paths agree (they use other loops)
    vg, gg = f.value_and_gradient(x)
    assert np.all(np.isnan(gg[bad])) and np.all(np.isnan(vg[bad]))
    assert np.all(np.isnan(f(x)[bad]))
    assert np.all(np.isnan(f.gradient(x)[bad])) and np.all(np.isnan(f.hessian(x)[bad]))


def test_smoothing_string_gave_could_not_convert(data):
    y, d = data
    with pytest.raises(AttributeError):
        ScipyRBF(y, d, smoothing="a")
    for exc in (AttributeError, TypeError):
        with pytest.raises(exc, match=r"`smoothing` must be a number or an array.*got 'a'"):
            RBFInterpolator(y, d, smoothing="a")


@pytest.mark.parametrize("neighbors", [None, 7])
def test_huge_coordinates_overflowed_in_the_duplicate_check(data, neighbors):
    y, d = data
    x = np.random.default_rng(4).random((5, 2))
    big = dict(kernel="gaussian", epsilon=3e-300, neighbors=neighbors)
    ours = RBFInterpolator(y * 1e300, d, **big)(x * 1e300)
    if neighbors is None:
        assert_allclose(ours, ScipyRBF(y * 1e300, d, **big)(x * 1e300), rtol=1e-8)
    else:
        # scipy's KDTree overflows here (IndexError); the same problem at unit scale
        with pytest.raises(IndexError):
            ScipyRBF(y * 1e300, d, **big)(x * 1e300)
        unit = dict(kernel="gaussian", epsilon=3.0, neighbors=neighbors)
        assert_allclose(ours, ScipyRBF(y, d, **unit)(x), rtol=1e-8)
    # duplicates are still found at that scale
    y2 = np.vstack([y, y[:1]]) * 1e300
    d2 = np.append(d, d[0] + 1.0)
    with pytest.raises(LinAlgError, match="coincident data points"):
        RBFInterpolator(y2, d2, **big)
    if neighbors is None:
        # the default kernel overflows (r**2 log r of 1e300): NaN, as scipy's
        with np.errstate(all="ignore"):
            theirs = ScipyRBF(y * 1e300, d)(x * 1e300)
        assert_allclose(RBFInterpolator(y * 1e300, d)(x * 1e300), theirs, equal_nan=True)
        assert np.all(np.isnan(theirs))
        # the iterative solver neither hangs nor returns finite garbage there
        iterative = RBFInterpolator(y * 1e300, d, solver="iterative")
        assert np.all(np.isnan(iterative(x * 1e300)))


def test_d_none_gave_index_error_without_naming_d(data):
    y, _ = data
    with pytest.raises(IndexError):
        ScipyRBF(y, None)
    for exc in (IndexError, ValueError):
        with pytest.raises(exc, match="`d` must be an array of data values"):
            RBFInterpolator(y, None)
        with pytest.raises(exc, match="first axis of `d` to have length 30; got a scalar"):
            RBFInterpolator(y, 2.5)


def test_ill_conditioned_gaussian_blamed_degree_or_repeated_points():
    rng = np.random.default_rng(5)
    y = rng.random((300, 2))
    d = rng.random(300)
    match = r"ill-conditioned\) for `epsilon` = 0\.01.*larger `epsilon`, `smoothing` > 0"
    with pytest.raises(ConvergenceError, match=match) as info:
        RBFInterpolator(y, d, kernel="gaussian", epsilon=0.01, solver="iterative")
    assert "degree" not in str(info.value) and "repeated" not in str(info.value)
    # an exactly singular dense (or local) system says the same
    with pytest.raises(LinAlgError, match=r"Singular matrix\. .*ill-conditioned"):
        RBFInterpolator(y[:30], d[:30], kernel="gaussian", epsilon=1e-10, solver="direct")
    f = RBFInterpolator(y[:30], d[:30], kernel="gaussian", epsilon=1e-10, neighbors=10)
    with pytest.raises(LinAlgError, match=r"Singular matrix\. .*ill-conditioned"):
        f(y[:2])
    with pytest.raises(LinAlgError, match="Singular matrix"):
        ScipyRBF(y[:30], d[:30], kernel="gaussian", epsilon=1e-10)


@pytest.mark.parametrize("options", [{"solver": "direct"}, {"solver": "iterative"}, {}])
def test_nan_in_d_or_y_raised_where_scipy_returns_nan(data, options):
    y, d = data
    x = np.random.default_rng(6).random((6, 2))
    d2 = np.column_stack([d, np.cos(d), d**2])
    d2[4, 1] = np.nan
    d2[7, 2] = np.inf
    ours = RBFInterpolator(y, d2, **options)
    theirs = ScipyRBF(y, d2)(x)
    assert_allclose(ours(x), theirs, rtol=1e-6, equal_nan=True)
    assert np.all(np.isnan(theirs[:, 1:])) and np.all(np.isfinite(theirs[:, 0]))
    v, g, h = ours.value_gradient_hessian(x)
    assert np.all(np.isnan(g[:, 1:])) and np.all(np.isnan(h[:, 1:]))
    assert np.all(np.isfinite(g[:, 0])) and np.all(np.isfinite(h[:, 0]))
    # complex values: a NaN real part spoils the real parts only, as in scipy
    dc = d + 1j * np.cos(d)
    dc[3] = complex(np.nan, 1.0)
    assert_allclose(
        RBFInterpolator(y, dc, **options)(x), ScipyRBF(y, dc)(x), rtol=1e-6, equal_nan=True
    )
    # NaN in `y` spoils every output, without hanging the iterative solver
    y2 = y.copy()
    y2[2, 1] = np.nan
    f = RBFInterpolator(y2, d, **options)
    assert np.all(np.isnan(ScipyRBF(y2, d)(x)))
    assert np.all(np.isnan(f(x))) and np.all(np.isnan(f.gradient(x)))


def test_nan_in_d_local_mode_spoils_the_neighbourhoods_that_hold_it(data):
    y, d = data
    d = d.copy()
    d[5] = np.nan
    x = np.vstack([y[5] + 0.01, np.random.default_rng(7).random((8, 2))])
    theirs = ScipyRBF(y, d, neighbors=6)(x)
    ours = RBFInterpolator(y, d, neighbors=6)
    assert_allclose(ours(x), theirs, rtol=1e-9, equal_nan=True)
    assert np.isnan(theirs[0]) and np.isfinite(theirs).any()
    v, g = ours.value_and_gradient(x)
    assert np.array_equal(np.isnan(g).any(axis=1), np.isnan(theirs))


@pytest.mark.parametrize("neighbors", [None, 10])
def test_gradient_and_hessian_methods_were_missing(data, neighbors):
    y, d = data
    d3 = np.stack([d, d**2], axis=-1)[:, :, None]  # value shape (2, 1)
    f = RBFInterpolator(y, d3, neighbors=neighbors)
    x = np.random.default_rng(8).uniform(0.2, 0.8, (2, 3, 2))
    g, h = f.gradient(x), f.hessian(x)
    assert g.shape == (2, 3, 2, 1, 2) and h.shape == (2, 3, 2, 1, 2, 2)
    # central differences of scipy's values
    ref = ScipyRBF(y, d3, neighbors=neighbors)
    step = 1e-6
    for i in range(2):
        e = np.zeros(2)
        e[i] = step
        fd = (ref((x + e).reshape(-1, 2)) - ref((x - e).reshape(-1, 2))) / (2 * step)
        assert_allclose(g[..., i].reshape(fd.shape), fd, rtol=1e-5, atol=1e-6)
    gstep = 1e-5
    for i in range(2):
        e = np.zeros(2)
        e[i] = gstep
        fd = (f.gradient(x + e) - f.gradient(x - e)) / (2 * gstep)
        assert_allclose(h[..., i, :], fd, rtol=1e-4, atol=1e-5)


def test_repr_was_the_default_object_repr(data):
    y, d = data
    text = repr(RBFInterpolator(y, np.stack([d, d], 1), kernel="gaussian", epsilon=2.0))
    assert text == (
        "RBFInterpolator(N=30, ndim=2, kernel='gaussian', epsilon=2.0, degree=0, "
        "neighbors=None, smoothing=0.0, solver='direct', values=(2,), dtype=float64)"
    )
    text = repr(RBFInterpolator(y, d + 0j, neighbors=5, smoothing=np.arange(30.0)))
    assert "neighbors=5, smoothing=array of 30, solver='local'" in text
    assert text.endswith("dtype=complex128)")


def test_read_only_and_big_endian_inputs_give_the_same_fit(data):
    y, d = data
    x = np.random.default_rng(9).random((4, 2))
    ref = ScipyRBF(y, d)(x)
    yb, db, xb = (a.astype(a.dtype.newbyteorder(">")) for a in (y, d, x))
    for arr in (yb, db, xb):
        arr.flags.writeable = False
    for nb in (None, 9):
        f = RBFInterpolator(yb, db, neighbors=nb)
        assert_allclose(f(xb), ScipyRBF(y, d, neighbors=nb)(x), rtol=1e-9)
    assert_allclose(RBFInterpolator(yb, db)(xb), ref, rtol=1e-9)


def test_non_integral_degree_and_neighbors_were_truncated(data):
    y, d = data
    with pytest.raises(ValueError, match=r"`degree` must be an integer; got 1\.5"):
        RBFInterpolator(y, d, degree=1.5)
    with pytest.raises(ValueError, match=r"`neighbors` must be an integer; got 5\.5"):
        RBFInterpolator(y, d, neighbors=5.5)
    # integral floats and inf are what scipy accepts
    x = y[:3] + 0.01
    assert_allclose(
        RBFInterpolator(y, d, degree=2.0, neighbors=np.inf)(x),
        ScipyRBF(y, d, degree=2, neighbors=np.inf)(x),
        rtol=1e-9,
    )


def test_huge_degree_allocated_before_the_count_check(data):
    y, d = data
    with pytest.raises(ValueError, match=r"At least \d+ data points are required when `degree`"):
        RBFInterpolator(y, d, degree=10**9)


def test_object_dtype_d_follows_its_elements(data):
    y, d = data
    x = y[:3] + 0.01
    # None is NaN, as scipy reads it: the column's outputs are NaN
    held = np.array(list(d[:-1]) + [None], dtype=object)
    assert_allclose(RBFInterpolator(y, held)(x), ScipyRBF(y, held)(x), equal_nan=True)
    # complex numbers held as objects give the complex interpolant
    dc = d + 1j * d**2
    ours = RBFInterpolator(y, dc.astype(object))(x)
    assert ours.dtype == np.complex128
    assert_allclose(ours, ScipyRBF(y, dc)(x), rtol=1e-10)


@pytest.mark.parametrize("ndim", [1, 2, 3])
def test_exponential_fast_gradient_kernel_gave_zero_for_a_nan_distance(ndim):
    # the fused Gaussian/exponential loop itself (below the public NaN mask) keeps NaN
    from gradkit.rbf import _kernels
    from gradkit.rbf._rbfinterp import _KERNEL_CODES

    rng = np.random.default_rng(10)
    y = rng.random((15, ndim))
    f = RBFInterpolator(y, y[:, 0], kernel="exponential", epsilon=2.0, degree=-1)
    x = rng.random((2, ndim))
    x[0, 0] = np.nan
    out_v, out_g = np.empty((2, 1)), np.empty((2, 1, ndim))
    _kernels.evaluate(
        x, f._yeps_t(), f.epsilon, _KERNEL_CODES["exponential"], f.powers, f._shift,
        f._scale, f._coeffs_t(), 1, out_v, out_g, np.empty((1, 1, 1, 1)),
    )  # fmt: skip
    assert np.all(np.isnan(out_v[0])) and np.all(np.isnan(out_g[0]))
    v, g = f.value_and_gradient(x[1:])
    assert_allclose(out_v[1, 0], v[0], rtol=1e-14)
    assert_allclose(out_g[1, 0], g[0], rtol=1e-14)


def test_vexp_keeps_its_accuracy_when_first_compiled_from_a_fastmath_kernel(tmp_path):
    """numba compiles a callee that sets no fastmath flags with its first caller's; the
    rbf kernels reassociate, which merged vexp's two halves of ln 2 (about 100 ulps off
    near exp(-700), seen only when a kernel compiled vexp first in a fresh cache)."""
    import os
    import subprocess
    import sys

    code = (
        "import numba, numpy as np\n"
        "from gradkit.rbf import _kernels\n"
        "@numba.njit(fastmath={'reassoc', 'contract', 'nsz'})\n"
        "def caller(x):\n"
        "    return _kernels.vexp(x)\n"
        "caller(-1.0)\n"
        "x = -np.concatenate([np.linspace(0, 50, 10001), np.linspace(50, 744, 1001)])\n"
        "out = np.empty_like(x); _kernels.vexp_values(x, out); ref = np.exp(x)\n"
        "big = ref > 1e-300\n"
        "print(bool(np.all(np.abs(out[big] - ref[big]) <= np.spacing(ref[big]))))\n"
    )
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
