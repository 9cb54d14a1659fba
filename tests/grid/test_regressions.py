"""Regressions, each named after what broke, checked against scipy where scipy has the call."""

import warnings

import numpy as np
import pytest
import scipy.interpolate as si
import scipy.sparse.linalg as ssl

from gradkit.grid import RegularGridInterpolator, interpn

pytestmark = pytest.mark.kernels

SPLINE_AND_PCHIP = ["slinear", "cubic", "quintic", "pchip", "slinear_legacy", "cubic_legacy"]
G = np.linspace(0.0, 1.0, 7)


def _values(shape=(7, 7), seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def _scipy(points, values, method="linear", **kw):
    """scipy's interpolator; spline methods with an exact solver (its default gcrotmk
    stops at a tolerance, gradkit solves exactly)."""
    if method in ("slinear", "cubic", "quintic"):
        kw.setdefault("solver", ssl.spsolve)
    return si.RegularGridInterpolator(points, values, method=method, **kw)


# -- NaN in values -----------------------------------------------------------------


@pytest.mark.parametrize("method", SPLINE_AND_PCHIP)
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nonfinite_values_for_a_fit_name_values(method, bad):
    values = _values()
    values[2, 3] = bad
    xi = np.array([[0.1, 0.1]])
    # scipy raises ValueError (at construction with its default solver, or at the first
    # call for pchip and the legacy methods)
    with pytest.raises(ValueError):
        si.RegularGridInterpolator((G, G), values, method=method)(xi)
    with pytest.raises(ValueError, match=r"`values` must be finite for method .* \(2, 3\)"):
        RegularGridInterpolator((G, G), values, method=method)
    # the same check for a method asked for at call time
    with pytest.raises(ValueError, match="`values` must be finite"):
        RegularGridInterpolator((G, G), values)(xi, method=method)


@pytest.mark.parametrize("method", ["linear", "nearest"])
def test_nan_values_spoil_only_the_cells_that_read_them(method):
    values = _values()
    values[2, 3] = np.nan
    xi = np.random.default_rng(1).uniform(0, 1, (400, 2))
    xi = np.vstack([xi, G[[2, 2, 1, 3]].reshape(2, 2)])
    got = RegularGridInterpolator((G, G), values, method=method)(xi)
    want = _scipy((G, G), values, method=method)(xi)
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13, equal_nan=True)
    assert 0 < np.isnan(got).sum() < len(xi) // 4  # spoiled locally, not everywhere


# -- 1-D values for a 2-D grid, bare arrays of points -----------------------------------


def test_one_dimensional_values_for_a_2d_grid_is_a_value_error():
    values = _values()
    with pytest.raises(ValueError, match="There are 2 point arrays"):
        si.RegularGridInterpolator((G, G), values[:, 0])
    with pytest.raises(ValueError, match="`values` must have at least 2 dimensions"):
        RegularGridInterpolator((G, G), values[:, 0])
    with pytest.raises(ValueError, match="`values` must have at least 2 dimensions"):
        interpn((G, G), values[:, 0], [[0.5, 0.5]])


def test_a_bare_array_of_points_names_points():
    # scipy raises IndexError (each float is taken as an axis); gradkit's error is both
    values = _values()
    with pytest.raises(IndexError):
        si.RegularGridInterpolator(G, values[:, 0])
    with pytest.raises(IndexError, match=r"`points` must be a tuple of 1-D arrays") as info:
        RegularGridInterpolator(G, values[:, 0])
    assert isinstance(info.value, ValueError)


# -- attributes: values and grid are read-only; fill_value and bounds_error live ----------


def test_values_and_grid_are_read_only_as_in_scipy():
    values = _values()
    for cls in (si.RegularGridInterpolator, RegularGridInterpolator):
        interp = cls((G, G), values)
        with pytest.raises(AttributeError, match="values"):
            interp.values = 2 * values
        with pytest.raises(AttributeError, match="grid"):
            interp.grid = (G, G)
        np.testing.assert_array_equal(interp.values, values)


@pytest.mark.parametrize("method", ["linear", "nearest", "cubic", "pchip"])
def test_assigned_fill_value_and_bounds_error_are_used_by_every_call(method):
    values = _values()
    ours = RegularGridInterpolator((G, G), values, method=method, bounds_error=False)
    ref = _scipy((G, G), values, method=method, bounds_error=False)
    xi = np.array([[0.3, 0.4], [1.4, 0.5], [-0.2, 0.9]])
    np.testing.assert_allclose(ours(xi), ref(xi), rtol=1e-12, equal_nan=True)
    assert np.isnan(ours(xi)[1:]).all()
    for obj in (ours, ref):
        obj.fill_value = -4.0
    np.testing.assert_allclose(ours(xi), ref(xi), rtol=1e-12)
    v, g = ours.value_and_gradient(xi)
    np.testing.assert_allclose(v, ref(xi), rtol=1e-12)
    assert np.all(g[1:] == 0) and np.all(v[1:] == -4.0)
    for obj in (ours, ref):
        obj.fill_value = None  # extrapolate
    np.testing.assert_allclose(ours(xi), ref(xi), rtol=1e-10, atol=1e-12)
    v, g = ours.value_and_gradient(xi)
    np.testing.assert_allclose(v, ref(xi), rtol=1e-10, atol=1e-12)
    if method != "nearest":  # the extrapolated gradient is the edge polynomial's slope
        h = 1e-6
        fd = (ref(xi + [h, 0]) - ref(xi - [h, 0])) / (2 * h)
        np.testing.assert_allclose(g[:, 0], fd, rtol=1e-5, atol=1e-5)
    for obj in (ours, ref):
        obj.bounds_error = True
    for call in (ref, ours, ours.value_and_gradient, ours.hessian):
        with pytest.raises(ValueError, match="^One of the requested xi is out of bounds in"):
            call(xi)
    with pytest.raises(TypeError, match="`bounds_error` must be True or False; got 'yes'"):
        ours.bounds_error = "yes"
        ours(xi[:1])


def test_assigned_incompatible_fill_value_names_fill_value():
    interp = RegularGridInterpolator((G, G), _values(), bounds_error=False)
    interp.fill_value = 2j
    with pytest.raises(ValueError, match="`fill_value` has dtype complex128"):
        interp([[2.0, 0.5]])


# -- length-1 and length-2 axes ------------------------------------------------------


@pytest.mark.parametrize("method", ["linear", "nearest"])
def test_length_one_axis_value_and_gradient(method):
    x = np.array([0.5])
    y = np.linspace(0, 2, 5)
    values = np.sin(y)[None, :] + np.array([[3.0]])
    kw = dict(method=method, bounds_error=False, fill_value=None)
    ours = RegularGridInterpolator((x, y), values, **kw)
    ref = si.RegularGridInterpolator((x, y), values, **kw)
    xi = np.column_stack([np.full(9, 0.5), np.linspace(-0.5, 2.5, 9)])
    xi[::2, 0] = 1.7  # off the length-1 axis: constant along it
    v, g, h = ours.value_gradient_hessian(xi)
    np.testing.assert_allclose(v, ref(xi), rtol=1e-14, atol=1e-15)
    assert np.all(g[:, 0] == 0) and np.all(h[:, 0, :] == 0)
    if method == "linear":  # the cell on the right of a grid line: forward differences
        fd = (ref(xi + [0, 1e-7]) - ref(xi)) / 1e-7
        np.testing.assert_allclose(g[:, 1], fd, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("method", ["slinear", "cubic", "quintic", "pchip"])
def test_length_one_axis_for_a_fit_is_refused_as_scipy_does(method):
    values = _values((1, 7))
    with pytest.raises(ValueError, match="There are 1 points in dimension 0"):
        si.RegularGridInterpolator((np.array([0.0]), G), values, method=method)
    with pytest.raises(ValueError, match=r"There are 1 points .* \(`points\[0\]` is too short"):
        RegularGridInterpolator((np.array([0.0]), G), values, method=method)


@pytest.mark.parametrize("method", ["linear", "nearest", "slinear"])
def test_length_two_axes(method):
    x = np.array([0.0, 2.0])
    values = np.array([[1.0, -2.0], [3.0, 5.0]])
    ours = RegularGridInterpolator((x, x), values, method=method)
    ref = _scipy((x, x), values, method=method)
    xi = np.random.default_rng(3).uniform(0, 2, (50, 2))
    np.testing.assert_allclose(ours(xi), ref(xi), rtol=1e-13)
    if method == "slinear":
        v, g = ours.value_and_gradient(xi)
        np.testing.assert_allclose(g[:, 0], ref(xi, nu=(1, 0)), rtol=1e-12)
        np.testing.assert_allclose(g[:, 1], ref(xi, nu=(0, 1)), rtol=1e-12)


# -- NaN queries with bounds_error=True --------------------------------------------------


def test_nan_query_with_bounds_error_raises_as_scipy_does():
    values = _values()
    xi = np.array([[0.5, 0.5], [0.2, np.nan]])
    for interp in (_scipy((G, G), values), RegularGridInterpolator((G, G), values)):
        with pytest.raises(
            ValueError, match="^One of the requested xi is out of bounds in dimension 1$"
        ):
            interp(xi)
    ours = RegularGridInterpolator((G, G), values, bounds_error=False)
    assert np.isnan(ours(xi)[1]) and np.isfinite(ours(xi)[0])


# -- solver and solver_args ------------------------------------------------------------


def test_solver_args_without_solver_go_to_scipys_default_solver():
    values = _values()
    with pytest.raises(TypeError):
        si.RegularGridInterpolator((G, G), values, method="slinear", solver_args={"woof": 42})
    with pytest.raises(TypeError, match=r"`solver` gcrotmk failed .* `solver_args` = \{'woof'"):
        RegularGridInterpolator((G, G), values, method="slinear", solver_args={"woof": 42})
    # accepted arguments reach gcrotmk: the same coefficients as scipy's
    kw = dict(method="cubic", solver_args={"rtol": 1e-3, "maxiter": 2})
    xi = np.random.default_rng(4).uniform(0, 1, (30, 2))
    np.testing.assert_allclose(
        RegularGridInterpolator((G, G), values, **kw)(xi),
        si.RegularGridInterpolator((G, G), values, **kw)(xi),
        rtol=1e-12,
        atol=1e-12,
    )


def test_solver_with_the_wrong_interface_is_a_type_error_naming_solver():
    def one_argument(a):
        return a

    with pytest.raises(TypeError):
        si.RegularGridInterpolator((G, G), _values(), method="slinear", solver=one_argument)
    with pytest.raises(TypeError, match="`solver` one_argument failed when called"):
        RegularGridInterpolator((G, G), _values(), method="slinear", solver=one_argument)


# -- duck-typed values -------------------------------------------------------------------


class _Indexable:
    """scipy's MyValue: ndim, shape and __getitem__, but no array conversion."""

    __array_interface__ = None  # not a dict: np.asarray fails on it

    def __init__(self, data):
        self._data = data
        self.ndim = data.ndim
        self.shape = data.shape

    def __getitem__(self, index):
        return self._data[index]

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("no array representation")


@pytest.mark.parametrize("method", ["linear", "nearest", "cubic", "pchip"])
def test_duck_typed_values_are_read_by_indexing(method):
    data = _values((7, 7, 2))
    with pytest.raises(ValueError):
        np.asarray(_Indexable(data))
    xi = np.random.default_rng(5).uniform(0, 1, (20, 2))
    ours = RegularGridInterpolator((G, G), _Indexable(data), method=method)
    plain = RegularGridInterpolator((G, G), data, method=method)
    for a, b in zip(ours.value_and_gradient(xi), plain.value_and_gradient(xi), strict=True):
        np.testing.assert_array_equal(a, b)
    if method in ("linear", "nearest"):  # scipy reads such values only for these
        ref = si.RegularGridInterpolator((G, G), _Indexable(data), method=method)
        np.testing.assert_allclose(ours(xi), ref(xi), rtol=1e-13)
        np.testing.assert_allclose(interpn((G, G), _Indexable(data), xi, method=method), ref(xi))


# -- nu ---------------------------------------------------------------------------------


def test_integral_float_nu_is_accepted_as_scipy_does_and_fractions_refused():
    values = _values()
    ours = RegularGridInterpolator((G, G), values, method="cubic")
    ref = _scipy((G, G), values, method="cubic")
    xi = np.array([[0.3, 0.6]])
    np.testing.assert_allclose(ours(xi, nu=(1.0, 0.0)), ref(xi, nu=(1.0, 0.0)), rtol=1e-10)
    np.testing.assert_allclose(ours(xi, nu=(True, False)), ref(xi, nu=(1, 0)), rtol=1e-10)
    with pytest.raises(ValueError, match=r"`nu` must be a sequence of 2 non-negative integers"):
        ours(xi, nu=(1.5, 0))


# -- extreme coordinates and values ----------------------------------------------------


@pytest.mark.parametrize("method", ["linear", "cubic", "pchip"])
@pytest.mark.parametrize("scale", [1e-300, 1e-120, 1e120, 1e300])
def test_extreme_grid_scales_keep_values_and_gradients(method, scale):
    # pchip's derivative jets overflowed: gradients were NaN or wrong beyond 1e+-100
    values = _values((7, 7))
    xi = np.random.default_rng(6).uniform(0, 1, (25, 2))
    unit = RegularGridInterpolator((G, G), values, method=method)
    scaled = RegularGridInterpolator((G * scale, G), values, method=method)
    v0, g0 = unit.value_and_gradient(xi)
    v, g = scaled.value_and_gradient(xi * [scale, 1.0])
    np.testing.assert_allclose(v, v0, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g[:, 0] * scale, g0[:, 0], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(g[:, 1], g0[:, 1], rtol=1e-8, atol=1e-10)
    if method != "pchip" and scale < 1e299:  # scipy's pchip fails there (ValueError)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            ref = _scipy((G * scale, G), values, method=method)(xi * [scale, 1.0])
        np.testing.assert_allclose(v, ref, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("method", ["cubic", "quintic", "pchip"])
@pytest.mark.parametrize("scale", [1e-300, 1e300, 1e305])
def test_extreme_values_keep_values_and_gradients(method, scale):
    # the spline solve overflowed near the largest floats; pchip gradients too
    values = _values((7, 7))
    xi = np.random.default_rng(7).uniform(0, 1, (25, 2))
    v0, g0 = RegularGridInterpolator((G, G), values, method=method).value_and_gradient(xi)
    v, g = RegularGridInterpolator((G, G), values * scale, method=method).value_and_gradient(xi)
    np.testing.assert_allclose(v / scale, v0, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g / scale, g0, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("method", ["cubic", "quintic"])
def test_values_near_the_largest_float_fit(method):
    # the axis-by-axis solve overflowed: quintic raised "Array must not contain infs or
    # nans", cubic returned wrong values; the gradient itself overflows here (inf)
    values = _values((7, 7))
    xi = np.random.default_rng(8).uniform(0, 1, (25, 2))
    v0 = RegularGridInterpolator((G, G), values, method=method)(xi)
    v, g = RegularGridInterpolator((G, G), values * 1e307, method=method).value_and_gradient(xi)
    np.testing.assert_allclose(v / 1e307, v0, rtol=1e-10, atol=1e-12)


def test_subnormal_grid_spacing_is_refused_naming_points():
    # 1/spacing overflows: the kernels would return inf/NaN where scipy divides exactly
    tiny = np.arange(6) * 1e-310
    with pytest.raises(ValueError, match=r"`points\[0\]` has a grid spacing of 1e-310"):
        RegularGridInterpolator((tiny,), np.arange(6.0))


def test_infinite_grid_point_for_linear_matches_scipy():
    x = np.array([0.0, 1.0, np.inf])
    values = np.array([0.0, 1.0, 2.0])
    xi = np.array([[0.5], [2.0], [1e300]])
    got = RegularGridInterpolator((x,), values)(xi)
    np.testing.assert_array_equal(got, si.RegularGridInterpolator((x,), values)(xi))
    with pytest.raises(ValueError, match=r"`points\[0\]` must be finite for method 'cubic'"):
        RegularGridInterpolator(
            (np.array([0.0, 1.0, 2.0, np.inf]),), np.arange(4.0), method="cubic"
        )


# -- splinef2d -------------------------------------------------------------------------


def test_splinef2d_zero_d_query_and_nan_values_are_clear():
    values = _values()
    with pytest.raises(IndexError):
        si.interpn((G, G), values, np.array(0.5), method="splinef2d")
    with pytest.raises(IndexError, match="`xi` must be an array of query points") as info:
        interpn((G, G), values, np.array(0.5), method="splinef2d")
    assert isinstance(info.value, ValueError)
    values[1, 1] = np.nan
    with pytest.raises(ValueError, match="`values` must be finite for method 'splinef2d'"):
        interpn((G, G), values, [[0.5, 0.5]], method="splinef2d")
    # descending axes work (scipy's RectBivariateSpline needs them ascending)
    good = _values()
    want = si.interpn((G, G), good, [[0.3, 0.7]], method="splinef2d")
    got = interpn((G[::-1], G), good[::-1], [[0.3, 0.7]], method="splinef2d")
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_matrix_values_become_a_plain_array_as_in_scipy():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        values = np.matrix(_values())
    ours = RegularGridInterpolator((G, G), values)
    ref = si.RegularGridInterpolator((G, G), values)
    assert type(ours.values) is type(ref.values) is np.ndarray
    xi = np.random.default_rng(9).uniform(0, 1, (10, 2))
    np.testing.assert_allclose(ours.value_and_gradient(xi)[0], ref(xi), rtol=1e-13)


def test_fill_value_per_component_reaches_values_and_derivatives():
    # an array fill_value broadcasting to the value shape (scipy assigns it per point)
    values = _values((7, 7, 3))
    fill = np.array([7.0, np.nan, -1.0])
    xi = np.array([[2.0, 0.5], [0.5, 0.5], [0.1, -3.0]])
    ref = si.RegularGridInterpolator((G, G), values, bounds_error=False, fill_value=fill)(xi)
    ours = RegularGridInterpolator((G, G), values, bounds_error=False, fill_value=fill)
    v, g, h = ours.value_gradient_hessian(xi)
    np.testing.assert_allclose(v, ref, rtol=1e-13, equal_nan=True)
    for deriv in (g, h):
        outside = deriv[[0, 2]].reshape(2, 3, -1)
        assert np.all(outside[:, [0, 2]] == 0) and np.all(np.isnan(outside[:, 1]))
        assert np.all(np.isfinite(deriv[1]))
    with pytest.raises(ValueError, match=r"`fill_value` must be a number or broadcast to"):
        RegularGridInterpolator((G, G), values, bounds_error=False, fill_value=[1.0, 2.0])
