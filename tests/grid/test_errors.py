"""Every error message, with the argument named."""

import numpy as np
import pytest
import scipy.sparse.linalg as ssl

from gradkit.grid import RegularGridInterpolator, interpn

X = np.linspace(0, 1, 5)
V = np.zeros((5, 5))


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        (
            dict(points=(X, X), values=V, method="spline"),
            ValueError,
            "Method 'spline' is not defined: `method` must be one of",
        ),
        (
            dict(points=(X[::-1][[0, 2, 1, 3, 4]], X), values=V),
            ValueError,
            r"strictly ascending or descending: `points\[0\]` is neither",
        ),
        (
            dict(points=(X, X, X), values=V),
            ValueError,
            "There are 3 point arrays, but values has 2 dimensions",
        ),
        (
            dict(points=(X, X[:4]), values=V),
            ValueError,
            r"There are 4 points and 5 values in dimension 1: `values.shape\[1\]`",
        ),
        (
            dict(points=(X[:, None], X), values=V),
            ValueError,
            r"must be 1-dimensional: `points\[0\]` has shape \(5, 1\)",
        ),
        (
            dict(points=(X, X), values=V, method="quintic"),
            ValueError,
            r"requires at least 6 points per dimension \(`points\[0\]` is too short\)",
        ),
        (
            dict(points=(X, X), values=V + 0j, method="pchip"),
            ValueError,
            "only works with real values: `values` has dtype complex128",
        ),
        (
            dict(points=(X, X), values=V, fill_value=1j),
            ValueError,
            "`fill_value` has dtype complex128",
        ),
        (
            dict(points=(X, X), values=V, solver=ssl.spsolve),
            ValueError,
            "does not accept the `solver` argument",
        ),
    ],
)
def test_construction_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        RegularGridInterpolator(**kwargs)


@pytest.mark.kernels
def test_call_errors():
    interp = RegularGridInterpolator((X, X), V, method="cubic")
    with pytest.raises(ValueError, match=r"have dimension 3 .* `xi.shape\[-1\]` must be 2"):
        interp(np.zeros((4, 3)))
    # scipy's exact message (its own suite matches it with ^...$)
    with pytest.raises(
        ValueError, match=r"^One of the requested xi is out of bounds in dimension 1$"
    ):
        interp.gradient(np.array([[0.5, 1.5]]))
    with pytest.raises(ValueError, match="`nu` must be a sequence of 2 non-negative"):
        interp(np.zeros((4, 2)), nu=(1, -1))
    with pytest.raises(ValueError, match="`nu` needs a spline method"):
        interp(np.zeros((4, 2)), method="linear", nu=(1, 0))
    with pytest.raises(ValueError, match="Method 'foo' is not defined"):
        interp(np.zeros((4, 2)), method="foo")
    with pytest.raises(ValueError, match="shape mismatch: objects cannot be broadcast"):
        interp((np.zeros(3), np.zeros(4)))


def test_interpn_errors():
    with pytest.raises(ValueError, match="interpn only understands the methods"):
        interpn((X, X), V, np.zeros((1, 2)), method="foo")
    with pytest.raises(ValueError, match="There are 3 point arrays"):
        interpn((X, X, X), V, np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"have dimension 3, .* `xi.shape\[-1\]` must be 2"):
        interpn((X, X), V, np.zeros((1, 3)))
    with pytest.raises(ValueError, match="supports neither `gradient`"):
        interpn((X, X), V, np.zeros((1, 2)), method="splinef2d", gradient=True)


@pytest.mark.kernels
@pytest.mark.parametrize("ndim", [2, 3])
@pytest.mark.parametrize("method", ["linear", "cubic", "quintic"])
@pytest.mark.parametrize("trailing", [(), (2,)])
def test_every_axis_and_side_out_of_bounds_is_caught(ndim, method, trailing):
    # covers the kernels that check bounds while they evaluate (linear 2-D/3-D, cubic
    # 3-D value+gradient) and the ones checked by a separate scan, for one and two
    # value components; 3000 points so that the parallel chunks are exercised
    import scipy.interpolate as si

    rng = np.random.default_rng(ndim)
    grid = tuple(np.linspace(0.0, 1.0 + a, 7 + a) for a in range(ndim))
    values = rng.standard_normal(tuple(len(g) for g in grid) + trailing)
    strict = RegularGridInterpolator(grid, values, method=method)
    filled = RegularGridInterpolator(grid, values, method=method, bounds_error=False)
    exact = {} if method == "linear" else {"solver": ssl.spsolve}  # see README deviations
    reference = si.RegularGridInterpolator(grid, values, method=method, bounds_error=False, **exact)
    for a in range(ndim):
        for bad in (-0.25, grid[a][-1] + 0.25):
            xi = rng.uniform(0.0, 1.0, (3000, ndim))
            xi[1234, a] = bad
            with pytest.raises(ValueError, match=f"out of bounds in dimension {a}"):
                strict(xi)
            with pytest.raises(ValueError, match=f"out of bounds in dimension {a}"):
                strict.value_and_gradient(xi)
            v, g = filled.value_and_gradient(xi)
            np.testing.assert_allclose(v, reference(xi), rtol=1e-12, atol=1e-12)
            assert np.isnan(v[1234]).all()
            assert np.isnan(g[1234]).all()  # the gradient of the fill value nan
            inside = np.delete(np.arange(3000), 1234)
            assert np.isfinite(g[inside]).all()
    # in bounds everywhere: no error; a NaN query raises as scipy's bounds check does
    # (NaN is never inside the grid), and spoils only its own point when filling
    xi = rng.uniform(0.0, 1.0, (3000, ndim))
    v_inside = strict.value_and_gradient(xi)[0]
    np.testing.assert_allclose(v_inside, reference(xi), rtol=1e-12, atol=1e-12)
    xi[7, 0] = np.nan
    scipy_strict = si.RegularGridInterpolator(grid, values, method=method, **exact)
    with pytest.raises(ValueError, match="out of bounds in dimension 0"):
        scipy_strict(xi)
    with pytest.raises(
        ValueError, match="^One of the requested xi is out of bounds in dimension 0$"
    ):
        strict.value_and_gradient(xi)
    v_nan = filled.value_and_gradient(xi)[0]
    assert np.isnan(v_nan[7]).all()
    np.testing.assert_array_equal(np.delete(v_nan, 7, axis=0), np.delete(v_inside, 7, axis=0))
