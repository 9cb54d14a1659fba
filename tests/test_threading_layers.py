"""No numba threading layer may kill the user's process.

numba's ``workqueue`` layer aborts the interpreter when two Python threads launch parallel
kernels at once. Each case runs in a fresh interpreter with the layer forced, calls gradkit
from several threads at once (as dask's threaded scheduler does), and checks that the
process exits normally and every thread got the serial result. (Not marked ``kernels``:
the bounds-checked re-run in CI covers the kernels themselves; this file is about launches.)
"""

import os
import subprocess
import sys
import textwrap

import pytest

CASES = {
    "gradient": """
        f = np.random.default_rng(0).standard_normal((64, 64, 64))
        def work():
            return np.stack(gradkit.gradient(f, 0.5, accuracy=4))
    """,
    "numpy-mode gradient": """
        f = np.random.default_rng(0).standard_normal((128, 512))
        def work():
            return np.stack(gradkit.gradient(f))
    """,
    "grid interpolant": """
        g = np.linspace(0, 1, 30)
        V = np.random.default_rng(0).standard_normal((30, 30, 30))
        interp = gradkit.RegularGridInterpolator((g, g, g), V, method="cubic")
        xi = np.random.default_rng(1).uniform(0, 1, (200_000, 3))
        def work():
            v, gr = interp.value_and_gradient(xi)
            return np.concatenate([v[:, None], gr], axis=1)
    """,
    "RBF interpolant": """
        rng = np.random.default_rng(0)
        y = rng.uniform(0, 1, (300, 2))
        rbf = gradkit.RBFInterpolator(y, np.sin(4 * y[:, 0]) * y[:, 1])
        xi = rng.uniform(0, 1, (20_000, 2))
        def work():
            v, gr = rbf.value_and_gradient(xi)
            return np.concatenate([v[:, None], gr], axis=1)
    """,
}

DRIVER = """
import threading
import numpy as np
import gradkit
{setup}
expected = work()
results, errors = [None] * 8, []
def run(i):
    try:
        for _ in range(3):
            results[i] = work()
    except BaseException as exc:  # reported below
        errors.append(repr(exc))
threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
import numba
assert numba.threading_layer() == "workqueue", numba.threading_layer()
assert not errors, errors
for r in results:
    np.testing.assert_array_equal(r, expected)
print("ok")
"""


@pytest.mark.parametrize("case", sorted(CASES))
def test_concurrent_calls_under_workqueue_layer_do_not_abort(case):
    code = DRIVER.format(setup=textwrap.dedent(CASES[case]))
    env = dict(os.environ, NUMBA_THREADING_LAYER="workqueue", NUMBA_NUM_THREADS="2")
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().endswith("ok")
