"""``Simulation.run(stop=...)``: the stop is asked before each compiled call (issue 23 item 10), so a stop
requested during the compile runs no call, and one requested later ends the run at the next chunk
boundary with a checkpoint there (the sweep's Ctrl-C / SIGTERM path, brainbatch/sweep/live.py)."""
import numpy as np
import pytest

import brainbatch as bb
from brainbatch.run.engine import RunStopped, Simulation
from brainbatch.run.monitors import normalize_monitors


@pytest.fixture(scope="module")
def sim():
    def net(params):
        return bb.Network(G=bb.LIF(4, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, tau=10.0, I_bias=20.0))

    return Simulation(net, normalize_monitors({"V": "G.V"}), dt=0.1)


def _run(sim, stop_after: int):
    calls, saved, written = [], [], []
    asked = []

    def stop() -> bool:
        # counted by the asks, not by ``progress``: progress is reported from the writer thread, so it
        # may lag the calls already made; the ask before call k+1 is the boundary after k calls
        asked.append(len(asked))
        return len(asked) > stop_after

    with pytest.raises(RunStopped) as caught:
        sim.run(np.array([1, 2]), {}, 100, chunk_steps=20, progress=calls.append, sink=lambda r, s: written.append(s),
                checkpoint=lambda state, step: saved.append(step), checkpoint_every=1e9, stop=stop)
    return caught.value.step, calls, saved, written


def test_a_stop_during_the_compile_runs_no_call(sim):
    step, calls, saved, written = _run(sim, stop_after=0)
    assert (step, calls, saved, written) == (0, [], [], [])  # nothing ran, nothing to save


def test_a_later_stop_ends_at_the_next_boundary_with_a_checkpoint(sim):
    step, calls, saved, written = _run(sim, stop_after=2)
    assert step == 40 and calls == [20, 20] and saved == [40] and len(written) == 2
