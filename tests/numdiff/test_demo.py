"""The ``gradkit demo`` section runs and writes its figure."""

import pytest


def test_demo_runs(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("sympy")
    from gradkit.numdiff._demo import run

    text = run(tmp_path)
    assert "q*chi*delta" in text
    assert "sympy, exact" in text and "approx_fprime" in text
    assert (tmp_path / "numdiff_steps.png").stat().st_size > 10_000
    assert "figure written to" in text
