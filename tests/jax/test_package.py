"""The gradkit.jax / gradkit.torch packaging: optional imports and the shared applier."""

import importlib
import pathlib
import subprocess
import sys

import pytest

import gradkit

SRC = pathlib.Path(gradkit.__file__).parent


def test_the_shared_applier_imports_no_framework():
    """gradkit/fd/_xp.py serves both adapters, so it must import without either framework."""
    code = (
        "import sys; sys.modules['jax'] = None; sys.modules['torch'] = None\n"
        "import gradkit.fd._xp; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ok"]


@pytest.mark.parametrize("framework", ["jax", "torch"])
def test_import_without_the_framework_names_the_extra(monkeypatch, framework):
    for name in list(sys.modules):
        if name == f"gradkit.{framework}" or name.startswith(f"gradkit.{framework}."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, framework, None)  # `import framework` raises
    with pytest.raises(ImportError, match=rf'pip install "gradkit\[{framework}\]"'):
        importlib.import_module(f"gradkit.{framework}")


def test_import_gradkit_imports_neither_framework():
    code = "import gradkit, sys; print('jax' in sys.modules, 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
