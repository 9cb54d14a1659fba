"""dask arrays in, lazy dask arrays out, equal to the in-memory result."""

import numpy as np
import pytest

import gradkit

da = pytest.importorskip("dask.array")
pytestmark = pytest.mark.kernels

CASES = [
    {},
    {"edge_order": 2},
    {"accuracy": 6},
    {"accuracy": 4, "boundary": "periodic"},
    {"accuracy": 2, "boundary": ("periodic", "one-sided")},
]


@pytest.mark.parametrize("kwargs", CASES)
def test_gradient_dask_threaded(kwargs, rng):
    f = rng.standard_normal((23, 31))
    y = np.cumsum(rng.uniform(0.5, 1.5, 31))
    kw = dict(kwargs)
    if kw.get("boundary") == "periodic":
        kw["period"] = [23 * 0.5, 1.2 * (y[-1] - y[0])]
    x = da.from_array(f, chunks=(5, 7))
    lazy = gradkit.gradient(x, 0.5, y, **kw)
    want = gradkit.gradient(f, 0.5, y, **kw)
    for a, b in zip(lazy, want):
        assert isinstance(a, da.Array)
        np.testing.assert_array_equal(a.compute(), b)


def test_operators_dask(rng):
    f = rng.standard_normal((12, 14))
    x = da.from_array(f, chunks=(4, 5))
    np.testing.assert_allclose(
        gradkit.hessian(x, 0.3, accuracy=4).compute(), gradkit.hessian(f, 0.3, accuracy=4)
    )
    np.testing.assert_allclose(
        gradkit.laplacian(x, boundary="periodic").compute(),
        gradkit.laplacian(f, boundary="periodic"),
    )
    np.testing.assert_allclose(
        gradkit.derivative(x, axis=1, order=3, accuracy=4).compute(),
        gradkit.derivative(f, axis=1, order=3, accuracy=4),
    )


@pytest.mark.distributed
def test_gradient_on_local_cluster(rng):
    distributed = pytest.importorskip("distributed")
    f = rng.standard_normal((40, 30, 20))
    x = da.from_array(f, chunks=(10, 15, 7))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        lazy = gradkit.gradient(x, 0.1, accuracy=4, boundary=("one-sided", "periodic", "one-sided"))
        got = client.compute(list(lazy), sync=True)
        numpy_mode = client.compute(gradkit.gradient(x, axis=0), sync=True)
    want = gradkit.gradient(f, 0.1, accuracy=4, boundary=("one-sided", "periodic", "one-sided"))
    for a, b in zip(got, want):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(numpy_mode, np.gradient(f, axis=0))
