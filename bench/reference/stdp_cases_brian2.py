"""Brian2 reference for tests/models/test_stdp_reference.py: pair STDP (and STP + STDP) on fixed spike trains,
the cases tests/models/test_plasticity.py does not cover -- delays (scalar and per presynaptic neuron), weight
bounds other than [0, 1] (negative w_min too), anti-Hebbian signs (each branch of the multiplicative form),
nearest pairing with delays, and what each spike delivers (``g`` of the postsynaptic side).

Written from docs/plasticity.md, not from brainbatch's code:

* traces ``apre`` (``taupre``, jump ``dApre``) and ``apost`` (``taupost``, jump ``dApost``), event-driven
  (exact decay); ``pairing="all"``: ``a += jump``, ``"nearest"``: ``a = jump``;
* on a presynaptic spike (after the pathway's delay): deliver ``g_post += w`` with the weight before the update,
  then ``w = clip(w + f(apost), w_min, w_max)``, then ``apre`` jumps; on a postsynaptic spike (no delay):
  ``w = clip(w + f(apre), w_min, w_max)``, then ``apost`` jumps; Brian2 runs the ``pre`` pathway before ``post``
  in a step (the documented order);
* ``f(D) = D`` (additive) or ``D (w_max - w) / (w_max - w_min)`` for ``D > 0``, ``D (w - w_min) / (w_max - w_min)``
  for ``D < 0`` (multiplicative);
* STP + STDP: Brian2's STP example form (``u += U (1 - u)``, ``r = u x``, ``x -= r``, deliver ``w r``), then the
  STDP update.

3 presynaptic neurons (``SpikeGeneratorGroup``), 2 postsynaptic ones (a ``NeuronGroup`` whose threshold reads
the post raster from a ``TimedArray``, so it can also hold ``dg/dt = -g / 5 ms``, exact), all-to-all (synapse
``s``: ``i = s // 2``, ``j = s % 2``), 400 ms at dt = 0.1 ms, runtime ``numpy`` target, float64. Monitors at
the end of each step (``when="end"``): brainbatch handles a spike of step ``s`` in step ``s + 1`` (docs/
plasticity.md, "One step"), so its state after step ``n + 1`` is Brian2's after step ``n``.

Prints one JSON object ``{case: {"w": {step: [6 weights]}, "g": {step: [2 values]}}}`` (steps: Brian2's, state
at the end of the step). Run with Brian2 2.9.0 (numpy < 2.4):

    python bench/reference/stdp_cases_brian2.py
"""
from __future__ import annotations

import json

import numpy as np

DT_MS = 0.1
N_STEPS = 4000
TAU_G_MS = 5.0
PRE = {0: [50, 300, 310, 320, 900, 1500, 2000, 3000, 3005], 1: [100, 685, 700, 705, 710, 715, 2400, 3300],
       2: [400, 1200, 2600, 3477]}
POST = {0: [60, 300, 315, 330, 1000, 1490, 2050, 3015], 1: [90, 700, 720, 725, 1210, 2405, 2800, 3500]}
W_STEPS = [320, 716, 1500, 2405, 3015, 3999]  # weights sampled after these steps (the last: the final weights)
G_STEPS = [50, 51, 100, 300, 315, 316, 700, 715, 1200, 3000, 3015, 3500]

# name: (rule, delay in ms (scalar or per presynaptic neuron), start weight, stp or None)
CASES = {
    "add_delay": (dict(dApre=0.3, dApost=-0.315, taupre=20.0, taupost=20.0, w_min=0.0, w_max=1.0,
                       form="additive", pairing="all"), 1.5, 0.5, None),
    "nearest_delays": (dict(dApre=0.3, dApost=-0.315, taupre=20.0, taupost=30.0, w_min=0.0, w_max=1.0,
                            form="additive", pairing="nearest"), [0.0, 1.5, 2.3], 0.5, None),
    "mult_range": (dict(dApre=0.3, dApost=-0.315, taupre=20.0, taupost=20.0, w_min=0.2, w_max=1.5,
                        form="multiplicative", pairing="all"), None, 0.8, None),
    "mult_anti": (dict(dApre=-0.3, dApost=0.35, taupre=15.0, taupost=25.0, w_min=-0.5, w_max=1.0,
                       form="multiplicative", pairing="all"), 1.0, 0.25, None),
    "add_anti_negative": (dict(dApre=-0.3, dApost=0.35, taupre=20.0, taupost=20.0, w_min=-1.0, w_max=0.5,
                               form="additive", pairing="all"), None, 0.0, None),
    "nearest_mult_delays": (dict(dApre=0.4, dApost=-0.5, taupre=10.0, taupost=30.0, w_min=0.0, w_max=2.0,
                                 form="multiplicative", pairing="nearest"), [1.0, 0.0, 1.5], 1.0, None),
    "stp_stdp": (dict(dApre=0.3, dApost=-0.315, taupre=20.0, taupost=20.0, w_min=0.0, w_max=1.0,
                      form="additive", pairing="all"), None, 0.5, dict(U=0.5, tau_f=10.0, tau_d=300.0)),
    # Vogels et al. (2011): delivered with the weight after the update; alpha = 2 rho0 tau
    "vogels_delay": (dict(kind="vogels", eta=0.05, rho0=3.0, tau=20.0, w_min=0.0, w_max=1.0), 1.5, 0.5, None),
    # Pfister & Gerstner (2006) triplet rule, the default (visual cortex, all-to-all) parameters, scale 10
    "triplet_delays": (dict(kind="triplet", scale=10.0, w_min=0.0, w_max=1.0), [0.0, 1.5, 2.3], 0.5, None),
}

VOGELS_MODEL = """w : 1
    dapre/dt = -apre / tau : 1 (event-driven)
    dapost/dt = -apost / tau : 1 (event-driven)"""
VOGELS_PRE = "w = clip(w + eta * (apost - 2 * rho0 * tau), w_min, w_max)\napre += 1\ng_post += w"
VOGELS_POST = "w = clip(w + eta * apre, w_min, w_max)\napost += 1"
TRIPLET = dict(A2p=5e-10, A3p=6.2e-3, A2m=7e-3, A3m=2.3e-4, tau_plus=16.8, tau_minus=33.7, tau_x=101.0, tau_y=125.0)
TRIPLET_MODEL = """w : 1
    dr1/dt = -r1 / tau_plus : 1 (event-driven)
    dr2/dt = -r2 / tau_x : 1 (event-driven)
    do1/dt = -o1 / tau_minus : 1 (event-driven)
    do2/dt = -o2 / tau_y : 1 (event-driven)"""
TRIPLET_PRE = "g_post += w\nw = clip(w - scale * o1 * (A2m + A3m * r2), w_min, w_max)\nr1 += 1\nr2 += 1"
TRIPLET_POST = "w = clip(w + scale * r1 * (A2p + A3p * o2), w_min, w_max)\no1 += 1\no2 += 1"


def change(form: str, trace: str) -> str:
    if form == "additive":
        return trace
    return (f"({trace}) * ((w_max - w) / (w_max - w_min) * int(({trace}) > 0)"
            f" + (w - w_min) / (w_max - w_min) * int(({trace}) < 0))")


def simulate(b2, rule: dict, delay, w0: float, stp: dict | None) -> dict:
    ms = b2.ms
    b2.start_scope()
    b2.defaultclock.dt = DT_MS * ms
    idx = [i for i in PRE for _ in PRE[i]]
    steps = [s for i in PRE for s in PRE[i]]
    pre = b2.SpikeGeneratorGroup(3, idx, np.asarray(steps) * DT_MS * ms, dt=DT_MS * ms)
    raster = np.zeros((N_STEPS, 2))
    for j, st in POST.items():
        raster[st, j] = 1.0
    post_spikes = b2.TimedArray(raster, dt=DT_MS * ms)
    post = b2.NeuronGroup(2, "dg/dt = -g / tau_g : 1", threshold="post_spikes(t, i) > 0.5", reset="",
                          method="exact", namespace=dict(tau_g=TAU_G_MS * ms, post_spikes=post_spikes))
    kind = rule.get("kind", "stdp")
    if kind == "vogels":
        model, on_pre, on_post = VOGELS_MODEL, VOGELS_PRE, VOGELS_POST
        ns = dict(eta=rule["eta"], rho0=rule["rho0"] * b2.Hz, tau=rule["tau"] * ms)
    elif kind == "triplet":
        model, on_pre, on_post = TRIPLET_MODEL, TRIPLET_PRE, TRIPLET_POST
        ns = {k: (v * ms if k.startswith("tau") else v) for k, v in TRIPLET.items()}
        ns["scale"] = rule["scale"]
    else:
        model, on_pre, on_post, ns = stdp(rule, stp, ms)
    ns.update(w_min=rule["w_min"], w_max=rule["w_max"])
    if stp is not None:
        ns.update(U=stp["U"], tau_f=stp["tau_f"] * ms, tau_d=stp["tau_d"] * ms)
    S = b2.Synapses(pre, post, model, on_pre=on_pre, on_post=on_post, namespace=ns)
    S.connect()
    S.w = w0
    if stp is not None:
        S.u, S.x = 0.0, 1.0
    if delay is not None:
        S.delay = (np.repeat(np.broadcast_to(np.asarray(delay, float), (3,)), 2)) * ms  # synapse s: i = s // 2
    assert list(S.i[:]) == [0, 0, 1, 1, 2, 2] and list(S.j[:]) == [0, 1, 0, 1, 0, 1]
    pre_mon, post_mon = b2.SpikeMonitor(pre), b2.SpikeMonitor(post)
    w_mon = b2.StateMonitor(S, "w", record=True, when="end")
    g_mon = b2.StateMonitor(post, "g", record=True, when="end")
    b2.Network(pre, post, S, pre_mon, post_mon, w_mon, g_mon).run(N_STEPS * DT_MS * ms)
    for mon, trains in ((pre_mon, PRE), (post_mon, POST)):  # the trains fired in the steps given
        got = mon.spike_trains()
        assert all(np.round(np.asarray(got[k] / ms) / DT_MS).astype(int).tolist() == trains[k] for k in trains)
    w, g = np.asarray(w_mon.w), np.asarray(g_mon.g)  # (synapse / neuron, step)
    assert w.shape[1] == N_STEPS
    return dict(w={s: w[:, s].tolist() for s in W_STEPS}, g={s: g[:, s].tolist() for s in G_STEPS},
                w_every_step=w.T.tolist())


def stdp(rule: dict, stp: dict | None, ms) -> tuple[str, str, str, dict]:
    """Pair STDP's synapse model, on_pre, on_post and namespace (without the bounds)."""
    set_or_add = "=" if rule["pairing"] == "nearest" else "+="
    model = """w : 1
    dapre/dt = -apre / taupre : 1 (event-driven)
    dapost/dt = -apost / taupost : 1 (event-driven)"""
    on_pre = "g_post += w"
    if stp is not None:
        model += """
        du/dt = -u / tau_f : 1 (event-driven)
        dx/dt = (1 - x) / tau_d : 1 (event-driven)"""
        on_pre = "u += U * (1 - u)\nr = u * x\nx -= r\ng_post += w * r"
    on_pre += f"\nw = clip(w + {change(rule['form'], 'apost')}, w_min, w_max)\napre {set_or_add} dApre"
    on_post = f"w = clip(w + {change(rule['form'], 'apre')}, w_min, w_max)\napost {set_or_add} dApost"
    ns = dict(taupre=rule["taupre"] * ms, taupost=rule["taupost"] * ms, dApre=rule["dApre"], dApost=rule["dApost"])
    if stp is not None:
        model += "\nr : 1"
    return model, on_pre, on_post, ns


def main(full: bool = False) -> dict:
    import brian2 as b2
    b2.prefs.codegen.target = "numpy"
    out = {"brian2": b2.__version__}
    for name, (rule, delay, w0, stp) in CASES.items():
        res = simulate(b2, rule, delay, w0, stp)
        if not full:
            res.pop("w_every_step")
        out[name] = res
    return out


if __name__ == "__main__":
    import sys
    print(json.dumps(main(full="--full" in sys.argv)))
