"""The ``gradkit`` command: help, version, ``python -m gradkit`` and the demo driver."""

import subprocess
import sys
import types
from importlib.metadata import entry_points

import pytest

import gradkit
from gradkit import cli


def _run_module(*args):
    return subprocess.run(
        [sys.executable, "-m", "gradkit", *args], capture_output=True, text=True, timeout=120
    )


def test_python_m_gradkit_version():
    done = _run_module("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"gradkit {gradkit.__version__}\n"
    assert done.stdout == "gradkit 0.1.0\n"


def test_python_m_gradkit_without_a_command_prints_help_and_exits_2():
    done = _run_module()
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("usage: gradkit")
    assert "demo" in done.stderr and "--version" in done.stderr
    assert "error" not in done.stderr  # the help, not argparse's error message


def test_console_script_is_cli_main():
    (script,) = entry_points(group="console_scripts", name="gradkit")
    assert script.value == "gradkit.cli:main"
    assert script.load() is cli.main


def test_no_command_in_process(capsys):
    assert cli.main([]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("usage: gradkit") and "exits with status 2" in err


def test_version_in_process(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == "gradkit 0.1.0\n"


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["demo", "--help"]])
def test_help_is_plain_text(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: gradkit")
    assert "``" not in out and "`" not in out  # no raw reST markup
    assert ("--outdir" if "demo" in argv else "demo") in out


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["bogus"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'bogus'" in capsys.readouterr().err


def _fake_section(monkeypatch, name, text):
    module = types.ModuleType(name)
    module.calls = []

    def run(outdir):
        module.calls.append(outdir)
        (outdir / f"{name}.png").write_bytes(b"png")
        return text + "\n\n"

    module.run = run
    monkeypatch.setitem(sys.modules, name, module)
    return module


def test_demo_runs_every_section_in_order_into_outdir(tmp_path, monkeypatch, capsys):
    first = _fake_section(monkeypatch, "fake_section_one", "| a | b |")
    second = _fake_section(monkeypatch, "fake_section_two", "| c | d |")
    monkeypatch.setattr(cli, "DEMO_SECTIONS", ("fake_section_one", "fake_section_two"))
    outdir = tmp_path / "new" / "figures"
    assert cli.main(["demo", "--outdir", str(outdir)]) == 0
    assert first.calls == [outdir] and second.calls == [outdir]
    assert sorted(p.name for p in outdir.iterdir()) == [
        "fake_section_one.png",
        "fake_section_two.png",
    ]
    out = capsys.readouterr().out
    assert str(outdir.resolve()) in out
    assert out.index("| a | b |") < out.index("| c | d |")
    assert out.count("including numba compilation on first use") == 2


def test_demo_skips_a_missing_section_but_not_a_missing_dependency(tmp_path, monkeypatch, capsys):
    _fake_section(monkeypatch, "fake_section_one", "| a | b |")
    monkeypatch.setattr(cli, "DEMO_SECTIONS", ("gradkit_no_such_section", "fake_section_one"))
    assert cli.main(["demo", "--outdir", str(tmp_path)]) == 0
    assert "| a | b |" in capsys.readouterr().out

    broken = tmp_path / "gradkit_broken_section.py"
    broken.write_text("import gradkit_no_such_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cli, "DEMO_SECTIONS", ("gradkit_broken_section",))
    with pytest.raises(ModuleNotFoundError, match="gradkit_no_such_dependency"):
        cli.main(["demo", "--outdir", str(tmp_path)])


def test_precompile_rejects_unknown_names(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["precompile", "bogus"])
    assert exit_info.value.code == 2
    assert "invalid capability 'bogus'" in capsys.readouterr().err
    with pytest.raises(ValueError, match=r"`capabilities` must hold names among .* got 'gird'"):
        gradkit.precompile(["gird"])
    with pytest.raises(ValueError, match=r"`dtypes` must hold names among .* got 'int8'"):
        gradkit.precompile(["fd"], dtypes=["int8"])


def test_precompile_fills_the_cache_that_a_later_process_loads(tmp_path):
    """After `gradkit precompile fd`, a fresh process compiles nothing for those calls."""
    env = dict(__import__("os").environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run(
        [sys.executable, "-m", "gradkit", "precompile", "fd"],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "kinds of call ready" in done.stdout
    assert "[" + "#" * 24 + "]" in done.stderr  # the progress bar reached its end
    assert "gradkit is compiling" not in done.stderr  # precompile is the remedy, not noise
    later = (
        "from numba.core import event\n"
        "import numpy as np, gradkit\n"
        "from gradkit._parallel import set_small_inputs\n"
        "set_small_inputs(False)\n"
        "with event.install_recorder('numba:compile') as rec:\n"
        "    gradkit.gradient(np.random.rand(50, 40))\n"
        "    gradkit.gradient(np.random.rand(300), accuracy=4)\n"
        "print(len(rec.buffer))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", later], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"
