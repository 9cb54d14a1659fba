"""No numba threading layer, and no number of threads, may kill the user's process.

numba's ``workqueue`` layer aborts the interpreter when two Python threads launch parallel
kernels at once. gradkit never uses a numba threading layer: its kernels are serial and run
on gradkit's own threads (``gradkit._parallel``). Each configuration runs in a fresh
interpreter with numba's layer forced to ``workqueue`` (the one that aborted) and gradkit's
thread count set, calls every parallel capability of gradkit from several threads at once (as
dask's threaded scheduler does), and checks that the process exits normally, that every
thread got the serial result, and that numba never started a threading layer at all. (Not
marked ``kernels``: the bounds-checked re-run in CI covers the kernels themselves; this file
is about launches.)
"""

import os
import subprocess
import sys

import pytest

DRIVER = """
import threading
import numpy as np
import gradkit
from gradkit._parallel import set_small_inputs

set_small_inputs(False)  # every call below reaches the kernels

rng = np.random.default_rng(0)
f3 = rng.standard_normal((48, 48, 48))
f2 = rng.standard_normal((128, 512))
g = np.linspace(0, 1, 30)
interp = gradkit.RegularGridInterpolator((g, g, g), rng.standard_normal((30, 30, 30)),
                                         method="cubic")
xi = rng.uniform(0, 1, (100_000, 3))
y = rng.uniform(0, 1, (300, 2))
rbf = gradkit.RBFInterpolator(y, np.sin(4 * y[:, 0]) * y[:, 1])
x2 = rng.uniform(0, 1, (20_000, 2))

WORK = {
    "gradient, accuracy=4": lambda: np.stack(gradkit.gradient(f3, 0.5, accuracy=4)),
    "gradient, numpy mode": lambda: np.stack(gradkit.gradient(f2)),
    "grid value_and_gradient": lambda: np.column_stack(interp.value_and_gradient(xi)),
    "RBF value_and_gradient": lambda: np.column_stack(rbf.value_and_gradient(x2)),
}
expected = {name: work() for name, work in WORK.items()}
errors = []

def run():
    try:
        for _ in range(2):
            for name, work in WORK.items():
                np.testing.assert_array_equal(work(), expected[name], err_msg=name)
    except BaseException as exc:  # reported below
        errors.append(repr(exc))

threads = [threading.Thread(target=run) for _ in range(6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert not errors, errors
import numba
try:
    layer = numba.threading_layer()
except ValueError:  # "Threading layer is not initialized."
    layer = "none"
print(layer, gradkit.get_num_threads())
print("ok")
"""


@pytest.mark.parametrize("threads", [1, 3])
def test_concurrent_calls_never_abort_and_never_start_a_numba_threading_layer(threads):
    env = dict(os.environ, NUMBA_THREADING_LAYER="workqueue", GRADKIT_NUM_THREADS=str(threads))
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER], capture_output=True, text=True, env=env, timeout=900
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    layer_used, nthreads, verdict = proc.stdout.split()
    assert (layer_used, int(nthreads), verdict) == ("none", threads, "ok")
