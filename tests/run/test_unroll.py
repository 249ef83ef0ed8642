"""A small model's long scans run several steps per iteration (``engine.choose_unroll``); a step does the
same arithmetic either way, so a run cut into short chunks (not unrolled) gives the same bits."""
import numpy as np

import brainbatch as bb
from brainbatch.run import Simulation, normalize_monitors
from brainbatch.run.engine import UNROLL_MIN_STEPS, choose_unroll


def build(p):
    inp = bb.PoissonGroup(50, freqs=40.0)
    neu = bb.LIF(2, V_rest=-74.0, V_reset=-60.0, V_th=-54.0, tau=10.0, V_initializer=bb.Constant(-60.0))
    S = bb.Projection(inp, neu, bb.AllToAll(), bb.Exponential(5.0), bb.COBA(0.0), weight=bb.Uniform(0.0, 0.2),
                      plasticity=bb.STDP(dApre=0.002, dApost=-0.0021, w_max=0.2))
    return bb.Network(inp=inp, neu=neu, S=S)


def test_unrolled_and_stepwise_scans_give_the_same_bits(monkeypatch):
    import brainbatch.run.engine as engine

    n = 2 * UNROLL_MIN_STEPS
    assert choose_unroll(1e4, n) > 1 and choose_unroll(1e4, n // 4) == 1
    asked = []
    monkeypatch.setattr(engine, "choose_unroll", lambda b, k: asked.append(choose_unroll(b, k)) or asked[-1])
    sim = Simulation(build, normalize_monitors({"spikes": "neu.spike", "V": "neu.V"}))
    seeds = np.array([0, 1])
    whole, rec_whole = sim.run(seeds, {}, n, chunk_steps=n)           # one scan of n steps: unrolled
    parts, rec_parts = sim.run(seeds, {}, n, chunk_steps=n // 4)      # four scans of n / 4: one step each
    assert rec_whole["spikes"].any() and max(asked) > 1 and min(asked) == 1  # both ways were compiled
    for name in rec_whole:
        np.testing.assert_array_equal(rec_whole[name], rec_parts[name])
    for path in whole:
        if path.endswith(("S.w", "neu.V", "S.apre", "S.apost")):
            np.testing.assert_array_equal(np.asarray(whole[path]), np.asarray(parts[path]))
