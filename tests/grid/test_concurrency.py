"""Thread safety, pickling and dask arrays of queries."""

import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from gradkit.grid import RegularGridInterpolator

pytestmark = pytest.mark.kernels

da = pytest.importorskip("dask.array")


def _interp(method="cubic"):
    rng = np.random.default_rng(5)
    x = np.linspace(0, 1, 12)
    y = np.sort(rng.uniform(0, 2, 10))
    y[0], y[-1] = 0.0, 2.0
    return RegularGridInterpolator(
        (x, y), rng.standard_normal((12, 10, 2)), method=method, bounds_error=False, fill_value=None
    )


@pytest.mark.parametrize("method", ["linear", "cubic", "pchip"])
@pytest.mark.parametrize("force_parallel", [False, True])
def test_threads_identical_results(method, force_parallel, monkeypatch):
    from gradkit.grid import _plan

    if force_parallel:
        monkeypatch.setattr(_plan, "_SERIAL_WORK", 0)
    interp = _interp(method)
    xi = np.random.default_rng(0).uniform(-0.1, 2.1, (3000, 2))
    expected = interp.value_gradient_hessian(xi)

    def work(_):
        return interp.value_gradient_hessian(xi)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, range(8)))
    for res in results:
        for a, b in zip(res, expected, strict=True):
            np.testing.assert_array_equal(a, b)


def test_pickle_round_trip():
    interp = _interp()
    xi = np.random.default_rng(1).uniform(0, 1, (20, 2))
    clone = pickle.loads(pickle.dumps(interp))
    for a, b in zip(
        clone.value_gradient_hessian(xi), interp.value_gradient_hessian(xi), strict=True
    ):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("method", ["linear", "nearest", "pchip"])
def test_pickle_carries_the_data_once(method):
    interp = _interp(method)
    interp.value_and_gradient(np.zeros((1, 2)))
    blob = pickle.dumps(interp)
    assert len(blob) < 1.2 * interp.values.nbytes + 4000
    clone = pickle.loads(blob)
    xi = np.random.default_rng(4).uniform(0, 1, (30, 2))
    for a, b in zip(clone.value_and_gradient(xi), interp.value_and_gradient(xi), strict=True):
        np.testing.assert_array_equal(a, b)


def test_dask_lazy_values_and_gradients():
    interp = _interp()
    xi = np.random.default_rng(2).uniform(0, 1, (7, 50, 2))
    dxi = da.from_array(xi, chunks=(3, 20, 1))
    v, g, h = interp.value_gradient_hessian(dxi)
    assert isinstance(v, da.Array) and isinstance(g, da.Array) and isinstance(h, da.Array)
    ev, eg, eh = interp.value_gradient_hessian(xi)
    assert v.shape == ev.shape and g.shape == eg.shape and h.shape == eh.shape
    np.testing.assert_allclose(v.compute(), ev, rtol=1e-15)
    np.testing.assert_allclose(g.compute(), eg, rtol=1e-15)
    np.testing.assert_allclose(h.compute(), eh, rtol=1e-15)
    # each lazy call equals the same call in memory (the value-only and value+gradient
    # kernels may round differently from the Hessian kernel: FMA, see cubic_vg_2d)
    np.testing.assert_allclose(interp(dxi).compute(), interp(xi), rtol=1e-15)
    vv, gg = interp.value_and_gradient(dxi)
    ev1, eg1 = interp.value_and_gradient(xi)
    np.testing.assert_allclose(vv.compute(), ev1, rtol=1e-15)
    np.testing.assert_allclose(gg.compute(), eg1, rtol=1e-15)
    np.testing.assert_allclose(ev1, ev, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(eg1, eg, rtol=1e-12, atol=1e-13)


@pytest.mark.distributed
def test_dask_distributed_cluster():
    distributed = pytest.importorskip("distributed")
    interp = _interp()
    xi = np.random.default_rng(3).uniform(0, 1, (400, 2))
    dxi = da.from_array(xi, chunks=(100, 2))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        v, g = interp.value_and_gradient(dxi)
        rv, rg = client.compute([v, g], sync=True)
    ev, eg = interp.value_and_gradient(xi)
    np.testing.assert_allclose(rv, ev, rtol=1e-15)
    np.testing.assert_allclose(rg, eg, rtol=1e-15)


@pytest.mark.parametrize("method", ["linear", "nearest", "slinear", "cubic", "quintic", "pchip"])
@pytest.mark.parametrize("ndim", [1, 2, 3, 4])
def test_parallel_path_equals_serial_path(method, ndim, monkeypatch):
    """Small batches run on one thread; force the parallel kernels and compare."""
    from gradkit.grid import _plan

    rng = np.random.default_rng(ndim)
    pts = tuple(np.linspace(0, 1, 7) for _ in range(ndim))
    interp = RegularGridInterpolator(
        pts,
        rng.standard_normal((7,) * ndim + (2,)),
        method=method,
        bounds_error=False,
        fill_value=None,
    )
    xi = rng.uniform(-0.2, 1.2, (2000, ndim))
    xi[5, 0] = np.nan
    serial = [interp.value_and_gradient(xi), interp.value_gradient_hessian(xi), interp(xi)]
    monkeypatch.setattr(_plan, "_SERIAL_WORK", 0)
    parallel = [interp.value_and_gradient(xi), interp.value_gradient_hessian(xi), interp(xi)]
    for s_res, p_res in zip(serial[:2], parallel[:2], strict=True):
        for a, b in zip(s_res, p_res, strict=True):
            np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(serial[2], parallel[2])


@pytest.mark.parametrize("force_parallel", [False, True])
def test_calls_with_another_method_from_many_threads_leave_the_object_unchanged(
    force_parallel, monkeypatch
):
    """scipy's test_concurrency, without its private `_spline`: threads calling with a
    method other than the constructor's ("slinear") do not change the object -- the
    constructor's plan is the same object, the attributes are the same, and every call
    (during and after) returns what a fresh single-threaded interpolator returns."""
    import threading

    from gradkit.grid import _plan

    if force_parallel:
        monkeypatch.setattr(_plan, "_SERIAL_WORK", 0)
    rng = np.random.default_rng(11)
    points = tuple(np.sort(rng.uniform(0, 1, 6)) for _ in range(3))
    for p in points:
        p[0], p[-1] = 0.0, 1.0
    values = rng.standard_normal((6, 6, 6))
    interp = RegularGridInterpolator(points, values, method="slinear")
    sample = rng.uniform(0, 1, (300, 3))
    methods = ["slinear", "nearest", "linear", "cubic", "pchip"]
    fresh = {m: RegularGridInterpolator(points, values, method=m) for m in methods}
    expected = {m: fresh[m].value_and_gradient(sample) for m in methods}
    before_value = interp(sample)
    own_plan = interp._plans["slinear"]
    state = {k: v for k, v in vars(interp).items() if k != "_plans"}
    snapshot = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in state.items()}

    n_threads = 10
    barrier = threading.Barrier(n_threads)
    results = [None] * n_threads
    errors = []

    def worker(tid):
        try:
            method = methods[tid % len(methods)]
            barrier.wait()
            value = interp(sample, method=method)
            both = interp.value_and_gradient(sample, method=method)
            results[tid] = (method, value, both)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for method, value, (v, g) in results:
        want_v, want_g = expected[method]
        np.testing.assert_allclose(value, want_v, rtol=1e-13, atol=1e-14)
        np.testing.assert_array_equal(v, want_v)
        np.testing.assert_array_equal(g, want_g)
    # the object: same constructor plan, same attributes, same results
    assert interp._plans["slinear"] is own_plan
    assert interp.method == "slinear"
    for key, old in snapshot.items():
        new = vars(interp)[key]
        assert new is state[key], key
        if isinstance(old, np.ndarray):
            np.testing.assert_array_equal(new, old)
        elif isinstance(old, tuple):
            for a, b in zip(new, old, strict=True):
                np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(interp(sample), before_value)
    np.testing.assert_array_equal(interp.value_and_gradient(sample)[1], expected["slinear"][1])
