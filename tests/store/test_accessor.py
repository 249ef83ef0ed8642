"""ds.bb: rates, PSTH, CV of ISIs and raster on spike trains with known answers."""
from __future__ import annotations

import matplotlib
import numpy as np
import pytest
import xarray as xr

from brainbatch.store import ResultStore, StoreError, StoreSpec, VarSpec, open_results

matplotlib.use("Agg")
N_STEPS, DT = 1000, 0.1  # 100 ms


def _trains() -> np.ndarray:
    s = np.zeros((N_STEPS, 5), bool)
    s[::10, 0] = True  # 100 regular spikes: 1000 Hz, CV 0
    s[5::50, 1] = True  # 20 regular spikes: 200 Hz, CV 0
    s[[100, 300], 2] = True  # 2 spikes: CV undefined
    t, isi = 0, [10, 30]  # alternating intervals: mean 20, std 10 -> CV 0.5
    for k in range(21):  # 21 spikes, 20 intervals
        s[t, 4] = True
        t += isi[k % 2]
    return s


@pytest.fixture
def ds(tmp_path):
    spec = StoreSpec("acc", "h", {"we": [1.0, 2.0]}, seeds=[0], n_steps=N_STEPS, dt=DT, records=(
        VarSpec("E.spike", ("E_neuron",), (5,), "bool"), VarSpec("I.spike", ("I_neuron",), (2,), "bool", every=2),
        VarSpec("E.V", ("E_neuron",), (5,), "float32")))
    store = ResultStore.create(tmp_path / "a.zarr", spec)
    for we in (1.0, 2.0):
        idx = store.run_index(seed=0, we=we)
        store.write_record(idx, "E.spike", 0, _trains())
        store.write_record(idx, "I.spike", 0, np.ones((N_STEPS // 2, 2), bool))
        store.write_record(idx, "E.V", 0, np.full((N_STEPS, 5), -60.0, np.float32))  # a done run has all its records
    store.mark_done(store.run_index(seed=0, we=1.0))  # we=2.0 stays pending
    return open_results(store.path)


def test_rates(ds):
    rates = ds.bb.rates("E.spike")
    assert rates.dims == ("seed", "we", "E_neuron") and rates.attrs["units"] == "Hz"
    np.testing.assert_allclose(rates.sel(seed=0, we=1.0), [1000, 200, 20, 0, 210])
    assert np.isnan(rates.sel(seed=0, we=2.0)).all()  # not done: hidden, not silent
    np.testing.assert_allclose(ds.bb.rates("E.spike", dim="E_neuron").sel(seed=0, we=1.0), 1430 / 5)
    # kept every 2 steps: the monitor samples the spike flag of every other step of 0.1 ms, so a spike in every
    # sample is a spike in every step it saw: 10000 Hz (it said 5000, as if a sample counted the spikes of 0.2 ms)
    np.testing.assert_allclose(ds.bb.rates("I.spike").sel(seed=0, we=1.0), [10000, 10000])
    with pytest.raises(StoreError, match="not a neuron dim.*Did you mean 'E_neuron'"):
        ds.bb.rates("E.spike", dim="E_nueron")


def test_psth(ds):
    psth = ds.bb.psth(10.0, "E.spike").sel(seed=0, we=1.0)
    counts = _trains().reshape(10, 100, 5).sum(axis=(1, 2))
    np.testing.assert_allclose(psth, counts / (5 * 0.010))
    np.testing.assert_allclose(psth["time"], np.arange(10) * 10.0)
    with pytest.raises(StoreError, match="whole multiple.*0.1 ms"):
        ds.bb.psth(0.25, "E.spike")


def test_cv_isi(ds):
    cv = ds.bb.cv_isi("E.spike").sel(seed=0, we=1.0).values
    np.testing.assert_allclose(cv, [0.0, 0.0, np.nan, np.nan, 0.5])
    assert cv[0] == 0.0


def test_several_populations_along_a_population_dim(ds):
    rates = ds.bb.rates()  # E.spike (5 neurons) and I.spike (2): I's missing neurons are NaN, not silent
    assert rates.dims == ("seed", "we", "population", "neuron") and rates.attrs["units"] == "Hz"
    assert rates.population.values.tolist() == ["E.spike", "I.spike"]
    one = rates.sel(seed=0, we=1.0)
    np.testing.assert_allclose(one.sel(population="E.spike"), [1000, 200, 20, 0, 210])
    np.testing.assert_allclose(one.sel(population="I.spike"), [10000, 10000, np.nan, np.nan, np.nan])
    mean = ds.bb.mean_rate().sel(seed=0, we=1.0)
    np.testing.assert_allclose(mean, [1430 / 5, 10000])
    # its label describes both (it said "of E.spike" over I's rate too); one population's names it
    assert mean.attrs["long_name"] == "mean firing rate of each population"
    assert ds.bb.mean_rate("I.spike").attrs["long_name"] == "mean firing rate of I.spike"
    np.testing.assert_allclose(ds.bb.rates(dim="neuron").sel(seed=0, we=1.0), [1430 / 5, 10000])
    np.testing.assert_allclose(ds.bb.rates(dim="I_neuron").sel(seed=0, we=1.0), 10000)  # the dim names its population
    assert ds.bb.cv_isi().dims == ("seed", "we", "population", "neuron")
    with pytest.raises(StoreError, match=r"different time dims \['time', 'time_every2'\]; pass var="):
        ds.bb.psth(1.0)
    ax = ds.bb.raster(seed=0, we=1.0)  # both, one above the other
    assert sum(len(c.get_offsets()) for c in ax.collections) == _trains().sum() + N_STEPS  # I: 2 x 500 samples
    assert [t.get_text() for t in ax.get_yticklabels()] == ["E.spike", "I.spike"]


def test_spike_functions_refuse_other_variables(tmp_path):
    spec = StoreSpec("acc", "h", {}, seeds=[0], n_steps=10, dt=DT, records=(
        VarSpec("E.spike", ("E_neuron",), (3,), "bool", kind="spikes"),
        VarSpec("E.refractory", ("E_neuron",), (3,), "bool", kind=""),  # bool, but no spike raster
        VarSpec("E.V", ("E_neuron",), (3,), "float32", units="mV")))
    store = ResultStore.create(tmp_path / "k.zarr", spec)
    ds = open_results(store.path)
    assert ds["E.refractory"].attrs["kind"] == "values" and ds["E.spike"].attrs["kind"] == "spikes"
    assert ds.bb.spike_vars == ["E.spike"]
    assert ds.bb.rates().dims == ("seed", "E_neuron")  # one spike variable: no var= needed
    for name in ("E.V", "E.refractory"):
        with pytest.raises(StoreError, match=rf"'{name}' is not a spike raster.*spike variables: \['E.spike'\]"):
            ds.bb.rates(var=name)
        with pytest.raises(StoreError, match="is not a spike raster"):
            ds.bb.psth(1.0, var=name)


def test_var_choice_and_raster(ds):
    with pytest.raises(StoreError, match="no variable 'E.spkie'.*Did you mean 'E.spike'"):
        ds.bb.rates("E.spkie")
    only_e = ds.drop_vars("I.spike")
    np.testing.assert_allclose(only_e.bb.rates().sel(seed=0, we=1.0)[0], 1000)
    ax = only_e.bb.raster(seed=0, we=1.0)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert len(ax.collections[0].get_offsets()) == _trains().sum()
    ax = only_e.bb.raster(seed=np.array(0), we=np.float64(1.0))  # a 0-d array is one value, as for ds.sel
    assert len(ax.collections[0].get_offsets()) == _trains().sum()
    assert ax.get_title() == "E.spike (seed=0, we=1.0)"
    with pytest.raises(StoreError, match=r"one run.*\{'we': 2\}.*raster\(we=1.0\)"):
        only_e.bb.raster(seed=0)
    with pytest.raises(StoreError, match="cannot select 'wee'.*Did you mean 'we'"):
        only_e.bb.raster(seed=0, wee=1.0)
    # a value the store lacks: named with the values it has (xarray's KeyError suggested method='nearest')
    with pytest.raises(StoreError, match=r"raster: seed=9 is not in the store; seed values are \[0"):
        only_e.bb.raster(seed=9, we=1.0)
    with pytest.raises(StoreError, match=r"raster: we=9.0 is not in the store; we values are \[1.0, 2.0\]"):
        only_e.bb.raster(seed=0, we=9.0)



def test_a_silent_run_draws_its_time_and_neurons_and_says_no_spikes():
    silent = xr.Dataset({"sp": xr.DataArray(np.zeros((1000, 7), bool), dims=("time", "neuron"),
                                            coords={"time": np.round(np.arange(1000) * DT, 1)})})
    ax = silent.bb.raster()
    assert ax.get_xlim() == (0.0, 99.9) and ax.get_ylim() == (-0.5, 6.5)  # not matplotlib's empty -0.05..0.05
    assert [t.get_text() for t in ax.texts] == ["no spikes"]


def test_plain_dataset_without_store_attrs():
    spikes = xr.DataArray(_trains()[None], dims=("trial", "t", "neuron"),
                          coords={"t": np.arange(N_STEPS) * DT}).astype(bool)
    plain = xr.Dataset({"sp": spikes.rename(t="time")})
    np.testing.assert_allclose(plain.bb.rates().isel(trial=0), [1000, 200, 20, 0, 210])


def test_fano_synchrony_and_spectrum_match_a_hand_computation(ds):
    """Issue 23 item 11: each statistic against numpy on the same raster, with a time window."""
    counts = _trains()[:800].reshape(80, 10, 5).sum(axis=1).astype(float)  # 1 ms bins, t in [0, 80) ms
    fano = ds.bb.fano(1.0, "E.spike", t1=79.95).sel(seed=0, we=1.0).values
    with np.errstate(invalid="ignore"):
        want = counts.var(axis=0) / np.where(counts.mean(axis=0) > 0, counts.mean(axis=0), np.nan)
    np.testing.assert_allclose(fano, want)
    assert fano[0] == 0.0 and np.isnan(fano[3])  # a regular train; a silent neuron
    chi = ds.bb.synchrony(1.0, "E.spike", t1=79.95).sel(seed=0, we=1.0).values
    np.testing.assert_allclose(chi, np.sqrt(counts.mean(axis=1).var() / counts.var(axis=0).mean()))
    assert np.isnan(ds.bb.synchrony(1.0, "E.spike").sel(seed=0, we=2.0))  # not done: hidden


def test_spectrum_peaks_at_the_population_rhythm():
    n, dt = 2000, 0.1  # 200 ms
    s = np.zeros((1, n, 4), bool)
    s[0, ::200, :] = True  # every neuron every 20 ms, in lockstep: 50 Hz
    plain = xr.Dataset({"sp": xr.DataArray(s, dims=("trial", "time", "neuron"),
                                           coords={"time": np.round(np.arange(n) * dt, 1)})})
    spec = plain.bb.spectrum(1.0).isel(trial=0)
    assert spec.dims == ("frequency",) and spec.attrs["units"] == "Hz^2/Hz"
    assert float(spec.frequency[int(np.argmax(spec.values))]) == 50.0
    assert plain.bb.spectrum(1.0, t0=100.0).sizes["frequency"] == 51  # a window of 100 bins


def test_pair_correlations_and_isi_histogram_match_numpy(ds):
    """Issue 23 item 11: sampled pairs' count correlations and the pooled ISI histogram, by hand."""
    counts = _trains().reshape(100, 10, 5).sum(axis=1).astype(float)  # 1 ms bins
    r = ds.bb.correlations(1.0, "E.spike", pairs=6, seed=1).sel(seed=0, we=1.0)
    assert r.dims == ("pair",) and np.isfinite(r.values).any()
    for k in range(6):
        i, j = int(r.i[k]), int(r.j[k])
        assert i != j
        if counts[:, i].std() > 0 and counts[:, j].std() > 0:
            np.testing.assert_allclose(r.values[k], np.corrcoef(counts[:, i], counts[:, j])[0, 1], atol=1e-12)
        else:
            assert np.isnan(r.values[k])  # a silent or regular-in-every-bin neuron has no correlation
    edges = [0.0, 1.5, 2.5, 4.0, 6.0]
    hist = ds.bb.isi_hist(edges, "E.spike").sel(seed=0, we=1.0).values
    s = _trains()
    isi = np.concatenate([np.diff(np.flatnonzero(s[:, n])) * 0.1 for n in range(5)])
    np.testing.assert_array_equal(hist, np.histogram(isi, bins=edges)[0])
    assert hist.sum() > 0


def test_times_may_be_quantities_and_summaries_carry_their_own_attributes(ds):
    """Bin widths, windows and ISI edges given as quantities mean what the same ms mean (the store itself
    never imports brainunit: it converts a quantity with the module that made it); a summary is not a
    spike raster (it drops the raster's kind and description)."""
    u = pytest.importorskip("brainunit")
    pick = {"seed": 0, "we": 1.0}
    same = [(ds.bb.psth(10.0, "E.spike"), ds.bb.psth(0.01 * u.second, "E.spike")),
            (ds.bb.fano(1.0, "E.spike", t1=79.95), ds.bb.fano(1 * u.ms, "E.spike", t1=0.07995 * u.second)),
            (ds.bb.spectrum(1.0, "E.spike", t0=10.0), ds.bb.spectrum(1000 * u.usecond, "E.spike", t0=10 * u.ms)),
            (ds.bb.isi_hist([0.0, 1.5, 2.5, 4.0], "E.spike"), ds.bb.isi_hist([0 * u.ms, 1.5 * u.ms, 2.5 * u.ms, 4 * u.ms], "E.spike")),
            (ds.bb.isi_hist([0.0, 1.5, 2.5, 4.0], "E.spike"), ds.bb.isi_hist(np.array([0.0, 1.5, 2.5, 4.0]) * u.ms, "E.spike"))]
    # ...and texts with a unit of time, as the CLI takes them (ds.bb.psth("5ms") was refused)
    same += [(ds.bb.psth(10.0, "E.spike"), ds.bb.psth("10ms", "E.spike")),
             (ds.bb.fano(1.0, "E.spike", t1=79.95), ds.bb.fano("1000 us", "E.spike", t1="0.07995s"))]
    for plain, quantity in same:
        np.testing.assert_array_equal(plain.sel(**pick).values, quantity.sel(**pick).values)
    with pytest.raises(StoreError, match=r"bin_ms takes a time .* got 5(\.0)? mV"):
        ds.bb.psth(5 * u.mV, "E.spike")
    with pytest.raises(StoreError, match=r"bin_ms takes a time: ms, a quantity .* or a text such as '5ms' .* got '5 mV'"):
        ds.bb.psth("5 mV", "E.spike")
    assert ds["E.spike"].attrs["kind"] == "spikes"
    for summary in (ds.bb.rates("E.spike"), ds.bb.mean_rate("E.spike"), ds.bb.psth(10.0, "E.spike")):
        assert "kind" not in summary.attrs and summary.attrs["units"] == "Hz", summary.attrs
