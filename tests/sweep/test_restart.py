"""A run's final state in the store loads back into the model (to restart it) with load_state_dict."""
import numpy as np

import brainbatch as bb
from _support import TOY


def test_store_states_load_into_a_fresh_model(tmp_path):
    out = tmp_path / "s.zarr"
    bb.sweep(TOY, seeds=2, duration=20, out=str(out), progress=False)
    state = bb.load_state(str(out), seed=1, drive=1.5)
    exp = bb.load_experiment(TOY)
    net = exp.build(**{**exp.params, "drive": 1.5})
    missing, unexpected = net.load_state_dict(state)
    assert missing == [] and unexpected == []
    np.testing.assert_array_equal(np.asarray(net.G.V.value), state["G.V"])
    ds = bb.open_results(str(out))
    # the saved state is the state after the last recorded step
    np.testing.assert_array_equal(ds.V.sel(seed=1, drive=1.5).isel(time=-1).values, state["G.V"])
