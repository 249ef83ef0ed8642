"""Current builders: section_input, constant_input, ramp_input (arrays over time)."""
import jax.numpy as jnp
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.core.units import UnitMismatch
from brainbatch.models.inputs import constant_input, ramp_input, section_input


def test_section_input_concatenates_sections_and_broadcasts_per_neuron_values():
    out = section_input([0.0, jnp.array([1.0, 2.0]), 3.0], [0.2, 0.1, 0.3], dt=0.1)
    assert out.shape == (6, 2) and out.dtype == jnp.float32
    np.testing.assert_array_equal(np.asarray(out[:, 1]), [0, 0, 2, 3, 3, 3])
    current, length = section_input([1.0], [1.0], dt=0.1, return_length=True)
    assert current.shape == (10,) and length == 1.0  # 1.0 / 0.1 is 9.999...: rounded, not truncated


def test_constant_input_returns_the_total_duration_and_uses_the_global_dt():
    with bb.environment(dt=0.5):
        current, duration = constant_input([(0.0, 1.0), (5.0, 2.0)])
    np.testing.assert_array_equal(np.asarray(current), [0, 0, 5, 5, 5, 5])
    assert duration == 3.0


def test_ramp_input_is_zero_outside_the_ramp():
    out = np.asarray(ramp_input(1.0, 2.0, 1.0, t_start=0.2, t_end=0.8, dt=0.1))
    assert out.shape == (10,)
    np.testing.assert_allclose(out, [0, 0, 1, 1.2, 1.4, 1.6, 1.8, 2.0, 0, 0], atol=1e-6)
    np.testing.assert_allclose(np.asarray(ramp_input(0.0, 1.0, 0.5, dt=0.1)), [0, 0.25, 0.5, 0.75, 1.0])


@pytest.mark.parametrize("call, match", [
    (lambda: section_input([1.0, 2.0], [1.0], dt=0.1), "one duration per value"),
    (lambda: section_input([1.0], [0.25], dt=0.1), r"durations\[0\] = 0.25 ms is not a whole number of steps"),
    (lambda: section_input([1.0], [-1.0], dt=0.1), "durations\\[0\\] must be a finite number of ms >= 0"),
    (lambda: constant_input([(1.0, 1.0, 2.0)], dt=0.1), r"\(value, duration\) pairs"),
    (lambda: ramp_input(0.0, 1.0, 1.0, t_start=0.5, t_end=0.2, dt=0.1), "t_start <= t_end <= duration"),
])
def test_bad_arguments_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_waveforms_take_quantities_and_give_one_in_the_first_values_unit():
    import brainunit as u

    import brainbatch.brainpy as bp

    current = bb.section_input([0 * u.pA, 0.05 * u.nA], [1 * u.ms, 0.0002 * u.second], dt=0.1 * u.ms)
    assert u.get_unit(current) == u.pA
    np.testing.assert_allclose(current.mantissa, [0.0] * 10 + [50.0] * 2)
    current, length = bb.constant_input([(0 * u.mV, 0.1 * u.ms), (2 * u.mV, 0.2 * u.ms)], dt=0.1)
    np.testing.assert_allclose(current.to_decimal(u.mV), [0.0, 2.0, 2.0])
    assert length == pytest.approx(0.3)
    ramp = bb.ramp_input(0 * u.nA, 300 * u.pA, 0.5 * u.ms, dt=0.1 * u.ms)
    np.testing.assert_allclose(ramp.to_decimal(u.pA), [0.0, 75.0, 150.0, 225.0, 300.0], rtol=1e-6)
    bp_ramp = bp.inputs.ramp_input(0 * u.nA, 300 * u.pA, 0.5 * u.ms, dt=0.1 * u.ms)
    np.testing.assert_allclose(bp_ramp.to_decimal(u.pA), [0.0, 75.0, 150.0, 225.0, 300.0], rtol=1e-6)
    assert bp.inputs.section_input([0 * u.pA], [0.2 * u.ms], dt=0.1, return_length=True)[1] == pytest.approx(0.2)
    with pytest.raises(UnitMismatch, match=r"values\[1\] takes a current \(pA\), got 5 mV"):
        bb.section_input([0 * u.pA, 5 * u.mV], [1, 1], dt=0.1)
    with pytest.raises(UnitMismatch, match="durations\\[0\\] takes a time"):
        bb.section_input([1.0], [5 * u.mV], dt=0.1)
    # the quantity array drives a Runner as its plain numbers in the input's unit (pA with C_m) do
    def run(current):
        g = bb.LifRef(1, tau=20 * u.ms, C_m=200 * u.pF, V_rest=-70 * u.mV, V_reset=-70 * u.mV, V_th=-50 * u.mV,
                      tau_ref=2 * u.ms, V_initializer=-70 * u.mV)
        return bb.Runner(g, monitors=["V"], inputs=[("input", current, "iter")], dt=0.1, progress_bar=False).run(2.0)["V"]

    with_units = run(bb.section_input([0 * u.nA, 0.1 * u.nA], [1 * u.ms, 1 * u.ms], dt=0.1 * u.ms))
    np.testing.assert_array_equal(with_units, run(bb.section_input([0.0, 100.0], [1.0, 1.0], dt=0.1)))
    assert with_units[-1, 0] > -70.0


def test_a_plain_number_beside_quantities_is_refused_but_a_plain_zero_is_zero_in_any_unit():
    """``ramp_input(1., 1 * u.volt, ...)`` read the 1. as 1 V: a flat ramp where 1 mV -> 1 V may have been meant.
    BrainPy 2.8.2 refuses the mix (brainunit: "Cannot convert to a unit with different dimensions. (units are
    V and 1)"); a bare zero is the same in every unit, as sweep ranges take it (brainbatch/sweep/ranges.py)."""
    import brainunit as u

    import brainbatch.brainpy as bp

    calls = [lambda: bb.ramp_input(1., 1 * u.volt, 0.3, dt=0.1),
             lambda: bb.section_input([2., 1 * u.nA], [0.1, 0.1], dt=0.1),
             lambda: bb.constant_input([(1. * u.nA, 0.2), (2., 0.1)], dt=0.1),
             lambda: bp.inputs.ramp_input(1., 1 * u.volt, 0.3, dt=0.1),
             lambda: bp.inputs.constant_input([(1. * u.nA, 0.2 * u.ms), (2., 0.1)], dt=0.1)]
    for call in calls:
        with pytest.raises(UnitMismatch, match=r"is the plain number .* among values with units \((V|nA)\): give it "
                                               r"a unit too"):
            call()
    ramp = bb.ramp_input(0., 300 * u.pA, 0.5 * u.ms, dt=0.1 * u.ms)
    np.testing.assert_allclose(ramp.to_decimal(u.pA), [0.0, 75.0, 150.0, 225.0, 300.0], rtol=1e-6)
    current = bb.section_input([np.zeros(2), 50 * u.pA], [0.1, 0.1], dt=0.1)
    np.testing.assert_allclose(current.to_decimal(u.pA), [[0.0, 0.0], [50.0, 50.0]])
