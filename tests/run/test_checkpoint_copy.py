"""A checkpoint's copy of the state (the next chunk takes the state over in place, so the writer is handed a
copy): one compiled copy of the whole state per structure (``chunk_loop._copy_state``), not one small
program per variable's shape and dtype, and the copy holds the values of its step."""
import numpy as np

import brainbatch as bb
from brainbatch.run.chunk_loop import _copy_state
from brainbatch.run.engine import Simulation


def test_a_checkpoint_copies_the_whole_state_in_one_compiled_call():
    # LifRef's state: float V, bool spike, float t_last_spike, int refractory counters... several shapes
    # and dtypes (each was an eager jnp.copy of its own compiled program)
    def net(params):
        return bb.Network(E=bb.LifRef(6, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, tau=10.0, tau_ref=2.0, I_bias=20.0),
                          I=bb.LIF(3, V_rest=-65.0, V_reset=-65.0, V_th=-50.0, tau=10.0, I_bias=18.0))

    sim = Simulation(net, [], dt=0.1)
    saved = {}
    before = _copy_state._cache_size()
    final, _ = sim.run(np.array([1, 2]), {}, 60, chunk_steps=20, checkpoint=lambda state, step: saved.update({step: state}),
                       checkpoint_every=0)
    assert sorted(saved) == [20, 40]  # every boundary before the end
    assert _copy_state._cache_size() == before + 1
    shapes = {(np.shape(v), np.asarray(v).dtype) for v in saved[40].values()}
    assert len(shapes) > 2, shapes
    # the copy taken at step 40 is the state of a run of 40 steps (the chunks reuse the programs above)
    at_40, _ = sim.run(np.array([1, 2]), {}, 40, chunk_steps=20, total_steps=60)
    assert set(saved[40]) <= set(at_40)
    for path, value in saved[40].items():
        np.testing.assert_array_equal(value, np.asarray(at_40[path]), err_msg=path)
    assert not np.array_equal(saved[40]["E.V"], np.asarray(final["E.V"]))  # the later chunk did not write into it
