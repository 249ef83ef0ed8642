"""Brian2 reference weights for tests/models/test_plasticity.py: each plasticity rule on fixed spike trains.

3 presynaptic and 2 postsynaptic ``SpikeGeneratorGroup``s, all-to-all synapses (Brian2's order:
synapse ``s`` is ``i = s // 2``, ``j = s % 2``), every weight 0.5 at start, 300 ms at dt = 0.1 ms,
``w`` in [0, 1]. The spike steps (``PRE``, ``POST`` below) include a pre and a post spike in the same
step and bursts that drive weights into both bounds. Prints ``{rule: final weights}`` as JSON; the
numbers are copied into the test. Run in the bench venv (Brian2 2.9.0, runtime numpy target):

    python bench/stdp_rules_brian2.py
"""
from __future__ import annotations

import json

import numpy as np

PRE = {0: [50, 300, 310, 320, 900, 1500, 2000], 1: [100, 700, 705, 710, 715, 2400], 2: [400, 1200, 2600]}
POST = {0: [60, 300, 330, 1000, 1490, 2050], 1: [90, 720, 725, 1210, 2405, 2800]}

RULES = {
    "stdp_add": dict(
        model="""w : 1
        dapre/dt = -apre / (20*ms) : 1 (event-driven)
        dapost/dt = -apost / (20*ms) : 1 (event-driven)""",
        on_pre="apre += 0.3\nw = clip(w + apost, 0, 1)", on_post="apost += -0.315\nw = clip(w + apre, 0, 1)"),
    "stdp_nearest": dict(
        model="""w : 1
        dapre/dt = -apre / (20*ms) : 1 (event-driven)
        dapost/dt = -apost / (30*ms) : 1 (event-driven)""",
        on_pre="apre = 0.3\nw = clip(w + apost, 0, 1)", on_post="apost = -0.315\nw = clip(w + apre, 0, 1)"),
    "stdp_mult": dict(
        model="""w : 1
        dapre/dt = -apre / (20*ms) : 1 (event-driven)
        dapost/dt = -apost / (20*ms) : 1 (event-driven)""",
        on_pre="apre += 0.3\nw = clip(w + apost * (w - 0), 0, 1)",
        on_post="apost += -0.315\nw = clip(w + apre * (1 - w), 0, 1)"),
    "vogels": dict(
        model="""w : 1
        dapre/dt = -apre / (20*ms) : 1 (event-driven)
        dapost/dt = -apost / (20*ms) : 1 (event-driven)""",
        on_pre="apre += 1\nw = clip(w + (apost - 2*3*0.020) * 0.05, 0, 1)", on_post="apost += 1\nw = clip(w + apre * 0.05, 0, 1)"),
    "triplet": dict(
        model="""w : 1
        dr1/dt = -r1 / (16.8*ms) : 1 (event-driven)
        dr2/dt = -r2 / (101*ms) : 1 (event-driven)
        do1/dt = -o1 / (33.7*ms) : 1 (event-driven)
        do2/dt = -o2 / (125*ms) : 1 (event-driven)""",
        on_pre="w = clip(w - 10 * o1 * (7e-3 + 2.3e-4 * r2), 0, 1)\nr1 += 1\nr2 += 1",
        on_post="w = clip(w + 10 * r1 * (5e-10 + 6.2e-3 * o2), 0, 1)\no1 += 1\no2 += 1"),
}


def run(rule: str) -> list[float]:
    import brian2 as b2
    b2.start_scope()
    b2.prefs.codegen.target = "numpy"
    b2.defaultclock.dt = 0.1 * b2.ms

    def gen(spikes, n):
        idx = [i for i in range(n) for _ in spikes[i]]
        steps = [s for i in range(n) for s in spikes[i]]
        return b2.SpikeGeneratorGroup(n, idx, np.asarray(steps) * 0.1 * b2.ms, dt=0.1 * b2.ms)

    pre, post = gen(PRE, 3), gen(POST, 2)
    S = b2.Synapses(pre, post, **RULES[rule])
    S.connect()
    S.w = 0.5
    b2.run(300 * b2.ms)
    return [float(x) for x in np.asarray(S.w[:])]


if __name__ == "__main__":
    print(json.dumps({r: run(r) for r in RULES}))
