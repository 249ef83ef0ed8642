"""Session 37: ``ds.bb``'s weight labels and its times written as text.

- ``ds.bb.synapses("w", projection="S")`` on a store opened with ``states=True`` where each seed draws its own graph
  labelled padding slots ``post = n_post`` (the saved ``targets``' padding value), so ``.groupby("post").mean()`` had a
  group for a neuron that does not exist (all NaN); the store's own ``post`` coordinate (the path without states)
  reads NaN there. Both paths now give NaN ``post`` on padding and on runs that are not done, and both give 1-D labels
  with the padding dropped when every run has the same graph (the store's coordinates kept the padding as NaN over
  the run dims even for one run).
- ``groupby("post")`` over labels that lie over the run dims pools every run (xarray groups over all of a
  coordinate's dims): said in the docs now, with ``mean_weight`` and ``groupby(["seed", "post"])`` for each run's.
- ``ds.bb.psth("1 second")``, ``"1*ms"``, ``"1 h"`` were refused although docs/units.md says the accessor takes texts
  "as the CLI takes them", and ``"0.0071s"`` read 7.1000000000000005 ms; now read as ``sweep/quantities.py`` reads
  them (kept to 15 digits, quantities and timedeltas too) without importing brainunit, a misspelled unit named with
  the close one.
"""
from __future__ import annotations

import datetime
import shutil

import numpy as np
import pytest
import xarray as xr

import brainbatch as bb
from brainbatch.store import ResultStore, StoreError

EXPERIMENT = '''
import brainbatch as bb
monitors = {"w": bb.Monitor("S.w", every=10), "ws": bb.Monitor("S.w", index=[0, 3, 5], every=10)}
duration = 3.0

def build():
    inp = bb.PoissonGroup(8, freqs=300.0)
    neu = bb.LIF(3, V_rest=-74.0, V_reset=-60.0, V_th=-54.0, tau=10.0)
    S = bb.Projection(inp, neu, bb.FixedProb(0.5), bb.Exponential(5.0), bb.COBA(0.0), weight=bb.Uniform(0.0, 0.5),
                      plasticity=bb.STDP(dApre=0.05, dApost=-0.06, w_max=0.5))
    return bb.Network(inp=inp, neu=neu, S=S)
'''
N_POST = 3


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("weights37")
    (path / "plastic.py").write_text(EXPERIMENT)
    bb.sweep(str(path / "plastic.py"), seeds=2, out=str(path / "w.zarr"), progress=False, devices="cpu")
    return path / "w.zarr"


@pytest.fixture(scope="module")
def targets(store_path):
    flat = bb.open_results(store_path, states=True)["states/S.targets"].values
    return flat.reshape(flat.shape[0], -1)  # (seed, synapse): slot s of presynaptic neuron s // K


def _both(path, var="w", **isel):
    """``synapses`` from the saved targets and from the store's own coordinates."""
    with_states = bb.open_results(path, states=True).isel(**isel)
    plain = bb.open_results(path).isel(**isel)
    return with_states.bb.synapses(var, projection="S"), plain.bb.synapses(var)


def test_padding_slots_are_never_a_neurons_label_in_either_path(store_path, targets):
    assert (targets == N_POST).any() and not np.array_equal(targets[0], targets[1])  # padding, a graph per seed
    for var, index in (("w", slice(None)), ("ws", [0, 3, 5])):
        from_states, from_store = _both(store_path, var)
        expected = np.where(targets < N_POST, targets, np.nan)[:, index]
        for syn in (from_states, from_store):
            np.testing.assert_array_equal(syn["post"].values, expected)  # NaN on padding, not n_post
            assert syn["post"].dims == ("seed", syn.dims[-1])
        np.testing.assert_array_equal(from_states.values, from_store.values)  # the same weights, NaN on padding
    grouped = [syn.groupby("post").mean()["post"].values.tolist() for syn in _both(store_path)]
    assert grouped == [[0.0, 1.0, 2.0]] * 2  # was [0, 1, 2, 3] from the saved targets: a 4th, all-NaN group


def test_one_run_or_one_graph_gives_1d_labels_without_padding_in_either_path(store_path, targets):
    from_states, from_store = _both(store_path, seed=[1])
    real = np.flatnonzero(targets[1] < N_POST)
    for syn in (from_states, from_store):
        assert syn["post"].dims == ("S_synapse",) and syn["post"].dtype == np.int64
        np.testing.assert_array_equal(syn["post"].values, targets[1][real])
        np.testing.assert_array_equal(syn["S_synapse"].values, real)
        assert np.isfinite(syn.values).all()  # padding dropped (the store's own labels kept it as NaN)


def test_a_run_not_done_has_no_labels_in_either_path(store_path, targets, tmp_path):
    path = tmp_path / "pending.zarr"
    shutil.copytree(store_path, path)
    store = ResultStore.open(path)
    store.set_status(store.runs()[1], "pending")
    for syn in _both(path):
        assert np.isnan(syn["post"].values[1]).all()
        np.testing.assert_array_equal(syn["post"].values[0], np.where(targets[0] < N_POST, targets[0], np.nan))


def test_groupby_post_pools_the_runs_and_mean_weight_gives_each_runs(store_path, targets):
    ds = bb.open_results(store_path)
    w = ds["w"].values[:, -1]  # (seed, synapse) at the last recorded time
    syn = ds.bb.synapses("w")
    pooled = syn.groupby("post").mean().isel(time_every10=-1).values
    np.testing.assert_allclose(pooled, [w[targets == j].mean() for j in range(N_POST)], rtol=1e-6)
    per_run = [[w[s][targets[s] == j].mean() for j in range(N_POST)] for s in range(2)]
    np.testing.assert_allclose(ds.bb.mean_weight("w").isel(time_every10=-1).values, per_run, rtol=1e-6)
    by_run = syn.groupby(["seed", "post"]).mean().isel(time_every10=-1).transpose("seed", "post")
    np.testing.assert_allclose(by_run.values, per_run, rtol=1e-6)


# ---------------------------------------------------------------------------------------------- times as text
DT, N = 1.0, 2500


@pytest.fixture(scope="module")
def spikes():
    rng = np.random.default_rng(3)
    raster = rng.random((N, 4)) < 0.05
    return xr.Dataset({"sp": (("time", "n"), raster)}, coords={"time": np.arange(N) * DT}, attrs={"dt": DT})


def same(a: xr.DataArray, b: xr.DataArray) -> None:
    np.testing.assert_array_equal(a.values, b.values)
    for dim in a.dims:
        np.testing.assert_array_equal(a[dim].values, b[dim].values)


def test_texts_are_read_as_the_cli_reads_them(spikes):
    bb_ = spikes.bb
    same(bb_.psth("1 second"), bb_.psth(1000.0))
    same(bb_.psth("1*ms"), bb_.psth(1.0))
    same(bb_.psth("10 * u.ms", t0="0.1 second", t1="2 s"), bb_.psth(10.0, t0=100.0, t1=2000.0))
    same(bb_.psth("20 msecond", t1="1 h"), bb_.psth(20.0))  # t1 past the record: no end
    same(bb_.fano("0.5 dsecond", t0="0.01 min", t1=".04 minute"), bb_.fano(50.0, t0=600.0, t1=2400.0))
    same(bb_.synchrony("5000 us", t1="0.000001 day"), bb_.synchrony(5.0, t1=86.4))
    # 0.0071 s is 7.1 ms, not 7.1000000000000005 (the CLI keeps 15 digits): as text, quantity and timedelta
    pq = pytest.importorskip("quantities")
    for edge in ("0.0071s", "7100 us", 0.0071 * pq.s, datetime.timedelta(microseconds=7100), np.timedelta64(7100, "us")):
        hist = bb_.isi_hist(["0 s", edge, "1 min"])
        assert hist["isi"].values.tolist() == [0.0, 7.1], edge
    assert bb_.isi_hist(np.array(["0ms", "7.1 ms", "0.1 s"]))["isi"].values.tolist() == [0.0, 7.1]


def test_the_store_reads_time_texts_as_the_cli_does():
    from brainbatch.store._times import in_ms
    from brainbatch.sweep.quantities import milliseconds
    from brainbatch.sweep.errors import UsageError

    for text in ("1 second", "1*ms", "10 * u.ms", "10*u.second", "1 h", "1 hour", "2 min", "2 minute", "1 day", "1 d",
                 "1 week", "0.0071s", "3 us", "3 \u00b5s", "3 usecond", "7 ns", "1 ks", "1.1 das", "5 msecond", ".5s",
                 "1e3 ms", "-2.5ms", "200", "1 yr", "0.3ms"):
        assert in_ms("t0", text) == milliseconds("--t0", text), text
    for text in ("5 msec", "5 seconds", "5 Ms", "5 mS", "5 mV", "abc", "inf ms"):
        with pytest.raises(UsageError):
            milliseconds("--t0", text)
        with pytest.raises(StoreError):
            in_ms("t0", text)


def test_a_misspelled_unit_of_time_is_named_with_the_close_one(spikes):
    for text, said in (("5 msec", "'msec' is no unit of time.* Did you mean 'ms'\\?"),
                       ("5 milliseconds", "Did you mean 'msecond'\\?"), ("5 sec", "Did you mean 'second'\\?"),
                       ("5 hours", "Did you mean 'hour'\\?"), ("5 mS", "Did you mean 'ms'\\?"),
                       ("5 secnd", "Did you mean 'second'\\?"),
                       ("5 Ms", "'5 Ms' is in Ms, a megasecond \\(1e\\+09 ms\\); the case of a unit matters .* write 5ms, or 5Msecond if that is what you mean")):
        with pytest.raises(StoreError, match=f"^bin_ms.*{said}$"):
            spikes.bb.psth(text)
    with pytest.raises(StoreError, match=r"^t1 takes .*got '1 mV': 'mV' is no unit of time \(ms, s, .*\)$"):
        spikes.bb.rates(t1="1 mV")
