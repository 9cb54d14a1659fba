"""Bad input gets a clear error naming the argument."""

import numpy as np
import pytest

import gradkit

F = np.ones((6, 7))


@pytest.mark.parametrize(
    "kwargs,exc,match",
    [
        ({"accuracy": 3}, ValueError, r"`accuracy` must be an even integer from 2 to 10; got 3"),
        ({"accuracy": 12}, ValueError, r"`accuracy` must be an even integer from 2 to 10; got 12"),
        ({"accuracy": 2.0}, TypeError, r"`accuracy` must be an integer; got 2.0"),
        ({"boundary": "wrap"}, ValueError, r"`boundary` must be one of 'one-sided', 'periodic'"),
        ({"boundary": ("periodic",)}, ValueError, r"`boundary` must name one boundary per"),
        ({"edge_order": 1, "accuracy": 4}, ValueError, r"`edge_order`=1 contradicts `accuracy`=4"),
        ({"edge_order": 3}, ValueError, r"`edge_order` must be 1 or 2; got 3"),
        ({"edge_order": 1.5}, TypeError, r"`edge_order` must be 1 or 2; got 1.5"),
        ({"axis": 2}, np.exceptions.AxisError, r"`axis` 2 is out of range"),
        ({"accuracy": 8}, ValueError, r"has 6 points along axis 0.*needs at least 9"),
        ({"return_error": "yes"}, TypeError, r"`return_error` must be True or False"),
    ],
)
def test_gradient_argument_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        gradkit.gradient(F, **kwargs)


def test_spacing_errors():
    with pytest.raises(TypeError, match=r"`varargs` must hold no spacing, one scalar, or one"):
        gradkit.gradient(F, 1.0, 2.0, 3.0)
    with pytest.raises(ValueError, match=r"`varargs\[1\]` has 5 coordinates, but `f` has 7"):
        gradkit.gradient(F, 1.0, np.arange(5.0))
    with pytest.raises(ValueError, match=r"`varargs\[0\]` \(spacing of axis 0\) must be a"):
        gradkit.gradient(F, np.ones((6, 1)), 1.0)
    with pytest.raises(ValueError, match=r"strictly increasing or strictly decreasing; step 2"):
        gradkit.gradient(F, np.array([0.0, 1, 2, 2, 3, 4]), 1.0)
    with pytest.raises(ValueError, match=r"strictly increasing or strictly decreasing; step 1"):
        gradkit.gradient(F, np.array([0.0, 1, 0.5, 2, 3, 4]), 1.0)
    with pytest.raises(ValueError, match=r"`varargs\[0\]` must be a finite, non-zero"):
        gradkit.gradient(F, 0.0, accuracy=4)


def test_periodic_period_errors():
    x = np.cumsum(np.linspace(1, 2, 7))
    with pytest.raises(ValueError, match=r"`period` is needed for the periodic axis 1"):
        gradkit.gradient(F, x, axis=1, boundary="periodic")
    with pytest.raises(ValueError, match=r"`period` 3.0 of axis 1 must exceed the span"):
        gradkit.gradient(F, x, axis=1, boundary="periodic", period=3.0)
    with pytest.raises(ValueError, match=r"`period` 5.0 of axis 0 disagrees with 6 points"):
        gradkit.gradient(F, axis=0, boundary="periodic", period=5.0)
    with pytest.raises(ValueError, match=r"`period` must be a positive, finite number"):
        gradkit.gradient(F, boundary="periodic", period=-1.0)


def test_operator_errors():
    with pytest.raises(ValueError, match=r"`order` must be an integer from 1 to 4; got 5"):
        gradkit.derivative(F, order=5)
    with pytest.raises(ValueError, match=r"`order` must give one order per axis"):
        gradkit.derivative(F, axis=(0, 1), order=(1, 2, 1))
    with pytest.raises(ValueError, match=r"`axis` must not repeat an axis"):
        gradkit.derivative(F, axis=(1, 1))
    with pytest.raises(ValueError, match=r"`v` must have one component per axis"):
        gradkit.divergence(np.ones((3, 4, 4)))
    with pytest.raises(ValueError, match=r"`v` must be a 2-D or 3-D vector field"):
        gradkit.curl(np.ones((4, 3, 3, 3, 3)))
    with pytest.raises(ValueError, match=r"`v` must hold components of one shape"):
        gradkit.divergence([np.ones((3, 3)), np.ones((3, 4))])
    with pytest.raises(TypeError, match=r"`f` must hold numbers"):
        gradkit.derivative(np.array(["2020-01-01"] * 5, dtype="datetime64[D]"))
    with pytest.raises(ValueError, match=r"`out` must hold one array per differentiated axis"):
        gradkit.gradient(F, out=[np.empty_like(F)])
