"""``ds.bb.to_neo()`` (issue 23 item 12; brainbatch/store/README.md, "To neo and elephant"): a real store's runs as neo
objects whose numbers, computed by elephant, are ds.bb's. Skipped where the neo extra is not installed
(``pip install -e '.[neo]'``; ``make setup`` installs it with the dev extra).

One store of the toy experiment over two sizes (the smaller run is padded) and two seeds.
"""
from __future__ import annotations

import sys

import numpy as np
import pytest
from _support import TOY

import brainbatch as bb
from brainbatch.store import StoreError

DURATION, BIN = 60.0, 5.0


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("neo") / "toy.zarr")
    res = bb.sweep(TOY, seeds=2, params={"n": [3, 5], "drive": [1.5]}, duration=DURATION, out=out, progress=False)
    assert res.done == 4 and not res.failed
    return bb.open_results(out)


def test_spike_trains_give_elephants_rates_and_fano_factors(ds):
    pytest.importorskip("neo")
    pq = pytest.importorskip("quantities")
    statistics = pytest.importorskip("elephant.statistics")
    block = ds.bb.to_neo()
    assert len(block.segments) == 4 and block.annotations["source_hash"] == ds.attrs["source_hash"]
    rates, fano = ds.bb.rates().compute(), ds.bb.fano(BIN).compute()  # float32 sums: rel 1e-6
    seen = 0
    for seg in block.segments:
        run = {k: seg.annotations[k] for k in ("seed", "n", "drive")}
        assert seg.annotations["G_neuron_count"] == run["n"]
        trains = seg.spiketrains
        assert len(trains) == run["n"]  # the padded neurons of the smaller run are left out
        for k, st in enumerate(trains):
            assert (st.annotations["population"], st.annotations["neuron"]) == ("spikes", k)
            assert st.units == pq.ms and float(st.t_start) == 0.0 and float(st.t_stop) == DURATION
            # the spike times' resolution is dt (neo's default, 1 Hz, would say a spike lies anywhere in a second)
            assert float(st.sampling_rate.rescale(pq.kHz)) == pytest.approx(1.0 / ds.attrs["dt"])
            want = float(rates.sel(G_neuron=k, **run))
            got = float(statistics.mean_firing_rate(st).rescale(pq.Hz))
            assert got == pytest.approx(want, rel=1e-6), (run, k)
            # Fano factor of the counts in BIN-ms windows; spike times lie on the dt grid, so a window
            # [a, a + BIN - dt/2] holds exactly the samples of one bin (neo's time_slice includes its end)
            windows = [st.time_slice(a * pq.ms, (a + BIN - 0.05) * pq.ms) for a in np.arange(0.0, DURATION, BIN)]
            want = float(fano.sel(G_neuron=k, **run))
            if np.isfinite(want):
                assert float(statistics.fanofactor(windows)) == pytest.approx(want, rel=1e-6), (run, k)
                seen += 1
    assert seen >= 10  # most neurons fire: the comparison is not empty


def test_signals_keep_values_units_and_neurons(ds):
    pytest.importorskip("neo")
    pq = pytest.importorskip("quantities")
    block = ds.bb.to_neo(seed=1, n=3, signals="V", spikes=[])
    (seg,) = block.segments
    assert (seg.annotations["seed"], seg.annotations["n"], len(seg.spiketrains)) == (1, 3, 0)
    (sig,) = seg.analogsignals
    assert sig.name == "V" and sig.units == pq.mV and sig.shape == (ds.sizes["time"], 3)
    assert float(sig.sampling_period.rescale(pq.ms)) == pytest.approx(ds.attrs["dt"])
    assert sig.array_annotations["neuron"].tolist() == [0, 1, 2]
    np.testing.assert_array_equal(np.asarray(sig.magnitude), ds.V.sel(seed=1, n=3, drive=1.5).values[:, :3])


def test_bad_names_are_refused_in_one_line(ds):
    pytest.importorskip("neo")
    with pytest.raises(StoreError, match=r"'Vx' is no numeric record of the dataset; numeric records: \['V'\]\. "
                                         r"Did you mean 'V'\?"):
        ds.bb.to_neo(signals="Vx")
    # a variable of the other kind is no close match of itself (it suggested 'V' for spikes="V")
    with pytest.raises(StoreError) as err:
        ds.bb.to_neo(spikes="V")
    assert "'V' is no spike variable of the dataset" in str(err.value) and "Did you mean 'V'" not in str(err.value)
    with pytest.raises(StoreError, match="cannot select 'sed'"):
        ds.bb.to_neo(sed=0)
    with pytest.raises(StoreError, match=r"to_neo: seed=99 is not in the store; seed values are \[0, 1\]"):
        ds.bb.to_neo(seed=99)


def test_without_neo_the_error_names_the_extra(ds, monkeypatch):
    monkeypatch.setitem(sys.modules, "neo", None)  # what an environment without neo imports
    with pytest.raises(StoreError) as err:
        ds.bb.to_neo()
    assert str(err.value) == ("ds.bb.to_neo() needs neo and quantities, which are not installed (neo): "
                              "pip install -e '.[neo]' in a brainbatch clone, or pip install neo quantities elephant")


def test_a_unit_text_quantities_cannot_evaluate_quickly_is_kept_as_text(ds):
    # the units attribute is the store's, anyone may write it: quantities evaluates it as arithmetic, and
    # 'mV**(9**9**9)' never returned
    pytest.importorskip("neo")
    pq = pytest.importorskip("quantities")
    crafted = ds.assign(V=ds.V.assign_attrs(units="mV**(9**9**9)"))
    (sig,) = crafted.bb.to_neo(seed=1, n=3, signals="V", spikes=[]).segments[0].analogsignals
    assert sig.units == pq.dimensionless and sig.annotations["units_text"] == "mV**(9**9**9)"
    ms = ds.assign(V=ds.V.assign_attrs(units="1 / ms^0.5"))
    (sig,) = ms.bb.to_neo(seed=1, n=3, signals="V", spikes=[]).segments[0].analogsignals
    assert sig.units == pq.ms ** -0.5
