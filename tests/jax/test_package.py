"""The gradkit.jax / gradkit.torch packaging: optional imports and the shared applier."""

import importlib
import pathlib
import subprocess
import sys

import pytest

import gradkit

SRC = pathlib.Path(gradkit.__file__).parent


def test_shared_applier_is_one_file_in_both_subpackages():
    """gradkit/jax/_xp.py and gradkit/torch/_xp.py are the same file (each subpackage must
    import without the other framework); an edit to one must be made to both."""
    assert (SRC / "jax" / "_xp.py").read_text() == (SRC / "torch" / "_xp.py").read_text()


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
