"""BrainPy's examples run by their imports (session 39): what they showed.

Every model here is built by a function of the library's modules (``bp``), so the very same code runs on
BrainPy: ``.venv-bench/bin/python tests/brainpy/test_examples_s39.py`` prints BrainPy 2.8.2's
numbers (jax 0.10.2, CPU, float32), which the tests pin. Input spikes are fixed times, so both libraries
compute the same network step for step.

- ``oscillation_synchronization/Li_2017_unified_thalamus_oscillation_model.ipynb`` (brainpy/examples) gives its
  ``bp.synapses.AMPA`` and ``GABAa`` ``stp=bp.synplast.STD(tau=700, U=0.07)``; brainbatch refused ``stp=`` on
  them, so the notebook's ``Thalamus`` network stopped at its first synapse. BrainPy 2.8.2 runs the terminal and
  passes the filtered spike (``x``, or ``u x``) on, where the kinetics test it only for nonzero: ``g`` is the same
  with or without it. They now take it, and ``syn.stp.x`` / ``syn.stp.u`` step as BrainPy's. With that (and
  ``bp.dyn.CondNeuGroup``, its channels, ``GapJunction``, ``MgBlock``), a 30 ms, 357-neuron version of the
  notebook's network (fixed connection matrices and input spikes) spiked as BrainPy 2.8.2 neuron for neuron
  (98, 344, 295 and 62 spikes in HTC, RTC, RE, IN), with ``delay_step=18`` here for BrainPy's 20 (its delays of
  d >= 2 steps arrive 2 steps early, docs/migrating-from-brainpy.md).
- ``classical_dynamical_systems/Multiscroll_attractor.ipynb`` (brainpy/examples): ``bp.IntegratorRunner(...,
  dt=0.01).run(0.6)`` ran 60 steps here and 61 in BrainPy 2.8.2, whose runner keeps where a run ends in a float32
  Variable and counts steps as ``bm.arange(start, start + duration, dt)`` in float32 (0.6 rounds up to
  0.60000002): the notebook's modified Chua system ended at x = 6.431 here, 6.499 there, with monitors one row
  short. The runner now counts as BrainPy's (a ``start_t=`` given is a float there and here).
- Ran as BrainPy 2.8.2 (same numbers within float32 rounding, not pinned here): ``attractors/Wu_2008_CANN``
  (1D, its three runs), ``Wu_2008_CANN_2D`` (``jax.vmap`` over a method, ``bm.linalg.norm``),
  ``working_memory/Mi_2017_working_memory_capacity`` (both NaN after 70 ms in float32: the notebook enables x64),
  ``ei_nets/Tian_2020_EI_net_for_fast_response`` (``bp.synapses.Exponential``), ``neurons/JR_1995_jansen_rit``
  (``update(self, tdi)``, ``inputs=['p', x, 'iter', '=']``), ``neurons/Niebur_2009_GIF``,
  ``gj_nets/Sherman_1992_gj_antisynchrony`` (``exp_auto`` with coupled vector equations),
  ``oscillation_synchronization/Brunel_Hakim_1999`` (``bp.synapses.Delta`` with ``post_ref_key`` and
  ``CUBA(target_var='V')``; its ``delay_step=20`` is 18 here, as above), ``Wang_1996_gamma_oscillation``,
  ``attractors/Mi_2014_CANN_1D_oscillatory_tracking``, ``dynamics_analysis/2d_wilson_cowan_model``,
  ``gj_nets/Fazli_2022`` (``bm.Variable(num)``), ``working_memory/Bouchacourt_2019`` (a ``bp.dyn.SynConn``
  writing ``post.s[a:b] +=``; BrainPy 2.8.2 itself needs its weight and input arrays built another way),
  ``large_scale_modeling/Joglekar_2018`` figure 1B, ``classical_dynamical_systems`` (Henon and logistic maps,
  Mackey-Glass with ``bm.LengthDelay``), BrainPy's ``examples/dynamics_simulation/hh_model.py`` (``CondNeuGroup``,
  ``CondNeuGroupLTC``, ion ``add_elem``) and ``whole_brain_simulation_with_sl_oscillator.py`` (noise 0).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest


def _bp() -> Any:
    import brainbatch.brainpy as bp
    return bp


# --- Li_2017_unified_thalamus_oscillation_model.ipynb: AMPA / GABAa with stp= (the notebook's HTC -> IN
# "NMDA" is an AMPA with alpha 1, beta 0.0067 and a magnesium block 1 / (1 + exp(-(V + 25) / 12.5)))

PRE_IDX = [0, 1, 0, 0, 2, 0, 1, 2, 0]
PRE_T = [1., 1., 2., 2.5, 3., 6., 6., 8., 8.5]
CONN = np.array([[1, 1], [0, 1], [1, 0]], bool)


def kinetic_with_stp(bp: Any, kind: str) -> dict[str, np.ndarray]:
    """Three input spike trains onto two LIF neurons through one kinetic synapse with ``stp=``: 100 steps of
    0.1 ms; returns ``syn.g``, ``syn.stp.x`` (and ``u``) and ``post.V`` at steps 29, 59 and 99."""
    pre = bp.neurons.SpikeTimeGroup(3, indices=PRE_IDX, times=PRE_T)
    post = bp.neurons.LIF(2, V_rest=-65., V_th=-50., V_reset=-65., tau=10.)
    if kind == "GABAa+STD":
        syn = bp.synapses.GABAa(pre, post, bp.conn.MatConn(CONN), stp=bp.synplast.STD(tau=70., U=0.3),
                                output=bp.synouts.COBA(E=-80.), alpha=10.5, beta=0.166, g_max=0.3)
    elif kind == "NMDA+STD":
        syn = bp.synapses.NMDA(pre, post, bp.conn.MatConn(CONN), stp=bp.synplast.STD(tau=70., U=0.3), g_max=0.3)
    elif kind == "BioNMDA+STP":
        syn = bp.synapses.BioNMDA(pre, post, bp.conn.MatConn(CONN), stp=bp.synplast.STP(U=0.2, tau_f=50., tau_d=30.),
                                  g_max=0.3)
    else:
        syn = bp.synapses.AMPA(pre, post, bp.conn.MatConn(CONN), stp=bp.synplast.STP(U=0.2, tau_f=50., tau_d=30.),
                               output=bp.synouts.MgBlock(E=0., cc_Mg=float(np.exp(-2.)), alpha=0.08, beta=1.),
                               alpha=1., beta=0.0067, g_max=0.5)
    keys = ["syn.g", "syn.stp.x", "post.V"] + (["syn.stp.u"] if kind.endswith("STP") else [])
    runner = bp.DSRunner(bp.DynSysGroup(pre=pre, post=post, syn=syn), monitors=keys, progress_bar=False)
    runner.run(10.)
    return {k: np.asarray(runner.mon[k])[[29, 59, 99]] for k in keys}


# BrainPy 2.8.2's numbers (this file run with .venv-bench), rounded to 6 significant digits
KINETIC_STP_BRAINPY: dict[str, dict[str, list[list[float]]]] = {
    "GABAa+STD": {
        "syn.g": [[0.984437, 0.847801, 0.], [0.660944, 0.515247, 0.730158], [0.921188, 0.608294, 0.847812]],
        "syn.stp.x": [[0.350401, 0.707616, 1.], [0.377652, 0.719882, 0.711763], [0.218602, 0.530659, 0.517056]],
        "post.V": [[-65.728676, -66.393936], [-67.29223, -67.53024], [-68.55614, -68.70418]]},
    "AMPA+STP": {
        "syn.g": [[0.500865, 0.218783, 0.], [0.514773, 0.214429, 0.217322], [0.691606, 0.378452, 0.383557]],
        "syn.stp.x": [[0.156518, 0.664538, 1.], [0.236786, 0.696461, 0.681115], [0.091788, 0.452602, 0.42045]],
        "syn.stp.u": [[0.576175, 0.34361, 0.188353], [0.542621, 0.3236, 0.331015], [0.663735, 0.42434, 0.43738]],
        "post.V": [[-64.93738, -64.89317], [-64.713356, -64.67471], [-64.40522, -64.345055]]},
    "NMDA+STD": {
        "syn.g": [[0.470488, 0.343456, 0.], [0.728987, 0.464894, 0.411043], [0.81257, 0.654047, 0.61278]],
        "syn.stp.x": [[0.350401, 0.707616, 1.], [0.377652, 0.719882, 0.711763], [0.218602, 0.530659, 0.517056]],
        "post.V": [[-64.95848, -64.922264], [-64.73208, -64.66437], [-64.3963, -64.31778]]},
    "BioNMDA+STP": {
        "syn.g": [[0.713147, 0.583735, 0.], [0.943353, 0.744192, 0.680326], [0.979318, 0.91743, 0.891398]],
        "syn.stp.x": [[0.156518, 0.664538, 1.], [0.236786, 0.696461, 0.681115], [0.091788, 0.452602, 0.42045]],
        "syn.stp.u": [[0.576175, 0.34361, 0.188353], [0.542621, 0.3236, 0.331015], [0.663735, 0.42434, 0.43738]],
        "post.V": [[-64.93624, -64.87735], [-64.60819, -64.49798], [-64.15656, -64.04916]]},
}


@pytest.mark.parametrize("kind", sorted(KINETIC_STP_BRAINPY))
def test_kinetic_synapses_take_stp_and_step_as_brainpy(kind):
    got = kinetic_with_stp(_bp(), kind)
    for key, expected in KINETIC_STP_BRAINPY[kind].items():
        # float32 steps of the same equations: a few units of the last place
        np.testing.assert_allclose(got[key], expected, rtol=2e-5, atol=1e-6, err_msg=key)


def test_stp_on_a_kinetic_synapse_leaves_g_as_without_it():
    # BrainPy's kinetics test the filtered spike for nonzero only: g (and V) equal the synapse without stp=
    bp = _bp()
    with_stp = kinetic_with_stp(bp, "GABAa+STD")
    pre = bp.neurons.SpikeTimeGroup(3, indices=PRE_IDX, times=PRE_T)
    post = bp.neurons.LIF(2, V_rest=-65., V_th=-50., V_reset=-65., tau=10.)
    syn = bp.synapses.GABAa(pre, post, bp.conn.MatConn(CONN), output=bp.synouts.COBA(E=-80.), alpha=10.5,
                            beta=0.166, g_max=0.3)
    runner = bp.DSRunner(bp.DynSysGroup(pre=pre, post=post, syn=syn), monitors=["syn.g"], progress_bar=False)
    runner.run(10.)
    np.testing.assert_array_equal(np.asarray(runner.mon["syn.g"])[[29, 59, 99]], with_stp["syn.g"])


def test_kinetic_synapse_stp_must_be_a_synplast_object():
    bp = _bp()
    pre, post = bp.neurons.LIF(2), bp.neurons.LIF(2)
    with pytest.raises(TypeError, match="stp must be bp.synplast.STP"):
        bp.synapses.AMPA(pre, post, bp.conn.All2All(), stp=0.5)


# --- Multiscroll_attractor.ipynb: the modified Chua system by IntegratorRunner, 0.6 ms at dt 0.01


def modified_chua(bp: Any) -> tuple[list[int], list[float], list[float]]:
    """Three runs of 0.6 ms (the last from ``start_t=0.3``): the rows each recorded, the last ``ts`` and ``x``."""
    @bp.odeint(method='rk4')
    def system(x, y, z, t, alpha=10.82, beta=14.286, a=1.3, b=.11, d=0):
        return alpha * (y + b * bp.math.sin(bp.math.pi * x / 2 / a + d)), x - y + z, -beta * y

    runner = bp.IntegratorRunner(system, monitors=['x', 'y', 'z'], inits=dict(x=1, y=1, z=0.), dt=0.01,
                                 progress_bar=False)
    rows, ts, xs = [], [], []
    for start in (None, None, 0.3):
        runner.run(0.6, start_t=start)
        rows.append(int(runner.mon.x.shape[0]))
        ts.append(round(float(runner.mon.ts[-1]), 5))
        xs.append(round(float(runner.mon.x[-1, 0]), 5))
    return rows, ts, xs


def test_integrator_runner_counts_steps_in_float32_as_brainpy():
    rows, ts, xs = modified_chua(_bp())
    # BrainPy 2.8.2: 61 steps from 0 and from 0.6 (where the first run "ended": float32 starts), 60 from
    # start_t=0.3 (a float)
    assert rows == [61, 61, 60]
    assert ts == pytest.approx([0.61, 1.21, 0.9], abs=1e-5)
    # the same rk4 steps in float32 (here x was 6.431 after the 60 steps of the first run)
    assert xs == pytest.approx(MODIFIED_CHUA_X_BRAINPY, rel=2e-5)


MODIFIED_CHUA_X_BRAINPY = [6.49916, 7.79122, 6.49984]


if __name__ == "__main__":  # the reference numbers: run with BrainPy 2.8.2 (never imported by the tests)
    import brainpy as _bp_ref

    for _kind in ("GABAa+STD", "AMPA+STP", "NMDA+STD", "BioNMDA+STP"):
        _out = kinetic_with_stp(_bp_ref, _kind)
        print(repr(_kind) + ": {" + ", ".join(
            f"{k!r}: {np.array2string(v, precision=6, separator=', ', floatmode='maxprec')}".replace("\n", "")
            for k, v in _out.items()) + "},")
    print("modified_chua", modified_chua(_bp_ref))
