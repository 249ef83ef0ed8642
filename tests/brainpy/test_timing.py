"""Where BrainPy's float32 step time decides a step, against BrainPy 2.8.2 (``DSRunner``, dt 0.1 ms).

Numbers from tests/brainpy/reference/timing_bp282.py. BrainPy's runner computes ``t = t0 + i * dt`` in
float32 once per step and every node reads that value: the refractory test ``t - t_last_spike <= tau_ref``
and the transmitter pulse ``t - spike_arrival_time < T_duration`` subtract two such rounded times, so now
and then a period is a step shorter or longer than ``tau_ref / dt``. brainbatch's ``DSRunner`` hands every
step the same rounded ``t`` (``context.step_times``; ``bm.for_loop`` one multiply-add with its ``t0``), so
the adapters decide those steps as BrainPy does.
"""
import jax
import numpy as np
import pytest

import brainbatch as bb
import brainbatch.brainpy as bp
import brainbatch.brainpy.math as bm

LIF = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20.)

# spike steps of one neuron, 1000 ms; the same for bp.neurons.LIF, bp.dyn.LifRef and bp.dyn.LifRefLTC in BrainPy
# tau_ref 5, input 30, from V = 0
BP_REF5 = [0, 132, 263, 395, 527, 659, 791, 923, 1055, 1187, 1319, 1451, 1583, 1715, 1847, 1979, 2111, 2243, 2375,
    2507, 2639, 2771, 2903, 3035, 3167, 3299, 3431, 3563, 3695, 3827, 3959, 4091, 4223, 4355, 4487, 4619, 4751, 4883,
    5015, 5147, 5279, 5411, 5543, 5675, 5807, 5939, 6071, 6203, 6335, 6467, 6599, 6731, 6863, 6995, 7127, 7259, 7391,
    7523, 7655, 7787, 7919, 8051, 8183, 8315, 8447, 8579, 8711, 8843, 8975, 9107, 9239, 9371, 9503, 9635, 9767, 9899]
# from V = -60
BP_REF5_V60 = [81, 213, 345, 477, 609, 741, 873, 1005, 1137, 1269, 1400, 1532, 1664, 1796, 1928, 2060, 2192, 2324,
    2456, 2588, 2720, 2852, 2984, 3116, 3248, 3380, 3512, 3644, 3776, 3908, 4040, 4172, 4304, 4436, 4568, 4700, 4832,
    4964, 5096, 5227, 5359, 5491, 5623, 5755, 5887, 6019, 6151, 6283, 6415, 6547, 6679, 6811, 6943, 7075, 7207, 7339,
    7471, 7603, 7735, 7867, 7999, 8131, 8263, 8395, 8527, 8659, 8791, 8923, 9055, 9187, 9319, 9451, 9583, 9715, 9847,
    9979]
# tau_ref 2, input 50
BP_REF2 = [0, 65, 130, 195, 260, 325, 390, 455, 520, 585, 650, 715, 780, 845, 910, 975, 1040, 1105, 1170, 1235, 1300,
    1365, 1430, 1495, 1560, 1625, 1690, 1755, 1820, 1885, 1950, 2015, 2080, 2145, 2210, 2275, 2340, 2405, 2470, 2535,
    2600, 2665, 2730, 2795, 2860, 2925, 2990, 3055, 3120, 3185, 3250, 3315, 3380, 3445, 3510, 3575, 3640, 3705, 3770,
    3835, 3900, 3965, 4030, 4095, 4160, 4225, 4290, 4355, 4420, 4485, 4550, 4615, 4680, 4745, 4810, 4875, 4940, 5005,
    5070, 5135, 5200, 5265, 5330, 5395, 5460, 5525, 5590, 5655, 5720, 5785, 5850, 5915, 5980, 6045, 6110, 6175, 6240,
    6305, 6370, 6435, 6500, 6565, 6630, 6695, 6760, 6825, 6890, 6955, 7020, 7085, 7150, 7215, 7280, 7345, 7410, 7475,
    7540, 7605, 7670, 7735, 7800, 7865, 7930, 7995, 8060, 8125, 8190, 8255, 8320, 8385, 8450, 8515, 8580, 8645, 8710,
    8775, 8840, 8905, 8970, 9035, 9100, 9165, 9230, 9295, 9360, 9425, 9490, 9555, 9620, 9685, 9750, 9815, 9880, 9945]
# ExpIFRef, -65 mV, input 10
BP_EXPIF_REF5 = [105, 286, 466, 647, 828, 1009, 1190, 1371, 1552, 1733, 1914, 2095, 2276, 2457, 2638, 2819, 3000,
    3181, 3362, 3543, 3724, 3905, 4086, 4267, 4448, 4629, 4810, 4991, 5172, 5353, 5534, 5715, 5896, 6077, 6258, 6439,
    6620, 6801, 6982, 7163, 7344, 7525, 7706, 7887, 8068, 8249, 8430, 8611, 8792, 8973, 9154, 9335, 9516, 9697, 9878]
# mean rate of 2000 Poisson-driven refractory LIF neurons (bm.random.seed(1))
BP_POISSON_LIF_HZ = 28.13
# transmitter pulses: PULSES[k] = how many of the 79 pulses raise g for k steps; and the mean of g over 300 ms
BP_SYN = {("AMPA", 0.0): ([0, 0, 0, 0, 0, 78, 1], 0.2600392),
          ("AMPA", 0.37): ([0, 0, 0, 0, 0, 78, 1], 0.2600968),
          ("GABAa", 0.0): ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 78, 1], 0.4270044),
          ("GABAa", 0.37): ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 78, 1], 0.4271028),
          # no runner: bm.for_loop over the network's step_run (BrainPy's t = i * dt)
          ("AMPA", "for_loop"): ([0, 0, 0, 0, 0, 78, 1], 0.2600392),
          ("GABAa", "for_loop"): ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 78, 1], 0.4270044)}


def spike_steps(group, inp, by_update=False, T=1000.):
    if not by_update:  # the runner's input into the group's `input` (the 2.3 style)
        mon = bp.DSRunner(group, monitors=["spike"], inputs=[("input", inp)], progress_bar=False).run(T)
    else:  # the 2.4 style: update(x), one value per step (the runner's other path)
        mon = bp.DSRunner(group, monitors=["spike"], progress_bar=False).run(
            inputs=np.full(int(round(T / 0.1)), inp, dtype=np.float32))
    return np.flatnonzero(np.asarray(mon["spike"])[:, 0]).tolist()


@pytest.mark.parametrize("make, by_update", [(bp.neurons.LIF, False), (bp.dyn.LifRef, True),
                                             (bp.dyn.LifRefLTC, True)])
def test_the_lif_refractory_period_ends_in_brainpys_step(make, by_update):
    assert spike_steps(make(1, tau_ref=5., **LIF), 30., by_update) == BP_REF5
    assert spike_steps(make(1, tau_ref=5., V_initializer=bp.init.Constant(-60.), **LIF), 30., by_update) == BP_REF5_V60
    assert spike_steps(make(1, tau_ref=2., **LIF), 50., by_update) == BP_REF2


def test_brainpys_intervals_are_tau_ref_over_dt_held_steps_and_float32_shortens_a_few():
    assert set(np.diff(BP_REF5)) == {131, 132} and np.sum(np.diff(BP_REF5) == 131) == 1
    assert set(np.diff(BP_REF2)) == {65}
    assert spike_steps(bp.dyn.ExpIFRef(1, tau_ref=5., V_initializer=bp.init.Constant(-65.)), 10., True) == BP_EXPIF_REF5


def test_the_native_lif_ref_keeps_its_own_rule():
    """bb.LifRef (Brian2's boundary, counted in steps) is not the adapter: one held step fewer."""
    g = bb.LifRef(1, tau_ref=5., **LIF, V_initializer=bb.Constant(0.))
    mon = bb.Runner(g, monitors=["spike"], inputs=[("input", 30.)], progress_bar=False).run(1000.)
    steps = np.flatnonzero(np.asarray(mon["spike"])[:, 0])
    assert steps[0] == 0 and set(np.diff(steps)) == {131}


@pytest.mark.parametrize("name, t0", list(BP_SYN))
def test_the_transmitter_pulse_lasts_as_long_as_brainpys(name, t0):
    times = list(np.round(np.arange(1., 290., 3.7), 1))
    pre = bp.neurons.SpikeTimeGroup(1, [0] * len(times), times)
    post = bp.neurons.LeakyIntegrator(1)
    syn = getattr(bp.synapses, name)(pre, post, bp.conn.All2All(), output=bp.synouts.COBA(E=0.))
    net = bp.Network(pre=pre, post=post, syn=syn)
    if t0 == "for_loop":
        def step(i):
            net.step_run(i)
            return syn.g.value

        g = bm.for_loop(step, np.arange(3000))
    else:
        g = bp.DSRunner(net, monitors={"g": syn.g}, progress_bar=False, t0=t0).run(300.)["g"]
    g = np.asarray(g, dtype=np.float64).ravel()
    runs, c = [], 0
    for up in np.diff(g) > 0:
        if up:
            c += 1
        elif c:
            runs.append(c)
            c = 0
    pulses, mean_g = BP_SYN[(name, t0)]
    assert np.bincount(runs).tolist() == pulses
    assert abs(g.mean() - mean_g) < 3e-7


def test_step_times_are_brainpys_float32_times():
    from brainbatch.core.context import step_times

    i = np.arange(5000, 5010)
    np.testing.assert_array_equal(np.asarray(step_times(0.0, 0.1, 5000, 10)), i.astype(np.float32) * np.float32(0.1))
    if jax.default_backend() != "cpu":
        return
    # t0 != 0: BrainPy's t0 + i * dt is one fused multiply-add on the CPU (rounded once)
    fma = (i * np.float64(np.float32(0.1)) + np.float64(np.float32(0.37))).astype(np.float32)
    np.testing.assert_array_equal(np.asarray(step_times(0.37, 0.1, 5000, 10)), fma)


def test_a_refractory_lif_keeps_what_a_poisson_input_writes_into_v_as_brainpy():
    """BrainPy's hold puts V back to its value at the start of the step, PoissonInput's jumps included:
    2000 neurons fire at 28.13 Hz in BrainPy 2.8.2 (bb.LifRef, which drops them, at 24.5 Hz)."""
    E = bp.neurons.LIF(2000, tau_ref=5., V_initializer=bp.init.Constant(-60.), **LIF)
    net = bp.Network(E=E, P=bp.dyn.PoissonInput(E.V, num_input=1000, freq=10., weight=0.06))
    rate = np.asarray(bp.DSRunner(net, monitors=["E.spike"], progress_bar=False).run(1000.)["E.spike"]).mean() * 1e4
    assert abs(rate - BP_POISSON_LIF_HZ) < 0.8  # about 6 standard errors; 24.5 Hz is far out
