"""The ``gradkit demo`` section for sampled arrays runs, writes its figure, prints tables."""

import numpy as np
import pytest

pytestmark = pytest.mark.kernels


def test_demo_runs(tmp_path):
    pytest.importorskip("matplotlib")
    from gradkit.fd._demo import run

    text = run(tmp_path)
    assert (tmp_path / "gradkit_fd_convergence.png").stat().st_size > 10_000
    assert f"figure written to {tmp_path / 'gradkit_fd_convergence.png'}" in text
    f = np.array([49, 36, 36, 9, 4, 49])
    # the edge values are numpy's own (numpy computes them here, not gradkit)
    assert f"| gradkit.gradient(f) | {np.gradient(f).tolist()} | identical to numpy |" in text
    assert (
        f"| gradkit.gradient(f, edge_order=2) | {np.gradient(f, edge_order=2).tolist()} |" in text
    )
    assert "| method | max abs error of df/dx | time (ms) | speed vs numpy.gradient |" in text
    assert "compilation excluded" in text
    assert "returns numpy's values bit for bit: True" in text
    # every table row has as many cells as its table's header
    widths = [line.count("|") for line in text.splitlines() if line.startswith("|")]
    assert widths.count(4) == 5 and widths.count(5) == 8
    assert "question" not in text.lower()  # says what the case is, refers to no outside file
