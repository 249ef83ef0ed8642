"""ds.bb's spike statistics against elephant's on the same spike trains (session 36; brainbatch/store/README.md,
"Reading": which elephant call each statistic is), and closed-form answers where elephant has no such measure.

The reference numbers are constants from one run of elephant 1.2.1 (neo 0.14.6, quantities 0.16.4), this script,
on the trains the store below holds (spike steps ``STEPS`` at dt 0.1 ms, 300 steps: 30 ms)::

    import numpy as np, quantities as pq, neo
    from elephant import statistics as es, spectral, spike_train_correlation as sc
    from elephant.conversion import BinnedSpikeTrain
    trains = [neo.SpikeTrain(np.array(s) * 0.1, units="ms", t_start=0.0, t_stop=30.0) for s in STEPS]
    [float(es.mean_firing_rate(t).rescale("Hz")) for t in trains]                        # RATES
    [float(es.cv(es.isi(t))) for t in trains]                                            # CV
    rate = np.asarray(es.time_histogram(trains, 1.0 * pq.ms, output="rate").rescale("Hz")).ravel()  # PSTH
    bst = BinnedSpikeTrain(trains, bin_size=2.0 * pq.ms, t_start=1.0 * pq.ms, t_stop=27.0 * pq.ms)
    sc.correlation_coefficient(bst)                                                      # CORR
    [float(es.fanofactor([t.time_slice((1.0 + 2 * i) * pq.ms, (2.95 + 2 * i) * pq.ms) for i in range(13)]))
     for t in trains]                                                                    # FANO
    f, p = spectral.welch_psd(neo.AnalogSignal(rate, units="Hz", sampling_period=1.0 * pq.ms), n_segments=1,
                              len_segment=30, window="boxcar", overlap=0)                # PSD (Hz^2/Hz)
    w = [t.time_slice(1.0 * pq.ms, 28.5 * pq.ms) for t in trains]  # no spike lies at 28.5 ms
    [float(es.mean_firing_rate(t, t_start=1.0 * pq.ms, t_stop=28.5 * pq.ms).rescale("Hz")) for t in trains]  # W_RATES
    [float(es.cv(es.isi(t))) for t in w]                                                # W_CV
    es.time_histogram(w, 2.0 * pq.ms, t_start=1.0 * pq.ms, t_stop=28.5 * pq.ms, output="rate")  # W_PSTH (Hz)

The window ``[1.0, 28.5)`` ms with 2 ms bins holds 13 whole bins from 1.0 ms (to 27.0 ms), elephant's
``t_stop``; neo's ``time_slice`` includes its end, so each piece for ``fanofactor`` ends half a step early.
"""
from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from brainbatch.store import ResultStore, StoreSpec, VarSpec, open_results

DT, N_STEPS = 0.1, 300
STEPS = [[8, 30, 106, 149, 170, 241, 253, 274], [9, 140, 216, 219, 238], [1, 28, 153, 226], [10, 250]]
RATES = [266.6666666666667, 166.66666666666666, 133.33333333333334, 66.66666666666667]
CV = [0.6343922305454992, 0.8819122987263965, 0.5337775927467531, 0.0]  # the last: 2 spikes, elephant says 0
PSTH = [750.0, 250.0, 250.0, 250.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 250.0, 0.0, 0.0, 0.0, 500.0, 250.0, 0.0, 250.0,
        0.0, 0.0, 0.0, 500.0, 250.0, 250.0, 250.0, 500.0, 0.0, 250.0, 0.0, 0.0]
CORR = [[1.0, 0.039193090083481, -0.50709255283711, 0.032897584747989],
        [0.039193090083481, 1.0, 0.324617227032118, -0.216612144429553],
        [-0.50709255283711, 0.324617227032118, 1.0, 0.272474630456533],
        [0.032897584747989, -0.216612144429553, 0.272474630456533, 1.0]]
FANO = [0.5384615384615385, 1.192307692307692, 0.7692307692307692, 0.8461538461538463]
PSD = [3.993608332681372e-30, 141.10832959912673, 36.59389949784532, 123.40847495312454, 157.92561227337885,
       16.666666666666657, 72.42485838020875, 41.98788455695082, 88.26259277820206, 114.09152504687543,
       66.66666666666669, 88.2018447914926, 81.74180828645791, 66.20194105242987, 88.05122878390716,
       2.0833333333333344]
W_RATES = [254.54545454545453, 145.45454545454544, 109.09090909090908, 72.72727272727272]
W_CV = [0.6163367605609004, 0.9590751132660555, 0.2626262626262626, 0.0]
W_PSTH = [250.0, 125.0, 0.0, 0.0, 125.0, 0.0, 250.0, 125.0, 125.0, 0.0, 375.0, 250.0, 250.0]
RUN = {"seed": 0, "we": 1.0}


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    """One done run: ``E`` holds the four trains of STEPS, ``I`` one neuron (a population with no pair)."""
    spec = StoreSpec("stats", "h", {"we": [1.0]}, seeds=[0], n_steps=N_STEPS, dt=DT, records=(
        VarSpec("E", ("E_neuron",), (4,), "bool"), VarSpec("I", ("I_neuron",), (1,), "bool")))
    store = ResultStore.create(tmp_path_factory.mktemp("stats") / "s.zarr", spec)
    raster = np.zeros((N_STEPS, 4), bool)
    for k, steps in enumerate(STEPS):
        raster[steps, k] = True
    idx = store.run_index(**RUN)
    store.write_record(idx, "E", 0, raster)
    store.write_record(idx, "I", 0, raster[:, :1])
    store.mark_done(idx)
    return open_results(store.path)


def test_rates_psth_and_cv_are_elephants(ds):
    np.testing.assert_allclose(ds.bb.rates("E").sel(**RUN), RATES, rtol=1e-12)
    np.testing.assert_allclose(ds.bb.psth(1.0, "E").sel(**RUN), PSTH, rtol=1e-12)
    cv = ds.bb.cv_isi("E").sel(**RUN).values
    np.testing.assert_allclose(cv[:3], CV[:3], rtol=1e-12)
    assert np.isnan(cv[3])  # 2 spikes, one interval: documented NaN where elephant gives 0 (not "regular")


def test_fano_and_pair_correlations_in_a_window_that_is_no_multiple_of_the_bin_are_elephants(ds):
    np.testing.assert_allclose(ds.bb.fano(2.0, "E", t0=1.0, t1=28.5).sel(**RUN), FANO, rtol=1e-12)
    r = ds.bb.correlations(2.0, "E", pairs=12, seed=0, t0=1.0, t1=28.5).sel(**RUN)
    pairs = {(int(i), int(j)) for i, j in zip(r.i.values, r.j.values)}
    assert len(pairs) >= 5 and all(i != j for i, j in pairs)
    for k in range(r.sizes["pair"]):
        assert float(r[k]) == pytest.approx(CORR[int(r.i[k])][int(r.j[k])], abs=1e-12)


def test_rates_psth_and_cv_take_the_window_every_statistic_takes(ds):
    """The README's accessor row says every statistic has a ``[t0, t1)`` window; rates, mean_rate, psth and cv_isi
    refused ``t0`` (a TypeError), so a transient could not be left out of them as of elephant's."""
    window = {"t0": 1.0, "t1": 28.5}
    np.testing.assert_allclose(ds.bb.rates("E", **window).sel(**RUN), W_RATES, rtol=1e-12)
    assert float(ds.bb.mean_rate("E", **window).sel(**RUN)) == pytest.approx(np.mean(W_RATES), rel=1e-12)
    psth = ds.bb.psth(2.0, "E", **window).sel(**RUN)
    np.testing.assert_allclose(psth, W_PSTH, rtol=1e-12)
    assert float(psth.time[0]) == 1.0 and float(psth.time[-1]) == 25.0  # bins labelled by their start
    cv = ds.bb.cv_isi("E", **window).sel(**RUN).values
    np.testing.assert_allclose(cv[:3], W_CV[:3], rtol=1e-12)
    assert np.isnan(cv[3])
    np.testing.assert_allclose(ds.bb.rates("E", t0=None, t1=float("inf")).sel(**RUN), RATES, rtol=1e-12)


def test_the_spectrum_is_elephants_one_sided_density_and_integrates_to_the_variance(ds):
    """It was half of it at every frequency but 0 and the Nyquist frequency (the negative frequencies' power was
    left out): its integral was half the population rate's variance."""
    spec = ds.bb.spectrum(1.0, "E").sel(**RUN)
    np.testing.assert_allclose(spec.frequency, np.arange(16) * 1000.0 / 30)
    np.testing.assert_allclose(spec, PSD, rtol=1e-9, atol=1e-9)
    for t1 in (30.0, 29.0):  # 30 bins (a Nyquist bin, not doubled) and 29 (none)
        rate = ds.bb.psth(1.0, "E").sel(**RUN).values[: int(t1)]
        spec = ds.bb.spectrum(1.0, "E", t1=t1).sel(**RUN)
        df = float(spec.frequency[1])
        assert float(spec.sum()) * df == pytest.approx(rate.var(), rel=1e-12)  # Parseval, one-sided


def test_a_population_of_one_neuron_has_no_pair_correlation(ds):
    """``(i + k) % 1`` paired its one neuron with itself: every pair read r = 1 ("never a neuron with itself")."""
    r = ds.bb.correlations(2.0, "I", pairs=3).sel(**RUN)
    assert r.sizes["pair"] == 3 and np.isnan(r.values).all()


def test_synchrony_is_golombs_chi_in_lockstep_and_in_antiphase():
    """chi^2 = var(population mean count) / mean(var of each neuron's count): 1 for trains in lockstep, 0 for two
    trains that alternate bins (the population count never changes), whatever their rates."""
    s = np.zeros((1, 400, 4), bool)
    s[0, ::20, :2] = True  # neurons 0 and 1 together every 2 ms
    s[0, ::40, 2] = True  # neuron 2 in 2 ms bins 0, 2, 4 ...
    s[0, 20::40, 3] = True  # neuron 3 in 2 ms bins 1, 3, 5 ...: never with neuron 2

    def chi(neurons: list[int], bin_ms: float) -> float:
        sp = xr.DataArray(s[:, :, neurons], dims=("trial", "time", "neuron"),
                          coords={"time": np.round(np.arange(400) * 0.1, 1)})
        return float(xr.Dataset({"sp": sp}).bb.synchrony(bin_ms).isel(trial=0))

    assert chi([0, 1], 1.0) == pytest.approx(1.0)
    assert chi([2, 3], 2.0) == pytest.approx(0.0, abs=1e-12)
    assert 0.0 < chi([0, 2, 3], 2.0) < 1.0
