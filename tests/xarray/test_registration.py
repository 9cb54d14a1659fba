"""``import gradkit`` leaves xarray alone; ``import gradkit.xarray`` registers the accessor."""

import subprocess
import sys


def run(code):
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_import_gradkit_does_not_import_xarray():
    assert run("import sys, gradkit; print('xarray' in sys.modules)") == ["False"]


def test_import_gradkit_xarray_registers_the_accessor():
    code = (
        "import xarray as xr, gradkit.xarray as gx; "
        "print(type(xr.DataArray([1.0]).gradkit).__name__, type(xr.Dataset().gradkit).__name__, "
        "'numba' in __import__('sys').modules)"
    )
    # registering imports no numba either: kernels load on the first large call
    assert run(code) == ["DataArrayAccessor", "DatasetAccessor", "False"]
