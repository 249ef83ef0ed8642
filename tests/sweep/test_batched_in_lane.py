"""A model in BatchingMode inside each run (rows of one run): its batch axis is a store dim, and a reduce
monitor keeps one number per row. The reduce monitor failed: "variable 'count': dims () and shape (3,)
differ in length"."""
from pathlib import Path

import numpy as np
import xarray as xr
from _support import write_experiment

import brainbatch as bb

ROWS = f'''
import sys
sys.path.insert(0, {str(Path(__file__).parent / "experiments")!r})
import brainbatch as bb
from toy import Toy

params = {{"n": 5, "drive": 1.5}}
monitors = {{"V": "G.V", "count": bb.Monitor("G.spike", reduce="sum"), "spikes": "G.spike"}}
duration = 5.0


def build(n=5, drive=1.5):
    with bb.environment(mode=bb.BatchingMode(3)):
        g = Toy(n, drive)
        g.reset_state(3)
        return bb.Network(G=g)
'''


def test_a_model_batched_inside_each_run_stores_its_rows_and_their_counts(tmp_path):
    out = tmp_path / "s.zarr"
    result = bb.sweep(write_experiment(tmp_path, "rows.py", ROWS), seeds=2, out=str(out), progress=False)
    assert result.done == 2 and not result.failed
    ds = xr.open_zarr(out)
    assert ds.spikes.dims == ("seed", "time", "G_batch", "G_neuron") and ds["count"].dims == ("seed", "time", "G_batch")
    np.testing.assert_array_equal(ds["count"].values, ds.spikes.sum("G_neuron").values)
