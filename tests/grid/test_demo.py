"""The `gradkit demo` section for grid interpolants: a trilinear interpolant's gradient."""

import numpy as np
import pytest

from gradkit.grid import RegularGridInterpolator
from gradkit.grid._demo import _f, _grad_f, run

pytestmark = pytest.mark.kernels


def test_demo_runs_and_writes_figure(tmp_path):
    pytest.importorskip("matplotlib")
    text = run(tmp_path)
    assert "figure written to" in text
    assert (tmp_path / "grid_value_and_gradient.png").stat().st_size > 10_000
    assert "353.108" in text


def test_case_one_numbers():
    x = np.linspace(0, 10, 20)
    y = np.linspace(-10, 10, 20)
    z = np.linspace(0, 20, 20)
    interp = RegularGridInterpolator(
        (x, y, z), _f(*np.meshgrid(x, y, z, indexing="ij")), bounds_error=False, fill_value=None
    )
    v, g = interp.value_and_gradient([0.23, 1.67, 5.88])
    # central differences of the interpolant, step 0.1, give roughly [353.1, 3.8, 25.2]
    np.testing.assert_allclose(g[0], [353.1, 3.8, 25.2], atol=0.06)
    # x and z steps of 0.1 stay in the cell: central differences are exact there
    for j in (0, 2):
        e = np.zeros(3)
        e[j] = 0.1
        cd = (interp([0.23, 1.67, 5.88] + e) - interp([0.23, 1.67, 5.88] - e)) / 0.2
        np.testing.assert_allclose(g[0, j], cd[0], rtol=1e-12)
    np.testing.assert_allclose(_grad_f(0.23, 1.67, 5.88), [350.63, 3.659, 25.56], atol=0.01)
