"""Bad input: clear errors naming the argument, the rule and what was received."""

import numpy as np
import pytest

from gradkit.numdiff import DifferentiationWarning, derivative, gradient, hessian, jacobian


def f2(x):
    return np.sin(x[0]) * x[1]


def test_f_wrong_shape_gradient():
    with pytest.raises(ValueError, match=r"`f` must return a scalar .*got values of shape \(2,\)"):
        gradient(lambda x: x, [1.0, 2.0])


def test_f_wrong_shape_vectorized():
    with pytest.raises(ValueError, match=r"called with 1 points at once .*got shape \(\)"):
        gradient(lambda X: 1.0, [1.0, 2.0], vectorized=True)


def test_f_shape_changes():
    calls = []

    def f(x):
        calls.append(1)
        return np.zeros(len(calls) % 2 + 1)

    with pytest.raises(ValueError, match=r"`f` returned values of shape .* at one point"):
        jacobian(f, [1.0, 2.0])


def test_f_nonfinite_at_x():
    with pytest.raises(ValueError, match=r"`f` returned a non-finite value .*inf.* at x = "):
        gradient(lambda x: 1.0 / x[0], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"`f` returned a non-finite value nan at x = "):
        derivative(np.log, [1.0, -1.0])


def test_f_complex_result():
    with pytest.raises(TypeError, match=r"`f` returned complex values \(dtype complex128\)"):
        gradient(lambda x: x[0] + 1j * x[1], [1.0, 2.0])


def test_f_non_numeric_result():
    with pytest.raises(TypeError, match=r"`f` must return real numbers; got 'abc'"):
        gradient(lambda x: "abc", [1.0, 2.0])


def test_x_nonfinite():
    with pytest.raises(ValueError, match=r"`x` must be finite; got \[nan  1\.\]"):
        gradient(f2, [np.nan, 1.0])
    with pytest.raises(ValueError, match=r"`x` must be finite; got inf"):
        derivative(np.sin, [0.0, np.inf])


def test_x_empty():
    with pytest.raises(ValueError, match=r"`x` is empty \(shape \(0,\)\)"):
        gradient(f2, [])
    with pytest.raises(ValueError, match=r"`x` is empty \(an empty tuple\)"):
        gradient(f2, ())
    with pytest.raises(ValueError, match=r"`x` is empty \(shape \(0,\)\)"):
        derivative(np.sin, [])


def test_x_scalar_for_gradient():
    with pytest.raises(ValueError, match=r"`x` must have shape \(n,\) or .*; got a scalar"):
        gradient(f2, 1.0)


def test_x_complex_or_text():
    with pytest.raises(TypeError, match=r"`x` must be real; got complex values"):
        gradient(f2, [1j, 1.0])
    with pytest.raises(TypeError, match=r"`x` must be array_like of real numbers; got 'ab'"):
        gradient(f2, "ab")


def test_order_and_accuracy_out_of_range():
    with pytest.raises(ValueError, match=r"`n` must be an integer from 1 to 4; got 5"):
        derivative(np.sin, 1.0, n=5)
    with pytest.raises(ValueError, match=r"`accuracy` must be an even integer from 2 to 16; got 3"):
        gradient(f2, [1.0, 2.0], accuracy=3)
    with pytest.raises(TypeError, match=r"`n` must be an integer; got 1.5"):
        derivative(np.sin, 1.0, n=1.5)
    with pytest.raises(ValueError, match=r"`maxiter` must be an integer from 1 to 100; got 0"):
        gradient(f2, [1.0, 2.0], maxiter=0)


def test_step_out_of_range():
    with pytest.raises(ValueError, match=r"`initial_step` must be positive and finite; got -1"):
        gradient(f2, [1.0, 2.0], initial_step=-1.0)
    with pytest.raises(ValueError, match=r"`initial_step` must be positive and finite; got 0"):
        derivative(np.sin, 1.0, initial_step=0.0)
    with pytest.raises(ValueError, match=r"`initial_step` must be a scalar or have one entry"):
        gradient(f2, [1.0, 2.0], initial_step=[0.1, 0.2, 0.3])


def test_tolerances():
    with pytest.raises(ValueError, match=r"`rtol` must be a non-negative finite float; got -1"):
        gradient(f2, [1.0, 2.0], rtol=-1)
    with pytest.raises(TypeError, match=r"`atol` must be a non-negative float; got 'x'"):
        gradient(f2, [1.0, 2.0], atol="x")


def test_method_unknown():
    with pytest.raises(ValueError, match=r"`method` must be one of .*'central'.*; got 'spline'"):
        gradient(f2, [1.0, 2.0], method="spline")


def test_vectorized_not_bool():
    with pytest.raises(TypeError, match=r"`vectorized` must be True or False; got 'yes'"):
        gradient(f2, [1.0, 2.0], vectorized="yes")


def test_f_not_callable():
    with pytest.raises(TypeError, match=r"`f` must be callable \(or a sympy expression\); got 3"):
        gradient(3, [1.0, 2.0])


def test_vectorized_failure_has_hint():
    import math

    with pytest.raises(TypeError) as info:
        derivative(math.sin, [1.0, 2.0])
    assert "vectorized=False" in "".join(getattr(info.value, "__notes__", []))


def test_bounds_errors():
    with pytest.raises(ValueError, match=r"`x` must lie within `bounds`; got -1.0 outside"):
        derivative(np.sqrt, [1.0, -1.0], bounds=(0.0, None))
    with pytest.raises(ValueError, match=r"`bounds` must be a pair \(lower, upper\)"):
        derivative(np.sqrt, 1.0, bounds=0.0)
    with pytest.raises(ValueError, match=r"`bounds` must satisfy lower < upper"):
        derivative(np.sqrt, 1.0, bounds=(2.0, 0.0))
    with pytest.raises(ValueError, match=r"`method='forward'` needs room above/below `x`"):
        derivative(np.sqrt, 1.0, bounds=(0.0, 1.0), method="forward")


def test_complex_step_non_analytic_abs_raises():
    with pytest.raises(ValueError, match=r"`method='complex'` needs `f` to propagate complex"):
        gradient(lambda x: np.abs(x[0]) * x[1].real, [1.0, 2.0], method="complex")


def test_complex_step_non_analytic_conj_warns():
    with pytest.warns(DifferentiationWarning, match=r"complex step disagrees"):
        res = gradient(
            lambda x: np.conj(x[0]) * x[1], [1.0, 2.0], method="complex", return_error=True
        )
    exact = np.array([2.0, 1.0])
    assert (np.abs(res.value - exact) <= res.error).all()
    assert not res.success[0]


def test_complex_step_second_derivative_rejected():
    with pytest.raises(ValueError, match=r"complex step\) computes first derivatives only"):
        hessian(f2, [1.0, 2.0], method="complex")


def test_complex_step_complex_output_not_allowed_for_real_method():
    with pytest.raises(TypeError, match=r"`f` returned complex values"):
        derivative(lambda t: np.exp(1j * t), 1.0)


def test_sympy_method_needs_expression():
    with pytest.raises(TypeError, match=r"`method='sympy'` needs a sympy expression"):
        gradient(f2, [1.0, 2.0], method="sympy")


def test_variables_only_for_sympy():
    with pytest.raises(ValueError, match=r"`variables` applies only to sympy expressions"):
        gradient(f2, [1.0, 2.0], variables=["a"])
