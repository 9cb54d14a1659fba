"""Package-level promises: public names, import cost, the demo command."""

import subprocess
import sys
import types

import pytest

import gradkit


def test_public_names_are_exported():
    for name in gradkit.__all__:
        assert hasattr(gradkit, name), name


# The subpackages that ``import gradkit`` binds as attributes besides those in __all__: each
# is imported by __init__.py for its re-exports. (Importing a further submodule, such as
# gradkit.cli, binds it too; a fresh interpreter shows what ``import gradkit`` alone gives.)
SUBPACKAGES_NOT_IN_ALL = {"fd", "grid", "rbf"}


def test_dir_holds_only_public_names_subpackages_and_dunders():
    code = "import gradkit; print(' '.join(dir(gradkit)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    names = set(out.stdout.split())
    public = {name for name in names if not name.startswith("_")}
    assert public == {n for n in gradkit.__all__ if not n.startswith("_")} | SUBPACKAGES_NOT_IN_ALL
    assert "__version__" in gradkit.__all__ and "__version__" in names
    assert "annotations" not in names
    private = {name for name in names if name.startswith("_") and not name.startswith("__")}
    assert private <= {"_validation", "_parallel", "_precompile"}  # modules, not re-exported


def test_public_names_outside_all_are_gradkit_modules():
    for name in set(dir(gradkit)) - set(gradkit.__all__):
        if not name.startswith("_"):
            value = getattr(gradkit, name)
            assert isinstance(value, types.ModuleType), name
            assert value.__name__ == f"gradkit.{name}", name


def test_version_matches_the_installed_distribution():
    from importlib.metadata import version

    assert gradkit.__version__ == version("gradkit") == "0.1.0"


def test_import_compiles_nothing_and_loads_no_numba():
    code = "import sys, gradkit; print('numba' in sys.modules, 'dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.kernels
def test_demo_command_writes_figures(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    pytest.importorskip("sympy")
    from gradkit.cli import main

    assert main(["demo", "--outdir", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "gradkit_fd_convergence.png",
        "grid_value_and_gradient.png",
        "numdiff_steps.png",
        "rbf_keops_tutorial.png",
    ]
    out = capsys.readouterr().out
    headings = [line for line in out.splitlines() if line.startswith("== ")]
    assert len(headings) == 4 and all(h.endswith(" ==") for h in headings)
    # one table format throughout: markdown rows, each table's rows as wide as its header
    lines = out.splitlines()
    tables, current = [], []
    for line in lines + [""]:
        if line.startswith("|"):
            assert line.endswith("|"), line
            current.append(line.count("|"))
        elif current:
            tables.append(current)
            current = []
    assert len(tables) == 6
    for widths in tables:
        assert len(set(widths)) == 1, widths
    assert "question" not in out.lower()  # each section says what its case is
