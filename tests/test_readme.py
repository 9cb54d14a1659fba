"""The README's commands and Python examples are right as written."""

import re
from pathlib import Path

import numpy as np
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
TEXT = README.read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)
TOP_COMMANDS = re.findall(r"```bash\n(.*?)```", TEXT[: TEXT.index("## ")], flags=re.S)


@pytest.mark.kernels
@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_block_runs(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(BLOCKS[index], f"README block {index}", "exec"), {})


def test_readme_top_has_two_commands():
    assert len(TOP_COMMANDS) == 2
    demo, tests = TOP_COMMANDS
    assert "[demo]" in demo and demo.rstrip().endswith("gradkit demo")
    assert "[test]" in tests and tests.rstrip().endswith("python -m pytest")


def test_readme_commands_use_distinct_fresh_environments():
    venvs = [re.findall(r"python3 -m venv (\S+)", command) for command in TOP_COMMANDS]
    assert all(len(found) == 1 for found in venvs), venvs
    (demo_venv,), (test_venv,) = venvs
    assert demo_venv != test_venv
    for command, venv in zip(TOP_COMMANDS, (demo_venv, test_venv)):
        assert f". {venv}/bin/activate" in command  # each activates the one it created
    ignored = (README.parent / ".gitignore").read_text().split()
    assert f"{demo_venv}/" in ignored and f"{test_venv}/" in ignored


def test_readme_refers_only_to_files_in_the_repository():
    root = README.parent
    named = set(re.findall(r"[`(]([\w./-]+\.(?:py|md|toml))[`)]", TEXT))
    assert {"BENCHMARKS.md", "tests/fd/test_accuracy.py"} <= named
    for name in named:
        assert (root / name).is_file(), name
    assert "question" not in TEXT.lower()  # cases are described, not cited from elsewhere


@pytest.mark.kernels
def test_readme_non_uniform_example_claims():
    # The README's non-uniform example: accuracy=6 far better than numpy.gradient on a grid
    # that resolves sin(x), and an error estimate of the size of the true error.
    import gradkit

    assert "x = np.cumsum(np.linspace(0.01, 0.02, 200))" in BLOCKS[0]
    x = np.cumsum(np.linspace(0.01, 0.02, 200))
    exact = np.cos(x)
    numpy_error = np.abs(np.gradient(np.sin(x), x) - exact).max()
    order6_error = np.abs(gradkit.gradient(np.sin(x), x, accuracy=6) - exact).max()
    assert 1e-3 < numpy_error < 2e-3  # "numpy.gradient's is 1.5e-3"
    assert order6_error < 1e-10  # "9e-12"
    g, err = gradkit.gradient(np.sin(x), x, accuracy=4, return_error=True)
    true_error = np.abs(g - exact)
    assert 2e-8 < true_error.max() < 4e-8  # "3-4e-08 each"
    assert 2e-8 < err.max() < 5e-8
    # of the size of the true error, pointwise too, where the error is not at rounding level
    significant = true_error > 1e-3 * true_error.max()
    ratio = err[significant] / true_error[significant]
    assert 0.5 < ratio.min() and ratio.max() < 2
