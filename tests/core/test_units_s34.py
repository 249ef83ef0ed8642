"""Units as a Brian2 or BrainPy 2.5+ user writes them (session 34): nested lists of quantities for a 2-D group,
odd values beside quantities, an initializer holding a list of quantities, a parameter that takes one of two
units, and an experiment's sweep axis written as one array quantity.

Expected numbers are the same values written as plain numbers in the convention (docs/units.md: ms, mV), worked
by hand, never brainbatch's own output for the quantities."""
import brainunit as u
import jax
import numpy as np
import pytest
from click.testing import CliRunner

import brainbatch as bb
from brainbatch.cli import main
from brainbatch.core.units import UnitMismatch


def test_a_nested_list_of_quantities_is_a_2d_parameter_in_the_convention():
    # it reached the model as a list of lists of quantities: brainunit's "Only dimensionless quantities can be
    # converted to NumPy arrays" named nothing
    g = bb.LifRef((2, 2), keep_size=True, tau=[[10 * u.ms, 0.02 * u.second], [30 * u.ms, 40000 * u.us]])
    assert np.asarray(g.tau).tolist() == [[10.0, 20.0], [30.0, 40.0]]
    with pytest.raises(UnitMismatch, match="tau takes a time \\(ms\\), got 20 mV"):
        bb.LifRef((1, 2), keep_size=True, tau=[[10 * u.ms, 20 * u.mV]])


@pytest.mark.parametrize("odd", [None, True, "10"])
def test_a_value_that_is_no_number_beside_quantities_is_refused_by_its_place(odd):
    # None became NaN and True 1 ms silently (NumPy's float32 of the list); a text was NumPy's unnamed ValueError
    with pytest.raises(UnitMismatch, match=f"LifRef: tau\\[1\\] is {repr(odd)!s} beside values with a unit \\(10 ms\\)"):
        bb.LifRef(2, tau=[10 * u.ms, odd])


def test_an_initializer_holding_a_list_of_quantities_is_read_in_their_units():
    # bb.Constant([... * u.mV]) was not converted (only a field that is itself a quantity was), and reset failed
    def v0(init):
        g = bb.LifRef(3, V_initializer=init)
        with bb.environment(key=jax.random.key(0)):
            g.reset_state()
        return np.asarray(g.V.value).tolist()

    assert v0(bb.Constant([-70 * u.mV, -0.06 * u.volt, -65000 * u.uvolt])) == [-70.0, -60.0, -65.0]


def test_a_parameter_of_two_units_names_both_when_refusing_a_third():
    # LIF's I_bias is R * I in mV, or a current in pA with C_m: the message named mV alone
    msg = "LifRef: I_bias takes a potential \\(mV\\) or a current \\(pA\\), got 1 nS \\(a conductance\\)"
    for given in (1 * u.nS, [1 * u.nS, 2 * u.nS]):
        with pytest.raises(UnitMismatch, match=msg):
            bb.LifRef(2, I_bias=given)
    assert bb.LifRef(2, I_bias=0.1 * u.nA, C_m=200 * u.pF).I_bias == 100.0  # 0.1 nA = 100 pA


EXPERIMENT = """
import brainunit as u, numpy as np
import brainbatch as bb
sweep = {{"tau": {tau}}}
monitors = {{"V": "G.V"}}
duration = 1.0 * u.ms
def build(tau=20.0):
    return bb.Network(G=bb.LIF(2, tau=tau, V_rest=-60.))
"""


def test_a_module_sweep_axis_given_as_one_array_quantity(tmp_path):
    # the module's axis np.array([...]) * u.ms was one value, and float() of it was a traceback (exit 1); -p and
    # params= already took such an array as its elements
    path = tmp_path / "exp.py"
    path.write_text(EXPERIMENT.format(tau="np.array([0.01, 0.02]) * u.second"))
    res = CliRunner().invoke(main, ["sweep", str(path), "--out", str(tmp_path / "s.zarr"), "--dry-run"])
    assert res.exit_code == 0, res.output
    assert "tau = [10.0, 20.0] ms (module sweep)" in res.output
    path.write_text(EXPERIMENT.format(tau="np.array([[10., 20.]]) * u.ms"))
    res = CliRunner().invoke(main, ["sweep", str(path), "--out", str(tmp_path / "s.zarr"), "--dry-run"])
    assert res.exit_code == 2, res.output
    assert "parameter 'tau': each value is one number with its unit, got an array of shape (1, 2) in ms" in res.output
    assert not (tmp_path / "s.zarr").exists()
