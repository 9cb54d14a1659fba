"""Lazy evaluation of dask arrays of queries (map_blocks), also on a LocalCluster."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from gradkit.rbf import RBFInterpolator

da = pytest.importorskip("dask.array")

pytestmark = pytest.mark.kernels


@pytest.fixture(scope="module")
def interp():
    rng = np.random.default_rng(0)
    y = rng.random((80, 2))
    d = np.stack([np.sin(3 * y[:, 0]), y[:, 1] ** 2 + 1j * y[:, 0]], axis=1)
    x = rng.random((6, 5, 2))
    return y, d, x


@pytest.mark.parametrize("neighbors", [None, 12])
def test_dask_queries_are_lazy_and_equal(interp, neighbors):
    y, d, x = interp
    f = RBFInterpolator(y, d, neighbors=neighbors)
    xd = da.from_array(x, chunks=(2, 3, 1))
    v, g, h = f.value_gradient_hessian(xd)
    assert isinstance(v, da.Array) and isinstance(g, da.Array) and isinstance(h, da.Array)
    assert v.shape == (6, 5, 2) and g.shape == (6, 5, 2, 2) and h.shape == (6, 5, 2, 2, 2)
    assert v.dtype == np.complex128
    v0, g0, h0 = f.value_gradient_hessian(x)
    assert_allclose(v.compute(), v0, rtol=1e-14)
    assert_allclose(g.compute(), g0, rtol=1e-14)
    assert_allclose(h.compute(), h0, rtol=1e-14)
    x2 = da.from_array(x.reshape(30, 2), chunks=(7, 2))
    assert_allclose(f(x2).compute(), f(x.reshape(30, 2)), rtol=1e-14)
    vg = f.value_and_gradient(x2)
    assert_allclose(vg[1].compute(), f.value_and_gradient(x.reshape(30, 2))[1], rtol=1e-14)


def test_dask_wrong_last_axis(interp):
    y, d, _ = interp
    f = RBFInterpolator(y, d)
    with pytest.raises(ValueError, match="last axis of `x` to have length 2"):
        f.value_and_gradient(da.zeros((4, 3)))


@pytest.mark.distributed
def test_local_cluster(interp):
    distributed = pytest.importorskip("distributed")
    y, d, x = interp
    f = RBFInterpolator(y, d[:, 0].real, kernel="gaussian", epsilon=3.0)
    xd = da.from_array(x.reshape(30, 2), chunks=(10, 2))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        v, g = f.value_and_gradient(xd)
        v_c, g_c = client.compute([v, g], sync=True)
    v0, g0 = f.value_and_gradient(x.reshape(30, 2))
    assert_allclose(v_c, v0, rtol=1e-14)
    assert_allclose(g_c, g0, rtol=1e-14)
