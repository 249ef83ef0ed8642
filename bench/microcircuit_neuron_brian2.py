"""The microcircuit's neuron and synapse, step by step in Brian2 2.9: the reference for
``tests/experiments/test_microcircuit_neuron.py``.

Standalone (brian2 / numpy). Twenty iaf_psc_exp neurons exactly as ``microcircuit_brian2.py`` writes them
(E_L = V_reset = -65 mV, V_th = -50 mV, C_m 250 pF, tau_m 10 ms, t_ref 2 ms ``(unless refractory)``,
exponential current synapses of 0.5 ms integrated with ``method="exact"``), with DC currents from 0 to
700 pA (rheobase 375 pA), driven by twelve fixed spike trains through synapses onto ``I_syn`` with mixed
excitatory and inhibitory weights (70-420 pA in size) and delays of 1-30 steps: every piece that sets the
microcircuit's rates except the randomness — the exact PSC, the delay convention (a spike of step s on
a delay of d steps moves V from step s + d + 1 on), the refractory boundary (clamped steps s+1 .. s+19),
the reset and the DC. Inputs come from ``numpy.random.default_rng(1)``; they are stored with the result.

    python bench/microcircuit_neuron_brian2.py      # -> bench/microcircuit_neuron_reference.json

Stores: the inputs, every neuron's spike steps, and V (mV) at the start of every 20th step.
"""
from __future__ import annotations

import datetime
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS, N_SRC = 3000, 12


def inputs() -> dict:
    rng = np.random.default_rng(1)
    dc = np.linspace(0.0, 700.0, 20)
    src_idx, src_steps = [], []
    for k in range(N_SRC):
        s = np.sort(rng.choice(STEPS - 100, 400, replace=False))
        src_idx += [k] * len(s)
        src_steps += s.tolist()
    w = rng.choice([87.8, 175.6, -351.2], (N_SRC, len(dc))) * rng.uniform(0.8, 1.2, (N_SRC, len(dc))) * 3
    delay_steps = rng.integers(1, 31, (N_SRC, len(dc)))
    v0 = rng.normal(-58.0, 5.0, len(dc))
    return dict(steps=STEPS, dt_ms=0.1, n_src=N_SRC, src_idx=src_idx, src_steps=src_steps, w_pA=w.tolist(),
                delay_steps=delay_steps.tolist(), dc_pA=dc.tolist(), v0_mV=v0.tolist())


def simulate(spec: dict) -> dict:
    import brian2 as b2
    from brian2 import ms, mV, pA, pF

    b2.prefs.codegen.target = "numpy"
    b2.defaultclock.dt = spec["dt_ms"] * ms
    eqs = """dv/dt = (-(v - E_L) + (I_syn + I_dc) / C_m * tau_m) / tau_m : volt (unless refractory)
             dI_syn/dt = -I_syn / tau_s : amp
             I_dc : amp"""
    n = len(spec["dc_pA"])
    G = b2.NeuronGroup(n, eqs, threshold="v >= V_th", reset="v = V_reset", refractory=2 * ms, method="exact",
                       namespace=dict(E_L=-65 * mV, C_m=250 * pF, tau_m=10 * ms, tau_s=0.5 * ms, V_th=-50 * mV,
                                      V_reset=-65 * mV))
    G.v = np.array(spec["v0_mV"]) * mV
    G.I_dc = np.array(spec["dc_pA"]) * pA
    P = b2.SpikeGeneratorGroup(spec["n_src"], np.array(spec["src_idx"]), np.array(spec["src_steps"]) * spec["dt_ms"] * ms)
    S = b2.Synapses(P, G, "w : amp", on_pre="I_syn_post += w")
    W, D = np.array(spec["w_pA"]), np.array(spec["delay_steps"])
    ii, jj = np.nonzero(np.ones_like(W))
    S.connect(i=ii, j=jj)
    S.w = W[ii, jj] * pA
    S.delay = D[ii, jj] * spec["dt_ms"] * ms
    mon = b2.StateMonitor(G, "v", record=True)  # at the start of each step
    sm = b2.SpikeMonitor(G)
    b2.run(spec["steps"] * spec["dt_ms"] * ms)
    steps = np.round(np.asarray(sm.t / ms) / spec["dt_ms"]).astype(int)
    return dict(spike_steps=[steps[np.asarray(sm.i) == k].tolist() for k in range(n)],
                v_every_20_steps_mV=np.round(np.asarray(mon.v / mV)[:, ::20], 5).tolist(),
                brian2_version=b2.__version__)


def main() -> int:
    spec = inputs()
    res = simulate(spec)
    path = os.path.join(HERE, "microcircuit_neuron_reference.json")
    ref = dict(
        model="the microcircuit's neuron (iaf_psc_exp as in bench/microcircuit_brian2.py) under fixed spike trains",
        generated_by="bench/microcircuit_neuron_brian2.py", command="python bench/microcircuit_neuron_brian2.py",
        date=datetime.datetime.now().isoformat(timespec="seconds"), device="runtime (numpy)",
        numpy_version=np.__version__, inputs=spec, **res)
    with open(path, "w") as f:  # one key per line, arrays on one line each
        f.write("{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in ref.items()) + "\n}\n")
    print(f"wrote {path}: spikes per neuron {[len(s) for s in res['spike_steps']]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
