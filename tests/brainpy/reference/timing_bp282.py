"""BrainPy 2.8.2 reference numbers for tests/brainpy/test_timing.py (never run by the test suite).

    /path/to/brainpy-2.8.2-venv/bin/python tests/brainpy/reference/timing_bp282.py

Where BrainPy's float32 time ``t`` decides a step (``DSRunner``, dt 0.1 ms, ``t = t0 + i * dt``):

- the refractory period of ``bp.neurons.LIF`` / ``bp.dyn.LifRef`` / ``bp.dyn.LifRefLTC`` (V_rest -60,
  V_th -50, V_reset -60, tau 20) and ``bp.dyn.ExpIFRef``, held while ``t - t_last_spike <= tau_ref``:
  the spike steps of one neuron under a constant input for 1000 ms (into ``input`` for
  ``bp.neurons.LIF``, as ``update(x)`` for the ``bp.dyn`` classes; ``tau_ref`` 5 ms with input 30, from
  V = 0 and from V = -60; ``tau_ref`` 2 ms with input 50; ExpIFRef ``tau_ref`` 5 from -65 mV, input 10);
- the transmitter pulse of ``bp.synapses.AMPA`` / ``GABAa`` (``t - spike_arrival_time < T_duration``):
  79 spikes at ``round(arange(1, 290, 3.7), 1)`` ms from a ``SpikeTimeGroup`` onto a ``LeakyIntegrator``,
  300 ms: how many steps each pulse raises ``g`` (``pulses[k]``: the number of pulses of k steps) and the
  mean of ``g``; also with ``t0 = 0.37`` ms (BrainPy's ``t0 + i * dt`` rounds once there, as a fused
  multiply-add on the CPU), and without a runner (``bm.for_loop`` over the network's ``step_run``).

And the rate of a Poisson-driven refractory ``bp.neurons.LIF`` (BrainPy's hold keeps the input written
into V while refractory). It prints one JSON object.
"""
import json

import brainpy as bp
import brainpy.math as bm
import numpy as np

bm.set_platform("cpu")
bm.set_dt(0.1)


def spike_steps(group, inp, T=1000.):
    if isinstance(group, bp.neurons.LIF):  # the 2.3 class: the runner's input into its `input`
        r = bp.DSRunner(group, monitors=["spike"], inputs=[("input", inp)], progress_bar=False)
        r.run(T)
    else:  # the 2.4 classes: update(x) with one value per step
        r = bp.DSRunner(group, monitors=["spike"], progress_bar=False)
        r.run(inputs=np.full(int(round(T / 0.1)), inp, dtype=np.float32))
    return np.flatnonzero(np.asarray(r.mon["spike"])[:, 0]).tolist()


LIF = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20.)
out = {}
for name, make in (("neurons.LIF", bp.neurons.LIF), ("dyn.LifRef", bp.dyn.LifRef),
                   ("dyn.LifRefLTC", bp.dyn.LifRefLTC)):
    out[name] = {"ref5": spike_steps(make(1, tau_ref=5., **LIF), 30.),
                 "ref5_v60": spike_steps(make(1, tau_ref=5., V_initializer=bp.init.Constant(-60.), **LIF), 30.),
                 "ref2": spike_steps(make(1, tau_ref=2., **LIF), 50.)}
out["dyn.ExpIFRef"] = {"ref5": spike_steps(bp.dyn.ExpIFRef(1, tau_ref=5., V_initializer=bp.init.Constant(-65.)), 10.)}

times = list(np.round(np.arange(1., 290., 3.7), 1))


def pulses(g):
    g = np.asarray(g, dtype=np.float64).ravel()
    runs, c = [], 0
    for up in np.diff(g) > 0:
        if up:
            c += 1
        elif c:
            runs.append(c)
            c = 0
    return {"pulses": np.bincount(runs).tolist(), "mean_g": round(float(g.mean()), 7)}


for syn_name in ("AMPA", "GABAa"):
    for t0 in (0.0, 0.37, "for_loop"):
        pre = bp.neurons.SpikeTimeGroup(1, [0] * len(times), times)
        post = bp.neurons.LeakyIntegrator(1)
        syn = getattr(bp.synapses, syn_name)(pre, post, bp.conn.All2All(), output=bp.synouts.COBA(E=0.))
        net = bp.Network(pre=pre, post=post, syn=syn)
        if t0 == "for_loop":  # no runner: the network's step_run(i) in bm.for_loop (BrainPy's t = i * dt)
            def step(i):
                net.step_run(i)
                return syn.g.value
            out[f"{syn_name} for_loop"] = pulses(bm.for_loop(step, np.arange(3000)))
        else:
            r = bp.DSRunner(net, monitors={"g": syn.g}, progress_bar=False, t0=t0)
            r.run(300.)
            out[f"{syn_name} t0={t0}"] = pulses(r.mon["g"])
# BrainPy's hold keeps what a PoissonInput wrote into V while refractory: 2000 LIF from -60 mV, 1000 sources
# at 10 Hz of 0.06 mV onto V, tau_ref 5 ms, 1 s (bm.random.seed(1)); the mean rate in Hz
bm.random.seed(1)
E = bp.neurons.LIF(2000, tau_ref=5., V_initializer=bp.init.Constant(-60.), **LIF)
net = bp.Network(E=E, P=bp.dyn.PoissonInput(E.V, num_input=1000, freq=10., weight=0.06))
r = bp.DSRunner(net, monitors=["E.spike"], progress_bar=False)
r.run(1000.)
out["poisson_lif_rate_hz"] = round(float(np.asarray(r.mon["E.spike"]).mean() * 1e4), 3)
print(json.dumps(out))
