"""Brian2 reference for tests/models/test_stp_reference.py: Tsodyks-Markram short-term plasticity in the cases
tests/models/test_stp_brian2.py does not cover -- ``tau_f = 0`` (no facilitation), ``U``, ``tau_f`` and ``tau_d``
per presynaptic neuron, a scalar delay, per-neuron delays and per-synapse delays -- with ``u`` and ``x`` after
every spike and the postsynaptic ``g``.

Written from docs/plasticity.md ("Short-term plasticity"), not from brainbatch's code, in Brian2's STP example
form with ``u`` relaxing to 0::

    du/dt = -u / tau_f : 1 (event-driven)      on_pre: u += U * (1 - u)    (tau_f = 0: u = U)
    dx/dt = (1 - x) / tau_d : 1 (event-driven)         r = u * x
                                                       x -= r
                                                       g_post += w * r

onto ``dg/dt = -g / 5 ms`` (exact), every terminal at rest (``u = 0``, ``x = 1``), ``w = 2``. In Brian2 ``u``
and ``x`` are per synapse and update when the spike reaches the synapse (after its delay); a brainbatch
terminal keeps one ``u``, ``x`` per presynaptic neuron. With a scalar or per-neuron delay the two are the same
thing; with per-synapse delays every synapse of a neuron sees the same train, shifted, so its ``r`` sequence is
the same (docs/plasticity.md).

3 presynaptic ``SpikeGeneratorGroup`` neurons (trains ``TRAINS``), 350 ms at dt = 0.1 ms, runtime ``numpy``
target, float64. Cases:

* ``tau_f0_delay``: U 0.4, tau_f 0, tau_d 200 ms, delay 2 ms, one to one onto 3 neurons;
* ``per_neuron``: U (0.1, 0.3, 0.7), tau_f (300, 50, 10) ms, tau_d (80, 200, 400) ms, delays (0, 1.2, 3) ms,
  one to one;
* ``per_synapse_delays``: U 0.2, tau_f 100 ms, tau_d 150 ms, all to all onto 2 neurons, delay of synapse
  (i, j) ``DELAYS_IJ[i][j]`` ms.

Prints one JSON object: per case ``r`` (each synapse's released fraction at each arrival, in the order of
``TRAINS``), ``u``/``x`` (after each arrival, of synapse (i, 0)) and ``g`` (state at the end of the steps
``G_STEPS``, Brian2's step numbers; ``--full``: every step too). brainbatch delivers a spike of step ``s`` in step ``s + 1`` (one step
later). Run with Brian2 2.9.0 (numpy < 2.4):

    python bench/reference/stp_cases_brian2.py
"""
from __future__ import annotations

import json

import numpy as np

DT_MS = 0.1
N_STEPS = 3500
W = 2.0
TAU_G_MS = 5.0
TRAINS = {0: [50, 100, 150, 200, 1000, 1005, 1010, 2500], 1: [70, 75, 80, 85, 90, 600, 1700, 3100],
          2: [30, 530, 1030, 1530, 1560, 1590, 1620, 3300]}
G_STEPS = [30, 31, 50, 51, 70, 71, 90, 91, 100, 101, 112, 1000, 1010, 1030, 1040, 1560, 1620, 3100, 3120, 3330,
           3499]
DELAYS_IJ = [[0.0, 2.0], [1.0, 0.5], [3.0, 0.0]]
CASES = {
    "tau_f0_delay": dict(U=0.4, tau_f=0.0, tau_d=200.0, delay=2.0, n_post=3),
    "per_neuron": dict(U=[0.1, 0.3, 0.7], tau_f=[300.0, 50.0, 10.0], tau_d=[80.0, 200.0, 400.0],
                       delay=[0.0, 1.2, 3.0], n_post=3),
    "per_synapse_delays": dict(U=0.2, tau_f=100.0, tau_d=150.0, delay=DELAYS_IJ, n_post=2),
}


def simulate(b2, case: dict) -> dict:
    ms = b2.ms
    b2.start_scope()
    b2.defaultclock.dt = DT_MS * ms
    idx = [i for i in TRAINS for _ in TRAINS[i]]
    steps = [s for i in TRAINS for s in TRAINS[i]]
    pre = b2.SpikeGeneratorGroup(3, idx, np.asarray(steps) * DT_MS * ms, dt=DT_MS * ms)
    n_post = case["n_post"]
    post = b2.NeuronGroup(n_post, "dg/dt = -g / tau_g : 1", method="exact", namespace=dict(tau_g=TAU_G_MS * ms))
    facilitates = np.all(np.asarray(case["tau_f"]) > 0)
    model = """U_s : 1
    tau_d_s : second
    dx/dt = (1 - x) / tau_d_s : 1 (event-driven)
    r : 1"""
    if facilitates:
        model += "\ntau_f_s : second\ndu/dt = -u / tau_f_s : 1 (event-driven)"
        on_pre = "u += U_s * (1 - u)"
    else:
        model += "\nu : 1"
        on_pre = "u = U_s"
    on_pre += "\nr = u * x\nx -= r\ng_post += w * r"
    S = b2.Synapses(pre, post, model, on_pre=on_pre, namespace=dict(w=W))
    if n_post == 3:
        S.connect(j="i")
    else:
        S.connect()
    i = np.asarray(S.i[:])
    j = np.asarray(S.j[:])
    per_pre = lambda v: np.broadcast_to(np.asarray(v, float), (3,))[i]  # noqa: E731
    S.U_s = per_pre(case["U"])
    S.tau_d_s = per_pre(case["tau_d"]) * ms
    if facilitates:
        S.tau_f_s = per_pre(case["tau_f"]) * ms
    S.u, S.x = 0.0, 1.0
    delay = np.asarray(case["delay"], float)
    S.delay = (delay[i, j] if delay.ndim == 2 else np.broadcast_to(delay, (3,))[i]) * ms
    syn = b2.StateMonitor(S, ["u", "x", "r"], record=True, when="end")
    g_mon = b2.StateMonitor(post, "g", record=True, when="end")
    b2.Network(pre, post, S, syn, g_mon).run(N_STEPS * DT_MS * ms)
    d_steps = np.round(np.asarray(S.delay[:] / ms) / DT_MS).astype(int)
    out: dict = dict(r={}, u={}, x={})
    for k in range(len(i)):
        arrive = [s + d_steps[k] for s in TRAINS[int(i[k])]]
        key = f"{i[k]},{j[k]}"
        out["r"][key] = np.asarray(syn.r)[k, arrive].tolist()
        out["u"][key] = np.asarray(syn.u)[k, arrive].tolist()
        out["x"][key] = np.asarray(syn.x)[k, arrive].tolist()
    out["g"] = {s: np.asarray(g_mon.g)[:, s].tolist() for s in G_STEPS}
    out["g_every_step"] = np.asarray(g_mon.g).T.tolist()
    return out


def main(full: bool = False) -> dict:
    import brian2 as b2
    b2.prefs.codegen.target = "numpy"
    out = {"brian2": b2.__version__}
    for name, case in CASES.items():
        out[name] = simulate(b2, case)
        if not full:
            out[name].pop("g_every_step")
    return out


if __name__ == "__main__":
    import sys
    print(json.dumps(main(full="--full" in sys.argv)))
