"""Brian2 reference for short-term plasticity (``bb.STP``): Tsodyks-Markram synapses on fixed spike trains,
the numbers tests/models/test_stp_brian2.py checks.

The synapses are Brian2's own STP example form (examples/synapses/short_term_plasticity.py), ``u``
relaxing to 0::

    du/dt = -u / tau_f : 1 (event-driven)       on_pre: u += U * (1 - u)
    dx/dt = (1 - x) / tau_d : 1 (event-driven)          r = u * x
                                                        x -= r
                                                        g_post += w * r

onto ``dg/dt = -g / tau_syn`` (5 ms, exact), every terminal at rest (``u = 0``, ``x = 1``), ``w = 2``,
dt = 0.1 ms, runtime ``numpy`` target (no compiler). Two synapses: depressing (U 0.5, tau_f 10 ms,
tau_d 300 ms) and facilitating (U 0.1, tau_f 500 ms, tau_d 50 ms).

(a) ``fixed``: one ``SpikeGeneratorGroup`` neuron spiking in the steps ``FIXED_STEPS`` (bursts and
    pauses), 350 ms; per kind: ``u``, ``x`` after and ``r`` of each spike, and ``g`` at the steps
    ``G_STEPS``.
(b) ``rates``: regular trains (a ``SpikeGeneratorGroup``, no Poisson) at ``RATES`` Hz, first spike in
    step 10, 2 s; per kind and rate: ``r`` of every spike, the last one (the steady state) and the
    closed form of the steady state, ``u+ x-`` with ``u+ = U / (1 - (1 - U) e^(-T/tau_f))``,
    ``x- = (1 - e^(-T/tau_d)) / (1 - (1 - u+) e^(-T/tau_d))``.

Step alignment: Brian2 delivers a spike emitted in step ``s`` in the same step (its ``synapses`` slot,
after the ``groups`` slot decayed ``g``); brainbatch's projection reads the previous step's spikes, so
it delivers in step ``s + 1``. ``g`` here is recorded at the end of each step (``when='end'``), and
brainbatch's ``g`` after step ``n + 1`` equals Brian2's after step ``n`` (offset: one step). (Brian2's
default StateMonitor slot, ``start``, records the state after step ``n - 1`` in step ``n``: with it the
two monitors' indices coincide.) ``u``, ``x`` and ``r`` depend only on the intervals between spikes,
the same in both.

Prints one JSON object. Run in a venv with Brian2 (2.9.0; numpy < 2.4, as bench/requirements-bench.txt):

    python bench/stp_brian2.py
"""
from __future__ import annotations

import json
import math

import numpy as np

DT_MS = 0.1
W = 2.0
TAU_SYN_MS = 5.0
KINDS = {"depressing": dict(U=0.5, tau_f=10.0, tau_d=300.0), "facilitating": dict(U=0.1, tau_f=500.0, tau_d=50.0)}
FIXED_STEPS = [50, 250, 450, 470, 490, 650, 850, 1200, 1210, 1220, 1230, 1240, 3000]
FIXED_MS = 350.0
G_STEPS = sorted({s + k for s in (50, 250, 450, 490, 1200, 1240, 3000) for k in (0, 1, 40)} | {2999, 3499})
RATES = [5, 10, 20, 40, 80]
RATES_MS = 2000.0
FIRST_STEP = 10

MODEL = """du/dt = -u / tau_f : 1 (event-driven)
dx/dt = (1 - x) / tau_d : 1 (event-driven)
r : 1"""
ON_PRE = """u += U * (1 - u)
r = u * x
x -= r
g_post += w * r"""


def rate_steps(rate: int) -> list[int]:
    period = round(1000.0 / rate / DT_MS)
    return list(range(FIRST_STEP, round(RATES_MS / DT_MS), period))


def closed_form(U: float, tau_f: float, tau_d: float, period_ms: float) -> float:
    u_plus = U / (1 - (1 - U) * math.exp(-period_ms / tau_f))
    e = math.exp(-period_ms / tau_d)
    return u_plus * (1 - e) / (1 - (1 - u_plus) * e)


def simulate(b2, trains: list[list[int]], duration_ms: float):
    """Every train onto its own post neuron through each kind of synapse: post neuron ``k * len(trains) + i``
    gets train ``i`` through kind ``k``. Returns the ``g`` and synapse monitors (end of each step)."""
    ms = b2.ms
    b2.start_scope()
    b2.defaultclock.dt = DT_MS * ms
    n = len(trains)
    idx = [i for i, steps in enumerate(trains) for _ in steps]
    steps = [s for t in trains for s in t]
    src = b2.SpikeGeneratorGroup(n, idx, np.asarray(steps) * DT_MS * ms, dt=DT_MS * ms)
    post = b2.NeuronGroup(n * len(KINDS), "dg/dt = -g / tau_syn : 1", method="exact",
                          namespace=dict(tau_syn=TAU_SYN_MS * ms))
    objs, syn_mons = [src, post], []
    for k, p in enumerate(KINDS.values()):
        S = b2.Synapses(src, post, MODEL, on_pre=ON_PRE, method="exact",
                        namespace=dict(U=p["U"], tau_f=p["tau_f"] * ms, tau_d=p["tau_d"] * ms, w=W))
        S.connect(j=f"i + {k * n}")
        S.u, S.x = 0.0, 1.0
        syn_mons.append(b2.StateMonitor(S, ["u", "x", "r"], record=True, when="end"))
        objs += [S, syn_mons[-1]]
    g_mon = b2.StateMonitor(post, "g", record=True, when="end")
    net = b2.Network(*objs, g_mon)
    net.run(duration_ms * ms)
    return g_mon, syn_mons


def main() -> dict:
    import brian2 as b2
    b2.prefs.codegen.target = "numpy"
    out: dict = dict(brian2=b2.__version__, dt_ms=DT_MS, w=W, tau_syn_ms=TAU_SYN_MS, kinds=KINDS,
                     offset_steps=1, fixed=dict(steps=FIXED_STEPS, g_steps=G_STEPS), rates={})
    g_mon, syn_mons = simulate(b2, [FIXED_STEPS], FIXED_MS)
    g = np.asarray(g_mon.g)  # (post neuron, step): the state at the end of the step
    assert g.shape[1] == round(FIXED_MS / DT_MS)
    for k, (kind, mon) in enumerate(zip(KINDS, syn_mons)):
        out["fixed"][kind] = dict(
            r=np.asarray(mon.r)[0, FIXED_STEPS].tolist(), u=np.asarray(mon.u)[0, FIXED_STEPS].tolist(),
            x=np.asarray(mon.x)[0, FIXED_STEPS].tolist(), g=g[k, G_STEPS].tolist())
    trains = [rate_steps(rate) for rate in RATES]
    _, syn_mons = simulate(b2, trains, RATES_MS)
    out["rates"] = dict(hz=RATES, first_step=FIRST_STEP, duration_ms=RATES_MS)
    for kind, mon in zip(KINDS, syn_mons):
        r_all = np.asarray(mon.r)
        p = KINDS[kind]
        per_rate = []
        for i, rate in enumerate(RATES):
            r = r_all[i, trains[i]].tolist()
            per_rate.append(dict(hz=rate, n_spikes=len(r), r=r, steady=r[-1],
                                 closed_form=closed_form(p["U"], p["tau_f"], p["tau_d"], 1000.0 / rate)))
        out["rates"][kind] = per_rate
    return out


if __name__ == "__main__":
    print(json.dumps(main()))
