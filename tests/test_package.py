"""Package-level promises: public names, import cost, the demo command."""

import subprocess
import sys

import pytest

import gradkit


def test_public_names_are_exported():
    for name in gradkit.__all__:
        assert hasattr(gradkit, name), name


def test_import_compiles_nothing_and_loads_no_numba():
    code = "import sys, gradkit; print('numba' in sys.modules, 'dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.kernels
def test_demo_command_writes_figures(tmp_path):
    from gradkit.cli import main

    assert main(["demo", "--outdir", str(tmp_path)]) == 0
    assert list(tmp_path.glob("*.png"))
