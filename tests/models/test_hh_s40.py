"""HH gates given as arrays, session 40: ``HH(3, h_initializer=array)`` failed with "the truth value of an array
is ambiguous" (``None in dict.values()`` compares each array with ``==``), which stopped BrainPy's
``overview_of_dynamic_model`` tutorial (``bp.dyn.HH(..., h_initializer=bm.random.random(3))``)."""
import numpy as np

import brainbatch as bb


def test_an_array_gate_initializer_sets_its_gate_and_the_others_start_at_rest():
    h0 = np.array([0.1, 0.2, 0.3], np.float32)
    neu = bb.HH(3, V_initializer=bb.Constant(-65.), h_initializer=h0)
    np.testing.assert_array_equal(np.asarray(neu.h.value), h0)
    np.testing.assert_allclose(np.asarray(neu.m.value), np.asarray(neu.m_inf(np.full(3, -65., np.float32))),
                               rtol=1e-6)
    every = bb.HH(3, m_initializer=np.full(3, 0.05, np.float32), h_initializer=h0,
                  n_initializer=np.full(3, 0.3, np.float32))
    assert np.asarray(every.m.value).tolist() == [np.float32(0.05)] * 3 and np.asarray(every.n.value)[0] == np.float32(0.3)
