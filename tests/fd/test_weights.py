import numpy as np
import pytest

from gradkit.fd._weights import boundary_width, fornberg_weights, interior_width


def test_classic_stencils():
    np.testing.assert_allclose(
        fornberg_weights([0.0], [[-2, -1, 0, 1, 2]], 1)[0] * 12, [1, -8, 0, 8, -1], atol=1e-13
    )
    np.testing.assert_allclose(fornberg_weights([0.0], [[-1, 0, 1]], 2)[0], [1, -2, 1])
    np.testing.assert_allclose(fornberg_weights([0.0], [[0, 1, 2]], 1)[0], [-1.5, 2, -0.5])


@pytest.mark.parametrize("order", [0, 1, 2, 3, 4])
def test_exact_for_polynomials(order, rng):
    x = np.sort(rng.uniform(-1, 1, (4, 7)), axis=1)
    z = rng.uniform(-0.5, 0.5, 4)
    w = fornberg_weights(z, x, order)
    from math import factorial

    for degree in range(7):
        got = (w * x**degree).sum(axis=1)
        if degree < order:
            want = np.zeros(4)
        else:
            want = factorial(degree) / factorial(degree - order) * z ** (degree - order)
        np.testing.assert_allclose(got, want, atol=1e-8)


def test_widths():
    assert interior_width(1, 2) == 3 and interior_width(2, 2) == 3
    assert interior_width(3, 2) == 5 and interior_width(4, 4) == 7
    assert boundary_width(1, 4) == 5 and boundary_width(2, 2) == 4
