"""The demo section runs, writes its figure and reports the table."""

import pytest

pytestmark = pytest.mark.kernels


def test_demo_runs(tmp_path):
    pytest.importorskip("matplotlib")
    from gradkit.rbf._demo import run

    text = run(tmp_path)
    assert "figure written to" in text
    assert (tmp_path / "rbf_keops_tutorial.png").stat().st_size > 10_000
    assert "| 1-D Gaussian | 10,000 | iterative" in text
    assert "| 2-D exponential | 10,000 | iterative" in text
    assert "| case | N | solver | CG iterations | fit (s) | value+gradient (s) | at |" in text
    assert "compilation excluded" in text  # the timings follow a warm-up fit
