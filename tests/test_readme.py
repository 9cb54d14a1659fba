"""The README's Python examples run as written."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


@pytest.mark.kernels
@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_block_runs(index, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(BLOCKS[index], f"README block {index}", "exec"), {})


def test_readme_top_has_two_commands():
    text = README.read_text()
    top = text[: text.index("## ")]
    commands = re.findall(r"```bash\n(.*?)```", top, flags=re.S)
    assert len(commands) == 2
    assert "gradkit demo" in commands[0]
    assert "[test]" in commands[1] and "pytest" in commands[1]
