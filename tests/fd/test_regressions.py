"""Regressions of the sampled-array derivatives, each named after what broke."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import gradkit
from gradkit.fd._weights import boundary_width, interior_width

pytestmark = pytest.mark.kernels

FUNCTIONS = {
    "gradient": gradkit.gradient,
    "derivative": gradkit.derivative,
    "hessian": gradkit.hessian,
    "laplacian": gradkit.laplacian,
    "divergence": gradkit.divergence,
    "curl": gradkit.curl,
}


# --- numpy's TestGradient::test_args matches "scalars or 1d" ----------------------------


def test_2d_coordinates_message_says_scalars_or_1d_and_names_varargs():
    f = np.ones((5, 3))
    dx = np.arange(5.0)
    with pytest.raises(ValueError, match=r"`varargs\[0\]`.*scalars or 1d"):
        gradkit.gradient(f, np.stack([dx] * 2, axis=-1), 1)


# --- out= sharing memory with f gave garbage ---------------------------------------------


def test_out_is_f_1d_numpy_mode():
    t = np.linspace(0, 1, 8)
    a = t**2
    want = np.gradient(t**2, t)
    result = gradkit.gradient(a, t, out=a)
    assert result is a
    np.testing.assert_array_equal(a, want)


@pytest.mark.parametrize("accuracy", [2, 4])
def test_out_is_f_1d_accuracy_mode_with_error(accuracy):
    t = np.linspace(0, 1, 12)
    a = t**2
    g, err = gradkit.gradient(a, t, out=a, accuracy=accuracy, return_error=True)
    assert g is a
    np.testing.assert_allclose(a, 2 * t, atol=1e-12)
    assert err.max() < 1e-10  # the error estimate read f before it was overwritten


@pytest.mark.parametrize("accuracy", [None, 4])
def test_out_list_holding_f_2d(accuracy):
    t = np.linspace(0, 1, 9)
    F = np.add.outer(t**2, t**3)
    want = (
        np.gradient(F, t, t)
        if accuracy is None
        else (2 * t[:, None] + 0 * t, 3 * t**2 + 0 * t[:, None])
    )
    gx = np.empty_like(F)
    Fc = F.copy()
    gradkit.gradient(Fc, t, t, out=[gx, Fc], accuracy=accuracy)
    np.testing.assert_allclose(gx, want[0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(Fc, want[1], rtol=0, atol=1e-12)


def test_out_overlapping_view_of_f():
    base = np.arange(20.0) ** 2
    f = base[:10]
    want = np.gradient(base[:10].copy())
    out = base[5:15]  # overlaps f's second half
    gradkit.gradient(f, out=out)
    np.testing.assert_array_equal(base[5:15], want)


def test_two_outs_sharing_memory_raise():
    F = np.ones((4, 5))
    g = np.empty_like(F)
    with pytest.raises(ValueError, match=r"`out\[0\]` and `out\[1\]` share memory"):
        gradkit.gradient(F, out=[g, g])


# --- extreme spacings gave inf/NaN or wrong values -----------------------------------------


def test_tiny_uniform_spacing_accuracy_4():
    g = gradkit.gradient(3 * np.arange(24.0), 1e-300, accuracy=4)
    np.testing.assert_allclose(g, 3e300, rtol=1e-12)


def test_huge_uniform_spacing_accuracy_2():
    g = gradkit.gradient(3 * np.arange(24.0), 1e200, accuracy=2)
    np.testing.assert_allclose(g, 3e-200, rtol=1e-12)


def test_1e30_coordinates_accuracy_10():
    x = np.cumsum(np.linspace(1, 2, 12)) * 1e30
    np.testing.assert_allclose(gradkit.gradient(3 * x, x, accuracy=10), 3, rtol=1e-10)


@pytest.mark.parametrize("scale", [1e300, 1e-300])
@pytest.mark.parametrize("accuracy", [None, 2, 4, 10])
def test_coordinates_times_1e300(scale, accuracy):
    t = np.cumsum(np.linspace(1, 2, 12))
    x = t * scale
    g = gradkit.gradient(3 * t, x, accuracy=accuracy)
    assert np.isfinite(g).all()
    np.testing.assert_allclose(g * scale, 3, rtol=1e-10)


def test_numpy_mode_at_extreme_spacing_is_correct_where_numpy_overflows():
    # numpy.gradient returns 0 (products of spacings overflow) or NaN here; gradkit
    # evaluates the same second-order formulas in scaled coordinates
    t = np.cumsum(np.linspace(1, 2, 12))
    for scale in (1e200, 1e-200):
        with np.errstate(all="ignore"):
            theirs = np.gradient(t**2, t * scale)
        ours = gradkit.gradient(t**2, t * scale)
        reference = np.gradient(t**2, t) / scale  # numpy's formulas at unit scale
        assert not np.allclose(theirs, reference, rtol=1e-6, atol=0)
        np.testing.assert_allclose(ours, reference, rtol=1e-12)


_orders = st.integers(1, 4)
_accuracies = st.sampled_from([2, 4, 6, 8, 10])


@settings(max_examples=50, deadline=None)
@given(
    exponent=st.integers(-300, 300),
    order=_orders,
    accuracy=_accuracies,
    uniform=st.booleans(),
    seed=st.integers(0, 2**31),
)
def test_scale_invariance_from_1e_minus_300_to_1e300(exponent, order, accuracy, uniform, seed):
    # the derivative is ~ 10**(-order * exponent): representable only if that is in range
    assume(order * abs(exponent) <= 300)
    rng = np.random.default_rng(seed)
    n = max(interior_width(order, accuracy), boundary_width(order, accuracy)) + 4
    if uniform:
        t = np.linspace(0.0, 1.0, n)
    else:
        t = np.cumsum(rng.uniform(0.5, 1.5, n))
        t = (t - t[0]) / (t[-1] - t[0])
    degree = min(interior_width(order, accuracy), boundary_width(order, accuracy)) - 1
    coeffs = rng.standard_normal(degree + 1)
    p = np.polynomial.Polynomial(coeffs)
    scale = 10.0**exponent
    x = t * scale
    spacing = x[1] - x[0] if uniform else x
    d = gradkit.derivative(p(t), spacing, order=order, accuracy=accuracy)
    assert np.isfinite(d).all()
    unit = gradkit.derivative(p(t), t[1] - t[0] if uniform else t, order=order, accuracy=accuracy)
    want = p.deriv(order)(t)
    np.testing.assert_allclose(d * scale**order, unit, rtol=1e-9, atol=1e-9 * np.abs(unit).max())
    np.testing.assert_allclose(d * scale**order, want, atol=1e-6 * np.abs(coeffs).sum() * 10**order)


@settings(max_examples=50, deadline=None)
@given(exponent=st.integers(-300, 300), edge_order=st.sampled_from([1, 2]), seed=st.integers(0, 99))
def test_numpy_mode_scaled_coordinates(exponent, edge_order, seed):
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.uniform(0.5, 1.5, 10))
    f = rng.standard_normal(10)
    scale = 10.0**exponent
    reference = np.gradient(f, t, edge_order=edge_order)
    ours = gradkit.gradient(f, t * scale, edge_order=edge_order)
    with np.errstate(all="ignore"):
        theirs = np.gradient(f, t * scale, edge_order=edge_order)
        numpy_right = np.isfinite(theirs).all() and np.allclose(
            theirs * scale, reference, rtol=1e-12, atol=0
        )
    if numpy_right:
        np.testing.assert_array_equal(ours, theirs)  # bit-identical where numpy is right
    else:
        np.testing.assert_allclose(ours * scale, reference, rtol=1e-12)


# --- an inf or NaN coordinate was accepted --------------------------------------------


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
@pytest.mark.parametrize("accuracy", [None, 4])
def test_non_finite_coordinate_raises(bad, accuracy):
    x = np.arange(8.0)
    x[-1] = bad
    with pytest.raises(
        ValueError, match=r"`varargs\[0\]` \(coordinates of axis 0\) must be finite"
    ):
        gradkit.gradient(np.arange(8.0), x, accuracy=accuracy)
    with pytest.raises(ValueError, match=r"`varargs\[1\]`.*must be finite"):
        gradkit.derivative(np.ones((8, 8)), 1.0, x, axis=(0, 1))


# --- big-endian input gave an internal numba TypingError --------------------------------


def test_big_endian_input_all_functions():
    x = np.linspace(0, 1, 9)
    X, Y = np.meshgrid(x, x, indexing="ij")
    f = X**2 * Y
    big = f.astype(">f8")
    np.testing.assert_array_equal(gradkit.gradient(big), np.gradient(f))
    np.testing.assert_array_equal(
        gradkit.gradient(big, accuracy=4), gradkit.gradient(f, accuracy=4)
    )
    np.testing.assert_array_equal(
        gradkit.derivative(big, x, order=2), gradkit.derivative(f, x, order=2)
    )
    np.testing.assert_array_equal(gradkit.hessian(big, x, x), gradkit.hessian(f, x, x))
    np.testing.assert_array_equal(gradkit.laplacian(big, x, x), gradkit.laplacian(f, x, x))
    v = np.stack([f, X]).astype(">f8")
    np.testing.assert_array_equal(
        gradkit.divergence(v, x, x), gradkit.divergence(np.stack([f, X]), x, x)
    )
    np.testing.assert_array_equal(gradkit.curl(v, x, x), gradkit.curl(np.stack([f, X]), x, x))
    xb = x.astype(">f8") ** 1.5
    np.testing.assert_array_equal(gradkit.gradient(f, xb, x), np.gradient(f, x**1.5, x))
    np.testing.assert_array_equal(
        gradkit.gradient(f, xb, x, accuracy=4), gradkit.gradient(f, x**1.5, x, accuracy=4)
    )


# --- out= problems ------------------------------------------------------------------------


def test_read_only_out_raises_value_error_naming_out():
    out = np.empty(8)
    out.setflags(write=False)
    with pytest.raises(ValueError, match=r"`out` must be writeable"):
        gradkit.gradient(np.arange(8.0), out=out)


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.float16, np.bool_])
def test_out_of_a_dtype_the_result_cannot_be_cast_to_safely(dtype):
    with pytest.raises(TypeError, match=r"`out` has dtype .* cannot be cast to it safely"):
        gradkit.gradient(np.arange(8.0), out=np.empty(8, dtype))


def test_out_wider_dtype_and_non_contiguous_out_work():
    f = np.arange(8.0) ** 2
    wide = np.empty(8, np.complex128)
    gradkit.gradient(f, out=wide)
    np.testing.assert_array_equal(wide.real, np.gradient(f))
    strided = np.empty(16)[::2]
    gradkit.gradient(f, accuracy=4, out=strided)
    np.testing.assert_allclose(strided, 2 * np.arange(8.0), atol=1e-12)


# --- flags, callables, 0-d, period, reprs, strings ------------------------------------------


def test_derivative_return_error_must_be_bool():
    with pytest.raises(TypeError, match=r"`return_error` must be True or False; got 'no'"):
        gradkit.derivative(np.arange(8.0), return_error="no")


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_callable_f_points_to_numdiff(name):
    with pytest.raises(
        TypeError, match=r"`[fv]` must be an array of samples, not a callable.*numdiff"
    ):
        FUNCTIONS[name](lambda x: x**2)
    with pytest.raises(TypeError, match=r"`[fv]` must be an array of samples.*gradkit\.numdiff"):
        FUNCTIONS[name](np.sin, 0.1)


def test_zero_dimensional_f():
    assert gradkit.gradient(np.float64(1.0)) == np.gradient(np.float64(1.0)) == ()
    for name in ("derivative", "hessian", "laplacian"):
        with pytest.raises(ValueError, match=r"`f` must have at least one dimension"):
            FUNCTIONS[name](np.float64(1.0))
    for name in ("divergence", "curl"):
        with pytest.raises(ValueError, match=r"`v` must"):
            FUNCTIONS[name](np.float64(1.0))


@pytest.mark.parametrize("name", ["gradient", "derivative", "hessian", "laplacian"])
def test_period_without_periodic_boundary_raises(name):
    with pytest.raises(ValueError, match=r"`period` applies only to periodic axes.*`boundary`"):
        FUNCTIONS[name](np.ones((8, 8)), period=3.0)


def test_messages_print_plain_values():
    with pytest.raises(ValueError) as info:
        gradkit.gradient(np.ones(6), np.array([0.0, 1, 1, 2, 3, 4]))
    assert "np.float64" not in str(info.value) and "from 1.0 to 1.0" in str(info.value)
    x = np.cumsum(np.linspace(1, 2, 7))
    with pytest.raises(ValueError) as info:
        gradkit.gradient(np.ones(7), x, boundary="periodic", period=3.0)
    assert "np.float64" not in str(info.value)
    with pytest.raises(ValueError) as info:
        gradkit.gradient(np.ones(7), np.float64(0.5), boundary="periodic", period=np.float64(1))
    assert "np.float64" not in str(info.value) and "`period` 1.0" in str(info.value)


@pytest.mark.parametrize("name", ["laplacian", "hessian", "derivative"])
def test_string_f_says_f_must_hold_numbers(name):
    with pytest.raises(TypeError, match=r"`f` must hold numbers; got dtype <U1"):
        FUNCTIONS[name](np.array(["a", "b", "c"]))


def test_string_v_says_v_must_hold_numbers():
    with pytest.raises(TypeError, match=r"`v` must hold numbers"):
        gradkit.curl("abc")
    with pytest.raises(TypeError, match=r"`v` must hold numbers; got dtype <U1"):
        gradkit.curl(np.array([["a", "b"], ["c", "d"]]))


# --- the error estimate under-reported on grids that do not resolve f --------------------


def _coverage_and_ratio(x, accuracy):
    g, est = gradkit.gradient(np.sin(x), x, accuracy=accuracy, return_error=True)
    true = np.abs(g - np.cos(x))
    significant = true > 1e-12
    return np.mean(est[significant] >= true[significant]), est[significant] / true[significant]


@pytest.mark.parametrize("accuracy", [None, 2, 4, 6, 8, 10])
def test_error_estimate_covers_the_error_on_an_unresolved_grid(accuracy):
    x = np.cumsum(np.linspace(1, 2, 50))  # 1-2 radians per step: sin is not resolved
    coverage, _ = _coverage_and_ratio(x, accuracy)
    assert coverage >= 0.9  # was 0.06-0.22 with |D_p - D_{p+2}|


@pytest.mark.parametrize("accuracy", [None, 2, 4, 6, 8, 10])
def test_error_estimate_on_a_resolved_grid_covers_without_inflating(accuracy):
    x = np.cumsum(np.linspace(0.1, 0.2, 500))  # ten times finer: resolved
    coverage, ratio = _coverage_and_ratio(x, accuracy)
    assert coverage >= 0.95
    assert np.quantile(ratio, 0.95) <= 1.5  # at most 1.5x the true error at 95% of points


def test_derivative_error_estimate_on_an_unresolved_grid():
    x = np.cumsum(np.linspace(1, 2, 50))
    d, est = gradkit.derivative(np.sin(x), x, order=2, accuracy=6, return_error=True)
    true = np.abs(d + np.sin(x))
    assert np.mean(est >= true) >= 0.9


def test_scale_law_of_the_classic_stencil_unchanged_at_moderate_spacing():
    # the weights at ordinary spacings are those of 1 / h**order, as before the scaling fix
    f = np.sin(np.linspace(0, 3, 25))
    for order in (1, 2, 3, 4):
        d1 = gradkit.derivative(f, 1.0, order=order, accuracy=4)
        d = gradkit.derivative(f, 0.5, order=order, accuracy=4)
        np.testing.assert_array_equal(d * 0.5**order, d1)  # powers of two scale exactly
    assert math.isfinite(float(gradkit.derivative(f, 1e-70, order=4, accuracy=2)[3] * 1e-280))


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128, np.float16])
@pytest.mark.parametrize("accuracy", [None, 4])
def test_error_estimate_of_complex_input_is_real(dtype, accuracy):
    x = np.linspace(0, 3, 20)
    f = (np.sin(x) * (1 + 2j if np.dtype(dtype).kind == "c" else 1)).astype(dtype)
    _, err = gradkit.gradient(f, x, accuracy=accuracy, return_error=True)
    want = {np.complex64: np.float32, np.complex128: np.float64, np.float16: np.float16}[dtype]
    assert err.dtype == want
    _, err = gradkit.derivative(f, x, return_error=True)
    assert err.dtype == want


@pytest.mark.parametrize("scale", [1e-30, 1e30, 1e-20])
def test_numpy_mode_float32_coordinates_at_extreme_spacing(scale):
    t = np.cumsum(np.linspace(1, 2, 12)).astype(np.float32)
    x = (t * np.float32(scale)).astype(np.float32)
    ours = gradkit.gradient((3 * t).astype(np.float32), x)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours * scale, 3, rtol=1e-5)
