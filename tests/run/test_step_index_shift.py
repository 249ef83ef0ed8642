"""Step indices (a neuron's last spike, a synapse's last pulse) are moved between a run's count and the count
from its end (run/runner.py, ``shift_step_indices``): by exactly the shift, "none yet" (``<= NO_STEP``) kept,
saturating at ``NO_STEP`` below and int32's top above, and other Variables untouched. The reference is
integer arithmetic in NumPy's int64, where nothing wraps."""
import jax.numpy as jnp
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from brainbatch.core.variable import NO_STEP, Variable, mark_step_index
from brainbatch.run.runner import shift_step_indices

TOP = 2**31 - 1
EDGES = [NO_STEP - 5, NO_STEP - 1, NO_STEP, NO_STEP + 1, NO_STEP + 7, -1, 0, 1, TOP - 7, TOP - 1, TOP, -(2**31)]


def reference(v: np.ndarray, shift: int) -> np.ndarray:
    shift = max(-(2**30), min(2**30, shift))
    wide = v.astype(np.int64)
    return np.where(wide <= NO_STEP, wide, np.clip(wide + shift, NO_STEP, TOP)).astype(np.int32)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(st.integers(-(2**31), TOP), st.sampled_from(EDGES)), min_size=1, max_size=12),
       shift=st.one_of(st.integers(-(2**31), 2**31), st.sampled_from([0, 1, -1, 2**30, -(2**30), 2**30 + 5])))
def test_a_shift_moves_step_indices_saturating_and_keeps_none_yet(values, shift):
    v = np.array(values, np.int32)
    variables = {"g.t_last": mark_step_index(Variable(jnp.zeros(len(v), jnp.int32))),
                 "g.V": Variable(jnp.zeros(len(v), jnp.int32))}
    out = shift_step_indices({"g.t_last": jnp.asarray(v), "g.V": jnp.asarray(v)}, variables, shift)
    np.testing.assert_array_equal(np.asarray(out["g.t_last"]), reference(v, shift))
    np.testing.assert_array_equal(np.asarray(out["g.V"]), v)  # not a step index: as it was


def test_a_shift_there_and_back_restores_every_index_it_did_not_saturate():
    v = np.array([NO_STEP, NO_STEP + 1, -3, 0, 12, 5000], np.int32)
    variables = {"t": mark_step_index(Variable(jnp.zeros(6, jnp.int32)))}
    there = shift_step_indices({"t": jnp.asarray(v)}, variables, 4000)
    back = shift_step_indices(there, variables, -4000)
    np.testing.assert_array_equal(np.asarray(there["t"]), [NO_STEP, NO_STEP + 4001, 3997, 4000, 4012, 9000])
    np.testing.assert_array_equal(np.asarray(back["t"]), v)
