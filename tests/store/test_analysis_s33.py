"""ds.bb against plain numpy on the raw raster (session 33): padded runs read with plain xarray, records that start
late or keep chosen neurons, exact float64 rates, and bin widths / windows / ISI edges that are not plain ms."""
from __future__ import annotations

import datetime

import numpy as np
import pytest
import xarray as xr

from brainbatch.store import ResultStore, StoreError, StoreSpec, VarSpec, open_results

N_STEPS, DT = 40, 0.1  # 4 ms
RAW = {n: np.random.default_rng(n).random((N_STEPS, 5)) < 0.3 for n in (3, 5)}  # each run's whole raster
for _n, _r in RAW.items():
    _r[:, _n:] = False  # the run of 3 neurons writes nothing past them (its padding)


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    """Runs n=3 (3 real neurons of 5: E_neuron_count 3) and n=5; records: the raster, the raster from step 20
    (``time_from20``) and neurons 1 and 2 (chosen-neuron dim labelled [1, 2])."""
    spec = StoreSpec("ana", "h", {"n": [3, 5]}, seeds=[0], n_steps=N_STEPS, dt=DT, extents={"E_neuron": [[[3], 3]]},
                     records=(VarSpec("E", ("E_neuron",), (5,), "bool"), VarSpec("late", ("E_neuron",), (5,), "bool", first=20),
                              VarSpec("chosen", ("chosen_neuron",), (2,), "bool", coords={"chosen_neuron": [1, 2]})))
    store = ResultStore.create(tmp_path_factory.mktemp("ana") / "a.zarr", spec)
    for n, raw in RAW.items():
        idx = store.run_index(seed=0, n=n)
        store.write_record(idx, "E", 0, raw)
        store.write_record(idx, "late", 0, raw[20:])
        store.write_record(idx, "chosen", 0, raw[:, [1, 2]])
        store.mark_done(idx)
    return store.path


@pytest.fixture(scope="module")
def ds(path):
    return open_results(path)


def _counts(raster: np.ndarray, n_bin: int) -> np.ndarray:
    """Spike counts per neuron in whole bins of ``n_bin`` samples (the last partial bin left out)."""
    whole = raster.shape[0] // n_bin * n_bin
    return raster[:whole].reshape(-1, n_bin, raster.shape[1]).sum(axis=1).astype(np.float64)


def test_a_store_opened_with_plain_xarray_does_not_count_padding_as_silent_neurons(path, ds):
    # xr.open_zarr reads a smaller run's padding as False: mean_rate and psth of the run of 3 real neurons
    # divided its spikes by 5 neurons (3/5 of its rate) and cv_isi / fano gave its padding numbers
    plain = xr.open_zarr(path)
    real = RAW[3][:, :3]
    want_mean = real.sum() / (3 * N_STEPS * DT / 1000)
    want_psth = _counts(real, 10).sum(axis=1) / (3 * 10 * DT / 1000)
    for d in (plain, ds):
        run = {"seed": 0, "n": 3}
        np.testing.assert_allclose(d.bb.mean_rate("E").sel(**run), want_mean, rtol=1e-12)
        np.testing.assert_allclose(d.bb.psth(1.0, "E").sel(**run), want_psth, rtol=1e-12)
        assert np.isnan(d.bb.rates("E").sel(**run).values[3:]).all()
        assert np.isnan(d.bb.fano(1.0, "E").sel(**run).values[3:]).all()
    np.testing.assert_allclose(plain.bb.mean_rate("E").sel(seed=0, n=5), RAW[5].sum() / (5 * N_STEPS * DT / 1000))
    assert plain["E"].dtype == bool  # the user's dataset itself is left as it is


def test_rates_are_exact_float64_on_padded_runs(ds):
    # padding makes the raster float32, and the rates were summed in it: 2999.9998 Hz for 3000
    rates = ds.bb.rates("E").sel(seed=0, n=3)
    assert rates.dtype == np.float64
    np.testing.assert_allclose(rates.values[:3], RAW[3][:, :3].sum(axis=0) / (N_STEPS * DT / 1000), rtol=1e-13)


def test_late_and_chosen_neuron_records_match_numpy(ds):
    run = {"seed": 0, "n": 5}
    raw = RAW[5]
    late, chosen = raw[20:], raw[:, [1, 2]]
    np.testing.assert_allclose(ds.bb.rates("late").sel(**run), late.sum(axis=0) / (20 * DT / 1000), rtol=1e-12)
    np.testing.assert_allclose(ds.bb.rates("chosen").sel(**run), chosen.sum(axis=0) / (N_STEPS * DT / 1000), rtol=1e-12)
    assert ds.bb.rates("chosen")["chosen_neuron"].values.tolist() == [1, 2]
    psth = ds.bb.psth(0.5, "late").sel(**run)  # bins labelled by their start: 2.0, 2.5, ...
    np.testing.assert_allclose(psth["time_from20"], 2.0 + 0.5 * np.arange(4))
    np.testing.assert_allclose(psth, _counts(late, 5).sum(axis=1) / (5 * 0.5 / 1000), rtol=1e-12)
    counts = _counts(raw[10:30], 5)  # t0=1 .. t1=3 ms: bins [1, 1.5) ... [2.5, 3)
    with np.errstate(invalid="ignore", divide="ignore"):
        want = counts.var(axis=0) / np.where(counts.mean(axis=0) > 0, counts.mean(axis=0), np.nan)
    np.testing.assert_allclose(ds.bb.fano(0.5, "E", t0=1.0, t1=3.0).sel(**run), want, rtol=1e-12)


@pytest.mark.parametrize("call, fragment", [
    (lambda ds: ds.bb.psth(float("inf"), "E"), "bin_ms takes a finite time: ms, a quantity"),  # OverflowError
    (lambda ds: ds.bb.psth(None, "E"), "bin_ms takes a finite time.*got None"),  # TypeError
    (lambda ds: ds.bb.psth([1.0], "E"), r"bin_ms takes a finite time.*got \[1.0\]"),
    (lambda ds: ds.bb.psth(True, "E"), "bin_ms takes a finite time.*got True"),  # was a bin of 1 ms
    (lambda ds: ds.bb.fano(0.5, "E", t0=float("nan")), "t0 takes None or a time: ms.*got nan"),
    # an empty window said "bin_ms 0.5 is longer than the 0 ms 'E' holds"
    (lambda ds: ds.bb.fano(0.5, "E", t0=3, t1=1), "t0 3 ms is after t1 1 ms"),
    (lambda ds: ds.bb.synchrony(0.5, "E", t0=10.0), r"no sample of 'E' lies between t0=10.0 and t1=None \(ms\): its "
                                                    "samples run from 0 to 3.9 ms"),
    (lambda ds: ds.bb.correlations(0.5, "E", pairs=-1), "pairs must be an integer >= 1, got -1"),  # numpy's ValueError
    (lambda ds: ds.bb.correlations(0.5, "E", pairs=1.5), "pairs must be an integer >= 1, got 1.5"),
    (lambda ds: ds.bb.correlations(0.5, "E", seed=-2), "seed must be an integer >= 0, got -2"),
    # NaN edges passed the increasing check and gave a histogram of nothing
    (lambda ds: ds.bb.isi_hist([0.0, float("nan"), 2.0], "E"), "edges_ms must be increasing bin edges"),
    (lambda ds: ds.bb.isi_hist(None, "E"), "edges_ms must be increasing bin edges.*got None"),
])
def test_bad_times_are_refused_in_one_line(ds, call, fragment):
    with pytest.raises(StoreError, match=fragment):
        call(ds)


def test_times_from_neo_quantities_timedeltas_and_texts_mean_their_ms(ds):
    # neo's / elephant's units were taken as bare numbers of ms: psth(1 * pq.s) was a bin of 1 ms, and a
    # window t0=0.002 * pq.s raised xarray's InvalidIndexError
    pq = pytest.importorskip("quantities")
    run = {"seed": 0, "n": 5}

    def same(a, b):
        np.testing.assert_array_equal(a.sel(**run).values, b.sel(**run).values)

    same(ds.bb.psth(0.001 * pq.s, "E"), ds.bb.psth(1.0, "E"))
    same(ds.bb.psth(1000 * pq.us, "E"), ds.bb.psth(1.0, "E"))
    same(ds.bb.fano(0.5, "E", t0=0.001 * pq.s, t1=3 * pq.ms), ds.bb.fano(0.5, "E", t0=1.0, t1=3.0))
    edges = [0.0, 0.15, 0.5, 5.0]
    same(ds.bb.isi_hist(np.array(edges) / 1000 * pq.s, "E"), ds.bb.isi_hist(edges, "E"))
    same(ds.bb.isi_hist([e * pq.ms for e in edges], "E"), ds.bb.isi_hist(edges, "E"))
    same(ds.bb.isi_hist(["0ms", "150us", "0.5ms", "5ms"], "E"), ds.bb.isi_hist(edges, "E"))  # texts, as the CLI's
    same(ds.bb.psth(datetime.timedelta(milliseconds=1), "E"), ds.bb.psth(1.0, "E"))
    same(ds.bb.psth(np.timedelta64(1000, "us"), "E"), ds.bb.psth(1.0, "E"))
    with pytest.raises(StoreError, match=r"bin_ms 1000 is longer than the 4 ms 'E' holds"):
        ds.bb.psth(1 * pq.s, "E")
    with pytest.raises(StoreError, match="bin_ms takes a time: ms, a quantity"):
        ds.bb.psth(5 * pq.mV, "E")


def test_an_object_with_a_unit_it_cannot_read_is_refused_not_read_as_ms(ds):
    class Pintish:  # pint's and astropy's quantities carry .units / .unit and .magnitude / .value
        magnitude, units = 1.0, "second"

        def __float__(self):
            return 1.0

    with pytest.raises(StoreError, match="carries a unit brainbatch does not read: give its value in ms"):
        ds.bb.psth(Pintish(), "E")


def test_a_record_kept_every_n_steps_counts_the_steps_it_saw(tmp_path):
    # Monitor(every=10) samples the spike flag of every 10th step: its spikes were divided by samples x 10 dt,
    # so a population at 100 Hz read 10 Hz (rates, mean_rate, psth and the spectrum alike)
    spec = StoreSpec("ana", "h", {}, seeds=[0], n_steps=45, dt=DT,
                     records=(VarSpec("s", ("E_neuron",), (4,), "bool"), VarSpec("s10", ("E_neuron",), (4,), "bool", every=10)))
    store = ResultStore.create(tmp_path / "e.zarr", spec)
    raw = np.random.default_rng(7).random((45, 4)) < 0.3
    store.write_record((0,), "s", 0, raw)
    store.write_record((0,), "s10", 0, raw[::10])  # what the monitor keeps: steps 0, 10, 20, 30, 40
    store.mark_done((0,))
    ds = open_results(store.path)
    kept = raw[::10]
    np.testing.assert_allclose(ds.bb.rates("s10").sel(seed=0), kept.sum(axis=0) / (5 * DT / 1000), rtol=1e-12)
    np.testing.assert_allclose(ds.bb.mean_rate("s10").sel(seed=0), kept.mean() / (DT / 1000), rtol=1e-12)
    psth = ds.bb.psth(2.0, "s10").sel(seed=0)  # 2 samples per bin, each one step of 0.1 ms
    np.testing.assert_allclose(psth, kept[:4].reshape(2, 2, 4).sum(axis=(1, 2)) / (4 * 2 * DT / 1000), rtol=1e-12)
    np.testing.assert_allclose(ds.bb.rates("s").sel(seed=0), raw.sum(axis=0) / (45 * DT / 1000), rtol=1e-12)


def test_a_strided_spike_train_stops_at_the_runs_end_in_neo(tmp_path):
    # its t_stop was the last sample + n dt: 5.0 ms for a run of 4.5 ms (45 steps of 0.1 ms, kept every 10)
    pytest.importorskip("neo")
    spec = StoreSpec("ana", "h", {}, seeds=[0], n_steps=45, dt=DT,
                     records=(VarSpec("s10", ("E_neuron",), (2,), "bool", every=10),))
    store = ResultStore.create(tmp_path / "n.zarr", spec)
    store.write_record((0,), "s10", 0, np.array([[1, 0], [0, 0], [0, 1], [0, 0], [1, 1]], bool))
    store.mark_done((0,))
    [segment] = open_results(store.path).bb.to_neo().segments
    for train in segment.spiketrains:
        assert float(train.t_start.rescale("ms")) == 0.0 and float(train.t_stop.rescale("ms")) == 4.5
    assert [train.times.rescale("ms").magnitude.tolist() for train in segment.spiketrains] == [[0.0, 4.0], [2.0, 4.0]]
