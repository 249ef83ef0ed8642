"""Numbers a user reads from a sweep's store cannot mislead (issue 23, items 1, 3-6, 8; issue 21, item 2).

One small experiment (experiments/week.py: identical, regularly firing neurons, so a population's
mean rate is the same at any size) swept over a size and a traced value, then extended with a
middle value; every check reads that one store.
"""
from __future__ import annotations

import os
import warnings

import numpy as np
import pytest
import xarray as xr

import brainbatch as bb
from _support import EXPERIMENTS
from brainbatch.store import StoreError
from brainbatch.sweep.errors import UsageError

WEEK = str(EXPERIMENTS / "week.py")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("week") / "sizes.zarr")
    first = bb.sweep(WEEK, seeds=[0], params={"n_e": [4, 8], "bias": [20.0, 30.0]}, out=out, devices="cpu",
                     progress=False)
    assert first.done == 4 and not first.failed
    middle = bb.sweep(WEEK, seeds=[0], params={"n_e": [4, 8], "bias": [25.0, 27.5]}, out=out, devices="cpu",
                      progress=False)  # values between the two (a batch as wide as before: no new compile)
    assert middle.done == 4 and not middle.failed
    return out


def test_padded_neurons_read_as_missing_not_silent(store):
    ds = bb.open_results(store)
    assert ds["E_neuron_count"].sel(n_e=4).values.tolist() == [4, 4, 4, 4]  # per run: its real neurons
    assert ds["E_neuron_count"].sel(n_e=8).values.tolist() == [8, 8, 8, 8]
    small = ds["spikes_E"].sel(seed=0, n_e=4, bias=30.0)
    assert bool(small.isel(E_neuron=slice(4, None)).isnull().all()) and bool(small.isel(E_neuron=slice(0, 4)).notnull().all())
    # every neuron fires alike: a population's mean rate does not depend on its size ...
    rate = ds.bb.mean_rate(var="spikes_E").sel(seed=0)
    np.testing.assert_allclose(rate.sel(n_e=4), rate.sel(n_e=8), rtol=1e-6)
    np.testing.assert_allclose(rate.sel(n_e=4), ds.bb.mean_rate(var="spikes_I").sel(seed=0, n_e=4), rtol=1e-6)
    assert float(rate.min()) > 0
    # ... in plain xarray too, and in every ds.bb function
    plain = ds["spikes_E"].mean(["time", "E_neuron"]).sel(seed=0)
    np.testing.assert_allclose(plain.sel(n_e=4), plain.sel(n_e=8), rtol=1e-6)
    psth = ds.bb.psth(10.0, var="spikes_E").sel(seed=0)
    np.testing.assert_allclose(psth.sel(n_e=4), psth.sel(n_e=8), rtol=1e-6)
    assert ds.bb.rates(var="spikes_E").sel(seed=0, n_e=4, bias=20.0).isnull().sum() == 4
    assert bool(ds.bb.cv_isi(var="spikes_E").sel(seed=0, n_e=4).isel(E_neuron=slice(4, None)).isnull().all())
    ax = ds.bb.raster(var="spikes_E", seed=0, n_e=4, bias=30.0)
    assert set(ax.collections[0].get_offsets()[:, 1].astype(int)) == {0, 1, 2, 3}
    # the states of the smaller runs are padded the same way
    st = bb.open_results(store, states=True)["states/E.V"].sel(seed=0, n_e=4)
    assert bool(st.isel(E_neuron=slice(4, None)).isnull().all())


def test_count_statistics_leave_padded_neurons_missing_without_warnings(store):
    """Fano factor and synchrony over a smaller run's padding: NaN there, real values elsewhere, and no
    numpy/dask warning from the missing counts (a 0/0 of a NaN-skipping mean)."""
    ds = bb.open_results(store)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # dask's worker threads read the same filters
        fano = ds.bb.fano(5.0, var="spikes_E").sel(seed=0, n_e=4).compute()
        chi = ds.bb.synchrony(5.0, var="spikes_E").sel(seed=0).compute()
    assert bool(fano.isel(E_neuron=slice(4, None)).isnull().all())
    assert bool(fano.isel(E_neuron=slice(0, 4)).notnull().all())
    np.testing.assert_allclose(chi, 1.0)  # identical neurons fire in lockstep at any size


def test_a_reduction_monitor_stores_one_number_per_step(store):
    """Issue 23 item 14: ``bb.Monitor("E.spike", reduce="sum")`` in a sweep stores the population count
    per step (no neuron dim), equal to the dense raster summed over each run's real neurons."""
    raw = xr.open_zarr(store, consolidated=False)
    assert raw["count_E"].dims == ("seed", "n_e", "bias", "time") and raw["count_E"].attrs["units"] == "1"
    ds = bb.open_results(store)
    np.testing.assert_array_equal(ds["count_E"].values, ds["spikes_E"].sum("E_neuron").values)
    assert int(ds["count_E"].sel(seed=0, n_e=8, bias=30.0).sum()) == 2 * int(ds["count_E"].sel(seed=0, n_e=4, bias=30.0).sum()) > 0


def test_plain_xarray_sees_the_count_coordinate(store):
    raw = xr.open_zarr(store, consolidated=False)
    assert "E_neuron_count" in raw.coords and raw["E_neuron_count"].dims == ("n_e", "bias")


def test_parameter_coordinates_come_sorted_after_a_middle_value(store):
    ds = bb.open_results(store)
    assert ds["bias"].values.tolist() == [20.0, 25.0, 27.5, 30.0]
    assert xr.open_zarr(store, consolidated=False)["bias"].values.tolist() == [20.0, 30.0, 25.0, 27.5]  # as stored
    rate = ds.bb.mean_rate(var="spikes_E").sel(seed=0, n_e=8)
    assert np.all(np.diff(rate.values) >= 0) and rate.values[-1] > rate.values[0]  # a line plot does not double back
    assert bool(ds.done.all())


def test_time_coordinate_is_exact_multiples_of_dt(store):
    ds = bb.open_results(store)
    assert float(ds.time.sel(time=0.3)) == 0.3 and ds.time.values[3] == 0.3
    assert ds["spikes_E"].sel(time=12.3, seed=0, n_e=4, bias=20.0).shape == (8,)
    np.testing.assert_array_equal(ds.time.values, np.round(np.arange(500) * 0.1, 1))


def test_chosen_neurons_keep_their_indices_and_units(store):
    ds = bb.open_results(store)
    v = ds["V_E"]
    assert v.dims[-1] == "V_E_neuron" and ds["V_E_neuron"].values.tolist() == [1, 3]
    assert v.attrs["units"] == "mV" and ds["w_A"].attrs["units"] == "mV" and ds["spikes_E"].attrs["units"] == "1"
    # lined up with the group's own dim: the chosen neurons' spikes, by index
    picked = ds["spikes_E"].sel(E_neuron=ds["V_E_neuron"]).sel(seed=0, n_e=8, bias=30.0)
    assert picked.dims == ("time", "V_E_neuron")
    spiked = picked.values.astype(bool)
    reset = v.sel(seed=0, n_e=8, bias=30.0).values <= -59.9  # V is clamped at V_reset after a spike
    assert spiked.any() and np.all(reset[1:][spiked[:-1]])


def test_a_bool_record_is_not_spikes_unless_declared(store):
    ds = bb.open_results(store)
    assert ds["ref_I"].attrs["kind"] == "values" and ds["spikes_I"].attrs["kind"] == "spikes"
    assert ds.bb.spike_vars == ["spikes_E", "spikes_I"]
    rates = ds.bb.rates()  # both populations, no var= needed
    assert rates.sizes["population"] == 2
    with pytest.raises(StoreError, match="'V_E' is not a spike raster"):
        ds.bb.rates(var="V_E")


def test_swept_values_meet_the_models_own_limits(tmp_path):
    out = tmp_path / "neg.zarr"
    with pytest.raises(ValueError, match="tau_w must be > 0, got -5.0"):
        bb.AdEx(10, tau_w=-5.0)
    with pytest.raises(UsageError, match=r"-p tau_w=-5.0 is refused by the model: tau_w must be > 0, got -5.0"):
        bb.sweep(WEEK, seeds=[0], params={"tau_w": [30.0, -5.0]}, out=str(out), devices="cpu", progress=False)
    assert not out.exists()  # refused before anything was written or compiled
    # two swept values: the refusal names the one refused, not the other one it was built beside
    with pytest.raises(UsageError, match=r"-p tau_w=-5.0 is refused by the model"):
        bb.sweep(WEEK, seeds=[0], params={"bias": [20.0, 30.0], "tau_w": [-5.0, 30.0]}, out=str(out),
                 devices="cpu", progress=False)
    assert not out.exists()
    # NaN from Python (or a module's sweep dict) is not finite, not a float32 overflow as it was reported
    for bad in (float("nan"), float("inf")):
        with pytest.raises(UsageError, match=f"parameter 'tau_w' must be finite, got {bad!r}"):
            bb.sweep(WEEK, seeds=[0], params={"tau_w": [30.0, bad]}, out=str(out), devices="cpu", progress=False)
    assert not out.exists()


def test_the_store_keeps_the_experiments_source(store, tmp_path):
    """Issue 23 item 15: ``show --source`` prints the source the store was written with, and what differs."""
    from click.testing import CliRunner

    from brainbatch.cli import main

    res = CliRunner().invoke(main, ["show", store, "--source"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"# {WEEK}\n") and "def build(n_e=4, bias=20.0, tau_w=30.0):" in res.output
    res = CliRunner().invoke(main, ["show", store, "--source", "--experiment", WEEK])
    assert res.exit_code == 0 and "is the source the store was written with" in res.output
    changed = tmp_path / "week.py"
    changed.write_text(open(WEEK).read().replace("duration = 50.0", "duration = 80.0"))
    res = CliRunner().invoke(main, ["show", store, "--source", "--experiment", str(changed)])
    assert res.exit_code == 0 and "differs from the source" in res.output
    assert "-duration = 50.0\n+duration = 80.0" in res.output


def test_plot_draws_grid_figures_and_names_files_by_variable(store, tmp_path):
    """Issue 23 items 6 and 13: a grid store gets tuning curves and a heat map; --var is in the file names;
    a float variable is refused as a spike raster."""
    from brainbatch.cli.plots import plot_store

    paths = [os.path.basename(p) for p in plot_store(store, out_dir=str(tmp_path), seed=0, params={"n_e": ["4"]})]
    assert paths == ["sizes_raster_seed0_n_e4_bias20.0.png", "sizes_rate_seed0_n_e4_bias20.0.png",
                     "sizes_tuning.png", "sizes_heatmap_n_e_bias.png"]
    one = plot_store(store, out_dir=str(tmp_path), seed=0, params={"n_e": ["4"]}, var="spikes_E")
    assert os.path.basename(one[0]) == "sizes_raster_spikes_E_seed0_n_e4_bias20.0.png"
    with pytest.raises(UsageError, match=r"--var 'ref_I' is not a spike raster .*plot draws spike variables "
                                         r"\(spikes_E, spikes_I\)"):
        plot_store(store, out_dir=str(tmp_path), var="ref_I")
    trace = plot_store(store, out_dir=str(tmp_path), seed=0, params={"n_e": ["8"]}, var="V_E", t0=10.0, t1=20.0)
    assert [os.path.basename(p) for p in trace] == ["sizes_trace_V_E_seed0_n_e8_bias20.0_t10-20.png"]
    window = plot_store(store, out_dir=str(tmp_path), seed=0, params={"n_e": ["8"]}, t0=10.0, neurons=2)
    assert os.path.basename(window[0]) == "sizes_raster_seed0_n_e8_bias20.0_t10-_n2.png"


def test_tuning_curves_spread_over_seeds_only_a_line_per_other_value(store):
    """Issue 23 item 13: a tuning panel draws a line per value of the other swept parameter; its error
    bars are the spread over seeds alone (one seed here: none), not over the other parameter too."""
    from brainbatch.cli.plots import tuning_lines

    rate = bb.open_results(store).bb.mean_rate(var="spikes_E").load()
    lines = tuning_lines(rate, "n_e", ["n_e", "bias"])
    assert [label for label, _, _ in lines] == ["bias=20", "bias=25", "bias=27.5", "bias=30"]
    assert all(mean.dims == ("n_e",) and float(abs(sd).max()) == 0.0 for _, mean, sd in lines)
    np.testing.assert_allclose(lines[0][1].values, rate.sel(seed=0, bias=20.0).values)
    # more combinations than lines: one line over them all, so labelled
    (label, mean, sd), = tuning_lines(rate, "n_e", ["n_e", "bias"], max_lines=3)
    assert label == "all" and mean.dims == ("n_e",) and float(sd.max()) > 0  # the biases' spread


def test_a_store_keeps_one_unit_per_parameter(tmp_path):
    # units audit: extending a store whose taus are in ms with -p tau=5mV relabelled every tau as mV (and
    # ran 5 ms); plain numbers added later dropped the label
    from _support import LIF_TAU

    out = tmp_path / "u.zarr"
    bb.sweep(LIF_TAU, params={"tau": ["20ms", "0.03s"]}, duration=0.5, out=out, progress=False)
    with pytest.raises(UsageError, match="holds parameter 'tau' in ms; this sweep gives it in mV"):
        bb.sweep(LIF_TAU, params={"tau": ["5mV"]}, duration=0.5, out=out, progress=False)
    bb.sweep(LIF_TAU, params={"tau": [40.0]}, duration=0.5, out=out, progress=False)
    ds = xr.open_zarr(out)
    assert ds.tau.values.tolist() == [20.0, 30.0, 40.0] and ds.tau.attrs["units"] == "ms"
