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
    # markdown tables; the gradient of q*chi*delta at (1.5, -2, 0.5) is (-1, 0.75, -3)
    assert "| method | gradient | max abs error | error estimate | evaluations of f |" in text
    assert "| sympy, exact (gradkit) | [-1, 0.75, -3] | 0.0e+00 |" in text
    assert "| scipy.optimize.approx_fprime | [-1, 0.75, -3] |" in text
    # approx_fprime's forward differences in 3 variables: f(x) and one step per variable,
    # for q*chi*delta and for the companion
    scipy_rows = [line for line in text.splitlines() if "| scipy.optimize.approx_fprime |" in line]
    assert len(scipy_rows) == 2 and all(row.endswith("| 4 |") for row in scipy_rows)
    assert text.rstrip().splitlines()[-1].endswith("numdiff_steps.png")
