"""A user reading runs with ``ds.bb`` (session 39): a huge ``pairs`` for ``correlations`` on a dask-backed
dataset, a list given as ``var``, a weight variable the dataset lacks. Each is answered quickly, and each
error names the bad value and what is allowed. In-memory datasets, no sweep (cheap)."""
from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import brainbatch.store  # noqa: F401 - registers ds.bb
from brainbatch.store import StoreError

DT = 0.1


@pytest.fixture(scope="module")
def spikes_ds():
    """Two runs of 6 neurons over 400 steps, Bernoulli spikes at different rates per neuron; chunked per run (dask)."""
    rng = np.random.default_rng(39)
    p = np.linspace(0.02, 0.3, 6)
    spikes = rng.random((2, 400, 6)) < p
    ds = xr.Dataset({"spikes_E": (("seed", "time", "E_neuron"), spikes)},
                    coords={"seed": [0, 1], "time": np.arange(400) * DT, "E_neuron": np.arange(6)},
                    attrs={"dt": DT})
    return ds.chunk({"seed": 1})


def test_correlations_of_many_pairs_match_numpy_corrcoef(spikes_ds):
    """pairs well beyond the population's pairs (drawn with replacement) used to make a dask task per pair
    (10**4 pairs took 19 s on 4 tiny runs; 10**6 filled 7 GB): now one block per run, numbers unchanged."""
    r = spikes_ds.bb.correlations(1.0, pairs=20_000)
    assert r.sizes["pair"] == 20_000
    counts = spikes_ds.spikes_E.values.reshape(2, 40, 10, 6).sum(axis=2).astype(float)  # 1 ms bins = 10 steps
    want = np.stack([np.corrcoef(c.T) for c in counts])  # (seed, neuron, neuron); reference outside brainbatch
    i, j = r.i.values, r.j.values
    assert np.all(i != j)
    np.testing.assert_allclose(r.transpose("seed", "pair").values, want[:, i, j], rtol=1e-12, atol=1e-12)


def test_var_given_as_a_list_names_the_spike_variables(spikes_ds):
    with pytest.raises(StoreError, match=r"var takes the name of one spike variable \(\['spikes_E'\].*got list"):
        spikes_ds.bb.rates(var=["spikes_E"])


def test_missing_weight_variable_names_the_weights_and_a_close_match():
    ds = xr.Dataset({"w_EE": (("seed", "time", "EE_synapse"), np.ones((1, 2, 3)))})
    with pytest.raises(StoreError, match=r"no weight variable 'w_E'; weight variables .*\['w_EE'\].*Did you mean 'w_EE'"):
        ds.bb.synapses("w_E")
    with pytest.raises(StoreError, match=r"no weight variable 'w'.*weight variables"):
        ds.bb.mean_weight("w")


def test_dataset_without_weights_says_how_to_record_them(spikes_ds):
    with pytest.raises(StoreError, match=r"no weight variable 'w'; the dataset records no weights; record .*EE\.w"):
        spikes_ds.bb.weight_histogram("w")


def test_raster_into_something_that_is_no_axes_is_refused_by_name(spikes_ds):
    with pytest.raises(StoreError, match=r"raster: ax must be a matplotlib Axes .*got int 5"):
        spikes_ds.bb.raster(seed=0, ax=5)


@pytest.mark.parametrize("typed, hint", [("-o", "Did you mean '--out'?"), ("-z", ""),
                                         ("--seed", "Did you mean '--seeds'?")])
def test_an_unknown_short_option_is_read_as_the_long_options_it_abbreviates(typed, hint):
    """`sweep -o out.zarr` was answered "Did you mean '-v'?" (every one-letter option is one edit away)."""
    from click.testing import CliRunner

    from brainbatch.cli.main import main

    res = CliRunner().invoke(main, ["sweep", "exp.py", typed, "x"])
    assert res.exit_code == 2
    line = f"No such option {typed!r} for sweep.{' ' + hint if hint else ''}"
    assert line in res.output and "'-v'" not in res.output, res.output


def test_raster_of_a_run_not_done_is_refused_not_drawn_as_silent(spikes_ds):
    """A pending run's spikes read all False: ds.bb.raster drew it as an empty raster (the CLI's plot refuses it)."""
    ds = spikes_ds.assign(done=("seed", [True, False]), status=("seed", ["done", "pending"]))
    with pytest.raises(StoreError, match=r"raster: the run seed=1 is not done \(status pending\).*brainbatch status"):
        ds.bb.raster(seed=1)
    assert ds.bb.raster(seed=0) is not None
